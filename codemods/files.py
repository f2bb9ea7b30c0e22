"""Reading and writing source files without changing anything a rule did not change.

Text is decoded with the file's own encoding (UTF-8 BOM, PEP 263 cookie) and kept with its
original newlines (LibCST round-trips them), so writing back only changes what rules changed.
Writes are atomic: a temporary file in the same directory, then `os.replace`, keeping the mode.
"""
from __future__ import annotations

import codecs
import io
import os
import re
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple


class BadInput(Exception):
    """A file that cannot be processed; the message is the reason, for the user."""


class TooLarge(BadInput):
    """A file over the size limit: skipped on purpose, not an error."""


@dataclass
class Source:
    path: Path
    text: str
    encoding: str  # codec name for writing (without BOM handling)
    bom: bool


PY2_HINTS = re.compile(
    r"^\s*(print\s+[\"'\w]|exec\s+[\"']|except\s+[\w.]+\s*,\s*\w+\s*:)|\bur[\"']|\b0\d+L?\b|`", re.M
)


def read_source(path: Path, max_bytes: int) -> Source:
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise TooLarge(f"larger than {max_bytes // 1_000_000} MB ({size:,} bytes); skipped")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise BadInput(_os_reason(exc)) from None
    if b"\0" in data:
        raise BadInput("binary file (contains NUL bytes)")
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if "invalid or missing encoding declaration" in str(exc):
            raise BadInput("not valid utf-8 and no PEP 263 coding line; re-encode it") from None
        raise BadInput(f"bad encoding declaration: {exc}") from None
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    body = data[len(codecs.BOM_UTF8):] if bom else data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"not valid {encoding} (byte {exc.start}); add a PEP 263 coding line or re-encode"
        ) from None
    return Source(path=path, text=text, encoding=encoding, bom=bom)


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.EACCES:
        return "permission denied (unreadable)"
    if exc.errno == errno.ENOENT:
        return "no such file (dangling symlink?)"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    return exc.strerror or str(exc)


def encode(text: str, encoding: str, bom: bool) -> bytes:
    data = text.encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


class Staged(NamedTuple):
    """New content written next to the file it will replace (see `stage`)."""

    temp: str
    target: Path


def stage(path: Path, data: bytes) -> Staged:
    """Write `data` to a synced temporary file beside `path`, with its mode; `path` is untouched
    until `commit`. The slow part of a write, so it can be done while other files are migrated."""
    if os.path.islink(path):  # replace the file the link points to, not the link
        path = Path(os.path.realpath(path))
    path = Path(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".mmcodemod")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        discard(Staged(tmp, path))
        raise
    return Staged(tmp, path)


def commit(staged: Staged) -> None:
    """Put a staged file in place (one rename: a crash leaves either the old or the new file)."""
    try:
        os.replace(staged.temp, staged.target)
    except BaseException:
        discard(staged)
        raise


def discard(staged: Staged) -> None:
    if os.path.exists(staged.temp):
        os.unlink(staged.temp)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file."""
    commit(stage(path, data))
