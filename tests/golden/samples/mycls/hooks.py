"""A training hook in mmcv 1.x style: logs how far training has come."""
from mmengine.registry import HOOKS
from mmengine.hooks import Hook


@HOOKS.register_module()
class ProgressHook(Hook):
    """Every `interval` iterations (and at the last one), log `iteration/total`."""

    def __init__(self, interval=50):
        self.interval = interval

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if self.every_n_train_iters(runner, self.interval) or self.is_last_train_iter(runner):
            runner.logger.info(
                f'progress: {runner.iter + 1}/{runner.max_iters} iterations')
