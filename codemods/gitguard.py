"""The dirty-tree guard: inside a git work tree, never overwrite a file whose current content is
not committed (modified, staged, untracked or ignored), unless the user passes `--allow-dirty`.
A committed file can always be recovered with `git checkout`; an uncommitted one cannot.

One `git ls-files` and one `git status` per work tree, the first time a file in it is written.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict, Optional, Set, Tuple, Union

from codemods.discover import git_root

HINT = "commit or stash it first, or pass --allow-dirty"


class DirtyGuard:
    def __init__(self) -> None:
        self._trees: Dict[Path, Union[Tuple[Set[Path], Set[Path]], str]] = {}

    def refusal(self, path: str) -> Optional[str]:
        """Why `path` must not be written, or None when it may be."""
        real = Path(os.path.realpath(path))
        root = git_root(real.parent)
        if root is None:
            return None
        state = self._state(root)
        if isinstance(state, str):
            return f"cannot tell whether it has uncommitted changes ({state}); not written; pass --allow-dirty to write anyway"
        tracked, changed = state
        if real in changed:
            return f"has uncommitted changes; not written ({HINT})"
        if real not in tracked:
            return f"is not committed to git; not written ({HINT})"
        return None

    def _state(self, root: Path):
        if root not in self._trees:
            self._trees[root] = _read_state(root)
        return self._trees[root]


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise OSError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"git {args[0]} failed")
    return proc.stdout


def _read_state(root: Path):
    """(tracked files, tracked files with staged or unstaged changes) as real paths, or an error."""
    try:
        top = Path(os.path.realpath(_git(root, "rev-parse", "--show-toplevel").strip()))
        tracked = {top / name for name in _git(top, "ls-files", "-z").split("\0") if name}
        status = _git(top, "status", "--porcelain=v1", "-z", "--untracked-files=no")
    except (OSError, FileNotFoundError) as exc:
        return str(exc) or "git is not available"
    return tracked, {top / name for name in _changed(status)}


def _changed(status: str):
    """Paths in `git status --porcelain -z` output; a rename's second entry is its old name."""
    entries = status.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        yield entry[3:]
        if entry[0] in "RC":
            yield entries[i]
            i += 1
