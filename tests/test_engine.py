"""The engine with throw-away rules: flow, verification, labels, TODOs, failures."""
from pathlib import Path

import libcst as cst
import pytest

from codemods import engine
from codemods.classify import classify
from codemods.diffing import assemble, hunks, unified_diff
from codemods.rule import CODE, Rule
from codemods.todo import TodoTransformer, add_todo, find_todos


class Rename(Rule):
    """Renames one name; a stand-in for a real rule."""

    title = "rename"
    kind = CODE
    guide = "test"

    def __init__(self, rule_id, old, new):
        self.id, self.old, self.new = rule_id, old, new
        self.triggers = (old,)

    def transform(self, module, ctx):
        rule = self

        class T(cst.CSTTransformer):
            def leave_Name(self, original, updated):
                if updated.value == rule.old:
                    ctx.record(rule.id)
                    return updated.with_changes(value=rule.new)
                return updated

        return module.visit(T())


class Broken(Rule):
    id, title, kind, guide, triggers = "X9", "broken", CODE, "test", ("x",)

    def transform(self, module, ctx):
        return module.with_changes(body=[cst.SimpleStatementLine([cst.Return()])])


class Crashing(Broken):
    id = "X8"

    def transform(self, module, ctx):
        raise ValueError("boom")


def use_rules(monkeypatch, rules):
    monkeypatch.setattr(engine, "_rules_and_regex", lambda *a: (rules, engine.Prefilter(rules)))


def write(tmp_path, text, name="f.py"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_rules_run_in_order_on_one_tree():
    rules = [Rename("A1", "alpha", "beta"), Rename("A2", "beta", "gamma")]
    migration = engine.migrate_text("alpha = 1\n", None, rules, kind="code")
    assert migration.new == "gamma = 1\n"
    assert migration.changes == {"A1": 1, "A2": 1}


def test_rule_without_trigger_does_not_run():
    migration = engine.migrate_text("x = 1\n", None, [Rename("A1", "alpha", "beta")], kind="code")
    assert migration.new == "x = 1\n" and migration.changes == {}


def test_spans_name_the_rule_of_each_hunk():
    old = "alpha = 1\n" + "pass\n" * 10 + "delta = 2\n"
    rules = [Rename("A1", "alpha", "beta"), Rename("A2", "delta", "omega")]
    migration = engine.migrate_text(old, None, rules, kind="code")
    file_hunks = hunks(old, migration.new, migration.spans)
    assert [h.rules for h in file_hunks] == [("A1",), ("A2",)]


def test_assemble_applies_only_accepted_hunks():
    old = "alpha = 1\n" + "pass\n" * 10 + "delta = 2\n"
    new = "beta = 1\n" + "pass\n" * 10 + "omega = 2\n"
    file_hunks = hunks(old, new)
    assert assemble(old, new, file_hunks, {2}) == "alpha = 1\n" + "pass\n" * 10 + "omega = 2\n"
    assert assemble(old, new, file_hunks, {1, 2}) == new


def test_diff_marks_missing_final_newline():
    diff = unified_diff("a = 1", "b = 1", "f.py")
    assert diff == (
        "--- a/f.py\n+++ b/f.py\n@@ -1 +1 @@\n-a = 1\n\\ No newline at end of file\n"
        "+b = 1\n\\ No newline at end of file\n"
    )


def test_output_that_does_not_compile_fails_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, "x = 1\n")
    use_rules(monkeypatch, [Broken()])
    result = engine.process_file(path, engine.Options())
    assert result.status == "failed" and "X9" in result.reason and "does not compile" in result.reason
    assert path.read_text() == "x = 1\n"


def test_rule_crash_fails_only_that_file(tmp_path, monkeypatch):
    path = write(tmp_path, "x = 1\n")
    use_rules(monkeypatch, [Crashing()])
    result = engine.process_file(path, engine.Options())
    assert result.status == "failed" and "X8" in result.reason and "boom" in result.reason


@pytest.mark.parametrize("text, reason", [
    ("x = (\n", "syntax error at line"),
    ('print "hello"\n', "Python 2"),
    ("def f():\n\treturn 1\n        return 2\n", "syntax error"),
])
def test_unparsable_files_are_named(tmp_path, monkeypatch, text, reason):
    path = write(tmp_path, text)
    use_rules(monkeypatch, [Rename("A1", "print", "p"),
                                                            Rename("A2", "x", "y"),
                                                            Rename("A3", "return", "r")])
    result = engine.process_file(path, engine.Options())
    assert result.status == "failed" and reason in result.reason
    assert path.read_text() == text


def test_prefilter_skips_parsing(tmp_path, monkeypatch):
    path = write(tmp_path, "x = (\n")  # would fail to parse
    use_rules(monkeypatch, [Rename("A1", "alpha", "beta")])
    assert engine.process_file(path, engine.Options()).status == "unchanged"


def test_empty_file_is_fine(tmp_path, monkeypatch):
    path = write(tmp_path, "")
    use_rules(monkeypatch, [Rename("A1", "alpha", "beta")])
    assert engine.process_file(path, engine.Options()).status == "unchanged"


def test_crlf_and_bom_survive_a_change(tmp_path, monkeypatch):
    path = tmp_path / "f.py"
    path.write_bytes(b"\xef\xbb\xbfalpha = 1\r\nx = 2\r\n")
    use_rules(monkeypatch, [Rename("A1", "alpha", "beta")])
    result = engine.process_file(path, engine.Options())
    assert result.new == "beta = 1\r\nx = 2\r\n" and result.bom


class Marker(TodoTransformer):
    rule_id = "T1"

    def visit_Call(self, node):
        self.todo("check this call")


def test_todo_lands_above_the_statement_once():
    source = "def f():\n    y = g(1)\n"
    once = cst.parse_module(source).visit(Marker())
    twice = once.visit(Marker())
    expected = "def f():\n    # TODO(mmcodemod): T1 check this call\n    y = g(1)\n"
    assert once.code == expected and twice.code == expected
    assert find_todos(expected) == [(2, "T1", "check this call")]


def test_add_todo_flattens_multiline_messages():
    stmt = cst.parse_statement("x = 1\n")
    assert "a b" in cst.Module([add_todo(stmt, "T1", "a\n b")]).code


def test_new_todos_ignores_existing_ones():
    old = "# TODO(mmcodemod): T1 old\nx = 1\n"
    new = "# TODO(mmcodemod): T1 old\n# TODO(mmcodemod): T2 new\nx = 1\n"
    assert engine.new_todos(old, new) == [(2, "T2", "new")]


@pytest.mark.parametrize("text", [
    "data = dict(a=1)\nrunner = Runner()\n\ndef main():\n    pass\n",
    "import torch\ndata = dict(x=1)\n",
    "model = dict(type='X')\n",
    # a script that builds its model from a dict: one key set twice, and calls
    "model = dict(type='ImageClassifier')\nmodel = build_classifier(model)\nprint(model)\n",
    # what a script looks like once migrated: two known keys, one built by a call
    "model = init_model(cfg)\nrunner = Runner.from_cfg(cfg)\n",
    "model = dict(type='X')\nruntime = 1\nevaluation = dict(interval=1)\ntrain(model)\n",
    # many keys, but a script: it imports what it runs, or has a main guard
    "import torch\nmodel = dict(a=1)\ndata = dict(b=2)\noptimizer = dict(c=3)\nrunner = dict(d=4)\n"
    "def main():\n    pass\n",
    "model = dict(a=1)\ndata = dict(b=2)\n\nif __name__ == '__main__':\n    print(model)\n",
])
def test_ordinary_code_is_not_a_config(text):
    assert classify(cst.parse_module(text), Path("src/train.py")) == "code"


@pytest.mark.parametrize("text, path", [
    ("_base_ = ['a.py']\n", "x.py"),
    ("model = dict(type='X')\noptimizer = dict(type='SGD')\n", "x.py"),
    ("model = dict(type='X')\n", "configs/x.py"),
    ("import os\nwork_dir = './w'\nmodel = dict(type='X', pretrained=os.environ.get('W'))\n", "x.py"),
    ("model = dict(type='X')\ntrain_pipeline = list()\n", "x.py"),
    ("train_pipeline = [dict(type='A')]\ntrain_pipeline.append(dict(type='B'))\ndata = dict(x=1)\n", "x.py"),
    # a config with a helper function (and no framework import)
    ("import os\ndef slide(n):\n    return [n]\nmodel = dict(a=1)\ndata = dict(b=slide(2))\n"
     "optimizer = dict(c=3)\nrunner = dict(d=4)\n", "x.py"),
])
def test_configs_are_configs(text, path):
    assert classify(cst.parse_module(text), Path(path)) == "config"


class ConfigOnly(Rename):
    kind = "config"


def test_config_triggers_only_count_in_config_like_files(tmp_path, monkeypatch):
    use_rules(monkeypatch, [ConfigOnly("C1", "data", "x")])
    script = write(tmp_path, "def load(data):\n    return data\n", "script.py")
    config = write(tmp_path, "data = dict(a=1)\nmodel = dict(b=2)\n", "cfg.py")
    assert not engine.Prefilter([ConfigOnly("C1", "data", "x")]).search(script.read_text())
    assert engine.process_file(script, engine.Options()).status == "unchanged"
    assert engine.process_file(config, engine.Options()).status == "changed"


class Picky(ConfigOnly):
    def applies_to(self, kind, text):
        return super().applies_to(kind, text) and "special" in text


def test_a_config_rule_that_asks_more_than_its_word_keeps_files_out_of_the_parser():
    prefilter = engine.Prefilter([Picky("C1", "model", "x")])
    assert not prefilter.search("model = dict(type='Plain')\n")
    assert prefilter.search("model = dict(type='special')\n")


@pytest.mark.parametrize("text,candidate", [
    ("model = dict(type='ImageClassifier', backbone=dict(type='ResNet', depth=50))\n", False),
    ("model = dict(type='MoCo', queue_len=65536)\n", True),
    ("_base_ = ['../_base_/models/mocov2.py']\nmodel = dict(queue_len=4096)\n", True),
])
def test_a_model_file_is_a_candidate_only_for_a_self_supervised_algorithm(text, candidate):
    _, prefilter = engine._rules_and_regex((), ())
    assert prefilter.search(text, Path("configs/_base_/models/m.py")) is candidate


def test_todo_on_the_first_statement_is_not_repeated():
    class TopTodo(Rename):
        def transform(self, module, ctx):
            return module.visit(Marker())

    rules = [TopTodo("T1", "g", "g")]
    once = engine.migrate_text("y = g(1)\n", None, rules, kind="code").new
    assert once == "# TODO(mmcodemod): T1 check this call\ny = g(1)\n"
    assert engine.migrate_text(once, None, rules, kind="code").new == once


class ForkRule(Rename):
    path_triggers = ("mmcls",)


def test_path_triggers_make_files_of_a_fork_candidates(tmp_path, monkeypatch):
    use_rules(monkeypatch, [ForkRule("F1", "alpha", "beta")])
    fork = tmp_path / "mmcls" / "models"
    fork.mkdir(parents=True)
    inside = write(fork, "x = 1\n", "head.py")
    outside = write(tmp_path, "x = 1\n", "other.py")
    prefilter = engine.Prefilter([ForkRule("F1", "alpha", "beta")])
    assert prefilter.search("x = 1\n", inside) and not prefilter.search("x = 1\n", outside)


@pytest.mark.parametrize("labels", [True, False])
def test_a_rule_sees_triggers_written_by_an_earlier_rule_with_or_without_labels(labels):
    rules = [Rename("A1", "alpha", "beta"), Rename("A2", "beta", "gamma"), Rename("A3", "zeta", "eta")]
    migration = engine.migrate_text("alpha = 1\n", None, rules, kind="code", labels=labels)
    assert migration.new == "gamma = 1\n" and migration.changes == {"A1": 1, "A2": 1}
    assert bool(migration.spans) is labels


def test_prefilter_lets_ordinary_code_through_unparsed():
    # Words such as `evaluate`, `CLASSES`, `config` or `data` alone must not make a file a candidate.
    rules, prefilter = engine._rules_and_regex((), ())
    ordinary = ("class Model:\n    CLASSES = ('a',)\n    def evaluate(self, data, config):\n"
                "        return self.forward_pass(data)\n\ndef load_annotations(cfg):\n    return cfg\n")
    assert not prefilter.search(ordinary, Path("src/model.py"))
    # a hook of another framework (the standard library has 23 files that say `Hook`)
    assert not prefilter.search("class ImportHook:\n    def after_train_iter(self, runner):\n        pass\n")
    assert prefilter.search("import mmcls\n", Path("src/model.py"))


def test_run_keeps_order_and_starts_no_pool_for_few_candidates(tmp_path, monkeypatch):
    use_rules(monkeypatch, [Rename("A1", "alpha", "beta")])

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started for 2 candidate files")

    monkeypatch.setattr(engine, "ProcessPoolExecutor", no_pool)
    paths = []
    for i in range(30):
        text = "alpha = 1\n" if i in (3, 17) else "x = 1\n"
        paths.append(write(tmp_path, text, f"f{i:02}.py"))
    results = list(engine.run(paths, engine.Options(), jobs=2))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [i for i, r in enumerate(results) if r.status == "changed"] == [3, 17]


@pytest.mark.parametrize("jobs", [1, 2])
def test_without_a_pool_each_file_is_read_once(tmp_path, monkeypatch, jobs):
    use_rules(monkeypatch, [Rename("A1", "alpha", "beta")])
    reads = []
    real = engine.read_source
    monkeypatch.setattr(engine, "read_source", lambda path, limit: reads.append(path) or real(path, limit))
    paths = [write(tmp_path, "alpha = 1\n" if i % 2 else "x = 1\n", f"f{i}.py") for i in range(6)]
    results = list(engine.run(paths, engine.Options(), jobs=jobs))
    assert [r.status for r in results] == ["unchanged", "changed"] * 3
    assert sorted(map(str, reads)) == sorted(map(str, paths))


@pytest.mark.parametrize("text, expected", [
    ("model = dict()\n", True),
    ("import x\n\noptimizer=dict(type='SGD')\n", True),
    ("_base_ = ['a.py']\n", True),
    ("def f():\n    model = dict()\n", False),
    ("x = 1  # data = dict()\n", False),
    ("modelling = 1\n", False),
])
def test_might_be_config(text, expected):
    from codemods.classify import might_be_config

    assert might_be_config(text) is expected


def test_a_base_read_by_a_leaf_before_its_own_turn_is_parsed_once(tmp_path, monkeypatch):
    from codemods.config import model

    parsed = []
    real = engine.parse_module
    for where in (engine, model):
        monkeypatch.setattr(where, "parse_module", lambda text: parsed.append(text) or real(text))
    base = "optimizer = dict(type='SGD', lr=0.1)\noptimizer_config = dict(grad_clip=None)\n"
    leaf = "_base_ = ['./z_base.py']\noptimizer = dict(lr=0.01)\n"
    paths = [write(tmp_path, leaf, "a_leaf.py"), write(tmp_path, base, "z_base.py")]
    model.clear_cache()
    results = list(engine.run(paths, engine.Options(), jobs=1))
    assert [r.status for r in results] == ["changed", "changed"]
    assert sorted(parsed) == sorted([base, leaf])


def test_the_first_worker_takes_the_configs_and_the_others_take_them_last():
    queues = ([1, 2, 3], [4, 5, 6, 7])
    assert engine._take(0, queues, 2) == [1, 2]
    assert engine._take(1, queues, 2) == [4, 5]
    assert engine._take(0, queues, 2) == [3]
    assert engine._take(0, queues, 2) == [6, 7]  # no config left: other files
    assert engine._take(1, queues, 2) == []
    queues = ([1, 2], [])
    assert engine._take(1, queues, 5) == [1, 2]  # no other file left: configs


def test_a_pool_migrates_samples_as_one_process_does(tmp_path):
    import shutil

    from codemods.config import model
    from codemods.discover import discover

    samples = Path(__file__).resolve().parent.parent / "samples"
    outputs = []
    for jobs in (1, 2):
        copy = tmp_path / f"j{jobs}"
        shutil.copytree(samples, copy)
        files, _ = discover([copy])
        model.clear_cache()
        results = list(engine.run(files, engine.Options(keep_text=True), jobs=jobs))
        outputs.append([(Path(r.path).relative_to(copy), r.status, r.new) for r in results])
    assert sum(status == "changed" for _, status, _ in outputs[0]) >= 8  # enough for a pool
    assert outputs[0] == outputs[1]


def test_a_syntax_error_is_placed_where_python_places_it(tmp_path, monkeypatch):
    use_rules(monkeypatch, [Rename("A1", "x", "y")])
    text = "x = 1\nif x == 1\n    y = 2\nz = 3\n"  # the `:` is missing on line 2
    result = engine.process_file(write(tmp_path, text), engine.Options())
    assert result.status == "failed"
    assert "syntax error at line 2, column 10: " in result.reason  # LibCST says line 3


def test_results_of_workers_are_handed_over_as_they_arrive_not_only_in_order(tmp_path):
    # The largest files go first, so the first file (the smallest) comes back last: a writer
    # can start on all the others while it is still being migrated (see runner._WriteSink).
    paths = [write(tmp_path, "from mmcls.models import ResNet\n" + "# pad\n" * (10 * i), f"f{i:02}.py")
             for i in range(12)]
    events = []
    results = engine.run(paths, engine.Options(), jobs=2, arrived=lambda r: events.append(r.path))
    first = next(results)
    assert first.path == str(paths[0]) and first.status == "changed"
    assert len(events) >= len(paths) - 2  # all but what the two workers last had in hand
    rest = list(results)
    assert sorted(events) == sorted(str(p) for p in paths)
    assert [r.path for r in [first, *rest]] == [str(p) for p in paths]
