"""The key map and the config rules agree: a value set at a 0.x path is found at the mapped 1.x
path after the MMC4 rules migrate the config (the script rule MMC7 relies on this)."""
import libcst as cst
import pytest

from codemods.config import MISSING, for_rule
from codemods.config.keys import map_key
from tests.util import migrate

MMC4 = ["MMC401", "MMC402", "MMC403", "MMC411", "MMC412", "MMC413", "MMC414", "MMC415"]

# A complete 0.x schedule and runtime; each case changes one path of it.
BASE = {
    "optimizer": {"type": "SGD", "lr": 0.1},
    "optimizer_config": {"grad_clip": None},
    "lr_config": {"policy": "step", "step": [30]},
    "runner": {"type": "EpochBasedRunner", "max_epochs": 100},
    "evaluation": {"interval": 1, "metric": "accuracy"},
    "checkpoint_config": {"interval": 1},
    "log_config": {"interval": 100, "hooks": [{"type": "TextLoggerHook"}]},
    "dist_params": {"backend": "nccl"},
}

CASES = [
    ("optimizer.lr", 0.02, {}),
    ("optimizer.paramwise_cfg", {"norm_decay_mult": 0.0}, {}),
    ("optimizer_config.grad_clip", {"max_norm": 5.0}, {}),
    ("optimizer_config.cumulative_iters", 4, {"optimizer_config": {"type": "GradientCumulativeOptimizerHook"}}),
    ("optimizer_config.loss_scale", 256.0, {"optimizer_config": {"type": "Fp16OptimizerHook"}}),
    ("fp16.loss_scale", "dynamic", {"fp16": {}}),
    ("runner.max_epochs", 7, {}),
    ("runner.max_iters", 900, {"runner": {"type": "IterBasedRunner"}}),
    ("evaluation.interval", 3, {}),
    ("evaluation.save_best", "auto", {}),
    ("evaluation.rule", "greater", {"evaluation": {"save_best": "auto"}}),
    ("checkpoint_config.interval", 5, {}),
    ("checkpoint_config.max_keep_ckpts", 2, {}),
    ("log_config.interval", 20, {}),
    ("dist_params", {"backend": "gloo"}, {}),
    ("mp_start_method", "spawn", {}),
    ("opencv_num_threads", 2, {}),
    ("cudnn_benchmark", True, {}),
    ("resume_from", "ckpt.pth", {}),
]


def _config(path: str, value, extra: dict) -> str:
    keys = {k: dict(v) for k, v in BASE.items()}
    for key, more in extra.items():
        keys.setdefault(key, {}).update(more)
    head, *rest = path.split(".")
    if rest:
        keys.setdefault(head, {})[rest[0]] = value
    else:
        keys[head] = value
    if head == "runner" and rest == ["max_iters"]:
        keys["runner"].pop("max_epochs")
    return "".join(f"{k} = {v!r}\n" for k, v in keys.items())


def _lookup(cfg, path: str):
    head, *rest = path.split(".")
    value = cfg.merged(head)
    for part in rest:
        if not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


@pytest.mark.parametrize("path, value, extra", CASES, ids=[c[0] for c in CASES])
def test_mapped_path_holds_the_value_after_migration(path, value, extra):
    new = migrate(_config(path, value, extra), MMC4, kind="config")
    cfg = for_rule(cst.parse_module(new), None)
    for new_path in map_key(path):
        assert _lookup(cfg, new_path) == value, (new_path, new)
