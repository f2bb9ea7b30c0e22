"""Golden test: migrate a copy of samples/ with the `mmcodemod run` command and check the result.

- Every file that has an expected copy under tests/golden/samples/ (same relative path) must
  come out byte for byte equal to it. Expected copies are added by hand, after reading the
  migrated file line by line against the migration guide; files without one are still covered
  by the checks below.
- Every migrated .py file compiles; a second run changes nothing; the user's own
  `inference_model` (samples/mycls/serving.py, unrelated to mmcls) is left byte for byte alone;
  exactly the files that `--check` announced were rewritten, and no other file was touched,
  created or removed.
"""
from __future__ import annotations

import difflib
import os
import shutil
import stat
from pathlib import Path

import pytest
from tests.util import cli_runner

import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden" / "samples"
OWN_INFERENCE_MODEL = "mycls/serving.py"  # defines its own `inference_model`; not mmcls's
EXECUTABLE = "tools/train.py"  # made executable in the copy: the mode must survive a rewrite


def _copy_samples(dest: Path) -> Path:
    target = dest / "samples"
    shutil.copytree(SAMPLES, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    script = target / EXECUTABLE
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return target


def _snapshot(folder: Path) -> dict:
    """relative path -> (bytes, inode, mtime_ns, mode) of every file under `folder`."""
    snap = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            snap[path.relative_to(folder).as_posix()] = (
                path.read_bytes(), info.st_ino, info.st_mtime_ns, stat.S_IMODE(info.st_mode))
    return snap


def _mmcodemod(*args: str):
    result = cli_runner().invoke(cli.main, ["run", *args], catch_exceptions=False)
    return result


def _golden_files():
    if not GOLDEN.is_dir():
        return []
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """Copy samples/, list what `--check` says would change, then migrate in place (twice)."""
    base = tmp_path_factory.mktemp("golden")
    old_cwd = os.getcwd()
    os.chdir(base)  # so that paths are printed relative to the copy: samples/...
    try:
        copy = _copy_samples(base)
        before = _snapshot(copy)
        check = _mmcodemod("samples", "--check", "--quiet", "--jobs", "1", "--no-color")
        after_check = _snapshot(copy)
        first = _mmcodemod("samples", "--quiet", "--jobs", "2", "--no-color")
        after_first = _snapshot(copy)
        second = _mmcodemod("samples", "--quiet", "--jobs", "1", "--no-color")
        after_second = _snapshot(copy)
    finally:
        os.chdir(old_cwd)
    announced = {
        Path(line.strip()).relative_to("samples").as_posix()
        for line in check.output.splitlines() if line.strip().startswith("samples")
    }
    return dict(copy=copy, before=before, check=check, after_check=after_check, first=first,
                after_first=after_first, second=second, after_second=after_second,
                announced=announced)


def test_samples_are_valid_python():
    files = sorted(SAMPLES.rglob("*.py"))
    assert len(files) >= 15
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)


def test_sample_config_bases_exist():
    """Every `_base_` of the sample configs names a file that exists (relative to the config)."""
    import ast

    leaves = 0
    for path in sorted((SAMPLES / "configs").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "_base_" for t in node.targets):
                bases = ast.literal_eval(node.value)
                bases = [bases] if isinstance(bases, str) else bases
                assert bases, path
                for base in bases:
                    assert (path.parent / base).resolve().is_file(), f"{path}: {base}"
                leaves += 1
    assert leaves >= 3


def test_runs_succeed(migrated):
    # exit 0 (done) or 1 (--check found work); never 2 (a file could not be processed)
    assert migrated["check"].exit_code in (0, 1), migrated["check"].output
    assert migrated["first"].exit_code == 0, migrated["first"].output
    assert migrated["second"].exit_code == 0, migrated["second"].output
    assert (migrated["check"].exit_code == 1) == bool(migrated["announced"])


def test_check_changes_nothing(migrated):
    assert migrated["after_check"] == migrated["before"]


def test_exactly_the_announced_files_change(migrated):
    before, after = migrated["before"], migrated["after_first"]
    assert set(after) == set(before), "files were created or removed"
    changed = {name for name in before if after[name][0] != before[name][0]}
    assert changed == migrated["announced"]
    for name in set(before) - changed:
        # untouched: same bytes, same inode (not rewritten), same mtime
        assert after[name][1:3] == before[name][1:3], f"{name} was rewritten without a change"
    for name in changed:
        assert after[name][3] == before[name][3], f"{name} lost its file mode"


def test_migrated_files_compile(migrated):
    compiled = 0
    for name, (data, *_rest) in migrated["after_first"].items():
        if name.endswith(".py"):
            compile(data, name, "exec", dont_inherit=True)  # raises SyntaxError if broken
            compiled += 1
    assert compiled >= 15, "the migrated copy of samples/ is missing files"


def test_second_run_changes_nothing(migrated):
    first, second = migrated["after_first"], migrated["after_second"]
    assert set(second) == set(first), "the second run created or removed files"
    diffs = [_diff(first[name][0], second[name][0], f"first/{name}", f"second/{name}")
             for name in sorted(first) if second[name][0] != first[name][0]]
    assert not diffs, "the second run changed files:\n" + "".join(diffs)
    for name in first:
        assert second[name][1:] == first[name][1:], f"{name} was rewritten by the second run"


def test_own_inference_model_untouched(migrated):
    source = (SAMPLES / OWN_INFERENCE_MODEL).read_bytes()
    assert b"def inference_model(" in source and b"mmcls" in source  # the trap is still armed
    assert migrated["after_first"][OWN_INFERENCE_MODEL][0] == source
    assert OWN_INFERENCE_MODEL not in migrated["announced"]


def test_every_golden_file_has_a_sample():
    for name in _golden_files():
        assert (SAMPLES / name).is_file(), f"tests/golden/samples/{name} has no samples/{name}"


@pytest.mark.parametrize("name", _golden_files() or [pytest.param(None, marks=pytest.mark.skip(
    reason="no expected output reviewed yet under tests/golden/samples/"))])
def test_golden(migrated, name):
    expected = (GOLDEN / name).read_bytes()
    actual = migrated["after_first"][name][0]
    if actual != expected:
        diff = _diff(expected, actual, f"expected/{name}", f"migrated/{name}")
        pytest.fail(f"migrated samples/{name} differs from tests/golden/samples/{name}:\n{diff}")


def _diff(old: bytes, new: bytes, old_name: str, new_name: str) -> str:
    return "".join(difflib.unified_diff(
        old.decode("utf-8").splitlines(True), new.decode("utf-8").splitlines(True), old_name, new_name))
