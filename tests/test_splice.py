"""The spliced printer must print exactly what LibCST prints, and fall back when unsure."""
from pathlib import Path

import libcst as cst
import pytest

from codemods import engine, splice
from codemods.engine import migrate_text
from codemods.files import read_source
from codemods.rules import select_rules

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

TRICKY = '''\
#!/usr/bin/env python
# header comment

"""Module docstring with a # hash, (brackets and 'quotes'."""
import os  # trailing comment
x = (1,
# a comment inside brackets
     2)
y = """a
def not_a_def():
    pass
"""
z = 1 + \\
    2
a = 1; b = 2


# leading comment of f
@decorator(
    arg=1)
# between decorators
@other
def f(p,
      q):
    # first line of the body
    if p:
        return q
    else:
        return 'else:'
    # footer of f, indented

class C(Base):  # header comment
    attr = {'k': "v"}

    def m(self):
        s = 'it\\'s'
        return s
# column-0 comment between methods
    @property
    def n(self):
        try:
            pass
        except ValueError:
            pass
        finally:
            pass

    class Inner:
        def deep(self): return 1

if x:
    pass
elif y:
    pass
else:
    pass

# module footer
'''


def statements(body, found=None):
    found = [] if found is None else found
    for stmt in body:
        found.append(stmt)
        if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)) and isinstance(stmt.body, cst.IndentedBlock):
            statements(stmt.body.body, found)
    return found


def replace(module, target, new):
    """`module` with the statement `target` (at any depth) replaced by `new`."""

    def fix(body):
        out = []
        for stmt in body:
            if stmt is target:
                out.append(new)
            elif isinstance(stmt, (cst.ClassDef, cst.FunctionDef)) and isinstance(stmt.body, cst.IndentedBlock):
                out.append(stmt.with_changes(body=stmt.body.with_changes(body=fix(stmt.body.body))))
            else:
                out.append(stmt)
        return out

    return module.with_changes(body=fix(module.body))


def sources():
    texts = {"tricky": TRICKY, "tricky-crlf": TRICKY.replace("\n", "\r\n"),
             "no-final-newline": "import a\n\n\ndef f():\n    return 1", "tabs": "if a:\n\tb = 1\nclass K:\n\tdef m(self):\n\t\tpass\n"}
    for path in sorted(SAMPLES.rglob("*.py")):
        texts[str(path.relative_to(SAMPLES))] = path.read_text(encoding="utf-8")
    return texts


@pytest.mark.parametrize("name,text", sorted(sources().items()))
def test_every_statement_maps_to_its_own_text(name, text):
    module = cst.parse_module(text)
    printer = splice.Printer(text, module)
    spans = printer.spans()
    found = statements(module.body)
    assert spans and set(spans) == {id(s) for s in found}
    for stmt in found:
        # A copy is a new object, so it is printed by LibCST, and everything around it is copied.
        assert printer.code(replace(module, stmt, stmt.deep_clone())) == text, type(stmt).__name__


def test_a_file_with_old_mac_line_ends_is_mapped_too():
    # LibCST reads a lone "\r" as a line end; the scan must end lines there as well
    text = TRICKY.replace("\n", "\r")
    module = cst.parse_module(text)
    printer = splice.Printer(text, module)
    found = statements(module.body)
    assert set(printer.spans()) == {id(s) for s in found}
    for stmt in found:  # (LibCST drops the last "\r" after a footer comment: compare with its print)
        changed = replace(module, stmt, stmt.deep_clone())
        assert printer.code(changed) == changed.code, type(stmt).__name__


def test_a_changed_statement_is_printed_and_the_rest_copied():
    module = cst.parse_module(TRICKY)
    target = next(s for s in statements(module.body) if isinstance(s, cst.FunctionDef) and s.name.value == "m")
    renamed = target.with_changes(name=cst.Name("loss"))
    printed = splice.Printer(TRICKY, module).code(replace(module, target, renamed))
    assert printed == TRICKY.replace("def m(self):", "def loss(self):")
    assert printed == replace(module, target, renamed).code


def test_a_statement_moved_to_another_depth_falls_back_to_a_full_print():
    text = "import a\n\ndef f():\n    x = 1\n"
    module = cst.parse_module(text)
    func = module.body[1]
    moved = func.with_changes(body=func.body.with_changes(body=[module.body[0]]))
    tree = module.with_changes(body=[moved])
    assert splice.Printer(text, module).code(tree) == tree.code == "\ndef f():\n    import a\n"


@pytest.mark.parametrize("text", [
    "x = 1\n",
    "",
    "# only a comment\n",
    "class A:\n    pass\n    # end\n\n# after\n",
])
def test_unchanged_tree_and_small_files(text):
    module = cst.parse_module(text)
    printer = splice.Printer(text, module)
    assert printer.code(module) is text
    assert printer.code(module.with_changes(body=list(module.body))) == text


@pytest.mark.parametrize("text", ["import a", "import a\r\n", "def f():\n    return 1"])
def test_a_statement_added_after_the_last_line(text):
    module = cst.parse_module(text)
    grown = module.with_changes(body=[*module.body, cst.parse_statement("import b\n")])
    assert splice.Printer(text, module).code(grown) == grown.code


def test_a_scan_that_disagrees_with_the_tree_is_not_used(monkeypatch):
    text = "a = 1\nb = 2\n"
    module = cst.parse_module(text)
    monkeypatch.setattr(splice, "_statement_lines", lambda *args: [0])  # one statement found, not two
    printer = splice.Printer(text, module)
    assert printer.spans() == {}
    new = module.with_changes(body=[module.body[1], module.body[0]])
    assert printer.code(new) == "b = 2\na = 1\n"


def test_a_new_statement_is_printed_once_however_often_the_tree_is(monkeypatch):
    text = "a = 1\nb = 2\n"
    module = cst.parse_module(text)
    printer = splice.Printer(text, module)
    new = cst.parse_statement("c = dict(x=1)\n")
    printed = []
    real = cst.Module.code_for_node
    monkeypatch.setattr(cst.Module, "code_for_node", lambda self, node: printed.append(node) or real(self, node))
    tree = module.with_changes(body=[*module.body, new])
    assert printer.code(tree) == "a = 1\nb = 2\nc = dict(x=1)\n"
    later = tree.with_changes(body=[cst.parse_statement("z = 0\n"), *tree.body])
    assert printer.code(later) == "z = 0\na = 1\nb = 2\nc = dict(x=1)\n"
    assert [node for node in printed if node is new] == [new]


def test_a_new_statement_inside_a_class_is_printed_once_per_indentation(monkeypatch):
    text = "class A:\n    def f(self):\n        x = 1\n        return x\n\n\ny = 2\n"
    module = cst.parse_module(text)
    printer = splice.Printer(text, module)
    cls = module.body[0]
    func = cls.body.body[0]
    new = cst.parse_statement("x = dict(a=1)\n")
    printed = []
    real = cst.SimpleStatementLine._codegen_impl
    monkeypatch.setattr(cst.SimpleStatementLine, "_codegen_impl",
                        lambda self, state: printed.append(self) or real(self, state))
    changed = func.with_changes(body=func.body.with_changes(body=[new, func.body.body[1]]))
    tree = module.with_changes(body=[cls.with_changes(body=cls.body.with_changes(body=[changed])),
                                     module.body[1]])
    expected = text.replace("x = 1", "x = dict(a=1)")
    assert printer.code(tree) == expected == tree.code
    later = tree.with_changes(body=[*tree.body, cst.parse_statement("z = 0\n")])
    assert printer.code(later) == expected + "z = 0\n"
    assert sum(1 for node in printed if node is new) == 2  # LibCST's own print, then the first splice
    # the same statement at another depth is printed again, with that depth's indentation
    moved = later.with_changes(body=[*later.body, new])
    assert printer.code(moved) == moved.code == expected + "z = 0\nx = dict(a=1)\n"


def test_quiet_statements_are_the_ones_whose_text_lacks_every_word():
    text = "import os\n\nclass A:\n    def f(self):\n        return mmcv.x\n\n    def g(self):\n        return 1\n"
    module = cst.parse_module(text)
    printer = splice.Printer(text, module)
    cls = module.body[1]
    f, g = cls.body.body
    quiet = printer.quiet(("mmcv",))
    assert id(module.body[0]) in quiet and id(g) in quiet
    assert id(cls) not in quiet and id(f) not in quiet
    assert id(g) not in printer.quiet(("mmcv", "return 1"))
    assert splice.Printer("a = (\n", module).quiet(("mmcv",)) == frozenset()  # text not mapped: none


def test_a_word_at_the_edge_of_a_statement_counts_for_that_statement_only():
    text = "x = 1\nmmcv = 2\ny = 3  # mmcv\nz = 4\n"
    module = cst.parse_module(text)
    x, word_first, word_last, z = (id(stmt) for stmt in module.body)
    assert splice.Printer(text, module).quiet(("mmcv",)) == {x, z}


@pytest.mark.parametrize("path", sorted(SAMPLES.rglob("*.py")), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_migration_with_and_without_splicing_is_the_same(path):
    text = path.read_text(encoding="utf-8")
    rules = select_rules()
    for labels in (False, True):
        spliced = migrate_text(text, path, rules, labels=labels)
        whole = migrate_text(text, path, rules, labels=labels, splice=False)
        assert spliced.new == whole.new
        assert spliced.spans == whole.spans


def test_output_that_does_not_compile_is_printed_again_without_splicing(monkeypatch, tmp_path):
    path = tmp_path / "train.py"
    path.write_text("from mmcls.models import build_classifier\nmodel = build_classifier(cfg)\n")
    monkeypatch.setattr(splice.Printer, "code", lambda self, module: "def broken(:\n")
    result = engine.migrate_source(read_source(path, engine.DEFAULT_MAX_BYTES), select_rules(),
                                   engine.Options())
    assert result.status == "changed"
    assert result.new == "from mmpretrain.registry import MODELS\nmodel = MODELS.build(cfg)\n"


def test_a_statement_built_from_text_is_printed_with_the_file_s_line_ends():
    # Rules build statements by parsing "\n" text; in a CRLF file LibCST prints their line
    # breaks as "\r\n", and so must the shortcut that reuses the text they were built from.
    text = ("_base_ = ['a.py']\r\n"
            "optimizer = dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0001)\r\n"
            "optimizer_config = dict(grad_clip=dict(max_norm=35, norm_type=2))\r\n")
    rules = select_rules(("MMC401",), ())
    spliced = migrate_text(text, None, rules, kind="config").new
    assert spliced == migrate_text(text, None, rules, kind="config", splice=False).new
    assert "optim_wrapper" in spliced and "\n" not in spliced.replace("\r\n", "")


def test_a_statement_built_from_text_prints_as_libcst_would_without_code_generation():
    from codemods.config.edit import assignment

    module = cst.parse_module("x = 1\n")
    splice.Printer("x = 1\n", module)  # a new file
    built = assignment("train_cfg", {"by_epoch": True, "max_epochs": 100, "val_interval": 1})
    moved = built.with_changes(
        leading_lines=[cst.EmptyLine(comment=cst.Comment("# from runner"))],
        trailing_whitespace=cst.TrailingWhitespace(whitespace=cst.SimpleWhitespace("  "),
                                                   comment=cst.Comment("# kept")))
    for stmt in (built, moved):
        assert splice._known_text(module, stmt) == module.code_for_node(stmt)
    assert splice._known_text(module, built.with_changes(body=list(built.body))) is None  # not the body it knows
