"""The config model: read a config's keys statically, write new keys the way MMPretrain does.

How a config rule uses it::

    from codemods.config import MISSING, for_rule, override, replace_keys

    def transform(self, module, ctx):
        cfg = for_rule(module, ctx.path)          # top-level keys + `_base_` files from disk
        old = cfg.merged("optimizer")            # base values merged with this file's (MMEngine merge)
        if cfg.local("optimizer") is MISSING:    # only migrate keys this file writes
            return module
        full = convert(old)                      # the rule's own 0.x -> 1.x conversion
        base = convert(cfg.inherited("optimizer"))  # what the migrated bases will hold
        value = override(base, full)             # smallest child value giving `full` after merge
        ctx.record(self.id)
        return replace_keys(module, ["optimizer"], [("optim_wrapper", value)])

- `local(key)` / `inherited(key)` / `merged(key)`: plain Python values (dict, list, tuple, str,
  numbers, None). `MISSING` when nobody sets the key; `Unknown(node)` for what cannot be read
  without running code (calls, unknown names); `has_unknown(v)` tells if any part is unknown.
  Keys built by control flow or changed in place (`x['a'] = 1`, `x.update()`) are in `cfg.dynamic`
  and read as Unknown: leave them alone with a TODO.
- Dicts/lists reached through a variable or `{{_base_.x}}` keep that expression in `.source`, and
  the builders print them back as the same reference while they are unchanged; `plain(v)` drops it
  before you change a value.
- `_delete_=True` is an ordinary key in values; `merge`/`override` honour it, `override` adds it
  when keys of the base must go away.
- `cfg.bases_known()` is False when a `_base_` entry cannot be read (package paths, missing files):
  then partial overrides cannot be resolved and a rule should add a TODO instead of guessing.
- `replace_keys(module, old_keys, [(new_key, value), ...])` removes `old_keys`, puts the new
  assignments where the first of them was (comments kept) or rewrites a new key in place;
  `to_code(value)` / `to_expr(value)` print values as MMPretrain's configs do.
- `codemods.config.keys` is the one 0.x -> 1.x key-path mapping shared with script rules
  (tests/config/test_keys.py checks that the MMC4 rules put every mapped value where it says).

For a new key fed by old keys, `codemods.config.derive` does all of the above for you: subclass
`Derived` (key, sources, reads, `convert(old, notes)`, optionally `reverse(new)`) and call
`derive.apply(module, ctx.path, rule_id, [spec...], ctx)`. Every file of a `_base_` tree then
writes exactly what its migrated bases do not already give (see MMC401-MMC415).
"""
from codemods.config.build import to_code, to_expr
from codemods.config.edit import assignment, insert_after, remove_keys, replace_keys, statement_of
from codemods.config.merge import DELETE, merge, override, same
from codemods.config.model import ConfigFile, assign_target, clear_cache, for_rule, load
from codemods.config.values import MISSING, CfgDict, CfgList, Unknown, has_unknown, plain

__all__ = [
    "DELETE", "MISSING", "CfgDict", "CfgList", "ConfigFile", "Unknown", "assign_target",
    "assignment", "clear_cache", "for_rule", "has_unknown", "insert_after", "load", "merge",
    "override", "plain", "remove_keys", "replace_keys", "same", "statement_of", "to_code", "to_expr",
]
