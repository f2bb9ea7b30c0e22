"""Schedule config keys: optimizer/optimizer_config/fp16 -> optim_wrapper, lr_config/momentum_config
-> param_scheduler, runner (+ evaluation.interval) -> train_cfg/val_cfg/test_cfg.

Each rule converts the merged 0.x values (a child's partial override merged with its `_base_`
files) into the full 1.x value and writes what the migrated bases do not already give
(see `codemods.config.derive`). Facts follow mmcv 1.x's hooks and MMEngine 0.10's schedulers.
"""
from __future__ import annotations

from typing import List, Optional

from codemods.config.build import to_code
from codemods.config.derive import Derived, FromBases, apply
from codemods.config.values import MISSING
from codemods.rule import CONFIG, Rule

GUIDE = "配置文件的通用改变 / 训练策略设置"


def _dict(value) -> Optional[dict]:
    """A shallow copy of a readable dict value, else None."""
    return dict(value) if isinstance(value, dict) else None


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- B. optimizer + optimizer_config (+ fp16) -> optim_wrapper ------------------------------
# Optimizer hooks of mmcv 1.x / mmcls 0.x and what becomes of them.
AMP_HOOKS = {"Fp16OptimizerHook", "GradientCumulativeFp16OptimizerHook"}
CUMULATIVE_HOOKS = {"GradientCumulativeOptimizerHook", "GradientCumulativeFp16OptimizerHook"}
KNOWN_HOOKS = {"OptimizerHook", "DistOptimizerHook"} | AMP_HOOKS | CUMULATIVE_HOOKS
# Hook options with no OptimWrapper equivalent (distributed gradient bucketing is DDP's job now).
NO_EQUIVALENT = ("coalesce", "bucket_size_mb", "distributed", "detect_anomalous_params")


def _wrapper_order(wrapper: dict) -> dict:
    """Keys in the order MMPretrain's configs write them."""
    order = ("type", "loss_scale", "optimizer", "paramwise_cfg", "constructor", "clip_grad",
             "accumulative_counts")
    rank = {key: i for i, key in enumerate(order)}
    return {k: wrapper[k] for k in sorted(wrapper, key=lambda k: rank.get(k, len(order)))}


def _several_optimizers(optimizer: dict) -> bool:
    """`optimizer=dict(backbone=dict(type='SGD', ...), head=dict(type='Adam', ...))` (mmcv's
    build_optimizers took one per sub-module)."""
    return "type" not in optimizer and bool(optimizer) and all(
        isinstance(v, dict) and "type" in v for v in optimizer.values())


class OptimWrapperKey(Derived):
    key = "optim_wrapper"
    sources = ("optimizer", "optimizer_config", "fp16")

    def convert(self, old, notes):
        optimizer = old["optimizer"]
        if optimizer is MISSING:
            notes.append("`optim_wrapper` needs the optimizer: move optimizer_config/fp16 "
                         "into the `optim_wrapper` of the config that defines `optimizer`")
            return MISSING
        optimizer = _dict(optimizer)
        if optimizer is None:
            notes.append("`optimizer` is not a readable dict; nest it under `optim_wrapper`")
            return MISSING
        if _several_optimizers(optimizer):
            notes.append(f"`optimizer` holds several optimizers ({', '.join(map(str, optimizer))}): 1.x "
                         "wants optim_wrapper=dict(<name>=dict(type='OptimWrapper', optimizer=...), ...) "
                         "with an optim wrapper constructor that builds them; write it by hand")
            return MISSING
        wrapper = {"type": "OptimWrapper", "optimizer": optimizer}
        for key in ("paramwise_cfg", "constructor"):  # options of the wrapper now
            if key in optimizer:
                wrapper[key] = optimizer.pop(key)
        self.hook_options(wrapper, old["optimizer_config"], notes)
        self.fp16(wrapper, old["fp16"], notes)
        return _wrapper_order(wrapper)

    def reverse(self, new):
        if not isinstance(new, dict):
            return {}
        old = {}
        optimizer = new.get("optimizer", {})
        if not isinstance(optimizer, dict):
            return {}
        optimizer = dict(optimizer)
        for key in ("paramwise_cfg", "constructor"):
            if key in new:
                optimizer[key] = new[key]
        if optimizer:
            old["optimizer"] = optimizer
        hook = {}
        if "clip_grad" in new:
            hook["grad_clip"] = new["clip_grad"]
        if "accumulative_counts" in new:
            hook.update(type="GradientCumulativeOptimizerHook", cumulative_iters=new["accumulative_counts"])
        if hook:
            old["optimizer_config"] = hook
        if new.get("type") == "AmpOptimWrapper":
            old["fp16"] = {"loss_scale": new.get("loss_scale", "dynamic")}  # MMEngine's default
        return old

    def hook_options(self, wrapper: dict, hook, notes: List[str]) -> None:
        if hook is MISSING or hook is None:
            return
        hook = _dict(hook)
        if hook is None:
            notes.append("`optimizer_config` is not a readable dict; move its options to `optim_wrapper`")
            return
        kind = hook.pop("type", "OptimizerHook")
        if kind not in KNOWN_HOOKS:
            notes.append(f"optimizer hook {kind!r} has no 1.x equivalent here; write an "
                         "`optim_wrapper` type that does the same")
        if kind in AMP_HOOKS:
            wrapper["type"] = "AmpOptimWrapper"
            wrapper["loss_scale"] = hook.pop("loss_scale", 512.0)  # mmcv's default
        if kind in CUMULATIVE_HOOKS:
            wrapper["accumulative_counts"] = hook.pop("cumulative_iters", 1)
        clip = hook.pop("grad_clip", None)
        if clip is not None:
            wrapper["clip_grad"] = clip
        dropped = [k for k in NO_EQUIVALENT if k in hook]
        for key in dropped:
            hook.pop(key)
        if dropped:
            notes.append(f"optimizer_config options {', '.join(dropped)} have no equivalent in "
                         "MMEngine's OptimWrapper and were dropped")
        if hook:
            notes.append(f"optimizer_config options {', '.join(map(str, hook))} were not migrated; "
                         "set them on `optim_wrapper` if it supports them")

    def fp16(self, wrapper: dict, fp16, notes: List[str]) -> None:
        if fp16 is MISSING or fp16 is None:
            return
        fp16 = _dict(fp16)
        if fp16 is None:
            notes.append("`fp16` is not a readable dict; use optim_wrapper type='AmpOptimWrapper'")
            return
        wrapper["type"] = "AmpOptimWrapper"
        # mmcls 0.x only passed `loss_scale` on to Fp16OptimizerHook.
        wrapper["loss_scale"] = fp16.pop("loss_scale", wrapper.get("loss_scale", 512.0))
        if fp16:
            notes.append(f"fp16 options {', '.join(map(str, fp16))} were ignored by MMClassification "
                         "0.x and have no AmpOptimWrapper equivalent")


class OptimWrapperRule(FromBases, Rule):
    """optimizer, optimizer_config and fp16 become one `optim_wrapper`.

    The optimizer is nested under `optim_wrapper`; `paramwise_cfg` (and `constructor`) move up to
    `optim_wrapper`; `grad_clip` is renamed `clip_grad` (`grad_clip=None` dropped);
    Fp16OptimizerHook or `fp16 = dict(loss_scale=...)` give `type='AmpOptimWrapper'`;
    GradientCumulativeOptimizerHook's `cumulative_iters` becomes `accumulative_counts`.
    """

    id = "MMC401"
    title = "optimizer + optimizer_config (+ fp16) -> optim_wrapper"
    kind = CONFIG
    guide = GUIDE
    # `_base_`: a leaf may join keys of two bases (optimizer in one, fp16 in another).
    triggers = ("optimizer", "fp16", "_base_")
    before = """
        optimizer = dict(type='AdamW', lr=0.0015, weight_decay=0.3,
                         paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0))
        optimizer_config = dict(grad_clip=dict(max_norm=1.0))
    """
    after = """
        optim_wrapper = dict(
            type='OptimWrapper',
            optimizer=dict(type='AdamW', lr=0.0015, weight_decay=0.3),
            paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0),
            clip_grad=dict(max_norm=1.0),
        )
    """

    def specs(self):
        return [OptimWrapperKey()]

    def transform(self, module, ctx):
        return apply(module, ctx.path, self.id, self.specs(), ctx)


# --- C. lr_config / momentum_config -> param_scheduler --------------------------------------
WARMUPS = {"linear": "LinearLR", "constant": "ConstantLR"}


def _policy(config: dict) -> Optional[str]:
    """mmcv's hook name rule: a lower-case policy is title-cased ('step' -> 'Step')."""
    policy = config.get("policy")
    if not isinstance(policy, str):
        return None
    return policy.title() if policy == policy.lower() else policy


def _iter_runner(runner) -> bool:
    return isinstance(runner, dict) and runner.get("type") == "IterBasedRunner" or (
        isinstance(runner, dict) and "type" not in runner and "max_iters" in runner)


def _max_progress(runner, by_epoch: bool):
    if not isinstance(runner, dict):
        return None
    value = runner.get("max_epochs" if by_epoch else "max_iters")
    return value if _number(value) else None


def _ordered(scheduler: dict) -> dict:
    """Keys in the order MMPretrain writes them: type, options, by_epoch, begin, end."""
    tail = ("by_epoch", "begin", "end", "convert_to_iter_based")
    out = {k: v for k, v in scheduler.items() if k not in tail}
    out.update((k, scheduler[k]) for k in tail if k in scheduler)
    return out


class Schedule:
    """Builds the scheduler list of one lr_config (or momentum_config)."""

    def __init__(self, config: dict, runner, notes: List[str], momentum: bool = False):
        self.config = dict(config)
        self.runner = runner
        self.notes = notes
        self.momentum = momentum
        self.by_epoch = self.config.pop("by_epoch", not _iter_runner(runner))
        self.warmup_end = None  # where the main scheduler begins (same unit only)

    def build(self) -> Optional[list]:
        policy = _policy(self.config)
        self.config.pop("policy", None)
        if policy is None:
            self.notes.append("`policy` of the schedule is not a plain string; "
                              "write `param_scheduler` by hand")
            return None
        schedulers = self.warmup()
        if schedulers is None:
            return None
        main = getattr(self, "main_" + policy, None)
        if main is None:
            self.notes.append(f"lr policy {policy!r} has no MMEngine scheduler here; "
                              "write `param_scheduler` by hand")
            return None
        main_schedulers = main()
        if main_schedulers is None:
            return None
        if isinstance(main_schedulers, dict):
            main_schedulers = [main_schedulers] if main_schedulers else []  # 'Fixed' has none
        schedulers += [self.finish(s) for s in main_schedulers]
        if self.config:
            self.notes.append(f"schedule options {', '.join(map(str, self.config))} are not options of "
                              f"this policy (mmcv would have refused them) and were not migrated")
        return schedulers

    def finish(self, scheduler: dict) -> dict:
        scheduler["by_epoch"] = self.by_epoch
        # Step milestones count from 0 whatever `begin` is, so steps start with the warmup, as
        # in mmcv; a continuous schedule starts where the warmup ends (the guide's example).
        stepped = scheduler["type"].startswith(("MultiStep", "Step"))
        if self.warmup_end is not None and "begin" not in scheduler and not stepped:
            scheduler["begin"] = self.warmup_end
        return _ordered(scheduler)

    def warmup(self) -> Optional[list]:
        kind = self.config.pop("warmup", None)
        iters = self.config.pop("warmup_iters", 0)
        ratio = self.config.pop("warmup_ratio", 0.1)
        warm_by_epoch = self.config.pop("warmup_by_epoch", False)
        if kind is None or iters == 0:
            return []  # no warmup (mmcv ignored a warmup of 0 iterations)
        if self.momentum:
            self.notes.append("momentum warmup has no MMEngine equivalent; add a momentum scheduler by hand")
            return []
        if kind not in WARMUPS:
            self.notes.append(f"{kind!r} warmup has no MMEngine scheduler; use a LinearLR "
                              "(start_factor=warmup_ratio) warmup or write one by hand")
            return None
        factor = "start_factor" if kind == "linear" else "factor"
        warm = {"type": WARMUPS[kind], factor: ratio}
        if warm_by_epoch:
            # The guide's form: counted in epochs, updated every iteration.
            warm.update(by_epoch=True, end=iters, convert_to_iter_based=True)
        else:
            warm.update(by_epoch=False, begin=0, end=iters)
        warm = _ordered(warm)
        if bool(warm_by_epoch) == bool(self.by_epoch):
            self.warmup_end = iters
        return [warm]

    def name(self, stem: str) -> str:
        return stem + ("Momentum" if self.momentum else "LR")

    def minimum(self, scheduler: dict, prefix: str = "min_lr") -> None:
        prefix = "min_momentum" if self.momentum else prefix
        low, ratio = self.config.pop(prefix, None), self.config.pop(prefix + "_ratio", None)
        if ratio is not None:
            scheduler["eta_min_ratio"] = ratio
        elif low is not None and low != 0:
            scheduler["eta_min"] = low

    def main_Step(self):
        step = self.config.pop("step", None)
        scheduler = {}
        if isinstance(step, (list, tuple)):
            scheduler = {"type": self.name("MultiStep"), "milestones": list(step)}
        elif _number(step):
            scheduler = {"type": self.name("Step"), "step_size": step}
        else:
            self.notes.append("`step` of the step policy is not readable; write `param_scheduler` by hand")
            return None
        scheduler["gamma"] = self.config.pop("gamma", 0.1)
        low = self.config.pop("min_momentum" if self.momentum else "min_lr", None)
        if low is not None:
            self.notes.append(f"the step policy's minimum ({to_code(low)}) has no equivalent in "
                              f"{scheduler['type']}; the value can now go below it")
        return scheduler

    def main_CosineAnnealing(self):
        scheduler = {"type": self.name("CosineAnnealing")}
        self.minimum(scheduler)
        return scheduler

    def main_FlatCosineAnnealing(self):
        if self.momentum:
            return self.unsupported("FlatCosineAnnealing")
        start_percent = self.config.pop("start_percent", 0.75)
        total = _max_progress(self.runner, self.by_epoch)
        if total is None or not _number(start_percent):
            self.notes.append("FlatCosineAnnealing needs the run length: use "
                              "CosineAnnealingLR(begin=<start_percent * max epochs or iters>)")
            return None
        scheduler = {"type": "CosineAnnealingLR"}
        self.minimum(scheduler)
        scheduler["begin"] = round(total * start_percent)  # flat until then, as mmcv did
        scheduler["end"] = total
        return scheduler

    def main_CosineRestart(self):
        scheduler = {"type": self.name("CosineRestart"), "periods": self.config.pop("periods", None)}
        scheduler["restart_weights"] = self.config.pop("restart_weights", [1])
        self.minimum(scheduler)
        if "eta_min" not in scheduler and "eta_min_ratio" not in scheduler:
            scheduler["eta_min"] = 0  # CosineRestartLR wants one of them
        return scheduler

    def main_Poly(self):
        scheduler = {"type": self.name("Poly"), "eta_min": self.config.pop(
            "min_momentum" if self.momentum else "min_lr", 0.0)}
        scheduler["power"] = self.config.pop("power", 1.0)
        return scheduler

    def main_Exp(self):
        return {"type": self.name("Exponential"), "gamma": self.config.pop("gamma", None)}

    def main_OneCycle(self):
        if self.momentum:
            return self.unsupported("OneCycle")
        max_lr = self.config.pop("max_lr", None)
        if isinstance(max_lr, (dict, list, tuple)):
            self.notes.append("OneCycleLR takes one `eta_max`, not one per parameter group")
            return None
        scheduler = {"type": "OneCycleLR", "eta_max": max_lr}
        for key in ("total_steps", "pct_start", "anneal_strategy", "div_factor",
                    "final_div_factor", "three_phase"):
            if key in self.config:
                scheduler[key] = self.config.pop(key)
        self.by_epoch = False  # mmcv's OneCycle hook always counted iterations
        return scheduler

    def main_Fixed(self):
        return {}

    def main_CosineAnnealingCooldown(self):
        """mmcls 0.x's cosine annealing to min_lr, then `cool_down_ratio * min_lr` for the last
        `cool_down_time` epochs (or iterations)."""
        cool_time = self.config.pop("cool_down_time", 10)
        cool_ratio = self.config.pop("cool_down_ratio", 0.1)
        total = _max_progress(self.runner, self.by_epoch)
        if self.momentum or total is None or not _number(cool_time):
            self.notes.append(
                "CosineAnnealingCooldown needs the run length: use CosineAnnealingLR(eta_min=min_lr, "
                "end=<max - cool_down_time>) then ConstantLR(factor=cool_down_ratio, "
                "begin=<max - cool_down_time>, end=<max>)")
            return None
        cosine = {"type": "CosineAnnealingLR"}
        self.minimum(cosine)
        if self.warmup_end is not None:
            cosine["begin"] = self.warmup_end
        cosine["end"] = total - cool_time
        cooldown = {"type": "ConstantLR", "factor": cool_ratio, "begin": total - cool_time, "end": total}
        return [cosine, cooldown]

    def unsupported(self, policy: str):
        self.notes.append(f"momentum policy {policy!r} has no MMEngine scheduler here; "
                          "write it in `param_scheduler` by hand")
        return None


class ParamSchedulerKey(Derived):
    key = "param_scheduler"
    sources = ("lr_config", "momentum_config")
    reads = ("runner",)

    def convert(self, old, notes):
        schedulers = []
        for key, momentum in (("lr_config", False), ("momentum_config", True)):
            config = old[key]
            if config is MISSING or config is None:
                continue
            config = _dict(config)
            if config is None:
                notes.append(f"`{key}` is not a readable dict; write `param_scheduler` by hand")
                return MISSING
            built = Schedule(config, old["runner"], notes, momentum).build()
            if built is None:
                return MISSING
            schedulers += built
        if len(schedulers) == 1:
            return schedulers[0]  # MMPretrain writes a single scheduler as a dict
        return schedulers or None  # no scheduler at all: MMEngine's default (a constant LR)

    def fit(self, inherited, written):
        # MMEngine merges a dict into a list by index: over a base's scheduler list, a single
        # scheduler must be written as a one-item list (which replaces the base list whole).
        if isinstance(inherited, (list, tuple)) and isinstance(written, dict):
            return [written]
        return written

    def reverse(self, new):
        items = [new] if isinstance(new, dict) else new
        if not isinstance(items, (list, tuple)) or not all(isinstance(i, dict) for i in items):
            return {}
        items = [dict(i) for i in items]
        lr_config = {"_delete_": True}  # a scheduler list replaced the base's list whole
        if len(items) > 1 and items[0].get("type") in ("LinearLR", "ConstantLR"):
            lr_config.update(_warmup_back(items.pop(0)))
        if len(items) > 1:
            return {}
        if not items:
            lr_config["policy"] = "fixed"
            return {"lr_config": lr_config}
        main = _main_back(items[0], lr_config.get("warmup_iters"))
        if main is None:
            return {}
        lr_config.update(main)
        return {"lr_config": lr_config}


def _warmup_back(warm: dict) -> dict:
    kind = "linear" if warm.get("type") == "LinearLR" else "constant"
    ratio = warm.get("start_factor" if kind == "linear" else "factor", 1.0 / 3)
    return {"warmup": kind, "warmup_iters": warm.get("end"), "warmup_ratio": ratio,
            "warmup_by_epoch": bool(warm.get("by_epoch", True))}


# MMEngine scheduler -> mmcv policy and the options that map one to one (new name -> old name).
POLICIES_BACK = {
    "MultiStepLR": ("step", {"milestones": "step", "gamma": "gamma"}),
    "StepLR": ("step", {"step_size": "step", "gamma": "gamma"}),
    "CosineAnnealingLR": ("CosineAnnealing", {"eta_min": "min_lr", "eta_min_ratio": "min_lr_ratio"}),
    "PolyLR": ("poly", {"eta_min": "min_lr", "power": "power"}),
    "ExponentialLR": ("exp", {"gamma": "gamma"}),
    "CosineRestartLR": ("CosineRestart", {"periods": "periods", "restart_weights": "restart_weights",
                                          "eta_min": "min_lr", "eta_min_ratio": "min_lr_ratio"}),
    "OneCycleLR": ("OneCycle", {"eta_max": "max_lr", "total_steps": "total_steps",
                                "pct_start": "pct_start", "anneal_strategy": "anneal_strategy",
                                "div_factor": "div_factor", "final_div_factor": "final_div_factor",
                                "three_phase": "three_phase"}),
}


def _main_back(main: dict, warmup_end) -> Optional[dict]:
    kind = main.pop("type", None)
    if kind not in POLICIES_BACK:
        return None
    policy, names = POLICIES_BACK[kind]
    old = {"policy": policy, "by_epoch": bool(main.pop("by_epoch", True))}
    if main.pop("begin", warmup_end) not in (0, warmup_end) or "end" in main or "T_max" in main:
        return None  # a shifted or cut schedule (flat start, cool-down): not one mmcv policy
    main.pop("convert_to_iter_based", None)
    for new_name, old_name in names.items():
        if new_name in main:
            old[old_name] = main.pop(new_name)
    if policy == "CosineAnnealing" and "min_lr" not in old and "min_lr_ratio" not in old:
        old["min_lr"] = 0  # mmcv's hook needs one of them
    return None if main else old


class ParamSchedulerRule(FromBases, Rule):
    """lr_config (and momentum_config) become a `param_scheduler` list.

    Every mmcv 1.x policy maps to its MMEngine scheduler (step -> MultiStepLR/StepLR,
    CosineAnnealing -> CosineAnnealingLR, Poly, Exp, CosineRestart, OneCycle, FlatCosineAnnealing,
    Fixed); a warmup becomes a LinearLR/ConstantLR before it. What has no equivalent gets a TODO.
    """

    id = "MMC402"
    title = "lr_config / momentum_config -> param_scheduler"
    kind = CONFIG
    guide = GUIDE
    triggers = ("lr_config", "momentum_config", "_base_")
    before = """
        lr_config = dict(policy='CosineAnnealing', min_lr=0, warmup='linear',
                         warmup_iters=5, warmup_ratio=0.01, warmup_by_epoch=True)
    """
    after = """
        param_scheduler = [
            dict(
                type='LinearLR',
                start_factor=0.01,
                by_epoch=True,
                end=5,
                convert_to_iter_based=True,
            ),
            dict(type='CosineAnnealingLR', by_epoch=True, begin=5),
        ]
    """

    def transform(self, module, ctx):
        return apply(module, ctx.path, self.id, self.specs(), ctx)

    def specs(self):
        return [ParamSchedulerKey()]


# --- D. runner (+ evaluation.interval) -> train_cfg / val_cfg / test_cfg -------------------
class TrainCfgKey(Derived):
    key = "train_cfg"
    sources = ("runner", "total_epochs")
    reads = ("evaluation",)

    def convert(self, old, notes):
        runner = old["runner"]
        if runner is MISSING:  # mmcls 0.x's fallback for configs without `runner`
            runner = {"type": "EpochBasedRunner", "max_epochs": old["total_epochs"]}
        runner = _dict(runner)
        if runner is None:
            notes.append("`runner` is not a readable dict; write `train_cfg` by hand")
            return MISSING
        kind = runner.pop("type", "IterBasedRunner" if "max_iters" in runner else "EpochBasedRunner")
        if kind == "IterBasedRunner":
            cfg = {"by_epoch": False, "max_iters": runner.pop("max_iters", None)}
        else:
            if kind != "EpochBasedRunner":
                notes.append(f"runner {kind!r} has no 1.x loop here; check `train_cfg` "
                             "(a `type=` of a custom loop may be needed)")
            cfg = {"by_epoch": True, "max_epochs": runner.pop("max_epochs", None)}
        runner.pop("max_iters" if cfg["by_epoch"] else "max_epochs", None)
        cfg["val_interval"] = self.interval(old["evaluation"])
        if runner:
            notes.append(f"runner options {', '.join(map(str, runner))} were not migrated")
        return cfg

    def reverse(self, new):
        if not isinstance(new, dict) or "type" in new:
            return {}
        old = {}
        runner = {}
        if new.get("by_epoch") is False or "max_iters" in new:
            runner["type"] = "IterBasedRunner" if "by_epoch" in new else None
            runner["max_iters"] = new.get("max_iters")
        elif "by_epoch" in new or "max_epochs" in new:
            runner["type"] = "EpochBasedRunner" if "by_epoch" in new else None
            runner["max_epochs"] = new.get("max_epochs")
        runner = {k: v for k, v in runner.items() if v is not None}
        if runner:
            old["runner"] = runner
        if "val_interval" in new:
            old["evaluation"] = {"interval": new["val_interval"]}
        return old

    @staticmethod
    def interval(evaluation):
        if isinstance(evaluation, dict) and "interval" in evaluation:
            return evaluation["interval"]
        return 1  # the EvalHook default


class EmptyLoopKey(Derived):
    """val_cfg / test_cfg: the default loop, as MMPretrain writes it in its schedules. MMEngine's
    Runner wants the loop, its data and its evaluator all or none, so a config whose 0.x data
    has no such split (a self-supervised one has no `val`) sets the loop to None over it."""

    needs = ("runner", "total_epochs")

    def __init__(self, key: str, split: str) -> None:
        self.key, self.split = key, split
        # read, so not kept as "written in 1.x form": next to a 0.x runner, a `test_cfg = {}`
        # is the 0.x model's test settings (MMC604), not a loop
        self.reads = ("data", key)

    def convert(self, old, notes):
        data = old["data"]
        return None if isinstance(data, dict) and self.split not in data else {}


class LoopsRule(FromBases, Rule):
    """runner becomes train_cfg (with `val_interval` from evaluation.interval), val_cfg, test_cfg.

    `evaluation` is read, not removed: the evaluator rule (MMC5) replaces it later.
    """

    id = "MMC403"
    title = "runner (+ evaluation.interval) -> train_cfg / val_cfg / test_cfg"
    kind = CONFIG
    guide = GUIDE
    triggers = ("runner", "total_epochs", "evaluation", "_base_")
    before = """
        runner = dict(type='EpochBasedRunner', max_epochs=100)
        evaluation = dict(interval=1, metric='accuracy')
    """
    after = """
        train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
        val_cfg = dict()
        test_cfg = dict()
        evaluation = dict(interval=1, metric='accuracy')
    """

    def transform(self, module, ctx):
        return apply(module, ctx.path, self.id, self.specs(), ctx)

    def specs(self):
        return [TrainCfgKey(), EmptyLoopKey("val_cfg", "val"), EmptyLoopKey("test_cfg", "test")]

