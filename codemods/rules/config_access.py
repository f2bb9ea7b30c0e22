"""MMC701: scripts that read or write 0.x config keys (`cfg.runner.max_epochs = n`) -> the 1.x keys.

The key paths come from `codemods.config.keys`, the mapping the config rules use, so a script and
the configs it loads agree once both are migrated. Only objects known to be configs are touched:
names bound from `Config.fromfile(...)` / `Config(...)` (mmcv or mmengine), copies of them, names
passed through `cfg = f(cfg, ...)`, `model.cfg` / `model._config` / `self.cfg` /
`init_model(...).cfg`, and parameters named `cfg` or `config`, in files that import an OpenMMLab
package. An attribute `data` on anything else is not a config key. Runs last (after MMC1/MMC2 have
renamed imports and `model.cfg`).

Accesses: attribute chains, string subscripts, `.get('k', d)`, `.pop`, `.setdefault`,
`hasattr`/`getattr`/`setattr`, `'k' in cfg`, `del`, plain and augmented assignment, in the form the
user wrote them. A 0.x key that became several 1.x keys (`data.samples_per_gpu` -> every
dataloader's `batch_size`) is set on all of them and read from the first; `resume_from` also sets
`resume` (`keys.EXTRA_SETS`). A dict literal assigned to a 0.x key that has no 1.x key of its own
is split into one assignment per mapped sub-key (`cfg.evaluation.metric_options = {'topk': k}`
-> `cfg.val_evaluator.topk = k`); whole `lr_config`, `runner` and `evaluation` dicts are converted
by the config rules' own conversions. 0.x `data_prefix` (the data folder) becomes `data_root` with
an empty `data_prefix`, as 1.2 datasets join them. What has no 1.x key (`gpu_ids`, `workflow`,
`lr_config.step`, `cfg.data[split]`) is left as it is with a TODO that says what to write instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from codemods.config.build import to_code
from codemods.config.keys import EXTRA_SETS, KEY_MAP, TODO_KEYS
from codemods.config.values import MISSING, Evaluator, Unknown, has_unknown
from codemods.importmap import ImportMap, dotted
from codemods.walk import EXPRESSION_PARTS, LEAVES, look
from codemods.rule import CODE, Context, Rule
from codemods.rules._calls import visit_only
from codemods.rules.config_eval import convert_metrics
from codemods.rules.config_schedule import ParamSchedulerKey, TrainCfgKey
from codemods.todo import TodoTransformer

RULE_ID = "MMC701"
RESUME = "resume_from"  # read as load_from it would mean something else: reads get a TODO

OPENMMLAB = ("mmcv", "mmcls", "mmengine", "mmpretrain", "mmselfsup")
CONFIG_CLASSES = {
    "mmcv.Config", "mmcv.utils.Config", "mmcv.utils.config.Config",
    "mmengine.Config", "mmengine.config.Config", "mmengine.config.config.Config",
}
CONFIG_CALLS = CONFIG_CLASSES | {f"{c}.{m}" for c in CONFIG_CLASSES for m in ("fromfile", "fromstring")}
CONFIG_PARAMS = ("cfg", "config")

# Top-level 0.x keys: an access that starts with none of them is 1.x-valid and left alone.
OLD_HEADS = frozenset(k.split(".")[0] for k in [*KEY_MAP, *TODO_KEYS])

_PACKAGES = re.compile(r"\b(?:%s)\b" % "|".join(OPENMMLAB))
_HEADS = re.compile(r"\b(?:%s)\b" % "|".join(sorted(OLD_HEADS)))

# What a whole 0.x key became, for the TODO when a script reads or replaces all of it.
WHOLE_KEY_HELP = {
    "data": "`data` was split into train_dataloader / val_dataloader / test_dataloader "
            "(batch_size, num_workers, dataset=...)",
    "evaluation": "`evaluation` was split: metrics -> val_evaluator / test_evaluator, interval -> "
                  "train_cfg.val_interval, save_best -> default_hooks.checkpoint.save_best",
    "runner": "`runner` became train_cfg (by_epoch, max_epochs or max_iters, val_interval)",
    "optimizer_config": "`optimizer_config` was merged into optim_wrapper (clip_grad, "
                        "accumulative_counts, type='AmpOptimWrapper' for fp16)",
    "log_config": "`log_config` became default_hooks.logger (interval) and visualizer.vis_backends",
    "fp16": "`fp16` became optim_wrapper.type='AmpOptimWrapper' with loss_scale",
}

# lr_config fields -> (scheduler types that hold them in `param_scheduler`, their 1.x name).
LR_FIELDS = {
    "step": (("MultiStepLR",), "milestones"),
    "gamma": (("MultiStepLR", "StepLR", "ExponentialLR"), "gamma"),
    "min_lr": (("CosineAnnealingLR", "PolyLR"), "eta_min"),
    "min_lr_ratio": (("CosineAnnealingLR",), "eta_min_ratio"),
    "power": (("PolyLR",), "power"),
    "warmup_ratio": (("LinearLR",), "start_factor"),
    "warmup_iters": (("LinearLR",), "end"),
}
DATA_PREFIX_NOTE = ("0.x data_prefix (the data folder) is data_root in 1.2, where data_prefix and "
                    "ann_file are relative to data_root: check ann_file; VOC and CUB keep their "
                    "default data_prefix")

ANN_FILE_NOTE = ("1.2 datasets read ann_file relative to data_root (0.x: to the working directory): "
                 "give a path relative to data_root or an absolute one")
PIPELINE_INDEX_NOTE = ("a transform picked by its place in a 0.x pipeline: 1.2 pipelines have other "
                       "steps (no Normalize, ImageToTensor/ToTensor or Collect; PackInputs last), so "
                       "this place may hold another transform: pick it by its type")
OLD_DATASET_NOTE = ("this dataset has 0.x arguments: write them as MMPretrain 1.2 takes them "
                    "(data_root, data_prefix relative to it, split for CIFAR/MNIST)")


# -- key paths ----------------------------------------------------------------------------------
TODO_ADDED = "todo"  # an access that could not be rewritten got a TODO


@dataclass
class Plan:
    """What a 0.x key path becomes: 1.x paths, or a TODO message when there is none."""

    paths: List[List[str]] = field(default_factory=list)
    todo: Optional[str] = None


def plan_for(keys: Sequence[str]) -> Optional[Plan]:
    """None for a 1.x-valid path; else the new paths (longest mapped prefix) or a TODO."""
    if not keys or keys[0] not in OLD_HEADS:
        return None
    for cut in range(len(keys), 0, -1):
        head = ".".join(keys[:cut])
        if head in TODO_KEYS:
            return Plan(todo=_todo_message(keys, TODO_KEYS[head]))
        if head in KEY_MAP:
            rest = list(keys[cut:])
            return Plan(paths=[[*new.split("."), *rest] for new in KEY_MAP[head]])
    return Plan(todo=WHOLE_KEY_HELP.get(keys[0], f"`{keys[0]}` has no 1.x key"))


def _todo_message(keys: Sequence[str], message: str) -> str:
    if keys[0] == "lr_config" and len(keys) > 1 and keys[1] in LR_FIELDS:
        types, name = LR_FIELDS[keys[1]]
        return (f"lr_config.{keys[1]} is `{name}` of the {' or '.join(types)} entry of the list "
                f"param_scheduler now")
    return message


def _lr_hint(keys: Sequence[str], root: str, value: cst.BaseExpression) -> str:
    """The code to write for `<root>.lr_config.<field> = value`."""
    types, name = LR_FIELDS[keys[1]]
    if keys[1] == "step" and isinstance(value, cst.Integer):  # one step size, not milestones
        types, name = ("StepLR",), "step_size"
    code = _code(value)
    code = code if len(code) <= 40 and "\n" not in code else "<value>"
    kinds = repr(types[0]) if len(types) == 1 else repr(types)
    test = f"s['type'] == {kinds}" if len(types) == 1 else f"s['type'] in {kinds}"
    after = ("; the scheduler after the warmup begins there too (its `begin`)"
             if keys[1] == "warmup_iters" else "")
    return (f"lr_config is the list param_scheduler in 1.x; write: for s in {root}.param_scheduler: "
            f"if {test}: s['{name}'] = {code}{after}")


def _message(plan: Plan, keys: Sequence[str]) -> str:
    """The TODO for an access that cannot be rewritten in place."""
    if plan.todo is not None:
        return plan.todo
    if keys[0] == RESUME:
        return f"`{keys[0]}` was removed: 1.x resumes from load_from when resume=True"
    joined = " and ".join(".".join(p) for p in plan.paths)
    return f"`{'.'.join(keys)}` is {joined} in 1.x: change each of them"


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


# -- which names are configs --------------------------------------------------------------------
PARAM = "param"
OTHER = "other"


class _Bindings(cst.CSTVisitor):
    """Every binding of every name, per scope: the value of `name = value`, PARAM or OTHER."""

    def __init__(self) -> None:
        super().__init__()
        self.names: Dict[cst.CSTNode, Dict[str, list]] = {}
        self.parent: Dict[cst.CSTNode, Optional[cst.CSTNode]] = {}
        self.stack: List[cst.CSTNode] = []
        self.globals: Dict[cst.CSTNode, set] = {}  # per scope: names declared `global` there

    # Names are bound by statements; not descending into expressions halves the cost. (A
    # lambda's parameters and `:=` inside expressions are not seen: their configs stay as
    # they are, which is the safe side.)
    skip = EXPRESSION_PARTS

    def _bind(self, name: str, how) -> None:
        scope = self.stack[-1]
        if name in self.globals.get(scope, ()):
            scope = self.stack[0]  # `global cfg` then `cfg = Config.fromfile(...)`: a module name
        self.names[scope].setdefault(name, []).append(how)

    def _bind_target(self, target, how=OTHER) -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, how)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value)

    def _enter(self, node) -> None:
        self.parent[node] = self.stack[-1] if self.stack else None
        self.names[node] = {}
        self.stack.append(node)

    def _leave(self, node) -> None:
        self.stack.pop()

    def visit_Module(self, node):
        self._enter(node)

    def visit_FunctionDef(self, node):
        self._bind(node.name.value, OTHER)
        self._enter(node)
        self._params(node.params)

    def visit_ClassDef(self, node):
        self._bind(node.name.value, OTHER)
        self._enter(node)

    leave_FunctionDef = leave_ClassDef = _leave

    def _params(self, params: cst.Parameters) -> None:
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            self._bind(param.name.value, PARAM)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self._bind(star.name.value, OTHER)

    def visit_Assign(self, node):
        for target in node.targets:
            self._bind_target(target.target, node.value)

    def visit_AnnAssign(self, node):
        self._bind_target(node.target, node.value if node.value is not None else OTHER)

    def visit_AugAssign(self, node):
        self._bind_target(node.target)

    def visit_For(self, node):
        self._bind_target(node.target)

    def visit_AsName(self, node):
        self._bind_target(node.name)

    def visit_Del(self, node):
        self._bind_target(node.target)

    def visit_ImportAlias(self, node):
        if node.asname is None:
            self._bind(dotted(node.name).split(".")[0], OTHER)

    def visit_Global(self, node):
        # Assignments to these names in this scope bind them in the module (Python wants `global`
        # before any use, so it is seen first).
        self.globals.setdefault(self.stack[-1], set()).update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node):
        for item in node.names:
            self._bind(item.name.value, OTHER)


class ConfigNames:
    """Answers "is this expression a config object?" for a module."""

    def __init__(self, module: cst.Module, imap: ImportMap) -> None:
        self.imap = imap
        self.openmmlab = any(v.split(".")[0] in OPENMMLAB for v in imap.names.values())
        self.module = module
        self._bindings: Optional[_Bindings] = None
        self._cache: Dict[Tuple[int, str], bool] = {}

    @property
    def bindings(self) -> "_Bindings":
        # a walk of the whole tree, needed only once a 0.x key is read off some name (most
        # files that name a config package never do)
        if self._bindings is None:
            self._bindings = _Bindings()
            look(self.module, self._bindings)
        return self._bindings

    def is_config(self, node: cst.BaseExpression, scope) -> bool:
        if isinstance(node, cst.Name):
            return self.is_config_name(node.value, scope)
        if isinstance(node, cst.Attribute) and node.attr.value in ("cfg", "_config"):
            return self.openmmlab and self._is_model(node.value, scope)
        return isinstance(node, cst.Call) and self.imap.qualified(node.func) in CONFIG_CALLS

    def _is_model(self, node, scope) -> bool:
        """`self`, `model`, `<x>.model` or `init_model(...)`: objects whose `.cfg` is a config."""
        if isinstance(node, cst.Name):
            return node.value in ("self", "model")
        if isinstance(node, cst.Attribute):
            return node.attr.value == "model"
        return isinstance(node, cst.Call) and self._is_init_model(node.func)

    def _is_init_model(self, func) -> bool:
        name = self.imap.qualified(func) or ""
        return name.split(".")[0] in OPENMMLAB and name.endswith(".init_model")

    def is_config_name(self, name: str, scope) -> bool:
        key = (id(scope), name)
        if key not in self._cache:
            self._cache[key] = False  # a name defined through itself is not a config
            self._cache[key] = self._decide(name, scope)
        return self._cache[key]

    def _decide(self, name: str, scope) -> bool:
        found = self.bindings.names.get(scope, {}).get(name)
        if not found:
            outer = self._enclosing(scope)
            return outer is not None and self.is_config_name(name, outer)
        sources = 0
        for how in found:
            if how is PARAM:
                if not (name in CONFIG_PARAMS and self.openmmlab):
                    return False
                sources += 1
            elif how is OTHER:
                return False
            elif _is_none(how):  # `cfg = None` before it is loaded
                continue
            elif self.is_source(how, scope):
                sources += 1
            elif not _passes_through(how, name):
                return False
        return sources > 0

    def _enclosing(self, scope):
        """The scope whose names a nested function sees (class bodies are skipped)."""
        outer = self.bindings.parent.get(scope)
        while isinstance(outer, cst.ClassDef):
            outer = self.bindings.parent.get(outer)
        return outer

    def is_source(self, value: cst.BaseExpression, scope) -> bool:
        """Is `value` a new or copied config (what `name = value` binds)?"""
        if isinstance(value, cst.Call):
            if self.imap.qualified(value.func) in CONFIG_CALLS:
                return True
            func = value.func
            if self.imap.qualified(func) == "copy.deepcopy" and value.args:
                return self.is_config(value.args[0].value, scope)
            if isinstance(func, cst.Attribute) and func.attr.value == "copy" and not value.args:
                return self.is_config(func.value, scope)
            return False
        return self.is_config(value, scope)


def _is_param(scope, name: str) -> bool:
    params = scope.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return any(p.name.value == name for p in every)


def _passes_through(value, name: str) -> bool:
    """`cfg = update_cfg(cfg, args)`: a call that takes the config and gives it back."""
    return isinstance(value, cst.Call) and any(
        isinstance(a.value, cst.Name) and a.value.value == name and not a.star for a in value.args)


# -- access chains ------------------------------------------------------------------------------
@dataclass
class Segment:
    key: str
    kind: str  # "attr" (cfg.key), "sub" (cfg['key']) or "get" (cfg.get('key', default))
    node: cst.BaseExpression  # the node that adds this segment (its value is the chain below)


def string_key(node) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) and value.isidentifier() else None
    return None


def _first_place(node: cst.Subscript) -> bool:
    inner = node.slice[0].slice if len(node.slice) == 1 else None
    return isinstance(inner, cst.Index) and isinstance(inner.value, cst.Integer) and inner.value.value == "0"


def _sub_key(node: cst.Subscript) -> Optional[str]:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return string_key(node.slice[0].slice.value)


def _get_key(node: cst.Call) -> Optional[str]:
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "get"):
        return None
    if not 1 <= len(node.args) <= 2 or any(a.keyword or a.star for a in node.args):
        return None
    return string_key(node.args[0].value)


def _first_step(node, kind) -> Optional[Tuple[str, cst.BaseExpression]]:
    """(key, the expression it is read from) if `node` is one step of a key chain."""
    if kind is cst.Attribute:
        return node.attr.value, node.value
    if kind is cst.Subscript:
        key = _sub_key(node)
        return (key, node.value) if key else None
    key = _get_key(node)
    return (key, node.func.value) if key else None


def parse_chain(node, is_root) -> Optional[Tuple[cst.BaseExpression, List[Segment]]]:
    """(root, segments from the root outwards) if `node` is a key access on a config."""
    segments = []
    while not is_root(node):
        if isinstance(node, cst.Attribute):
            segments.append(Segment(node.attr.value, "attr", node))
            node = node.value
        elif isinstance(node, cst.Subscript) and _sub_key(node):
            segments.append(Segment(_sub_key(node), "sub", node))
            node = node.value
        elif isinstance(node, cst.Call) and _get_key(node):
            segments.append(Segment(_get_key(node), "get", node))
            node = node.func.value
        else:
            return None
    return node, segments[::-1]


def _string(key: str, like: Optional[cst.BaseExpression] = None) -> cst.SimpleString:
    quote = "'"
    if isinstance(like, cst.SimpleString) and like.value.lstrip("rbuRBU")[:1] == '"':
        quote = '"'
    return cst.SimpleString(f"{quote}{key}{quote}")


def _first_string(node) -> Optional[cst.BaseExpression]:
    if isinstance(node, cst.Subscript):
        return node.slice[0].slice.value
    if isinstance(node, cst.Call):
        return node.args[0].value
    return None


def _with_key(segment: Segment, key: str, value: cst.BaseExpression, default=None) -> cst.BaseExpression:
    """The segment's node on top of `value`, reading `key` (the same form as before)."""
    node = segment.node
    if segment.kind == "attr":
        if key == segment.key:
            return node.with_changes(value=value)
        return node.with_changes(value=value, attr=cst.Name(key))
    string = _string(key, _first_string(node))
    if segment.kind == "sub":
        index = node.slice[0].with_changes(slice=cst.Index(string))
        return node.with_changes(value=value, slice=[index])
    args = [cst.Arg(string)]
    if default is not None:
        args.append(cst.Arg(default))
    elif len(node.args) == 2:
        args.append(node.args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT))
    return node.with_changes(func=node.func.with_changes(value=value), args=args)


def rebuild(root, segments: List[Segment], new: Sequence[str]) -> cst.BaseExpression:
    """The chain with its 0.x head keys replaced by the 1.x path `new` (same access forms).

    The unchanged tail keeps its nodes. Head keys that the mapping adds take the form of the
    first replaced key (`.get(k, {})` for a get, so a missing key still reads as the default);
    the last new head key takes the form and default of the last replaced key.
    """
    cut = _mapped_cut(segments, new)
    head, tail = segments[:cut], segments[cut:]
    if not head:  # `'key' in cfg`: nothing to copy the form from
        head = [Segment(new[0], "attr", cst.Attribute(value=root, attr=cst.Name(new[0])))]
    new_head = list(new[: len(new) - len(tail)])
    expr = root
    for i, key in enumerate(new_head):
        if len(new_head) == len(head):
            like, default = head[i], None
        elif i == len(new_head) - 1:
            like, default = head[-1], None
        else:
            like, default = head[0], cst.Dict([])
        expr = _with_key(like, key, expr, default if like.kind == "get" else None)
    for segment, key in zip(tail, new[len(new_head):]):
        expr = _with_key(segment, key, expr)
    return expr


def _updated_segments(updated, segments: List[Segment]) -> Tuple[cst.BaseExpression, List[Segment]]:
    """The root and segments of a chain, read from its updated node (same shape as the original
    one: only what its arguments and indices hold may have changed)."""
    found = []
    node = updated
    for segment in reversed(segments):
        found.append(Segment(segment.key, segment.kind, node))
        node = node.func.value if segment.kind == "get" else node.value
    return node, found[::-1]


def _mapped_cut(segments: List[Segment], new: Sequence[str]) -> int:
    """How many leading segments the mapping replaced (the rest is carried over unchanged)."""
    keys = [s.key for s in segments]
    for cut in range(len(keys), 0, -1):
        if ".".join(keys[:cut]) in KEY_MAP or ".".join(keys[:cut]) in TODO_KEYS:
            return cut
    return len(keys)


# -- the rule -----------------------------------------------------------------------------------
def _dict_items(value) -> Optional[List[Tuple[str, cst.BaseExpression]]]:
    """(key, value) pairs of a `dict(k=v)` or `{'k': v}` literal with plain keys, else None."""
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict":
        if any(a.keyword is None for a in value.args):
            return None
        return [(a.keyword.value, a.value) for a in value.args]
    if isinstance(value, cst.Dict):
        items = []
        for element in value.elements:
            if not isinstance(element, cst.DictElement) or string_key(element.key) is None:
                return None
            items.append((string_key(element.key), element.value))
        return items
    return None


def _dataset_note(keys: Sequence[str], value) -> Optional[str]:
    """What to check when a script sets a dataset path or a whole 0.x dataset."""
    if keys[0] != "data":
        return None
    if keys[-1] == "ann_file":
        return ANN_FILE_NOTE
    items = _dict_items(value)
    if items is not None and {"data_prefix", "test_mode"} & set(dict(items)):
        return OLD_DATASET_NOTE
    return None


def _extras(keys: Sequence[str]) -> bool:
    """Does setting this key need more assignments (`resume_from` -> load_from and resume)?"""
    return ".".join(keys) in EXTRA_SETS


def _is_data_prefix(keys: Sequence[str]) -> bool:
    return keys[0] == "data" and keys[-1] == "data_prefix"


def _is_hook(path: Sequence[str]) -> bool:
    """A whole 1.x default hook: a dict without `type` must not replace it, only set its fields."""
    return len(path) == 2 and path[0] == "default_hooks"


def _is_none(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _simple(node) -> bool:
    """Cheap to evaluate twice, no side effects."""
    return isinstance(node, (cst.Name, cst.Attribute, cst.BaseNumber, cst.SimpleString))


class ConfigAccess(Rule):
    id = RULE_ID
    title = "scripts: 0.x config keys read or set on a loaded config -> the 1.x keys"
    kind = CODE
    guide = "配置文件的通用改变; 从 MMClassification 0.x 迁移 / 配置文件"
    # The prefilter's tokens: a config only comes from an OpenMMLab package (`cfg`/`config`
    # alone would make most Python files candidates).
    triggers = OPENMMLAB
    before = """\
from mmengine.config import Config
cfg = Config.fromfile(args.config)
cfg.runner.max_epochs = args.epochs
cfg.data.samples_per_gpu = args.batch_size
cfg.optimizer.lr = args.lr
cfg.resume_from = args.resume_from
"""
    after = """\
from mmengine.config import Config
cfg = Config.fromfile(args.config)
cfg.train_cfg.max_epochs = args.epochs
cfg.train_dataloader.batch_size = args.batch_size
cfg.val_dataloader.batch_size = args.batch_size
cfg.test_dataloader.batch_size = args.batch_size
cfg.optim_wrapper.optimizer.lr = args.lr
cfg.load_from = args.resume_from
cfg.resume = True
"""

    def applies_to(self, kind: str, text: str) -> bool:
        # Three passes over the tree are not cheap: only OpenMMLab code that names a 0.x key.
        return (super().applies_to(kind, text) and any(t in text for t in ("cfg", "config", "Config"))
                and bool(_PACKAGES.search(text) and _HEADS.search(text)))

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = ctx.import_map(module)
        if not any(v.split(".")[0] in OPENMMLAB for v in imap.names.values()):
            return module  # configs come from mmcv / mmengine; without them nothing is one
        names = ConfigNames(module, imap)
        finder = _Finder(names)
        look(module, finder, ctx.quiet(OLD_HEADS))  # every access names a 0.x key
        if not finder.ids:  # most files: a look is much cheaper than a transformer's rebuild
            return module
        transformer = _Transformer(names, module.default_indent)
        new = visit_only(module, transformer, finder.ids)
        if transformer.count:
            ctx.record(RULE_ID, transformer.count)
        return new


SCOPES = (cst.Module, cst.FunctionDef, cst.Lambda, cst.ClassDef)
CHAINS = (cst.Attribute, cst.Subscript, cst.Call)


class _Scoped:
    """What the finder and the transformer share: the scope they are in, and config roots."""

    names: ConfigNames
    scopes: List[cst.CSTNode]

    def _root(self, node) -> bool:
        scopes = [s for s in self.scopes if not isinstance(s, cst.Lambda)]
        if isinstance(node, cst.Name) and any(_is_param(s, node.value) for s in self.scopes[len(scopes):]):
            return False  # `lambda cfg: ...`: an argument, not the config of the function around
        return self.names.is_config(node, scopes[-1])

    def chain(self, node):
        found = parse_chain(node, self._root)
        return found if found is not None and found[1] else None


class _Finder(_Scoped, cst.CSTVisitor):
    """The nodes that name a 0.x key on a config, and their ancestors: every change of the
    transformer starts at one of them, so it needs to enter no other node."""

    # Leaves and statements that cannot hold a key access (a root alone is no access).
    skip = LEAVES | {cst.Import, cst.ImportFrom, cst.Pass}

    def __init__(self, names: ConfigNames) -> None:
        super().__init__()
        self.names = names
        self.scopes = []
        self.path: List[int] = []
        self.ids: Set[int] = set()

    def on_visit(self, node) -> bool:
        self.path.append(id(node))
        kind = type(node)  # exact classes: LibCST's are ABCs, whose isinstance is slow
        found = False
        if kind in SCOPES:
            self.scopes.append(node)
        elif kind in CHAINS:
            # Only the step next to the root is checked: longer chains over it are its ancestors.
            step = _first_step(node, kind)
            found = step is not None and step[0] in OLD_HEADS and self._root(step[1])
        if kind is cst.Call and len(node.args) >= 1:
            found |= self._keyed(node)
        elif kind is cst.Comparison and string_key(node.left) in OLD_HEADS:
            found |= any(self._root(c.comparator) for c in node.comparisons)
        if found:
            self.ids.update(self.path)
        return True

    def on_leave(self, original_node) -> None:
        self.path.pop()
        if self.scopes and self.scopes[-1] is original_node:
            self.scopes.pop()

    def _keyed(self, node: cst.Call) -> bool:
        """`hasattr(cfg, 'key')`, `cfg.pop('key')`: a key named by a string on the config itself."""
        func = node.func
        if isinstance(func, cst.Name) and len(node.args) >= 2:
            return string_key(node.args[1].value) in OLD_HEADS and self._root(node.args[0].value)
        if isinstance(func, cst.Attribute):
            return string_key(node.args[0].value) in OLD_HEADS and self._root(func.value)
        return False


class _Transformer(_Scoped, TodoTransformer):
    rule_id = RULE_ID

    def __init__(self, names: ConfigNames, default_indent: str = "    ") -> None:
        super().__init__()
        self.names = names
        self.scopes: List[cst.CSTNode] = []
        self.replace: Dict[cst.CSTNode, cst.CSTNode] = {}
        self.targets = set()  # targets of augmented assignments, left to leave_SimpleStatementLine
        self.stores = set()  # `del x`, `a, x = ...`, `for x in`: a key that became several is no one key
        self.count = 0
        self.indents: List[str] = []  # indentation of the enclosing blocks
        self.default_indent = default_indent
        # chains to rewrite once their arguments are (`cfg.data.train.get('p', cfg.data.x)`):
        # chain node -> (segments, new keys); `links` are their inner nodes, entered but not read
        self.pending: Dict[cst.CSTNode, Tuple[List[Segment], Sequence[str]]] = {}
        self.links: Set[cst.CSTNode] = set()

    def visit_IndentedBlock(self, node: cst.IndentedBlock):
        self.indents.append(node.indent if node.indent is not None else self.default_indent)

    def leave_IndentedBlock(self, original, updated):
        self.indents.pop()
        return updated

    # scopes
    def on_visit(self, node) -> bool:
        if isinstance(node, SCOPES):
            self.scopes.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, SCOPES):
            self.scopes.pop()
        if original_node in self.replace:
            return self.replace.pop(original_node)
        if original_node in self.pending:
            segments, new = self.pending.pop(original_node)
            root, updated = _updated_segments(result, segments)
            return rebuild(root, updated, new)
        return result

    # reads (and the renaming of every other access)
    def _read(self, node) -> bool:
        if node in self.targets:
            return False  # an augmented assignment's target: planned with its statement
        found = self.chain(node)
        if found is None:
            return True
        root, segments = found
        plan = plan_for([s.key for s in segments])
        if plan is None:
            return True
        keys = [s.key for s in segments]
        if plan.todo is not None or keys[0] == RESUME or (len(plan.paths) > 1 and node in self.stores):
            self.todo(_message(plan, keys))
            return False
        new = plan.paths[0]
        if _is_data_prefix(keys):
            new = [*new[:-1], "data_root"]
            self.todo(DATA_PREFIX_NOTE)
        elif keys[0] == "data" and keys[-1] == "ann_file":
            self.todo(ANN_FILE_NOTE)
        # rewritten on leave, from the updated node: a key read in an argument is rewritten too
        self.pending[node] = (segments, new)
        self.links.update(s.node for s in segments[:-1])
        self.links.update(s.node.func for s in segments if s.kind == "get")  # `<chain>.get` itself
        self.count += 1
        return True

    def visit_Attribute(self, node):
        return node in self.links or self._read(node)

    def visit_Subscript(self, node):
        if node not in self.links:
            self._pipeline_index(node)
        return node in self.links or self._read(node)

    def _pipeline_index(self, node: cst.Subscript) -> None:
        """`cfg.data.train.pipeline[3]`: its key is rewritten, the place needs a person (but
        for the first, LoadImageFromFile in both)."""
        if _sub_key(node) is not None or _first_place(node):
            return
        found = self.chain(node.value)
        if found is not None and found[1][0].key == "data" and found[1][-1].key == "pipeline":
            self.todo(PIPELINE_INDEX_NOTE)

    def visit_Call(self, node):
        if node in self.links:
            return True
        handled = self._call(node)
        return False if handled else self._read(node)

    def _call(self, node: cst.Call) -> bool:
        """hasattr/getattr/setattr(cfg..., 'k'), cfg....pop('k'), cfg....setdefault('k')."""
        func = node.func
        if isinstance(func, cst.Name) and func.value in ("hasattr", "getattr", "setattr"):
            if len(node.args) >= 2 and self.names.imap.qualified(func) is None:
                return self._keyed(node, node.args[0].value, 1, first_only=func.value != "setattr",
                                   exists=func.value == "hasattr")
        if isinstance(func, cst.Attribute) and func.attr.value in ("pop", "setdefault") and node.args:
            return self._keyed(node, func.value, 0, first_only=False, method=True)
        return False

    def _keyed(self, node: cst.Call, target, index: int, first_only: bool, method: bool = False,
               exists: bool = False) -> bool:
        key = string_key(node.args[index].value)
        found = self._mapped_key(target, key, first_only, exists) if key is not None else None
        if found is None:
            return False
        if found is not TODO_ADDED:
            parent, new_key = found
            args = list(node.args)
            args[index] = args[index].with_changes(value=_string(new_key, args[index].value))
            if method:
                self.replace[node] = node.with_changes(func=node.func.with_changes(value=parent), args=args)
            else:
                args[0] = args[0].with_changes(value=parent)
                self.replace[node] = node.with_changes(args=args)
        return True

    def visit_Comparison(self, node: cst.Comparison):
        """`'key' in cfg...` / `not in`."""
        if len(node.comparisons) != 1 or not isinstance(node.comparisons[0].operator, (cst.In, cst.NotIn)):
            return True
        key = string_key(node.left)
        found = self._mapped_key(node.comparisons[0].comparator, key, exists=True) if key is not None else None
        if found is None:
            return True
        if found is not TODO_ADDED:
            parent, new_key = found
            comparison = node.comparisons[0].with_changes(comparator=parent)
            self.replace[node] = node.with_changes(left=_string(new_key, node.left), comparisons=[comparison])
        return False

    def _mapped_key(self, target, key: str, first_only: bool = True, exists: bool = False):
        """`key` looked up on `target`: None if not a 0.x key of a config, TODO_ADDED, or the
        1.x (parent expression, key). `first_only`: a key that became several may be read from
        the first (hasattr, in) but not changed (pop, setdefault, setattr). `exists`: only its
        presence is asked (hasattr, in): a split's dataset is there when its dataloader is, and
        asking the loader that may be missing would raise."""
        if self._root(target):
            root, segments = target, []
        else:
            found = self.chain(target)
            if found is None:
                return None
            root, segments = found
        keys = [*[s.key for s in segments], key]
        plan = plan_for(keys)
        if plan is None:
            return None
        several = len(plan.paths) > 1 or _extras(keys)
        if plan.todo is not None or keys[0] == RESUME or (several and not first_only):
            self.todo(_message(plan, keys))
            return TODO_ADDED
        new = plan.paths[0]
        if exists and len(new) == 2 and new[0].endswith("_dataloader") and new[1] == "dataset":
            new = new[:1]  # `hasattr(cfg.data, 'test')` -> `hasattr(cfg, 'test_dataloader')`
        self.count += 1
        return (rebuild(root, segments, new[:-1]) if len(new) > 1 else root), new[-1]

    # assignments: the target is planned here, the value is renamed like any read
    def visit_AssignTarget(self, node: cst.AssignTarget):
        self._store(node.target)
        return self.chain(node.target) is None

    def visit_For(self, node: cst.For):
        self._store(node.target)

    def _store(self, target) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._store(element.value)
        elif isinstance(target, cst.StarredElement):
            self._store(target.value)
        else:
            self.stores.add(target)

    def visit_AugAssign(self, node: cst.AugAssign):
        if self.chain(node.target) is not None:
            self.targets.add(node.target)
        return True

    def visit_Del(self, node: cst.Del):
        self._store(node.target)

    def leave_SimpleStatementLine(self, original, updated):
        if len(updated.body) != 1:  # `a = 1; cfg.x = 2`: only what can be renamed in place
            return updated.with_changes(body=[self._in_place(small) for small in updated.body])
        small = updated.body[0]
        if isinstance(small, cst.Assign):
            return self._assign(updated, small)
        if isinstance(small, cst.AugAssign):
            return self._aug_assign(updated, small)
        return updated

    def _in_place(self, small):
        """An assignment with its config targets renamed, or as it was plus a TODO."""
        if not isinstance(small, (cst.Assign, cst.AugAssign)):
            return small
        targets = small.targets if isinstance(small, cst.Assign) else [small]
        new_targets = []
        for target in targets:
            found = self.chain(target.target)
            keys = [s.key for s in found[1]] if found else []
            plan = plan_for(keys) if found else None
            if plan is None:
                new_targets.append(target)
                continue
            many = len(plan.paths) > 1 and isinstance(small, cst.AugAssign)
            if plan.todo is not None or many or _extras(keys):
                self.todo(_message(plan, keys))
                return small
            if _is_data_prefix(keys):
                self.todo(DATA_PREFIX_NOTE + "; put this assignment on a line of its own and run again")
                return small
            new_targets += [cst.AssignTarget(rebuild(found[0], found[1], p)) for p in plan.paths]
        if new_targets == list(targets):
            return small
        self.count += 1
        if isinstance(small, cst.AugAssign):
            return small.with_changes(target=new_targets[0].target)
        return small.with_changes(targets=new_targets)

    def _assign(self, updated, small: cst.Assign):
        chains = [self.chain(t.target) for t in small.targets]
        if not any(chains):
            return updated
        if len(small.targets) != 1:  # `a = cfg.x = v`
            return updated.with_changes(body=[self._in_place(small)])
        root, segments = chains[0]
        keys = [s.key for s in segments]
        plan = plan_for(keys)
        if plan is None:
            return updated
        value = small.value
        if plan.todo is not None:
            return self._split_or_todo(updated, small, root, segments, plan.todo)
        if keys == [RESUME] and _is_none(value):  # no resuming; load_from keeps what it had
            return self._statements(updated, [([_path(root, segments[0], ["resume"])], cst.Name("False"))])
        if _is_data_prefix(keys):
            return self._data_prefix(updated, small, root, segments, plan)
        items = _dict_items(value)
        if items is not None and "type" not in dict(items) and _is_hook(plan.paths[0]):
            split = self._split(updated, root, segments, items)
            if split is not None:
                return split
        note = _dataset_note(keys, value)
        if note is not None:
            self.todo(note)
        lines = _lines(root, segments, plan, value)
        if len(lines) > 1:
            return self._statements(updated, lines)
        self.count += 1
        targets = [cst.AssignTarget(t) for t in lines[0][0]]
        return updated.with_changes(body=[small.with_changes(targets=targets)])

    def _statements(self, updated, assignments) -> cst.FlattenSentinel:
        """One statement per (targets, value); the first keeps the comments above the old one."""
        lines = []
        for targets, value in assignments:
            small = cst.Assign(targets=[cst.AssignTarget(t) for t in targets], value=value)
            lines.append(cst.SimpleStatementLine(body=[small]))
        lines[0] = lines[0].with_changes(leading_lines=updated.leading_lines)
        lines[-1] = lines[-1].with_changes(trailing_whitespace=updated.trailing_whitespace)
        self.count += 1
        return cst.FlattenSentinel(lines)

    def _split(self, updated, root, segments, items):
        """`cfg.evaluation.metric_options = {'topk': k}` -> one assignment per mapped key."""
        lines = _split_lines(root, segments, items)
        return self._statements(updated, lines) if lines else None

    def _split_or_todo(self, updated, small, root, segments, message):
        items = _dict_items(small.value)
        split = self._split(updated, root, segments, items) if items else None
        if split is not None:
            return split
        keys = [s.key for s in segments]
        if keys in (["lr_config"], ["runner"]):
            derived = self._derived(updated, small, root, segments[0])
            if derived is not None:
                return derived
        if keys == ["evaluation"] and items:
            evaluation = self._evaluation(updated, root, segments, items)
            if evaluation is not None:
                return evaluation
        if keys[0] == "lr_config" and len(keys) == 2 and keys[1] in LR_FIELDS:
            message = _lr_hint(keys, _code(root), small.value)
        self.todo(message)
        return updated

    def _derived(self, updated, small, root, like: Segment):
        """A whole `cfg.lr_config = dict(...)` / `cfg.runner = dict(...)` -> `cfg.param_scheduler`
        / `cfg.train_cfg`, converted by the config rules' own conversions. mmcv's defaults apply
        (by_epoch=True); the validation interval the config had is kept."""
        old = Evaluator(lambda name: MISSING, lambda path: MISSING)(small.value)
        if not isinstance(old, dict) or has_unknown(old):
            return None
        derived = ParamSchedulerKey() if like.key == "lr_config" else TrainCfgKey()
        notes: List[str] = []
        sources = {"lr_config": MISSING, "momentum_config": MISSING, "runner": MISSING,
                   "evaluation": MISSING, "total_epochs": MISSING, like.key: old}
        new = derived.convert(sources, notes)
        if new is MISSING:
            return None
        target = _path(root, like, [derived.key])
        if derived.key == "train_cfg":
            new["val_interval"] = Unknown(cst.parse_expression(f"{_code(target)}.get('val_interval', 1)"))
        # LibCST indents continuation lines with the enclosing blocks itself
        text = to_code(new, len("".join(self.indents)) + len(_code(target)) + 3, 0)
        for note in notes:
            self.todo(note)
        self.count += 1
        assign = small.with_changes(targets=[cst.AssignTarget(target)], value=cst.parse_expression(text))
        return updated.with_changes(body=[assign])

    def _evaluation(self, updated, root, segments, items):
        """A whole `cfg.evaluation = dict(interval=.., metric=.., ...)`: the mapped keys one by
        one, the metrics -> val_evaluator by the evaluation rule's own conversion."""
        read = Evaluator(lambda name: MISSING, lambda path: MISSING)
        values = dict(items)
        metric = read(values["metric"]) if "metric" in values else MISSING
        options = read(values["metric_options"]) if "metric_options" in values else {}
        if metric is MISSING or has_unknown(metric) or has_unknown(options):
            return None
        evaluator, notes = convert_metrics(metric, options)
        rest = [(k, v) for k, v in items if k not in ("metric", "metric_options")]
        lines = _split_lines(root, segments, rest) if rest else []
        if evaluator is None or lines is None:
            return None
        target = _path(root, segments[0], ["val_evaluator"])
        value = to_code(evaluator, len("".join(self.indents)) + len(_code(target)) + 3, 0)
        for note in notes:
            self.todo(note)
        return self._statements(updated, [*lines, ([target], cst.parse_expression(value))])

    def _data_prefix(self, updated, small, root, segments, plan):
        """0.x data_prefix was the data folder; 1.2 joins data_prefix to data_root."""
        roots = [rebuild(root, segments, [*p[:-1], "data_root"]) for p in plan.paths]
        prefixes = [rebuild(root, segments, p) for p in plan.paths]
        self.todo(DATA_PREFIX_NOTE)
        return self._statements(updated, [(roots, small.value), (prefixes, cst.SimpleString("''"))])

    def _aug_assign(self, updated, small: cst.AugAssign):
        found = self.chain(small.target)
        plan = plan_for([s.key for s in found[1]]) if found else None
        if plan is None:
            return updated
        keys = [s.key for s in found[1]]
        if plan.todo is not None or _extras(keys) or (len(plan.paths) > 1 and not _simple(small.value)):
            self.todo(_message(plan, keys))
            return updated
        lines = [updated.with_changes(body=[small.with_changes(target=rebuild(found[0], found[1], p))])
                 for p in plan.paths]
        lines = [lines[0], *(line.with_changes(leading_lines=[]) for line in lines[1:])]
        self.count += 1
        return lines[0] if len(lines) == 1 else cst.FlattenSentinel(lines)


def _lines(root, segments: List[Segment], plan: Plan, value) -> list:
    """(targets, value) statements that set a mapped key: every 1.x key it became (one line each
    when the value is cheap to repeat) and what must come with it (`resume=True` with load_from)."""
    targets = [rebuild(root, segments, p) for p in plan.paths]
    lines = [([t], value) for t in targets] if len(targets) > 1 and _simple(value) else [(targets, value)]
    for path, extra in EXTRA_SETS.get(".".join(s.key for s in segments), ()):
        lines.append(([_path(root, segments[0], path.split("."))], cst.parse_expression(repr(extra))))
    return lines


def _split_lines(root, segments: List[Segment], items) -> Optional[list]:
    """Statements setting each key of a dict literal under `segments`; None if one has no
    1.x key (or needs more than a rename)."""
    keys = [s.key for s in segments]
    lines = []
    for key, value in items:
        plan = plan_for([*keys, key])
        if plan is None or plan.todo is not None or key == "data_prefix":
            return None
        extended = [*segments, Segment(key, segments[-1].kind, _key_node(segments[-1], key))]
        lines += _lines(root, extended, plan, value)
    return lines


def _path(root, like: Segment, keys: Sequence[str]) -> cst.BaseExpression:
    """`root.a.b` (or `root['a']['b']`, in the form of `like`) for a key path of the config."""
    expr = root
    for key in keys:
        expr = _with_key(like, key, expr)
    return expr


def _key_node(like: Segment, key: str) -> cst.BaseExpression:
    """A node of the same form as `like` reading `key` (its value is replaced when rebuilt)."""
    placeholder = cst.Name("_")
    if like.kind == "attr":
        return cst.Attribute(value=placeholder, attr=cst.Name(key))
    index = cst.Index(_string(key, _first_string(like.node)))
    return cst.Subscript(value=placeholder, slice=[cst.SubscriptElement(index)])
