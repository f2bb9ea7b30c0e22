"""MMC2: `mmcls.apis` calls that have a different shape in MMPretrain 1.2.

- MMC201 `inference_model(model, img)` -> an `ImageClassificationInferencer` built once from the
  model, called as `inferencer(img)[0]` (1.2 returns a list of dicts with `pred_label`,
  `pred_score`, `pred_scores` and, when the classes are known, `pred_class`);
  `show_result_pyplot(model, img, result)` -> `inferencer(img, show=True)`.
- MMC202 `train_model(...)` -> `Runner.from_cfg(cfg)` + `runner.train()`; `single_gpu_test` /
  `multi_gpu_test` -> `runner.test()`.
- MMC203 `set_random_seed` -> `mmengine.runner.set_random_seed`; `init_random_seed(seed)` ->
  `mmengine.dist.sync_random_seed()` when no seed is given.
`init_model` keeps its name (1.2 still has it); MMC1 renames its import.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from codemods import data_pipeline as dp
from codemods.walk import EXPRESSION_PARTS, LEAVES, look
from codemods.rule import CODE, Context, Rule
from codemods.rules import _calls, _scopes
from codemods.rules._calls import visit_only
from codemods.todo import TodoTransformer

APIS = "mmcls.apis"
# MMSelfSup 0.x had the same training helpers (mmselfsup.apis) and test loops (mmselfsup.utils).
RUNNER_PACKAGES = ("mmcls.apis", "mmselfsup.apis", "mmselfsup.utils")
SEED_PACKAGES = ("mmcls.apis", "mmselfsup.apis")
GUIDE = "模块变动 / mmpretrain.apis"
INFERENCER = ("mmpretrain.apis", "ImageClassificationInferencer")
RUNNER = ("mmengine.runner", "Runner")


class _Plan:
    """Where one model's inferencer is built and what it is called (`inferencer`, `self.x`)."""

    def __init__(self, name: str, model: str) -> None:
        self.name = name
        self.statement = cst.parse_statement(f"{name} = {INFERENCER[1]}({model})\n")

    def expression(self) -> cst.BaseExpression:
        return cst.parse_expression(self.name)


class _InferencePlanner(_scopes.Stack):
    """Find the calls to rewrite and the place where each model's inferencer is built."""

    def __init__(self, imap, taken) -> None:
        super().__init__()
        self.imap = imap
        self.taken = taken
        self.calls: Dict[cst.Call, Tuple[str, Optional[_Plan]]] = {}  # call -> (function, plan)
        self.after: Dict[cst.CSTNode, List[_Plan]] = {}  # statement or function -> plans
        self._plans: Dict[Tuple[int, str], _Plan] = {}
        self.results = set()  # (result, model, img) code of `result = inference_model(model, img)`
        self.anchors = set()  # local names the replaced functions were reached through
        self.imports = _scopes.ImportOrder()
        self._found = []
        self.unfaithful = set()  # show_result_pyplot calls that draw some other result

    def visit_SimpleStatementLine(self, node) -> None:
        self.imports.see(node, self.scope()[1])

    def visit_Call(self, node: cst.Call) -> None:
        name = _calls.mmcls_function(self.imap, node.func, APIS, ("inference_model", "show_result_pyplot"))
        if name is None or _calls.has_star_args(node):
            return
        model = _calls.argument(node, 0, "model")
        img = _calls.argument(node, 1, "img")
        if model is None or img is None:
            return
        if name == "show_result_pyplot" and not self._is_statement():
            return
        if name == "show_result_pyplot" and not self._shows_known_result(node, model, img):
            self.unfaithful.add(node)
            return
        if name == "inference_model":
            self._remember_result(model, img)
        self._found.append((node, name, model, self.scope()[0], list(self.stack)))
        self.anchors.add(_calls.root_name(node.func))

    def plan(self) -> None:
        """After the visit (when every import of the file has been seen), place the inferencers."""
        for node, name, model, index, stack in self._found:
            root = _calls.root_name(node.func)
            if _is_self_attribute(model):
                plan = self._self_plan(model, root, stack)
            else:
                plan = self._plan(model, root, stack[index:])
            self.calls[node] = (name, plan)

    def _shows_known_result(self, node, model, img) -> bool:
        """Was `result` computed by inference_model(model, img) (same model and image)? Then a
        fresh prediction of the inferencer is the same picture."""
        result = _calls.argument(node, 2, "result")
        if result is None:
            return False
        return tuple(_calls.code_of(n) for n in (result, model, img)) in self.results

    def _is_statement(self) -> bool:
        return isinstance(self.stack[-2], cst.Expr) and isinstance(self.stack[-3], cst.SimpleStatementLine)

    def _remember_result(self, model, img) -> None:
        parent = self.stack[-2]
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            target = parent.targets[0].target
            self.results.add((_calls.code_of(target), _calls.code_of(model), _calls.code_of(img)))

    def _plan(self, model, root, ancestors) -> Optional[_Plan]:
        """The shared inferencer of `model`, or None when it must be built inline."""
        where = self._where(model, root, ancestors)
        if where is None:
            return None
        key = (id(where), model.value)
        if key not in self._plans:
            base = "inferencer" if model.value == "model" else f"{model.value}_inferencer"
            plan = _Plan(_calls.unique_name(base, self.taken), model.value)
            self._plans[key] = plan
            self.after.setdefault(where, []).append(plan)
        return self._plans[key]

    def _self_plan(self, model: cst.Attribute, root, stack) -> Optional[_Plan]:
        """`self.model`: build `self.model_inferencer` once, after the one `self.model = ...`."""
        cls = next((n for n in reversed(stack) if isinstance(n, cst.ClassDef)), None)
        if cls is None or self.imports.last(stack[0], root) is None or self._imported_below(root, stack):
            return None  # the new import must be visible from the whole class (a module import)
        where, mentioned = _scopes.self_attribute_assigned_once(cls, model.attr.value)
        if where is None:
            return None
        key = (id(where), _calls.code_of(model))
        if key not in self._plans:
            name = _calls.unique_name(f"{model.attr.value}_inferencer", set(mentioned))
            plan = _Plan(f"self.{name}", _calls.code_of(model))
            self._plans[key] = plan
            self.after.setdefault(where, []).append(plan)
        return self._plans[key]

    def _imported_below(self, root, stack) -> bool:
        """Is `root` also imported inside a function or class (where the call is)?"""
        return any(self.imports.last(node, root) is not None for node in stack[1:]
                   if isinstance(node, _scopes.SCOPES))

    def _where(self, model, root, ancestors):
        """The statement after which (or function at whose top) the inferencer is built."""
        scope = ancestors[0]
        if not isinstance(model, cst.Name) or isinstance(scope, cst.Lambda):
            return None
        bound = _scopes.where_bound(scope, model.value)
        if bound is None:
            return None
        kind, where = bound
        if kind == "assign" and not _scopes.dominates(where, ancestors):
            return None
        # The new import lands next to the old one: the inferencer must come after it.
        last = self.imports.last(scope, root)
        if last is None or (kind == "assign" and self.imports.before(last, where)):
            return where
        if kind == "param" and _scopes.dominates(last, ancestors):
            return last
        return None


class _InferenceRewriter(TodoTransformer):
    rule_id = "MMC201"

    def __init__(self, planner: _InferencePlanner, ctx: Context) -> None:
        super().__init__()
        self.planner = planner
        self.ctx = ctx

    def leave_Call(self, original, updated):
        if original in self.planner.unfaithful:
            self.todo("show_result_pyplot was removed: ImageClassificationInferencer(model)(img, show=True) "
                      "draws a new prediction of img, not this `result`; to draw a given result use "
                      "mmpretrain.visualization.UniversalVisualizer().visualize_cls(image, data_sample, show=True)")
            return updated
        if original not in self.planner.calls:
            return updated
        name, plan = self.planner.calls[original]
        model = _calls.argument(updated, 0, "model")
        img = _calls.argument(updated, 1, "img")
        if plan is not None:
            inferencer = plan.expression()
        else:
            inferencer = cst.Call(cst.Name(INFERENCER[1]), [cst.Arg(model)])
        self.ctx.record(self.rule_id)
        if name == "inference_model":
            call = cst.Call(inferencer, [cst.Arg(img)])
            return cst.Subscript(call, [cst.SubscriptElement(cst.Index(cst.Integer("0")))])
        return self._show(original, updated, inferencer, img)

    def _show(self, original, updated, inferencer, img):
        args = [cst.Arg(img), dp.new_arg("show", cst.Name("True"))]
        wait = _calls.argument(updated, 5, "wait_time")
        if wait is not None:
            args.append(dp.new_arg("wait_time", wait))
        dropped = [k for k in ("fig_size", "title") if _calls.argument(updated, _SHOW_ARGS.index(k), k)]
        if dropped:
            self.todo(f"show_result_pyplot argument(s) {', '.join(dropped)}: no counterpart in the 1.2 "
                      "inferencer (it takes resize, rescale_factor, draw_score, show_dir); "
                      f"dropped from: {_calls.code_of(original)}")
        return cst.Call(inferencer, args)

    def leave_SimpleStatementLine(self, original, updated):
        plans = self.planner.after.get(original)
        if not plans:
            return updated
        return cst.FlattenSentinel([updated, *[p.statement for p in plans]])

    def leave_FunctionDef(self, original, updated):
        plans = self.planner.after.get(original)
        if not plans or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        body = list(updated.body.body)
        at = _scopes.body_start(updated.body)
        body[at:at] = [p.statement for p in plans]
        return updated.with_changes(body=updated.body.with_changes(body=body))


_SHOW_ARGS = ["model", "img", "result", "fig_size", "title", "wait_time"]


def _is_self_attribute(node) -> bool:
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self"


class InferenceModel(Rule):
    id = "MMC201"
    title = "inference_model / show_result_pyplot -> ImageClassificationInferencer"
    kind = CODE
    guide = GUIDE
    triggers = ("inference_model", "show_result_pyplot")
    before = (
        "from mmcls.apis import inference_model, init_model\n"
        "model = init_model(config, checkpoint)\n"
        "result = inference_model(model, 'demo.jpg')\n"
    )
    after = (
        "from mmcls.apis import init_model\n"
        "from mmpretrain.apis import ImageClassificationInferencer\n"
        "model = init_model(config, checkpoint)\n"
        "inferencer = ImageClassificationInferencer(model)\n"
        "result = inferencer('demo.jpg')[0]\n"
    )

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = _calls.import_map(ctx, module)
        if not _calls.may_call(imap, APIS, self.triggers):
            return module
        planner = _InferencePlanner(imap, _calls.names_in(module, imap))
        look(module, planner)
        planner.plan()
        if not planner.calls and not planner.unfaithful:
            return module
        wanted = {id(n) for n in (*planner.calls, *planner.unfaithful, *planner.after)}
        module = visit_only(module, _InferenceRewriter(planner, ctx),
                            _calls.marked(module, lambda node: id(node) in wanted))
        after = {anchor: [INFERENCER] for anchor in planner.anchors}
        return _calls.fix_imports(module, imap, planner.anchors, after, ctx=ctx)


_TRAIN_MOVED = {
    "model": "the Runner builds the model from cfg.model",
    "dataset": "the dataloaders come from cfg.train_dataloader (and val_dataloader)",
    "distributed": "cfg.launcher",
    "validate": "cfg.val_dataloader, val_cfg and val_evaluator (set them to None to skip validation)",
    "timestamp": "the Runner names its log folder by time itself",
    "device": "the Runner puts the model on the available device",
    "meta": "the Runner logs env info, seed and config and saves dataset_meta in checkpoints",
}
_TRAIN_ARGS = {
    "mmcls": ["model", "dataset", "cfg", "distributed", "validate", "timestamp", "device", "meta"],
    "mmselfsup": ["model", "dataset", "cfg", "distributed", "timestamp", "meta"],
}
_TEST_TODO = ("runner.test() builds the model and cfg.test_dataloader from the config and loads "
              "cfg.load_from (set it to the checkpoint); show/out_dir -> "
              "default_hooks.visualization; tmpdir/gpu_collect -> test_evaluator collect_device")
_RESULT_TODO = ("runner.test() returns the metrics of cfg.test_evaluator, not per-image outputs: "
                "the code that uses this result must change")


class _RunnerRewriter(TodoTransformer):
    rule_id = "MMC202"

    def __init__(self, imap, ctx: Context, module: cst.Module) -> None:
        super().__init__()
        self.imap = imap
        self.ctx = ctx
        self.module = module
        self._runner: Optional[str] = None
        self.anchors = set()

    @property
    def runner(self) -> str:
        """The runner's variable name, chosen (one pass over the file) when first needed."""
        if self._runner is None:
            self._runner = _calls.unique_name("runner", _calls.names_in(self.module, self.imap))
        return self._runner

    def leave_SimpleStatementLine(self, original, updated):
        call, targets = _calls.statement_call(updated)
        name = call and _calls.mmcls_function(self.imap, call.func, RUNNER_PACKAGES, _RUNNER_CALLS)
        if not name:
            return updated
        if _calls.has_star_args(call):
            self.todo(f"{name} was removed in MMPretrain 1.x: use Runner.from_cfg(cfg) and runner.{_RUNNER_CALLS[name]}()")
            return updated
        if name == "train_model":
            return self._train(updated, call, targets)
        return self._test(updated, call, targets, name)

    def _train(self, line, call, targets):
        cfg = _calls.argument(call, 2, "cfg")
        if cfg is None or targets is not None:
            self.todo("train_model was removed in MMPretrain 1.x: use runner = Runner.from_cfg(cfg); runner.train()")
            return line
        moved = []
        package = self.imap.qualified(call.func).split(".")[0]
        for i, key in enumerate(_TRAIN_ARGS[package]):
            value = _calls.argument(call, i, key)
            if value is not None and key in _TRAIN_MOVED:
                # name the value, so that nothing the call said is lost
                moved.append(f"{key}={_calls.code_of(value)} -> {_TRAIN_MOVED[key]}")
        self.todo("train_model(...) arguments now come from the config: " + "; ".join(moved))
        return self._replace(line, call, cfg, f"{self.runner}.train()")

    def _test(self, line, call, targets, name):
        config = _config_name(self.module)
        if config is None:
            self.todo(f"{name} was removed in MMPretrain 1.x: use Runner.from_cfg(cfg) and runner.test(); {_TEST_TODO}")
            return line
        self.todo(_TEST_TODO)
        test = f"{self.runner}.test()"
        if targets is not None:
            self.todo(_RESULT_TODO)
            test = "".join(_calls.code_of(t) for t in targets) + test
        return self._replace(line, call, cst.Name(config), test)

    def _replace(self, line, call, cfg, last: str):
        self.ctx.record(self.rule_id)
        self.anchors.add(_calls.root_name(call.func))
        code = f"{self.runner} = {RUNNER[1]}.from_cfg({_calls.code_of(cfg)})\n{last}\n"
        return cst.FlattenSentinel(_calls.parse_lines(code, line))


_RUNNER_CALLS = {"train_model": "train", "single_gpu_test": "test", "multi_gpu_test": "test"}


def _runner_call(imap, node) -> bool:
    """A statement `_RunnerRewriter` rewrites (or marks)."""
    if type(node) is not cst.SimpleStatementLine:
        return False
    call, _ = _calls.statement_call(node)
    return bool(call and _calls.mmcls_function(imap, call.func, RUNNER_PACKAGES, _RUNNER_CALLS))


def _config_name(module: cst.Module) -> Optional[str]:
    """`cfg` (or `config`) if the file has a variable of that name, for Runner.from_cfg."""
    used = _calls.used_names(module)  # (not `model.cfg` nor `f(cfg=...)`)
    return next((name for name in ("cfg", "config") if name in used), None)


class TrainAndTest(Rule):
    id = "MMC202"
    title = "train_model / single_gpu_test / multi_gpu_test -> Runner.from_cfg(cfg).train() / .test()"
    kind = CODE
    guide = GUIDE
    triggers = ("train_model", "single_gpu_test", "multi_gpu_test")
    before = (
        "from mmcls.apis import train_model\n"
        "train_model(model, datasets, cfg, distributed=True)\n"
    )
    after = (
        "from mmengine.runner import Runner\n"
        "# TODO(mmcodemod): MMC202 train_model(...) arguments now come from the config: "
        "model=model -> the Runner builds the model from cfg.model; dataset=datasets -> the "
        "dataloaders come from cfg.train_dataloader (and val_dataloader); distributed=True -> cfg.launcher\n"
        "runner = Runner.from_cfg(cfg)\n"
        "runner.train()\n"
    )

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = _calls.import_map(ctx, module)
        if not _calls.may_call(imap, RUNNER_PACKAGES, self.triggers):
            return module
        rewriter = _RunnerRewriter(imap, ctx, module)
        quiet = _calls.calls_quiet(ctx, imap, RUNNER_PACKAGES)
        module = visit_only(module, rewriter, _calls.marked(module, lambda node: _runner_call(imap, node),
                                                            EXPRESSION_PARTS, quiet))
        if not rewriter.anchors:
            return module
        after = {anchor: [RUNNER] for anchor in rewriter.anchors}
        return _calls.fix_imports(module, imap, rewriter.anchors, after, ctx=ctx)


SET_SEED = ("mmengine.runner", "set_random_seed")
SYNC_SEED = ("mmengine.dist", "sync_random_seed")


def _plain(value) -> bool:
    """A value that can be evaluated twice or dropped: a name, `a.b.c` or a literal."""
    if isinstance(value, cst.Attribute):
        return _plain(value.value)
    return value is None or isinstance(value, (cst.Name, cst.SimpleString, cst.Integer))


class _SeedRewriter(TodoTransformer):
    rule_id = "MMC203"

    def __init__(self, imap, ctx: Context) -> None:
        super().__init__()
        self.imap = imap
        self.ctx = ctx
        self.anchors = {}  # local name -> new imports to add after it
        self._bare = set()  # calls whose value needs no parentheses

    def _no_parens(self, value) -> None:
        self._bare.add(value)

    def visit_Assign(self, node):
        self._no_parens(node.value)

    def visit_Arg(self, node):
        self._no_parens(node.value)

    def visit_Return(self, node):
        self._no_parens(node.value)

    def leave_Attribute(self, original, updated):
        if _calls.mmcls_function(self.imap, original, SEED_PACKAGES, ("set_random_seed",)):
            self._anchor(original, SET_SEED)
            return cst.Name(SET_SEED[1])
        return updated

    def leave_Call(self, original, updated):
        if not _calls.mmcls_function(self.imap, original.func, SEED_PACKAGES, ("init_random_seed",)):
            return updated
        seed = _calls.argument(updated, 0, "seed")
        device = _calls.argument(updated, 1, "device")
        simple = _plain(seed) and _plain(device)
        if _calls.has_star_args(updated) or not simple:
            self.todo("init_random_seed was removed: use `seed if seed is not None else "
                      "mmengine.dist.sync_random_seed()`")
            return updated
        self._anchor(original.func, SYNC_SEED)
        sync = cst.Call(cst.Name(SYNC_SEED[1]))
        if seed is None or (isinstance(seed, cst.Name) and seed.value == "None"):
            return sync
        choice = cst.parse_expression(f"{_calls.code_of(seed)} if {_calls.code_of(seed)} is not None else x()")
        choice = choice.with_changes(orelse=sync)
        if original in self._bare:
            return choice
        return choice.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])

    def _anchor(self, func, target) -> None:
        self.ctx.record(self.rule_id)
        self.anchors.setdefault(_calls.root_name(func), []).append(target)


def _seed_node(imap, node) -> bool:
    """A node `_SeedRewriter` replaces."""
    if type(node) is cst.Attribute:
        return bool(_calls.mmcls_function(imap, node, SEED_PACKAGES, ("set_random_seed",)))
    return type(node) is cst.Call and bool(
        _calls.mmcls_function(imap, node.func, SEED_PACKAGES, ("init_random_seed",)))


class RandomSeed(Rule):
    id = "MMC203"
    title = "set_random_seed / init_random_seed -> mmengine.runner.set_random_seed / mmengine.dist.sync_random_seed"
    kind = CODE
    guide = GUIDE
    triggers = ("set_random_seed", "init_random_seed")
    before = (
        "from mmcls.apis import init_random_seed, set_random_seed\n"
        "seed = init_random_seed(args.seed)\n"
        "set_random_seed(seed, deterministic=True)\n"
    )
    after = (
        "from mmengine.runner import set_random_seed\n"
        "from mmengine.dist import sync_random_seed\n"
        "seed = args.seed if args.seed is not None else sync_random_seed()\n"
        "set_random_seed(seed, deterministic=True)\n"
    )

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = _calls.import_map(ctx, module)
        if not _calls.may_call(imap, SEED_PACKAGES, self.triggers):
            return module
        moved = {local: SET_SEED for local, target in imap.names.items()
                 if _calls.qualified_function(target, SEED_PACKAGES, ("set_random_seed",))}
        rewriter = _SeedRewriter(imap, ctx)
        quiet = _calls.calls_quiet(ctx, imap, SEED_PACKAGES)
        seeds = _calls.marked(module, lambda node: _seed_node(imap, node), LEAVES, quiet)
        module = visit_only(module, rewriter, seeds)
        for local in set(moved) - set(ctx.import_map(module).names):
            # bound by `from mmcls.apis import *`: import the new function after it
            del moved[local]
            rewriter.anchors.setdefault(local, []).append(SET_SEED)
        if moved:
            ctx.record(self.id, len(moved))
        if not rewriter.anchors and not moved:
            return module
        return _calls.fix_imports(module, imap, set(rewriter.anchors), rewriter.anchors, moved, ctx=ctx)


_MODEL_ATTRIBUTES = {"CLASSES": "_dataset_meta[{q}classes{q}]", "cfg": "_config"}


def _is_init_model(imap, statement) -> bool:
    """`name = init_model(...)` (mmcls')."""
    value = statement.body[0].value
    return isinstance(value, cst.Call) and bool(_calls.mmcls_function(imap, value.func, APIS, ("init_model",)))


class _ModelAttributes(_scopes.ScopeTracker, TodoTransformer):
    """Rewrite attributes of a variable bound once, in the same scope, by mmcls' init_model."""

    rule_id = "MMC204"

    def __init__(self, imap, ctx: Context, set_attributes: Set[Tuple[str, str]]) -> None:
        super().__init__()
        self.imap = imap
        self.ctx = ctx
        self.stores = set()  # attributes that are assigned to
        self.set_attributes = set_attributes
        self.quotes: List[str] = []  # quotes of the enclosing f-strings (before 3.12 a nested
        # string literal must use the other quote)

    def _is_model(self, name: str) -> bool:
        return self.assigned_once(name, lambda statement: _is_init_model(self.imap, statement))

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.quotes.append(node.quote)

    def leave_FormattedString(self, original, updated):
        self.quotes.pop()
        return updated

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.stores.add(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.stores.add(node.target)

    def leave_Attribute(self, original, updated):
        name = original.attr.value
        if name not in _MODEL_ATTRIBUTES and name != "show_result":
            return updated
        if not isinstance(original.value, cst.Name) or not self._is_model(original.value.value):
            return updated
        if name == "show_result":
            self.todo("1.2 models have no show_result: use ImageClassificationInferencer(model)(img, "
                      "show=True) or its show_dir= to save the drawings")
            return updated
        if original in self.stores or (original.value.value, name) in self.set_attributes:
            self.todo(f"1.2 models have no `{name}` attribute: the classes are in "
                      "model._dataset_meta['classes'] and the config in model._config")
            return updated
        used = "".join(self.quotes)
        quote = "'" if "'" not in used else '"'
        if "'" in used and '"' in used:
            self.todo(f"1.2 models have no `{name}` attribute: use model._dataset_meta['classes'] / model._config")
            return updated
        self.ctx.record(self.rule_id)
        return cst.parse_expression(f"{original.value.value}.{_MODEL_ATTRIBUTES[name].format(q=quote)}")


class InitModelAttributes(Rule):
    id = "MMC204"
    title = "init_model(...).CLASSES / .cfg -> model._dataset_meta['classes'] / model._config"
    kind = CODE
    guide = GUIDE
    triggers = ("init_model",)
    before = (
        "from mmcls.apis import init_model\n"
        "model = init_model(config, checkpoint)\n"
        "print(model.CLASSES, model.cfg.model)\n"
    )
    after = (
        "from mmcls.apis import init_model\n"
        "model = init_model(config, checkpoint)\n"
        "print(model._dataset_meta['classes'], model._config.model)\n"
    )

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = _calls.import_map(ctx, module)
        if not _calls.may_call(imap, APIS, self.triggers):
            return module
        attributes = _calls.marked(module, lambda node: type(node) is cst.Attribute and type(node.value) is cst.Name
                                   and (node.attr.value in _MODEL_ATTRIBUTES or node.attr.value == "show_result"),
                                   LEAVES)
        return visit_only(module, _ModelAttributes(imap, ctx, _set_attributes(module)), attributes)


def _set_attributes(module: cst.Module) -> Set[Tuple[str, str]]:
    """(variable, attribute) pairs the file assigns, like `model.CLASSES = [...]`: reading the
    1.2 place while the script sets the old one would mix the two, so neither is rewritten."""
    return {(name, attr) for name, attr in _calls.attribute_targets(module) if attr in _MODEL_ATTRIBUTES}


class _InitModelCalls(TodoTransformer):
    rule_id = "MMC205"

    def __init__(self, imap) -> None:
        super().__init__()
        self.imap = imap
        self.marked = False  # a TODO was added (its only change)

    def todo(self, message: str) -> None:
        self.marked = True
        super().todo(message)

    def visit_Call(self, node: cst.Call) -> None:
        if not _calls.mmcls_function(self.imap, node.func, APIS, ("init_model",)):
            return
        if _calls.has_star_args(node):
            return
        if _calls.argument(node, 3, "options") is not None:
            self.todo("init_model has no `options` in 1.2 (its keyword arguments override cfg.model): "
                      "merge the options into the config first (cfg.merge_from_dict(options))")
        if _calls.argument(node, 2, "device") is None:
            self.todo("0.x init_model put the model on 'cuda:0' by default; 1.2 leaves it on the CPU "
                      "unless device= is given")


class InitModel(Rule):
    id = "MMC205"
    title = "init_model: `options` removed, no default device (TODO)"
    kind = CODE
    guide = GUIDE
    triggers = ("init_model",)
    before = "from mmcls.apis import init_model\nmodel = init_model(config, checkpoint)\n"
    after = (
        "from mmcls.apis import init_model\n"
        "# TODO(mmcodemod): MMC205 0.x init_model put the model on 'cuda:0' by default; 1.2 leaves it "
        "on the CPU unless device= is given\n"
        "model = init_model(config, checkpoint)\n"
    )

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = _calls.import_map(ctx, module)
        if not _calls.may_call(imap, APIS, self.triggers):
            return module
        calls = _calls.marked(module, lambda node: type(node) is cst.Call and bool(
            _calls.mmcls_function(imap, node.func, APIS, ("init_model",))), LEAVES,
            _calls.calls_quiet(ctx, imap, APIS))
        marker = _InitModelCalls(imap)
        updated = visit_only(module, marker, calls)
        return updated if marker.marked else module  # no TODO: no new text to make
