"""MMC303: custom datasets derived from mmcls 0.x datasets need their loading code ported.

MMPretrain 1.2 datasets are MMEngine `BaseDataset`s: they implement `load_data_list()` returning
dicts such as `dict(img_path=..., gt_label=int)`, declare their classes in
`METAINFO = {'classes': (...)}`, and leave evaluation to metrics. A 0.x subclass that overrides
`load_annotations`, sets `CLASSES` or overrides `evaluate` still imports after migration but
breaks when the dataset is built or evaluated, so each such spot gets a TODO saying what to write.
So does a script's `dataset.evaluate(...)` call on a dataset from mmcls's `build_dataset`, and a
custom transform (`@PIPELINES.register_module()`) that reads a key 1.2 samples do not have
(`results['img_info']`, `['img_prefix']`, `['filename']`, ...: the path is `results['img_path']`).
"""
from __future__ import annotations

from typing import List, Optional, Set

import libcst as cst

from codemods.importmap import FORK_PACKAGES, ImportMap
from codemods.rule import CODE, Context, Rule
from codemods.rules import _calls
from codemods.rules._calls import visit_only
from codemods.rules._scopes import statements
from codemods.todo import TodoTransformer
from codemods.walk import EXPRESSION_PARTS, LEAVES

RULE_ID = "MMC303"
GUIDE = "模块变动 / mmpretrain.datasets"

# Public dataset classes of mmcls 0.25 (mmcls/datasets/__init__.py).
DATASET_CLASSES = frozenset(
    """BaseDataset CustomDataset ImageNet ImageNet21k CIFAR10 CIFAR100 MNIST FashionMNIST VOC CUB
    StanfordCars MultiLabelDataset""".split()
)

TODOS = {
    "load_annotations": "MMPretrain 1.2 datasets implement load_data_list(self) -> List[dict] "
    "(one dict per sample, e.g. dict(img_path=..., gt_label=int)); port load_annotations to it "
    "(self.data_prefix is now a dict: self.data_prefix['img_path'])",
    "CLASSES": "MMPretrain 1.2 datasets declare METAINFO = {'classes': (...)}; read them as "
    "self.metainfo['classes'] (CLASSES is no longer used)",
    "evaluate": "datasets no longer evaluate in MMPretrain 1.2: move this to a metric (val_evaluator), "
    "e.g. a subclass of mmengine.evaluator.BaseMetric registered in mmpretrain's METRICS",
    "get_gt_labels": "get_gt_labels() is still there in 1.2 (it reads gt_label from load_data_list's "
    "dicts), so an override must read self.get_data_info(i)['gt_label']",
}
EVALUATE_CALL = ("datasets have no evaluate() in MMPretrain 1.2: the metrics come from the evaluator "
                 "(test_evaluator = dict(type='Accuracy', topk=(1, 5)) in the config), which runner.test() "
                 "returns; or compute them with mmpretrain.evaluation.Accuracy.calculate(pred, target, topk)")
BUILDERS = "mmcls.datasets"
#: keys a 0.x custom transform read from `results` that 1.2 samples do not have
_PATH = ("MMPretrain 1.2 samples have no '{key}': the image path is results['img_path'] "
         "(load_data_list sets it, LoadImageFromFile reads it)")
RESULT_KEYS = {
    **{key: _PATH.format(key=key) for key in ("img_info", "img_prefix", "filename", "ori_filename")},
    "img_norm_cfg": "MMPretrain 1.2 pipelines do not normalize (the data_preprocessor does, with its "
    "mean and std): results has no 'img_norm_cfg'",
}


def _dataset_kind(imap: ImportMap, node: cst.ClassDef, local: set) -> bool:
    for base in node.bases:
        if isinstance(base.value, cst.Name) and base.value.value in local:
            return True
        qualified = imap.resolved(base.value)  # a fork's `from .base_dataset import ...` too
        if qualified and qualified.startswith("mmcls.datasets") and qualified.split(".")[-1] in DATASET_CLASSES:
            return True
    return _registered_in(imap, node, "DATASETS")


def _transform_kind(imap: ImportMap, node: cst.ClassDef) -> bool:
    """A class registered as a transform of mmcls 0.x (`@PIPELINES.register_module()`)."""
    return _registered_in(imap, node, "PIPELINES")


def _registered_in(imap: ImportMap, node: cst.ClassDef, registry: str) -> bool:
    """Is `node` decorated with `@<mmcls registry>.register_module(...)`?"""
    for decorator in node.decorators:
        target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if isinstance(target, cst.Attribute) and target.attr.value == "register_module":
            qualified = imap.resolved(target.value) or ""
            if qualified.startswith("mmcls") and qualified.endswith("." + registry):
                return True
    return False


def _result_key(node) -> Optional[str]:
    """The `RESULT_KEYS` key that `node` reads from a dict named by a plain name: `x['img_info']`
    or `x.get('img_info', ...)` (not `x['img_info']['filename']`, a key of the inner dict)."""
    if type(node) is cst.Subscript and len(node.slice) == 1 and type(node.value) is cst.Name:
        index = node.slice[0].slice
        value = index.value if isinstance(index, cst.Index) else None
    elif type(node) is cst.Call and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" \
            and type(node.func.value) is cst.Name and node.args:
        value = node.args[0].value
    else:
        return None
    if isinstance(value, cst.SimpleString) and value.evaluated_value in RESULT_KEYS:
        return value.evaluated_value
    return None


class _Marker(TodoTransformer):
    rule_id = RULE_ID

    def __init__(self, imap: ImportMap, ctx: Context) -> None:
        super().__init__()
        self.imap, self.ctx = imap, ctx
        self.datasets: set = set()
        self.depth: list = []
        self.built: Set[str] = set()  # names assigned a dataset of `build_dataset` (`_built`)
        self.transforms: List[bool] = []  # per class around: is it an mmcls transform?
        self.targets: Set[int] = set()  # ids of the expressions assigned to

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        is_dataset = _dataset_kind(self.imap, node, self.datasets)
        if is_dataset:
            self.datasets.add(node.name.value)
        self.depth.append(is_dataset)
        self.transforms.append(_transform_kind(self.imap, node))

    def leave_ClassDef(self, original, updated):
        self.depth.pop()
        self.transforms.pop()
        return updated

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.targets.add(id(node.target))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._result_read(node)

    def _result_read(self, node) -> None:
        """A transform reading a key of `results` that 1.2 samples do not have."""
        key = _result_key(node) if any(self.transforms) and id(node) not in self.targets else None
        if key is not None:
            self.todo(RESULT_KEYS[key])
            self.ctx.record(RULE_ID)

    def _in_dataset(self) -> bool:
        return bool(self.depth) and self.depth[-1]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> Optional[bool]:
        name = node.name.value
        if self._in_dataset() and name in TODOS and name != "CLASSES":
            self.todo(TODOS[name])
            self.ctx.record(RULE_ID)
        self.depth.append(False)  # nested classes and defs are not the dataset's members
        return None

    def leave_FunctionDef(self, original, updated):
        self.depth.pop()
        return updated

    def visit_Call(self, node: cst.Call) -> None:
        if _evaluates(node, self.built):
            self.todo(EVALUATE_CALL)
            self.ctx.record(RULE_ID)
        self._result_read(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._in_dataset() and any(
            isinstance(t.target, cst.Name) and t.target.value == "CLASSES" for t in node.targets
        ):
            self.todo(TODOS["CLASSES"])
            self.ctx.record(RULE_ID)


class DatasetMethods(Rule):
    """Custom datasets derived from (or registered like) mmcls 0.x datasets: TODOs where the
    1.2 dataset API differs (load_annotations -> load_data_list, CLASSES -> METAINFO, evaluate ->
    metrics). Classes unrelated to mmcls datasets are not touched."""

    id = RULE_ID
    title = ("custom datasets: load_annotations / CLASSES / evaluate -> 1.2 dataset API; dataset.evaluate() calls; "
             "0.x results keys in custom transforms (TODO)")
    kind = CODE
    guide = GUIDE
    # The prefilter's token (the member names alone are common words in any code base)...
    triggers = ("mmcls",)
    path_triggers = FORK_PACKAGES  # a fork's datasets import theirs relatively
    before = (
        "from mmcls.datasets import BaseDataset\n\n\n"
        "class Leaves(BaseDataset):\n"
        "    CLASSES = ('healthy', 'sick')\n\n"
        "    def load_annotations(self):\n"
        "        return []\n"
    )
    after = (
        "from mmcls.datasets import BaseDataset\n\n\n"
        "class Leaves(BaseDataset):\n"
        f"    # TODO(mmcodemod): MMC303 {TODOS['CLASSES']}\n"
        "    CLASSES = ('healthy', 'sick')\n\n"
        f"    # TODO(mmcodemod): MMC303 {TODOS['load_annotations']}\n"
        "    def load_annotations(self):\n"
        "        return []\n"
    )

    def applies_to(self, kind: str, text: str) -> bool:
        return super().applies_to(kind, text) and _may_mark(text)

    def under_path_trigger(self, kind: str, path, text: str) -> bool:
        return super().under_path_trigger(kind, path, text) and _may_mark(text)

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = ctx.import_map(module)
        if imap.package is None and not any(v.startswith("mmcls") for v in imap.names.values()):
            return module  # neither in an mmcls tree nor importing mmcls
        marker = _Marker(imap, ctx)
        marker.built = _built(module, imap, ctx)
        # Only classes, their members and the statements that evaluate a built dataset get TODOs.
        wanted = _calls.marked(module, _member, EXPRESSION_PARTS)
        if marker.built:
            wanted |= _calls.marked(module, lambda node: _evaluates(node, marker.built), LEAVES,
                                    ctx.quiet(("evaluate",)))
        # reads of old `results` keys (the marker keeps those inside transforms)
        wanted |= _calls.marked(module, lambda node: _result_key(node) is not None, LEAVES,
                                ctx.quiet(tuple(RESULT_KEYS)))
        before = ctx.changes.get(RULE_ID, 0)
        updated = visit_only(module, marker, wanted)
        # Every TODO is recorded: nothing recorded, nothing changed (and no new text to make).
        return updated if ctx.changes.get(RULE_ID, 0) != before else module


def _may_mark(text: str) -> bool:
    """False when `text` has nothing for this rule: none of the members it marks, or no name a
    dataset class could derive from or register with (`_dataset_kind` resolves names that the
    file must spell, in an import or in the class statement), and no evaluate() of a built one."""
    if "evaluate" in text and "build_dataset" in text:
        return True
    if "PIPELINES" in text and any(key in text for key in RESULT_KEYS):
        return True
    return any(name in text for name in TODOS) and (
        "DATASETS" in text or any(name in text for name in DATASET_CLASSES))


def _built(module: cst.Module, imap: ImportMap, ctx: Context) -> Set[str]:
    """Names assigned the result of mmcls's `build_dataset(...)` anywhere in
    the file (by name only: a TODO is advice, and such names are rarely reused for other things)."""
    found: Set[str] = set()
    for stmt in statements(module.body, _calls.calls_quiet(ctx, imap, BUILDERS)):
        call, targets = _calls.statement_call(stmt) if type(stmt) is cst.SimpleStatementLine else (None, None)
        if call is not None and targets and _calls.mmcls_function(imap, call.func, BUILDERS, ("build_dataset",)):
            found.update(t.target.value for t in targets if isinstance(t.target, cst.Name))
    return found


def _evaluates(node, built: Set[str]) -> bool:
    """A call `<built dataset>.evaluate(...)`."""
    if type(node) is not cst.Call:
        return False
    func = node.func
    return isinstance(func, cst.Attribute) and func.attr.value == "evaluate" \
        and isinstance(func.value, cst.Name) and func.value.value in built


def _member(node) -> bool:
    kind = type(node)
    return kind is cst.ClassDef or kind is cst.FunctionDef or (
        kind is cst.SimpleStatementLine and any(type(s) is cst.Assign for s in node.body))
