"""Speed of mmcodemod against the cost of parsing the same files once with LibCST.

Two measurements, printed side by side (issue 2, section 8):

(a) stdlib, check mode: `mmcodemod run COPY --check -j JOBS` on a copy of the CPython standard
    library (every .py file under the stdlib folder except site-packages/dist-packages; test/ is
    included). Almost no file contains a trigger token, so the tool should do next to nothing:
    goal <= 0.02 of the baseline, and zero changes.
(b) mmcls, write mode: `mmcodemod run COPY -j JOBS` migrating, in place, a copy of the real
    MMClassification 0.25.0 wheel (package + tools + configs, laid out as in the repository).
    Goal <= 1.0 of the baseline, verification included.

The baseline is one single-process `libcst.parse_module` of each file the tool was given (the
files discovery returns; reading and decoding are done before the clock starts, so the baseline
is pure parsing). The tool is timed as a user sees it: a fresh `mmcodemod` process, wall clock,
start-up, discovery, worker pool and writing included, with its byte-code cache as after `pip
install`. The two sides alternate for a few rounds and the fastest run of each is compared (other
load on a shared machine only adds time; every round is printed). The same run through `codemods.engine.run`
inside this process (no interpreter start-up) is printed too, for (a) only, as it does not write.

Usage:
    python benchmarks/bench.py                    # full run (about 8 minutes on 2 cores)
    python benchmarks/bench.py --quick            # a subset of each corpus
    python benchmarks/bench.py --stdlib /usr/lib/python3.12 --mmcls ~/mmcls-0.25.0
--mmcls is a folder with the unzipped wheel (mmcls/ inside) or a .whl file; if the folder has no
wheel yet, `pip download --no-deps mmcls==0.25.0` fills it (default folder: a cache directory).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from pathlib import Path

import libcst as cst

from codemods import engine
from codemods.discover import discover
from codemods.files import BadInput, read_source

MMCLS_VERSION = "0.25.0"
QUICK_STDLIB = 300
QUICK_MMCLS = 150
GOAL_CHECK = 0.02
GOAL_MIGRATE = 1.0


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mmcodemod-bench"


# ---------------------------------------------------------------------------------- corpora

def stdlib_files(root: Path) -> list:
    skip = {"site-packages", "dist-packages", "__pycache__"}
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        files += [Path(folder, n) for n in sorted(names) if n.endswith(".py")]
    return files


def mmcls_wheel(where: Path) -> Path:
    """The unzipped wheel folder (containing mmcls/), downloading and unzipping if needed."""
    if where.is_file() and where.suffix == ".whl":
        target = cache_dir() / where.stem
        if not (target / "mmcls" / "__init__.py").is_file():
            _unzip(where, target)
        return target
    if (where / "mmcls" / "__init__.py").is_file():
        return where
    wheels = sorted(where.glob(f"mmcls-{MMCLS_VERSION}-*.whl")) if where.is_dir() else []
    if not wheels:
        where.mkdir(parents=True, exist_ok=True)
        print(f"downloading mmcls=={MMCLS_VERSION} into {where} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        f"mmcls=={MMCLS_VERSION}", "-d", str(where)], check=True)
        wheels = sorted(where.glob(f"mmcls-{MMCLS_VERSION}-*.whl"))
    _unzip(wheels[0], where)
    return where


def _unzip(wheel: Path, target: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)


def mmcls_files(wheel: Path) -> list:
    """(source, relative destination) for package, tools and configs, as in the repository."""
    package = wheel / "mmcls"
    mim = package / ".mim"
    pairs = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d not in {".mim", "__pycache__"})
        for name in sorted(names):
            if name.endswith(".py"):
                src = Path(folder, name)
                pairs.append((src, Path("mmcls") / src.relative_to(package)))
    for part in ("tools", "configs"):
        for src in sorted((mim / part).rglob("*.py")):
            pairs.append((src, Path(part) / src.relative_to(mim / part)))
    return pairs


def copy_tree(pairs, dest: Path) -> None:
    for src, rel in pairs:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)


def subset(items: list, n: int) -> list:
    """Every k-th item, so that a quick run still sees every part of the corpus."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


# ---------------------------------------------------------------------------------- timing

def baseline(files) -> dict:
    """One single-process LibCST parse of each file; reading and decoding are not timed."""
    texts = []
    unreadable = 0
    size = 0
    for path in files:
        try:
            source = read_source(path, engine.DEFAULT_MAX_BYTES)
        except BadInput:
            unreadable += 1
            continue
        texts.append(source.text)
        size += len(source.text.encode("utf-8"))
    failed = 0
    start = time.perf_counter()
    for text in texts:
        try:
            cst.parse_module(text)
        except Exception:  # noqa: BLE001 - a file LibCST cannot parse still cost its time
            failed += 1
    seconds = time.perf_counter() - start
    return dict(seconds=seconds, parsed=len(texts) - failed, failed=failed,
                unreadable=unreadable, mb=size / 1e6)


SUMMARY = re.compile(r"mmcodemod: (?P<scanned>\d+) files scanned, (?P<changed>\d+) (would change|changed), "
                     r"(?P<unchanged>\d+) unchanged, (?P<failed>\d+) failed.*?; (?P<todos>\d+) TODOs?")


def tool_env() -> dict:
    """The tool runs with Python's byte-code cache, as an installed tool does (pip compiles it
    at install time); some sandboxes set PYTHONDONTWRITEBYTECODE, which recompiles every module
    of the tool at each start."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up() -> None:
    """Write the byte-code cache of the tool and its rules (untimed)."""
    subprocess.run([sys.executable, "-c", "import cli; from codemods.rules import select_rules; select_rules()"],
                   env=tool_env(), check=True)


def run_cli(folder: Path, jobs: int, check: bool) -> dict:
    args = [sys.executable, "-m", "cli", "run", str(folder), "--jobs", str(jobs), "--no-color"]
    if check:
        args.append("--check")
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=folder, env=tool_env())
    seconds = time.perf_counter() - start
    match = SUMMARY.search(proc.stderr)
    info = dict(seconds=seconds, code=proc.returncode, summary="", errors=[])
    if match:
        info.update({k: int(v) for k, v in match.groupdict().items() if v and v.isdigit()})
        info["summary"] = match.group(0)
    info["errors"] = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    info["listed"] = [line for line in proc.stdout.splitlines() if line.strip()] if check else []
    if proc.returncode not in (0, 1) and not info["errors"]:
        info["errors"] = proc.stderr.strip().splitlines()[-5:]
    return info


def run_engine(files, jobs: int) -> dict:
    options = engine.Options(keep_text=False)
    start = time.perf_counter()
    counts = {"changed": 0, "unchanged": 0, "failed": 0, "skipped": 0}
    for result in engine.run(files, options, jobs):
        counts[result.status] = counts.get(result.status, 0) + 1
    counts["seconds"] = time.perf_counter() - start
    return counts


def prefilter_stats(files) -> dict:
    """How many files the prefilter lets through to the parser, and the code-rule trigger words
    that let the most through (config-rule words only count in files that look like configs)."""
    from codemods.rules import select_rules

    rules = select_rules()
    prefilter = engine.Prefilter(rules)
    tokens = {t for r in rules if r.kind != "config" for t in r.triggers}
    passed, words = 0, {}
    for path in files:
        try:
            text = read_source(path, engine.DEFAULT_MAX_BYTES).text
        except BadInput:
            continue
        if prefilter.search(text, path):  # as the engine asks, fork folders included
            passed += 1
            for token in tokens:
                if token in text:
                    words[token] = words.get(token, 0) + 1
    top = sorted(words.items(), key=lambda kv: -kv[1])[:6]
    return dict(passed=passed, top=top)


def digest(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.py"))}


# ---------------------------------------------------------------------------------- report

def fastest(runs: list) -> dict:
    """The least disturbed of several runs: other load on the machine only ever adds time."""
    return min(runs, key=lambda r: r["seconds"])


def bench_stdlib(root: Path, quick: bool, jobs: int, work: Path, rounds: int) -> dict:
    files = stdlib_files(root)
    if quick:
        files = subset(files, QUICK_STDLIB)
    copy = work / "stdlib"
    copy_tree([(f, f.relative_to(root)) for f in files], copy)
    found, _ = discover([str(copy)])
    before = digest(copy)
    bases, tools = [], []
    for _ in range(rounds):  # the two sides alternate, so that both see the same machine
        bases.append(baseline(found))
        tools.append(run_cli(copy, jobs, check=True))
    base = fastest(bases)
    base["prefilter"] = prefilter_stats(found)
    eng = run_engine(found, jobs)
    after = digest(copy)
    return dict(name="(a) stdlib --check", copied=len(files), found=len(found), base=base,
                tool=fastest(tools), rounds=list(zip(bases, tools)), engine=eng,
                written=sum(before[k] != after.get(k) for k in before), goal=GOAL_CHECK, source=str(root))


def bench_mmcls(where: Path, quick: bool, jobs: int, work: Path, rounds: int) -> dict:
    wheel = mmcls_wheel(where)
    pairs = mmcls_files(wheel)
    if quick:
        pairs = subset(pairs, QUICK_MMCLS)
    bases, tools, written = [], [], []
    for index in range(rounds):  # a fresh copy each round: the tool rewrites it in place
        copy = work / f"mmcls-0.25-{index}"
        copy_tree(pairs, copy)
        found, _ = discover([str(copy)])
        before = digest(copy)
        bases.append(baseline(found))
        if index == 0:
            prefilter = prefilter_stats(found)  # before the tool rewrites the copy
        tools.append(run_cli(copy, jobs, check=False))
        after = digest(copy)
        written.append(sum(before[k] != after.get(k) for k in before))
    base = fastest(bases)
    base["prefilter"] = prefilter
    return dict(name="(b) mmcls 0.25 migrate", copied=len(pairs), found=len(found), base=base,
                tool=fastest(tools), rounds=list(zip(bases, tools)), engine=None,
                written=written[-1] if len(set(written)) == 1 else written, goal=GOAL_MIGRATE,
                source=str(wheel))


def report(results) -> None:
    print()
    head = f"{'':24} {'files':>6} {'MB':>6} {'parse s':>8} {'tool s':>8} {'ratio':>7} {'goal':>6} " \
           f"{'changed':>8} {'failed':>7} {'TODOs':>6}"
    print(head)
    print("-" * len(head))
    for r in results:
        base, tool = r["base"], r["tool"]
        ratio = tool["seconds"] / base["seconds"] if base["seconds"] else float("nan")
        ok = "ok" if ratio <= r["goal"] else "MISSED"
        changed = tool.get("changed", "?")
        print(f"{r['name']:24} {r['found']:>6} {base['mb']:>6.1f} {base['seconds']:>8.2f} "
              f"{tool['seconds']:>8.2f} {ratio:>7.3f} {r['goal']:>6} {changed!s:>8} "
              f"{tool.get('failed', '?')!s:>7} {tool.get('todos', '?')!s:>6}  {ok}")
    print()
    for r in results:
        base, tool = r["base"], r["tool"]
        print(f"{r['name']}: {r['source']}")
        print(f"  files copied {r['copied']}, discovered by mmcodemod {r['found']}; baseline parsed "
              f"{base['parsed']}, LibCST could not parse {base['failed']}, unreadable {base['unreadable']}")
        pre = base.get("prefilter")
        if pre:
            words = ", ".join(f"{w!r} {n}" for w, n in pre["top"])
            print(f"  files past the prefilter (parsed by mmcodemod): {pre['passed']}; "
                  f"code-rule trigger words among them: {words or 'none'}")
        print(f"  mmcodemod exit code {tool['code']}; {tool['summary'] or 'no summary line'}")
        paired = [(b["seconds"], t["seconds"]) for b, t in r["rounds"] if b["seconds"]]
        rounds = ", ".join(f"{b:.2f}/{t:.2f}={t / b:.3f}" for b, t in paired)
        print(f"  rounds, parse s/tool s=ratio: {rounds} (the table uses the fastest run of each side)")
        if paired:
            print(f"  median ratio of the rounds (each pair run back to back): "
                  f"{statistics.median(t / b for b, t in paired):.3f}")
        print(f"  files whose bytes changed on disk: {r['written']}")
        if r["engine"]:
            eng = r["engine"]
            ratio = eng["seconds"] / base["seconds"] if base["seconds"] else float("nan")
            print(f"  in-process engine.run (no start-up): {eng['seconds']:.2f}s, ratio {ratio:.3f}; "
                  f"changed {eng['changed']}, failed {eng['failed']}")
        for line in tool["errors"][:10]:
            print(f"  {line}")
        if len(tool["errors"]) > 10:
            print(f"  ... and {len(tool['errors']) - 10} more errors")
        for line in tool.get("listed", [])[:10]:
            print(f"  would change: {line}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stdlib", type=Path, default=Path(sysconfig.get_paths()["stdlib"]),
                        help="standard library folder (default: this interpreter's)")
    parser.add_argument("--mmcls", type=Path, default=cache_dir() / f"mmcls-{MMCLS_VERSION}",
                        help="unzipped mmcls wheel folder or .whl (downloaded if absent)")
    parser.add_argument("--quick", action="store_true",
                        help=f"only {QUICK_STDLIB} stdlib and {QUICK_MMCLS} mmcls files")
    parser.add_argument("--jobs", type=int, default=2, help="mmcodemod worker processes (default 2)")
    parser.add_argument("--only", choices=["stdlib", "mmcls"], help="run one of the two")
    parser.add_argument("--keep", action="store_true", help="keep the copies (path printed)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="baseline and tool runs, alternating (default 3); the fastest of each counts")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="mmcodemod-bench-"))
    results = []
    rounds = max(1, args.rounds)
    warm_up()
    try:
        if args.only in (None, "stdlib"):
            results.append(bench_stdlib(args.stdlib, args.quick, args.jobs, work, rounds))
        if args.only in (None, "mmcls"):
            results.append(bench_mmcls(args.mmcls, args.quick, args.jobs, work, rounds))
        report(results)
    finally:
        if args.keep:
            print(f"copies kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    missed = [r for r in results
              if r["tool"]["seconds"] > r["goal"] * r["base"]["seconds"] or r["tool"]["code"] == 2]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
