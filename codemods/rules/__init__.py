"""Rule registry.

Every module in this package that defines `Rule` subclasses is discovered. The order in which
rules run is fixed by `ORDER` (rule ids); rules not listed there run after them, sorted by id.
The order matters: imports are renamed before API rules read them; config keys are migrated
before the rules that refine their values.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import List

from codemods.rule import Rule

# The documented order. Earlier rules' output is later rules' input.
ORDER = [
    "MMC101",  # module renames mmcls.* -> mmpretrain.*
]


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


@lru_cache(maxsize=None)
def all_rules() -> tuple:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    rules = {}
    for cls in _all_subclasses(Rule):
        if getattr(cls, "id", None) and cls.__dict__.get("id"):
            rules[cls.id] = cls()
    rank = {rule_id: i for i, rule_id in enumerate(ORDER)}
    ordered = sorted(rules.values(), key=lambda r: (rank.get(r.id, len(ORDER)), r.id))
    return tuple(ordered)


def select_rules(select=(), ignore=()) -> List[Rule]:
    """Rules whose id starts with one of `select` (all if empty) and none of `ignore`."""
    chosen = []
    for rule in all_rules():
        if select and not any(rule.id.startswith(s) for s in select):
            continue
        if any(rule.id.startswith(i) for i in ignore):
            continue
        chosen.append(rule)
    return chosen


def get_rule(rule_id: str) -> Rule:
    for rule in all_rules():
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)
