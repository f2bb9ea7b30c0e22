"""MMC501: data -> dataloaders and 1.2 dataset arguments. No-op cases first, then before/after.

Expected outputs follow the guide's `data` table and the 1.2 dataset classes (mmpretrain
`datasets/cifar.py`, `imagenet.py`, `cub.py`, `voc.py`).
"""
import pytest

from tests.util import check_noop, check_transformed, migrate

RULE = "MMC501"


@pytest.mark.parametrize("source", [
    # already 1.x
    """\
    train_dataloader = dict(batch_size=32, num_workers=2, dataset=dict(type='ImageNet'))
    model = dict(type='ImageClassifier')
    """,
    # `data` that is not a dict literal: nothing to split
    """\
    data = load_settings()
    model = dict(type='ImageClassifier')
    """,
])
def test_noop(source):
    check_noop(RULE, source, kind="config")


def test_guide_example_with_cifar_split():
    # 1.2 CIFAR ignores test_mode when it picks the data: `split` is written
    check_transformed(RULE, """\
    dataset_type = 'CIFAR10'
    data = dict(
        samples_per_gpu=16,
        workers_per_gpu=2,
        train=dict(
            type=dataset_type, data_prefix='data/cifar10',
            pipeline=train_pipeline),
        val=dict(
            type=dataset_type,
            data_prefix='data/cifar10',
            pipeline=test_pipeline,
            test_mode=True),
        test=dict(
            type=dataset_type,
            data_prefix='data/cifar10',
            pipeline=test_pipeline,
            test_mode=True))
    """, """\
    dataset_type = 'CIFAR10'
    train_dataloader = dict(
        batch_size=16,
        num_workers=2,
        dataset=dict(
            type=dataset_type, data_root='data/cifar10',
            pipeline=train_pipeline,
            split='train'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    val_dataloader = dict(
        batch_size=16,
        num_workers=2,
        dataset=dict(
            type=dataset_type,
            data_root='data/cifar10',
            pipeline=test_pipeline,
            split='test'),
        sampler=dict(type='DefaultSampler', shuffle=False))
    test_dataloader = val_dataloader
    """, kind="config")


def test_imagenet_standard_layout_uses_split():
    check_transformed(RULE, """\
    data = dict(
        samples_per_gpu=32,
        workers_per_gpu=2,
        train=dict(type='ImageNet', data_prefix='data/imagenet/train', pipeline=train_pipeline),
        val=dict(
            type='ImageNet',
            data_prefix='data/imagenet/val',
            ann_file='data/imagenet/meta/val.txt',
            pipeline=test_pipeline),
        test=dict(
            # replace `data/val` with `data/test` for standard test
            type='ImageNet',
            data_prefix='data/imagenet/val',
            ann_file='data/imagenet/meta/val.txt',
            pipeline=test_pipeline))
    """, """\
    train_dataloader = dict(
        batch_size=32,
        num_workers=2,
        dataset=dict(type='ImageNet', data_root='data/imagenet', split='train', pipeline=train_pipeline),
        sampler=dict(type='DefaultSampler', shuffle=True))
    val_dataloader = dict(
        batch_size=32,
        num_workers=2,
        dataset=dict(
            type='ImageNet',
            data_root='data/imagenet',
            split='val',
            pipeline=test_pipeline),
        sampler=dict(type='DefaultSampler', shuffle=False))
    # replace `data/val` with `data/test` for standard test
    test_dataloader = val_dataloader
    """, kind="config")


def test_custom_dataset_paths_rebased_and_per_split_overrides():
    check_transformed(RULE, """\
    data = dict(
        samples_per_gpu=8,
        workers_per_gpu=2,
        pin_memory=True,
        val_dataloader=dict(samples_per_gpu=1),
        train=dict(type='CustomDataset', data_prefix='data/pets/images',
                   ann_file='data/pets/meta/train.txt', classes=['cat', 'dog']),
        val=dict(type='CustomDataset', data_prefix='data/pets/images',
                 ann_file='data/pets/meta/val.txt', classes=['cat', 'dog']))
    """, """\
    train_dataloader = dict(
        batch_size=8,
        num_workers=2,
        pin_memory=True,
        dataset=dict(type='CustomDataset', data_root='data/pets', data_prefix='images',
                   ann_file='meta/train.txt', classes=['cat', 'dog']),
        sampler=dict(type='DefaultSampler', shuffle=True))
    val_dataloader = dict(
        batch_size=1,
        num_workers=2,
        pin_memory=True,
        dataset=dict(type='CustomDataset', data_root='data/pets', data_prefix='images',
                 ann_file='meta/val.txt', classes=['cat', 'dog']),
        sampler=dict(type='DefaultSampler', shuffle=False))
    """, kind="config")


def test_partial_override_and_wrapper():
    # `data = dict(samples_per_gpu=64)` in a child: partial dataloaders that MMEngine merges
    check_transformed(RULE, """\
    _base_ = ['./base.py']
    data = dict(samples_per_gpu=64, workers_per_gpu=4, test=dict(pipeline=test_pipeline))
    """, """\
    _base_ = ['./base.py']
    train_dataloader = dict(batch_size=64, num_workers=4)
    val_dataloader = dict(batch_size=64, num_workers=4)
    test_dataloader = dict(
        batch_size=64,
        num_workers=4,
        dataset=dict(pipeline=test_pipeline))
    """, kind="config")
    check_transformed(RULE, """\
    data = dict(
        imgs_per_gpu=4,
        train=dict(type='RepeatDataset', times=3,
                   dataset=dict(type='MNIST', data_prefix='data/mnist', test_mode=False)))
    """, """\
    train_dataloader = dict(
        batch_size=4,
        dataset=dict(type='RepeatDataset', times=3,
                   dataset=dict(type='MNIST', data_root='data/mnist', split='train')),
        sampler=dict(type='DefaultSampler', shuffle=True))
    """, kind="config")


def test_cub_and_voc():
    check_transformed(RULE, """\
    data_root = 'data/CUB_200_2011/'
    data = dict(
        train=dict(
            type='CUB',
            ann_file=data_root + 'images.txt',
            image_class_labels_file=data_root + 'image_class_labels.txt',
            train_test_split_file=data_root + 'train_test_split.txt',
            data_prefix=data_root + 'images'),
        val=dict(
            type='VOC',
            data_prefix='data/VOCdevkit/VOC2007/',
            ann_file='data/VOCdevkit/VOC2007/ImageSets/Main/test.txt'))
    """, """\
    data_root = 'data/CUB_200_2011/'
    train_dataloader = dict(
        dataset=dict(
            type='CUB',
            data_root=data_root,
            split='train'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    val_dataloader = dict(
        dataset=dict(
            type='VOC',
            data_root='data/VOCdevkit/VOC2007/',
            split='test'),
        sampler=dict(type='DefaultSampler', shuffle=False))
    """, kind="config")


def test_global_sampler_moves_to_training_loader():
    # 0.x `sampler` was the training loader's (mmcls apis/train.py)
    check_transformed(RULE, """\
    _base_ = ['./base.py']
    sampler = dict(type='RepeatAugSampler')
    model = dict(type='ImageClassifier')
    """, """\
    _base_ = ['./base.py']
    train_dataloader = dict(sampler=dict(type='RepeatAugSampler', shuffle=True))
    model = dict(type='ImageClassifier')
    """, kind="config")


def test_partial_override_reads_dataset_type_from_base(tmp_path):
    (tmp_path / "base.py").write_text(
        "dataset_type = 'CIFAR100'\n"
        "data = dict(train=dict(type=dataset_type, data_prefix='data/c'),\n"
        "            val=dict(type=dataset_type, data_prefix='data/c', test_mode=True))\n")
    check_transformed(RULE, """\
    _base_ = './base.py'
    data = dict(train=dict(data_prefix='data/other'), val=dict(data_prefix='data/other', test_mode=True))
    """, """\
    _base_ = './base.py'
    train_dataloader = dict(dataset=dict(data_root='data/other'))
    val_dataloader = dict(dataset=dict(data_root='data/other', split='test'))
    """, kind="config", path=tmp_path / "child.py")


def test_unknown_loader_option_and_non_literal_test_mode_get_todos():
    check_transformed(RULE, """\
    data = dict(
        samples_per_gpu=2,
        dist=True,
        val=dict(type='CIFAR10', data_prefix='d', test_mode=is_test))
    """, """\
    # TODO(mmcodemod): MMC501 data.dist has no 1.2 dataloader equivalent; set it where it belongs
    # TODO(mmcodemod): MMC501 test_mode is not a literal: set split='train' or split='test' (1.2 ignores test_mode when it chooses the data)
    val_dataloader = dict(
        batch_size=2,
        dataset=dict(type='CIFAR10', data_root='d', test_mode=is_test),
        sampler=dict(type='DefaultSampler', shuffle=False))
    """, kind="config")


def test_batch_size_inside_a_split_and_val_without_test_mode():
    # 0.x MNIST without test_mode read the training set: kept, with a TODO
    check_transformed(RULE, """\
    data = dict(
        samples_per_gpu=128,
        train=dict(type='MNIST', data_prefix='data/mnist'),
        val=dict(type='MNIST', data_prefix='data/mnist', samples_per_gpu=1, workers_per_gpu=0))
    """, """\
    # TODO(mmcodemod): MMC501 data.val had no test_mode=True, so it used the training split (kept as split='train'); write split='test' to evaluate on the test set
    train_dataloader = dict(
        batch_size=128,
        dataset=dict(type='MNIST', data_root='data/mnist', split='train'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    val_dataloader = dict(
        batch_size=1,
        num_workers=0,
        dataset=dict(type='MNIST', data_root='data/mnist', split='train'),
        sampler=dict(type='DefaultSampler', shuffle=False))
    """, kind="config")


def test_voc_partial_override_and_comments_between_keys():
    check_transformed(RULE, """\
    _base_ = ['./voc.py']
    data = dict(
        # map the difficult examples as negative ones(0)
        train=dict(pipeline=train_pipeline, difficult_as_postive=False),
        val=dict(type='VOC', data_prefix='data/VOC2007/', ann_file='data/VOC2007/ImageSets/Main/test.txt'))
    """, """\
    _base_ = ['./voc.py']
    # map the difficult examples as negative ones(0)
    # TODO(mmcodemod): MMC501 VOC difficult_as_postive=False was removed: 1.2 sets it on the evaluators, e.g. dict(type='VOCMultiLabelMetric', difficult_as_positive=False)
    train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
    val_dataloader = dict(
        dataset=dict(type='VOC', data_root='data/VOC2007/', split='test'),
        sampler=dict(type='DefaultSampler', shuffle=False))
    """, kind="config")


def test_data_changed_in_place_is_left_with_a_todo():
    check_transformed(RULE, """\
    data = dict(samples_per_gpu=2, train=dict(type='CIFAR10', data_prefix='d'))
    data['train']['pipeline'] = train_pipeline
    """, """\
    # TODO(mmcodemod): MMC501 data is changed by code below its assignment or spreads a dict: make it one literal dict (1.x has no `data`, it becomes train/val/test_dataloader), then rerun
    data = dict(samples_per_gpu=2, train=dict(type='CIFAR10', data_prefix='d'))
    data['train']['pipeline'] = train_pipeline
    """, kind="config")


def test_delete_replaces_the_base_loaders():
    check_transformed(RULE, """\
    _base_ = ['./base.py']
    data = dict(
        _delete_=True,
        samples_per_gpu=4,
        train=dict(type='CIFAR10', data_prefix='data/c'),
        val=dict(type='CIFAR10', data_prefix='data/c', test_mode=True))
    """, """\
    _base_ = ['./base.py']
    train_dataloader = dict(
        _delete_=True,
        batch_size=4,
        dataset=dict(type='CIFAR10', data_root='data/c', split='train'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    val_dataloader = dict(
        _delete_=True,
        batch_size=4,
        dataset=dict(type='CIFAR10', data_root='data/c', split='test'),
        sampler=dict(type='DefaultSampler', shuffle=False))
    test_dataloader = dict(_delete_=True, batch_size=4)
    """, kind="config")


def test_imagenet21k():
    # 1.2 ImageNet21k: split 'train' only, no recursion_subdir (0.x allowed only True)
    check_transformed(RULE, """\
    data = dict(
        train=dict(type='ImageNet21k', data_prefix='data/in21k/train', recursion_subdir=True),
        val=dict(type='ImageNet21k', data_prefix='data/in21k/val', ann_file='data/in21k/meta/val.txt'))
    """, """\
    train_dataloader = dict(
        dataset=dict(type='ImageNet21k', data_root='data/in21k', split='train'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    val_dataloader = dict(
        dataset=dict(type='ImageNet21k', data_root='data/in21k', data_prefix='val', ann_file='meta/val.txt'),
        sampler=dict(type='DefaultSampler', shuffle=False))
    """, kind="config")


def test_dataset_file_client_args():
    check_transformed(RULE, """\
    data = dict(
        train=dict(type='ImageNet', data_prefix='s3://bucket/train',
                   file_client_args=dict(backend='petrel')),
        val=dict(type='MyDataset', file_client_args=dict(backend='petrel')))
    """, """\
    # TODO(mmcodemod): MMC501 dataset file_client_args=dict(backend='petrel') was removed: 1.2 datasets choose the file backend from data_root; give LoadImageFromFile backend_args for reading images
    train_dataloader = dict(
        dataset=dict(type='ImageNet', data_root='s3://bucket', split='train'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    val_dataloader = dict(
        dataset=dict(type='MyDataset', file_client_args=dict(backend='petrel')),
        sampler=dict(type='DefaultSampler', shuffle=False))
    """, kind="config")


def test_sampler_cfg_in_data_is_the_training_sampler():
    check_transformed(RULE, """\
    data = dict(
        sampler_cfg=dict(type='RepeatAugSampler', num_repeats=3),
        train=dict(type='ImageNet', data_prefix='data/imagenet/train'))
    """, """\
    train_dataloader = dict(
        dataset=dict(type='ImageNet', data_root='data/imagenet', split='train'),
        sampler=dict(type='RepeatAugSampler', shuffle=True, num_repeats=3))
    """, kind="config")


def test_list_of_datasets_and_old_sampler_options():
    check_transformed(RULE, """\
    sampler = dict(type='RepeatAugSampler', selected_round=0)
    data = dict(train=[dict(type='CIFAR10', data_prefix='a'), dict(type='CIFAR10', data_prefix='b')])
    """, """\
    # TODO(mmcodemod): MMC501 sampler options selected_round were removed: MMPretrain 1.2 RepeatAugSampler takes shuffle, num_repeats and seed (the world size comes from the launcher)
    train_dataloader = dict(
        dataset=dict(type='ConcatDataset', datasets=[dict(type='CIFAR10', data_root='a', split='train'), dict(type='CIFAR10', data_root='b', split='train')]),
        sampler=dict(type='RepeatAugSampler', shuffle=True))
    """, kind="config")


def test_brace_dicts():
    check_transformed(RULE, """\
    data = {'samples_per_gpu': 8, 'val': {'type': 'CIFAR10', 'data_prefix': 'd', 'test_mode': True}}
    """, """\
    val_dataloader = dict(
        batch_size=8,
        dataset=dict(type='CIFAR10', data_root='d', split='test'),
        sampler=dict(type='DefaultSampler', shuffle=False))
    """, kind="config")


def test_a_data_set_twice_uses_the_last_and_drops_the_first():
    # a config pasted together from its bases: the second `data` is the one that counts
    check_transformed(RULE, """\
    data = dict(samples_per_gpu=2, workers_per_gpu=2, train=dict(type='ImageNet', data_prefix='a'))
    x = 1
    data = dict(samples_per_gpu=24, workers_per_gpu=4, train=dict(type='ImageNet', data_prefix='b'))
    """, """\
    x = 1
    train_dataloader = dict(
        batch_size=24,
        num_workers=4,
        dataset=dict(type='ImageNet', data_prefix='b'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    """, kind="config")


@pytest.mark.parametrize("reads", ["first_train = data['train']\n", "splits = list(data)\n"])
def test_a_data_that_other_statements_read_gets_a_todo(reads):
    # converting it would leave them naming nothing
    before = f"data = dict(samples_per_gpu=2, train=dict(type='ImageNet', data_prefix='a'))\n{reads}"
    check_transformed(RULE, before, "# TODO(mmcodemod): MMC501 `data` is read by other statements of this "
                      "config; 1.x has no `data` (it becomes train/val/test_dataloader): read those "
                      "instead, then rerun\n" + before, kind="config")


def test_a_comment_after_the_opening_bracket_of_data_stays_above_the_dataloaders():
    check_transformed(RULE, """\
    data = dict(  # ImageNet, 8 GPUs
        samples_per_gpu=64,
        train=dict(type='CIFAR10', data_prefix='data/c'))
    """, """\
    # ImageNet, 8 GPUs
    train_dataloader = dict(
        batch_size=64,
        dataset=dict(type='CIFAR10', data_root='data/c', split='train'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    """, kind="config")


def test_a_comment_after_data_stays_above_the_dataloaders():
    check_transformed(RULE, """\
    data = dict(samples_per_gpu=64, train=dict(type='CIFAR10', data_prefix='data/c'))  # 64 per GPU
    """, """\
    # 64 per GPU
    train_dataloader = dict(
        batch_size=64,
        dataset=dict(type='CIFAR10', data_root='data/c', split='train'),
        sampler=dict(type='DefaultSampler', shuffle=True))
    """, kind="config")


def test_a_dataset_of_another_type_over_the_base_gets_a_todo(tmp_path):
    (tmp_path / "base.py").write_text(
        "data = dict(samples_per_gpu=32, train=dict(type='ImageNet', data_prefix='data/imagenet/train'))\n")
    result = migrate("""\
    _base_ = ['./base.py']
    data = dict(train=dict(type='MyDataset', data_prefix='data/mine', ann_file='mine.txt'))
    """, RULE, "config", tmp_path / "child.py")
    assert ("MMC501 data.train is a MyDataset over the base's ImageNet: it is merged into the "
            "base's dataset") in result
    # the same type: an ordinary override
    result = migrate("""\
    _base_ = ['./base.py']
    data = dict(train=dict(type='ImageNet', data_prefix='data/other/train'))
    """, RULE, "config", tmp_path / "child2.py")
    assert "over the base's" not in result and "train_dataloader" in result


def test_paths_of_a_partial_override_get_a_todo_about_the_base_root(tmp_path):
    (tmp_path / "base.py").write_text(
        "data = dict(samples_per_gpu=32, val=dict(type='ImageNet', data_prefix='data/imagenet/val',"
        " ann_file='data/imagenet/meta/val.txt'))\n")
    result = migrate("""\
    _base_ = ['./base.py']
    data = dict(val=dict(ann_file='data/flood/val.txt'))
    """, RULE, "config", tmp_path / "child.py")
    assert ("MMC501 data.val.ann_file was read from the working directory in 0.x; "
            "1.2 joins them to the base's data_root") in result
    # both paths given: they get a data_root of their own, nothing to say
    result = migrate("""\
    _base_ = ['./base.py']
    data = dict(val=dict(data_prefix='data/flood/val', ann_file='data/flood/val.txt'))
    """, RULE, "config", tmp_path / "child3.py")
    assert "data_root='data/flood'" in result and "working directory" not in result
    # no path set: nothing to say
    result = migrate("""\
    _base_ = ['./base.py']
    data = dict(samples_per_gpu=8)
    """, RULE, "config", tmp_path / "child2.py")
    assert "working directory" not in result
