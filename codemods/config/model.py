"""A config module as MMEngine sees it: top-level keys, their values, and its `_base_` files.

`ConfigFile(module, path)` reads the module's top-level assignments. `local(key)` is the value this
file writes (MISSING if none), `inherited(key)` the value its bases give (merged, recursively),
`merged(key)` both together. Base files are parsed from disk, never executed, and cached per
process. The first module seen for a path is remembered as that file's original: when the
tool rewrites a base before its children in the same process, children are still read against
the 0.x base they were written for.
"""
from __future__ import annotations

import os
from collections import deque
from functools import lru_cache
from pathlib import Path
from typing import Deque, Dict, List, Optional

import libcst as cst

from codemods.config.merge import merge
from codemods.config.values import MISSING, Evaluator, Unknown, detached
from codemods.cstparse import parse_module
from codemods.files import BadInput, read_source
from codemods.walk import chain_root, iter_nodes

# real path -> the first module seen (the user's original): its tree, or its text once many trees
# are held (a tree takes ~40x the memory of its text, and printing it costs about a parse)
_ORIGINALS: Dict[str, object] = {}
_ORIGINAL_TREES: Deque[str] = deque()  # keys of _ORIGINALS held as trees, oldest first
MAX_ORIGINAL_TREES = 1024
_FILES: Dict[str, "ConfigFile"] = {}  # real path -> parsed base file
_TEXTS: Dict[str, str] = {}  # real path -> the text a base in _FILES was parsed from
_LOADING = set()  # real paths of files whose bases are being loaded
MAX_DEPTH = 20  # _base_ chains deeper than this are treated as cycles
MAX_BASE_BYTES = 50_000_000  # a config this large is no config


def remember_original(module: cst.Module, path: Optional[Path]) -> None:
    if path is not None:
        key = _key(path)
        if key not in _ORIGINALS:
            # Most files are never read back as a base: print a tree only when it must go.
            _ORIGINALS[key] = module
            _ORIGINAL_TREES.append(key)
            if len(_ORIGINAL_TREES) > MAX_ORIGINAL_TREES:
                old = _ORIGINAL_TREES.popleft()
                _ORIGINALS[old] = _ORIGINALS[old].code


def _key(path) -> str:
    return _realpath(str(path))


@lru_cache(maxsize=4096)
def _realpath(path: str) -> str:
    # every config rule asks for its file's key; realpath costs a system call per path part
    return os.path.realpath(path)


def assign_target(stmt) -> Optional[str]:
    """The name a top-level `name = value` statement binds, else None."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        target = small.target
    else:
        return None
    return target.value if isinstance(target, cst.Name) else None


def _bound_names(node) -> List[str]:
    """Names a statement binds or changes in place (`x = `, `x[...] = `, `x.update(...)`, `for x`)."""
    found = []
    for n in iter_nodes(node, layout=False):
        if isinstance(n, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.Del)):
            found.append(chain_root(n.target))
        elif isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute):
            found.append(chain_root(n.func.value))
    return [n for n in found if n]


class ConfigFile:
    def __init__(self, module: cst.Module, path: Optional[Path] = None, depth: int = 0) -> None:
        self.module = module
        self.path = Path(path) if path is not None and not isinstance(path, Path) else path
        self.depth = depth
        self.statements: Dict[str, int] = {}  # key -> index in module.body of its last plain assignment
        self.dynamic = set()  # keys built by control flow or changed in place: not readable
        self._values: Dict[str, object] = {}
        self._inherited: Dict[str, object] = {}  # key -> value read from the bases (they never change)
        self._exported: Dict[str, object] = {}  # key -> merged value as a child sees it
        self._bases: Optional[List[Optional["ConfigFile"]]] = None
        self.evaluate = Evaluator(self.local, self.base_value)
        self._scan()

    def _scan(self) -> None:
        for index, stmt in enumerate(self.module.body):
            name = assign_target(stmt)
            if name is not None:
                self.statements[name] = index
                self._values.pop(name, None)
                self.dynamic.discard(name)
                continue
            self.dynamic.update(_bound_names(stmt))

    # -- values --------------------------------------------------------------------------
    def keys(self) -> List[str]:
        return list(self.statements)

    def node(self, key: str) -> Optional[cst.BaseExpression]:
        index = self.statements.get(key)
        if index is None:
            return None
        small = self.module.body[index].body[0]
        return small.value

    def local(self, key: str):
        """The value this file assigns to `key` (MISSING if none, Unknown if not readable)."""
        if key in self._values:
            return self._values[key]
        node = self.node(key)
        if node is None:
            value = MISSING if key not in self.dynamic else Unknown(cst.Name(key))
        elif key in self.dynamic:
            value = Unknown(node)
        else:
            self._values[key] = Unknown(node)  # guards against `a = a` loops
            value = self.evaluate(node)
        self._values[key] = value
        return value

    def inherited(self, key: str):
        """What the `_base_` files give for `key`, merged (MISSING if none)."""
        # rules read it many times and may change what they get: a copy each time
        return _fresh(self.inherited_view(key))

    def inherited_view(self, key: str):
        """`inherited(key)` itself, shared by every caller: read it, never change it."""
        if key not in self._inherited:
            value = MISSING
            for base in self.bases():
                if base is None:
                    continue
                found = base.exported(key)
                if found is not MISSING:
                    value = found if value is MISSING else merge(value, found)
            self._inherited[key] = value
        return self._inherited[key]

    def merged(self, key: str):
        return merge(self.inherited(key), self.local(key))

    def merged_view(self, key: str):
        """`merged(key)` without copying what the bases give: read it, never change it."""
        return merge(self.inherited_view(key), self.local(key))

    def exported(self, key: str):
        """`merged(key)` as a child file sees it (shared: copy before changing it)."""
        if key not in self._exported:
            # names of this file mean nothing in the child
            self._exported[key] = detached(self.merged(key))
        return self._exported[key]

    def base_value(self, path: list):
        value = self.inherited(path[0])
        for part in path[1:]:
            if not isinstance(value, dict) or part not in value:
                return MISSING
            value = value[part]
        return value

    def has(self, key: str) -> bool:
        """Does the file or a base set `key` (is `merged(key)` not MISSING)?"""
        return key in self.statements or key in self.dynamic or self.inherited_view(key) is not MISSING

    # -- bases ---------------------------------------------------------------------------
    def base_paths(self) -> List[Optional[Path]]:
        """Paths of `_base_` files (None for an entry that is not a plain relative path)."""
        value = self.local("_base_")
        if value is MISSING:
            return []
        entries = value if isinstance(value, (list, tuple)) else [value]
        paths = []
        for entry in entries:
            if not isinstance(entry, str) or "::" in entry or "{{" in entry or self.path is None:
                paths.append(None)
                continue
            paths.append(_base_path(self.path, str(entry)))
        return paths

    def bases(self) -> List[Optional["ConfigFile"]]:
        if self._bases is None:
            self._bases = [load(p, self.depth + 1) if p is not None else None for p in self.base_paths()]
        return self._bases

    def bases_known(self) -> bool:
        """Could every `_base_` file be read? (If not, partial overrides cannot be resolved.)"""
        return not self.unreadable_bases()

    def unreadable_bases(self) -> List[str]:
        """`_base_` entries (of this file or its bases) that could not be read, as written."""
        value = self.local("_base_")
        entries = value if isinstance(value, (list, tuple)) else [value]
        missing = []
        for entry, base in zip(entries, self.bases()):
            if base is None:
                missing.append(str(entry))
            else:
                missing += base.unreadable_bases()
        return missing


@lru_cache(maxsize=4096)
def _base_path(path: Path, entry: str) -> Path:
    return path.parent / entry  # pathlib is slow, and every rule asks again for the same file


_CONTAINERS = (dict, list, tuple)


def _fresh(value):
    """A copy of the containers of `value` (same types, `.source` kept); leaves are shared."""
    if isinstance(value, dict):
        out = type(value)((k, _fresh(v) if isinstance(v, _CONTAINERS) else v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        out = type(value)(_fresh(v) if isinstance(v, _CONTAINERS) else v for v in value)
    else:
        return value
    source = getattr(value, "source", None)
    if source is not None:
        out.source = source
    return out


def load(path: Path, depth: int = 0) -> Optional[ConfigFile]:
    """A base file parsed from disk (its original text if this process rewrote it), or None."""
    if depth > MAX_DEPTH:
        return None
    key = _key(path)
    if key in _LOADING:
        return None  # a `_base_` cycle: the file that closes it reads as unknown
    if key in _FILES:
        return _FILES[key]
    try:
        original = _ORIGINALS.get(key)
        if isinstance(original, cst.Module):
            module = original
        elif original is not None:
            module = parse_module(original)
        else:
            # read as the engine reads its files, so that `loaded_tree` can match the text
            text = read_source(Path(path), MAX_BASE_BYTES).text
            module = parse_module(text)
            _TEXTS[key] = text
    except (OSError, BadInput, cst.ParserSyntaxError, UnicodeDecodeError, RecursionError):
        return None
    _LOADING.add(key)
    try:
        config = ConfigFile(module, Path(path), depth)
        config.bases()  # loaded now, while a cycle back to this file can still be seen
    finally:
        _LOADING.discard(key)
    _FILES[key] = config
    return config


def loaded_tree(path: Optional[Path], text: str) -> Optional[cst.Module]:
    """The tree this process already parsed for `path` as somebody's `_base_`, if it was parsed
    from this very text: a file that is both a base and a file of the run is parsed once."""
    if path is None or not _TEXTS:
        return None
    key = _key(path)
    config = _FILES.get(key)
    return config.module if config is not None and _TEXTS.get(key) == text else None


def for_rule(module: cst.Module, path: Optional[Path]) -> ConfigFile:
    """The model a rule builds for the file it is transforming."""
    remember_original(module, path)
    return ConfigFile(module, path)


def clear_cache() -> None:
    _ORIGINALS.clear()
    _ORIGINAL_TREES.clear()
    _FILES.clear()
    _TEXTS.clear()
