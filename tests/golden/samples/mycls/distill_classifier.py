import torch.nn.functional as F
from mmpretrain.registry import MODELS
from mmpretrain.models.classifiers import ImageClassifier


@MODELS.register_module()
class FeatureNormClassifier(ImageClassifier):
    """ImageClassifier that adds a feature-norm penalty to the training loss.

    Leaves photographed in the field vary a lot in exposure; keeping the pooled
    feature norm close to `target_norm` made training noticeably more stable.
    """

    def __init__(self, *args, target_norm=10.0, norm_weight=0.01, **kwargs):
        super(FeatureNormClassifier, self).__init__(*args, **kwargs)
        self.target_norm = target_norm
        self.norm_weight = norm_weight

    # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> dict; the labels are data_samples[i].gt_label (batch augments run in the data_preprocessor)
    def loss(self, img, gt_label, **kwargs):
        if self.augments is not None:
            img, gt_label = self.augments(img, gt_label)

        x = self.extract_feat(img)
        losses = dict()
        losses.update(self.head.loss(x, gt_label))

        feat = x[-1] if isinstance(x, tuple) else x
        norm = feat.flatten(1).norm(dim=1)
        losses['loss_norm'] = self.norm_weight * F.smooth_l1_loss(
            norm, norm.new_full(norm.shape, self.target_norm))
        return losses

    # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def predict(self, inputs: torch.Tensor, data_samples: Optional[List[DataSample]] = None, **kwargs) -> List[DataSample]
    def predict(self, img, img_metas=None, **kwargs):
        x = self.extract_feat(img)
        return self.head.predict(x, **kwargs)
