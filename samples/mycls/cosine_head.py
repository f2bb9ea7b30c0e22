import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcls.models.builder import HEADS
from mmcls.models.heads import LinearClsHead


@HEADS.register_module()
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

    def simple_test(self, x, softmax=True, post_process=True):
        cls_score = self.cosine_logits(x)
        pred = F.softmax(cls_score, dim=1) if softmax else cls_score
        if post_process:
            return self.post_process(pred)
        return pred

    def forward_train(self, x, gt_label, **kwargs):
        cls_score = self.cosine_logits(x)
        if self.margin > 0 and gt_label.dim() == 1:
            one_hot = F.one_hot(gt_label, self.num_classes).to(cls_score)
            cls_score = cls_score - one_hot * self.margin * self.scale
        losses = self.loss(cls_score, gt_label, **kwargs)
        return losses

    def loss(self, cls_score, gt_label, **kwargs):
        losses = super(CosineClsHead, self).loss(cls_score, gt_label, **kwargs)
        with torch.no_grad():
            losses['mean_logit'] = cls_score.mean()
        return losses
