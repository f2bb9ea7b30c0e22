import textwrap

import libcst as cst
import pytest

from codemods.config import (
    MISSING, Unknown, for_rule, has_unknown, merge, override, plain, replace_keys, to_code,
)
from codemods.config.keys import map_key, todo_for


def model(text, path=None):
    return for_rule(cst.parse_module(textwrap.dedent(text)), path)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


# -- reading values -------------------------------------------------------------------------
def test_missing_key():
    assert model("a = 1\n").local("b") is MISSING


def test_literals_and_dict_forms():
    cfg = model("""
        x = dict(a=1, b=[1, 2.5], c=(3,), d={'k': None}, e=True, f=-2, g='s')
    """)
    assert cfg.local("x") == {"a": 1, "b": [1, 2.5], "c": (3,), "d": {"k": None}, "e": True,
                              "f": -2, "g": "s"}


def test_variables_and_spread():
    cfg = model("""
        norm = dict(mean=[1], std=[2])
        pipe = [dict(type='Normalize', **norm)]
        data = dict(train=dict(pipeline=pipe))
    """)
    assert cfg.local("data") == {"train": {"pipeline": [{"type": "Normalize", "mean": [1], "std": [2]}]}}


def test_arithmetic_is_read_and_printed_back_as_written():
    cfg = model("o = dict(lr=5e-4 * 1024 / 512)\n")
    assert cfg.local("o")["lr"] == pytest.approx(0.001)
    assert to_code(cfg.local("o")) == "dict(lr=5e-4 * 1024 / 512)"


def test_calls_and_unknown_names_are_unknown():
    cfg = model("o = dict(a=foo(), b=bar)\n")
    value = cfg.local("o")
    assert isinstance(value["a"], Unknown) and isinstance(value["b"], Unknown)
    assert has_unknown(value)
    assert to_code(value) == "dict(a=foo(), b=bar)"


def test_control_flow_and_in_place_changes_make_a_key_dynamic():
    cfg = model("""
        a = dict(x=1)
        a['x'] = 2
        if True:
            b = dict(y=1)
        c = dict(z=1)
        c.update(z=2)
        d = dict(w=1)
    """)
    assert isinstance(cfg.local("a"), Unknown)
    assert isinstance(cfg.local("b"), Unknown)
    assert isinstance(cfg.local("c"), Unknown)
    assert cfg.local("d") == {"w": 1}


def test_variable_reference_printed_as_the_name_while_unchanged():
    cfg = model("""
        pipe = [dict(type='A')]
        data = dict(train=dict(pipeline=pipe))
    """)
    data = cfg.local("data")
    assert to_code(data) == "dict(train=dict(pipeline=pipe))"
    assert to_code(plain(data)) == "dict(train=dict(pipeline=[dict(type='A')]))"


# -- merge / override ----------------------------------------------------------------------
def test_merge_dicts_lists_and_delete():
    base = {"type": "SGD", "lr": 0.1, "steps": [1, 2]}
    assert merge(base, {"lr": 0.2}) == {"type": "SGD", "lr": 0.2, "steps": [1, 2]}
    assert merge(base, {"steps": [3]}) == {"type": "SGD", "lr": 0.1, "steps": [3]}
    assert merge(base, {"_delete_": True, "type": "Adam"}) == {"type": "Adam"}
    assert merge(MISSING, {"a": 1}) == {"a": 1}


def test_override_is_the_smallest_child_value():
    base = {"optimizer": {"type": "SGD", "lr": 0.1}}
    assert override(base, {"optimizer": {"type": "SGD", "lr": 0.01}}) == {"optimizer": {"lr": 0.01}}
    assert override(base, base) is MISSING
    assert override(base, {"optimizer": {"type": "Adam"}}) == {"optimizer": {"_delete_": True, "type": "Adam"}}
    assert override([1], [1, 2]) == [1, 2]


@pytest.mark.parametrize("base, full", [
    ({"a": {"b": 1, "c": 2}}, {"a": {"b": 1}}),
    ({"a": 1}, {"a": 1, "b": {"c": 2}}),
    ({"a": [1, {"x": 1}]}, {"a": [1, {"x": 2}]}),
])
def test_merge_of_override_gives_full(base, full):
    assert merge(base, override(base, full)) == full


# -- bases -----------------------------------------------------------------------------------
def test_base_files_are_read_from_disk(tmp_path):
    write(tmp_path, "_base_/sched.py", "optimizer = dict(type='SGD', lr=0.1)\nrunner = dict(max_epochs=100)\n")
    write(tmp_path, "_base_/rt.py", "log_config = dict(interval=100)\n")
    leaf = write(tmp_path, "leaf.py", "_base_ = ['_base_/sched.py', '_base_/rt.py']\noptimizer = dict(lr=0.01)\n")
    cfg = model(leaf.read_text(), leaf)
    assert cfg.inherited("optimizer") == {"type": "SGD", "lr": 0.1}
    assert cfg.merged("optimizer") == {"type": "SGD", "lr": 0.01}
    assert cfg.merged("log_config") == {"interval": 100}
    assert cfg.local("log_config") is MISSING
    assert cfg.bases_known()


def test_inherited_is_a_copy_for_each_caller_and_the_view_is_shared(tmp_path):
    write(tmp_path, "base.py", "optimizer = dict(type='SGD', lr=0.1, paramwise_cfg=dict(norm_decay_mult=0))\n")
    leaf = write(tmp_path, "leaf.py", "_base_ = 'base.py'\n")
    cfg = model(leaf.read_text(), leaf)
    changed = cfg.inherited("optimizer")
    changed["paramwise_cfg"]["norm_decay_mult"] = 1  # what a rule may do with its copy
    assert cfg.inherited("optimizer")["paramwise_cfg"] == {"norm_decay_mult": 0}
    assert cfg.inherited_view("optimizer") is cfg.inherited_view("optimizer")
    assert cfg.inherited_view("optimizer") == cfg.inherited("optimizer") == cfg.merged("optimizer")
    assert cfg.has("optimizer") and not cfg.has("lr_config")


def test_merged_view_merges_without_copying_the_bases(tmp_path):
    write(tmp_path, "base.py", "data = dict(train=dict(type='ImageNet', pipeline=[dict(type='Resize')]))\n"
                               "optimizer = dict(type='SGD', lr=0.1)\n")
    leaf = write(tmp_path, "leaf.py", "_base_ = 'base.py'\noptimizer = dict(lr=0.01)\n")
    cfg = model(leaf.read_text(), leaf)
    assert cfg.merged_view("data") is cfg.inherited_view("data")  # nothing local: the shared value
    assert cfg.merged_view("data") == cfg.merged("data")
    assert cfg.merged_view("optimizer") == {"type": "SGD", "lr": 0.01} == cfg.merged("optimizer")
    assert cfg.inherited_view("optimizer") == {"type": "SGD", "lr": 0.1}  # the merge left it alone


def test_base_chain_and_base_reference(tmp_path):
    write(tmp_path, "a.py", "x = dict(p=1, q=2)\n")
    write(tmp_path, "b.py", "_base_ = './a.py'\nx = dict(q=3)\n")
    leaf = write(tmp_path, "c.py", "_base_ = 'b.py'\ny = dict(v={{_base_.x}})\n")
    cfg = model(leaf.read_text(), leaf)
    assert cfg.merged("x") == {"p": 1, "q": 3}
    assert cfg.local("y") == {"v": {"p": 1, "q": 3}}
    assert to_code(cfg.local("y")) == "dict(v={{_base_.x}})"


def test_missing_base_is_reported(tmp_path):
    leaf = write(tmp_path, "c.py", "_base_ = ['nothere.py']\n")
    cfg = model(leaf.read_text(), leaf)
    assert not cfg.bases_known()
    assert cfg.inherited("x") is MISSING


def test_base_cycle_does_not_hang(tmp_path):
    write(tmp_path, "a.py", "_base_ = 'b.py'\nx = 1\n")
    write(tmp_path, "b.py", "_base_ = 'a.py'\ny = 2\n")
    leaf = write(tmp_path, "c.py", "_base_ = 'a.py'\n")
    cfg = model(leaf.read_text(), leaf)
    assert cfg.merged("x") == 1


def test_original_text_of_a_rewritten_base_is_used(tmp_path):
    base = write(tmp_path, "base.py", "runner = dict(max_epochs=100)\n")
    model(base.read_text(), base)  # the tool sees the base first ...
    base.write_text("train_cfg = dict(max_epochs=100)\n")  # ... and rewrites it
    leaf = write(tmp_path, "leaf.py", "_base_ = 'base.py'\n")
    assert model(leaf.read_text(), leaf).inherited("runner") == {"max_epochs": 100}


# -- printing and editing --------------------------------------------------------------------
def test_short_dict_on_one_line_long_one_per_line():
    assert to_code({"type": "SGD", "lr": 0.1}) == "dict(type='SGD', lr=0.1)"
    long = {"type": "CosineAnnealingLR", "eta_min": 1e-05, "by_epoch": True, "begin": 20, "end": 300}
    assert to_code([long]) == textwrap.dedent("""\
        [
            dict(
                type='CosineAnnealingLR',
                eta_min=1e-05,
                by_epoch=True,
                begin=20,
                end=300,
            ),
        ]""")


def test_non_identifier_keys_use_braces():
    assert to_code({".bias": {"decay_mult": 0.0}}) == "{'.bias': dict(decay_mult=0.0)}"


def test_replace_keys_keeps_comments_and_place():
    module = cst.parse_module(textwrap.dedent("""\
        model = dict()
        # optimizer
        optimizer = dict(type='SGD')
        # clip
        optimizer_config = dict(grad_clip=None)  # none
        runner = dict()
    """))
    new = replace_keys(module, ["optimizer", "optimizer_config"], [("optim_wrapper", {"a": 1})])
    assert new.code == textwrap.dedent("""\
        model = dict()
        # optimizer
        # clip
        # none
        optim_wrapper = dict(a=1)
        runner = dict()
    """)


def test_replace_keys_rewrites_an_existing_new_key_in_place():
    module = cst.parse_module("train_cfg = dict()\nrunner = dict()\n")
    new = replace_keys(module, ["runner"], [("train_cfg", {"a": 1})])
    assert new.code == "train_cfg = dict(a=1)\n"


def test_replace_keys_appends_when_no_old_key():
    module = cst.parse_module("a = 1\n")
    assert replace_keys(module, ["x"], [("b", 2)]).code == "a = 1\nb = 2\n"


def test_removing_keeps_comments_on_the_next_statement():
    module = cst.parse_module("# about w\nworkflow = [('train', 1)]\nx = 1\n")
    assert replace_keys(module, ["workflow"], []).code == "# about w\nx = 1\n"


# -- key mapping -----------------------------------------------------------------------------
def test_key_map():
    assert map_key("optimizer.lr") == ("optim_wrapper.optimizer.lr",)
    assert map_key("optimizer.paramwise_cfg.norm_decay_mult") == ("optim_wrapper.paramwise_cfg.norm_decay_mult",)
    assert map_key("runner.max_epochs") == ("train_cfg.max_epochs",)
    assert map_key("data.train.pipeline") == ("train_dataloader.dataset.pipeline",)
    assert map_key("model.backbone") is None
    assert todo_for("gpu_ids") and todo_for("lr_config.step")


def test_names_of_a_base_file_are_not_printed_in_its_child(tmp_path):
    write(tmp_path, "base.py", """\
        pipe = [dict(type='A')]
        data = dict(train=dict(pipeline=pipe), lr=5e-4 * 2)
    """)
    leaf = write(tmp_path, "leaf.py", "_base_ = 'base.py'\n")
    value = model(leaf.read_text(), leaf).inherited("data")
    assert to_code(value) == "dict(train=dict(pipeline=[dict(type='A')]), lr=5e-4 * 2)"
