"""The rule protocol every migration rule follows.

A rule is one pass over a file's CST. It declares cheap trigger tokens (a file containing none of
them is never parsed for it), the kind of file it applies to, and the guide section it implements.
It records what it changed in the `Context`; what needs a person it marks with a TODO comment
(see `codemods.todo`), which the engine turns into findings with exact line numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, FrozenSet, Optional

import libcst as cst

CODE = "code"
CONFIG = "config"
ANY = "any"


@dataclass
class Context:
    """What a rule knows about the file it is working on, and where it reports."""

    path: Optional[Path]
    kind: str
    changes: dict = field(default_factory=dict)  # rule id -> number of changes
    texts: object = None  # the file's `splice.Printer`, which knows its statements' text
    original: Optional[cst.Module] = None  # the tree as parsed, before any rule
    _import_map: object = None
    _import_map_code: object = None

    def record(self, rule_id: str, count: int = 1) -> None:
        self.changes[rule_id] = self.changes.get(rule_id, 0) + count

    def quiet(self, words) -> FrozenSet[int]:
        """ids of the file's unchanged statements whose text holds none of `words`: a walk
        looking for one of them need not enter those (see `walk.look`)."""
        if self.texts is None:
            return frozenset()
        return self.texts.quiet(tuple(sorted(words)))

    def import_map(self, module: cst.Module):
        """The cheap local-name -> qualified-name map of `module` (cached per tree)."""
        from codemods.importmap import ImportMap, fork_package

        if self._import_map_code is not module:
            self._import_map = ImportMap.from_module(module, self.quiet(("import",)), fork_package(self.path))
            self._import_map_code = module
        return self._import_map


class Rule:
    """Base class of all rules. Subclasses set the class attributes and implement `transform`."""

    id: ClassVar[str]
    title: ClassVar[str]
    kind: ClassVar[str] = CODE  # CODE, CONFIG or ANY
    guide: ClassVar[str]  # section of the migration guide it implements
    triggers: ClassVar[tuple] = ()  # substrings; the rule only runs on files containing one
    # Folder names: a file below one of them is a candidate whatever its text (a fork of mmcls
    # imports its own modules relatively and may never spell "mmcls").
    path_triggers: ClassVar[tuple] = ()
    before: ClassVar[str] = ""  # example for `mmcodemod explain`
    after: ClassVar[str] = ""

    def applies_to(self, kind: str, text: str) -> bool:
        if self.kind != ANY and self.kind != kind:
            return False
        return any(t in text for t in self.triggers)

    def under_path_trigger(self, kind: str, path: Optional[Path], text: str) -> bool:
        if not self.path_triggers or path is None or self.kind not in (ANY, kind):
            return False
        return any(part in self.path_triggers for part in Path(path).parts[:-1])

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:  # pragma: no cover
        raise NotImplementedError
