"""Print Python values as config expressions, the way MMPretrain's own configs are written.

`dict(type='SGD', lr=0.1)` on one line when it fits in 79 columns, else its arguments together on
the next line, else one argument per line with a trailing comma; lists one item per line.
`Unknown` values and values that still carry their `.source` (a variable name, `{{_base_.x}}`,
`0.1 * 8 / 256`) are printed as their original expression.
"""
from __future__ import annotations

import keyword

import libcst as cst

from codemods.config.values import TAGGED, Unknown

WIDTH = 79
INDENT = "    "
FLAT = -(10**9)  # a column at which everything fits: asks for the one-line form


def to_code(value, column: int = 0, indent: int = 0) -> str:
    """Source text of `value` starting at `column` of a line indented by `indent` spaces.

    Lines after the first are indented relative to `indent`; callers add that indentation.
    """
    source = getattr(value, "source", None) if isinstance(value, TAGGED) else None
    if source is not None:
        return cst.Module([]).code_for_node(source)
    if isinstance(value, Unknown):
        return cst.Module([]).code_for_node(value.node)
    if isinstance(value, dict):
        return _dict(value, column, indent)
    if isinstance(value, list):
        return _layout("[", "]", list(value), ["{}"] * len(value), column, indent)
    if isinstance(value, tuple):
        text = _layout("(", ")", list(value), ["{}"] * len(value), column, indent)
        return text[:-1] + ",)" if len(value) == 1 and "\n" not in text else text
    return _scalar(value)


def to_expr(value) -> cst.BaseExpression:
    return cst.parse_expression(to_code(value))


def _scalar(value) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    for kind in (int, float, str):
        if isinstance(value, kind):
            return repr(kind(value))
    raise TypeError(f"cannot print {type(value).__name__} in a config")


def _is_keyword_key(key) -> bool:
    return isinstance(key, str) and key.isidentifier() and not keyword.iskeyword(key)


def _dict(value: dict, column: int, indent: int) -> str:
    if all(_is_keyword_key(k) for k in value):
        items = [f"{k}={{}}" for k in value]
        return _layout("dict(", ")", list(value.values()), items, column, indent)
    items = [f"{_scalar(k)}: {{}}" for k in value]
    return _layout("{", "}", list(value.values()), items, column, indent)


def _layout(open_: str, close: str, values: list, templates: list, column: int, indent: int) -> str:
    """One line if it fits (with room for a closing bracket or comma), else one item per line."""
    items = ", ".join(t.format(to_code(v, FLAT)) for t, v in zip(templates, values))
    flat = open_ + items + close
    if "\n" not in flat and column + len(flat) < WIDTH:
        return flat
    if open_ == "dict(" and "\n" not in items and indent + len(INDENT) + len(items + close) < WIDTH:
        # MMPretrain's (yapf's) continuation form: the arguments on the next line.
        return open_ + "\n" + INDENT + items + close
    lines = [open_]
    for template, v in zip(templates, values):
        prefix = template.split("{}")[0]
        inner = indent + len(INDENT)
        code = to_code(v, inner + len(prefix), inner)
        lines.append(INDENT + template.format(code.replace("\n", "\n" + INDENT)) + ",")
    lines.append(close)
    return "\n".join(lines)
