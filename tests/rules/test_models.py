"""MMC301 (method renames) and MMC302 (signature TODOs). No-op cases first."""
import pytest

from tests.util import check_noop, check_transformed

RENAME = "MMC301"
SIGNATURE = "MMC302"


@pytest.mark.parametrize("source", [
    # a user's own module with a forward_train, in a file that uses mmcls for something else
    """\
    import torch.nn as nn
    from mmcls.apis import init_model


    class Trainer(nn.Module):
        def forward_train(self, img, gt_label):
            return self.net.forward_train(img, gt_label)

        def simple_test(self, img):
            return self.net.simple_test(img)
    """,
    # an mmdet head: not MMClassification's
    """\
    from mmdet.models.builder import HEADS
    from mmdet.models.dense_heads import AnchorHead


    @HEADS.register_module()
    class MyHead(AnchorHead):
        def forward_train(self, x, img_metas, gt_bboxes):
            return super().forward_train(x, img_metas, gt_bboxes)
    """,
    # a fork's relative HEADS with no mmcls import: could be any OpenMMLab project
    """\
    from ..builder import HEADS
    from .base import Base


    @HEADS.register_module()
    class MyHead(Base):
        def forward_train(self, x, gt_label):
            return self.loss(x, gt_label)
    """,
    # model.simple_test on something that is not known to be an mmcls model
    """\
    from mmcls.models import build_classifier
    net = load_my_net()
    out = net.simple_test(img)
    """,
])
def test_rename_noop(source):
    check_noop([RENAME, SIGNATURE], source)


def test_classifier_direct_base():
    check_transformed(RENAME, """\
    from mmcls.models.builder import CLASSIFIERS
    from mmcls.models.classifiers import ImageClassifier


    @CLASSIFIERS.register_module()
    class FeatureNormClassifier(ImageClassifier):
        def forward_train(self, img, gt_label, **kwargs):
            x = self.extract_feat(img)
            losses = dict()
            losses.update(self.head.forward_train(x, gt_label))
            return losses

        def simple_test(self, img, img_metas=None, **kwargs):
            x = self.extract_feat(img)

            def helper(simple_test):
                return simple_test
            return self.head.simple_test(x, **kwargs)
    """, """\
    from mmcls.models.builder import CLASSIFIERS
    from mmcls.models.classifiers import ImageClassifier


    @CLASSIFIERS.register_module()
    class FeatureNormClassifier(ImageClassifier):
        def loss(self, img, gt_label, **kwargs):
            x = self.extract_feat(img)
            losses = dict()
            losses.update(self.head.loss(x, gt_label))
            return losses

        def predict(self, img, img_metas=None, **kwargs):
            x = self.extract_feat(img)

            def helper(simple_test):
                return simple_test
            return self.head.predict(x, **kwargs)
    """)


def test_head_old_loss_becomes_get_loss():
    check_transformed(RENAME, """\
    from mmcls.models.heads import LinearClsHead as Base


    class CosineClsHead(Base):
        def simple_test(self, x, softmax=True, post_process=True):
            return super(CosineClsHead, self).simple_test(x, softmax, post_process)

        def forward_train(self, x, gt_label, **kwargs):
            cls_score = self.cosine_logits(x)
            losses = self.loss(cls_score, gt_label, **kwargs)
            return losses

        def loss(self, cls_score, gt_label, **kwargs):
            losses = super(CosineClsHead, self).loss(cls_score, gt_label, **kwargs)
            return losses
    """, """\
    from mmcls.models.heads import LinearClsHead as Base


    class CosineClsHead(Base):
        def predict(self, x, softmax=True, post_process=True):
            return super(CosineClsHead, self).predict(x, softmax, post_process)

        def loss(self, x, gt_label, **kwargs):
            cls_score = self.cosine_logits(x)
            losses = self._get_loss(cls_score, gt_label, **kwargs)
            return losses

        def _get_loss(self, cls_score, gt_label, **kwargs):
            losses = super(CosineClsHead, self)._get_loss(cls_score, gt_label, **kwargs)
            return losses
    """)


def test_head_overriding_only_loss_gets_a_todo_not_a_rename():
    # 0.x ClsHead.forward_train calls self.loss(cls_score, gt_label); 1.2's loss(feats,
    # data_samples) calls _get_loss. Renaming here would rename a migrated forward_train again on
    # a second run, so MMC301 leaves it and MMC302 says what to do.
    source = """\
    import mmcls.models.heads as heads


    class SmoothHead(heads.ClsHead):
        def loss(self, cls_score, gt_label):
            return super().loss(cls_score, gt_label)
    """
    check_noop(RENAME, source)
    check_transformed(SIGNATURE, source, """\
    import mmcls.models.heads as heads


    class SmoothHead(heads.ClsHead):
        """ + HEAD_LOSS + """
        def loss(self, cls_score, gt_label):
            return super().loss(cls_score, gt_label)
    """)


def test_class_via_class_in_same_file_and_registry_only():
    check_transformed(RENAME, """\
    try:
        from mmselfsup.models import ALGORITHMS, BaseModel
    except ImportError:
        from mmselfsup.models.algorithms import BaseModel


    class Child(Parent):
        def forward_train(self, img, **kwargs):
            return super().forward_train(img, **kwargs)


    class Parent(BaseModel):
        def forward_train(self, img, **kwargs):
            return self.head(self.backbone(img))


    @ALGORITHMS.register_module()
    class Standalone(nn.Module):
        def forward_train(self, img, **kwargs):
            return {}
    """, """\
    try:
        from mmselfsup.models import ALGORITHMS, BaseModel
    except ImportError:
        from mmselfsup.models.algorithms import BaseModel


    class Child(Parent):
        def loss(self, img, **kwargs):
            return super().loss(img, **kwargs)


    class Parent(BaseModel):
        def loss(self, img, **kwargs):
            return self.head(self.backbone(img))


    @ALGORITHMS.register_module()
    class Standalone(nn.Module):
        def loss(self, img, **kwargs):
            return {}
    """)


def test_callers_of_known_models():
    check_transformed(RENAME, """\
    from mmcls.models import build_classifier


    def check(cfg, img, label):
        model = build_classifier(cfg.model)
        losses = model.forward_train(img, label)
        scores = model.simple_test(img)
    """, """\
    from mmcls.models import build_classifier


    def check(cfg, img, label):
        model = build_classifier(cfg.model)
        # TODO(mmcodemod): MMC301 loss(inputs, data_samples) takes a list of DataSample (with gt_label) instead of gt_label tensors
        losses = model.loss(img, label)
        # TODO(mmcodemod): MMC301 predict(inputs, data_samples=None) returns a list of DataSample (pred_score, pred_label) instead of score arrays
        scores = model.predict(img)
    """)


def test_clash_gets_todo_and_no_rename():
    check_transformed(RENAME, """\
    from mmcls.models import ImageClassifier


    class Odd(ImageClassifier):
        def simple_test(self, img):
            return 1

        def predict(self, img):
            return 2
    """, """\
    from mmcls.models import ImageClassifier


    # TODO(mmcodemod): MMC301 simple_test is `predict` in MMPretrain 1.x, and this class already has a `predict` (a method, or self.predict): merge them, or rename that one first
    class Odd(ImageClassifier):
        def simple_test(self, img):
            return 1

        def predict(self, img):
            return 2
    """)


HEAD_LOSS = (
    "# TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def loss(self, feats: Tuple[torch.Tensor], "
    "data_samples: List[DataSample], **kwargs) -> dict; the scores are self(feats) and the losses "
    "self._get_loss(cls_score, data_samples, **kwargs) (a 0.x loss(cls_score, gt_label) override is "
    "_get_loss in 1.2)"
)
HEAD_GET_LOSS = (
    "# TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def _get_loss(self, cls_score: torch.Tensor, "
    "data_samples: List[DataSample], **kwargs); the target is torch.cat([s.gt_label for s in "
    "data_samples]) (or torch.stack of gt_score after mixup/cutmix)"
)
HEAD_PREDICT = (
    "# TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def predict(self, feats: Tuple[torch.Tensor], "
    "data_samples=None) -> List[DataSample]; softmax and post_process are gone: "
    "self._get_predictions(cls_score, data_samples) fills pred_score and pred_label"
)


def test_renames_then_signature_todos_for_a_head():
    check_transformed([RENAME, SIGNATURE], """\
    from mmcls.models.builder import HEADS
    from mmcls.models.heads import LinearClsHead


    @HEADS.register_module()
    class CosineClsHead(LinearClsHead):
        def simple_test(self, x, softmax=True, post_process=True):
            return x

        def forward_train(self, x, gt_label, **kwargs):
            return self.loss(x, gt_label)

        def loss(self, cls_score, gt_label, **kwargs):
            return {}

        def pre_logits(self, x):
            return x
    """, """\
    from mmcls.models.builder import HEADS
    from mmcls.models.heads import LinearClsHead


    @HEADS.register_module()
    class CosineClsHead(LinearClsHead):
        """ + HEAD_PREDICT + """
        def predict(self, x, softmax=True, post_process=True):
            return x

        """ + HEAD_LOSS + """
        def loss(self, x, gt_label, **kwargs):
            return self._get_loss(x, gt_label)

        """ + HEAD_GET_LOSS + """
        def _get_loss(self, cls_score, gt_label, **kwargs):
            return {}

        def pre_logits(self, x):
            return x
    """)


def test_signature_todos_for_a_classifier():
    check_transformed(SIGNATURE, """\
    from mmcls.models import BaseClassifier


    class Mine(BaseClassifier):
        def forward(self, img, return_loss=True, **kwargs):
            pass

        def train_step(self, data, optimizer):
            pass

        def forward_dummy(self, img):
            pass

        def val_step(self, data):
            pass

        def predict(self, inputs, data_samples=None):
            pass
    """, """\
    from mmcls.models import BaseClassifier


    class Mine(BaseClassifier):
        # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def forward(self, inputs: torch.Tensor, data_samples=None, mode: str = 'tensor'); mode is 'tensor', 'loss' or 'predict' (no return_loss)
        def forward(self, img, return_loss=True, **kwargs):
            pass

        # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def train_step(self, data, optim_wrapper: OptimWrapper) -> Dict[str, torch.Tensor]; run data through self.data_preprocessor(data, True), then optim_wrapper.update_params(loss); return the log vars
        def train_step(self, data, optimizer):
            pass

        # TODO(mmcodemod): MMC302 forward_dummy was removed: forward(inputs, mode='tensor') does this
        def forward_dummy(self, img):
            pass

        def val_step(self, data):
            pass

        def predict(self, inputs, data_samples=None):
            pass
    """)


def test_algorithm_init_that_passes_only_init_cfg_gets_a_todo():
    check_transformed(SIGNATURE, """\
    from mmselfsup.models.algorithms.base import BaseModel


    class Mine(BaseModel):
        def __init__(self, backbone, neck=None, head=None, init_cfg=None):
            super(Mine, self).__init__(init_cfg)
            self.backbone = build_backbone(backbone)
    """, """\
    from mmselfsup.models.algorithms.base import BaseModel


    class Mine(BaseModel):
        # TODO(mmcodemod): MMC302 MMPretrain 1.2 BaseSelfSupervisor.__init__(backbone, neck=None, head=None, target_generator=None, pretrained=None, data_preprocessor=None, init_cfg=None) builds backbone, neck and head itself: call super().__init__(backbone=backbone, neck=neck, head=head, init_cfg=init_cfg) and drop the build lines (the 0.x super().__init__(init_cfg) would pass init_cfg as the backbone)
        def __init__(self, backbone, neck=None, head=None, init_cfg=None):
            super(Mine, self).__init__(init_cfg)
            self.backbone = build_backbone(backbone)
    """)


@pytest.mark.parametrize("call", [
    "super().__init__(backbone, neck, head, init_cfg=init_cfg)",
    "super().__init__(backbone=backbone, neck=neck, init_cfg=init_cfg)",
    "super(Mine, self).__init__(neck=neck, backbone=backbone)",
])
def test_algorithm_init_that_passes_the_backbone_has_no_todo(call):
    check_noop(SIGNATURE, f"""\
    from mmselfsup.models.algorithms import MoCo


    class Mine(MoCo):
        def __init__(self, backbone, neck=None, head=None, init_cfg=None, **kwargs):
            {call}
    """)


def test_signature_noop_outside_mm_classes():
    check_noop(SIGNATURE, """\
    import torch.nn as nn
    from mmcls.models import ImageClassifier


    class Wrapper(nn.Module):
        def train_step(self, data, optimizer):
            pass

        def loss(self, x, y):
            pass
    """)


def test_calls_in_a_class_that_defines_neither_method():
    check_transformed(RENAME, """\
    from mmcls.models import ImageClassifier


    class Probe(ImageClassifier):
        def scores(self, img):
            return self.head.simple_test(self.extract_feat(img))
    """, """\
    from mmcls.models import ImageClassifier


    class Probe(ImageClassifier):
        def scores(self, img):
            return self.head.predict(self.extract_feat(img))
    """)


def test_return_loss_calls_get_a_todo():
    # a known model, and one from a wrapper or a parameter: 0.x forward() took return_loss
    todo = ("# TODO(mmcodemod): MMC301 return_loss is gone: call model(inputs, data_samples, mode='loss') "
            "for losses, mode='predict' for a list of DataSample, mode='tensor' for raw outputs\n")
    check_transformed(RENAME, """\
    from mmcls.apis import init_model
    model = init_model('cfg.py')
    with torch.no_grad():
        scores = model(return_loss=False, **data)
    other = net(return_loss=False, **data)


    def test(wrapped, data):
        return wrapped(return_loss=False, **data)
    """, """\
    from mmcls.apis import init_model
    model = init_model('cfg.py')
    with torch.no_grad():
        """ + todo + """\
        scores = model(return_loss=False, **data)
    """ + todo + """\
    other = net(return_loss=False, **data)


    def test(wrapped, data):
        """ + todo + """\
        return wrapped(return_loss=False, **data)
    """)
    # not in code that imports no OpenMMLab 0.x package
    check_noop(RENAME, "import torch\nscores = net(return_loss=False, x=1)\n")


def test_head_with_a_1x_loss_is_not_renamed():
    # written for mmcls 1.0rc (loss already takes data_samples): nothing to do
    check_noop([RENAME, SIGNATURE], """\
    from mmcls.models.heads import ClsHead


    class NewHead(ClsHead):
        def loss(self, feats, data_samples, **kwargs):
            return super().loss(feats, data_samples, **kwargs)
    """)


def test_head_named_like_its_base():
    check_transformed(RENAME, """\
    from mmcls.models.builder import HEADS
    from mmcls.models.heads import ClsHead


    @HEADS.register_module()
    class ClsHead(ClsHead):
        def forward_train(self, cls_score, gt_label):
            return super().forward_train(cls_score, gt_label)
    """, """\
    from mmcls.models.builder import HEADS
    from mmcls.models.heads import ClsHead


    @HEADS.register_module()
    class ClsHead(ClsHead):
        def loss(self, cls_score, gt_label):
            return super().loss(cls_score, gt_label)
    """)


def test_head_forward_train_calling_the_inherited_loss():
    # after the rename, `self.loss` would be the method itself: it must call 1.2's _get_loss
    check_transformed(RENAME, """\
    from mmcls.models.heads import ClsHead


    class FcHead(ClsHead):
        def forward_train(self, x, gt_label):
            cls_score = self.fc(x)
            return self.loss(cls_score, gt_label)
    """, """\
    from mmcls.models.heads import ClsHead


    class FcHead(ClsHead):
        def loss(self, x, gt_label):
            cls_score = self.fc(x)
            return self._get_loss(cls_score, gt_label)
    """)


def test_head_with_forward_train_loss_and_get_loss_gets_a_todo():
    check_transformed(RENAME, """\
    from mmcls.models.heads import ClsHead


    class Odd(ClsHead):
        def forward_train(self, x, gt_label):
            return self.loss(x, gt_label)

        def loss(self, x, gt_label):
            return self._get_loss(x, gt_label)

        def _get_loss(self, x, gt_label):
            return {}
    """, """\
    from mmcls.models.heads import ClsHead


    # TODO(mmcodemod): MMC301 forward_train is `loss` in MMPretrain 1.x, and this class already has a `loss` (a method, or self.loss): merge them, or rename that one first
    class Odd(ClsHead):
        def forward_train(self, x, gt_label):
            return self.loss(x, gt_label)

        def loss(self, x, gt_label):
            return self._get_loss(x, gt_label)

        def _get_loss(self, x, gt_label):
            return {}
    """)


def test_callers_are_scope_aware():
    # `model` is an mmcls model in check() only
    check_transformed(RENAME, """\
    from mmcls.models import build_classifier


    def check(cfg, img):
        model = build_classifier(cfg.model)
        return model.simple_test(img)


    def other(img):
        model = load_something_else()
        return model.simple_test(img)
    """, """\
    from mmcls.models import build_classifier


    def check(cfg, img):
        model = build_classifier(cfg.model)
        # TODO(mmcodemod): MMC301 predict(inputs, data_samples=None) returns a list of DataSample (pred_score, pred_label) instead of score arrays
        return model.predict(img)


    def other(img):
        model = load_something_else()
        return model.simple_test(img)
    """)


def test_signature_todo_is_not_added_twice_when_the_class_reads_differently():
    # after MMC1: the base comes from mmpretrain, the fork's relative ALGORITHMS still matches
    check_noop(SIGNATURE, """\
    from mmpretrain.models import ImageClassifier

    from ..builder import ALGORITHMS


    @ALGORITHMS.register_module()
    class Wrapper(ImageClassifier):
        # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> dict; the labels are data_samples[i].gt_label (batch augments run in the data_preprocessor)
        def loss(self, img, label, **kwargs):
            pass
    """)


def test_a_classifier_with_a_loss_module_keeps_forward_train_with_a_todo():
    # renamed, `def loss` would hide the `self.loss` module: get_loss would call itself
    before = """\
    from mmcls.models import CLASSIFIERS, BaseClassifier, build_loss


    @CLASSIFIERS.register_module()
    class Mine(BaseClassifier):
        def __init__(self, loss):
            super().__init__()
            self.loss = build_loss(loss)

        def forward_train(self, img, gt_label):
            return {'loss': self.loss(self.extract_feat(img), gt_label)}
    """
    todo = ("    # TODO(mmcodemod): MMC301 forward_train is `loss` in MMPretrain 1.x, and this class already "
            "has a `loss` (a method, or self.loss): merge them, or rename that one first\n")
    check_transformed(RENAME, before, before.replace("    @CLASSIFIERS", todo + "    @CLASSIFIERS"))


def test_a_head_of_an_mmcls_fork_derived_through_a_relative_import_is_renamed():
    from pathlib import Path

    before = """\
    from .cls_head import ClsHead


    class MyHead(ClsHead):
        def simple_test(self, x):
            return x
    """
    check_transformed(RENAME, before, """\
    from .cls_head import ClsHead


    class MyHead(ClsHead):
        def predict(self, x):
            return x
    """, path=Path("proj/mmcls/models/heads/my_head.py"))
    check_noop(RENAME, before, path=Path("proj/heads/my_head.py"))
