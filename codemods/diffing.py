"""Unified diffs and hunks, with the rules that made each hunk.

A diff here is always `git apply`-able: `a/` and `b/` prefixes, and the "No newline at end of
file" marker where a side does not end with a newline.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import List, Sequence, Tuple

CONTEXT = 3
NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass
class Hunk:
    index: int  # 1-based within the file
    opcodes: List[Tuple[str, int, int, int, int]]  # from SequenceMatcher, equal ones included
    rules: Tuple[str, ...]

    @property
    def changes(self):
        return [op for op in self.opcodes if op[0] != "equal"]


def _lines(text: str) -> List[str]:
    return text.splitlines(True)


def hunks(old: str, new: str, spans: Sequence[Tuple[str, int, int]] = ()) -> List[Hunk]:
    matcher = difflib.SequenceMatcher(None, _lines(old), _lines(new), autojunk=False)
    result = []
    for number, group in enumerate(matcher.get_grouped_opcodes(CONTEXT), 1):
        rules = set()
        for tag, i1, i2, _, _ in group:
            if tag == "equal":
                continue
            for rule_id, start, end in spans:
                if start <= i2 and end >= i1:
                    rules.add(rule_id)
        result.append(Hunk(number, list(group), tuple(sorted(rules))))
    return result


def _line(prefix: str, line: str) -> List[str]:
    if line.endswith("\n"):
        return [prefix + line]
    if line.endswith("\r"):
        return [prefix + line + "\n"]
    return [prefix + line + "\n", NO_NEWLINE]


def hunk_text(hunk: Hunk, old_lines: List[str], new_lines: List[str]) -> List[str]:
    first, last = hunk.opcodes[0], hunk.opcodes[-1]
    i1, i2, j1, j2 = first[1], last[2], first[3], last[4]
    out = [f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n"]
    for tag, a1, a2, b1, b2 in hunk.opcodes:
        if tag == "equal":
            for line in old_lines[a1:a2]:
                out += _line(" ", line)
            continue
        for line in old_lines[a1:a2]:
            out += _line("-", line)
        for line in new_lines[b1:b2]:
            out += _line("+", line)
    return out


def _range(start: int, end: int) -> str:
    length = end - start
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"


def unified_diff(old: str, new: str, path: str, spans=()) -> str:
    """The whole diff of one file, `git apply`-able, relative path `path` (posix). A path
    outside the current directory is absolute: like git, the header drops its leading `/`."""
    old_lines, new_lines = _lines(old), _lines(new)
    path = path.lstrip("/")
    out = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    for hunk in hunks(old, new, spans):
        out += hunk_text(hunk, old_lines, new_lines)
    return "".join(out)


def assemble(old: str, new: str, chosen: Sequence[Hunk], accepted: set) -> str:
    """`old` with only the hunks whose index is in `accepted` applied."""
    old_lines, new_lines = _lines(old), _lines(new)
    taken = {op: h.index in accepted for h in chosen for op in h.changes}
    out: List[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op in matcher.get_opcodes():
        tag, i1, i2, j1, j2 = op
        if tag != "equal" and taken.get(tuple(op), False):
            out += new_lines[j1:j2]
        else:
            out += old_lines[i1:i2]
    return "".join(out)
