_base_ = './resnet50_4xb64_leaves-ft.py'

# Mixup and CutMix on the batch; the head needs a loss that takes soft labels
model = dict(
    head=dict(
        type='CosineClsHead',
        scale=16.0,
        loss=dict(
            type='LabelSmoothLoss', label_smooth_val=0.1, mode='original')),
    train_cfg=dict(augments=[
        dict(type='Mixup', alpha=0.8),
        dict(type='CutMix', alpha=1.0)
    ]))

data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True, num_classes=10)
# TODO(mmcodemod): MMC502 transform 'RandomLeafMask' is not in MMPretrain 1.2 / MMCV 2.x under this name; port it (a 1.x BaseTransform registered in mmpretrain's TRANSFORMS, if it is your own) or replace it
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomLeafMask', prob=0.3, max_ratio=0.25),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

# mixed precision and gradient clipping
optim_wrapper = dict(
    type='AmpOptimWrapper',
    loss_scale='dynamic',
    clip_grad=dict(max_norm=5.0, norm_type=2),
)
train_cfg = dict(max_epochs=80)
