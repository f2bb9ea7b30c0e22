"""`mmcodemod bot`: the whole upgrade as one commit on a new branch, ready for a pull request.

create branch -> run in place (the dirty-tree guard stays on) -> commit only the files mmcodemod
changed, with a message that lists the rules applied -> the patch and the Markdown body are
written for the pull request. Nothing is pushed: that, and opening the pull request, is the CI
job's business (see docs/ci.md).
"""
from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path
from typing import List, Optional

from codemods import __version__
from codemods.report import Report, command_of, title_of
from codemods.runner import WRITE, Settings, execute

DEFAULT_BRANCH = "mmcodemod/mmpretrain-1.2"
TITLE = "Upgrade to MMPretrain 1.2 (mmcodemod)"


class BotError(Exception):
    """The bot cannot go on; the message is for the user."""


def git(root: Path, *args: str, stdin: Optional[str] = None) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, input=stdin)
    if proc.returncode != 0:
        raise BotError(f"git {' '.join(args[:2])} failed: {proc.stderr.strip() or proc.returncode}")
    return proc.stdout


def work_tree() -> Path:
    proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise BotError("not inside a git work tree; the bot commits its changes, so it needs one")
    return Path(proc.stdout.strip())


def commit_message(doc: dict) -> str:
    """A subject line, then what changed by rule, what is left, and how to reproduce."""
    totals = doc["totals"]
    lines = [TITLE, "", f"mmcodemod {__version__} migrated {totals['changed']} file(s):"]
    for rule, count in totals["rules"].items():
        lines.append(f"- {rule} x{count}: {title_of(rule)}")
    todos = totals["todos"]
    if todos:
        lines += ["", f"{todos} TODO(mmcodemod) comment(s) are left for a person; "
                      "the pull-request body lists them."]
    lines += ["", f"Reproduce: {doc['command']}"]
    return "\n".join(lines) + "\n"


class _Collector(Report):
    """Keeps the run's report in memory for the commit message."""

    def finish(self) -> None:
        return None


def run_bot(settings: Settings, branch: str = DEFAULT_BRANCH) -> Optional[str]:
    """Branch, migrate, commit. Returns the new commit's id, or None when nothing changed."""
    root = work_tree()
    if git(root, "branch", "--list", branch).strip():
        raise BotError(f"branch {branch!r} exists already; delete it or pass --branch")
    start = git(root, "rev-parse", "--abbrev-ref", "HEAD").strip()
    if start == "HEAD":  # detached: come back to the commit itself
        start = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "-b", branch)
    settings = replace(settings, mode=WRITE, command=command_of(settings, outputs=False))
    collector = _Collector(WRITE, settings.command)
    execute(settings, observers=[collector])
    doc = collector.document()
    changed: List[str] = [f["path"] for f in doc["files"] if f["status"] == "changed"]
    if not changed:
        git(root, "checkout", "-q", start)
        git(root, "branch", "-q", "-D", branch)
        return None
    # Paths go through stdin: a large code base can change more files than a command line holds.
    paths = "\0".join(changed)
    literal = "--literal-pathspecs"  # a file called `a[1].py` is that file, not a pattern
    git(root, literal, "add", "--pathspec-from-file=-", "--pathspec-file-nul", stdin=paths)
    git(root, literal, "commit", "-q", "-m", commit_message(doc), "--pathspec-from-file=-",
        "--pathspec-file-nul", stdin=paths)
    return git(root, "rev-parse", "HEAD").strip()
