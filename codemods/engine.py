"""The flow of one file: read -> prefilter -> parse -> classify -> rules -> verify -> result.

`migrate_text` is the pure core (text in, text out) used by the tests; `process_file` wraps it
with file I/O and turns every failure into a one-line reason. `run` maps `process_file` over a
process pool; no CST crosses a process boundary, only paths, text and findings.
"""
from __future__ import annotations

import ast
import difflib
import gc
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from codemods.classify import classify, might_be_config
from codemods.config.model import loaded_tree
from codemods.cstparse import parse_module
from codemods.files import BadInput, Source, TooLarge, read_source
from codemods.rule import CONFIG, Context, Rule
from codemods.rules import select_rules
from codemods.splice import Printer
from codemods.todo import PREFIX as TODO_PREFIX, find_todos, without_header_duplicates

DEFAULT_MAX_BYTES = 5_000_000


@dataclass
class Options:
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    keep_text: bool = True  # return old/new text of changed files (diff, write, review)
    labels: bool = True  # know which rule made which lines (interactive review)


@dataclass
class Migration:
    """What the rules did to one text."""

    kind: str
    new: str
    changes: dict  # rule id -> count
    spans: List[Tuple[str, int, int]]  # (rule id, first, end) in lines of the old text, 0-based


@dataclass
class FileResult:
    path: str
    status: str  # "changed", "unchanged", "failed", "skipped"
    kind: str = ""
    reason: str = ""  # for failed files
    old: Optional[str] = None
    new: Optional[str] = None
    changes: dict = field(default_factory=dict)
    todos: List[Tuple[int, str, str]] = field(default_factory=list)  # new TODOs (line, rule, msg)
    spans: List[Tuple[str, int, int]] = field(default_factory=list)
    open_todos: int = 0  # TODO(mmcodemod) comments in the file as this run leaves it (if changed: new text)
    encoding: str = "utf-8"
    bom: bool = False


class RuleError(Exception):
    def __init__(self, rule_id: str, message: str) -> None:
        super().__init__(f"{rule_id}: {message}")
        self.rule_id = rule_id


@lru_cache(maxsize=16)
def _rules_and_regex(select: Tuple[str, ...], ignore: Tuple[str, ...]):
    rules = select_rules(select, ignore)
    return rules, Prefilter(rules)


class Prefilter:
    """Decides from the text alone whether a file may need any rule (else it is not parsed).

    Config rules trigger on common words (`data`, `model`), so they only count for files that
    look like configs (a known key assigned at column 0).
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        # Plain substring scans: `str.__contains__` is about twice as fast as one regex of all
        # the words on a large tree.
        self.code = _tokens([r for r in rules if r.kind != CONFIG])
        self.config_rules = [r for r in rules if r.kind == CONFIG]
        self.config = _tokens(self.config_rules)
        self.folders = frozenset(f for r in rules for f in r.path_triggers)

    def search(self, text: str, path: Optional[Path] = None) -> bool:
        if path is not None and self.folders.intersection(Path(path).parts[:-1]):
            return True
        if any(token in text for token in self.code):
            return True
        # A config rule may ask more of the text than one of its words (`applies_to`).
        return (bool(self.config) and might_be_config(text) and any(token in text for token in self.config)
                and any(rule.applies_to(CONFIG, text) for rule in self.config_rules))


def _tokens(rules: Sequence[Rule]) -> Tuple[str, ...]:
    return tuple(sorted({t for rule in rules for t in rule.triggers}))


def migrate_text(text: str, path: Optional[Path], rules: Sequence[Rule], kind: Optional[str] = None,
                 labels: bool = True, splice: bool = True) -> Migration:
    """Run `rules` on `text` (already known to contain a trigger). Raises on unparsable input.

    With `labels`, the text after each rule is kept to know which rule made which lines
    (interactive review). Without, the tree is printed only when a rule's triggers must be
    looked up in what earlier rules wrote, and once at the end. With `splice`, statements no rule
    changed are printed as their original text (`codemods.splice`).
    """
    module = loaded_tree(path, text) or parse_module(text)
    printer = Printer(text, module) if splice else None
    code = printer.code if printer else (lambda tree: tree.code)
    kind = kind or classify(module, path)
    ctx = Context(path=path, kind=kind, texts=printer, original=module)
    steps: List[Tuple[str, str]] = []
    current, printed = text, True  # printed: `current` is the text of `module`
    for rule in rules:
        if not _wanted(rule, kind, path, text):
            if not printed:
                current, printed = code(module), True
            if current is text or not _wanted(rule, kind, path, current):
                continue
        try:
            updated = rule.transform(module, ctx)
        except Exception as exc:  # a bug in a rule must not take the other files down
            raise RuleError(rule.id, f"internal error: {type(exc).__name__}: {exc}") from exc
        if updated is not module:
            updated = without_header_duplicates(updated)
            printed = False
            if labels:
                new_text = code(updated)
                if new_text != current:
                    steps.append((rule.id, new_text))
                current, printed = new_text, True
        module = updated
    if not printed:
        current = code(module)
    return Migration(kind=kind, new=current, changes=ctx.changes, spans=_spans(text, steps))


def _wanted(rule: Rule, kind: str, path: Optional[Path], text: str) -> bool:
    return rule.applies_to(kind, text) or rule.under_path_trigger(kind, path, text)


def _spans(old: str, steps: List[Tuple[str, str]]) -> List[Tuple[str, int, int]]:
    """Which lines of the old text each rule touched, by diffing each step with the one before.

    Lines of each intermediate text are mapped back to old-text lines, so a later rule that edits
    a line an earlier rule inserted is attributed to the same place in the old text.
    """
    spans = []
    prev_lines = old.splitlines(True)
    origin = list(range(len(prev_lines)))  # line of current text -> line of old text
    for rule_id, text in steps:
        lines = text.splitlines(True)
        matcher = difflib.SequenceMatcher(None, prev_lines, lines, autojunk=False)
        new_origin = [0] * len(lines)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            anchor = origin[i1] if i1 < len(origin) else len(old.splitlines())
            if tag == "equal":
                new_origin[j1:j2] = origin[i1:i2]
                continue
            end = origin[i2 - 1] + 1 if i2 > i1 else anchor
            spans.append((rule_id, anchor, end))
            for j in range(j1, j2):
                new_origin[j] = anchor
        prev_lines, origin = lines, new_origin
    return spans


def verify(text: str, path: str) -> Optional[str]:
    """None if `text` compiles, else the error message."""
    try:
        compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def parse_error_reason(text: str, exc: Exception) -> str:
    from codemods.files import PY2_HINTS

    where = ""
    if isinstance(exc, cst.ParserSyntaxError):
        where = f" at line {exc.raw_line}, column {exc.raw_column}"
    python = _python_error(text)
    if python is not None:  # CPython's own account is what users know (and often more exact)
        where = f" at line {python.lineno}, column {python.offset}: {python.msg}"
    hint = " (looks like Python 2 code; port it to Python 3 first)" if PY2_HINTS.search(text) else ""
    return f"syntax error{where}{hint}; left untouched"


def _python_error(text: str) -> Optional[SyntaxError]:
    try:
        compile(text, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return exc if exc.lineno is not None else None
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def _read(path: Path, options: Options) -> Union[Source, FileResult]:
    """The file's source, or the result of a file that cannot be read (skipped or failed)."""
    try:
        return read_source(path, options.max_bytes)
    except TooLarge as exc:
        return FileResult(str(path), "skipped", reason=str(exc))
    except BadInput as exc:
        return FileResult(str(path), "failed", reason=str(exc))


def prefiltered(path: Path, options: Options) -> Union[Source, FileResult]:
    """The file's source if a rule may need it, else its result (unreadable, too large, no trigger)."""
    source = _read(path, options)
    if isinstance(source, FileResult):
        return source
    _, prefilter = _rules_and_regex(tuple(options.select), tuple(options.ignore))
    return source if prefilter.search(source.text, path) else _unchanged(source)


def _unchanged(source: Source, kind: str = "") -> FileResult:
    return FileResult(str(source.path), "unchanged", kind=kind, open_todos=open_todos(source.text))


def open_todos(text: str) -> int:
    return text.count(TODO_PREFIX)


def process_file(path: Path, options: Options, checked: bool = False) -> FileResult:
    """Read, prefilter (unless `checked` says `prefiltered` already let it through) and migrate."""
    source = _read(path, options)
    if isinstance(source, FileResult):
        return source
    rules, prefilter = _rules_and_regex(tuple(options.select), tuple(options.ignore))
    if not checked and not prefilter.search(source.text, path):
        return _unchanged(source)
    return migrate_source(source, rules, options)


def migrate_source(source: Source, rules: Sequence[Rule], options: Options) -> FileResult:
    name = str(source.path)
    try:
        migration = migrate_text(source.text, source.path, rules, labels=options.labels)
    except cst.ParserSyntaxError as exc:
        return FileResult(name, "failed", reason=parse_error_reason(source.text, exc))
    except RecursionError:
        return FileResult(name, "failed", reason="too deeply nested to parse; left untouched")
    except RuleError as exc:
        return FileResult(name, "failed", reason=f"{exc} (file left untouched; please report)")
    if migration.new == source.text:
        return _unchanged(source, migration.kind)
    error = verify(migration.new, name)
    if error is not None:  # a safety net for the spliced printing: print the whole tree
        migration = migrate_text(source.text, source.path, rules, labels=options.labels, splice=False)
        error = verify(migration.new, name)
    if error is not None:
        culprit = _culprits(source, rules)
        return FileResult(
            name, "failed", kind=migration.kind,
            reason=f"internal error: rules {culprit} produced code that does not compile ({error}); "
            "file left untouched, please report",
        )
    return FileResult(
        name,
        "changed",
        kind=migration.kind,
        old=source.text if options.keep_text else None,
        new=migration.new if options.keep_text else None,
        changes=migration.changes,
        todos=new_todos(source.text, migration.new),
        spans=migration.spans,
        open_todos=open_todos(migration.new),
        encoding=source.encoding,
        bom=source.bom,
    )


def _culprits(source: Source, rules: Sequence[Rule]) -> str:
    """The rules whose output does not compile (rare: run again, one step at a time)."""
    steps = migrate_text(source.text, source.path, rules, labels=True).spans
    return ",".join(sorted({s[0] for s in steps}))


def new_todos(old: str, new: str) -> List[Tuple[int, str, str]]:
    before = {(rule, msg) for _, rule, msg in find_todos(old)}
    return [t for t in find_todos(new) if (t[1], t[2]) not in before]


def _process_chunk(args) -> List[FileResult]:
    paths, options = args
    return [process_file(Path(p), options, checked=True) for p in paths]


def run(paths: Sequence[Path], options: Options, jobs: int,
        arrived: Optional[Callable[[FileResult], None]] = None) -> Iterator[FileResult]:
    """Yield one result per path, in input order. `arrived`, if given, is called with results of
    worker processes as soon as they are here, before the results ahead of them in that order.

    With one job, each file is read, prefiltered and migrated in turn. Else the cheap prefilter
    runs here first and only the files that need the rules go to `jobs` worker processes (which
    read them again: paths cross processes, not texts), configs to the first one (see
    `_migrate_all`); none are started when few files do (a `--check` of a large tree that has
    nothing to migrate costs no pool).
    """
    names = [str(p) for p in paths]
    if jobs <= 1:
        with _fewer_collections():
            for name in names:
                yield process_file(Path(name), options)
        return
    done: Dict[int, FileResult] = {}
    kept: Dict[int, Source] = {}  # the first candidates, migrated here if there are no more
    configs = set()  # candidates that look like configs
    for index, name in enumerate(names):
        found = prefiltered(Path(name), options)
        if isinstance(found, FileResult):
            done[index] = found
            continue
        if might_be_config(found.text):
            configs.add(index)
        if len(kept) < POOL_MIN:
            kept[index] = found
    needed = [i for i in range(len(names)) if i not in done]
    if len(needed) < POOL_MIN:
        migrated = _migrate_here(kept, options)
    else:
        migrated = _migrate_all(names, needed, configs, options, jobs, arrived)
    for index in range(len(names)):
        yield done.pop(index) if index in done else next(migrated)


POOL_MIN = 8  # fewer candidate files are migrated in this process: a pool would cost more


def _migrate_here(sources: Dict[int, Source], options: Options) -> Iterator[FileResult]:
    rules, _ = _rules_and_regex(tuple(options.select), tuple(options.ignore))
    with _fewer_collections():
        for index in sorted(sources):
            yield migrate_source(sources[index], rules, options)


def _migrate_all(names: List[str], needed: List[int], configs: Set[int], options: Options,
                 jobs: int, arrived: Optional[Callable[[FileResult], None]] = None) -> Iterator[FileResult]:
    """Results of `needed` (indexes into `names`), in order, from `jobs` worker processes.

    Each worker takes the largest files first, in small chunks, so that none is left alone with
    a big file at the end. The first worker takes the configs before any other file and the
    others take them last: a config reads its `_base_` files, and a process parses and reads
    each base once, so spreading the configs over all workers would do that work in each.
    """
    order = sorted(needed, key=lambda i: -_size(names[i]))
    queues = ([i for i in order if i in configs], [i for i in order if i not in configs])
    size = max(1, min(16, len(needed) // (jobs * 16)))
    pools = [ProcessPoolExecutor(max_workers=1, initializer=_worker_start) for _ in range(jobs)]
    running: Dict[object, Tuple[int, List[int]]] = {}  # future -> (worker, indexes)

    def feed(worker: int) -> None:
        batch = _take(worker, queues, size)
        if batch:
            future = pools[worker].submit(_process_chunk, ([names[i] for i in batch], options))
            running[future] = (worker, batch)

    ready: Dict[int, FileResult] = {}
    position = 0
    try:
        for worker in range(jobs):
            feed(worker)  # one chunk at a time: none waits in line behind a busy worker at the end
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                worker, batch = running.pop(future)
                results = future.result()
                feed(worker)
                ready.update(zip(batch, results))
                if arrived is not None:
                    for result in results:
                        arrived(result)
            while position < len(needed) and needed[position] in ready:
                yield ready.pop(needed[position])
                position += 1
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


def _take(worker: int, queues: Tuple[List[int], List[int]], size: int) -> List[int]:
    """The next chunk for `worker` (removed from `queues`, configs then other files): worker 0
    takes configs while there are any, the others take them when nothing else is left."""
    first, then = queues if worker == 0 else reversed(queues)
    queue = first or then
    batch = queue[:size]
    del queue[:size]
    return batch


# Trees are acyclic and many: the cyclic collector, run every 700 allocations by default, costs
# a tenth to a third of the time (more in a process that holds many results). Collect less
# often, and never rescan what was there before (imported modules, earlier results).
_THRESHOLD = (50_000, 20, 20)


def _worker_start() -> None:
    gc.freeze()
    gc.set_threshold(*_THRESHOLD)


@contextmanager
def _fewer_collections():
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:
        return 0


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1
