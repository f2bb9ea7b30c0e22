"""The `_base_` trigger of the MMC4 rules built on `Derived` specs only counts for a file that may
join two bases: a leaf with one base and none of the specs' keys inherits its migrated base as it
is, and is not even parsed. Leaves that set a key a spec writes or reads still get it."""
import subprocess
import sys

import libcst as cst
import pytest

from codemods import engine
from codemods.config import ConfigFile
from codemods.config.derive import joins_bases
from codemods.rules import get_rule


@pytest.mark.parametrize("text,joins", [
    ("_base_ = 'a.py'\nmodel = dict(x=1)\n", False),
    ("_base_ = ['../a.py']\n", False),
    ('_base_ = [\n    "../a.py",\n]  # one base\n', False),
    ("_base_ = ['a.py', 'b.py']\n", True),
    ("_base_ = 'a.py'\nx = '{{_base_.model}}'\n", True),
    ("_base_ = BASES\n", True),
    ("model = dict(x=1)\n", False),
])
def test_joins_bases(text, joins):
    assert joins_bases(text) is joins


@pytest.mark.parametrize("rule_id", ["MMC401", "MMC402", "MMC403", "MMC411"])
def test_one_base_alone_is_no_reason_to_run(rule_id):
    rule = get_rule(rule_id)
    assert not rule.applies_to("config", "_base_ = 'a.py'\nmodel = dict(x=1)\n")
    assert rule.applies_to("config", "_base_ = ['a.py', 'b.py']\nmodel = dict(x=1)\n")
    for key in rule.own_keys():
        assert rule.applies_to("config", f"_base_ = 'a.py'\n{key} = dict()\n"), key


SCHEDULE = "optimizer = dict(type='SGD', lr=0.1)\nrunner = dict(type='EpochBasedRunner', max_epochs=100)\n"
FP16 = "fp16 = dict(loss_scale=512.)\n"
RUNTIME = "checkpoint_config = dict(interval=1)\nlog_config = dict(interval=100, hooks=[dict(type='TextLoggerHook')])\n"
MID = "_base_ = ['_base_/schedule.py', '_base_/fp16.py', '_base_/runtime.py']\n"
PLAIN = "_base_ = 'mid.py'\nwork_dir = 'work_dirs/plain'\n"
EVAL = "_base_ = 'mid.py'\nevaluation = dict(interval=5, save_best='auto')\n"


def _merged(path, key):
    return ConfigFile(cst.parse_module(path.read_text()), path).merged(key)


def test_a_tree_with_one_base_leaves(tmp_path):
    configs = tmp_path / "configs"
    (configs / "_base_").mkdir(parents=True)
    files = {"_base_/schedule.py": SCHEDULE, "_base_/fp16.py": FP16, "_base_/runtime.py": RUNTIME,
             "mid.py": MID, "plain.py": PLAIN, "eval.py": EVAL}
    for name, text in files.items():
        (configs / name).write_text(text)
    _, prefilter = engine._rules_and_regex((), ())
    assert not prefilter.search(PLAIN, configs / "plain.py")
    run = subprocess.run([sys.executable, "-m", "cli", "run", "--select", "MMC4", str(configs)],
                         capture_output=True, text=True, cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert (configs / "plain.py").read_text() == PLAIN
    wrapper = {"type": "AmpOptimWrapper", "optimizer": {"type": "SGD", "lr": 0.1}, "loss_scale": 512.0}
    for leaf in ("plain.py", "eval.py", "mid.py"):
        assert _merged(configs / leaf, "optim_wrapper") == wrapper, leaf
    assert _merged(configs / "plain.py", "train_cfg") == {"by_epoch": True, "max_epochs": 100, "val_interval": 1}
    # `evaluation` is read by the loop and hook specs: the leaf writes what it changes
    assert _merged(configs / "eval.py", "train_cfg")["val_interval"] == 5
    assert _merged(configs / "eval.py", "default_hooks")["checkpoint"]["save_best"] == "auto"
