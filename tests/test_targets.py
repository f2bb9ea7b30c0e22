"""Every module and name the import table can write exists in the real target packages.

The static checks read codemods/data/targets.py (generated from the wheels of mmpretrain 1.2.0,
mmengine 0.10.7 and mmcv-lite 2.2.0 by tools/gen_targets.py). The slow test regenerates that file
from freshly downloaded wheels and checks it is what is committed.
"""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.data import modules as table
from codemods.data import targets

ROOT = Path(__file__).resolve().parent.parent


def test_targets_cover_the_three_packages():
    assert targets.VERSIONS == {
        "mmcv": "mmcv-lite==2.2.0", "mmengine": "mmengine==0.10.7", "mmpretrain": "mmpretrain==1.2.0"
    }
    for module in ("mmpretrain.registry", "mmengine.config", "mmengine.runner", "mmcv.transforms"):
        assert table.is_target_module(module)
    # facts that the rows rely on, and facts that make them TODOs
    assert table.exists("mmpretrain.registry.MODELS")
    assert table.exists("mmpretrain.structures.DataSample")
    assert not table.exists("mmengine.runner.auto_fp16")
    assert not any("auto_fp16" in table.target_names(m) for m in targets.MODULES if m.startswith("mmengine"))
    assert not table.is_target_module("mmcv.runner")
    assert not table.is_target_module("mmpretrain.core")


def test_every_move_in_the_table_exists():
    missing = []
    for old, move in table.all_moves():
        target = move.qualified if move.name else move.module
        if not table.exists(target):
            missing.append(f"{old} -> {target}")
    assert not missing, "table writes names that do not exist:\n" + "\n".join(missing)


def test_every_expr_starts_with_the_imported_name():
    for old, move in table.all_moves():
        if move.expr is not None:
            assert move.expr.split(".")[0] == move.name, old


def test_resolutions_only_write_existing_names():
    """Generic renames: whatever resolve_name returns as a Move exists (checked on real 0.x names)."""
    samples = [
        ("mmcls.models", "ResNet"), ("mmcls.models.backbones", "VisionTransformer"),
        ("mmcls.models.heads", "LinearClsHead"), ("mmcls.datasets", "ImageNet"),
        ("mmcls.core.hook", "PreciseBNHook"), ("mmcls.apis", "init_model"),
        ("mmcls.datasets.pipelines", "RandomResizedCrop"), ("mmcls.core.utils", "sync_random_seed"),
        ("mmcls.models.heads.multi_label_head", "MultiLabelClsHead"),
        ("mmcv.runner", "load_checkpoint"), ("mmcv", "Config"), ("mmcv.utils", "print_log"),
    ]
    for module, name in samples:
        res = table.resolve_name(module, name)
        assert isinstance(res, table.Move), (module, name, res)
        assert table.exists(res.qualified), res


def test_unknown_names_get_todos_not_guesses():
    assert isinstance(table.resolve_name("mmcls.models", "NoSuchThing"), table.Removed)
    assert isinstance(table.resolve_name("mmcv.runner", "NoSuchThing"), table.Removed)
    assert isinstance(table.resolve_module("mmselfsup.apis"), table.Removed)
    assert table.resolve_name("mmcv.cnn", "ConvModule") is None  # still in mmcv 2.x
    assert table.resolve_name("otherpkg.mmcls", "x") is None  # not ours


def test_generator_is_importable_and_rendering_is_stable():
    spec = importlib.util.spec_from_file_location("gen_targets", ROOT / "tools" / "gen_targets.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    facts = {"pkg": {"pkg": {"a", "b"}, "pkg.sub": {"c"}}}
    text = gen.render(facts, {"pkg": "pkg==1"})
    namespace = {}
    exec(compile(text, "targets", "exec"), namespace)
    assert namespace["MODULES"] == {"pkg": "a b", "pkg.sub": "c"}


@pytest.mark.slow
def test_committed_targets_match_the_wheels():
    """Downloads the three wheels (network) and regenerates targets.py."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_targets.py"), "--check"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
