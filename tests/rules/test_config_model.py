"""MMC504-MMC506: model settings. No-op cases first, then before/after cases.

From the guide's model.train_cfg table and mmpretrain 1.2 `models/utils/batch_augments` and
`data_preprocessor.py` (batch augments need num_classes in the data preprocessor).
"""
import pytest

from tests.util import check_noop, check_transformed

AUG, PRETRAINED, SCOPE = "MMC504", "MMC505", "MMC506"


@pytest.mark.parametrize("rule, source", [
    (AUG, """\
    model = dict(type='ImageClassifier', train_cfg=dict(augments=[dict(type='Mixup', alpha=0.8)]))
    data_preprocessor = dict(num_classes=10)
    """),
    # a user's own batch augment named like nothing 0.x had
    (AUG, """\
    model = dict(type='ImageClassifier', train_cfg=dict(augments=dict(type='MyMix', prob=0.5)))
    data = dict(samples_per_gpu=1)
    """),
    (PRETRAINED, """\
    model = dict(type='ImageClassifier', init_cfg=dict(type='Pretrained', checkpoint='a.pth'))
    data = dict(samples_per_gpu=1)
    """),
    # `pretrained` of a backbone is the backbone's own argument
    (PRETRAINED, """\
    model = dict(type='ImageClassifier', backbone=dict(type='X', pretrained='a.pth'))
    data = dict(samples_per_gpu=1)
    """),
    (SCOPE, """\
    model = dict(type='mmpretrain.ImageClassifier')
    note = 'mmcls.ImageClassifier'
    """),
])
def test_noop(rule, source):
    check_noop(rule, source, kind="config")


def test_guide_example_equal_probs_dropped():
    # the guide: prob=0.5 each -> no probs (1.2 picks one augment uniformly)
    check_transformed(AUG, """\
    _base_ = ['../_base_/datasets/imagenet_bs64_swin_224.py']
    model = dict(
        type='ImageClassifier',
        train_cfg=dict(augments=[
            dict(type='BatchMixup', alpha=0.8, num_classes=1000, prob=0.5),
            dict(type='BatchCutMix', alpha=1.0, num_classes=1000, prob=0.5)
        ]))
    data_preprocessor = dict(mean=[1, 2, 3])
    """, """\
    _base_ = ['../_base_/datasets/imagenet_bs64_swin_224.py']
    model = dict(
        type='ImageClassifier',
        train_cfg=dict(augments=[
            dict(type='Mixup', alpha=0.8),
            dict(type='CutMix', alpha=1.0)
        ]))
    data_preprocessor = dict(mean=[1, 2, 3], num_classes=1000)
    """, kind="config")


def test_unequal_probs_kept_in_train_cfg():
    check_transformed(AUG, """\
    _base_ = ['./base.py']
    model = dict(
        train_cfg=dict(augments=[
            dict(type='BatchMixup', alpha=0.8, num_classes=10, prob=0.3),
            dict(type='BatchResizeMix', alpha=1.0, num_classes=10, prob=0.5)
        ]))
    """, """\
    _base_ = ['./base.py']
    model = dict(
        train_cfg=dict(augments=[
            dict(type='Mixup', alpha=0.8),
            dict(type='ResizeMix', alpha=1.0)
        ], probs=[0.3, 0.5]))
    data_preprocessor = dict(num_classes=10)
    """, kind="config")


def test_known_dataset_gives_num_classes(tmp_path):
    # the dataset base is migrated by MMC502 with num_classes=10 for CIFAR10: nothing to add
    (tmp_path / "data.py").write_text("dataset_type = 'CIFAR10'\ndata = dict(train=dict(type=dataset_type))\n")
    check_transformed(AUG, """\
    _base_ = ['./data.py']
    model = dict(train_cfg=dict(augments=dict(type='BatchCutMix', alpha=1.0, num_classes=10, prob=1.0)))
    """, """\
    _base_ = ['./data.py']
    model = dict(train_cfg=dict(augments=dict(type='CutMix', alpha=1.0)))
    """, kind="config", path=tmp_path / "child.py")


def test_model_only_base_gets_a_todo_not_a_clashing_key():
    check_transformed(AUG, """\
    model = dict(
        type='ImageClassifier',
        train_cfg=dict(augments=dict(type='BatchMixup', alpha=0.2, num_classes=7, prob=1.)))
    """, """\
    # TODO(mmcodemod): MMC504 1.2 batch augments read num_classes from the data preprocessor: set data_preprocessor = dict(num_classes=7) in the config that sets the dataset
    model = dict(
        type='ImageClassifier',
        train_cfg=dict(augments=dict(type='Mixup', alpha=0.2)))
    """, kind="config")


def test_pretrained_to_init_cfg():
    # what mmcls 0.25 ImageClassifier did with `pretrained`
    check_transformed(PRETRAINED, """\
    model = dict(
        type='ImageClassifier',
        pretrained='https://example.com/r50.pth',
        backbone=dict(type='ResNet', depth=50))
    data = dict(samples_per_gpu=1)
    """, """\
    model = dict(
        type='ImageClassifier',
        init_cfg=dict(type='Pretrained', checkpoint='https://example.com/r50.pth'),
        backbone=dict(type='ResNet', depth=50))
    data = dict(samples_per_gpu=1)
    """, kind="config")
    check_transformed(PRETRAINED, """\
    model = dict(type='ImageClassifier', pretrained=None)
    data = dict(samples_per_gpu=1)
    """, """\
    model = dict(type='ImageClassifier')
    data = dict(samples_per_gpu=1)
    """, kind="config")


def test_scoped_types():
    check_transformed(SCOPE, """\
    model = dict(type='mmcls.ImageClassifier', head=dict(type="mmcls.LinearClsHead"))
    data = dict(samples_per_gpu=1, train=dict(_scope_='mmcls', type='CustomDataset'))
    """, """\
    model = dict(type='mmpretrain.ImageClassifier', head=dict(type='mmpretrain.LinearClsHead'))
    data = dict(samples_per_gpu=1, train=dict(_scope_='mmpretrain', type='CustomDataset'))
    """, kind="config")


@pytest.mark.parametrize("rule_id", ["MMC501", "MMC502", "MMC503", "MMC504", "MMC505", "MMC506"])
def test_explain_examples_hold(rule_id):
    # `mmcodemod explain` shows these: the rule must really turn `before` into `after`
    from codemods.rules import get_rule

    rule = get_rule(rule_id)
    check_transformed(rule_id, rule.before, rule.after, kind="config")
