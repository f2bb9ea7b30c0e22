"""Real run: do the migrated sample configs build and train in MMPretrain 1.2 on CPU?

    python benchmarks/real_run.py [SAMPLES_DIR] [--keep DIR] [--json FILE]

Needs torch, torchvision, mmengine 0.10, mmcv-lite 2.2 and mmpretrain 1.2 in this environment
(`mmcodemod verify` prints the pip command). Steps:

1. copy SAMPLES_DIR (default: the repository's samples/) and migrate the copy with `mmcodemod run`;
2. for every leaf config under its configs/ (not `_base_`), in a fresh process, from the
   project root: load it (MMEngine, `_base_` resolved), `mmcodemod verify` it, build its model and
   every transform of every pipeline, generate a tiny dataset where its datasets read from, and run
   MMEngine's Runner for one training iteration, then validation;
3. print one line per config (and optionally write all results as JSON).

The data is generated from what the dataset classes read, not from the sample's names: a
CustomDataset gets one small JPEG per class in `<data_prefix>/<class>/` (and its `classes` file);
a CIFAR-style dataset (a class with `base_folder`, `train_list`, `test_list`, `meta`) gets pickled
batches in the real layout. At most one batch of samples is written, so one epoch is one iteration.

What the run changes in a config, and why (printed with the results):
- `work_dir` -> `work_dirs/<config name>` in the migrated copy; dataloaders: `num_workers=0`, `persistent_workers=False`
  (one process is faster for a few images);
- `init_cfg=dict(type='Pretrained', ...)` removed: the checkpoint is a download;
- `AmpOptimWrapper` -> `OptimWrapper` without CUDA (MMEngine's AMP wrapper asserts a GPU);
- `TensorboardVisBackend` dropped when the tensorboard package is not installed;
- CIFAR: the md5 check of the data files is skipped (generated files cannot match the real sums).
Training stops after the first epoch (a hook); validation runs once.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "verify", "model", "transforms", "data", "train", "val")
CPU_NOTES = []  # what this run changed in the config, for the report


# --- driver: migrate a copy, run each config in its own process -------------------------------

def migrate_copy(samples: Path, dest: Path) -> Path:
    project = dest / samples.name
    shutil.copytree(samples, project, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"))
    subprocess.run([sys.executable, "-m", "cli", "run", str(project), "-q", "-j", "1"],
                   check=True, cwd=ROOT)
    return project


def leaf_configs(project: Path):
    sys.path.insert(0, str(ROOT))
    from codemods.verify import config_files

    files, _ = config_files([str(project / "configs")])
    return sorted(f.relative_to(project).as_posix() for f in files)


def run_one_in_child(project: Path, config: str, timeout: int = 900) -> dict:
    """A fresh process per config: registries, default scope and imported user code do not leak."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", config]
    try:
        done = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"config": config, "error": f"timed out after {timeout}s", "failed_stage": "timeout"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {"config": config, "failed_stage": "crash",
            "error": (done.stderr or done.stdout)[-2000:]}


def run_all(samples: Path, workdir: Path) -> list:
    project = migrate_copy(samples, workdir)
    return [run_one_in_child(project, config) for config in leaf_configs(project)]


# --- one config, inside the child process --------------------------------------------------

def run_one(config: str) -> dict:
    result = {"config": config, "stages": {}, "notes": CPU_NOTES}
    sys.path.insert(0, os.getcwd())  # custom_imports name modules of the project
    stage = "load"
    try:
        for stage, step in _steps():
            result["stages"][stage] = step(config, result)
    except Exception as exc:  # report any failure with its stage; the driver goes on
        result["failed_stage"] = stage
        result["error"] = f"{type(exc).__name__}: {exc}"
        result["traceback"] = traceback.format_exc()[-3000:]
        result["project_frame"] = _innermost_project_frame(exc)
    return result


def _innermost_project_frame(exc):
    """Where in the user's own code (under the working dir) the error was raised, if there."""
    here = os.getcwd() + os.sep
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(here)]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None


def _steps():
    return [("load", _load), ("verify", _verify), ("model", _build_model),
            ("transforms", _build_transforms), ("data", _make_data), ("train", _train),
            ("val", _val)]


def _load(config, result):
    from mmengine.config import Config
    from mmpretrain.utils import register_all_modules

    register_all_modules(init_default_scope=True)
    result["cfg"] = Config.fromfile(config)  # imports custom_imports, as the Runner does
    return "ok"


def _verify(config, result):
    from codemods import verify

    Config, registries = verify.import_packages()
    problems = verify.verify_file(Path(config), Config, verify.registry_lookup(*registries))
    if problems:
        raise AssertionError("; ".join(f"{p.key}: {p.message}" for p in problems))
    return "ok"


def _build_model(config, result):
    from mmpretrain.registry import MODELS

    cfg = result["cfg"]
    model_cfg = _without_pretrained(cfg.model.copy())
    if "data_preprocessor" in cfg:  # as the Runner merges it
        model_cfg.setdefault("data_preprocessor", cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    return f"{type(model).__name__}, {sum(p.numel() for p in model.parameters())} parameters"


def _build_transforms(config, result):
    from mmpretrain.registry import TRANSFORMS

    names = []
    for transform in _pipelines(result["cfg"]):
        names.append(type(TRANSFORMS.build(transform)).__name__)
    return f"{len(names)} built: {', '.join(sorted(set(names)))}"


def _pipelines(cfg):
    for key, value in cfg.items():
        if key.endswith("_dataloader") and isinstance(value, dict):
            for dataset in _datasets(value.get("dataset")):
                yield from dataset.get("pipeline", [])


def _datasets(dataset):
    """A dataset config and the ones wrapped inside it (RepeatDataset, ConcatDataset, ...)."""
    if isinstance(dataset, dict):
        yield dataset
        for key in ("dataset", "datasets"):
            yield from _datasets(dataset.get(key))
    elif isinstance(dataset, (list, tuple)):
        for item in dataset:
            yield from _datasets(item)


# --- tiny data -----------------------------------------------------------------------------

def _make_data(config, result):
    cfg = result["cfg"]
    written = []
    for key, loader in cfg.items():
        if key.endswith("_dataloader") and isinstance(loader, dict):
            for dataset in _datasets(loader.get("dataset")):
                written.append(_write_dataset(dataset, loader.get("batch_size", 2), cfg))
    return "; ".join(sorted(set(written)))


def _num_classes(cfg) -> int:
    head = cfg.get("model", {}).get("head", {})
    return int(head.get("num_classes") or cfg.get("data_preprocessor", {}).get("num_classes") or 2)


def _write_dataset(dataset, batch_size, cfg) -> str:
    from mmpretrain.registry import DATASETS

    cls = DATASETS.get(dataset["type"])
    count = max(2, min(batch_size, _num_classes(cfg)))  # one batch: one epoch is one iteration
    if all(hasattr(cls, a) for a in ("base_folder", "train_list", "test_list", "meta")):
        return _write_cifar_like(cls, dataset, count, _num_classes(cfg))
    if _is_subclass(cls, "CustomDataset") and not dataset.get("ann_file"):
        return _write_folders(cls, dataset, count, _num_classes(cfg))
    raise NotImplementedError(f"no data generator for {dataset['type']} with these arguments "
                              "(CustomDataset folders without ann_file, CIFAR-style batches)")


def _is_subclass(cls, name):
    return any(base.__name__ == name for base in cls.__mro__)


def _lazy(cls, dataset):
    """The dataset object without loading data: it says where it reads from."""
    args = {k: v for k, v in dataset.items() if k not in ("type", "pipeline")}
    return cls(**args, pipeline=[], lazy_init=True)


def _write_cifar_like(cls, dataset, count, num_classes) -> str:
    import numpy as np
    import mmpretrain.datasets.cifar as cifar

    cifar.check_md5 = lambda *args, **kwargs: True  # see the module docstring
    _note("CIFAR: md5 check of the data files skipped (generated files)")
    root = Path(_lazy(cls, dataset).data_prefix["root"]) / cls.base_folder
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for files in (cls.train_list, cls.test_list):
        per_file = max(1, count // len(files))  # the split's files hold one batch together
        for name, _ in files:
            data = rng.integers(0, 255, (per_file, 3 * 32 * 32), dtype=np.uint8)
            labels = [i % num_classes for i in range(per_file)]  # CIFAR-100 reads 'labels' too
            (root / name).write_bytes(pickle.dumps({"data": data, "labels": labels}))
    names = [f"class{i}" for i in range(num_classes)]
    (root / cls.meta["filename"]).write_bytes(pickle.dumps({cls.meta["key"]: names}))
    return f"{cls.__name__}: {count} images per split in {root}"


def _write_folders(cls, dataset, count, num_classes) -> str:
    from PIL import Image
    import numpy as np

    classes = dataset.get("classes")
    if isinstance(classes, str):  # a file of class names, read relative to the working dir
        Path(classes).parent.mkdir(parents=True, exist_ok=True)
        Path(classes).write_text("".join(f"class{i}\n" for i in range(num_classes)))
    names = classes if isinstance(classes, (list, tuple)) else [f"class{i}" for i in range(num_classes)]
    folder = Path(_lazy(cls, dataset).img_prefix)
    rng = np.random.default_rng(0)
    for i in range(count):
        (folder / names[i % len(names)]).mkdir(parents=True, exist_ok=True)
        pixels = rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / names[i % len(names)] / f"img{i}.jpg")
    return f"{cls.__name__}: {count} JPEGs in {folder}/<class>/"


# --- the Runner ----------------------------------------------------------------------------

def _runnable_cfg(cfg):
    """The config with the CPU-run changes listed in the module docstring."""
    import torch

    cfg = cfg.copy()
    cfg.work_dir = str(Path("work_dirs", Path(cfg.filename).stem).resolve())  # inside the copy
    cfg.model = _without_pretrained(cfg.model)
    for key in [k for k in cfg if k.endswith("_dataloader")]:
        if isinstance(cfg[key], dict):
            cfg[key].num_workers = 0
            cfg[key].persistent_workers = False
    wrapper = cfg.get("optim_wrapper", {})
    if wrapper.get("type") == "AmpOptimWrapper" and not torch.cuda.is_available():
        wrapper.type = "OptimWrapper"
        wrapper.pop("loss_scale", None)
        _note("AmpOptimWrapper -> OptimWrapper (no CUDA)")
    _drop_tensorboard(cfg)
    return cfg


def _note(text):
    if text not in CPU_NOTES:
        CPU_NOTES.append(text)


def _without_pretrained(model_cfg):
    """Remove Pretrained init_cfgs anywhere in the model (their checkpoints are downloads)."""
    if isinstance(model_cfg, dict):
        init = model_cfg.get("init_cfg")
        if isinstance(init, dict) and init.get("type") == "Pretrained":
            model_cfg.pop("init_cfg")
            _note("Pretrained init_cfg removed (no download)")
        for value in model_cfg.values():
            _without_pretrained(value)
    return model_cfg


def _drop_tensorboard(cfg):
    import importlib.util

    visualizer = cfg.get("visualizer")
    if not visualizer or importlib.util.find_spec("tensorboard") is not None:
        return
    backends = visualizer.get("vis_backends", [])
    kept = [b for b in backends if b.get("type") != "TensorboardVisBackend"]
    if len(kept) != len(backends):
        visualizer.vis_backends = kept
        _note("TensorboardVisBackend dropped (tensorboard not installed)")


def _train(config, result):
    from mmengine.hooks import Hook
    from mmengine.runner import Runner

    class FirstEpochOnly(Hook):
        """Stop after the first training epoch (one iteration: the data is one batch)."""

        def __init__(self):
            self.losses, self.metrics = [], None

        def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
            self.losses.append({k: float(v) for k, v in (outputs or {}).items()})

        def after_train_epoch(self, runner):
            runner.train_loop.stop_training = True

        def after_val_epoch(self, runner, metrics=None):
            self.metrics = dict(metrics or {})

    runner = Runner.from_cfg(_runnable_cfg(result["cfg"]))
    hook = FirstEpochOnly()
    runner.register_hook(hook, priority="LOWEST")
    runner.train()
    result["runner"], result["hook"] = runner, hook
    if not hook.losses:
        raise AssertionError("no training iteration ran")
    return f"{len(hook.losses)} iteration(s), outputs {hook.losses[-1]}"


def _val(config, result):
    runner, hook = result["runner"], result["hook"]
    if hook.metrics is None:  # the config validates less often than every epoch
        runner.val()
    if not hook.metrics:
        raise AssertionError("validation returned no metric")
    return {k: round(float(v), 4) for k, v in hook.metrics.items()}


# --- output --------------------------------------------------------------------------------

def summary_line(res: dict) -> str:
    stages = res.get("stages", {})
    marks = " ".join(f"{s}:{'ok' if s in stages else ('FAIL' if res.get('failed_stage') == s else '-')}"
                     for s in STAGES)
    tail = ""
    if res.get("error"):
        where = f" (at {res['project_frame']})" if res.get("project_frame") else ""
        tail = f"  {res['failed_stage']}: {res['error'].splitlines()[0][:300]}{where}"
    return f"{res['config']:<50} {marks}{tail}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", nargs="?", default=str(ROOT / "samples"))
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temp folder)")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child mode: one config, JSON out
    args = parser.parse_args(argv)
    if args.one:
        res = run_one(args.one)
        res.pop("cfg", None), res.pop("runner", None), res.pop("hook", None)
        print(json.dumps(res, default=str))
        return 0
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="mmcodemod_real_run_"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = run_all(Path(args.samples).resolve(), workdir)
    for res in results:
        print(summary_line(res))
        for stage, text in res.get("stages", {}).items():
            print(f"    {stage}: {text}")
    notes = sorted({n for res in results for n in res.get("notes", [])})
    print("changes made for a CPU run: " + ("; ".join(notes) or "none"))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    trained = sum(1 for res in results if not res.get("error"))
    print(f"{trained} of {len(results)} configs loaded, built, trained one iteration and validated")
    return 0 if trained == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
