import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from mmpretrain.models.heads import LinearClsHead


@MODELS.register_module()
class CosineClsHead(LinearClsHead):
    """A linear head on L2-normalised features and weights (cosine classifier).

    Args:
        scale (float): Temperature that the cosine similarities are multiplied by.
        margin (float): Additive margin subtracted from the target logit during
            training only.
    """

    def __init__(self, num_classes, in_channels, scale=16.0, margin=0.0,
                 **kwargs):
        super(CosineClsHead, self).__init__(num_classes, in_channels, **kwargs)
        self.scale = scale
        self.margin = margin
        self.fc = nn.Linear(in_channels, num_classes, bias=False)

    def cosine_logits(self, x):
        x = self.pre_logits(x)
        weight = F.normalize(self.fc.weight, dim=1)
        return F.linear(F.normalize(x, dim=1), weight) * self.scale

    # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def predict(self, feats: Tuple[torch.Tensor], data_samples=None) -> List[DataSample]; softmax and post_process are gone: self._get_predictions(cls_score, data_samples) fills pred_score and pred_label
    def predict(self, x, softmax=True, post_process=True):
        cls_score = self.cosine_logits(x)
        pred = F.softmax(cls_score, dim=1) if softmax else cls_score
        if post_process:
            return self.post_process(pred)
        return pred

    # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def loss(self, feats: Tuple[torch.Tensor], data_samples: List[DataSample], **kwargs) -> dict; the scores are self(feats) and the losses self._get_loss(cls_score, data_samples, **kwargs) (a 0.x loss(cls_score, gt_label) override is _get_loss in 1.2)
    def loss(self, x, gt_label, **kwargs):
        cls_score = self.cosine_logits(x)
        if self.margin > 0 and gt_label.dim() == 1:
            one_hot = F.one_hot(gt_label, self.num_classes).to(cls_score)
            cls_score = cls_score - one_hot * self.margin * self.scale
        losses = self._get_loss(cls_score, gt_label, **kwargs)
        return losses

    # TODO(mmcodemod): MMC302 MMPretrain 1.2 signature: def _get_loss(self, cls_score: torch.Tensor, data_samples: List[DataSample], **kwargs); the target is torch.cat([s.gt_label for s in data_samples]) (or torch.stack of gt_score after mixup/cutmix)
    def _get_loss(self, cls_score, gt_label, **kwargs):
        losses = super(CosineClsHead, self)._get_loss(cls_score, gt_label, **kwargs)
        with torch.no_grad():
            losses['mean_logit'] = cls_score.mean()
        return losses
