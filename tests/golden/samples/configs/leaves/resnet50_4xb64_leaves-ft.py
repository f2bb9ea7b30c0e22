_base_ = [
    '../_base_/models/resnet50_leaves.py', '../_base_/datasets/leaves_bs32.py',
    '../_base_/schedules/leaves_bs256_coslr_warmup.py',
    '../_base_/default_runtime.py'
]

custom_imports = dict(imports=['mycls'], allow_failed_imports=False)

# fine-tuning: smaller lr, shorter schedule, bigger batches (4 GPUs x 64)
optim_wrapper = dict(optimizer=dict(lr=0.01))
train_cfg = dict(max_epochs=50, val_interval=2)
train_dataloader = dict(batch_size=64)
val_dataloader = dict(batch_size=64)
test_dataloader = val_dataloader
custom_hooks = [dict(type='ProgressHook', interval=10)]
default_hooks = dict(checkpoint=dict(save_best='auto'))
