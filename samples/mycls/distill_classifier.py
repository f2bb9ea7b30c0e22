import torch.nn.functional as F
from mmcls.models.builder import CLASSIFIERS
from mmcls.models.classifiers import ImageClassifier


@CLASSIFIERS.register_module()
class FeatureNormClassifier(ImageClassifier):
    """ImageClassifier that adds a feature-norm penalty to the training loss.

    Leaves photographed in the field vary a lot in exposure; keeping the pooled
    feature norm close to `target_norm` made training noticeably more stable.
    """

    def __init__(self, *args, target_norm=10.0, norm_weight=0.01, **kwargs):
        super(FeatureNormClassifier, self).__init__(*args, **kwargs)
        self.target_norm = target_norm
        self.norm_weight = norm_weight

    def forward_train(self, img, gt_label, **kwargs):
        if self.augments is not None:
            img, gt_label = self.augments(img, gt_label)

        x = self.extract_feat(img)
        losses = dict()
        losses.update(self.head.forward_train(x, gt_label))

        feat = x[-1] if isinstance(x, tuple) else x
        norm = feat.flatten(1).norm(dim=1)
        losses['loss_norm'] = self.norm_weight * F.smooth_l1_loss(
            norm, norm.new_full(norm.shape, self.target_norm))
        return losses

    def simple_test(self, img, img_metas=None, **kwargs):
        x = self.extract_feat(img)
        return self.head.simple_test(x, **kwargs)
