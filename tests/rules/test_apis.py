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
