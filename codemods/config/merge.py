"""MMEngine's merge of a child value into its base value, and the inverse: the smallest override.

`merge(base, override)` is what `mmengine.Config` does with a key a child sets again: dicts merge
key by key unless the child's dict has `_delete_=True`; anything else (lists included) replaces.
`override(base, full)` returns a value `o` with `merge(base, o) == full` (MISSING when equal), so a
rule can compute the full migrated value and write only what differs from the migrated base.
"""
from __future__ import annotations

from codemods.config.values import MISSING, CfgDict, Unknown

DELETE = "_delete_"


def merge(base, child):
    if child is MISSING:
        return base
    if not isinstance(child, dict):
        return child
    if child.get(DELETE) is True or not isinstance(base, dict):
        return _without_delete(child)  # also with no base at all: MMEngine drops the flag
    out = dict(base)
    for key, value in child.items():
        if key == DELETE:
            continue
        out[key] = merge(base.get(key, MISSING), value)
    return out


def _without_delete(value):
    if not isinstance(value, dict):
        return value
    out = {k: _without_delete(v) if isinstance(v, dict) else v for k, v in value.items() if k != DELETE}
    if isinstance(value, CfgDict) and DELETE not in value:
        out = CfgDict(out)
        out.source = value.source
    return out


def override(base, full):
    """The value a child writes so that merging it into `base` gives `full`."""
    if base is MISSING:
        return full
    if same(base, full):
        return MISSING
    if not (isinstance(base, dict) and isinstance(full, dict)):
        return full
    if any(key not in full for key in base):
        # Keys must disappear: only `_delete_=True` with the whole value does that.
        return {DELETE: True, **full}
    out = {}
    for key, value in full.items():
        sub = override(base.get(key, MISSING), value)
        if sub is not MISSING:
            out[key] = sub
    return out


def same(a, b) -> bool:
    """Equal as MMEngine sees it (tuples and lists alike)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return isinstance(a, Unknown) and a == b
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    if _number(a) and _number(b):
        return a == b
    return isinstance(a, str) and isinstance(b, str) and a == b


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
