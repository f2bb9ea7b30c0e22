"""Per-hunk review: the reviewer on its own, then the real command on a pty."""
import io
import os
import sys
from pathlib import Path

import pexpect
import pytest

from codemods.engine import FileResult
from codemods.interactive import Quit, Reviewer

OLD = "import a\n" + "".join(f"x{i} = {i}\n" for i in range(10)) + "y = a.f()\n"
NEW = "import b\n" + "".join(f"x{i} = {i}\n" for i in range(10)) + "y = b.f()\n"


def review(old, new, answers, spans=()):
    out = io.StringIO()
    reviewer = Reviewer(out=out, inp=io.StringIO(answers), color=False)
    result = FileResult("f.py", "changed", old=old, new=new, spans=list(spans))
    return reviewer.review(result, "f.py"), out.getvalue()


def test_yes_to_all_gives_the_new_text():
    outcome, shown = review(OLD, NEW, "y\ny\n", [("R1", 0, 1), ("R2", 11, 12)])
    assert outcome.text == NEW and outcome.accepted == 2
    assert "[R1] hunk 1 of 2" in shown and "[R2] hunk 2 of 2" in shown


def test_declining_a_hunk_warns_about_the_dangling_name():
    outcome, shown = review(OLD, NEW, "y\nn\n")
    assert outcome.text == NEW.replace("b.f()", "a.f()")
    assert "leave a used but no longer defined" in shown


def test_a_and_d_answer_for_the_rest_of_the_file():
    assert review(OLD, NEW, "a\n")[0].text == NEW
    assert review(OLD, NEW, "d\n")[0].text is None


def test_help_then_answer():
    outcome, shown = review(OLD, NEW, "?\ny\ny\n")
    assert "apply this hunk and all later hunks" in shown and outcome.text == NEW


def test_quit_raises():
    with pytest.raises(Quit):
        review(OLD, NEW, "q\n")


def test_half_of_a_multiline_rewrite_is_refused_and_asked_again():
    old = "call(\n" + "".join(f"    a{i},\n" for i in range(8)) + ")\n"
    new = "other = [\n" + "".join(f"    a{i},\n" for i in range(8)) + "]\n"
    outcome, shown = review(old, new, "y\nn\ny\ny\n")
    assert "do not parse without hunk(s) 2" in shown
    assert outcome.text == new


ROOT = Path(__file__).resolve().parent.parent
OLD_FILE = ("from mmcls.models.backbones import ResNet\n" + "".join(f"x{i} = {i}\n" for i in range(8))
            + "import mmcls.datasets\n")


def spawn(tmp_path, *args):
    (tmp_path / "train.py").write_text(OLD_FILE)
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    return pexpect.spawn(sys.executable, ["-m", "cli", "run", "-i", "-j", "1", *args, str(tmp_path)],
                         cwd=str(ROOT), env=env, encoding="utf-8", timeout=30)


def test_pty_accept_first_decline_second(tmp_path):
    child = spawn(tmp_path)
    child.expect(r"\(1/2\) Apply this hunk \[y,n,a,d,q,\?\]\? ")
    child.sendline("y")
    child.expect(r"\(2/2\) Apply this hunk")
    child.sendline("n")
    child.expect("1 changed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = (tmp_path / "train.py").read_text()
    assert text.startswith("from mmpretrain.models.backbones import ResNet") and text.endswith("import mmcls.datasets\n")


def test_pty_quit_writes_nothing(tmp_path):
    child = spawn(tmp_path)
    child.expect(r"Apply this hunk")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "train.py").read_text() == OLD_FILE
