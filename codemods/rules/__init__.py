"""Rule registry.

Every module in this package that defines `Rule` subclasses is discovered. The order in which
rules run is fixed by `ORDER`, a list of rule-id prefixes (families); within a family rules run
by id. The order matters:
- MMC2 (apis, utils) and MMC3 (models, heads) run first, while imports still name mmcls, so they
  can tell MMClassification's `inference_model` from a user's own;
- MMC1 (imports, registries, builders) then renames what is left;
- MMC4 (schedule, runtime config keys) runs before MMC5 (data, pipelines, evaluation): MMC4 reads
  `evaluation.interval`/`save_best`, MMC5 then replaces `evaluation` with evaluators;
- MMC6 (MMSelfSup configs) and MMC7 (scripts that read 0.x config keys) come last.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import List

from codemods.rule import Rule

# The documented order. Earlier rules' output is later rules' input.
ORDER = ["MMC2", "MMC3", "MMC1", "MMC4", "MMC5", "MMC6", "MMC7"]


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
        # Only rules shipped in this package: a test's throw-away Rule subclass is not registered.
        if cls.__module__.startswith(__name__ + ".") and cls.__dict__.get("id"):
            rules[cls.id] = cls()
    ordered = sorted(rules.values(), key=lambda r: (_rank(r.id), r.id))
    return tuple(ordered)


def _rank(rule_id: str) -> int:
    for i, prefix in enumerate(ORDER):
        if rule_id.startswith(prefix):
            return i
    return len(ORDER)


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
