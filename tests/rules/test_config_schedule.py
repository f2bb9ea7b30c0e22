"""MMC401-MMC403: optim_wrapper, param_scheduler, train/val/test loops. No-op cases first.

Expected outputs follow the guide's tables ("训练策略设置") and the sources: mmcv 1.x's optimizer
and LR updater hooks, mmcls 0.25's apis/train.py, MMEngine 0.10's OptimWrapper/AmpOptimWrapper
and schedulers, MMPretrain 1.2's `_base_/schedules/*`.
"""
import textwrap

import libcst as cst
import pytest

from codemods.config import for_rule
from tests.util import check_noop, check_transformed, migrate

OPTIM, SCHED, LOOPS = "MMC401", "MMC402", "MMC403"
ALL = [OPTIM, SCHED, LOOPS]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


# --- no-op -----------------------------------------------------------------------------------
@pytest.mark.parametrize("source", [
    # already 1.x (MMPretrain 1.2's _base_/schedules/imagenet_bs256.py)
    """\
    optim_wrapper = dict(
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0001))
    param_scheduler = dict(
        type='MultiStepLR', by_epoch=True, milestones=[30, 60, 90], gamma=0.1)
    train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
    val_cfg = dict()
    test_cfg = dict()
    """,
    # a model config: no schedule keys at all
    """\
    model = dict(type='ImageClassifier', backbone=dict(type='ResNet', depth=50))
    """,
    # only `evaluation` (a dataset base): the loop comes from the schedule, not from here
    """\
    dataset_type = 'ImageNet'
    evaluation = dict(interval=1, metric='accuracy')
    """,
])
def test_noop(source):
    check_noop(ALL, source, kind="config")


def test_noop_leaf_of_migrated_bases(tmp_path):
    write(tmp_path, "base.py", """\
        optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1))
        train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
    """)
    leaf = """\
        _base_ = './base.py'
        model = dict(head=dict(num_classes=10))
    """
    check_noop(ALL, leaf, kind="config", path=tmp_path / "leaf.py")


# --- B. optim_wrapper --------------------------------------------------------------------------
def test_guide_example():
    check_transformed(OPTIM, """\
        optimizer = dict(
            type='AdamW',
            lr=0.0015,
            weight_decay=0.3,
            paramwise_cfg = dict(
                norm_decay_mult=0.0,
                bias_decay_mult=0.0,
            ))
        optimizer_config = dict(grad_clip=dict(max_norm=1.0))
    """, """\
        optim_wrapper = dict(
            type='OptimWrapper',
            optimizer=dict(type='AdamW', lr=0.0015, weight_decay=0.3),
            paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0),
            clip_grad=dict(max_norm=1.0),
        )
    """, kind="config")


def test_grad_clip_none_dropped_and_comments_kept():
    check_transformed(OPTIM, """\
        # optimizer
        optimizer = dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0001)
        optimizer_config = dict(grad_clip=None)
        # learning policy
        lr_config = dict(policy='step', step=[30, 60, 90])
    """, """\
        # optimizer
        optim_wrapper = dict(
            type='OptimWrapper',
            optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0001),
        )
        # learning policy
        lr_config = dict(policy='step', step=[30, 60, 90])
    """, kind="config")


def test_paramwise_variable_stays_a_reference():
    check_transformed(OPTIM, """\
        paramwise_cfg = dict(custom_keys={'.cls_token': dict(decay_mult=0.0)})
        optimizer = dict(type='AdamW', lr=5e-4 * 1024 / 512, paramwise_cfg=paramwise_cfg)
    """, """\
        paramwise_cfg = dict(custom_keys={'.cls_token': dict(decay_mult=0.0)})
        optim_wrapper = dict(
            type='OptimWrapper',
            optimizer=dict(type='AdamW', lr=5e-4 * 1024 / 512),
            paramwise_cfg=paramwise_cfg,
        )
    """, kind="config")


def test_fp16_dict_gives_amp_wrapper():
    check_transformed(OPTIM, """\
        optimizer = dict(type='SGD', lr=0.1)
        optimizer_config = dict(grad_clip=None)
        fp16 = dict(loss_scale='dynamic')
    """, """\
        optim_wrapper = dict(
            type='AmpOptimWrapper',
            loss_scale='dynamic',
            optimizer=dict(type='SGD', lr=0.1),
        )
    """, kind="config")


def test_fp16_hook_with_clip_and_default_loss_scale():
    check_transformed(OPTIM, """\
        optimizer = dict(type='SGD', lr=0.1)
        optimizer_config = dict(type='Fp16OptimizerHook', grad_clip=dict(max_norm=35, norm_type=2))
    """, """\
        optim_wrapper = dict(
            type='AmpOptimWrapper',
            loss_scale=512.0,
            optimizer=dict(type='SGD', lr=0.1),
            clip_grad=dict(max_norm=35, norm_type=2),
        )
    """, kind="config")


def test_gradient_cumulative_hook():
    check_transformed(OPTIM, """\
        optimizer = dict(type='SGD', lr=0.1)
        optimizer_config = dict(type='GradientCumulativeOptimizerHook', cumulative_iters=4)
    """, """\
        optim_wrapper = dict(
            type='OptimWrapper',
            optimizer=dict(type='SGD', lr=0.1),
            accumulative_counts=4,
        )
    """, kind="config")


def test_dist_optimizer_hook_options_get_a_todo():
    check_transformed(OPTIM, """\
        optimizer = dict(type='SGD', lr=0.1)
        optimizer_config = dict(type='DistOptimizerHook', coalesce=True, bucket_size_mb=-1)
    """, """\
        # TODO(mmcodemod): MMC401 optimizer_config options coalesce, bucket_size_mb have no equivalent in MMEngine's OptimWrapper and were dropped
        optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1))
    """, kind="config")


def test_optimizer_built_by_code_is_left_with_a_todo():
    check_transformed(OPTIM, """\
        optimizer = dict(type='SGD', lr=0.1)
        if True:
            optimizer['lr'] = 0.2
    """, """\
        # TODO(mmcodemod): MMC401 optimizer built or changed by code; migrate by hand
        optimizer = dict(type='SGD', lr=0.1)
        if True:
            optimizer['lr'] = 0.2
    """, kind="config")


def test_partial_override_of_a_base_on_disk(tmp_path):
    write(tmp_path, "_base_/schedule.py", """\
        optimizer = dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0001)
        optimizer_config = dict(grad_clip=None)
    """)
    check_transformed(OPTIM, """\
        _base_ = ['./_base_/schedule.py']
        optimizer = dict(lr=0.01)
    """, """\
        _base_ = ['./_base_/schedule.py']
        optim_wrapper = dict(optimizer=dict(lr=0.01))
    """, kind="config", path=tmp_path / "leaf.py")


def test_partial_override_with_delete_and_clip(tmp_path):
    write(tmp_path, "base.py", """\
        optimizer = dict(type='SGD', lr=0.1, momentum=0.9)
        optimizer_config = dict(grad_clip=None)
    """)
    check_transformed(OPTIM, """\
        _base_ = 'base.py'
        optimizer = dict(_delete_=True, type='AdamW', lr=1e-3)
        optimizer_config = dict(grad_clip=dict(max_norm=5.0), _delete_=True)
    """, """\
        _base_ = 'base.py'
        optim_wrapper = dict(
            optimizer=dict(_delete_=True, type='AdamW', lr=1e-3),
            clip_grad=dict(max_norm=5.0),
        )
    """, kind="config", path=tmp_path / "leaf.py")


def test_fp16_leaf_over_a_base(tmp_path):
    write(tmp_path, "base.py", "optimizer = dict(type='SGD', lr=0.1)\noptimizer_config = dict(grad_clip=None)\n")
    check_transformed(OPTIM, """\
        _base_ = 'base.py'
        fp16 = dict(loss_scale=512.)
    """, """\
        _base_ = 'base.py'
        optim_wrapper = dict(type='AmpOptimWrapper', loss_scale=512.)
    """, kind="config", path=tmp_path / "leaf.py")


# --- C. param_scheduler ----------------------------------------------------------------------
def test_guide_cosine_with_epoch_warmup():
    check_transformed(SCHED, """\
        lr_config = dict(
            policy='CosineAnnealing',
            min_lr=0,
            warmup='linear',
            warmup_iters=5,
            warmup_ratio=0.01,
            warmup_by_epoch=True)
    """, """\
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
    """, kind="config")


@pytest.mark.parametrize("before, after", [
    ("lr_config = dict(policy='step', step=[30, 60, 90])\n",
     "param_scheduler = dict(\n    type='MultiStepLR', milestones=[30, 60, 90], gamma=0.1, by_epoch=True)\n"),
    ("lr_config = dict(policy='step', step=2, gamma=0.973, by_epoch=True)\n",
     "param_scheduler = dict(type='StepLR', step_size=2, gamma=0.973, by_epoch=True)\n"),
    ("lr_config = dict(policy='CosineAnnealing', min_lr=1e-5, by_epoch=False)\n",
     "param_scheduler = dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=False)\n"),
    ("lr_config = dict(policy='CosineAnnealing', min_lr_ratio=1e-2)\n",
     "param_scheduler = dict(\n    type='CosineAnnealingLR', eta_min_ratio=1e-2, by_epoch=True)\n"),
    ("lr_config = dict(policy='poly', min_lr=0, power=0.9, by_epoch=False)\n",
     "param_scheduler = dict(type='PolyLR', eta_min=0, power=0.9, by_epoch=False)\n"),
    ("lr_config = dict(policy='exp', gamma=0.95)\n",
     "param_scheduler = dict(type='ExponentialLR', gamma=0.95, by_epoch=True)\n"),
    ("lr_config = dict(policy='CosineRestart', periods=[10, 20], restart_weights=[1, 0.5], min_lr=0)\n",
     # min_lr=0 stays as eta_min=0: CosineRestartLR asserts that one minimum is given
     "param_scheduler = dict(\n    type='CosineRestartLR',\n    periods=[10, 20],\n    restart_weights=[1, 0.5],\n"
     "    eta_min=0,\n    by_epoch=True,\n)\n"),
    ("lr_config = dict(policy='OneCycle', max_lr=0.1, pct_start=0.25)\n",
     "param_scheduler = dict(\n    type='OneCycleLR', eta_max=0.1, pct_start=0.25, by_epoch=False)\n"),
    ("lr_config = dict(policy='fixed', warmup='constant', warmup_iters=500, warmup_ratio=0.1)\n",
     "param_scheduler = dict(\n    type='ConstantLR', factor=0.1, by_epoch=False, begin=0, end=500)\n"),
])
def test_policies(before, after):
    check_transformed(SCHED, before, after, kind="config")


def test_cosine_restart_without_minimum_gets_eta_min():
    # CosineRestartLR asserts that one of eta_min / eta_min_ratio is set.
    check_transformed(SCHED, "lr_config = dict(policy='CosineRestart', periods=[5])\n",
                      "param_scheduler = dict(\n    type='CosineRestartLR',\n    periods=[5],\n"
                      "    restart_weights=[1],\n    eta_min=0,\n    by_epoch=True,\n)\n", kind="config")


def test_iteration_warmup_and_iteration_runner():
    check_transformed([SCHED, LOOPS], """\
        lr_config = dict(policy='poly', power=1.0, min_lr=1e-4, warmup='linear', warmup_iters=5000,
                         warmup_ratio=0.25)
        runner = dict(type='IterBasedRunner', max_iters=300000)
    """, """\
        param_scheduler = [
            dict(
                type='LinearLR', start_factor=0.25, by_epoch=False, begin=0, end=5000),
            dict(type='PolyLR', eta_min=1e-4, power=1.0, by_epoch=False, begin=5000),
        ]
        train_cfg = dict(by_epoch=False, max_iters=300000, val_interval=1)
        val_cfg = dict()
        test_cfg = dict()
    """, kind="config")


def test_iteration_warmup_before_epoch_steps():
    check_transformed(SCHED, """\
        lr_config = dict(policy='step', step=[30, 60], warmup='linear', warmup_iters=2500, warmup_ratio=0.25)
    """, """\
        param_scheduler = [
            dict(
                type='LinearLR', start_factor=0.25, by_epoch=False, begin=0, end=2500),
            dict(type='MultiStepLR', milestones=[30, 60], gamma=0.1, by_epoch=True),
        ]
    """, kind="config")


def test_flat_cosine_needs_the_run_length():
    check_transformed(SCHED, """\
        lr_config = dict(policy='FlatCosineAnnealing', start_percent=0.5, min_lr=0)
        runner = dict(type='EpochBasedRunner', max_epochs=100)
    """, """\
        param_scheduler = dict(
            type='CosineAnnealingLR', by_epoch=True, begin=50, end=100)
        runner = dict(type='EpochBasedRunner', max_epochs=100)
    """.replace("dict(\n    type='CosineAnnealingLR', by_epoch=True, begin=50, end=100)",
                "dict(type='CosineAnnealingLR', by_epoch=True, begin=50, end=100)"), kind="config")


def test_cooldown_policy_uses_the_run_length():
    check_transformed(SCHED, """\
        lr_config = dict(policy='CosineAnnealingCooldown', min_lr=1e-5, cool_down_time=10,
                         cool_down_ratio=0.1, warmup_by_epoch=True, warmup='linear',
                         warmup_iters=10, warmup_ratio=1e-6)
        runner = dict(type='EpochBasedRunner', max_epochs=310)
    """, """\
        param_scheduler = [
            dict(
                type='LinearLR',
                start_factor=1e-6,
                by_epoch=True,
                end=10,
                convert_to_iter_based=True,
            ),
            dict(
                type='CosineAnnealingLR',
                eta_min=1e-5,
                by_epoch=True,
                begin=10,
                end=300,
            ),
            dict(type='ConstantLR', factor=0.1, by_epoch=True, begin=300, end=310),
        ]
        runner = dict(type='EpochBasedRunner', max_epochs=310)
    """, kind="config")


def test_what_has_no_equivalent_gets_a_todo():
    check_transformed(SCHED, """\
        lr_config = dict(policy='step', step=[30], min_lr=1e-6)
    """, """\
        # TODO(mmcodemod): MMC402 the step policy's minimum (1e-6) has no equivalent in MultiStepLR; the value can now go below it
        param_scheduler = dict(
            type='MultiStepLR', milestones=[30], gamma=0.1, by_epoch=True)
    """, kind="config")
    check_transformed(SCHED, """\
        lr_config = dict(policy='inv', gamma=0.1, power=1.0)
    """, """\
        # TODO(mmcodemod): MMC402 lr policy 'Inv' has no MMEngine scheduler here; write `param_scheduler` by hand
        lr_config = dict(policy='inv', gamma=0.1, power=1.0)
    """, kind="config")


def test_exp_warmup_gets_a_todo():
    source = "lr_config = dict(policy='step', step=[3], warmup='exp', warmup_iters=10)\n"
    result = migrate(source, SCHED, kind="config")
    assert result.startswith("# TODO(mmcodemod): MMC402 'exp' warmup has no MMEngine scheduler")
    assert result.endswith(source)


def test_momentum_config():
    check_transformed(SCHED, """\
        lr_config = dict(policy='CosineAnnealing', min_lr=0)
        momentum_config = dict(policy='CosineAnnealing', min_momentum_ratio=0.85)
    """, """\
        param_scheduler = [
            dict(type='CosineAnnealingLR', by_epoch=True),
            dict(type='CosineAnnealingMomentum', eta_min_ratio=0.85, by_epoch=True),
        ]
    """, kind="config")


def test_partial_lr_override_writes_the_whole_list(tmp_path):
    # A child's lr_config merges into the base's (warmup kept); a scheduler list replaces the
    # base's list whole, so the child must write all of it.
    write(tmp_path, "base.py", """\
        lr_config = dict(policy='CosineAnnealing', min_lr=1e-5, warmup='linear', warmup_iters=5,
                         warmup_ratio=0.1, warmup_by_epoch=True)
    """)
    check_transformed(SCHED, """\
        _base_ = 'base.py'
        lr_config = dict(min_lr=0)
    """, """\
        _base_ = 'base.py'
        param_scheduler = [
            dict(
                type='LinearLR',
                start_factor=0.1,
                by_epoch=True,
                end=5,
                convert_to_iter_based=True,
            ),
            dict(type='CosineAnnealingLR', by_epoch=True, begin=5),
        ]
    """, kind="config", path=tmp_path / "leaf.py")


# --- D. loops ----------------------------------------------------------------------------------
def test_guide_runner_example():
    check_transformed(LOOPS, """\
        runner = dict(type='EpochBasedRunner', max_epochs=100)
    """, """\
        train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
        val_cfg = dict()
        test_cfg = dict()
    """, kind="config")


def test_val_interval_from_evaluation_which_stays():
    check_transformed(LOOPS, """\
        evaluation = dict(interval=10, metric='accuracy')
        runner = dict(type='EpochBasedRunner', max_epochs=300)
    """, """\
        evaluation = dict(interval=10, metric='accuracy')
        train_cfg = dict(by_epoch=True, max_epochs=300, val_interval=10)
        val_cfg = dict()
        test_cfg = dict()
    """, kind="config")


def test_partial_runner_override(tmp_path):
    write(tmp_path, "base.py", "runner = dict(type='EpochBasedRunner', max_epochs=100)\n")
    check_transformed(LOOPS, """\
        _base_ = 'base.py'
        runner = dict(max_epochs=200)
    """, """\
        _base_ = 'base.py'
        train_cfg = dict(max_epochs=200)
    """, kind="config", path=tmp_path / "leaf.py")


def test_leaf_joining_interval_and_runner_of_two_bases(tmp_path):
    # The schedule base alone cannot see the dataset base's interval: the leaf that joins them
    # writes the difference, although it sets neither key itself.
    write(tmp_path, "data.py", "evaluation = dict(interval=5, metric='accuracy')\n")
    write(tmp_path, "schedule.py", "runner = dict(type='EpochBasedRunner', max_epochs=100)\n")
    check_transformed(LOOPS, """\
        _base_ = ['data.py', 'schedule.py']
    """, """\
        _base_ = ['data.py', 'schedule.py']
        train_cfg = dict(val_interval=5)
    """, kind="config", path=tmp_path / "leaf.py")


# --- a tree: base and leaf agree once both are migrated ------------------------------------------
def test_base_and_leaf_agree_after_migration(tmp_path):
    base = write(tmp_path, "base.py", """\
        optimizer = dict(type='SGD', lr=0.1, momentum=0.9)
        optimizer_config = dict(grad_clip=None)
        lr_config = dict(policy='step', step=[30, 60, 90])
        runner = dict(type='EpochBasedRunner', max_epochs=100)
    """)
    leaf = write(tmp_path, "leaf.py", """\
        _base_ = 'base.py'
        optimizer = dict(lr=0.4, nesterov=True)
        lr_config = dict(step=[10, 20])
        runner = dict(max_epochs=30)
        evaluation = dict(interval=2)
    """)
    new_leaf = migrate(leaf.read_text(), ALL, kind="config", path=leaf)
    new_base = migrate(base.read_text(), ALL, kind="config", path=base)
    merged_dir = tmp_path / "migrated"
    write(merged_dir, "base.py", new_base)
    path = write(merged_dir, "leaf.py", new_leaf)
    cfg = for_rule(cst.parse_module(new_leaf), path)
    assert cfg.merged("optim_wrapper") == {
        "type": "OptimWrapper", "optimizer": {"type": "SGD", "lr": 0.4, "momentum": 0.9, "nesterov": True}}
    assert cfg.merged("param_scheduler") == {
        "type": "MultiStepLR", "milestones": [10, 20], "gamma": 0.1, "by_epoch": True}
    assert cfg.merged("train_cfg") == {"by_epoch": True, "max_epochs": 30, "val_interval": 2}
    assert cfg.merged("val_cfg") == {} and cfg.merged("test_cfg") == {}


# --- a 0.x child over a base that is already 1.x (migrated earlier, or written for 1.x) ---------
def test_partial_optimizer_over_a_migrated_base(tmp_path):
    write(tmp_path, "base.py", """\
        optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9))
    """)
    check_transformed(OPTIM, """\
        _base_ = 'base.py'
        optimizer = dict(lr=0.01)
    """, """\
        _base_ = 'base.py'
        optim_wrapper = dict(type='OptimWrapper', optimizer=dict(lr=0.01))
    """, kind="config", path=tmp_path / "leaf.py")


def test_partial_lr_config_over_a_migrated_schedule(tmp_path):
    # The base's scheduler list reads back as lr_config: the child's min_lr changes its cosine.
    write(tmp_path, "base.py", """\
        param_scheduler = [
            dict(type='LinearLR', start_factor=0.01, by_epoch=True, end=5, convert_to_iter_based=True),
            dict(type='CosineAnnealingLR', by_epoch=True, begin=5),
        ]
    """)
    check_transformed(SCHED, """\
        _base_ = 'base.py'
        lr_config = dict(min_lr=1e-5)
    """, """\
        _base_ = 'base.py'
        param_scheduler = [
            dict(
                type='LinearLR',
                start_factor=0.01,
                by_epoch=True,
                end=5,
                convert_to_iter_based=True,
            ),
            dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=5),
        ]
    """, kind="config", path=tmp_path / "leaf.py")


def test_partial_lr_config_over_an_unreadable_schedule_gets_a_todo(tmp_path):
    write(tmp_path, "base.py", """\
        param_scheduler = [dict(type='CosineAnnealingLR', T_max=95, by_epoch=True, begin=5, end=100)]
    """)
    check_transformed(SCHED, """\
        _base_ = 'base.py'
        lr_config = dict(min_lr=1e-5)
    """, """\
        _base_ = 'base.py'
        # TODO(mmcodemod): MMC402 `policy` of the schedule is not a plain string; write `param_scheduler` by hand
        lr_config = dict(min_lr=1e-5)
    """, kind="config", path=tmp_path / "leaf.py")


def test_partial_runner_over_migrated_loops(tmp_path):
    write(tmp_path, "base.py", """\
        train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
        val_cfg = dict()
        test_cfg = dict()
    """)
    check_transformed(LOOPS, """\
        _base_ = 'base.py'
        runner = dict(max_epochs=300)
        evaluation = dict(interval=10)
    """, """\
        _base_ = 'base.py'
        train_cfg = dict(max_epochs=300, val_interval=10)
        evaluation = dict(interval=10)
    """, kind="config", path=tmp_path / "leaf.py")


def test_lr_config_none_means_no_scheduler(tmp_path):
    # mmcv registered no LR hook for `lr_config = None`: a constant LR, MMEngine's default.
    write(tmp_path, "base.py", "lr_config = dict(policy='step', step=[30])\n")
    check_transformed(SCHED, """\
        _base_ = 'base.py'
        lr_config = None
    """, """\
        _base_ = 'base.py'
        param_scheduler = None
    """, kind="config", path=tmp_path / "leaf.py")


def test_total_epochs_without_runner():
    # mmcls 0.x built an EpochBasedRunner from `total_epochs` when `runner` was missing.
    check_transformed(LOOPS, "total_epochs = 90\n",
                      "train_cfg = dict(by_epoch=True, max_epochs=90, val_interval=1)\n"
                      "val_cfg = dict()\ntest_cfg = dict()\n", kind="config")


def test_unreadable_base_is_named_in_a_todo(tmp_path):
    check_transformed(LOOPS, """\
        _base_ = ['./missing.py']
        runner = dict(max_epochs=10)
    """, """\
        # TODO(mmcodemod): MMC403 `_base_` file ./missing.py could not be read; check train_cfg against it
        _base_ = ['./missing.py']
        train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=1)
        val_cfg = dict()
        test_cfg = dict()
    """, kind="config", path=tmp_path / "leaf.py")


def test_unreadable_optimizer_config_is_kept_with_a_todo():
    check_transformed(OPTIM, """\
        optimizer = dict(type='SGD', lr=0.1)
        optimizer_config = make_hook_config()
    """, """\
        # TODO(mmcodemod): MMC401 optimizer_config cannot be read without running code; write `optim_wrapper` by hand
        optimizer = dict(type='SGD', lr=0.1)
        optimizer_config = make_hook_config()
    """, kind="config")


# --- real forms: variables, spreads, `{{_base_.x}}`, code in values ------------------------------
def test_spread_and_variables_in_the_optimizer():
    check_transformed(OPTIM, """\
        base_lr = 0.1
        sgd = dict(type='SGD', momentum=0.9)
        optimizer = dict(**sgd, lr=base_lr * 2)
    """, """\
        base_lr = 0.1
        sgd = dict(type='SGD', momentum=0.9)
        optim_wrapper = dict(
            type='OptimWrapper',
            optimizer=dict(type='SGD', momentum=0.9, lr=base_lr * 2),
        )
    """, kind="config")


def test_base_reference_is_kept(tmp_path):
    write(tmp_path, "base.py", "epochs = 120\n")
    check_transformed(LOOPS, """\
        _base_ = 'base.py'
        runner = dict(type='EpochBasedRunner', max_epochs={{_base_.epochs}})
    """, """\
        _base_ = 'base.py'
        train_cfg = dict(by_epoch=True, max_epochs={{_base_.epochs}}, val_interval=1)
        val_cfg = dict()
        test_cfg = dict()
    """, kind="config", path=tmp_path / "leaf.py")


def test_code_inside_a_value_is_printed_back():
    check_transformed(SCHED, """\
        total = 100
        lr_config = dict(policy='step', step=[int(total * 0.6), int(total * 0.9)])
    """, """\
        total = 100
        param_scheduler = dict(
            type='MultiStepLR',
            milestones=[int(total * 0.6), int(total * 0.9)],
            gamma=0.1,
            by_epoch=True,
        )
    """, kind="config")


def test_evaluation_interval_over_migrated_bases(tmp_path):
    # Bases already 1.x (no runner anywhere): the child's 0.x evaluation.interval still lands
    # in train_cfg before the evaluator rule replaces `evaluation`.
    write(tmp_path, "schedule.py", "train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)\n"
                                   "val_cfg = dict()\ntest_cfg = dict()\n")
    check_transformed(LOOPS, """\
        _base_ = 'schedule.py'
        evaluation = dict(interval=5, metric='accuracy')
    """, """\
        _base_ = 'schedule.py'
        evaluation = dict(interval=5, metric='accuracy')
        train_cfg = dict(val_interval=5)
    """, kind="config", path=tmp_path / "leaf.py")


def test_warmup_of_zero_iterations_is_no_warmup():
    check_transformed(SCHED, "lr_config = dict(policy='exp', gamma=0.9, warmup='linear', warmup_iters=0)\n",
                      "param_scheduler = dict(type='ExponentialLR', gamma=0.9, by_epoch=True)\n",
                      kind="config")


def test_single_scheduler_over_a_base_list_is_written_as_a_list(tmp_path):
    # A dict merged into the base's list would be read by MMEngine as index updates and fail.
    (tmp_path / "base.py").write_text(
        "lr_config = dict(policy='CosineAnnealing', min_lr=0., warmup='linear', warmup_iters=10,\n"
        "                 warmup_ratio=1e-4, warmup_by_epoch=True)\n"
        "runner = dict(type='EpochBasedRunner', max_epochs=200)\n")
    child = tmp_path / "child.py"
    source = "_base_ = './base.py'\nlr_config = dict(_delete_=True, policy='CosineAnnealing', min_lr=6e-4)\n"
    result = migrate(source, "MMC402", kind="config", path=child)
    assert "param_scheduler = [" in result
    assert "lr_config" not in result


def test_no_validation_or_test_loop_without_that_data(tmp_path):
    # MMEngine's Runner wants val_dataloader, val_cfg and val_evaluator all or none: a
    # self-supervised config trains only, over a schedule that gives the default loops
    (tmp_path / "schedule.py").write_text("runner = dict(type='EpochBasedRunner', max_epochs=200)\n")
    (tmp_path / "data.py").write_text("data = dict(samples_per_gpu=32, train=dict(type='X'))\n")
    check_transformed(LOOPS, """\
        _base_ = ['./schedule.py', './data.py']
    """, """\
        _base_ = ['./schedule.py', './data.py']
        val_cfg = None
        test_cfg = None
    """, kind="config", path=tmp_path / "leaf.py")
    # with validation and test data the schedule's loops stand
    (tmp_path / "data2.py").write_text(
        "data = dict(train=dict(type='X'), val=dict(type='X'), test=dict(type='X'))\n")
    check_noop(LOOPS, "_base_ = ['./schedule.py', './data2.py']\n", kind="config", path=tmp_path / "leaf2.py")


def test_an_old_model_test_cfg_next_to_a_runner_is_the_loop_as_the_data_wants_it():
    # 0.x `test_cfg = {}` were model settings; with no test data the loop must be None
    check_transformed(LOOPS, """\
        test_cfg = {}
        data = dict(train=dict(type='X'), val=dict(type='X'))
        runner = dict(type='EpochBasedRunner', max_epochs=10)
    """, """\
        test_cfg = None
        data = dict(train=dict(type='X'), val=dict(type='X'))
        train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=1)
        val_cfg = dict()
    """, kind="config")


def test_several_optimizers_get_a_todo_and_stay():
    source = """\
        optimizer = dict(classifier_opt=dict(type='SGD', lr=0.1), meta_opt=dict(type='Adam', lr=1e-3))
        optimizer_config = dict(grad_clip=None)
    """
    result = migrate(source, "MMC401", "config")
    assert "`optimizer` holds several optimizers (classifier_opt, meta_opt)" in result
    assert "optimizer = dict(classifier_opt=dict(type='SGD', lr=0.1)" in result and "\noptim_wrapper =" not in result
