"""A cheap answer to "what does this local name refer to?".

It reads every import in the file (module level, inside functions, methods and `try`) into a map
local name -> dotted name. It is not scope-aware; a rule that must tell a user's own
`inference_model` from MMClassification's checks that the name really was imported from mmcls
(`qualified()` returns None for names that no import binds). That answers most questions at a
fraction of the cost of LibCST's QualifiedNameProvider.
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Dict, List, Optional

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
    def __init__(self, names: Dict[str, str], package: Optional[List[str]] = None) -> None:
        self.names = names
        self.package = package  # of a file inside an mmcls / mmselfsup tree (`fork_package`)

    @classmethod
    def from_module(cls, module: cst.Module, quiet=frozenset(), package=None) -> "ImportMap":
        """`quiet`: ids of statements known to hold no import (not entered); `package`: see
        `fork_package`."""
        collector = _Collector()
        look(module, collector, quiet)
        return cls(collector.names, package)

    def resolved(self, node: cst.CSTNode) -> Optional[str]:
        """`qualified`, with a relative import of a file inside an mmcls / mmselfsup tree made
        absolute (`..builder.HEADS` in mmcls/models/heads/ -> mmcls.models.builder.HEADS)."""
        name = self.qualified(node)
        if name is None or not name.startswith(".") or self.package is None:
            return name
        rest = name.lstrip(".")
        return absolute(self.package, len(name) - len(rest), rest)

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


FORK_PACKAGES = ("mmcls", "mmselfsup")


def fork_package(path: Optional[PurePath]) -> Optional[List[str]]:
    """The package a file inside an mmcls or mmselfsup tree belongs to, from its path
    (`x/mmcls/models/heads/my_head.py` -> mmcls.models.heads): where its relative imports start."""
    if path is None:
        return None
    parts = list(PurePath(path).parts)
    index = max((i for i, p in enumerate(parts) if p in FORK_PACKAGES), default=None)
    if index is None:
        return None
    mod = parts[index:]
    mod[-1] = mod[-1].rsplit(".", 1)[0]
    return mod[:-1]  # both for x.py and __init__.py the package is the folder


def absolute(package: List[str], level: int, module: Optional[str]) -> Optional[str]:
    """The module `from <level dots><module> import ...` names in `package`; None above its top."""
    if level > len(package):
        return None
    base = package[: len(package) - level + 1]
    return ".".join(base + ([module] if module else []))
