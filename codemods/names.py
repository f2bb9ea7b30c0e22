"""Names a module uses but never binds: how a declined hunk can leave a dangling name.

Module-wide and deliberately rough (no scopes): it is only used to compare two versions of the
same file, so a name reported for the assembled text but not for the original is one that a
partial review broke.
"""
from __future__ import annotations

import ast
import builtins
from typing import Set

BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__path__",
                                       "__loader__", "__package__", "__builtins__", "__annotations__"}


def unbound_names(text: str) -> Set[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    used, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return set()  # a star import may bind anything
    return used - bound - BUILTINS


def dangling(old: str, assembled: str) -> Set[str]:
    """Names unbound in `assembled` that were fine in `old`."""
    return unbound_names(assembled) - unbound_names(old)
