"""`--patch FILE`: one unified diff of every changed file, for `git apply` or a pull request.

Paths are relative to the root of the git work tree that holds the current directory (that is what
`git apply` expects, wherever in the tree it runs), or to the current directory outside a work
tree. Each file's part is encoded like the file itself, so applying the patch gives the same bytes
as an in-place run.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

from codemods.diffing import unified_diff
from codemods.discover import git_root
from codemods.files import encode

BOM = "\ufeff"


class PatchError(Exception):
    """A patch that cannot be written; the message is for the user."""


def patch_base(cwd: Optional[Path] = None) -> Path:
    cwd = Path(cwd or os.getcwd())
    return git_root(cwd) or cwd


def relative(path: str, base: Path) -> str:
    """`path` relative to `base`, posix style; PatchError when it lies outside."""
    # As given first (a symlinked file keeps its own name), then with symlinks resolved (a path
    # through a symlinked folder).
    resolved = (os.path.realpath(path), os.path.realpath(base))
    for candidate, root in ((os.path.abspath(path), base), resolved):
        try:
            return Path(candidate).relative_to(root).as_posix()
        except ValueError:
            continue
    raise PatchError(f"{path} is outside {base}; run mmcodemod from a folder that contains it")


def file_patch(old: str, new: str, name: str, encoding: str = "utf-8", bom: bool = False) -> bytes:
    """The diff of one file as bytes in the file's own encoding (the BOM is part of line 1)."""
    if bom:
        old, new = BOM + old, BOM + new
    return encode(unified_diff(old, new, name), encoding, False)


class PatchWriter:
    """Collects the diff of each changed file, then writes them all as one patch."""

    def __init__(self, target: str, base: Optional[Path] = None) -> None:
        self.target = target
        self.base = base or patch_base()
        self.parts: List[bytes] = []
        self.files: List[str] = []

    def add(self, path: str, old: str, new: str, encoding: str = "utf-8", bom: bool = False) -> None:
        name = relative(path, self.base)
        self.parts.append(file_patch(old, new, name, encoding, bom))
        self.files.append(name)

    def write(self) -> None:
        write_file(self.target, b"".join(self.parts))


class PatchOutput:
    """Collects what was (or would be) written into one patch file."""

    def __init__(self, target: str) -> None:
        self.writer = PatchWriter(target)
        self.errors: List[str] = []

    def problem(self, path: str, reason: str) -> None:
        pass

    def add(self, result, outcome: str) -> None:
        if outcome != "changed":
            return
        try:
            self.writer.add(result.path, result.old, result.new, result.encoding, result.bom)
        except PatchError as exc:
            self.errors.append(str(exc))

    def finish(self) -> Optional[str]:
        if self.errors:
            raise PatchError("; ".join(self.errors) + f"; {self.writer.target} not written")
        self.writer.write()
        return self.writer.target


def write_file(target: str, data: bytes) -> None:
    """Write `data` to `target` through a temporary file, so a reader never sees half of it."""
    path = Path(os.path.abspath(target))
    tmp = path.with_name(f".{path.name}.mmcodemod-tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp.exists():
            tmp.unlink()
        raise PatchError(f"cannot write {target}: {exc.strerror or exc}") from None
