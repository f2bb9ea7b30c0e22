_base_ = './resnet50_4xb64_leaves-ft.py'

# Mixup and CutMix on the batch; the head needs a loss that takes soft labels
model = dict(
    head=dict(
        type='CosineClsHead',
        scale=16.0,
        loss=dict(
            type='LabelSmoothLoss', label_smooth_val=0.1, mode='original')),
    train_cfg=dict(augments=[
        dict(type='BatchMixup', alpha=0.8, num_classes=10, prob=0.5),
        dict(type='BatchCutMix', alpha=1.0, num_classes=10, prob=0.5)
    ]))

img_norm_cfg = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', size=224, backend='pillow'),
    dict(type='RandomFlip', flip_prob=0.5, direction='horizontal'),
    dict(type='RandomLeafMask', prob=0.3, max_ratio=0.25),
    dict(type='Normalize', **img_norm_cfg),
    dict(type='ImageToTensor', keys=['img']),
    dict(type='ToTensor', keys=['gt_label']),
    dict(type='Collect', keys=['img', 'gt_label'])
]
data = dict(train=dict(pipeline=train_pipeline))

# mixed precision and gradient clipping
fp16 = dict(loss_scale='dynamic')
optimizer_config = dict(grad_clip=dict(max_norm=5.0, norm_type=2))
runner = dict(max_epochs=80)
