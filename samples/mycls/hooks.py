"""A training hook in mmcv 1.x style: logs how far training has come."""
from mmcv.runner import HOOKS, Hook


@HOOKS.register_module()
class ProgressHook(Hook):
    """Every `interval` iterations (and at the last one), log `iteration/total`."""

    def __init__(self, interval=50):
        self.interval = interval

    def after_train_iter(self, runner):
        if self.every_n_iters(runner, self.interval) or self.is_last_iter(runner):
            runner.logger.info(
                f'progress: {runner.iter + 1}/{runner._max_iters} iterations')
