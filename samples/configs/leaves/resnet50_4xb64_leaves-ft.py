_base_ = [
    '../_base_/models/resnet50_leaves.py', '../_base_/datasets/leaves_bs32.py',
    '../_base_/schedules/leaves_bs256_coslr_warmup.py',
    '../_base_/default_runtime.py'
]

custom_imports = dict(imports=['mycls'], allow_failed_imports=False)

# fine-tuning: smaller lr, shorter schedule, bigger batches (4 GPUs x 64)
optimizer = dict(lr=0.01)
runner = dict(max_epochs=50)
data = dict(samples_per_gpu=64)
evaluation = dict(interval=2, save_best='auto')
custom_hooks = [dict(type='ProgressHook', interval=10)]
