"""MMC502: pipelines and the data preprocessor. No-op cases first, then before/after cases.

Expected outputs follow the migration guide's pipeline table and the 1.2 sources: mmpretrain
`datasets/transforms/processing.py`, mmcv 2.x `transforms/processing.py`.
"""
import pytest

from tests.util import check_noop, check_transformed

RULE = "MMC502"


@pytest.mark.parametrize("source", [
    # already 1.x: RandomResizedCrop's `scale` must not be renamed again
    """\
    data_preprocessor = dict(mean=[1, 2, 3], std=[4, 5, 6], to_rgb=True)
    train_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='RandomResizedCrop', scale=224),
        dict(type='RandomFlip', prob=0.5),
        dict(type='PackInputs'),
    ]
    """,
    # a list of dicts that is not a pipeline (an AutoAugment policy list)
    """\
    policies = [
        [dict(type='Posterize', bits=4, prob=0.4), dict(type='Rotate', angle=30., prob=0.6)],
        [dict(type='Equalize', prob=0.8)],
    ]
    model = dict(type='ImageClassifier')
    """,
    # a 1.x pipeline written with brace dicts stays as written
    """\
    model = dict(type='ImageClassifier')
    test_pipeline = [{'type': 'ResizeEdge', 'scale': 256}, {'type': 'PackInputs'}]
    other = dict(type='Collect')
    """,
    # a user transform list in a script-like config without 0.x markers
    """\
    model = dict(type='ImageClassifier')
    steps = [dict(type='MyTransform', size=3)]
    """,
])
def test_noop(source):
    check_noop(RULE, source, kind="config")


def test_guide_example():
    # the guide's table: 原配置 -> 新配置
    check_transformed(RULE, """\
    img_norm_cfg = dict(
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
    train_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='RandomResizedCrop', size=224),
        dict(type='RandomFlip', flip_prob=0.5, direction='horizontal'),
        dict(type='Normalize', **img_norm_cfg),
        dict(type='ImageToTensor', keys=['img']),
        dict(type='ToTensor', keys=['gt_label']),
        dict(type='Collect', keys=['img', 'gt_label'])
    ]
    """, """\
    data_preprocessor = dict(
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
    train_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='RandomResizedCrop', scale=224),
        dict(type='RandomFlip', prob=0.5, direction='horizontal'),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_dataset_type_gives_num_classes_and_resize_edge():
    # 1.2's _base_/datasets/imagenet_bs32.py: num_classes=1000, ResizeEdge(scale=256, edge='short')
    check_transformed(RULE, """\
    dataset_type = 'ImageNet'
    img_norm_cfg = dict(mean=[1, 2, 3], std=[4, 5, 6])
    test_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', size=(256, -1)),
        dict(type='CenterCrop', crop_size=224),
        dict(type='Normalize', **img_norm_cfg),
        dict(type='ImageToTensor', keys=['img']),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    dataset_type = 'ImageNet'
    data_preprocessor = dict(num_classes=1000, mean=[1, 2, 3], std=[4, 5, 6], to_rgb=True)
    test_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='ResizeEdge', scale=256, edge='short'),
        dict(type='CenterCrop', crop_size=224),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_inline_normalize_and_argument_renames():
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='LoadImageFromFile', file_client_args=dict(backend='disk')),
        dict(type='RandomCrop', size=32, padding=4),
        dict(type='RandomResizedCrop', size=224, scale=(0.2, 1.0), ratio=(0.5, 2.0)),
        dict(type='Resize', size=(224, 256), adaptive_side='long'),
        dict(type='Resize', size=(256, -1), adaptive_side='long', backend='pillow'),
        dict(type='Resize', size=510),
        dict(type='RandomFlip'),
        dict(type='RandomGrayscale', gray_prob=0.2),
        dict(type='Lighting', eigval=[1, 2, 3], eigvec=[[1]]),
        dict(type='Albu', transforms=[], update_pad_shape=False),
        dict(type='Normalize', mean=[0, 0, 0], std=[1, 1, 1], to_rgb=False),
        dict(type='ImageToTensor', keys=['img']),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    model = dict(type='ImageClassifier')
    data_preprocessor = dict(mean=[0, 0, 0], std=[1, 1, 1], to_rgb=False)
    train_pipeline = [
        dict(type='LoadImageFromFile', backend_args=dict(backend='local')),
        dict(type='RandomCrop', crop_size=32, padding=4),
        dict(type='RandomResizedCrop', scale=224, crop_ratio_range=(0.2, 1.0), aspect_ratio_range=(0.5, 2.0)),
        dict(type='Resize', scale=(256, 224)),
        dict(type='ResizeEdge', scale=256, edge='long', backend='pillow'),
        dict(type='Resize', scale=510),
        dict(type='RandomFlip', prob=0.5),
        dict(type='RandomGrayscale', prob=0.2, keep_channels=True, channel_weights=(0.299, 0.587, 0.114)),
        dict(type='Lighting', eigval=[1, 2, 3], eigvec=[[1]], to_rgb=True),
        dict(type='Albumentations', transforms=[]),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_efficientnet_style():
    # 0.x interpolation default was bilinear; EfficientNet*Crop default to bicubic in 1.2
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='RandomResizedCrop', size=380, efficientnet_style=True),
        dict(type='CenterCrop', crop_size=380, efficientnet_style=True, interpolation='bicubic'),
        dict(type='CenterCrop', crop_size=(224, 192), efficientnet_style=False, crop_padding=0),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='EfficientNetRandomCrop', scale=380, interpolation='bilinear'),
        dict(type='EfficientNetCenterCrop', crop_size=380, interpolation='bicubic'),
        dict(type='CenterCrop', crop_size=(192, 224)),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_unknown_transform_and_collect_meta_keys_get_todos():
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='ToHalf', keys=['img']),
        dict(type='Collect', keys=['img'], meta_keys=['filename'])
    ]
    """, """\
    model = dict(type='ImageClassifier')
    # TODO(mmcodemod): MMC502 transform 'ToHalf' is not in MMPretrain 1.2 / MMCV 2.x under this name; port it (a 1.x BaseTransform registered in mmpretrain's TRANSFORMS, if it is your own) or replace it
    # TODO(mmcodemod): MMC502 Collect had keys/meta_keys beyond img and gt_label; set PackInputs algorithm_keys/meta_keys (1.2 names, e.g. img_path) if you need them
    train_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='ToHalf', keys=['img']),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_norm_cfg_still_used_is_kept():
    # `img_norm_cfg['mean']` feeds RandAugment's pad_val: keep it, add the preprocessor after it
    check_transformed(RULE, """\
    dataset_type = 'CIFAR10'
    img_norm_cfg = dict(mean=[1, 2, 3], std=[4, 5, 6], to_rgb=False)
    train_pipeline = [
        dict(type='RandAugment', policies=[], hparams=dict(pad_val=img_norm_cfg['mean'])),
        dict(type='Normalize', **img_norm_cfg),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    dataset_type = 'CIFAR10'
    img_norm_cfg = dict(mean=[1, 2, 3], std=[4, 5, 6], to_rgb=False)
    data_preprocessor = dict(num_classes=10, mean=[1, 2, 3], std=[4, 5, 6], to_rgb=False)
    train_pipeline = [
        dict(type='RandAugment', policies=[], hparams=dict(pad_val=img_norm_cfg['mean']), total_level=30),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_inline_pipeline_in_data_and_voc_onehot():
    check_transformed(RULE, """\
    img_norm_cfg = dict(mean=[1, 2, 3], std=[4, 5, 6])
    data = dict(
        train=dict(
            type='VOC',
            pipeline=[dict(type='Normalize', **img_norm_cfg), dict(type='Collect', keys=['img'])]))
    """, """\
    data_preprocessor = dict(num_classes=20, to_onehot=True, mean=[1, 2, 3], std=[4, 5, 6], to_rgb=True)
    data = dict(
        train=dict(
            type='VOC',
            pipeline=[dict(type='PackInputs')]))
    """, kind="config")


def test_existing_preprocessor_gets_a_todo():
    check_transformed(RULE, """\
    data_preprocessor = dict(mean=[0, 0, 0])
    test_pipeline = [dict(type='Normalize', mean=[1, 1, 1], std=[2, 2, 2]), dict(type='Collect', keys=['img'])]
    """, """\
    data_preprocessor = dict(mean=[0, 0, 0])
    # TODO(mmcodemod): MMC502 dict(type='Normalize', mean=[1, 1, 1], std=[2, 2, 2]) was removed from the pipeline; check that data_preprocessor has its mean/std/to_rgb
    test_pipeline = [dict(type='PackInputs')]
    """, kind="config")


def test_dataset_type_from_base(tmp_path):
    # a child that only redefines pipelines: num_classes comes from the base's dataset
    (tmp_path / "base.py").write_text("dataset_type = 'CIFAR100'\ndata = dict(train=dict(type=dataset_type))\n")
    check_transformed(RULE, """\
    _base_ = ['./base.py']
    img_norm_cfg = dict(mean=[1, 2, 3], std=[4, 5, 6], to_rgb=False)
    train_pipeline = [dict(type='Normalize', **img_norm_cfg), dict(type='Collect', keys=['img'])]
    data = dict(train=dict(pipeline=train_pipeline))
    """, """\
    _base_ = ['./base.py']
    data_preprocessor = dict(num_classes=100, mean=[1, 2, 3], std=[4, 5, 6], to_rgb=False)
    train_pipeline = [dict(type='PackInputs')]
    data = dict(train=dict(pipeline=train_pipeline))
    """, kind="config", path=tmp_path / "child.py")


def test_policy_presets(tmp_path):
    # the 0.x lists that 1.2 names: RandAugment 'timm_increasing', AutoAugment 'imagenet'
    pipelines = tmp_path / "pipelines"
    pipelines.mkdir()
    (pipelines / "rand_aug.py").write_text(
        "rand_increasing_policies = [\n"
        "    dict(type='AutoContrast'),\n    dict(type='Equalize'),\n    dict(type='Invert'),\n"
        "    dict(type='Rotate', magnitude_key='angle', magnitude_range=(0, 30)),\n"
        "    dict(type='Posterize', magnitude_key='bits', magnitude_range=(4, 0)),\n"
        "    dict(type='Solarize', magnitude_key='thr', magnitude_range=(256, 0)),\n"
        "    dict(type='SolarizeAdd', magnitude_key='magnitude', magnitude_range=(0, 110)),\n"
        "    dict(type='ColorTransform', magnitude_key='magnitude', magnitude_range=(0, 0.9)),\n"
        "    dict(type='Contrast', magnitude_key='magnitude', magnitude_range=(0, 0.9)),\n"
        "    dict(type='Brightness', magnitude_key='magnitude', magnitude_range=(0, 0.9)),\n"
        "    dict(type='Sharpness', magnitude_key='magnitude', magnitude_range=(0, 0.9)),\n"
        "    dict(type='Shear', magnitude_key='magnitude', magnitude_range=(0, 0.3), direction='horizontal'),\n"
        "    dict(type='Shear', magnitude_key='magnitude', magnitude_range=(0, 0.3), direction='vertical'),\n"
        "    dict(type='Translate', magnitude_key='magnitude', magnitude_range=(0, 0.45), direction='horizontal'),\n"
        "    dict(type='Translate', magnitude_key='magnitude', magnitude_range=(0, 0.45), direction='vertical'),\n"
        "]\n")
    check_transformed(RULE, """\
    _base_ = ['./pipelines/rand_aug.py']
    train_pipeline = [
        dict(
            type='RandAugment',
            policies={{_base_.rand_increasing_policies}},
            num_policies=2,
            magnitude_level=9),
        dict(type='RandAugment', policies=[dict(type='Rotate', magnitude_key='angle', magnitude_range=(0, 30))]),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    _base_ = ['./pipelines/rand_aug.py']
    train_pipeline = [
        dict(
            type='RandAugment',
            policies='timm_increasing',
            num_policies=2,
            magnitude_level=9,
            total_level=30),
        dict(type='RandAugment', policies=[dict(type='Rotate', magnitude_key='angle', magnitude_range=(0, 30))], total_level=30),
        dict(type='PackInputs')
    ]
    """, kind="config", path=tmp_path / "data.py")


def test_pil_conversions():
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [dict(type='ToPIL'), dict(type='ToNumpy'), dict(type='Collect', keys=['img'])]
    """, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [dict(type='NumpyToPIL'), dict(type='PILToNumpy', dtype='float32'), dict(type='PackInputs')]
    """, kind="config")


def test_lighting_spread_and_policy_variable():
    # 1.2 RandAugment pops 0.x magnitude_key itself ("for backward compatibility"): kept
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    img_lighting_cfg = dict(eigval=[55.46, 4.794, 1.148], eigvec=[[1, 0, 0]], alphastd=0.1)
    policies = [
        dict(type='AutoContrast', prob=0.5),
        dict(type='Rotate', magnitude_key='angle', magnitude_range=(0, 30), pad_val=0),
    ]
    train_pipeline = [
        dict(type='RandAugment', policies=policies, num_policies=2, magnitude_level=12),
        dict(type='Lighting', **img_lighting_cfg),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    model = dict(type='ImageClassifier')
    img_lighting_cfg = dict(eigval=[55.46, 4.794, 1.148], eigvec=[[1, 0, 0]], alphastd=0.1)
    policies = [
        dict(type='AutoContrast', prob=0.5),
        dict(type='Rotate', magnitude_key='angle', magnitude_range=(0, 30), pad_val=0),
    ]
    train_pipeline = [
        dict(type='RandAugment', policies=policies, num_policies=2, magnitude_level=12, total_level=30),
        dict(type='Lighting', **img_lighting_cfg, to_rgb=True),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_pipelines_normalised_differently():
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [dict(type='Normalize', mean=[1], std=[2], to_rgb=False), dict(type='Collect', keys=['img'])]
    test_pipeline = [dict(type='Normalize', mean=[1], std=[2], to_rgb=True), dict(type='Collect', keys=['img'])]
    """, """\
    model = dict(type='ImageClassifier')
    # TODO(mmcodemod): MMC502 pipelines normalised differently; 1.2 has one data_preprocessor for all splits (this one), another pipeline had dict(type='Normalize', mean=[1], std=[2], to_rgb=True)
    data_preprocessor = dict(mean=[1], std=[2], to_rgb=False)
    train_pipeline = [dict(type='PackInputs')]
    test_pipeline = [dict(type='PackInputs')]
    """, kind="config")


def test_same_normalize_laid_out_differently_is_one_preprocessor():
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [dict(type='Normalize', mean=M, std=S,
                           to_rgb=False), dict(type='Collect', keys=['img'])]
    test_pipeline = [dict(type='Normalize', mean=M, std=S, to_rgb=False), dict(type='Collect', keys=['img'])]
    """, """\
    model = dict(type='ImageClassifier')
    data_preprocessor = dict(mean=M, std=S, to_rgb=False)
    train_pipeline = [dict(type='PackInputs')]
    test_pipeline = [dict(type='PackInputs')]
    """, kind="config")


def test_rand_augment_total_level_default():
    # mmcls 0.25 RandAugment total_level defaulted to 30, mmpretrain 1.2's to 10
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='RandAugment', policies=[dict(type='Invert')], num_policies=2, magnitude_level=9),
        dict(type='RandAugment', policies=[dict(type='Invert')], num_policies=2, magnitude_level=9,
             total_level=10),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='RandAugment', policies=[dict(type='Invert')], num_policies=2, magnitude_level=9, total_level=30),
        dict(type='RandAugment', policies=[dict(type='Invert')], num_policies=2, magnitude_level=9,
             total_level=10),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_transform_after_normalize_gets_a_todo():
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='Normalize', mean=[1], std=[2]),
        dict(type='RandomErasing', erase_prob=0.25, mode='rand'),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    model = dict(type='ImageClassifier')
    data_preprocessor = dict(mean=[1], std=[2], to_rgb=True)
    # TODO(mmcodemod): MMC502 RandomErasing came after Normalize in 0.x, so it saw normalized values; in 1.2 it sees pixels: check its values (e.g. fill_color/fill_std in pixel scale)
    train_pipeline = [
        dict(type='RandomErasing', erase_prob=0.25, mode='rand'),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_file_client_args_variable():
    check_transformed(RULE, """\
    file_client_args = dict(backend='disk')
    train_pipeline = [dict(type='LoadImageFromFile', file_client_args=file_client_args),
                      dict(type='Collect', keys=['img'])]
    """, """\
    file_client_args = dict(backend='disk')
    # TODO(mmcodemod): MMC502 backend_args: mmengine calls the 'disk' file backend 'local'; change it where the variable is set
    train_pipeline = [dict(type='LoadImageFromFile', backend_args=file_client_args),
                      dict(type='PackInputs')]
    """, kind="config")


def test_brace_dicts():
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    test_pipeline = [{'type': 'Resize', 'size': (256, -1)}, {'type': 'Collect', 'keys': ['img']}]
    """, """\
    model = dict(type='ImageClassifier')
    test_pipeline = [dict(type='ResizeEdge', scale=256, edge='short'), dict(type='PackInputs')]
    """, kind="config")


def test_pad_values_per_channel_go_in_a_dict():
    # mmcv 2.x Pad asserts pad_val is an int (turned into dict(img=v, seg=255)) or a dict
    check_transformed(RULE, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='Pad', size=(224, 256), pad_val=(128, 128, 128)),
        dict(type='Pad', pad_to_square=True, pad_val=0),
        dict(type='Collect', keys=['img'])
    ]
    """, """\
    model = dict(type='ImageClassifier')
    train_pipeline = [
        dict(type='Pad', size=(256, 224), pad_val=dict(img=(128, 128, 128))),
        dict(type='Pad', pad_to_square=True, pad_val=0),
        dict(type='PackInputs')
    ]
    """, kind="config")


def test_a_list_of_transforms_the_data_does_not_use_is_left_with_a_todo():
    # a hook's augmentations: its Normalize is no reason for a data_preprocessor
    check_transformed(RULE, """\
    key_pipeline = [dict(type='RandomFlip', flip_prob=0.5), dict(type='Normalize', mean=[0], std=[1])]
    train_pipeline = [dict(type='LoadImageFromFile'), dict(type='Collect', keys=['img'])]
    data = dict(train=dict(type='CIFAR10', pipeline=train_pipeline))
    custom_hooks = [dict(type='TentHook', augment_cfg=key_pipeline)]
    """, """\
    # TODO(mmcodemod): MMC502 0.x transforms that the data does not use (a hook's or your code's?): left as they are; 1.2 pipelines have other transforms, and their Normalize is the model's data_preprocessor: port this list by hand
    key_pipeline = [dict(type='RandomFlip', flip_prob=0.5), dict(type='Normalize', mean=[0], std=[1])]
    train_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]
    data = dict(train=dict(type='CIFAR10', pipeline=train_pipeline))
    custom_hooks = [dict(type='TentHook', augment_cfg=key_pipeline)]
    """, kind="config")
    # a pipeline variable of a file without data (for another file's data) is converted
    check_transformed(RULE, """\
    my_pipeline = [dict(type='LoadImageFromFile'), dict(type='Collect', keys=['img'])]
    """, """\
    my_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]
    """, kind="config")
