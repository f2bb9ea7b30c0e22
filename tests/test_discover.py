"""Which files a run sees."""
import os
import subprocess

from codemods.discover import discover


def names(files, root):
    return sorted(os.path.relpath(f, root) for f in files)


def touch(path, text="x = 1\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_skips_tool_folders_and_venvs(tmp_path):
    for rel in ["a.py", "pkg/b.py", ".git/c.py", "build/d.py", "dist/e.py", "pkg/__pycache__/f.py",
                "env/lib/site-packages/g.py", "myenv/h.py", "notes.txt"]:
        touch(tmp_path / rel)
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    files, problems = discover([str(tmp_path)])
    assert names(files, tmp_path) == ["a.py", "pkg/b.py"]
    assert problems == []


def test_gitignore_inside_a_work_tree(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    touch(tmp_path / ".gitignore", "generated/\nskip_*.py\n")
    touch(tmp_path / "sub" / ".gitignore", "local.py\n")
    for rel in ["keep.py", "skip_me.py", "generated/x.py", "sub/local.py", "sub/other.py"]:
        touch(tmp_path / rel)
    files, _ = discover([str(tmp_path)])
    assert names(files, tmp_path) == ["keep.py", "sub/other.py"]


def test_gitignore_not_applied_outside_git(tmp_path):
    touch(tmp_path / ".gitignore", "skip_*.py\n")
    touch(tmp_path / "skip_me.py")
    files, _ = discover([str(tmp_path)])
    assert names(files, tmp_path) == ["skip_me.py"]


def test_exclude_globs(tmp_path):
    for rel in ["a.py", "third_party/b.py", "tests/test_c.py"]:
        touch(tmp_path / rel)
    files, _ = discover([str(tmp_path)], exclude=["third_party", "test_*.py"])
    assert names(files, tmp_path) == ["a.py"]


def test_symlink_dir_cycle_and_duplicates(tmp_path):
    touch(tmp_path / "pkg" / "a.py")
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg")
    (tmp_path / "alias.py").symlink_to(tmp_path / "pkg" / "a.py")
    files, _ = discover([str(tmp_path), str(tmp_path / "pkg" / "a.py")])
    assert len(files) == 1


def test_missing_path_is_a_problem(tmp_path):
    files, problems = discover([str(tmp_path / "nope")])
    assert files == [] and problems[0][1] == "no such file or directory"


def test_explicit_file_is_taken_whatever_its_name(tmp_path):
    touch(tmp_path / "script")
    files, _ = discover([str(tmp_path / "script")])
    assert len(files) == 1


def test_an_ignored_folder_named_explicitly_is_walked(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    touch(tmp_path / ".gitignore", "versions/\n")
    touch(tmp_path / "versions" / "lib" / "a.py")
    touch(tmp_path / "versions" / "lib" / ".gitignore", "b.py\n")
    touch(tmp_path / "versions" / "lib" / "b.py")
    assert discover([str(tmp_path)])[0] == []
    files, _ = discover([str(tmp_path / "versions")])
    assert names(files, tmp_path) == ["versions/lib/a.py"]
