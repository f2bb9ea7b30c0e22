"""A cheap answer to "what does this local name refer to?".

It reads every import in the file (module level, inside functions, methods and `try`) into a map
local name -> dotted name. It is not scope-aware; a rule that must tell a user's own
`inference_model` from MMClassification's checks that the name really was imported from mmcls
(`qualified()` returns None for names that no import binds). That answers most questions at a
fraction of the cost of LibCST's QualifiedNameProvider.
"""
from __future__ import annotations

import dataclasses
from typing import Dict, Optional, Tuple

import libcst as cst
from libcst.helpers import get_full_name_for_node


def dotted(node: cst.CSTNode) -> Optional[str]:
    """`a.b.c` for a Name/Attribute chain, else None."""
    if isinstance(node, (cst.Name, cst.Attribute)):
        return get_full_name_for_node(node)
    return None


def relative_module(node: cst.ImportFrom) -> str:
    """The module of a `from` import as written, with leading dots for relative imports."""
    dots = "." * len(node.relative)
    module = dotted(node.module) if node.module is not None else ""
    return dots + (module or "")


# -- a read-only walk ------------------------------------------------------------------------------
# `node.visit(visitor)` rebuilds every node it enters, even for a read-only `CSTVisitor`; that
# rebuild is most of the cost of a visit. `look` calls the same visitor methods in the same order
# and builds nothing. It also skips layout nodes (whitespace, comments, brackets, commas: two
# thirds of a tree), which no visitor that uses it looks at.

_FIELDS: Dict[type, Tuple[str, ...]] = {}


class _FieldOrder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.fields = []

    def on_visit(self, node) -> bool:
        return False

    def on_visit_attribute(self, node, attribute) -> None:
        self.fields.append(attribute)


def _fields(node: cst.CSTNode) -> Tuple[str, ...]:
    """The child fields of `node`'s class, in the order LibCST visits them (learned once per class)."""
    kind = type(node)
    fields = _FIELDS.get(kind)
    if fields is None:
        order = _FieldOrder()
        node._visit_and_replace_children(order)
        # A field visited only when it is set (an f-string's format_spec, the last) goes last.
        fields = [*order.fields, *(f.name for f in dataclasses.fields(node) if f.name not in order.fields)]
        # Fields that by LibCST's naming only ever hold layout nodes are not even read.
        fields = _FIELDS[kind] = tuple(f for f in fields if not f.startswith(_LAYOUT_FIELDS))
    return fields


def look(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`node.visit(visitor)` for a visitor that only looks (no `visit_<Node>_<field>` hooks)
    and has nothing to do with layout nodes."""
    if visitor.on_visit(node):
        for name in _FIELDS.get(type(node)) or _fields(node):
            value = getattr(node, name)
            if type(value) in _SEQUENCES:
                for child in value:
                    if _WALKED.get(type(child)) or _walked(child):
                        look(child, visitor)
            elif _WALKED.get(type(value)) or _walked(value):
                look(value, visitor)
    visitor.on_leave(node)


_SEQUENCES = (tuple, list)
_LAYOUT = (
    cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.TrailingWhitespace, cst.Newline,
    cst.EmptyLine, cst.Comment, cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual,
    cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
    cst.LeftCurlyBrace, cst.RightCurlyBrace,
)
_LAYOUT_FIELDS = ("whitespace", "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after")
_WALKED: Dict[type, bool] = {}


def _walked(value) -> bool:
    """Is `value` a node `look` enters (cached per class: an ABC's isinstance is slow)?"""
    kind = type(value)
    found = _WALKED.get(kind)
    if found is None:
        found = _WALKED[kind] = isinstance(value, cst.CSTNode) and kind not in _LAYOUT
    return found


def is_instance(node, classes) -> bool:
    """`isinstance(node, classes)` for LibCST classes, cached per (class, classes)."""
    key = (type(node), classes)
    found = _INSTANCE.get(key)
    if found is None:
        found = _INSTANCE[key] = isinstance(node, classes)
    return found


_INSTANCE: Dict[tuple, bool] = {}


class ImportMap:
    def __init__(self, names: Dict[str, str]) -> None:
        self.names = names

    @classmethod
    def from_module(cls, module: cst.Module) -> "ImportMap":
        collector = _Collector()
        look(module, collector)
        return cls(collector.names)

    def qualified(self, node: cst.CSTNode) -> Optional[str]:
        """Dotted name the expression refers to through imports, or None if not imported."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        target = self.names.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: Dict[str, str] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Imports are statements: expressions (most of a tree) cannot hold one, so skip them.
        if is_instance(node, cst.BaseExpression):
            return False
        return super().on_visit(node)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted(alias.name)
            if alias.asname is not None:
                self.names[dotted(alias.asname.name)] = full
            else:
                head = full.split(".")[0]
                self.names[head] = head

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = relative_module(node)
        sep = "" if module.endswith(".") else "."
        for alias in node.names:
            name = dotted(alias.name)
            local = dotted(alias.asname.name) if alias.asname is not None else name
            self.names[local] = f"{module}{sep}{name}"
