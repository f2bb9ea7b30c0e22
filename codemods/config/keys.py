"""The one mapping of 0.x config key paths to 1.x key paths (config rules and script rules share it).

`KEY_MAP` maps a dotted 0.x path to the 1.x path(s) that hold the same value. A path not listed
maps through its longest listed prefix (`optimizer.lr` -> `optim_wrapper.optimizer.lr`).
`TODO_KEYS` are 0.x keys with no 1.x path: the message says what to write instead.
`EXTRA_SETS` are assignments (dotted 1.x path, value) that must come with a mapped one
(`resume_from` also sets `resume`; an fp16 loss scale needs the AMP optim wrapper).
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

KEY_MAP: Dict[str, Tuple[str, ...]] = {
    # schedule
    "optimizer": ("optim_wrapper.optimizer",),
    "optimizer.paramwise_cfg": ("optim_wrapper.paramwise_cfg",),
    "optimizer_config.grad_clip": ("optim_wrapper.clip_grad",),
    "optimizer_config.cumulative_iters": ("optim_wrapper.accumulative_counts",),
    "optimizer_config.loss_scale": ("optim_wrapper.loss_scale",),
    "fp16.loss_scale": ("optim_wrapper.loss_scale",),
    "runner.max_epochs": ("train_cfg.max_epochs",),
    "runner.max_iters": ("train_cfg.max_iters",),
    "evaluation.interval": ("train_cfg.val_interval",),
    # runtime
    "evaluation.save_best": ("default_hooks.checkpoint.save_best",),
    "evaluation.rule": ("default_hooks.checkpoint.rule",),
    "checkpoint_config": ("default_hooks.checkpoint",),
    "log_config.interval": ("default_hooks.logger.interval",),
    "dist_params": ("env_cfg.dist_cfg",),
    "mp_start_method": ("env_cfg.mp_cfg.mp_start_method",),
    "opencv_num_threads": ("env_cfg.mp_cfg.opencv_num_threads",),
    "cudnn_benchmark": ("env_cfg.cudnn_benchmark",),
    "resume_from": ("load_from",),
    # data (the data rules write these keys)
    "data.samples_per_gpu": ("train_dataloader.batch_size", "val_dataloader.batch_size",
                             "test_dataloader.batch_size"),
    "data.imgs_per_gpu": ("train_dataloader.batch_size", "val_dataloader.batch_size",
                          "test_dataloader.batch_size"),
    "data.workers_per_gpu": ("train_dataloader.num_workers", "val_dataloader.num_workers",
                             "test_dataloader.num_workers"),
    # 0.x passed the other `data` keys to every DataLoader (as the data rules do)
    "data.persistent_workers": ("train_dataloader.persistent_workers", "val_dataloader.persistent_workers",
                                "test_dataloader.persistent_workers"),
    "data.pin_memory": ("train_dataloader.pin_memory", "val_dataloader.pin_memory",
                        "test_dataloader.pin_memory"),
    "data.train": ("train_dataloader.dataset",),
    "data.val": ("val_dataloader.dataset",),
    "data.test": ("test_dataloader.dataset",),
    "data.train_dataloader": ("train_dataloader",),
    "data.val_dataloader": ("val_dataloader",),
    "data.test_dataloader": ("test_dataloader",),
    "data.val.samples_per_gpu": ("val_dataloader.batch_size",),
    "data.test.samples_per_gpu": ("test_dataloader.batch_size",),
    "data.val.workers_per_gpu": ("val_dataloader.num_workers",),
    "data.test.workers_per_gpu": ("test_dataloader.num_workers",),
    "data.train_dataloader.samples_per_gpu": ("train_dataloader.batch_size",),
    "data.val_dataloader.samples_per_gpu": ("val_dataloader.batch_size",),
    "data.test_dataloader.samples_per_gpu": ("test_dataloader.batch_size",),
    "data.train_dataloader.workers_per_gpu": ("train_dataloader.num_workers",),
    "data.val_dataloader.workers_per_gpu": ("val_dataloader.num_workers",),
    "data.test_dataloader.workers_per_gpu": ("test_dataloader.num_workers",),
    "evaluation.metric_options.topk": ("val_evaluator.topk",),
}

EXTRA_SETS: Dict[str, Tuple[Tuple[str, object], ...]] = {
    "resume_from": (("resume", True),),
    "fp16.loss_scale": (("optim_wrapper.type", "AmpOptimWrapper"),),
    "optimizer_config.loss_scale": (("optim_wrapper.type", "AmpOptimWrapper"),),
}

TODO_KEYS: Dict[str, str] = {
    "lr_config": "the LR schedule is now a list `param_scheduler = [...]` of schedulers "
                 "(e.g. dict(type='MultiStepLR', milestones=[...])); set its fields there",
    "momentum_config": "momentum schedules are entries of `param_scheduler` now",
    "runner.type": "the loop type comes from `train_cfg` (by_epoch=True/False)",
    "workflow": "`workflow` was removed; validation runs every `train_cfg.val_interval`",
    "gpu_ids": "`gpu_ids` was removed; choose GPUs with CUDA_VISIBLE_DEVICES and the launcher",
    "device": "`device` was removed; MMEngine picks the device itself",
    # MMSelfSup 0.x datasets
    "data.train.data_source": "data sources were removed: the dataset takes data_root, ann_file and "
                              "data_prefix itself (train_dataloader.dataset)",
    "data.val.data_source": "data sources were removed: the dataset takes data_root, ann_file and "
                            "data_prefix itself (val_dataloader.dataset)",
    "data.train.pipelines": "several views are one `pipeline` with dict(type='MultiView', "
                            "num_views=[...], transforms=[[...], [...]]) now",
    "auto_resume": "`auto_resume` was removed: resume=True with load_from=None resumes from the "
                   "latest checkpoint in work_dir",
    "log_config.hooks": "logger backends are `visualizer.vis_backends` now",
    "optimizer_config.type": "the optimizer hook is now `optim_wrapper.type` "
                             "('OptimWrapper' or 'AmpOptimWrapper')",
}


def map_key(path: str) -> Optional[Tuple[str, ...]]:
    """1.x path(s) for a dotted 0.x path, through its longest mapped prefix; None if unmapped."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in KEY_MAP:
            rest = parts[cut:]
            return tuple(".".join([new, *rest]) for new in KEY_MAP[head])
    return None


def todo_for(path: str) -> Optional[str]:
    """The TODO message for a 0.x path with no 1.x equivalent (by longest prefix), else None."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in TODO_KEYS:
            return TODO_KEYS[head]
    return None
