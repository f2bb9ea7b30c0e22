"""`mmcodemod verify`: the checks against a fake registry (fast, no MMPretrain needed), the
"not installed" path, and (slow) the real MMEngine/MMPretrain on the sample configs."""
from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from tests.util import cli_runner

import cli
from codemods import verify

ROOT = Path(__file__).resolve().parent.parent


class NoKwargs:
    def __init__(self, prob=0.5, direction="horizontal"):
        pass


class TakesKwargs:
    def __init__(self, depth, **kwargs):
        pass


# registry -> registered names; a name maps to the class whose signature is checked
FAKE = {
    "MODELS": {"ImageClassifier": TakesKwargs, "ResNet": TakesKwargs, "CrossEntropyLoss": TakesKwargs},
    "TRANSFORMS": {"RandomFlip": NoKwargs, "PackInputs": TakesKwargs, "Albumentations": TakesKwargs,
                   "RandomApply": TakesKwargs},
    "DATASETS": {"CustomDataset": TakesKwargs},
    "DATA_SAMPLERS": {"DefaultSampler": TakesKwargs},
    "METRICS": {"Accuracy": TakesKwargs},
    "OPTIM_WRAPPERS": {"OptimWrapper": TakesKwargs},
    "OPTIMIZERS": {"SGD": NoKwargs},
    "PARAM_SCHEDULERS": {"LinearLR": NoKwargs},
    "HOOKS": {"CheckpointHook": NoKwargs},
    "WEIGHT_INITIALIZERS": {"Pretrained": TakesKwargs},
    "BATCH_AUGMENTS": {"Mixup": TakesKwargs},
    "VISUALIZERS": {"UniversalVisualizer": TakesKwargs},
    "VISBACKENDS": {"LocalVisBackend": TakesKwargs},
}


def fake_lookup(registry, name):
    return FAKE.get(registry, {}).get(name)


def keys(problems):
    return [p.key for p in problems]


def dataloader(pipeline):
    return dict(batch_size=2, sampler=dict(type="DefaultSampler", shuffle=True),
                dataset=dict(type="CustomDataset", data_root="d", pipeline=pipeline))


# --- no-op cases first ---------------------------------------------------------------------

def test_clean_config_has_no_problem():
    cfg = dict(
        default_scope="mmpretrain",
        model=dict(type="ImageClassifier", backbone=dict(
            type="ResNet", depth=18, init_cfg=dict(type="Pretrained", checkpoint="x")),
            train_cfg=dict(augments=[dict(type="Mixup", alpha=0.8)])),
        train_dataloader=dataloader([dict(type="RandomFlip", prob=0.5), dict(type="PackInputs")]),
        val_evaluator=[dict(type="Accuracy", topk=(1,))],
        optim_wrapper=dict(type="OptimWrapper", optimizer=dict(type="SGD"), paramwise_cfg=dict()),
        param_scheduler=[dict(type="LinearLR", convert_to_iter_based=True)],
        default_hooks=dict(checkpoint=dict(type="CheckpointHook", priority="VERY_LOW")),
        visualizer=dict(type="UniversalVisualizer", vis_backends=[dict(type="LocalVisBackend")]),
        train_cfg=dict(by_epoch=True, max_epochs=1),
        work_dir="anything", custom_thing=dict(type="NotChecked"),
    )
    assert verify.check_config("c.py", cfg, fake_lookup) == []


def test_fragment_without_dataloaders_needs_no_default_scope():
    assert verify.check_config("m.py", dict(model=dict(type="ResNet", depth=18)), fake_lookup) == []


def test_albumentations_transforms_are_not_registry_types():
    pipeline = [dict(type="Albumentations", transforms=[dict(type="ShiftScaleRotate")])]
    assert verify.check_config("c.py", dict(train_pipeline=pipeline), fake_lookup) == []


# --- problems ------------------------------------------------------------------------------

def test_legacy_top_level_keys():
    cfg = dict(data=dict(), optimizer=dict(type="SGD"), lr_config=dict(), runner=dict(),
               evaluation=dict(), checkpoint_config=dict(), log_config=dict(), workflow=[],
               resume_from=None, dist_params=dict(), optimizer_config=dict(), log_level="INFO")
    found = keys(verify.check_config("c.py", cfg, fake_lookup))
    assert sorted(found) == sorted(set(cfg) - {"log_level"})


def test_type_is_looked_up_in_the_registry_of_its_place():
    # ResNet is a model: in a pipeline it is an error, and the message names TRANSFORMS
    cfg = dict(train_dataloader=dataloader([dict(type="ResNet", depth=1), dict(type="Collect")]))
    problems = verify.check_config("c.py", cfg, fake_lookup)
    assert keys(problems) == ["train_dataloader.dataset.pipeline[0].type",
                              "train_dataloader.dataset.pipeline[1].type"]
    assert "TRANSFORMS" in problems[0].message and "'ResNet'" in problems[0].message


@pytest.mark.parametrize("cfg, key, registry", [
    (dict(model=dict(type="ImageClassifier", backbone=dict(type="Nope"))), "model.backbone.type", "MODELS"),
    (dict(model=dict(type="ResNet", init_cfg=dict(type="ResNet"))), "model.init_cfg.type",
     "WEIGHT_INITIALIZERS"),
    (dict(model=dict(type="ResNet", train_cfg=dict(augments=[dict(type="BatchMixup")]))),
     "model.train_cfg.augments[0].type", "BATCH_AUGMENTS"),
    (dict(optim_wrapper=dict(optimizer=dict(type="OptimWrapper"))), "optim_wrapper.optimizer.type",
     "OPTIMIZERS"),
    (dict(optim_wrapper=dict(constructor="Nope")), "optim_wrapper.constructor",
     "OPTIM_WRAPPER_CONSTRUCTORS"),
    (dict(param_scheduler=dict(type="StepLrUpdaterHook")), "param_scheduler.type", "PARAM_SCHEDULERS"),
    (dict(test_evaluator=dict(type="accuracy")), "test_evaluator.type", "METRICS"),
    (dict(custom_hooks=[dict(type="TextLoggerHook")]), "custom_hooks[0].type", "HOOKS"),
    (dict(visualizer=dict(type="UniversalVisualizer", vis_backends=[dict(type="TensorboardLoggerHook")])),
     "visualizer.vis_backends[0].type", "VISBACKENDS"),
    (dict(val_dataloader=dict(sampler=dict(type="Nope"))), "val_dataloader.sampler.type", "DATA_SAMPLERS"),
    (dict(train_dataloader=dict(dataset=dict(type="CustomDataset", pipeline=[dict(
        type="RandomApply", transforms=[dict(type="Nope")])]))),
     "train_dataloader.dataset.pipeline[0].transforms[0].type", "TRANSFORMS"),
])
def test_each_place_has_its_registry(cfg, key, registry):
    problems = verify.check_config("c.py", cfg, fake_lookup)
    assert keys(problems) == [key]
    assert registry in problems[0].message


def test_arguments_a_class_does_not_take():
    cfg = dict(train_pipeline=[dict(type="RandomFlip", flip_prob=0.5, direction="horizontal")],
               model=dict(type="ResNet", depth=18, anything=1))  # ResNet takes **kwargs
    problems = verify.check_config("c.py", cfg, fake_lookup)
    assert keys(problems) == ["train_pipeline[0].flip_prob"]
    assert "RandomFlip" in problems[0].message


def test_builder_keys_are_not_arguments_elsewhere():
    cfg = dict(train_pipeline=[dict(type="RandomFlip", priority=1, convert_to_iter_based=True)])
    assert keys(verify.check_config("c.py", cfg, fake_lookup)) == [
        "train_pipeline[0].convert_to_iter_based", "train_pipeline[0].priority"]


def test_model_and_loop_arguments_are_not_checked():
    # parents rewrite their children's configs (pretrained, norm_cfg.requires_grad); the Runner
    # takes by_epoch out of train_cfg
    cfg = dict(model=dict(type="ImageClassifier", backbone=dict(type="Net", pretrained="x")),
               train_cfg=dict(type="Loop", by_epoch=True))
    lookup = lambda registry, name: NoKwargs  # noqa: E731 - every name found, with fixed arguments
    assert verify.check_config("c.py", cfg, lookup) == []


def test_0x_name_used_as_a_helper_variable_is_not_legacy():
    optimizer = dict(lr=0.1, momentum=0.9)
    cfg = dict(optimizer=optimizer, optim_wrapper=dict(optimizer=dict(optimizer)))
    assert verify.check_config("c.py", cfg, fake_lookup) == []
    cfg["optim_wrapper"]["optimizer"]["lr"] = 0.2  # now the 0.x value is lost
    assert keys(verify.check_config("c.py", cfg, fake_lookup)) == ["optimizer"]


def test_full_config_without_default_scope():
    cfg = dict(model=dict(type="ResNet", depth=1), val_dataloader=dict(batch_size=1))
    assert keys(verify.check_config("c.py", cfg, fake_lookup)) == ["default_scope"]


def test_unknown_arguments_of_callables():
    def fn(a, *, b=1):
        return a
    assert verify.unknown_arguments(fn, {"a", "b", "c"}) == ["c"]
    assert verify.unknown_arguments(dict, {"x"}) == []  # no signature: nothing claimed


# --- files ---------------------------------------------------------------------------------

def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_directories_skip_base_folders_and_code(tmp_path):
    leaf = write(tmp_path / "configs/a/leaf.py", "_base_ = ['../_base_/m.py']\nmodel = dict(x=1)\n")
    write(tmp_path / "configs/_base_/m.py", "model = dict(type='ResNet')\n")
    write(tmp_path / "configs/helper.py", "import os\n\ndef f():\n    return os.sep\n")
    files, problems = verify.config_files([str(tmp_path / "configs")])
    assert files == [leaf] and problems == []
    base_files, _ = verify.config_files([str(tmp_path / "configs/_base_")])
    assert [f.name for f in base_files] == ["m.py"]
    named, _ = verify.config_files([str(tmp_path / "configs/_base_/m.py")])
    assert [f.name for f in named] == ["m.py"]


def test_missing_path_is_a_problem(tmp_path):
    files, problems = verify.config_files([str(tmp_path / "nope")])
    assert files == [] and problems[0].message == "no such file or directory"


def test_custom_imports_that_fail(tmp_path):
    problems = verify.import_custom_modules("c.py", dict(imports=["json", "no_such_module_xyz"]))
    assert keys(problems) == ["custom_imports.imports[1]"]
    assert "no_such_module_xyz" in problems[0].message


# --- the command ---------------------------------------------------------------------------

def invoke(*args):
    return cli_runner().invoke(cli.main, ["verify", *args])


def test_not_installed_prints_the_pip_command_and_exits_2(tmp_path, monkeypatch):
    # None in sys.modules makes `import mmpretrain` fail whether or not it is installed
    monkeypatch.setitem(sys.modules, "mmpretrain", None)
    monkeypatch.setitem(sys.modules, "mmpretrain.registry", None)
    result = invoke(str(tmp_path))
    assert result.exit_code == 2
    assert "pip install" in result.stderr and "mmpretrain==1.2.0" in result.stderr
    assert "mmengine==0.10.7" in result.stderr and sys.executable in result.stderr


class FakeConfig:
    """Config.fromfile stand-in: runs the file (no _base_ support needed here)."""

    @staticmethod
    def fromfile(path, import_custom_modules=True):
        scope: dict = {}
        exec(compile(Path(path).read_text(), path, "exec"), scope)
        return FakeConfig.Loaded({k: v for k, v in scope.items() if not k.startswith("__")})

    class Loaded(dict):
        def to_dict(self):
            return dict(self)


class FakeRegistries:
    def __getattr__(self, registry):
        if registry not in FAKE:
            raise AttributeError(registry)
        return FAKE[registry]


@pytest.fixture
def fake_packages(monkeypatch):
    monkeypatch.setattr(verify, "import_packages", lambda: (FakeConfig, (FakeRegistries(),)))


def test_command_exit_codes_and_output(tmp_path, fake_packages):
    good = write(tmp_path / "good.py", "model = dict(type='ResNet', depth=18)\n")
    bad = write(tmp_path / "bad.py", "model = dict(type='Nope')\nrunner = dict(max_epochs=1)\n")
    broken = write(tmp_path / "broken.py", "model = dict(type=)\n")
    assert invoke(str(good)).exit_code == 0
    result = invoke(str(good), str(bad), str(broken))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{bad}: runner: 0.x key left; MMPretrain 1.x uses train_cfg" in lines[0]
    assert f"{bad}: model.type: 'Nope' is not registered in MMPretrain's MODELS" in lines
    assert any(line.startswith(f"{broken}: -: does not load: SyntaxError") for line in lines)
    assert "3 configs checked, 3 problems in 2 of them" in result.stderr


def test_command_with_a_missing_path_exits_2(tmp_path, fake_packages):
    good = write(tmp_path / "good.py", "model = dict(type='ResNet', depth=18)\n")
    result = invoke(str(good), str(tmp_path / "nope.py"))
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nope.py'}: no such file or directory" in result.stderr
    assert "1 configs checked, 0 problems" in result.stderr


def test_command_with_no_config_exits_2(tmp_path, fake_packages):
    write(tmp_path / "code.py", "def f():\n    return 1\n")
    result = invoke(str(tmp_path))
    assert result.exit_code == 2 and "no config file" in result.stderr


# --- the real packages (slow) --------------------------------------------------------------

@pytest.fixture(autouse=True)
def forget_imported_user_modules(tmp_path):
    """verify imports the project's custom_imports; forget them so each test imports its own copy
    (only the project's modules: numpy and others cannot be imported twice in a process)."""
    before = set(sys.modules)
    yield
    projects = (str(ROOT / "samples"), str(tmp_path))
    for name in set(sys.modules) - before:
        if str(getattr(sys.modules[name], "__file__", None) or "").startswith(projects):
            del sys.modules[name]


def real_packages():
    pytest.importorskip("mmengine", reason="needs MMEngine: " + verify.install_command())
    pytest.importorskip("mmpretrain", reason="needs MMPretrain 1.2: " + verify.install_command())


def migrated_samples(tmp_path: Path) -> Path:
    target = tmp_path / "samples"
    shutil.copytree(ROOT / "samples", target, ignore=shutil.ignore_patterns("__pycache__"))
    result = cli_runner().invoke(cli.main, ["run", str(target), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.slow
def test_real_unmigrated_samples_fail(monkeypatch):
    real_packages()
    monkeypatch.chdir(ROOT / "samples")
    result = invoke("configs")
    assert result.exit_code == 1
    for expected in (": data: 0.x key left", ": lr_config: 0.x key left",
                     ".flip_prob: RandomFlip takes no argument 'flip_prob'",
                     "train_pipeline[0].size: RandomCrop takes no argument 'size'",
                     "cannot import 'mycls': ModuleNotFoundError: No module named 'mmcls'"):
        assert expected in result.stdout, expected


@pytest.mark.slow
def test_real_migrated_samples_verify(tmp_path, monkeypatch):
    real_packages()
    target = migrated_samples(tmp_path)
    monkeypatch.chdir(target)  # custom_imports = ['mycls'] is found from the project root
    monkeypatch.syspath_prepend(str(target))
    result = invoke("configs")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "3 configs checked, 0 problems" in result.stderr


@pytest.mark.slow
def test_real_mmpretrain_own_configs_raise_no_false_alarms():
    """MMPretrain 1.2's shipped configs are the reference: the argument check must not flag them,
    and most must verify clean (measured: 480 of 537 without the multimodal extras; the rest are
    multimodal types, a few 0.x keys left in upstream configs, and configs that do not load)."""
    real_packages()
    import mmpretrain

    shipped = Path(mmpretrain.__file__).parent / ".mim" / "configs"
    if not shipped.is_dir():
        pytest.skip("this MMPretrain install has no .mim/configs")
    Config, registries = verify.import_packages()
    lookup = verify.registry_lookup(*registries)
    files, _ = verify.config_files([str(shipped)])
    problems = [p for f in files for p in verify.verify_file(f, Config, lookup)]
    assert len(files) > 400
    assert [str(p) for p in problems if "takes no argument" in p.message] == []
    assert len({p.config for p in problems}) < 0.15 * len(files)
