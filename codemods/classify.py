"""Is a file an OpenMMLab config or ordinary code?

Configs are Python files whose top level is mostly assignments of dict/list literals to the known
config keys. One `data = dict(...)` in a script is not enough: a config has `_base_`, or at least
two known keys and no function or class definitions.
"""
from __future__ import annotations

import re
from pathlib import PurePath
from typing import Optional

import libcst as cst

from codemods.walk import chain_root

CONFIG_KEYS = frozenset(
    """model data optimizer optimizer_config lr_config momentum_config runner evaluation
    checkpoint_config log_config dist_params log_level load_from resume_from workflow
    custom_hooks fp16 train_pipeline test_pipeline img_norm_cfg dataset_type
    optim_wrapper param_scheduler train_cfg val_cfg test_cfg train_dataloader val_dataloader
    test_dataloader val_evaluator test_evaluator default_hooks env_cfg visualizer default_scope
    custom_imports auto_scale_lr data_preprocessor work_dir gpu_ids""".split()
)


# A config assigns a known key at column 0; a file without such a line is never a config, so the
# config rules' (common) trigger words need not cost a parse there.
_KEYS = "|".join(["_base_", *sorted(CONFIG_KEYS)])
_FIRST_LINE = re.compile(r"(?:%s)[ \t]*=" % _KEYS)
# A literal "\n" first lets `re` skip to line starts instead of trying every position.
_LATER_LINE = re.compile(r"\n(?:%s)[ \t]*=" % _KEYS)


def might_be_config(text: str) -> bool:
    return bool(_FIRST_LINE.match(text) or _LATER_LINE.search(text))


_CONTAINERS = frozenset({"dict", "list", "tuple", "set"})
MANY_KEYS = 4


def _top_level(module: cst.Module):
    """Names assigned at top level; whether the top level runs code: a call on its own that is
    not a method of an assigned name (`train_model(...)`), a known key built by a call other than
    `dict(...)` (`model = build_classifier(model)`, `runner = Runner.from_cfg(cfg)`), an
    `if __name__ == '__main__':`; and whether it defines functions or classes, or imports a
    framework (a config may define a helper; a script imports what it runs)."""
    names = []
    runs = defines = imports = False
    for stmt in module.body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            defines = True
        elif isinstance(stmt, cst.If) and _is_main_guard(stmt.test):
            runs = True
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                # `train_pipeline.append(...)` edits a key, as configs do; a function runs code
                runs |= chain_root(small.value.func) not in names
            elif isinstance(small, (cst.Assign, cst.AnnAssign)):
                targets = small.targets if isinstance(small, cst.Assign) else [small]
                found = [t.target.value for t in targets if isinstance(t.target, cst.Name)]
                names += found
                runs |= any(n in CONFIG_KEYS for n in found) and _built(small.value)
            elif isinstance(small, (cst.Import, cst.ImportFrom)):
                imports |= _imports_framework(small)
    return names, runs, defines, imports


_FRAMEWORKS = frozenset({"mmcls", "mmcv", "mmselfsup", "mmengine", "mmpretrain", "torch"})


def _imports_framework(small) -> bool:
    if isinstance(small, cst.ImportFrom):
        if small.relative or small.module is None:
            return False
        modules = [small.module]
    else:
        modules = [alias.name for alias in small.names]
    return any(chain_root(m) in _FRAMEWORKS for m in modules)


def _is_main_guard(test) -> bool:
    return isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name) \
        and test.left.value == "__name__"


def _built(value) -> bool:
    return isinstance(value, cst.Call) and not (
        isinstance(value.func, cst.Name) and value.func.value in _CONTAINERS)


def classify(module: cst.Module, path: Optional[PurePath] = None) -> str:
    """Return "config" or "code" for a parsed file."""
    names, runs, defines, imports = _top_level(module)
    if "_base_" in names:
        return "config"
    known = {n for n in names if n in CONFIG_KEYS}
    # a helper function in a config of many keys that imports no framework still leaves a config
    runs |= defines and (len(known) < MANY_KEYS or imports)
    # `_base_` folders hold the one-key configs (`model = dict(...)`) that other configs inherit
    in_configs_dir = path is not None and bool({"configs", "_base_"} & set(PurePath(path).parts))
    if not runs and (len(known) >= 2 or (in_configs_dir and known)):
        return "config"
    return "code"
