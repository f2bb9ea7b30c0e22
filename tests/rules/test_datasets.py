from codemods.rules.datasets import EVALUATE_CALL, RESULT_KEYS, TODOS
from tests.util import check_noop, check_transformed

RULE = "MMC303"


def todo(key, indent="    "):
    return f"{indent}# TODO(mmcodemod): MMC303 {TODOS[key]}\n"


def test_noop_unrelated_classes():
    check_noop(RULE, """\
        from torch.utils.data import Dataset
        from mmcls.models import ResNet

        class Leaves(Dataset):
            CLASSES = ('a', 'b')

            def load_annotations(self):
                return []
        """)


def test_noop_other_packages_base_dataset():
    check_noop(RULE, """\
        from mmdet.datasets import CustomDataset
        import mmcls

        class Boxes(CustomDataset):
            CLASSES = ('a',)

            def load_annotations(self, ann_file):
                return []
        """)


def test_noop_dataset_without_0x_members():
    check_noop(RULE, """\
        from mmcls.datasets import ImageNet

        class Small(ImageNet):
            def __len__(self):
                return 10
        """)


def test_subclass_members_get_todos():
    before = (
        "from mmcls.datasets import BaseDataset, DATASETS\n\n\n"
        "@DATASETS.register_module()\n"
        "class Leaves(BaseDataset):\n"
        "    CLASSES = ('healthy', 'sick')\n\n"
        "    def load_annotations(self):\n"
        "        def helper():\n"
        "            return 1\n"
        "        return []\n\n"
        "    def evaluate(self, results, metric='accuracy'):\n"
        "        return {}\n"
    )
    after = (
        "from mmcls.datasets import BaseDataset, DATASETS\n\n\n"
        "@DATASETS.register_module()\n"
        "class Leaves(BaseDataset):\n"
        + todo("CLASSES") +
        "    CLASSES = ('healthy', 'sick')\n\n"
        + todo("load_annotations") +
        "    def load_annotations(self):\n"
        "        def helper():\n"
        "            return 1\n"
        "        return []\n\n"
        + todo("evaluate") +
        "    def evaluate(self, results, metric='accuracy'):\n"
        "        return {}\n"
    )
    check_transformed(RULE, before, after)


def test_registered_only_and_through_a_local_base():
    before = (
        "import mmcls.datasets as dsets\n"
        "from mmcls.datasets.builder import DATASETS\n\n\n"
        "class Base(dsets.CustomDataset):\n"
        "    pass\n\n\n"
        "class Child(Base):\n"
        "    def load_annotations(self):\n"
        "        return []\n\n\n"
        "@DATASETS.register_module()\n"
        "class Own(object):\n"
        "    def load_annotations(self):\n"
        "        return []\n"
    )
    after = (
        "import mmcls.datasets as dsets\n"
        "from mmcls.datasets.builder import DATASETS\n\n\n"
        "class Base(dsets.CustomDataset):\n"
        "    pass\n\n\n"
        "class Child(Base):\n"
        + todo("load_annotations") +
        "    def load_annotations(self):\n"
        "        return []\n\n\n"
        "@DATASETS.register_module()\n"
        "class Own(object):\n"
        + todo("load_annotations") +
        "    def load_annotations(self):\n"
        "        return []\n"
    )
    check_transformed(RULE, before, after)


def test_explain_example_is_what_the_rule_does():
    from codemods.rules import get_rule

    rule = get_rule(RULE)
    check_transformed(RULE, rule.before, rule.after)


def test_a_dataset_of_an_mmcls_fork_imported_relatively_gets_todos():
    from pathlib import Path

    before = (
        "from .base_dataset import BaseDataset\n\n\n"
        "class Leaves(BaseDataset):\n"
        "    def load_annotations(self):\n"
        "        return []\n"
    )
    after = (
        "from .base_dataset import BaseDataset\n\n\n"
        "class Leaves(BaseDataset):\n"
        + todo("load_annotations") +
        "    def load_annotations(self):\n"
        "        return []\n"
    )
    check_transformed(RULE, before, after, path=Path("proj/mmcls/datasets/leaves.py"))
    # the same relative import outside an mmcls tree is somebody else's BaseDataset
    check_noop(RULE, before, path=Path("proj/mydata/leaves.py"))


def test_the_rule_skips_files_that_name_no_dataset_base_or_registry():
    from pathlib import Path

    from codemods.rules import get_rule

    rule = get_rule(RULE)
    fork = Path("proj/mmcls/models/heads/head.py")
    head = "from .base_head import BaseHead\n\nclass Head(BaseHead):\n    def evaluate(self):\n        pass\n"
    assert not rule.under_path_trigger("code", fork, head)
    assert not rule.applies_to("code", "import mmcls\n" + head)
    # the names `_dataset_kind` resolves, spelt in an import or a class statement, let it run
    for spelling in ("from .builder import DATASETS\n", "from .base_dataset import BaseDataset\n",
                     "from mmcls.datasets import CIFAR10 as C\n"):
        assert rule.under_path_trigger("code", fork, spelling + head)
        assert rule.applies_to("code", "import mmcls\n" + spelling + head)


def test_evaluate_of_a_built_dataset_gets_a_todo():
    # mmcls 0.x tools/test.py: dataset.evaluate(outputs, metrics, metric_options); MMPretrain 1.2
    # datasets (mmengine BaseDataset) have no evaluate()
    check_transformed(RULE, """\
        from mmcls.datasets import build_dataset as make


        def main(cfg, outputs):
            dataset = make(cfg.data.test)
            results = dataset.evaluate(outputs, ['accuracy'])
            print(dataset.evaluate(outputs))
            return results
        """, (
        "from mmcls.datasets import build_dataset as make\n\n\n"
        "def main(cfg, outputs):\n"
        "    dataset = make(cfg.data.test)\n"
        f"    # TODO(mmcodemod): MMC303 {EVALUATE_CALL}\n"
        "    results = dataset.evaluate(outputs, ['accuracy'])\n"
        f"    # TODO(mmcodemod): MMC303 {EVALUATE_CALL}\n"
        "    print(dataset.evaluate(outputs))\n"
        "    return results\n"
    ))


def test_noop_evaluate_of_other_objects():
    check_noop(RULE, """\
        from mmcls.datasets import build_dataset
        from mytools import build_dataset as build_mine

        train = build_dataset(cfg.data.train)
        mine = build_mine(cfg)
        mine.evaluate(outputs)
        metric.evaluate(outputs)
        evaluate(train)
        """)


def test_a_custom_transform_reading_old_result_keys_gets_todos():
    # mmcls 0.25's LoadImageFromFile read results['img_prefix'] / ['img_info']['filename'] and set
    # 'filename' / 'ori_filename'; MMCV 2's reads results['img_path'] and sets neither
    check_transformed(RULE, """\
        from mmcls.datasets import PIPELINES


        @PIPELINES.register_module()
        class Crop:
            def __call__(self, results):
                name = results['img_info']['filename']
                results['img_prefix'] = None
                if results.get('ori_filename'):
                    results['box'] = self.boxes[name]
                return results
        """, (
        "from mmcls.datasets import PIPELINES\n\n\n"
        "@PIPELINES.register_module()\n"
        "class Crop:\n"
        "    def __call__(self, results):\n"
        f"        # TODO(mmcodemod): MMC303 {RESULT_KEYS['img_info']}\n"
        "        name = results['img_info']['filename']\n"
        "        results['img_prefix'] = None\n"
        f"        # TODO(mmcodemod): MMC303 {RESULT_KEYS['ori_filename']}\n"
        "        if results.get('ori_filename'):\n"
        "            results['box'] = self.boxes[name]\n"
        "        return results\n"
    ))


def test_noop_old_result_keys_outside_mmcls_transforms():
    check_noop(RULE, """\
        from mmcls.datasets import PIPELINES
        from mmdet.datasets import PIPELINES as DET


        @DET.register_module()
        class Crop:
            def __call__(self, results):
                return results['img_info']


        def read(results):
            return results['filename']
        """)
