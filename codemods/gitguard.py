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
        self._roots: Dict[str, Optional[Path]] = {}  # folder -> its work tree (a stat per level)

    def refusal(self, path: str) -> Optional[str]:
        """Why `path` must not be written, or None when it may be."""
        real = os.path.realpath(path)
        folder = os.path.dirname(real)
        if folder not in self._roots:
            self._roots[folder] = git_root(Path(folder))
        root = self._roots[folder]
        if root is None:
            return None
        real = Path(real)
        state = self._state(root)
        if isinstance(state, str):
            return (f"cannot tell whether it has uncommitted changes ({state}); not written "
                    "(pass --allow-dirty to write it)")
        tracked, changed, hidden = state
        if real in changed:
            return f"has uncommitted changes; not written ({HINT})"
        if real in hidden:
            return ("is marked assume-unchanged or skip-worktree, so git cannot tell whether it has "
                    "uncommitted changes; not written (pass --allow-dirty to write it)")
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
        lines = proc.stderr.strip().splitlines()
        raise OSError(lines[-1] if lines else f"git {args[0]} failed")
    return proc.stdout


def _read_state(root: Path):
    """(tracked files, those with staged or unstaged changes, those git is told not to look at)
    as real paths, or an error message."""
    try:
        top = Path(os.path.realpath(_git(root, "rev-parse", "--show-toplevel").strip()))
        listing = [entry for entry in _git(top, "ls-files", "-z", "-v").split("\0") if entry]
        status = _git(top, "status", "--porcelain=v1", "-z", "--untracked-files=no")
    except OSError as exc:
        return str(exc) or "git is not available"
    tracked = {top / entry[2:] for entry in listing}
    # `ls-files -v` tags: lower case = assume-unchanged, S = skip-worktree; `status` ignores both.
    hidden = {top / entry[2:] for entry in listing if entry[0].islower() or entry[0] == "S"}
    return tracked, {top / name for name in _changed(status)}, hidden


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
