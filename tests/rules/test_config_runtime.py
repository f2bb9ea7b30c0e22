"""MMC411-MMC415: default_hooks, visualizer, default_scope, env_cfg, resume, removed keys.

Expected outputs follow the guide ("运行设置") and MMPretrain 1.2's `_base_/default_runtime.py`;
hook options follow mmcv 1.x's CheckpointHook/TextLoggerHook and MMEngine 0.10's CheckpointHook,
LoggerHook and visualization backends.
"""
import textwrap

import pytest

from tests.util import check_noop, check_transformed

HOOKS, ENV, RESUME, GONE, SCOPE = "MMC411", "MMC412", "MMC413", "MMC414", "MMC415"
ALL = [HOOKS, ENV, RESUME, GONE, SCOPE]

DEFAULT_HOOKS = """\
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval={interval}),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint={checkpoint},
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='VisualizationHook', enable=False),
)
"""
LOCAL_VISUALIZER = """\
visualizer = dict(
    type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


# --- no-op -----------------------------------------------------------------------------------
@pytest.mark.parametrize("source", [
    # MMPretrain 1.2's own default_runtime.py (shortened)
    """\
    default_scope = 'mmpretrain'
    default_hooks = dict(
        timer=dict(type='IterTimerHook'),
        logger=dict(type='LoggerHook', interval=100),
        checkpoint=dict(type='CheckpointHook', interval=1),
    )
    env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='nccl'))
    vis_backends = [dict(type='LocalVisBackend')]
    visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
    log_level = 'INFO'
    load_from = None
    resume = False
    """,
    # a model config mentioning a `device` in a value, not as a key
    """\
    model = dict(type='ImageClassifier', backbone=dict(type='ResNet', depth=18))
    data_preprocessor = dict(num_classes=10, device='cpu')
    """,
    # EMAHook with options MMEngine understands alike
    """\
    custom_hooks = [dict(type='EMAHook', momentum=4e-5, priority='ABOVE_NORMAL')]
    model = dict(type='ImageClassifier')
    """,
])
def test_noop(source):
    check_noop(ALL, source, kind="config")


# --- MMC411 default_hooks / visualizer / default_scope ----------------------------------------------
def test_default_runtime_of_mmcls():
    before = """\
        # checkpoint saving
        checkpoint_config = dict(interval=1)
        # yapf:disable
        log_config = dict(
            interval=100,
            hooks=[
                dict(type='TextLoggerHook'),
                # dict(type='TensorboardLoggerHook')
            ])
        # yapf:enable
        log_level = 'INFO'
    """
    after = ("# checkpoint saving\n# yapf:disable\n# dict(type='TensorboardLoggerHook')\n"
             "default_scope = 'mmpretrain'\n"
             + DEFAULT_HOOKS.format(interval=100, checkpoint="dict(type='CheckpointHook', interval=1)")
             + LOCAL_VISUALIZER + "# yapf:enable\nlog_level = 'INFO'\n")
    check_transformed(HOOKS, before, after, kind="config")


def test_guide_logger_example_with_tensorboard():
    before = """\
        log_config = dict(
            interval=100,
            hooks=[
                dict(type='TextLoggerHook'),
                dict(type='TensorboardLoggerHook'),
            ])
        checkpoint_config = dict(interval=1, max_keep_ckpts=3)
    """
    after = ("default_scope = 'mmpretrain'\n"
             + DEFAULT_HOOKS.format(interval=100, checkpoint="dict(type='CheckpointHook', interval=1, max_keep_ckpts=3)")
             + "visualizer = dict(\n    type='UniversalVisualizer',\n    vis_backends=[\n"
               "        dict(type='LocalVisBackend'),\n        dict(type='TensorboardVisBackend'),\n    ],\n)\n")
    check_transformed(HOOKS, before, after, kind="config")


def test_wandb_hook_keeps_init_kwargs():
    before = """\
        checkpoint_config = dict(interval=1)
        log_config = dict(interval=50, hooks=[dict(type='TextLoggerHook'),
                                             dict(type='WandbLoggerHook', init_kwargs=dict(project='leaf'))])
    """
    after = ("default_scope = 'mmpretrain'\n"
             + DEFAULT_HOOKS.format(interval=50, checkpoint="dict(type='CheckpointHook', interval=1)")
             + "visualizer = dict(\n    type='UniversalVisualizer',\n    vis_backends=[\n"
               "        dict(type='LocalVisBackend'),\n"
               "        dict(type='WandbVisBackend', init_kwargs=dict(project='leaf')),\n    ],\n)\n")
    check_transformed(HOOKS, before, after, kind="config")


def test_save_best_from_evaluation_which_stays(tmp_path):
    before = """\
        evaluation = dict(interval=1, metric='accuracy', save_best='auto')
        checkpoint_config = dict(interval=1)
        log_config = dict(interval=100, hooks=[dict(type='TextLoggerHook')])
    """
    after = ("evaluation = dict(interval=1, metric='accuracy', save_best='auto')\n"
             "default_scope = 'mmpretrain'\n"
             + DEFAULT_HOOKS.format(interval=100, checkpoint="dict(type='CheckpointHook', interval=1, save_best='auto')")
             + LOCAL_VISUALIZER)
    check_transformed(HOOKS, before, after, kind="config")


def test_leaf_overrides_are_partial(tmp_path):
    write(tmp_path, "_base_/default_runtime.py", """\
        checkpoint_config = dict(interval=1)
        log_config = dict(interval=100, hooks=[dict(type='TextLoggerHook')])
    """)
    check_transformed(HOOKS, """\
        _base_ = ['./_base_/default_runtime.py']
        checkpoint_config = dict(interval=1000, max_keep_ckpts=3)
        log_config = dict(interval=20)  # log every 20 intervals
    """, """\
        _base_ = ['./_base_/default_runtime.py']
        # log every 20 intervals
        default_hooks = dict(
            logger=dict(interval=20),
            checkpoint=dict(interval=1000, max_keep_ckpts=3),
        )
    """, kind="config", path=tmp_path / "leaf.py")


def test_leaf_joining_save_best_and_runtime(tmp_path):
    write(tmp_path, "data.py", "evaluation = dict(interval=1, metric='accuracy', save_best='accuracy_top-1')\n")
    write(tmp_path, "runtime.py", "checkpoint_config = dict(interval=1)\nlog_config = dict(interval=100)\n")
    check_transformed(HOOKS, """\
        _base_ = ['data.py', 'runtime.py']
    """, """\
        _base_ = ['data.py', 'runtime.py']
        default_hooks = dict(checkpoint=dict(save_best='accuracy/top1'))
    """, kind="config", path=tmp_path / "leaf.py")


def test_unknown_logger_hook_gets_a_todo():
    before = """\
        checkpoint_config = dict(interval=1)
        log_config = dict(interval=10, hooks=[dict(type='MyLoggerHook')])
    """
    after = ("default_scope = 'mmpretrain'\n"
             + DEFAULT_HOOKS.format(interval=10, checkpoint="dict(type='CheckpointHook', interval=1)")
             + "# TODO(mmcodemod): MMC411 logger hook 'MyLoggerHook' has no visualization backend here; "
               "add one to visualizer.vis_backends by hand\n" + LOCAL_VISUALIZER)
    check_transformed(HOOKS, before, after, kind="config")


# --- MMC412 env_cfg ---------------------------------------------------------------------------
def test_env_cfg_from_dist_params_and_friends():
    check_transformed(ENV, """\
        dist_params = dict(backend='gloo')
        cudnn_benchmark = True
        opencv_num_threads = 4
    """, """\
        env_cfg = dict(
            cudnn_benchmark=True,
            mp_cfg=dict(mp_start_method='fork', opencv_num_threads=4),
            dist_cfg=dict(backend='gloo'),
        )
    """, kind="config")


# --- MMC413 resume ----------------------------------------------------------------------------
def test_resume_from_none():
    check_transformed(RESUME, """\
        load_from = None
        resume_from = None
    """, """\
        load_from = None
        resume = False
    """, kind="config")


def test_resume_from_a_checkpoint():
    check_transformed(RESUME, """\
        load_from = None
        resume_from = 'work_dirs/epoch_10.pth'
    """, """\
        load_from = 'work_dirs/epoch_10.pth'
        resume = True
    """, kind="config")


# --- MMC414 removed keys ----------------------------------------------------------------------
def test_default_workflow_is_removed():
    check_transformed(GONE, """\
        log_level = 'INFO'
        workflow = [('train', 1)]
    """, """\
        log_level = 'INFO'
    """, kind="config")


def test_val_workflow_and_gpu_ids_get_todos():
    check_transformed(GONE, """\
        workflow = [('train', 1), ('val', 1)]
        gpu_ids = range(0, 1)
        log_level = 'INFO'
    """, """\
        # TODO(mmcodemod): MMC414 `workflow = [('train', 1), ('val', 1)]` removed: 1.x has no workflow; validation runs every train_cfg.val_interval (val_cfg/val_dataloader)
        # TODO(mmcodemod): MMC414 `gpu_ids = range(0, 1)` removed. `gpu_ids` was removed in 1.x: choose GPUs with CUDA_VISIBLE_DEVICES and the launcher
        log_level = 'INFO'
    """, kind="config")


# --- MMC415 scope, imports, custom hooks ---------------------------------------------------------
def test_scope_and_custom_imports():
    check_transformed(SCOPE, """\
        default_scope = 'mmcls'
        custom_imports = dict(imports=['mmcls.models', 'mycls.heads'], allow_failed_imports=False)
    """, """\
        default_scope = 'mmpretrain'
        custom_imports = dict(imports=['mmpretrain.models', 'mycls.heads'], allow_failed_imports=False)
    """, kind="config")


def test_ema_hook_with_large_momentum_gets_a_todo():
    # mmcv: momentum = min(momentum, (1 + t) / (warm_up + t)) with warm_up=100 by default;
    # MMEngine has no warm-up, so only a momentum above 0.01 is affected.
    check_transformed(SCOPE, """\
        custom_hooks = [dict(type='EMAHook', momentum=0.1)]
    """, """\
        # TODO(mmcodemod): MMC415 EMAHook momentum (mmcv's default warm_up=100 applied to it): MMEngine's EMAHook has no warm_up/resume_from and does not rescale momentum by interval (mmcv used momentum**interval); use begin_iter/begin_epoch and check momentum
        custom_hooks = [dict(type='EMAHook', momentum=0.1)]
    """, kind="config")


def test_ema_hook_with_warm_up_gets_a_todo():
    check_transformed(SCOPE, """\
        custom_hooks = [dict(type='EMAHook', momentum=4e-5, interval=4, warm_up=100)]
    """, """\
        # TODO(mmcodemod): MMC415 EMAHook interval, warm_up: MMEngine's EMAHook has no warm_up/resume_from and does not rescale momentum by interval (mmcv used momentum**interval); use begin_iter/begin_epoch and check momentum
        custom_hooks = [dict(type='EMAHook', momentum=4e-5, interval=4, warm_up=100)]
    """, kind="config")


# --- the whole runtime file at once ---------------------------------------------------------------
def test_all_runtime_rules_together():
    before = """\
        checkpoint_config = dict(interval=1)
        log_config = dict(interval=100, hooks=[dict(type='TextLoggerHook')])
        dist_params = dict(backend='nccl')
        log_level = 'INFO'
        load_from = None
        resume_from = None
        workflow = [('train', 1)]
    """
    after = ("default_scope = 'mmpretrain'\n"
             + DEFAULT_HOOKS.format(interval=100, checkpoint="dict(type='CheckpointHook', interval=1)")
             + LOCAL_VISUALIZER
             + "env_cfg = dict(\n    cudnn_benchmark=False,\n"
               "    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),\n"
               "    dist_cfg=dict(backend='nccl'),\n)\n"
             + "log_level = 'INFO'\nload_from = None\nresume = False\n")
    check_transformed(ALL, before, after, kind="config")


def test_partial_runtime_over_a_migrated_base(tmp_path):
    write(tmp_path, "runtime.py", """\
        default_scope = 'mmpretrain'
        default_hooks = dict(
            timer=dict(type='IterTimerHook'),
            logger=dict(type='LoggerHook', interval=100),
            param_scheduler=dict(type='ParamSchedulerHook'),
            checkpoint=dict(type='CheckpointHook', interval=1),
            sampler_seed=dict(type='DistSamplerSeedHook'),
            visualization=dict(type='VisualizationHook', enable=False),
        )
        vis_backends = [dict(type='LocalVisBackend')]
        visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
        env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='nccl'))
    """)
    # The base states no mp_cfg: the leaf writes the values 0.x used (mmcls's defaults).
    check_transformed([HOOKS, ENV], """\
        _base_ = 'runtime.py'
        log_config = dict(interval=20)
        checkpoint_config = dict(interval=1000, max_keep_ckpts=3)
        dist_params = dict(backend='gloo')
    """, """\
        _base_ = 'runtime.py'
        default_hooks = dict(
            logger=dict(interval=20),
            checkpoint=dict(interval=1000, max_keep_ckpts=3),
        )
        env_cfg = dict(
            mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
            dist_cfg=dict(backend='gloo'),
        )
    """, kind="config", path=tmp_path / "leaf.py")


@pytest.mark.parametrize("rule_id", ["MMC401", "MMC402", "MMC403", *ALL])
def test_explain_examples_are_what_the_rule_does(rule_id):
    from codemods.rules import get_rule

    rule = get_rule(rule_id)
    check_transformed(rule_id, textwrap.dedent(rule.before).lstrip("\n"),
                      textwrap.dedent(rule.after).lstrip("\n"), kind="config")


def test_unreadable_checkpoint_config_keeps_log_config_too():
    # default_hooks cannot be built: log_config (its logger interval) must stay for the person
    # writing default_hooks, although the visualizer could be built from it.
    check_transformed(HOOKS, """\
        checkpoint_config = make_checkpoint()
        log_config = dict(interval=10, hooks=[dict(type='TextLoggerHook')])
    """, textwrap.dedent("""\
        # TODO(mmcodemod): MMC411 checkpoint_config cannot be read without running code; write `default_hooks` by hand
        checkpoint_config = make_checkpoint()
        log_config = dict(interval=10, hooks=[dict(type='TextLoggerHook')])
        default_scope = 'mmpretrain'
    """) + LOCAL_VISUALIZER, kind="config")


@pytest.mark.parametrize("old, new", [
    ("accuracy_top-1", "accuracy/top1"),  # Accuracy: prefix 'accuracy', key 'top1'
    ("f1_score", "single-label/f1-score"),  # SingleLabelMetric: prefix 'single-label'
    ("mAP", "multi-label/mAP"),  # AveragePrecision: prefix 'multi-label'
    ("OF1", "multi-label/f1-score_micro"),  # MultiLabelMetric(average='micro')
])
def test_save_best_metric_names(tmp_path, old, new):
    write(tmp_path, "runtime.py", "checkpoint_config = dict(interval=1)\nlog_config = dict(interval=100)\n")
    check_transformed(HOOKS, f"""\
        _base_ = 'runtime.py'
        evaluation = dict(interval=1, save_best='{old}')
    """, f"""\
        _base_ = 'runtime.py'
        evaluation = dict(interval=1, save_best='{old}')
        default_hooks = dict(checkpoint=dict(save_best='{new}'))
    """, kind="config", path=tmp_path / "leaf.py")


@pytest.mark.parametrize("runner, checkpoint, train_cfg, hooks", [
    # mmcv's IterBasedRunner set by_epoch=False on its checkpoint and logger hooks
    ("dict(type='IterBasedRunner', max_iters=40000)", "dict(interval=2000)",
     "dict(by_epoch=False, max_iters=40000, val_interval=1)",
     "dict(\n    logger=dict(log_metric_by_epoch=False),\n    checkpoint=dict(interval=2000, by_epoch=False),\n)"),
    # an epoch-based one: nothing to add
    ("dict(type='EpochBasedRunner', max_epochs=10)", "dict(interval=2)",
     "dict(by_epoch=True, max_epochs=10, val_interval=1)", "dict(checkpoint=dict(interval=2))"),
])
def test_an_iteration_based_runner_makes_the_hooks_count_iterations(tmp_path, runner, checkpoint, train_cfg, hooks):
    write(tmp_path, "_base_/default_runtime.py", """\
        checkpoint_config = dict(interval=1)
        log_config = dict(interval=100, hooks=[dict(type='TextLoggerHook')])
    """)
    head = "_base_ = ['./_base_/default_runtime.py']\n"
    check_transformed(
        ["MMC403", HOOKS],
        f"{head}runner = {runner}\ncheckpoint_config = {checkpoint}\n",
        f"{head}train_cfg = {train_cfg}\nval_cfg = dict()\ntest_cfg = dict()\ndefault_hooks = {hooks}\n",
        kind="config", path=tmp_path / "leaf.py")


def test_an_empty_checkpoint_out_dir_is_the_work_dir():
    # mmcv's CheckpointHook saved to work_dir for any empty out_dir; MMEngine's only for None
    from tests.util import migrate

    result = migrate("checkpoint_config = dict(interval=5, out_dir='')\nlog_config = dict(interval=10)\n",
                     HOOKS, "config")
    assert "checkpoint=dict(type='CheckpointHook', interval=5)," in result and "out_dir" not in result
