"""New keys derived from old keys, migrated consistently across a `_base_` tree.

A `Derived` names one new key, the old keys it replaces (`sources`, removed where the rule runs)
and the old keys it only reads (`reads`, left for a later rule), and converts the *merged* old
values of a config into the *full* new value. From that, every file of a tree gets the same
treatment:

    migrated(file)  = merge(migrated(bases...), written(file))
    written(file)   = override(migrated(bases...), full(file))

so a leaf writes exactly what its migrated bases do not already give (nothing, a partial dict,
or the whole list), and a base that two leaves share is migrated once, the same way for both.
A file that no longer has the old keys (already migrated, or 1.x) keeps what it has.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

import libcst as cst

from codemods.config.edit import replace_keys, statement_of, todo_at
from codemods.config.merge import merge, override, same
from codemods.config.model import ConfigFile, for_rule
from codemods.config.values import MISSING, Unknown


class Derived:
    key: str = ""
    sources: Tuple[str, ...] = ()  # old keys this key replaces (removed)
    reads: Tuple[str, ...] = ()  # old keys only read (another rule removes them)
    needs: Tuple[str, ...] = ()  # one of these must be set for the key to exist (default: sources)

    def convert(self, old: Dict[str, object], notes: List[str]):
        """The full new value from merged old values (MISSING if they do not define it).

        Append to `notes` what a person must check or finish (becomes a TODO).
        """
        raise NotImplementedError

    def reverse(self, new) -> Dict[str, object]:
        """The old-key values that a file holding `new` (already in 1.x form) stands for, so a
        0.x child is still read right over a base that was migrated earlier. {} if unsure."""
        return {}

    def fit(self, inherited, written):
        """What a child writes over `inherited`; a key whose value may take two shapes (a dict
        or a list of them) adapts `written` to the base's shape here."""
        return written


# One base written plainly: `_base_ = 'x.py'` or `_base_ = ['x.py']`.
_ONE_BASE = re.compile(r"""^_base_\s*=\s*(?:(['"])[^'"\n]*\1|\[\s*(['"])[^'"\n]*\2\s*,?\s*\])\s*(?:#.*)?$""",
                       re.M)


def joins_bases(text: str) -> bool:
    """May this config join two or more `_base_` files? (No only for one plainly written base
    and no other mention of `_base_`.)"""
    return "_base_" in text and not (text.count("_base_") == 1 and _ONE_BASE.search(text))


class FromBases:
    """For a config rule made of `Derived` specs (`specs()`), whose `_base_` trigger is there
    because a leaf may join keys of two bases (optimizer in one, fp16 in another). A file with
    one base that sets none of the specs' keys inherits its migrated base as it is (`apply`
    writes nothing there), so its `_base_` alone does not make it a candidate."""

    def specs(self) -> List["Derived"]:
        raise NotImplementedError

    def applies_to(self, kind: str, text: str) -> bool:
        if not super().applies_to(kind, text):  # type: ignore[misc]
            return False
        return joins_bases(text) or any(key in text for key in self.own_keys())

    def own_keys(self) -> Tuple[str, ...]:
        found = self.__dict__.get("_own_keys")  # asked for every config file the prefilter reads
        if found is None:
            keys = [t for t in self.triggers if t != "_base_"]  # type: ignore[attr-defined]
            for spec in self.specs():
                keys += [spec.key, *spec.sources, *spec.reads, *spec.needs]
            found = self.__dict__["_own_keys"] = tuple(dict.fromkeys(k for k in keys if k))
        return found


@dataclass
class Outcome:
    key: str
    written: object  # MISSING: nothing to write
    current: object
    local_sources: List[str]
    notes: List[str] = field(default_factory=list)
    failed: bool = False  # the file sets old keys but the new value could not be built

    @property
    def changed(self) -> bool:
        if self.local_sources:
            return True
        return self.written is not MISSING and not same(self.written, self.current)


def _cache(cfg: ConfigFile) -> dict:
    if not hasattr(cfg, "_derived"):
        cfg._derived = {}
    return cfg._derived


def migrated(cfg: ConfigFile, spec: Derived):
    """What `spec.key` holds in `cfg` (bases included) once the whole tree is migrated."""
    cache = _cache(cfg)
    if spec.key not in cache:
        cache[spec.key] = MISSING  # a cycle reads as nothing
        inherited = inherited_migrated(cfg, spec)
        cache[spec.key] = merge(inherited, written(cfg, spec, inherited, []))
    return cache[spec.key]


def inherited_migrated(cfg: ConfigFile, spec: Derived):
    value = MISSING
    for base in cfg.bases():
        if base is not None:
            found = migrated(base, spec)
            if found is not MISSING:
                value = found if value is MISSING else merge(value, found)
    return value


def old_merged(cfg: ConfigFile, spec: Derived, key: str):
    """The merged 0.x value of `key`, with bases that are already 1.x read back through
    `spec.reverse`."""
    cache = _cache(cfg)
    slot = (spec.key, key)
    if slot not in cache:
        cache[slot] = MISSING  # a cycle reads as nothing
        value = MISSING
        for base in cfg.bases():
            if base is not None:
                found = old_merged(base, spec, key)
                if found is not MISSING:
                    value = found if value is MISSING else merge(value, found)
        cache[slot] = merge(value, _old_local(cfg, spec, key))
    return cache[slot]


def _old_local(cfg: ConfigFile, spec: Derived, key: str):
    local = cfg.local(key)
    if local is not MISSING or key not in (*spec.sources, *spec.reads):
        return local
    if any(k in cfg.statements for k in spec.sources):
        return MISSING  # this file is still 0.x for this key
    new = cfg.local(spec.key)
    if new is MISSING or isinstance(new, Unknown):
        return MISSING
    return spec.reverse(new).get(key, MISSING)


def full(cfg: ConfigFile, spec: Derived, notes: List[str]):
    # Only a tree that really has 0.x keys is migrated: a 1.x tree is left as it is. A 0.x key
    # this file reads (`evaluation`) counts too when its bases are already 1.x.
    required = spec.needs or spec.sources
    has_old = any(cfg.has(key) for key in required)
    if not has_old and not any(key in cfg.statements for key in spec.reads):
        return MISSING
    keys = dict.fromkeys((*spec.sources, *spec.reads, *spec.needs))
    old = {key: old_merged(cfg, spec, key) for key in keys}
    if all(old[key] is MISSING for key in required):
        return MISSING
    unreadable = [k for k in spec.sources if isinstance(old[k], Unknown)]
    if unreadable:
        # Its content would be lost if the key were replaced: leave it to a person.
        notes.append(f"{', '.join(unreadable)} cannot be read without running code; "
                     f"write `{spec.key}` by hand")
        return MISSING
    value = spec.convert(old, notes)
    local_new = cfg.local(spec.key)
    if value is MISSING or local_new is MISSING or isinstance(local_new, Unknown) or spec.key in keys:
        return value
    return merge(value, local_new)  # what the user already wrote in 1.x form wins


def written(cfg: ConfigFile, spec: Derived, inherited, notes: List[str]):
    value = full(cfg, spec, notes)
    if value is MISSING:
        return cfg.local(spec.key)
    return spec.fit(inherited, override(inherited, value))


def dynamic_sources(cfg: ConfigFile, spec: Derived) -> List[str]:
    return [k for k in spec.sources if k in cfg.dynamic]


def outcome(cfg: ConfigFile, spec: Derived) -> Outcome:
    notes: List[str] = []
    local_sources = [k for k in spec.sources if k in cfg.statements]
    inherited = inherited_migrated(cfg, spec)
    value = full(cfg, spec, notes)
    if value is MISSING:
        if local_sources and not notes:
            notes.append(f"could not build `{spec.key}` from {', '.join(local_sources)}; "
                         "write it by hand")
        return Outcome(spec.key, MISSING, cfg.local(spec.key), [], notes, failed=bool(local_sources))
    written = spec.fit(inherited, override(inherited, value))
    return Outcome(spec.key, written, cfg.local(spec.key), local_sources, notes)


def apply(module: cst.Module, path, rule_id: str, specs: Sequence[Derived], ctx=None) -> cst.Module:
    """Migrate `specs` (keys of one rule, written together in this order) in `module`."""
    cfg = for_rule(module, path)
    blocked = sorted({k for spec in specs for k in dynamic_sources(cfg, spec)})
    if blocked:
        return _todo_on(module, blocked[0], rule_id,
                        f"{', '.join(blocked)} built or changed by code; migrate by hand")
    outcomes = [outcome(cfg, spec) for spec in specs]
    # A key that one spec could not build from keeps its old keys, even if another spec used them.
    kept = {k for spec, o in zip(specs, outcomes) if o.failed for k in spec.sources}
    old = [k for o in outcomes for k in o.local_sources if k not in kept]
    new = [(o.key, o.written) for o in outcomes if o.changed and o.written is not MISSING]
    if old or new:
        module = replace_keys(module, dict.fromkeys(old), new)
        if ctx is not None:
            ctx.record(rule_id, len(new) or 1)
    touched = [o.key for o in outcomes if o.local_sources]
    if touched and not cfg.bases_known():
        names = ", ".join(cfg.unreadable_bases())
        module = _todo_on(module, "_base_", rule_id, f"`_base_` file {names} could not be read; "
                          f"check {', '.join(touched)} against it")
    for spec, o in zip(specs, outcomes):
        for note in o.notes:
            module = _todo_on(module, _place(module, spec, specs), rule_id, note)
    return module


def _place(module, spec: Derived, specs: Sequence[Derived]):
    """Where a note about `spec` goes: its new key, else its old keys, else the rule's keys."""
    for key in (spec.key, *spec.sources, *(k for s in specs for k in (*s.sources, s.key))):
        if statement_of(module, key) is not None:
            return key
    return None


def _todo_on(module: cst.Module, key, rule_id: str, message: str) -> cst.Module:
    return todo_at(module, key, rule_id, message)
