"""LibCST's parser, without re-validating the nodes it builds.

LibCST validates every node as it is constructed (`CSTNode.__post_init__` calls `_validate`),
including each node its parser builds from source it has just accepted; LibCST's own source
notes that cost. Parser output is valid by construction, so `parse_module` switches the check
off for the duration of the parse: about a fifth of the parse time. Nodes the rules build are
still checked. On the CPython standard library both ways accept and reject the same files and
print the same text (tests/test_cstparse.py checks a sample).
"""
from __future__ import annotations

from typing import Union

import libcst as cst
from libcst._nodes.base import CSTNode

_CHECKED = CSTNode.__dict__.get("__post_init__")
# Only when the hook does nothing but validate (a LibCST that does more there is left alone).
_SKIPPABLE = _CHECKED is not None and getattr(_CHECKED, "__code__", None) is not None \
    and _CHECKED.__code__.co_names == ("_validate",)


def _unchecked(self) -> None:
    return None


def parse_module(text: Union[str, bytes]) -> cst.Module:
    if not _SKIPPABLE:
        return cst.parse_module(text)
    CSTNode.__post_init__ = _unchecked
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = _CHECKED
