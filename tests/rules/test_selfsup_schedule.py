"""MMC605: MMSelfSup's StepFixCosineAnnealing LR policy. No-op cases first, then before/after."""
import pytest

from codemods.config import clear_cache
from tests.rules.test_selfsup import _write, check_transformed
from tests.util import check_noop, migrate

RULE = "MMC605"


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.mark.parametrize("source", [
    # mmcv's own policy: the schedule rule (MMC402) migrates it
    """\
    lr_config = dict(policy='CosineAnnealing', min_lr=0.)
    runner = dict(type='EpochBasedRunner', max_epochs=200)
    """,
    # already 1.x
    """\
    param_scheduler = [dict(type='CosineAnnealingLR', T_max=260, begin=40, end=300)]
    """,
])
def test_noop(source):
    check_noop(RULE, source, kind="config")


def test_mae_schedule():
    # MMPretrain 1.2 mae/mae_vit-base-p16_8xb512-amp-coslr-300e_in1k.py has exactly these two
    # schedulers for warmup_iters=40 epochs of 300
    check_transformed(RULE, """\
    # learning policy
    lr_config = dict(
        policy='StepFixCosineAnnealing',
        min_lr=0.0,
        warmup='linear',
        warmup_iters=40,
        warmup_ratio=1e-4,
        warmup_by_epoch=True,
        by_epoch=False)
    runner = dict(max_epochs=300)
    """, """\
    # learning policy
    param_scheduler = [
        dict(type='LinearLR', start_factor=0.0001, by_epoch=True, begin=0, end=40,
             convert_to_iter_based=True),
        dict(type='CosineAnnealingLR', T_max=260, eta_min=0.0, by_epoch=True, begin=40, end=300,
             convert_to_iter_based=True),
    ]
    runner = dict(max_epochs=300)
    """)


def test_epochs_from_a_base_runner(tmp_path):
    _write(tmp_path, "base.py", "runner = dict(type='EpochBasedRunner', max_epochs=100)\n")
    child = _write(tmp_path, "child.py", "")
    # by_epoch defaults to True: the cosine steps once per epoch
    check_transformed(RULE, """\
    _base_ = 'base.py'
    lr_config = dict(policy='StepFixCosineAnnealing', min_lr=1e-6, warmup='linear',
                     warmup_iters=5, warmup_ratio=1e-4, warmup_by_epoch=True)
    """, """\
    _base_ = 'base.py'
    param_scheduler = [
        dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=5,
             convert_to_iter_based=True),
        dict(type='CosineAnnealingLR', T_max=95, eta_min=1e-6, by_epoch=True, begin=5, end=100),
    ]
    """, path=child)


def test_warmup_in_iterations_gets_todo():
    result = migrate("""\
    lr_config = dict(policy='StepFixCosineAnnealing', warmup='linear', warmup_iters=500)
    runner = dict(max_epochs=300)
    """, RULE, "config")
    assert result.startswith("# TODO(mmcodemod): MMC605 StepFixCosineAnnealing: write param_scheduler")
    assert "lr_config = dict(policy='StepFixCosineAnnealing'" in result
