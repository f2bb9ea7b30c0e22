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

from mmengine.config import Config, DictAction
from mmengine.utils import mkdir_or_exist
import torch
from mmengine.dist import get_dist_info, init_dist, sync_random_seed

from mmpretrain import __version__
from mmengine.runner import set_random_seed, Runner
from mmpretrain.registry import DATASETS, MODELS
from mmpretrain.utils import collect_env
from mmengine.utils.dl_utils import set_multi_processing
from mmengine.logging import MMLogger

try:
    # only in mmcls >= 0.23; older installs fall back to cuda/cpu below
    from mmengine.device import get_device as auto_select_device
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
        cfg.train_cfg.max_epochs = args.epochs
    if args.batch_size is not None:
        cfg.train_dataloader.batch_size = args.batch_size
        cfg.val_dataloader.batch_size = args.batch_size
        cfg.test_dataloader.batch_size = args.batch_size
    if args.lr is not None:
        cfg.optim_wrapper.optimizer.lr = args.lr
    if args.data_root is not None:
        # TODO(mmcodemod): MMC701 0.x data_prefix (the data folder) is data_root in 1.2, where data_prefix and ann_file are relative to data_root: check ann_file; VOC and CUB keep their default data_prefix
        cfg.train_dataloader.dataset.data_root = osp.join(args.data_root, 'train')
        cfg.train_dataloader.dataset.data_prefix = ''
        # TODO(mmcodemod): MMC701 0.x data_prefix (the data folder) is data_root in 1.2, where data_prefix and ann_file are relative to data_root: check ann_file; VOC and CUB keep their default data_prefix
        cfg.val_dataloader.dataset.data_root = osp.join(args.data_root, 'val')
        cfg.val_dataloader.dataset.data_prefix = ''
        # TODO(mmcodemod): MMC701 0.x data_prefix (the data folder) is data_root in 1.2, where data_prefix and ann_file are relative to data_root: check ann_file; VOC and CUB keep their default data_prefix
        cfg.test_dataloader.dataset.data_root = osp.join(args.data_root, 'val')
        cfg.test_dataloader.dataset.data_prefix = ''
    if args.log_interval is not None:
        cfg.default_hooks.logger.interval = args.log_interval
    if args.topk is not None:
        cfg.val_evaluator.topk = tuple(args.topk)
    if args.resume_from is not None:
        cfg.load_from = args.resume_from
        cfg.resume = True
    # validate at most every 5 epochs on long schedules
    if cfg.train_cfg.max_epochs > 100:
        cfg.train_cfg.val_interval = max(cfg.train_cfg.get('val_interval', 1), 5)
    return cfg


def main():
    args = parse_args()

    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg = update_cfg(cfg, args)

    # TODO(mmcodemod): MMC212 set_multi_processing reads env_cfg.mp_cfg (where 1.x configs keep mp_start_method and opencv_num_threads); pass distributed=True in distributed runs to limit OMP/MKL threads. A script that uses the Runner can drop this call: the Runner does it
    set_multi_processing(**cfg.get('env_cfg', {}).get('mp_cfg', {}))
    if cfg.get('env_cfg', {}).get('cudnn_benchmark', False):
        torch.backends.cudnn.benchmark = True

    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])

    if args.launcher == 'none':
        distributed = False
        # TODO(mmcodemod): MMC701 `gpu_ids` was removed; choose GPUs with CUDA_VISIBLE_DEVICES and the launcher
        cfg.gpu_ids = [0]
    else:
        distributed = True
        init_dist(args.launcher, **cfg.env_cfg.dist_cfg)
        _, world_size = get_dist_info()
        # TODO(mmcodemod): MMC701 `gpu_ids` was removed; choose GPUs with CUDA_VISIBLE_DEVICES and the launcher
        cfg.gpu_ids = range(world_size)

    mkdir_or_exist(osp.abspath(cfg.work_dir))
    cfg.dump(osp.join(cfg.work_dir, osp.basename(args.config)))
    timestamp = time.strftime('%Y%m%d_%H%M%S', time.localtime())
    log_file = osp.join(cfg.work_dir, f'{timestamp}.log')
    # TODO(mmcodemod): MMC211 get_root_logger(log_file=log_file, log_level=cfg.log_level): the Runner creates the logger, writes the log file to its work_dir and takes log_level from the config; for a logger of your own use MMLogger.get_instance(name, log_file=..., log_level=...)
    logger = MMLogger.get_current_instance()

    meta = dict()
    env_info = '\n'.join(f'{k}: {v}' for k, v in collect_env().items())
    logger.info('Environment info:\n' + env_info)
    meta['env_info'] = env_info
    logger.info(f'Distributed training: {distributed}')
    logger.info(f'Config:\n{cfg.pretty_text}')

    if auto_select_device is not None:
        # TODO(mmcodemod): MMC701 `device` was removed; MMEngine picks the device itself
        cfg.device = auto_select_device()
    else:
        # TODO(mmcodemod): MMC701 `device` was removed; MMEngine picks the device itself
        cfg.device = 'cuda' if torch.cuda.is_available() else 'cpu'
    seed = args.seed if args.seed is not None else sync_random_seed()
    logger.info(f'Set random seed to {seed}, '
                f'deterministic: {args.deterministic}')
    set_random_seed(seed, deterministic=args.deterministic)
    cfg.seed = seed
    meta['seed'] = seed

    model = MODELS.build(cfg.model)
    model.init_weights()

    datasets = [DATASETS.build(cfg.train_dataloader.dataset)]
    # TODO(mmcodemod): MMC701 `workflow` was removed; validation runs every `train_cfg.val_interval`
    if len(cfg.workflow) == 2:
        val_dataset = copy.deepcopy(cfg.val_dataloader.dataset)
        val_dataset.pipeline = cfg.train_dataloader.dataset.pipeline
        datasets.append(DATASETS.build(val_dataset))

    meta.update(
        dict(
            mmcls_version=__version__,
            config=cfg.pretty_text,
            CLASSES=datasets[0].CLASSES))

    # TODO(mmcodemod): MMC202 train_model(...) arguments now come from the config: model=model -> the Runner builds the model from cfg.model; dataset=datasets -> the dataloaders come from cfg.train_dataloader (and val_dataloader); distributed=distributed -> cfg.launcher; validate=(not args.no_validate) -> cfg.val_dataloader, val_cfg and val_evaluator (set them to None to skip validation); timestamp=timestamp -> the Runner names its log folder by time itself; device=cfg.device -> the Runner puts the model on the available device; meta=meta -> the Runner logs env info, seed and config and saves dataset_meta in checkpoints
    runner = Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    main()
