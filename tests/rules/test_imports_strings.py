"""MMC102: mmcls module paths, registry scopes and mmcls:// prefixes in strings."""
import pytest

from tests.util import check_noop, check_transformed

RULE = "MMC102"


@pytest.mark.parametrize(
    "source",
    [
        "x = 'mmcls'\n",
        "'''Uses mmcls.models to build things.'''\n",
        "print('see mmcls.apis for details')\n",
        "custom_imports = dict(imports=['otherpkg.mmcls.models'])\n",
        "name = f'mmcls.{x}'\n",
        "data = b'mmcls.models'\n",
        "model = dict(type='ResNet')\n",
    ],
)
def test_noop(source):
    check_noop(RULE, source, kind="code")
    check_noop(RULE, source, kind="config")


def test_custom_imports_in_config():
    check_transformed(
        RULE,
        "custom_imports = dict(imports=['mmcls.models', 'mmcls.core.hook', 'proj.heads'], "
        "allow_failed_imports=False)\n",
        "custom_imports = dict(imports=['mmpretrain.models', 'mmpretrain.engine.hooks', 'proj.heads'], "
        "allow_failed_imports=False)\n",
        kind="config",
    )


def test_scoped_types_in_code_and_dict_literals():
    check_transformed(
        RULE,
        "cfg = dict(type='mmcls.ResNet', depth=50)\nhead = {'type': \"mmselfsup.MAEPretrainHead\"}\n",
        "cfg = dict(type='mmpretrain.ResNet', depth=50)\nhead = {'type': \"mmpretrain.MAEPretrainHead\"}\n",
        kind="code",
    )


def test_full_dotted_names_follow_the_table():
    check_transformed(
        RULE,
        "import importlib\nm = importlib.import_module('mmcls.datasets.pipelines')\n"
        "c = 'mmcls.core.hook.PreciseBNHook'\n",
        "import importlib\nm = importlib.import_module('mmpretrain.datasets.transforms')\n"
        "c = 'mmpretrain.engine.hooks.PreciseBNHook'\n",
        kind="code",
    )


def test_removed_module_string_gets_todo():
    check_transformed(
        RULE,
        "custom_imports = dict(imports=['mmselfsup.apis'])\n",
        "# TODO(mmcodemod): MMC102 'mmselfsup.apis': mmselfsup.apis was removed: train with "
        "mmengine.runner.Runner.from_cfg(cfg).train(); mmpretrain.apis has the inferencers\n"
        "custom_imports = dict(imports=['mmselfsup.apis'])\n",
        kind="config",
    )


def test_checkpoint_prefix_todo():
    check_transformed(
        RULE,
        "_base_ = ['./a.py']\nmodel = dict(backbone=dict(init_cfg=dict(type='Pretrained', checkpoint='mmcls://resnet50')))\n",
        "_base_ = ['./a.py']\n"
        "# TODO(mmcodemod): MMC102 mmcls:// loads an MMClassification 0.x checkpoint through MMEngine's old model "
        "list; use the checkpoint URL of the matching MMPretrain 1.x model (model zoo / mmpretrain.get_model) "
        "instead\n"
        "model = dict(backbone=dict(init_cfg=dict(type='Pretrained', checkpoint='mmcls://resnet50')))\n",
    )
