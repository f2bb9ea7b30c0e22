import libcst as cst

from codemods.importmap import ImportMap


def qualified(source, expr):
    imap = ImportMap.from_module(cst.parse_module(source))
    return imap.qualified(cst.parse_expression(expr))


def test_forms():
    src = (
        "import mmcls\nimport mmcls.apis as apis\nfrom mmcls.models import (ResNet,\n  HEADS as H)\n"
        "def f():\n    try:\n        from mmcls.apis import init_model\n    except ImportError:\n        pass\n"
        "class C:\n    def m(self):\n        from ..builder import LOSSES\n"
    )
    assert qualified(src, "mmcls.apis.inference_model") == "mmcls.apis.inference_model"
    assert qualified(src, "apis.train_model") == "mmcls.apis.train_model"
    assert qualified(src, "H") == "mmcls.models.HEADS"
    assert qualified(src, "init_model") == "mmcls.apis.init_model"
    assert qualified(src, "LOSSES") == "..builder.LOSSES"
    assert qualified(src, "own_function") is None
    assert qualified(src, "f(x)") is None
