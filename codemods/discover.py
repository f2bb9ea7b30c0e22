"""Turn the paths a user gives into the list of files to process.

Directories are walked for `.py` files and `.ipynb` notebooks; `.git`, virtualenvs,
`site-packages`, `__pycache__`, `build`/`dist` are always skipped; inside a git work tree
`.gitignore` files (and `.git/info/exclude`) are honoured; `--exclude` globs apply to files and
directories. Symlinked directories are followed once (no loops) and a file reached twice is
processed once. Files named explicitly are always taken, whatever their extension.
"""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple


SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", "build", "dist", "site-packages", "node_modules",
     ".tox", ".nox", ".venv", "venv", ".eggs", ".mypy_cache", ".pytest_cache", ".ipynb_checkpoints"}
)
SUFFIXES = (".py", ".ipynb")


def git_root(start: Path) -> Optional[Path]:
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return None


class _Ignore:
    """The .gitignore rules in force, one spec per directory that has a .gitignore."""

    def __init__(self, root: Optional[Path], outer: bool = True) -> None:
        self.root = root
        self.specs: dict = {}
        if root is not None and outer:
            exclude = root / ".git" / "info" / "exclude"
            self._load(root, [exclude, root / ".gitignore"])

    def _load(self, folder: Path, files) -> None:
        lines: List[str] = []
        for file in files:
            try:
                lines += file.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
        if lines:
            import pathspec  # 25 ms of every start-up otherwise, and only a .gitignore needs it

            self.specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines)

    def enter(self, folder: Path) -> None:
        if self.root is not None and (folder != self.root or folder not in self.specs):
            gitignore = folder / ".gitignore"
            if gitignore.is_file():
                self._load(folder, [gitignore])

    def ignored(self, path: Path, is_dir: bool) -> bool:
        if self.root is None:
            return False
        for folder, spec in self.specs.items():
            try:
                rel = path.relative_to(folder).as_posix()
            except ValueError:
                continue
            if spec.match_file(rel + ("/" if is_dir else "")):
                return True
        return False


def _real_path(entry: os.DirEntry, rpath: Path) -> Optional[str]:
    """The real path of a file found in a folder whose real path is known, unless it is a link."""
    try:
        return None if entry.is_symlink() else str(rpath)
    except OSError:
        return None


def _excluded(path: Path, base: Path, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(
        fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(path.as_posix(), p)
        for p in patterns
    )


def _is_venv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def discover(paths: Sequence[str], exclude: Sequence[str] = ()) -> Tuple[List[Path], List[Tuple[str, str]]]:
    """Return (files to process, [(path, reason)] for inputs that cannot be used)."""
    files: List[Path] = []
    problems: List[Tuple[str, str]] = []
    seen_files: set = set()
    cwd = Path.cwd()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file, real in _walk(path, exclude, cwd):
                _add(file, files, seen_files, real)
        elif path.exists() or path.is_symlink():
            _add(path, files, seen_files)
        else:
            problems.append((raw, "no such file or directory"))
    return files, problems


def _add(path: Path, files: List[Path], seen: set, real: Optional[str] = None) -> None:
    """Add `path` unless a file reached before is the same file. `real`: its real path, if known."""
    try:
        key = real or os.path.realpath(path)
    except OSError:
        key = str(path)
    if key not in seen:
        seen.add(key)
        files.append(path)


def _walk(top: Path, exclude: Sequence[str], cwd: Path) -> Iterator[Tuple[Path, Optional[str]]]:
    """(file, its real path when it is no symlink: the folder's real path and its name)."""
    ignore = _Ignore(git_root(top.resolve()))
    if ignore.ignored(top.resolve(), True):
        # The user named an ignored folder explicitly: walk it, with only its own .gitignore files.
        ignore = _Ignore(top.resolve(), outer=False)
    seen_dirs: set = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError:
            continue  # a directory symlink loop or a vanished folder: nothing to walk
        if (info.st_dev, info.st_ino) in seen_dirs:
            continue
        seen_dirs.add((info.st_dev, info.st_ino))
        resolved = folder.resolve()
        ignore.enter(resolved)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            path = Path(entry.path)
            rpath = resolved / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name in SKIP_DIRS or entry.name.endswith(".egg-info") or _is_venv(path):
                    continue
                if ignore.ignored(rpath, True) or _excluded(path, top, exclude) or _excluded(path, cwd, exclude):
                    continue
                subdirs.append(path)
            elif entry.name.endswith(SUFFIXES):
                if ignore.ignored(rpath, False) or _excluded(path, top, exclude) or _excluded(path, cwd, exclude):
                    continue
                yield path, _real_path(entry, rpath)
        stack.extend(reversed(subdirs))
