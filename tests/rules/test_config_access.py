"""MMC701: 0.x config keys read or set by scripts. No-op cases first, then before/after cases.

Expected outputs follow the migration guide and the 1.2 sources: `runner` -> `train_cfg`,
`optimizer` -> `optim_wrapper.optimizer`, `data.samples_per_gpu` -> every dataloader's
`batch_size`, `log_config.interval` -> `default_hooks.logger.interval`, `resume_from` ->
`load_from` + `resume=True`, and CustomDataset/CIFAR in 1.2 joining `data_prefix` to `data_root`.
"""
import pytest

from codemods.rules import get_rule
from tests.util import check_noop, check_transformed

RULE = "MMC701"
TODO = "# TODO(mmcodemod): MMC701 "


@pytest.mark.parametrize("source", [
    # a `data` attribute of an object that is not a config
    """\
    import mmcv

    class Loader:
        def reset(self):
            self.data.train = []
            self.data.samples_per_gpu = 4
    """,
    # the runner of mmcv 1.x has max_epochs too; it is not a config
    """\
    from mmcv.runner import build_runner
    runner = build_runner(cfg_runner)
    runner.max_epochs = 12
    print(runner.optimizer.lr)
    """,
    # a dict config of another library, with the same key names
    """\
    import yaml
    with open('train.yaml') as f:
        cfg = yaml.safe_load(f)
    cfg['data']['train'] = 'x'
    interval = cfg.get('evaluation', {}).get('interval', 1)
    cfg['runner']['max_epochs'] = 3
    """,
    # a parameter named cfg, in a file that uses no OpenMMLab package
    """\
    def train(cfg):
        cfg.runner.max_epochs = 3
        return cfg.data.samples_per_gpu
    """,
    # 1.x-valid keys of a loaded config stay as they are
    """\
    from mmengine.config import Config
    cfg = Config.fromfile('configs/resnet.py')
    cfg.model.head.num_classes = 5
    cfg.work_dir = './work_dirs/x'
    cfg.load_from = 'ckpt.pth'
    cfg.train_cfg.max_epochs = 10
    cfg.train_dataloader.batch_size = 8
    print(cfg.get('default_hooks', {}).get('logger'), 'data' in cfg.model)
    """,
    # a name only ever bound to None is no config
    """\
    from mmcv import Config
    cfg = None
    print(cfg.data.train)
    """,
    # `cfg` rebound to something that is not a config
    """\
    from mmcv import Config
    cfg = Config.fromfile('a.py')
    cfg = load_yaml('b.yaml')
    cfg.runner.max_epochs = 3
    """,
    # a loop variable named cfg
    """\
    import mmcv
    for cfg in experiment_dicts:
        cfg.data.samples_per_gpu = 2
    """,
    # `.cfg` of objects that are not models, and `model.cfg` outside OpenMMLab code
    """\
    import mmcv
    trainer.cfg.data.train = None
    """,
    """\
    model = load()
    print(model.cfg.data.test.pipeline)
    """,
    # a lambda's own parameter named cfg
    """\
    from mmcv import Config
    cfg = Config.fromfile(path)
    pick = lambda cfg: cfg.data.train
    """,
    # key names in strings and comments only
    """\
    from mmcv import Config
    cfg = Config.fromfile(path)  # cfg.runner.max_epochs is set in the file
    print('set cfg.data.samples_per_gpu')
    """,
    # a name declared global that holds something else
    """\
    import mmcv
    STATE = None

    def reset(loader):
        global STATE
        STATE = loader()
        STATE.data.train = []
    """,
])
def test_noop(source):
    check_noop(RULE, source)


# -- where configs come from ---------------------------------------------------------------------
@pytest.mark.parametrize("load", [
    "import mmcv\ncfg = mmcv.Config.fromfile(args.config)",
    "from mmcv import Config\ncfg = Config.fromfile(args.config)",
    "from mmengine.config import Config\ncfg = Config.fromfile(args.config)",
    "from mmengine import Config as C\ncfg = C.fromfile(args.config)",
    "import mmcv\ncfg = mmcv.Config(dict(runner=dict(max_epochs=1)))",
    "import copy\nfrom mmcv import Config\nbase = Config.fromfile(p)\ncfg = copy.deepcopy(base)",
    "from mmcv import Config\nbase = Config.fromfile(p)\ncfg = base.copy()",
    "from mmcv import Config\ncfg = Config.fromfile(p)\ncfg = update_cfg(cfg, args)",
    "from mmcv import Config\ncfg = None\nif p:\n    cfg = Config.fromfile(p)",
    "from mmcv import Config\ncfg = Config.fromfile(p)\nn = Config.fromfile(p).runner.max_epochs",
])
def test_config_sources(load):
    check_transformed(RULE, f"""\
{load}
cfg.runner.max_epochs = 3
""", f"""\
{load.replace('.runner.', '.train_cfg.')}
cfg.train_cfg.max_epochs = 3
""")


def test_parameter_named_cfg_in_openmmlab_code():
    check_transformed(RULE, """\
    from mmcv import Config


    def update(cfg, args):
        cfg.optimizer.lr = args.lr
        return cfg


    def show(config):
        print(config.log_config.interval)
    """, """\
    from mmcv import Config


    def update(cfg, args):
        cfg.optim_wrapper.optimizer.lr = args.lr
        return cfg


    def show(config):
        print(config.default_hooks.logger.interval)
    """)


def test_a_key_read_inside_the_arguments_of_another():
    # the default of a get is rewritten with the get (a second run found it before)
    check_transformed(RULE, """\
    from mmcv import Config
    cfg = Config.fromfile(path)
    pipeline = cfg.data.train.get('pipeline', cfg.data.train.dataset.get('pipeline'))
    """, """\
    from mmcv import Config
    cfg = Config.fromfile(path)
    pipeline = cfg.train_dataloader.dataset.get('pipeline', cfg.train_dataloader.dataset.dataset.get('pipeline'))
    """)


def test_a_config_declared_global_in_a_function():
    check_transformed(RULE, """\
    from mmengine.config import Config

    CFG = None


    def main(path):
        global CFG
        CFG = Config.fromfile(path)
        CFG.runner.max_epochs = 3


    def epochs():
        return CFG.runner.max_epochs
    """, """\
    from mmengine.config import Config

    CFG = None


    def main(path):
        global CFG
        CFG = Config.fromfile(path)
        CFG.train_cfg.max_epochs = 3


    def epochs():
        return CFG.train_cfg.max_epochs
    """)


def test_model_cfg_self_cfg_and_closures():
    check_transformed(RULE, """\
    from mmpretrain.apis import init_model

    pipeline = init_model('c.py', 'w.pth').cfg.data.test.pipeline
    model = init_model('c.py', 'w.pth')
    size = model.cfg.data.samples_per_gpu
    test_pipeline = model._config.data.test.pipeline


    class Trainer:
        def __init__(self, cfg):
            self.cfg = cfg
            self.cfg.checkpoint_config.interval = 2


    def main():
        from mmengine.config import Config
        cfg = Config.fromfile('c.py')
        lr = lambda scale: cfg.optimizer.lr * scale

        def epochs():
            return cfg.runner.max_epochs
        return epochs
    """, """\
    from mmpretrain.apis import init_model

    pipeline = init_model('c.py', 'w.pth').cfg.test_dataloader.dataset.pipeline
    model = init_model('c.py', 'w.pth')
    size = model.cfg.train_dataloader.batch_size
    test_pipeline = model._config.test_dataloader.dataset.pipeline


    class Trainer:
        def __init__(self, cfg):
            self.cfg = cfg
            self.cfg.default_hooks.checkpoint.interval = 2


    def main():
        from mmengine.config import Config
        cfg = Config.fromfile('c.py')
        lr = lambda scale: cfg.optim_wrapper.optimizer.lr * scale

        def epochs():
            return cfg.train_cfg.max_epochs
        return epochs
    """)


# -- access forms --------------------------------------------------------------------------------
HEAD = "from mmengine.config import Config\ncfg = Config.fromfile(path)\n"


@pytest.mark.parametrize("before, after", [
    # attribute chains
    ("cfg.runner.max_iters = 1000", "cfg.train_cfg.max_iters = 1000"),
    ("cfg.optimizer.lr = 0.01", "cfg.optim_wrapper.optimizer.lr = 0.01"),
    ("cfg.optimizer.paramwise_cfg = None", "cfg.optim_wrapper.paramwise_cfg = None"),
    ("cfg.optimizer_config.grad_clip = dict(max_norm=5)", "cfg.optim_wrapper.clip_grad = dict(max_norm=5)"),
    ("cfg.evaluation.interval = 2", "cfg.train_cfg.val_interval = 2"),
    ("cfg.evaluation.save_best = 'auto'", "cfg.default_hooks.checkpoint.save_best = 'auto'"),
    ("cfg.log_config.interval = 10", "cfg.default_hooks.logger.interval = 10"),
    ("cfg.checkpoint_config.interval = 1", "cfg.default_hooks.checkpoint.interval = 1"),
    ("cfg.checkpoint_config.max_keep_ckpts = 3", "cfg.default_hooks.checkpoint.max_keep_ckpts = 3"),
    ("init_dist('pytorch', **cfg.dist_params)", "init_dist('pytorch', **cfg.env_cfg.dist_cfg)"),
    ("cfg.data.train.pipeline[0] = step", "cfg.train_dataloader.dataset.pipeline[0] = step"),
    ("build(cfg.data.val)", "build(cfg.val_dataloader.dataset)"),
    ("cfg.data.val.samples_per_gpu = 1", "cfg.val_dataloader.batch_size = 1"),
    ("cfg.data.test.workers_per_gpu = 0", "cfg.test_dataloader.num_workers = 0"),
    ("cfg.data.persistent_workers = False",
     "cfg.train_dataloader.persistent_workers = False\ncfg.val_dataloader.persistent_workers = False\n"
     "cfg.test_dataloader.persistent_workers = False"),
    ("loader = cfg.data.get('train_dataloader', {})", "loader = cfg.get('train_dataloader', {})"),
    ("cfg.data.val_dataloader.samples_per_gpu = 1", "cfg.val_dataloader.batch_size = 1"),
    ("cfg.data.train.pipeline.append(step)", "cfg.train_dataloader.dataset.pipeline.append(step)"),
    # reads of a key that now has several 1.x keys read the training one
    ("n = cfg.data.workers_per_gpu", "n = cfg.train_dataloader.num_workers"),
    # subscripts keep their quotes, mixed forms keep their forms
    ("cfg['data']['train']['pipeline'] = p", "cfg['train_dataloader']['dataset']['pipeline'] = p"),
    ('cfg["optimizer"]["lr"] = 0.1', 'cfg["optim_wrapper"]["optimizer"]["lr"] = 0.1'),
    ("cfg.data['train'].type = 'ImageNet'", "cfg.train_dataloader['dataset'].type = 'ImageNet'"),
    # get, with and without defaults
    ("e = cfg.runner.get('max_epochs', 10)", "e = cfg.train_cfg.get('max_epochs', 10)"),
    ("e = cfg.get('runner', {}).get('max_epochs')", "e = cfg.get('train_cfg', {}).get('max_epochs')"),
    ("lr = cfg.get('optimizer').get('lr', 0.1)", "lr = cfg.get('optim_wrapper', {}).get('optimizer').get('lr', 0.1)"),
    ("if cfg.get('cudnn_benchmark', False): pass",
     "if cfg.get('env_cfg', {}).get('cudnn_benchmark', False): pass"),
    ("d = cfg.get('dist_params', {})", "d = cfg.get('env_cfg', {}).get('dist_cfg', {})"),
    # pop, setdefault, hasattr, getattr, setattr, in, del
    ("cfg.optimizer.pop('paramwise_cfg', None)", "cfg.optim_wrapper.pop('paramwise_cfg', None)"),
    ("cfg.log_config.setdefault('interval', 10)", "cfg.default_hooks.logger.setdefault('interval', 10)"),
    ("cfg.runner.pop('max_epochs')", "cfg.train_cfg.pop('max_epochs')"),
    ("ok = hasattr(cfg.runner, 'max_epochs')", "ok = hasattr(cfg.train_cfg, 'max_epochs')"),
    ("e = getattr(cfg.runner, 'max_epochs', 1)", "e = getattr(cfg.train_cfg, 'max_epochs', 1)"),
    ("setattr(cfg.optimizer, 'lr', 0.5)", "setattr(cfg.optim_wrapper.optimizer, 'lr', 0.5)"),
    ("ok = 'save_best' in cfg.evaluation", "ok = 'save_best' in cfg.default_hooks.checkpoint"),
    ("ok = 'lr' not in cfg['optimizer']", "ok = 'lr' not in cfg['optim_wrapper']['optimizer']"),
    ("ok = 'dist_params' in cfg", "ok = 'dist_cfg' in cfg.env_cfg"),
    ("ok = 'topk' in cfg.evaluation.metric_options", "ok = 'topk' in cfg.val_evaluator"),
    ("ok = 'samples_per_gpu' in cfg.data", "ok = 'batch_size' in cfg.train_dataloader"),
    ("ok = hasattr(cfg.data.train.dataset, 'pipeline')", "ok = hasattr(cfg.train_dataloader.dataset.dataset, 'pipeline')"),
    # is there a test split: is there a test dataloader (asking it for `dataset` would raise)
    ("ok = hasattr(cfg.data, 'test')", "ok = hasattr(cfg, 'test_dataloader')"),
    ("ok = 'val' in cfg.data", "ok = 'val_dataloader' in cfg"),
    ("d = getattr(cfg.data, 'test')", "d = getattr(cfg.test_dataloader, 'dataset')"),
    ("del cfg.optimizer_config.grad_clip", "del cfg.optim_wrapper.clip_grad"),
    # augmented assignments
    ("cfg.optimizer.lr, cfg.runner.max_epochs = lr, n", "cfg.optim_wrapper.optimizer.lr, cfg.train_cfg.max_epochs = lr, n"),
    ("cfg.optimizer.lr *= 2", "cfg.optim_wrapper.optimizer.lr *= 2"),
    ("cfg.runner.max_epochs += extra", "cfg.train_cfg.max_epochs += extra"),
    # the value is migrated too
    ("cfg.evaluation.interval = max(cfg.evaluation.get('interval', 1), 5)",
     "cfg.train_cfg.val_interval = max(cfg.train_cfg.get('val_interval', 1), 5)"),
    # a whole mapped key with a new type is replaced whole
    ("cfg.optimizer = dict(type='AdamW', lr=1e-3)", "cfg.optim_wrapper.optimizer = dict(type='AdamW', lr=1e-3)"),
])
def test_access_forms(before, after):
    check_transformed(RULE, HEAD + before + "\n", HEAD + after + "\n")


def test_batch_size_goes_to_every_dataloader():
    check_transformed(RULE, HEAD + """\
if args.batch_size:
    cfg.data.samples_per_gpu = args.batch_size  # per GPU
cfg.data.workers_per_gpu = 2
cfg['data']['imgs_per_gpu'] = int(args.bs)
cfg.data.samples_per_gpu //= 2
""", HEAD + """\
if args.batch_size:
    cfg.train_dataloader.batch_size = args.batch_size
    cfg.val_dataloader.batch_size = args.batch_size
    cfg.test_dataloader.batch_size = args.batch_size  # per GPU
cfg.train_dataloader.num_workers = 2
cfg.val_dataloader.num_workers = 2
cfg.test_dataloader.num_workers = 2
cfg['train_dataloader']['batch_size'] = cfg['val_dataloader']['batch_size'] = cfg['test_dataloader']['batch_size'] = int(args.bs)
cfg.train_dataloader.batch_size //= 2
cfg.val_dataloader.batch_size //= 2
cfg.test_dataloader.batch_size //= 2
""")


def test_dict_values_are_split_per_key():
    check_transformed(RULE, HEAD + """\
# report top-1 and top-5
cfg.evaluation.metric_options = {'topk': (1, 5)}
cfg.evaluation = dict(interval=2, save_best='auto')
cfg.checkpoint_config = dict(interval=1, max_keep_ckpts=3)
cfg.data = dict(samples_per_gpu=8, workers_per_gpu=1)
""", HEAD + """\
# report top-1 and top-5
cfg.val_evaluator.topk = (1, 5)
cfg.train_cfg.val_interval = 2
cfg.default_hooks.checkpoint.save_best = 'auto'
cfg.default_hooks.checkpoint.interval = 1
cfg.default_hooks.checkpoint.max_keep_ckpts = 3
cfg.train_dataloader.batch_size = 8
cfg.val_dataloader.batch_size = 8
cfg.test_dataloader.batch_size = 8
cfg.train_dataloader.num_workers = 1
cfg.val_dataloader.num_workers = 1
cfg.test_dataloader.num_workers = 1
""")


def test_fp16_loss_scale_needs_the_amp_wrapper():
    check_transformed(RULE, HEAD + """\
if args.amp:
    cfg.fp16 = dict(loss_scale='dynamic')
cfg['fp16']['loss_scale'] = 512.
""", HEAD + """\
if args.amp:
    cfg.optim_wrapper.loss_scale = 'dynamic'
    cfg.optim_wrapper.type = 'AmpOptimWrapper'
cfg['optim_wrapper']['loss_scale'] = 512.
cfg['optim_wrapper']['type'] = 'AmpOptimWrapper'
""")


def test_resume_from():
    check_transformed(RULE, HEAD + """\
if args.resume_from is not None:
    cfg.resume_from = args.resume_from
if args.no_resume:
    cfg['resume_from'] = None
print(cfg.resume_from)
""", HEAD + """\
if args.resume_from is not None:
    cfg.load_from = args.resume_from
    cfg.resume = True
if args.no_resume:
    cfg['resume'] = False
""" + TODO + """`resume_from` was removed: 1.x resumes from load_from when resume=True
print(cfg.resume_from)
""")


def test_data_prefix_becomes_data_root():
    note = ("0.x data_prefix (the data folder) is data_root in 1.2, where data_prefix and ann_file are "
            "relative to data_root: check ann_file; VOC and CUB keep their default data_prefix")
    check_transformed(RULE, HEAD + """\
cfg.data.train.data_prefix = osp.join(root, 'train')
print(cfg.data.val.data_prefix)
""", HEAD + TODO + note + """
cfg.train_dataloader.dataset.data_root = osp.join(root, 'train')
cfg.train_dataloader.dataset.data_prefix = ''
""" + TODO + note + """
print(cfg.val_dataloader.dataset.data_root)
""")


@pytest.mark.parametrize("line, message", [
    ("cfg.gpu_ids = range(1)", "`gpu_ids` was removed; choose GPUs with CUDA_VISIBLE_DEVICES and the launcher"),
    ("cfg.device = 'cuda'", "`device` was removed; MMEngine picks the device itself"),
    ("if len(cfg.workflow) == 2: pass",
     "`workflow` was removed; validation runs every `train_cfg.val_interval`"),
    ("cfg.optimizer_config.pop('type')",
     "the optimizer hook is now `optim_wrapper.type` ('OptimWrapper' or 'AmpOptimWrapper')"),
    ("cfg.lr_config.step = [30, 60]",
     "lr_config is the list param_scheduler in 1.x; write: for s in cfg.param_scheduler: "
     "if s['type'] == 'MultiStepLR': s['milestones'] = [30, 60]"),
    ("cfg.lr_config.min_lr = 1e-5",
     "lr_config is the list param_scheduler in 1.x; write: for s in cfg.param_scheduler: "
     "if s['type'] in ('CosineAnnealingLR', 'PolyLR'): s['eta_min'] = 1e-5"),
    ("cfg.lr_config.step = 30",
     "lr_config is the list param_scheduler in 1.x; write: for s in cfg.param_scheduler: "
     "if s['type'] == 'StepLR': s['step_size'] = 30"),
    ("cfg.lr_config.warmup_iters = args.warmup",
     "lr_config is the list param_scheduler in 1.x; write: for s in cfg.param_scheduler: "
     "if s['type'] == 'LinearLR': s['end'] = args.warmup; the scheduler after the warmup begins "
     "there too (its `begin`)"),
    ("print(cfg.lr_config.warmup_iters)",
     "lr_config.warmup_iters is `end` of the LinearLR entry of the list param_scheduler now"),
    ("cfg.lr_config = dict(policy='step', step=args.steps)",
     "the LR schedule is now a list `param_scheduler = [...]` of schedulers "
     "(e.g. dict(type='MultiStepLR', milestones=[...])); set its fields there"),
    ("evaluation = cfg.get('evaluation', {})",
     "`evaluation` was split: metrics -> val_evaluator / test_evaluator, interval -> "
     "train_cfg.val_interval, save_best -> default_hooks.checkpoint.save_best"),
    ("cfg.evaluation.metric = 'accuracy'",
     "`evaluation` was split: metrics -> val_evaluator / test_evaluator, interval -> "
     "train_cfg.val_interval, save_best -> default_hooks.checkpoint.save_best"),
    ("for split in ('train', 'val'): cfg.data[split].pipeline = p",
     "`data` was split into train_dataloader / val_dataloader / test_dataloader "
     "(batch_size, num_workers, dataset=...)"),
    ("cfg.data.train.data_source.data_prefix = root",
     "data sources were removed: the dataset takes data_root, ann_file and data_prefix itself "
     "(train_dataloader.dataset)"),
    ("cfg.data.train.pipelines[0] = p",
     "several views are one `pipeline` with dict(type='MultiView', num_views=[...], "
     "transforms=[[...], [...]]) now"),
    ("cfg.data.samples_per_gpu *= f(x)",
     "`data.samples_per_gpu` is train_dataloader.batch_size and val_dataloader.batch_size and "
     "test_dataloader.batch_size in 1.x: change each of them"),
    ("del cfg.data.samples_per_gpu",
     "`data.samples_per_gpu` is train_dataloader.batch_size and val_dataloader.batch_size and "
     "test_dataloader.batch_size in 1.x: change each of them"),
    # keys named by a string on the config itself
    ("cfg.pop('resume_from', None)", "`resume_from` was removed: 1.x resumes from load_from when resume=True"),
    ("setattr(cfg, 'gpu_ids', [0])", "`gpu_ids` was removed; choose GPUs with CUDA_VISIBLE_DEVICES and the launcher"),
    ("if 'runner' in cfg: pass", "`runner` became train_cfg (by_epoch, max_epochs or max_iters, val_interval)"),
    ("cfg.data.samples_per_gpu, n = 4, 1",
     "`data.samples_per_gpu` is train_dataloader.batch_size and val_dataloader.batch_size and "
     "test_dataloader.batch_size in 1.x: change each of them"),
    ("cfg.data.pop('samples_per_gpu')",
     "`data.samples_per_gpu` is train_dataloader.batch_size and val_dataloader.batch_size and "
     "test_dataloader.batch_size in 1.x: change each of them"),
])
def test_todo_for_keys_without_a_1x_key(line, message):
    """The statement stays as it was (never deleted), with a TODO that says what to write."""
    check_transformed(RULE, HEAD + line + "\n", HEAD + TODO + message + "\n" + line + "\n")


def test_several_targets_and_statements_on_one_line():
    check_transformed(RULE, HEAD + """\
a = cfg.runner.max_epochs = 3
cfg.optimizer.lr = 0.1; cfg.data.samples_per_gpu = 4; n = 1
cfg.log_config.interval += 5; cfg.gpu_ids = [0]
""", HEAD + """\
a = cfg.train_cfg.max_epochs = 3
cfg.optim_wrapper.optimizer.lr = 0.1; cfg.train_dataloader.batch_size = cfg.val_dataloader.batch_size = cfg.test_dataloader.batch_size = 4; n = 1
""" + TODO + """`gpu_ids` was removed; choose GPUs with CUDA_VISIBLE_DEVICES and the launcher
cfg.default_hooks.logger.interval += 5; cfg.gpu_ids = [0]
""")


def test_the_documented_example_holds():
    rule = get_rule(RULE)
    check_transformed(RULE, rule.before, rule.after)


def test_dataset_paths_and_whole_datasets_get_a_note():
    ann = ("1.2 datasets read ann_file relative to data_root (0.x: to the working directory): "
           "give a path relative to data_root or an absolute one")
    old = ("this dataset has 0.x arguments: write them as MMPretrain 1.2 takes them "
           "(data_root, data_prefix relative to it, split for CIFAR/MNIST)")
    check_transformed(RULE, HEAD + """\
cfg.data.train.dataset.ann_file = a
print(cfg.data.test.ann_file)
cfg.data.val = dict(type='CIFAR10', data_prefix='data/c', test_mode=True)
cfg.data.test = dict(type='CIFAR10', data_root='data/c', split='test')
""", HEAD + TODO + ann + """
cfg.train_dataloader.dataset.dataset.ann_file = a
""" + TODO + ann + """
print(cfg.test_dataloader.dataset.ann_file)
""" + TODO + old + """
cfg.val_dataloader.dataset = dict(type='CIFAR10', data_prefix='data/c', test_mode=True)
cfg.test_dataloader.dataset = dict(type='CIFAR10', data_root='data/c', split='test')
""")


def test_auto_resume():
    check_transformed(RULE, HEAD + "cfg.auto_resume = args.auto_resume\n", HEAD + TODO + (
        "`auto_resume` was removed: resume=True with load_from=None resumes from the latest "
        "checkpoint in work_dir") + "\ncfg.auto_resume = args.auto_resume\n")


def test_a_whole_lr_config_becomes_param_scheduler():
    """As the guide's lr_config example: warmup -> LinearLR, then the main scheduler."""
    check_transformed(RULE, HEAD + """\
def schedule(cfg, fine_tune):
    if fine_tune:
        cfg.lr_config = dict(
            policy='CosineAnnealing',
            min_lr=0,
            warmup='linear',
            warmup_iters=5,
            warmup_ratio=0.01,
            warmup_by_epoch=True)
    else:
        cfg['lr_config'] = dict(policy='step', step=1, gamma=0.1)
""", HEAD + """\
def schedule(cfg, fine_tune):
    if fine_tune:
        cfg.param_scheduler = [
            dict(
                type='LinearLR',
                start_factor=0.01,
                by_epoch=True,
                end=5,
                convert_to_iter_based=True,
            ),
            dict(type='CosineAnnealingLR', by_epoch=True, begin=5),
        ]
    else:
        cfg['param_scheduler'] = dict(
            type='StepLR', step_size=1, gamma=0.1, by_epoch=True)
""")


def test_a_whole_runner_becomes_train_cfg():
    check_transformed(RULE, HEAD + """\
cfg.runner = dict(type='EpochBasedRunner', max_epochs=2)
cfg['runner'] = dict(type='IterBasedRunner', max_iters=1000)
cfg.runner = dict(max_epochs=3)
""", HEAD + """\
cfg.train_cfg = dict(
    by_epoch=True,
    max_epochs=2,
    val_interval=cfg.train_cfg.get('val_interval', 1),
)
cfg['train_cfg'] = dict(
    by_epoch=False,
    max_iters=1000,
    val_interval=cfg['train_cfg'].get('val_interval', 1),
)
cfg.train_cfg.max_epochs = 3
""")


def test_a_whole_evaluation_dict():
    """interval -> train_cfg.val_interval, save_best -> the checkpoint hook, metrics -> Accuracy."""
    check_transformed(RULE, HEAD + """\
cfg.evaluation = dict(interval=args.interval, metric='accuracy', metric_options={'topk': (1,)})
cfg.evaluation = dict(metric=['accuracy', 'precision'], save_best='auto')
""", HEAD + """\
cfg.train_cfg.val_interval = args.interval
cfg.val_evaluator = dict(type='Accuracy', topk=(1,))
cfg.default_hooks.checkpoint.save_best = 'auto'
cfg.val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='SingleLabelMetric', items=['precision']),
]
""")


def test_a_fine_tuning_script():
    """A whole 0.x fine-tuning notebook cell: every key it sets, as the 1.2 configs name it."""
    note = ("0.x data_prefix (the data folder) is data_root in 1.2, where data_prefix and ann_file are "
            "relative to data_root: check ann_file; VOC and CUB keep their default data_prefix")
    check_transformed(RULE, """\
import mmcv

cfg = mmcv.Config.fromfile('configs/resnet/resnet18_8xb32_in1k.py')
cfg.model.head.num_classes = 2
cfg.data.samples_per_gpu = 32
cfg.data.workers_per_gpu = 2
cfg.data.train.data_prefix = 'data/cats_dogs/training_set'
cfg.data.train.classes = 'data/cats_dogs/classes.txt'
cfg.evaluation['metric_options'] = {'topk': (1,)}
cfg.optimizer = dict(type='SGD', lr=0.005, momentum=0.9, weight_decay=0.0001)
cfg.optimizer_config = dict(grad_clip=None)
cfg.lr_config = dict(policy='step', step=1, gamma=0.1)
cfg.runner = dict(type='EpochBasedRunner', max_epochs=2)
cfg.log_config.interval = 10
cfg.work_dir = './work_dirs/cats_dogs'
cfg.gpu_ids = range(1)
cfg.seed = 0
""", """\
import mmcv

cfg = mmcv.Config.fromfile('configs/resnet/resnet18_8xb32_in1k.py')
cfg.model.head.num_classes = 2
cfg.train_dataloader.batch_size = 32
cfg.val_dataloader.batch_size = 32
cfg.test_dataloader.batch_size = 32
cfg.train_dataloader.num_workers = 2
cfg.val_dataloader.num_workers = 2
cfg.test_dataloader.num_workers = 2
""" + TODO + note + """
cfg.train_dataloader.dataset.data_root = 'data/cats_dogs/training_set'
cfg.train_dataloader.dataset.data_prefix = ''
cfg.train_dataloader.dataset.classes = 'data/cats_dogs/classes.txt'
cfg.val_evaluator['topk'] = (1,)
cfg.optim_wrapper.optimizer = dict(type='SGD', lr=0.005, momentum=0.9, weight_decay=0.0001)
cfg.optim_wrapper.clip_grad = None
cfg.param_scheduler = dict(
    type='StepLR', step_size=1, gamma=0.1, by_epoch=True)
cfg.train_cfg = dict(
    by_epoch=True,
    max_epochs=2,
    val_interval=cfg.train_cfg.get('val_interval', 1),
)
cfg.default_hooks.logger.interval = 10
cfg.work_dir = './work_dirs/cats_dogs'
""" + TODO + """`gpu_ids` was removed; choose GPUs with CUDA_VISIBLE_DEVICES and the launcher
cfg.gpu_ids = range(1)
cfg.seed = 0
""")


def test_a_transform_picked_by_its_place_in_a_pipeline_gets_a_todo():
    note = ("# TODO(mmcodemod): MMC701 a transform picked by its place in a 0.x pipeline: 1.2 pipelines "
            "have other steps (no Normalize, ImageToTensor/ToTensor or Collect; PackInputs last), so "
            "this place may hold another transform: pick it by its type\n")
    check_transformed(RULE, """\
    from mmcv import Config
    cfg = Config.fromfile('x.py')
    cfg.data.train.pipeline[3] = dict(type='Normalize')
    print(cfg.data.train.pipeline, cfg.data.test.pipeline[-1]['keys'])
    """, """\
    from mmcv import Config
    cfg = Config.fromfile('x.py')
    """ + note + """\
    cfg.train_dataloader.dataset.pipeline[3] = dict(type='Normalize')
    """ + note + """\
    print(cfg.train_dataloader.dataset.pipeline, cfg.test_dataloader.dataset.pipeline[-1]['keys'])
    """)
    # the whole pipeline, or its first step (LoadImageFromFile in both): nothing to say
    check_transformed(RULE, """\
    from mmcv import Config
    cfg = Config.fromfile('x.py')
    cfg.data.train.pipeline = cfg.data.val.pipeline
    cfg.data.test.pipeline[0] = dict(type='LoadImageFromFile')
    """, """\
    from mmcv import Config
    cfg = Config.fromfile('x.py')
    cfg.train_dataloader.dataset.pipeline = cfg.val_dataloader.dataset.pipeline
    cfg.test_dataloader.dataset.pipeline[0] = dict(type='LoadImageFromFile')
    """)


def test_names_are_bound_only_once_a_0x_key_is_read_off_a_name(monkeypatch):
    # The scope walk that tells which names hold configs is the rule's dearest step: a file
    # that reads no 0.x key off any name (most OpenMMLab code) does without it.
    from codemods.rules import config_access

    walks = []
    real = config_access._Bindings.__init__
    monkeypatch.setattr(config_access._Bindings, "__init__", lambda self: walks.append(1) or real(self))
    head = "from mmcv import Config\n\ncfg = Config.fromfile('a.py')\n"
    check_noop(RULE, head + "print(cfg.filename)  # the data is elsewhere\n")
    assert walks == []
    check_transformed(RULE, head + "cfg.data.samples_per_gpu = 2\n",
                      head + "cfg.train_dataloader.batch_size = 2\ncfg.val_dataloader.batch_size = 2\n"
                      "cfg.test_dataloader.batch_size = 2\n")
    assert walks
