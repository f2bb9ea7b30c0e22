"""Parsing without LibCST's per-node validation must give the same trees, and validation must
be back on afterwards (nodes the rules build are still checked)."""
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from codemods import cstparse

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# A spread of real files: large, decorated, async, f-strings, unusual whitespace.
SAMPLE = ["ast.py", "asyncio/tasks.py", "dataclasses.py", "email/_header_value_parser.py",
          "tokenize.py", "typing.py", "unittest/mock.py", "argparse.py"]


@pytest.mark.parametrize("name", SAMPLE)
def test_same_tree_as_a_checked_parse(name):
    path = STDLIB / name
    if not path.is_file():
        pytest.skip(f"{name} not in this Python's standard library")
    text = path.read_text(encoding="utf-8")
    fast = cstparse.parse_module(text)
    assert fast.deep_equals(cst.parse_module(text))
    assert fast.code == text


@pytest.mark.parametrize("text", ["def f(:\n", "print 'x'\n", "x = (1,\n", "  x = 1\n"])
def test_the_same_errors(text):
    with pytest.raises(cst.ParserSyntaxError):
        cst.parse_module(text)
    with pytest.raises(cst.ParserSyntaxError):
        cstparse.parse_module(text)


def test_validation_is_back_after_a_parse_and_after_an_error():
    for text in ("x = 1\n", "def f(:\n"):
        try:
            cstparse.parse_module(text)
        except cst.ParserSyntaxError:
            pass
        with pytest.raises(cst.CSTValidationError):
            cst.Name("not a name")


def test_the_check_is_skipped_only_while_parsing(monkeypatch):
    assert cstparse._SKIPPABLE  # the installed LibCST's hook only validates
    seen = []
    monkeypatch.setattr(cst.Name, "_validate", lambda self: seen.append(self.value))
    cstparse.parse_module("alpha = beta\n")
    assert seen == []
    cst.parse_module("alpha = beta\n")
    assert "alpha" in seen and "beta" in seen
