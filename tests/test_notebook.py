"""Notebooks: code cells are migrated in every mode; every other byte of the file stays as it was."""
import json
import os
import sys
from pathlib import Path

import pexpect

from codemods.notebook import mask, unmask
from codemods.report import validate
from tests.gitrepo import git, invoke, make_repo, snapshot

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def code(source, outputs=(), count=None):
    return {"cell_type": "code", "execution_count": count, "metadata": {"tags": ["keep"]},
            "outputs": list(outputs), "source": source}


def lines(text):
    return text.splitlines(True)


CELLS = [
    {"cell_type": "markdown", "metadata": {}, "source": lines("# Démo: mmcls 0.x\nInstall `mmcls` first.")},
    code(lines("!pip install mmcls==0.25.0\n%cd /content/project")),
    code(lines("from mmcls.models import ResNet\n\nnet = ResNet(depth=18)"),
         outputs=[{"output_type": "display_data", "data": {"image/png": PNG, "text/plain": ["<Figure>"]},
                   "metadata": {}},
                  {"name": "stdout", "output_type": "stream", "text": ["from mmcls.models import ResNet\n"]}],
         count=3),
    code(lines("%%bash\npython -c 'from mmcls.models import ResNet'\n")),
    code(lines("files = !ls\nfor f in files:\n    !echo {f}\n    from mmcls.models import ResNet\nResNet?")),
    code([]),
]
NB = {"cells": CELLS, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                   "name": "python3"}},
      "nbformat": 4, "nbformat_minor": 5}

# What the migrated cells must be (MMC101 renames the import; IPython lines stay as they were).
CELL2_NEW = "from mmpretrain.models import ResNet\n\nnet = ResNet(depth=18)"
CELL4_NEW = "files = !ls\nfor f in files:\n    !echo {f}\n    from mmpretrain.models import ResNet\nResNet?"


def dump(nb):
    """The notebook the way Jupyter writes it."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def expected():
    nb = json.loads(json.dumps(NB))
    nb["cells"][2]["source"] = lines(CELL2_NEW)
    nb["cells"][4]["source"] = lines(CELL4_NEW)
    return dump(nb)


def repo(tmp_path, text=None):
    return make_repo(tmp_path / "repo", {"demo.ipynb": text or dump(NB), "notes/empty.ipynb": dump(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})})


def test_write_changes_only_the_code_cells_that_need_it(tmp_path):
    root = repo(tmp_path)
    result = invoke(["run", ".", "--select", "MMC101"], root)
    assert result.exit_code == 0, result.stderr
    assert (root / "demo.ipynb").read_text(encoding="utf-8") == expected()
    assert "2 files scanned, 1 changed" in result.stderr
    assert invoke(["run", ".", "--select", "MMC101", "--check"], root).exit_code == 0


def test_diff_and_patch_apply_with_git_and_equal_the_write(tmp_path):
    root = repo(tmp_path)
    diff = invoke(["run", ".", "--select", "MMC101", "--diff", "-q"], root)
    assert diff.exit_code == 1 and diff.stdout.startswith("--- a/demo.ipynb\n+++ b/demo.ipynb\n")
    assert '-    "from mmcls.models import ResNet\\n",\n+    "from mmpretrain.models import ResNet\\n",' in diff.stdout
    assert invoke(["run", ".", "--select", "MMC101", "--patch", "../p.diff"], root).exit_code == 1
    assert (tmp_path / "p.diff").read_text() == diff.stdout
    assert (root / "demo.ipynb").read_text() == dump(NB)
    git(root, "apply", "../p.diff")
    assert (root / "demo.ipynb").read_text(encoding="utf-8") == expected()


def test_check_lists_the_notebook(tmp_path):
    root = repo(tmp_path)
    result = invoke(["run", ".", "--check"], root)
    assert result.exit_code == 1 and result.stdout == "demo.ipynb\n"


def test_other_layouts_keep_their_bytes(tmp_path):
    nb = {"nbformat": 4, "nbformat_minor": 2, "metadata": {"language_info": {"name": "python"}},
          "cells": [{"cell_type": "code", "source": "import os\nfrom mmcls.models import ResNet  # r\u00e9seau",
                     "metadata": {}, "outputs": [], "execution_count": 1},
                    {"cell_type": "markdown", "source": ["caf\u00e9"], "metadata": {}}]}
    text = json.dumps(nb, indent=2, ensure_ascii=True).replace("\n", "\r\n")
    root = repo(tmp_path, text)
    invoke(["run", ".", "--select", "MMC101"], root)
    old_value = '"import os\\nfrom mmcls.models import ResNet  # r\\u00e9seau"'
    new_value = '"import os\\nfrom mmpretrain.models import ResNet  # r\\u00e9seau"'
    assert text.count(old_value) == 1
    assert (root / "demo.ipynb").read_bytes() == text.replace(old_value, new_value).encode()


def test_cells_share_one_namespace(tmp_path):
    nb = dict(NB, cells=[code(lines("from mmcls.apis import init_model, inference_model\n")),
                         code(lines("model = init_model('cfg.py')\n")),
                         code(lines("result = inference_model(model, 'demo.jpg')\nprint(result)"))])
    root = repo(tmp_path, dump(nb))
    assert invoke(["run", ".", "--select", "MMC101,MMC201"], root).exit_code == 0
    cells = ["".join(c["source"]) for c in json.loads((root / "demo.ipynb").read_text())["cells"]]
    assert "mmcls" not in "".join(cells)
    assert "ImageClassificationInferencer" in cells[0]
    assert cells[1] == "model = init_model('cfg.py')\ninferencer = ImageClassificationInferencer(model)\n"
    assert cells[2] == "result = inferencer('demo.jpg')[0]\nprint(result)"


def test_todo_lines_point_into_the_ipynb_file(tmp_path):
    nb = dict(NB, cells=[code(lines("from mmcls.apis import init_model, show_result_pyplot\n"
                                    "model = init_model('c.py')\n"
                                    "show_result_pyplot(model, 'a.jpg', other)\n"))])
    root = repo(tmp_path, dump(nb))
    invoke(["run", ".", "--select", "MMC101,MMC201", "--report", "r.md", "--check"], root)
    invoke(["run", ".", "--select", "MMC101,MMC201", "--report", "r.json"], root)
    [entry] = [f for f in json.loads((root / "r.json").read_text())["files"] if f["status"] == "changed"]
    # MMC201 marks the call, MMC101 the import of the removed name.
    todo = next(t for t in entry["todos"] if t["rule"] == "MMC201")
    line = (root / "demo.ipynb").read_text().splitlines()[todo["line"] - 1]
    assert line.strip().startswith('"# TODO(mmcodemod): MMC201 show_result_pyplot')
    source = json.loads((root / "demo.ipynb").read_text())["cells"][0]["source"]
    assert todo["cell"] == 1 and source[todo["cell_line"] - 1].startswith("# TODO(mmcodemod): MMC201")
    assert validate(json.loads((root / "r.json").read_text())) == []
    expected = f"- [ ] `demo.ipynb:{todo['line']}` (cell 1, line {todo['cell_line']}) **MMC201**"
    assert expected in (root / "r.md").read_text()


def test_a_cell_that_does_not_parse_is_named_and_the_notebook_left_alone(tmp_path):
    nb = dict(NB, cells=[code(lines("from mmcls.models import ResNet\n")), code(lines("x = (\n"))])
    root = repo(tmp_path, dump(nb))
    result = invoke(["run", "."], root)
    assert result.exit_code == 2 and "demo.ipynb: cell 2: syntax error at line 1" in result.stderr
    assert (root / "demo.ipynb").read_text() == dump(nb)


def test_other_kernels_and_broken_files(tmp_path):
    r_nb = dict(NB, metadata={"kernelspec": {"language": "R", "name": "ir"}},
                cells=[code(lines("library(mmcls)\n"))])
    root = make_repo(tmp_path / "repo", {"r.ipynb": dump(r_nb), "bad.ipynb": '{"cells": [',
                                         "old.ipynb": json.dumps({"worksheets": [], "nbformat": 3})})
    before = snapshot(root)
    result = invoke(["run", "."], root)
    assert result.exit_code == 2
    assert "error: bad.ipynb: not valid JSON" in result.stderr
    assert "error: old.ipynb: no 'cells' list (nbformat 3" in result.stderr
    assert "r.ipynb" not in result.stderr and snapshot(root) == before


def test_mask_round_trip():
    source = "x = 1\n!pip install \\\n  mmcls\n%time y = f(x)\n  help?\nz = %pwd\nw = x % 2\n"
    saved = []
    masked = mask(source, saved)
    assert masked == ("x = 1\n__mmcodemod_magic__(0)\n__mmcodemod_magic__(1)\n"
                      "  __mmcodemod_magic__(2)\n__mmcodemod_magic__(3)\nw = x % 2\n")
    assert saved == ["!pip install \\\n  mmcls", "%time y = f(x)", "  help?", "z = %pwd"]
    compile(masked.replace("  __mm", "__mm"), "<cell>", "exec")
    assert unmask(masked, saved) == source
    assert unmask(masked.replace("__mmcodemod_magic__(1)\n", ""), saved) == source.replace("%time y = f(x)\n", "")
    assert unmask(masked + "__mmcodemod_magic__(0)\n", saved) is None


ROOT = Path(__file__).resolve().parent.parent


def test_interactive_review_per_cell(tmp_path):
    root = repo(tmp_path)
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    child = pexpect.spawn(sys.executable, ["-m", "cli", "run", "-i", "-j", "1", "--select", "MMC101",
                                           str(root / "demo.ipynb")],
                          cwd=str(ROOT), env=env, encoding="utf-8", timeout=30)
    child.expect(r"demo.ipynb \(cell 3\)")
    child.expect(r"\(1/1\) Apply this hunk")
    child.sendline("y")
    child.expect(r"demo.ipynb \(cell 5\)")
    child.expect(r"\(1/1\) Apply this hunk")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    nb = json.loads(dump(NB))
    nb["cells"][2]["source"] = lines(CELL2_NEW)
    assert (root / "demo.ipynb").read_text(encoding="utf-8") == dump(nb)


def test_cell_magics_with_a_python_body_are_migrated_others_not(tmp_path):
    cells = [code(lines("%%time\nfrom mmcls.models import ResNet\n")),
             code(lines("%%writefile tools/train.py\nfrom mmcls.models import ResNet\n")),
             code(lines("%%capture out\nfrom mmcls.models import ResNet"))]
    root = repo(tmp_path, dump(dict(NB, cells=cells)))
    assert invoke(["run", ".", "--select", "MMC101"], root).exit_code == 0
    sources = ["".join(c["source"]) for c in json.loads((root / "demo.ipynb").read_text())["cells"]]
    assert sources == ["%%time\nfrom mmpretrain.models import ResNet\n",
                       "%%writefile tools/train.py\nfrom mmcls.models import ResNet\n",
                       "%%capture out\nfrom mmpretrain.models import ResNet"]


def test_an_import_repeated_in_a_later_cell_is_kept(tmp_path):
    """One file would lose the repeat; a notebook cell needs it to run on its own."""
    cells = [code(lines("from mmcls.models import ResNet\nfrom mmcls.apis import init_model, inference_model\n"
                        "model = init_model('c.py')\n")),
             code(lines("import os\nfrom mmcls.models import ResNet\nnet = ResNet(depth=18)\n")),
             code(lines("%%time\nfrom mmcls.models import ResNet\nresult = inference_model(model, 'a.jpg')"))]
    root = repo(tmp_path, dump(dict(NB, cells=cells)))
    assert invoke(["run", ".", "--select", "MMC101,MMC201"], root).exit_code == 0
    sources = ["".join(c["source"]) for c in json.loads((root / "demo.ipynb").read_text())["cells"]]
    assert sources[1] == "import os\nfrom mmpretrain.models import ResNet\nnet = ResNet(depth=18)\n"
    assert sources[2] == "%%time\nfrom mmpretrain.models import ResNet\nresult = inferencer('a.jpg')[0]"


def test_a_notebook_with_a_byte_order_mark_keeps_it(tmp_path):
    root = repo(tmp_path)
    (root / "demo.ipynb").write_bytes(b"\xef\xbb\xbf" + dump(NB).encode())
    git(root, "commit", "-qam", "bom")
    assert invoke(["run", ".", "--select", "MMC101", "--patch", "../p.diff"], root).exit_code == 1
    assert invoke(["run", ".", "--select", "MMC101"], root).exit_code == 0
    written = (root / "demo.ipynb").read_bytes()
    assert written == b"\xef\xbb\xbf" + expected().encode()
    git(root, "checkout", "demo.ipynb")
    git(root, "apply", "../p.diff")
    assert (root / "demo.ipynb").read_bytes() == written


def test_several_notebooks_in_worker_processes_keep_discovery_order(tmp_path):
    files = {f"nb{i}.ipynb": dump(NB) for i in range(5)}
    files.update({"a.py": "from mmcls.models import ResNet\n", "z.py": "import os\n"})
    root = make_repo(tmp_path / "repo", files)
    result = invoke(["run", ".", "--select", "MMC101", "--check", "-j", "2"], root)
    assert result.stdout.split() == ["a.py", "nb0.ipynb", "nb1.ipynb", "nb2.ipynb", "nb3.ipynb", "nb4.ipynb"]
    assert invoke(["run", ".", "--select", "MMC101", "-j", "2"], root).exit_code == 0
    assert all((root / name).read_text() == expected() for name in files if name.endswith(".ipynb"))
