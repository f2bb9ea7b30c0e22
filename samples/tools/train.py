"""Train a leaf-disease classifier (or the CIFAR-10 baseline).

Example:
    python tools/train.py configs/leaves/resnet50_4xb64_leaves-ft.py \
        --epochs 30 --batch-size 32 --data-root /data/leaves --log-interval 20
"""
import argparse
import copy
import os
import os.path as osp
import time

import mmcv
import torch
from mmcv import DictAction
from mmcv.runner import get_dist_info, init_dist

from mmcls import __version__
from mmcls.apis import init_random_seed, set_random_seed, train_model
from mmcls.datasets import build_dataset
from mmcls.models import build_classifier
from mmcls.utils import collect_env, get_root_logger, setup_multi_processes

try:
    # only in mmcls >= 0.23; older installs fall back to cuda/cpu below
    from mmcls.utils import auto_select_device
except ImportError:
    auto_select_device = None

import mycls  # noqa: F401  (registers the custom head, classifier, dataset and transform)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a leafnet classifier')
    parser.add_argument('config', help='config file')
    parser.add_argument('--work-dir', help='where to save logs and checkpoints')
    parser.add_argument('--resume-from', help='checkpoint to resume from')
    parser.add_argument('--epochs', type=int, help='override the number of epochs')
    parser.add_argument('--batch-size', type=int, help='images per GPU')
    parser.add_argument('--lr', type=float, help='override the base learning rate')
    parser.add_argument('--data-root', help='folder with train/ and val/ sub-folders')
    parser.add_argument('--log-interval', type=int, default=None)
    parser.add_argument('--topk', type=int, nargs='+', default=None,
                        help='top-k accuracies to report, e.g. --topk 1 3')
    parser.add_argument('--no-validate', action='store_true')
    parser.add_argument('--seed', type=int, default=None)
    parser.add_argument('--deterministic', action='store_true')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='extra key=value overrides merged into the config')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm'],
        default='none')
    parser.add_argument('--local_rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def update_cfg(cfg, args):
    """Apply the command-line shortcuts to the loaded config."""
    if args.epochs is not None:
        cfg.runner.max_epochs = args.epochs
    if args.batch_size is not None:
        cfg.data.samples_per_gpu = args.batch_size
    if args.lr is not None:
        cfg.optimizer.lr = args.lr
    if args.data_root is not None:
        cfg.data.train.data_prefix = osp.join(args.data_root, 'train')
        cfg.data.val.data_prefix = osp.join(args.data_root, 'val')
        cfg.data.test.data_prefix = osp.join(args.data_root, 'val')
    if args.log_interval is not None:
        cfg.log_config.interval = args.log_interval
    if args.topk is not None:
        cfg.evaluation.metric_options = {'topk': tuple(args.topk)}
    if args.resume_from is not None:
        cfg.resume_from = args.resume_from
    # validate at most every 5 epochs on long schedules
    if cfg.runner.max_epochs > 100:
        cfg.evaluation.interval = max(cfg.evaluation.get('interval', 1), 5)
    return cfg


def main():
    args = parse_args()

    cfg = mmcv.Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg = update_cfg(cfg, args)

    setup_multi_processes(cfg)
    if cfg.get('cudnn_benchmark', False):
        torch.backends.cudnn.benchmark = True

    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])

    if args.launcher == 'none':
        distributed = False
        cfg.gpu_ids = [0]
    else:
        distributed = True
        init_dist(args.launcher, **cfg.dist_params)
        _, world_size = get_dist_info()
        cfg.gpu_ids = range(world_size)

    mmcv.mkdir_or_exist(osp.abspath(cfg.work_dir))
    cfg.dump(osp.join(cfg.work_dir, osp.basename(args.config)))
    timestamp = time.strftime('%Y%m%d_%H%M%S', time.localtime())
    log_file = osp.join(cfg.work_dir, f'{timestamp}.log')
    logger = get_root_logger(log_file=log_file, log_level=cfg.log_level)

    meta = dict()
    env_info = '\n'.join(f'{k}: {v}' for k, v in collect_env().items())
    logger.info('Environment info:\n' + env_info)
    meta['env_info'] = env_info
    logger.info(f'Distributed training: {distributed}')
    logger.info(f'Config:\n{cfg.pretty_text}')

    if auto_select_device is not None:
        cfg.device = auto_select_device()
    else:
        cfg.device = 'cuda' if torch.cuda.is_available() else 'cpu'
    seed = init_random_seed(args.seed, device=cfg.device)
    logger.info(f'Set random seed to {seed}, '
                f'deterministic: {args.deterministic}')
    set_random_seed(seed, deterministic=args.deterministic)
    cfg.seed = seed
    meta['seed'] = seed

    model = build_classifier(cfg.model)
    model.init_weights()

    datasets = [build_dataset(cfg.data.train)]
    if len(cfg.workflow) == 2:
        val_dataset = copy.deepcopy(cfg.data.val)
        val_dataset.pipeline = cfg.data.train.pipeline
        datasets.append(build_dataset(val_dataset))

    meta.update(
        dict(
            mmcls_version=__version__,
            config=cfg.pretty_text,
            CLASSES=datasets[0].CLASSES))

    train_model(
        model,
        datasets,
        cfg,
        distributed=distributed,
        validate=(not args.no_validate),
        timestamp=timestamp,
        device=cfg.device,
        meta=meta)


if __name__ == '__main__':
    main()
