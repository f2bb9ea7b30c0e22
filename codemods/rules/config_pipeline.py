"""MMC502: data pipelines in 0.x form -> MMPretrain 1.2 transforms and a data preprocessor.

Every pipeline list in a config (top-level `train_pipeline = [...]` or inline in `data`) is
converted transform by transform (see `codemods.data_pipeline`). Normalize leaves the pipeline:
its mean/std/to_rgb become the top-level `data_preprocessor`, which MMEngine's Runner gives the
model. An `img_norm_cfg = dict(...)` used only by Normalize becomes that `data_preprocessor`.
"""
from __future__ import annotations

from typing import List, Optional

import libcst as cst

from codemods import data_pipeline as dp
from codemods.config import for_rule
from codemods.config.model import assign_target
from codemods.walk import child_nodes, iter_nodes
from codemods.rule import CONFIG, Context, Rule
from codemods.rules.config_data import SPLITS
from codemods.rules.selfsup import uses_data_source
from codemods.rules.imports import without_header_duplicates
from codemods.todo import TodoTransformer, add_todo

RULE_ID = "MMC502"

#: classes of the datasets MMPretrain 1.2's `_base_/datasets` give `num_classes` for
NUM_CLASSES = {"ImageNet": 1000, "CIFAR10": 10, "CIFAR100": 100, "MNIST": 10, "FashionMNIST": 10,
               "CUB": 200, "VOC": 20, "StanfordCars": 196, "ImageNet21k": 21842}
MULTI_LABEL = {"VOC"}


class _Pipelines(TodoTransformer):
    """Converts the pipeline lists inside one top-level statement (TODOs go above it)."""

    rule_id = RULE_ID

    def __init__(self, evaluate=None, within=None) -> None:
        super().__init__()
        self.evaluate = evaluate
        self.within = within  # ids of the nodes that are or hold a pipeline list (None: all)
        self.normalize: List[cst.Call] = []  # the Normalize transforms taken out
        self.changes = 0

    def on_visit(self, node) -> bool:
        # Below a node with no pipeline the transformer would only rebuild what it passes.
        return super().on_visit(node) and (self.within is None or id(node) in self.within)

    def leave_List(self, original, updated):
        if not dp.is_pipeline(updated):
            return updated
        result = dp.convert_pipeline(updated, evaluate=self.evaluate)
        for message in result.todos:
            self.todo(message)
        self.normalize += result.normalize
        self.changes += int(result.changed)
        return result.node


class ConfigPipelines(Rule):
    id = RULE_ID
    title = "Pipelines: 1.2 transform names/arguments, PackInputs, Normalize -> data_preprocessor"
    kind = CONFIG
    guide = "从 MMClassification 0.x 迁移 / 数据设置 / pipeline 字段的变化"
    triggers = ("Collect", "ToTensor", "Normalize", "flip_prob", "PackClsInputs", "efficientnet_style")
    before = """\
img_norm_cfg = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', size=224),
    dict(type='RandomFlip', flip_prob=0.5, direction='horizontal'),
    dict(type='Normalize', **img_norm_cfg),
    dict(type='ImageToTensor', keys=['img']),
    dict(type='ToTensor', keys=['gt_label']),
    dict(type='Collect', keys=['img', 'gt_label'])
]
"""
    after = """\
data_preprocessor = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs')
]
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        # a TODO above the first statement is read back as the file header
        return without_header_duplicates(self._transform(module, ctx))

    def _transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        if uses_data_source(module, ctx.path):
            return module  # MMSelfSup 0.x data: MMC601 migrates it
        evaluate = for_rule(module, ctx.path).evaluate
        data_names = _data_names(module)
        body, removed, changes = [], [], 0
        for index, stmt in enumerate(module.body):
            within = set()
            if not _holds_pipeline(stmt, within):
                body.append(stmt)  # a transformer pass would only rebuild it
                continue
            if not _feeds_data(stmt, data_names):
                new = add_todo(stmt, self.id, NOT_DATA_TODO)
                changes += new is not stmt
                body.append(new)
                continue
            visitor = _Pipelines(evaluate, within)
            body.append(stmt.visit(visitor))
            removed += [(index, n) for n in visitor.normalize]
            changes += visitor.changes
        if not changes:
            return module
        ctx.record(self.id, changes)
        updated = module.with_changes(body=body)
        return _add_preprocessor(updated, removed, ctx) if removed else updated


NOT_DATA_TODO = ("0.x transforms that the data does not use (a hook's or your code's?): left as "
                 "they are; 1.2 pipelines have other transforms, and their Normalize is the model's "
                 "data_preprocessor: port this list by hand")
_DATA_KEYS = ("data", *(f"{split}_dataloader" for split in SPLITS))


def _data_names(module: cst.Module) -> Optional[set]:
    """Names the file's data statements use (None if it has none: its pipelines may be for the
    data of another file)."""
    found = None
    for stmt in module.body:
        if assign_target(stmt) in _DATA_KEYS:
            found = found or set()
            found.update(n.value for n in iter_nodes(stmt, layout=False) if type(n) is cst.Name)
    return found


def _feeds_data(stmt, data_names: Optional[set]) -> bool:
    """Is this statement's pipeline (likely) one of the data's? Only a variable the data here
    does not use, and not named like one (train_pipeline, test_pipeline_x), is not."""
    target = assign_target(stmt)
    if data_names is None or target is None or target in _DATA_KEYS or target in data_names:
        return True
    return target.startswith(("train", "val", "test")) and "pipeline" in target


# ---------------------------------------------------------------- data_preprocessor


def dataset_classes(cfg) -> Optional[int]:
    """num_classes of the dataset a config trains on, for the dataset types 1.2 gives it for."""
    return NUM_CLASSES.get(dataset_name(cfg) or "")


def dataset_name(cfg) -> Optional[str]:
    """The dataset type a config trains on, read from `train_dataloader` (when MMC501 ran) or
    0.x `data.train`, through wrappers; or its `dataset_type` variable."""
    for key, part in (("train_dataloader", "dataset"), ("data", "train")):
        value = cfg.merged_view(key)
        value = value.get(part) if isinstance(value, dict) else None
        while isinstance(value, dict) and isinstance(value.get("dataset"), dict):
            value = value["dataset"]
        if isinstance(value, dict) and isinstance(value.get("type"), str):
            return value["type"].split(".")[-1]
    name = cfg.local("dataset_type")
    return name if isinstance(name, str) else None


def _holds_pipeline(node: cst.CSTNode, found: set) -> bool:
    """Is `node` a pipeline list or above one? Adds the ids of such nodes below it to `found`
    (by subtree, so a node object used at two places counts at both)."""
    hit = False
    for child in child_nodes(node, layout=False):
        hit = _holds_pipeline(child, found) or hit
    if hit or dp.is_pipeline(node):
        found.add(id(node))
        return True
    return False


def _used_elsewhere(module: cst.Module, name: str) -> bool:
    """Is `name` used more than once in `module`?"""
    count = 0
    for node in iter_nodes(module, layout=False):
        if type(node) is cst.Name and node.value == name:  # exact class: isinstance on ABCs is slow
            count += 1
            if count > 1:
                return True
    return False


def _add_preprocessor(module: cst.Module, removed: List[tuple], ctx: Context) -> cst.Module:
    first_index, first = removed[0]
    differing = [n for _, n in removed if not dp.same_code(n, first)]
    if dp.find_assign(module, "data_preprocessor") is not None:
        code = cst.Module([]).code_for_node(first)
        return _todo_at(module, first_index, f"{code} was removed from the pipeline; check that "
                        "data_preprocessor has its mean/std/to_rgb")
    cfg = for_rule(module, ctx.path)
    num_classes = dataset_classes(cfg)
    extra = [("num_classes", cst.Integer(str(num_classes)))] if num_classes else []
    if dataset_name(cfg) in MULTI_LABEL:
        # 1.2's multi-label dataset configs have the preprocessor make one-hot targets
        extra.append(("to_onehot", cst.Name("True")))
    name = dp.spread_name(first)
    if name is not None:
        module = _from_variable(module, name, extra, first_index)
    else:
        pairs = dp.normalize_args(first)
        if pairs is None:
            return _todo_at(module, first_index, "Normalize was removed: set data_preprocessor = "
                            "dict(mean=..., std=..., to_rgb=...) from its arguments")
        stmt = cst.SimpleStatementLine([cst.Assign(
            targets=[cst.AssignTarget(cst.Name("data_preprocessor"))],
            value=dp.dict_call(extra + pairs))])
        module = module.with_changes(body=[*module.body[:first_index], stmt, *module.body[first_index:]])
    if differing:
        code = cst.Module([]).code_for_node(differing[0])
        at = dp.find_assign(module, "data_preprocessor")
        module = _todo_at(module, first_index if at is None else at,
                          "pipelines normalised differently; 1.2 has one data_preprocessor for all "
                          f"splits (this one), another pipeline had {code}")
    ctx.record(RULE_ID)
    return module


def _from_variable(module, name, extra, where) -> cst.Module:
    """`img_norm_cfg = dict(...)` -> `data_preprocessor = dict(...)` (same args + 0.x to_rgb)."""
    at = dp.find_assign(module, name)
    if at is None:
        return _todo_at(module, where, f"Normalize(**{name}) was removed: set data_preprocessor "
                        f"= dict(mean=..., std=..., to_rgb=...) from {name}")
    value = dp.top_assign(module.body[at])[1]
    if not dp.is_dict_call(value) or dp.has_spread(value):
        return _todo_at(module, at, f"set data_preprocessor = dict(mean=..., std=..., to_rgb=...) "
                        f"from {name} (Normalize was removed from the pipeline)")
    args = list(value.args)
    if dp.kwarg(value, "to_rgb") is None:
        args.append(dp.new_arg("to_rgb", dp.expr("True")))  # Normalize's 0.x default
    args = [dp.new_arg(k, v) for k, v in extra] + args
    new_value = dp.replace_args(value, args)
    stmt = module.body[at]
    new_stmt = cst.SimpleStatementLine(
        [cst.Assign(targets=[cst.AssignTarget(cst.Name("data_preprocessor"))], value=new_value)],
        leading_lines=stmt.leading_lines, trailing_whitespace=stmt.trailing_whitespace)
    if _used_elsewhere(module, name):  # still used elsewhere: keep it, add the preprocessor
        return module.with_changes(body=[*module.body[:at + 1], new_stmt.with_changes(
            leading_lines=[]), *module.body[at + 1:]])
    return module.with_changes(body=[*module.body[:at], new_stmt, *module.body[at + 1:]])


def _todo_at(module, index, message) -> cst.Module:
    index = min(index, len(module.body) - 1)
    body = list(module.body)
    body[index] = add_todo(body[index], RULE_ID, message)
    return module.with_changes(body=body)
