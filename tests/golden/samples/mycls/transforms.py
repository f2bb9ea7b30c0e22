import numpy as np
from mmpretrain.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomLeafMask(object):
    """Blank out a random rectangle of the image, filled with the mean colour.

    A cheap stand-in for occlusion by other leaves.

    Args:
        prob (float): Probability of applying the mask.
        max_ratio (float): Largest side of the rectangle, as a fraction of the
            image side.
    """

    def __init__(self, prob=0.5, max_ratio=0.3):
        assert 0 <= prob <= 1
        self.prob = prob
        self.max_ratio = max_ratio

    def __call__(self, results):
        if np.random.rand() > self.prob:
            return results
        for key in results.get('img_fields', ['img']):
            img = results[key]
            h, w = img.shape[:2]
            mh = np.random.randint(1, max(2, int(h * self.max_ratio)))
            mw = np.random.randint(1, max(2, int(w * self.max_ratio)))
            top = np.random.randint(0, h - mh + 1)
            left = np.random.randint(0, w - mw + 1)
            img = img.copy()
            img[top:top + mh, left:left + mw] = img.mean(axis=(0, 1))
            results[key] = img
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'max_ratio={self.max_ratio})')
