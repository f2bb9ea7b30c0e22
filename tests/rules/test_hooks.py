"""MMC304: custom mmcv hooks. Expected signatures and names are MMEngine 0.10's hooks/hook.py;
the old ones mmcv 1.7's runner/hooks/hook.py."""
import pytest

from codemods.rules.hooks import (GENERIC, GENERIC_METHODS, HELPER_TODOS, READ_ONLY,
                                  REWRITTEN_TODO, RUNNER_TODOS, dropped_todo)
from tests.util import check_noop, check_transformed, migrate

RULE = "MMC304"


def todo(message, indent="    "):
    return f"{indent}# TODO(mmcodemod): MMC304 {message}\n"


# ---------------------------------------------------------------- no-op


@pytest.mark.parametrize("source", [
    # not mmcv's Hook
    """\
    import mmcv
    from mmengine.hooks import Hook

    class H(Hook):
        def after_train_iter(self, runner):
            pass
    """,
    # a class with hook-like methods that is no hook
    """\
    from mmcv.runner import load_checkpoint

    class Tracker:
        def after_train_iter(self, runner):
            return self.every_n_iters(runner, 2)
    """,
    # already MMEngine's signature, and a method that takes more than the runner
    """\
    from mmcv.runner import Hook

    class H(Hook):
        def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
            pass

        def before_val_iter(self, runner, *args, **kwargs):
            pass

        def before_run(self, runner):
            runner.logger.info(runner.max_iters)
    """,
])
def test_noop(source):
    check_noop(RULE, source)


# ---------------------------------------------------------------- rewrites


def test_iteration_methods_get_mmengine_parameters_and_helpers_their_new_names():
    check_transformed(RULE, """\
    from mmcv.runner import HOOKS, Hook


    @HOOKS.register_module()
    class EveryN(Hook):
        def before_train_iter(self, runner):
            pass

        def after_train_iter(self, runner):
            if self.every_n_iters(runner, 10) or self.is_last_iter(runner):
                print(runner.iter, runner._max_iters)

        def after_val_epoch(self, runner):
            if self.is_last_epoch(runner):
                print(runner._max_epochs)

        def after_test_iter(self, trainer: object):
            pass
    """, """\
    from mmcv.runner import HOOKS, Hook


    @HOOKS.register_module()
    class EveryN(Hook):
        def before_train_iter(self, runner, batch_idx, data_batch=None):
            pass

        def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
            if self.every_n_train_iters(runner, 10) or self.is_last_train_iter(runner):
                print(runner.iter, runner.max_iters)

        def after_val_epoch(self, runner, metrics=None):
            if self.is_last_train_epoch(runner):
                print(runner.max_epochs)

        def after_test_iter(self, trainer: object, batch_idx, data_batch=None, outputs=None):
            pass
    """)


def test_aliases_module_bases_and_subclasses_of_a_local_hook():
    check_transformed(RULE, """\
    import mmcv.runner as mr

    try:
        from mmcv.runner.hooks import Hook as BaseHook
    except ImportError:
        BaseHook = object


    class A(mr.Hook):
        def after_val_iter(self, runner):
            pass


    class B(BaseHook):
        pass


    class C(B):
        def before_val_iter(self, runner):
            pass
    """, """\
    import mmcv.runner as mr

    try:
        from mmcv.runner.hooks import Hook as BaseHook
    except ImportError:
        BaseHook = object


    class A(mr.Hook):
        def after_val_iter(self, runner, batch_idx, data_batch=None, outputs=None):
            pass


    class B(BaseHook):
        pass


    class C(B):
        def before_val_iter(self, runner, batch_idx, data_batch=None):
            pass
    """)


def test_a_call_of_the_parent_method_passes_the_new_arguments_on():
    # MMEngine's Hook.after_train_iter requires batch_idx: super().after_train_iter(runner) fails
    check_transformed(RULE, """\
    from mmcv.runner import Hook


    class H(Hook):
        def after_train_iter(self, runner):
            super().after_train_iter(runner)
            super(H, self).before_run(runner)

        def before_val_iter(self, runner):
            super(H, self).before_val_iter(runner)
            super().before_val_iter(runner, 0)
    """, """\
    from mmcv.runner import Hook


    class H(Hook):
        def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
            super().after_train_iter(runner, batch_idx, data_batch, outputs)
            super(H, self).before_run(runner)

        def before_val_iter(self, runner, batch_idx, data_batch=None):
            super(H, self).before_val_iter(runner, batch_idx, data_batch)
            super().before_val_iter(runner, 0)
    """)


# ---------------------------------------------------------------- TODOs


def test_what_a_person_must_port_gets_a_todo():
    before_iter = GENERIC.format(name="before_iter", train="before_train_iter", val="before_val_iter",
                                 args=GENERIC_METHODS["before_iter"][2])
    check_transformed(RULE, """\
    from mmcv.runner import Hook


    class Logs(Hook):
        def before_iter(self, runner):
            self.t = runner.inner_iter

        def after_train_iter(self, runner):
            loss = runner.outputs['loss']
            runner.log_buffer.update({'loss': loss})
            if self.end_of_epoch(runner):
                pass
    """, (
        "from mmcv.runner import Hook\n\n\n"
        "class Logs(Hook):\n"
        + todo(before_iter) + "    def before_iter(self, runner):\n"
        + todo(RUNNER_TODOS["inner_iter"], "        ") + "        self.t = runner.inner_iter\n\n"
        "    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):\n"
        + todo(RUNNER_TODOS["outputs"], "        ") + "        loss = runner.outputs['loss']\n"
        + todo(RUNNER_TODOS["log_buffer"], "        ") + "        runner.log_buffer.update({'loss': loss})\n"
        + todo(HELPER_TODOS["end_of_epoch"], "        ") + "        if self.end_of_epoch(runner):\n"
        "            pass\n"
    ))


def test_runner_members_mmengine_lacks_get_a_todo():
    # mmcv 1.7's BaseRunner has meta, current_lr() and current_momentum(); MMEngine's Runner has none
    # (the learning rate is OptimWrapper.get_lr(), a dict of lists)
    check_transformed(RULE, """\
    from mmcv.runner import Hook


    class Lr(Hook):
        def after_train_epoch(self, runner):
            runner.logger.info(runner.current_lr()[0])
            runner.meta['lr'] = runner.current_momentum()
    """, (
        "from mmcv.runner import Hook\n\n\n"
        "class Lr(Hook):\n"
        "    def after_train_epoch(self, runner):\n"
        + todo(RUNNER_TODOS["current_lr"], "        ") + "        runner.logger.info(runner.current_lr()[0])\n"
        + todo(RUNNER_TODOS["meta"], "        ") + todo(RUNNER_TODOS["current_momentum"], "        ")
        + "        runner.meta['lr'] = runner.current_momentum()\n"
    ))


def test_a_subclass_of_a_hook_mmengine_dropped_gets_a_todo_naming_its_replacement():
    # mmcv 1.7's lr updaters / OptimizerHook and mmcls 0.25's EvalHook have no MMEngine hook of
    # that name: the class is left as it is (its methods are no MMEngine hook methods), and so is
    # a subclass of it, with the same TODO
    check_transformed(RULE, """\
    from mmcv.runner import HOOKS
    from mmcv.runner import OptimizerHook as Opt
    from mmcv.runner.hooks import CosineAnnealingLrUpdaterHook
    from mmcls.core import EvalHook


    @HOOKS.register_module()
    class PolyLr(CosineAnnealingLrUpdaterHook):
        def get_lr(self, runner, base_lr):
            return base_lr * (1 - runner.iter / runner.max_iters)


    class Accum(Opt):
        def after_train_iter(self, runner):
            runner.outputs['loss'].backward()


    class Deeper(Accum):
        def after_train_iter(self, runner):
            super().after_train_iter(runner)


    class MyEval(EvalHook):
        pass
    """, (
        "from mmcv.runner import HOOKS\n"
        "from mmcv.runner import OptimizerHook as Opt\n"
        "from mmcv.runner.hooks import CosineAnnealingLrUpdaterHook\n"
        "from mmcls.core import EvalHook\n\n\n"
        + todo(dropped_todo("CosineAnnealingLrUpdaterHook"), "") + "@HOOKS.register_module()\n"
        "class PolyLr(CosineAnnealingLrUpdaterHook):\n"
        "    def get_lr(self, runner, base_lr):\n"
        "        return base_lr * (1 - runner.iter / runner.max_iters)\n\n\n"
        + todo(dropped_todo("OptimizerHook"), "") + "class Accum(Opt):\n"
        "    def after_train_iter(self, runner):\n"
        "        runner.outputs['loss'].backward()\n\n\n"
        + todo(dropped_todo("OptimizerHook"), "") + "class Deeper(Accum):\n"
        "    def after_train_iter(self, runner):\n"
        "        super().after_train_iter(runner)\n\n\n"
        + todo(dropped_todo("EvalHook"), "") + "class MyEval(EvalHook):\n"
        "    pass\n"
    ))


def test_runs_before_the_import_rule_renames_the_base():
    # the whole rule set: the hook is still found (MMC3 runs before MMC1's import renames)
    out = migrate("""\
    from mmcv.runner import HOOKS, Hook

    @HOOKS.register_module()
    class H(Hook):
        def after_train_iter(self, runner):
            pass
    """, ["MMC101", RULE])
    assert "from mmengine.hooks import Hook" in out
    assert "def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):" in out


def test_a_subclass_of_a_hook_mmengine_rewrote_gets_a_todo_and_the_new_signatures():
    check_transformed(RULE, """\
    from mmcv.runner import HOOKS, LoggerHook


    @HOOKS.register_module()
    class MyLogger(LoggerHook):
        def log(self, runner):
            pass

        def after_train_iter(self, runner):
            super(MyLogger, self).after_train_iter(runner)
    """, (
        "from mmcv.runner import HOOKS, LoggerHook\n\n\n"
        + todo(REWRITTEN_TODO.format(name="LoggerHook"), "") +
        "@HOOKS.register_module()\n"
        "class MyLogger(LoggerHook):\n"
        "    def log(self, runner):\n"
        "        pass\n\n"
        "    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):\n"
        "        super(MyLogger, self).after_train_iter(runner, batch_idx, data_batch, outputs)\n"
    ))


def test_setting_the_runner_length_gets_a_todo_reading_it_the_new_name():
    # MMEngine's Runner.max_epochs / max_iters are properties without a setter
    check_transformed(RULE, """\
    from mmcv.runner import Hook


    class Longer(Hook):
        def before_run(self, runner):
            runner._max_epochs = runner._max_epochs * 2
            runner._max_iters += 10
    """, (
        "from mmcv.runner import Hook\n\n\n"
        "class Longer(Hook):\n"
        "    def before_run(self, runner):\n"
        + todo(READ_ONLY.format(name="max_epochs"), "        ")
        + "        runner._max_epochs = runner.max_epochs * 2\n"
        + todo(READ_ONLY.format(name="max_iters"), "        ")
        + "        runner._max_iters += 10\n"
    ))


def test_a_name_rebound_to_a_class_that_is_no_hook_is_no_hook_base():
    # mmaction2 0.24's eval_hooks.py defines EvalHook twice: from mmcv's, and (without mmcv) anew
    check_transformed(RULE, """\
    from mmcv.runner import Hook, OptimizerHook
    from torch.nn import Module


    class Step(OptimizerHook):
        pass


    class Step(Module):
        pass


    class Later(Step):
        def after_train_iter(self, runner):
            pass
    """, (
        "from mmcv.runner import Hook, OptimizerHook\n"
        "from torch.nn import Module\n\n\n"
        + todo(dropped_todo("OptimizerHook"), "") + "class Step(OptimizerHook):\n"
        "    pass\n\n\n"
        "class Step(Module):\n"
        "    pass\n\n\n"
        "class Later(Step):\n"
        "    def after_train_iter(self, runner):\n"
        "        pass\n"
    ))
