"""Serve an exported leafnet model with onnxruntime, without mmcls or torch installed.

This is our own lightweight replacement for mmcls.apis.inference_model: the production box
only has numpy, Pillow and onnxruntime. Export the model first with
`tools/deployment/pytorch2onnx.py` from mmcls.
"""
import argparse

import numpy as np
from PIL import Image

MEAN = np.array([123.675, 116.28, 103.53], dtype=np.float32)
STD = np.array([58.395, 57.12, 57.375], dtype=np.float32)


def load_session(onnx_file):
    import onnxruntime as ort
    return ort.InferenceSession(onnx_file, providers=['CPUExecutionProvider'])


def preprocess(img_path, size=224, resize=256):
    img = Image.open(img_path).convert('RGB')
    w, h = img.size
    scale = resize / min(w, h)
    img = img.resize((round(w * scale), round(h * scale)), Image.BILINEAR)
    w, h = img.size
    left, top = (w - size) // 2, (h - size) // 2
    img = img.crop((left, top, left + size, top + size))
    data = (np.asarray(img, dtype=np.float32) - MEAN) / STD
    return data.transpose(2, 0, 1)[None]


def inference_model(model, img, classes=None, topk=1):
    """Run `model` (an onnxruntime session) on one image file.

    Returns a dict shaped like the old mmcls result, so that our dashboards keep working:
    `pred_label`, `pred_score` and, when `classes` is given, `pred_class`.
    """
    data = preprocess(img)
    (scores, ) = model.run(None, {model.get_inputs()[0].name: data})
    scores = np.exp(scores[0] - scores[0].max())
    scores /= scores.sum()
    order = np.argsort(-scores)[:topk]
    result = {'pred_label': int(order[0]), 'pred_score': float(scores[order[0]])}
    if classes is not None:
        result['pred_class'] = classes[result['pred_label']]
    if topk > 1:
        result['topk'] = [(int(i), float(scores[i])) for i in order]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('onnx_file')
    parser.add_argument('images', nargs='+')
    parser.add_argument('--classes', help='text file with one class name per line')
    parser.add_argument('--topk', type=int, default=1)
    args = parser.parse_args()

    classes = None
    if args.classes:
        with open(args.classes) as f:
            classes = [line.strip() for line in f if line.strip()]
    model = load_session(args.onnx_file)
    for img in args.images:
        result = inference_model(model, img, classes=classes, topk=args.topk)
        print(img, result)


if __name__ == '__main__':
    main()
