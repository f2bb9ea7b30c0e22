"""Shared pieces of the MMC2 rules (mmcls.apis, mmcls.utils).

These rules run before the import renames (MMC1), so the file still imports from mmcls. A rule
finds calls of an mmcls function through the import map (a user's own `train_model` is not
imported from mmcls, so it is left alone), rewrites them, and then fixes the imports with
`fix_imports`: the replaced name leaves its `from mmcls... import` line when nothing uses it any
more, and the new names are imported right after the statement that imported the old one (so an
import inside a function or a `try:` gets its replacement in the same place).
"""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Set, Tuple

import libcst as cst

from codemods.importmap import ImportMap, dotted, relative_module
from codemods.walk import EXPRESSION_PARTS, iter_nodes, look
from codemods.rules._scopes import statements

OLD_PACKAGES = ("mmcls", "mmselfsup")


# What `from mmcls.apis import *` / `from mmcls.utils import *` bind (their __all__ in mmcls 0.25).
STAR_EXPORTS = {
    "mmcls.apis": ("inference_model", "init_model", "show_result_pyplot", "multi_gpu_test",
                   "single_gpu_test", "init_random_seed", "set_random_seed", "train_model"),
    "mmcls.utils": ("collect_env", "auto_select_device", "wrap_distributed_model",
                    "wrap_non_distributed_model", "get_root_logger", "load_json_log",
                    "setup_multi_processes"),
    # mmselfsup 0.11 (only the names these rules replace)
    "mmselfsup.apis": ("init_random_seed", "inference_model", "set_random_seed", "train_model",
                       "init_model"),
    "mmselfsup.utils": ("get_root_logger", "multi_gpu_test", "single_gpu_test",
                        "setup_multi_processes"),
}


def import_map(ctx, module: cst.Module) -> ImportMap:
    """The context's import map, plus the names a star import from mmcls.apis / mmcls.utils binds."""
    imap = ctx.import_map(module)
    stars, defined = {}, set()
    for statement in statements(module.body):
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            defined.add(statement.name.value)  # a def of the same name hides the star import
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            package = _star_package(small)
            stars.update({n: f"{package}.{n}" for n in STAR_EXPORTS.get(package, ())})
    if not stars:
        return imap
    stars = {n: q for n, q in stars.items() if n not in defined}
    return ImportMap({**stars, **imap.names})


def _star_package(small) -> Optional[str]:
    if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar):
        return relative_module(small)
    return None


def _tuple(packages) -> Tuple[str, ...]:
    return (packages,) if isinstance(packages, str) else tuple(packages)


def mmcls_function(imap: ImportMap, func: cst.BaseExpression, packages,
                   names: Iterable[str]) -> Optional[str]:
    """The short name if `func` is `<package>[.submodule].<name>` for one of `names`.

    `packages` is one package (`"mmcls.apis"`) or several.
    """
    if not _name_chain(func):
        return None
    return qualified_function(imap.qualified(func), packages, names)


def qualified_function(qualified: Optional[str], packages, names: Iterable[str]) -> Optional[str]:
    """The short name if the dotted name `qualified` is one of `names` in one of `packages`."""
    if qualified is None or not qualified.startswith(tuple(p + "." for p in _tuple(packages))):
        return None
    short = qualified.rsplit(".", 1)[1]
    return short if short in names else None


def _name_chain(node: cst.BaseExpression) -> bool:
    """`a.b.c` made of names only (`f().b` is not: it is an attribute of a call's result)."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


# Submodules of the packages whose functions the MMC2 rules replace (mmcls 0.25).
SUBMODULES = {
    "mmcls.apis": ("inference", "test", "train"),
    "mmcls.utils": ("collect_env", "device", "distribution", "logger", "setup_env"),
    "mmselfsup.apis": ("inference", "train"),
    "mmselfsup.utils": ("logger", "setup_env", "test_helper"),
}


def may_call(imap: ImportMap, packages, names: Iterable[str]) -> bool:
    """True if one of `packages` may reach one of `names` (see `_may_call`)."""
    return any(_may_call(imap, p, names) for p in _tuple(packages))


def _may_call(imap: ImportMap, package: str, names: Iterable[str]) -> bool:
    """Cheap check: can one of `names` of `package` be reached through the file's imports?

    True for `import mmcls`, `from mmcls import apis`, `from mmcls.apis import train_model`,
    `from mmcls.apis import train`; false when the file only imports other names (init_model).
    """
    parts = package.split(".")
    parents = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    for value in imap.names.values():
        if value in parents:
            return True
        if not value.startswith(package + "."):
            continue
        rest = value[len(package) + 1:].split(".")
        if rest[-1] in names or (len(rest) == 1 and rest[0] in SUBMODULES.get(package, ())):
            return True
    return False


def argument(call: cst.Call, index: int, keyword: str) -> Optional[cst.BaseExpression]:
    """The value passed as positional `index` or as `keyword=`, else None."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[index].value if index < len(positional) else None


def has_star_args(call: cst.Call) -> bool:
    return any(a.star for a in call.args)


def code_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def attribute_targets(node: cst.CSTNode):
    """(name, attribute) of every `name.attribute = ...` (also `+=`, `: T =`) below `node`."""
    for found in iter_nodes(node, layout=False):
        if type(found) in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign):
            target = found.target
            if type(target) is cst.Attribute and type(target.value) is cst.Name:
                yield target.value.value, target.attr.value


def root_name(node: cst.BaseExpression) -> Optional[str]:
    """The local name an expression such as `apis.train_model` starts with."""
    name = dotted(node)
    return name.split(".")[0] if name else None


class _Names(cst.CSTVisitor):
    """Every Name used outside import statements (what still refers to a local name); without
    `targets`, not the names an assignment only binds (`x = None` in an `except ImportError:`
    needs no import of `x`)."""

    def __init__(self, targets: bool = True) -> None:
        self.used: Dict[str, int] = {}
        self.targets = targets

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        if self.targets:
            return True
        self._bound(node.target)
        return False

    def _bound(self, target: cst.BaseExpression) -> None:
        if type(target) in (cst.Tuple, cst.List):
            for element in target.elements:
                self._bound(element.value)
        elif type(target) is not cst.Name:
            look(target, self)  # `x.a = ...`, `x[i] = ...` read x and i

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.used[node.value] = self.used.get(node.value, 0) + 1

    # `x.show` and `f(show=True)` do not refer to a local name `show`.
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        look(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        look(node.value, self)
        return False


class _Marker(cst.CSTVisitor):
    def __init__(self, test, skip: frozenset) -> None:
        super().__init__()
        self.test = test
        self.skip = skip
        self.stack: List[int] = []
        self.ids: Set[int] = set()

    def on_visit(self, node) -> bool:
        self.stack.append(id(node))
        if self.test(node):
            self.ids.update(self.stack)
        return True

    def on_leave(self, node) -> None:
        self.stack.pop()


def marked(root: cst.CSTNode, test, skip: frozenset = frozenset(), quiet=frozenset()) -> Set[int]:
    """ids of the nodes for which `test` holds and of all their ancestors (for `visit_only`).

    Nodes of the classes in `skip` are not tested nor entered: `LEAVES` when the test only
    holds for larger nodes, `EXPRESSION_PARTS` when it only holds for statements. Nor are the
    statements in `quiet` (`Context.quiet`), whose text shows the test cannot hold inside.
    """
    marker = _Marker(test, skip)
    look(root, marker, quiet)
    return marker.ids


def calls_quiet(ctx, imap: ImportMap, packages):
    """`Context.quiet` for a search of calls of functions of `packages` (`mmcls_function`)."""
    return ctx.quiet(package_names(imap, packages))


def package_names(imap: ImportMap, packages) -> Set[str]:
    """The local names a call of a function of `packages` starts with: those the imports bind to
    the package, a parent or a member of it (a member may be a module, whose attribute is the
    function)."""
    words = set()
    for local, target in imap.names.items():
        for package in _tuple(packages):
            if target == package or package.startswith(target + ".") or target.startswith(package + "."):
                words.add(local)
    return words


def visit_only(root: cst.CSTNode, transformer: cst.CSTTransformer, ids: Set[int]):
    """`root.visit(transformer)`, entering only the nodes in `ids` (see `marked`).

    A visit rebuilds every node it enters; the nodes outside `ids` hold nothing the transformer
    changes, so they stay as they are (the transformer still sees them, not their children).
    With nothing marked, `root` itself comes back.
    """
    on_visit = transformer.on_visit
    transformer.on_visit = lambda node: on_visit(node) and id(node) in ids
    return root.visit(transformer)


def is_import_line(node) -> bool:
    return type(node) is cst.SimpleStatementLine and any(
        type(s) in (cst.Import, cst.ImportFrom) for s in node.body)


def used_names(module: cst.Module, targets: bool = True, quiet=frozenset()) -> Dict[str, int]:
    """How often each name is used; not counting inside the statements in `quiet`
    (`Context.quiet`), so only for the names that made it."""
    visitor = _Names(targets)
    look(module, visitor, quiet)
    return visitor.used


def unique_name(base: str, taken: Set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def import_line(module: str, name: str, asname: Optional[str] = None) -> cst.SimpleStatementLine:
    alias = f" as {asname}" if asname and asname != name else ""
    return cst.parse_statement(f"from {module} import {name}{alias}\n")


class _ImportFixer(cst.CSTTransformer):
    """Edit the `from mmcls... import` lines of replaced names; add the new imports.

    `drop`: local names to remove from `from mmcls... import` lines.
    `moved`: local name -> (module, name): the alias moves to `from module import name [as local]`.
    `after`: local name -> [(module, name)] to import right after the statement binding it.
    """

    def __init__(self, drop, moved, after) -> None:
        super().__init__()
        self.drop = drop
        self.moved = moved
        self.after = after
        self.added: List[set] = [set()]  # per scope: one new import is enough

    def visit_FunctionDef(self, node) -> None:
        self.added.append(set())

    def leave_FunctionDef(self, original, updated):
        self.added.pop()
        return updated

    def visit_ClassDef(self, node) -> None:
        self.added.append(set())

    def leave_ClassDef(self, original, updated):
        self.added.pop()
        return updated

    def visit_SimpleStatementLine(self, node) -> bool:
        return False  # imports are edited whole: no need to walk the expressions

    def leave_SimpleStatementLine(self, original, updated):
        if not any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in updated.body):
            return updated
        body, extra, changed = [], [], False
        for small in updated.body:
            edited, bound, moved = self._edit(small)
            changed |= edited is not small
            if edited is not None:
                body.append(edited)
            extra.extend(moved)
            for local in bound:
                for module, name in self.after.get(local, []):
                    if (module, name) not in self.added[-1]:
                        self.added[-1].add((module, name))
                        extra.append((module, name, None))
        if not changed and not extra:
            return updated
        new = [import_line(*item) for item in extra]
        if body:
            body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            new.insert(0, updated.with_changes(body=body))
        elif new:
            new[0] = new[0].with_changes(leading_lines=updated.leading_lines)
        if not new:
            return cst.RemoveFromParent()
        return cst.FlattenSentinel(new)

    def _edit(self, small: cst.BaseSmallStatement):
        """(statement or None if emptied, local names it binds, moved imports)."""
        if isinstance(small, cst.Import):
            return small, [_local(a) for a in small.names], []
        if _star_package(small) in STAR_EXPORTS:
            return small, list(STAR_EXPORTS[_star_package(small)]), []
        if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
            return small, [], []
        bound = [_local(a) for a in small.names]
        if not relative_module(small).startswith(OLD_PACKAGES):
            return small, bound, []
        moved = [(*self.moved[n], n) for n in bound if n in self.moved]
        kept = [a for a in small.names if _local(a) not in self.drop and _local(a) not in self.moved]
        if len(kept) == len(small.names):
            return small, bound, moved
        if not kept:
            return None, bound, moved
        if len(kept) == 1:  # `from m import (a)`: no parentheses for a single name
            alias = kept[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return small.with_changes(names=[alias], lpar=None, rpar=None), bound, moved
        if kept[-1] is not small.names[-1]:
            kept[-1] = kept[-1].with_changes(comma=small.names[-1].comma)
        return small.with_changes(names=kept), bound, moved

    def leave_IndentedBlock(self, original, updated):
        # Removing the only import of a `try:` body must leave valid code.
        if not updated.body:
            return updated.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated


def _local(alias: cst.ImportAlias) -> str:
    if alias.asname is not None:
        return dotted(alias.asname.name)
    return dotted(alias.name).split(".")[0]


def fix_imports(module: cst.Module, imap: ImportMap, replaced: Set[str],
                after: Dict[str, List[Tuple[str, str]]],
                moved: Optional[Dict[str, Tuple[str, str]]] = None, *, ctx) -> cst.Module:
    """Remove `replaced` local names that nothing uses any more, add the `after` imports.

    `imap` is the import map from before the rule's rewrite (which changes calls, not imports).
    Imports already present (same local name bound to the same target) are not added twice.
    The statements the rule left alone are searched only where their text spells one of
    `replaced` (`ctx.quiet`).
    """
    quiet = ctx.quiet(set(replaced)) if replaced else frozenset()
    used = used_names(module, targets=False, quiet=quiet)
    drop = {name for name in replaced if name not in used}
    wanted = {}
    for anchor, items in after.items():
        fresh = [(m, n) for m, n in items if imap.names.get(n) != f"{m}.{n}"]
        if fresh:
            wanted[anchor] = fresh
    if not drop and not wanted and not moved:
        return module
    fixer = _ImportFixer(drop, moved or {}, wanted)
    return visit_only(module, fixer, marked(module, is_import_line, EXPRESSION_PARTS))


def names_in(module: cst.Module, imap: ImportMap) -> Set[str]:
    """Every identifier of the file (to choose a new variable name that clashes with none)."""
    return set(used_names(module)) | set(imap.names)


def statement_call(line: cst.SimpleStatementLine):
    """(call, assign targets or None) if the line is `f(...)` or `x = f(...)`, else (None, None)."""
    if len(line.body) != 1:
        return None, None
    small = line.body[0]
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        return small.value, None
    if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call):
        return small.value, small.targets
    return None, None


def parse_lines(code: str, like: cst.SimpleStatementLine) -> List[cst.SimpleStatementLine]:
    """Parse `code` into statement lines; the first keeps the comments above `like`."""
    body = list(cst.parse_module(code).body)
    body[0] = body[0].with_changes(leading_lines=like.leading_lines)
    return body
