"""The dirty-tree guard: in a git work tree, in-place writes refuse files with uncommitted changes."""
from codemods.gitguard import DirtyGuard
from tests.gitrepo import git, invoke, isolated_git, make_repo, write_files

OLD = "from mmcls.models import ResNet\n\nnet = ResNet(depth=18)\n"
NEW = "from mmpretrain.models import ResNet\n\nnet = ResNet(depth=18)\n"
EDITED = OLD + "net.eval()\n"


def repo_with_edit(tmp_path):
    repo = make_repo(tmp_path / "repo", {"clean.py": OLD, "edited.py": OLD, "staged.py": OLD})
    (repo / "edited.py").write_text(EDITED)
    (repo / "staged.py").write_text(EDITED)
    git(repo, "add", "staged.py")
    write_files(repo, {"new.py": OLD})
    return repo


def test_clean_files_are_written_dirty_ones_refused_with_a_hint(tmp_path):
    repo = repo_with_edit(tmp_path)
    result = invoke(["run", "."], repo)
    assert result.exit_code == 2
    assert (repo / "clean.py").read_text() == NEW
    for name, text in [("edited.py", EDITED), ("staged.py", EDITED), ("new.py", OLD)]:
        assert (repo / name).read_text() == text
    assert "error: edited.py: has uncommitted changes; not written" in result.stderr
    assert "error: staged.py: has uncommitted changes" in result.stderr
    assert "error: new.py: is not committed to git" in result.stderr
    assert "--allow-dirty" in result.stderr and "3 refused" in result.stderr


def test_allow_dirty_writes_them(tmp_path):
    repo = repo_with_edit(tmp_path)
    result = invoke(["run", ".", "--allow-dirty"], repo)
    assert result.exit_code == 0, result.stderr
    assert (repo / "edited.py").read_text() == EDITED.replace("mmcls", "mmpretrain")
    assert (repo / "new.py").read_text() == NEW


def test_modes_that_write_nothing_never_need_it(tmp_path):
    repo = repo_with_edit(tmp_path)
    listed = invoke(["run", ".", "--check"], repo).stdout.split()
    assert listed == ["clean.py", "edited.py", "new.py", "staged.py"]
    assert invoke(["run", ".", "--diff", "-q"], repo).stdout.count("+++ b/") == 4
    patch = invoke(["run", ".", "--patch", "../p.diff"], repo)
    assert patch.exit_code == 1 and "refused" not in patch.stderr
    assert (tmp_path / "p.diff").read_text().count("+++ b/") == 4


def test_dirty_file_that_needs_no_change_is_not_a_problem(tmp_path):
    repo = make_repo(tmp_path / "repo", {"plain.py": "import os\n", "train.py": OLD})
    (repo / "plain.py").write_text("import sys\n")
    result = invoke(["run", "."], repo)
    assert result.exit_code == 0 and (repo / "train.py").read_text() == NEW


def test_outside_a_work_tree_there_is_no_guard(tmp_path):
    write_files(tmp_path, {"train.py": OLD})
    assert invoke(["run", "."], tmp_path).exit_code == 0
    assert (tmp_path / "train.py").read_text() == NEW


def test_guard_handles_renames_and_nested_folders(tmp_path):
    repo = make_repo(tmp_path / "repo", {"a/old.py": OLD, "a/b/keep.py": OLD})
    git(repo, "mv", "a/old.py", "a/renamed.py")
    with isolated_git():
        guard = DirtyGuard()
        assert "uncommitted" in guard.refusal(str(repo / "a" / "renamed.py"))
        assert guard.refusal(str(repo / "a" / "b" / "keep.py")) is None


def test_a_broken_repository_refuses_rather_than_guessing(tmp_path):
    (tmp_path / ".git").mkdir()  # looks like a work tree, but git cannot read it
    write_files(tmp_path, {"train.py": OLD})
    result = invoke(["run", "."], tmp_path)
    assert result.exit_code == 2 and "cannot tell whether it has uncommitted changes" in result.stderr
    assert (tmp_path / "train.py").read_text() == OLD


def test_files_git_is_told_not_to_look_at_are_refused(tmp_path):
    repo = make_repo(tmp_path / "repo", {"assumed.py": OLD, "skipped.py": OLD})
    git(repo, "update-index", "--assume-unchanged", "assumed.py")
    git(repo, "update-index", "--skip-worktree", "skipped.py")
    (repo / "assumed.py").write_text(EDITED)  # `git status` does not show this edit
    result = invoke(["run", "."], repo)
    assert result.exit_code == 2 and result.stderr.count("assume-unchanged or skip-worktree") == 2
    assert (repo / "assumed.py").read_text() == EDITED and (repo / "skipped.py").read_text() == OLD


def test_without_git_the_guard_refuses(tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo", {"train.py": OLD})
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    result = invoke(["run", "."], repo)
    assert result.exit_code == 2 and "cannot tell whether it has uncommitted changes" in result.stderr
    assert (repo / "train.py").read_text() == OLD
