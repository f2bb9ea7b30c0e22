"""MMC3: custom classifiers, heads and self-supervised algorithms.

MMPretrain 1.2 models follow MMEngine's protocol: `forward(inputs, data_samples, mode)` dispatches
to `loss(inputs, data_samples)` and `predict(inputs, data_samples)`; heads have
`loss(feats, data_samples)` (which calls `_get_loss(cls_score, data_samples)`) and
`predict(feats, data_samples)`.

- MMC301 renames, only in classes that are mmcls / mmselfsup models (see `_mmclasses`):
  `def forward_train` -> `def loss`, `def simple_test` -> `def predict`, and in a classification
  head the old `def loss(cls_score, gt_label)` -> `def _get_loss` (what 1.2's `loss` calls); the
  calls that go with them (`self.head.forward_train(...)`, `super().simple_test(...)`,
  `model.simple_test(...)` for a model built from such a class or by mmcls' builders).
- MMC302 marks the methods whose arguments changed with the 1.2 signature.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Set

import libcst as cst

from codemods.rule import CODE, Context, Rule
from codemods.rules import _calls, _scopes
from codemods.rules._calls import visit_only
from codemods.rules._mmclasses import ALGORITHM, CLASSIFIER, HEAD, SELFSUP_HEAD, class_kinds
from codemods.rules._scopes import statements
from codemods.todo import TodoTransformer, todo_text
from codemods.walk import LEAVES

GUIDE = "模块变动 / mmpretrain.models"
RENAMES = {"forward_train": "loss", "simple_test": "predict"}
# Functions that return an mmcls / mmselfsup model: a variable assigned from them is one.
_BUILDERS = {
    "mmcls.apis": ("init_model",),
    "mmcls.models": ("build_classifier",),
    "mmselfsup.models": ("build_algorithm",),
}


def _imports_old(imap) -> bool:
    """Cheap check: mmcls / mmselfsup imports, or relative ones (a fork of them)."""
    return any(v.startswith(("mmcls", "mmselfsup", ".")) for v in imap.names.values())


def _methods(node: cst.ClassDef) -> Set[str]:
    return {s.name.value for s in node.body.body if isinstance(s, cst.FunctionDef)}


def _taken(node: cst.ClassDef) -> Set[str]:
    """Names a method of the class cannot take: its methods, and what it sets on `self`
    (`self.loss = build_loss(...)`: a method `loss` would hide that module)."""
    return _methods(node) | {attr for name, attr in _calls.attribute_targets(node.body) if name == "self"}


def _class_renames(node: cst.ClassDef, kind: str) -> Dict[str, str]:
    """Method renames of one class; a rename onto a name the class already uses is skipped."""
    methods = _taken(node)
    renames = {}
    # 0.x heads' forward_train calls self.loss(cls_score, gt_label): in 1.2 that is _get_loss
    # (the def, if the class has one, and the calls: `self.loss` would now be forward_train).
    # Only while forward_train is still there: afterwards `loss` is the renamed forward_train
    # (a second run must not rename it again). A loss alone gets MMC302's TODO instead.
    if kind == HEAD and "forward_train" in methods and "_get_loss" not in methods and not _new_loss(node):
        renames["loss"] = "_get_loss"
    for old, new in RENAMES.items():
        if old in methods and (new not in methods or new in renames):
            renames[old] = new
    return renames


def _new_loss(node: cst.ClassDef) -> bool:
    for statement in node.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "loss":
            return "data_samples" in _params(statement)
    return False


def _is_self_or_super(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name):
        return node.value == "self"
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "super"


def _is_submodule(node: cst.BaseExpression) -> bool:
    """`self.head`, `self.model.head`: a sub-module, whose forward_train/simple_test are renamed too."""
    while isinstance(node, cst.Attribute):
        node = node.value
        if isinstance(node, cst.Name) and node.value == "self":
            return True
    return False


class _Renamer(_scopes.ScopeTracker, TodoTransformer):
    rule_id = "MMC301"

    def __init__(self, kinds, ctx: Context, models: Set[str], imap) -> None:
        super().__init__()
        self.kinds = kinds
        self.ctx = ctx
        self.models = models  # names assigned from a model class or builder somewhere in the file
        self.loss_calls: Set[int] = set()  # ids of calls passing return_loss, and of their ancestors
        self.imap = imap
        self.class_names = {node.name.value for node in kinds}
        self.classes: List[Optional[Dict[str, str]]] = []  # renames of the enclosing classes
        self.depth: List[int] = []  # function nesting inside the innermost class
        self.marked = False  # a TODO was added

    def todo(self, message: str) -> None:
        self.marked = True
        super().todo(message)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        kind = self.kinds.get(node)
        renames = _class_renames(node, kind) if kind else None
        self.classes.append(renames)
        if renames is not None:
            self._clashes(node, renames)
        self.depth.append(0)

    def _clashes(self, node, renames) -> None:
        """A method that cannot be renamed because the class has one of the new name."""
        for old in _methods(node) & set(RENAMES) - set(renames):
            new = RENAMES[old]
            self.todo(f"{old} is `{new}` in MMPretrain 1.x, and this class already has a `{new}` "
                      f"(a method, or self.{new}): merge them, or rename that one first")

    def leave_ClassDef(self, original, updated):
        self.classes.pop()
        self.depth.pop()
        return updated

    def _worth_walking(self) -> bool:
        """Only code in mmcls classes, or any code when model variables exist, has renames."""
        return bool(self.models) or bool(self.classes and self.classes[-1] is not None)

    def visit_FunctionDef(self, node) -> bool:
        if self.depth:
            self.depth[-1] += 1
        return self._worth_walking() or id(node) in self.loss_calls

    def visit_SimpleStatementLine(self, node) -> bool:
        return self._worth_walking() or id(node) in self.loss_calls

    def leave_FunctionDef(self, original, updated):
        if self.depth:
            self.depth[-1] -= 1
        renames = self.classes[-1] if self.classes else None
        if renames and self.depth[-1] == 0 and updated.name.value in renames:
            self.ctx.record(self.rule_id)
            return updated.with_changes(name=cst.Name(renames[updated.name.value]))
        return updated

    def leave_Attribute(self, original, updated):
        name = updated.attr.value
        renames = self.classes[-1] if self.classes else None
        if renames and _is_self_or_super(updated.value) and name in renames:
            return self._rename(updated, renames[name])
        if renames is not None and _is_submodule(updated.value) and name in RENAMES:
            return self._rename(updated, RENAMES[name])
        if name in RENAMES and self._is_model(updated.value):
            self.todo(_CALLER_TODO[name])
            return self._rename(updated, RENAMES[name])
        return updated

    def _is_model(self, node) -> bool:
        """A variable bound (once, in this scope) to a model built from an mmcls class or builder."""
        if not isinstance(node, cst.Name) or node.value not in self.models:
            return False
        return self.assigned_once(node.value, self._builds)

    def _builds(self, statement) -> bool:
        return _builds_model(statement.body[0].value, self.imap, self.class_names)

    def visit_Call(self, node: cst.Call) -> None:
        # `model(img, return_loss=False)`: 0.x models' forward took it, 1.2's dispatch on `mode`
        if _passes_return_loss(node):
            self.todo("return_loss is gone: call model(inputs, data_samples, mode='loss') for losses, "
                      "mode='predict' for a list of DataSample, mode='tensor' for raw outputs")

    def _rename(self, node: cst.Attribute, new: str) -> cst.Attribute:
        self.ctx.record(self.rule_id)
        return node.with_changes(attr=cst.Name(new))


_CALLER_TODO = {
    "forward_train": "loss(inputs, data_samples) takes a list of DataSample (with gt_label) instead "
                     "of gt_label tensors",
    "simple_test": "predict(inputs, data_samples=None) returns a list of DataSample (pred_score, "
                   "pred_label) instead of score arrays",
}


def _model_variables(module: cst.Module, imap, class_names: Set[str], ctx: Context) -> Set[str]:
    """Variables assigned from an mmcls / mmselfsup model class or builder."""
    names = set()
    # such a call starts with a class name or a local name of the builders' packages
    quiet = ctx.quiet(class_names | _calls.package_names(imap, tuple(_BUILDERS)))
    for statement in statements(module.body, quiet):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and _builds_model(small.value, imap, class_names):
                names.update(t.target.value for t in small.targets if isinstance(t.target, cst.Name))
    return names


def _builds_model(value, imap, class_names: Set[str]) -> bool:
    if not isinstance(value, cst.Call):
        return False
    if isinstance(value.func, cst.Name) and value.func.value in class_names:
        return True
    return any(_calls.mmcls_function(imap, value.func, package, names)
               for package, names in _BUILDERS.items())


class MethodRenames(Rule):
    id = "MMC301"
    title = "forward_train -> loss, simple_test -> predict in mmcls / mmselfsup models and heads"
    kind = CODE
    guide = GUIDE
    # a head that only overrides the old `loss` mentions neither forward_train nor simple_test
    triggers = ("forward_train", "simple_test", "mmcls", "mmselfsup", "HEADS")
    before = (
        "from mmcls.models import CLASSIFIERS, ImageClassifier\n\n\n"
        "@CLASSIFIERS.register_module()\n"
        "class MyClassifier(ImageClassifier):\n"
        "    def forward_train(self, img, gt_label):\n"
        "        return self.head.forward_train(self.extract_feat(img), gt_label)\n"
    )
    after = (
        "from mmcls.models import CLASSIFIERS, ImageClassifier\n\n\n"
        "@CLASSIFIERS.register_module()\n"
        "class MyClassifier(ImageClassifier):\n"
        "    def loss(self, img, gt_label):\n"
        "        return self.head.loss(self.extract_feat(img), gt_label)\n"
    )

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = ctx.import_map(module)
        if not _imports_old(imap):
            return module
        kinds = class_kinds(module, imap, ctx.quiet(("class",)))
        models = _model_variables(module, imap, {node.name.value for node in kinds}, ctx)
        # a model called with return_loss (0.x forward) is one whatever made it (a wrapper, a parameter)
        loss_calls = _calls.marked(module, _passes_return_loss, LEAVES, ctx.quiet(("return_loss",)))
        if not kinds and not models and not loss_calls:
            return module
        renamer = _Renamer(kinds, ctx, models, imap)
        renamer.loss_calls = loss_calls
        before = ctx.changes.get(renamer.rule_id, 0)
        marked = _calls.marked(module, lambda node: _renamable(node, models), LEAVES)
        updated = visit_only(module, renamer, marked | loss_calls)
        # A change is a recorded rename or a TODO: with neither, keep the tree (no new text to make).
        return updated if renamer.marked or ctx.changes.get(renamer.rule_id, 0) != before else module


def _passes_return_loss(node) -> bool:
    return type(node) is cst.Call and any(
        a.keyword is not None and a.keyword.value == "return_loss" for a in node.args)


def _renamable(node, models: Set[str]) -> bool:
    """Nodes `_Renamer` may change or mark: classes, the old method names, calls of models."""
    kind = type(node)
    if kind is cst.ClassDef:
        return True
    if kind is cst.Attribute:
        return node.attr.value in _OLD_NAMES
    if kind is cst.FunctionDef:
        return node.name.value in _OLD_NAMES
    return kind is cst.Call and type(node.func) is cst.Name and node.func.value in models


_OLD_NAMES = {*RENAMES, "loss"}


# MMC302: the methods whose arguments changed. (kind, method) -> (expected first arguments,
# what to write). The TODO is only added while the arguments differ from the 1.2 ones.
_SIGNATURES = {
    (CLASSIFIER, "loss"): (["inputs", "data_samples"],
                           "def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> dict; "
                           "the labels are data_samples[i].gt_label (batch augments run in the data_preprocessor)"),
    (CLASSIFIER, "predict"): (["inputs", "data_samples"],
                              "def predict(self, inputs: torch.Tensor, data_samples: Optional[List[DataSample]] "
                              "= None, **kwargs) -> List[DataSample]"),
    (CLASSIFIER, "forward"): (["inputs", "data_samples", "mode"],
                              "def forward(self, inputs: torch.Tensor, data_samples=None, mode: str = 'tensor'); "
                              "mode is 'tensor', 'loss' or 'predict' (no return_loss)"),
    (HEAD, "loss"): (["feats", "data_samples"],
                     "def loss(self, feats: Tuple[torch.Tensor], data_samples: List[DataSample], **kwargs) -> "
                     "dict; the scores are self(feats) and the losses self._get_loss(cls_score, data_samples, "
                     "**kwargs) (a 0.x loss(cls_score, gt_label) override is _get_loss in 1.2)"),
    (HEAD, "_get_loss"): (["cls_score", "data_samples"],
                          "def _get_loss(self, cls_score: torch.Tensor, data_samples: List[DataSample], "
                          "**kwargs); the target is torch.cat([s.gt_label for s in data_samples]) (or "
                          "torch.stack of gt_score after mixup/cutmix)"),
    (HEAD, "predict"): (["feats", "data_samples"],
                        "def predict(self, feats: Tuple[torch.Tensor], data_samples=None) -> "
                        "List[DataSample]; softmax and post_process are gone: "
                        "self._get_predictions(cls_score, data_samples) fills pred_score and pred_label"),
    (ALGORITHM, "loss"): (["inputs", "data_samples"],
                          "def loss(self, inputs: List[torch.Tensor], data_samples: List[DataSample], "
                          "**kwargs) -> Dict[str, torch.Tensor]"),
    (ALGORITHM, "forward"): (["inputs", "data_samples", "mode"],
                             "def forward(self, inputs, data_samples=None, mode: str = 'tensor'); mode is "
                             "'tensor' or 'loss'"),
}
_ANY_MODEL = {
    "train_step": (["data", "optim_wrapper"],
                   "def train_step(self, data, optim_wrapper: OptimWrapper) -> Dict[str, torch.Tensor]; "
                   "run data through self.data_preprocessor(data, True), then "
                   "optim_wrapper.update_params(loss); return the log vars"),
    "val_step": (["data"], "def val_step(self, data) -> list (the predictions; no optimizer)"),
    "forward_test": (None, "forward_test was removed: forward(inputs, data_samples, mode='predict') "
                           "calls predict"),
    "forward_dummy": (None, "forward_dummy was removed: forward(inputs, mode='tensor') does this"),
    "aug_test": (None, "aug_test was removed: test-time augmentation is a model wrapper in 1.x "
                       "(tta_model and tta_pipeline in the config)"),
}
_HEAD_ONLY = {
    "post_process": (None, "post_process was removed from 1.2 heads: predictions are DataSample "
                           "objects made by _get_predictions(cls_score, data_samples)"),
}


def _params(node: cst.FunctionDef) -> List[str]:
    params = node.params
    names = [p.name.value for p in [*params.posonly_params, *params.params]]
    return names[1:] if names and names[0] in ("self", "cls") else names


def signature_todo(kind: str, node: cst.FunctionDef) -> Optional[str]:
    name = node.name.value
    found = _SIGNATURES.get((kind, name)) or (kind != SELFSUP_HEAD and _ANY_MODEL.get(name))
    if not found and kind == HEAD:
        found = _HEAD_ONLY.get(name)
    if not found:
        return None
    expected, text = found
    if expected is None:
        return text
    if _params(node)[:len(expected)] == expected:
        return None
    return "MMPretrain 1.2 signature: " + text


_ALGORITHM_INIT = (
    "MMPretrain 1.2 BaseSelfSupervisor.__init__(backbone, neck=None, head=None, target_generator=None, "
    "pretrained=None, data_preprocessor=None, init_cfg=None) builds backbone, neck and head itself: call "
    "super().__init__(backbone=backbone, neck=neck, head=head, init_cfg=init_cfg) and drop the build "
    "lines (the 0.x super().__init__(init_cfg) would pass init_cfg as the backbone)")


def algorithm_init_todo(node: cst.FunctionDef) -> Optional[str]:
    """The TODO for an algorithm's `__init__` whose `super().__init__(...)` does not pass a backbone
    first (0.x BaseModel took only init_cfg)."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for line in body:
        for small in getattr(line, "body", ()) if isinstance(line, cst.SimpleStatementLine) else ():
            call = small.value if isinstance(small, cst.Expr) else None
            if _is_super_init(call):
                first = call.args[0] if call.args else None
                named = {a.keyword.value for a in call.args if a.keyword is not None}
                passes = "backbone" in named or (first is not None and first.keyword is None and first.star == ""
                                                 and isinstance(first.value, cst.Name)
                                                 and first.value.value == "backbone")
                return None if passes else _ALGORITHM_INIT
    return None


def _is_super_init(call) -> bool:
    return (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "__init__" and isinstance(call.func.value, cst.Call)
            and isinstance(call.func.value.func, cst.Name) and call.func.value.func.value == "super")


def _has_signature_todo(node: cst.FunctionDef) -> bool:
    """Already marked? Once MMC1 renamed the imports, a class may be recognised differently
    (an mmcls classifier registered as an mmselfsup algorithm) and a second TODO would differ."""
    marker = todo_text(Signatures.id, "")
    return any(line.comment is not None and line.comment.value.startswith(marker)
               for line in node.leading_lines)


class _Signatures(TodoTransformer):
    rule_id = "MMC302"

    def __init__(self, kinds) -> None:
        super().__init__()
        self.kinds = kinds
        self.classes: List[Optional[str]] = []

    def visit_ClassDef(self, node) -> None:
        self.classes.append(self.kinds.get(node))

    def leave_ClassDef(self, original, updated):
        self.classes.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        kind = self.classes[-1] if self.classes else None
        message = kind and signature_todo(kind, node)
        if not message and kind == ALGORITHM and node.name.value == "__init__":
            message = algorithm_init_todo(node)
        if message and not _has_signature_todo(node):
            self.todo(message)
        self.classes.append(None)  # functions nested in methods are not methods
        return False  # signatures only: the bodies need no walk

    def visit_SimpleStatementLine(self, node) -> bool:
        return False

    def leave_FunctionDef(self, original, updated):
        self.classes.pop()
        return updated


class Signatures(Rule):
    id = "MMC302"
    title = "changed model / head method signatures (TODO with the 1.2 signature)"
    kind = CODE
    guide = GUIDE
    triggers = ("mmcls", "mmselfsup", "HEADS", "CLASSIFIERS", "ALGORITHMS")
    before = (
        "from mmcls.models.heads import ClsHead\n\n\n"
        "class MyHead(ClsHead):\n"
        "    def _get_loss(self, cls_score, gt_label):\n"
        "        return {}\n"
    )
    after = (
        "from mmcls.models.heads import ClsHead\n\n\n"
        "class MyHead(ClsHead):\n"
        "    # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def _get_loss(self, cls_score: torch.Tensor, "
        "data_samples: List[DataSample], **kwargs); the target is torch.cat([s.gt_label for s in "
        "data_samples]) (or torch.stack of gt_score after mixup/cutmix)\n"
        "    def _get_loss(self, cls_score, gt_label):\n"
        "        return {}\n"
    )

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        imap = ctx.import_map(module)
        if not _imports_old(imap):
            return module
        kinds = class_kinds(module, imap, ctx.quiet(("class",)))
        if not kinds:
            return module
        return module.visit(_Signatures(kinds))
