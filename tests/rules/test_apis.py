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
        from mmcls.apis import (
            init_model,
        )
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


def test_show_result_not_faithful_gets_todos():
    check_transformed(INFER, """\
    import mmcv
    from mmcls.apis import inference_model, init_model
    from mmcls.apis import show_result_pyplot as show

    model = init_model('cfg.py')
    result = inference_model(model, path)
    show(model, mmcv.imread(path), result, title=path)
    """, """\
    import mmcv
    from mmcls.apis import init_model
    from mmpretrain.apis import ImageClassificationInferencer

    model = init_model('cfg.py')
    inferencer = ImageClassificationInferencer(model)
    result = inferencer(path)[0]
    # TODO(mmcodemod): MMC201 show_result_pyplot argument(s) title: no counterpart in the 1.2 inferencer (it takes resize, rescale_factor, draw_score, show_dir); dropped from: show(model, mmcv.imread(path), result, title=path)
    # TODO(mmcodemod): MMC201 the inferencer shows a new prediction for the image, not the `result` that was passed to show_result_pyplot; check that they are the same
    inferencer(mmcv.imread(path), show=True)
    """)


def test_show_result_used_as_value_is_left_alone():
    check_noop(INFER, """\
    from mmcls.apis import show_result_pyplot
    figure = show_result_pyplot(model, img, result)
    """)
