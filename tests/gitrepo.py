"""Real git repositories in temporary folders, isolated from the user's git configuration."""
from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

from tests.util import cli_runner

from cli import main

IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


@contextmanager
def isolated_git():
    """The git identity and configuration the tests (and the code they call) see."""
    saved = {key: os.environ.get(key) for key in IDENTITY}
    os.environ.update(IDENTITY)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **IDENTITY})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def write_files(root: Path, files: dict) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def make_repo(root: Path, files: dict) -> Path:
    """A git repository at `root` with `files` committed on branch main."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def snapshot(root: Path) -> dict:
    """Every file's bytes under `root`, outside .git."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.relative_to(root).parts}


def invoke(args, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with isolated_git():
            return cli_runner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
