import csv
import os.path as osp

import numpy as np
from mmcls.datasets import BaseDataset, DATASETS


@DATASETS.register_module()
class LeafDiseaseDataset(BaseDataset):
    """Leaf photos listed in a CSV file with `filename,label_name` rows.

    The CSV is `ann_file`; image paths in it are relative to `data_prefix`.
    """

    CLASSES = [
        'healthy', 'bacterial_spot', 'early_blight', 'late_blight',
        'leaf_mold', 'septoria_leaf_spot', 'spider_mites', 'target_spot',
        'mosaic_virus', 'yellow_leaf_curl_virus'
    ]

    def load_annotations(self):
        assert self.ann_file is not None, 'LeafDiseaseDataset needs an ann_file'
        data_infos = []
        with open(self.ann_file, newline='') as f:
            for row in csv.DictReader(f):
                info = {
                    'img_prefix': self.data_prefix,
                    'img_info': {'filename': row['filename']},
                    'gt_label': np.array(
                        self.class_to_idx[row['label_name']], dtype=np.int64),
                }
                data_infos.append(info)
        return data_infos

    def class_counts(self):
        """Number of images per class, in CLASSES order."""
        counts = np.bincount(self.get_gt_labels(), minlength=len(self.CLASSES))
        return dict(zip(self.CLASSES, counts.tolist()))

    def __repr__(self):
        return (f'{self.__class__.__name__}(ann_file='
                f'{osp.basename(self.ann_file)}, {len(self)} images)')
