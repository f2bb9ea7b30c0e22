"""Classify leaf images with a trained checkpoint and print (or plot) the predictions.

Example:
    python tools/infer.py configs/leaves/resnet50_4xb64_leaves-ft.py \
        work_dirs/resnet50_4xb64_leaves-ft/latest.pth demo/*.jpg --show
"""
import json
from argparse import ArgumentParser

import mmcv
from mmpretrain.apis import init_model, ImageClassificationInferencer
# TODO(mmcodemod): MMC101 show_result_pyplot was removed: use mmpretrain.apis.ImageClassificationInferencer(model)(img, show=True)
from mmcls.apis import show_result_pyplot as show_prediction

import mycls  # noqa: F401


def parse_args():
    parser = ArgumentParser()
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('images', nargs='+', help='image files')
    parser.add_argument('--device', default='cuda:0')
    parser.add_argument('--show', action='store_true', help='plot each result')
    parser.add_argument('--out', help='write the predictions to this json file')
    return parser.parse_args()


def main():
    args = parse_args()
    model = init_model(args.config, args.checkpoint, device=args.device)
    inferencer = ImageClassificationInferencer(model)
    print(f'{len(model._dataset_meta["classes"])} classes, test pipeline: '
          f'{[step["type"] for step in model._config.test_dataloader.dataset.pipeline]}')

    predictions = {}
    for image in args.images:
        result = inferencer(image)[0]
        print(f'{image}: {result["pred_class"]} '
              f'(label {result["pred_label"]}, score {result["pred_score"]:.3f})')
        predictions[image] = dict(
            label=int(result['pred_label']),
            score=float(result['pred_score']),
            cls=result['pred_class'])
        if args.show:
            # TODO(mmcodemod): MMC201 show_result_pyplot was removed: ImageClassificationInferencer(model)(img, show=True) draws a new prediction of img, not this `result`; to draw a given result use mmpretrain.visualization.UniversalVisualizer().visualize_cls(image, data_sample, show=True)
            show_prediction(model, mmcv.imread(image), result, title=image)

    if args.out:
        with open(args.out, 'w') as f:
            json.dump(predictions, f, indent=2)


if __name__ == '__main__':
    main()
