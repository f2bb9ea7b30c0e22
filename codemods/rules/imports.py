"""MMC101: imports of mmcls / mmselfsup / mmcv 1.x -> MMPretrain 1.2, MMEngine, MMCV 2.x.

One pass over the file, driven by the table in `codemods.data.modules`:
- module renames (`mmcls.core.hook` -> `mmpretrain.engine.hooks`) in every import form;
- names that moved (`Resize` -> `mmcv.transforms`, `ClsDataSample` -> `mmpretrain.structures.DataSample`,
  `HEADS` -> `mmpretrain.registry.MODELS`, `mmcv.Config` -> `mmengine.config.Config`), with their usages
  renamed (`@HEADS.register_module()` -> `@MODELS.register_module()`);
- builders (`build_classifier(cfg)` -> `MODELS.build(cfg)`);
- `import mmcls` followed by attribute chains (`mmcls.apis.init_model(...)`);
- relative imports inside an mmcls/mmselfsup fork (`from ..builder import HEADS`), resolved from the
  file's path; only names with a table row are rewritten there (the fork's own modules stay);
- what has no counterpart keeps its import, with a `# TODO(mmcodemod): MMC101 ...` above it.

Imports are split per target module, merged where one name replaces several (HEADS, NECKS ->
MODELS), and never duplicated within a block; lines that rules wrote for one module are merged
when only other import lines stand between them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from codemods.data import modules as table
from codemods.data.modules import Move, Removed
from codemods.importmap import FORK_PACKAGES, absolute, fork_package, dotted
from codemods.rule import CODE, Context, Rule
from codemods.rules import _calls
from codemods.rules._scopes import statements
from codemods.todo import TodoTransformer, add_todo, without_header_duplicates  # noqa: F401
from codemods.walk import child_nodes

RULE_ID = "MMC101"
MAX_LINE = 99


def _fork_words():
    import re

    names = set()
    for prefix in FORK_PACKAGES:
        names.update(table.NAMES.get(prefix, {}))
    return re.compile(r"\b(?:%s)\b" % "|".join(sorted(names)))


_FORK_WORDS = _fork_words()


# --------------------------------------------------------------------------- small CST helpers


def _name_node(text: str) -> cst.BaseExpression:
    """`a.b.c` as a Name/Attribute chain."""
    parts = text.split(".")
    node: cst.BaseExpression = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _module_node(text: str) -> Union[cst.Name, cst.Attribute]:
    return _name_node(text)  # type: ignore[return-value]


def _import_from(module: str, names: Sequence[Tuple[str, Optional[str]]], wrap: bool) -> cst.ImportFrom:
    aliases = [
        cst.ImportAlias(name=cst.Name(n), asname=cst.AsName(name=cst.Name(a)) if a and a != n else None)
        for n, a in names
    ]
    text = f"from {module} import " + ", ".join(f"{n} as {a}" if a and a != n else n for n, a in names)
    if (wrap or len(text) > MAX_LINE) and len(aliases) > 1:
        indent = cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(), indent=True,
            last_line=cst.SimpleWhitespace("    "),
        )
        last = cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), indent=True,
                                           last_line=cst.SimpleWhitespace(""))
        aliases = [a.with_changes(comma=cst.Comma(whitespace_after=indent)) for a in aliases[:-1]] + [
            aliases[-1].with_changes(comma=cst.Comma(whitespace_after=last))
        ]
        return cst.ImportFrom(
            module=_module_node(module), names=aliases,
            lpar=cst.LeftParen(whitespace_after=indent), rpar=cst.RightParen(),
        )
    return cst.ImportFrom(module=_module_node(module), names=aliases)


def _import(module: str, asname: Optional[str] = None) -> cst.Import:
    return cst.Import(
        names=[cst.ImportAlias(name=_module_node(module), asname=cst.AsName(name=cst.Name(asname)) if asname else None)]
    )


def _import_bindings(stmt) -> Optional[Set[str]]:
    """The names an import line binds; None for any other statement and for a star import."""
    if type(stmt) is not cst.SimpleStatementLine:
        return None
    names: Set[str] = set()
    for small in stmt.body:
        aliases = getattr(small, "names", None)
        if type(small) not in (cst.Import, cst.ImportFrom) or isinstance(aliases, cst.ImportStar):
            return None
        names.update(_alias_local(alias) for alias in aliases)
    return names


def _alias_local(alias: cst.ImportAlias) -> str:
    if alias.asname is not None:
        return dotted(alias.asname.name)  # type: ignore[arg-type]
    return dotted(alias.name).split(".")[0]  # type: ignore[union-attr]


# --------------------------------------------------------------------------- plan


@dataclass
class NameBinding:
    """`from M import N [as A]` of a name (not a module)."""

    local: str
    module: str  # absolute old module
    name: str
    res: Union[Move, Removed]
    asname: Optional[str]
    new_local: Optional[str] = None  # local name after the rewrite
    usage: Optional[cst.BaseExpression] = None  # replacement for usages (None: unchanged)
    node_id: int = 0  # id() of the ImportFrom that binds it


@dataclass
class ModuleBinding:
    """`import M`, `import M as A`, or `from P import M` where M is a module."""

    local: str
    base: str  # old qualified name of `local`
    stmt_module: str  # what the statement imports
    res: Optional[Union[Move, Removed]]  # resolve_module(stmt_module)
    style: str  # "import", "alias" or "from"
    old_used: bool = False  # some usage could not be rewritten: the old import stays
    new_used: bool = False  # the renamed import is needed
    has_chains: bool = False
    node_id: int = 0


class _Collector:
    """Every import that binds something from a source package, and the names the file defines."""

    def __init__(self, fork: Optional[List[str]]) -> None:
        self.fork = fork
        self.names: Dict[str, List[Union[NameBinding, ModuleBinding]]] = {}
        self.other: Dict[str, Set[str]] = {}  # local -> qualified names bound by untouched imports
        self.defined: Set[str] = set()
        self.stars = False  # `from mmcls.models import *`
        self._node = 0  # id() of the import statement being read

    def _add(self, binding) -> None:
        binding.node_id = self._node
        self.names.setdefault(binding.local, []).append(binding)

    def visit_Import(self, node: cst.Import) -> bool:
        self._node = id(node)
        for alias in node.names:
            module = dotted(alias.name)
            res = table.resolve_module(module) if module else None
            if res is None and not (module and table.source_root(module) == "mmcv"):
                local = _alias_local(alias)
                self.other.setdefault(local, set()).add(module if alias.asname else local)
                continue
            if alias.asname is not None:
                self._add(ModuleBinding(_alias_local(alias), module, module, res, "alias"))
            else:
                root = module.split(".")[0]
                self._add(ModuleBinding(root, root, module, res, "import"))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self._node = id(node)
        if isinstance(node.names, cst.ImportStar):
            module = dotted(node.module) if node.module is not None else None
            if not node.relative and module and table.resolve_module(module) is not None:
                self.stars = True
            return False
        module = dotted(node.module) if node.module is not None else None
        relative = bool(node.relative)
        if relative:
            if self.fork is None:
                self._other(node, module)
                return False
            module = absolute(self.fork, len(node.relative), module)
            if module is None:
                return False
        if module is None or table.source_root(module) is None:
            self._other(node, module)
            return False
        for alias in node.names:
            name = dotted(alias.name)
            local = _alias_local(alias)
            asname = dotted(alias.asname.name) if alias.asname is not None else None
            if relative:
                res = table.name_row(module, name)
                if res is not None:
                    self._add(NameBinding(local, module, name, res, asname))
                continue
            qualified = f"{module}.{name}"
            if _imports_module(module, name):
                res_m = table.resolve_module(qualified)
                if res_m is not None or table.source_root(qualified) == "mmcv":
                    self._add(ModuleBinding(local, qualified, qualified, res_m, "from"))
                else:
                    self.other.setdefault(local, set()).add(qualified)
                continue
            res = table.resolve_name(module, name)
            if res is None:
                self.other.setdefault(local, set()).add(qualified)
            else:
                self._add(NameBinding(local, module, name, res, asname))
        return False

    def _other(self, node: cst.ImportFrom, module: Optional[str]) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        prefix = "." * len(node.relative) + (module or "")
        for alias in node.names:
            self.other.setdefault(_alias_local(alias), set()).add(f"{prefix}.{dotted(alias.name)}")

    def walk(self, body: Sequence[cst.CSTNode]) -> None:
        """Visit the statements only (imports sit in statement lists; expressions are skipped,
        which keeps this pass a small fraction of a full tree walk)."""
        for stmt in body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Import):
                        self.visit_Import(small)
                    elif isinstance(small, cst.ImportFrom):
                        self.visit_ImportFrom(small)
                    elif isinstance(small, cst.Assign):
                        self.defined.update(t.target.value for t in small.targets if isinstance(t.target, cst.Name))
                    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        self.defined.add(small.target.value)
            elif isinstance(stmt, cst.BaseCompoundStatement):
                if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                    self.defined.add(stmt.name.value)
                for block in _blocks(stmt):
                    self.walk(block)


def _blocks(stmt: cst.CSTNode) -> List[Sequence[cst.CSTNode]]:
    """The statement lists inside a compound statement (not one-line suites: `try: import x`)."""
    blocks = []
    for part in (stmt, getattr(stmt, "orelse", None), getattr(stmt, "finalbody", None),
                 *getattr(stmt, "handlers", ()), *getattr(stmt, "cases", ())):
        if part is None:
            continue
        if isinstance(part, cst.If) and part is not stmt:  # elif: its own body and orelse
            blocks.extend(_blocks(part))
            continue
        body = getattr(part, "body", None)
        if isinstance(body, cst.IndentedBlock):
            blocks.append(body.body)
    return blocks


def _imports_module(module: str, name: str) -> bool:
    """Does `from module import name` (0.x) give a module? Not when the package defines a name
    that shadows its submodule (`mmcls.utils.collect_env` is a function and a module)."""
    if table.name_row(module, name) is not None or not _is_module(f"{module}.{name}"):
        return False
    new = table.rename_module(module)
    for parent in (new, module if table.source_root(module) == "mmcv" else None):
        if parent and name in table.target_names(parent) and not _is_module_binding_name(parent, name):
            return False
    return True


def _is_module_binding_name(parent: str, name: str) -> bool:
    """`name` is bound in `parent` only because the submodule was imported (`from . import x`),
    not by a function or class of that name (`from .collect_env import collect_env`)."""
    submodule = f"{parent}.{name}"
    return table.is_target_module(submodule) and name not in table.target_names(submodule)


def _is_module(qualified: str) -> bool:
    """Is `qualified` (a 0.x dotted name) a module rather than a name in a module?"""
    last = qualified.rsplit(".", 1)[-1]
    if last != last.lower():  # ResNet, HEADS: names, not modules
        return False
    if qualified in table.MODULES or qualified in table.REMOVED_MODULES:
        return True
    new = table.rename_module(qualified)
    if new is not None and table.is_target_module(new):
        return True
    return table.source_root(qualified) == "mmcv" and table.is_target_module(qualified)


_OPAQUE = {cst.Import, cst.ImportFrom, cst.SimpleString, cst.ConcatenatedString}


def _mentions(node: cst.CSTNode, names: Set[str]) -> bool:
    """Does `node` contain a Name whose value is in `names`?"""
    stack = [node]
    name_type = cst.Name
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is name_type:
            if current.value in names:
                return True
            continue
        if kind in _OPAQUE:
            continue
        stack.extend(child_nodes(current, layout=False))
    return False


def paths_to(module: cst.Module, predicate) -> Set[int]:
    """ids of the nodes on the way from `module` to every node for which `predicate` is true
    (a transformer that descends only into those visits a handful of nodes)."""
    found: Set[int] = set()
    stack: List[Tuple[cst.CSTNode, Tuple[int, ...]]] = [(module, ())]
    while stack:
        current, path = stack.pop()
        if predicate(current):
            found.update(path)
            found.add(id(current))
            continue
        inner = path + (id(current),)
        stack.extend((child, inner) for child in child_nodes(current, layout=False))
    return found


def _scan_chains(module: cst.Module, roots: Set[str], quiet: FrozenSet[int]) -> Dict[str, None]:
    """Every Name/Attribute chain rooted at a module binding's local name, in order of first use
    (imports for rewritten chains are added in that order). `quiet`: statements that name no root."""
    chains: Dict[str, None] = {}
    stack: List[cst.CSTNode] = [module]
    while stack:
        current = stack.pop()
        if id(current) in quiet:
            continue
        kind = type(current)
        if kind is cst.Name:
            if current.value in roots:
                chains.setdefault(current.value)
            continue
        if kind is cst.Attribute:
            text = dotted(current)
            if text is not None:
                if text.split(".", 1)[0] in roots:
                    chains.setdefault(text)
                continue  # a plain chain rooted elsewhere: nothing inside
        if kind in _OPAQUE:
            continue
        stack.extend(reversed(list(child_nodes(current, layout=False))))
    return chains


def _containers_to(module: cst.Module, watch: Set[str], quiet: FrozenSet[int]) -> Tuple[Set[int], Set[int]]:
    """ids of the containers (`_Rewrite._CONTAINERS`) that hold an import line or, outside
    containers, a node that mentions a name of `watch`: the ones `_Rewrite` must enter; and the
    ids of those mentioning nodes (what `_Rewrite` would find again with `_mentions`). `quiet`:
    statements whose text holds no import and no watched name."""
    found: Set[int] = set()
    mentioning: Set[int] = set()
    stack: List[Tuple[cst.CSTNode, Tuple[int, ...]]] = [(module, ())]
    while stack:
        current, path = stack.pop()
        if id(current) in quiet:
            continue
        if type(current) in _Rewrite._CONTAINERS:
            inner = path + (id(current),)
            stack.extend((child, inner) for child in child_nodes(current, layout=False))
        elif watch and _mentions(current, watch):
            mentioning.add(id(current))
            found.update(path)
        elif _calls.is_import_line(current):
            found.update(path)
    return found, mentioning


def _unused_removed(module: cst.Module, collector: _Collector, ctx: Context) -> Set[str]:
    """Local names bound only to removed APIs that nothing in the file uses: their imports go.
    Not in an `__init__.py` nor with an `__all__`, where an import may be what a package exports."""
    removed = {local for local, bindings in collector.names.items()
               if all(isinstance(b, NameBinding) and isinstance(b.res, Removed) for b in bindings)}
    path = ctx.path
    if not removed or (path is not None and PurePath(path).name == "__init__.py") or _has_all(module):
        return set()
    used = _calls.used_names(module, targets=False, quiet=ctx.quiet(removed))
    return {name for name in removed if name not in used or all(
        _shadowed(module, name, b.node_id, ctx.quiet((name,))) for b in collector.names[name])}


def _shadowed(module: cst.Module, name: str, node_id: int, quiet: FrozenSet[int] = frozenset()) -> bool:
    """Is the top-level import `node_id` of `name` bound again by a later top-level import before
    any use (`from mmcls.apis import inference_model` then `from .infer import inference_model`)?
    `quiet`: statements whose text does not spell `name` (they can neither bind nor use it)."""
    found = False
    for stmt in module.body:
        if not found:
            found = type(stmt) is cst.SimpleStatementLine and any(id(s) == node_id for s in stmt.body)
            continue
        if id(stmt) in quiet:
            continue
        if _calls.is_import_line(stmt) and name in _imported_names(stmt):
            return True
        if _mentions(stmt, {name}):
            return False
    return False


def _imported_names(stmt: cst.SimpleStatementLine) -> Set[str]:
    names = set()
    for small in stmt.body:
        aliases = getattr(small, "names", ())
        if not isinstance(aliases, cst.ImportStar):
            names.update(_alias_local(alias) for alias in aliases)
    return names


def _has_all(module: cst.Module) -> bool:
    for stmt in module.body:
        for small in getattr(stmt, "body", ()) if isinstance(stmt, cst.SimpleStatementLine) else ():
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else \
                [small.target] if isinstance(small, (cst.AugAssign, cst.AnnAssign)) else []
            if any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets):
                return True
    return False


# --------------------------------------------------------------------------- the transformer


class _Rewrite(TodoTransformer):
    rule_id = RULE_ID

    def __init__(self, collector: _Collector, chains: Dict[str, None]) -> None:
        super().__init__()
        self.c = collector
        self.count = 0
        self.names: Dict[str, NameBinding] = {}
        self.modules: Dict[str, ModuleBinding] = {}
        self.ambiguous: Set[str] = set()
        self.skip: Set[int] = set()  # ids of Name nodes that are not references
        self.classes: List[cst.ClassDef] = []  # the classes around the node being visited
        self.gone: Dict[int, cst.SimpleStatementLine] = {}  # stand-ins of removed import lines
        self.chain_new: Dict[str, Tuple[str, object]] = {}
        # per block (module, function body, ...): import keys present, and those this rule wrote
        self.blocks: List[Tuple[Set[tuple], Set[tuple]]] = [(set(), set())]
        self.written: Set[int] = set()  # ids of the import lines this rule wrote
        self.original: Optional[cst.Module] = None  # the file as read, if known (`_ours`)
        self._original_imports: Optional[Set[int]] = None
        self.unused: Set[str] = set()  # names of removed APIs that nothing in the file uses
        self._plan(chains)

    # ---- planning
    def _bound_elsewhere(self, name: str, qualified: str) -> bool:
        """Is `name` bound in the file to something other than `qualified`?"""
        if name in self.c.defined:
            return True
        for q in self.c.other.get(name, ()):
            if q != qualified:
                return True
        for binding in self.c.names.get(name, ()):
            if isinstance(binding, NameBinding) and isinstance(binding.res, Move):
                if binding.res.qualified == qualified and (binding.asname in (None, name)):
                    continue
            return True
        return False

    def _plan(self, chains: Dict[str, None]) -> None:
        for local, bindings in self.c.names.items():
            kinds = {(type(b), b.base if isinstance(b, ModuleBinding) else (b.module, b.name)) for b in bindings}
            if len(kinds) > 1:
                self.ambiguous.add(local)
                continue
            first = bindings[0]
            if isinstance(first, NameBinding):
                self._plan_name(local, bindings)
            else:
                for b in bindings:
                    self.modules.setdefault(local, b)
        for chain in chains:
            root = chain.split(".", 1)[0]
            binding = self.modules.get(root)
            if binding is not None:
                self.chain_new[chain] = self._plan_chain(binding, chain)
        # a module binding is used under its old name when some chain could not be rewritten
        for local, binding in self.modules.items():
            mine = [ch for ch in self.chain_new if ch.split(".", 1)[0] == local]
            kinds = [self.chain_new[ch][0] for ch in mine]
            binding.has_chains = bool(kinds)
            binding.old_used = any(k in ("keep", "todo") for k in kinds)
            if binding.old_used and binding.style != "import":
                # `api` cannot name both modules: write the migrated chains in full instead
                for ch in mine:
                    kind, data = self.chain_new[ch]
                    if kind == "base":
                        self.chain_new[ch] = ("import", (data[1], data[2]))
                kinds = [self.chain_new[ch][0] for ch in mine]
            binding.new_used = any(k == "base" for k in kinds) or (not kinds and isinstance(binding.res, Move))

    def _plan_name(self, local: str, bindings: List[NameBinding]) -> None:
        b = bindings[0]
        if isinstance(b.res, Removed):
            return
        move = b.res
        # the old name is bound by something else too (`except ImportError: from x import it`,
        # a def): leave its usages alone
        shadowed = local in self.c.other or local in self.c.defined
        if move.expr is not None and shadowed:
            for binding in bindings:
                binding.res = Removed(
                    f"{b.name} -> {move.module}.{move.expr}: `{local}` is also bound by another import or "
                    "definition here; replace its calls by hand"
                )
            return
        if move.expr is not None:
            root = move.expr.split(".")[0]
            if self._bound_elsewhere(root, f"{move.module}.{root}"):
                for binding in bindings:
                    binding.res = Removed(
                        f"{b.name} -> {move.module}.{move.expr}: `{root}` is already bound to something else here"
                    )
                return
            for binding in bindings:
                binding.new_local = root
                binding.usage = _name_node(move.expr)
            self.names[local] = b
            return
        if (b.asname is not None and b.asname != b.name) or shadowed:
            new_local = local  # keep the user's alias (or the name other code binds too)
        else:
            new_local = move.name
            if new_local != local and self._bound_elsewhere(new_local, move.qualified):
                new_local = local  # import it under the old name: `from x import NEW as OLD`
        for binding in bindings:
            binding.new_local = new_local
            binding.usage = cst.Name(new_local) if new_local != local else None
        self.names[local] = b

    def _plan_chain(self, binding: ModuleBinding, chain: str) -> Tuple[str, object]:
        """(kind, data): "keep" (still valid, old name), "todo" (message), "base" (new text),
        "from" ((module, name, usage text))."""
        rest = chain.split(".")[1:]
        parts = binding.base.split(".") + rest
        k = len(binding.base.split("."))
        res = None
        split = None
        for j in range(len(parts) - 1, k - 1, -1):
            module, name = ".".join(parts[:j]), parts[j]
            if table.name_row(module, name) is not None or _is_module(module):
                if _imports_module(module, name):
                    continue
                res = table.resolve_name(module, name)
                split = j
                break
        if split is None:
            res_m = table.resolve_module(".".join(parts))
            if res_m is None:
                return ("keep", None)
            if isinstance(res_m, Removed):
                return ("todo", res_m.message)
            new_q = res_m.module
            tail: List[str] = []
        else:
            if res is None:
                return ("keep", None)
            if isinstance(res, Removed):
                return ("todo", res.message)
            new_q = res.module
            tail = [res.expr or res.name] + parts[split + 1:]
        new_full = ".".join([new_q] + tail)
        # written through the binding itself, unless the name moved to another module (a table
        # row: `mmcls.datasets.build_dataset` is `DATASETS.build` from mmpretrain.registry)
        moved = split is not None and table.name_row(".".join(parts[:split]), parts[split]) is not None
        if isinstance(binding.res, Move) and not moved:
            if binding.style == "import":
                if new_full.split(".")[0] == binding.res.module.split(".")[0]:
                    return ("base", (new_full, new_q, new_full))
            else:
                base = binding.res.module
                if new_full == base or new_full.startswith(base + "."):
                    return ("base", (self._local_for(binding) + new_full[len(base):], new_q, new_full))
        if split is not None:
            name = res.name  # type: ignore[union-attr]
            usage = ".".join([res.expr or name] + parts[split + 1:])  # type: ignore[union-attr]
            if not self._bound_elsewhere(name, f"{res.module}.{name}"):  # type: ignore[union-attr]
                return ("from", (res.module, name, usage))  # type: ignore[union-attr]
        return ("import", (new_q, new_full))

    def _local_for(self, binding: ModuleBinding) -> str:
        if binding.style == "from" and isinstance(binding.res, Move):
            new_last = binding.res.module.rsplit(".", 1)[-1]
            if new_last != binding.local and not self._bound_elsewhere(new_last, binding.res.module):
                return new_last
        return binding.local

    def leave_Module(self, original_node, updated_node):
        return without_header_duplicates(self._merged(updated_node))

    # ---- walk statement lists, and only the statements that mention a watched name
    _CONTAINERS = frozenset((
        cst.Module, cst.IndentedBlock, cst.FunctionDef, cst.ClassDef, cst.If, cst.Else, cst.Try,
        cst.ExceptHandler, cst.Finally, cst.With, cst.For, cst.While,
        *(getattr(cst, n) for n in ("TryStar", "ExceptStarHandler", "Match", "MatchCase") if hasattr(cst, n)),
    ))

    watch: Set[str] = set()  # names whose usages may change
    wanted: Set[int] = set()  # ids of the containers on the way to imports and watched names
    mentioning: Set[int] = set()  # ids of the nodes (outside containers) that mention one
    _inside = 0  # > 0 within a node known to mention a watched name

    def on_visit(self, node: cst.CSTNode) -> bool:
        descend = super().on_visit(node)
        if self._inside:
            self._inside += 1
            return descend
        if type(node) in self._CONTAINERS:
            # a block with no import and no watched name has nothing to change: not rebuilt
            return descend and id(node) in self.wanted
        if id(node) in self.mentioning:
            self._inside = 1
            return descend
        return False

    def on_leave(self, original_node, updated_node):
        if self._inside:
            self._inside -= 1
        return super().on_leave(original_node, updated_node)

    # ---- scopes for de-duplication
    def visit_IndentedBlock(self, node) -> None:
        self.blocks.append((set(), set()))

    def leave_IndentedBlock(self, original_node, updated_node):
        self.blocks.pop()
        return self._merged(updated_node)

    def _gone(self, stmt):
        """A removed import line; its blank lines and comments go to the next statement (`_merged`)."""
        comment = stmt.trailing_whitespace.comment
        lines = [*stmt.leading_lines, *([cst.EmptyLine(comment=comment)] if comment else [])]
        if not lines:
            return cst.RemovalSentinel.REMOVE
        gone = cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=lines)
        self.gone[id(gone)] = gone  # kept alive: the id stays its own
        return gone

    def _without_gone(self, node):
        body, carried = [], []
        for stmt in node.body:
            if id(stmt) in self.gone:
                carried += stmt.leading_lines
                continue
            if carried:
                if all(line.comment is None for line in carried) and stmt.leading_lines:
                    carried = []  # blank lines only, and it has its own
                stmt = stmt.with_changes(leading_lines=[*carried, *stmt.leading_lines])
                carried = []
            body.append(stmt)
        comments = [line for line in carried if line.comment is not None]
        return node.with_changes(body=body, footer=[*comments, *node.footer])

    def _merged(self, node):
        """Merge `from X import a` / `from X import b` lines when a rule wrote one of them:
        adjacent lines, and lines with only other import lines between (see `_merge_target`)."""
        if any(id(stmt) in self.gone for stmt in node.body):
            node = self._without_gone(node)
        out: List[cst.CSTNode] = []
        merged = False
        for stmt in node.body:
            key = self._single_from(stmt)
            at = self._merge_target(out, stmt, key) if key is not None else None
            if at is None:
                out.append(stmt)
                continue
            prev = out[at]
            names = [(dotted(a.name), dotted(a.asname.name) if a.asname else None)
                     for a in [*prev.body[0].names, *stmt.body[0].names]]
            names = list(dict.fromkeys(names))
            ending = stmt.trailing_whitespace if at == len(out) - 1 else prev.trailing_whitespace
            line = prev.with_changes(body=[_import_from(key, names, False)], trailing_whitespace=ending)
            self.written.add(id(line))
            out[at] = line
            merged = True
        return node.with_changes(body=out) if merged else node

    def _merge_target(self, out: List[cst.CSTNode], stmt, key: str) -> Optional[int]:
        """The index in `out` of the `from key import ...` line that `stmt` can join: the line
        just before it, or one further up with only import lines between (the names then move up
        past imports only: never past code, nor past an import that binds one of them, nor over
        blank lines or comments of `stmt`'s own)."""
        if not self._plain(stmt) or any(line.comment for line in stmt.leading_lines):
            return None
        moving = {_alias_local(alias) for alias in stmt.body[0].names}
        for at in range(len(out) - 1, -1, -1):
            prev = out[at]
            if self._single_from(prev) == key and self._plain(prev) \
                    and (self._ours(prev) or self._ours(stmt)):
                return at if at == len(out) - 1 or not stmt.leading_lines else None
            bound = _import_bindings(prev)
            if bound is None or bound & moving:
                return None
        return None

    def _ours(self, stmt) -> bool:
        """Did a rule write this line (this one, or an earlier one: not an import line of the
        file as it was read)? A user's own import lines are never merged with each other."""
        if id(stmt) in self.written:
            return True
        if self.original is None:
            return False
        if self._original_imports is None:  # asked only when two lines of one module meet
            self._original_imports = {id(s) for s in statements(self.original.body) if _calls.is_import_line(s)}
        return id(stmt) not in self._original_imports

    def _plain(self, stmt) -> bool:
        """A one-line import without a comment of its own (a line this rule wrote always is)."""
        if id(stmt) in self.written:
            return True
        imp = stmt.body[0]
        return imp.lpar is None and stmt.trailing_whitespace.comment is None

    @staticmethod
    def _single_from(stmt) -> Optional[str]:
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            imp = stmt.body[0]
            if isinstance(imp, cst.ImportFrom) and not imp.relative and not isinstance(imp.names, cst.ImportStar):
                return dotted(imp.module) if imp.module is not None else None
        return None

    # ---- names that are not references
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        text = dotted(node)
        if text is not None and text in self.chain_new:
            return False
        self.skip.add(id(node.attr))
        return True

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.skip.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.skip.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.skip.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.skip.add(id(node.name))
        self.classes.append(node)

    def leave_ClassDef(self, original_node, updated_node):
        self.classes.pop()
        return updated_node

    def leave_Call(self, original_node, updated_node):
        """`super(BaseHead, self)` in a class based on BaseHead skipped BaseHead's own method;
        with BaseModule for a base, `super(BaseModule, self)` would skip BaseModule's too. The
        class's own name skips exactly the new base, as the old call did."""
        func, args = original_node.func, original_node.args
        if not (type(func) is cst.Name and func.value == "super" and args and self.classes):
            return updated_node
        old, new = args[0].value, updated_node.args[0].value
        if type(old) is not cst.Name or (type(new) is cst.Name and new.value == old.value):
            return updated_node  # not a name this rule renamed
        cls = self.classes[-1]
        if not any(type(b.value) is cst.Name and b.value.value == old.value for b in cls.bases):
            return updated_node
        first = updated_node.args[0].with_changes(value=cst.Name(cls.name.value))
        return updated_node.with_changes(args=[first, *updated_node.args[1:]])

    def visit_Import(self, node) -> bool:
        return False

    def visit_ImportFrom(self, node) -> bool:
        return False

    # ---- usages
    def _chain_replacement(self, text: str) -> Optional[cst.BaseExpression]:
        kind, data = self.chain_new[text]
        if kind == "todo":
            self.todo(str(data))
            return None
        if kind == "keep":
            return None
        if kind == "base":
            new = data[0]  # type: ignore[index]
        elif kind == "from":
            new = data[2]  # type: ignore[index]
        else:
            new = data[1]  # type: ignore[index]
        if new == text:
            return None
        self.count += 1
        return _name_node(new)

    def leave_Decorator(self, original_node, updated_node):
        """`@HEADS.register_module` without a call: mmcv 1.x took it, MMEngine's registries raise
        a TypeError on import. Written as a call, as every 1.x registry wants it."""
        target = original_node.decorator
        if type(target) is cst.Attribute and target.attr.value == "register_module" \
                and _calls.root_name(target) in self.c.names:
            self.count += 1
            return updated_node.with_changes(decorator=cst.Call(func=updated_node.decorator))
        return updated_node

    def leave_Attribute(self, original_node, updated_node):
        text = dotted(original_node)
        if text is not None and text in self.chain_new:
            return self._chain_replacement(text) or updated_node
        return updated_node

    def leave_Name(self, original_node, updated_node):
        if id(original_node) in self.skip:
            return updated_node
        value = original_node.value
        if value in self.chain_new:
            return self._chain_replacement(value) or updated_node
        binding = self.names.get(value)
        if binding is not None and binding.usage is not None:
            self.count += 1
            return binding.usage
        return updated_node

    # ---- imports
    def leave_SimpleStatementLine(self, original_node, updated_node):
        small = updated_node.body
        if not any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in small):
            return updated_node
        seen = self.blocks[-1]
        out: List[Tuple[cst.BaseSmallStatement, List[str]]] = []
        changed = False
        for stmt in small:
            if isinstance(stmt, cst.ImportFrom):
                new, todos = self._rewrite_from(stmt, seen)
            elif isinstance(stmt, cst.Import):
                new, todos = self._rewrite_import(stmt, seen)
            else:
                new, todos = [stmt], []
            if len(new) != 1 or new[0] is not stmt or todos:
                changed = True
            out.extend((n, todos if i == 0 else []) for i, n in enumerate(new))
        if not changed:
            return updated_node
        self.count += 1
        if not out:
            return self._gone(updated_node)
        if len(small) == 1:
            lines = []
            for i, (stmt, todos) in enumerate(out):
                line = cst.SimpleStatementLine(
                    body=[stmt],
                    leading_lines=updated_node.leading_lines if i == 0 else (),
                    trailing_whitespace=updated_node.trailing_whitespace if i == len(out) - 1
                    else cst.TrailingWhitespace(),
                )
                for message in todos:
                    line = add_todo(line, RULE_ID, message)
                if stmt is not original_node.body[0]:
                    self.written.add(id(line))
                lines.append(line)
            return cst.FlattenSentinel(lines) if len(lines) > 1 else lines[0]
        body = [s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for s, _ in out]
        line = updated_node.with_changes(body=body)
        for _, todos in out:
            for message in todos:
                line = add_todo(line, RULE_ID, message)
        return line

    def _fresh(self, key: tuple, seen) -> bool:
        """Add an import this rule writes, unless the block already has it."""
        present, emitted = seen
        if key in present:
            return False
        present.add(key)
        emitted.add(key)
        return True

    def _rewrite_from(self, stmt: cst.ImportFrom, seen: Set):
        if isinstance(stmt.names, cst.ImportStar):
            module = dotted(stmt.module) if stmt.module is not None and not stmt.relative else None
            res = table.resolve_module(module) if module else None
            if isinstance(res, Move):
                return [stmt.with_changes(module=_module_node(res.module))], []
            if isinstance(res, Removed):
                return [stmt], [res.message]
            return [stmt], []
        groups: Dict[str, List[Tuple[str, Optional[str]]]] = {}
        kept: List[cst.ImportAlias] = []
        todos: List[str] = []
        extra: List[cst.BaseSmallStatement] = []
        touched = False
        module_text = dotted(stmt.module) if stmt.module is not None else ""
        prefix = "." * len(stmt.relative)
        for alias in stmt.names:
            local = _alias_local(alias)
            name = dotted(alias.name)
            binding = self._binding_for(local, stmt, name)
            if binding is None:
                key = (prefix + (module_text or ""), name, dotted(alias.asname.name) if alias.asname else None)
                if self._emitted(key, seen):
                    touched = True
                    continue
                kept.append(alias)
                continue
            touched = True
            if isinstance(binding, ModuleBinding):
                new_stmts, msgs = self._module_binding_imports(binding, alias, stmt, seen)
                todos += msgs
                for s in new_stmts:
                    if isinstance(s, cst.ImportFrom) and not isinstance(s.names, cst.ImportStar) and \
                            dotted(s.module) == module_text and not s.relative:
                        kept.extend(s.names)
                    else:
                        extra.append(s)
                continue
            if isinstance(binding.res, Removed) and local in self.unused:
                continue  # nothing uses it: kept, it would only fail on import
            if isinstance(binding.res, Removed) or local in self.ambiguous:
                msg = binding.res.message if isinstance(binding.res, Removed) else \
                    f"{local} is bound by several imports here: migrate it by hand"
                todos.append(msg)
                kept.append(alias)
                continue
            move = binding.res
            asname = binding.new_local if binding.new_local != move.name else None
            if self._fresh((move.module, move.name, asname), seen):
                groups.setdefault(move.module, []).append((move.name, asname))
        if not touched:
            self._remember(stmt, seen)
            return [stmt], []
        out: List[cst.BaseSmallStatement] = []
        wrap = stmt.lpar is not None and "\n" in cst.Module(body=[]).code_for_node(stmt)
        if kept:
            names = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
            if len(kept) == len(stmt.names) and all(k is a for k, a in zip(kept, stmt.names)):
                out.append(stmt)
            else:
                out.append(stmt.with_changes(names=names, lpar=None if len(names) == 1 else stmt.lpar,
                                             rpar=None if len(names) == 1 else stmt.rpar))
                if len(names) > 1 and stmt.lpar is None:
                    out[-1] = out[-1].with_changes(names=[
                        n.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                        if i < len(names) - 1 else n for i, n in enumerate(names)])
        for module, names in groups.items():
            # a pure module rename keeps the user's formatting
            if not kept and len(groups) == 1 and not stmt.relative and len(names) == len(stmt.names) and all(
                n == dotted(a.name) and (asn or None) == (dotted(a.asname.name) if a.asname else None)
                for (n, asn), a in zip(names, stmt.names)
            ):
                out.append(stmt.with_changes(module=_module_node(module), relative=()))
            else:
                out.append(_import_from(module, names, wrap))
        out.extend(extra)
        return out, todos

    def _emitted(self, key, seen) -> bool:
        """Is this alias of an untouched import a duplicate of one this rule wrote above?"""
        return key in seen[1]

    def _remember(self, stmt, seen) -> None:
        if isinstance(stmt, cst.ImportFrom) and not isinstance(stmt.names, cst.ImportStar) and not stmt.relative:
            module = dotted(stmt.module) if stmt.module is not None else ""
            for alias in stmt.names:
                seen[0].add((module, dotted(alias.name), dotted(alias.asname.name) if alias.asname else None))
        elif isinstance(stmt, cst.Import):
            for alias in stmt.names:
                seen[0].add(("import", dotted(alias.name), dotted(alias.asname.name) if alias.asname else None))

    def _binding_for(self, local: str, stmt, name: str):
        for binding in self.c.names.get(local, ()):
            if binding.node_id != id(stmt):
                continue
            if isinstance(binding, NameBinding) and binding.name == name:
                return binding
            if isinstance(binding, ModuleBinding) and binding.style == "from" and binding.base.endswith("." + name):
                return binding
        return None

    def _module_binding_for(self, local: str, stmt: cst.Import, module: str) -> Optional[ModuleBinding]:
        """This statement's binding of `local`, carrying the usage facts planned for `local`
        (`import mmcls.apis` and `import mmcls.datasets` both bind `mmcls`)."""
        planned = self.modules.get(local)
        if planned is None:
            return None
        for binding in self.c.names.get(local, ()):
            if isinstance(binding, ModuleBinding) and binding.node_id == id(stmt) and binding.stmt_module == module:
                binding.old_used, binding.new_used = planned.old_used, planned.new_used
                binding.has_chains = planned.has_chains
                return binding
        return None

    def _rewrite_import(self, stmt: cst.Import, seen: Set):
        kept: List[cst.ImportAlias] = []
        out: List[cst.BaseSmallStatement] = []
        todos: List[str] = []
        touched = False
        for alias in stmt.names:
            module = dotted(alias.name)
            local = _alias_local(alias)
            binding = self._module_binding_for(local, stmt, module)
            if binding is None or local in self.ambiguous:
                if local in self.ambiguous and table.resolve_module(module) is not None:
                    todos.append(f"{local} is bound by several imports here: migrate it by hand")
                    touched = True
                key = ("import", module, dotted(alias.asname.name) if alias.asname else None)
                if self._emitted(key, seen):
                    touched = True
                    continue
                kept.append(alias)
                continue
            new_stmts, msgs = self._module_binding_imports(binding, alias, stmt, seen)
            if not msgs and len(new_stmts) == 1 and isinstance(new_stmts[0], cst.Import) and \
                    dotted(new_stmts[0].names[0].name) == module and binding.res is None:
                kept.append(alias)  # still valid as it is (mmcv 2.x)
                continue
            touched = True
            todos += msgs
            out.extend(new_stmts)
        if not touched:
            self._remember(stmt, seen)
            return [stmt], []
        if kept:
            names = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
            out.insert(0, stmt.with_changes(names=[
                n.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                if i < len(names) - 1 else n for i, n in enumerate(names)]))
        return out, todos

    def _module_binding_imports(self, binding: ModuleBinding, alias: cst.ImportAlias, stmt, seen: Set):
        """The statements that replace one module-binding alias, and TODO messages."""
        out: List[cst.BaseSmallStatement] = []
        todos: List[str] = []
        if binding.old_used or isinstance(binding.res, Removed) or (binding.res is None and not binding.has_chains):
            # keep the old import: something still needs it
            if isinstance(stmt, cst.Import):
                out.append(_import(binding.stmt_module, dotted(alias.asname.name) if alias.asname else None)
                           .with_changes(names=[alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)]))
            else:
                out.append(stmt.with_changes(names=[alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)],
                                             lpar=None, rpar=None))
            if isinstance(binding.res, Removed):
                todos.append(binding.res.message)
            elif binding.res is not None:
                todos.append(
                    f"{binding.stmt_module} is still used by code that could not be migrated (see the TODOs below)"
                )
        if isinstance(binding.res, Move) and binding.new_used:
            new = binding.res.module
            if binding.style == "import":
                key = ("import", new, None)
                if self._fresh(key, seen):
                    out.append(_import(new))
            elif binding.style == "alias":
                key = ("import", new, binding.local)
                if self._fresh(key, seen):
                    out.append(_import(new, binding.local))
            else:
                parent, _, last = new.rpartition(".")
                local = self._local_for(binding)
                asname = local if local != last else None
                if parent and self._fresh((parent, last, asname), seen):
                    out.append(_import_from(parent, [(last, asname)], False))
                elif not parent:
                    out.append(_import(new, asname))
        # one `from module import ...` line per module (`mmcv.load` and `mmcv.dump` both used),
        # where the module is first used: `chained` holds its name until the names are known
        chained: List[Union[str, cst.Import]] = []
        names: Dict[str, List[Tuple[str, None]]] = {}
        for chain, (kind, data) in self.chain_new.items():
            if chain.split(".", 1)[0] != binding.local:
                continue
            if kind == "from":
                module, name, _ = data  # type: ignore[misc]
                if self._fresh((module, name, None), seen):
                    if module not in names:
                        names[module] = []
                        chained.append(module)
                    names[module].append((name, None))
            elif kind == "import":
                module = data[0]  # type: ignore[index]
                if self._fresh(("import", module, None), seen):
                    chained.append(_import(module))
        out += [_import_from(x, names[x], False) if isinstance(x, str) else x for x in chained]
        return out, todos


class ImportsRule(Rule):
    id = RULE_ID
    title = "mmcls / mmselfsup / mmcv 1.x imports -> mmpretrain, mmengine, mmcv 2.x (modules, names, registries, builders)"
    kind = CODE
    guide = "模块变动 (MMClassification and MMSelfSup), 新的依赖, 其他变动 (registries in mmpretrain.registry)"
    triggers = ("mmcls", "mmselfsup", "mmcv")
    path_triggers = FORK_PACKAGES  # relative imports of registries inside a fork

    def under_path_trigger(self, kind: str, path, text: str) -> bool:
        # Inside a fork only the names of the package-wide rows (registries, builders) are
        # rewritten in relative imports; a file without one of them is the fork's own business.
        return super().under_path_trigger(kind, path, text) and bool(_FORK_WORDS.search(text))
    before = (
        "from mmcls.models.builder import HEADS, build_loss\n"
        "from mmcls.datasets.pipelines import Resize, RandomCrop\n\n"
        "@HEADS.register_module()\n"
        "class MyHead:\n"
        "    def __init__(self, loss):\n"
        "        self.loss = build_loss(loss)\n"
    )
    after = (
        "from mmpretrain.registry import MODELS\n"
        "from mmcv.transforms import Resize\n"
        "from mmpretrain.datasets.transforms import RandomCrop\n\n"
        "@MODELS.register_module()\n"
        "class MyHead:\n"
        "    def __init__(self, loss):\n"
        "        self.loss = MODELS.build(loss)\n"
    )

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        collector = _Collector(fork_package(ctx.path))
        collector.walk(module.body)
        if not collector.names and not collector.stars:
            return module
        roots = {local for local, bs in collector.names.items() if any(isinstance(b, ModuleBinding) for b in bs)}
        chains = _scan_chains(module, roots, ctx.quiet(roots)) if roots else {}
        rewrite = _Rewrite(collector, chains)
        rewrite.original = ctx.original  # (unknown: only this rule's own lines are merged)
        rewrite.unused = _unused_removed(module, collector, ctx)
        rewrite.watch = {c.split(".", 1)[0] for c in chains} | {
            local for local, b in rewrite.names.items() if b.usage is not None
        }
        quiet = ctx.quiet({*rewrite.watch, "import"})
        rewrite.wanted, rewrite.mentioning = _containers_to(module, rewrite.watch, quiet)
        updated = module.visit(rewrite)
        if rewrite.count:
            ctx.record(RULE_ID, rewrite.count)
        return updated
