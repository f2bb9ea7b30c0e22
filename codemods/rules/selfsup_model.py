"""MMC602: MMSelfSup 0.x `model` -> MMPretrain 1.2 (algorithms, backbones, necks, heads + losses).

Works on the value of `model` merged with its `_base_` files: the whole 0.x model is converted,
its base is converted too, and the file writes what MMEngine must merge into the migrated base
(`codemods.config.override`). Facts from mmselfsup 0.11 `models/*` and mmpretrain 1.2
`models/{selfsup,backbones,necks,heads,losses}` and its `configs/` of the same recipes:

- heads compute their loss through a `loss=dict(...)` in 1.2 (ContrastiveHead -> CrossEntropyLoss,
  LatentPredictHead -> CosineSimilarityLoss, MoCoV3Head -> CrossEntropyLoss(loss_weight=2*T),
  MAEPretrainHead -> PixelReconstructionLoss L2, SimMIMHead -> PixelReconstructionLoss L1,
  SwAVHead / CAEHead / LatentCrossCorrelationHead -> their arguments move into SwAVLoss /
  CAELoss / CrossCorrelationLoss);
- momentum: 0.x MoCo/DenseCL/BYOL/MoCoV3 kept `m` of the old weights, 1.2 takes `1 - m`;
- ResNet `out_indices` counted the stem as 0 in 0.x; 1.2 counts stages from 0; MMSelfSup's
  ResNet had `zero_init_residual=False` by default, 1.2's has True (written out, as 1.2 does);
- renamed: VisionTransformer (MoCo v3) -> MoCoV3ViT, CAEViT -> CAEPretrainViT,
  MaskFeatPretrainHead -> LinearNeck + MIMHead + HOGGenerator, CAE's tokenizer -> DALL-E,
  Classification -> ImageClassifier with LinearClsHead.
Algorithms 1.2 does not have keep their model with a TODO.
"""
from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from codemods.config import MISSING, CfgDict, ConfigFile, override, plain, replace_keys
from codemods.config.model import remember_original
from codemods.config.merge import same
from codemods.rule import CONFIG, Context, Rule
from codemods.rules.selfsup import _todo_at, _todos_on, _undefined_names
from codemods.todo import add_todo

RULE_ID = "MMC602"
SELFSUP_ALGORITHMS = {"BarlowTwins", "BYOL", "CAE", "Classification", "DeepCluster", "DenseCL",
                      "InterCLRMoCo", "MAE", "MaskFeat", "MMClsImageClassifierWrapper", "MoCo",
                      "MoCoV3", "NPID", "ODC", "RelativeLoc", "RotationPred", "SimCLR", "SimMIM",
                      "SimSiam", "SwAV"}
UNSUPPORTED = {"DeepCluster", "InterCLRMoCo", "NPID", "ODC", "RelativeLoc", "RotationPred"}
#: algorithm -> its momentum argument, whose meaning flipped (m -> 1 - m)
MOMENTUM = {"MoCo": "momentum", "DenseCL": "momentum", "BYOL": "base_momentum",
            "MoCoV3": "base_momentum"}
RESNETS = {"ResNet", "ResNetV1d", "ResNeXt"}
#: heads that gained a loss and keep their other arguments
HEAD_LOSS = {"ContrastiveHead": {"type": "CrossEntropyLoss"},
             "LatentPredictHead": {"type": "CosineSimilarityLoss"},
             "MAEPretrainHead": {"type": "PixelReconstructionLoss", "criterion": "L2"}}
#: heads whose arguments all move into their 1.2 loss
HEAD_TO_LOSS = {"SwAVHead": "SwAVLoss", "LatentCrossCorrelationHead": "CrossCorrelationLoss"}
#: what stays on the head when the rest moves into the loss
HEAD_KEEPS = {"LatentCrossCorrelationHead": ("in_channels",)}
#: CAE's two normalisations (0.x did them in the algorithm): ImageNet mean/std, and DALL-E's
#: map_pixels (0.8 * x / 255 + 0.1), as MMPretrain 1.2's CAE config writes them
CAE_PREPROCESSOR = dict(type="TwoNormDataPreprocessor", mean=[123.675, 116.28, 103.53],
                        std=[58.395, 57.12, 57.375], second_mean=[-31.875, -31.875, -31.875],
                        second_std=[318.75, 318.75, 318.75], to_rgb=True)
VIT_WIDTH = {"b": 768, "base": 768, "l": 1024, "large": 1024, "h": 1280, "huge": 1280,
             "s": 384, "small": 384}


def _type(value) -> Optional[str]:
    kind = plain(value.get("type")) if isinstance(value, dict) else None
    return kind if isinstance(kind, str) else None


def _renamed(value: dict, renames: dict) -> dict:
    out = CfgDict()
    for key, item in value.items():
        out[renames.get(key, key)] = item
    return out


# ---------------------------------------------------------------- parts


def _backbone(backbone: dict, todos: List[str]) -> dict:
    kind = _type(backbone)
    if kind in RESNETS and "zero_init_residual" not in backbone:
        # MMSelfSup's ResNet defaulted to False, MMPretrain's defaults to True
        backbone = CfgDict(backbone, zero_init_residual=False)
    if kind in RESNETS and isinstance(backbone.get("out_indices"), (list, tuple)):
        indices = [plain(i) for i in backbone["out_indices"]]
        if all(isinstance(i, int) and i > 0 for i in indices):
            backbone = CfgDict(backbone, out_indices=type(backbone["out_indices"])(i - 1 for i in indices))
        elif indices:
            todos.append("backbone.out_indices: 0 (the stem) has no 1.2 equivalent; 1.2 counts "
                         "stages from 0")
    if kind == "VisionTransformer" and ("stop_grad_conv1" in backbone or str(
            plain(backbone.get("arch", ""))).startswith("mocov3")):  # MMSelfSup's, for MoCo v3
        backbone = CfgDict(backbone, type="MoCoV3ViT")
    if kind == "CAEViT":
        backbone = _renamed(backbone, {"init_values": "layer_scale_init_value"})
        backbone["type"] = "CAEPretrainViT"
        if backbone.pop("qkv_bias", True) is False:
            backbone["bias"] = "qv_bias"  # q and v biases, no k bias (1.2's CAE config)
    return backbone


def _neck(neck: dict, todos: List[str]) -> dict:
    kind = _type(neck)
    if kind == "NonLinearNeck" and "vit_backbone" in neck:
        neck = CfgDict({k: v for k, v in neck.items() if k != "vit_backbone"})  # MoCoV3ViT pools
    if kind == "CAENeck":
        neck = _renamed({k: v for k, v in neck.items() if k != "patch_size"},
                        {"init_values": "layer_scale_init_value"})
    if kind == "LinearNeck" and "with_avg_pool" in neck:
        pool = plain(neck["with_avg_pool"])
        neck = CfgDict({k: v for k, v in neck.items() if k != "with_avg_pool"})
        neck["gap_dim"] = 2 if pool else 0
        neck["norm_cfg"] = None  # 0.x LinearNeck had no norm; 1.2's has BN1d by default
    if kind == "SimMIMNeck":
        neck = CfgDict(neck, type="SimMIMLinearDecoder")
    if kind == "AvgPool2dNeck":
        neck = CfgDict(type="GlobalAveragePooling")
    return neck


def _head(head: dict, model: dict, todos: List[str]) -> dict:
    kind = _type(head)
    if "loss" in head or kind is None:
        return head
    if kind in HEAD_LOSS:
        return CfgDict(head, loss=dict(HEAD_LOSS[kind]))
    if kind == "MoCoV3Head":
        temperature = plain(head.get("temperature", 1.0))
        weight = 2 * temperature if isinstance(temperature, (int, float)) else MISSING
        loss = CfgDict(type="CrossEntropyLoss")
        if weight is not MISSING:
            loss["loss_weight"] = weight
        else:
            todos.append("MoCoV3Head: set loss_weight=2 * temperature in its loss")
        return CfgDict(head, loss=loss)
    if kind == "SimMIMHead":
        rest = {k: v for k, v in head.items() if k != "encoder_in_channels"}
        return CfgDict(rest, loss=dict(type="PixelReconstructionLoss", criterion="L1",
                                       channel=head.get("encoder_in_channels", 3)))
    if kind in HEAD_TO_LOSS:
        keep = HEAD_KEEPS.get(kind, ())
        loss = CfgDict(type=HEAD_TO_LOSS[kind])
        loss.update({k: v for k, v in head.items() if k not in ("type", "init_cfg", *keep)})
        out = CfgDict({k: v for k, v in head.items() if k in ("type", "init_cfg", *keep)})
        out["loss"] = loss
        return out
    if kind == "CAEHead":
        out = CfgDict(type="CAEHead", loss=dict(type="CAELoss", lambd=head.get("lambd", 2)))
        if "init_cfg" in head:
            out["init_cfg"] = head["init_cfg"]
        return out
    return head


# ---------------------------------------------------------------- algorithms


def _cae(model: dict) -> dict:
    head = model.get("head", {})
    if not isinstance(head, dict) or _type(head) != "CAEHead" or "loss" in head:
        return model
    model = CfgDict(model)
    path = head.get("tokenizer_path", MISSING)
    generator = CfgDict({"type": "DALL-E"})
    if path is not MISSING:
        generator["init_cfg"] = dict(type="Pretrained", checkpoint=path)
    model["target_generator"] = generator
    model.setdefault("data_preprocessor", dict(CAE_PREPROCESSOR))
    return model


def _maskfeat(model: dict, todos: List[str]) -> dict:
    head = model.get("head", {})
    if not isinstance(head, dict) or _type(head) != "MaskFeatPretrainHead":
        return model
    arch = plain(model.get("backbone", {}).get("arch", "b"))
    width = VIT_WIDTH.get(arch) if isinstance(arch, str) else None
    if width is None:
        todos.append("MaskFeat: set neck.in_channels to the backbone's embedding width")
        width = 768
    hog = CfgDict(type="HOGGenerator")
    hog.update(model["hog_para"] if isinstance(model.get("hog_para"), dict) else {})
    model = CfgDict({k: v for k, v in model.items() if k != "hog_para"})
    model["neck"] = dict(type="LinearNeck", in_channels=width, out_channels=head.get("hog_dim", 108),
                         norm_cfg=None, init_cfg=dict(type="TruncNormal", layer="Linear", std=0.02, bias=0))
    model["head"] = dict(type="MIMHead", loss=dict(type="PixelReconstructionLoss", criterion="L2"))
    model["target_generator"] = hog
    return model


VIT_DEPTH = {"b": 12, "base": 12, "s": 12, "small": 12, "l": 24, "large": 24, "h": 32, "huge": 32}


def _cls_head(head: dict, todos: List[str]) -> Tuple[Optional[dict], Optional[dict]]:
    """(neck, head) of 1.2 for a 0.x classification head; (None, None) if there is none."""
    kind = _type(head)
    classes = head.get("num_classes", 1000)
    if kind == "ClsHead":
        vit = plain(head.get("vit_backbone", False))  # the ViT's cls token, not a feature map
        new = CfgDict(type="VisionTransformerClsHead" if vit else "LinearClsHead", num_classes=classes,
                      in_channels=head.get("in_channels", 2048),
                      loss=dict(type="CrossEntropyLoss", loss_weight=1.0))
        if "init_cfg" in head:
            new["init_cfg"] = head["init_cfg"]
        elif vit:  # ClsHead's 0.x default for its Linear (VisionTransformerClsHead's differs)
            new["init_cfg"] = dict(type="Normal", std=0.01, layer="Linear")
        pool = dict(type="GlobalAveragePooling") if plain(head.get("with_avg_pool", False)) else None
        return pool, new
    width = head.get("embed_dim", 768)
    if kind in ("MAEFinetuneHead", "MaskFeatFinetuneHead"):  # Linear, trunc_normal(std=2e-5)
        loss = dict(type="LabelSmoothLoss", label_smooth_val=head.get("label_smooth_val", 0.1),
                    mode="original")
        return None, dict(type="LinearClsHead", num_classes=classes, in_channels=width, loss=loss,
                          init_cfg=[dict(type="TruncNormal", layer="Linear", std=2e-5)])
    if kind == "MAELinprobeHead":  # BatchNorm1d(affine=False) + Linear, trunc_normal(std=0.01)
        return (dict(type="ClsBatchNormNeck", input_features=width),
                dict(type="VisionTransformerClsHead", num_classes=classes, in_channels=width,
                     loss=dict(type="CrossEntropyLoss"),
                     init_cfg=[dict(type="TruncNormal", layer="Linear", std=0.01)]))
    return None, None


def _mim_vit(backbone: dict, todos: List[str]) -> dict:
    """MIMVisionTransformer -> VisionTransformer: the mean of patch tokens + norm when
    final_norm=False, the normed cls token otherwise; finetune=False froze every layer."""
    final_norm = plain(backbone.get("final_norm", True))
    out = CfgDict({k: v for k, v in backbone.items() if k not in ("finetune", "use_window", "init_values",
                                                                   "output_cls_token")})
    out["type"] = "VisionTransformer"
    out["out_type"] = "cls_token" if final_norm else "avg_featmap"
    if "init_values" in backbone:
        out["layer_scale_init_value"] = backbone["init_values"]
    if plain(backbone.get("finetune", True)) is False:
        depth = VIT_DEPTH.get(plain(backbone.get("arch", "b")))
        if depth is None:
            todos.append("set backbone.frozen_stages to the number of layers (0.x froze them all)")
        else:
            out["frozen_stages"] = depth
    if plain(backbone.get("use_window", False)):
        todos.append("MIMVisionTransformer(use_window=True): relative position bias; use BEiTViT "
                     "(use_rel_pos_bias=True) of 1.2")
    return out


def _classification(model: dict, todos: List[str]) -> dict:
    """MMSelfSup's Classification (linear evaluation / fine-tuning) -> 1.2 ImageClassifier."""
    neck, head = _cls_head(model.get("head", {}), todos)
    if head is None:
        todos.append(f"Classification with {_type(model.get('head'))}: 1.2 uses ImageClassifier; "
                     "choose a 1.2 head (LinearClsHead, ...)")
        return model
    out = CfgDict({k: v for k, v in model.items() if k != "head"})
    out["type"] = "ImageClassifier"
    if plain(out.get("with_sobel", False)):
        todos.append("with_sobel: 1.2's ImageClassifier has no Sobel input layer; port it (a "
                     "backbone wrapper) or drop with_sobel and use a model trained without it")
    if isinstance(out.get("backbone"), dict) and _type(out["backbone"]) == "MIMVisionTransformer":
        out["backbone"] = _mim_vit(out["backbone"], todos)
    if neck is not None and "neck" not in out:
        out["neck"] = neck
    out["head"] = head
    return out


def _momentum(model: dict) -> dict:
    key = MOMENTUM.get(_type(model))
    value = plain(model.get(key)) if key else None
    if not isinstance(value, float) and not (isinstance(value, int) and not isinstance(value, bool)):
        return model
    return CfgDict(model, **{key: round(1 - value, 10)})


def convert_model(model, todos: List[str]):
    """The 1.2 form of a merged 0.x MMSelfSup model value."""
    if not isinstance(model, dict) or _type(model) not in SELFSUP_ALGORITHMS:
        return model
    if _type(model) == "Classification":
        model = _classification(model, todos)
    if _type(model) == "MMClsImageClassifierWrapper":  # it wrapped an MMClassification model
        model = CfgDict(model, type="ImageClassifier")
    model = _momentum(model)
    model = _cae(model)
    model = _maskfeat(model, todos)
    model = CfgDict(model)
    for part, convert in (("backbone", _backbone), ("neck", _neck)):
        if isinstance(model.get(part), dict):
            model[part] = convert(model[part], todos)
    if isinstance(model.get("head"), dict):
        model["head"] = _head(model["head"], model, todos)
    return model


#: model keys of the downstream tasks MMSelfSup benchmarked with other OpenMMLab projects
DOWNSTREAM = {"rpn_head": "MMDetection", "roi_head": "MMDetection", "bbox_head": "MMDetection",
              "panoptic_head": "MMDetection", "decode_head": "MMSegmentation",
              "auxiliary_head": "MMSegmentation", "keypoint_head": "MMPose"}
DOWNSTREAM_TODO = ("this is a config for {project} (MMSelfSup's benchmarks run it with {project}): "
                   "mmcodemod applied MMPretrain's rules to its data, pipelines and evaluation too; "
                   "check it against {project}'s own migration guide")


def _downstream(model) -> Optional[str]:
    """The project a model of another task belongs to (a detector, a segmentor), or None."""
    if not isinstance(model, dict):
        return None
    return next((DOWNSTREAM[k] for k in model if k in DOWNSTREAM), None)


def _migrated(model: dict) -> bool:
    """A 1.2 model: its head computes a loss (every 1.2 self-supervised head has `loss`)."""
    head = model.get("head")
    if _type(model) == "MMClsImageClassifierWrapper":
        return False  # its MMClassification head had a loss already
    return (isinstance(head, dict) and "loss" in head) or "target_generator" in model


class SelfSupModel(Rule):
    id = RULE_ID
    title = "MMSelfSup model: head losses, momentum 1 - m, 1.2 backbone/neck/head names"
    kind = CONFIG
    guide = "从 MMSelfSup 0.x 迁移 / 配置文件 / 模型"
    triggers = ("model",)
    before = """\
model = dict(
    type='MAE',
    backbone=dict(type='MAEViT', arch='b', patch_size=16, mask_ratio=0.75),
    head=dict(type='MAEPretrainHead', norm_pix=True, patch_size=16))
"""
    after = """\
model = dict(
    type='MAE',
    backbone=dict(type='MAEViT', arch='b', patch_size=16, mask_ratio=0.75),
    head=dict(
        type='MAEPretrainHead',
        norm_pix=True,
        patch_size=16,
        loss=dict(type='PixelReconstructionLoss', criterion='L2'),
    ),
)
"""

    def applies_to(self, kind: str, text: str) -> bool:
        # Only a self-supervised algorithm is converted: its name is in the file, or the model
        # comes from a base (most `model = dict(...)` files are classifiers of neither).
        return super().applies_to(kind, text) and (
            "_base_" in text or any(name in text for name in SELFSUP_ALGORITHMS))

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        remember_original(module, ctx.path)
        cfg = ConfigFile(module, ctx.path)
        local = cfg.local("model")
        if local is MISSING:
            return module  # a leaf that only inherits its model: the base is migrated on its own
        merged = cfg.merged("model")
        kind = _type(merged)
        project = _downstream(merged)
        if project is not None:
            ctx.record(RULE_ID)
            return _todo_at(module, cfg.statements.get("model"), DOWNSTREAM_TODO.format(project=project),
                            RULE_ID)
        if kind not in SELFSUP_ALGORITHMS or _migrated(merged):
            return module
        index = cfg.statements.get("model")
        if kind in UNSUPPORTED:
            ctx.record(RULE_ID)
            return _todo_at(module, index, f"MMPretrain 1.2 has no {kind} algorithm: keep "
                            "MMSelfSup 0.x for it, port it, or choose a 1.2 algorithm", RULE_ID)
        todos: List[str] = []
        full = convert_model(merged, todos)
        base = convert_model(cfg.inherited("model"), [])
        value = override(base, full)
        if value is not MISSING and same(value, local) and not todos:
            return module
        if value is not MISSING and _undefined_names([value], module):
            return _todo_at(module, index, "migrate this model override by hand (its 1.2 form "
                            "refers to variables of a _base_ config)", RULE_ID)
        ctx.record(RULE_ID)
        if value is MISSING:
            return replace_keys(module, ["model"], [])  # it only repeated what the base has
        module = replace_keys(module, ["model"], [("model", value)])
        return _todos_on(module, ["model"], todos, RULE_ID)


# ---------------------------------------------------------------- hooks

HOOK_TODO = {
    "DeepClusterHook": "DeepCluster", "ODCHook": "ODC", "InterCLRHook": "InterCLR",
}
MOMENTUM_HOOKS = ("BYOLHook", "MomentumUpdateHook")


class SelfSupHooks(Rule):
    id = "MMC603"
    title = "MMSelfSup custom hooks: BYOLHook/MomentumUpdateHook removed (1.2 anneals in the model)"
    kind = CONFIG
    guide = "从 MMSelfSup 0.x 迁移 / 模块变动 (core/hooks -> engine/hooks)"
    triggers = MOMENTUM_HOOKS + tuple(HOOK_TODO)
    before = """\
custom_hooks = [dict(type='BYOLHook', end_momentum=1., update_interval=1)]
"""
    after = """\
custom_hooks = []
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        cfg = ConfigFile(module, ctx.path)
        index = cfg.statements.get("custom_hooks")
        node = cfg.node("custom_hooks")
        if index is None or not isinstance(node, cst.List):
            return module
        kept, todos = [], []
        for element in node.elements:
            verdict = _hook(cfg, element.value)
            if verdict is None or verdict.startswith("keep:"):
                kept.append(element)
            if verdict:
                todos.append(verdict.replace("keep:", "", 1))
        if len(kept) == len(node.elements) and not todos:
            return module
        ctx.record(self.id)
        if kept and len(kept) < len(node.elements):
            kept[-1] = kept[-1].with_changes(comma=node.elements[-1].comma)
        stmt = module.body[index]
        small = stmt.body[0].with_changes(value=node.with_changes(elements=kept) if kept else cst.List([]))
        new = stmt.with_changes(body=[small])
        for message in todos:
            new = add_todo(new, self.id, message)
        return module.with_changes(body=[*module.body[:index], new, *module.body[index + 1:]])


def _hook(cfg: ConfigFile, call) -> Optional[str]:
    """None: keep as is; "": remove; a message: remove with a TODO; "keep:" + message: keep with a TODO."""
    value = cfg.evaluate(call)
    kind = _type(value)
    if kind in HOOK_TODO:
        return f"keep:{kind} belongs to {HOOK_TODO[kind]}, which MMPretrain 1.2 does not have"
    if kind not in MOMENTUM_HOOKS:
        return None
    end = plain(value.get("end_momentum", 1.0))
    interval = plain(value.get("update_interval", 1))
    if end == 1 and interval == 1:
        return ""  # 1.2's BYOL/MoCoV3 anneal the momentum themselves (CosineEMA, end 1 - 1.0)
    return (f"{kind}(end_momentum={end}, update_interval={interval}) was removed: 1.2's BYOL/MoCoV3 "
            "anneal the momentum every iteration to 1.0 themselves (CosineEMA end_momentum=0); "
            "other end values or update intervals need a custom hook")
