"""One way to leave a `# TODO(mmcodemod): ID message` comment above a statement.

Transformers that want to mark something inherit `TodoTransformer` and call `self.todo(...)`
while visiting any node: the comment lands above the innermost enclosing statement. Adding the
same TODO twice (a second run) is a no-op.
"""
from __future__ import annotations

import re
from typing import List, Tuple, Union

import libcst as cst

PREFIX = "# TODO(mmcodemod): "
TODO_RE = re.compile(r"#\s*TODO\(mmcodemod\):\s*(?P<rule>[A-Za-z0-9_-]+)\s*(?P<msg>.*)$")

Statement = Union[cst.SimpleStatementLine, cst.BaseCompoundStatement]


def todo_text(rule_id: str, message: str) -> str:
    # One physical line: a newline in the message would break the comment.
    message = " ".join(message.split())
    return f"{PREFIX}{rule_id} {message}"


def has_todo(stmt: Statement, rule_id: str, message: str) -> bool:
    text = todo_text(rule_id, message)
    return any(
        line.comment is not None and line.comment.value == text for line in stmt.leading_lines
    )


def add_todo(stmt: Statement, rule_id: str, message: str) -> Statement:
    """Return `stmt` with the TODO comment above it (unchanged if it is already there)."""
    if has_todo(stmt, rule_id, message):
        return stmt
    line = cst.EmptyLine(comment=cst.Comment(todo_text(rule_id, message)))
    return stmt.with_changes(leading_lines=[*stmt.leading_lines, line])


def without_header_duplicates(module: cst.Module) -> cst.Module:
    """Drop a TODO from the first statement when the module header already has it.

    LibCST parses comments above the first statement into `Module.header`, where `has_todo` does
    not look: without this a second run would add a TODO at the top of a file again.
    """
    header = {line.comment.value for line in module.header if line.comment is not None}
    if not header or not module.body:
        return module
    first = module.body[0]
    leading = [
        line for line in first.leading_lines
        if line.comment is None or line.comment.value not in header or not line.comment.value.startswith(PREFIX)
    ]
    if len(leading) == len(first.leading_lines):
        return module
    return module.with_changes(body=[first.with_changes(leading_lines=leading), *module.body[1:]])


def find_todos(text: str) -> List[Tuple[int, str, str]]:
    """(line, rule id, message) of every mmcodemod TODO comment in `text`."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        m = TODO_RE.search(line)
        if m:
            found.append((number, m.group("rule"), m.group("msg").strip()))
    return found


class TodoTransformer(cst.CSTTransformer):
    """A transformer that can queue TODOs for the statement it is inside."""

    rule_id: str = ""

    def __init__(self) -> None:
        super().__init__()
        self._pending: List[List[str]] = []

    def todo(self, message: str) -> None:
        if self._pending:
            if message not in self._pending[-1]:
                self._pending[-1].append(message)

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self._pending.append([])
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            messages = self._pending.pop()
            if isinstance(result, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                for message in messages:
                    result = add_todo(result, self.rule_id, message)
            elif isinstance(result, cst.FlattenSentinel) and messages:
                nodes = list(result.nodes)
                for message in messages:
                    nodes[0] = add_todo(nodes[0], self.rule_id, message)
                result = cst.FlattenSentinel(nodes)
        return result
