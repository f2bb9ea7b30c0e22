"""MMC504-MMC506: the `model` settings that changed (guide: 模型设置).

- MMC504 `model.train_cfg.augments`: BatchMixup/BatchCutMix/BatchResizeMix -> Mixup/CutMix/
  ResizeMix without `num_classes` and `prob`; the probabilities go to `train_cfg.probs`; the
  number of classes goes to the data preprocessor (1.2's batch augments read it there) unless
  the dataset's preprocessor already has it.
- MMC505 `model.pretrained='x'` -> `init_cfg=dict(type='Pretrained', checkpoint='x')`, what
  0.x ImageClassifier did with it.
- MMC506 registry-scoped types `'mmcls.X'` -> `'mmpretrain.X'` anywhere in a config.
"""
from __future__ import annotations

from typing import List, Optional

import libcst as cst

from codemods import data_pipeline as dp
from codemods.config import MISSING, for_rule
from codemods.rules.imports import without_header_duplicates
from codemods.rule import CONFIG, Context, Rule
from codemods.rules.config_pipeline import NUM_CLASSES, dataset_classes
from codemods.todo import add_todo

AUGMENTS = {"BatchMixup": "Mixup", "BatchCutMix": "CutMix", "BatchResizeMix": "ResizeMix"}


def _model_call(module):
    at = dp.find_assign(module, "model")
    if at is None:
        return None, None
    value = dp.top_assign(module.body[at])[1]
    return (at, value) if dp.is_dict_call(value) else (None, None)


def _set_model(module, at, value):
    stmt = module.body[at]
    small = stmt.body[0].with_changes(value=value)
    return module.with_changes(body=[*module.body[:at], stmt.with_changes(body=[small]),
                                     *module.body[at + 1:]])


class BatchAugments(Rule):
    id = "MMC504"
    title = "model.train_cfg.augments: Mixup/CutMix/ResizeMix, probs, num_classes"
    kind = CONFIG
    guide = "从 MMClassification 0.x 迁移 / 模型设置 / model.train_cfg 字段的变化"
    triggers = ("BatchMixup", "BatchCutMix", "BatchResizeMix")
    before = """\
model = dict(
    train_cfg=dict(augments=[
        dict(type='BatchMixup', alpha=0.8, num_classes=1000, prob=0.5),
        dict(type='BatchCutMix', alpha=1.0, num_classes=1000, prob=0.5)
    ]))
"""
    after = """\
model = dict(
    train_cfg=dict(augments=[
        dict(type='Mixup', alpha=0.8),
        dict(type='CutMix', alpha=1.0)
    ]))
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        # a TODO above the first statement is read back as the file header
        return without_header_duplicates(self._transform(module, ctx))

    def _transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        at, model = _model_call(module)
        train_cfg = dp.kwarg_value(model, "train_cfg") if model is not None else None
        if not dp.is_dict_call(train_cfg) or dp.kwarg(train_cfg, "augments") is None:
            return module
        augments = dp.kwarg_value(train_cfg, "augments")
        items = augments.elements if isinstance(augments, (cst.List, cst.Tuple)) else None
        calls = [e.value for e in items] if items is not None else [augments]
        if not all(dp.is_dict_call(c) and dp.type_name(c) in AUGMENTS for c in calls):
            return module  # already 1.x, or not readable
        probs = [dp.kwarg_value(c, "prob") for c in calls]
        classes = [dp.kwarg_value(c, "num_classes") for c in calls]
        new = [_augment(c) for c in calls]
        if items is not None:
            augments = augments.with_changes(elements=[e.with_changes(value=n) for e, n in zip(items, new)])
        else:
            augments = new[0]
        train_cfg = dp.set_kwarg(train_cfg, "augments", augments)
        if any(p is not None for p in probs) and not _uniform(probs):
            train_cfg = dp.set_kwarg(train_cfg, "probs", _probs(probs, items is not None))
        module = _set_model(module, at, dp.set_kwarg(model, "train_cfg", train_cfg))
        module = _num_classes(module, ctx, next((c for c in classes if c is not None), None), at)
        ctx.record(self.id)
        return module


def _augment(call):
    new = dp.drop_kwargs(call, "num_classes", "prob")
    old = dp.string_value(dp.kwarg_value(call, "type"))
    scope = "mmpretrain." if old.startswith("mmcls.") else ""
    return dp.set_kwarg(new, "type", dp.quote(scope + AUGMENTS[dp.type_name(call)]))


def _uniform(probs) -> bool:
    """Equal probabilities summing to 1 (or one augment always applied) are what 1.2 does
    without `probs`: it picks one augment uniformly (the guide's example drops them)."""
    values = []
    for node in probs:
        if not isinstance(node, (cst.Float, cst.Integer)):
            return False
        values.append(float(node.evaluated_value))
    return len(set(values)) == 1 and abs(sum(values) - 1.0) < 1e-9


def _probs(probs, as_list):
    # 0.x default prob of one augment was 1.0
    nodes = [p if p is not None else dp.expr("1.0") for p in probs]
    if not as_list:
        return nodes[0]
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return cst.List([cst.Element(n, comma=comma) for n in nodes[:-1]] + [cst.Element(nodes[-1])])


def _num_classes(module, ctx, classes: Optional[cst.BaseExpression], model_at):
    """Put the augments' num_classes where 1.2 reads it: the data preprocessor."""
    if classes is None:
        return module
    cfg = for_rule(module, ctx.path)
    merged = cfg.merged("data_preprocessor")
    if isinstance(merged, dict) and "num_classes" in merged:
        return module
    if cfg.merged("data_preprocessor") is MISSING and dataset_classes(cfg) is not None:
        return module  # the dataset's preprocessor (migrated by MMC502) gives num_classes
    at = dp.find_assign(module, "data_preprocessor")
    if at is not None:
        value = dp.top_assign(module.body[at])[1]
        if dp.is_dict_call(value):
            stmt = module.body[at]
            small = stmt.body[0].with_changes(value=dp.set_kwarg(value, "num_classes", classes))
            return module.with_changes(body=[*module.body[:at], stmt.with_changes(body=[small]),
                                             *module.body[at + 1:]])
        return module
    code = cst.Module([]).code_for_node(classes)
    if cfg.local("_base_") is MISSING and isinstance(classes, cst.Integer) \
            and int(classes.value) in NUM_CLASSES.values():
        return module  # the migrated dataset bases of 1.2's datasets carry this num_classes
    if cfg.local("_base_") is MISSING:
        # A model-only base: a data_preprocessor here would clash with the dataset base's
        # (MMEngine forbids a key in two sibling bases), so say where it goes instead.
        stmt = add_todo(module.body[model_at], "MMC504", "1.2 batch augments read num_classes "
                        f"from the data preprocessor: set data_preprocessor = dict(num_classes={code}) "
                        "in the config that sets the dataset")
        return module.with_changes(body=[*module.body[:model_at], stmt, *module.body[model_at + 1:]])
    stmt = cst.SimpleStatementLine([cst.Assign(
        targets=[cst.AssignTarget(cst.Name("data_preprocessor"))],
        value=dp.dict_call([("num_classes", classes)]))])
    return module.with_changes(body=[*module.body[:model_at + 1], stmt, *module.body[model_at + 1:]])


class Pretrained(Rule):
    id = "MMC505"
    title = "model.pretrained -> model.init_cfg=dict(type='Pretrained', checkpoint=...)"
    kind = CONFIG
    guide = "从 MMClassification 0.x 迁移 / 模型设置"
    triggers = ("pretrained",)
    before = "model = dict(type='ImageClassifier', pretrained='ckpt.pth', backbone=dict(type='ResNet'))\n"
    after = ("model = dict(type='ImageClassifier', init_cfg=dict(type='Pretrained', "
             "checkpoint='ckpt.pth'), backbone=dict(type='ResNet'))\n")

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        # a TODO above the first statement is read back as the file header
        return without_header_duplicates(self._transform(module, ctx))

    def _transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        at, model = _model_call(module)
        if model is None or dp.kwarg(model, "pretrained") is None:
            return module
        checkpoint = dp.kwarg_value(model, "pretrained")
        if isinstance(checkpoint, cst.Name) and checkpoint.value == "None":
            new = dp.drop_kwargs(model, "pretrained")
        elif dp.kwarg(model, "init_cfg") is not None:
            stmt = add_todo(module.body[at], self.id, "model has both pretrained and init_cfg: "
                            "keep one init_cfg=dict(type='Pretrained', checkpoint=...)")
            return module.with_changes(body=[*module.body[:at], stmt, *module.body[at + 1:]])
        else:
            init = dp.dict_call([("type", dp.quote("Pretrained")), ("checkpoint", checkpoint)])
            args = [a.with_changes(keyword=cst.Name("init_cfg"), value=init)
                    if a.keyword is not None and a.keyword.value == "pretrained" else a
                    for a in model.args]
            new = model.with_changes(args=args)
        ctx.record(self.id)
        return _set_model(module, at, new)


class ScopedTypes(Rule):
    id = "MMC506"
    title = "Scoped types 'mmcls.X' -> 'mmpretrain.X', _scope_='mmcls' -> 'mmpretrain'"
    kind = CONFIG
    guide = "配置文件的通用改变 / 新字段 default_scope"
    triggers = ("mmcls.", "_scope_")
    before = "model = dict(type='mmcls.ImageClassifier')\n"
    after = "model = dict(type='mmpretrain.ImageClassifier')\n"

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        # a TODO above the first statement is read back as the file header
        return without_header_duplicates(self._transform(module, ctx))

    def _transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        changes: List[int] = []

        class _Types(cst.CSTTransformer):
            def leave_Arg(self, original, updated):
                text = dp.string_value(updated.value)
                key = updated.keyword.value if updated.keyword is not None else None
                if key == "type" and text is not None and text.startswith("mmcls."):
                    changes.append(1)
                    return updated.with_changes(value=dp.quote("mmpretrain." + text[len("mmcls."):]))
                if key == "_scope_" and text == "mmcls":
                    changes.append(1)
                    return updated.with_changes(value=dp.quote("mmpretrain"))
                return updated

        updated = module.visit(_Types())
        if changes:
            ctx.record(self.id, len(changes))
        return updated
