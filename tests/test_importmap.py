import libcst as cst

from codemods.importmap import ImportMap
from codemods.walk import CODE, look, node_kind


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


SOURCE = '''\
import a.b as c
from .x import (y, z as w)


@dec(1)
class K(Base, metaclass=M):
    """doc"""
    x: int = 1

    async def f(self, p, /, q=2, *a, r, **k) -> "T":
        async with g() as (h, i):
            yield [j async for j in h if (n := j)]
        return lambda u=1: {u: f"{u!r:>{w}} {y}"}[u]


match c:
    case {"k": [1, *rest]} | K(x=2) if rest:
        pass
    case _:
        del z
try:
    raise E from None
except* (E1, E2) as e:
    global G
'''


class Recorder(cst.CSTVisitor):
    def __init__(self):
        self.seen = []

    def on_visit(self, node):
        if node_kind(type(node)) == CODE:
            self.seen.append(("visit", id(node), type(node).__name__))
        return True

    def on_leave(self, node):
        if node_kind(type(node)) == CODE:
            self.seen.append(("leave", id(node), type(node).__name__))


def test_look_sees_what_visit_sees_in_the_same_order():
    module = cst.parse_module(SOURCE)
    by_visit, by_look = Recorder(), Recorder()
    module.visit(by_visit)
    look(module, by_look)
    assert by_look.seen == by_visit.seen
    assert len(by_look.seen) > 200
