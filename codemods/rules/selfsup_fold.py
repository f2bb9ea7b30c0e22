"""Fold the control flow MMSelfSup 0.x dataset configs use around their pipelines.

`prefetch = False` / `if not prefetch: train_pipeline.extend([...])` / `train_pipeline.append(...)`:
an `if` on a top-level name bound to a literal True/False is replaced by the branch that runs, and
`x.extend([...])` / `x.append(...)` on a top-level list literal are merged into that list, so the
config model can read the pipelines. An `if` that cannot be decided statically gets a TODO.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from codemods import data_pipeline as dp
from codemods.rules.selfsup_pipeline import without_comment
from codemods.todo import add_todo


def _constant(node) -> Optional[bool]:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def _condition(test, constants: Dict[str, bool]) -> Optional[bool]:
    if isinstance(test, cst.Name):
        return constants.get(test.value)
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _condition(test.expression, constants)
        return None if inner is None else not inner
    return None


def _branch(stmt: cst.If, taken: bool) -> List[cst.BaseStatement]:
    if taken:
        return list(stmt.body.body)
    if isinstance(stmt.orelse, cst.Else):
        return list(stmt.orelse.body.body)
    if isinstance(stmt.orelse, cst.If):
        return [stmt.orelse]  # an `elif`: decided on its own below
    return []


def fold_ifs(module: cst.Module, rule_id: str, message: str) -> Tuple[cst.Module, int]:
    """Inline top-level `if NAME:` / `if not NAME:` whose NAME is a literal bool."""
    constants: Dict[str, bool] = {}
    body: List = []
    folded = 0
    pending = list(module.body)
    while pending:
        stmt = pending.pop(0)
        found = dp.top_assign(stmt)
        if found is not None:
            value = _constant(found[1])
            if value is None:
                constants.pop(found[0], None)
            else:
                constants[found[0]] = value
        if isinstance(stmt, cst.If):
            taken = _condition(stmt.test, constants)
            if taken is None:
                body.append(add_todo(stmt, rule_id, message))
                continue
            inlined = _branch(stmt, taken)
            if inlined and stmt.leading_lines:
                inlined[0] = inlined[0].with_changes(
                    leading_lines=[*stmt.leading_lines, *inlined[0].leading_lines])
            pending[:0] = inlined
            folded += 1
            continue
        body.append(stmt)
    return module.with_changes(body=body), folded


def _list_call(stmt) -> Optional[Tuple[str, str, cst.Call]]:
    """('x', 'extend' | 'append', call) for a statement `x.extend(...)` / `x.append(...)`."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return None
    expr = stmt.body[0]
    if not (isinstance(expr, cst.Expr) and isinstance(expr.value, cst.Call)):
        return None
    call = expr.value
    func = call.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
            and func.attr.value in ("extend", "append") and len(call.args) == 1
            and call.args[0].keyword is None and not call.args[0].star):
        return None
    return func.value.value, func.attr.value, call


def _added(method: str, call: cst.Call) -> Optional[List[cst.BaseExpression]]:
    value = call.args[0].value
    if method == "append":
        return [value]
    if isinstance(value, cst.List) and not any(isinstance(e, cst.StarredElement) for e in value.elements):
        return [e.value for e in value.elements]
    return None


def _extend_list(node: cst.List, items: List[cst.BaseExpression]) -> cst.List:
    """`node` with `items` appended, in the comma style of the list (a trailing comma stays)."""
    elements = list(node.elements)
    last = elements[-1].comma if elements else cst.MaybeSentinel.DEFAULT
    commas = [e.comma for e in elements if isinstance(e.comma, cst.Comma)]
    style = without_comment(commas[0]) if commas else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    elements = [e if isinstance(e.comma, cst.Comma) else e.with_changes(comma=style) for e in elements]
    elements += [cst.Element(item, comma=style) for item in items]
    elements[-1] = elements[-1].with_changes(comma=last)
    return node.with_changes(elements=elements)


def fold_list_calls(module: cst.Module) -> Tuple[cst.Module, int]:
    """Merge `x.extend([...])` / `x.append(...)` into the list literal `x = [...]` above them."""
    body: List = []
    folded = 0
    for stmt in module.body:
        found = _list_call(stmt)
        target = _last_assign(body, found[0]) if found else None
        items = _added(found[1], found[2]) if found else None
        if target is None or items is None:
            body.append(stmt)
            continue
        small = body[target].body[0]
        body[target] = body[target].with_changes(
            body=[small.with_changes(value=_extend_list(small.value, items))])
        if _comments(stmt):
            body[target] = body[target].with_changes(
                leading_lines=[*body[target].leading_lines, *_comments(stmt)])
        folded += 1
    return module.with_changes(body=body), folded


def _comments(stmt) -> list:
    return [line for line in stmt.leading_lines if line.comment is not None]


def _last_assign(body: List, name: str) -> Optional[int]:
    for index in range(len(body) - 1, -1, -1):
        found = dp.top_assign(body[index])
        if found is not None and found[0] == name:
            return index if isinstance(found[1], cst.List) else None
        if _mentions(body[index], name):
            return None  # used or changed in between: the order matters
    return None


def _mentions(stmt, name: str) -> bool:
    seen = []

    class _Visitor(cst.CSTVisitor):
        def visit_Name(self, node):
            if node.value == name:
                seen.append(node)

    stmt.visit(_Visitor())
    return bool(seen)
