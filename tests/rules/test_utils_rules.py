"""MMC211-MMC215: mmcls.utils. No-op cases first, then before/after cases."""
import pytest

from tests.util import check_noop, check_transformed

UTILS_RULES = ["MMC211", "MMC212", "MMC213", "MMC214", "MMC215"]


@pytest.mark.parametrize("source", [
    # collect_env is unchanged (MMC1 renames the import)
    """\
    from mmcls.utils import collect_env
    env = collect_env()
    """,
    # other packages' functions of the same names
    """\
    from mmdet.utils import get_root_logger, setup_multi_processes
    from mmseg.utils import auto_select_device
    logger = get_root_logger(log_level='INFO')
    setup_multi_processes(cfg)
    device = auto_select_device()
    """,
    # the user's own helpers
    """\
    def wrap_distributed_model(model, device):
        return model

    model = wrap_distributed_model(model, 'cuda')

    def load_json_log(path):
        return {}

    log = load_json_log('a.json')
    """,
    # already migrated
    """\
    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    """,
])
def test_utils_noop(source):
    check_noop(UTILS_RULES, source)


LOGGER_TODO = (
    "# TODO(mmcodemod): MMC211 get_root_logger(log_file=log_file, log_level=cfg.log_level): the Runner "
    "creates the logger, writes the log file to its work_dir and takes log_level from the config; for a "
    "logger of your own use MMLogger.get_instance(name, log_file=..., log_level=...)"
)


def test_get_root_logger():
    check_transformed("MMC211", """\
    from mmcls.utils import collect_env, get_root_logger


    def main():
        logger = get_root_logger(log_file=log_file, log_level=cfg.log_level)
        logger.info(collect_env())


    def helper():
        get_root_logger().info('hello')
    """, """\
    from mmcls.utils import collect_env
    from mmengine.logging import MMLogger


    def main():
        """ + LOGGER_TODO + """
        logger = MMLogger.get_current_instance()
        logger.info(collect_env())


    def helper():
        MMLogger.get_current_instance().info('hello')
    """)


def test_get_root_logger_module_and_function_imports():
    check_transformed("MMC211", """\
    import mmcls.utils


    def log(msg):
        from mmcls.utils import get_root_logger as root
        root().info(msg)
        mmcls.utils.get_root_logger().warning(msg)
    """, """\
    import mmcls.utils
    from mmengine.logging import MMLogger


    def log(msg):
        from mmengine.logging import MMLogger
        MMLogger.get_current_instance().info(msg)
        MMLogger.get_current_instance().warning(msg)
    """)


MULTI_TODO = (
    "# TODO(mmcodemod): MMC212 set_multi_processing reads env_cfg.mp_cfg (where 1.x configs keep "
    "mp_start_method and opencv_num_threads); pass distributed=True in distributed runs to limit "
    "OMP/MKL threads. A script that uses the Runner can drop this call: the Runner does it"
)


def test_setup_multi_processes():
    check_transformed("MMC212", """\
    from mmcls.utils import get_root_logger, setup_multi_processes
    setup_multi_processes(config)
    """, """\
    from mmcls.utils import get_root_logger
    from mmengine.utils.dl_utils import set_multi_processing
    """ + MULTI_TODO + """
    set_multi_processing(**config.get('env_cfg', {}).get('mp_cfg', {}))
    """)


def test_setup_multi_processes_odd_call_gets_todo():
    check_transformed("MMC212", """\
    import mmcls.utils as U
    U.setup_multi_processes(*cfgs)
    """, """\
    import mmcls.utils as U
    # TODO(mmcodemod): MMC212 setup_multi_processes was removed: call mmengine.utils.dl_utils.set_multi_processing(mp_start_method, opencv_num_threads, distributed)
    U.setup_multi_processes(*cfgs)
    """)


WRAP_TODO = (
    "# TODO(mmcodemod): MMC213 wrap_distributed_model / wrap_non_distributed_model were removed: "
    "the Runner wraps the model (cfg.model_wrapper_cfg); use the unwrapped model here"
)


def test_wrappers_dropped_when_assigned_back():
    check_transformed("MMC213", """\
    from mmcls.utils import (get_root_logger, wrap_distributed_model,
                             wrap_non_distributed_model)

    if not distributed:
        # put the model on the GPUs
        model = wrap_non_distributed_model(
            model, cfg.device, device_ids=cfg.gpu_ids)
        model.CLASSES = classes
    else:
        model = wrap_distributed_model(model, cfg.device, broadcast_buffers=False)
    """, """\
    from mmcls.utils import get_root_logger

    if not distributed:
        # put the model on the GPUs
        model.CLASSES = classes
    else:
        pass
    """)


def test_wrappers_result_used_otherwise_gets_todo():
    check_transformed("MMC213", """\
    import mmcls.utils
    ddp = mmcls.utils.wrap_distributed_model(model, 'cuda')
    """, """\
    import mmcls.utils
    """ + WRAP_TODO + """
    ddp = mmcls.utils.wrap_distributed_model(model, 'cuda')
    """)


def test_auto_select_device_call():
    check_transformed("MMC214", """\
    from mmcls.utils import auto_select_device, collect_env
    cfg.device = args.device or auto_select_device()
    """, """\
    from mmcls.utils import collect_env
    from mmengine.device import get_device
    cfg.device = args.device or get_device()
    """)


def test_auto_select_device_also_used_as_value_keeps_its_name():
    check_transformed("MMC214", """\
    try:
        from mmcls.utils import auto_select_device
    except ImportError:
        auto_select_device = None

    if auto_select_device is not None:
        cfg.device = auto_select_device()
    """, """\
    try:
        from mmengine.device import get_device as auto_select_device
    except ImportError:
        auto_select_device = None

    if auto_select_device is not None:
        cfg.device = auto_select_device()
    """)


def test_load_json_log_todo():
    check_transformed("MMC215", """\
    from mmcls.utils import load_json_log
    logs = [load_json_log(p) for p in paths]
    """, """\
    from mmcls.utils import load_json_log
    # TODO(mmcodemod): MMC215 mmpretrain.utils.load_json_log reads the 1.x json log and returns {'train': [...], 'val': [...]} (lists of dicts per logged step), not {epoch: {key: [values]}}: update the code that reads its result
    logs = [load_json_log(p) for p in paths]
    """)


def test_last_name_of_a_parenthesised_import_removed():
    check_transformed("MMC211", """\
    from mmcls.utils import (collect_env, load_json_log,
                             get_root_logger)
    logger = get_root_logger()
    """, """\
    from mmcls.utils import (collect_env, load_json_log)
    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    """)


def test_mmselfsup_logger_and_setup():
    check_transformed(["MMC211", "MMC212"], """\
    from mmselfsup.utils import get_root_logger, setup_multi_processes
    setup_multi_processes(cfg)
    logger = get_root_logger()
    """, """\
    from mmengine.utils.dl_utils import set_multi_processing
    from mmengine.logging import MMLogger
    """ + MULTI_TODO + """
    set_multi_processing(**cfg.get('env_cfg', {}).get('mp_cfg', {}))
    logger = MMLogger.get_current_instance()
    """)


def test_an_import_still_used_by_a_statement_left_alone_is_kept(monkeypatch):
    # Whether a replaced name is still used is asked only of the changed statements and of those
    # whose text spells it (the dict below); `other` is not searched.
    from codemods.rules import _calls

    asked = []
    real = _calls.used_names
    monkeypatch.setattr(_calls, "used_names", lambda *a, **k: asked.append(k.get("quiet")) or real(*a, **k))
    check_transformed("MMC211", """\
    from mmcls.utils import get_root_logger

    HOOKS = {'logger': get_root_logger}


    def main():
        get_root_logger().info('x')


    def other():
        return 1
    """, """\
    from mmcls.utils import get_root_logger
    from mmengine.logging import MMLogger

    HOOKS = {'logger': get_root_logger}


    def main():
        MMLogger.get_current_instance().info('x')


    def other():
        return 1
    """)
    assert asked and all(asked)  # every search skipped some statements
