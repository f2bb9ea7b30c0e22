"""A cheap answer to "what does this local name refer to?".

It reads every import in the file (module level, inside functions, methods and `try`) into a map
local name -> dotted name. It is not scope-aware; a rule that must tell a user's own
`inference_model` from MMClassification's checks that the name really was imported from mmcls
(`qualified()` returns None for names that no import binds). That answers most questions at a
fraction of the cost of LibCST's QualifiedNameProvider.
"""
from __future__ import annotations

from typing import Dict, Optional

import libcst as cst
from libcst.helpers import get_full_name_for_node

from codemods.walk import EXPRESSION_PARTS, look


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


class ImportMap:
    def __init__(self, names: Dict[str, str]) -> None:
        self.names = names

    @classmethod
    def from_module(cls, module: cst.Module, quiet=frozenset()) -> "ImportMap":
        """`quiet`: ids of statements known to hold no import (not entered)."""
        collector = _Collector()
        look(module, collector, quiet)
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
    skip = EXPRESSION_PARTS  # imports are statements: most of a tree cannot hold one

    def __init__(self) -> None:
        self.names: Dict[str, str] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        if kind is cst.Import:
            self.visit_Import(node)
        elif kind is cst.ImportFrom:
            self.visit_ImportFrom(node)
        return True

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
