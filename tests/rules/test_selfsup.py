"""MMC601-MMC603: MMSelfSup 0.x configs. No-op cases first, then before/after cases.

Expected outputs follow the migration guide (从 MMSelfSup 0.x 迁移) and MMPretrain 1.2's own
configs (`_base_/datasets/imagenet_bs32_mocov2.py`, `imagenet_bs512_mae.py`, `mae/`, `byol/`,
`cae/`, `maskfeat/`, `swav/`), with names and arguments checked against the 1.2 sources.
"""
import ast
import textwrap

import pytest

from codemods.config import clear_cache, load
from codemods.engine import verify
from tests.util import check_noop, migrate

DATA = "MMC601"
MODEL = "MMC602"
HOOKS = "MMC603"


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def check_transformed(rule_ids, before, after, kind="config", path=None):
    """Like tests.util.check_transformed, but the layout of printed values (the shared builders'
    business, changed by others) is not compared: the code must be the same Python."""
    result = migrate(before, rule_ids, kind, path)
    assert ast.dump(ast.parse(result)) == ast.dump(ast.parse(textwrap.dedent(after))), result
    assert verify(result, "<test>") is None
    assert migrate(result, rule_ids, kind, path) == result, "a second run changed the output"


# ---------------------------------------------------------------- no-op


@pytest.mark.parametrize("source", [
    # an MMClassification data dict: MMC501 migrates it, not MMC601
    """\
    data = dict(
        samples_per_gpu=32,
        workers_per_gpu=2,
        train=dict(type='ImageNet', data_prefix='data/imagenet/train', pipeline=[]))
    """,
    # already 1.2
    """\
    train_dataloader = dict(
        batch_size=32,
        dataset=dict(type='ImageNet', data_root='data/imagenet/', pipeline=[]))
    """,
    # `data_source` only mentioned in a comment-free string of another key
    """\
    work_dir = 'runs/data_source'
    prefetch = False
    """,
])
def test_data_noop(source):
    check_noop(DATA, source, kind="config")


@pytest.mark.parametrize("source", [
    # an MMClassification model (ImageClassifier is not an MMSelfSup algorithm)
    """\
    model = dict(
        type='ImageClassifier',
        backbone=dict(type='ResNet', depth=50, out_indices=(3, )),
        head=dict(type='LinearClsHead', num_classes=1000, in_channels=2048))
    """,
    # a 1.2 model: heads already have their loss, momentum is left alone without a 0.x algorithm
    """\
    model = dict(
        type='MAE',
        backbone=dict(type='MAEViT', arch='b', patch_size=16, mask_ratio=0.75),
        head=dict(
            type='MAEPretrainHead',
            norm_pix=True,
            patch_size=16,
            loss=dict(type='PixelReconstructionLoss', criterion='L2')))
    """,
    # no model key
    """\
    optimizer = dict(type='SGD', lr=0.1)
    """,
])
def test_model_noop(source):
    check_noop(MODEL, source, kind="config")


def test_hooks_noop():
    check_noop(HOOKS, """\
    custom_hooks = [dict(type='SwAVHook', batch_size=32)]
    """, kind="config")



# ---------------------------------------------------------------- data


MOCO_DATA = """\
data_source = 'ImageNet'
dataset_type = 'MultiViewDataset'
img_norm_cfg = dict(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
train_pipeline = [
    dict(type='RandomResizedCrop', size=224, scale=(0.2, 1.)),
    dict(
        type='RandomAppliedTrans',
        transforms=[
            dict(
                type='ColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.1)
        ],
        p=0.8),
    dict(type='RandomGrayscale', p=0.2),
    dict(type='GaussianBlur', sigma_min=0.1, sigma_max=2.0, p=0.5),
    dict(type='RandomHorizontalFlip'),
]

# prefetch
prefetch = False
if not prefetch:
    train_pipeline.extend(
        [dict(type='ToTensor'),
         dict(type='Normalize', **img_norm_cfg)])

data = dict(
    samples_per_gpu=32,  # total 32*8=256
    workers_per_gpu=4,
    drop_last=True,
    train=dict(
        type=dataset_type,
        data_source=dict(
            type=data_source,
            data_prefix='data/imagenet/train',
            ann_file='data/imagenet/meta/train.txt',
        ),
        num_views=[2],
        pipelines=[train_pipeline],
        prefetch=prefetch,
    ))
"""

# Several views (MultiView) are batched by SelfSupDataPreprocessor only: its type is written.
# The pipeline of MMPretrain 1.2's _base_/datasets/imagenet_bs32_mocov2.py (the view pipeline
# there is called view_pipeline; the user's name is kept); data_root/ann_file/data_prefix as in
# the guide's example.
MOCO_DATA_AFTER = """\
data_preprocessor = dict(
    type='SelfSupDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True,
)
train_pipeline = [
    dict(
        type='RandomResizedCrop',
        scale=224,
        crop_ratio_range=(0.2, 1.),
        backend='pillow',
    ),
    dict(
        type='RandomApply',
        transforms=[
            dict(
                type='ColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.1)
        ],
        prob=0.8),
    dict(
        type='RandomGrayscale',
        prob=0.2,
        keep_channels=True,
        channel_weights=(0.114, 0.587, 0.2989),
    ),
    dict(
        type='GaussianBlur',
        magnitude_range=(0.1, 2.0),
        magnitude_std='inf',
        prob=0.5,
    ),
    dict(type='RandomFlip', prob=0.5),
]

# total 32*8=256
train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    drop_last=True,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='ImageNet',
        data_root='data/imagenet/',
        ann_file='meta/train.txt',
        data_prefix=dict(img_path='train/'),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='MultiView', num_views=[2], transforms=[train_pipeline]),
            dict(type='PackInputs'),
        ],
    ),
)
"""


def test_multi_view_data():
    check_transformed(DATA, MOCO_DATA, MOCO_DATA_AFTER, kind="config")


def test_single_view_with_mask_generator():
    # MMPretrain 1.2 simmim: LoadImageFromFile, RandomResizedCrop, RandomFlip, SimMIMMaskGenerator,
    # PackInputs; ToTensor only (no Normalize) is the [0, 1] scaling -> mean 0, std 255.
    check_transformed(DATA, """\
    data_source = 'ImageNet'
    dataset_type = 'SingleViewDataset'
    train_pipeline = [
        dict(type='RandomResizedCrop', size=192, scale=(0.67, 1.0)),
        dict(type='RandomHorizontalFlip')
    ]
    prefetch = False
    if not prefetch:
        train_pipeline.extend([dict(type='ToTensor')])
    train_pipeline.append(
        dict(type='SimMIMMaskGenerator', input_size=192, mask_patch_size=32))
    data = dict(
        samples_per_gpu=256,
        workers_per_gpu=8,
        train=dict(
            type=dataset_type,
            data_source=dict(type=data_source, data_prefix='data/imagenet/train'),
            pipeline=train_pipeline,
            prefetch=prefetch))
    """, """\
    data_preprocessor = dict(
        type='SelfSupDataPreprocessor', mean=[0, 0, 0], std=[255, 255, 255], to_rgb=True)
    train_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(
            type='RandomResizedCrop',
            scale=192,
            crop_ratio_range=(0.67, 1.0),
            backend='pillow',
        ),
        dict(type='RandomFlip', prob=0.5),
        dict(type='SimMIMMaskGenerator', input_size=192, mask_patch_size=32),
        dict(type='PackInputs')
    ]
    train_dataloader = dict(
        batch_size=256,
        num_workers=8,
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=True),
        collate_fn=dict(type='default_collate'),
        dataset=dict(
            type='ImageNet',
            data_prefix=dict(img_path='data/imagenet/train'),
            pipeline=train_pipeline,
        ),
    )
    """, kind="config")


def test_torchvision_transforms():
    # bicubic = PIL filter 3; Solarization(threshold, p) -> Solarize(thr, prob);
    # MaskFeatMaskGenerator(mask_ratio=0.4) -> BEiTMaskGenerator(input_size=14, 78 patches, 15)
    # as MMPretrain 1.2's maskfeat config; torchvision Resize(int) -> ResizeEdge, CenterCrop size.
    check_transformed(DATA, """\
    data_source = 'ImageNet'
    dataset_type = 'SingleViewDataset'
    pipeline = [
        dict(type='RandomResizedCrop', size=224, interpolation=3),
        dict(type='Solarization', p=0.2),
        dict(type='Resize', size=256),
        dict(type='CenterCrop', size=224),
        dict(type='MaskFeatMaskGenerator', mask_ratio=0.4),
    ]
    data = dict(train=dict(type=dataset_type, data_source=dict(type=data_source,
        data_prefix='train'), pipeline=pipeline))
    """, """\
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(
            type='RandomResizedCrop',
            scale=224,
            interpolation='bicubic',
            backend='pillow',
        ),
        dict(type='Solarize', thr=128, prob=0.2),
        dict(type='ResizeEdge', scale=256, edge='short', backend='pillow'),
        dict(type='CenterCrop', crop_size=224),
        dict(
            type='BEiTMaskGenerator',
            input_size=14,
            num_masking_patches=78,
            min_num_patches=15,
        ),
        dict(type='PackInputs'),
    ]
    train_dataloader = dict(
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=True),
        collate_fn=dict(type='default_collate'),
        dataset=dict(
            type='ImageNet',
            data_prefix=dict(img_path='train'),
            pipeline=pipeline,
        ),
    )
    """, kind="config")


def test_prefetch_not_constant_gets_todo():
    result = migrate("""\
    import os
    prefetch = os.environ.get('PREFETCH') == '1'
    train_pipeline = [dict(type='RandomHorizontalFlip')]
    if not prefetch:
        train_pipeline.extend([dict(type='ToTensor')])
    data = dict(train=dict(type='SingleViewDataset', data_source=dict(type='ImageNet',
        data_prefix='train'), pipeline=train_pipeline, prefetch=prefetch))
    """, DATA, "config")
    assert "# TODO(mmcodemod): MMC601 this branch depends on a value known only at run time" in result
    assert "if not prefetch:" in result


def test_unsupported_dataset_gets_todo():
    source = """\
    data = dict(
        samples_per_gpu=16,
        train=dict(
            type='RotationPredDataset',
            data_source=dict(type='ImageNet', data_prefix='data/imagenet/train'),
            pipeline=[]))
    """
    result = migrate(source, DATA, "config")
    assert "# TODO(mmcodemod): MMC601 MMPretrain 1.2 has no RotationPred" in result
    assert "type='RotationPredDataset'" in result


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_partial_override_of_a_base(tmp_path):
    # the ImageNet 1% benchmark: a child changes the batch size and the annotation file
    _write(tmp_path, "_base_/datasets/imagenet.py", """\
    data_source = 'ImageNet'
    dataset_type = 'SingleViewDataset'
    train_pipeline = [dict(type='RandomHorizontalFlip')]
    data = dict(
        samples_per_gpu=32,
        workers_per_gpu=4,
        train=dict(
            type=dataset_type,
            data_source=dict(
                type=data_source,
                data_prefix='data/imagenet/train',
                ann_file='data/imagenet/meta/train.txt'),
            pipeline=train_pipeline))
    """)
    child = _write(tmp_path, "child.py", "")
    check_transformed(DATA, """\
    _base_ = ['_base_/datasets/imagenet.py']
    data = dict(
        samples_per_gpu=64,
        train=dict(data_source=dict(ann_file='data/imagenet/meta/train_1percent.txt')))
    """, """\
    _base_ = ['_base_/datasets/imagenet.py']
    train_dataloader = dict(
        batch_size=64,
        dataset=dict(ann_file='meta/train_1percent.txt'),
    )
    """, kind="config", path=child)


def test_base_reference_to_data(tmp_path):
    # SwAV: the hook reads the batch size from the base's `data`, which becomes train_dataloader;
    # `num_views` equal to the base's value needs no override any more.
    _write(tmp_path, "base.py", MOCO_DATA + "num_crops = [2]\n")
    child = _write(tmp_path, "child.py", "")
    check_transformed(DATA, """\
    _base_ = 'base.py'
    custom_hooks = [dict(type='SwAVHook', batch_size={{_base_.data.samples_per_gpu}})]
    data = dict(train=dict(num_views={{_base_.num_crops}}))
    """, """\
    _base_ = 'base.py'
    custom_hooks = [dict(type='SwAVHook', batch_size={{_base_.train_dataloader.batch_size}})]
    """, kind="config", path=child)


# MMSelfSup 0.x train_model: persistent_workers=cfg.persistent_workers for every loader, which
# `data` overrides (mmselfsup 0.11 apis/train.py); a False must survive (num_workers=0 needs it)
SMALL_DATA = """\
data = dict(
    samples_per_gpu=32,
    workers_per_gpu=0,
    train=dict(
        type='SingleViewDataset',
        data_source=dict(type='ImageNet', data_prefix='data/imagenet/train'),
        pipeline=[]))
"""


def test_top_level_persistent_workers_false_reaches_the_loader():
    check_transformed(DATA, "persistent_workers = False\n" + SMALL_DATA, """\
    persistent_workers = False
    train_dataloader = dict(
        batch_size=32,
        num_workers=0,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=True),
        collate_fn=dict(type='default_collate'),
        dataset=dict(type='ImageNet', data_prefix=dict(img_path='data/imagenet/train'), pipeline=[]))
    """)


def test_data_persistent_workers_wins_over_the_top_level_one():
    source = "persistent_workers = False\n" + SMALL_DATA.replace("workers_per_gpu=0,",
                                                                 "workers_per_gpu=0,\n    persistent_workers=True,")
    assert "persistent_workers=True" in migrate(source, DATA, "config")


def test_a_child_setting_only_persistent_workers_overrides_the_loaders(tmp_path):
    _write(tmp_path, "_base_/data.py", SMALL_DATA)
    child = _write(tmp_path, "child.py", "")
    check_transformed(DATA, """\
    _base_ = ['_base_/data.py']
    persistent_workers = False
    """, """\
    _base_ = ['_base_/data.py']
    persistent_workers = False
    train_dataloader = dict(persistent_workers=False)
    """, path=child)


def test_a_false_from_a_runtime_base_beside_the_data_base_goes_to_the_child(tmp_path):
    # neither base sees both: the data base's loaders get True, so the child says False
    _write(tmp_path, "_base_/data.py", SMALL_DATA)
    _write(tmp_path, "_base_/runtime.py", "persistent_workers = False\n")
    child = _write(tmp_path, "child.py", "")
    check_transformed(DATA, """\
    _base_ = ['_base_/data.py', '_base_/runtime.py']
    """, """\
    _base_ = ['_base_/data.py', '_base_/runtime.py']
    train_dataloader = dict(persistent_workers=False)
    """, path=child)


@pytest.mark.parametrize("child_text", [
    "_base_ = ['_base_/data.py']\npersistent_workers = True\n",  # what the loaders have anyway
    "_base_ = ['_base_/mid.py']\n",  # the base that sees both already wrote it
    "_base_ = ['_base_/mid.py']\ntrain_dataloader = dict(num_workers=0)\n",  # 1.x form: left alone
])
def test_persistent_workers_the_loaders_already_have_needs_nothing(tmp_path, child_text):
    _write(tmp_path, "_base_/data.py", SMALL_DATA)
    _write(tmp_path, "_base_/mid.py", "_base_ = ['data.py']\npersistent_workers = False\n")
    child = _write(tmp_path, "child.py", "")
    assert migrate(child_text, DATA, "config", child) == child_text


# ---------------------------------------------------------------- model


def test_mae_head_loss():
    # guide: heads get `loss`; 1.2 _base_/models/mae_vit-base-p16.py
    check_transformed(MODEL, """\
    model = dict(
        type='MAE',
        backbone=dict(type='MAEViT', arch='b', patch_size=16, mask_ratio=0.75),
        head=dict(type='MAEPretrainHead', norm_pix=True, patch_size=16))
    """, """\
    model = dict(
        type='MAE',
        backbone=dict(type='MAEViT', arch='b', patch_size=16, mask_ratio=0.75),
        head=dict(
            type='MAEPretrainHead',
            norm_pix=True,
            patch_size=16,
            loss=dict(type='PixelReconstructionLoss', criterion='L2'),
        ),
    )
    """, kind="config")


def test_moco_momentum_out_indices_loss():
    # 1.2 mocov2 config: momentum=0.001 (1 - 0.999), ResNet out_indices counted from stage 0 and
    # zero_init_residual=False (MMSelfSup's default, not MMPretrain's),
    # ContrastiveHead(loss=CrossEntropyLoss)
    check_transformed(MODEL, """\
    model = dict(
        type='MoCo',
        queue_len=65536,
        momentum=0.999,
        backbone=dict(type='ResNet', depth=50, out_indices=[4]),
        neck=dict(type='LinearNeck', in_channels=2048, out_channels=128, with_avg_pool=True),
        head=dict(type='ContrastiveHead', temperature=0.2))
    """, """\
    model = dict(
        type='MoCo',
        queue_len=65536,
        momentum=0.001,
        backbone=dict(type='ResNet', depth=50, out_indices=[3], zero_init_residual=False),
        neck=dict(
            type='LinearNeck',
            in_channels=2048,
            out_channels=128,
            gap_dim=2,
            norm_cfg=None,
        ),
        head=dict(
            type='ContrastiveHead',
            temperature=0.2,
            loss=dict(type='CrossEntropyLoss'),
        ),
    )
    """, kind="config")


def test_mocov3_and_swav_heads():
    # 1.2 mocov3: MoCoV3ViT, base_momentum 0.01, loss_weight=2 * temperature;
    # 1.2 swav: SwAVHead(loss=dict(type='SwAVLoss', feat_dim, epsilon, temperature, num_crops))
    check_transformed(MODEL, """\
    model = dict(
        type='MoCoV3',
        base_momentum=0.99,
        backbone=dict(type='VisionTransformer', arch='mocov3-small'),
        neck=dict(type='NonLinearNeck', in_channels=384, hid_channels=4096,
                  out_channels=256, vit_backbone=True),
        head=dict(type='MoCoV3Head', predictor=dict(type='NonLinearNeck'), temperature=0.2))
    """, """\
    model = dict(
        type='MoCoV3',
        base_momentum=0.01,
        backbone=dict(type='MoCoV3ViT', arch='mocov3-small'),
        neck=dict(
            type='NonLinearNeck',
            in_channels=384,
            hid_channels=4096,
            out_channels=256,
        ),
        head=dict(
            type='MoCoV3Head',
            predictor=dict(type='NonLinearNeck'),
            temperature=0.2,
            loss=dict(type='CrossEntropyLoss', loss_weight=0.4),
        ),
    )
    """, kind="config")
    check_transformed(MODEL, """\
    model = dict(
        type='SwAV',
        head=dict(type='SwAVHead', feat_dim=128, epsilon=0.05, num_crops=[2, 6]))
    """, """\
    model = dict(
        type='SwAV',
        head=dict(
            type='SwAVHead',
            loss=dict(
                type='SwAVLoss',
                feat_dim=128,
                epsilon=0.05,
                num_crops=[2, 6],
            ),
        ),
    )
    """, kind="config")


def test_cae_model():
    # 1.2 cae config: CAEPretrainViT(layer_scale_init_value, bias='qv_bias'), CAENeck without
    # patch_size, CAEHead(loss=CAELoss(lambd)), DALL-E target generator, TwoNormDataPreprocessor
    check_transformed(MODEL, """\
    model = dict(
        type='CAE',
        backbone=dict(type='CAEViT', arch='b', init_values=0.1, qkv_bias=False),
        neck=dict(type='CAENeck', patch_size=16, init_values=0.1),
        head=dict(type='CAEHead', tokenizer_path='cae_ckpt/dalle_encoder.pth', lambd=2),
        base_momentum=0.0)
    """, """\
    model = dict(
        type='CAE',
        backbone=dict(
            type='CAEPretrainViT',
            arch='b',
            layer_scale_init_value=0.1,
            bias='qv_bias',
        ),
        neck=dict(type='CAENeck', layer_scale_init_value=0.1),
        head=dict(type='CAEHead', loss=dict(type='CAELoss', lambd=2)),
        base_momentum=0.0,
        target_generator=dict(
            type='DALL-E',
            init_cfg=dict(
                type='Pretrained',
                checkpoint='cae_ckpt/dalle_encoder.pth',
            ),
        ),
        data_preprocessor=dict(
            type='TwoNormDataPreprocessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            second_mean=[-31.875, -31.875, -31.875],
            second_std=[318.75, 318.75, 318.75],
            to_rgb=True,
        ),
    )
    """, kind="config")


def test_unsupported_algorithm_todo():
    source = """\
    model = dict(type='NPID', neg_num=65536, head=dict(type='ContrastiveHead', temperature=0.07))
    """
    result = migrate(source, MODEL, "config")
    assert result.startswith("# TODO(mmcodemod): MMC602 MMPretrain 1.2 has no NPID algorithm")
    assert result.endswith(textwrap.dedent(source))


def test_model_partial_override(tmp_path):
    # a child's head override is written inside the head's new loss
    _write(tmp_path, "base.py", """\
    model = dict(type='SwAV', head=dict(type='SwAVHead', feat_dim=128, num_crops=[2, 6]))
    """)
    child = _write(tmp_path, "child.py", "")
    check_transformed(MODEL, """\
    _base_ = 'base.py'
    model = dict(head=dict(num_crops=[2, 4]))
    """, """\
    _base_ = 'base.py'
    model = dict(head=dict(loss=dict(num_crops=[2, 4])))
    """, kind="config", path=child)


# ---------------------------------------------------------------- hooks


def test_byol_hook_removed():
    check_transformed(HOOKS, """\
    update_interval = 1
    custom_hooks = [
        dict(type='BYOLHook', end_momentum=1., update_interval=update_interval),
        dict(type='SimSiamHook', fix_pred_lr=True, lr=0.05),
    ]
    """, """\
    update_interval = 1
    custom_hooks = [
        dict(type='SimSiamHook', fix_pred_lr=True, lr=0.05),
    ]
    """, kind="config")


def test_byol_hook_with_other_momentum_removed_with_todo():
    # 1.2 has no BYOLHook: the config would not build with it; what it did differently is a TODO
    result = migrate("custom_hooks = [dict(type='BYOLHook', end_momentum=0.99)]\n", HOOKS, "config")
    assert result.startswith("# TODO(mmcodemod): MMC603 BYOLHook(end_momentum=0.99, update_interval=1) "
                             "was removed")
    assert result.endswith("custom_hooks = []\n")


def test_extract_split_is_test_dataloader():
    # benchmarks/classification/tsne_imagenet.py: 1.2's feature tools read test_dataloader
    check_transformed(DATA, """\
    data = dict(
        samples_per_gpu=8,
        extract=dict(
            type='SingleViewDataset',
            data_source=dict(type='ImageNet', data_prefix='data/imagenet/val'),
            pipeline=[dict(type='Resize', size=(224, 224))]))
    """, """\
    test_dataloader = dict(
        batch_size=8,
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='ImageNet',
            data_prefix=dict(img_path='data/imagenet/val'),
            pipeline=[
                dict(type='LoadImageFromFile'),
                dict(type='Resize', scale=(224, 224), backend='pillow'),
                dict(type='PackInputs'),
            ],
        ),
    )
    """, kind="config")


def test_old_model_cfgs_noop():
    # 1.x loop settings
    check_noop("MMC604", """\
    train_cfg = dict(by_epoch=True, max_epochs=100)
    val_cfg = dict()
    test_cfg = dict()
    """, kind="config")
    # 1.x loop settings in a file where a 0.x key is still left (a second run over a partly
    # migrated tree)
    check_noop("MMC604", """\
    train_cfg = dict(by_epoch=False, max_iters=20000)
    val_cfg = dict()
    test_cfg = dict()
    evaluation = dict(interval=2000, metric='mIoU')
    """, kind="config")


def test_old_model_cfgs_removed():
    check_transformed("MMC604", """\
    train_cfg = {}
    test_cfg = {}
    optimizer_config = dict()
    """, """\
    optimizer_config = dict()
    """, kind="config")


def test_classification_linear_eval():
    # MMPretrain 1.2 mocov3/benchmarks/resnet50_8xb128-linear-coslr-90e_in1k.py shape:
    # ImageClassifier, ResNet out_indices (3,), GlobalAveragePooling, LinearClsHead
    check_transformed(MODEL, """\
    model = dict(
        type='Classification',
        backbone=dict(type='ResNet', depth=50, out_indices=[4]),
        head=dict(type='ClsHead', with_avg_pool=True, in_channels=2048, num_classes=1000))
    """, """\
    model = dict(
        type='ImageClassifier',
        backbone=dict(type='ResNet', depth=50, out_indices=[3], zero_init_residual=False),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=1000,
            in_channels=2048,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        ),
    )
    """, kind="config")


def test_mae_finetune():
    # MMPretrain 1.2 mae/benchmarks/vit-base-p16_8xb128-coslr-100e_in1k.py: VisionTransformer
    # out_type='avg_featmap', final_norm=False; LinearClsHead with LabelSmoothLoss, TruncNormal 2e-5
    check_transformed(MODEL, """\
    model = dict(
        type='Classification',
        backbone=dict(type='MIMVisionTransformer', arch='b', final_norm=False),
        head=dict(type='MAEFinetuneHead', num_classes=1000, embed_dim=768, label_smooth_val=0.1))
    """, """\
    model = dict(
        type='ImageClassifier',
        backbone=dict(
            type='VisionTransformer',
            arch='b',
            final_norm=False,
            out_type='avg_featmap',
        ),
        head=dict(
            type='LinearClsHead',
            num_classes=1000,
            in_channels=768,
            loss=dict(
                type='LabelSmoothLoss',
                label_smooth_val=0.1,
                mode='original',
            ),
            init_cfg=[dict(type='TruncNormal', layer='Linear', std=2e-05)],
        ),
    )
    """, kind="config")


def test_lighting_on_bgr_0_255():
    # MMSelfSup's Lighting used ImageNet's PCA on [0, 1] RGB tensors; 1.2's resnest configs give
    # the same PCA for 0-255 BGR images
    result = migrate("""\
    pipeline = [dict(type='RandomHorizontalFlip'), dict(type='ToTensor'), dict(type='Lighting')]
    data = dict(train=dict(type='SingleViewDataset', data_source=dict(type='ImageNet',
        data_prefix='train'), pipeline=pipeline))
    """, DATA, "config")
    assert ("eigval=[55.4625, 4.794, 1.1475],\n        eigvec=[\n            [-0.5836, -0.6948, 0.4203],"
            in result)
    assert "alphastd=0.1,\n        to_rgb=False," in result


def test_preprocessor_type_from_the_model(tmp_path):
    # a self-supervised model in a base: SelfSupDataPreprocessor, as 1.2's dataset configs write
    _write(tmp_path, "model.py", "model = dict(type='MoCo', queue_len=65536)\n")
    child = _write(tmp_path, "child.py", "")
    result = migrate("_base_ = 'model.py'\n" + MOCO_DATA, DATA, "config", path=child)
    tree = ast.parse(result)
    assert ast.unparse(tree.body[1]) == ("data_preprocessor = dict(type='SelfSupDataPreprocessor', "
                                         "mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], "
                                         "to_rgb=True)")


@pytest.mark.parametrize("rule_id", ["MMC601", "MMC602", "MMC603", "MMC604", "MMC605", "MMC606",
                                     "MMC607"])
def test_explain_examples_hold(rule_id, tmp_path):
    # `mmcodemod explain` shows these: they must be what the rule does (MMC607 works on what the
    # schedule rule MMC401 wrote, with the 0.x file on disk)
    from codemods.config import load
    from codemods.rules import get_rule
    rule = get_rule(rule_id)
    path = _write(tmp_path, "example.py", rule.before)
    load(path)
    rules = ["MMC401", rule_id] if rule_id == "MMC607" else rule_id
    result = migrate(rule.before, rules, "config", path=path)
    assert ast.dump(ast.parse(result)) == ast.dump(ast.parse(rule.after)), result


def test_validation_set_gets_accuracy(tmp_path):
    # MMSelfSup's benchmark datasets: `evaluation = dict(interval=10, topk=(1, 5))` made the
    # dataset compute top-k accuracy; the evaluation rule (MMC503) has removed it by now
    path = _write(tmp_path, "imagenet.py", """\
    data = dict(val=dict(type='SingleViewDataset', data_source=dict(type='ImageNet',
        data_prefix='val'), pipeline=[]))
    evaluation = dict(interval=10, topk=(1, ))
    """)
    load(path)
    check_transformed(DATA, """\
    data = dict(val=dict(type='SingleViewDataset', data_source=dict(type='ImageNet',
        data_prefix='val'), pipeline=[]))
    """, """\
    val_dataloader = dict(
        persistent_workers=True,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='ImageNet', data_prefix=dict(img_path='val'), pipeline=[]))
    val_evaluator = dict(type='Accuracy', topk=(1, ))
    test_evaluator = val_evaluator
    """, path=path)


def test_preprocessor_num_classes_for_batch_augments(tmp_path):
    # MMSelfSup's fine-tuning benchmarks: Mixup/CutMix in 1.2 need num_classes in the data
    # preprocessor (1.2's mae benchmark writes num_classes=1000 there)
    _write(tmp_path, "model.py", """\
    model = dict(type='Classification', head=dict(type='MAEFinetuneHead', num_classes=1000),
                 train_cfg=dict(augments=[dict(type='BatchMixup', alpha=0.8, num_classes=1000)]))
    """)
    child = _write(tmp_path, "child.py", "")
    result = migrate("_base_ = 'model.py'\n" + MOCO_DATA, DATA, "config", path=child)
    assert ast.unparse(ast.parse(result).body[1]) == (
        "data_preprocessor = dict(num_classes=1000, mean=[123.675, 116.28, 103.53], "
        "std=[58.395, 57.12, 57.375], to_rgb=True)")


@pytest.mark.parametrize("head,project", [("roi_head", "MMDetection"), ("decode_head", "MMSegmentation")])
def test_a_benchmark_config_of_another_project_is_pointed_to_its_guide(tmp_path, head, project):
    # MMSelfSup's detection/segmentation benchmarks are MMDetection/MMSegmentation configs
    _write(tmp_path, "_base_/models/net.py", f"""\
    model = dict(type='Net', backbone=dict(type='ResNet', depth=50), {head}=dict(type='Head'))
    """)
    before = "_base_ = ['../_base_/models/net.py']\nmodel = dict(backbone=dict(frozen_stages=-1))\n"
    _write(tmp_path, "coco/leaf.py", before)
    result = migrate(before, MODEL, "config", path=tmp_path / "coco" / "leaf.py")
    assert result == (f"_base_ = ['../_base_/models/net.py']\n# TODO(mmcodemod): MMC602 this is a config for "
                      f"{project} (MMSelfSup's benchmarks run it with {project}): mmcodemod applied "
                      "MMPretrain's rules to its data, pipelines and evaluation too; check it against "
                      f"{project}'s own migration guide\nmodel = dict(backbone=dict(frozen_stages=-1))\n")
    assert migrate(result, MODEL, "config", path=tmp_path / "coco" / "leaf.py") == result


def test_a_dataset_of_another_kind_and_its_own_arguments_get_todos():
    # an OpenSelfSup-style dataset that runs two pipelines: 1.2 gets the data_source's dataset,
    # and what it cannot carry over is named, not dropped silently
    result = migrate("""\
        pipeline_a = [dict(type='RandomHorizontalFlip')]
        pipeline_b = [dict(type='RandomHorizontalFlip')]
        data = dict(
            samples_per_gpu=32,
            workers_per_gpu=4,
            train=dict(
                type='PairViewDataset',
                data_source=dict(type='ImageNet', data_prefix='data/in/train', ann_file='data/in/train.txt'),
                pipeline1=pipeline_a,
                pipeline2=pipeline_b))
        """, "MMC601", "config")
    assert "MMC601 data.train type 'PairViewDataset' is not an MMSelfSup 0.x dataset" in result
    assert "MMC601 data.train.pipeline1 has no 1.2 dataset argument" in result
    assert "MMC601 data.train.pipeline2 has no 1.2 dataset argument" in result
    assert "train_dataloader = dict(" in result and verify(result, "<test>") is None


def test_the_usual_datasets_get_no_dataset_todo():
    result = migrate("""\
        data = dict(
            samples_per_gpu=32,
            train=dict(
                type='MultiViewDataset',
                data_source=dict(type='ImageNet', data_prefix='data/in/train', ann_file='data/in/train.txt'),
                num_views=[2],
                pipelines=[[dict(type='RandomHorizontalFlip')]],
                prefetch=False))
        """, "MMC601", "config")
    assert "train_dataloader = dict(" in result and "is not an MMSelfSup" not in result
    assert "has no 1.2 dataset argument" not in result


@pytest.mark.parametrize("source", [
    # the data_source comes through a variable, a spread, or a base reference
    "train_set = dict(type='MultiViewDataset', data_source=dict(type='ImageNet', data_prefix='d'),"
    " num_views=[2], pipelines=[[]])\ndata = dict(samples_per_gpu=8, train=train_set)\n",
    "common = dict(data_source=dict(type='ImageNet', data_prefix='d'))\n"
    "data = dict(samples_per_gpu=8, train=dict(type='SingleViewDataset', pipeline=[], **common))\n",
])
def test_a_data_source_behind_a_name_is_still_found(source):
    from codemods.rules.selfsup import uses_data_source
    import libcst as cst

    assert uses_data_source(cst.parse_module(source), None)
    assert not uses_data_source(cst.parse_module(source.replace("data_source", "other_key")), None)


def test_drop_last_stays_with_the_training_loader():
    # MMSelfSup 0.x validation loaders always kept the last batch (drop_last=False)
    result = migrate("""\
        data = dict(
            samples_per_gpu=32,
            drop_last=True,
            train=dict(type='SingleViewDataset', data_source=dict(type='ImageNet', data_prefix='d/train'),
                       pipeline=[]),
            val=dict(type='SingleViewDataset', data_source=dict(type='ImageNet', data_prefix='d/val'),
                     pipeline=[]))
        """, "MMC601", "config")
    train = result[result.index("train_dataloader"):result.index("val_dataloader")]
    val = result[result.index("val_dataloader"):]
    assert "drop_last=True" in train and "drop_last" not in val
