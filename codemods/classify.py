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


def _top_level_names(module: cst.Module):
    names = []
    defs = 0
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Assign, cst.AnnAssign)):
                    targets = small.targets if isinstance(small, cst.Assign) else [small]
                    names += [t.target.value for t in targets if isinstance(t.target, cst.Name)]
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            defs += 1
    return names, defs


def classify(module: cst.Module, path: Optional[PurePath] = None) -> str:
    """Return "config" or "code" for a parsed file."""
    names, defs = _top_level_names(module)
    if "_base_" in names:
        return "config"
    known = [n for n in names if n in CONFIG_KEYS]
    # `_base_` folders hold the one-key configs (`model = dict(...)`) that other configs inherit
    in_configs_dir = path is not None and bool({"configs", "_base_"} & set(PurePath(path).parts))
    if defs == 0 and (len(known) >= 2 or (in_configs_dir and known)):
        return "config"
    return "code"
