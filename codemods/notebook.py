"""Jupyter notebooks (`.ipynb`): migrate the code cells, leave every other byte as it is.

The notebook's JSON is not re-serialised. A small scanner finds where each code cell's `source`
value starts and ends in the file's text, and only the values of cells that changed are replaced,
in the style the file already uses (indentation, one string per line, escapes). Outputs,
metadata, other cells and the file's formatting keep their exact bytes.

The code cells of a notebook run in one namespace (imports in the first cell, calls in the
fifth), so they are migrated as one module: joined with a marker statement between cells, then
split again; an import a later cell repeats is kept there (see `_keep_repeated_imports`).
IPython syntax (`!pip install ...`, `%cd ...`, `x = !ls`, `obj?`) is not Python: each such line
is replaced by a placeholder statement before the rules run and restored after. Cells run by a
cell magic whose body is not Python (`%%bash`, `%%writefile`, ...) are passed over; the bodies of
`%%time`, `%%capture`, ... are migrated.
"""
from __future__ import annotations

import itertools
import json
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import libcst as cst

from codemods import engine
from codemods.rule import CONFIG
from codemods.rules import select_rules
from codemods.todo import find_todos

SUFFIX = ".ipynb"
MARK = "__mmcodemod_cell__"
MAGIC = "__mmcodemod_magic__"
MARK_RE = re.compile(rf"^{MARK}\((\d+)\)\n", re.M)
MAGIC_RE = re.compile(rf"^[ \t]*{MAGIC}\((\d+)\)$")
# A line IPython rewrites: shell escapes, line magics, `x = !cmd`, `x = %magic`, help `obj?`.
IPYTHON_LINE = re.compile(r"^[ \t]*([!%]|[\w.]+[ \t]*=[ \t]*[!%]|[\w.]+\?\??[ \t]*$)")
# Cell magics whose body is Python: the magic line is masked like a line magic, the body migrated.
PYTHON_CELL_MAGICS = ("time", "timeit", "capture", "prun")
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def is_notebook(path) -> bool:
    return str(path).endswith(SUFFIX)


class NotebookError(Exception):
    """Not a notebook this tool can edit; the message is the reason."""


# --- Where the cells' sources are in the file -------------------------------------------------


@dataclass
class Cell:
    index: int  # position among all cells
    start: int  # the `source` value's span in the file's text
    end: int
    items: List[Tuple[int, int]]  # spans of the strings of a list-of-lines source
    text: str  # the source as one string


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text

    def space(self, i: int) -> int:
        return _SPACE.match(self.text, i).end()

    def expect(self, i: int, char: str) -> int:
        if self.text[i:i + 1] != char:
            raise NotebookError(f"not valid notebook JSON (expected {char!r} at offset {i})")
        return self.space(i + 1)

    def skip(self, i: int) -> int:
        try:
            return _DECODER.raw_decode(self.text, i)[1]
        except json.JSONDecodeError as exc:
            raise NotebookError(f"not valid JSON: {exc}") from None

    def members(self, i: int) -> Iterator[Tuple[str, int, int]]:
        """(key, value start, value end) of the object at `i`."""
        i = self.expect(self.space(i), "{")
        while self.text[i:i + 1] != "}":
            key, i = _DECODER.raw_decode(self.text, i)
            i = self.expect(self.space(i), ":")
            end = self.skip(i)
            yield key, i, end
            i = self.space(end)
            if self.text[i:i + 1] == ",":
                i = self.space(i + 1)

    def elements(self, i: int) -> Iterator[Tuple[int, int]]:
        """(start, end) of each element of the array at `i`."""
        i = self.expect(i, "[")
        while self.text[i:i + 1] != "]":
            end = self.skip(i)
            yield i, end
            i = self.space(end)
            if self.text[i:i + 1] == ",":
                i = self.space(i + 1)


def code_cells(text: str) -> List[Cell]:
    """The code cells of a notebook (nbformat 4) with the spans of their sources."""
    scan = _Scanner(text)
    cells_at = next((start for key, start, _ in scan.members(0) if key == "cells"), None)
    if cells_at is None:
        raise NotebookError("no 'cells' list (nbformat 3 or older; upgrade it with "
                            "`jupyter nbconvert --to notebook`)")
    found = []
    for index, (start, _) in enumerate(scan.elements(cells_at)):
        fields = {key: (s, e) for key, s, e in scan.members(start)}
        if "source" not in fields or "cell_type" not in fields:
            continue
        if json.loads(text[slice(*fields["cell_type"])]) != "code":
            continue
        s, e = fields["source"]
        items = list(scan.elements(s)) if text[s] == "[" else []
        value = json.loads(text[s:e])
        found.append(Cell(index, s, e, items, "".join(value) if isinstance(value, list) else value))
    return found


def is_python(text: str) -> bool:
    """False for notebooks whose kernel is another language (R, Julia, ...)."""
    meta = json.loads(text).get("metadata", {})
    language = (meta.get("kernelspec", {}).get("language")
                or meta.get("language_info", {}).get("name") or "python")
    return str(language).lower() == "python"


# --- Writing a source back in the file's own style --------------------------------------------


def split_lines(text: str) -> List[str]:
    """Lines as nbformat stores them: each keeps its "\\n", the last may have none."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def render_source(text: str, cell: Cell, nb_text: str) -> str:
    """The JSON value for `text` as cell `cell`'s source, formatted like the original."""
    ascii_only = "\\u" in nb_text and nb_text.isascii()
    if not nb_text[cell.start] == "[":
        return json.dumps(text, ensure_ascii=ascii_only)
    old = {json.loads(nb_text[s:e]): nb_text[s:e] for s, e in cell.items}
    tokens = [old.get(line) or json.dumps(line, ensure_ascii=ascii_only) for line in split_lines(text)]
    opening, separator, closing = _layout(cell, nb_text)
    if not tokens:
        return "[]"
    return "[" + opening + separator.join(tokens) + closing + "]"


def _layout(cell: Cell, nb_text: str) -> Tuple[str, str, str]:
    """Whitespace after "[", between items, before "]" in the original source list."""
    if not cell.items:  # an empty list: use the notebook's usual layout, from the key's indent
        line_start = nb_text.rfind("\n", 0, cell.start) + 1
        indent = re.match(r"[ \t]*", nb_text[line_start:]).group()
        return "\n" + indent + " ", ",\n" + indent + " ", "\n" + indent
    first, last = cell.items[0], cell.items[-1]
    opening = nb_text[cell.start + 1:first[0]]
    closing = nb_text[last[1]:cell.end - 1]
    if len(cell.items) > 1:
        separator = nb_text[first[1]:cell.items[1][0]]
    else:
        separator = "," + opening
    return opening, separator, closing


# --- IPython lines -----------------------------------------------------------------------------


def mask(text: str, saved: List[str]) -> str:
    """`text` with each IPython line (and its backslash continuations) replaced by a placeholder
    statement at the same indentation; the originals are appended to `saved`."""
    out: List[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not IPYTHON_LINE.match(line):
            out.append(line)
            i += 1
            continue
        group = [line]
        while group[-1].endswith("\\") and i + len(group) < len(lines):
            group.append(lines[i + len(group)])
        indent = re.match(r"[ \t]*", line).group()
        out.append(f"{indent}{MAGIC}({len(saved)})")
        saved.append("\n".join(group))
        i += len(group)
    return "\n".join(out)


def unmask(text: str, saved: Sequence[str]) -> Optional[str]:
    """`text` with the placeholders restored; None if a rule moved or dropped one."""
    out, seen = [], []
    for line in text.split("\n"):
        m = MAGIC_RE.match(line)
        if m:
            seen.append(int(m.group(1)))
            line = saved[int(m.group(1))]
        out.append(line)
    each_once = len(seen) == len(set(seen)) and set(seen) <= set(range(len(saved)))
    return "\n".join(out) if each_once else None


def is_foreign_cell(text: str) -> bool:
    """A cell run by a cell magic whose body is not Python (`%%bash`, `%%writefile x.py`, ...)."""
    first = text.lstrip().split("\n", 1)[0]
    if not first.startswith("%%"):
        return False
    return first[2:].split(" ", 1)[0].strip() not in PYTHON_CELL_MAGICS


# --- Migrating a notebook ----------------------------------------------------------------------


@dataclass
class CellChange:
    index: int  # position among all cells, for messages
    old: str  # masked sources (valid Python), for review
    new: str
    spans: list
    saved: List[str]  # the IPython lines the placeholders stand for


@dataclass
class NotebookResult(engine.FileResult):
    cells: List[CellChange] = field(default_factory=list)
    places: Dict[int, Tuple[int, int]] = field(default_factory=dict)  # TODO line -> (cell, line)

    def text_with(self, sources: Dict[int, str]) -> str:
        """The notebook's old text with the given cells' (masked) sources put in."""
        restored = {i: unmask(text, self._cell(i).saved) for i, text in sources.items()}
        return splice(self.old, {i: text for i, text in restored.items() if text is not None})

    def _cell(self, index: int) -> CellChange:
        return next(c for c in self.cells if c.index == index)


def splice(nb_text: str, sources: Dict[int, str]) -> str:
    """`nb_text` with the source of cell index -> new text replaced; other bytes untouched."""
    out, at = [], 0
    for cell in code_cells(nb_text):
        if cell.index in sources and sources[cell.index] != cell.text:
            out += [nb_text[at:cell.start], render_source(sources[cell.index], cell, nb_text)]
            at = cell.end
    return "".join(out) + nb_text[at:]


def run(paths: Sequence[Path], options: engine.Options, jobs: int) -> Iterator[engine.FileResult]:
    """One result per notebook, in input order; in worker processes when there are several."""
    if jobs <= 1 or len(paths) < 4:
        for path in paths:
            yield process_notebook(path, options)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        yield from pool.map(process_notebook, paths, itertools.repeat(options))


def process_notebook(path: Path, options: engine.Options) -> engine.FileResult:
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return engine.FileResult(name, "failed", reason=exc.strerror or str(exc))
    if len(data) > options.max_bytes:
        limit = options.max_bytes // 1_000_000
        return engine.FileResult(name, "skipped", reason=f"larger than {limit} MB; skipped")
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8-sig")
        cells = code_cells(text)
        python = is_python(text)
    except (UnicodeDecodeError, NotebookError, ValueError, AttributeError) as exc:
        reason = exc if isinstance(exc, NotebookError) else "not a valid notebook (UTF-8 JSON)"
        return engine.FileResult(name, "failed", reason=f"{reason}; left untouched")
    # Cells are code: config rules never apply, and their trigger words (`model`, `data`) would
    # only make every notebook look like it needs parsing.
    rules = [r for r in select_rules(options.select, options.ignore) if r.kind != CONFIG]
    prefilter = engine.Prefilter(rules)
    if not python or not any(prefilter.search(c.text) for c in cells):
        return engine.FileResult(name, "unchanged", kind="notebook")
    return migrate_notebook(name, text, cells, rules, bom)


def migrate_notebook(name: str, text: str, cells: List[Cell], rules, bom: bool) -> engine.FileResult:
    cells = [c for c in cells if not is_foreign_cell(c.text)]
    saved = {c.index: [] for c in cells}
    masked = {c.index: mask(c.text, saved[c.index]) for c in cells}
    joined = "".join(f"{MARK}({c.index})\n{_ends_with_newline(masked[c.index])}" for c in cells)
    try:
        migration = engine.migrate_text(joined, None, rules, kind="code")
    except cst.ParserSyntaxError as exc:
        where = _cell_at(joined, exc.raw_line)
        return engine.FileResult(name, "failed", reason=f"cell {where + 1}: syntax error at line "
                                 f"{exc.raw_line - _first_line(joined, where)}; left untouched")
    except RecursionError:
        return engine.FileResult(name, "failed", reason="too deeply nested to parse; left untouched")
    except engine.RuleError as exc:
        return engine.FileResult(name, "failed", reason=f"{exc} (file left untouched; please report)")
    error = engine.verify(migration.new, name)
    parts = _split(migration.new, [c.index for c in cells])
    if error or parts is None:
        return engine.FileResult(name, "failed", reason="internal error: the migrated cells could not "
                                 "be put back; notebook left untouched, please report")
    _keep_repeated_imports(parts, {i: _ends_with_newline(t) for i, t in masked.items()}, rules)
    changes = _cell_changes(cells, parts, masked, saved, migration.spans, joined)
    if changes is None:
        return engine.FileResult(name, "failed", reason="internal error: a rule moved an IPython line; "
                                 "notebook left untouched, please report")
    if not changes:
        return engine.FileResult(name, "unchanged", kind="notebook")
    result = NotebookResult(name, "changed", kind="notebook", old=text, changes=migration.changes,
                            encoding="utf-8", bom=bom, cells=changes)
    result.new = result.text_with({c.index: c.new for c in changes})
    result.todos, result.places = notebook_todos(text, result.new)
    return result


def _cell_changes(cells, parts, masked, saved, spans, joined) -> Optional[List[CellChange]]:
    """The cells whose migrated source differs; None if a placeholder cannot be restored."""
    changes = []
    for cell in cells:
        new = parts[cell.index]
        if not cell.text.endswith("\n") and new.endswith("\n"):
            new = new[:-1]
        if new == masked[cell.index]:
            continue
        if unmask(new, saved[cell.index]) is None:
            return None
        cell_spans = _cell_spans(spans, joined, cell.index, masked[cell.index])
        changes.append(CellChange(cell.index, masked[cell.index], new, cell_spans, saved[cell.index]))
    return changes


def _ends_with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


# --- Imports repeated in later cells ------------------------------------------------------------
# In one file, an import that repeats an earlier one is dropped by the import rules. In a notebook
# the repeat is deliberate: it lets a cell run on its own after a restart. So when a cell's migrated
# source lost an import that an earlier cell has too, the import is put back.


def _keep_repeated_imports(parts: Dict[int, str], masked: Dict[int, str], rules) -> None:
    earlier: set = set()
    for index, text in parts.items():
        module = _parse(text)
        if module is None:
            return
        if len(_imports(module)) < len(_imports(_parse(masked[index]) or module)):
            parts[index] = _with_repeats(text, module, masked[index], earlier, rules)
            module = _parse(parts[index]) or module
        earlier |= set(_imports(module))


def _with_repeats(text: str, module: cst.Module, masked: str, earlier: set, rules) -> str:
    """`text` (a migrated cell) with the imports back that the cell, migrated alone, keeps and an
    earlier cell already has."""
    try:
        alone = _parse(engine.migrate_text(masked, None, rules, kind="code").new)
    except Exception:  # the joined migration worked; without this repair the cell is still valid
        return text
    if alone is None:
        return text
    have = set(_imports(module))
    missing = [stmt for key, stmt in _imports(alone).items() if key not in have and key in earlier]
    if not missing:
        return text
    drop = {id(stmt) for stmt in missing}
    if alone.with_changes(body=[s for s in alone.body if id(s) not in drop]).code == text:
        return alone.code  # the repeated imports were the only difference: keep them in place
    body = list(module.body)
    at = next((i for i, stmt in enumerate(body) if not _is_placeholder(stmt)), len(body))
    body[at:at] = [stmt.with_changes(leading_lines=()) for stmt in missing]
    return module.with_changes(body=body).code


def _parse(text: str) -> Optional[cst.Module]:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError:
        return None


def _imports(module: cst.Module) -> Dict[str, cst.SimpleStatementLine]:
    """The module's top-level import lines, by their code without comments above them."""
    found = {}
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
            found[module.code_for_node(stmt.with_changes(leading_lines=())).strip()] = stmt
    return found


def _is_placeholder(stmt: cst.CSTNode) -> bool:
    code = cst.Module(body=[stmt]).code.strip()
    return bool(MAGIC_RE.match(code.splitlines()[-1])) if code else False


def _split(text: str, indexes: List[int]) -> Optional[Dict[int, str]]:
    pieces = MARK_RE.split(text)
    found = [int(i) for i in pieces[1::2]]
    if found != indexes:
        return None
    parts = dict(zip(found, pieces[2::2]))
    if indexes:  # what a rule put above the first marker (a new import) belongs to the first cell
        parts[indexes[0]] = pieces[0] + parts[indexes[0]]
    return parts


def _first_line(joined: str, index: int) -> int:
    """1-based line of cell `index`'s marker in the joined text."""
    return joined[:joined.index(f"{MARK}({index})\n")].count("\n") + 1


def _cell_at(joined: str, line: int) -> int:
    lines = joined.split("\n")[:line]
    marks = [int(m.group(1)) for m in (MARK_RE.match(l + "\n") for l in lines) if m]
    return marks[-1] if marks else 0


def _cell_spans(spans, joined: str, index: int, masked: str) -> list:
    """The rule spans (0-based lines of the joined text) that fall in cell `index`, made cell-relative."""
    first = _first_line(joined, index)  # the marker's line is first - 1 (0-based); the cell follows
    size = masked.count("\n") + 1
    return [(rule, a - first, b - first) for rule, a, b in spans if first <= a <= first + size]


def notebook_todos(old: str, new: str):
    """New TODOs as (line in the .ipynb file, rule, message), read from the cells' sources, and
    where each is for a person: file line -> (cell number, line in the cell), both from 1."""
    before = {(rule, msg) for cell in code_cells(old) for _, rule, msg in find_todos(cell.text)}
    found, places = [], {}
    for cell in code_cells(new):
        for line, rule, msg in find_todos(cell.text):
            if (rule, msg) not in before:
                file_line = _file_line(new, cell, line)
                found.append((file_line, rule, msg))
                places[file_line] = (cell.index + 1, line)
    return found, places


def _file_line(nb_text: str, cell: Cell, line: int) -> int:
    at = cell.items[line - 1][0] if cell.items and line <= len(cell.items) else cell.start
    return nb_text.count("\n", 0, at) + 1


# --- Interactive review, cell by cell ----------------------------------------------------------


@dataclass
class NotebookReview:
    text: Optional[str]
    accepted: int
    declined: int


def review_notebook(result: NotebookResult, reviewer, display: str) -> NotebookReview:
    """Review each changed cell like a file; the accepted cells are put into the notebook."""
    chosen: Dict[int, str] = {}
    accepted = declined = 0
    for cell in result.cells:
        part = engine.FileResult(display, "changed", old=cell.old, new=cell.new, spans=cell.spans)
        review = reviewer.review(part, f"{display} (cell {cell.index + 1})")
        accepted, declined = accepted + review.accepted, declined + review.declined
        if review.text is not None and review.text != cell.old:
            chosen[cell.index] = review.text
    text = result.text_with(chosen) if chosen else None
    return NotebookReview(text, accepted, declined)
