"""MMC601: MMSelfSup 0.x `data` (datasets with a `data_source`) -> MMPretrain 1.2 dataloaders.

0.x wrapped a data source (`data_source=dict(type='ImageNet', data_prefix, ann_file)`) in a
SingleViewDataset / MultiViewDataset that ran one pipeline or several views. 1.2 has only the
dataset (`dict(type='ImageNet', data_root, ann_file, data_prefix=dict(img_path=...))`); the views
are a `MultiView` transform in its pipeline, images are loaded by `LoadImageFromFile` and packed
by `PackInputs`, and normalisation is the `data_preprocessor` (SelfSupDataPreprocessor). In order:

1. `if not prefetch:` (a literal flag) and `pipeline.extend/append(...)` are folded (`selfsup_fold`);
2. every pipeline is converted (`selfsup_pipeline`); Normalize/ToTensor become `data_preprocessor`;
3. `data` becomes `train_dataloader` (and `val_dataloader`), relative to the `_base_` files;
4. variables only 0.x used (`prefetch`, `data_source`, `img_norm_cfg`, ...) go when unused.

Datasets of algorithms MMPretrain 1.2 does not have (DeepCluster, RelativeLoc, RotationPred)
keep their `data` with a TODO.

The MMSelfSup family (MMC6, after the general config rules MMC4/MMC5, which leave data with a
`data_source` to MMC601 - see `uses_data_source`):
- MMC601 data, pipelines (`selfsup_fold`, `selfsup_pipeline`), data_preprocessor (this module);
- MMC602 model, MMC603 custom hooks (`selfsup_model`);
- MMC604 0.x top-level `train_cfg = {}` / `test_cfg = {}` (this module);
- MMC605 StepFixCosineAnnealing (`selfsup_schedule`);
- MMC606 paramwise_options, MMC607 DistOptimizerHook options (`selfsup_optim`).
"""
from __future__ import annotations

import posixpath
from typing import List, Optional, Set, Tuple

import libcst as cst

from codemods import data_pipeline as dp
from codemods.config import MISSING, CfgDict, ConfigFile, Unknown, override, plain, replace_keys
from codemods.config.model import assign_target, load, remember_original
from codemods.config.keys import map_key
from codemods.config.values import TAGGED, base_ref
from codemods.rule import CONFIG, Context, Rule
from codemods.rules.selfsup_fold import fold_ifs, fold_list_calls
from codemods.rules.selfsup_pipeline import convert_selfsup_pipeline, is_selfsup_pipeline
from codemods.todo import TodoTransformer, add_todo
from codemods.walk import iter_nodes

RULE_ID = "MMC601"
SPLITS = ("train", "val", "test", "extract")
#: the 1.2 dataloader of each 0.x split (feature extraction tools read test_dataloader in 1.2)
LOADERS = {"train": "train_dataloader", "val": "val_dataloader", "test": "test_dataloader",
           "extract": "test_dataloader"}
BATCH = ("samples_per_gpu", "imgs_per_gpu")
LOADER_KEYS = ("drop_last", "pin_memory", "persistent_workers")
#: 0.x data sources -> 1.2 datasets
SOURCES = {"ImageNet": "ImageNet", "ImageList": "CustomDataset", "ImageNet21k": "ImageNet21k",
           "CIFAR10": "CIFAR10", "CIFAR100": "CIFAR100"}
#: 0.x dataset wrappers of algorithms 1.2 does not have
UNSUPPORTED = {"DeepClusterDataset": "DeepCluster/ODC", "RelativeLocDataset": "RelativeLoc",
               "RotationPredDataset": "RotationPred"}
#: top-level variables that only fed 0.x keys; removed once nothing refers to them
OLD_VARIABLES = ("prefetch", "data_source", "dataset_type", "train_dataset_type",
                 "extract_dataset_type", "img_norm_cfg")
FOLD_TODO = ("this branch depends on a value known only at run time; MMPretrain 1.2 configs "
             "have no prefetch: keep the branch that adds ToTensor/Normalize and drop the rest")


def uses_data_source(module: cst.Module, path) -> bool:
    """Is this an MMSelfSup 0.x data config (a dataset with `data_source`, here or in a base)?"""
    # MMC501, MMC502 and MMC601 all ask, mostly about the same tree: remember the last answer
    last = _LAST_DATA_SOURCE
    if last and last[0] is module and last[1] == path:
        return last[2]
    found = _uses_data_source(module, path)
    _LAST_DATA_SOURCE[:] = [module, path, found]
    return found


_LAST_DATA_SOURCE: list = []  # [module, path, answer]


def _uses_data_source(module: cst.Module, path) -> bool:
    cfg = ConfigFile(module, path)
    node = cfg.node("data")
    if node is not None and "data" not in cfg.dynamic and not _may_name_source(cfg, node, {"data"}) \
            and not _sourced(cfg.inherited_view("data")):
        return False  # the usual MMClassification `data`: no need to evaluate it
    local = cfg.local("data")
    if isinstance(local, Unknown):
        return "data_source=" in module.code
    return _sourced(cfg.inherited_view("data") if local is MISSING else cfg.merged("data"))


def _may_name_source(cfg: ConfigFile, node: cst.CSTNode, seen: set) -> bool:
    """Could `node` give a dataset a data_source: a key, name or string with the word, a
    `**spread` or a `_base_` reference that may hide one, or a variable of the file that may?"""
    for found in iter_nodes(node, layout=False):
        kind = type(found)
        if kind is cst.Arg and (found.star == "**" or (
                found.keyword is not None and found.keyword.value == "data_source")):
            return True
        if kind is cst.StarredDictElement or (kind is cst.SimpleString and "_base_" in found.value):
            return True
        if kind in (cst.Name, cst.SimpleString) and "data_source" in found.value:
            return True
        if kind is cst.Name and found.value not in seen:
            seen.add(found.value)
            if found.value in cfg.dynamic:
                return True
            if found.value in cfg.statements and _may_name_source(cfg, cfg.node(found.value), seen):
                return True
    return False


def _sourced(data) -> bool:
    return isinstance(data, dict) and any(_has_source(data.get(s)) for s in SPLITS)


def _has_source(dataset) -> bool:
    return isinstance(dataset, dict) and "data_source" in dataset


class SelfSupData(Rule):
    id = RULE_ID
    title = "MMSelfSup data/data_source/views -> train_dataloader, MultiView, data_preprocessor"
    kind = CONFIG
    guide = "从 MMSelfSup 0.x 迁移 / 配置文件 / 数据集"
    triggers = ("data",)  # also `data = dict(train=dict(pipeline=...))` over a base with data_source
    before = """\
data_source = 'ImageNet'
dataset_type = 'MultiViewDataset'
img_norm_cfg = dict(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
train_pipeline = [
    dict(type='RandomResizedCrop', size=224, interpolation=3),
    dict(type='RandomHorizontalFlip'),
    dict(type='ToTensor'),
    dict(type='Normalize', **img_norm_cfg),
]
data = dict(
    samples_per_gpu=32,
    workers_per_gpu=4,
    train=dict(
        type=dataset_type,
        data_source=dict(
            type=data_source,
            data_prefix='data/imagenet/train',
            ann_file='data/imagenet/meta/train.txt'),
        num_views=[2],
        pipelines=[train_pipeline]))
"""
    after = """\
data_preprocessor = dict(
    type='SelfSupDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
train_pipeline = [
    dict(type='RandomResizedCrop', scale=224, interpolation='bicubic', backend='pillow'),
    dict(type='RandomFlip', prob=0.5)
]
train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='ImageNet',
        data_root='data/imagenet/',
        ann_file='meta/train.txt',
        data_prefix=dict(img_path='train/'),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='MultiView', num_views=[2], transforms=[train_pipeline]),
            dict(type='PackInputs'),
        ]))
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        remember_original(module, ctx.path)
        if not uses_data_source(module, ctx.path):
            return module
        original = module
        module, folded = _fold(module)
        module, normalize = _convert_pipelines(module)
        module = _convert_data(module, ctx.path)
        module = _add_preprocessor(module, normalize, ctx.path)
        module = _drop_unused(module)
        module = module.visit(_BaseRefs())
        if folded or not module.deep_equals(original):
            ctx.record(RULE_ID)
        return module


# ---------------------------------------------------------------- 1. control flow


def _fold(module: cst.Module) -> Tuple[cst.Module, int]:
    module, ifs = fold_ifs(module, RULE_ID, FOLD_TODO)
    module, calls = fold_list_calls(module)
    return module, ifs + calls


# ---------------------------------------------------------------- 2. pipelines


def _view_names(module: cst.Module) -> Set[str]:
    """Names of pipelines used as views (`pipelines=[a, b]`): MultiView loads and packs them."""
    names: Set[str] = set()

    class _Visitor(cst.CSTVisitor):
        def visit_Arg(self, node):
            if node.keyword is not None and node.keyword.value == "pipelines" \
                    and isinstance(node.value, cst.List):
                names.update(e.value.value for e in node.value.elements if isinstance(e.value, cst.Name))

    module.visit(_Visitor())
    return names


class _Pipelines(TodoTransformer):
    """Converts every 0.x pipeline list; views (in `pipelines=[...]`, or top-level lists used
    there) are not loaded and packed on their own."""

    rule_id = RULE_ID

    def __init__(self, views: Set[str]) -> None:
        super().__init__()
        self.views = views
        self.normalize: List[cst.Call] = []
        self.to_tensor = False
        self.in_views = 0
        self.view_value: Optional[cst.BaseExpression] = None  # `x = [...]` with x a view

    def visit_SimpleStatementLine(self, node):
        found = dp.top_assign(node)
        self.view_value = found[1] if found and found[0] in self.views else None

    def visit_Arg(self, node):
        self.in_views += node.keyword is not None and node.keyword.value == "pipelines"

    def leave_Arg(self, original, updated):
        self.in_views -= original.keyword is not None and original.keyword.value == "pipelines"
        return updated

    def leave_List(self, original, updated):
        if not is_selfsup_pipeline(updated):
            return updated
        self.to_tensor |= any(dp.type_name_of(e) == "ToTensor" for e in updated.elements)
        view = self.in_views > 0 or original is self.view_value
        result = convert_selfsup_pipeline(updated, full=not view)
        for message in result.todos:
            self.todo(message)
        self.normalize += result.normalize
        return result.node


def _convert_pipelines(module: cst.Module):
    """The module with converted pipelines, and (removed Normalize calls, was ToTensor removed)."""
    visitor = _Pipelines(_view_names(module))
    return module.visit(visitor), (visitor.normalize, visitor.to_tensor)


# ---------------------------------------------------------------- 3. data -> dataloaders


def _split_paths(prefix, ann) -> dict:
    """'data/x/train' + 'data/x/meta/train.txt' -> data_root='data/x/', relative paths."""
    out = {}
    if isinstance(prefix, str) and isinstance(ann, str) and prefix and ann:
        same_kind = posixpath.isabs(prefix) == posixpath.isabs(ann)
        root = posixpath.commonpath([prefix, ann]) if same_kind else ""
        if root and root != "/":
            out["data_root"] = root.rstrip("/") + "/"
            out["ann_file"] = posixpath.relpath(ann, root)
            out["data_prefix"] = {"img_path": posixpath.relpath(prefix, root).rstrip("/") + "/"}
            return out
    if ann is not MISSING:
        out["ann_file"] = ann
    if prefix is not MISSING:
        out["data_prefix"] = {"img_path": prefix}
    return out


def _dataset(source, split: str, todos: List[str]) -> dict:
    kind = plain(source.get("type", MISSING))
    new_type = SOURCES.get(kind) if isinstance(kind, str) else None
    if new_type is None:
        todos.append(f"data_source type {kind!r}: set the 1.2 dataset type (ImageNet, CustomDataset, ...)")
        new_type = kind if isinstance(kind, str) else "CustomDataset"
    if kind == "ImageList":
        todos.append("ImageList -> CustomDataset: its ann_file lines are 'path label'; if the list "
                     "has no labels, set with_label=False")
    out = CfgDict(type=new_type)
    prefix, ann = source.get("data_prefix", MISSING), source.get("ann_file", MISSING)
    if new_type.startswith("CIFAR"):
        out["data_root"] = prefix
        out["split"] = "test" if source.get("test_mode") is True else "train"
    else:
        out.update(_split_paths(prefix, ann))
    if "classes" in source:
        out["classes"] = source["classes"]
    for key in source:
        if key not in ("type", "data_prefix", "ann_file", "classes", "test_mode"):
            todos.append(f"data.{split}.data_source.{key} has no 1.2 dataset argument")
    return out


def _pipeline(dataset: dict):
    if "pipelines" not in dataset:
        return dataset.get("pipeline", MISSING)
    multi = CfgDict(type="MultiView", num_views=dataset.get("num_views", MISSING),
                    transforms=dataset["pipelines"])
    if multi["num_views"] is MISSING:
        del multi["num_views"]
    return [{"type": "LoadImageFromFile"}, multi, {"type": "PackInputs"}]


def convert_loader(data: dict, split: str, todos: List[str], workers: bool = True):
    """The 1.2 dataloader for one 0.x split (None when the split has no data_source).
    `workers`: the top-level persistent_workers, which 0.x gave each loader unless `data` set it."""
    dataset = data.get(split)
    if not _has_source(dataset):
        return None
    loader = CfgDict()
    for key in BATCH:
        if key in data:
            loader["batch_size"] = data[key]
    if "workers_per_gpu" in data:
        loader["num_workers"] = data["workers_per_gpu"]
    for key in LOADER_KEYS:
        if key in data and not (key == "drop_last" and split != "train"):  # 0.x validated all
            loader[key] = data[key]
    loader.setdefault("persistent_workers", workers)
    loader["sampler"] = {"type": "DefaultSampler", "shuffle": split == "train"}
    if split == "train":
        loader["collate_fn"] = {"type": "default_collate"}
    new = _dataset(dataset["data_source"], split, todos)
    _dataset_todos(dataset, split, todos)
    pipeline = _pipeline(dataset)
    if pipeline is not MISSING:
        new["pipeline"] = pipeline
    loader["dataset"] = new
    return loader


#: what MMSelfSup 0.x's SingleViewDataset / MultiViewDataset took (they become the source's type)
DATASETS = ("SingleViewDataset", "MultiViewDataset")
DATASET_KEYS = ("type", "data_source", "pipeline", "pipelines", "num_views", "prefetch")


def _dataset_todos(dataset: dict, split: str, todos: List[str]) -> None:
    """What the 1.2 dataset built from `data_source` leaves out: another dataset class and its
    arguments (an OpenSelfSup or user dataset with `pipeline1`/`pipeline2`, ...)."""
    kind = plain(dataset.get("type", MISSING))
    if isinstance(kind, str) and kind not in DATASETS:
        todos.append(f"data.{split} type {kind!r} is not an MMSelfSup 0.x dataset: the 1.2 dataset "
                     f"below is built from its data_source only; port what {kind} did")
    for key in dataset:
        if key not in DATASET_KEYS:
            todos.append(f"data.{split}.{key} has no 1.2 dataset argument and was not carried over; "
                         "port it by hand")


def _unsupported(data) -> Optional[str]:
    for split in SPLITS:
        dataset = data.get(split) if isinstance(data, dict) else None
        kind = plain(dataset.get("type")) if isinstance(dataset, dict) else None
        if isinstance(kind, str) and kind in UNSUPPORTED:
            return UNSUPPORTED[kind]
    return None


def _loader_todos(data: dict, todos: List[str]) -> None:
    known = {*SPLITS, *BATCH, "workers_per_gpu", *LOADER_KEYS}
    for key in data:
        if key not in known:
            todos.append(f"data.{key} has no 1.2 dataloader argument; set it where it belongs")


def _loaders(data, todos: List[str], workers: bool = True) -> dict:
    if not isinstance(data, dict):
        return {}
    found = {}
    for split in SPLITS:
        loader = convert_loader(data, split, todos, workers)
        if loader is not None:
            found[split] = loader
    return found


def _convert_data(module: cst.Module, path) -> cst.Module:
    cfg = ConfigFile(module, path)
    local = cfg.local("data")
    if local is MISSING:
        return _workers_override(module, cfg)
    index = cfg.statements.get("data")
    merged = cfg.merged("data")
    algorithm = _unsupported(merged)
    if algorithm is not None or index is None or isinstance(merged, Unknown):
        message = (f"MMPretrain 1.2 has no {algorithm}: port its dataset and algorithm or use "
                   "another one" if algorithm else "`data` is not readable statically: write "
                   "train_dataloader by hand (see MMPretrain 1.2 configs/_base_/datasets)")
        return _todo_at(module, index, message)
    todos: List[str] = []
    if isinstance(local, dict):
        _loader_todos(local, todos)
    full = _loaders(merged, todos, _workers(cfg.merged_view("persistent_workers")))
    base = _loaders(cfg.inherited("data"), [], _bases_workers(cfg))
    new = []
    for split, loader in full.items():
        value = override(base.get(split, MISSING), loader)
        if value is not MISSING:
            new.append((LOADERS[split], value))
    undefined = _undefined_names([v for _, v in new], module)
    if undefined:
        return _todo_at(module, index, "the new dataloaders would refer to variables of a _base_ "
                        f"config ({', '.join(sorted(undefined))}); write them with {{{{_base_.x}}}}")
    new += _evaluator(cfg, dict(new), path)
    module = replace_keys(module, ["data"], new)
    return _todos_on(module, [k for k, _ in new], todos)


# MMSelfSup 0.x's train_model gave every loader the top-level `persistent_workers` (its
# default_runtime sets True), unless `data` set one. The migrated loaders carry the value.

def _workers(value) -> bool:
    return value if isinstance(value, bool) else True  # a value not known statically: the default


def _bases_workers(cfg: ConfigFile) -> bool:
    """What the migrated `_base_` files give the loaders when their `data` does not say: False
    only when one base sees both the data and a False (its own migration wrote it there)."""
    for base in cfg.bases():
        if base is not None and base.merged_view("persistent_workers") is False \
                and _sourced(base.merged_view("data")):
            return False
    return True


def _workers_override(module: cst.Module, cfg: ConfigFile) -> cst.Module:
    """A file without `data` whose top-level persistent_workers differs from what its bases'
    migrated loaders have (it sets it, or joins a base that does with the data's base): the
    loaders get partial overrides. A loader the file already writes in 1.x form is left alone."""
    data = cfg.inherited_view("data")
    before, after = _bases_workers(cfg), _workers(cfg.merged_view("persistent_workers"))
    if before == after or not _sourced(data) or "persistent_workers" in data:
        return module
    new = {LOADERS[split]: {"persistent_workers": after} for split in SPLITS
           if _has_source(data.get(split)) and LOADERS[split] not in cfg.statements}
    return replace_keys(module, [], list(new.items())) if new else module


def _evaluator(cfg: ConfigFile, new: dict, path) -> list:
    """A new validation set gets the accuracy MMSelfSup's datasets computed (top-k from its
    `evaluation = dict(topk=...)`, which the evaluation rule has removed by now)."""
    dataset = new.get("val_dataloader", {}).get("dataset", {})
    if "type" not in dataset or cfg.local("evaluation") is not MISSING:
        return []
    if cfg.merged("val_evaluator") is not MISSING or cfg.merged("evaluation") is not MISSING:
        return []
    loaded = load(path) if path is not None else None
    evaluation = loaded.merged("evaluation") if loaded is not None else MISSING
    topk = evaluation.get("topk", (1, 5)) if isinstance(evaluation, dict) else (1, 5)
    return [("val_evaluator", {"type": "Accuracy", "topk": topk}),
            ("test_evaluator", cst.Name("val_evaluator"))]


def _todos_on(module: cst.Module, keys: List[str], todos: List[str], rule_id: str = RULE_ID) -> cst.Module:
    if not todos or not keys:  # the TODOs go above the first new key
        return module
    body = list(module.body)
    for i, stmt in enumerate(body):
        if assign_target(stmt) == keys[0]:
            for message in todos:
                body[i] = add_todo(body[i], rule_id, message)
    return module.with_changes(body=body)


def _todo_at(module: cst.Module, index: Optional[int], message: str, rule_id: str = RULE_ID) -> cst.Module:
    if index is None:
        return module
    body = list(module.body)
    body[index] = add_todo(body[index], rule_id, message)
    return module.with_changes(body=body)


def _names_in(node: cst.CSTNode) -> Set[str]:
    found: Set[str] = set()

    class _Visitor(cst.CSTVisitor):
        def visit_Name(self, name):
            found.add(name.value)

        def visit_Attribute(self, attr):
            attr.value.visit(self)
            return False

        def visit_Arg(self, arg):
            arg.value.visit(self)
            return False

    node.visit(_Visitor())
    return found


def _references(value) -> Set[str]:
    """Variable names a value prints as (sources and unknown expressions inside it)."""
    if isinstance(value, TAGGED) and value.source is not None:
        return _names_in(value.source)
    if isinstance(value, Unknown):
        return _names_in(value.node)
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else []
    found: Set[str] = set()
    for item in items:
        found |= _references(item)
    return found


def _undefined_names(values, module: cst.Module) -> Set[str]:
    defined = {assign_target(s) for s in module.body} | {"dict", "True", "False", "None", "_base_"}
    return _references(values) - defined


# ---------------------------------------------------------------- 4. data_preprocessor


def _scaled(values) -> Optional[list]:
    if not isinstance(values, (list, tuple)) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return None
    return [round(float(v) * 255, 6) for v in values]


#: 0.x algorithms whose 1.2 counterparts are self-supervisors (SelfSupDataPreprocessor)
SELFSUP_MODELS = {"BarlowTwins", "BYOL", "CAE", "DenseCL", "MAE", "MaskFeat", "MoCo", "MoCoV3",
                  "SimCLR", "SimMIM", "SimSiam", "SwAV"}


def _preprocessor(cfg: ConfigFile, normalize: List[cst.Call]) -> Optional[dict]:
    """SelfSupDataPreprocessor for a self-supervised model, or for views/masks (which only those
    take); else the type is left to the model (1.2 self-supervisors default to
    SelfSupDataPreprocessor, ImageClassifier to ClsDataPreprocessor)."""
    model = cfg.merged("model")
    kind = plain(model.get("type")) if isinstance(model, dict) else None
    selfsup = kind in SELFSUP_MODELS or (kind is None and SELFSUP_ONLY & _types(cfg.module))
    out = {"type": "SelfSupDataPreprocessor"} if selfsup else {}
    classes = _augment_classes(model)
    if classes is not None:  # 1.2's batch augments (Mixup, CutMix) read it from the preprocessor
        out["num_classes"] = classes
    if not normalize:  # ToTensor alone scaled images to [0, 1]
        return {**out, "mean": [0, 0, 0], "std": [255, 255, 255], "to_rgb": True}
    value = cfg.evaluate(normalize[0])
    if not isinstance(value, dict):
        return None
    mean, std = _scaled(value.get("mean")), _scaled(value.get("std"))
    if mean is None or std is None:
        return None
    # 0.x data sources read RGB images; 1.2 reads BGR and converts in the preprocessor
    return {**out, "mean": mean, "std": std, "to_rgb": True}


#: transforms whose output only a self-supervised model takes (several views, masks)
SELFSUP_ONLY = {"MultiView", "BEiTMaskGenerator", "SimMIMMaskGenerator"}


def _types(module: cst.Module) -> Set[str]:
    """The `type` of every `dict(type=...)` in the file."""
    calls = (n for n in iter_nodes(module, layout=False) if type(n) is cst.Call and dp.is_dict_call(n))
    return {name for name in map(dp.type_name, calls) if name}


def _augment_classes(model) -> Optional[int]:
    """The number of classes of a classifier trained with batch augments (0.x gave it to each)."""
    train_cfg = model.get("train_cfg") if isinstance(model, dict) else None
    augments = train_cfg.get("augments") if isinstance(train_cfg, dict) else None
    if not augments:
        return None
    augments = augments if isinstance(augments, (list, tuple)) else [augments]
    head = model.get("head") if isinstance(model.get("head"), dict) else {}
    for found in [a.get("num_classes") for a in augments if isinstance(a, dict)] + [head.get("num_classes")]:
        if isinstance(plain(found), int):
            return plain(found)
    return None


def _add_preprocessor(module: cst.Module, removed: Tuple[List[cst.Call], bool], path) -> cst.Module:
    normalize, to_tensor = removed
    if not (normalize or to_tensor) or "data_preprocessor" in {assign_target(s) for s in module.body}:
        return module
    value = _preprocessor(ConfigFile(module, path), normalize)
    if value is None:
        return _todo_at(module, _first_pipeline(module), "Normalize was removed from the pipeline: "
                        "set data_preprocessor = dict(type='SelfSupDataPreprocessor', mean=..., "
                        "std=..., to_rgb=True) with 0-255 values")
    at = _first_pipeline(module) or 0
    new = replace_keys(cst.Module(body=[]), [], [("data_preprocessor", value)]).body[0]
    return module.with_changes(body=[*module.body[:at], new, *module.body[at:]])


def _first_pipeline(module: cst.Module) -> Optional[int]:
    for i, stmt in enumerate(module.body):
        found = dp.top_assign(stmt)
        if found and isinstance(found[1], cst.List) and "pipeline" in found[0]:
            return i
    return None


# ---------------------------------------------------------------- 5. clean-up


class _BaseRefs(cst.CSTTransformer):
    """`{{_base_.data.samples_per_gpu}}` -> `{{_base_.train_dataloader.batch_size}}`: the base
    is migrated too, and has no `data` any more."""

    def leave_Set(self, original, updated):
        path = base_ref(updated)
        if not path or path[0] != "data":
            return updated
        new = map_key(".".join(path))
        if not new:
            return updated
        return cst.parse_expression("{{_base_." + new[0] + "}}")


def _drop_unused(module: cst.Module) -> cst.Module:
    """Remove 0.x-only variables nothing refers to any more, with the comments about them."""
    for name in OLD_VARIABLES:
        index = next((i for i, s in enumerate(module.body) if assign_target(s) == name), None)
        if index is None:
            continue
        rest = [s for i, s in enumerate(module.body) if i != index]
        if any(name in _names_in(s) for s in rest):
            continue
        module = module.with_changes(body=rest)
    return module


# ---------------------------------------------------------------- MMC604


#: keys that only a 0.x config has
OLD_KEYS = {"optimizer_config", "log_config", "workflow", "dist_params", "resume_from", "lr_config",
            "checkpoint_config", "data", "evaluation"}


def _empty_dict(node) -> bool:
    return (isinstance(node, cst.Dict) and not node.elements) or (
        dp.is_dict_call(node) and not node.args)


class OldModelCfgs(Rule):
    id = "MMC604"
    title = "0.x top-level train_cfg = {} / test_cfg = {} (the model's, always empty) removed"
    kind = CONFIG
    guide = "从 MMSelfSup 0.x 迁移 / 配置文件 (train_cfg/test_cfg are the loops' settings in 1.x)"
    triggers = ("train_cfg", "test_cfg")
    before = """\
train_cfg = {}
test_cfg = {}
log_config = dict(interval=50, hooks=[dict(type='TextLoggerHook')])
"""
    after = """\
log_config = dict(interval=50, hooks=[dict(type='TextLoggerHook')])
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        remember_original(module, ctx.path)
        if not any(assign_target(s) in ("train_cfg", "test_cfg") and _empty_dict(s.body[0].value)
                   for s in module.body):
            return module  # nothing to remove: no need to read the original file
        loaded = load(ctx.path) if ctx.path is not None else None
        original = loaded.module if loaded is not None else module
        keys = {assign_target(s): s for s in original.body}
        loops = {"runner", "val_cfg"} & (set(keys) | {assign_target(s) for s in module.body})
        if loops or not OLD_KEYS & set(keys):
            return module  # 1.x loop settings (always with val_cfg), or the schedule rules' business
        old = {k for k in ("train_cfg", "test_cfg") if k in keys and _empty_dict(keys[k].body[0].value)}
        body = [s for s in module.body if not (assign_target(s) in old and _empty_dict(s.body[0].value))]
        if len(body) == len(module.body):
            return module
        ctx.record(self.id)
        return module.with_changes(body=body)
