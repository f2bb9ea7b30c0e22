"""MMC606/MMC607: MMSelfSup's own optimizer settings, after the schedule rules (MMC401) ran.

- MMC606 `optimizer.paramwise_options` (mmselfsup 0.11 `core/optimizer/constructor.py`: regular
  expressions searched in parameter names; `x_mult` multiplies the optimizer's `x`, other keys
  are set as they are, e.g. `weight_decay=0.`, `lars_exclude=True`) -> MMEngine's
  `optim_wrapper.paramwise_cfg.custom_keys` (substrings; `lr_mult`, `decay_mult`, other keys set
  on the parameter group). A key that is a real regular expression gets a TODO, except the
  ResNet norm-layer pattern, written as MMPretrain 1.2's BYOL config writes it.
- MMC607 MMSelfSup's DistOptimizerHook options: an empty `optimizer_config = dict()` goes (the
  default OptimWrapper); `update_interval=n` ->
  `optim_wrapper.accumulative_counts=n`; `frozen_layers_cfg` -> the SwAVHook's argument of the
  same name (1.2 freezes the prototypes there).
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

import libcst as cst

from codemods.config import MISSING, CfgDict, ConfigFile, assignment, plain, replace_keys
from codemods.config.model import assign_target, load, remember_original
from codemods.rule import CONFIG, Context, Rule
from codemods.rules.selfsup import _todos_on

#: regular expressions of MMSelfSup configs -> the substrings MMPretrain 1.2's ports use
KNOWN_PATTERNS = {r"(bn|gn)(\d+)?.(weight|bias)": ["bn", "gn", "downsample.1"]}
REGEX_CHARS = re.compile(r"[()|\\?*+\[\]^$]")
#: a key anchored at the start of the name (`\\Ahead.`): the substring matches the same parameters
#: in MMPretrain models, whose top-level modules are backbone/neck/head
ANCHORED = re.compile(r"^(\\A|\^)([\w.]+)$")
#: MMEngine paramwise_cfg options some MMSelfSup configs wrote inside paramwise_options
PARAMWISE_OPTIONS = {"norm_decay_mult", "bias_decay_mult", "bias_lr_mult", "dwconv_decay_mult",
                     "flat_decay_mult", "dcn_offset_lr_mult", "bypass_duplicate"}


def _options(options: dict, base_wd, todos: List[str], key: str) -> dict:
    out = CfgDict()
    for name, value in options.items():
        if name == "weight_decay":
            if value == 0:
                out["decay_mult"] = 0.0
            elif isinstance(base_wd, (int, float)) and base_wd:
                out["decay_mult"] = value / base_wd
            else:
                todos.append(f"paramwise_options[{key!r}]: weight_decay={value} -> decay_mult "
                             "(a multiple of the optimizer's weight_decay)")
        elif name == "weight_decay_mult":
            out["decay_mult"] = value
        elif name in ("lr", "momentum_mult"):
            todos.append(f"paramwise_options[{key!r}]: {name}={value} -> lr_mult / momentum (MMEngine "
                         "custom_keys take a multiple of the lr, an absolute momentum)")
        else:
            out[name] = value  # lr_mult, decay_mult, lars_exclude, ... as they were
    return out


def custom_keys(options: dict, base_wd, todos: List[str]) -> Tuple[dict, dict]:
    """paramwise_options -> (custom_keys, other paramwise_cfg options), TODOs for the rest."""
    out, general = CfgDict(), CfgDict()
    for key, value in options.items():
        if key in PARAMWISE_OPTIONS and not isinstance(value, dict):
            general[key] = value
            continue
        if not isinstance(value, dict):
            todos.append(f"paramwise_options[{key!r}] is not a dict of options; move it to "
                         "optim_wrapper.paramwise_cfg")
            continue
        converted = _options(value, base_wd, todos, key)
        anchored = ANCHORED.match(key) if isinstance(key, str) else None
        if key in KNOWN_PATTERNS:
            out.update({k: dict(converted) for k in KNOWN_PATTERNS[key]})
        elif anchored:
            out[anchored.group(2)] = converted
        elif isinstance(key, str) and REGEX_CHARS.search(key):
            todos.append(f"paramwise_options key {key!r} is a regular expression; custom_keys "
                         "match substrings of parameter names: list the names")
        else:
            out[key] = converted
    return out, general


def _base_weight_decay(cfg: ConfigFile):
    wrapper = cfg.merged("optim_wrapper")
    optimizer = wrapper.get("optimizer") if isinstance(wrapper, dict) else MISSING
    if not isinstance(optimizer, dict) or "weight_decay" not in optimizer:
        optimizer = cfg.merged("optimizer")  # a 0.x base read from disk
    return plain(optimizer.get("weight_decay")) if isinstance(optimizer, dict) else None


OLD_CONSTRUCTOR = "TransformerFinetuneConstructor"
NEW_CONSTRUCTOR = "LearningRateDecayOptimWrapperConstructor"


def layer_decay(wrapper: CfgDict, constructor) -> bool:
    """MMSelfSup's TransformerFinetuneConstructor (`model_type` and `layer_decay` in the
    optimizer) -> MMPretrain 1.2's LearningRateDecayOptimWrapperConstructor (`layer_decay_rate`
    in paramwise_cfg; it reads the layers from the backbone, so `model_type` goes). `constructor`
    is the merged one: a leaf may only set the optimizer. True if `wrapper` changed."""
    if constructor not in (OLD_CONSTRUCTOR, NEW_CONSTRUCTOR):
        return False
    changed = wrapper.get("constructor") == OLD_CONSTRUCTOR
    if changed:
        wrapper["constructor"] = NEW_CONSTRUCTOR
    taken = _take_from_optimizer(wrapper, ("layer_decay", "model_type"))
    if "layer_decay" in taken:
        _paramwise_cfg(wrapper)["layer_decay_rate"] = taken["layer_decay"]
    return changed or bool(taken)


def _take_from_optimizer(wrapper: CfgDict, keys) -> dict:
    """Take `keys` out of the wrapper's optimizer (dropped when nothing is left: an override that
    only had them); their values."""
    optimizer = wrapper.get("optimizer")
    if not isinstance(optimizer, dict) or not any(k in optimizer for k in keys):
        return {}
    wrapper["optimizer"] = CfgDict({k: v for k, v in optimizer.items() if k not in keys})
    if not wrapper["optimizer"]:
        del wrapper["optimizer"]
    return {k: optimizer[k] for k in keys if k in optimizer}


def _paramwise_cfg(wrapper: CfgDict) -> CfgDict:
    """The wrapper's paramwise_cfg, as a new dict to change."""
    wrapper["paramwise_cfg"] = CfgDict(wrapper.get("paramwise_cfg") or {})
    return wrapper["paramwise_cfg"]


class ParamwiseOptions(Rule):
    id = "MMC606"
    title = ("MMSelfSup optimizer options: paramwise_options -> paramwise_cfg.custom_keys, "
             "layer_decay -> LearningRateDecayOptimWrapperConstructor")
    kind = CONFIG
    guide = "从 MMSelfSup 0.x 迁移 / 配置文件 / 优化器及调度"
    triggers = ("paramwise_options", OLD_CONSTRUCTOR, "layer_decay")
    before = """\
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=4e-3, weight_decay=0.05, model_type='vit', layer_decay=0.65,
                   paramwise_options={'bias': dict(weight_decay=0.), 'pos_embed': dict(weight_decay=0.)}),
    constructor='TransformerFinetuneConstructor')
"""
    after = """\
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=4e-3, weight_decay=0.05),
    constructor='LearningRateDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        custom_keys=dict(bias=dict(decay_mult=0.0), pos_embed=dict(decay_mult=0.0)),
        layer_decay_rate=0.65,
    ),
)
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        cfg = ConfigFile(module, ctx.path)
        wrapper = cfg.local("optim_wrapper")
        if not isinstance(wrapper, dict):
            return module
        new, todos = CfgDict(wrapper), []
        changed = _paramwise_options(new, cfg, todos)
        merged = cfg.merged("optim_wrapper")
        changed |= layer_decay(new, merged.get("constructor") if isinstance(merged, dict) else None)
        if not changed:
            return module
        ctx.record(self.id)
        module = replace_keys(module, ["optim_wrapper"], [("optim_wrapper", new)])
        return _todos_on(module, ["optim_wrapper"], todos, self.id)


def _paramwise_options(wrapper: CfgDict, cfg: ConfigFile, todos: List[str]) -> bool:
    optimizer = wrapper.get("optimizer")
    if not isinstance(optimizer, dict) or not isinstance(optimizer.get("paramwise_options"), dict):
        return False
    keys, general = custom_keys(optimizer["paramwise_options"], _base_weight_decay(cfg), todos)
    _take_from_optimizer(wrapper, ("paramwise_options",))
    paramwise = _paramwise_cfg(wrapper)
    paramwise.update(general)
    if keys:
        paramwise["custom_keys"] = CfgDict({**(paramwise.get("custom_keys") or {}), **keys})
    return True


# ---------------------------------------------------------------- MMC607


def _original_hook(module: cst.Module, path) -> Optional[dict]:
    """The file's own 0.x `optimizer_config` (the schedule rules have removed it by now)."""
    loaded = load(path) if path is not None else None
    config = loaded if loaded is not None else ConfigFile(module, path)
    hook = config.local("optimizer_config")
    return hook if isinstance(hook, dict) else None


def _drop_todo_about(module: cst.Module, words: List[str]) -> cst.Module:
    """Remove MMC401's TODO lines that name only options this rule migrated."""
    body = []
    for stmt in module.body:
        lines = getattr(stmt, "leading_lines", [])
        kept = [line for line in lines if not _only_about(line, words)]
        body.append(stmt.with_changes(leading_lines=kept) if len(kept) != len(lines) else stmt)
    return module.with_changes(body=body)


def _only_about(line, words: List[str]) -> bool:
    text = line.comment.value if line.comment else ""
    match = re.search(r"MMC401 optimizer_config options (.+?) were not migrated", text)
    return bool(match) and set(match.group(1).split(", ")) <= set(words)


class DistOptimizerHookOptions(Rule):
    id = "MMC607"
    title = "MMSelfSup optimizer_config update_interval / frozen_layers_cfg -> accumulative_counts / SwAVHook"
    kind = CONFIG
    guide = "从 MMSelfSup 0.x 迁移 / 配置文件 / 优化器及调度"
    triggers = ("update_interval", "frozen_layers_cfg", "optimizer_config")
    # (with MMC401, which writes optim_wrapper first)
    before = """\
optimizer = dict(type='SGD', lr=0.1)
optimizer_config = dict(update_interval=4)
"""
    after = """\
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1), accumulative_counts=4)
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        remember_original(module, ctx.path)
        cfg = ConfigFile(module, ctx.path)
        current = cfg.local("optimizer_config")
        if current == {}:
            return _drop_empty_hook(module, ctx, self.id)
        kept = isinstance(current, dict)  # the schedule rule kept it for options it cannot place
        hook = current if kept else _original_hook(module, ctx.path) if current is MISSING else None
        if not isinstance(hook, dict) or (kept and not set(hook) <= MINE):
            return module
        new, resolved = _migrate(module, cfg, hook)
        if kept and set(resolved) != set(hook):
            return module  # something is left for a person: keep the whole key with its TODO
        new = _drop_todo_about(new, resolved)
        if kept:
            new = _drop_empty_hook(new, ctx, self.id)
        if not new.deep_equals(module):
            ctx.record(self.id)
        return new


#: the DistOptimizerHook options this rule places
MINE = {"update_interval", "frozen_layers_cfg"}


def _migrate(module: cst.Module, cfg: ConfigFile, hook: dict):
    """(module, options placed): accumulative_counts, SwAVHook(frozen_layers_cfg)."""
    resolved: List[str] = []
    interval = plain(hook.get("update_interval", 1))
    if isinstance(interval, int) and interval >= 1:
        if interval > 1:
            module = _set_accumulation(module, cfg, interval)
        resolved.append("update_interval")  # 1 is no accumulation: nothing to write
    frozen = hook.get("frozen_layers_cfg")
    if isinstance(frozen, dict) and frozen:
        module, done = _swav_frozen(module, frozen)
        resolved += ["frozen_layers_cfg"] if done else []
    return module, resolved


def _drop_empty_hook(module: cst.Module, ctx: Context, rule_id: str) -> cst.Module:
    """`optimizer_config = dict()` (MMSelfSup's runtime default: a DistOptimizerHook without
    options) is MMEngine's default OptimWrapper: nothing to write, in a file without `optimizer`
    too (where the schedule rule asked to move it next to the optimizer). Also removes one whose
    options this rule has placed."""
    body = [s for s in module.body if assign_target(s) != "optimizer_config"]
    if len(body) == len(module.body):
        return module
    ctx.record(rule_id)
    removed = next(s for s in module.body if assign_target(s) == "optimizer_config")
    index = module.body.index(removed)
    kept = [line for line in removed.leading_lines
            if not (line.comment and "TODO(mmcodemod): MMC401" in line.comment.value)]
    if index < len(body):
        body[index] = body[index].with_changes(leading_lines=[*kept, *body[index].leading_lines])
    return module.with_changes(body=body)


def _set_accumulation(module, cfg: ConfigFile, counts: int):
    wrapper = cfg.local("optim_wrapper")
    if isinstance(wrapper, dict):
        return replace_keys(module, ["optim_wrapper"], [("optim_wrapper", CfgDict(wrapper, accumulative_counts=counts))])
    # an override of the base's optim_wrapper, where the 0.x hook was
    return insert_before(module, "optimizer_config", "optim_wrapper", {"accumulative_counts": counts})


def insert_before(module: cst.Module, anchor: str, key: str, value) -> cst.Module:
    index = next((i for i, s in enumerate(module.body) if assign_target(s) == anchor), len(module.body))
    stmt = assignment(key, value)
    return module.with_changes(body=[*module.body[:index], stmt, *module.body[index:]])


def _swav_frozen(module, frozen: dict):
    cfg = ConfigFile(module, None)
    hooks = cfg.local("custom_hooks")
    if not isinstance(hooks, list) or not any(plain(h.get("type")) == "SwAVHook"
                                              for h in hooks if isinstance(h, dict)):
        return module, False
    new = [CfgDict(h, frozen_layers_cfg=frozen)
           if isinstance(h, dict) and plain(h.get("type")) == "SwAVHook" else h for h in hooks]
    return replace_keys(module, ["custom_hooks"], [("custom_hooks", new)]), True
