# optimizer
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0005),
)
# learning policy
param_scheduler = dict(
    type='MultiStepLR', milestones=[60, 120, 160], gamma=0.2, by_epoch=True)
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=1)
val_cfg = dict()
test_cfg = dict()
