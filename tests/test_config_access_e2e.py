"""End to end: a 0.x training script that edits config keys, migrated with the sample configs.

The sample project (samples/: configs with a `_base_` tree and tools/train.py, whose `update_cfg`
sets epochs, batch size, learning rate, data folders, log interval, top-k and resume on a loaded
config) is copied and migrated with `mmcodemod run` (every rule: the config rules and MMC701).
Then the migrated `update_cfg` is executed against each migrated leaf config loaded with
MMEngine's `Config`, and every key it assigns must have had its parent in the config before
(it edits what MMPretrain 1.2 reads, not a stray key) and must hold the value it set afterwards.

Needs MMEngine (`pip install mmengine==0.10.7`); it is not in the test extras because it pulls
opencv-python and matplotlib (about a minute and 100 MB on a fresh venv).
"""
from __future__ import annotations

import argparse
import ast
import copy
import os.path as osp
import shutil
from pathlib import Path

import pytest
from tests.util import cli_runner

import cli

config_module = pytest.importorskip(
    "mmengine.config", reason="mmengine is not installed (pip install mmengine==0.10.7)")
Config = config_module.Config

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
LEAVES = ["leaves/resnet50_4xb64_leaves-ft.py", "leaves/resnet50_4xb64_leaves-mixup-fp16.py",
          "resnet/resnet18_8xb16_cifar10.py"]
ARGS = dict(epochs=150, batch_size=5, lr=0.02, data_root="/data/leaves2", log_interval=3,
            topk=[1, 2], resume_from="work_dirs/epoch_10.pth")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e") / "samples"
    shutil.copytree(SAMPLES / "configs", root / "configs")
    (root / "tools").mkdir()
    shutil.copy2(SAMPLES / "tools" / "train.py", root / "tools" / "train.py")
    result = cli_runner().invoke(cli.main, ["run", str(root), "--quiet", "--jobs", "1", "--no-color"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def _function(path: Path, name: str):
    """Compile the one function `name` of a script (not the rest, which needs mmpretrain and GPUs)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    func = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    namespace = {"osp": osp}
    exec(compile(ast.Module(body=[func], type_ignores=[]), str(path), "exec"), namespace)
    return func, namespace[name]


def _cfg_assignments(func: ast.FunctionDef):
    """(key path, value expression) of every `cfg.a.b = value` / `cfg['a']['b'] = value`."""
    found = []
    for node in ast.walk(func):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            keys = _key_path(target)
            if keys is not None:
                found.append((keys, node.value))
    return found


def _key_path(node):
    keys = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            keys.append(node.attr)
        elif isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            keys.append(node.slice.value)
        else:
            return None
        node = node.value
    return keys[::-1] if isinstance(node, ast.Name) and node.id == "cfg" else None


def _lookup(cfg, keys):
    value = cfg
    for key in keys:
        if key not in value:
            raise KeyError(".".join(keys))
        value = value[key]
    return value


def test_the_script_was_migrated(migrated):
    text = (migrated / "tools" / "train.py").read_text(encoding="utf-8")
    for old in ("cfg.runner", "cfg.data.", "cfg.optimizer.", "cfg.log_config", "cfg.evaluation",
                "cfg.resume_from ="):
        assert old not in text


@pytest.mark.parametrize("leaf", LEAVES)
def test_every_key_the_script_sets_exists_and_holds_its_value(migrated, leaf):
    func, update_cfg = _function(migrated / "tools" / "train.py", "update_cfg")
    cfg = Config.fromfile(str(migrated / "configs" / leaf), import_custom_modules=False)
    before = copy.deepcopy(cfg)
    args = argparse.Namespace(**ARGS)
    assignments = _cfg_assignments(func)
    assert len(assignments) >= 10

    cfg = update_cfg(cfg, args)

    for keys, value in assignments:
        if keys[:-1]:
            _lookup(before, keys[:-1])  # the parent is a key of the migrated config
        expected = eval(compile(ast.Expression(value), "<value>", "eval"),
                        {"osp": osp, "args": args, "cfg": before, "max": max, "tuple": tuple})
        if keys == ["train_cfg", "val_interval"]:
            expected = max(_lookup(before, keys), 5)
        assert _lookup(cfg, keys) == expected, ".".join(keys)


def _cfg_reads(tree: ast.AST):
    """Key paths of every `cfg.a.b` read in the script (up to a method call or a subscript)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            keys = _key_path(node)
            if keys is not None:
                found.append(keys)
    return found


@pytest.mark.parametrize("leaf", LEAVES)
def test_every_key_the_script_reads_exists(migrated, leaf):
    """Reads anywhere in the migrated script (main() too) find their key, except the keys that
    have no 1.x equivalent (gpu_ids, device, workflow: left with a TODO) and top-level keys the
    script sets itself (work_dir, seed)."""
    from codemods.config.keys import TODO_KEYS

    tree = ast.parse((migrated / "tools" / "train.py").read_text(encoding="utf-8"))
    _, update_cfg = _function(migrated / "tools" / "train.py", "update_cfg")
    cfg = Config.fromfile(str(migrated / "configs" / leaf), import_custom_modules=False)
    cfg = update_cfg(cfg, argparse.Namespace(**ARGS))
    assigned = {keys[0] for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for keys in map(_key_path, node.targets) if keys and len(keys) == 1}
    reads = [keys for keys in _cfg_reads(tree) if keys[0] not in assigned | set(TODO_KEYS)]
    # a method call on the config or on one of its dicts ends the key path
    reads = [keys[:-1] if keys[-1] in ("get", "dump", "merge_from_dict") else keys for keys in reads]
    reads = [keys for keys in reads if keys and not hasattr(Config, keys[0])]
    assert len(reads) >= 8
    for keys in reads:
        _lookup(cfg, keys)


@pytest.mark.parametrize("leaf", LEAVES)
def test_the_values_mean_what_they_meant_in_0x(migrated, leaf):
    """Written from the 0.x script and the 1.2 sources, not from the tool's output."""
    _, update_cfg = _function(migrated / "tools" / "train.py", "update_cfg")
    cfg = Config.fromfile(str(migrated / "configs" / leaf), import_custom_modules=False)
    cfg = update_cfg(cfg, argparse.Namespace(**ARGS))

    assert cfg.train_cfg.max_epochs == 150
    assert cfg.train_cfg.val_interval == 5  # `validate at most every 5 epochs on long schedules`
    for split in ("train", "val", "test"):
        assert cfg[f"{split}_dataloader"].batch_size == 5
    assert cfg.optim_wrapper.optimizer.lr == 0.02
    # 1.2 datasets join data_prefix to data_root: the folder the 0.x script chose is read
    for split, folder in (("train", "train"), ("val", "val"), ("test", "val")):
        dataset = cfg[f"{split}_dataloader"].dataset
        assert osp.join(dataset.data_root, dataset.get("data_prefix", "")) == f"/data/leaves2/{folder}/"
    assert cfg.default_hooks.logger.interval == 3
    assert cfg.default_hooks.logger.type == "LoggerHook"
    assert cfg.val_evaluator.topk == (1, 2)
    assert cfg.load_from == "work_dirs/epoch_10.pth" and cfg.resume is True


@pytest.mark.parametrize("leaf", LEAVES)
def test_the_edited_config_still_dumps_and_loads(migrated, leaf, tmp_path):
    _, update_cfg = _function(migrated / "tools" / "train.py", "update_cfg")
    cfg = Config.fromfile(str(migrated / "configs" / leaf), import_custom_modules=False)
    cfg = update_cfg(cfg, argparse.Namespace(**ARGS))
    out = tmp_path / "dumped.py"
    cfg.dump(str(out))
    again = Config.fromfile(str(out), import_custom_modules=False)
    assert again.train_dataloader.batch_size == 5
    assert again.train_cfg.max_epochs == 150


FINE_TUNE = '''\
import mmcv


def edit(cfg, root):
    cfg.data.samples_per_gpu = 32
    cfg.data.workers_per_gpu = 2
    cfg.data.train.data_prefix = root + '/training_set'
    cfg.evaluation['metric_options'] = {'topk': (1,)}
    cfg.optimizer = dict(type='SGD', lr=0.005, momentum=0.9, weight_decay=0.0001)
    cfg.optimizer_config = dict(grad_clip=None)
    cfg.lr_config = dict(policy='step', step=1, gamma=0.1)
    cfg.runner = dict(type='EpochBasedRunner', max_epochs=2)
    cfg.checkpoint_config.interval = 1
    cfg.log_config.interval = 10
    return cfg


def main(path):
    return edit(mmcv.Config.fromfile(path), 'data/cats_dogs')
'''


@pytest.mark.parametrize("leaf", LEAVES)
def test_a_fine_tuning_script_replacing_whole_keys(migrated, leaf, tmp_path):
    """Whole 0.x keys replaced by a script (optimizer, lr_config, runner) become whole 1.x keys."""
    script = tmp_path / "finetune.py"
    script.write_text(FINE_TUNE, encoding="utf-8")
    result = cli_runner().invoke(cli.main, ["run", str(script), "--quiet", "--no-color"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    _, edit = _function(script, "edit")
    cfg = Config.fromfile(str(migrated / "configs" / leaf), import_custom_modules=False)
    interval = cfg.train_cfg.val_interval
    cfg = edit(cfg, "/data/cats_dogs")

    for split in ("train", "val", "test"):
        assert cfg[f"{split}_dataloader"].batch_size == 32
        assert cfg[f"{split}_dataloader"].num_workers == 2
    dataset = cfg.train_dataloader.dataset
    assert osp.join(dataset.data_root, dataset.data_prefix) == "/data/cats_dogs/training_set/"
    assert cfg.val_evaluator.topk == (1,)
    assert cfg.optim_wrapper.optimizer == dict(type="SGD", lr=0.005, momentum=0.9, weight_decay=0.0001)
    assert cfg.optim_wrapper.clip_grad is None
    assert cfg.param_scheduler == dict(type="StepLR", step_size=1, gamma=0.1, by_epoch=True)
    assert cfg.train_cfg == dict(by_epoch=True, max_epochs=2, val_interval=interval)
    assert cfg.default_hooks.checkpoint.type == "CheckpointHook"
    assert cfg.default_hooks.checkpoint.interval == 1
    assert cfg.default_hooks.logger.type == "LoggerHook" and cfg.default_hooks.logger.interval == 10
    assert not {"data", "optimizer", "optimizer_config", "lr_config", "runner", "evaluation",
                "checkpoint_config", "log_config"} & set(cfg.keys())
