"""Replace, insert and remove top-level assignments of a config module, keeping comments.

`replace_keys(module, old, new)` is the one edit a config rule usually needs: the statements that
assign the keys in `old` go away and the `new` assignments take the place of the first of them
(with the comments that were above any of them); a key of `new` that the file already assigns is
rewritten where it stands. With none of `old` present, the new assignments go at the end.
"""
from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Tuple, Union

import libcst as cst

from codemods.config.build import to_code
from codemods.config.model import assign_target
from codemods.splice import built_from
from codemods.walk import iter_nodes

Value = Union[cst.BaseExpression, object]


def expr_of(value: Value, indent: int = 0) -> cst.BaseExpression:
    if isinstance(value, cst.BaseExpression):
        return value
    return cst.parse_expression(to_code(value, indent))


def assignment(key: str, value: Value, like=None) -> cst.SimpleStatementLine:
    """`key = value` as a statement; `like` (a statement) gives the comments and line end to keep."""
    if isinstance(value, cst.BaseExpression):
        code = cst.Module([]).code_for_node(value)
    else:
        code = to_code(value, len(key) + 3)  # what printing `expr_of` of it would give back
    stmt = cst.parse_statement(f"{key} = {code}\n")
    built_from(stmt, f"{key} = {code}")
    if like is not None:
        stmt = stmt.with_changes(leading_lines=like.leading_lines,
                                 trailing_whitespace=like.trailing_whitespace)
    return stmt


def set_value(stmt: cst.SimpleStatementLine, value: Value) -> cst.SimpleStatementLine:
    small = stmt.body[0]
    indent = len(assign_target(stmt) or "") + 3
    new = stmt.with_changes(body=[small.with_changes(value=expr_of(value, indent))])
    return new.with_changes(leading_lines=[*stmt.leading_lines, *_inner_comments(stmt)])


def _comment_lines(stmt) -> List[cst.EmptyLine]:
    return [line for line in stmt.leading_lines if line.comment is not None]


def _inner_comments(stmt) -> List[cst.EmptyLine]:
    """Comments written inside a statement's value (a commented-out option, a note): they are
    kept above whatever replaces the statement, never dropped."""
    found: List[cst.EmptyLine] = []
    if not any(isinstance(n, cst.Comment) for small in stmt.body for n in iter_nodes(small)):
        return found  # the usual case; the visitor below (in source order) is far slower

    class Visitor(cst.CSTVisitor):
        def visit_Comment(self, node):
            found.append(cst.EmptyLine(comment=node))

    for small in stmt.body:
        small.visit(Visitor())
    return found


def _all_comments(stmt) -> List[cst.EmptyLine]:
    trailing = stmt.trailing_whitespace.comment
    tail = [cst.EmptyLine(comment=trailing)] if trailing is not None else []
    return [*_comment_lines(stmt), *_inner_comments(stmt), *tail]


def replace_keys(module: cst.Module, old: Iterable[str], new: Sequence[Tuple[str, Value]]) -> cst.Module:
    old = set(old)
    new_keys = [k for k, _ in new]
    existing = {assign_target(s) for s in module.body} & set(new_keys)
    body: List = []
    kept_comments: List[cst.EmptyLine] = []
    first_old = None
    for stmt in module.body:
        name = assign_target(stmt)
        if name in existing and name not in old:
            body.append(set_value(stmt, dict(new)[name]))
        elif name in old:
            if first_old is None:
                first_old = len(body)
                body.append(stmt)  # placeholder, replaced below
            else:
                kept_comments += _all_comments(stmt)
        else:
            body.append(stmt)
    inserted = [(k, v) for k, v in new if k not in existing or k in old]
    if first_old is None:
        return module.with_changes(body=[*body, *(assignment(k, v) for k, v in inserted)])
    anchor = body[first_old]
    stmts = [assignment(k, v) for k, v in inserted]
    if stmts:
        comments = [*anchor.leading_lines, *_inner_comments(anchor), *kept_comments]
        stmts[0] = stmts[0].with_changes(leading_lines=comments)
        stmts[-1] = stmts[-1].with_changes(trailing_whitespace=anchor.trailing_whitespace)
    elif kept_comments or _all_comments(anchor):
        # Nothing replaces the keys: their comments move onto the next statement.
        return _move_comments(body, first_old, [*_all_comments(anchor), *kept_comments], module)
    return module.with_changes(body=[*body[:first_old], *stmts, *body[first_old + 1:]])


def _move_comments(body, index, comments, module):
    rest = body[index + 1:]
    if rest:
        rest[0] = rest[0].with_changes(leading_lines=[*comments, *rest[0].leading_lines])
        return module.with_changes(body=[*body[:index], *rest])
    footer = [*module.footer, *comments]
    return module.with_changes(body=body[:index], footer=footer)


def remove_keys(module: cst.Module, keys: Iterable[str]) -> cst.Module:
    return replace_keys(module, keys, [])


def insert_after(module: cst.Module, anchor: Optional[str], key: str, value: Value) -> cst.Module:
    """Insert `key = value` after the assignment of `anchor` (at the end if there is none)."""
    body = list(module.body)
    index = len(body)
    for i, stmt in enumerate(body):
        if assign_target(stmt) == anchor:
            index = i + 1
    body.insert(index, assignment(key, value))
    return module.with_changes(body=body)


def statement_of(module: cst.Module, key: str) -> Optional[int]:
    """Index of the last plain top-level assignment of `key`."""
    found = None
    for i, stmt in enumerate(module.body):
        if assign_target(stmt) == key:
            found = i
    return found


def todo_at(module: cst.Module, key: Optional[str], rule_id: str, message: str) -> cst.Module:
    """`module` with a TODO above the assignment of `key` (the first statement if none).

    Comments above the first statement belong to the module header in LibCST: a TODO already
    there counts too, so a second run adds nothing.
    """
    from codemods.todo import add_todo, todo_text

    index = statement_of(module, key) if key else None
    if index is None:
        index = 0
    if not module.body:
        return module
    if index == 0 and any(line.comment is not None and line.comment.value == todo_text(rule_id, message)
                          for line in module.header):
        return module
    body = list(module.body)
    body[index] = add_todo(body[index], rule_id, message)
    return module.with_changes(body=body)
