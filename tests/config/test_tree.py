"""A whole `_base_` tree migrated in place by `mmcodemod run` (worker processes included): once
bases and leaves are all rewritten, every leaf resolves to the value its 0.x form meant."""
import subprocess
import sys

import libcst as cst

from codemods.config import ConfigFile

SCHEDULE = """\
optimizer = dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0001)
optimizer_config = dict(grad_clip=None)
lr_config = dict(policy='step', step=[30, 60, 90], warmup='linear', warmup_iters=5,
                 warmup_ratio=0.1, warmup_by_epoch=True)
runner = dict(type='EpochBasedRunner', max_epochs=100)
"""
RUNTIME = """\
checkpoint_config = dict(interval=1)
log_config = dict(interval=100, hooks=[dict(type='TextLoggerHook')])
dist_params = dict(backend='nccl')
log_level = 'INFO'
load_from = None
resume_from = None
workflow = [('train', 1)]
"""
DATA = "evaluation = dict(interval=2, metric='accuracy')\ndataset_type = 'ImageNet'\n"
LEAF = """\
_base_ = ['../_base_/data.py', '../_base_/schedule.py', '../_base_/runtime.py']
optimizer = dict(lr={lr})
lr_config = dict(step=[{step}])
runner = dict(max_epochs={epochs})
log_config = dict(interval={log})
"""
LEAVES = 10  # enough for the engine to use worker processes


def _tree(tmp_path):
    base = tmp_path / "configs" / "_base_"
    base.mkdir(parents=True)
    (base / "schedule.py").write_text(SCHEDULE)
    (base / "runtime.py").write_text(RUNTIME)
    (base / "data.py").write_text(DATA)
    leaves = tmp_path / "configs" / "leaves"
    leaves.mkdir()
    for i in range(LEAVES):
        text = LEAF.format(lr=0.01 * (i + 1), step=10 + i, epochs=20 + i, log=10 + i)
        (leaves / f"leaf{i}.py").write_text(text)
    return leaves


def _resolved(path, key):
    return ConfigFile(cst.parse_module(path.read_text()), path).merged(key)


def test_tree_migrated_in_place_agrees(tmp_path):
    leaves = _tree(tmp_path)
    run = subprocess.run([sys.executable, "-m", "cli", "run", "-j", "2", "--select", "MMC4",
                          str(tmp_path / "configs")], capture_output=True, text=True,
                         cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    for i in range(LEAVES):
        leaf = leaves / f"leaf{i}.py"
        assert "lr_config" not in leaf.read_text()
        assert _resolved(leaf, "optim_wrapper")["optimizer"] == {
            "type": "SGD", "lr": 0.01 * (i + 1), "momentum": 0.9, "weight_decay": 0.0001}
        assert _resolved(leaf, "param_scheduler") == [
            {"type": "LinearLR", "start_factor": 0.1, "by_epoch": True, "end": 5,
             "convert_to_iter_based": True},
            {"type": "MultiStepLR", "milestones": [10 + i], "gamma": 0.1, "by_epoch": True},
        ]
        assert _resolved(leaf, "train_cfg") == {"by_epoch": True, "max_epochs": 20 + i, "val_interval": 2}
        assert _resolved(leaf, "default_hooks")["logger"] == {"type": "LoggerHook", "interval": 10 + i}
        assert _resolved(leaf, "resume") is False
    assert "workflow" not in (tmp_path / "configs" / "_base_" / "runtime.py").read_text()


def test_second_run_changes_nothing(tmp_path):
    _tree(tmp_path)
    command = [sys.executable, "-m", "cli", "run", "--select", "MMC4", str(tmp_path / "configs")]
    subprocess.run(command, capture_output=True, text=True, check=True)
    again = subprocess.run([*command, "--check"], capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr


RUNTIME_TEXT_LOGGER = """\
checkpoint_config = dict(interval=1)
log_config = dict(interval=50, hooks=[dict(type='TextLoggerHook')])
"""
MID_BY_ITER = """\
_base_ = ['_base_/runtime.py']
log_config = dict(
    interval=50,
    hooks=[
        dict(type='TextLoggerHook', by_epoch=False),
        dict(type='TensorboardLoggerHook', by_epoch=False),
    ])
"""
LEAF_SAVE_BEST = "_base_ = ['./mid.py']\nevaluation = dict(interval=5, save_best='auto')\n"


def test_a_leaf_over_a_migrated_middle_base_keeps_its_logger(tmp_path):
    # 2nd run: the middle base is 1.x and is read back through the hooks' reverse mapping;
    # its logger's log_metric_by_epoch must come back as the text logger's by_epoch.
    configs = tmp_path / "configs"
    (configs / "_base_").mkdir(parents=True)
    (configs / "_base_" / "runtime.py").write_text(RUNTIME_TEXT_LOGGER)
    (configs / "mid.py").write_text(MID_BY_ITER)
    (configs / "leaf.py").write_text(LEAF_SAVE_BEST)
    command = [sys.executable, "-m", "cli", "run", "--select", "MMC411", str(configs)]
    subprocess.run(command, capture_output=True, text=True, check=True, cwd=str(tmp_path))
    logger = _resolved(configs / "leaf.py", "default_hooks")["logger"]
    assert logger == {"type": "LoggerHook", "interval": 50, "log_metric_by_epoch": False}
    again = subprocess.run(command + ["--check"], capture_output=True, text=True, cwd=str(tmp_path))
    assert again.returncode == 0 and again.stdout == "", again.stdout
