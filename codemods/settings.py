"""Defaults from `[tool.mmcodemod]` in the nearest pyproject.toml; command-line flags win."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Optional, Sequence

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

KEYS = ("select", "ignore", "exclude")


class SettingsError(Exception):
    pass


def find_pyproject(paths: Sequence[str]) -> Optional[Path]:
    resolved = [Path(p).resolve() for p in paths] or [Path.cwd()]
    start = Path(os.path.commonpath([str(p) for p in resolved]))
    if start.is_file():
        start = start.parent
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(paths: Sequence[str]) -> Dict[str, tuple]:
    """{"select": (...), "ignore": (...), "exclude": (...)} from the nearest pyproject.toml."""
    path = find_pyproject(paths)
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            table = tomllib.load(handle).get("tool", {}).get("mmcodemod", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read [tool.mmcodemod]: {exc}") from None
    unknown = set(table) - set(KEYS)
    if unknown:
        raise SettingsError(f"{path}: unknown key(s) in [tool.mmcodemod]: {', '.join(sorted(unknown))}")
    return {key: split_list(table[key]) for key in KEYS if key in table}


def split_list(value) -> tuple:
    """A TOML list or a comma-separated string (as on the command line) -> tuple of items."""
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        out += [part.strip() for part in str(item).split(",") if part.strip()]
    return tuple(out)
