"""The pre-commit hooks: their definitions run as pre-commit would run them; `pre-commit try-repo`
on a sample repository is the slow test (it installs the hook's environment, which needs PyPI)."""
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import IDENTITY, git, make_repo

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
OLD = "from mmcls.models import ResNet\n\nnet = ResNet(depth=18)\n"
NEW = "from mmpretrain.models import ResNet\n\nnet = ResNet(depth=18)\n"


def hooks():
    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def run_hook(hook, repo, files):
    """What pre-commit does for a `language: python` hook: the entry, its args, then the file names."""
    words = shlex.split(hook["entry"])
    assert words[0] == "mmcodemod"
    command = [sys.executable, "-m", "cli", *words[1:], *hook.get("args", []), *files]
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", **IDENTITY)
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env)


def test_hook_definitions():
    found = hooks()
    assert set(found) == {"mmcodemod", "mmcodemod-check"}
    for hook in found.values():
        assert hook["language"] == "python" and set(hook["types_or"]) == {"python", "jupyter"}
        assert hook["name"] and hook["description"]


def test_check_hook_fails_while_work_is_left_and_passes_after(tmp_path):
    repo = make_repo(tmp_path / "repo", {"train.py": OLD, "plain.py": "import os\n"})
    check = hooks()["mmcodemod-check"]
    failed = run_hook(check, repo, ["train.py", "plain.py"])
    assert failed.returncode == 1 and failed.stdout == "train.py\n"
    assert (repo / "train.py").read_text() == OLD
    (repo / "train.py").write_text(NEW)
    assert run_hook(check, repo, ["train.py", "plain.py"]).returncode == 0


def test_write_hook_migrates_staged_files(tmp_path):
    repo = make_repo(tmp_path / "repo", {"plain.py": "import os\n"})
    (repo / "train.py").write_text(OLD)
    git(repo, "add", "train.py")  # staged, so it differs from HEAD: the guard alone would refuse
    result = run_hook(hooks()["mmcodemod"], repo, ["train.py"])
    assert result.returncode == 0, result.stderr
    assert (repo / "train.py").read_text() == NEW


def pre_commit(*args, cwd):
    exe = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(exe).exists():
        pytest.skip("pre-commit is not installed")
    env = dict(os.environ, **IDENTITY)
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.slow
def test_try_repo_runs_the_hooks_on_a_sample_repository(tmp_path):
    notebook = json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                                      "outputs": [], "source": ["!pip install mmcls\n", OLD]}],
                           "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    repo = make_repo(tmp_path / "repo", {"train.py": OLD, "plain.py": "import os\n", "demo.ipynb": notebook})
    check = pre_commit("try-repo", str(ROOT), "mmcodemod-check", "--all-files", cwd=repo)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "mmcodemod --check (MMPretrain 1.2)" in check.stdout
    assert "train.py" in check.stdout and "demo.ipynb" in check.stdout
    write = pre_commit("try-repo", str(ROOT), "mmcodemod", "--all-files", cwd=repo)
    assert write.returncode == 1 and "files were modified by this hook" in write.stdout
    assert (repo / "train.py").read_text() == NEW
    cell = json.loads((repo / "demo.ipynb").read_text())["cells"][0]
    assert "".join(cell["source"]) == "!pip install mmcls\n" + NEW
    again = pre_commit("try-repo", str(ROOT), "mmcodemod-check", "--all-files", cwd=repo)
    assert again.returncode == 0, again.stdout


def documented_commands():
    """Every `mmcodemod ...` command line in docs/ci.md and the example workflow."""
    workflow = yaml.safe_load((ROOT / "docs" / "github-actions-example.yml").read_text())
    scripts = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    scripts.append((ROOT / "docs" / "ci.md").read_text())
    found = []
    for script in scripts:
        for command in script.replace("\\\n", " ").replace(">\n", "\n").split("\n"):
            command = command.strip().split("#")[0]
            if command.startswith("mmcodemod "):
                found.append(shlex.split(command)[1:])
    return found


def test_documented_commands_use_real_options():
    from cli import main

    commands = documented_commands()
    assert {c[0] for c in commands} == {"run", "bot"} and len(commands) >= 4
    for words in commands:
        sub = main.get_command(None, words[0])
        sub.make_context(words[0], words[1:])  # raises on an unknown option or a bad value
