"""MMC605: MMSelfSup's own LR policy `StepFixCosineAnnealing` -> MMEngine schedulers.

mmselfsup 0.11 `core/hooks/cosine_annealing_hook.py`: a linear warmup from 0 over `warmup_iters`
(epochs when `warmup_by_epoch`), then cosine annealing to `min_lr` over the remaining epochs
(iterations when `by_epoch=False`), starting where the warmup ended. The general schedule rule
(MMC402) leaves this policy with a TODO; this rule writes what MMPretrain 1.2's ports of the same
recipes (mae, cae, their benchmarks) write: LinearLR(start_factor=warmup_ratio, end=W) then
CosineAnnealingLR(T_max=E - W, begin=W, end=E), both `convert_to_iter_based` when the 0.x
schedule stepped per iteration.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from codemods.config import MISSING, ConfigFile, plain, replace_keys
from codemods.config.model import load, remember_original
from codemods.rule import CONFIG, Context, Rule
from codemods.rules.selfsup import _todo_at

RULE_ID = "MMC605"
POLICY = "StepFixCosineAnnealing"


def _max_epochs(module: cst.Module, path) -> Optional[int]:
    """From this file's train_cfg (already migrated) or the 0.x runner of it and its bases."""
    train = ConfigFile(module, path).merged("train_cfg")
    if isinstance(train, dict) and isinstance(plain(train.get("max_epochs")), int):
        return plain(train["max_epochs"])
    loaded = load(path) if path is not None else None
    for config in (ConfigFile(module, path), loaded):
        runner = config.merged("runner") if config is not None else MISSING
        if isinstance(runner, dict) and isinstance(plain(runner.get("max_epochs")), int):
            return plain(runner["max_epochs"])
    return None


def schedulers(lr: dict, epochs: int) -> Optional[list]:
    """The 1.x param_scheduler for a StepFixCosineAnnealing lr_config (None if not expressible)."""
    per_iter = lr.get("by_epoch", True) is False
    warmup = lr.get("warmup")
    if warmup not in (None, "linear") or (warmup and lr.get("warmup_by_epoch") is not True):
        return None
    begin = lr.get("warmup_iters", 0) if warmup else 0
    if not isinstance(begin, int):
        return None
    cosine = dict(type="CosineAnnealingLR", T_max=epochs - begin, eta_min=lr.get("min_lr", 0),
                  by_epoch=True, begin=begin, end=epochs)
    if per_iter:
        cosine["convert_to_iter_based"] = True
    if not warmup:
        return [cosine]
    linear = dict(type="LinearLR", start_factor=lr.get("warmup_ratio", 0.1), by_epoch=True,
                  begin=0, end=begin, convert_to_iter_based=True)
    return [linear, cosine]


def _without_policy_todo(module: cst.Module, key: str) -> cst.Module:
    """Drop the other rule's TODO about this policy: it is done now."""
    body = []
    for stmt in module.body:
        lines = getattr(stmt, "leading_lines", [])
        kept = [line for line in lines if not (line.comment and POLICY in line.comment.value
                                                and "TODO(mmcodemod)" in line.comment.value)]
        body.append(stmt.with_changes(leading_lines=kept) if len(kept) != len(lines) else stmt)
    return module.with_changes(body=body)


class StepFixCosine(Rule):
    id = RULE_ID
    title = "lr_config policy StepFixCosineAnnealing -> LinearLR + CosineAnnealingLR"
    kind = CONFIG
    guide = "从 MMSelfSup 0.x 迁移 / 配置文件 / 优化器及调度"
    triggers = (POLICY,)
    before = """\
lr_config = dict(policy='StepFixCosineAnnealing', min_lr=0.0, warmup='linear', warmup_iters=40,
                 warmup_ratio=1e-4, warmup_by_epoch=True, by_epoch=False)
runner = dict(type='EpochBasedRunner', max_epochs=300)
"""
    after = """\
param_scheduler = [
    dict(type='LinearLR', start_factor=0.0001, by_epoch=True, begin=0, end=40,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=260, eta_min=0.0, by_epoch=True, begin=40, end=300,
         convert_to_iter_based=True),
]
runner = dict(type='EpochBasedRunner', max_epochs=300)
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        remember_original(module, ctx.path)
        cfg = ConfigFile(module, ctx.path)
        lr = plain(cfg.merged("lr_config"))
        if cfg.local("lr_config") is MISSING or not isinstance(lr, dict) or lr.get("policy") != POLICY:
            return module
        epochs = _max_epochs(module, ctx.path)
        value = schedulers(lr, epochs) if epochs is not None else None
        ctx.record(RULE_ID)
        if value is None:
            return _todo_at(module, cfg.statements.get("lr_config"), "StepFixCosineAnnealing: write "
                            "param_scheduler = [LinearLR warmup (end=W), CosineAnnealingLR(T_max=E - W, "
                            "begin=W, end=E, eta_min=min_lr)]", RULE_ID)
        module = _without_policy_todo(module, "lr_config")
        return replace_keys(module, ["lr_config"], [("param_scheduler", value)])
