"""MMSelfSup 0.x pipelines -> MMPretrain 1.2, as pure functions on CST nodes (used by MMC601).

MMSelfSup 0.x read images with PIL (RGB) in its data sources and ran torchvision-style
transforms; MMPretrain 1.2 reads them with `LoadImageFromFile` (BGR) and runs its own transforms,
normalising in the data preprocessor. The facts come from mmselfsup 0.11
`datasets/pipelines/transforms.py` (and torchvision, whose transforms it registered) and
mmpretrain 1.2 `datasets/transforms/*` / mmcv 2.x `transforms/*`. Transforms that MMClassification
0.x also had (LoadImageFromFile, RandomFlip, ...) go through the MMC5 converter
(`codemods.data_pipeline.convert_transform`).
"""
from __future__ import annotations

import ast
from typing import List, Optional

import libcst as cst

from codemods import data_pipeline as dp
from codemods.config import Unknown, to_code
from codemods.config.build import INDENT
from codemods.data_pipeline import Converted, PipelineResult

#: PIL's integer resampling filters (torchvision's `interpolation=3`) -> 1.2 names
PIL_FILTERS = {0: "nearest", 1: "lanczos", 2: "bilinear", 3: "bicubic"}
#: channel weights 1.2's configs give RandomGrayscale (images are BGR in 1.2)
GRAY_WEIGHTS = "(0.114, 0.587, 0.2989)"
#: transforms of 0.x that MMPretrain 1.2 has with the same name and arguments
SAME = {"ColorJitter", "BEiTMaskGenerator", "SimMIMMaskGenerator",
        "RandomResizedCropAndInterpolationWithTwoPic"}
#: transforms that only make sense after ToTensor in 0.x and have no 1.2 counterpart
NO_EQUIVALENT = {
    "RandomRotation": "RandomRotation has no 1.2 equivalent (Rotate(angle=..., prob=1.0) rotates "
                      "by a fixed angle); port it or drop it",
}


def _arg_value(call: cst.Call, name: str, default: str) -> cst.BaseExpression:
    node = dp.kwarg_value(call, name)
    return node if node is not None else dp.expr(default)


def _build(name: str, pairs) -> cst.Call:
    """`dict(type=name, ...)` laid out like MMPretrain's configs (one argument per line when
    long) for a transform inside a top-level pipeline list."""
    value = {"type": name, **{k: Unknown(v) if isinstance(v, cst.CSTNode) else v for k, v in pairs}}
    return cst.parse_expression(to_code(value, column=len(INDENT)).replace("\n", "\n" + INDENT))


def _rest(call: cst.Call, *names: str) -> list:
    """(keyword, value) of the arguments of `call` not in `names` (nor `type`)."""
    return [(a.keyword.value, a.value) for a in call.args
            if a.keyword is not None and a.keyword.value not in ("type", *names)]


def _random_resized_crop(call: cst.Call) -> Converted:
    if dp.kwarg(call, "size") is None:
        return Converted([call], changed=False)  # already 1.x
    renames = {"size": "scale", "scale": "crop_ratio_range", "ratio": "aspect_ratio_range"}
    pairs = [(renames.get(k, k), v) for k, v in _rest(call)]
    todos = []
    for i, (key, value) in enumerate(pairs):
        if key == "interpolation" and isinstance(value, cst.Integer):
            name = PIL_FILTERS.get(int(value.evaluated_value))
            if name is None:
                todos.append(f"interpolation={value.value}: 1.2 takes 'nearest', 'bilinear', "
                             "'bicubic', 'area' or 'lanczos'")
            else:
                pairs[i] = (key, dp.quote(name))
    if "backend" not in dict(pairs):
        pairs.append(("backend", dp.quote("pillow")))  # 0.x cropped with PIL
    if dp.has_spread(call):
        return Converted([call], ["RandomResizedCrop: rename size/scale/ratio to "
                                  "scale/crop_ratio_range/aspect_ratio_range"], changed=False)
    return Converted([_build("RandomResizedCrop", pairs)], todos)


def _horizontal_flip(call):
    return Converted([_build("RandomFlip", [("prob", _arg_value(call, "p", "0.5"))])])


def _vertical_flip(call):
    return Converted([_build("RandomFlip", [("prob", _arg_value(call, "p", "0.5")),
                                            ("direction", dp.quote("vertical"))])])


def _random_applied(call):
    transforms = dp.kwarg_value(call, "transforms")
    todos: List[str] = []
    if isinstance(transforms, cst.List):
        elements = []
        for element in transforms.elements:
            converted = convert_view_transform(element.value)
            todos += converted.todos
            elements += [element.with_changes(value=n) for n in converted.nodes]
        transforms = transforms.with_changes(elements=elements)
    new = dp.rename_kwargs(dp.set_kwarg(call, "type", dp.quote("RandomApply")), {"p": "prob"})
    if transforms is not None:
        new = dp.set_kwarg(new, "transforms", transforms)
    if dp.kwarg(new, "prob") is None:
        new = dp.set_kwarg(new, "prob", dp.expr("0.5"))  # 0.x default (mmcv 2.x: the same)
    return Converted([new], todos)


def _grayscale(call):
    if dp.kwarg(call, "prob") is not None:
        return Converted([call], changed=False)
    return Converted([_build("RandomGrayscale", [
        ("prob", _arg_value(call, "p", "0.1")), ("keep_channels", dp.expr("True")),
        ("channel_weights", dp.expr(GRAY_WEIGHTS))])])


def _gaussian_blur(call):
    if dp.kwarg(call, "sigma_min") is None or dp.kwarg(call, "sigma_max") is None:
        return Converted([call], changed=False)  # 1.x arguments
    sigma = cst.Tuple([cst.Element(dp.kwarg_value(call, "sigma_min"), comma=cst.Comma(
        whitespace_after=cst.SimpleWhitespace(" "))), cst.Element(dp.kwarg_value(call, "sigma_max"))])
    return Converted([_build("GaussianBlur", [
        ("magnitude_range", sigma), ("magnitude_std", dp.quote("inf")),
        ("prob", _arg_value(call, "p", "0.5"))])])


def _solarization(call):
    return Converted([_build("Solarize", [("thr", _arg_value(call, "threshold", "128")),
                                          ("prob", _arg_value(call, "p", "0.5"))])])


def _resize(call):
    size = dp.kwarg_value(call, "size")
    if size is None:
        return Converted([call], changed=False)
    extra = [("backend", "pillow")]  # torchvision resized with PIL
    interpolation = dp.kwarg_value(call, "interpolation")
    if isinstance(interpolation, cst.Integer) and int(interpolation.value) in PIL_FILTERS:
        extra.append(("interpolation", PIL_FILTERS[int(interpolation.value)]))
    elif interpolation is not None:
        return Converted([call], ["Resize interpolation: use the 1.2 name ('bilinear', "
                                  "'bicubic', ...)"], changed=False)
    if dp.int_value(size) is not None or isinstance(size, cst.Name):
        # torchvision: an int resizes the short edge
        return Converted([_build("ResizeEdge", [("scale", size), ("edge", "short"), *extra])])
    swapped = dp.swap_pair(size)  # torchvision (h, w) -> mmcv (w, h)
    if swapped is None:
        return Converted([call], ["Resize size is not a literal: torchvision's int is "
                                  "ResizeEdge(scale=s, edge='short'), (h, w) is Resize(scale=(w, h))"],
                         changed=False)
    return Converted([_build("Resize", [("scale", swapped), *extra])])


def _center_crop(call):
    size = dp.kwarg_value(call, "size")
    if size is None:
        return Converted([call], changed=False)
    swapped = dp.swap_pair(size)
    return Converted([_build("CenterCrop", [("crop_size", swapped or size)])])


def _random_crop(call):
    if dp.kwarg(call, "size") is None:
        return Converted([call], changed=False)
    new = dp.rename_kwargs(call, {"size": "crop_size", "fill": "pad_val"})
    return Converted([new])


#: MMSelfSup's fixed ImageNet PCA (eigval on [0, 1] RGB tensors; eigvec rows R, G, B) for the
#: 1.2 Lighting on 0-255 BGR images: eigval * 255, rows in B, G, R order (1.2's resnest configs)
EIGVAL = [55.4625, 4.794, 1.1475]
EIGVEC = [[-0.5836, -0.6948, 0.4203], [-0.5808, -0.0045, -0.814], [-0.5675, 0.7192, 0.4009]]


def _lighting(call):
    if dp.kwarg(call, "eigval") is not None:
        return Converted([call], changed=False)  # already 1.x
    return Converted([_build("Lighting", [
        ("eigval", EIGVAL), ("eigvec", EIGVEC),
        ("alphastd", _arg_value(call, "alphastd", "0.1")), ("to_rgb", False)])])


RANDOM_AUG_TODO = ("RandomAug (timm's create_transform): write it as RandomResizedCrop, RandomFlip, "
                   "RandAugment and RandomErasing (see MMPretrain 1.2 mae/benchmarks configs)")


def _literals(call: cst.Call) -> Optional[dict]:
    values = {}
    for arg in call.args:
        if arg.keyword is None:
            return None
        try:
            values[arg.keyword.value] = ast.literal_eval(cst.Module([]).code_for_node(arg.value))
        except (ValueError, SyntaxError):
            return None
    return values


def _rand_augment(policy: str) -> Optional[dict]:
    """timm's 'rand-m9-mstd0.5-inc1' -> 1.2 RandAugment arguments (None if not understood)."""
    parts = policy.split("-")
    if parts[0] != "rand":
        return None
    found = {"m": 10, "n": 2, "mstd": 0.0, "inc": 0}
    for part in parts[1:]:
        key = next((k for k in ("mstd", "inc", "m", "n") if part.startswith(k)), None)
        if key is None:
            return None
        found[key] = float(part[len(key):])
    if found["inc"] != 1:
        return None  # only timm's increasing policies are in 1.2 ('timm_increasing')
    return dict(policies="timm_increasing", num_policies=int(found["n"]), total_level=10,
                magnitude_level=int(found["m"]), magnitude_std=found["mstd"])


def _random_aug(call):
    args = _literals(call)
    policy = _rand_augment(str(args.get("auto_augment"))) if args else None
    # (timm applies color_jitter only without auto_augment, so with a policy it did nothing)
    if policy is None or args.get("re_count", 1) != 1:
        return Converted([call], [RANDOM_AUG_TODO], changed=False)
    mean = [v * 255 for v in args.get("mean", (0.485, 0.456, 0.406))][::-1]  # BGR, 0-255
    std = [v * 255 for v in args.get("std", (0.229, 0.224, 0.225))][::-1]
    interpolation = args.get("interpolation", "bilinear")
    policy["hparams"] = dict(pad_val=[round(v) for v in mean], interpolation=interpolation)
    nodes = [_build("RandomResizedCrop", [("scale", args.get("input_size", 224)),
                                          ("backend", "pillow"), ("interpolation", interpolation)]),
             _build("RandomFlip", [("prob", 0.5), ("direction", "horizontal")]),
             _build("RandAugment", list(policy.items()))]
    if args.get("re_prob", 0):
        mode = "rand" if args.get("re_mode", "const") == "pixel" else "const"
        nodes.append(_build("RandomErasing", [
            ("erase_prob", args["re_prob"]), ("mode", mode), ("min_area_ratio", 0.02),
            ("max_area_ratio", 1 / 3), ("fill_color", [round(v, 6) for v in mean]),
            ("fill_std", [round(v, 6) for v in std])]))
    return Converted(nodes)


def _maskfeat_mask(call):
    """MaskFeatMaskGenerator(mask_window_size, mask_ratio) is BEiT's block masking in 1.2."""
    size = dp.int_value(_arg_value(call, "mask_window_size", "14"))
    ratio = _arg_value(call, "mask_ratio", "0.4")
    if size is None or not isinstance(ratio, (cst.Float, cst.Integer)):
        return Converted([call], ["MaskFeatMaskGenerator -> BEiTMaskGenerator(input_size=w, "
                                  "num_masking_patches=int(w * w * mask_ratio), min_num_patches=15)"],
                         changed=False)
    patches = int(size * size * float(ratio.evaluated_value))
    pairs = [("input_size", dp.expr(str(size))), ("num_masking_patches", dp.expr(str(patches))),
             ("min_num_patches", _arg_value(call, "min_num_patches", "15"))]
    pairs += _rest(call, "mask_window_size", "mask_ratio", "min_num_patches")
    return Converted([_build("BEiTMaskGenerator", pairs)])


CONVERTERS = {
    "RandomResizedCrop": _random_resized_crop,
    "RandomHorizontalFlip": _horizontal_flip,
    "RandomVerticalFlip": _vertical_flip,
    "RandomAppliedTrans": _random_applied,
    "RandomGrayscale": _grayscale,
    "GaussianBlur": _gaussian_blur,
    "Solarization": _solarization,
    "Resize": _resize,
    "CenterCrop": _center_crop,
    "RandomCrop": _random_crop,
    "MaskFeatMaskGenerator": _maskfeat_mask,
    "Lighting": _lighting,
    "RandomAug": _random_aug,
}
#: names that tell a torchvision-style (MMSelfSup 0.x) pipeline
SELFSUP_MARKERS = {"RandomHorizontalFlip", "RandomVerticalFlip", "RandomAppliedTrans",
                   "Solarization", "MaskFeatMaskGenerator", "RandomRotation", "RandomAug"}


def convert_view_transform(call) -> Converted:
    """One MMSelfSup 0.x transform -> its 1.2 form (nodes, TODO messages)."""
    if not dp.is_dict_call(call):
        return Converted([call], changed=False)
    name = dp.type_name(call)
    if name in CONVERTERS:
        return CONVERTERS[name](call)
    if name in SAME:
        return Converted([call], changed=False)
    if name in NO_EQUIVALENT:
        return Converted([call], [NO_EQUIVALENT[name]], changed=False)
    return dp.convert_transform(call)


def _load_first(elements: List[cst.Element]) -> List[cst.Element]:
    if elements and dp.type_name_of(elements[0]) in ("LoadImageFromFile",):
        return elements
    return [cst.Element(dp.expr("dict(type='LoadImageFromFile')")), *elements]


def _pack_last(elements: List[cst.Element]) -> List[cst.Element]:
    if elements and dp.type_name_of(elements[-1]) == "PackInputs":
        return elements
    return [*elements, cst.Element(dp.expr("dict(type='PackInputs')"))]


def convert_selfsup_pipeline(node: cst.List, full: bool) -> PipelineResult:
    """Convert each transform of a 0.x pipeline; ToTensor goes, Normalize goes (returned for the
    data preprocessor). A `full` pipeline (a dataset's own, not one view of MultiView) starts with
    LoadImageFromFile and ends with PackInputs."""
    result = PipelineResult(node)
    elements: List[cst.Element] = []
    for element in node.elements:
        name = dp.type_name_of(element)
        if name in ("ToTensor", "Normalize"):
            if name == "Normalize":
                result.normalize.append(element.value)
            result.changed = True
            continue
        converted = convert_view_transform(element.value)
        result.todos += converted.todos
        result.changed |= converted.changed
        elements += [element.with_changes(value=n) for n in converted.nodes]
    if full:
        before = len(elements)
        elements = _pack_last(_load_first(elements))
        result.changed |= len(elements) != before
    if result.changed:
        result.node = _brackets(node.with_changes(elements=_layout(elements, node)))
    return result


def _layout(elements: List[cst.Element], original: cst.List) -> List[cst.Element]:
    """One transform per line, as MMPretrain's configs write pipelines (a multi-line list keeps
    its own comma style)."""
    if not elements:
        return elements
    commas = [e.comma for e in original.elements[:-1] if isinstance(e.comma, cst.Comma)]
    multi_line = commas and isinstance(commas[0].whitespace_after, cst.ParenthesizedWhitespace)
    style = without_comment(commas[0]) if multi_line else cst.Comma(
        whitespace_after=_NEW_LINE)
    last = original.elements[-1].comma if original.elements else cst.MaybeSentinel.DEFAULT
    out = [e.with_changes(comma=style) for e in elements[:-1]]
    return out + [elements[-1].with_changes(comma=last)]


_NEW_LINE = cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace(INDENT))


def _brackets(node: cst.List) -> cst.List:
    """`[` and `]` on their own lines around a one-transform-per-line list."""
    if isinstance(node.lbracket.whitespace_after, cst.ParenthesizedWhitespace):
        return node
    return node.with_changes(
        lbracket=cst.LeftSquareBracket(whitespace_after=_NEW_LINE),
        rbracket=cst.RightSquareBracket(whitespace_before=cst.ParenthesizedWhitespace(indent=True)))


def without_comment(comma: cst.Comma) -> cst.Comma:
    """The comma's line break without the comment that followed it."""
    if isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
        return comma.with_changes(whitespace_after=comma.whitespace_after.with_changes(
            first_line=cst.TrailingWhitespace(), empty_lines=[]))
    return comma


def is_selfsup_pipeline(node) -> bool:
    if not isinstance(node, cst.List):
        return False
    names = {dp.type_name_of(e) for e in node.elements}
    return bool(names & (SELFSUP_MARKERS | set(CONVERTERS) | {"ToTensor", "Normalize"}))


def normalize_spread(normalize: cst.Call) -> Optional[str]:
    return dp.spread_name(normalize)
