"""The command line, through click's runner and as a real process."""
import os
import subprocess
import sys
from pathlib import Path

from tests.util import cli_runner

from cli import main

OLD = "from mmcls.models.backbones import ResNet\n\nx = ResNet\n"
NEW_LINE = "from mmpretrain.models.backbones import ResNet"


def project(tmp_path, files=None):
    files = files or {"train.py": OLD, "plain.py": "import os\n"}
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def invoke(args, cwd):
    runner = cli_runner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_diff_changes_nothing_and_exits_1(tmp_path):
    project(tmp_path)
    result = invoke(["run", ".", "--diff", "-j", "1"], tmp_path)
    assert result.exit_code == 1
    assert "--- a/train.py" in result.stdout and "-from mmcls.models.backbones" in result.stdout
    assert "+" + NEW_LINE in result.stdout
    assert (tmp_path / "train.py").read_text() == OLD
    assert "1 would change" in result.stderr


def test_diff_applies_with_git_apply(tmp_path):
    project(tmp_path)
    diff = invoke(["run", ".", "--diff", "-q"], tmp_path).stdout
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "apply", "-"], input=diff.encode(), cwd=tmp_path, check=True)
    assert NEW_LINE in (tmp_path / "train.py").read_text()


def test_diff_of_a_file_outside_the_current_folder_names_it_as_git_does(tmp_path):
    project(tmp_path / "elsewhere")
    (tmp_path / "here").mkdir()
    result = invoke(["run", str(tmp_path / "elsewhere"), "--diff", "-q"], tmp_path / "here")
    name = (tmp_path / "elsewhere" / "train.py").as_posix().lstrip("/")
    assert f"--- a/{name}\n+++ b/{name}\n" in result.stdout


def test_check_lists_files_and_exits_1(tmp_path):
    project(tmp_path)
    result = invoke(["run", ".", "--check"], tmp_path)
    assert result.exit_code == 1 and result.stdout == "train.py\n"
    assert (tmp_path / "train.py").read_text() == OLD


def test_write_then_second_run_is_a_noop(tmp_path):
    project(tmp_path)
    first = invoke(["run", "."], tmp_path)
    assert first.exit_code == 0 and NEW_LINE in (tmp_path / "train.py").read_text()
    assert "2 files scanned, 1 changed, 1 unchanged, 0 failed" in first.stderr
    second = invoke(["run", ".", "--check"], tmp_path)
    assert second.exit_code == 0 and second.stdout == ""


def test_a_file_that_cannot_be_written_is_named_and_the_others_are_written(tmp_path, monkeypatch):
    from codemods import runner

    project(tmp_path, {"locked/train.py": OLD, "train.py": OLD})
    real_stage = runner.stage

    def stage(path, data):
        if Path(path).parent.name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_stage(path, data)

    monkeypatch.setattr(runner, "stage", stage)
    result = invoke(["run", ".", "-j", "1", "--report", "r.json"], tmp_path)
    assert result.exit_code == 2
    assert "error: locked/train.py: cannot write: Permission denied; left untouched" in result.stderr
    assert "1 changed" in result.stderr and "1 failed" in result.stderr
    assert (tmp_path / "locked" / "train.py").read_text() == OLD
    assert NEW_LINE in (tmp_path / "train.py").read_text()
    report = __import__("json").loads((tmp_path / "r.json").read_text())
    locked = [f for f in report["files"] if f["path"].endswith("locked/train.py")][0]
    assert locked["status"] == "failed" and "Permission denied" in locked["error"]


def test_bad_files_are_named_untouched_and_others_still_run(tmp_path):
    bad = {
        "syntax.py": "import mmcls.models\nx = (\n",
        "py2.py": "import mmcls.models\nprint 'hi'\n",
        "latin.py": None,
        "binary.py": None,
    }
    project(tmp_path, {"good.py": OLD})
    for name, text in bad.items():
        if text is not None:
            (tmp_path / name).write_text(text)
    (tmp_path / "latin.py").write_bytes(b"import mmcls.models\ns = '\xe9'\n")
    (tmp_path / "binary.py").write_bytes(b"\x00\x01mmcls")
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.is_symlink()}
    result = invoke(["run", "."], tmp_path)
    assert result.exit_code == 2
    for name in ["syntax.py", "py2.py", "latin.py", "binary.py", "loop.py"]:
        assert f"error: {name}: " in result.stderr
    assert "Python 2" in result.stderr and "symlink loop" in result.stderr
    assert NEW_LINE in (tmp_path / "good.py").read_text()
    for name, data in before.items():
        if name != "good.py":
            assert (tmp_path / name).read_bytes() == data


def test_failure_wins_over_work_left(tmp_path):
    project(tmp_path, {"good.py": OLD, "bad.py": "import mmcls\nx = (\n"})
    assert invoke(["run", ".", "--check"], tmp_path).exit_code == 2


def test_missing_path_exits_2(tmp_path):
    result = invoke(["run", "nope"], tmp_path)
    assert result.exit_code == 2 and "nope: no such file" in result.stderr


def test_select_and_ignore(tmp_path):
    project(tmp_path)
    assert invoke(["run", ".", "--check", "--select", "MMC1"], tmp_path).exit_code == 1
    assert invoke(["run", ".", "--check", "--ignore", "MMC"], tmp_path).exit_code == 2
    result = invoke(["run", ".", "--check", "--select", "ZZZ"], tmp_path)
    assert result.exit_code == 2 and "no rule" in result.stderr


def test_pyproject_defaults_and_flag_override(tmp_path):
    project(tmp_path, {"src/train.py": OLD, "vendor/lib.py": OLD})
    (tmp_path / "pyproject.toml").write_text('[tool.mmcodemod]\nexclude = ["vendor"]\n')
    assert invoke(["run", ".", "--check"], tmp_path).stdout == "src/train.py\n"
    overridden = invoke(["run", ".", "--check", "--exclude", "src"], tmp_path)
    assert overridden.stdout == "vendor/lib.py\n"


def test_bad_pyproject_is_reported(tmp_path):
    project(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.mmcodemod]\nselekt = ["MMC1"]\n')
    result = invoke(["run", "."], tmp_path)
    assert result.exit_code == 2 and "selekt" in result.stderr


def test_interactive_without_terminal_refuses(tmp_path):
    project(tmp_path)
    result = invoke(["run", ".", "-i"], tmp_path)
    assert result.exit_code == 2 and "needs a terminal" in result.stderr
    assert (tmp_path / "train.py").read_text() == OLD


def test_rules_and_explain(tmp_path):
    listing = invoke(["rules"], tmp_path)
    assert listing.exit_code == 0 and "MMC101" in listing.stdout
    explained = invoke(["explain", "mmc101"], tmp_path)
    assert explained.exit_code == 0 and "Before:" in explained.stdout and "After:" in explained.stdout
    assert invoke(["explain", "NOPE"], tmp_path).exit_code == 2


def test_version_and_help(tmp_path):
    assert "mmcodemod, version" in invoke(["--version"], tmp_path).stdout
    help_text = invoke(["run", "--help"], tmp_path).stdout
    for option in ["--diff", "--check", "--interactive", "--select", "--ignore", "--exclude",
                   "--jobs", "--quiet", "--verbose", "--no-color", "Exit codes", "Examples"]:
        assert option in help_text


def test_real_process_with_workers_and_no_colour(tmp_path):
    files = {f"pkg/m{i}.py": OLD for i in range(20)}
    project(tmp_path, files)
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "cli", "run", str(tmp_path), "-j", "2", "--diff"],
                          capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.count("+++ b/") == 20 and "\x1b[" not in proc.stdout + proc.stderr
    assert all(p.read_text() == OLD for p in (tmp_path / "pkg").iterdir())


def test_the_summary_counts_the_todos_left_in_the_files_and_the_new_ones(tmp_path):
    todo_file = "from mmcv.runner import auto_fp16\nfp16 = auto_fp16\n"  # kept, with a TODO
    project(tmp_path, {"a.py": todo_file, "b.py": todo_file, "plain.py": "import os\n"})
    first = invoke(["run", "."], tmp_path)
    assert "2 TODOs left for you (2 new)" in first.stderr
    again = invoke(["run", ".", "--check"], tmp_path)
    assert again.exit_code == 0 and "2 TODOs left for you (0 new)" in again.stderr


def test_an_interrupted_run_writes_nothing_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    from codemods import runner

    files = {f"train{i}.py": OLD for i in range(10)}
    project(tmp_path, files)
    real_prepare = runner._WriteSink.prepare

    def prepare(self, results):
        real_prepare(self, results)
        for future in self.staged.values():
            future.result()  # every new text is staged beside its file...
        assert len(list(tmp_path.glob(".*.mmcodemod"))) == len(files)
        raise KeyboardInterrupt  # ...when the user presses Ctrl-C

    monkeypatch.setattr(runner._WriteSink, "prepare", prepare)
    result = invoke(["run", ".", "-j", "2"], tmp_path)
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files)
    assert all((tmp_path / name).read_text() == OLD for name in files)


def test_a_new_text_the_file_s_encoding_cannot_hold_fails_that_file_only(tmp_path, monkeypatch):
    from codemods import runner

    project(tmp_path, {"latin/train.py": OLD, "train.py": OLD})
    real_encode = runner.encode

    def encode(text, encoding, bom):
        if "latin" in text or encoding == "latin-1":
            raise UnicodeEncodeError("latin-1", "\u2192", 0, 1, "ordinal not in range(256)")
        return real_encode(text, encoding, bom)

    monkeypatch.setattr(runner, "encode", encode)
    (tmp_path / "latin" / "train.py").write_text("# -*- coding: latin-1 -*-\n" + OLD, encoding="latin-1")
    result = invoke(["run", ".", "-j", "1"], tmp_path)
    assert result.exit_code == 2
    assert "error: latin/train.py: cannot write: 'latin-1' codec can't encode" in result.stderr
    assert "1 changed" in result.stderr and "1 failed" in result.stderr
    assert (tmp_path / "latin" / "train.py").read_text(encoding="latin-1").endswith(OLD)
    assert NEW_LINE in (tmp_path / "train.py").read_text()
    assert not list(tmp_path.rglob("*.mmcodemod"))
