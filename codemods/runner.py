"""One `mmcodemod run`: discover, migrate in worker processes, hand each result to a sink,
print a summary, and compute the exit code (0 done, 1 work left for --check/--diff, 2 errors)."""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import click

from codemods import engine
from codemods.diffing import unified_diff
from codemods.discover import discover
from codemods.files import Staged, commit, discard, encode, stage, write_atomic
from codemods.gitguard import DirtyGuard
from codemods.notebook import NotebookResult, is_notebook, review_notebook
from codemods.notebook import run as run_notebooks
from codemods.patch import PatchError, PatchOutput
from codemods.rules import select_rules

WRITE, DIFF, CHECK, INTERACTIVE = "write", "diff", "check", "interactive"
PATCH = "patch"  # --patch alone: write the patch file, change nothing else
NO_WRITE = (DIFF, CHECK, PATCH)


@dataclass
class Settings:
    paths: Sequence[str]
    mode: str = WRITE
    select: tuple = ()
    ignore: tuple = ()
    exclude: tuple = ()
    jobs: int = 0
    quiet: bool = False
    verbose: bool = False
    color: bool = True
    max_bytes: int = engine.DEFAULT_MAX_BYTES
    patch: Optional[str] = None  # write one git-apply-able diff of all changes to this file
    report: Optional[str] = None  # write a JSON or Markdown report to this file
    report_format: Optional[str] = None  # "json" or "md"; default from the report's extension
    allow_dirty: bool = False  # write files that have uncommitted changes in git
    command: str = ""  # the command line, for the report's "reproduce" line


@dataclass
class Totals:
    scanned: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    declined: int = 0
    refused: int = 0
    todos: int = 0  # added by this run
    open_todos: int = 0  # TODO(mmcodemod) comments in the files once this run is done
    rules: dict = field(default_factory=dict)


class Console:
    def __init__(self, settings: Settings) -> None:
        self.s = settings

    def err(self, text: str, **style) -> None:
        # color=None lets click strip colour when the stream is not a terminal.
        click.echo(click.style(text, **style) if style else text, err=True,
                   color=None if self.s.color else False)

    def out(self, text: str, **style) -> None:
        click.echo(click.style(text, **style) if style else text, nl=False,
                   color=None if self.s.color else False)

    def info(self, text: str) -> None:
        if not self.s.quiet:
            self.err(text)

    def detail(self, text: str) -> None:
        if self.s.verbose:
            self.err(text)


def display_path(path: str) -> str:
    """Path relative to the current directory when inside it (as in diffs and reports)."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def execute(settings: Settings, observers: Sequence = ()) -> int:
    """One run. Each observer (the --patch and --report writers, the bot's collector) is told
    `problem(path, reason)` for unusable inputs, `add(result, outcome)` for every file (outcome:
    the result's status, or for changed files what the sink did: changed, declined, refused),
    and `finish()` at the end, which returns the path it wrote, if any."""
    console = Console(settings)
    start = time.perf_counter()
    files, problems = discover(settings.paths, settings.exclude)
    totals = Totals()
    try:
        observers = [*observers, *_outputs(settings)]
    except PatchError as exc:
        console.err(f"error: {exc}", fg="red")
        return 2
    for path, reason in problems:
        console.err(f"error: {path}: {reason}", fg="red")
        totals.failed += 1
        for observer in observers:
            observer.problem(path, reason)
    options = engine.Options(select=settings.select, ignore=settings.ignore, max_bytes=settings.max_bytes,
                             keep_text=settings.mode != CHECK or bool(settings.patch),
                             labels=settings.mode == INTERACTIVE)
    if not select_rules(options.select, options.ignore):
        console.err("error: --select/--ignore leave no rule to run (see `mmcodemod rules`)", fg="red")
        return 2
    sink = _make_sink(settings, console)
    progress = Progress(len(files), enabled=sys.stderr.isatty() and not settings.quiet and len(files) > 50)
    results = _results(files, options, settings.jobs or engine.default_jobs(), sink.arrived)
    try:
        if settings.mode in (WRITE, INTERACTIVE):
            # Config rules read `_base_` files from disk: finish reading before writing anything,
            # so that no worker reads a base this run (or this review) has already rewritten.
            results = list(results)
            sink.prepare(results)
        for result in results:
            progress.step()
            _count(result, totals, console)
            outcome = sink.take(result, totals) if result.status == "changed" else None
            totals.open_todos += _open_todos(result, outcome)
            for observer in observers:
                observer.add(result, outcome or result.status)
    except KeyboardInterrupt:
        progress.done()
        console.err("interrupted: files already written are complete; nothing is half-written", fg="red")
        return 130
    except _StopReview:
        console.err("quit: the remaining files were left as they are")
    finally:
        sink.close()
    progress.done()
    _summary(settings, totals, console, time.perf_counter() - start)
    if not _finish(observers, settings, console):
        return 2
    if totals.failed or totals.refused:
        return 2
    if settings.mode in NO_WRITE and totals.changed:
        return 1
    return 0


def _results(files: Sequence[Path], options: engine.Options, jobs: int, arrived):
    """Results in discovery order: Python files from the engine's workers, notebooks from
    `codemods.notebook`'s. `arrived` sees the engine's results as they come (`engine.run`)."""
    scripts = engine.run([f for f in files if not is_notebook(f)], options, jobs, arrived)
    notebooks = run_notebooks([f for f in files if is_notebook(f)], options, jobs)
    for path in files:
        yield next(notebooks) if is_notebook(path) else next(scripts)


def _open_todos(result: engine.FileResult, outcome: Optional[str]) -> int:
    """The file's TODO(mmcodemod) comments after the run: of the new text if it was (or would be)
    written, else of the old one (the new text less the TODOs this run added)."""
    if result.status == "changed" and outcome != "changed":
        return result.open_todos - len(result.todos)
    return result.open_todos


def _outputs(settings: Settings) -> list:
    """The --patch and --report writers asked for."""
    outputs = []
    if settings.patch:
        outputs.append(PatchOutput(settings.patch))
    if settings.report:
        from codemods.report import ReportOutput

        outputs.append(ReportOutput(settings.report, settings.report_format, settings.mode, settings.command))
    return outputs


def _finish(observers, settings: Settings, console: Console) -> bool:
    ok = True
    for observer in observers:
        try:
            written = observer.finish()
        except PatchError as exc:
            console.err(f"error: {exc}", fg="red")
            ok = False
            continue
        if written:
            console.info(f"wrote {written}")
    return ok


def _count(result: engine.FileResult, totals: Totals, console: Console) -> None:
    totals.scanned += 1
    if result.status == "failed":
        totals.failed += 1
        console.err(f"error: {display_path(result.path)}: {result.reason}", fg="red")
    elif result.status == "skipped":
        totals.skipped += 1
        console.info(f"skipped: {display_path(result.path)}: {result.reason}")
    elif result.status == "unchanged":
        totals.unchanged += 1
        if console.s.verbose:  # a path to show costs more than the rest of this
            console.detail(f"unchanged: {display_path(result.path)}")


class _StopReview(Exception):
    pass


class _Sink:
    def __init__(self, settings: Settings, console: Console) -> None:
        self.settings, self.console = settings, console
        writes = settings.mode not in NO_WRITE
        self.guard = DirtyGuard() if writes and not settings.allow_dirty else None

    def take(self, result: engine.FileResult, totals: Totals) -> str:
        """Apply one changed result; return its outcome: changed, declined, refused or failed
        (the file could not be written)."""
        refusal = self.guard.refusal(result.path) if self.guard else None
        if refusal:
            totals.refused += 1
            self.console.err(f"error: {display_path(result.path)}: {refusal}", fg="red")
            return "refused"
        try:
            applied = self.apply(result)
        except (OSError, UnicodeEncodeError) as exc:
            # a read-only folder, a full disk, a character the file's encoding cannot hold: this
            # file only, the others go on
            totals.failed += 1
            reason = getattr(exc, "strerror", None) or str(exc)
            result.reason = f"cannot write: {reason}; left untouched"
            self.console.err(f"error: {display_path(result.path)}: {result.reason}", fg="red")
            return "failed"
        if applied:
            totals.changed += 1
            totals.todos += len(result.todos)
            for rule_id, count in result.changes.items():
                totals.rules[rule_id] = totals.rules.get(rule_id, 0) + count
            if self.settings.verbose:
                for line, rule_id, message in result.todos:
                    self.console.detail(f"{display_path(result.path)}:{line}: TODO {rule_id} {message}")
            return "changed"
        totals.unchanged += 1
        return "declined"

    def arrived(self, result: engine.FileResult) -> None:
        """Called with results as soon as they are in, in any order, before `prepare`."""

    def prepare(self, results: Sequence[engine.FileResult]) -> None:
        """Called with every result before the first `take` (in-place modes only)."""

    def close(self) -> None:
        """Called once at the end, also after an interruption."""

    def apply(self, result: engine.FileResult) -> bool:
        raise NotImplementedError


class _WriteSink(_Sink):
    """Writes each changed file in two steps. The new text is staged in a synced temporary file
    beside it as soon as its result is in, while other files are still being migrated (that is
    most of the cost of a write); every staged file is put in place by one rename once all
    results are in, since config rules read `_base_` files from disk until then."""

    def __init__(self, settings: Settings, console: Console) -> None:
        super().__init__(settings, console)
        self.staged: dict = {}  # path -> future of its `Staged` temporary file
        self.pool: Optional[ThreadPoolExecutor] = None

    def arrived(self, result):
        if result.status != "changed" or result.path in self.staged:
            return
        if self.guard and self.guard.refusal(result.path):
            return
        if self.pool is None:
            # several at a time: creating and syncing a file mostly waits for the disk
            self.pool = ThreadPoolExecutor(max_workers=8)
        self.staged[result.path] = self.pool.submit(_stage, result)

    def prepare(self, results):
        for result in results:  # those the engine did not pass to `arrived` (notebooks, one job)
            self.arrived(result)

    def apply(self, result):
        future = self.staged.pop(result.path, None)
        commit(future.result() if future is not None else _stage(result))
        if self.settings.verbose:
            self.console.detail(f"migrated: {display_path(result.path)}")
        return True

    def close(self):
        """Remove the temporary files not put in place (Ctrl-C, or a write that failed)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)  # finish the files being written
        for future in self.staged.values():
            if not future.cancelled() and future.exception() is None:
                discard(future.result())
        self.staged.clear()


def _stage(result: engine.FileResult) -> Staged:
    return stage(Path(result.path), encode(result.new, result.encoding, result.bom))


class _DiffSink(_Sink):
    def apply(self, result):
        diff = unified_diff(result.old, result.new, display_path(result.path), result.spans)
        if self.settings.color and sys.stdout.isatty():
            for line in diff.splitlines(True):
                colour = {"-": "red", "+": "green", "@": "cyan"}.get(line[:1])
                bold = line.startswith(("--- ", "+++ "))
                self.console.out(line, fg=None if bold else colour, bold=bold)
        else:
            click.echo(diff, nl=False)
        return True


class _CheckSink(_Sink):
    def apply(self, result):
        click.echo(display_path(result.path))
        return True


class _CountSink(_Sink):
    """--patch alone: nothing to print or write here; the patch writer takes the result."""

    def apply(self, result):
        return True


class _InteractiveSink(_Sink):
    def __init__(self, settings, console) -> None:
        super().__init__(settings, console)
        from codemods.interactive import Reviewer

        rules = select_rules(settings.select, settings.ignore)
        self.reviewer = Reviewer(color=settings.color,
                                 remigrate=lambda text, path: _remigrate(text, path, rules))

    def apply(self, result):
        from codemods.interactive import Quit

        try:
            if isinstance(result, NotebookResult):
                review = review_notebook(result, self.reviewer, display_path(result.path))
            else:
                review = self.reviewer.review(result, display_path(result.path))
        except Quit:
            raise _StopReview() from None
        if review.text is None or review.text == result.old:
            return False
        write_atomic(Path(result.path), encode(review.text, result.encoding, result.bom))
        return True


def _remigrate(text: str, path: str, rules) -> str:
    try:
        # The path lets config rules read the file's `_base_` tree, as in the first pass.
        return engine.migrate_text(text, Path(path), rules).new
    except Exception:  # the review result compiled; a failure here only loses a note
        return text


def _make_sink(settings: Settings, console: Console) -> _Sink:
    return {WRITE: _WriteSink, DIFF: _DiffSink, CHECK: _CheckSink, PATCH: _CountSink,
            INTERACTIVE: _InteractiveSink}[settings.mode](settings, console)


class Progress:
    """A one-line progress bar on stderr, only on a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.count, self.shown = total, enabled, 0, -1

    def step(self) -> None:
        self.count += 1
        if not self.enabled:
            return
        percent = self.count * 100 // max(1, self.total)
        if percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\r[{bar:<25}] {self.count}/{self.total} files")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def _summary(settings: Settings, totals: Totals, console: Console, seconds: float) -> None:
    if settings.quiet:
        return
    verb = {WRITE: "changed", DIFF: "would change", CHECK: "would change", PATCH: "would change",
            INTERACTIVE: "changed"}[settings.mode]
    parts = [f"{totals.scanned} files scanned", f"{totals.changed} {verb}",
             f"{totals.unchanged} unchanged", f"{totals.failed} failed"]
    if totals.skipped:
        parts.append(f"{totals.skipped} skipped")
    if totals.refused:
        parts.append(f"{totals.refused} refused (uncommitted changes; --allow-dirty writes them)")
    todo = "TODO" if totals.open_todos == 1 else "TODOs"
    console.err(f"mmcodemod: {', '.join(parts)}; {totals.open_todos} {todo} left for you "
                f"({totals.todos} new); {seconds:.2f}s")
    if settings.verbose and totals.rules:
        for rule_id, count in sorted(totals.rules.items()):
            console.err(f"  {rule_id}: {count} change(s)")
