"""MMC101: imports from mmcls / mmselfsup / mmcv 1.x. No-op cases first."""
from pathlib import Path

import pytest

from tests.util import check_noop, check_transformed, migrate

RULE = "MMC101"


@pytest.mark.parametrize(
    "source",
    [
        "import os\nfrom collections import OrderedDict\n",
        "from mmpretrain.registry import MODELS\n\n@MODELS.register_module()\nclass A:\n    pass\n",
        # a vendored copy and a user's own module are not MMClassification
        "from otherpkg.mmcls.apis import init_model\nmodel = init_model(cfg)\n",
        "from src.train_model import train_model\ntrain_model(cfg)\n",
        "from mymmcls.models import HEADS\n",
        # mmcv 2.x still has these
        "import mmcv\nimg = mmcv.imread(path)\n",
        "from mmcv.cnn import ConvModule, build_norm_layer\n",
        "from mmcv.transforms import Resize\n",
        "import mmcv.ops\n",
        # relative imports outside an mmcls tree are someone else's
        "from ..builder import HEADS\n\n@HEADS.register_module()\nclass H:\n    pass\n",
        # strings and attributes that merely look alike
        "x = 'mmcls'\nself.HEADS = 1\n",
    ],
)
def test_noop(source):
    check_noop(RULE, source)


def test_relative_import_of_a_fork_module_stays(tmp_path):
    check_noop(RULE, "from .base_head import BaseHead\n", path=Path("proj/mmcls/models/heads/my_head.py"))


def test_module_rename_from_import():
    check_transformed(
        RULE,
        "from mmcls.models.backbones import ResNet\nfrom mmcls.core.hook import PreciseBNHook\n",
        "from mmpretrain.models.backbones import ResNet\nfrom mmpretrain.engine.hooks import PreciseBNHook\n",
    )


@pytest.mark.parametrize(
    "before, after",
    [
        ("from mmcls.core.optimizers import Lamb\n", "from mmpretrain.engine.optimizers import Lamb\n"),
        ("from mmcls.core.evaluation import EvalHook as E, f1_score\nhooks = [E, f1_score]\n", None),
        ("from mmcls.core.visualization.image import x\nprint(x)\n", None),
        ("from mmcls.datasets.pipelines import RandomCrop\n", "from mmpretrain.datasets.transforms import RandomCrop\n"),
        ("from mmcls.core.utils import sync_random_seed\n", "from mmengine.dist import sync_random_seed\n"),
        ("from mmcls.utils import collect_env\n", "from mmpretrain.utils import collect_env\n"),
        ("from mmcls.apis import init_model\n", "from mmpretrain.apis import init_model\n"),
    ],
)
def test_core_rows(before, after):
    if after is None:  # removed and used: import kept with a TODO
        from tests.util import migrate

        result = migrate(before, RULE)
        assert "# TODO(mmcodemod): MMC101" in result
        assert before.strip() in result
        assert migrate(result, RULE) == result
    else:
        check_transformed(RULE, before, after)


def test_import_as_and_plain_import_module():
    check_transformed(
        RULE,
        "import mmcls.models as M\nimport mmcls.datasets\nnet = M.ResNet(depth=18)\nmmcls.datasets.ImageNet\n",
        "import mmpretrain.models as M\nimport mmpretrain.datasets\nnet = M.ResNet(depth=18)\nmmpretrain.datasets.ImageNet\n",
    )


def test_import_mmcls_attribute_chains():
    check_transformed(
        RULE,
        """\
        import mmcls

        def load(cfg):
            model = mmcls.apis.init_model(cfg)
            print(mmcls.__version__)
            return model
        """,
        """\
        import mmpretrain

        def load(cfg):
            model = mmpretrain.apis.init_model(cfg)
            print(mmpretrain.__version__)
            return model
        """,
    )


def test_chain_to_another_package_and_moved_module():
    check_transformed(
        RULE,
        "import mmcls.core.utils\nmmcls.core.utils.sync_random_seed(1)\n",
        "import mmengine.dist\nmmengine.dist.sync_random_seed(1)\n",
    )


def test_alias_partly_unmigratable_keeps_old_binding():
    check_transformed(
        RULE,
        "import mmcls.apis as api\nm = api.init_model(c)\napi.train_model(m)\n",
        "# TODO(mmcodemod): MMC101 mmcls.apis is still used by code that could not be migrated (see the TODOs below)\n"
        "import mmcls.apis as api\n"
        "import mmpretrain.apis\n"
        "m = mmpretrain.apis.init_model(c)\n"
        "# TODO(mmcodemod): MMC101 train_model was removed: use mmengine.runner.Runner.from_cfg(cfg).train() "
        "with a 1.x config\n"
        "api.train_model(m)\n",
    )


def test_multiline_parenthesised_split():
    check_transformed(
        RULE,
        """\
        from mmcls.datasets.pipelines import (
            Resize,
            RandomCrop as RC,
            LoadImageFromFile,
        )
        """,
        """\
        from mmcv.transforms import (
            Resize,
            LoadImageFromFile,
        )
        from mmpretrain.datasets.transforms import RandomCrop as RC
        """,
    )


def test_inside_function_and_try():
    check_transformed(
        RULE,
        """\
        def f():
            try:
                from mmcls.apis import init_model, inference_model
            except ImportError:
                pass
            return inference_model
        """,
        """\
        def f():
            try:
                # TODO(mmcodemod): MMC101 inference_model was removed: use mmpretrain.apis.ImageClassificationInferencer(model)(img)[0]
                from mmcls.apis import inference_model
                from mmpretrain.apis import init_model
            except ImportError:
                pass
            return inference_model
        """,
    )


def test_registries_builders_and_decorators():
    check_transformed(
        RULE,
        """\
        from mmcls.models.builder import HEADS, build_loss
        from mmcls.datasets.pipelines import Resize, RandomCrop

        @HEADS.register_module(force=True)
        class MyHead:
            def __init__(self, loss):
                self.loss = build_loss(loss)
        """,
        """\
        from mmpretrain.registry import MODELS
        from mmcv.transforms import Resize
        from mmpretrain.datasets.transforms import RandomCrop

        @MODELS.register_module(force=True)
        class MyHead:
            def __init__(self, loss):
                self.loss = MODELS.build(loss)
        """,
    )


def test_several_registries_merge_into_one_import():
    check_transformed(
        RULE,
        "from mmcls.models import BACKBONES, NECKS, build_classifier\n"
        "BACKBONES.register_module(module=A)\nNECKS.get('GAP')\nmodel = build_classifier(cfg)\n",
        "from mmpretrain.registry import MODELS\n"
        "MODELS.register_module(module=A)\nMODELS.get('GAP')\nmodel = MODELS.build(cfg)\n",
    )


def test_existing_target_import_is_not_duplicated():
    check_transformed(
        RULE,
        "from mmcls.models import HEADS\nfrom mmpretrain.registry import MODELS\n@HEADS.register_module()\nclass A: pass\n",
        "from mmpretrain.registry import MODELS\n@MODELS.register_module()\nclass A: pass\n",
    )


def test_name_conflict_imports_under_old_name():
    check_transformed(
        RULE,
        "from mmdet.registry import MODELS\nfrom mmcls.models import HEADS\n@HEADS.register_module()\nclass A: pass\n",
        "from mmdet.registry import MODELS\nfrom mmpretrain.registry import MODELS as HEADS\n"
        "@HEADS.register_module()\nclass A: pass\n",
    )


def test_alias_kept_for_moved_name():
    check_transformed(
        RULE,
        "from mmcls.models.builder import HEADS as H\n@H.register_module()\nclass A: pass\n",
        "from mmpretrain.registry import MODELS as H\n@H.register_module()\nclass A: pass\n",
    )


def test_data_sample_and_datasets():
    check_transformed(
        RULE,
        "from mmcls.core import ClsDataSample\nfrom mmcls.datasets import build_dataset, DATASETS\n"
        "s = ClsDataSample()\nds = build_dataset(cfg)\n@DATASETS.register_module()\nclass D: pass\n",
        "from mmpretrain.structures import DataSample\nfrom mmpretrain.registry import DATASETS\n"
        "s = DataSample()\nds = DATASETS.build(cfg)\n@DATASETS.register_module()\nclass D: pass\n",
    )


def test_build_dataloader_todo():
    check_transformed(
        RULE,
        "from mmcls.datasets import build_dataloader\nloader = build_dataloader(ds, 32, 2)\n",
        "# TODO(mmcodemod): MMC101 build_dataloader was removed: put the loader in the config (train_dataloader = "
        "dict(batch_size=..., num_workers=..., sampler=dict(type='DefaultSampler', shuffle=True), dataset=...)) "
        "and build it with mmengine.runner.Runner.build_dataloader(dataloader_cfg)\n"
        "from mmcls.datasets import build_dataloader\nloader = build_dataloader(ds, 32, 2)\n",
    )


def test_from_mmcls_import_submodule():
    check_transformed(
        RULE,
        "from mmcls import datasets\nds = datasets.build_dataset(cfg)\n",
        "from mmpretrain.registry import DATASETS\nds = DATASETS.build(cfg)\n",
    )


def test_relative_registry_import_in_fork():
    check_transformed(
        RULE,
        """\
        from ..builder import HEADS, build_loss
        from .cls_head import ClsHead

        @HEADS.register_module()
        class MyHead(ClsHead):
            pass
        """,
        """\
        from mmpretrain.registry import MODELS
        from .cls_head import ClsHead

        @MODELS.register_module()
        class MyHead(ClsHead):
            pass
        """,
        path=Path("fork/mmcls/models/heads/my_head.py"),
    )


def test_mmcv_to_mmengine():
    check_transformed(
        RULE,
        "import mmcv\ncfg = mmcv.Config.fromfile(f)\nimg = mmcv.imread(p)\n",
        "import mmcv\nfrom mmengine.config import Config\ncfg = Config.fromfile(f)\nimg = mmcv.imread(p)\n",
    )


def test_mmcv_only_moved_names_drops_import():
    check_transformed(
        RULE,
        "import mmcv\ncfg = mmcv.Config.fromfile(f)\nmmcv.mkdir_or_exist(d)\n",
        "from mmengine.config import Config\nfrom mmengine.utils import mkdir_or_exist\n"
        "cfg = Config.fromfile(f)\nmkdir_or_exist(d)\n",
    )


def test_mmcv_runner_split_with_todo():
    check_transformed(
        RULE,
        "from mmcv.runner import load_checkpoint, auto_fp16, BaseModule, get_dist_info\nfp16 = auto_fp16\n",
        "# TODO(mmcodemod): MMC101 auto_fp16 does not exist in MMEngine: mixed precision is set by "
        "optim_wrapper=dict(type='AmpOptimWrapper') (or wrap the code in mmengine.runner.autocast()); "
        "remove the decorator\n"
        "from mmcv.runner import auto_fp16\n"
        "from mmengine.runner import load_checkpoint\n"
        "from mmengine.model import BaseModule\n"
        "from mmengine.dist import get_dist_info\n"
        "fp16 = auto_fp16\n",
    )


def test_a_removed_api_that_nothing_uses_loses_its_import():
    # kept, it would only fail on import: nothing needs a person here
    check_transformed(
        RULE,
        "from mmcv.runner import BaseModule, auto_fp16\n\n\nclass M(BaseModule):\n    pass\n",
        "from mmengine.model import BaseModule\n\n\nclass M(BaseModule):\n    pass\n",
    )
    check_transformed(RULE, "import os\nfrom mmcv.runner import auto_fp16\nx = os.sep\n", "import os\nx = os.sep\n")
    check_transformed(RULE, "try:\n    from mmcv.runner import auto_fp16\nexcept ImportError:\n    auto_fp16 = None\n",
                      "try:\n    pass\nexcept ImportError:\n    auto_fp16 = None\n")


def test_a_removed_api_used_only_in_one_method_keeps_its_import():
    # The walks for uses pass over statements whose text cannot name it (`g` here): the one that
    # does, `f` inside the class, must still be seen.
    source = ("from mmcv.runner import auto_fp16\n\n\nclass M:\n    def g(self):\n        return 1\n\n"
              "    @auto_fp16()\n    def f(self):\n        pass\n")
    check_transformed(
        RULE, source,
        "# TODO(mmcodemod): MMC101 auto_fp16 does not exist in MMEngine: mixed precision is set by "
        "optim_wrapper=dict(type='AmpOptimWrapper') (or wrap the code in mmengine.runner.autocast()); "
        "remove the decorator\n" + source,
    )


@pytest.mark.parametrize("source, path", [
    ("from mmcv.runner import auto_fp16\n", "pkg/__init__.py"),  # what a package exports
    ("from mmcv.runner import auto_fp16\n__all__ = ['auto_fp16']\n", "pkg/utils.py"),
])
def test_an_unused_removed_api_that_may_be_exported_keeps_its_todo(source, path):
    from tests.util import migrate

    result = migrate(source, RULE, path=Path(path))
    assert "# TODO(mmcodemod): MMC101 auto_fp16" in result and "from mmcv.runner import auto_fp16" in result


def test_mmcv_parallel_todo():
    check_transformed(
        RULE,
        "from mmcv.parallel import MMDataParallel\nmodel = MMDataParallel(model)\n",
        "# TODO(mmcodemod): MMC101 MMDataParallel was removed: the Runner wraps the model itself (model_wrapper_cfg "
        "in the config); call the model directly, or use mmengine.model.MMDistributedDataParallel for a custom loop\n"
        "from mmcv.parallel import MMDataParallel\nmodel = MMDataParallel(model)\n",
    )


def test_mmselfsup_rows():
    check_transformed(
        RULE,
        "from mmselfsup.models.algorithms import MAE\nfrom mmselfsup.models.builder import ALGORITHMS\n"
        "from mmselfsup.datasets.pipelines import RandomResizedCrop\n",
        "from mmpretrain.models.selfsup import MAE\nfrom mmpretrain.registry import MODELS\n"
        "from mmpretrain.datasets.transforms import RandomResizedCrop\n",
    )


def test_semicolon_line():
    check_transformed(
        RULE,
        "import os; from mmcls.models import HEADS\nHEADS.get('x')\n",
        "import os; from mmpretrain.registry import MODELS\nMODELS.get('x')\n",
    )


def test_imports_in_every_branch_of_an_elif_chain():
    check_transformed(
        RULE,
        """\
        def f(device):
            if device == 'a':
                pass
            elif device == 'b':
                from mmcls.models import HEADS
            elif device == 'c':
                pass
            else:
                from mmcls.models import NECKS
        """,
        """\
        def f(device):
            if device == 'a':
                pass
            elif device == 'b':
                from mmpretrain.registry import MODELS
            elif device == 'c':
                pass
            else:
                from mmpretrain.registry import MODELS
        """,
    )


def test_adjacent_lines_written_for_one_module_are_merged():
    check_transformed(
        RULE,
        "from mmcls.datasets import build_dataset\nfrom mmcls.models import build_classifier\n"
        "ds = build_dataset(c)\nm = build_classifier(c)\n",
        "from mmpretrain.registry import DATASETS, MODELS\nds = DATASETS.build(c)\nm = MODELS.build(c)\n",
    )


def test_a_function_that_shadows_its_submodule_is_a_name():
    # mmcls.utils.collect_env is both a module and the function the package exports
    check_transformed(
        RULE,
        "from mmcls.utils import collect_env\nenv = collect_env().items()\n",
        "from mmpretrain.utils import collect_env\nenv = collect_env().items()\n",
    )


def test_user_import_lines_are_not_merged():
    check_noop(RULE, "from mmpretrain.registry import MODELS\nfrom mmpretrain.registry import DATASETS\n")


def test_star_imports():
    check_transformed(
        RULE,
        "from mmcls.models import *\nfrom mmcv.runner import *\nfrom mmcv.cnn import *\n",
        "from mmpretrain.models import *\n"
        "# TODO(mmcodemod): MMC101 mmcv.runner was removed in MMCV 2.x: see mmengine.runner, mmengine.hooks, "
        "mmengine.model, mmengine.dist and mmengine.optim\n"
        "from mmcv.runner import *\nfrom mmcv.cnn import *\n",
    )


def test_module_alias_chains():
    check_transformed(
        RULE,
        "from mmcls.models import builder\nimport mmcls.datasets.pipelines as P\n\n"
        "@builder.HEADS.register_module()\nclass H:\n    t = P.Resize(224)\n    a = P.Albu([])\n",
        # names with a row of their own are imported by name; the unused module alias goes
        "from mmpretrain.registry import MODELS\nfrom mmcv.transforms import Resize\n"
        "from mmpretrain.datasets.transforms import Albumentations\n\n"
        "@MODELS.register_module()\nclass H:\n    t = Resize(224)\n    a = Albumentations([])\n",
    )


@pytest.mark.parametrize("rule_id", ["MMC101", "MMC102"])
def test_explain_example_is_what_the_rule_does(rule_id):
    from codemods.rules import get_rule

    rule = get_rule(rule_id)
    kind = "config" if rule_id == "MMC102" else "code"
    check_transformed(rule_id, rule.before, rule.after, kind=kind)


def test_merged_with_an_adjacent_plain_import_of_the_same_module():
    check_transformed(
        RULE,
        "from mmpretrain.apis import ImageClassificationInferencer\nfrom mmcls.apis import init_model\n",
        "from mmpretrain.apis import ImageClassificationInferencer, init_model\n",
    )
    check_noop(RULE, "from mmpretrain.apis import get_model  # noqa\nfrom mmpretrain.apis import init_model\n")


def test_name_also_bound_by_a_fallback_import_keeps_its_usages():
    check_transformed(
        RULE,
        """\
        try:
            from mmcls.models import HEADS
        except ImportError:
            from mmpretrain.models import HEADS

        @HEADS.register_module()
        class H:
            pass
        """,
        """\
        try:
            from mmpretrain.registry import MODELS as HEADS
        except ImportError:
            from mmpretrain.models import HEADS

        @HEADS.register_module()
        class H:
            pass
        """,
    )


def test_two_plain_imports_of_one_package():
    check_transformed(
        RULE,
        "import mmcls.apis\nimport mmcls.datasets\nmmcls.apis.init_model(c)\nmmcls.datasets.build_dataset(c)\n",
        "import mmpretrain.apis\nfrom mmpretrain.registry import DATASETS\nimport mmpretrain.datasets\n"
        "mmpretrain.apis.init_model(c)\nDATASETS.build(c)\n",
    )


def test_super_naming_a_replaced_base_names_the_class_itself():
    # 0.x: super(BaseHead, self) ran BaseModule.__init__; super(BaseModule, self) would skip it
    check_transformed(
        RULE,
        "from mmcls.models.heads.base_head import BaseHead\n\n\n"
        "class MyHead(BaseHead):\n"
        "    def __init__(self, init_cfg=None):\n"
        "        super(BaseHead, self).__init__(init_cfg=init_cfg)\n",
        "from mmengine.model import BaseModule\n\n\n"
        "class MyHead(BaseModule):\n"
        "    def __init__(self, init_cfg=None):\n"
        "        super(MyHead, self).__init__(init_cfg=init_cfg)\n",
    )
    # a class that does not derive from the replaced name: only the rename
    check_transformed(
        RULE,
        "from mmcls.models.heads.base_head import BaseHead\n\n\n"
        "class Other(object):\n"
        "    def f(self):\n"
        "        return super(BaseHead, self).f()\n",
        "from mmengine.model import BaseModule\n\n\n"
        "class Other(object):\n"
        "    def f(self):\n"
        "        return super(BaseModule, self).f()\n",
    )


def test_a_removed_api_bound_again_by_a_later_import_loses_its_import():
    # the later import wins before any use: the mmcls one would only fail on import
    check_transformed(
        RULE,
        "from mmcls.apis import init_model, inference_model\n"
        "from inference import inference_model\n"
        "model = init_model(cfg)\n"
        "print(inference_model(model, img))\n",
        "from mmpretrain.apis import init_model\n"
        "from inference import inference_model\n"
        "model = init_model(cfg)\n"
        "print(inference_model(model, img))\n",
    )
    # used in between: the mmcls one is needed there, so it stays with its TODO
    result = migrate(
        "from mmcls.apis import inference_model\n"
        "first = inference_model(model, img)\n"
        "from inference import inference_model\n", RULE)
    assert "from mmcls.apis import inference_model\n" in result and "MMC101 inference_model" in result


def test_blank_lines_and_comments_above_a_dropped_import_stay():
    check_transformed(
        RULE,
        "import torch\n\n# mmcls parts\nfrom mmcv.runner import auto_fp16\nfrom .heads import Head\n\nx = Head\n",
        "import torch\n\n# mmcls parts\nfrom .heads import Head\n\nx = Head\n",
    )
    # a comment at the end of the line stays too; blank lines alone are not added to the next's
    check_transformed(
        RULE,
        "import torch\n\nfrom mmcv.runner import auto_fp16  # fp16\n\n\ndef f():\n    pass\n",
        "import torch\n\n# fp16\n\n\ndef f():\n    pass\n",
    )
    check_transformed(
        RULE,
        "import torch\n\nfrom mmcv.runner import auto_fp16\n\n\ndef f():\n    pass\n",
        "import torch\n\n\ndef f():\n    pass\n",
    )
    # the last statement of a block: its comment ends the block
    check_transformed(
        RULE,
        "try:\n    import torch\n    # legacy\n    from mmcv.runner import auto_fp16\nexcept ImportError:\n    pass\n",
        "try:\n    import torch\n    # legacy\nexcept ImportError:\n    pass\n",
    )


def test_a_registry_decorator_without_a_call_gets_one():
    # mmcv 1.x accepted `@HEADS.register_module`; MMEngine's register_module must be called
    check_transformed(
        RULE,
        "from mmcls.models.builder import HEADS\n\n\n@HEADS.register_module\nclass H:\n    pass\n",
        "from mmpretrain.registry import MODELS\n\n\n@MODELS.register_module()\nclass H:\n    pass\n",
    )
    check_noop(RULE, "from .builder import HEADS\n\n\n@HEADS.register_module\nclass H:\n    pass\n")


def test_statements_that_do_not_spell_the_name_are_passed_over_on_the_way_to_its_rebinding():
    check_transformed(
        RULE,
        "from mmcls.apis import inference_model\n"
        "import os\n"
        "root = os.getcwd()\n"
        "from inference import inference_model\n"
        "print(inference_model(root))\n",
        "import os\n"
        "root = os.getcwd()\n"
        "from inference import inference_model\n"
        "print(inference_model(root))\n",
    )


@pytest.mark.parametrize("before, after", [
    # MMPretrain 1.2 keeps these beside their one user (models/selfsup/simclr.py,
    # models/losses/swav_loss.py)
    ("from mmselfsup.models.utils import GatherLayer\n",
     "from mmpretrain.models.selfsup.simclr import GatherLayer\n"),
    ("from mmselfsup.utils import distributed_sinkhorn\n",
     "from mmpretrain.models.losses.swav_loss import distributed_sinkhorn\n"),
    ("from mmselfsup.models.utils import MultiPrototypes\n",
     "from mmpretrain.models.losses.swav_loss import MultiPrototypes\n"),
])
def test_mmselfsup_helpers_that_moved(before, after):
    check_transformed(RULE, before, after)


def test_a_helper_whose_mmengine_namesake_takes_other_arguments_gets_a_todo():
    # mmselfsup 0.11 sync_random_seed(seed=None, device='cuda'); MMEngine 0.10 sync_random_seed(group=None)
    out = migrate("from mmselfsup.utils import sync_random_seed\nseed = sync_random_seed(seed)\n", RULE)
    assert "# TODO(mmcodemod): MMC101 sync_random_seed(seed=None, device='cuda') has no drop-in" in out
    assert "from mmengine.dist import sync_random_seed" not in out


def test_names_of_one_module_reached_through_a_module_import_share_one_line():
    # mmcv 1.x load/dump are mmengine.fileio's, mkdir_or_exist mmengine.utils' (used in between)
    check_transformed(RULE, """\
    import mmcv
    x = mmcv.load('a.pkl')
    mmcv.mkdir_or_exist('out')
    mmcv.dump(x, 'b.pkl')
    """, """\
    from mmengine.fileio import load, dump
    from mmengine.utils import mkdir_or_exist
    x = load('a.pkl')
    mkdir_or_exist('out')
    dump(x, 'b.pkl')
    """)


def test_mmcv_logger_hooks_say_where_logging_went():
    out = migrate("from mmcv.runner import TextLoggerHook, WandbLoggerHook, IterTimerHook\n"
                  "hooks = [TextLoggerHook, WandbLoggerHook, IterTimerHook]\n", RULE)
    assert "# TODO(mmcodemod): MMC101 TextLoggerHook was removed: MMEngine's LoggerHook" in out
    assert "# TODO(mmcodemod): MMC101 WandbLoggerHook was removed: MMEngine logs through the visualizer's backends" in out
    assert "from mmengine.hooks import IterTimerHook" in out


def test_lines_written_for_one_module_merge_over_other_imports_only():
    check_transformed(
        RULE,
        "from mmcv import Config\nimport torch\nfrom mmcv.utils import DictAction\n",
        "from mmengine.config import Config, DictAction\nimport torch\n",
    )
    # not over code, not over an import that binds a moved name, not over the line's own blank line
    check_transformed(
        RULE,
        "from mmcv import Config\nx = 1\nfrom mmcv.utils import DictAction\n",
        "from mmengine.config import Config\nx = 1\nfrom mmengine.config import DictAction\n",
    )
    check_transformed(
        RULE,
        "from mmcv import Config\nfrom argparse import Action as DictAction\nfrom mmcv.utils import DictAction\n",
        "from mmengine.config import Config\nfrom argparse import Action as DictAction\n"
        "from mmengine.config import DictAction\n",
    )
    check_transformed(
        RULE,
        "from mmcv import Config\nimport torch\n\nfrom mmcv.utils import DictAction\n",
        "from mmengine.config import Config\nimport torch\n\nfrom mmengine.config import DictAction\n",
    )


def test_an_import_line_another_rule_wrote_is_merged_too():
    # MMC203 writes `from mmengine.runner import set_random_seed` and MMC202 the Runner's import;
    # MMC101 (last) merges them, as lines no user wrote, when it rewrites imports in that block
    out = migrate("from mmcls.apis import set_random_seed\nimport os\nfrom mmcls.apis import train_model\n"
                  "from mmcv import Config\ncfg = Config.fromfile('a.py')\nset_random_seed(0)\n"
                  "train_model(model, ds, cfg)\n", ["MMC202", "MMC203", "MMC101"])
    assert out.startswith("from mmengine.runner import set_random_seed, Runner\nimport os\n"
                          "from mmengine.config import Config\n"), out
