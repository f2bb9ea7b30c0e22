"""`mmcodemod bot` against a real local git repository: branch, migrate, commit, patch, PR body."""
import shutil

from tests.gitrepo import git, invoke, make_repo, snapshot

RESNET = "from mmcls.models import ResNet\n\nnet = ResNet(depth=18)\n"
SHOW = ("from mmcls.apis import init_model, show_result_pyplot\n\n"
        "model = init_model('c.py')\nshow_result_pyplot(model, 'a.jpg', other)\n")
FILES = {"train.py": RESNET, "tools/show.py": SHOW, "plain.py": "import os\n",
         "broken.py": "import mmcls\nx = (\n", ".gitignore": "out/\n"}


# Two rules whose output the tests spell out; other rules would add their own TODOs.
RULES = ("--select", "MMC101,MMC201")


def bot(repo, *args):
    args = args or RULES
    return invoke(["bot", ".", "--patch", "out/upgrade.patch", "--body", "out/pr.md", *args], repo)


def test_bot_commits_the_changed_files_on_a_new_branch(tmp_path):
    repo = make_repo(tmp_path / "repo", FILES)
    result = bot(repo)
    assert result.exit_code == 0, result.stderr
    assert "error: broken.py: syntax error" in result.stderr
    assert git(repo, "branch", "--show-current").strip() == "mmcodemod/mmpretrain-1.2"
    assert git(repo, "status", "--porcelain").strip() == ""
    assert git(repo, "diff", "--name-only", "main", "HEAD").split() == ["tools/show.py", "train.py"]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("Upgrade to MMPretrain 1.2 (mmcodemod)\n\n"
                              "mmcodemod 0.1.0 migrated 2 file(s):\n")
    assert "- MMC101 x2: " in message
    # MMC201 can only mark this show_result_pyplot call (a TODO is not a change); MMC101 marks its import.
    assert "MMC201 x" not in message
    assert "2 TODO(mmcodemod) comment(s) are left for a person" in message
    assert message.rstrip().endswith("Reproduce: mmcodemod run . --select MMC101,MMC201")
    assert git(repo, "show", "main:train.py") == RESNET


def test_patch_reproduces_the_commit_and_body_lists_the_work(tmp_path):
    repo = make_repo(tmp_path / "repo", FILES)
    bot(repo)
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy)
    git(copy, "checkout", "-q", "main")
    git(copy, "apply", str(repo / "out" / "upgrade.patch"))
    git(copy, "add", "-A")
    assert git(copy, "diff", "--cached", "--stat", "mmcodemod/mmpretrain-1.2", "--", ".", ":!out") == ""
    body = (repo / "out" / "pr.md").read_text()
    assert "| Changed | 2 |" in body and "| Failed | 1 |" in body
    lines = (repo / "tools" / "show.py").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("# TODO(mmcodemod): MMC201"))
    assert f"- [ ] `tools/show.py:{line}` **MMC201**" in body
    assert "- `broken.py` (failed): syntax error" in body
    assert "To reproduce: `mmcodemod run . --select MMC101,MMC201`" in body


def test_other_uncommitted_work_stays_out_of_the_commit(tmp_path):
    repo = make_repo(tmp_path / "repo", {**FILES, "notes.txt": "a\n"})
    (repo / "notes.txt").write_text("b\n")
    git(repo, "add", "notes.txt")
    (repo / "train.py").write_text(RESNET + "x = 1\n")  # dirty: refused, not committed
    result = bot(repo)
    assert result.exit_code == 0
    assert "error: train.py: has uncommitted changes" in result.stderr
    assert git(repo, "diff", "--name-only", "main", "HEAD").split() == ["tools/show.py"]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]
    assert (repo / "train.py").read_text() == RESNET + "x = 1\n"


def test_nothing_to_migrate_leaves_no_branch(tmp_path):
    repo = make_repo(tmp_path / "repo", {"plain.py": "import os\n"})
    result = bot(repo)
    assert result.exit_code == 0 and "nothing to migrate" in result.stderr
    assert git(repo, "branch", "--format=%(refname:short)").split() == ["main"]
    assert git(repo, "branch", "--show-current").strip() == "main"


def test_existing_branch_and_no_repository_are_refused(tmp_path):
    repo = make_repo(tmp_path / "repo", FILES)
    git(repo, "branch", "mmcodemod/mmpretrain-1.2")
    before = snapshot(repo)
    result = bot(repo)
    assert result.exit_code == 2 and "exists already" in result.stderr
    assert snapshot(repo) == before and git(repo, "branch", "--show-current").strip() == "main"
    (tmp_path / "loose").mkdir()
    result = invoke(["bot"], tmp_path / "loose")
    assert result.exit_code == 2 and "not inside a git work tree" in result.stderr


def test_custom_branch_rule_selection_and_odd_file_names(tmp_path):
    repo = make_repo(tmp_path / "repo", {**FILES, "odd [1].py": RESNET, "odd 1.py": "import os\n"})
    (repo / "odd 1.py").write_text("import sys\n")  # the user's edit; the pattern `odd [1].py` matches it
    result = bot(repo, "--branch", "upgrade", "--select", "MMC101")
    assert result.exit_code == 0
    assert git(repo, "branch", "--show-current").strip() == "upgrade"
    changed = git(repo, "diff", "--name-only", "-z", "main", "HEAD").split("\0")
    assert "odd [1].py" in changed and "odd 1.py" not in changed
    assert git(repo, "status", "--porcelain").startswith(' M "odd 1.py"')
    message = git(repo, "log", "-1", "--format=%B")
    assert "MMC201" not in message and "- MMC101 x3" in message
