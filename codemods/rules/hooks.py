"""MMC304: custom hooks derived from mmcv 1.x `Hook` -> the MMEngine `Hook` API.

The import rules move `from mmcv.runner import Hook` to `mmengine.hooks`, but a 0.x hook still
breaks there: MMEngine calls the iteration methods with more arguments than mmcv did
(`after_train_iter(runner, batch_idx, data_batch=None, outputs=None)`), so a method written as
`def after_train_iter(self, runner)` raises TypeError at the first iteration. From the mmcv 1.7
and MMEngine 0.10 sources (`runner/hooks/hook.py`, `hooks/hook.py`):

- the iteration methods get the parameters MMEngine passes, `after_val_epoch`/`after_test_epoch`
  get `metrics=None`;
- trigger helpers with a new name: `every_n_iters` -> `every_n_train_iters`, `is_last_iter` ->
  `is_last_train_iter`, `is_last_epoch` -> `is_last_train_epoch`; `runner._max_iters` /
  `runner._max_epochs` -> `runner.max_iters` / `runner.max_epochs`;
- TODOs where a person must decide: mmcv's `before_epoch`/`after_epoch`/`before_iter`/`after_iter`,
  which MMEngine never calls, helpers whose arguments changed (`every_n_inner_iters`,
  `end_of_epoch`) and runner attributes MMEngine does not have (`runner.outputs`,
  `runner.log_buffer`, `runner.data_loader`, `runner.inner_iter`, `runner.optimizer`,
  `runner.mode`).

A method that already takes other parameters is left as it is; so are classes that do not derive
from mmcv's `Hook` (here or through another class of the file).
"""
from __future__ import annotations

from typing import List, Optional, Set

import libcst as cst

from codemods.importmap import ImportMap
from codemods.rule import CODE, Context, Rule
from codemods.todo import TodoTransformer

RULE_ID = "MMC304"
GUIDE = "模块变动 / mmpretrain.core (hooks); MMEngine 的 Hook 接口"

HOOK_CLASSES = frozenset({"mmcv.runner.Hook", "mmcv.runner.hooks.Hook", "mmcv.runner.hooks.hook.Hook"})

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
}


def _hook_base(imap: ImportMap, node: cst.ClassDef, local: Set[str]) -> bool:
    for base in node.bases:
        if isinstance(base.value, cst.Name) and base.value.value in local:
            return True
        if imap.resolved(base.value) in HOOK_CLASSES:
            return True
    return False


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

    def __init__(self, hook_class: bool = False, method: bool = False, runner: Optional[str] = None):
        self.hook_class = hook_class  # a class deriving from mmcv's Hook
        self.method = method  # inside a method of such a class (or a def nested in one)
        self.runner = runner  # that method's runner parameter


class _Hooks(TodoTransformer):
    rule_id = RULE_ID

    def __init__(self, imap: ImportMap) -> None:
        super().__init__()
        self.imap = imap
        self.hooks: Set[str] = set()  # names of the file's hook classes
        self.scopes: List[_Scope] = [_Scope()]
        self.changes = 0

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        is_hook = _hook_base(self.imap, node, self.hooks)
        if is_hook:
            self.hooks.add(node.name.value)
        self.scopes.append(_Scope(hook_class=is_hook))

    def leave_ClassDef(self, original, updated):
        self.scopes.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        outer = self.scopes[-1]
        if not outer.hook_class:
            self.scopes.append(_Scope(method=outer.method, runner=outer.runner))  # nested defs see it
            return
        params = node.params.params
        runner = params[1].name.value if len(params) > 1 else None
        name = node.name.value
        if name in GENERIC_METHODS and _old_signature(node) is not None:
            train, val, args = GENERIC_METHODS[name]
            self.todo(GENERIC.format(name=name, train=train, val=val, args=args))
        self.scopes.append(_Scope(method=True, runner=runner))

    def leave_FunctionDef(self, original, updated):
        self.scopes.pop()
        added = SIGNATURES.get(original.name.value) if self.scopes[-1].hook_class else None
        if added is None or _old_signature(original) is None:
            return updated
        self.changes += 1
        new = [cst.parse_expression(f"lambda {p}: 0").params.params[0] for p in added]
        params = updated.params
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        old = [params.params[0], params.params[1].with_changes(comma=comma)]
        return updated.with_changes(params=params.with_changes(
            params=[*old, *(p.with_changes(comma=comma) for p in new[:-1]), new[-1]]))

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
        elif owner == scope.runner and attr in RUNNER_RENAMES:
            self.changes += 1
            return updated.with_changes(attr=cst.Name(RUNNER_RENAMES[attr]))
        elif owner == scope.runner and attr in RUNNER_TODOS:
            self.todo(RUNNER_TODOS[attr])
        return updated


class CustomHooks(Rule):
    id = RULE_ID
    title = "custom hooks: mmcv Hook methods -> MMEngine signatures and helpers"
    kind = CODE
    guide = GUIDE
    triggers = ("Hook",)
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
        return super().applies_to(kind, text) and "mmcv" in text

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = ctx.import_map(module)
        if not any(v == "mmcv" or v.startswith("mmcv.") for v in imap.names.values()):
            return module  # nothing imported from mmcv: no class here derives from its Hook
        visitor = _Hooks(imap)
        updated = module.visit(visitor)
        if updated.deep_equals(module):
            return module
        ctx.record(RULE_ID, max(1, visitor.changes))
        return updated
