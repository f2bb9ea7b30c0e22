"""leafnet's additions to MMClassification: importing this package registers them."""
from .cosine_head import CosineClsHead
from .distill_classifier import FeatureNormClassifier
from .hooks import ProgressHook
from .leaf_dataset import LeafDiseaseDataset
from .transforms import RandomLeafMask

__all__ = [
    'CosineClsHead', 'FeatureNormClassifier', 'LeafDiseaseDataset',
    'ProgressHook', 'RandomLeafMask'
]
