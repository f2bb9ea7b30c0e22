"""The read-only walks see the same nodes as reading every field of every node would."""
import dataclasses
from pathlib import Path

import libcst as cst
import pytest

from codemods import walk

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXTRA = '''\
@deco(x=1)
async def f(a, /, b: int = 2, *args, c, **kw) -> "T":
    global g
    y = [i async for i in a if i] + {k: v for k, v in kw.items()}
    with open(a) as h, ctx():
        return (yield from h), f"{b!r:>{c}}", lambda q=1: q, not a, -b, a if b else c, b[1:2:3]
try:
    pass
except* (ValueError, TypeError) as e:
    raise
match y:
    case [1, *rest] | {"k": _} if rest:
        del y
'''


def every_child(node, lowest):
    """What `child_nodes` must return, the slow way: every field, every item."""
    found = []
    for field in dataclasses.fields(node):
        value = getattr(node, field.name)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, cst.CSTNode) and walk.node_kind(type(item)) >= lowest:
                found.append(item)
    return found


def modules():
    texts = [EXTRA] + [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.rglob("*.py"))]
    return [cst.parse_module(text) for text in texts]


@pytest.mark.parametrize("layout", [True, False])
def test_child_nodes_are_the_nodes_of_all_fields(layout):
    lowest = walk.LAYOUT if layout else walk.CODE
    seen = 0
    for module in modules():
        for node in walk.iter_nodes(module, layout=True):
            got = walk.child_nodes(node, layout)
            assert sorted(map(id, got)) == sorted(map(id, every_child(node, lowest))), type(node).__name__
            seen += 1
    assert seen > 1000


def test_statements_pass_over_quiet_ones_and_all_inside_them():
    from codemods.rules._scopes import statements

    module = cst.parse_module("import os\n\ndef f():\n    x = 1\n    if x:\n        y = 2\n\nclass K:\n    z = 3\n")
    every = list(statements(module.body))
    assert len(every) == 7  # import, def, x, if, y, class, z
    func = module.body[1]
    kept = list(statements(module.body, frozenset({id(func)})))
    assert kept == [s for s in every if s is not func and s not in statements(func.body.body)]
    assert len(kept) == 3
