"""Helpers for rule tests: no-op cases first, then before/after cases.

`check_transformed` also checks that the output compiles and that a second run changes nothing.
"""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Optional

from click.testing import CliRunner

from codemods.engine import migrate_text, verify
from codemods.rules import get_rule, select_rules


def _rules(rule_ids):
    if isinstance(rule_ids, str):
        rule_ids = [rule_ids]
    wanted = set(rule_ids)
    return [r for r in select_rules() if r.id in wanted] or [get_rule(i) for i in rule_ids]


def migrate(source: str, rule_ids, kind: Optional[str] = None, path: Optional[Path] = None) -> str:
    return migrate_text(textwrap.dedent(source), path, _rules(rule_ids), kind=kind).new


def check_noop(rule_ids, source: str, kind: Optional[str] = None, path: Optional[Path] = None) -> None:
    source = textwrap.dedent(source)
    assert migrate(source, rule_ids, kind, path) == source


def check_transformed(rule_ids, before: str, after: str, kind: Optional[str] = None,
                      path: Optional[Path] = None) -> None:
    before, after = textwrap.dedent(before), textwrap.dedent(after)
    result = migrate(before, rule_ids, kind, path)
    assert result == after
    assert verify(result, "<test>") is None
    assert migrate(result, rule_ids, kind, path) == result, "a second run changed the output"


def cli_runner() -> CliRunner:
    """A click test runner that keeps stderr apart on every click the project supports."""
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr into output by default
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps them apart
