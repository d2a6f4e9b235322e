"""Every bad input gets a clear one-line error that names the problem and the fix."""

import re

import pytest

from alexnet_edu import LocalResponseNormalization, build_alexnet, conv_output_size, layer_table

CASES = [
    (lambda: build_alexnet("resnet"), r"Unknown preset 'resnet'\. Valid presets: 'seed', 'paper', 'mini'"),
    (lambda: build_alexnet("seed", colour=True), r"Unknown knob 'colour'\. Valid knobs: num_classes, input_shape"),
    (lambda: build_alexnet("seed", activation="gelu"), r"Unknown activation 'gelu'\. Valid values: 'relu', 'tanh', 'sigmoid'"),
    (lambda: build_alexnet("seed", normalization="layernorm"), r"Valid values: 'lrn', 'batchnorm', 'none'"),
    (lambda: build_alexnet("seed", pooling="avg"), r"Unknown pooling 'avg'\. Valid values: 'overlapping', 'plain'"),
    (lambda: build_alexnet("seed", groups=3), r"Unknown groups 3\. Valid values: 1, 2"),
    (lambda: build_alexnet("seed", remove=("conv1",)), r"Unknown layer to remove 'conv1'\. Valid values: 'conv3'"),
    (lambda: build_alexnet("seed", num_classes=1), r"num_classes must be an integer of at least 2\. Received: num_classes=1"),
    (lambda: build_alexnet("seed", input_shape=(224, 224)), r"input_shape must be \(height, width, channels\)"),
    (lambda: build_alexnet("seed", dropout=1.0), r"dropout must be in \[0, 1\)\. Received: dropout=1.0"),
    (lambda: build_alexnet("seed", width=0), r"width must be positive\. Received: width=0"),
    (lambda: LocalResponseNormalization(n=4), r"positive odd integer \(the paper uses 5\)\. Received: n=4"),
    (lambda: conv_output_size(5, 11), r"does not fit in an input of 5"),
    (lambda: conv_output_size(224, 11, padding="full"), r"padding must be .*Received: padding='full'"),
    (lambda: layer_table("seed"), r"layer_table needs a keras\.Model\. Received: str"),
]


@pytest.mark.parametrize("call, message", CASES)
def test_clear_one_line_error(call, message):
    with pytest.raises((ValueError, TypeError)) as error:
        call()
    assert re.search(message, str(error.value)), str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "preset, size, layer, smallest",
    [("seed", 32, "pool2", 67), ("paper", 60, "pool5", 67), ("mini", 6, "pool2", 29)],
)
def test_input_too_small_names_layer_and_smallest_size(preset, size, layer, smallest):
    with pytest.raises(ValueError, match=rf"layer '{layer}' would have an empty output\. The smallest valid input size is {smallest}\."):
        build_alexnet(preset, input_shape=(size, size, 3))
    # The size named really is the smallest that works.
    assert build_alexnet(preset, input_shape=(smallest, smallest, 3)).get_layer("pool5").output.shape[1] == 1
    with pytest.raises(ValueError):
        build_alexnet(preset, input_shape=(smallest - 1, smallest - 1, 3))


def test_input_too_narrow_says_width():
    with pytest.raises(ValueError, match=r"Input width 40 is too small"):
        build_alexnet("seed", input_shape=(224, 40, 3))
