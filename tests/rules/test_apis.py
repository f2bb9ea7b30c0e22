"""MMC201-MMC203: mmcls.apis calls. No-op cases first, then before/after cases."""
import pytest

from tests.util import check_noop, check_transformed

INFER = "MMC201"


@pytest.mark.parametrize("source", [
    # the user's own function of the same name
    """\
    def inference_model(model, img):
        return model.run(img)

    result = inference_model(session, 'a.jpg')
    """,
    # a same-named import from another package
    """\
    from src.serving import inference_model, show_result_pyplot
    result = inference_model(model, img)
    show_result_pyplot(model, img, result)
    """,
    # a vendored copy whose path contains mmcls
    """\
    from otherpkg.mmcls.apis import inference_model
    result = inference_model(model, img)
    """,
    # only init_model, which 1.2 keeps
    """\
    from mmcls.apis import init_model
    model = init_model('cfg.py', 'ckpt.pth')
    """,
    # mentioned in a string only
    """\
    import mmcls
    print('use mmcls.apis.inference_model(model, img)')
    """,
])
def test_inference_noop(source):
    check_noop(INFER, source)


def test_inference_after_model_assignment():
    check_transformed(INFER, """\
    from mmcls.apis import init_model, inference_model

    model = init_model('cfg.py', 'ckpt.pth', device='cpu')
    for img in images:
        result = inference_model(model, img)
        print(result['pred_class'], result['pred_score'])
    """, """\
    from mmcls.apis import init_model
    from mmpretrain.apis import ImageClassificationInferencer

    model = init_model('cfg.py', 'ckpt.pth', device='cpu')
    inferencer = ImageClassificationInferencer(model)
    for img in images:
        result = inferencer(img)[0]
        print(result['pred_class'], result['pred_score'])
    """)


def test_inference_model_parameter_and_alias_inside_function():
    check_transformed(INFER, """\
    def predict(net, paths):
        \"\"\"Classify every path.\"\"\"
        from mmcls.apis import inference_model as infer
        return [infer(net, p)['pred_label'] for p in paths]
    """, """\
    def predict(net, paths):
        \"\"\"Classify every path.\"\"\"
        from mmpretrain.apis import ImageClassificationInferencer
        net_inferencer = ImageClassificationInferencer(net)
        return [net_inferencer(p)[0]['pred_label'] for p in paths]
    """)


def test_inference_module_attribute_forms():
    check_transformed(INFER, """\
    import mmcls.apis as apis
    import mmcls

    model = apis.init_model('cfg.py')
    a = apis.inference_model(model, 'a.jpg')
    b = mmcls.apis.inference_model(model, 'b.jpg')
    """, """\
    import mmcls.apis as apis
    from mmpretrain.apis import ImageClassificationInferencer
    import mmcls

    model = apis.init_model('cfg.py')
    inferencer = ImageClassificationInferencer(model)
    a = inferencer('a.jpg')[0]
    b = inferencer('b.jpg')[0]
    """)


def test_inference_try_import_and_keywords():
    check_transformed(INFER, """\
    try:
        from mmcls.apis import (
            inference_model,
            init_model,
        )
    except ImportError:
        init_model = None

    model = init_model('cfg.py')
    result = inference_model(model=model, img='a.jpg')
    """, """\
    try:
        from mmcls.apis import init_model
        from mmpretrain.apis import ImageClassificationInferencer
    except ImportError:
        init_model = None

    model = init_model('cfg.py')
    inferencer = ImageClassificationInferencer(model)
    result = inferencer('a.jpg')[0]
    """)


def test_inference_built_inline_when_model_is_not_a_plain_local():
    # self.model, a model rebound in a loop, a lambda: no single place to build it once
    check_transformed(INFER, """\
    from mmcls.apis import inference_model


    class Service:
        def predict(self, img):
            return inference_model(self.model, img)


    for model in models:
        print(inference_model(model, 'a.jpg'))
    run = lambda m, x: inference_model(m, x)
    """, """\
    from mmpretrain.apis import ImageClassificationInferencer


    class Service:
        def predict(self, img):
            return ImageClassificationInferencer(self.model)(img)[0]


    for model in models:
        print(ImageClassificationInferencer(model)('a.jpg')[0])
    run = lambda m, x: ImageClassificationInferencer(m)(x)[0]
    """)


def test_inference_name_clash_and_two_models():
    check_transformed(INFER, """\
    from mmcls.apis import inference_model, init_model

    inferencer = 'mine'
    model = init_model('a.py')
    teacher = init_model('b.py')
    r1 = inference_model(model, img)
    r2 = inference_model(teacher, img)
    """, """\
    from mmcls.apis import init_model
    from mmpretrain.apis import ImageClassificationInferencer

    inferencer = 'mine'
    model = init_model('a.py')
    inferencer_2 = ImageClassificationInferencer(model)
    teacher = init_model('b.py')
    teacher_inferencer = ImageClassificationInferencer(teacher)
    r1 = inferencer_2(img)[0]
    r2 = teacher_inferencer(img)[0]
    """)


def test_inference_fallback_assignment_is_no_use_of_the_import():
    # `inference_model = None` under `except ImportError:` only binds the name: the import goes
    check_transformed(INFER, """\
    try:
        from mmcls.apis import inference_model, init_model
    except ImportError:
        inference_model = init_model = None

    model = init_model('cfg.py')
    result = inference_model(model, 'a.jpg')
    """, """\
    try:
        from mmcls.apis import init_model
        from mmpretrain.apis import ImageClassificationInferencer
    except ImportError:
        inference_model = init_model = None

    model = init_model('cfg.py')
    inferencer = ImageClassificationInferencer(model)
    result = inferencer('a.jpg')[0]
    """)


def test_inference_name_used_elsewhere_keeps_its_import():
    # passed as a value: the import stays (MMC1 renames it; 1.2 still has inference_model)
    check_transformed(INFER, """\
    from mmcls.apis import inference_model
    model = load()
    first = inference_model(model, 'a.jpg')
    pool.map(partial(inference_model, model), files)
    """, """\
    from mmcls.apis import inference_model
    from mmpretrain.apis import ImageClassificationInferencer
    model = load()
    inferencer = ImageClassificationInferencer(model)
    first = inferencer('a.jpg')[0]
    pool.map(partial(inference_model, model), files)
    """)


def test_show_result_after_inference():
    check_transformed(INFER, """\
    from mmcls.apis import inference_model, init_model, show_result_pyplot


    def main(args):
        model = init_model(args.config, args.checkpoint, device=args.device)
        result = inference_model(model, args.img)
        show_result_pyplot(model, args.img, result, wait_time=2)
    """, """\
    from mmcls.apis import init_model
    from mmpretrain.apis import ImageClassificationInferencer


    def main(args):
        model = init_model(args.config, args.checkpoint, device=args.device)
        inferencer = ImageClassificationInferencer(model)
        result = inferencer(args.img)[0]
        inferencer(args.img, show=True, wait_time=2)
    """)


SHOW_TODO = (
    "# TODO(mmcodemod): MMC201 show_result_pyplot was removed: ImageClassificationInferencer(model)(img, "
    "show=True) draws a new prediction of img, not this `result`; to draw a given result use "
    "mmpretrain.visualization.UniversalVisualizer().visualize_cls(image, data_sample, show=True)"
)


def test_show_result_of_another_image_or_result_gets_a_todo_instead():
    # a loaded array instead of the path; a result from a server: not what a new prediction shows
    check_transformed(INFER, """\
    import mmcv
    from mmcls.apis import inference_model, init_model
    from mmcls.apis import show_result_pyplot as show

    model = init_model('cfg.py')
    result = inference_model(model, path)
    show(model, mmcv.imread(path), result)
    show(model, path, server_result, title='server')
    """, """\
    import mmcv
    from mmcls.apis import init_model
    from mmpretrain.apis import ImageClassificationInferencer
    from mmcls.apis import show_result_pyplot as show

    model = init_model('cfg.py')
    inferencer = ImageClassificationInferencer(model)
    result = inferencer(path)[0]
    """ + SHOW_TODO + """
    show(model, mmcv.imread(path), result)
    """ + SHOW_TODO + """
    show(model, path, server_result, title='server')
    """)


def test_show_result_title_is_dropped_with_a_todo():
    check_transformed(INFER, """\
    from mmcls.apis import inference_model, init_model, show_result_pyplot

    model = init_model('cfg.py')
    result = inference_model(model, path)
    show_result_pyplot(model, path, result, fig_size=(6, 4), title=path)
    """, """\
    from mmcls.apis import init_model
    from mmpretrain.apis import ImageClassificationInferencer

    model = init_model('cfg.py')
    inferencer = ImageClassificationInferencer(model)
    result = inferencer(path)[0]
    # TODO(mmcodemod): MMC201 show_result_pyplot argument(s) fig_size, title: no counterpart in the 1.2 inferencer (it takes resize, rescale_factor, draw_score, show_dir); dropped from: show_result_pyplot(model, path, result, fig_size=(6, 4), title=path)
    inferencer(path, show=True)
    """)


def test_show_result_used_as_value_is_left_alone():
    check_noop(INFER, """\
    from mmcls.apis import show_result_pyplot
    figure = show_result_pyplot(model, img, result)
    """)


RUNNER = "MMC202"

TRAIN_TODO = (
    "# TODO(mmcodemod): MMC202 train_model(...) arguments now come from the config: "
    "model=model -> the Runner builds the model from cfg.model; "
    "dataset={} -> the dataloaders come from cfg.train_dataloader (and val_dataloader)"
)


@pytest.mark.parametrize("source", [
    """\
    from src.train_model import train_model
    train_model(model, datasets, cfg)
    """,
    """\
    def single_gpu_test(model, loader):
        return [model(x) for x in loader]

    outputs = single_gpu_test(model, loader)
    """,
    """\
    from mmdet.apis import train_detector, single_gpu_test
    train_detector(model, datasets, cfg)
    outputs = single_gpu_test(model, loader)
    """,
])
def test_runner_noop(source):
    check_noop(RUNNER, source)


def test_train_model_in_main():
    check_transformed(RUNNER, """\
    from mmcls.apis import set_random_seed, train_model


    def main():
        cfg = Config.fromfile(path)
        # go
        train_model(
            model,
            datasets,
            cfg,
            distributed=distributed,
            validate=(not args.no_validate),
            timestamp=timestamp,
            device=cfg.device,
            meta=meta)
    """, """\
    from mmcls.apis import set_random_seed
    from mmengine.runner import Runner


    def main():
        cfg = Config.fromfile(path)
        # go
        """ + TRAIN_TODO.format("datasets") + """; distributed=distributed -> cfg.launcher; validate=(not args.no_validate) -> cfg.val_dataloader, val_cfg and val_evaluator (set them to None to skip validation); timestamp=timestamp -> the Runner names its log folder by time itself; device=cfg.device -> the Runner puts the model on the available device; meta=meta -> the Runner logs env info, seed and config and saves dataset_meta in checkpoints
        runner = Runner.from_cfg(cfg)
        runner.train()
    """)


def test_train_model_module_forms_and_name_clash():
    check_transformed(RUNNER, """\
    import mmcls.apis
    from mmcls import apis as a

    runner = 'slurm'
    mmcls.apis.train_model(model, data, config)
    a.train_model(model, data, cfg=config)
    """, """\
    import mmcls.apis
    from mmengine.runner import Runner

    runner = 'slurm'
    """ + TRAIN_TODO.format("data") + """
    runner_2 = Runner.from_cfg(config)
    runner_2.train()
    """ + TRAIN_TODO.format("data") + """
    runner_2 = Runner.from_cfg(config)
    runner_2.train()
    """)


def test_train_model_result_used_or_no_cfg_gets_todo():
    check_transformed(RUNNER, """\
    from mmcls.apis import train_model
    out = train_model(model, data, cfg)
    train_model(*args)
    """, """\
    from mmcls.apis import train_model
    # TODO(mmcodemod): MMC202 train_model was removed in MMPretrain 1.x: use runner = Runner.from_cfg(cfg); runner.train()
    out = train_model(model, data, cfg)
    # TODO(mmcodemod): MMC202 train_model was removed in MMPretrain 1.x: use Runner.from_cfg(cfg) and runner.train()
    train_model(*args)
    """)


TEST_TODO = (
    "# TODO(mmcodemod): MMC202 runner.test() builds the model and cfg.test_dataloader from the config "
    "and loads cfg.load_from (set it to the checkpoint); show/out_dir -> default_hooks.visualization; "
    "tmpdir/gpu_collect -> test_evaluator collect_device"
)


def test_single_and_multi_gpu_test():
    check_transformed(RUNNER, """\
    from mmcls.apis import multi_gpu_test, single_gpu_test

    cfg = Config.fromfile(args.config)
    if not distributed:
        outputs = single_gpu_test(model, data_loader, args.show, args.show_dir)
    else:
        multi_gpu_test(model, data_loader, args.tmpdir, args.gpu_collect)
    """, """\
    from mmengine.runner import Runner

    cfg = Config.fromfile(args.config)
    if not distributed:
        """ + TEST_TODO + """
        # TODO(mmcodemod): MMC202 runner.test() returns the metrics of cfg.test_evaluator, not per-image outputs: the code that uses this result must change
        runner = Runner.from_cfg(cfg)
        outputs = runner.test()
    else:
        """ + TEST_TODO + """
        runner = Runner.from_cfg(cfg)
        runner.test()
    """)


def test_single_gpu_test_without_config_gets_todo():
    check_transformed(RUNNER, """\
    from mmcls.apis.test import single_gpu_test
    single_gpu_test(model, loader)
    """, """\
    from mmcls.apis.test import single_gpu_test
    # TODO(mmcodemod): MMC202 single_gpu_test was removed in MMPretrain 1.x: use Runner.from_cfg(cfg) and runner.test(); runner.test() builds the model and cfg.test_dataloader from the config and loads cfg.load_from (set it to the checkpoint); show/out_dir -> default_hooks.visualization; tmpdir/gpu_collect -> test_evaluator collect_device
    single_gpu_test(model, loader)
    """)


SEED = "MMC203"


@pytest.mark.parametrize("source", [
    """\
    from mmdet.apis import set_random_seed
    set_random_seed(0)
    """,
    """\
    def init_random_seed(seed=None):
        return seed or 42

    seed = init_random_seed(args.seed)
    """,
    """\
    from mmengine.runner import set_random_seed
    set_random_seed(0, deterministic=True)
    """,
])
def test_seed_noop(source):
    check_noop(SEED, source)


def test_seed_train_script():
    check_transformed(SEED, """\
    from mmcls.apis import init_random_seed, set_random_seed, train_model

    seed = init_random_seed(args.seed, device=cfg.device)
    set_random_seed(seed, deterministic=args.deterministic)
    """, """\
    from mmcls.apis import train_model
    from mmengine.runner import set_random_seed
    from mmengine.dist import sync_random_seed

    seed = args.seed if args.seed is not None else sync_random_seed()
    set_random_seed(seed, deterministic=args.deterministic)
    """)


def test_seed_alias_module_forms_and_parentheses():
    check_transformed(SEED, """\
    import mmcls.apis as apis
    try:
        from mmcls.apis import set_random_seed as seed_all
    except ImportError:
        seed_all = None

    apis.set_random_seed(0)
    seed_all(1)
    base = apis.init_random_seed() + 1
    other = apis.init_random_seed(None)
    """, """\
    import mmcls.apis as apis
    from mmengine.runner import set_random_seed
    from mmengine.dist import sync_random_seed
    try:
        from mmengine.runner import set_random_seed as seed_all
    except ImportError:
        seed_all = None

    set_random_seed(0)
    seed_all(1)
    base = sync_random_seed() + 1
    other = sync_random_seed()
    """)


def test_seed_with_side_effects_gets_todo():
    check_transformed(SEED, """\
    from mmcls.apis import init_random_seed
    seed = init_random_seed(parse().seed)
    value = 3 * init_random_seed(s)
    """, """\
    from mmcls.apis import init_random_seed
    from mmengine.dist import sync_random_seed
    # TODO(mmcodemod): MMC203 init_random_seed was removed: use `seed if seed is not None else mmengine.dist.sync_random_seed()`
    seed = init_random_seed(parse().seed)
    value = 3 * (s if s is not None else sync_random_seed())
    """)


def test_attribute_of_a_call_result_is_not_the_function():
    # `apis.load().inference_model` is an attribute of whatever load() returns
    check_noop([INFER, RUNNER, SEED], """\
    from mmcls import apis
    result = apis.load().inference_model(model, img)
    apis.get().train_model(model, data, cfg)
    """)


ATTRS = "MMC204"


@pytest.mark.parametrize("source", [
    # a model that does not come from mmcls' init_model
    """\
    from mmcls.apis import init_model
    from mine import build
    model = build()
    print(model.CLASSES, model.cfg)
    """,
    """\
    from mmdet.apis import init_detector
    model = init_detector(config)
    print(model.CLASSES)
    """,
])
def test_model_attributes_noop(source):
    check_noop(ATTRS, source)


def test_model_attributes():
    check_transformed(ATTRS, """\
    import mmcls.apis


    def main(args):
        model = mmcls.apis.init_model(args.config, args.checkpoint)
        print(f'{len(model.CLASSES)} classes: {model.cfg.model.type}')
        print(model.CLASSES[0])
    """, """\
    import mmcls.apis


    def main(args):
        model = mmcls.apis.init_model(args.config, args.checkpoint)
        print(f'{len(model._dataset_meta["classes"])} classes: {model._config.model.type}')
        print(model._dataset_meta['classes'][0])
    """)


def test_a_model_attribute_the_script_sets_is_not_rewritten_anywhere():
    # reading 1.2's place while setting the old one would mix the two: TODOs, no rewrite
    check_transformed(ATTRS, """\
    import mmcls.apis


    def main(args):
        model = mmcls.apis.init_model(args.config, args.checkpoint)
        print(model.cfg.model.type)
        model.CLASSES = []
        model.CLASSES.append('a')
    """, """\
    import mmcls.apis


    def main(args):
        model = mmcls.apis.init_model(args.config, args.checkpoint)
        print(model._config.model.type)
        # TODO(mmcodemod): MMC204 1.2 models have no `CLASSES` attribute: the classes are in model._dataset_meta['classes'] and the config in model._config
        model.CLASSES = []
        # TODO(mmcodemod): MMC204 1.2 models have no `CLASSES` attribute: the classes are in model._dataset_meta['classes'] and the config in model._config
        model.CLASSES.append('a')
    """)


def test_every_name_the_rules_write_exists_in_the_target_packages():
    # facts generated from the mmpretrain 1.2.0 / mmengine 0.10.7 wheels
    from codemods.data.targets import MODULES
    from codemods.rules import apis, utils

    written = [apis.INFERENCER, apis.RUNNER, apis.SET_SEED, apis.SYNC_SEED,
               utils.LOGGER, utils.MULTI, utils.DEVICE, ("mmpretrain.utils", "load_json_log")]
    for module, name in written:
        assert name in MODULES[module].split(), f"{module}.{name}"


@pytest.mark.parametrize("source", [
    """\
    from mmcls.apis import init_model
    model = init_model('cfg.py', 'ckpt.pth', device='cpu')
    """,
    """\
    from mmdet.apis import init_model
    model = init_model('cfg.py')
    """,
])
def test_init_model_noop(source):
    check_noop("MMC205", source)


def test_init_model_todos():
    check_transformed("MMC205", """\
    from mmcls import apis
    model = apis.init_model(cfg, ckpt, 'cuda:1', {'model.head.num_classes': 5})
    other = apis.init_model(cfg)
    """, """\
    from mmcls import apis
    # TODO(mmcodemod): MMC205 init_model has no `options` in 1.2 (its keyword arguments override cfg.model): merge the options into the config first (cfg.merge_from_dict(options))
    model = apis.init_model(cfg, ckpt, 'cuda:1', {'model.head.num_classes': 5})
    # TODO(mmcodemod): MMC205 0.x init_model put the model on 'cuda:0' by default; 1.2 leaves it on the CPU unless device= is given
    other = apis.init_model(cfg)
    """)


def test_train_model_through_a_submodule_import():
    check_transformed(RUNNER, """\
    from mmcls.apis import train
    train.train_model(model, data, cfg)
    """, """\
    from mmengine.runner import Runner
    """ + TRAIN_TODO.format("data") + """
    runner = Runner.from_cfg(cfg)
    runner.train()
    """)


def test_star_import():
    check_transformed([INFER, RUNNER, SEED], """\
    from mmcls.apis import *

    set_random_seed(0)
    model = init_model('cfg.py')
    result = inference_model(model, 'a.jpg')
    train_model(model, data, cfg)
    """, """\
    from mmcls.apis import *
    from mmengine.runner import set_random_seed
    from mmengine.runner import Runner
    from mmpretrain.apis import ImageClassificationInferencer

    set_random_seed(0)
    model = init_model('cfg.py')
    inferencer = ImageClassificationInferencer(model)
    result = inferencer('a.jpg')[0]
    """ + TRAIN_TODO.format("data") + """
    runner = Runner.from_cfg(cfg)
    runner.train()
    """)


def test_star_import_hidden_by_own_definition():
    check_noop([INFER, RUNNER, SEED], """\
    from mmcls.apis import *


    def inference_model(model, img):
        return model(img)

    result = inference_model(model, 'a.jpg')
    """)


@pytest.mark.parametrize("rule_id", [
    "MMC201", "MMC202", "MMC203", "MMC204", "MMC205",
    "MMC211", "MMC212", "MMC213", "MMC214", "MMC215", "MMC301", "MMC302",
])
def test_explain_examples_are_what_the_rule_does(rule_id):
    from codemods.rules import get_rule

    rule = get_rule(rule_id)
    check_transformed(rule_id, rule.before, rule.after)


def test_mmselfsup_training_helpers():
    check_transformed([RUNNER, SEED], """\
    from mmselfsup.apis import init_random_seed, set_random_seed, train_model
    from mmselfsup.utils import single_gpu_test

    seed = init_random_seed(args.seed)
    set_random_seed(seed)
    train_model(model, datasets, cfg, distributed=False, timestamp=timestamp, meta=meta)
    single_gpu_test(model, data_loader)
    """, """\
    from mmengine.runner import set_random_seed
    from mmengine.dist import sync_random_seed
    from mmengine.runner import Runner

    seed = args.seed if args.seed is not None else sync_random_seed()
    set_random_seed(seed)
    """ + TRAIN_TODO.format("datasets") + """; distributed=False -> cfg.launcher; timestamp=timestamp -> the Runner names its log folder by time itself; meta=meta -> the Runner logs env info, seed and config and saves dataset_meta in checkpoints
    runner = Runner.from_cfg(cfg)
    runner.train()
    """ + TEST_TODO + """
    runner = Runner.from_cfg(cfg)
    runner.test()
    """)


def test_single_gpu_test_config_only_as_attribute_or_keyword_gets_todo():
    check_transformed(RUNNER, """\
    from mmcls.apis import single_gpu_test
    loader = build(model.cfg, cfg=None)
    single_gpu_test(model, loader)
    """, """\
    from mmcls.apis import single_gpu_test
    loader = build(model.cfg, cfg=None)
    # TODO(mmcodemod): MMC202 single_gpu_test was removed in MMPretrain 1.x: use Runner.from_cfg(cfg) and runner.test(); runner.test() builds the model and cfg.test_dataloader from the config and loads cfg.load_from (set it to the checkpoint); show/out_dir -> default_hooks.visualization; tmpdir/gpu_collect -> test_evaluator collect_device
    single_gpu_test(model, loader)
    """)


def test_model_attributes_are_scope_aware():
    # `model` in train() comes from a builder, not from init_model: its CLASSES is left alone
    check_transformed(ATTRS, """\
    from mmcls.apis import init_model


    class Tool:
        def train(self):
            model = build_classifier(self.cfg.model)
            print(model.CLASSES)

        def infer(self, img):
            model = init_model(self.cfg, self.checkpoint)
            names = model.CLASSES
            model.show_result(img, model.predict(img), show=True)
    """, """\
    from mmcls.apis import init_model


    class Tool:
        def train(self):
            model = build_classifier(self.cfg.model)
            print(model.CLASSES)

        def infer(self, img):
            model = init_model(self.cfg, self.checkpoint)
            names = model._dataset_meta['classes']
            # TODO(mmcodemod): MMC204 1.2 models have no show_result: use ImageClassificationInferencer(model)(img, show=True) or its show_dir= to save the drawings
            model.show_result(img, model.predict(img), show=True)
    """)


def test_inference_on_a_model_attribute_built_in_init():
    check_transformed(INFER, """\
    from mmcls.apis import inference_model, init_model


    class Classifier:
        def __init__(self, config, checkpoint):
            self.model = init_model(config, checkpoint, device='cpu')
            self.model_inferencer = None  # taken: the new attribute needs another name

        def __call__(self, img):
            return inference_model(self.model, img)['pred_label']

        def top(self, img):
            return inference_model(self.model, img)['pred_score']
    """, """\
    from mmcls.apis import init_model
    from mmpretrain.apis import ImageClassificationInferencer


    class Classifier:
        def __init__(self, config, checkpoint):
            self.model = init_model(config, checkpoint, device='cpu')
            self.model_inferencer_2 = ImageClassificationInferencer(self.model)
            self.model_inferencer = None  # taken: the new attribute needs another name

        def __call__(self, img):
            return self.model_inferencer_2(img)[0]['pred_label']

        def top(self, img):
            return self.model_inferencer_2(img)[0]['pred_score']
    """)


def test_inference_on_a_model_attribute_set_twice_is_built_inline():
    check_transformed(INFER, """\
    from mmcls.apis import inference_model


    class Classifier:
        def __init__(self, model):
            self.model = model

        def reload(self, model):
            self.model = model

        def __call__(self, img):
            return inference_model(self.model, img)
    """, """\
    from mmpretrain.apis import ImageClassificationInferencer


    class Classifier:
        def __init__(self, model):
            self.model = model

        def reload(self, model):
            self.model = model

        def __call__(self, img):
            return ImageClassificationInferencer(self.model)(img)[0]
    """)
