"""Static evaluation of config values: CST expression -> plain Python value.

Nothing is executed. What can be read (literals, `dict(...)`, `{...}`, lists, tuples, names of
top-level variables, `**spread`, simple arithmetic, `{{_base_.x}}`) becomes a Python value; anything
else becomes `Unknown(node)`, which the builders print back unchanged.

Dicts and lists reached through a variable or `{{_base_.x}}` are `CfgDict`/`CfgList` carrying that
expression in `.source`, so that an unchanged value can be printed as the same reference.
"""
from __future__ import annotations

import ast
import operator
from functools import lru_cache
from typing import Callable, Optional

import libcst as cst

from codemods.walk import iter_nodes

MISSING = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()


class Unknown:
    """A value that cannot be read statically; printed back as its original expression."""

    def __init__(self, node: cst.BaseExpression) -> None:
        self.node = node

    def __repr__(self) -> str:
        return f"Unknown({cst.Module([]).code_for_node(self.node)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Unknown) and self.node.deep_equals(other.node)

    __hash__ = None


class CfgDict(dict):
    source: Optional[cst.BaseExpression] = None


class CfgList(list):
    source: Optional[cst.BaseExpression] = None


class CfgTuple(tuple):
    source: Optional[cst.BaseExpression] = None


class CfgInt(int):
    source: Optional[cst.BaseExpression] = None


class CfgFloat(float):
    source: Optional[cst.BaseExpression] = None


class CfgStr(str):
    source: Optional[cst.BaseExpression] = None


TAGGED = (CfgDict, CfgList, CfgTuple, CfgInt, CfgFloat, CfgStr)


_BINOPS = {
    cst.Add: operator.add, cst.Subtract: operator.sub, cst.Multiply: operator.mul,
    cst.Divide: operator.truediv, cst.FloorDivide: operator.floordiv, cst.Power: operator.pow,
    cst.Modulo: operator.mod,
}


def base_ref(node: cst.BaseExpression) -> Optional[list]:
    """`{{_base_.a.b}}` -> ['a', 'b']; None for anything else."""
    if not (isinstance(node, cst.Set) and len(node.elements) == 1):
        return None
    inner = node.elements[0].value
    if not (isinstance(inner, cst.Set) and len(inner.elements) == 1):
        return None
    parts = []
    expr = inner.elements[0].value
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name) and expr.value == "_base_" and parts:
        return parts[::-1]
    return None


@lru_cache(maxsize=65536)
def literal(text: str):
    """`evaluated_value` of a number or string token (what LibCST does, without its repeated
    `ast.literal_eval` of the same few spellings)."""
    return ast.literal_eval(text)


class Evaluator:
    """Reads expressions. `lookup(name)` gives a top-level variable's value (or MISSING);
    `base_lookup(path)` gives the value of `{{_base_.a.b}}` (or MISSING)."""

    def __init__(self, lookup: Callable[[str], object], base_lookup: Callable[[list], object]):
        self.lookup = lookup
        self.base_lookup = base_lookup

    def __call__(self, node: cst.BaseExpression):
        try:
            return self.value(node)
        except (TypeError, ValueError, ArithmeticError, SyntaxError):
            return Unknown(node)

    def value(self, node):
        # by exact class: LibCST's classes are ABCs, whose isinstance is slow, and this runs for
        # every node of every value read
        read = _READERS.get(type(node))
        return read(self, node) if read is not None else Unknown(node)

    def number(self, node):
        return _tag(literal(node.value), node)  # printed back as written: 1e-6, not 1e-06

    def string(self, node: cst.SimpleString):
        return literal(node.value)

    def concatenated(self, node: cst.ConcatenatedString):
        return node.evaluated_value

    def name(self, node: cst.Name):
        constants = {"True": True, "False": False, "None": None}
        if node.value in constants:
            return constants[node.value]
        found = self.lookup(node.value)
        if found is MISSING or isinstance(found, Unknown):
            return Unknown(node)
        return _tag(found, node)

    def call(self, node: cst.Call):
        if not (isinstance(node.func, cst.Name) and node.func.value == "dict"):
            return Unknown(node)
        out = CfgDict()
        for arg in node.args:
            if arg.star == "**":
                spread = self(arg.value)
                if not isinstance(spread, dict):
                    return Unknown(node)
                out.update(spread)
            elif arg.keyword is not None and not arg.star:
                out[arg.keyword.value] = self(arg.value)
            else:
                return Unknown(node)
        return out

    def dict_literal(self, node: cst.Dict):
        out = CfgDict()
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                spread = self(element.value)
                if not isinstance(spread, dict):
                    return Unknown(node)
                out.update(spread)
                continue
            key = self(element.key)
            if isinstance(key, (Unknown, dict, list)):
                return Unknown(node)
            out[key] = self(element.value)
        return out

    def sequence(self, node):
        items = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                spread = self(element.value)
                if not isinstance(spread, (list, tuple)):
                    return Unknown(node)
                items.extend(spread)
            else:
                items.append(self(element.value))
        return CfgList(items) if isinstance(node, cst.List) else CfgTuple(items)

    def set_literal(self, node: cst.Set):
        path = base_ref(node)
        if path is None:
            return Unknown(node)
        found = self.base_lookup(path)
        if found is MISSING or isinstance(found, Unknown):
            return Unknown(node)
        return _tag(found, node)

    def unary(self, node: cst.UnaryOperation):
        operand = self(node.expression)
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            return Unknown(node)
        if isinstance(node.operator, cst.Minus):
            return -operand
        if isinstance(node.operator, cst.Plus):
            return operand
        return Unknown(node)

    def binary(self, node: cst.BinaryOperation):
        left, right = self(node.left), self(node.right)
        op = _BINOPS.get(type(node.operator))
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
        if op is None or not numbers:
            return Unknown(node)
        if op is operator.pow and abs(right) > 64:
            return Unknown(node)  # keep evaluation cheap
        # Keep the expression (`5e-4 * 1024 / 512`) for printing the value back unchanged.
        return _tag(op(left, right), node)


_READERS = {
    cst.Integer: Evaluator.number, cst.Float: Evaluator.number, cst.SimpleString: Evaluator.string,
    cst.ConcatenatedString: Evaluator.concatenated, cst.Name: Evaluator.name, cst.Call: Evaluator.call,
    cst.Dict: Evaluator.dict_literal, cst.List: Evaluator.sequence, cst.Tuple: Evaluator.sequence,
    cst.Set: Evaluator.set_literal, cst.UnaryOperation: Evaluator.unary, cst.BinaryOperation: Evaluator.binary,
}  # any other node (an imaginary number, a lambda, a comprehension...) reads as Unknown


def _tag(value, node):
    """A copy of `value` that remembers the expression it was reached through."""
    if isinstance(value, dict):
        tagged = CfgDict(value)
    elif isinstance(value, list):
        tagged = CfgList(value)
    elif isinstance(value, tuple):
        tagged = CfgTuple(value)
    elif isinstance(value, bool) or value is None:
        return value
    elif isinstance(value, int):
        tagged = CfgInt(value)
    elif isinstance(value, float):
        tagged = CfgFloat(value)
    elif isinstance(value, str):
        tagged = CfgStr(value)
    else:
        return value
    tagged.source = node
    return tagged


def has_unknown(value) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(has_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_unknown(v) for v in value)
    return False


def plain(value):
    """A deep copy made of plain dict/list/tuple (drops `.source`: the value will be changed)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    for kind in (int, float, str):
        if isinstance(value, kind) and not isinstance(value, bool):
            return kind(value)
    return value


def _self_contained(node: cst.CSTNode) -> bool:
    """No names (other than constants) and no `{{_base_.x}}`: means the same in any file."""
    for n in iter_nodes(node, layout=False):
        if isinstance(n, cst.Set):
            return False
        if isinstance(n, cst.Name) and n.value not in ("True", "False", "None", "dict"):
            return False
    return True


def detached(value):
    """`value` as seen from another file: references to names of the file it came from
    (`pipeline=train_pipeline`, `{{_base_.x}}`) are dropped so the value prints in full;
    self-contained spellings (`5e-4 * 1024 / 512`) are kept."""
    source = getattr(value, "source", None) if isinstance(value, TAGGED) else None
    if isinstance(value, dict):
        out = CfgDict((k, detached(v)) for k, v in value.items())
    elif isinstance(value, list):
        out = CfgList(detached(v) for v in value)
    elif isinstance(value, tuple):
        out = CfgTuple(detached(v) for v in value)
    else:
        return value if source is None or _self_contained(source) else plain(value)
    if source is not None and _self_contained(source):
        out.source = source
    return out
