"""--patch: one git-apply-able diff of every change; it changes no file and equals an in-place run."""
import shutil
import subprocess

from tests.gitrepo import git, invoke, make_repo, snapshot, write_files

RESNET = "from mmcls.models import ResNet\n\nnet = ResNet(depth=18)\n"
RESNET_NEW = "from mmpretrain.models import ResNet\n\nnet = ResNet(depth=18)\n"
FILES = {
    "train.py": RESNET,
    "pkg/crlf.py": RESNET.replace("\n", "\r\n").encode(),
    "pkg/latin.py": ("# -*- coding: latin-1 -*-\n" + RESNET + "name = 'café'\n").encode("latin-1"),
    "pkg/bom.py": b"\xef\xbb\xbf" + RESNET.encode(),
    "pkg/no_newline.py": RESNET.rstrip("\n").encode(),
    "dir x/odd [1] é.py": RESNET,
    "plain.py": "import os\n",
    "README.md": "mmcls\n",
}


def test_patch_mode_changes_no_file_and_exits_1(tmp_path):
    repo = make_repo(tmp_path / "repo", FILES)
    before = snapshot(repo)
    result = invoke(["run", ".", "--patch", "../out.patch"], repo)
    assert result.exit_code == 1, result.stderr
    assert snapshot(repo) == before
    text = (tmp_path / "out.patch").read_bytes()
    assert text.startswith(b"--- a/")
    assert text.count(b"+++ b/") == 6
    assert b"+++ b/pkg/crlf.py\n" in text and b"+++ b/plain.py" not in text


def test_applying_the_patch_equals_an_in_place_run(tmp_path):
    repo = make_repo(tmp_path / "repo", FILES)
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy)
    assert invoke(["run", ".", "--patch", str(tmp_path / "out.patch")], repo).exit_code == 1
    assert invoke(["run", "."], copy).exit_code == 0
    git(repo, "apply", str(tmp_path / "out.patch"))
    assert snapshot(repo) == snapshot(copy)
    assert snapshot(repo)["train.py"] == RESNET_NEW.encode()
    assert snapshot(repo)["pkg/latin.py"].endswith("name = 'café'\n".encode("latin-1"))
    assert snapshot(repo)["pkg/bom.py"] == b"\xef\xbb\xbf" + RESNET_NEW.encode()
    assert snapshot(repo)["pkg/no_newline.py"] == RESNET_NEW.rstrip("\n").encode()
    assert snapshot(repo)["dir x/odd [1] é.py"] == RESNET_NEW.encode()


def test_paths_are_relative_to_the_repository_root_from_a_subfolder(tmp_path):
    repo = make_repo(tmp_path / "repo", FILES)
    result = invoke(["run", ".", "--patch", "sub.patch"], repo / "pkg")
    assert result.exit_code == 1, result.stderr
    text = (repo / "pkg" / "sub.patch").read_bytes()
    assert b"--- a/pkg/crlf.py\n" in text and b"train.py" not in text
    git(repo, "apply", "--check", "pkg/sub.patch")


def test_outside_a_repository_paths_are_relative_to_the_current_folder(tmp_path):
    write_files(tmp_path / "work", {"src/train.py": RESNET})
    result = invoke(["run", "src", "--patch", "p.diff", "--check"], tmp_path / "work")
    assert result.exit_code == 1 and result.stdout == "src/train.py\n"
    text = (tmp_path / "work" / "p.diff").read_text()
    assert text.startswith("--- a/src/train.py\n+++ b/src/train.py\n")
    subprocess.run(["patch", "-p1", "-i", "p.diff"], cwd=tmp_path / "work", check=True,
                   capture_output=True)
    assert (tmp_path / "work" / "src" / "train.py").read_text() == RESNET_NEW


def test_a_file_outside_the_base_is_named_and_no_patch_is_written(tmp_path):
    write_files(tmp_path, {"elsewhere/train.py": RESNET})
    (tmp_path / "here").mkdir()
    result = invoke(["run", "../elsewhere", "--patch", "p.diff"], tmp_path / "here")
    assert result.exit_code == 2 and "is outside" in result.stderr
    assert not (tmp_path / "here" / "p.diff").exists()


def test_nothing_to_do_writes_an_empty_patch_and_exits_0(tmp_path):
    repo = make_repo(tmp_path / "repo", {"plain.py": "import os\n"})
    result = invoke(["run", ".", "--patch", "p.diff"], repo)
    assert result.exit_code == 0 and (repo / "p.diff").read_bytes() == b""


def test_patch_with_diff_prints_the_same_diff(tmp_path):
    repo = make_repo(tmp_path / "repo", {"train.py": RESNET})
    result = invoke(["run", ".", "--diff", "--patch", "p.diff", "-q"], repo)
    assert result.exit_code == 1
    assert result.stdout == (repo / "p.diff").read_text()
    assert "-from mmcls.models import ResNet\n+from mmpretrain.models import ResNet\n" in result.stdout


def test_patch_and_interactive_do_not_combine(tmp_path):
    repo = make_repo(tmp_path / "repo", {"train.py": RESNET})
    result = invoke(["run", ".", "-i", "--patch", "p.diff"], repo)
    assert result.exit_code == 2 and "do not combine" in result.stderr


def test_a_path_through_a_symlinked_folder(tmp_path):
    repo = make_repo(tmp_path / "repo", {"train.py": RESNET})
    (tmp_path / "link").symlink_to(repo)
    result = invoke(["run", str(tmp_path / "link" / "train.py"), "--patch", "p.diff"], repo)
    assert result.exit_code == 1, result.stderr
    assert (repo / "p.diff").read_text().startswith("--- a/train.py\n")
