"""MMC503: `evaluation = dict(metric=...)` -> `val_evaluator` / `test_evaluator`.

0.x metric names become 1.2 metric classes (mmpretrain/evaluation/metrics): 'accuracy' ->
Accuracy (with 0.x's default topk=(1, 5)), precision/recall/f1_score/support -> SingleLabelMetric
items, 'mAP' -> AveragePrecision, CP/CR/CF1 -> MultiLabelMetric (macro), OP/OR/OF1 ->
MultiLabelMetric(average='micro') - 1.2 accepts no average='both', so class-wise and overall
figures are two metrics. `interval`, `save_best` and `rule` were moved by the MMC4 rules
(train_cfg.val_interval, default_hooks.checkpoint); this rule drops them with `evaluation`.
A config whose validation data has no evaluation at all got 0.x's implicit accuracy; 1.x needs
the evaluator written, so it is added.
"""
from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from codemods.config import MISSING, for_rule, replace_keys
from codemods.rules.imports import without_header_duplicates
from codemods.rule import CONFIG, Context, Rule
from codemods.todo import add_todo

RULE_ID = "MMC503"
SINGLE_ITEMS = {"precision": "precision", "recall": "recall", "f1_score": "f1-score",
                "support": "support"}
MULTI_ITEMS = {"P": "precision", "R": "recall", "F1": "f1-score"}
MOVED_BY_MMC4 = ("interval", "save_best", "rule")
IMPLICIT_TODO = ("0.x evaluated accuracy (top-1/5) when no evaluation was set, and 1.x needs an "
                 "evaluator with val_dataloader; if another base of your configs sets the "
                 "evaluation, delete this one (MMEngine rejects a key that two bases set)")
NOT_METRIC = ("by_epoch", "start", "gpu_collect", "tmpdir", "greater_keys", "less_keys",
              "efficient_test", "out_dir", "broadcast_bn_buffer")
#: what a 0.x `evaluation` may hold: the eval hook's options, mmcls evaluate()'s arguments and
#: mmselfsup evaluate()'s `topk`
KNOWN = {"metric", "metric_options", "indices", "file_client_args", "test_fn", "topk", *MOVED_BY_MMC4,
         *NOT_METRIC}
#: 0.x's default metric, accuracy with top-1 and top-5
ACCURACY = {"type": "Accuracy", "topk": (1, 5)}


class ConfigEvaluation(Rule):
    id = RULE_ID
    title = "evaluation -> val_evaluator / test_evaluator (Accuracy, SingleLabelMetric, ...)"
    kind = CONFIG
    guide = "从 MMClassification 0.x 迁移 / 数据设置 / evaluation 字段的变化"
    triggers = ("evaluation", "data")
    before = """\
evaluation = dict(interval=1, metric='accuracy', metric_options=dict(topk=(1, 5)))
"""
    after = """\
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
"""

    def transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        # a TODO above the first statement is read back as the file header
        return without_header_duplicates(self._transform(module, ctx))

    def _transform(self, module: cst.Module, ctx: Context) -> cst.Module:
        cfg = for_rule(module, ctx.path)
        local = cfg.local("evaluation")
        if local is MISSING:
            return self._implicit(module, cfg, ctx)
        if not isinstance(local, dict):
            return _todo(module, cfg, "evaluation is not a literal dict: write val_evaluator/"
                         "test_evaluator (see the migration guide)")
        todos = [f"evaluation.{k} has no 1.2 equivalent on the evaluator; drop it or move it"
                 for k in local if k in NOT_METRIC]
        todos += [f"evaluation.{k} is no MMClassification 0.x option (its datasets' evaluate() "
                  "took metric and metric_options); it went with `evaluation`: move it where it "
                  "belongs" for k in local if k not in KNOWN]
        if "save_best" in local and _best_lost(cfg):
            todos.append("evaluation.save_best went with `evaluation`: in 1.x CheckpointHook keeps the best "
                         "checkpoint; set default_hooks.checkpoint.save_best (and rule) by hand")
        if "metric" not in local and "metric_options" not in local:
            # only loop/checkpoint options, which the MMC4 rules moved; with no metric anywhere,
            # 0.x evaluated its default, accuracy (as when no evaluation is set at all)
            merged = cfg.merged("evaluation")
            default = isinstance(merged, dict) and "metric" not in merged and _val_dataset(cfg) \
                and cfg.inherited("val_evaluator") is MISSING
            new = []
            if default:
                new = _evaluators(dict(ACCURACY, topk=merged.get("topk", ACCURACY["topk"])), cfg)
        elif "metric" not in local and cfg.inherited("evaluation") is MISSING \
                and cfg.inherited("val_evaluator") is not MISSING:
            # the base is migrated already: its metric is not readable as a 0.x name any more
            return _todo(module, cfg, "evaluation.metric_options overrides a base that has "
                         "val_evaluator: set these options on val_evaluator/test_evaluator")
        else:
            merged = cfg.merged("evaluation")
            merged = merged if isinstance(merged, dict) else {"metric": None}
            evaluators, notes = convert_metrics(merged.get("metric", "accuracy"),
                                                merged.get("metric_options"))
            todos += notes
            if evaluators is None:
                return _todo(module, cfg, *todos)
            new = _evaluators(evaluators, cfg)
        at = cfg.statements["evaluation"]
        module = _replace(module, at, new, todos)
        ctx.record(RULE_ID)
        return module

    def _implicit(self, module, cfg, ctx):
        """A full validation set but no evaluation anywhere: 0.x evaluated accuracy (top-1/5)."""
        if not _val_dataset(cfg):
            return module
        for key in ("evaluation", "val_evaluator"):
            if cfg.merged(key) is not MISSING:
                return module
        new = _evaluators(dict(ACCURACY), cfg)
        module = replace_keys(module, [], new)
        if cfg.local("_base_") is MISSING:
            # a base file cannot see its siblings: one of them may set the evaluation
            at = len(module.body) - len(new)  # the val_evaluator just added at the end
            stmt = add_todo(module.body[at], RULE_ID, IMPLICIT_TODO)
            module = module.with_changes(body=[*module.body[:at], stmt, *module.body[at + 1:]])
        ctx.record(RULE_ID)
        return module


def _evaluators(value, cfg) -> list:
    """The new keys for one evaluator: MMPretrain's configs test with the validation one, where
    there is test data (MMEngine's Runner wants a test evaluator and test data both or neither)."""
    test = [("test_evaluator", cst.Name("val_evaluator"))] if _tests(cfg) else []
    return [("val_evaluator", value), *test]


def _tests(cfg) -> bool:
    """Will the config have test data (0.x data.test, or the test_dataloader MMC501 made of it)?
    Yes when that cannot be told."""
    if cfg.merged("test_dataloader") is not MISSING:
        return True
    data = cfg.merged("data")
    if isinstance(data, dict):
        return "test" in data
    return all(cfg.merged(k) is MISSING for k in ("train_dataloader", "val_dataloader"))


def _val_dataset(cfg) -> bool:
    """Does this file set a validation dataset (with its type)?"""
    data, loader = cfg.local("data"), cfg.local("val_dataloader")
    val = data.get("val") if isinstance(data, dict) else None
    if isinstance(loader, dict):  # the data rule (MMC501) ran first
        val = loader.get("dataset")
    return isinstance(val, dict) and "type" in val


def _best_lost(cfg) -> bool:
    """Is `evaluation.save_best` of this file lost with `evaluation`? MMC411 carries it to the
    checkpoint hook where the runtime is known; a file with no runtime (a dataset's base) leaves
    it to the leaves that join it with one."""
    if not cfg.bases_known():
        return True
    hooks = cfg.merged("default_hooks")
    if hooks is MISSING:
        return False
    checkpoint = hooks.get("checkpoint") if isinstance(hooks, dict) else None
    return not (isinstance(checkpoint, dict) and "save_best" in checkpoint)


def _replace(module, at, new, todos):
    module = replace_keys(module, ["evaluation"], new)
    if todos:
        body = list(module.body)
        index = min(at, len(body) - 1)
        for message in todos:
            body[index] = add_todo(body[index], RULE_ID, message)
        module = module.with_changes(body=body)
    return module


def _todo(module, cfg, *messages):
    at = cfg.statements.get("evaluation")
    if at is None:
        return module
    body = list(module.body)
    for message in messages:
        body[at] = add_todo(body[at], RULE_ID, message)
    return module.with_changes(body=body)


def convert_metrics(metric, options) -> Tuple[Optional[object], List[str]]:
    """(evaluator value for val_evaluator, TODO messages); None when it cannot be converted."""
    metrics = [metric] if isinstance(metric, str) else metric
    if not isinstance(metrics, (list, tuple)) or not all(isinstance(m, str) for m in metrics):
        return None, ["evaluation.metric is not a literal: write val_evaluator/test_evaluator"]
    options = options if isinstance(options, dict) else {}
    out, todos = [], []
    single = [m for m in metrics if m in SINGLE_ITEMS]
    multi = [m for m in metrics if m[:1] in "CO" and m[1:] in MULTI_ITEMS]
    unknown = [m for m in metrics if m not in single and m not in multi
               and m not in ("accuracy", "mAP")]
    if "accuracy" in metrics:
        out.append(_accuracy(options))
    if single:
        out.append(_single_label(single, options))
    if "mAP" in metrics:
        out.append({"type": "AveragePrecision"})
    out += _multi_label(multi, options)
    todos += [f"metric {m!r} has no MMPretrain 1.2 evaluator; write one in val_evaluator"
              for m in unknown]
    if not out:
        return None, todos
    return (out[0] if len(out) == 1 else out), todos


def _accuracy(options) -> dict:
    value = {"type": "Accuracy", "topk": options.get("topk", (1, 5))}  # 0.x default top-1 and 5
    if options.get("thrs") is not None:
        value["thrs"] = options["thrs"]
    return value


def _single_label(names, options) -> dict:
    value = {"type": "SingleLabelMetric", "items": [SINGLE_ITEMS[n] for n in names]}
    if options.get("thrs") is not None:
        value["thrs"] = options["thrs"]
    average = options.get("average_mode", "macro")
    if average != "macro":
        value["average"] = None if average == "none" else average
    return value


def _multi_label(names, options) -> list:
    out = []
    for prefix, average in (("C", None), ("O", "micro")):
        items = [MULTI_ITEMS[n[1:]] for n in names if n[0] == prefix]
        if not items:
            continue
        value = {"type": "MultiLabelMetric", "items": _ordered(items)}
        if average:
            value["average"] = average
        if options.get("thr") is not None:
            value["thr"] = options["thr"]
        if options.get("k") is not None:
            value["topk"] = options["k"]
        out.append(value)
    return out


def _ordered(items):
    return [i for i in ("precision", "recall", "f1-score") if i in items]
