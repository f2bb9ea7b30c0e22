"""MMC102: strings that name mmcls / mmselfsup modules or registry scopes, in code and configs.

- `custom_imports = dict(imports=['mmcls.models'])`, `importlib.import_module('mmcls.datasets')`:
  a string that is exactly a 0.x module path becomes its 1.x path from the import table
  (`'mmcls.core.hook'` -> `'mmpretrain.engine.hooks'`); a module with no counterpart gets a TODO;
- `type='mmcls.ResNet'` (a registry scope, anywhere: code or config, keyword or dict key) ->
  `'mmpretrain.ResNet'`; a full dotted name (`'mmcls.models.heads.ClsHead'`) follows the table;
- `'mmcls://resnet50'` checkpoint prefixes get a TODO: MMEngine still resolves them through its list
  of MMClassification 0.x checkpoints, but 1.x configs should point at MMPretrain's model zoo.

Only whole strings are rewritten: docstrings and messages that mention mmcls are left alone.
"""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from codemods.data import modules as table
from codemods.data.modules import Move, Removed
from codemods.rule import ANY, Context, Rule
from codemods.rules.imports import paths_to, without_header_duplicates
from codemods.todo import TodoTransformer

RULE_ID = "MMC102"
QUOTED = re.compile(r"""['"](mmcls|mmselfsup)[.:]""")
DOTTED = re.compile(r"(mmcls|mmselfsup)(\.[A-Za-z_][A-Za-z0-9_]*)+")
ZOO = re.compile(r"(mmcls|mmselfsup)://")
ZOO_TODO = (
    "{prefix}:// loads an MMClassification 0.x checkpoint through MMEngine's old model list; use the "
    "checkpoint URL of the matching MMPretrain 1.x model (model zoo / mmpretrain.get_model) instead"
)


def new_path(text: str) -> Optional[object]:
    """The 1.x string for a 0.x dotted string: a str, a Removed (TODO), or None (leave it)."""
    if not DOTTED.fullmatch(text):
        return None
    res = table.resolve_module(text)
    if isinstance(res, Move):  # a module path that survives: 'mmcls.models'
        return res.module
    parts = text.split(".")
    if len(parts) == 2 and text not in table.REMOVED_MODULES:
        return "mmpretrain." + parts[1]  # a registry scope: 'mmcls.ResNet'
    row = table.resolve_name(".".join(parts[:-1]), parts[-1])
    if isinstance(row, Move):
        return None if row.expr else row.qualified
    return row if row is not None else res


def _candidate(node: cst.CSTNode) -> bool:
    return type(node) is cst.SimpleString and QUOTED.match(node.value) is not None


class _Strings(TodoTransformer):
    rule_id = RULE_ID

    def __init__(self, wanted: set) -> None:
        super().__init__()
        self.count = 0
        self.wanted = wanted  # ids of the nodes on the way to a string to look at

    def on_visit(self, node: cst.CSTNode) -> bool:
        return super().on_visit(node) and id(node) in self.wanted

    def leave_SimpleString(self, original_node, updated_node):
        value = updated_node.raw_value
        if updated_node.prefix.lower() not in ("", "u", "r") or "\\" in value:
            return updated_node
        zoo = ZOO.match(value)
        if zoo:
            self.todo(ZOO_TODO.format(prefix=zoo.group(1)))
            return updated_node
        new = new_path(value)
        if new is None:
            return updated_node
        if isinstance(new, Removed):
            self.todo(f"'{value}': {new.message}")
            return updated_node
        if new == value:
            return updated_node
        self.count += 1
        quote = updated_node.quote
        return updated_node.with_changes(value=f"{updated_node.prefix}{quote}{new}{quote}")


class StringsRule(Rule):
    id = RULE_ID
    title = "'mmcls.X' module paths and registry scopes in strings -> 'mmpretrain.X'; mmcls:// -> TODO"
    kind = ANY
    guide = "其他变动 (registries in mmpretrain.registry, default_scope), 模块变动"
    triggers = ("mmcls", "mmselfsup")
    before = (
        "custom_imports = dict(imports=['mmcls.models', 'my_project.heads'])\n"
        "model = dict(type='mmcls.ImageClassifier')\n"
    )
    after = (
        "custom_imports = dict(imports=['mmpretrain.models', 'my_project.heads'])\n"
        "model = dict(type='mmpretrain.ImageClassifier')\n"
    )

    def applies_to(self, kind: str, text: str) -> bool:
        # the plain word test first: a regex that starts at every quote is slow on large files
        return super().applies_to(kind, text) and QUOTED.search(text) is not None

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        wanted = paths_to(module, _candidate)
        if not wanted:
            return module
        transformer = _Strings(wanted)
        updated = without_header_duplicates(module.visit(transformer))
        if transformer.count:
            ctx.record(RULE_ID, transformer.count)
        return updated
