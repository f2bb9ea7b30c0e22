"""`--report FILE`: what a run did, as JSON (for tools) or Markdown (a pull-request body).

The JSON document follows `SCHEMA` (JSON Schema, draft 2020-12 subset), which is its
documentation; `validate` checks a document against it without third-party packages. Paths are
relative to the git work tree root (or the current directory outside one), like the patch's.

Statuses: `changed` (written, or would be in --check/--diff/--patch runs; see `mode`),
`unchanged`, `failed` (left untouched; see `error`), `skipped` (too large), `refused` (has
uncommitted changes; see --allow-dirty), `declined` (every hunk declined in a review).
"""
from __future__ import annotations

import json
import os
import re
import shlex
from typing import Dict, List, Optional

from codemods import __version__
from codemods.patch import PatchError, patch_base, relative, write_file
from codemods.rules import get_rule

STATUSES = ["changed", "unchanged", "failed", "skipped", "refused", "declined"]
_COUNT = {"type": "integer", "minimum": 0}
_TODO = {
    "type": "object",
    "required": ["line", "rule", "message", "guide"],
    "additionalProperties": False,
    "properties": {
        "line": {"type": "integer", "minimum": 1,
                 "description": "1-based line in the file (for a notebook: in the .ipynb)"},
        "rule": {"type": "string", "description": "rule id, e.g. MMC201"},
        "message": {"type": "string", "description": "what a person has to do"},
        "guide": {"type": "string", "description": "section of the MMPretrain migration guide"},
        "cell": {"type": "integer", "minimum": 1, "description": "notebooks: the code cell, from 1"},
        "cell_line": {"type": "integer", "minimum": 1, "description": "notebooks: the line in the cell"},
    },
}
_FILE = {
    "type": "object",
    "required": ["path", "status", "rules", "todos", "error"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "status": {"enum": STATUSES},
        "kind": {"type": "string", "description": "code, config or notebook"},
        "rules": {"type": "object", "additionalProperties": _COUNT, "description": "rule id -> changes"},
        "todos": {"type": "array", "items": _TODO, "description": "TODOs this run added"},
        "error": {"type": ["string", "null"], "description": "why the file was not migrated"},
    },
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "mmcodemod report",
    "type": "object",
    "required": ["mmcodemod", "command", "mode", "files", "totals"],
    "additionalProperties": False,
    "properties": {
        "mmcodemod": {"type": "string", "description": "version that wrote the report"},
        "command": {"type": "string", "description": "command line that reproduces the run"},
        "mode": {"enum": ["write", "diff", "check", "patch", "interactive"]},
        "files": {"type": "array", "items": _FILE, "description": "every file scanned, in order"},
        "totals": {
            "type": "object",
            "required": ["files", *STATUSES, "todos", "rules"],
            "additionalProperties": False,
            "properties": {"files": _COUNT, **{s: _COUNT for s in STATUSES}, "todos": _COUNT,
                           "rules": {"type": "object", "additionalProperties": _COUNT}},
        },
    },
}

_TYPES = {"object": dict, "array": list, "string": str, "integer": int, "null": type(None)}


def validate(doc, schema: dict = SCHEMA, where: str = "$") -> List[str]:
    """Where `doc` breaks `schema`: the keywords used above (type, enum, required, properties,
    additionalProperties, items, minimum). An empty list means valid."""
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is(doc, n) for n in names):
            return [f"{where}: expected {' or '.join(names)}, got {type(doc).__name__}"]
    if "enum" in schema and doc not in schema["enum"]:
        return [f"{where}: {doc!r} is not one of {schema['enum']}"]
    errors = []
    if "minimum" in schema and doc < schema["minimum"]:
        errors.append(f"{where}: {doc} is below {schema['minimum']}")
    if isinstance(doc, dict):
        errors += [f"{where}: missing {key!r}" for key in schema.get("required", ()) if key not in doc]
        props, extra = schema.get("properties", {}), schema.get("additionalProperties", True)
        for key, value in doc.items():
            if key in props:
                errors += validate(value, props[key], f"{where}.{key}")
            elif extra is False:
                errors.append(f"{where}: unexpected {key!r}")
            elif isinstance(extra, dict):
                errors += validate(value, extra, f"{where}.{key}")
    if isinstance(doc, list) and "items" in schema:
        for i, item in enumerate(doc):
            errors += validate(item, schema["items"], f"{where}[{i}]")
    return errors


def _is(value, name: str) -> bool:
    if name == "integer" and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def guide_of(rule_id: str) -> str:
    try:
        return get_rule(rule_id).guide
    except (KeyError, AttributeError):
        return ""


def title_of(rule_id: str) -> str:
    try:
        return get_rule(rule_id).title
    except (KeyError, AttributeError):
        return ""


def command_of(settings, outputs: bool = True) -> str:
    """The `mmcodemod run` command that repeats a run of `settings` (a runner.Settings); speed and
    verbosity options are left out, and with `outputs=False` the mode, patch and report too."""
    words = ["mmcodemod", "run", *settings.paths]
    if outputs and settings.mode not in ("write", "patch"):
        words.append(f"--{settings.mode}")
    if settings.select:
        words += ["--select", ",".join(settings.select)]
    if settings.ignore:
        words += ["--ignore", ",".join(settings.ignore)]
    for glob in settings.exclude:
        words += ["--exclude", glob]
    if outputs:
        for option, value in (("--patch", settings.patch), ("--report", settings.report),
                              ("--report-format", settings.report_format)):
            words += [option, value] if value else []
        words += ["--allow-dirty"] if settings.allow_dirty else []
    return " ".join(shlex.quote(w) for w in words)


class Report:
    """Collects one entry per file; `document()` is the JSON report."""

    def __init__(self, mode: str, command: str) -> None:
        self.mode, self.command = mode, command
        self.files: List[dict] = []
        self.base = patch_base()

    def _path(self, path: str) -> str:
        try:
            return relative(path, self.base)
        except PatchError:
            return os.path.abspath(path)

    def problem(self, path: str, reason: str) -> None:
        self.files.append({"path": self._path(path), "status": "failed", "rules": {}, "todos": [],
                           "error": reason})

    def add(self, result, outcome: str) -> None:
        changed = outcome == "changed"
        entry = {
            "path": self._path(result.path),
            "status": outcome,
            "kind": result.kind,
            "rules": dict(sorted(result.changes.items())) if changed else {},
            "todos": [_todo(result, *todo) for todo in result.todos] if changed else [],
            "error": _error(result, outcome),
        }
        if not entry["kind"]:
            del entry["kind"]
        self.files.append(entry)

    def document(self) -> dict:
        totals: Dict[str, object] = {"files": len(self.files), **{s: 0 for s in STATUSES}}
        rules: Dict[str, int] = {}
        for entry in self.files:
            totals[entry["status"]] += 1
            for rule, count in entry["rules"].items():
                rules[rule] = rules.get(rule, 0) + count
        totals["todos"] = sum(len(e["todos"]) for e in self.files)
        totals["rules"] = dict(sorted(rules.items()))
        return {"mmcodemod": __version__, "command": self.command, "mode": self.mode,
                "files": self.files, "totals": totals}


def _todo(result, line: int, rule: str, message: str) -> dict:
    todo = {"line": line, "rule": rule, "message": message, "guide": guide_of(rule)}
    place = getattr(result, "places", {}).get(line)  # notebooks say which cell
    if place:
        todo["cell"], todo["cell_line"] = place
    return todo


def _error(result, outcome: str) -> Optional[str]:
    if outcome == "refused":
        return "has uncommitted changes or is not committed; pass --allow-dirty to write it"
    if outcome in ("failed", "skipped"):
        return result.reason or None
    return None


def report_format(target: str, given: Optional[str]) -> str:
    if given:
        return given
    return "md" if target.lower().endswith((".md", ".markdown")) else "json"


class ReportOutput(Report):
    """A runner observer that writes the report when the run is over."""

    def __init__(self, target: str, fmt: Optional[str], mode: str, command: str) -> None:
        super().__init__(mode, command)
        self.target, self.format = target, report_format(target, fmt)

    def finish(self) -> str:
        doc = self.document()
        text = markdown(doc) if self.format == "md" else json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        write_file(self.target, text.encode("utf-8"))
        return self.target


# --- Markdown ---------------------------------------------------------------------------------

_DONE = {"write": "Changed", "interactive": "Changed"}
BODY_LIMIT = 60_000  # GitHub refuses pull-request bodies over 65,536 characters


# Outside code spans: backslashes, stars, `<` (HTML) and underscores at a word's edge (`_x_`) would
# be read as markup; an underscore inside a name (`data_root`) is not.
_MARKUP = re.compile(r"[\\*<]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def _escape(text: str) -> str:
    return _MARKUP.sub(lambda m: "\\" + m.group(), text)


def _cell(text: str) -> str:
    """Plain text made safe inside a Markdown table cell or list item: one line, `**kwargs` and
    `<rule>` shown as written, `code spans` kept as code. A pipe is escaped everywhere because a
    table splits on it even inside code."""
    text = " ".join(str(text).split())
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        return _escape(text).replace("`", "\\`").replace("|", "\\|")
    parts[::2] = [_escape(part) for part in parts[::2]]
    return "`".join(parts).replace("|", "\\|")


def markdown(doc: dict, limit: int = BODY_LIMIT) -> str:
    """The Markdown report; long lists are cut (saying how much) to stay under `limit` characters."""
    items = None
    while True:
        text = _markdown(doc, items)
        longest = max(len(doc["files"]), sum(len(f["todos"]) for f in doc["files"]))
        if len(text) <= limit or items == 0:
            return text
        items = (items if items is not None else longest) // 2


def _cut(entries: list, items: Optional[int]) -> List[str]:
    if items is None or len(entries) <= items:
        return entries
    return entries[:items] + [f"- ... and {len(entries) - items} more (the JSON report has them all)"]


def _markdown(doc: dict, items: Optional[int]) -> str:
    totals = doc["totals"]
    changed = _DONE.get(doc["mode"], "Would change")
    lines = ["## Upgrade to MMPretrain 1.2 (mmcodemod)", "",
             "| Files | Count |", "|---|---:|",
             f"| Scanned | {totals['files']} |", f"| {changed} | {totals['changed']} |",
             f"| Unchanged | {totals['unchanged']} |"]
    for status in ("failed", "skipped", "refused", "declined"):
        if totals[status]:
            lines.append(f"| {status.capitalize()} | {totals[status]} |")
    lines.append(f"| TODOs left for a person | {totals['todos']} |")
    lines += _rules_table(totals["rules"]) + _todo_list(doc["files"], items) + _errors(doc["files"], items)
    lines += _changed_files(doc["files"], changed, items)
    lines += ["", "---", f"Generated by mmcodemod {doc['mmcodemod']}. To reproduce: `{doc['command']}`", ""]
    return "\n".join(lines)


def _rules_table(rules: dict) -> List[str]:
    if not rules:
        return []
    out = ["", "### Changes per rule", "", "| Rule | What | Changes |", "|---|---|---:|"]
    out += [f"| {rule} | {_cell(title_of(rule))} | {count} |" for rule, count in rules.items()]
    return out


def _todo_list(files: List[dict], items: Optional[int]) -> List[str]:
    todos = [(f["path"], t) for f in files for t in f["todos"]]
    if not todos:
        return []
    out = ["", "### Left for you", "",
           "Each is marked in the code with `# TODO(mmcodemod): <rule> <what to do>`.", ""]
    entries = []
    for path, todo in todos:
        guide = f" (guide: {_cell(todo['guide'])})" if todo["guide"] else ""
        where = f" (cell {todo['cell']}, line {todo['cell_line']})" if "cell" in todo else ""
        entries.append(f"- [ ] `{path}:{todo['line']}`{where} **{todo['rule']}** "
                       f"{_cell(todo['message'])}{guide}")
    return out + _cut(entries, items)


def _errors(files: List[dict], items: Optional[int]) -> List[str]:
    bad = [f for f in files if f["status"] in ("failed", "refused", "skipped")]
    if not bad:
        return []
    out = ["", "### Not migrated", ""]
    out += _cut([f"- `{f['path']}` ({f['status']}): {_cell(f['error'] or 'uncommitted changes')}"
                 for f in bad], items)
    return out


def _changed_files(files: List[dict], changed: str, items: Optional[int]) -> List[str]:
    done = [f for f in files if f["status"] == "changed"]
    if not done:
        return []
    out = ["", f"<details><summary>{changed}: {len(done)} file(s)</summary>", ""]
    out += _cut([f"- `{f['path']}`: " + ", ".join(f"{r} x{n}" for r, n in f["rules"].items())
                 for f in done], items)
    return out + ["", "</details>"]
