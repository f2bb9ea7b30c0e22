"""MMC606/MMC607: MMSelfSup's optimizer settings. No-op cases first, then before/after cases.

The 1.2 forms follow MMPretrain 1.2's byol/mae/swav configs (custom_keys with decay_mult and
lars_exclude, accumulative_counts, SwAVHook(frozen_layers_cfg=...)).
"""
import pytest

from codemods.config import clear_cache, load
from tests.rules.test_selfsup import _write, check_transformed
from tests.util import check_noop, migrate


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.mark.parametrize("source", [
    # MMEngine's own paramwise_cfg
    """\
    optim_wrapper = dict(
        optimizer=dict(type='AdamW', lr=1e-3),
        paramwise_cfg=dict(custom_keys={'bias': dict(decay_mult=0.)}))
    """,
    # a user's variable that happens to be called update_interval, no optimizer_config
    """\
    update_interval = 2
    """,
    # MMPretrain 1.2's layer-wise decay, already migrated
    """\
    optim_wrapper = dict(
        optimizer=dict(type='AdamW', lr=2e-3),
        constructor='LearningRateDecayOptimWrapperConstructor',
        paramwise_cfg=dict(layer_decay_rate=0.65))
    """,
    # a layer_decay that no MMSelfSup constructor reads: not ours to move
    """\
    optim_wrapper = dict(optimizer=dict(type='MyAdam', lr=2e-3, layer_decay=0.7))
    """,
])
def test_noop(source):
    check_noop(("MMC606", "MMC607"), source, kind="config")


def test_paramwise_options():
    # mae: weight_decay=0. -> decay_mult=0.; byol's ResNet norm pattern -> 'bn', 'gn',
    # 'downsample.1' as 1.2's byol config; an absolute weight decay -> a multiple of the base one
    check_transformed("MMC606", """\
    optim_wrapper = dict(optimizer=dict(
        type='LARS', lr=4.8, weight_decay=1e-6,
        paramwise_options={
            '(bn|gn)(\\\\d+)?.(weight|bias)': dict(weight_decay=0., lars_exclude=True),
            'bias': dict(weight_decay=0., lars_exclude=True),
            'head': dict(weight_decay=2e-6, lr_mult=10)}))
    """, """\
    optim_wrapper = dict(
        optimizer=dict(type='LARS', lr=4.8, weight_decay=1e-6),
        paramwise_cfg=dict(custom_keys={
            'bn': dict(decay_mult=0.0, lars_exclude=True),
            'gn': dict(decay_mult=0.0, lars_exclude=True),
            'downsample.1': dict(decay_mult=0.0, lars_exclude=True),
            'bias': dict(decay_mult=0.0, lars_exclude=True),
            'head': dict(decay_mult=2.0, lr_mult=10)}))
    """)


def test_transformer_finetune_constructor():
    # mae/swin fine-tuning: 1.2's constructor reads the layers from the backbone (model_type goes)
    # and takes the decay as paramwise_cfg.layer_decay_rate (mmpretrain configs/mae/benchmarks)
    check_transformed("MMC606", """\
    optim_wrapper = dict(
        optimizer=dict(type='AdamW', lr=4e-3, model_type='vit', layer_decay=0.65,
                       paramwise_options={'pos_embed': dict(weight_decay=0.)}),
        constructor='TransformerFinetuneConstructor')
    """, """\
    optim_wrapper = dict(
        optimizer=dict(type='AdamW', lr=4e-3),
        constructor='LearningRateDecayOptimWrapperConstructor',
        paramwise_cfg=dict(custom_keys=dict(pos_embed=dict(decay_mult=0.0)), layer_decay_rate=0.65))
    """)


def test_layer_decay_of_a_leaf_over_a_base_with_the_constructor(tmp_path):
    _write(tmp_path, "base.py", """\
    optim_wrapper = dict(optimizer=dict(type='AdamW', lr=4e-3, model_type='swin', layer_decay=0.9),
                         constructor='TransformerFinetuneConstructor')
    """)
    check_transformed("MMC606", """\
    _base_ = 'base.py'
    optim_wrapper = dict(optimizer=dict(lr=1e-3, layer_decay=0.75))
    """, """\
    _base_ = 'base.py'
    optim_wrapper = dict(optimizer=dict(lr=1e-3), paramwise_cfg=dict(layer_decay_rate=0.75))
    """, path=tmp_path / "leaf.py")


def test_regex_key_gets_todo():
    result = migrate("""\
    optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1,
        paramwise_options={'(conv|fc)\\\\d': dict(lr_mult=10)}))
    """, "MMC606", "config")
    assert result.startswith("# TODO(mmcodemod): MMC606 paramwise_options key '(conv|fc)\\\\d' is a "
                             "regular expression")
    assert "paramwise_options" not in result.split("\n", 1)[1]


def test_update_interval_and_frozen_layers(tmp_path):
    # the schedule rule has already turned optimizer/optimizer_config into optim_wrapper (with a
    # TODO about the options it could not place); the 0.x text is the file on disk
    child = _write(tmp_path, "child.py", """\
    optimizer = dict(type='LARS', lr=0.6)
    optimizer_config = dict(update_interval=8, frozen_layers_cfg=dict(prototypes=5005))
    custom_hooks = [dict(type='SwAVHook', batch_size=32)]
    """)
    load(child)  # as the earlier config rules do: the 0.x text is remembered as the original
    check_transformed("MMC607", """\
    # TODO(mmcodemod): MMC401 optimizer_config options update_interval, frozen_layers_cfg were not migrated; set them
    optim_wrapper = dict(optimizer=dict(type='LARS', lr=0.6))
    custom_hooks = [dict(type='SwAVHook', batch_size=32)]
    """, """\
    optim_wrapper = dict(optimizer=dict(type='LARS', lr=0.6), accumulative_counts=8)
    custom_hooks = [
        dict(type='SwAVHook', batch_size=32, frozen_layers_cfg=dict(prototypes=5005))]
    """, path=child)


def test_anchored_key_and_paramwise_cfg_options():
    # benchmarks: '\\Ahead.' (head parameters) is the substring 'head.'; norm_decay_mult is an
    # option of MMEngine's paramwise_cfg itself; weight_decay_mult is decay_mult
    check_transformed("MMC606", """\
    optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, paramwise_options={
        '\\\\Ahead.': dict(lr_mult=10, weight_decay_mult=0.1), 'norm_decay_mult': 0.}))
    """, """\
    optim_wrapper = dict(
        optimizer=dict(type='SGD', lr=0.1),
        paramwise_cfg=dict(norm_decay_mult=0.0,
                           custom_keys={'head.': dict(lr_mult=10, decay_mult=0.1)}))
    """)


def test_empty_optimizer_config_goes():
    # MMSelfSup's benchmark runtime: `optimizer_config = dict()` with no optimizer in the file;
    # the schedule rule asked to move it next to the optimizer, but it holds nothing
    check_transformed("MMC607", """\
    # TODO(mmcodemod): MMC401 `optim_wrapper` needs the optimizer: move optimizer_config/fp16 into the `optim_wrapper` of the config that defines `optimizer`
    optimizer_config = dict()  # grad_clip, coalesce, bucket_size_mb
    log_level = 'INFO'
    """, """\
    log_level = 'INFO'
    """)


def test_kept_optimizer_config_with_update_interval():
    # the schedule rule keeps optimizer_config (with a TODO) when it cannot place an option
    check_transformed("MMC607", """\
    _base_ = 'base.py'
    update_interval = 8
    # optimizer
    # TODO(mmcodemod): MMC401 optimizer_config options update_interval were not migrated; set them on `optim_wrapper` if it supports them
    optimizer_config = dict(update_interval=update_interval)
    log_level = 'INFO'
    """, """\
    _base_ = 'base.py'
    update_interval = 8
    optim_wrapper = dict(accumulative_counts=8)
    # optimizer
    log_level = 'INFO'
    """)


def test_kept_optimizer_config_with_other_options_is_left():
    check_noop("MMC607", """\
    # TODO(mmcodemod): MMC401 optimizer_config options detect_anomalous_params were not migrated
    optimizer_config = dict(update_interval=2, detect_anomalous_params=True)
    """, kind="config")
