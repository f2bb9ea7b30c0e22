"""Print a rewritten tree by reusing the original text of the statements the rules left alone.

Printing a whole LibCST tree costs about a third of parsing it, and most rules change a few
statements of a large file (an import, a decorator). `Printer` maps the original tree's
statements (top level, and inside classes and functions) to their spans in the original text;
`Printer.code(tree)` prints only the statements that are new objects and copies the others.

The spans come from a light scan of the text (strings, comments, brackets, line starts) checked
against the tree: the number of statements per block, of decorators, and LibCST's own counts of
leading blank/comment lines and block footers must all agree, else `code` falls back to a full
print. The output is also compared with the original where nothing changed (see tests).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, NamedTuple, Optional, Sequence, Tuple

import libcst as cst

# One pass over the text finds what can hide a line start: strings (escapes consumed, triple
# quotes first), comments, brackets, backslash continuations and the newlines themselves. The
# string patterns take runs of ordinary characters at once rather than one character per step.
# The lookahead names the characters every token starts with: the regex engine then skips the
# others at once instead of trying each alternative at every position (about 3x faster).
_TOKEN = re.compile(
    r"""(?=['"#()\[\]{}\\\r\n])"""
    r"""(?:(?P<str>'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"""
    r"""|\"\"\"[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*\"\"\""""
    r"""|'[^'\\\r\n]*(?:\\[\s\S][^'\\\r\n]*)*'|"[^"\\\r\n]*(?:\\[\s\S][^"\\\r\n]*)*")"""
    r"""|(?P<com>\#[^\r\n]*)|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<cont>\\(?:\r\n|\r|\n))"""
    r"""|(?P<nl>\r\n|\r|\n))"""
)
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_NESTED = (cst.ClassDef, cst.FunctionDef)


class _Mismatch(Exception):
    """The scan and the tree disagree; print the whole tree instead."""


class _Line(NamedTuple):  # one per line of every file: a tuple is much cheaper to make
    offset: int
    code: bool  # False: blank or comment only
    indent: str
    text: str


_LINE = re.compile(r"([ \t\f]*)([^\r\n]*)")  # indentation, then the rest of the line


def _fresh_lines(text: str) -> List[_Line]:
    """Physical lines that start outside any string or bracket: where statements, their leading
    comments and blank lines can begin."""
    starts = [0]
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "nl" and depth == 0:
            starts.append(match.end())
    lines = []
    for offset in starts:
        if offset == len(text):
            break
        indent, rest = _LINE.match(text, offset).groups()
        lines.append(_Line(offset, bool(rest) and rest[0] != "#", indent, rest))
    return lines


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    indent: str


class Printer:
    """Prints trees derived from `original` (the tree parsed from `text`)."""

    def __init__(self, text: str, original: cst.Module) -> None:
        self.text = text
        self.original = original  # kept alive: spans are keyed by node identity
        self._spans: Optional[Dict[int, _Span]] = None
        # new top-level statements printed before (a rule's output is printed again after each
        # later rule that changes the tree): id -> (statement, kept alive; its text)
        self._printed: Dict[int, Tuple[cst.BaseStatement, str]] = {}
        # the same for new statements inside classes and functions, per indentation:
        # (id, indentation) -> (statement, kept alive; its text)
        self._nested: Dict[Tuple[int, str], Tuple[cst.BaseStatement, str]] = {}
        self._quiet: Dict[Tuple[str, ...], FrozenSet[int]] = {}
        _BUILT.clear()  # a new file: what rules built for the last one is gone

    def spans(self) -> Dict[int, _Span]:
        if self._spans is None:
            try:
                self._spans = _map_module(self.text, self.original)
            except _Mismatch:
                self._spans = {}
        return self._spans

    def quiet(self, words: Tuple[str, ...]) -> FrozenSet[int]:
        """ids of the original statements whose text (comments and strings included) holds none
        of `words`: nothing inside them can name one. Empty when the text could not be mapped."""
        found = self._quiet.get(words)
        if found is None:
            found = self._quiet[words] = _without_words(self.text, self.spans(), words)
        return found

    def code(self, module: cst.Module) -> str:
        if module is self.original:
            return self.text
        spans = self.spans()
        if not spans:
            return module.code
        try:
            body = [self._new_statement(module, stmt) if isinstance(stmt, _Fresh) else stmt
                    for stmt in _reuse(module.body, spans, self.text, self._nested, top=True)]
            return module.with_changes(body=body).code
        except _Mismatch:
            return module.code

    def _new_statement(self, module: cst.Module, fresh: "_Fresh") -> "_Verbatim":
        stmt = fresh.stmt
        found = self._printed.get(id(stmt))
        if found is None:
            found = self._printed[id(stmt)] = (stmt, _known_text(module, stmt) or module.code_for_node(stmt))
        return _Verbatim(found[1], "")


def _without_words(text: str, spans: Dict[int, _Span], words: Tuple[str, ...]) -> FrozenSet[int]:
    """Keys of the spans in which no word of `words` starts. One scan of the text, then a
    bisection per span (spans nest: scanning each would read a method's text once per level)."""
    if not words:
        return frozenset(spans)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words)))
    starts = [match.start() for match in pattern.finditer(text)]
    if not starts:
        return frozenset(spans)
    return frozenset(key for key, span in spans.items() if _none_between(starts, span.start, span.end))


def _none_between(starts: List[int], lo: int, hi: int) -> bool:
    index = bisect_left(starts, lo)
    return index == len(starts) or starts[index] >= hi


# The statements of this process's current file that a rule built by parsing a text
# (`config.edit.assignment`): id of the statement's body -> (that body, kept alive; its text).
_BUILT: Dict[int, Tuple[object, str]] = {}


def built_from(stmt: cst.SimpleStatementLine, body_text: str) -> None:
    """Remember that `stmt`'s body prints as `body_text` (it was parsed from it): printing the
    statement, or a copy with other comments above or after it, then needs no code generation."""
    _BUILT[id(stmt.body)] = (stmt.body, body_text)


def _known_text(module: cst.Module, stmt) -> Optional[str]:
    # the texts are written with "\n"; LibCST prints a line break inside a statement with the
    # file's own line end (and a line break inside a string as it is): other files print it
    if type(stmt) is not cst.SimpleStatementLine or module.default_newline != "\n":
        return None
    found = _BUILT.get(id(stmt.body))
    if found is None or found[0] is not stmt.body:
        return None
    lines = "".join(module.code_for_node(line) for line in stmt.leading_lines)
    return lines + found[1] + module.code_for_node(stmt.trailing_whitespace)


# ------------------------------------------------------------------------- mapping the spans

def _map_module(text: str, module: cst.Module) -> Dict[int, _Span]:
    lines = _fresh_lines(text)
    spans: Dict[int, _Span] = {}
    end = len(lines) - len(module.footer)
    _expect_blank(lines, end, len(lines))
    _map_block(module.body, lines, len(module.header), end, "", spans, text)
    return spans


def _map_block(stmts: Sequence[cst.BaseStatement], lines: List[_Line], lo: int, hi: int,
               indent: str, spans: Dict[int, _Span], text: str) -> None:
    """Map `stmts`, which own fresh lines [lo, hi) at indentation `indent`."""
    firsts = _statement_lines(lines, lo, hi, indent)
    if len(firsts) != len(stmts):
        raise _Mismatch
    bounds = []
    for stmt, first in zip(stmts, firsts):
        start = first - len(stmt.leading_lines)
        if start < (bounds[-1][1] if bounds else lo):
            raise _Mismatch
        _expect_blank(lines, start, first)
        bounds.append((start, first))
    if bounds and bounds[0][0] != lo:
        raise _Mismatch
    for index, (stmt, (start, first)) in enumerate(zip(stmts, bounds)):
        end = bounds[index + 1][0] if index + 1 < len(bounds) else hi
        spans[id(stmt)] = _Span(_offset(lines, start, text), _offset(lines, end, text), indent)
        if isinstance(stmt, _NESTED) and isinstance(stmt.body, cst.IndentedBlock):
            _map_body(stmt, lines, first, end, indent, spans, text)


def _map_body(stmt, lines: List[_Line], first: int, end: int, indent: str,
              spans: Dict[int, _Span], text: str) -> None:
    header, decorators = first, 0
    while header < end and (not lines[header].code or lines[header].text.startswith("@")):
        decorators += lines[header].code  # comment lines may sit between decorators
        header += 1
    if header == end or decorators != len(stmt.decorators):
        raise _Mismatch
    hi = end - len(stmt.body.footer)
    _expect_blank(lines, hi, end)
    inner = next((line.indent for line in lines[header + 1:hi] if line.code), None)
    if inner is None or len(inner) <= len(indent) or not inner.startswith(indent):
        raise _Mismatch
    _map_block(stmt.body.body, lines, header + 1, hi, inner, spans, text)


def _statement_lines(lines: List[_Line], lo: int, hi: int, indent: str) -> List[int]:
    """Indexes of the lines where the statements of a block begin (a decorator, or a code line
    that is not an `else:`-like clause or the `def` under decorators)."""
    firsts = []
    after_decorator = False
    for index in range(lo, hi):
        line = lines[index]
        if not line.code:
            continue
        if len(line.indent) < len(indent) or not line.indent.startswith(indent):
            raise _Mismatch
        if line.indent != indent:
            continue
        if _CLAUSE.match(line.text):
            continue
        if not after_decorator:
            firsts.append(index)
        after_decorator = line.text.startswith("@")
    return firsts


def _expect_blank(lines: List[_Line], lo: int, hi: int) -> None:
    if lo < 0 or any(line.code for line in lines[lo:hi]):
        raise _Mismatch


def _offset(lines: List[_Line], index: int, text: str) -> int:
    return lines[index].offset if index < len(lines) else len(text)


# ------------------------------------------------------------------------------- reprinting

@dataclass(frozen=True)
class _Verbatim(cst.BaseStatement):
    """A statement printed as its original text (only ever inside `Printer.code`)."""

    text: str
    indent: str
    leading_lines: Sequence[cst.EmptyLine] = ()

    def _visit_and_replace_children(self, visitor):
        return self

    def _codegen_impl(self, state) -> None:
        if "".join(state.indent_tokens) != self.indent:
            raise _Mismatch  # moved to another depth: its text would be indented wrongly
        body, newline = _split_newline(self.text)
        state.add_token(body)
        # The last line of a file may have no newline; like LibCST, write one anyway: the Module
        # pops it when this statement stays the last of a file without a final newline.
        state.add_token(newline or state.default_newline)


def _split_newline(text: str) -> Tuple[str, str]:
    for newline in ("\r\n", "\n", "\r"):
        if text.endswith(newline):
            return text[: -len(newline)], newline
    return text, ""


@dataclass(frozen=True)
class _Fresh:
    """A new top-level statement, to be printed once (`Printer._new_statement`)."""

    stmt: cst.BaseStatement


@dataclass(frozen=True)
class _Cached(cst.BaseStatement):
    """A new statement inside a class or function, printed once per indentation (a later rule's
    changes elsewhere print the file again; only ever inside `Printer.code`)."""

    stmt: cst.BaseStatement
    cache: dict
    leading_lines: Sequence[cst.EmptyLine] = ()

    def _visit_and_replace_children(self, visitor):
        return self

    def _codegen_impl(self, state) -> None:
        key = (id(self.stmt), "".join(state.indent_tokens))
        found = self.cache.get(key)
        if found is None:
            start = len(state.tokens)
            self.stmt._codegen(state)
            self.cache[key] = (self.stmt, "".join(state.tokens[start:]))
            return
        body, newline = _split_newline(found[1])
        state.add_token(body)
        state.add_token(newline or state.default_newline)  # a separate token, as LibCST adds it


def _reuse(stmts: Sequence[cst.BaseStatement], spans: Dict[int, _Span], text: str, cache: dict,
           top: bool = False) -> List:
    out = []
    for stmt in stmts:
        span = spans.get(id(stmt))
        if span is not None:
            out.append(_Verbatim(text[span.start:span.end], span.indent))
        elif isinstance(stmt, _NESTED) and isinstance(stmt.body, cst.IndentedBlock):
            body = stmt.body.with_changes(body=_reuse(stmt.body.body, spans, text, cache))
            out.append(stmt.with_changes(body=body))
        else:
            out.append(_Fresh(stmt) if top else _Cached(stmt, cache))
    return out
