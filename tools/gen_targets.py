"""Generate codemods/data/targets.py: which modules and public names really exist in the target
packages (mmpretrain 1.2.0, mmengine 0.10.7, mmcv-lite 2.2.0, the pure-Python part of mmcv 2.x).

The facts come from the wheels by static analysis (no import, no torch needed): every `.py` module
of the package, and the names bound at its top level (assignments, defs, classes, imports,
including inside top-level `if`/`try`), `from .x import *` followed through `__all__`.

    python tools/gen_targets.py                 # downloads the three wheels with pip, writes the file
    python tools/gen_targets.py --wheels DIR    # uses wheels already in DIR
    python tools/gen_targets.py --check         # exit 1 if the committed file differs
"""
from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, List, Set

PACKAGES = {"mmpretrain": "mmpretrain==1.2.0", "mmengine": "mmengine==0.10.7", "mmcv": "mmcv-lite==2.2.0"}
OUT = Path(__file__).resolve().parent.parent / "codemods" / "data" / "targets.py"


def download(dest: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest), *PACKAGES.values()],
        check=True,
    )


def find_wheel(folder: Path, spec: str) -> Path:
    dist, version = spec.split("==")
    stem = dist.replace("-", "_")
    for wheel in sorted(folder.glob("*.whl")):
        if wheel.name.startswith(f"{stem}-{version}-"):
            return wheel
    raise SystemExit(f"no wheel for {spec} in {folder}")


def read_modules(wheel: Path, package: str) -> Dict[str, str]:
    """module name -> source text, for the package's own modules (no .mim data)."""
    sources = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if not name.endswith(".py") or not name.startswith(package + "/") or "/.mim/" in name:
                continue
            parts = name[:-3].split("/")
            if any(not p.isidentifier() for p in parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            sources[".".join(parts)] = zf.read(name).decode("utf-8", "replace")
    return sources


def _bound(stmts, names: Set[str], stars: List[str], all_names: List[str]) -> None:
    for node in stmts:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        names.add(sub.id)
                if isinstance(target, ast.Name) and target.id == "__all__":
                    try:
                        value = ast.literal_eval(node.value)
                    except Exception:  # noqa: BLE001 - dynamic __all__: names are still bound
                        continue
                    if isinstance(node, ast.AugAssign):
                        all_names.extend(value)
                    else:
                        all_names[:] = list(value)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    stars.append("." * node.level + (node.module or ""))
                else:
                    names.add(alias.asname or alias.name)
        elif isinstance(node, (ast.If, ast.Try, ast.With)) or type(node).__name__ == "TryStar":
            for block in ("body", "orelse", "finalbody"):
                _bound(getattr(node, block, []), names, stars, all_names)
            for handler in getattr(node, "handlers", []):
                _bound(handler.body, names, stars, all_names)


def _absolute(module: str, is_package: bool, ref: str) -> str:
    level = len(ref) - len(ref.lstrip("."))
    if level == 0:
        return ref
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    rest = ref[level:]
    return ".".join(base + ([rest] if rest else []))


def scan(sources: Dict[str, str], packages: Set[str]) -> Dict[str, Set[str]]:
    raw = {}
    for module, text in sources.items():
        names: Set[str] = set()
        stars: List[str] = []
        all_names: List[str] = []
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        _bound(tree.body, names, stars, all_names)
        is_package = any(m.startswith(module + ".") for m in sources)
        raw[module] = (names, [_absolute(module, is_package, s) for s in stars], all_names)

    resolved: Dict[str, Set[str]] = {}

    def public(module: str, seen: Set[str]) -> Set[str]:
        if module in resolved:
            return resolved[module]
        if module not in raw or module in seen:
            return set()
        seen.add(module)
        names, stars, all_names = raw[module]
        names = set(names)
        for star in stars:
            names |= exported(star, seen)
        resolved[module] = names
        return names

    def exported(module: str, seen: Set[str]) -> Set[str]:
        if module not in raw:
            return set()
        all_names = raw[module][2]
        if all_names:
            return set(all_names)
        return {n for n in public(module, seen) if not n.startswith("_")}

    result = {}
    for module in raw:
        names = public(module, set())
        # private names too (`from mmengine.utils.dl_utils.parrots_wrapper import _BatchNorm`)
        keep = {n for n in names if not (n.startswith("__") and n.endswith("__")) or n == "__version__"}
        result[module] = keep
    return result


def render(facts: Dict[str, Dict[str, Set[str]]], versions: Dict[str, str]) -> str:
    lines = [
        '"""Generated by tools/gen_targets.py from the wheels of '
        + ", ".join(versions.values())
        + ". Do not edit.",
        "",
        "MODULES maps every module of the target packages to the public names bound at its top level",
        "(space-separated, to keep loading cheap). codemods.data.targets_api reads it.",
        '"""',
        "",
        f"VERSIONS = {dict(sorted(versions.items()))!r}",
        "",
        "MODULES = {",
    ]
    for package in sorted(facts):
        for module in sorted(facts[package]):
            names = " ".join(sorted(facts[package][module]))
            lines.append(f"    {module!r}: {names!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate(wheels: Path) -> str:
    facts = {}
    versions = {}
    for package, spec in PACKAGES.items():
        wheel = find_wheel(wheels, spec)
        versions[package] = spec
        facts[package] = scan(read_modules(wheel, package), {package})
    return render(facts, versions)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder with the three wheels (default: download)")
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.wheels is None:
        with tempfile.TemporaryDirectory() as tmp:
            download(Path(tmp))
            text = generate(Path(tmp))
    else:
        text = generate(args.wheels)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} is out of date")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
