"""Runtime config keys: checkpoint_config/log_config (+ evaluation.save_best) -> default_hooks and
visualizer, dist_params & co -> env_cfg, resume_from -> load_from + resume, and keys that are gone.

The shape written is MMPretrain 1.2's `_base_/default_runtime.py`; option names follow mmcv 1.x's
hooks on one side and MMEngine 0.10's hooks and visualization backends on the other.
"""
from __future__ import annotations

from typing import List, Optional

import libcst as cst

from codemods.config.derive import Derived, FromBases, apply
from codemods.config.edit import remove_keys, statement_of, todo_at
from codemods.config.model import assign_target, for_rule
from codemods.config.values import MISSING
from codemods.rule import CONFIG, Rule

GUIDE = "配置文件的通用改变 / 运行设置"
RUNTIME_KEYS = ("checkpoint_config", "log_config")


def _dict(value) -> Optional[dict]:
    return dict(value) if isinstance(value, dict) else None


# --- default_hooks --------------------------------------------------------------------------
# mmcv CheckpointHook options that MMEngine's CheckpointHook takes under the same name.
CHECKPOINT_OPTIONS = ("interval", "by_epoch", "save_optimizer", "out_dir", "max_keep_ckpts",
                      "save_last", "file_client_args", "filename_tmpl")
# mmcv TextLoggerHook options that MMEngine's LoggerHook takes (by_epoch is renamed).
LOGGER_OPTIONS = ("ignore_last", "interval_exp_name", "out_dir", "out_suffix", "keep_local",
                  "file_client_args")
# 0.x metric names that `save_best` may name -> MMPretrain 1.2 names (evaluator prefix / key:
# Accuracy 'accuracy/topK', SingleLabelMetric 'single-label/...', AveragePrecision and
# MultiLabelMetric 'multi-label/...', with '_micro' for the overall (OP/OR/OF1) averages).
METRIC_NAMES = {
    "accuracy_top-1": "accuracy/top1", "accuracy_top-5": "accuracy/top5", "accuracy": "accuracy/top1",
    "precision": "single-label/precision", "recall": "single-label/recall",
    "f1_score": "single-label/f1-score", "mAP": "multi-label/mAP",
    "CP": "multi-label/precision", "CR": "multi-label/recall", "CF1": "multi-label/f1-score",
    "OP": "multi-label/precision_micro", "OR": "multi-label/recall_micro",
    "OF1": "multi-label/f1-score_micro",
}


class DefaultHooksKey(Derived):
    key = "default_hooks"
    sources = RUNTIME_KEYS
    # the runner (or the train_cfg MMC403 made of it) says whether hooks count iterations
    reads = ("evaluation", "runner", "train_cfg")

    def convert(self, old, notes):
        hooks = dict(
            timer=dict(type="IterTimerHook"),
            logger=self.logger(old["log_config"], notes),
            param_scheduler=dict(type="ParamSchedulerHook"),
            checkpoint=self.checkpoint(old["checkpoint_config"], old["evaluation"], notes),
            sampler_seed=dict(type="DistSamplerSeedHook"),
            visualization=dict(type="VisualizationHook", enable=False),
        )
        if _iter_based(old["runner"]) or _iter_based(old["train_cfg"]):
            _count_iterations(hooks)
        return hooks

    def reverse(self, new):
        if not isinstance(new, dict):
            return {}
        old = {}
        logger = new.get("logger")
        if isinstance(logger, dict):
            log_config = {"interval": logger["interval"]} if "interval" in logger else {}
            if logger.get("type", "LoggerHook") == "LoggerHook":
                # what `logger()` took from the text logger hook goes back to one
                text = {k: logger[k] for k in LOGGER_OPTIONS if k in logger}
                if "log_metric_by_epoch" in logger:
                    text["by_epoch"] = logger["log_metric_by_epoch"]
                if text:
                    log_config["hooks"] = [{"type": "TextLoggerHook", **text}]
            if log_config:
                old["log_config"] = log_config
        checkpoint = new.get("checkpoint", MISSING)
        if checkpoint is None:
            old["checkpoint_config"] = None
        elif isinstance(checkpoint, dict):
            checkpoint = dict(checkpoint)
            if checkpoint.pop("type", "CheckpointHook") != "CheckpointHook":
                return {}
            best = {k: checkpoint.pop(k) for k in ("save_best", "rule") if k in checkpoint}
            if best:
                old["evaluation"] = best
            old["checkpoint_config"] = checkpoint
        return old

    def logger(self, log_config, notes: List[str]):
        hook = {"type": "LoggerHook"}
        log_config = _dict(log_config) or {}
        if "interval" in log_config:
            hook["interval"] = log_config["interval"]
        for text_hook in _hooks(log_config):
            if text_hook.get("type") != "TextLoggerHook":
                continue
            for key in LOGGER_OPTIONS:
                if key in text_hook:
                    hook[key] = text_hook[key]
            if "by_epoch" in text_hook:
                hook["log_metric_by_epoch"] = text_hook["by_epoch"]
        return hook

    def checkpoint(self, config, evaluation, notes: List[str]):
        if config is None:
            return None  # no checkpoints, as in 0.x
        config = _dict(config) if config is not MISSING else {"interval": 1}
        if config is None:
            notes.append("`checkpoint_config` is not a readable dict; set default_hooks.checkpoint by hand")
            return {"type": "CheckpointHook", "interval": 1}
        kind = config.pop("type", "CheckpointHook")
        hook = {"type": kind}
        for key in CHECKPOINT_OPTIONS:
            if key in config:
                hook[key] = config.pop(key)
        if hook.get("out_dir") == "":  # mmcv read an empty out_dir as work_dir, MMEngine only None
            del hook["out_dir"]
        if config:
            notes.append(f"checkpoint_config options {', '.join(map(str, config))} have no "
                         "CheckpointHook equivalent and were dropped")
        self.save_best(hook, evaluation, notes)
        return hook

    def save_best(self, hook: dict, evaluation, notes: List[str]) -> None:
        if not isinstance(evaluation, dict) or evaluation.get("save_best") is None:
            return
        best = evaluation["save_best"]
        if isinstance(best, str) and best != "auto" and "/" not in best:  # 1.x names have a '/'
            if best in METRIC_NAMES:
                best = METRIC_NAMES[best]
            else:
                notes.append(f"save_best={best!r} names a 0.x metric; use the 1.x metric name "
                             "(e.g. 'accuracy/top1')")
        hook["save_best"] = best
        if evaluation.get("rule") is not None:
            hook["rule"] = evaluation["rule"]


def _iter_based(loop) -> bool:
    """A 0.x runner or 1.x train_cfg that counts iterations."""
    return isinstance(loop, dict) and (loop.get("type") in ("IterBasedRunner", "IterBasedTrainLoop")
                                       or "max_iters" in loop or loop.get("by_epoch") is False)


def _count_iterations(hooks: dict) -> None:
    """mmcv's IterBasedRunner set by_epoch=False on the checkpoint and logger hooks it was given
    (setdefault); MMEngine's hooks count epochs unless told."""
    checkpoint, logger = hooks["checkpoint"], hooks["logger"]
    if isinstance(checkpoint, dict) and checkpoint.get("type") == "CheckpointHook":
        checkpoint.setdefault("by_epoch", False)
    if logger.get("type") == "LoggerHook":
        logger.setdefault("log_metric_by_epoch", False)


def _hooks(log_config: dict) -> List[dict]:
    hooks = log_config.get("hooks")
    if not isinstance(hooks, (list, tuple)):
        return []
    return [dict(h) for h in hooks if isinstance(h, dict)]


# --- visualizer -----------------------------------------------------------------------------
# mmcv logger hooks -> MMEngine vis backends, with the options that carry over unchanged.
BACKENDS = {
    "TextLoggerHook": ("LocalVisBackend", ()),
    "TensorboardLoggerHook": ("TensorboardVisBackend", ()),
    "WandbLoggerHook": ("WandbVisBackend", ("init_kwargs",)),
    "MMClsWandbHook": ("WandbVisBackend", ("init_kwargs",)),
    "MlflowLoggerHook": ("MLflowVisBackend", ("exp_name", "tags", "params")),
    "NeptuneLoggerHook": ("NeptuneVisBackend", ("init_kwargs",)),
    "ClearMLLoggerHook": ("ClearMLVisBackend", ("init_kwargs",)),
    "DvcliveLoggerHook": ("DVCLiveVisBackend", ()),
}
# Options of the text logger that the LoggerHook took over (no note needed for them).
TAKEN_BY_LOGGER = set(LOGGER_OPTIONS) | {"type", "interval", "by_epoch"}


class VisualizerKey(Derived):
    key = "visualizer"
    sources = ("log_config",)
    needs = RUNTIME_KEYS

    def convert(self, old, notes):
        backends = [{"type": "LocalVisBackend"}]  # MMPretrain always logs locally
        log_config = _dict(old["log_config"]) or {}
        for hook in _hooks(log_config):
            backend = self.backend(hook, notes)
            if backend is not None and backend not in backends:
                backends.append(backend)
        return {"type": "UniversalVisualizer", "vis_backends": backends}

    def reverse(self, new):
        backends = new.get("vis_backends") if isinstance(new, dict) else None
        if not isinstance(backends, (list, tuple)):
            return {}
        hooks = []
        for backend in backends:
            hook = _hook_of(backend)
            if hook is None:
                return {}
            hooks.append(hook)
        return {"log_config": {"hooks": hooks}}

    def backend(self, hook: dict, notes: List[str]) -> Optional[dict]:
        kind = hook.pop("type", None)
        if kind not in BACKENDS:
            notes.append(f"logger hook {kind!r} has no visualization backend here; add one to "
                         "visualizer.vis_backends by hand")
            return None
        name, options = BACKENDS[kind]
        backend = {"type": name}
        for key in options:
            if key in hook:
                backend[key] = hook.pop(key)
        dropped = [k for k in hook if k not in TAKEN_BY_LOGGER and k != "interval"]
        if kind == "TextLoggerHook":
            dropped = [k for k in dropped if k not in LOGGER_OPTIONS]
        if dropped:
            notes.append(f"{kind} options {', '.join(map(str, dropped))} were not migrated to {name}")
        if kind == "MMClsWandbHook":
            notes.append("MMClsWandbHook's checkpoint and evaluation-table logging has no "
                         "equivalent in WandbVisBackend")
        return backend


def _hook_of(backend) -> Optional[dict]:
    """The mmcv logger hook a vis backend stands for (the first one that maps to it)."""
    if not isinstance(backend, dict):
        return None
    backend = dict(backend)
    kind = backend.pop("type", None)
    for hook_type, (name, options) in BACKENDS.items():
        if name == kind and set(backend) <= set(options):
            return {"type": hook_type, **backend}
    return None


class DefaultScopeKey(Derived):
    key = "default_scope"
    needs = RUNTIME_KEYS

    def convert(self, old, notes):
        return "mmpretrain"


class HooksRule(FromBases, Rule):
    """checkpoint_config and log_config become `default_hooks` (MMPretrain 1.2's full set) and
    `visualizer`; `evaluation.save_best` goes to the checkpoint hook; the config that holds the
    runtime gets `default_scope = 'mmpretrain'`.

    `evaluation` is read, not removed: the evaluator rule (MMC5) replaces it later.
    """

    id = "MMC411"
    title = "checkpoint_config / log_config -> default_hooks, visualizer, default_scope"
    kind = CONFIG
    guide = GUIDE
    triggers = (*RUNTIME_KEYS, "_base_")  # a leaf may join evaluation.save_best and a runtime base
    before = """
        checkpoint_config = dict(interval=1)
        log_config = dict(interval=100, hooks=[
            dict(type='TextLoggerHook'),
            dict(type='TensorboardLoggerHook'),
        ])
    """
    after = """
        default_scope = 'mmpretrain'
        default_hooks = dict(
            timer=dict(type='IterTimerHook'),
            logger=dict(type='LoggerHook', interval=100),
            param_scheduler=dict(type='ParamSchedulerHook'),
            checkpoint=dict(type='CheckpointHook', interval=1),
            sampler_seed=dict(type='DistSamplerSeedHook'),
            visualization=dict(type='VisualizationHook', enable=False),
        )
        visualizer = dict(
            type='UniversalVisualizer',
            vis_backends=[
                dict(type='LocalVisBackend'),
                dict(type='TensorboardVisBackend'),
            ],
        )
    """

    def transform(self, module, ctx):
        return apply(module, ctx.path, self.id, self.specs(), ctx)

    def specs(self):
        return [DefaultScopeKey(), DefaultHooksKey(), VisualizerKey()]


# --- env_cfg --------------------------------------------------------------------------------
ENV_KEYS = ("dist_params", "mp_start_method", "opencv_num_threads", "cudnn_benchmark")


class EnvCfgKey(Derived):
    key = "env_cfg"
    sources = ENV_KEYS

    def convert(self, old, notes):
        def get(key, default):
            value = old[key]
            return default if value is MISSING else value

        return dict(
            cudnn_benchmark=get("cudnn_benchmark", False),
            mp_cfg=dict(mp_start_method=get("mp_start_method", "fork"),
                        opencv_num_threads=get("opencv_num_threads", 0)),
            dist_cfg=get("dist_params", dict(backend="nccl")),
        )

    def reverse(self, new):
        if not isinstance(new, dict):
            return {}
        old = {}
        if "cudnn_benchmark" in new:
            old["cudnn_benchmark"] = new["cudnn_benchmark"]
        if "dist_cfg" in new:
            old["dist_params"] = new["dist_cfg"]
        mp_cfg = new.get("mp_cfg")
        if isinstance(mp_cfg, dict):
            old.update((k, mp_cfg[k]) for k in ("mp_start_method", "opencv_num_threads") if k in mp_cfg)
        return old


class EnvCfgRule(Rule):
    """dist_params, mp_start_method, opencv_num_threads and cudnn_benchmark become `env_cfg`."""

    id = "MMC412"
    title = "dist_params / mp_start_method / opencv_num_threads / cudnn_benchmark -> env_cfg"
    kind = CONFIG
    guide = GUIDE
    triggers = ENV_KEYS
    before = """
        dist_params = dict(backend='nccl')
    """
    after = """
        env_cfg = dict(
            cudnn_benchmark=False,
            mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
            dist_cfg=dict(backend='nccl'),
        )
    """

    def transform(self, module, ctx):
        return apply(module, ctx.path, self.id, [EnvCfgKey()], ctx)


# --- resume_from ----------------------------------------------------------------------------
class LoadFromKey(Derived):
    key = "load_from"
    needs = ("resume_from",)
    reads = ("resume_from", "load_from")

    def convert(self, old, notes):
        if old["resume_from"] is not None:
            return old["resume_from"]  # 0.x resumed from it, ignoring load_from
        return None if old["load_from"] is MISSING else old["load_from"]


class ResumeKey(Derived):
    key = "resume"
    sources = ("resume_from",)

    def convert(self, old, notes):
        return old["resume_from"] is not None


class ResumeRule(Rule):
    """`resume_from = X` becomes `load_from = X` and `resume = True` (`resume = False` for None)."""

    id = "MMC413"
    title = "resume_from -> load_from + resume"
    kind = CONFIG
    guide = GUIDE
    triggers = ("resume_from",)
    before = """
        load_from = None
        resume_from = 'work_dirs/epoch_10.pth'
    """
    after = """
        load_from = 'work_dirs/epoch_10.pth'
        resume = True
    """

    def transform(self, module, ctx):
        return apply(module, ctx.path, self.id, [LoadFromKey(), ResumeKey()], ctx)


# --- keys that are gone ---------------------------------------------------------------------
GONE = {
    "gpu_ids": "`gpu_ids` was removed in 1.x: choose GPUs with CUDA_VISIBLE_DEVICES and the launcher",
    "device": "`device` was removed in 1.x: MMEngine picks the device itself",
}
DEFAULT_WORKFLOW = [("train", 1)]


class RemovedKeysRule(Rule):
    """`workflow` is removed (validation runs every `train_cfg.val_interval`); `gpu_ids` and
    `device` are removed with a TODO saying what replaces them."""

    id = "MMC414"
    title = "workflow, gpu_ids, device removed"
    kind = CONFIG
    guide = GUIDE
    triggers = ("workflow", "gpu_ids", "device")
    before = """
        workflow = [('train', 1)]
        gpu_ids = [0]
    """
    after = """
        # TODO(mmcodemod): MMC414 `gpu_ids = [0]` removed. `gpu_ids` was removed in 1.x: choose GPUs with CUDA_VISIBLE_DEVICES and the launcher
    """

    def transform(self, module, ctx):
        cfg = for_rule(module, ctx.path)
        for key in ("workflow", *GONE):
            if key not in cfg.statements:
                continue
            message = self.message(key, cfg.local(key), module)
            if message:
                module = _todo_on(module, key, self.id, message)
            module = remove_keys(module, [key])
            ctx.record(self.id)
        return module

    def message(self, key, value, module) -> Optional[str]:
        code = _code_of(module, key)
        if key == "workflow":
            if _is_default_workflow(value):
                return None  # the default: nothing is lost
            return (f"`{code}` removed: 1.x has no workflow; validation runs every "
                    "train_cfg.val_interval (val_cfg/val_dataloader)")
        return f"`{code}` removed. {GONE[key]}"


def _is_default_workflow(value) -> bool:
    if not isinstance(value, (list, tuple)):
        return False
    return [tuple(v) if isinstance(v, (list, tuple)) else v for v in value] == DEFAULT_WORKFLOW


def _code_of(module: cst.Module, key: str) -> str:
    stmt = module.body[statement_of(module, key)]
    return " ".join(cst.Module([]).code_for_node(stmt.body[0]).split())


def _todo_on(module, key, rule_id, message):
    return todo_at(module, key, rule_id, message)


# --- default_scope, custom_imports, custom hooks --------------------------------------------
class ScopeAndHooksRule(Rule):
    """`default_scope = 'mmcls'` -> 'mmpretrain'; `custom_imports` naming mmcls modules ->
    mmpretrain; custom hooks whose meaning changed (mmcv EMAHook's interval/warm_up) get a TODO."""

    id = "MMC415"
    title = "default_scope, custom_imports and custom_hooks"
    kind = CONFIG
    guide = GUIDE
    triggers = ("default_scope", "custom_imports", "EMAHook")
    before = """
        default_scope = 'mmcls'
    """
    after = """
        default_scope = 'mmpretrain'
    """

    def transform(self, module, ctx):
        updated = module.visit(_Renamer(ctx, self.id))
        return self.ema_todos(updated, ctx)

    def ema_todos(self, module, ctx):
        cfg = for_rule(module, ctx.path)
        hooks = cfg.local("custom_hooks")
        if not isinstance(hooks, (list, tuple)):
            return module
        for hook in hooks:
            if isinstance(hook, dict) and hook.get("type") == "EMAHook":
                changed = [k for k in ("interval", "warm_up", "resume_from") if k in hook]
                momentum = hook.get("momentum", 0.0002)
                if isinstance(momentum, (int, float)) and momentum > 0.01 and "warm_up" not in hook:
                    # mmcv warmed momentum up by default: min(momentum, (1 + t) / (100 + t)).
                    changed.append("momentum (mmcv's default warm_up=100 applied to it)")
                if changed:
                    module = _todo_on(module, "custom_hooks", self.id, (
                        f"EMAHook {', '.join(changed)}: MMEngine's EMAHook has no warm_up/resume_from "
                        "and does not rescale momentum by interval (mmcv used momentum**interval); "
                        "use begin_iter/begin_epoch and check momentum"))
        return module


class _Renamer(cst.CSTTransformer):
    """Rewrites the strings of top-level `default_scope` and `custom_imports` only."""

    def __init__(self, ctx, rule_id):
        super().__init__()
        self.ctx, self.rule_id = ctx, rule_id
        self.inside = False

    def visit_SimpleStatementLine(self, node):
        self.inside = assign_target(node) in ("default_scope", "custom_imports")

    def leave_SimpleStatementLine(self, original, updated):
        self.inside = False
        return updated

    def leave_SimpleString(self, original, updated):
        if not self.inside:
            return updated
        value = original.evaluated_value
        if value == "mmcls" or value.startswith("mmcls."):
            self.ctx.record(self.rule_id)
            quote = updated.value[0] if updated.value[0] in "'\"" else "'"
            return updated.with_changes(value=f"{quote}mmpretrain{value[len('mmcls'):]}{quote}")
        return updated
