import csv
import os.path as osp

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS


@DATASETS.register_module()
class LeafDiseaseDataset(BaseDataset):
    """Leaf photos listed in a CSV file with `filename,label_name` rows.

    The CSV is `ann_file`; image paths in it are relative to `data_prefix`.
    """

    # TODO(mmcodemod): MMC303 MMPretrain 1.2 datasets declare METAINFO = {'classes': (...)}; read them as self.metainfo['classes'] (CLASSES is no longer used)
    CLASSES = [
        'healthy', 'bacterial_spot', 'early_blight', 'late_blight',
        'leaf_mold', 'septoria_leaf_spot', 'spider_mites', 'target_spot',
        'mosaic_virus', 'yellow_leaf_curl_virus'
    ]

    # TODO(mmcodemod): MMC303 MMPretrain 1.2 datasets implement load_data_list(self) -> List[dict] (one dict per sample, e.g. dict(img_path=..., gt_label=int)); port load_annotations to it (self.data_prefix is now a dict: self.data_prefix['img_path'])
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
