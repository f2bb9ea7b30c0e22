"""Read-only walks over a LibCST tree, shared by the import map, the code rules and the config model.

LibCST's `node.visit(visitor)` rebuilds every node it passes even when the visitor only looks;
these walks read the dataclass fields instead (several times cheaper). Node classes are
classified once each (CSTNode is an ABC, so `isinstance` on it is slow): not a node, layout
(whitespace, comments, brackets, commas, operators: nothing below them) or code.
"""
from __future__ import annotations

import dataclasses
from typing import Dict, Optional, Tuple

import libcst as cst

NOT_NODE, LAYOUT, CODE = 0, 1, 2
LAYOUT_TYPES = (
    cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline,
    cst.Comment, cst.Comma, cst.Colon, cst.Dot, cst.Semicolon, cst.AssignEqual, cst.LeftParen,
    cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
    cst.RightCurlyBrace, cst.BaseBinaryOp, cst.BaseUnaryOp, cst.BaseBooleanOp, cst.BaseCompOp,
    cst.BaseAugOp,
)
# Fields that by LibCST's naming only ever hold layout nodes.
_LAYOUT_FIELDS = ("whitespace", "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after")
_KINDS: Dict[type, int] = {}


def _subclasses(base: type) -> set:
    found = set()
    for sub in base.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


# Nodes with no node below them that a walk may want to see: names, numbers, strings.
LEAVES = frozenset({cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary})
# Expressions and the parts of statements made of them: a `skip` for walks after statements.
EXPRESSION_PARTS = frozenset(_subclasses(cst.BaseExpression) | {
    cst.Arg, cst.Param, cst.Parameters, cst.Decorator, cst.AssignTarget, cst.Annotation})
_ALL_FIELDS: Dict[type, Tuple[str, ...]] = {}
_CODE_FIELDS: Dict[type, Tuple[str, ...]] = {}
_INSTANCE: Dict[tuple, bool] = {}


def node_kind(kind: type) -> int:
    found = _KINDS.get(kind)
    if found is None:
        if not issubclass(kind, cst.CSTNode):
            found = NOT_NODE
        else:
            found = LAYOUT if issubclass(kind, LAYOUT_TYPES) else CODE
        _KINDS[kind] = found
    return found


def chain_root(expr) -> Optional[str]:
    """The name an attribute / subscript chain starts from (`x` of `x.a[0].b`), else None."""
    while isinstance(expr, (cst.Attribute, cst.Subscript)):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def is_instance(node, classes) -> bool:
    """`isinstance(node, classes)` for LibCST classes, cached per (class, classes)."""
    key = (type(node), classes)
    found = _INSTANCE.get(key)
    if found is None:
        found = _INSTANCE[key] = isinstance(node, classes)
    return found


def iter_nodes(node: cst.CSTNode, layout: bool = True):
    """`node` and every node below it, in no particular order; without layout nodes if not
    `layout` (no expression or statement is below them)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child_nodes(current, layout))


def child_nodes(node: cst.CSTNode, layout: bool = True) -> list:
    """The nodes directly below `node`, read from its fields (not in source order)."""
    if layout:
        names, lowest = _ALL_FIELDS.get(type(node)) or _all_fields(node), LAYOUT
    else:  # the fields named for layout cannot hold anything else
        names, lowest = _CODE_FIELDS.get(type(node)) or _code_fields(node), CODE
    kinds = _KINDS
    out = []
    for name in names:
        child = getattr(node, name)
        kind = type(child)
        if kind is list or kind is tuple:
            out += [item for item in child if (kinds.get(type(item)) or node_kind(type(item))) >= lowest]
        elif (kinds.get(kind) or node_kind(kind)) >= lowest:
            out.append(child)
    return out


def _all_fields(node: cst.CSTNode) -> Tuple[str, ...]:
    found = _ALL_FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node))
    return found


def look(node: cst.CSTNode, visitor: cst.CSTVisitor, quiet=frozenset()) -> None:
    """`node.visit(visitor)`, in the same order, for a visitor that only looks (no
    `visit_<Node>_<field>` hooks) and has nothing to do with layout nodes. Node classes in the
    visitor's `skip` (a frozenset; names, numbers, strings are a third of a tree) are neither
    visited nor entered, nor are the statements whose ids are in `quiet` (`Context.quiet`: their
    text shows they hold nothing the visitor looks for)."""
    skip = getattr(visitor, "skip", ())
    if type(node) not in skip and id(node) not in quiet:
        _look(node, visitor, skip, quiet)


def _look(node: cst.CSTNode, visitor: cst.CSTVisitor, skip, quiet) -> None:
    if visitor.on_visit(node):
        kinds = _KINDS
        for name in _CODE_FIELDS.get(type(node)) or _code_fields(node):
            value = getattr(node, name)
            kind = type(value)
            if kind is list or kind is tuple:
                for child in value:  # statements sit in lists (bodies): only there is `quiet` asked
                    kind = type(child)
                    if kind not in skip and (kinds.get(kind) or node_kind(kind)) == CODE \
                            and not (quiet and id(child) in quiet):
                        _look(child, visitor, skip, quiet)
            elif kind not in skip and (kinds.get(kind) or node_kind(kind)) == CODE:
                _look(value, visitor, skip, quiet)
    visitor.on_leave(node)


class _FieldOrder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.fields = []

    def on_visit(self, node) -> bool:
        return False

    def on_visit_attribute(self, node, attribute) -> None:
        self.fields.append(attribute)


def _code_fields(node: cst.CSTNode) -> Tuple[str, ...]:
    """The child fields of `node`'s class in the order LibCST visits them (learned once per class),
    without the fields that only hold layout."""
    order = _FieldOrder()
    node._visit_and_replace_children(order)
    # A field visited only when it is set (an f-string's format_spec, the last) goes last.
    fields = [*order.fields, *(f.name for f in dataclasses.fields(node) if f.name not in order.fields)]
    found = _CODE_FIELDS[type(node)] = tuple(f for f in fields if not f.startswith(_LAYOUT_FIELDS))
    return found
