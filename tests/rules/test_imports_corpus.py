"""MMC1 rules on real code we did not write: the MMClassification 0.25 and MMSelfSup 0.11 wheels
(package, tools and configs). Every changed file compiles, a second run changes nothing, every
mmpretrain / mmengine / mmcv import the rules write exists in the targets, and every mmcls /
mmselfsup import left behind has a TODO above it.

Slow: downloads the wheels with pip (or set MMCODEMOD_WHEELS to a folder that has them).
"""
import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from codemods.data import modules as table
from codemods.engine import migrate_text, verify
from codemods.rules import select_rules

WHEELS = {"mmcls": "mmcls==0.25.0", "mmselfsup": "mmselfsup==0.11.0"}


@pytest.fixture(scope="module")
def wheel_dir(tmp_path_factory):
    folder = os.environ.get("MMCODEMOD_WHEELS")
    if folder:
        return Path(folder)
    folder = tmp_path_factory.mktemp("wheels")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(folder), *WHEELS.values()],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot download the wheels: {result.stderr[-300:]}")
    return folder


def _problems(new: str):
    """(imports written that do not exist, source imports without a TODO above)."""
    missing, bare = [], []
    lines = new.splitlines()
    for node in ast.walk(ast.parse(new)):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or getattr(node, "level", 0):
            continue
        above = lines[node.lineno - 2] if node.lineno > 1 else ""
        todo = "TODO(mmcodemod)" in above
        if isinstance(node, ast.ImportFrom):
            pairs = [(node.module, a.name) for a in node.names if a.name != "*"]
            modules = [node.module]
        else:
            pairs = []
            modules = [a.name for a in node.names]
        for module in modules:
            root = module.split(".")[0]
            if root in ("mmcls", "mmselfsup") and not todo:
                bare.append(lines[node.lineno - 1])
            if root in ("mmpretrain", "mmengine") and not todo and not table.exists(module):
                missing.append(module)
        for module, name in pairs:
            root = module.split(".")[0]
            if todo:
                continue
            if root in ("mmpretrain", "mmengine") or (root == "mmcv" and table.is_target_module(module)):
                if not table.exists(f"{module}.{name}") and not table.is_target_module(f"{module}.{name}"):
                    missing.append(f"{module}.{name}")
            if root == "mmcv" and table.resolve_name(module, name) is not None:
                bare.append(lines[node.lineno - 1])
    return missing, bare


@pytest.mark.slow
@pytest.mark.parametrize("package", sorted(WHEELS))
def test_real_packages(wheel_dir, package, tmp_path):
    spec = WHEELS[package]
    wheel = next(wheel_dir.glob(f"{package}-{spec.split('==')[1]}-*.whl"), None)
    if wheel is None:
        pytest.skip(f"no wheel for {spec}")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(tmp_path)
    rules = [r for r in select_rules() if r.id.startswith("MMC1")]
    changed = 0
    report = []
    for path in sorted(tmp_path.rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not any(r.applies_to(k, text) for r in rules for k in ("code", "config")):
            continue
        new = migrate_text(text, path, rules).new
        if new == text:
            continue
        changed += 1
        rel = path.relative_to(tmp_path)
        error = verify(new, str(path))
        if error:
            report.append(f"{rel}: does not compile: {error}")
            continue
        if migrate_text(new, path, rules).new != new:
            report.append(f"{rel}: a second run changes it")
        missing, bare = _problems(new)
        report += [f"{rel}: writes {m}, which does not exist" for m in missing]
        report += [f"{rel}: left without a TODO: {b.strip()}" for b in bare]
    assert changed > 50
    assert not report, "\n".join(report[:40])
