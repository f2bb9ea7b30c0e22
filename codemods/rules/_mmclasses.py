"""Which classes of a file are MMClassification / MMSelfSup models, heads or algorithms.

A class counts when one of its bases is such a class (imported under any alias, reached as
`heads.ClsHead`, or another class of the same file that counts), or when it is registered in
CLASSIFIERS / HEADS / ALGORITHMS of mmcls or mmselfsup (also through the relative imports of a
fork: `from ..builder import CLASSIFIERS`, `from .cls_head import ClsHead`, resolved from the
file's place in an mmcls / mmselfsup tree, else trusted where the file also imports mmcls).
Everything else (a user's own nn.Module with a `forward_train`, an mmdet head) is not touched by
the MMC3 rules.
"""
from __future__ import annotations

from typing import Dict, Optional

import libcst as cst

from codemods.importmap import ImportMap
from codemods.rules._scopes import statements

CLASSIFIER = "classifier"  # mmcls classifiers: BaseClassifier, ImageClassifier
HEAD = "head"  # mmcls classification heads (forward_train calls self.loss(cls_score, gt_label))
ALGORITHM = "algorithm"  # mmselfsup algorithms
SELFSUP_HEAD = "selfsup_head"  # mmselfsup heads (their loss is computed in forward)

# Public names of mmcls 0.25 / mmselfsup 0.11 (their models/*/__init__.py).
_KNOWN = {
    ("mmcls", "classifiers"): (CLASSIFIER, {"BaseClassifier", "ImageClassifier"}),
    ("mmcls", "heads"): (HEAD, {
        "BaseHead", "ClsHead", "LinearClsHead", "StackedLinearClsHead", "MultiLabelClsHead",
        "MultiLabelLinearClsHead", "VisionTransformerClsHead", "DeiTClsHead", "ConformerHead",
        "EfficientFormerClsHead", "CSRAClsHead"}),
    ("mmselfsup", "algorithms"): (ALGORITHM, {
        "BaseModel", "BarlowTwins", "BYOL", "CAE", "Classification", "DeepCluster", "DenseCL",
        "InterCLRMoCo", "MAE", "MaskFeat", "MMClsImageClassifierWrapper", "MoCo", "MoCoV3", "NPID",
        "ODC", "RelativeLoc", "RotationPred", "SimCLR", "SimMIM", "SimSiam", "SwAV"}),
    ("mmselfsup", "heads"): (SELFSUP_HEAD, {
        "CAEHead", "ClsHead", "ContrastiveHead", "LatentClsHead", "LatentCrossCorrelationHead",
        "LatentPredictHead", "MAEFinetuneHead", "MAELinprobeHead", "MAEPretrainHead",
        "MaskFeatFinetuneHead", "MaskFeatPretrainHead", "MoCoV3Head", "MultiClsHead", "SimMIMHead",
        "SwAVHead"}),
}
_REGISTRIES = {"CLASSIFIERS": CLASSIFIER, "HEADS": HEAD, "ALGORITHMS": ALGORITHM}


def base_kind(imap: ImportMap, base: cst.BaseExpression) -> Optional[str]:
    """The kind of an imported base class, e.g. `mmcls.models.heads.cls_head.ClsHead` -> HEAD."""
    qualified = imap.resolved(base)
    if qualified is None:
        return None
    parts = qualified.split(".")
    if len(parts) < 3 or parts[1] != "models":
        return None
    for (package, folder), (kind, names) in _KNOWN.items():
        if parts[0] != package or parts[-1] not in names:
            continue
        if folder in parts[2:-1] or len(parts) == 3:  # mmcls.models.X or mmcls.models.heads...X
            return kind
    return None


def registry_kind(imap: ImportMap, decorator: cst.Decorator) -> Optional[str]:
    """`@HEADS.register_module()` of mmcls / mmselfsup (or a fork's relative import)."""
    target = decorator.decorator
    if isinstance(target, cst.Call):
        target = target.func
    if not isinstance(target, cst.Attribute) or target.attr.value != "register_module":
        return None
    qualified = imap.resolved(target.value)
    if qualified is None:
        return None
    package, _, name = qualified.rpartition(".")
    if name not in _REGISTRIES:
        return None
    kind = _REGISTRIES[name]
    if package.startswith("."):
        # A fork's `from ..builder import HEADS` could be mmdet's or mmseg's HEADS too; only
        # trust it in a file that also imports from mmcls / mmselfsup.
        if kind == HEAD and not any(v.startswith(("mmcls", "mmselfsup")) for v in imap.names.values()):
            return None
        return kind
    if not package.startswith(("mmcls", "mmselfsup")):
        return None
    if kind == HEAD and package.startswith("mmselfsup"):
        return SELFSUP_HEAD
    return kind


def class_kinds(module: cst.Module, imap: ImportMap, quiet=frozenset()) -> Dict[cst.ClassDef, str]:
    """Every class of the file that is an mmcls / mmselfsup model, head or algorithm. `quiet`:
    statements whose text has no `class` (`Context.quiet`), whose insides need no look."""
    classes = [s for s in statements(module.body, quiet) if type(s) is cst.ClassDef]
    kinds: Dict[cst.ClassDef, str] = {}
    by_name: Dict[str, str] = {}
    changed = True
    while changed:  # a class may derive from one defined further down (or up) the file
        changed = False
        for node in classes:
            if node in kinds:
                continue
            kind = _own_kind(node, imap, by_name)
            if kind is not None:
                kinds[node] = kind
                by_name[node.name.value] = kind
                changed = True
    return kinds


def _own_kind(node: cst.ClassDef, imap: ImportMap, by_name: Dict[str, str]) -> Optional[str]:
    for base in node.bases:
        if base.keyword is not None:
            continue
        if isinstance(base.value, cst.Name) and base.value.value in by_name:
            return by_name[base.value.value]
        kind = base_kind(imap, base.value)
        if kind is not None:
            return kind
    for decorator in node.decorators:
        kind = registry_kind(imap, decorator)
        if kind is not None:
            return kind
    return None
