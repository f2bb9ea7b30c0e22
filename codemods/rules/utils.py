"""MMC21x: `mmcls.utils` functions that MMPretrain 1.2 dropped or moved to MMEngine.

`collect_env` is unchanged (MMC1 renames its import to mmpretrain.utils).
- MMC211 `get_root_logger(...)` -> `MMLogger.get_current_instance()`.
- MMC212 `setup_multi_processes(cfg)` -> `mmengine.utils.dl_utils.set_multi_processing(...)`.
- MMC213 `model = wrap_(non_)distributed_model(model, ...)` -> dropped: the Runner wraps the model.
- MMC214 `auto_select_device()` -> `mmengine.device.get_device()`.
- MMC215 `load_json_log` -> TODO: 1.2's reads the new log format and returns another structure.
"""
from __future__ import annotations

from typing import Dict, List, Tuple

import libcst as cst

from codemods.walk import LEAVES, look
from codemods.rule import CODE, Context, Rule
from codemods.rules import _calls
from codemods.rules._calls import visit_only
from codemods.todo import TodoTransformer

UTILS = "mmcls.utils"
BOTH = (UTILS, "mmselfsup.utils")  # MMSelfSup 0.x had the same logger and setup helpers
GUIDE = "模块变动 / mmpretrain.utils"
LOGGER = ("mmengine.logging", "MMLogger")
MULTI = ("mmengine.utils.dl_utils", "set_multi_processing")
DEVICE = ("mmengine.device", "get_device")


class _CallRewriter(TodoTransformer):
    """Rewrites calls of one mmcls.utils function; `new_call` returns the replacement or None."""

    function = ""
    target: Tuple[str, str] = ("", "")
    packages: Tuple[str, ...] = (UTILS,)

    def __init__(self, imap, ctx: Context, rule_id: str) -> None:
        super().__init__()
        self.imap = imap
        self.ctx = ctx
        self.rule_id = rule_id
        self.anchors: Dict[str, List[Tuple[str, str]]] = {}

    def leave_Call(self, original, updated):
        if not _calls.mmcls_function(self.imap, original.func, self.packages, (self.function,)):
            return updated
        new = self.new_call(updated)
        if new is None:
            return updated
        self.ctx.record(self.rule_id)
        self.anchors.setdefault(_calls.root_name(original.func), []).append(self.target)
        return new

    def new_call(self, call: cst.Call):  # pragma: no cover
        raise NotImplementedError


def _calls_of(module, imap, rewriter_class, ctx):
    """The calls the rewriter may change, for `visit_only`."""
    names = (rewriter_class.function,)
    return _calls.marked(module, lambda node: type(node) is cst.Call and bool(
        _calls.mmcls_function(imap, node.func, rewriter_class.packages, names)), LEAVES,
        _calls.calls_quiet(ctx, imap, rewriter_class.packages))


def _run(rule: Rule, module: cst.Module, ctx: Context, rewriter_class) -> cst.Module:
    imap = _calls.import_map(ctx, module)
    if not _calls.may_call(imap, rewriter_class.packages, rule.triggers):
        return module
    rewriter = rewriter_class(imap, ctx, rule.id)
    module = visit_only(module, rewriter, _calls_of(module, imap, rewriter_class, ctx))
    if not rewriter.anchors:
        return module
    return _calls.fix_imports(module, imap, set(rewriter.anchors), rewriter.anchors, ctx=ctx)


class _Logger(_CallRewriter):
    function = "get_root_logger"
    target = LOGGER
    packages = BOTH

    def new_call(self, call):
        if call.args:
            passed = ", ".join(_calls.code_of(a).rstrip(", ") for a in call.args)
            self.todo(f"get_root_logger({passed}): the Runner creates the logger, writes the log file "
                      "to its work_dir and takes log_level from the config; for a logger of your own "
                      "use MMLogger.get_instance(name, log_file=..., log_level=...)")
        return cst.parse_expression(f"{LOGGER[1]}.get_current_instance()")


class RootLogger(Rule):
    id = "MMC211"
    title = "get_root_logger -> MMLogger.get_current_instance()"
    kind = CODE
    guide = GUIDE
    triggers = ("get_root_logger",)
    before = "from mmcls.utils import get_root_logger\nlogger = get_root_logger()\n"
    after = "from mmengine.logging import MMLogger\nlogger = MMLogger.get_current_instance()\n"

    def transform(self, module, ctx):
        return _run(self, module, ctx, _Logger)


class _MultiProcesses(_CallRewriter):
    function = "setup_multi_processes"
    target = MULTI
    packages = BOTH

    def new_call(self, call):
        cfg = _calls.argument(call, 0, "cfg")
        if cfg is None or len(call.args) != 1:
            self.todo("setup_multi_processes was removed: call mmengine.utils.dl_utils."
                      "set_multi_processing(mp_start_method, opencv_num_threads, distributed)")
            return None
        self.todo("set_multi_processing reads env_cfg.mp_cfg (where 1.x configs keep mp_start_method "
                  "and opencv_num_threads); pass distributed=True in distributed runs to limit "
                  "OMP/MKL threads. A script that uses the Runner can drop this call: the Runner does it")
        source = _calls.code_of(cfg)
        return cst.parse_expression(f"{MULTI[1]}(**{source}.get('env_cfg', {{}}).get('mp_cfg', {{}}))")


class MultiProcesses(Rule):
    id = "MMC212"
    title = "setup_multi_processes(cfg) -> mmengine.utils.dl_utils.set_multi_processing"
    kind = CODE
    guide = GUIDE
    triggers = ("setup_multi_processes",)
    before = "from mmcls.utils import setup_multi_processes\nsetup_multi_processes(cfg)\n"
    after = (
        "from mmengine.utils.dl_utils import set_multi_processing\n"
        "# TODO(mmcodemod): MMC212 set_multi_processing reads env_cfg.mp_cfg (where 1.x configs keep "
        "mp_start_method and opencv_num_threads); pass distributed=True in distributed runs to limit "
        "OMP/MKL threads. A script that uses the Runner can drop this call: the Runner does it\n"
        "set_multi_processing(**cfg.get('env_cfg', {}).get('mp_cfg', {}))\n"
    )

    def transform(self, module, ctx):
        return _run(self, module, ctx, _MultiProcesses)


class _Device(_CallRewriter):
    function = "auto_select_device"
    target = DEVICE

    def __init__(self, imap, ctx, rule_id, keep) -> None:
        super().__init__(imap, ctx, rule_id)
        self.keep = keep  # local names imported under their old name: their calls stay

    def leave_Call(self, original, updated):
        if isinstance(original.func, cst.Name) and original.func.value in self.keep:
            return updated
        return super().leave_Call(original, updated)

    def new_call(self, call):
        if call.args:
            return None
        return cst.Call(cst.Name(DEVICE[1]))


class AutoSelectDevice(Rule):
    id = "MMC214"
    title = "auto_select_device() -> mmengine.device.get_device()"
    kind = CODE
    guide = GUIDE
    triggers = ("auto_select_device",)
    before = "from mmcls.utils import auto_select_device\ncfg.device = auto_select_device()\n"
    after = "from mmengine.device import get_device\ncfg.device = get_device()\n"

    def transform(self, module, ctx):
        imap = _calls.import_map(ctx, module)
        if not _calls.may_call(imap, UTILS, self.triggers):
            return module
        # A name also used as a value (`auto_select_device = None` in an except branch, a
        # callback) keeps its local name: import get_device under it.
        moved = {}
        used = _calls.used_names(module)
        calls = _BareCalls()
        look(module, calls)
        for local, target in imap.names.items():
            is_device = _calls.qualified_function(target, UTILS, self.triggers)
            if is_device and used.get(local, 0) > calls.count.get(local, 0):
                moved[local] = DEVICE
        if moved:
            ctx.record(self.id, len(moved))
        rewriter = _Device(imap, ctx, self.id, set(moved))
        module = visit_only(module, rewriter, _calls_of(module, imap, _Device, ctx))
        if not rewriter.anchors and not moved:
            return module
        return _calls.fix_imports(module, imap, set(rewriter.anchors), rewriter.anchors, moved, ctx=ctx)


class _BareCalls(cst.CSTVisitor):
    """How often each bare name is called as `name(...)`."""

    def __init__(self) -> None:
        self.count: Dict[str, int] = {}

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self.count[node.func.value] = self.count.get(node.func.value, 0) + 1


class _JsonLog(TodoTransformer):
    def __init__(self, imap, rule_id) -> None:
        super().__init__()
        self.imap = imap
        self.rule_id = rule_id

    def visit_Call(self, node: cst.Call) -> None:
        if _calls.mmcls_function(self.imap, node.func, UTILS, ("load_json_log",)):
            self.todo("mmpretrain.utils.load_json_log reads the 1.x json log and returns "
                      "{'train': [...], 'val': [...]} (lists of dicts per logged step), not "
                      "{epoch: {key: [values]}}: update the code that reads its result")


class JsonLog(Rule):
    id = "MMC215"
    title = "load_json_log: the log format and the result changed (TODO)"
    kind = CODE
    guide = GUIDE
    triggers = ("load_json_log",)
    before = "from mmcls.utils import load_json_log\nlog = load_json_log(path)\n"
    after = (
        "from mmcls.utils import load_json_log\n"
        "# TODO(mmcodemod): MMC215 mmpretrain.utils.load_json_log reads the 1.x json log and returns "
        "{'train': [...], 'val': [...]} (lists of dicts per logged step), not {epoch: {key: [values]}}: "
        "update the code that reads its result\n"
        "log = load_json_log(path)\n"
    )

    def transform(self, module, ctx):
        imap = _calls.import_map(ctx, module)
        if not _calls.may_call(imap, UTILS, self.triggers):
            return module
        calls = _calls.marked(module, lambda node: type(node) is cst.Call and bool(
            _calls.mmcls_function(imap, node.func, UTILS, ("load_json_log",))), LEAVES,
            _calls.calls_quiet(ctx, imap, UTILS))
        return visit_only(module, _JsonLog(imap, self.id), calls)


_WRAPPERS = ("wrap_distributed_model", "wrap_non_distributed_model")


class _Wrappers(TodoTransformer):
    """Drop `model = wrap_..._model(model, ...)`; mark every other use of the wrappers."""

    def __init__(self, imap, ctx: Context, rule_id: str) -> None:
        super().__init__()
        self.imap = imap
        self.ctx = ctx
        self.rule_id = rule_id
        self.anchors = set()

    def _wrapper(self, call) -> bool:
        return call is not None and bool(_calls.mmcls_function(self.imap, call.func, UTILS, _WRAPPERS))

    def _droppable(self, statement) -> bool:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        call, targets = _calls.statement_call(statement)
        if not self._wrapper(call) or not targets or len(targets) != 1:
            return False
        model = _calls.argument(call, 0, "model")
        target = targets[0].target
        return isinstance(model, cst.Name) and isinstance(target, cst.Name) and model.value == target.value

    def visit_Call(self, node: cst.Call) -> None:
        if self._wrapper(node):
            self.anchors.add(_calls.root_name(node.func))

    def leave_SimpleStatementLine(self, original, updated):
        if not self._droppable(original) and _mentions_wrapper(self, original):
            self.todo("wrap_distributed_model / wrap_non_distributed_model were removed: the Runner "
                      "wraps the model (cfg.model_wrapper_cfg); use the unwrapped model here")
        return updated

    def leave_IndentedBlock(self, original, updated):
        return updated.with_changes(body=self._drop(updated.body))

    def leave_Module(self, original, updated):
        return updated.with_changes(body=self._drop(updated.body))

    def _drop(self, body):
        """The statements without the dropped ones; their comments move to the next statement."""
        kept, comments = [], []
        for statement in body:
            if self._droppable(statement):
                self.ctx.record(self.rule_id)
                comments.extend(statement.leading_lines)
                continue
            if comments:
                statement = statement.with_changes(leading_lines=[*comments, *statement.leading_lines])
                comments = []
            kept.append(statement)
        return kept or [cst.SimpleStatementLine([cst.Pass()], leading_lines=comments)]


class _WrapperFinder(cst.CSTVisitor):
    def __init__(self, rewriter: _Wrappers) -> None:
        self.rewriter = rewriter
        self.found = False

    def visit_Call(self, node: cst.Call) -> None:
        self.found |= self.rewriter._wrapper(node)


def _mentions_wrapper(rewriter: _Wrappers, statement) -> bool:
    finder = _WrapperFinder(rewriter)
    look(statement, finder)
    return finder.found


class ModelWrappers(Rule):
    id = "MMC213"
    title = "wrap_distributed_model / wrap_non_distributed_model removed (the Runner wraps the model)"
    kind = CODE
    guide = GUIDE
    triggers = ("wrap_distributed_model", "wrap_non_distributed_model")
    before = (
        "from mmcls.utils import wrap_non_distributed_model\n\n\n"
        "def main(model, cfg):\n"
        "    model = wrap_non_distributed_model(model, cfg.device, device_ids=cfg.gpu_ids)\n"
        "    return model\n"
    )
    after = (
        "\n\n"
        "def main(model, cfg):\n"
        "    return model\n"
    )

    def transform(self, module, ctx):
        imap = _calls.import_map(ctx, module)
        if not _calls.may_call(imap, UTILS, self.triggers):
            return module
        rewriter = _Wrappers(imap, ctx, self.id)
        module = visit_only(module, rewriter, _calls.marked(
            module, lambda node: type(node) is cst.Call and rewriter._wrapper(node), LEAVES,
            _calls.calls_quiet(ctx, imap, UTILS)))
        return _calls.fix_imports(module, imap, rewriter.anchors, {}, ctx=ctx)
