"""Just enough scope analysis to place a statement where it runs once.

`where_bound(scope, name)` tells whether `name` is bound exactly once in a function (or module,
or class body) by a plain `name = ...` statement, or is a parameter that nothing rebinds. The API
rules use it to build an inferencer right after `model = init_model(...)` rather than at every
call. Anything less clear (rebinding, `global`, loops over the name) answers None, and the rule
falls back to an inline expression, which is always correct.
"""
from __future__ import annotations

from typing import Iterator, List, Optional, Sequence, Tuple, Union

import libcst as cst

from codemods.importmap import dotted
from codemods.walk import look

Scope = Union[cst.Module, cst.FunctionDef, cst.ClassDef, cst.Lambda]
SCOPES = (cst.Module, cst.FunctionDef, cst.ClassDef, cst.Lambda)


class Stack(cst.CSTVisitor):
    """A visitor that knows the ancestors of the node it is visiting (`self.stack`)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: List[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self.stack.pop()

    def scope(self) -> Tuple[int, Scope]:
        """Index in the stack and node of the innermost scope (the node itself excluded)."""
        for i in range(len(self.stack) - 2, -1, -1):
            if isinstance(self.stack[i], SCOPES):
                return i, self.stack[i]
        raise AssertionError("a module is always on the stack")


class _Bindings(cst.CSTVisitor):
    """Bindings of one name in one scope, not looking into nested scopes."""

    def __init__(self, scope: Scope, name: str) -> None:
        super().__init__()
        self.scope = scope
        self.name = name
        self.assignments: List[cst.SimpleStatementLine] = []
        self.other = False
        self._line: Optional[cst.SimpleStatementLine] = None

    def _nested(self, node) -> bool:
        if node is self.scope:
            return True
        if getattr(node, "name", None) is not None and node.name.value == self.name:
            self.other = True
        return False

    def visit_FunctionDef(self, node):
        return self._nested(node)

    def visit_ClassDef(self, node):
        return self._nested(node)

    def visit_Lambda(self, node):
        return node is self.scope

    def visit_SimpleStatementLine(self, node):
        self._line = node

    def visit_Assign(self, node: cst.Assign) -> None:
        single = len(node.targets) == 1 and len(self._line.body) == 1
        for target in node.targets:
            if _is_name(target.target, self.name) and single:
                self.assignments.append(self._line)
            elif _mentions(target.target, self.name):
                self.other = True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if _is_name(node.target, self.name):
            if node.value is not None and len(self._line.body) == 1:
                self.assignments.append(self._line)
            else:
                self.other = True

    def _store(self, target) -> None:
        if target is not None and _mentions(target, self.name):
            self.other = True

    def visit_AugAssign(self, node):
        self._store(node.target)

    def visit_For(self, node):
        self._store(node.target)

    def visit_AsName(self, node):
        self._store(node.name)

    def visit_NamedExpr(self, node):
        self._store(node.target)

    def visit_Del(self, node):
        self._store(node.target)

    def visit_ImportAlias(self, node):
        if node.asname is None and _mentions(node.name, self.name):
            self.other = True

    def visit_Global(self, node):
        self.other |= any(n.name.value == self.name for n in node.names)

    def visit_Nonlocal(self, node):
        self.other |= any(n.name.value == self.name for n in node.names)


def _is_name(node, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


class _Mentions(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name, self.found = name, False

    def visit_Name(self, node):
        self.found |= node.value == self.name


def _mentions(node: cst.CSTNode, name: str) -> bool:
    if isinstance(node, (cst.Attribute, cst.Subscript)):
        return False  # `x.attr = ...` does not rebind x
    finder = _Mentions(name)
    look(node, finder)
    return finder.found


def is_param(scope: Scope, name: str) -> bool:
    if not isinstance(scope, (cst.FunctionDef, cst.Lambda)):
        return False
    params = scope.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            every.append(star)
    return any(p.name.value == name for p in every)


def where_bound(scope: Scope, name: str):
    """("assign", statement) or ("param", scope) if `name` is bound once, else None."""
    finder = _Bindings(scope, name)
    look(scope, finder)
    if finder.other:
        return None
    if is_param(scope, name):
        return ("param", scope) if not finder.assignments else None
    if len(finder.assignments) == 1:
        return ("assign", finder.assignments[0])
    return None


def dominates(statement: cst.CSTNode, ancestors: Sequence[cst.CSTNode]) -> bool:
    """True if `statement` runs before the node whose ancestors are given, in an enclosing block."""
    for i, node in enumerate(ancestors[:-1]):
        if not isinstance(node, (cst.Module, cst.IndentedBlock)):
            continue
        body = list(node.body)
        positions = [k for k, s in enumerate(body) if s is statement]
        if positions:
            child = ancestors[i + 1]
            later = [k for k, s in enumerate(body) if s is child]
            return bool(later) and positions[0] < later[0]
    return False


def body_start(block: cst.IndentedBlock) -> int:
    """Index after a docstring, where a statement can be added at the top of a function."""
    body = list(block.body)
    if body and isinstance(body[0], cst.SimpleStatementLine):
        first = body[0].body[0]
        if isinstance(first, cst.Expr) and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString)):
            return 1
    return 0


class ImportOrder:
    """Import statements per scope, in source order (fed by a visitor, statement by statement)."""

    def __init__(self) -> None:
        self.order = {}  # statement -> position
        self.binding = {}  # (scope id, local name) -> statements importing it

    def see(self, statement: cst.SimpleStatementLine, scope: Scope) -> None:
        self.order[statement] = len(self.order)
        for small in statement.body:
            for local in _import_locals(small):
                self.binding.setdefault((id(scope), local), []).append(statement)

    def last(self, scope: Scope, name: str):
        found = self.binding.get((id(scope), name))
        return found[-1] if found else None

    def before(self, first: cst.CSTNode, second: cst.CSTNode) -> bool:
        return self.order.get(first, -1) < self.order.get(second, -1)


def _import_locals(small: cst.BaseSmallStatement):
    if not isinstance(small, (cst.Import, cst.ImportFrom)) or isinstance(small.names, cst.ImportStar):
        return []
    names = []
    for alias in small.names:
        if alias.asname is not None:
            names.append(alias.asname.name.value)
        else:
            names.append(dotted(alias.name).split(".")[0])
    return names


def statements(body, quiet=frozenset()) -> Iterator[cst.CSTNode]:
    """Every statement under `body`, nested ones included, without visiting expressions; not
    those in `quiet` (`Context.quiet`) nor any statement inside them.

    Classes and assignments are statements: walking only statements finds them at a fraction
    of the cost of a full visitor pass.
    """
    for statement in body:
        if id(statement) in quiet:
            continue
        yield statement
        if type(statement) is cst.SimpleStatementLine:
            continue
        for block in _blocks(statement):
            yield from statements(block.body, quiet)


def _blocks(statement) -> Iterator[cst.BaseSuite]:
    for name in ("body", "orelse", "finalbody"):
        part = getattr(statement, name, None)
        if isinstance(part, (cst.Else, cst.Finally)):
            part = part.body
        if isinstance(part, cst.If):  # elif: its body, its own elif/else
            yield from _blocks(part)
        elif isinstance(part, cst.IndentedBlock):
            yield part
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


class ScopeTracker:
    """Mixin for a transformer: `self.scopes` is the stack of enclosing scopes, and
    `assigned_once(name, test)` tells whether `name` is bound in the innermost one by a single
    `name = value` statement that `test(statement)` accepts (answers are cached)."""

    def on_visit(self, node) -> bool:
        if isinstance(node, SCOPES):
            self._scope_stack().append(node)
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):
        if isinstance(original_node, SCOPES):
            self._scope_stack().pop()
        return super().on_leave(original_node, updated_node)

    def _scope_stack(self) -> list:
        if "scopes" not in self.__dict__:
            self.scopes, self._assigned = [], {}
        return self.scopes

    def assigned_once(self, name: str, test) -> bool:
        scope = self._scope_stack()[-1]
        key = (id(scope), name)
        if key not in self._assigned:
            bound = where_bound(scope, name)
            self._assigned[key] = bound is not None and bound[0] == "assign" and test(bound[1])
        return self._assigned[key]


class _SelfStores(cst.CSTVisitor):
    """`self.<attr> = ...` statements of a class, and every `self.<name>` the class mentions."""

    def __init__(self, attr: str) -> None:
        super().__init__()
        self.attr = attr
        self.assignments: List[cst.SimpleStatementLine] = []
        self.other = False
        self.mentioned = set()
        self._line = None

    def visit_SimpleStatementLine(self, node) -> None:
        self._line = node

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if _is_name(node.value, "self"):
            self.mentioned.add(node.attr.value)

    def _is_ours(self, target) -> bool:
        return isinstance(target, cst.Attribute) and _is_name(target.value, "self") \
            and target.attr.value == self.attr

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if self._is_ours(target.target) and len(node.targets) == 1 and len(self._line.body) == 1:
                self.assignments.append(self._line)
            elif not self._is_ours(target.target) and _stores_attr(target.target, self):
                self.other = True

    def visit_AugAssign(self, node) -> None:
        self.other |= self._is_ours(node.target)

    def visit_AnnAssign(self, node) -> None:
        self.other |= self._is_ours(node.target)

    def visit_Del(self, node) -> None:
        self.other |= _stores_attr(node.target, self)


def _stores_attr(target, stores: _SelfStores) -> bool:
    """`self.attr` inside a tuple/list target (`a, self.attr = ...`)."""
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_stores_attr(e.value, stores) for e in target.elements)
    return stores._is_ours(target)


def self_attribute_assigned_once(cls: cst.ClassDef, attr: str):
    """(the one `self.attr = ...` statement, names used on self) or (None, names)."""
    stores = _SelfStores(attr)
    look(cls, stores)
    if stores.other or len(stores.assignments) != 1:
        return None, stores.mentioned
    return stores.assignments[0], stores.mentioned
