"""MMC304: custom hooks derived from mmcv 1.x `Hook` -> the MMEngine `Hook` API.

The import rules move `from mmcv.runner import Hook` to `mmengine.hooks`, but a 0.x hook still
breaks there: MMEngine calls the iteration methods with more arguments than mmcv did
(`after_train_iter(runner, batch_idx, data_batch=None, outputs=None)`), so a method written as
`def after_train_iter(self, runner)` raises TypeError at the first iteration. From the mmcv 1.7
and MMEngine 0.10 sources (`runner/hooks/hook.py`, `hooks/hook.py`):

- the iteration methods get the parameters MMEngine passes, `after_val_epoch`/`after_test_epoch`
  get `metrics=None`, and their `super().<method>(runner)` calls pass them on;
- trigger helpers with a new name: `every_n_iters` -> `every_n_train_iters`, `is_last_iter` ->
  `is_last_train_iter`, `is_last_epoch` -> `is_last_train_epoch`; `runner._max_iters` /
  `runner._max_epochs` read -> `runner.max_iters` / `runner.max_epochs` (set: a TODO, those are
  read-only);
- TODOs where a person must decide: mmcv's `before_epoch`/`after_epoch`/`before_iter`/`after_iter`,
  which MMEngine never calls, helpers whose arguments changed (`every_n_inner_iters`,
  `end_of_epoch`) and runner attributes MMEngine does not have (`runner.outputs`,
  `runner.log_buffer`, `runner.data_loader`, `runner.inner_iter`, `runner.optimizer`,
  `runner.mode`, `runner.meta`, `runner.current_lr()`, `runner.current_momentum()`).

Subclasses of the mmcv hooks that MMEngine has under the same name but rewrote (`LoggerHook`,
`CheckpointHook`, ...) get the same changes and a TODO to check their overrides. Subclasses of the
hooks MMEngine dropped (`LrUpdaterHook`, `OptimizerHook`, `EvalHook`, `TextLoggerHook`, ...) get a
TODO naming what replaced them (a parameter scheduler, the OptimWrapper, a metric, `LoggerHook`).
A method that already takes other parameters is left as it is; so are classes that derive from
none of these.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from codemods.importmap import ImportMap
from codemods.rule import CODE, Context, Rule
from codemods.rules._calls import marked
from codemods.todo import TodoTransformer
from codemods.walk import EXPRESSION_PARTS

RULE_ID = "MMC304"
GUIDE = "模块变动 / mmpretrain.core (hooks); MMEngine 的 Hook 接口"

HOOK_CLASSES = frozenset({"mmcv.runner.Hook", "mmcv.runner.hooks.Hook", "mmcv.runner.hooks.hook.Hook"})
#: mmcv hooks that MMEngine has under the same name, rewritten inside: a subclass's overrides of
#: their own methods (LoggerHook.log, CheckpointHook._save_checkpoint, ...) may be called no more
REWRITTEN = ("LoggerHook", "CheckpointHook", "EMAHook", "IterTimerHook", "DistSamplerSeedHook",
             "EmptyCacheHook", "SyncBuffersHook", "ProfilerHook")
REWRITTEN_TODO = ("MMEngine's {name} (mmengine.hooks) is not mmcv's: check each method this class "
                  "overrides against it, and call super() with MMEngine's arguments")

#: mmcv (and mmcls) hooks MMEngine does not have: a subclass is not a hook any more, its work
#: moved elsewhere; the class gets a TODO naming where (its methods are left as they are)
_SCHEDULER = ("MMEngine has no {name}: write this schedule as a parameter scheduler, a subclass of "
              "mmengine.optim.scheduler.{module}.{mixin} and mmengine.optim._ParamScheduler whose "
              "_get_value() returns each group's value (what get_{what}() computed), registered in "
              "mmpretrain.registry.PARAM_SCHEDULERS and listed in param_scheduler")
_OPTIMIZER = ("MMEngine has no {name}: the optimizer step is the OptimWrapper's (optim_wrapper in the "
              "config: clip_grad=..., accumulative_counts=... to accumulate gradients, "
              "type='AmpOptimWrapper' for fp16); put custom step logic in a subclass of "
              "mmengine.optim.OptimWrapper (update_params / step) registered in mmpretrain.registry.OPTIM_WRAPPERS")
_EVAL = ("MMEngine has no {name}: validation is the Runner's val loop (train_cfg.val_interval); put "
         "custom evaluation in a subclass of mmengine.evaluator.BaseMetric (process / compute_metrics) "
         "registered in mmpretrain.registry.METRICS and set as val_evaluator")
_OPTIMIZER_HOOKS = ("OptimizerHook", "Fp16OptimizerHook", "GradientCumulativeOptimizerHook",
                    "GradientCumulativeFp16OptimizerHook")


def dropped_todo(name: str) -> Optional[str]:
    """The TODO for a subclass of the mmcv (or mmcls) hook `name` if MMEngine has no such hook:
    the lr and momentum updaters (`CosineAnnealingLrUpdaterHook`, ...), the optimizer hooks, the
    eval hooks and `TextLoggerHook`. None for the others."""
    if name.endswith("LrUpdaterHook"):
        return _SCHEDULER.format(name=name, module="lr_scheduler", mixin="LRSchedulerMixin", what="lr")
    if name.endswith("MomentumUpdaterHook"):
        return _SCHEDULER.format(name=name, module="momentum_scheduler", mixin="MomentumSchedulerMixin",
                                 what="momentum")
    if name in _OPTIMIZER_HOOKS:
        return _OPTIMIZER.format(name=name)
    if name in ("EvalHook", "DistEvalHook"):
        return _EVAL.format(name=name)
    if name == "TextLoggerHook":
        return ("MMEngine has no TextLoggerHook: its LoggerHook (mmengine.hooks) writes the text and json "
                "logs; derive from that and check each override against it")
    return None


DROPPED_FROM = ("mmcv.runner", "mmcls.core")

_ITER = ("batch_idx", "data_batch=None")
#: method -> the parameters MMEngine passes after `runner`
SIGNATURES = {
    "before_train_iter": _ITER, "before_val_iter": _ITER, "before_test_iter": _ITER,
    "after_train_iter": (*_ITER, "outputs=None"), "after_val_iter": (*_ITER, "outputs=None"),
    "after_test_iter": (*_ITER, "outputs=None"),
    "after_val_epoch": ("metrics=None",), "after_test_epoch": ("metrics=None",),
}
#: `self.<old>(...)` -> `self.<new>(...)`, same arguments and meaning
HELPERS = {"every_n_iters": "every_n_train_iters", "is_last_iter": "is_last_train_iter",
           "is_last_epoch": "is_last_train_epoch"}
RUNNER_RENAMES = {"_max_iters": "max_iters", "_max_epochs": "max_epochs"}
READ_ONLY = ("MMEngine's runner.{name} is read-only (it comes from the loop): set max_iters / "
             "max_epochs in train_cfg instead")

GENERIC = ("MMEngine's Hook never calls {name}(runner) (mmcv called it for training and validation): "
           "move it to {train}(self, runner{args}) and {val}, or to _{name}(self, runner{args}, "
           "mode='train'), which MMEngine calls for train, val and test")
GENERIC_METHODS = {
    "before_epoch": ("before_train_epoch", "before_val_epoch", ""),
    "after_epoch": ("after_train_epoch", "after_val_epoch", ""),
    "before_iter": ("before_train_iter", "before_val_iter", ", batch_idx, data_batch=None"),
    "after_iter": ("after_train_iter", "after_val_iter", ", batch_idx, data_batch=None, outputs=None"),
}
HELPER_TODOS = {
    "every_n_inner_iters": "MMEngine's every_n_inner_iters takes (batch_idx, n): pass the batch_idx "
    "argument of the iteration method instead of the runner",
    "end_of_epoch": "MMEngine's end_of_epoch takes (dataloader, batch_idx), e.g. "
    "self.end_of_epoch(runner.train_dataloader, batch_idx)",
}
RUNNER_TODOS = {
    "outputs": "MMEngine has no runner.outputs: after_train_iter gets them as its `outputs` argument "
    "(the parsed losses of train_step)",
    "log_buffer": "MMEngine has no runner.log_buffer: use runner.message_hub (update_scalar / get_scalar)",
    "data_loader": "MMEngine has no runner.data_loader: use runner.train_dataloader (or val_dataloader)",
    "inner_iter": "MMEngine has no runner.inner_iter: the iteration methods get batch_idx",
    "optimizer": "MMEngine has no runner.optimizer: use runner.optim_wrapper (.optimizer is the "
    "torch optimizer)",
    "mode": "MMEngine has no runner.mode: it calls the train, val and test methods of a hook apart",
    "meta": "MMEngine has no runner.meta: read runner.cfg, runner.seed or runner.experiment_name, keep "
    "values in runner.message_hub, and add to checkpoints in before_save_checkpoint(runner, checkpoint)",
    "current_lr": "MMEngine has no runner.current_lr(): use runner.optim_wrapper.get_lr()['lr'] "
    "(one value per parameter group)",
    "current_momentum": "MMEngine has no runner.current_momentum(): use "
    "runner.optim_wrapper.get_momentum()['momentum'] (one value per parameter group)",
}


def _hook_base(imap: ImportMap, node: cst.ClassDef, local: Dict[str, str]) -> Optional[str]:
    """"Hook" when `node` derives from mmcv's Hook, the name of the mmcv hook when from one
    MMEngine rewrote (`REWRITTEN`) or dropped (`dropped_todo`), else None. `local`: the hook
    classes of the file above it, and what each of them derives from in those terms."""
    for base in node.bases:
        if isinstance(base.value, cst.Name) and base.value.value in local:
            found = local[base.value.value]
            return found if dropped_todo(found) else "Hook"
        qualified = imap.resolved(base.value) or ""
        if qualified in HOOK_CLASSES:
            return "Hook"
        parts = qualified.split(".")
        if parts[:2] == ["mmcv", "runner"] and parts[-1] in REWRITTEN:
            return parts[-1]
        if qualified.startswith(tuple(p + "." for p in DROPPED_FROM)) and dropped_todo(parts[-1]):
            return parts[-1]
    return None


_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
_EQUAL = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))


def _param(spec: str) -> cst.Param:
    """`batch_idx` or `data_batch=None` (a `SIGNATURES` entry) as a parameter."""
    name, _, default = spec.partition("=")
    if not default:
        return cst.Param(cst.Name(name))
    return cst.Param(cst.Name(name), default=cst.Name(default), equal=_EQUAL)


def _old_signature(node: cst.FunctionDef) -> Optional[str]:
    """The runner parameter's name when `node` takes just (self, runner), else None."""
    params = node.params
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params or params.star_kwarg \
            or params.posonly_params or len(params.params) != 2:
        return None
    if any(p.default is not None for p in params.params):
        return None
    return params.params[1].name.value


class _Scope:
    """A class or def around the node being visited."""

    def __init__(self, hook_class: bool = False, method: bool = False, runner: Optional[str] = None,
                 name: str = "", added: tuple = ()):
        self.hook_class = hook_class  # a class deriving from mmcv's Hook
        self.method = method  # inside a method of such a class (or a def nested in one)
        self.runner = runner  # that method's runner parameter
        self.name = name  # that method's name
        self.added = added  # the parameters the method gets (`SIGNATURES`)


class _Hooks(TodoTransformer):
    rule_id = RULE_ID

    def __init__(self, bases: Dict[int, str], around: Set[int]) -> None:
        super().__init__()
        self.bases = bases  # id of each hook class -> its base (`_hook_base`)
        self.around = around  # ids of the hook classes and the nodes around them (`_hook_classes`)
        self.scopes: List[_Scope] = [_Scope()]
        self.inside = 0  # > 0 within a hook class
        self.stores: Set[int] = set()  # ids of the nodes assigned to (`runner._max_iters = ...`)
        self.changes = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        # only hook classes are entered (and what leads to them): the rest is not rebuilt
        descend = super().on_visit(node)  # always: the TODO bookkeeping pairs it with on_leave
        return descend and (self.inside > 0 or id(node) in self.around)

    def _store(self, target: cst.BaseExpression) -> None:
        self.stores.add(id(target))
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._store(element.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._store(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._store(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._store(node.target)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        base = self.bases.get(id(node))
        if base in REWRITTEN:
            self.todo(REWRITTEN_TODO.format(name=base))
        dropped = dropped_todo(base) if base else None
        if dropped:
            self.todo(dropped)
            base = None  # no MMEngine hook: its methods are not MMEngine's to adapt
        self.scopes.append(_Scope(hook_class=base is not None))
        self.inside += base is not None

    def leave_ClassDef(self, original, updated):
        self.inside -= self.scopes.pop().hook_class
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        outer = self.scopes[-1]
        if not outer.hook_class:
            self.scopes.append(_Scope(method=outer.method, runner=outer.runner))  # nested defs see it
            return
        params = node.params.params
        runner = params[1].name.value if len(params) > 1 else None
        name = node.name.value
        old = _old_signature(node) is not None
        if name in GENERIC_METHODS and old:
            train, val, args = GENERIC_METHODS[name]
            self.todo(GENERIC.format(name=name, train=train, val=val, args=args))
        added = SIGNATURES.get(name, ()) if old else ()
        self.scopes.append(_Scope(method=True, runner=runner, name=name, added=added))

    def leave_FunctionDef(self, original, updated):
        added = self.scopes.pop().added
        if not added:
            return updated
        self.changes += 1
        self_param, runner = updated.params.params
        new = [runner.with_changes(comma=_COMMA), *(_param(p).with_changes(comma=_COMMA) for p in added)]
        new[-1] = new[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(params=updated.params.with_changes(params=[self_param, *new]))

    def leave_Call(self, original, updated):
        """`super().after_train_iter(runner)` in a method that gets MMEngine's parameters passes
        them on (MMEngine's own method requires batch_idx)."""
        scope = self.scopes[-1]
        func = updated.func
        if not scope.added or not isinstance(func, cst.Attribute) or func.attr.value != scope.name:
            return updated
        if not (isinstance(func.value, cst.Call) and isinstance(func.value.func, cst.Name)
                and func.value.func.value == "super"):
            return updated
        args = updated.args
        if len(args) != 1 or args[0].keyword is not None or args[0].star \
                or not isinstance(args[0].value, cst.Name) or args[0].value.value != scope.runner:
            return updated
        self.changes += 1
        names = [cst.Arg(cst.Name(p.partition("=")[0]), comma=_COMMA) for p in scope.added]
        names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(args=[args[0].with_changes(comma=_COMMA), *names])

    def leave_Attribute(self, original, updated):
        scope = self.scopes[-1]
        if not scope.method or not isinstance(updated.value, cst.Name):
            return updated
        owner, attr = updated.value.value, updated.attr.value
        if owner == "self" and attr in HELPERS:
            self.changes += 1
            return updated.with_changes(attr=cst.Name(HELPERS[attr]))
        if owner == "self" and attr in HELPER_TODOS:
            self.todo(HELPER_TODOS[attr])
        elif owner == scope.runner and attr in RUNNER_RENAMES and id(original) in self.stores:
            self.todo(READ_ONLY.format(name=RUNNER_RENAMES[attr]))
        elif owner == scope.runner and attr in RUNNER_RENAMES:
            self.changes += 1
            return updated.with_changes(attr=cst.Name(RUNNER_RENAMES[attr]))
        elif owner == scope.runner and attr in RUNNER_TODOS:
            self.todo(RUNNER_TODOS[attr])
        return updated


class CustomHooks(Rule):
    id = RULE_ID
    title = "custom hooks: mmcv Hook methods -> MMEngine signatures and helpers; subclasses of dropped hooks (TODO)"
    kind = CODE
    guide = GUIDE
    # "Hook" alone is a common word (23 files of the standard library): the prefilter's tokens are
    # the packages a hook class must come from, and `applies_to` asks for "Hook" too.
    triggers = ("mmcv", "mmcls")
    before = (
        "from mmcv.runner import HOOKS, Hook\n\n\n"
        "@HOOKS.register_module()\n"
        "class LossPrinter(Hook):\n"
        "    def after_train_iter(self, runner):\n"
        "        if self.every_n_iters(runner, 50):\n"
        "            print(runner.iter)\n"
    )
    after = (
        "from mmcv.runner import HOOKS, Hook\n\n\n"
        "@HOOKS.register_module()\n"
        "class LossPrinter(Hook):\n"
        "    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):\n"
        "        if self.every_n_train_iters(runner, 50):\n"
        "            print(runner.iter)\n"
    )

    def applies_to(self, kind: str, text: str) -> bool:
        return super().applies_to(kind, text) and "Hook" in text

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = ctx.import_map(module)
        if not any(v.split(".")[0] in ("mmcv", "mmcls") for v in imap.names.values()):
            return module  # nothing imported from mmcv or mmcls: no class here derives from their hooks
        bases, around = _hook_classes(module, imap, ctx.quiet(("class",)))
        if not bases:
            return module
        visitor = _Hooks(bases, around)
        updated = module.visit(visitor)
        if all(new is old or new.deep_equals(old) for new, old in zip(updated.body, module.body)):
            return module  # (only the hook classes were rebuilt: the others are the same objects)
        ctx.record(RULE_ID, max(1, visitor.changes))
        return updated


def _hook_classes(module: cst.Module, imap: ImportMap, quiet) -> Tuple[Dict[int, str], Set[int]]:
    """The file's hook classes (id -> `_hook_base`), and the ids of them and of the nodes around
    them. Walked in source order: a class may derive from a hook class above it."""
    bases: Dict[int, str] = {}
    local: Dict[str, str] = {}

    def is_hook(node) -> bool:
        if type(node) is not cst.ClassDef:
            return False
        base = _hook_base(imap, node, local)
        if base is None:
            local.pop(node.name.value, None)  # the name now means a class that is no hook
            return False
        bases[id(node)] = local[node.name.value] = base
        return True

    return bases, marked(module, is_hook, EXPRESSION_PARTS, quiet)
