"""`mmcodemod verify`: do migrated configs load in MMEngine and name only MMPretrain 1.x types?

For each config: `mmengine.Config.fromfile` (with `_base_` resolved), the modules of
`custom_imports` imported (so the user's own registered classes count), then three checks, none of
which builds a model, dataset or transform:

- no 0.x top-level key is left (`data`, `optimizer`, `lr_config`, `runner`, ...);
- every `type` resolves in the MMPretrain registry that will build it, chosen by where the dict
  sits (`model` -> MODELS, a dataset's `pipeline` -> TRANSFORMS, `optim_wrapper.optimizer` ->
  OPTIMIZERS, ...);
- the other keys of a typed dict are arguments its class accepts, when the class takes a fixed
  set of keyword arguments (no `**kwargs`): a left-over 0.x argument such as RandomFlip's
  `flip_prob` would otherwise only fail at build time.

Directories are walked for config files (`.gitignore` honoured, Python code that is not a config
skipped); `_base_` folders inside a directory are skipped, because their files are fragments that
the leaf configs already load and check. A `_base_` folder or file named on the command line is
checked.

The pure logic (`check_config`) takes the loaded config as a mapping and a `lookup(registry,
type_name)` function, so it is tested without MMPretrain installed.
"""
from __future__ import annotations

import importlib
import inspect
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, List, Mapping, Optional, Sequence, Tuple

PACKAGES = ("mmengine", "mmpretrain")
# Pinned to what the rules target; torch first, because importing mmpretrain imports it.
INSTALL_ARGS = "torch torchvision mmengine==0.10.7 mmcv-lite==2.2.0 mmpretrain==1.2.0"

# 0.x top-level keys and what replaced them in MMPretrain 1.x / MMEngine.
LEGACY_KEYS = {
    "data": "train_dataloader / val_dataloader / test_dataloader",
    "optimizer": "optim_wrapper = dict(optimizer=...)",
    "optimizer_config": "optim_wrapper (clip_grad, accumulative_counts, AmpOptimWrapper)",
    "lr_config": "param_scheduler",
    "momentum_config": "param_scheduler (a momentum scheduler)",
    "runner": "train_cfg = dict(by_epoch=..., max_epochs=... / max_iters=...)",
    "evaluation": "val_evaluator and train_cfg.val_interval",
    "checkpoint_config": "default_hooks.checkpoint",
    "log_config": "default_hooks.logger and visualizer.vis_backends",
    "resume_from": "load_from plus resume = True",
    "workflow": "train_cfg / val_cfg / test_cfg",
    "dist_params": "env_cfg.dist_cfg",
    "fp16": "optim_wrapper = dict(type='AmpOptimWrapper', loss_scale=...)",
    "cudnn_benchmark": "env_cfg.cudnn_benchmark",
    "mp_start_method": "env_cfg.mp_cfg.mp_start_method",
    "opencv_num_threads": "env_cfg.mp_cfg.opencv_num_threads",
}

# Registry of the dicts under each top-level key. Keys not listed hold no registered types (or
# types only user code knows about), so they are not checked.
TOP_LEVEL = {
    "model": "MODELS",
    "data_preprocessor": "MODELS",
    "default_hooks": "HOOKS",
    "custom_hooks": "HOOKS",
    "optim_wrapper": "OPTIM_WRAPPERS",
    "param_scheduler": "PARAM_SCHEDULERS",
    "visualizer": "VISUALIZERS",
    "train_cfg": "LOOPS",
    "val_cfg": "LOOPS",
    "test_cfg": "LOOPS",
    "log_processor": "LOG_PROCESSORS",
    "model_wrapper_cfg": "MODEL_WRAPPERS",
}
DATALOADER = "dataloader"  # not a registry: its dataset/sampler/collate_fn are

# Inside a dict built by registry R, the value of key K is built by CHILD[R][K]; None means
# "not built from a registry here" (Albumentations' transforms are albumentations classes).
CHILD = {
    DATALOADER: {"dataset": "DATASETS", "sampler": "DATA_SAMPLERS", "batch_sampler": "DATA_SAMPLERS",
                 "collate_fn": "FUNCTIONS"},
    "DATASETS": {"dataset": "DATASETS", "datasets": "DATASETS", "pipeline": "TRANSFORMS"},
    "TRANSFORMS": {"transforms": "TRANSFORMS", "policies": "TRANSFORMS"},
    "OPTIM_WRAPPERS": {"optimizer": "OPTIMIZERS"},
    "VISUALIZERS": {"vis_backends": "VISBACKENDS"},
    "MODELS": {"augments": "BATCH_AUGMENTS"},
}
# Valid under any registry: weight initialisers and pipelines.
ANYWHERE = {"init_cfg": "WEIGHT_INITIALIZERS", "pipeline": "TRANSFORMS"}
NOT_REGISTERED = {("Albumentations", "transforms")}

# Keys that a builder takes out of the dict before calling the class (so they are not arguments).
CONSUMED = {
    "PARAM_SCHEDULERS": {"convert_to_iter_based"},
    "OPTIM_WRAPPERS": {"constructor", "paramwise_cfg"},
    "HOOKS": {"priority"},
}
NOT_ARGUMENTS = {"type", "_scope_"}
# Registries whose dicts are built as written. Not MODELS (a parent model rewrites its children's
# configs, e.g. pops `pretrained`, and MMCV's norm/activation builders take out keys such as
# `requires_grad`) nor LOOPS (the Runner takes out `by_epoch`): their arguments are not checked.
ARGUMENTS_CHECKED = {"TRANSFORMS", "DATASETS", "DATA_SAMPLERS", "METRICS", "HOOKS", "OPTIMIZERS",
                     "OPTIM_WRAPPERS", "PARAM_SCHEDULERS", "VISUALIZERS", "VISBACKENDS",
                     "BATCH_AUGMENTS"}

Lookup = Callable[[str, str], Optional[object]]


@dataclass(frozen=True)
class Problem:
    config: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.config}: {self.key}: {self.message}"


class NotInstalled(Exception):
    """MMEngine or MMPretrain cannot be imported."""


# --- the checks (pure: a mapping and a lookup function in, problems out) ---------------------

def check_config(config: str, cfg: Mapping, lookup: Lookup) -> List[Problem]:
    problems = [Problem(config, key, f"0.x key left; MMPretrain 1.x uses {hint}")
                for key, hint in LEGACY_KEYS.items() if key in cfg and not _used_in_new_keys(cfg, key)]
    if _runnable(cfg) and not cfg.get("default_scope"):
        problems.append(Problem(config, "default_scope", "not set; MMPretrain's Runner needs "
                                "default_scope = 'mmpretrain' to find its types"))
    for key, value in cfg.items():
        registry = _top_registry(key)
        if registry is not None:
            problems += [Problem(config, path, message)
                         for path, message in _check_value(value, registry, key, lookup)]
    return problems


def _used_in_new_keys(cfg: Mapping, key: str) -> bool:
    """A 1.x config may keep a helper variable of a 0.x name (`optimizer = dict(...)` then
    `optim_wrapper = dict(optimizer=optimizer)`): nothing is lost when its value is used there."""
    value = cfg[key]
    if not value:
        return False
    return any(value == nested for other, top in cfg.items() if other not in LEGACY_KEYS
               for nested in _nested_values(top))


def _nested_values(value) -> Iterator:
    yield value
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _nested_values(item)


def _runnable(cfg: Mapping) -> bool:
    """A full config (the Runner can start from it), not a `_base_` fragment."""
    return "model" in cfg and any(k.endswith("_dataloader") for k in cfg)


def _top_registry(key: str) -> Optional[str]:
    if key in TOP_LEVEL:
        return TOP_LEVEL[key]
    if key.endswith("_dataloader"):
        return DATALOADER
    if key.endswith("_evaluator"):
        return "METRICS"
    if key.endswith("pipeline"):  # train_pipeline = [...] variables
        return "TRANSFORMS"
    return None


def _check_value(value, registry: str, path: str, lookup: Lookup) -> Iterator[Tuple[str, str]]:
    if isinstance(value, Mapping):
        yield from _check_dict(value, registry, path, lookup)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _check_value(item, registry, f"{path}[{i}]", lookup)


def _check_dict(cfg: Mapping, registry: str, path: str, lookup: Lookup) -> Iterator[Tuple[str, str]]:
    type_name = cfg.get("type")
    if isinstance(type_name, str) and registry != DATALOADER:
        yield from _check_type(cfg, type_name, registry, path, lookup)
    if registry == "OPTIM_WRAPPERS" and isinstance(cfg.get("constructor"), str):
        if lookup("OPTIM_WRAPPER_CONSTRUCTORS", cfg["constructor"]) is None:
            yield f"{path}.constructor", (f"'{cfg['constructor']}' is not registered in "
                                          "MMPretrain's OPTIM_WRAPPER_CONSTRUCTORS")
    for key, value in cfg.items():
        if key == "type" or (type_name, key) in NOT_REGISTERED:
            continue
        child = ANYWHERE.get(key) or CHILD.get(registry, {}).get(key, registry)
        yield from _check_value(value, child, f"{path}.{key}", lookup)


def _check_type(cfg: Mapping, type_name: str, registry: str, path: str,
                lookup: Lookup) -> Iterator[Tuple[str, str]]:
    found = lookup(registry, type_name)
    if found is None:
        yield f"{path}.type", f"'{type_name}' is not registered in MMPretrain's {registry}"
        return
    if registry not in ARGUMENTS_CHECKED:
        return
    unknown = unknown_arguments(found, set(cfg) - NOT_ARGUMENTS - CONSUMED.get(registry, set()))
    for name in unknown:
        yield f"{path}.{name}", f"{type_name} takes no argument '{name}'"


def unknown_arguments(obj, keys) -> List[str]:
    """Keys that `obj(**keys)` would reject; none when obj takes **kwargs or has no signature."""
    try:
        params = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):  # some builtins and C types have no signature
        return []
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return []
    accepted = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return sorted(k for k in keys if k not in accepted)


# --- which files -----------------------------------------------------------------------------

def config_files(paths: Sequence[str]) -> Tuple[List[Path], List[Problem]]:
    """The config files to verify, and a problem for each path that does not exist."""
    from .discover import discover

    files: List[Path] = []
    problems: List[Problem] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append(Problem(raw, "-", "no such file or directory"))
        elif path.is_dir():
            found, _ = discover([raw])
            files += [f for f in found if _is_leaf_config(f, path)]
        else:
            files.append(path)
    return files, problems


def _is_leaf_config(file: Path, top: Path) -> bool:
    if file.suffix != ".py" or "_base_" in file.relative_to(top).parts[:-1]:
        return False
    return _looks_like_config(file)


def _looks_like_config(file: Path) -> bool:
    import libcst as cst

    from .classify import classify, might_be_config

    try:
        text = file.read_text(encoding="utf-8")
        return might_be_config(text) and classify(cst.parse_module(text), file) == "config"
    except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
        return False


# --- MMEngine / MMPretrain -------------------------------------------------------------------

def install_command() -> str:
    return f"{sys.executable} -m pip install {INSTALL_ARGS}"


def import_packages():
    """MMEngine's Config and the registry modules (MMPretrain's first), or raise NotInstalled."""
    # mmcv-lite warns on import about CUDA ops that verify never uses; keep the output to problems
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import mmengine.registry
            from mmengine.config import Config
            import mmpretrain.registry
            from mmpretrain.utils import register_all_modules
        except ImportError as exc:
            raise NotInstalled(str(exc)) from exc
        # Import every MMPretrain module so that their types are registered; no default scope
        # is set, because nothing is built here.
        register_all_modules(init_default_scope=False)
    return Config, (mmpretrain.registry, mmengine.registry)


def registry_lookup(*modules) -> Lookup:
    """Look names up in the first module that has the registry (MMPretrain has no FUNCTIONS:
    a dataloader's collate_fn comes from MMEngine's)."""
    def lookup(registry: str, type_name: str):
        for module in modules:
            found = getattr(module, registry, None)
            if found is not None:
                return found.get(type_name)
        return None
    return lookup


def verify_file(path: Path, Config, lookup: Lookup) -> List[Problem]:
    try:
        cfg = Config.fromfile(str(path), import_custom_modules=False)
    except Exception as exc:  # any error in a user's config file is a finding, not a crash
        return [Problem(str(path), "-", f"does not load: {type(exc).__name__}: {exc}")]
    problems = import_custom_modules(str(path), cfg.get("custom_imports"))
    return problems + check_config(str(path), cfg.to_dict(), lookup)


def import_custom_modules(config: str, custom) -> List[Problem]:
    """Import `custom_imports` as the Runner would; an import that fails is a problem."""
    if not isinstance(custom, Mapping):
        return []
    modules = custom.get("imports", [])
    modules = [modules] if isinstance(modules, str) else modules
    problems = []
    for i, name in enumerate(modules):
        try:
            importlib.import_module(name)
        except Exception as exc:  # user code: whatever it raises is reported
            problems.append(Problem(config, f"custom_imports.imports[{i}]",
                                    f"cannot import '{name}': {type(exc).__name__}: {exc}"))
    return problems


def _multimodal_installed() -> bool:
    try:
        from mmpretrain.utils.dependency import WITH_MULTIMODAL
    except ImportError:
        return True  # nothing to suggest
    return bool(WITH_MULTIMODAL)


def run(paths: Sequence[str], echo: Callable[[str], None], err: Callable[[str], None]) -> int:
    """Verify the configs under `paths`; return the exit code (0 clean, 1 problems, 2 cannot run)."""
    try:
        Config, registries = import_packages()
    except NotInstalled as exc:
        err(f"error: mmcodemod verify needs MMEngine and MMPretrain in this environment ({exc}).\n"
            f"Install them with:\n  {install_command()}")
        return 2
    # custom_imports name modules of the user's project, imported from where they run the tool
    # (as `python tools/train.py` run from the project root finds them).
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    files, missing = config_files(paths)
    for problem in missing:
        err(f"error: {problem.config}: {problem.message}")
    if not files:
        if not missing:
            err("error: no config file found under " + " ".join(paths))
        return 2
    lookup = registry_lookup(*registries)
    problems = [p for file in files for p in verify_file(file, Config, lookup)]
    _report(problems, len(files), echo, err)
    return 2 if missing else 1 if problems else 0


def _report(problems: List[Problem], checked: int, echo, err) -> None:
    for problem in problems:
        echo(str(problem))
    if any("is not registered" in p.message for p in problems) and not _multimodal_installed():
        err("note: MMPretrain registers its multimodal types (BLIP, Flamingo, COCO captions, "
            "tokenizers, ...) only when their extras are installed: pip install 'mmpretrain[multimodal]'")
    bad = len({p.config for p in problems})
    err(f"mmcodemod verify: {checked} configs checked, {len(problems)} problems in {bad} of them")
