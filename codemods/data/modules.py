"""THE import table: where each MMClassification 0.x / MMSelfSup 0.x / MMCV 1.x module and name
lives in MMPretrain 1.2, MMEngine 0.10 and MMCV 2.x. Every import rule reads it through
`resolve_name` and `resolve_module`; nothing else hard-codes a module path.

Three kinds of row:
- MODULES: a module (and everything below it) renamed: `mmcls.core.hook` -> `mmpretrain.engine.hooks`.
  The longest matching prefix wins. A renamed module is only used if it really exists in the
  targets (codemods.data.targets); a name is only moved with its module if the target module
  defines it. Otherwise the import is kept with a TODO.
- NAMES: a name that moved to another module or was renamed or removed, looked up under a module
  prefix (longest first): `NAMES["mmcls"]["HEADS"]` applies to `HEADS` imported from any mmcls
  module (`mmcls.models`, `mmcls.models.builder`, `..builder` inside an mmcls fork).
- REMOVED_MODULES: a module that is gone; names under it without a NAMES row get this TODO text.

`Move(module, name, expr)`: import `name` from `module`; usages become `expr` if given (a builder
call `build_classifier(cfg)` becomes `MODELS.build(cfg)`), else the (new) name.
`Removed(message)`: no 1.2 counterpart; the import stays and gets `# TODO(mmcodemod): ... message`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, Optional, Tuple, Union

GUIDE = "https://mmpretrain.readthedocs.io/en/latest/migration.html"


@dataclass(frozen=True)
class Move:
    module: str
    name: str
    expr: Optional[str] = None  # how usages are written, when not simply `name`

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(frozen=True)
class Removed:
    message: str


Resolution = Union[Move, Removed]

# Source packages this table migrates. Imports of other packages are never touched.
SOURCES = ("mmcls", "mmselfsup", "mmcv")

MODULES: Dict[str, str] = {
    # MMClassification 0.x (guide, "模块变动")
    "mmcls": "mmpretrain",
    "mmcls.core": "mmpretrain.engine",
    "mmcls.core.hook": "mmpretrain.engine.hooks",
    "mmcls.core.optimizers": "mmpretrain.engine.optimizers",
    "mmcls.core.evaluation": "mmpretrain.evaluation",
    "mmcls.core.visualization": "mmpretrain.visualization",
    "mmcls.core.utils": "mmengine.dist",
    "mmcls.datasets.pipelines": "mmpretrain.datasets.transforms",
    "mmcls.models.utils.augment": "mmpretrain.models.utils.batch_augments",
    "mmcls.models.heads.multi_label_head": "mmpretrain.models.heads.multi_label_cls_head",
    # MMSelfSup 0.x
    "mmselfsup": "mmpretrain",
    "mmselfsup.core": "mmpretrain.engine",
    "mmselfsup.core.hooks": "mmpretrain.engine.hooks",
    "mmselfsup.core.optimizer": "mmpretrain.engine.optimizers",
    "mmselfsup.core.optimizers": "mmpretrain.engine.optimizers",
    "mmselfsup.datasets.pipelines": "mmpretrain.datasets.transforms",
    "mmselfsup.models.algorithms": "mmpretrain.models.selfsup",
    "mmselfsup.structures": "mmpretrain.structures",
    "mmselfsup.evaluation": "mmpretrain.evaluation",
    "mmselfsup.visualization": "mmpretrain.visualization",
    "mmselfsup.engine": "mmpretrain.engine",
    # MMCV 1.x -> MMEngine
    "mmcv.fileio": "mmengine.fileio",
    "mmcv.runner.hooks": "mmengine.hooks",
    "mmcv.runner.checkpoint": "mmengine.runner",
    "mmcv.runner.dist_utils": "mmengine.dist",
    "mmcv.runner.base_module": "mmengine.model",
    "mmcv.runner.optimizer": "mmengine.optim",
    "mmcv.cnn.utils.weight_init": "mmengine.model",
    "mmcv.utils.logging": "mmengine.logging",
    "mmcv.utils.registry": "mmengine.registry",
    "mmcv.utils.config": "mmengine.config",
    "mmcv.utils.progressbar": "mmengine.utils",
    "mmcv.utils.path": "mmengine.utils",
    "mmcv.utils.misc": "mmengine.utils",
    "mmcv.utils.timer": "mmengine.utils",
    "mmcv.utils.parrots_wrapper": "mmengine.utils.dl_utils",
}

_HOOKS_TODO = "{name} was removed: training is configured in the config and run by mmengine's Runner"


def _rows(module: str, names: str) -> Dict[str, Move]:
    return {n: Move(module, n) for n in names.split()}


def _removed(message: str, names: str) -> Dict[str, Removed]:
    return {n: Removed(message.format(name=n)) for n in names.split()}


_REGISTRIES = {
    "BACKBONES": Move("mmpretrain.registry", "MODELS"),
    "NECKS": Move("mmpretrain.registry", "MODELS"),
    "HEADS": Move("mmpretrain.registry", "MODELS"),
    "LOSSES": Move("mmpretrain.registry", "MODELS"),
    "CLASSIFIERS": Move("mmpretrain.registry", "MODELS"),
    "ALGORITHMS": Move("mmpretrain.registry", "MODELS"),
    "MEMORIES": Move("mmpretrain.registry", "MODELS"),
    "ATTENTION": Move("mmpretrain.registry", "MODELS"),
    "MODELS": Move("mmpretrain.registry", "MODELS"),
    "PIPELINES": Move("mmpretrain.registry", "TRANSFORMS"),
    "DATASETS": Move("mmpretrain.registry", "DATASETS"),
    "SAMPLERS": Move("mmpretrain.registry", "DATA_SAMPLERS"),
    "AUGMENT": Move("mmpretrain.registry", "BATCH_AUGMENTS"),
    "HOOKS": Move("mmpretrain.registry", "HOOKS"),
    "OPTIMIZERS": Move("mmpretrain.registry", "OPTIMIZERS"),
    "OPTIMIZER_BUILDERS": Move("mmpretrain.registry", "OPTIM_WRAPPER_CONSTRUCTORS"),
    "build_classifier": Move("mmpretrain.registry", "MODELS", "MODELS.build"),
    "build_backbone": Move("mmpretrain.registry", "MODELS", "MODELS.build"),
    "build_neck": Move("mmpretrain.registry", "MODELS", "MODELS.build"),
    "build_head": Move("mmpretrain.registry", "MODELS", "MODELS.build"),
    "build_loss": Move("mmpretrain.registry", "MODELS", "MODELS.build"),
    "build_algorithm": Move("mmpretrain.registry", "MODELS", "MODELS.build"),
    "build_memory": Move("mmpretrain.registry", "MODELS", "MODELS.build"),
    "build_dataset": Move("mmpretrain.registry", "DATASETS", "DATASETS.build"),
    "build_augment": Move("mmpretrain.registry", "BATCH_AUGMENTS", "BATCH_AUGMENTS.build"),
    "build_dataloader": Removed(
        "build_dataloader was removed: put the loader in the config (train_dataloader = dict(batch_size=..., "
        "num_workers=..., sampler=dict(type='DefaultSampler', shuffle=True), dataset=...)) and build it with "
        "mmengine.runner.Runner.build_dataloader(dataloader_cfg)"
    ),
    "build_sampler": Removed(
        "build_sampler was removed: samplers are built from the dataloader config "
        "(sampler=dict(type='DefaultSampler', ...)) by mmengine.runner.Runner.build_dataloader"
    ),
    "build_optimizer": Removed(
        "build_optimizer was removed: configure optim_wrapper = dict(optimizer=...) and use "
        "mmengine.optim.build_optim_wrapper(model, cfg.optim_wrapper)"
    ),
}

_TRANSFORMS_TO_MMCV = _rows(
    "mmcv.transforms",
    "LoadImageFromFile RandomFlip CenterCrop Resize Compose Normalize Pad ToTensor ImageToTensor "
    "RandomGrayscale to_tensor",
)

NAMES: Dict[str, Dict[str, Resolution]] = {
    # ---------------- MMClassification 0.x ----------------
    "mmcls": {
        **_REGISTRIES,
        "ClsDataSample": Move("mmpretrain.structures", "DataSample"),
        "get_root_logger": Removed(
            "get_root_logger was removed: use mmengine.logging.MMLogger.get_current_instance() "
            "(the Runner creates the logger; log_file/log_level go to the config)"
        ),
        "MMCLS_MODELS": Removed("mmcls model registries were merged: use mmpretrain.registry.MODELS"),
    },
    "mmcls.apis": {
        "set_random_seed": Move("mmengine.runner", "set_random_seed"),
        # Not a rename: sync_random_seed(group) takes no seed. MMC203 rewrites the calls it can.
        "init_random_seed": Removed(
            "init_random_seed was removed: use `seed if seed is not None else "
            "mmengine.dist.sync_random_seed()`"
        ),
        "inference_model": Removed(
            "inference_model was removed: use mmpretrain.apis.ImageClassificationInferencer(model)(img)[0]"
        ),
        "show_result_pyplot": Removed(
            "show_result_pyplot was removed: use mmpretrain.apis.ImageClassificationInferencer(model)(img, show=True)"
        ),
        "train_model": Removed(
            "train_model was removed: use mmengine.runner.Runner.from_cfg(cfg).train() with a 1.x config"
        ),
        "single_gpu_test": Removed("single_gpu_test was removed: use mmengine.runner.Runner.from_cfg(cfg).test()"),
        "multi_gpu_test": Removed("multi_gpu_test was removed: use mmengine.runner.Runner.from_cfg(cfg).test()"),
    },
    "mmcls.core.evaluation": {
        **_removed(
            "{name} was removed: evaluation is done by metrics in the config (val_evaluator) and the "
            "Runner's val loop (train_cfg.val_interval)", "EvalHook DistEvalHook"
        ),
        **_removed(
            "{name} was removed: use the metric classes of mmpretrain.evaluation (Accuracy, SingleLabelMetric, "
            "MultiLabelMetric, AveragePrecision, ConfusionMatrix); their static calculate() methods compute "
            "the same numbers",
            "precision_recall_f1 precision recall f1_score support average_performance calculate_confusion_matrix",
        ),
        **_removed("{name} was removed: use mmpretrain.evaluation.AveragePrecision.calculate(pred, target)",
                   "mAP average_precision"),
    },
    "mmcls.core.hook": {
        "CosineAnnealingCooldownLrUpdaterHook": Removed(
            "CosineAnnealingCooldownLrUpdaterHook was removed: combine param schedulers in param_scheduler "
            "(e.g. CosineAnnealingLR then ConstantLR)"
        ),
        "MMClsWandbHook": Removed(
            "MMClsWandbHook is not implemented in MMPretrain 1.x: use visualizer=dict(vis_backends=[dict(type="
            "'WandbVisBackend')])"
        ),
    },
    "mmcls.core.utils": {
        "DistOptimizerHook": Removed(_HOOKS_TODO.format(name="DistOptimizerHook") + " (optim_wrapper)"),
        "allreduce_grads": Removed(
            "allreduce_grads was removed: the optim_wrapper and the model wrapper reduce gradients "
            "(mmengine.dist.all_reduce_params reduces a list of tensors)"
        ),
        "multi_apply": Removed("multi_apply was removed from MMPretrain: copy the three-line helper into your code"),
        "auto_select_device": Removed("auto_select_device was removed: mmengine.device.get_device() tells the device"),
    },
    "mmcls.core.visualization": {
        "imshow_infos": Removed(
            "imshow_infos was removed: use mmpretrain.visualization.UniversalVisualizer().visualize_cls(...)"
        ),
        **_removed("{name} was removed: use mmpretrain.visualization.UniversalVisualizer",
                   "BaseFigureContextManager ImshowInfosContextManager color_val_matplotlib"),
    },
    "mmcls.core.export": {
        **_removed("{name} was removed: deploy MMPretrain 1.x models with MMDeploy 1.x",
                   "ONNXRuntimeClassifier TensorRTClassifier"),
    },
    "mmcls.datasets": {
        **_rows("mmengine.dataset", "ConcatDataset RepeatDataset ClassBalancedDataset"),
        "DistributedSampler": Removed(
            "DistributedSampler was removed: use sampler=dict(type='DefaultSampler', shuffle=...) in the dataloader "
            "config (mmengine.dataset.DefaultSampler)"
        ),
    },
    "mmcls.datasets.pipelines": {
        **_TRANSFORMS_TO_MMCV,
        "Albu": Move("mmpretrain.datasets.transforms", "Albumentations"),
        "ToPIL": Removed("ToPIL was removed: mmpretrain.datasets.transforms.NumpyToPIL does the same (to_rgb)"),
        "ToNumpy": Removed("ToNumpy was removed: mmpretrain.datasets.transforms.PILToNumpy does the same"),
        "ToHalf": Removed("ToHalf was removed: cast in the data_preprocessor or the model"),
        "WrapFieldsToLists": Removed("WrapFieldsToLists was removed: PackInputs packs the fields"),
    },
    "mmcls.models": {
        "Accuracy": Removed(
            "the Accuracy module was removed from the models: use mmpretrain.evaluation.Accuracy "
            "(a metric; Accuracy.calculate(pred, target, topk) computes the numbers)"
        ),
        "accuracy": Removed("accuracy() was removed: use mmpretrain.evaluation.Accuracy.calculate(pred, target, topk)"),
        "BaseHead": Move("mmengine.model", "BaseModule"),
        **_removed("{name} was removed: mmcv registries are merged into mmpretrain.registry.MODELS",
                   "MMCV_MODELS MMCV_ATTENTION"),
    },
    "mmcls.models.utils.augment": {
        "BatchMixupLayer": Move("mmpretrain.models.utils.batch_augments", "Mixup"),
        "BatchCutMixLayer": Move("mmpretrain.models.utils.batch_augments", "CutMix"),
        "BatchResizeMixLayer": Move("mmpretrain.models.utils.batch_augments", "ResizeMix"),
        "Augments": Removed(
            "Augments was replaced by mmpretrain.models.utils.batch_augments.RandomBatchAugment(augments, probs) "
            "(configured as model.train_cfg.augments)"
        ),
        "Identity": Removed("the Identity batch augment was removed: leave it out of train_cfg.augments"),
        "one_hot_encoding": Removed("one_hot_encoding was removed: use torch.nn.functional.one_hot"),
    },
    "mmcls.utils": {
        "setup_multi_processes": Removed(
            "setup_multi_processes(cfg) was removed: use mmengine.utils.dl_utils.set_multi_processing("
            "**cfg.env_cfg.get('mp_cfg', {}), distributed=...) or let the Runner do it (env_cfg.mp_cfg)"
        ),
        **_removed("{name} was removed: the Runner wraps the model (model_wrapper_cfg in the config)",
                   "wrap_distributed_model wrap_non_distributed_model"),
        "auto_select_device": Removed("auto_select_device was removed: mmengine.device.get_device() tells the device"),
        "load_json_log": Removed(
            "load_json_log was removed: the log format changed (vis_data/scalars.json, one JSON object a line)"
        ),
    },
    # ---------------- MMSelfSup 0.x ----------------
    "mmselfsup": {
        **_REGISTRIES,
        "SelfSupDataSample": Move("mmpretrain.structures", "DataSample"),
        "DATASOURCES": Removed(
            "data sources were removed in MMPretrain 1.x: datasets read data_root/ann_file/data_prefix directly"
        ),
        "build_datasource": Removed(
            "data sources were removed in MMPretrain 1.x: datasets read data_root/ann_file/data_prefix directly"
        ),
        "get_root_logger": Removed(
            "get_root_logger was removed: use mmengine.logging.MMLogger.get_current_instance()"
        ),
    },
    "mmselfsup.datasets.pipelines": {
        **_TRANSFORMS_TO_MMCV,
        "RandomAppliedTrans": Removed(
            "RandomAppliedTrans was removed: use mmcv.transforms.RandomApply(transforms, prob=p)"
        ),
        "Solarization": Removed("Solarization was removed: use mmpretrain.datasets.transforms.Solarize(thr=..., prob=...)"),
        "RandomAug": Removed("RandomAug was removed: use mmpretrain.datasets.transforms.RandAugment"),
    },
    "mmselfsup.datasets": {
        **_rows("mmengine.dataset", "ConcatDataset RepeatDataset"),
        **_removed(
            "{name} was removed: MMPretrain 1.x uses ordinary datasets (e.g. ImageNet) with a MultiView "
            "transform in the pipeline and PackInputs",
            "MultiViewDataset SingleViewDataset DeepClusterDataset RelativeLocDataset RotationPredDataset BaseDataset",
        ),
        **_removed(
            "{name} was removed: use sampler=dict(type='DefaultSampler', ...) in the dataloader config",
            "DistributedSampler DistributedGivenIterationSampler DistributedGroupSampler GroupSampler",
        ),
        "PrefetchLoader": Removed("PrefetchLoader was removed: the data_preprocessor moves data to the device"),
    },
    "mmselfsup.core": {
        "DefaultOptimizerConstructor": Move("mmengine.optim", "DefaultOptimWrapperConstructor"),
        "TransformerFinetuneConstructor": Removed(
            "TransformerFinetuneConstructor was removed: use optim_wrapper=dict(constructor="
            "'LearningRateDecayOptimWrapperConstructor', paramwise_cfg=dict(layer_decay_rate=...))"
        ),
        "build_optimizer": _REGISTRIES["build_optimizer"],
        **_removed(_HOOKS_TODO + " (optim_wrapper: accumulative_counts, type='AmpOptimWrapper')",
                   "DistOptimizerHook GradAccumFp16OptimizerHook"),
        "StepFixCosineAnnealingLrUpdaterHook": Removed(
            "StepFixCosineAnnealingLrUpdaterHook was removed: use param_scheduler (LinearLR warm-up then "
            "CosineAnnealingLR)"
        ),
        "MomentumUpdateHook": Removed(
            "MomentumUpdateHook was removed: the algorithms update their momentum encoders themselves "
            "(e.g. MoCo's momentum argument; EMA models use mmpretrain's EMA hooks)"
        ),
        **_removed("{name} was removed: MMPretrain 1.2 has no DeepCluster/ODC/InterCLR",
                   "DeepClusterHook ODCHook InterCLRHook"),
    },
    "mmselfsup.models": {
        "BaseModel": Move("mmpretrain.models.selfsup", "BaseSelfSupervisor"),
        **_rows("mmpretrain.models.selfsup", "MAEViT MaskFeatViT SimMIMSwinTransformer"),
        "Accuracy": Removed(
            "the Accuracy module was removed from the models: use mmpretrain.evaluation.Accuracy"
        ),
        "accuracy": Removed("accuracy() was removed: use mmpretrain.evaluation.Accuracy.calculate(pred, target, topk)"),
    },
    "mmselfsup.models.utils": {
        # MMPretrain 1.2 keeps these beside their one user (same definitions; MultiPrototypes
        # takes an optional init_cfg more)
        **_rows("mmpretrain.models.selfsup.simclr", "GatherLayer"),
        **_rows("mmpretrain.models.losses.swav_loss", "MultiPrototypes"),
        "CAETransformerRegressorLayer": Removed(
            "CAETransformerRegressorLayer is now mmpretrain.models.necks.cae_neck."
            "CAETransformerRegressorLayer, whose init_values argument is called layer_scale_init_value"
        ),
        "TransformerEncoderLayer": Removed(
            "TransformerEncoderLayer: MMPretrain 1.2 has mmpretrain.models.backbones.vision_transformer."
            "TransformerEncoderLayer (init_values is layer_scale_init_value, no window_size: for the "
            "relative position bias use mmpretrain.models.backbones.beit.BEiTTransformerEncoderLayer)"
        ),
    },
    "mmselfsup.utils": {
        **_rows("mmpretrain.models.utils", "batch_shuffle_ddp batch_unshuffle_ddp"),
        **_rows("mmengine.runner", "find_latest_checkpoint"),
        **_rows("mmengine.utils.dl_utils", "tensor2imgs"),
        "sync_random_seed": Removed(
            "sync_random_seed(seed=None, device='cuda') has no drop-in: mmengine.dist.sync_random_seed"
            "(group=None) takes no seed (it draws one on rank 0 and broadcasts it)"
        ),
        # the same (out, sinkhorn_iterations, world_size, epsilon) function, now beside SwAVLoss
        **_rows("mmpretrain.models.losses.swav_loss", "distributed_sinkhorn"),
        "concat_all_gather": Removed(
            "concat_all_gather was removed: use torch.cat(mmengine.dist.all_gather(tensor))"
        ),
        **_removed("{name} was removed: gather with mmengine.dist.all_gather(tensor) (a list, one "
                   "tensor per process)", "gather_tensors gather_tensors_batch"),
        "setup_multi_processes": Removed(
            "setup_multi_processes(cfg) was removed: the Runner does it from env_cfg.mp_cfg "
            "(mmengine.utils.dl_utils.set_multi_processing)"
        ),
        **_removed("{name} was removed: test with mmengine.runner.Runner.from_cfg(cfg).test()",
                   "single_gpu_test multi_gpu_test"),
    },
    # ---------------- MMCV 1.x -> MMEngine / MMCV 2.x ----------------
    "mmcv": {
        **_rows("mmengine.config", "Config ConfigDict DictAction"),
        **_rows("mmengine.fileio", "load dump list_from_file dict_from_file FileClient BaseStorageBackend"),
        **_rows(
            "mmengine.utils",
            "mkdir_or_exist scandir check_file_exist symlink fopen is_filepath ProgressBar track_progress "
            "track_iter_progress track_parallel_progress Timer TimerError check_time is_str is_list_of "
            "is_tuple_of is_seq_of is_method_overridden import_modules_from_strings digit_version "
            "deprecated_api_warning get_git_hash to_1tuple to_2tuple to_3tuple to_4tuple to_ntuple "
            "concat_list slice_list requires_package requires_executable check_prerequisites "
            "iter_cast list_cast tuple_cast has_method is_seq_of",
        ),
        **_rows("mmengine.utils.dl_utils", "TORCH_VERSION"),
        **_rows("mmengine.logging", "print_log"),
        "get_logger": Move("mmengine.logging", "MMLogger", "MMLogger.get_instance"),
        **_rows("mmengine.registry", "Registry build_from_cfg"),
    },
    "mmcv.utils": {
        **_rows("mmengine.utils.dl_utils", "collect_env TORCH_VERSION"),
        **_rows("mmengine.utils.dl_utils.parrots_wrapper", "_BatchNorm _InstanceNorm _AdaptiveAvgPoolNd "
                "_AdaptiveMaxPoolNd _AvgPoolNd _MaxPoolNd _ConvNd _ConvTransposeMixin SyncBatchNorm"),
    },
    "mmcv.runner": {
        **_rows("mmengine.runner", "load_checkpoint save_checkpoint load_state_dict weights_to_cpu "
                "get_state_dict CheckpointLoader set_random_seed Priority get_priority find_latest_checkpoint"),
        **_rows("mmengine.dist", "get_dist_info init_dist master_only"),
        **_rows("mmengine.model", "BaseModule Sequential ModuleList ModuleDict"),
        **_rows("mmengine.hooks", "Hook CheckpointHook LoggerHook DistSamplerSeedHook EMAHook IterTimerHook "
                "EmptyCacheHook"),
        "TextLoggerHook": Removed(
            "TextLoggerHook was removed: MMEngine's LoggerHook (mmengine.hooks) writes the text and json "
            "logs; subclass that (log_config becomes default_hooks.logger)"
        ),
        **_removed("{name} was removed: MMEngine logs through the visualizer's backends, e.g. visualizer = "
                   "dict(type='Visualizer', vis_backends=[dict(type='TensorboardVisBackend')]) (Wandb, MLflow, "
                   "ClearML, Neptune and DVCLive have one too)",
                   "TensorboardLoggerHook WandbLoggerHook MlflowLoggerHook NeptuneLoggerHook "
                   "DvcliveLoggerHook ClearMLLoggerHook PaviLoggerHook SegmindLoggerHook"),
        "HOOKS": Move("mmengine.registry", "HOOKS"),
        "OPTIMIZERS": Move("mmengine.registry", "OPTIMIZERS"),
        "RUNNERS": Move("mmengine.registry", "RUNNERS"),
        "OPTIMIZER_BUILDERS": Move("mmengine.registry", "OPTIM_WRAPPER_CONSTRUCTORS"),
        "DefaultOptimizerConstructor": Move("mmengine.optim", "DefaultOptimWrapperConstructor"),
        "auto_fp16": Removed(
            "auto_fp16 does not exist in MMEngine: mixed precision is set by optim_wrapper=dict(type='AmpOptimWrapper') "
            "(or wrap the code in mmengine.runner.autocast()); remove the decorator"
        ),
        "force_fp32": Removed(
            "force_fp32 does not exist in MMEngine: mixed precision is set by optim_wrapper=dict(type='AmpOptimWrapper') "
            "(use torch.autocast(enabled=False) where float32 is needed); remove the decorator"
        ),
        "wrap_fp16_model": Removed(
            "wrap_fp16_model was removed: use optim_wrapper=dict(type='AmpOptimWrapper') in the config"
        ),
        **_removed(_HOOKS_TODO + " (optim_wrapper in the config)",
                   "OptimizerHook Fp16OptimizerHook GradientCumulativeOptimizerHook "
                   "GradientCumulativeFp16OptimizerHook"),
        **_removed(_HOOKS_TODO + " (param_scheduler in the config)",
                   "LrUpdaterHook MomentumUpdaterHook"),
        **_removed(_HOOKS_TODO + " (train_cfg = dict(by_epoch=..., max_epochs=...))",
                   "EpochBasedRunner IterBasedRunner BaseRunner build_runner build_runner_constructor "
                   "DefaultRunnerConstructor"),
        **_removed(_HOOKS_TODO + " (val_evaluator and train_cfg.val_interval)", "EvalHook DistEvalHook"),
        "build_optimizer": _REGISTRIES["build_optimizer"],
        "allreduce_grads": Removed(
            "allreduce_grads was removed: mmengine.dist.all_reduce_params reduces a list of tensors"
        ),
    },
    "mmcv.parallel": {
        **_removed(
            "{name} was removed: the Runner wraps the model itself (model_wrapper_cfg in the config); call the "
            "model directly, or use mmengine.model.MMDistributedDataParallel for a custom loop",
            "MMDataParallel MMDistributedDataParallel",
        ),
        "is_module_wrapper": Move("mmengine.model", "is_model_wrapper"),
        "MODULE_WRAPPERS": Move("mmengine.registry", "MODEL_WRAPPERS"),
        "collate": Removed(
            "mmcv.parallel.collate was removed: use mmengine.dataset.pseudo_collate or default_collate"
        ),
        "scatter": Removed("scatter was removed: the model's data_preprocessor moves data to the device"),
        "DataContainer": Removed("DataContainer was removed: data samples (mmpretrain.structures.DataSample) carry metadata"),
    },
    "mmcv.cnn": {
        **{
            n: Move("mmengine.registry", "MODELS")
            for n in "MODELS NORM_LAYERS CONV_LAYERS ACTIVATION_LAYERS PADDING_LAYERS UPSAMPLE_LAYERS "
            "PLUGIN_LAYERS DROPOUT_LAYERS ATTENTION FEEDFORWARD_NETWORK POSITIONAL_ENCODING TRANSFORMER_LAYER "
            "TRANSFORMER_LAYER_SEQUENCE".split()
        },
        **_rows(
            "mmengine.model",
            "constant_init xavier_init normal_init trunc_normal_init uniform_init kaiming_init caffe2_xavier_init "
            "bias_init_with_prob initialize update_init_info",
        ),
    },
}

REMOVED_MODULES: Dict[str, str] = {
    "mmcls.core.export": "mmcls.core.export was removed: deploy MMPretrain 1.x models with MMDeploy 1.x",
    "mmcls.apis.train": "mmcls.apis.train was removed: train with mmengine.runner.Runner.from_cfg(cfg).train()",
    "mmcls.apis.test": "mmcls.apis.test was removed: test with mmengine.runner.Runner.from_cfg(cfg).test()",
    "mmselfsup.apis": "mmselfsup.apis was removed: train with mmengine.runner.Runner.from_cfg(cfg).train(); "
    "mmpretrain.apis has the inferencers",
    "mmselfsup.datasets.data_sources": "data sources were removed in MMPretrain 1.x: datasets read "
    "data_root/ann_file/data_prefix directly",
    "mmcv.runner": "mmcv.runner was removed in MMCV 2.x: see mmengine.runner, mmengine.hooks, mmengine.model, "
    "mmengine.dist and mmengine.optim",
    "mmcv.parallel": "mmcv.parallel was removed in MMCV 2.x: the Runner wraps the model (mmengine.model wrappers)",
    "mmcv.device": "mmcv.device was removed in MMCV 2.x: mmengine.device has get_device() and "
    "is_*_available(); the Runner moves and wraps the model",
}

# Where to look when an mmcv 1.x name is not in MMCV 2.x and has no row of its own.
MMCV_HINTS: Dict[str, str] = {
    "mmcv": "see mmengine (config, fileio, utils, logging, registry)",
    "mmcv.utils": "see mmengine.utils, mmengine.logging, mmengine.registry, mmengine.device",
    "mmcv.cnn": "registries are merged into mmengine.registry.MODELS; weight init is in mmengine.model",
    "mmcv.runner": REMOVED_MODULES["mmcv.runner"],
}


# --------------------------------------------------------------------------- facts


@lru_cache(maxsize=None)
def _targets() -> Dict[str, str]:
    from codemods.data.targets import MODULES as FACTS

    return FACTS


@lru_cache(maxsize=4096)
def target_names(module: str) -> FrozenSet[str]:
    """Public names defined by a target module (empty if the module does not exist)."""
    text = _targets().get(module)
    return frozenset(text.split()) if text is not None else frozenset()


def is_target_module(module: str) -> bool:
    return module in _targets()


def exists(qualified: str) -> bool:
    """Does `qualified` (a module, or module.name) exist in the target packages?"""
    if is_target_module(qualified):
        return True
    module, _, name = qualified.rpartition(".")
    return bool(module) and name in target_names(module)


# --------------------------------------------------------------------------- lookups


def source_root(module: str) -> Optional[str]:
    root = module.split(".", 1)[0]
    return root if root in SOURCES else None


def _prefixes(module: str) -> Iterator[str]:
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        yield ".".join(parts[:i])


def rename_module(module: str) -> Optional[str]:
    """The 1.x path of a 0.x module by the MODULES rows (existence not checked), or None.

    None too when a longer REMOVED_MODULES prefix says the module is gone (mmselfsup.apis)."""
    for prefix in _prefixes(module):
        if prefix in REMOVED_MODULES:
            return None
        new = MODULES.get(prefix)
        if new is not None:
            return new + module[len(prefix):]
    return None


def _removed_module_message(module: str) -> Optional[str]:
    for prefix in _prefixes(module):
        if prefix in MODULES and prefix not in REMOVED_MODULES:
            return None
        if prefix in REMOVED_MODULES:
            return REMOVED_MODULES[prefix]
    return None


@lru_cache(maxsize=4096)
def resolve_module(module: str) -> Optional[Resolution]:
    """What `import module` becomes: Move(new_module, "") / Removed / None (not ours, leave it).

    For MMCV, a module that still exists in MMCV 2.x (mmcv.cnn, mmcv.ops, ...) is left alone.
    """
    root = source_root(module)
    if root is None:
        return None
    new = rename_module(module)
    if new is not None and is_target_module(new):
        return Move(new, "")
    if root == "mmcv" and is_target_module(module):
        return None
    message = _removed_module_message(module)
    if message is None:
        if root == "mmcv":
            message = f"{module} is not in MMCV 2.x: {_mmcv_hint(module)}"
        else:
            message = f"{module} has no counterpart in MMPretrain 1.2" + (f" (no {new})" if new else "")
    return Removed(message)


def _mmcv_hint(module: str) -> str:
    for prefix in _prefixes(module):
        if prefix in MMCV_HINTS:
            return MMCV_HINTS[prefix]
    return MMCV_HINTS["mmcv"]


@lru_cache(maxsize=8192)
def name_row(module: str, name: str) -> Optional[Resolution]:
    """The NAMES row for `module.name`: longest module prefix first, then rows of submodules that
    a package re-exports (`from mmcls.core import EvalHook` is `mmcls.core.evaluation.EvalHook`);
    None if there is none. (`mmcv` itself re-exported only its utils, not runner or cnn.)"""
    for prefix in _prefixes(module):
        rows = NAMES.get(prefix)
        if rows is not None and name in rows:
            return rows[name]
    if module != "mmcv":
        for prefix in sorted(NAMES):
            if prefix.startswith(module + ".") and name in NAMES[prefix]:
                return NAMES[prefix][name]
    elif name in NAMES["mmcv.utils"]:
        return NAMES["mmcv.utils"][name]
    return None


@lru_cache(maxsize=8192)
def resolve_name(module: str, name: str) -> Optional[Resolution]:
    """What `from module import name` becomes: Move, Removed, or None (not ours, leave it)."""
    root = source_root(module)
    if root is None:
        return None
    row = name_row(module, name)
    if row is not None:
        return row
    if f"{module}.{name}" in REMOVED_MODULES:  # `from mmselfsup import apis`
        return Removed(REMOVED_MODULES[f"{module}.{name}"])
    new = rename_module(module)
    if new is not None and (name in target_names(new) or is_target_module(f"{new}.{name}")):
        return Move(new, name)
    if root == "mmcv" and is_target_module(module):
        if name in target_names(module) or is_target_module(f"{module}.{name}"):
            return None  # still in MMCV 2.x
    message = _removed_module_message(module)
    if message is None:
        if root == "mmcv":
            message = f"{module}.{name} is not in MMCV 2.x: {_mmcv_hint(module)}"
        else:
            where = f" (not in {new})" if new else ""
            message = f"{module}.{name} has no counterpart in MMPretrain 1.2{where}"
    return Removed(message)


def all_moves() -> Iterator[Tuple[str, Move]]:
    """Every Move the table can write (for the target check)."""
    for prefix, rows in NAMES.items():
        for name, row in rows.items():
            if isinstance(row, Move):
                yield f"{prefix}.{name}", row
    for old, new in MODULES.items():
        yield old, Move(new, "")
