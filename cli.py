"""mmcodemod command line: `run`, `verify`, `rules`, `explain`. Thin: options in, `codemods` does the work."""
from __future__ import annotations

import os
import sys

import click

from codemods import __version__
from codemods.rules import all_rules, get_rule
from codemods.bot import DEFAULT_BRANCH, BotError, run_bot
from codemods.report import command_of
from codemods.runner import CHECK, DIFF, INTERACTIVE, PATCH, WRITE, Settings, execute
from codemods.settings import SettingsError, load, split_list

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="mmcodemod")
def main():
    """Upgrade MMClassification 0.x / MMSelfSup 0.x code and configs to MMPretrain 1.x.

    \b
    Examples:
      mmcodemod run src/ configs/ --diff     # show what would change
      mmcodemod run . -i                     # review and apply hunk by hunk
      mmcodemod run . --check                # in CI: exit 1 while work is left
      mmcodemod verify configs/              # after migrating: do the configs load?
      mmcodemod rules                        # list the rules
      mmcodemod explain MMC101               # what a rule does, with an example
      mmcodemod bot .                        # branch, migrate, commit, write PR body
    """


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--diff", "mode", flag_value=DIFF, help="Print a unified diff (git apply-able); change nothing.")
@click.option("--check", "mode", flag_value=CHECK,
              help="List the files that would change; change nothing. Exit 1 if any would.")
@click.option("-i", "--interactive", "mode", flag_value=INTERACTIVE,
              help="Review each hunk and answer y/n/a/d/q/? (needs a terminal).")
@click.option("--select", multiple=True, metavar="IDS",
              help="Only run these rules (ids or id prefixes, comma-separated or repeated), e.g. --select MMC1,MMC401.")
@click.option("--ignore", multiple=True, metavar="IDS", help="Do not run these rules (ids or prefixes), e.g. --ignore MMC5.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching GLOB (repeatable), e.g. --exclude 'third_party/*'.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of CPUs), e.g. -j 2.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and the diff or file list asked for).")
@click.option("-v", "--verbose", is_flag=True, help="Also name every file, TODO and rule count.")
@click.option("--no-color", is_flag=True, help="No colour (also when the NO_COLOR variable is set).")
@click.option("--max-size", type=click.IntRange(min=1), default=5, show_default=True, metavar="MB",
              help="Skip files larger than this many megabytes, with a message.")
@click.option("--patch", "patch", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write one git-apply-able diff of all changes to FILE; change no other file. "
                   "Exit 1 if there are changes. Combines with --diff and --check.")
@click.option("--report", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write a report: JSON, or Markdown (a pull-request body) if FILE ends in .md.")
@click.option("--report-format", type=click.Choice(["json", "md"]), default=None,
              help="Format of --report when its extension does not say.")
@click.option("--allow-dirty", is_flag=True,
              help="In a git work tree, also rewrite files that have uncommitted changes.")
def run(paths, mode, select, ignore, exclude, jobs, quiet, verbose, no_color, max_size, patch, report,
        report_format, allow_dirty):
    """Migrate the Python files under PATHS in place (or show, check, review).

    \b
    Directories are searched for .py files and .ipynb notebooks; .gitignore'd files,
    .git, virtualenvs, site-packages, __pycache__, build/ and dist/ are skipped.
    Defaults for --select, --ignore and --exclude come from [tool.mmcodemod] in the
    nearest pyproject.toml.

    \b
    What a rule cannot migrate safely is marked in the code with
      # TODO(mmcodemod): <RULE-ID> <what to do>
    and counted in the closing summary.

    \b
    Inside a git work tree, files with uncommitted changes are not rewritten
    in place (each one is named) unless --allow-dirty is given.

    \b
    Exit codes: 0 done or nothing to do; 1 --check/--diff/--patch found work left;
                2 some file could not be processed or written, or was refused (each one is named).

    \b
    Examples:
      mmcodemod run samples/ --diff
      mmcodemod run src/ -i
      mmcodemod run . --check --exclude 'third_party/*'
      mmcodemod run . --check --patch upgrade.patch --report upgrade.md
    """
    if mode == INTERACTIVE and (patch or report):
        click.echo("error: --patch and --report do not combine with --interactive; "
                   "review with -i, then run --report on the result", err=True)
        sys.exit(2)
    mode = mode or (PATCH if patch else WRITE)
    try:
        defaults = load(paths)
    except SettingsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if mode == INTERACTIVE and not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo("error: --interactive needs a terminal (stdin and stdout are not one); "
                   "use --diff to see the changes or run without -i to apply them all", err=True)
        sys.exit(2)
    settings = Settings(
        paths=paths,
        mode=mode,
        select=split_list(select) if select else defaults.get("select", ()),
        ignore=split_list(ignore) if ignore else defaults.get("ignore", ()),
        exclude=tuple(exclude) or defaults.get("exclude", ()),
        jobs=jobs or 0,
        quiet=quiet,
        verbose=verbose,
        color=not (no_color or os.environ.get("NO_COLOR")),
        max_bytes=max_size * 1_000_000,
        patch=patch,
        report=report,
        report_format=report_format,
        allow_dirty=allow_dirty,
    )
    settings.command = command_of(settings)
    sys.exit(execute(settings))



@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--branch", default=DEFAULT_BRANCH, show_default=True, help="Branch to create and commit on.")
@click.option("--patch", default="mmcodemod.patch", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the commit's changes as a patch.")
@click.option("--body", default="mmcodemod-pr.md", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the Markdown pull-request body.")
@click.option("--select", multiple=True, metavar="IDS", help="Only run these rules (as for run).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Do not run these rules (as for run).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching files (as for run).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def bot(paths, branch, patch, body, select, ignore, exclude, jobs, quiet):
    """Create a branch, migrate PATHS (default: .) in place, commit, write patch and PR body.

    \b
    Only the files mmcodemod changed are committed; the message lists the rules
    applied. Files with uncommitted changes are refused, as in `run`. Nothing is
    pushed. Files that could not be migrated are named on stderr and in the body.

    \b
    Exit codes: 0 committed, or nothing to migrate (no branch is left behind);
                2 the bot could not run (not a git work tree, branch exists, git failed).

    \b
    Example:
      mmcodemod bot . --branch upgrade/mmpretrain --body pr.md --patch upgrade.patch
    """
    paths = paths or (".",)
    try:
        defaults = load(paths)
    except SettingsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    settings = Settings(
        paths=paths, mode=WRITE, jobs=jobs or 0, quiet=quiet, color=not os.environ.get("NO_COLOR"),
        select=split_list(select) if select else defaults.get("select", ()),
        ignore=split_list(ignore) if ignore else defaults.get("ignore", ()),
        exclude=tuple(exclude) or defaults.get("exclude", ()),
        patch=patch, report=body, report_format="md",
    )
    try:
        commit = run_bot(settings, branch)
    except BotError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if commit is None:
        click.echo("mmcodemod bot: nothing to migrate; no branch created", err=True)
    else:
        click.echo(f"mmcodemod bot: committed {commit[:12]} on {branch}; patch: {patch}; "
                   f"pull-request body: {body}", err=True)


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def verify(paths):
    """Check that migrated configs load in MMEngine and use only MMPretrain 1.x types.

    \b
    Needs MMEngine and MMPretrain installed in this environment. Each config is
    loaded with mmengine.Config.fromfile (_base_ resolved, custom_imports imported
    from the current directory); then every `type` must be registered in the
    MMPretrain registry that builds it, transforms, datasets, metrics, hooks,
    optimizers and schedulers may only hold arguments their class accepts, and
    no 0.x key (data, optimizer, lr_config, runner, ...) may be left. Nothing is
    built. Directories are searched for config files; their _base_ folders are
    skipped (name one to check it).

    \b
    Exit codes: 0 no problem; 1 problems found (each printed as CONFIG: KEY: what);
                2 MMEngine/MMPretrain not installed (the pip command is printed), a path
                  does not exist, or no config was found.

    \b
    Example:
      mmcodemod verify configs/
    """
    from codemods import verify as verifier

    sys.exit(verifier.run(paths, click.echo, lambda text: click.echo(text, err=True)))


@main.command(context_settings=CONTEXT)
def rules():
    """List every rule: id, kind (code or config) and title, in the order they run."""
    for rule in all_rules():
        click.echo(f"{rule.id:<8} {rule.kind:<7} {rule.title}")


@main.command(context_settings=CONTEXT)
@click.argument("rule_id")
def explain(rule_id):
    """Show what rule RULE_ID does, a before/after example and the guide section.

    Example: mmcodemod explain MMC101
    """
    try:
        rule = get_rule(rule_id.upper())
    except KeyError:
        click.echo(f"error: no rule {rule_id!r}; `mmcodemod rules` lists them", err=True)
        sys.exit(2)
    doc = (type(rule).__doc__ or "").strip()
    click.echo(f"{rule.id}: {rule.title}")
    click.echo(f"kind: {rule.kind}    guide: {rule.guide}")
    if doc:
        click.echo(f"\n{doc}")
    if rule.before:
        click.echo("\nBefore:\n" + _indent(rule.before))
        click.echo("After:\n" + _indent(rule.after))


def _indent(text: str) -> str:
    import textwrap

    return textwrap.indent(textwrap.dedent(text).strip("\n") + "\n", "    ")


if __name__ == "__main__":
    main()
