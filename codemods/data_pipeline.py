"""Pure conversions of MMClassification 0.x data settings to MMPretrain 1.2, on CST nodes.

Nothing here knows about files or `_base_`: each function takes a node (one `dict(...)` call or a
pipeline list) and returns the 1.2 node plus messages for what a person must check. Working on
the CST (not on evaluated values) keeps the user's expressions - `type=dataset_type`,
`pipeline=train_pipeline`, `data_root + 'images'`, comments - where they were.

The facts (argument names, defaults) come from mmcls 0.25 `datasets/pipelines/transforms.py`,
mmpretrain 1.2 `datasets/transforms/processing.py` and mmcv 2.x `transforms/processing.py`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence

import ast
import keyword

import libcst as cst

from codemods.config.values import literal

# ---------------------------------------------------------------- small CST helpers


def is_dict_call(node) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict"


def as_call(node):
    """`{'type': 'Resize', 'size': 256}` -> `dict(type='Resize', size=256)` (same value), so that
    the rules see one form; other nodes (and dicts with non-identifier keys) are returned as is."""
    if not isinstance(node, cst.Dict):
        return node
    args = []
    for element in node.elements:
        if isinstance(element, cst.StarredDictElement):
            args.append(cst.Arg(value=element.value, star="**", comma=element.comma))
            continue
        key = string_value(element.key)
        if key is None or not key.isidentifier() or keyword.iskeyword(key):
            return node
        args.append(new_arg(key, element.value).with_changes(comma=element.comma))
    return cst.Call(func=cst.Name("dict"), args=args,
                    whitespace_before_args=node.lbrace.whitespace_after)


def braces_to_calls(node: cst.CSTNode) -> cst.CSTNode:
    """`as_call` on every dict display inside `node`."""

    class _Calls(cst.CSTTransformer):
        def leave_Dict(self, original, updated):
            return as_call(updated)

    return node.visit(_Calls())


def kwarg(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def kwarg_value(call: cst.Call, name: str):
    arg = kwarg(call, name)
    return None if arg is None else arg.value


def string_value(node) -> Optional[str]:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = literal(node.value) if isinstance(node, cst.SimpleString) else node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def type_name(call: cst.Call) -> Optional[str]:
    """The `type='X'` of a dict call without any `mmcls.` scope, or None if not a literal."""
    value = string_value(kwarg_value(call, "type"))
    if value is None:
        return None
    return value.split(".", 1)[1] if value.startswith(("mmcls.", "mmpretrain.", "mmcv.")) else value


def quote(text: str) -> cst.SimpleString:
    return cst.SimpleString(repr(text))


def expr(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def new_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        keyword=cst.Name(name), value=value,
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                              whitespace_after=cst.SimpleWhitespace("")),
    )


def _fix_commas(args: List[cst.Arg], last_comma) -> List[cst.Arg]:
    """Every argument but the last needs a comma (in the style of the others, so one argument per
    line stays so); the last keeps the call's original ending."""
    styles = [a.comma for a in args[:-1] if isinstance(a.comma, cst.Comma)]
    style = styles[-1] if styles else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    out = []
    for i, arg in enumerate(args):
        if i < len(args) - 1 and arg.comma is cst.MaybeSentinel.DEFAULT:
            arg = arg.with_changes(comma=style)
        elif i == len(args) - 1:
            arg = arg.with_changes(comma=last_comma)
        out.append(arg)
    return out


def replace_args(call: cst.Call, args: List[cst.Arg]) -> cst.Call:
    last_comma = call.args[-1].comma if call.args else cst.MaybeSentinel.DEFAULT
    return call.with_changes(args=_fix_commas(list(args), last_comma))


def set_kwarg(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """Replace the value of `name`, or append `name=value`."""
    args = list(call.args)
    for i, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == name:
            args[i] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    return replace_args(call, args + [new_arg(name, value)])


def insert_kwarg(call: cst.Call, after: str, name: str, value: cst.BaseExpression) -> cst.Call:
    """Insert `name=value` right after the argument `after` (first if absent), with its comma style."""
    args = list(call.args)
    at = next((i for i, a in enumerate(args) if a.keyword is not None and a.keyword.value == after), -1)
    arg = new_arg(name, value)
    if at >= 0 and args[at].comma is not cst.MaybeSentinel.DEFAULT and at < len(args) - 1:
        arg = arg.with_changes(comma=args[at].comma)
    elif at < 0 and args and args[0].comma is not cst.MaybeSentinel.DEFAULT:
        arg = arg.with_changes(comma=args[0].comma)
    return replace_args(call, args[:at + 1] + [arg] + args[at + 1:])


def drop_kwargs(call: cst.Call, *names: str) -> cst.Call:
    args = [a for a in call.args if a.keyword is None or a.keyword.value not in names]
    if len(args) == len(call.args):
        return call
    return replace_args(call, args)


def rename_kwargs(call: cst.Call, renames: dict) -> cst.Call:
    """Rename keywords at once (so that `scale`->`crop_ratio_range` and `size`->`scale` don't clash)."""
    args = []
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in renames:
            arg = arg.with_changes(keyword=cst.Name(renames[arg.keyword.value]))
        args.append(arg)
    return call.with_changes(args=args)


def same_code(a: cst.CSTNode, b: cst.CSTNode) -> bool:
    """Same expression, whatever the layout and comments."""
    if a.deep_equals(b):
        return True  # the usual case: the same text, no need to print and parse it
    code = cst.Module([]).code_for_node
    try:
        return ast.dump(ast.parse(code(a), mode="eval")) == ast.dump(ast.parse(code(b), mode="eval"))
    except SyntaxError:
        return False


def dict_call(pairs: Sequence[tuple]) -> cst.Call:
    """`dict(k=v, ...)` on one line from (name, node) pairs."""
    return replace_args(cst.Call(func=cst.Name("dict")), [new_arg(k, v) for k, v in pairs])


def has_spread(call: cst.Call) -> bool:
    return any(arg.star == "**" for arg in call.args)


def swap_pair(node):
    """(h, w) -> (w, h) for a literal 2-tuple/list; None when it is not one."""
    if isinstance(node, (cst.Tuple, cst.List)) and len(node.elements) == 2:
        first, second = node.elements
        return node.with_changes(elements=[
            first.with_changes(value=second.value), second.with_changes(value=first.value)])
    return None


def int_value(node) -> Optional[int]:
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) \
            and isinstance(node.expression, cst.Integer):
        return -int(node.expression.evaluated_value)
    return None


def top_assign(stmt) -> Optional[tuple]:
    """(name, value) of a top-level `name = value` statement, else None."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 \
                and isinstance(small.targets[0].target, cst.Name):
            return small.targets[0].target.value, small.value
    return None


def find_assign(module: cst.Module, name: str) -> Optional[int]:
    """Index of the last top-level `name = ...`: the value the file leaves (a config that sets
    a key twice, pasted from its bases, means the second)."""
    found = None
    for i, stmt in enumerate(module.body):
        assign = top_assign(stmt)
        if assign and assign[0] == name:
            found = i
    return found


# ---------------------------------------------------------------- transforms

#: merged into PackInputs in 1.x
PACKING = {"ToTensor", "ImageToTensor", "Collect"}
#: transforms whose 0.x arguments are accepted unchanged by mmpretrain 1.2 / mmcv 2.x
UNCHANGED = {
    "RandomErasing", "ColorJitter", "AutoAugment", "RandAugment", "Shear", "Translate", "Rotate",
    "AutoContrast", "Invert", "Equalize", "Solarize", "SolarizeAdd", "Posterize", "Contrast",
    "ColorTransform", "Brightness", "Sharpness", "Cutout", "GaussianBlur", "LoadImageFromFile",
    "RandomFlip", "RandomCrop", "RandomResizedCrop", "CenterCrop", "Resize", "Lighting",
    "RandomGrayscale", "Pad", "Albu", "Normalize", "ResizeEdge", "EfficientNetRandomCrop",
    "EfficientNetCenterCrop", "PackInputs", "Albumentations", "Transpose",
}


@dataclass
class Converted:
    """What became of one transform: `nodes` replace it (empty: removed); `todos` for a person."""

    nodes: List[cst.BaseExpression]
    todos: List[str] = field(default_factory=list)
    changed: bool = True


def convert_transform(call: cst.Call, evaluate: Optional[Callable] = None) -> Converted:
    """One pipeline `dict(type=...)` in 0.x form -> its 1.2 form. `evaluate` reads a value
    statically (variables, `{{_base_.x}}`), for AutoAugment/RandAugment policy presets."""
    name = type_name(call)
    if name is None:
        return Converted([call], changed=False)
    if name == "RandAugment":
        return _rand_augment(call, evaluate)
    if name == "AutoAugment" and evaluate is not None:
        return _policies(call, name, evaluate)
    if name == "Lighting" and evaluate is not None and has_spread(call):
        return _lighting_spread(call, evaluate)
    if name == "LoadImageFromFile" and evaluate is not None:
        return _load_image_variable(_load_image(call), evaluate)
    convert = _CONVERTERS.get(name)
    if convert is not None:
        return convert(call)
    if name in UNCHANGED:
        return Converted([call], changed=False)
    return Converted([call], [f"transform {name!r} is not in MMPretrain 1.2 / MMCV 2.x under this "
                              "name; port it (a 1.x BaseTransform registered in mmpretrain's "
                              "TRANSFORMS, if it is your own) or replace it"], changed=False)


def _same(call, new) -> Converted:
    return Converted([new], changed=not new.deep_equals(call))


def _set_type(call: cst.Call, name: str) -> cst.Call:
    old = string_value(kwarg_value(call, "type")) or ""
    scope = old.split(".", 1)[0] + "." if "." in old else ""
    scope = "mmpretrain." if scope == "mmcls." else scope
    return set_kwarg(call, "type", quote(scope + name))


def _rand_augment(call, evaluate) -> Converted:
    new = call
    if kwarg(call, "total_level") is None and not has_spread(call):
        new = set_kwarg(call, "total_level", expr("30"))  # 0.x default 30; 1.2 has 10
    if evaluate is None:
        return _same(call, new)
    converted = _policies(new, "RandAugment", evaluate)
    return Converted(converted.nodes, converted.todos, changed=not converted.nodes[0].deep_equals(call))


def _policies(call, name, evaluate) -> Converted:
    node = kwarg_value(call, "policies")
    if node is None or string_value(node) is not None:
        return Converted([call], changed=False)
    value = evaluate(node)
    preset = preset_name(name, value)
    if preset is not None:
        return _same(call, set_kwarg(call, "policies", quote(preset)))
    # Other lists stay: 1.2 RandAugment still accepts (and ignores) 0.x `magnitude_key`.
    return Converted([call], changed=False)


def _lighting_spread(call, evaluate) -> Converted:
    spread = [a for a in call.args if a.star == "**"]
    values = [evaluate(a.value) for a in spread]
    if not all(isinstance(v, dict) for v in values):
        return _lighting(call)
    if kwarg(call, "to_rgb") is not None or any("to_rgb" in v for v in values):
        return Converted([call], changed=False)
    return _same(call, set_kwarg(call, "to_rgb", expr("True")))  # 0.x default True; 1.2 False


def _load_image(call):
    new = rename_kwargs(call, {"file_client_args": "backend_args"})
    backend = kwarg_value(new, "backend_args")
    if is_dict_call(backend) and string_value(kwarg_value(backend, "backend")) == "disk":
        # mmcv 1.x "disk" is mmengine's "local" file backend
        new = set_kwarg(new, "backend_args", set_kwarg(backend, "backend", quote("local")))
    return _same(call, new)


def _load_image_variable(converted: Converted, evaluate) -> Converted:
    """`backend_args=file_client_args` where that variable still names mmcv 1.x's "disk"."""
    node = kwarg_value(converted.nodes[0], "backend_args")
    if node is None or is_dict_call(node):
        return converted
    value = evaluate(node)
    if isinstance(value, dict) and value.get("backend") == "disk":
        converted.todos.append("backend_args: mmengine calls the 'disk' file backend 'local'; "
                               "change it where the variable is set")
    return converted


def _random_flip(call):
    new = rename_kwargs(call, {"flip_prob": "prob"})
    if kwarg(new, "prob") is None and not has_spread(new):
        new = set_kwarg(new, "prob", expr("0.5"))  # 0.x default; mmcv 2.x defaults to None (no flip)
    return _same(call, new)


def _random_crop(call):
    return _same(call, rename_kwargs(call, {"size": "crop_size"}))


def _random_resized_crop(call):
    if kwarg(call, "size") is None:
        return Converted([call], changed=False)  # already 1.x (`size` was required in 0.x)
    style = kwarg_value(call, "efficientnet_style")
    new = rename_kwargs(call, {"size": "scale", "scale": "crop_ratio_range", "ratio": "aspect_ratio_range"})
    if isinstance(style, cst.Name) and style.value == "True":
        new = _set_type(drop_kwargs(new, "efficientnet_style"), "EfficientNetRandomCrop")
        if kwarg(new, "interpolation") is None:
            new = set_kwarg(new, "interpolation", quote("bilinear"))  # 0.x default; 1.2 has bicubic
        return _same(call, new)
    todos = []
    if style is not None and not isinstance(style, cst.Name):
        todos.append("efficientnet_style is not a literal: use EfficientNetRandomCrop if it is True")
    # Without efficientnet_style these options had no effect in 0.x and are not accepted in 1.2.
    new = drop_kwargs(new, "efficientnet_style", "min_covered", "crop_padding") if not todos else new
    return Converted([new], todos, changed=not new.deep_equals(call))


def _center_crop(call):
    style = kwarg_value(call, "efficientnet_style")
    if isinstance(style, cst.Name) and style.value == "True":
        new = _set_type(drop_kwargs(call, "efficientnet_style"), "EfficientNetCenterCrop")
        if kwarg(new, "interpolation") is None:
            new = set_kwarg(new, "interpolation", quote("bilinear"))  # 0.x default; 1.2 has bicubic
        return _same(call, new)
    if style is not None and not isinstance(style, cst.Name):
        return Converted([call], ["efficientnet_style is not a literal: use EfficientNetCenterCrop "
                                  "if it is True"], changed=False)
    # mmcv 2.x CenterCrop: only crop_size; the efficientnet options did nothing without the style.
    new = drop_kwargs(call, "efficientnet_style", "crop_padding", "interpolation", "backend")
    size = kwarg_value(new, "crop_size")
    swapped = swap_pair(size)
    if swapped is not None:
        new = set_kwarg(new, "crop_size", swapped)  # 0.x (h, w); mmcv 2.x (w, h)
    return _same(call, new)


def _resize(call):
    size = kwarg_value(call, "size")
    if size is None:
        return Converted([call], changed=False)
    side = kwarg_value(call, "adaptive_side")
    if isinstance(size, (cst.Tuple, cst.List)) and len(size.elements) == 2 \
            and int_value(size.elements[1].value) == -1:
        # (256, -1): resize one edge keeping the ratio -> ResizeEdge(scale=256, edge=...)
        new = _set_type(drop_kwargs(call, "adaptive_side"), "ResizeEdge")
        new = rename_kwargs(new, {"size": "scale"})
        new = set_kwarg(new, "scale", size.elements[0].value)
        new = insert_kwarg(new, "scale", "edge", side if side is not None else quote("short"))
        return _same(call, new)
    new = rename_kwargs(drop_kwargs(call, "adaptive_side"), {"size": "scale"})
    swapped = swap_pair(size)
    if swapped is not None:
        new = set_kwarg(new, "scale", swapped)  # 0.x size is (h, w); mmcv 2.x scale is (w, h)
    elif int_value(size) is None:
        return Converted([new], ["Resize size is not a literal: mmcv 2.x `scale` is (w, h) and "
                                 "(s, -1) must become ResizeEdge(scale=s)"])
    return _same(call, new)


def _lighting(call):
    if kwarg(call, "to_rgb") is None and not has_spread(call):
        return _same(call, set_kwarg(call, "to_rgb", expr("True")))  # 0.x default True; 1.2 False
    if has_spread(call) and kwarg(call, "to_rgb") is None:
        return Converted([call], ["Lighting: 0.x converted to RGB by default, 1.2 does not; "
                                  "set to_rgb=True unless the spread dict sets it"], changed=False)
    return Converted([call], changed=False)


def _random_grayscale(call):
    new = rename_kwargs(call, {"gray_prob": "prob"})
    if kwarg(new, "prob") is None:
        new = set_kwarg(new, "prob", expr("0.1"))
    # 0.x kept the number of channels (r == g == b); mmcv 2.x does that with keep_channels=True
    if kwarg(new, "keep_channels") is None:
        new = set_kwarg(new, "keep_channels", expr("True"))
    # 0.x weighted the array's channels as mmcv.rgb2gray does (0.299, 0.587, 0.114); mmcv 2.x
    # averages them unless told
    if kwarg(new, "channel_weights") is None:
        new = set_kwarg(new, "channel_weights", expr("(0.299, 0.587, 0.114)"))
    return _same(call, new)


def _pad(call):
    size = kwarg_value(call, "size")
    swapped = swap_pair(size)
    new = call if swapped is None else set_kwarg(call, "size", swapped)  # (h, w) -> (w, h)
    # 0.x took a number or one value per channel; mmcv 2.x Pad an int or dict(img=..., seg=...)
    pad_val = kwarg_value(call, "pad_val")
    if isinstance(pad_val, (cst.Tuple, cst.List, cst.Float)):
        new = set_kwarg(new, "pad_val", dict_call([("img", pad_val)]))
    elif pad_val is not None and not isinstance(pad_val, (cst.Integer, cst.Call, cst.Dict)):
        converted = _same(call, new)
        converted.todos.append("mmcv 2.x Pad takes pad_val as an int or dict(img=..., seg=...): "
                               "a per-channel value goes in dict(img=...)")
        return converted
    return _same(call, new)


def _albu(call):
    new = _set_type(drop_kwargs(call, "update_pad_shape"), "Albumentations")
    return _same(call, new)


_CONVERTERS: dict = {
    "LoadImageFromFile": _load_image,
    "RandomFlip": _random_flip,
    "RandomCrop": _random_crop,
    "RandomResizedCrop": _random_resized_crop,
    "CenterCrop": _center_crop,
    "Resize": _resize,
    "Lighting": _lighting,
    "RandomGrayscale": _random_grayscale,
    "Pad": _pad,
    "Albu": _albu,
    "PackClsInputs": lambda call: _same(call, _set_type(call, "PackInputs")),  # 1.0rc name
    # same conversions as 0.x ToPIL / ToNumpy (which made float32 arrays)
    "ToPIL": lambda call: _same(call, _set_type(call, "NumpyToPIL")),
    "ToNumpy": lambda call: _same(call, set_kwarg(_set_type(call, "PILToNumpy"), "dtype", quote("float32"))),
}


# ---------------------------------------------------------------- AutoAugment / RandAugment presets

# The 0.x policy lists that 1.2 names (mmcls 0.25 `_base_/datasets/pipelines/rand_aug.py` and
# `auto_aug.py`; 1.2 `datasets/transforms/auto_augment.py` AUTOAUG_POLICIES / RANDAUG_POLICIES).
# (type, other arguments); floats rounded to 6 places.
_TIMM_INCREASING = [
    ("AutoContrast", {}),
    ("Equalize", {}),
    ("Invert", {}),
    ("Rotate", {'magnitude_key': 'angle', 'magnitude_range': (0, 30)}),
    ("Posterize", {'magnitude_key': 'bits', 'magnitude_range': (4, 0)}),
    ("Solarize", {'magnitude_key': 'thr', 'magnitude_range': (256, 0)}),
    ("SolarizeAdd", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 110)}),
    ("ColorTransform", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 0.9)}),
    ("Contrast", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 0.9)}),
    ("Brightness", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 0.9)}),
    ("Sharpness", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 0.9)}),
    ("Shear", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 0.3), 'direction': 'horizontal'}),
    ("Shear", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 0.3), 'direction': 'vertical'}),
    ("Translate", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 0.45), 'direction': 'horizontal'}),
    ("Translate", {'magnitude_key': 'magnitude', 'magnitude_range': (0, 0.45), 'direction': 'vertical'}),
]
_IMAGENET = [
    [("Posterize", {'bits': 4, 'prob': 0.4}), ("Rotate", {'angle': 30.0, 'prob': 0.6})],
    [("Solarize", {'thr': 113.777778, 'prob': 0.6}), ("AutoContrast", {'prob': 0.6})],
    [("Equalize", {'prob': 0.8}), ("Equalize", {'prob': 0.6})],
    [("Posterize", {'bits': 5, 'prob': 0.6}), ("Posterize", {'bits': 5, 'prob': 0.6})],
    [("Equalize", {'prob': 0.4}), ("Solarize", {'thr': 142.222222, 'prob': 0.2})],
    [("Equalize", {'prob': 0.4}), ("Rotate", {'angle': 26.666667, 'prob': 0.8})],
    [("Solarize", {'thr': 170.666667, 'prob': 0.6}), ("Equalize", {'prob': 0.6})],
    [("Posterize", {'bits': 6, 'prob': 0.8}), ("Equalize", {'prob': 1.0})],
    [("Rotate", {'angle': 10.0, 'prob': 0.2}), ("Solarize", {'thr': 28.444444, 'prob': 0.6})],
    [("Equalize", {'prob': 0.6}), ("Posterize", {'bits': 5, 'prob': 0.4})],
    [("Rotate", {'angle': 26.666667, 'prob': 0.8}), ("ColorTransform", {'magnitude': 0.0, 'prob': 0.4})],
    [("Rotate", {'angle': 30.0, 'prob': 0.4}), ("Equalize", {'prob': 0.6})],
    [("Equalize", {'prob': 0.0}), ("Equalize", {'prob': 0.8})],
    [("Invert", {'prob': 0.6}), ("Equalize", {'prob': 1.0})],
    [("ColorTransform", {'magnitude': 0.4, 'prob': 0.6}), ("Contrast", {'magnitude': 0.8, 'prob': 1.0})],
    [("Rotate", {'angle': 26.666667, 'prob': 0.8}), ("ColorTransform", {'magnitude': 0.2, 'prob': 1.0})],
    [("ColorTransform", {'magnitude': 0.8, 'prob': 0.8}), ("Solarize", {'thr': 56.888889, 'prob': 0.8})],
    [("Sharpness", {'magnitude': 0.7, 'prob': 0.4}), ("Invert", {'prob': 0.6})],
    [("Shear", {'magnitude': 0.166667, 'prob': 0.6, 'direction': 'horizontal'}), ("Equalize", {'prob': 1.0})],
    [("ColorTransform", {'magnitude': 0.0, 'prob': 0.4}), ("Equalize", {'prob': 0.6})],
    [("Equalize", {'prob': 0.4}), ("Solarize", {'thr': 142.222222, 'prob': 0.2})],
    [("Solarize", {'thr': 113.777778, 'prob': 0.6}), ("AutoContrast", {'prob': 0.6})],
    [("Invert", {'prob': 0.6}), ("Equalize", {'prob': 1.0})],
    [("ColorTransform", {'magnitude': 0.4, 'prob': 0.6}), ("Contrast", {'magnitude': 0.8, 'prob': 1.0})],
    [("Equalize", {'prob': 0.8}), ("Equalize", {'prob': 0.6})],
]

PRESETS = {"RandAugment": ("timm_increasing", _TIMM_INCREASING), "AutoAugment": ("imagenet", _IMAGENET)}


def _canon(value):
    """A policy value as comparable plain data: tuples as lists, floats rounded."""
    if isinstance(value, dict):
        rest = {k: _canon(v) for k, v in value.items() if k != "type"}
        return [value.get("type"), rest]
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def preset_name(transform: str, policies) -> Optional[str]:
    """'imagenet' / 'timm_increasing' when `policies` (an evaluated value) is that 0.x list."""
    name, preset = PRESETS.get(transform, (None, None))
    if name is None or not isinstance(policies, (list, tuple)):
        return None
    return name if _canon(policies) == _canon([_as_dict(p) for p in preset]) else None


def _as_dict(entry):
    if isinstance(entry, list):
        return [_as_dict(e) for e in entry]
    return {"type": entry[0], **entry[1]}


# ---------------------------------------------------------------- pipelines

PIPELINE_MARKERS = {"LoadImageFromFile", "Collect", "ImageToTensor", "ToTensor", "Normalize",
                    "RandomFlip", "RandomResizedCrop", "Resize", "CenterCrop", "RandomCrop",
                    "PackInputs", "ResizeEdge", "LoadImageFromNDArray"}


def is_pipeline(node) -> bool:
    """A list of transforms (not an AutoAugment policy list, not a list of datasets)."""
    if not isinstance(node, cst.List):
        return False
    calls = [as_call(e.value) for e in node.elements]
    names = {type_name(c) for c in calls if is_dict_call(c)}
    return bool(names & PIPELINE_MARKERS)


@dataclass
class PipelineResult:
    node: cst.List
    normalize: List[cst.Call] = field(default_factory=list)  # removed Normalize transforms
    todos: List[str] = field(default_factory=list)
    changed: bool = False


def convert_pipeline(node: cst.List, keep_normalize: bool = False,
                     evaluate: Optional[Callable] = None) -> PipelineResult:
    """Convert each transform; ToTensor/ImageToTensor/Collect become one PackInputs where Collect
    was, Normalize is removed (returned, for the data preprocessor) unless `keep_normalize`."""
    result = PipelineResult(node)
    node = node.with_changes(elements=[e.with_changes(value=as_call(e.value)) for e in node.elements])
    elements: List[cst.Element] = []
    if any(type_name_of(e) == "PackInputs" for e in node.elements):
        return result  # already 1.x: converting again would rename `scale` twice
    packing = [i for i, e in enumerate(node.elements) if type_name_of(e) in PACKING]
    pack_at = next((i for i in packing if type_name_of(node.elements[i]) == "Collect"),
                   packing[-1] if packing else None)
    for i, element in enumerate(node.elements):
        name = type_name_of(element)
        if name in PACKING:
            if i == pack_at:
                elements.append(element.with_changes(value=_pack_inputs(element.value, result)))
            result.changed = True
            continue
        if name == "Normalize" and not keep_normalize:
            result.normalize.append(element.value)
            result.changed = True
            continue
        if not is_dict_call(element.value):
            elements.append(element)
            continue
        if result.normalize and (name in UNCHANGED or name in _CONVERTERS):
            # 0.x ran it on normalized values; in 1.x the preprocessor normalizes after the pipeline
            result.todos.append(f"{name} came after Normalize in 0.x, so it saw "
                                "normalized values; in 1.2 it sees pixels: check its values "
                                "(e.g. fill_color/fill_std in pixel scale)")
        converted = convert_transform(element.value, evaluate)
        result.todos += converted.todos
        result.changed |= converted.changed
        elements += [element.with_changes(value=n) for n in converted.nodes]
    if result.changed:
        result.node = node.with_changes(elements=_fix_element_commas(elements, node))
    return result


def type_name_of(element) -> Optional[str]:
    return type_name(element.value) if is_dict_call(element.value) else None


def _pack_inputs(collect: cst.Call, result: PipelineResult) -> cst.Call:
    keys = kwarg_value(collect, "keys")
    extra = []
    if isinstance(keys, (cst.List, cst.Tuple)):
        extra = [string_value(e.value) for e in keys.elements]
        extra = [k for k in extra if k not in ("img", "gt_label")]
    if extra or kwarg(collect, "meta_keys") is not None:
        result.todos.append("Collect had keys/meta_keys beyond img and gt_label; set PackInputs "
                            "algorithm_keys/meta_keys (1.2 names, e.g. img_path) if you need them")
    return expr("dict(type='PackInputs')")


def _fix_element_commas(elements: List[cst.Element], original: cst.List) -> List[cst.Element]:
    if not elements:
        return elements
    last_comma = original.elements[-1].comma
    out = []
    for i, element in enumerate(elements):
        if i < len(elements) - 1 and element.comma is cst.MaybeSentinel.DEFAULT:
            element = element.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        elif i == len(elements) - 1:
            element = element.with_changes(comma=last_comma)
        out.append(element)
    return out


def normalize_args(normalize: cst.Call) -> Optional[List[tuple]]:
    """(name, node) pairs for the data preprocessor from one Normalize transform; None if it
    spreads something (the caller resolves `**img_norm_cfg`)."""
    pairs = [(a.keyword.value, a.value) for a in normalize.args
             if a.keyword is not None and a.keyword.value in ("mean", "std", "to_rgb")]
    if has_spread(normalize):
        return None
    if not any(k == "to_rgb" for k, _ in pairs):
        pairs.append(("to_rgb", expr("True")))  # Normalize's 0.x default; the preprocessor's is False
    return pairs


def spread_name(normalize: cst.Call) -> Optional[str]:
    """`img_norm_cfg` for `dict(type='Normalize', **img_norm_cfg)`."""
    spreads = [a for a in normalize.args if a.star == "**"]
    if len(spreads) == 1 and isinstance(spreads[0].value, cst.Name):
        return spreads[0].value.value
    return None
