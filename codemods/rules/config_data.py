"""MMC501: `data = dict(...)` -> train/val/test_dataloader with 1.2 dataset arguments.

`samples_per_gpu` (or the older `imgs_per_gpu`) -> `batch_size`, `workers_per_gpu` ->
`num_workers`, per-split `train_dataloader=dict(...)` overrides win, `sampler=DefaultSampler`
(shuffled for training only, as 0.x did), the datasets converted by `convert_dataset`, and
`test_dataloader = val_dataloader` when the two are the same. A partial override in a child config
(`data = dict(samples_per_gpu=64)`) gives partial dataloaders, which MMEngine merges into the
base's.
"""
from __future__ import annotations

from typing import FrozenSet, List, Optional

import libcst as cst

from codemods import data_pipeline as dp
from codemods.config import MISSING, for_rule
from codemods.walk import child_nodes, iter_nodes
from codemods.rule import CONFIG, Context, Rule
from codemods.rules._calls import used_names
from codemods.rules.selfsup import uses_data_source
from codemods.rules.imports import without_header_duplicates
from codemods.todo import add_todo

RULE_ID = "MMC501"
SPLITS = ("train", "val", "test")
BATCH = ("samples_per_gpu", "imgs_per_gpu")
#: passed on to the 1.x DataLoader unchanged
LOADER_KEYS = ("persistent_workers", "pin_memory", "drop_last", "collate_fn", "prefetch_factor")
#: datasets that choose their data with `split` in 1.2 (and ignore test_mode for it)
SPLIT_BY_ROOT = {"CIFAR10", "CIFAR100", "MNIST", "FashionMNIST", "StanfordCars"}
FOLDER_DATASETS = {"ImageNet", "ImageNet21k", "CustomDataset"}
WRAPPERS = {"RepeatDataset", "ClassBalancedDataset", "KFoldDataset"}
#: 0.x RepeatAugSampler options that 1.2's (shuffle, num_repeats, seed) does not take
SAMPLER_GONE = ("num_replicas", "rank", "selected_round", "selected_ratio")


class ConfigData(Rule):
    id = RULE_ID
    title = "data -> train/val/test_dataloader (batch_size, num_workers, sampler, 1.2 datasets)"
    kind = CONFIG
    guide = "从 MMClassification 0.x 迁移 / 数据设置 / data 字段的变化"
    triggers = ("data", "sampler")
    before = """\
data = dict(
    samples_per_gpu=16,
    workers_per_gpu=2,
    train=dict(type='CIFAR10', data_prefix='data/cifar10', pipeline=train_pipeline),
    val=dict(type='CIFAR10', data_prefix='data/cifar10', pipeline=test_pipeline, test_mode=True),
    test=dict(type='CIFAR10', data_prefix='data/cifar10', pipeline=test_pipeline, test_mode=True))
"""
    after = """\
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    dataset=dict(type='CIFAR10', data_root='data/cifar10', pipeline=train_pipeline, split='train'),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    dataset=dict(type='CIFAR10', data_root='data/cifar10', pipeline=test_pipeline, split='test'),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        # a TODO above the first statement is read back as the file header
        return without_header_duplicates(self._transform(module, ctx))

    def _transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        at = dp.find_assign(module, "data")
        if at is None and dp.find_assign(module, "sampler") is None:
            return module  # the usual config: neither `data` nor a 0.x top-level `sampler`
        if uses_data_source(module, ctx.path):
            return module  # MMSelfSup 0.x data: MMC601 migrates it
        if at is not None and isinstance(dp.top_assign(module.body[at])[1], cst.Dict):
            module = _data_as_call(module, at)
        if at is None or not dp.is_dict_call(dp.top_assign(module.body[at])[1]):
            return _global_sampler(module, ctx)
        stmt = module.body[at]
        cfg = for_rule(module, ctx.path)
        types = _type_lookup(cfg)
        if "data" in cfg.dynamic or dp.has_spread(dp.top_assign(stmt)[1]):
            # `data['train'] = ...` or `data.update(...)` below would fail once `data` is gone
            message = ("data is changed by code below its assignment or spreads a dict: make it "
                       "one literal dict (1.x has no `data`, it becomes train/val/test_dataloader), "
                       "then rerun")
            return module.with_changes(body=[*module.body[:at], add_todo(stmt, RULE_ID, message),
                                             *module.body[at + 1:]])
        if "data" in used_names(module, targets=False, quiet=ctx.quiet(("data",))):
            # `first = data['train']`: would name nothing once `data` is gone
            return module.with_changes(body=[*module.body[:at], add_todo(stmt, RULE_ID, DATA_READ),
                                             *module.body[at + 1:]])
        bases = _inherited_datasets(cfg)
        if cfg.local("_base_") is not MISSING and not cfg.bases_known():
            bases = None  # unknown bases: loader options go to every split, as 0.x applied them
        data = dp.top_assign(stmt)[1]
        # 0.x took the training sampler from top-level `sampler` or from `data.sampler_cfg`
        sampler = dp.kwarg_value(data, "sampler_cfg") or _sampler_value(module)
        new, todos = convert_data(data, types, sampler, bases)
        todos += _sampler_todos(sampler)
        # a statement whose text has no `#` holds no comment (the usual case: no walk)
        comments = [] if id(stmt) in ctx.quiet(("#",)) else _loose_comments(dp.top_assign(stmt)[1])
        if stmt.trailing_whitespace.comment is not None:  # `data = dict(...)  # note`
            comments.append(stmt.trailing_whitespace.comment)
        loose = [cst.EmptyLine(comment=c) for c in comments]
        new[0] = new[0].with_changes(leading_lines=[*stmt.leading_lines, *loose])
        for message in todos:
            new[0] = add_todo(new[0], RULE_ID, message)
        body = [*module.body[:at], *new, *module.body[at + 1:]]
        module = _drop_global_sampler(_drop_earlier_data(module.with_changes(body=body)))
        ctx.record(RULE_ID)
        return module


DATA_READ = ("`data` is read by other statements of this config; 1.x has no `data` (it becomes "
             "train/val/test_dataloader): read those instead, then rerun")


def _drop_earlier_data(module: cst.Module) -> cst.Module:
    """Earlier `data = ...` of a file that sets it twice (the last one was converted; nothing
    reads the name): the later one replaced them, so they go."""
    return module.with_changes(body=[s for s in module.body if (dp.top_assign(s) or ("",))[0] != "data"])


def _data_as_call(module, at):
    """`data = {...}` -> `data = dict(...)`: one form for the conversion below."""
    stmt = module.body[at]
    small = stmt.body[0].with_changes(value=dp.braces_to_calls(stmt.body[0].value))
    return module.with_changes(body=[*module.body[:at], stmt.with_changes(body=[small]), *module.body[at + 1:]])


def _inherited_datasets(cfg) -> dict:
    """split -> the dataset value the `_base_` files give (0.x `data` or already migrated);
    the splits a file can set loader options for (a split nobody defines needs no loader).
    The values are the bases' own (read them, never change them)."""
    out = {}
    data = cfg.inherited_view("data")
    for split in SPLITS:
        loader = cfg.inherited_view(f"{split}_dataloader")
        if isinstance(data, dict) and isinstance(data.get(split), dict):
            out[split] = data[split]
        elif isinstance(loader, dict) and isinstance(loader.get("dataset"), dict):
            out[split] = loader["dataset"]
    return out


def _type_lookup(cfg):
    """Read `type=dataset_type` (or any static expression) as the type name, scope dropped."""
    def lookup(node) -> Optional[str]:
        value = cfg.evaluate(node)
        return value.split(".")[-1] if isinstance(value, str) else None
    return lookup


# ---------------------------------------------------------------- data dict


def convert_data(data: cst.Call, type_of, sampler=None, bases=None):
    """The dataloader statements for one `data = dict(...)` call, and TODO messages.
    `bases`: split -> dataset the `_base_` files define ({} without bases, None if unknown)."""
    todos: List[str] = []
    common = _loader_args(data, todos)
    loaders = {}
    for split in SPLITS:
        args = _split_loader(data, split, dict(common), type_of, sampler, bases, todos)
        if args:
            loaders[split] = _loader_call(args, len(f"{split}_dataloader = "))
    statements = []
    for split, call in loaders.items():
        stmt = _assign(f"{split}_dataloader", call)
        if split == "test" and "val" in loaders and dp.same_code(call, loaders["val"]):
            # keep the user's comments about the test set above the shortcut
            stmt = _assign("test_dataloader", cst.Name("val_dataloader")).with_changes(
                leading_lines=[cst.EmptyLine(comment=c) for c in _comments(call)])
        statements.append(stmt)
    return statements or [_assign("train_dataloader", dp.dict_call([]))], todos


def _split_loader(data, split, args, type_of, sampler, bases, todos) -> dict:
    """Arguments of one split's dataloader ({} when the split needs none)."""
    override = dp.kwarg_value(data, f"{split}_dataloader")
    if dp.is_dict_call(override):
        args.update(_loader_args(override, todos, where=f"data.{split}_dataloader"))
    delete = dp.kwarg(data, "_delete_")
    dataset = dp.kwarg_value(data, split)
    if dp.is_dict_call(dataset):
        # older configs set a split's batch size inside its dataset dict
        args.update(_loader_args(dataset, todos, only_loader=True))
        dataset = dp.drop_kwargs(dataset, *BATCH, "workers_per_gpu")
    if dataset is not None:
        args["dataset"], notes = convert_dataset(dataset, type_of, split, (bases or {}).get(split))
        todos += notes
        full = dp.is_dict_call(dataset) and dp.kwarg(dataset, "type") is not None
        if full or delete is not None:
            shuffle = args.pop("shuffle", None) or dp.expr("True" if split == "train" else "False")
            args["sampler"] = _sampler(split, shuffle, sampler)
    if split == "train" and sampler is not None and "sampler" not in args:
        args["sampler"] = _sampler(split, args.pop("shuffle", dp.expr("True")), sampler)
    if "shuffle" in args:
        args["sampler"] = dp.dict_call([("shuffle", args.pop("shuffle"))])
    if not (dataset is not None or bases is None or split in bases):
        return {}  # nobody defines this split: no loader options for it
    if args and delete is not None:
        args = {"_delete_": delete.value, **args}
    return args


def _loader_args(call: cst.Call, todos: List[str], only_loader: bool = False,
                 where: str = "data") -> dict:
    args = {}
    for arg in call.args:
        name = arg.keyword.value if arg.keyword is not None else None
        if name in BATCH:
            args["batch_size"] = arg.value
        elif name == "workers_per_gpu":
            args["num_workers"] = arg.value
        elif only_loader:
            continue
        elif name in LOADER_KEYS or name == "shuffle":
            args[name] = arg.value
        elif name in (*SPLITS, *(f"{s}_dataloader" for s in SPLITS), "_delete_", "sampler_cfg"):
            continue
        elif name is None:
            todos.append(f"{where}: a `**` spread cannot be split into dataloaders; move its keys")
        else:
            todos.append(f"{where}.{name} has no 1.2 dataloader equivalent; set it where it belongs")
    return args


def _sampler(split, shuffle, global_sampler):
    sampler_type = "DefaultSampler"
    if split == "train" and global_sampler is not None:
        sampler_type = dp.string_value(dp.kwarg_value(global_sampler, "type")) or sampler_type
        if dp.string_value(dp.kwarg_value(global_sampler, "type")) is None:
            return global_sampler
        rest = [(a.keyword.value, a.value) for a in global_sampler.args
                if a.keyword is not None and a.keyword.value not in ("type", "shuffle", *SAMPLER_GONE)]
        return dp.dict_call([("type", dp.quote(sampler_type)), ("shuffle", shuffle), *rest])
    return dp.dict_call([("type", dp.quote(sampler_type)), ("shuffle", shuffle)])


def _sampler_todos(sampler) -> List[str]:
    gone = [a.keyword.value for a in getattr(sampler, "args", ())
            if a.keyword is not None and a.keyword.value in SAMPLER_GONE]
    if not gone:
        return []
    return [f"sampler options {', '.join(gone)} were removed: MMPretrain 1.2 RepeatAugSampler takes "
            "shuffle, num_repeats and seed (the world size comes from the launcher)"]


def _loader_call(args: dict, column: int) -> cst.Call:
    """`dict(...)` like MMPretrain's own configs: on one line if it fits, else one key a line.
    The values are the user's own nodes, which keep their line breaks and indentation."""
    order = ["_delete_", "batch_size", "num_workers", *LOADER_KEYS, "dataset", "sampler"]
    names = sorted(args, key=lambda k: order.index(k) if k in order else len(order))
    flat = dp.dict_call([(k, args[k]) for k in names])
    if _fits(flat, 79 - column):
        return flat
    line = cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace("    "))
    out = [dp.new_arg(k, args[k]).with_changes(comma=cst.Comma(whitespace_after=line)) for k in names]
    out[-1] = out[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return cst.Call(func=cst.Name("dict"), args=out, whitespace_before_args=line)


_TOKENS = (cst.Name, cst.SimpleString, cst.Integer, cst.Float)


def _fits(node: cst.CSTNode, room: int) -> bool:
    """Is `node` printed on one line shorter than `room`? Its names, numbers and strings alone
    tell when it is too long (most loaders), without printing it."""
    length = 0
    for found in iter_nodes(node, layout=False):
        if type(found) in _TOKENS:
            length += len(found.value)
            if length >= room:
                return False
    text = cst.Module([]).code_for_node(node)
    return "\n" not in text and len(text) < room


def _comments(node: cst.CSTNode, skip: FrozenSet[int] = frozenset()) -> List[cst.Comment]:
    """The comments below `node` in source order, not looking inside the nodes whose ids are in
    `skip`."""
    found = []
    if not skip and not any(isinstance(n, cst.Comment) for n in iter_nodes(node)):
        return found  # the usual case; the visitor below (in source order) is far slower

    class _Collect(cst.CSTVisitor):
        def on_visit(self, node) -> bool:
            return id(node) not in skip and super().on_visit(node)

        def visit_Comment(self, comment):
            found.append(comment)

    node.visit(_Collect())
    return found


def _loose_comments(data: cst.Call) -> List[cst.Comment]:
    """Comments of `data = dict(...)` outside its values (between its keys), which would be lost
    with the dict: they go above the dataloaders."""
    values = frozenset(id(arg.value) for arg in data.args)
    outside = [part for part in child_nodes(data) if type(part) is not cst.Arg]  # `dict(  # note`
    outside += [part for arg in data.args for part in child_nodes(arg) if id(part) not in values]
    if not any(isinstance(n, cst.Comment) for part in outside for n in iter_nodes(part)):
        return []  # the usual case (comments sit with the values): no visit in source order
    return _comments(data, skip=values)


def _assign(name: str, value: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=value)])


# ---------------------------------------------------------------- 0.x top-level `sampler`


def _sampler_value(module):
    at = dp.find_assign(module, "sampler")
    return dp.top_assign(module.body[at])[1] if at is not None else None


def _drop_global_sampler(module):
    at = dp.find_assign(module, "sampler")
    if at is None:
        return module
    # moved into train_dataloader.sampler: 0.x used it for the training loader only
    return module.with_changes(body=[*module.body[:at], *module.body[at + 1:]])


def _global_sampler(module, ctx):
    """`sampler = dict(type='RepeatAugSampler')` without a `data` dict in the same file."""
    sampler = _sampler_value(module)
    if not dp.is_dict_call(sampler) or dp.find_assign(module, "train_dataloader") is not None:
        return module
    at = dp.find_assign(module, "sampler")
    stmt = module.body[at]
    train_sampler = _sampler("train", dp.expr("True"), sampler)
    new = _assign("train_dataloader", dp.dict_call([("sampler", train_sampler)]))
    new = new.with_changes(leading_lines=stmt.leading_lines)
    for message in _sampler_todos(sampler):
        new = add_todo(new, RULE_ID, message)
    ctx.record(RULE_ID)
    return module.with_changes(body=[*module.body[:at], new, *module.body[at + 1:]])


# ---------------------------------------------------------------- datasets


def convert_dataset(node, type_of, split: str, base=None):
    """One 0.x dataset dict -> 1.2 arguments; `base` is the value a `_base_` config gives it
    (a child that overrides part of a dataset names no type). Returns (node, TODO messages)."""
    if isinstance(node, cst.List) and all(dp.is_dict_call(e.value) for e in node.elements):
        # 0.x built a ConcatDataset from a list; 1.x needs the dict
        node = dp.dict_call([("type", dp.quote("ConcatDataset")), ("datasets", node)])
    if not dp.is_dict_call(node):
        return node, []
    partial = dp.kwarg(node, "type") is None
    name = type_of(dp.kwarg_value(node, "type")) if not partial else None
    if partial and isinstance(base, dict) and isinstance(base.get("type"), str):
        name = base["type"].split(".")[-1]
    if name in WRAPPERS:
        inner = dp.kwarg_value(node, "dataset")
        inner_base = base.get("dataset") if isinstance(base, dict) else None
        new_inner, todos = convert_dataset(inner, type_of, split, inner_base)
        return dp.set_kwarg(node, "dataset", new_inner) if inner is not None else node, todos
    if name == "ConcatDataset":
        return _concat(node, type_of, split)
    todos = []
    if name in SPLIT_BY_ROOT | FOLDER_DATASETS | {"CUB", "VOC"}:  # a user's own may take it
        node, todos = _file_client(node)
    new, notes = _by_type(node, name, partial, split)
    todos += notes + _replaced_base(base, name, split) + _rooted_paths(node, new, partial, base, split)
    return new, todos


def _rooted_paths(node, new, partial: bool, base, split: str) -> List[str]:
    """Paths of a partial override that stay as written: 0.x read them from the working
    directory, 1.2 joins them to the data_root that the base's 1.2 dataset sets."""
    if not partial or not isinstance(base, dict) or dp.kwarg(new, "data_root") is not None:
        return []
    paths = [key for key in ("data_prefix", "ann_file") if dp.kwarg(node, key) is not None]
    if not paths:
        return []
    verb = "was" if len(paths) == 1 else "were"
    return [f"data.{split}.{' and '.join(paths)} {verb} read from the working directory in 0.x; "
            "1.2 joins them to the base's data_root: set data_root here (data_root='' keeps "
            "these paths as written) and check the base's split"]


def _replaced_base(base, name: Optional[str], split: str) -> List[str]:
    """A dataset of another type over a base's: both versions merge it into the base's dataset,
    whose 1.2 form has keys (data_root, split, ...) the 0.x one had not."""
    kind = base.get("type") if isinstance(base, dict) else None
    if not isinstance(kind, str) or name is None or kind.split(".")[-1] == name:
        return []
    return [f"data.{split} is a {name} over the base's {kind.split('.')[-1]}: it is merged into the "
            f"base's dataset, so the base's 1.2 keys (data_root, split, ...) still apply; if {name} "
            "takes other arguments, add _delete_=True and set all of them here"]


def _file_client(node):
    """1.2 datasets take no file_client_args (they pick the file backend from data_root)."""
    value = dp.kwarg_value(node, "file_client_args")
    if value is None:
        return node, []
    code = cst.Module([]).code_for_node(value)
    return dp.drop_kwargs(node, "file_client_args"), [
        f"dataset file_client_args={code} was removed: 1.2 datasets choose the file backend from "
        "data_root; give LoadImageFromFile backend_args for reading images"]


def _by_type(node, name, partial, split):
    if name in SPLIT_BY_ROOT:
        return _split_by_root(node, partial, split)
    if name == "CUB":
        return _cub(node, partial)
    if name == "VOC" or (name is None and dp.kwarg(node, "difficult_as_postive") is not None):
        return _voc(node)  # only 0.x VOC had difficult_as_postive
    if name in FOLDER_DATASETS:
        return _folder(node, name)
    todos = []
    if name is None and partial and _has_old_args(node):
        todos.append(f"data.{split} overrides a dataset of a _base_ config: check its arguments "
                     "against MMPretrain 1.2 (data_root, split)")
    return node, todos


def _has_old_args(node) -> bool:
    return any(dp.kwarg(node, k) is not None for k in ("data_prefix", "test_mode", "ann_file"))


def _concat(node, type_of, split):
    datasets = dp.kwarg_value(node, "datasets")
    if not isinstance(datasets, cst.List):
        return node, []
    todos, elements = [], []
    for element in datasets.elements:
        new, notes = convert_dataset(element.value, type_of, split)
        todos += notes
        elements.append(element.with_changes(value=new))
    return dp.set_kwarg(node, "datasets", datasets.with_changes(elements=elements)), todos


def _split_value(node, partial):
    """`split='test'` from 0.x `test_mode`; None (plus a TODO when test_mode is not a literal)
    when there is nothing to write: a partial override without test_mode keeps the base's."""
    mode = dp.kwarg_value(node, "test_mode")
    if mode is None:
        return (None if partial else dp.quote("train")), []
    if isinstance(mode, cst.Name) and mode.value in ("True", "False"):
        return dp.quote("test" if mode.value == "True" else "train"), []
    return None, ["test_mode is not a literal: set split='train' or split='test' (1.2 ignores "
                  "test_mode when it chooses the data)"]


def _split_by_root(node, partial, split):
    if dp.kwarg(node, "split") is not None:
        return node, []  # already 1.x
    value, todos = _split_value(node, partial)
    if split != "train" and not partial and dp.kwarg(node, "test_mode") is None:
        todos.append(f"data.{split} had no test_mode=True, so it used the training split (kept "
                     "as split='train'); write split='test' to evaluate on the test set")
    new = dp.rename_kwargs(node, {"data_prefix": "data_root"})
    if value is not None:
        new = dp.set_kwarg(dp.drop_kwargs(new, "test_mode"), "split", value)
    return new, todos


def _cub(node, partial):
    if dp.kwarg(node, "split") is not None:
        return node, []
    value, todos = _split_value(node, partial)
    if dp.kwarg(node, "data_prefix") is None and partial:
        new = dp.drop_kwargs(node, "test_mode")
        return (dp.set_kwarg(new, "split", value) if value is not None else new), todos
    root = _strip_suffix(dp.kwarg_value(node, "data_prefix"), "images")
    if root is None:
        return node, ["CUB in 1.2 takes data_root (the folder with images.txt) and split; "
                      "set them from data_prefix/ann_file"]
    new = dp.drop_kwargs(node, "ann_file", "image_class_labels_file", "train_test_split_file",
                         "test_mode")
    new = dp.rename_kwargs(new, {"data_prefix": "data_root"})
    new = dp.set_kwarg(new, "data_root", root)
    if value is not None:
        new = dp.set_kwarg(new, "split", value)
    return new, todos


def _strip_suffix(node, suffix):
    """`root + 'images'` -> root; 'data/CUB/images' -> 'data/CUB/'; else None."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        right = dp.string_value(node.right)
        if right is not None and right.strip("/") == suffix:
            return node.left
    text = dp.string_value(node)
    if text is not None and text.rstrip("/").endswith(suffix):
        return dp.quote(text.rstrip("/")[: -len(suffix)])
    return None


def _voc(node):
    if dp.kwarg(node, "split") is not None or dp.kwarg(node, "data_root") is not None:
        return node, []
    todos = []
    flag = dp.kwarg_value(node, "difficult_as_postive")
    if flag is not None:
        # 1.2's VOC keeps difficult labels apart (gt_label_difficult, so training sees them as
        # negatives) and takes no such argument; the evaluators choose what they count as
        code = cst.Module([]).code_for_node(flag)
        todos.append(f"VOC difficult_as_postive={code} was removed: 1.2 sets it on the evaluators, "
                     f"e.g. dict(type='VOCMultiLabelMetric', difficult_as_positive={code})")
        node = dp.drop_kwargs(node, "difficult_as_postive")
    ann = dp.string_value(dp.kwarg_value(node, "ann_file"))
    prefix = dp.kwarg_value(node, "data_prefix")
    if prefix is None and ann is None:
        return node, todos  # a partial override that names no paths
    name = ann.rsplit("/", 1)[-1][:-4] if ann and ann.endswith(".txt") else None
    if prefix is None or name not in ("train", "val", "trainval", "test"):
        return node, todos + ["VOC in 1.2 takes data_root (the VOC2007 folder) and split; set them "
                              "from data_prefix/ann_file"]
    new = dp.drop_kwargs(node, "ann_file")
    new = dp.rename_kwargs(new, {"data_prefix": "data_root"})
    return dp.set_kwarg(new, "split", dp.quote(name)), todos


def _folder(node, name):
    """ImageNet/CustomDataset: literal paths -> data_root plus relative data_prefix/ann_file.
    ImageNet's standard layout (root/train, root/val with root/meta/val.txt) -> `split`, which
    1.2's ImageNet turns back into those same paths."""
    if dp.kwarg(node, "data_root") is not None:
        return node, []
    if name == "ImageNet21k":
        node = dp.drop_kwargs(node, "recursion_subdir")  # 0.x allowed only True; 1.2 always recurses
    prefix = dp.string_value(dp.kwarg_value(node, "data_prefix"))
    ann = dp.string_value(dp.kwarg_value(node, "ann_file"))
    todos = []
    if prefix is None or "/" not in prefix.rstrip("/"):
        return node, todos
    root = prefix.rstrip("/").rsplit("/", 1)[0]
    if ann is not None and not ann.startswith(root + "/"):
        return node, todos
    folder = prefix.rstrip("/")[len(root) + 1:]
    splits = {"ImageNet": ("train", "val", "test"), "ImageNet21k": ("train",)}.get(name, ())
    if folder in splits \
            and ann in (None, f"{root}/meta/{folder}.txt"):
        new = dp.drop_kwargs(node, "ann_file")
        new = dp.rename_kwargs(new, {"data_prefix": "split"})
        new = dp.set_kwarg(new, "split", dp.quote(folder))
        return dp.insert_kwarg(new, "type", "data_root", dp.quote(root)), todos
    new = dp.set_kwarg(node, "data_prefix", dp.quote(prefix[len(root) + 1:]))
    if ann is not None:
        new = dp.set_kwarg(new, "ann_file", dp.quote(ann[len(root) + 1:]))
    return dp.insert_kwarg(new, "type", "data_root", dp.quote(root)), todos
