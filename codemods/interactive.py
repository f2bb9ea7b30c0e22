"""Per-hunk review (`mmcodemod run -i`), like `git add -p`.

Each hunk of a file's final diff is shown with the rules that made it and the user answers
y/n/a/d/q/?. Accepted hunks are assembled and compiled; if that fails (half of a multi-line
rewrite accepted) the user is told which hunks belong together and reviews the file again. After
a partial review the rules run again on the assembled text: what they still want to change is
what was declined, and names that the declined hunks leave unbound are named.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable, Optional, Sequence, TextIO

import click

from codemods.diffing import Hunk, assemble, hunk_text, hunks
from codemods.engine import FileResult, verify
from codemods.names import dangling

HELP = """\
y - apply this hunk
n - do not apply this hunk
a - apply this hunk and all later hunks in the file
d - do not apply this hunk or any later hunk in the file
q - quit; do not apply this hunk or anything after it (files already done stay done)
? - print this help
"""


class Quit(Exception):
    """The user answered q."""


@dataclass
class Review:
    text: Optional[str]  # what to write, or None for nothing
    accepted: int
    declined: int


class Reviewer:
    def __init__(self, out: TextIO = None, inp: TextIO = None, color: bool = True,
                 remigrate: Optional[Callable[[str, str], str]] = None) -> None:
        self.out = out or sys.stdout
        self.inp = inp or sys.stdin
        self.color = color
        self.remigrate = remigrate  # runs the rules again on an assembled text

    def echo(self, text: str = "", **style) -> None:
        click.echo(click.style(text, **style) if style else text, file=self.out,
                   color=None if self.color else False)

    def ask(self, prompt: str) -> str:
        while True:
            click.echo(click.style(prompt, fg="blue", bold=True), file=self.out, nl=False,
                       color=None if self.color else False)
            line = self.inp.readline()
            if not line:
                raise Quit()
            answer = line.strip().lower()[:1]
            if answer in ("y", "n", "a", "d", "q"):
                return answer
            self.echo(HELP, fg="red")

    def review(self, result: FileResult, display: str) -> Review:
        file_hunks = hunks(result.old, result.new, result.spans)
        while True:
            accepted = self._answers(result, display, file_hunks)
            if not accepted:
                return Review(None, 0, len(file_hunks))
            text = assemble(result.old, result.new, file_hunks, accepted)
            if verify(text, display) is None:
                self._after(result, display, text, file_hunks, accepted)
                return Review(text, len(accepted), len(file_hunks) - len(accepted))
            self._explain_broken(result, display, file_hunks, accepted)

    def _answers(self, result: FileResult, display: str, file_hunks: Sequence[Hunk]) -> set:
        old_lines, new_lines = result.old.splitlines(True), result.new.splitlines(True)
        accepted: set = set()
        rest = None
        self.echo(f"--- a/{display}", bold=True)
        self.echo(f"+++ b/{display}", bold=True)
        for hunk in file_hunks:
            if rest is not None:
                if rest == "a":
                    accepted.add(hunk.index)
                continue
            self._show(hunk, old_lines, new_lines, len(file_hunks))
            answer = self.ask(f"({hunk.index}/{len(file_hunks)}) Apply this hunk [y,n,a,d,q,?]? ")
            if answer == "q":
                raise Quit()
            if answer in ("y", "a"):
                accepted.add(hunk.index)
            if answer in ("a", "d"):
                rest = answer
        return accepted

    def _show(self, hunk: Hunk, old_lines, new_lines, total: int) -> None:
        rules = ", ".join(hunk.rules) or "rules"
        self.echo(f"[{rules}] hunk {hunk.index} of {total}", fg="yellow")
        for line in hunk_text(hunk, old_lines, new_lines):
            line = line.rstrip("\n")
            colour = {"-": "red", "+": "green", "@": "cyan"}.get(line[:1])
            self.echo(line, fg=colour) if colour else self.echo(line)

    def _explain_broken(self, result, display, file_hunks, accepted) -> None:
        partners = []
        for hunk in file_hunks:
            if hunk.index in accepted:
                continue
            text = assemble(result.old, result.new, file_hunks, accepted | {hunk.index})
            if verify(text, display) is None:
                partners.append(hunk.index)
        chosen = ", ".join(str(i) for i in sorted(accepted))
        needed = ", ".join(str(i) for i in partners) or "others"
        self.echo(
            f"{display}: hunks {chosen} do not parse without hunk(s) {needed}: they belong together. "
            "Nothing was written; review this file again.", fg="red")

    def _after(self, result, display, text, file_hunks, accepted) -> None:
        if len(accepted) == len(file_hunks):
            return
        names = sorted(dangling(result.old, text))
        if names:
            self.echo(f"warning: {display}: the declined hunks leave {', '.join(names)} used but no "
                      "longer defined or imported", fg="red")
        if self.remigrate is not None and self.remigrate(text, result.path) != text:
            self.echo(f"note: {display}: {len(file_hunks) - len(accepted)} declined hunk(s) left "
                      "unmigrated; a later run will offer them again", fg="yellow")
