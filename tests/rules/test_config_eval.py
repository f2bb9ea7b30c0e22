"""MMC503: evaluation -> val_evaluator / test_evaluator. No-op cases first, then before/after.

Metric classes and arguments from mmpretrain 1.2 `evaluation/metrics` (MultiLabelMetric takes
average 'macro', 'micro' or None: the guide's average='both' is not accepted by 1.2).
"""
import pytest

from tests.util import check_noop, check_transformed

RULE = "MMC503"


@pytest.mark.parametrize("source", [
    # already 1.x
    """\
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    test_evaluator = val_evaluator
    model = dict(type='ImageClassifier')
    """,
    # a migrated file with its own evaluator: no implicit accuracy on top
    """\
    val_dataloader = dict(dataset=dict(type='ImageNet', data_root='data/imagenet', split='val'))
    val_evaluator = dict(type='Accuracy', topk=(1, 3))
    test_evaluator = val_evaluator
    """,
    # a child of a base config: its validation set and evaluation come from the base
    """\
    _base_ = ['./base.py']
    data = dict(samples_per_gpu=64)
    """,
])
def test_noop(source):
    check_noop(RULE, source, kind="config")


def test_guide_accuracy():
    check_transformed(RULE, """\
    evaluation = dict(
        interval=1,
        metric='accuracy',
        metric_options=dict(topk=(1, 5))
    )
    """, """\
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    test_evaluator = val_evaluator
    """, kind="config")


def test_accuracy_default_topk_is_0x_default():
    # mmcls 0.25 BaseDataset.evaluate: metric_options defaults to {'topk': (1, 5)}
    check_transformed(RULE, """\
    # evaluation
    evaluation = dict(interval=1, metric='accuracy')  # best
    model = dict(type='ImageClassifier')
    """, """\
    # evaluation
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    test_evaluator = val_evaluator  # best
    model = dict(type='ImageClassifier')
    """, kind="config")


def test_guide_multi_label():
    check_transformed(RULE, """\
    evaluation = dict(
        interval=1,
        metric=['mAP', 'CP', 'OP', 'CR', 'OR', 'CF1', 'OF1'],
        metric_options=dict(thr=0.5),
    )
    """, """\
    val_evaluator = [
        dict(type='AveragePrecision'),
        dict(
            type='MultiLabelMetric',
            items=['precision', 'recall', 'f1-score'],
            thr=0.5,
        ),
        dict(
            type='MultiLabelMetric',
            items=['precision', 'recall', 'f1-score'],
            average='micro',
            thr=0.5,
        ),
    ]
    test_evaluator = val_evaluator
    """, kind="config")


def test_single_label_items_and_options():
    check_transformed(RULE, """\
    evaluation = dict(metric=['accuracy', 'precision', 'f1_score', 'support'],
                      metric_options=dict(topk=1, thrs=0.5, average_mode='none'))
    """, """\
    val_evaluator = [
        dict(type='Accuracy', topk=1, thrs=0.5),
        dict(
            type='SingleLabelMetric',
            items=['precision', 'f1-score', 'support'],
            thrs=0.5,
            average=None,
        ),
    ]
    test_evaluator = val_evaluator
    """, kind="config")


def test_interval_only_override_leaves_the_evaluator_to_the_base():
    # interval/save_best were moved by the MMC4 rules; nothing is left for an evaluator
    check_transformed(RULE, """\
    _base_ = ['./base.py']
    evaluation = dict(interval=10)
    model = dict(type='ImageClassifier')
    """, """\
    _base_ = ['./base.py']
    model = dict(type='ImageClassifier')
    """, kind="config")


# (The configs below have validation data only: no test data, so no test_evaluator, which
# MMEngine's Runner would refuse without test_dataloader and test_cfg.)
def test_an_evaluation_without_metric_anywhere_is_the_0x_default_accuracy():
    # 0.x evaluated accuracy then; a second run would add it otherwise (val data, no evaluator)
    check_transformed(RULE, """\
    data = dict(val=dict(type='ImageNet', data_prefix='v'))
    evaluation = dict(interval=1, metrics=['AR@AN'])
    """, """\
    data = dict(val=dict(type='ImageNet', data_prefix='v'))
    # TODO(mmcodemod): MMC503 evaluation.metrics is no MMClassification 0.x option (its datasets' evaluate() took metric and metric_options); it went with `evaluation`: move it where it belongs
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    """, kind="config")


def test_an_mmselfsup_evaluation_topk_is_the_accuracy_topk():
    check_transformed(RULE, """\
    data = dict(val=dict(type='ImageNet', data_prefix='v'))
    evaluation = dict(interval=10, topk=(1, 3))
    """, """\
    data = dict(val=dict(type='ImageNet', data_prefix='v'))
    val_evaluator = dict(type='Accuracy', topk=(1, 3))
    """, kind="config")


def test_metric_options_override_reads_metric_from_base(tmp_path):
    (tmp_path / "base.py").write_text("evaluation = dict(interval=1, metric='accuracy')\n")
    check_transformed(RULE, """\
    _base_ = ['./base.py']
    evaluation = dict(interval=5, metric_options={'topk': (1, )})
    """, """\
    _base_ = ['./base.py']
    val_evaluator = dict(type='Accuracy', topk=(1,))
    test_evaluator = val_evaluator
    """, kind="config", path=tmp_path / "child.py")


def test_validation_data_without_evaluation_gets_0x_implicit_accuracy():
    check_transformed(RULE, """\
    data = dict(val=dict(type='CIFAR10', data_prefix='data/cifar10', test_mode=True))
    """, """\
    data = dict(val=dict(type='CIFAR10', data_prefix='data/cifar10', test_mode=True))
    # TODO(mmcodemod): MMC503 0.x evaluated accuracy (top-1/5) when no evaluation was set, and 1.x needs an evaluator with val_dataloader; if another base of your configs sets the evaluation, delete this one (MMEngine rejects a key that two bases set)
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    """, kind="config")


def test_implicit_accuracy_in_a_child_needs_no_todo(tmp_path):
    (tmp_path / "base.py").write_text("model = dict(type='ImageClassifier')\n")
    check_transformed(RULE, """\
    _base_ = './base.py'
    data = dict(val=dict(type='CIFAR10', data_prefix='data/cifar10', test_mode=True))
    """, """\
    _base_ = './base.py'
    data = dict(val=dict(type='CIFAR10', data_prefix='data/cifar10', test_mode=True))
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    """, kind="config", path=tmp_path / "child.py")


def test_unknown_metric_and_options_get_todos():
    check_transformed(RULE, """\
    evaluation = dict(metric=['accuracy', 'auc'], gpu_collect=True)
    """, """\
    # TODO(mmcodemod): MMC503 evaluation.gpu_collect has no 1.2 equivalent on the evaluator; drop it or move it
    # TODO(mmcodemod): MMC503 metric 'auc' has no MMPretrain 1.2 evaluator; write one in val_evaluator
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    test_evaluator = val_evaluator
    """, kind="config")
    check_transformed(RULE, """\
    evaluation = dict(metric=METRICS)
    """, """\
    # TODO(mmcodemod): MMC503 evaluation.metric is not a literal: write val_evaluator/test_evaluator
    evaluation = dict(metric=METRICS)
    """, kind="config")


def test_metric_options_over_a_migrated_base(tmp_path):
    (tmp_path / "base.py").write_text("val_evaluator = dict(type='AveragePrecision')\n")
    check_transformed(RULE, """\
    _base_ = ['./base.py']
    evaluation = dict(metric_options=dict(thr=0.6))
    """, """\
    _base_ = ['./base.py']
    # TODO(mmcodemod): MMC503 evaluation.metric_options overrides a base that has val_evaluator: set these options on val_evaluator/test_evaluator
    evaluation = dict(metric_options=dict(thr=0.6))
    """, kind="config", path=tmp_path / "child.py")


def test_save_best_that_no_checkpoint_hook_took_gets_a_todo(tmp_path):
    # 0.x EvalHook saved the best checkpoint itself; the runtime base cannot be read here
    check_transformed(RULE, """\
    _base_ = ['./missing_runtime.py']
    evaluation = dict(interval=1, metric='accuracy', save_best='auto')
    """, """\
    _base_ = ['./missing_runtime.py']
    # TODO(mmcodemod): MMC503 evaluation.save_best went with `evaluation`: in 1.x CheckpointHook keeps the best checkpoint; set default_hooks.checkpoint.save_best (and rule) by hand
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    test_evaluator = val_evaluator
    """, kind="config", path=tmp_path / "child.py")


def test_save_best_in_a_base_is_left_to_its_leaves():
    # a dataset base: the leaves that join it with a runtime carry save_best (MMC411)
    check_transformed(RULE, """\
    evaluation = dict(interval=1, metric='accuracy', save_best='auto')
    """, """\
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    test_evaluator = val_evaluator
    """, kind="config")


def test_save_best_carried_to_the_checkpoint_hook_needs_no_todo(tmp_path):
    (tmp_path / "runtime.py").write_text("checkpoint_config = dict(interval=1)\nlog_config = dict(interval=50)\n")
    check_transformed(["MMC411", RULE], """\
    _base_ = ['./runtime.py']
    evaluation = dict(interval=1, metric='accuracy', save_best='auto')
    """, """\
    _base_ = ['./runtime.py']
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    test_evaluator = val_evaluator
    default_hooks = dict(checkpoint=dict(save_best='auto'))
    """, kind="config", path=tmp_path / "child.py")


def test_test_evaluator_only_with_test_data():
    check_transformed(RULE, """\
    data = dict(
        val=dict(type='ImageNet', data_prefix='v'),
        test=dict(type='ImageNet', data_prefix='v'))
    evaluation = dict(interval=1, metric='accuracy')
    """, """\
    data = dict(
        val=dict(type='ImageNet', data_prefix='v'),
        test=dict(type='ImageNet', data_prefix='v'))
    val_evaluator = dict(type='Accuracy', topk=(1, 5))
    test_evaluator = val_evaluator
    """, kind="config")
