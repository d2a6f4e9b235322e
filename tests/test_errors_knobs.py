"""Knobs and helpers: typed knob checks, LRN parameters, exercise answers, widgets, load_model, quiet import.

Bad input gets a one-line error that names the problem and the fix; the
silent cases (a value read wrongly, a NaN, a wrong "right") are now either
correct, checked against values computed independently, or refused.
"""

import json
import os
import re
import subprocess
import sys

import keras
import numpy as np
import pytest

from alexnet_edu import LocalResponseNormalization, build_alexnet, check, load_model, make_config
from alexnet_edu.models import _spatial_walk, smallest_input_size
from alexnet_edu.widgets import ConvArithmeticPlayground, FilterBrowser, LayerExplorer

KNOBS_TINY = dict(input_shape=(32, 32, 3), num_classes=4, width=0.125)


def knobs_tiny(**knobs):
    return build_alexnet("mini", **{**KNOBS_TINY, **knobs})


def knobs_dense_model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)], name="dense_only")


def knobs_image(size=32):
    return np.random.default_rng(0).uniform(size=(size, size, 3)).astype("float32")


def knobs_write(name, content=b"not a model"):
    """Writes a file in the current folder (the test's tmp_path) and returns its name."""
    with open(name, "wb") as file:
        file.write(content)
    return name


def knobs_folder(name):
    os.makedirs(name, exist_ok=True)
    return name


CASES = [
    # build_alexnet / make_config: integer knobs
    pytest.param(lambda: knobs_tiny(groups=2.0), TypeError, r"groups must be an integer 1 or 2 .*write 2, not 2\.0.*Received: groups=2\.0", id="groups-float"),
    pytest.param(lambda: knobs_tiny(groups=True), TypeError, r"groups must be an integer 1 or 2.*Received: groups=True", id="groups-bool"),
    pytest.param(lambda: knobs_tiny(num_classes=10.0), TypeError, r"num_classes must be an integer of at least 2, e.g\. 10 \(write 10, not 10\.0\)\. Received: num_classes=10\.0", id="num-classes-float"),
    pytest.param(lambda: knobs_tiny(num_classes=True), TypeError, r"num_classes must be an integer of at least 2.*Received: num_classes=True", id="num-classes-bool"),
    pytest.param(lambda: knobs_tiny(conv1_stride=0), ValueError, r"conv1_stride must be an integer of at least 1\. Received: conv1_stride=0", id="stride-zero"),
    pytest.param(lambda: knobs_tiny(conv1_stride=2.5), TypeError, r"conv1_stride must be an integer of at least 1, e\.g\. 4\. Received: conv1_stride=2\.5", id="stride-float"),
    pytest.param(lambda: knobs_tiny(conv1_kernel=0), ValueError, r"conv1_kernel must be an integer of at least 1\. Received: conv1_kernel=0", id="kernel-zero"),
    pytest.param(lambda: knobs_tiny(conv2_kernel=0), ValueError, r"conv2_kernel must be an integer of at least 1\. Received: conv2_kernel=0", id="conv2-kernel-zero"),
    pytest.param(lambda: knobs_tiny(conv2_kernel=3.0), TypeError, r"conv2_kernel must be an integer of at least 1, e\.g\. 5 \(write 3, not 3\.0\)\. Received: conv2_kernel=3\.0", id="conv2-kernel-float"),
    pytest.param(lambda: knobs_tiny(fc_units=0), ValueError, r"fc_units must be an integer of at least 1\. Received: fc_units=0", id="fc-units-zero"),
    pytest.param(lambda: knobs_tiny(fc_units=-5), ValueError, r"fc_units must be an integer of at least 1\. Received: fc_units=-5", id="fc-units-negative"),
    pytest.param(lambda: knobs_tiny(fc_units="4096"), TypeError, r"fc_units must be an integer of at least 1, e\.g\. 4096\. Received: fc_units='4096'", id="fc-units-string"),
    # filters
    pytest.param(lambda: knobs_tiny(filters=(96, 0, 384, 384, 256)), ValueError, r"filters must give 5 conv widths \(conv1-conv5\), positive integers such as \(96, 256, 384, 384, 256\)\. Received: filters=\(96, 0,", id="filters-zero"),
    pytest.param(lambda: knobs_tiny(filters=(96, -256, 384, 384, 256)), ValueError, r"filters must give 5 conv widths.*positive integers.*Received: filters=\(96, -256", id="filters-negative"),
    pytest.param(lambda: knobs_tiny(filters=(96, 25.5, 384, 384, 256)), ValueError, r"filters must give 5 conv widths.*positive integers.*Received: filters=\(96, 25\.5", id="filters-float"),
    pytest.param(lambda: knobs_tiny(filters="96"), TypeError, r"filters must give 5 conv widths.*positive integers such as.*Received: filters='96'", id="filters-string"),
    # numbers: width, dropout
    pytest.param(lambda: knobs_tiny(width="0.5"), TypeError, r"width must be a number above 0, e\.g\. 0\.5 for half the width\. Received: width='0\.5'", id="width-string"),
    pytest.param(lambda: knobs_tiny(width=True), TypeError, r"width must be a number above 0.*Received: width=True", id="width-bool"),
    pytest.param(lambda: knobs_tiny(width=float("nan")), ValueError, r"width must be a finite number above 0.*Received: width=nan", id="width-nan"),
    pytest.param(lambda: knobs_tiny(width=float("inf")), ValueError, r"width must be a finite number above 0.*Received: width=inf", id="width-inf"),
    pytest.param(lambda: knobs_tiny(width=-0.5), ValueError, r"width must be positive\. Received: width=-0\.5", id="width-negative"),
    pytest.param(lambda: knobs_tiny(width=1e-4), ValueError, r"width is too small: conv1 would get 96 x 0\.0001 = 0 units\. Use width >= 0\.0104\. Received: width=0\.0001", id="width-tiny"),
    pytest.param(lambda: knobs_tiny(dropout=-0.1), ValueError, r"dropout must be in \[0, 1\)\. Received: dropout=-0\.1", id="dropout-negative"),
    pytest.param(lambda: knobs_tiny(dropout="0.5"), TypeError, r"dropout must be a number in \[0, 1\) \(0 turns dropout off\)\. Received: dropout='0\.5'", id="dropout-string"),
    pytest.param(lambda: knobs_tiny(dropout=True), TypeError, r"dropout must be a number in \[0, 1\).*Received: dropout=True", id="dropout-bool"),
    pytest.param(lambda: knobs_tiny(dropout=float("nan")), ValueError, r"dropout must be a finite number in \[0, 1\).*Received: dropout=nan", id="dropout-nan"),
    # input_shape
    pytest.param(lambda: knobs_tiny(input_shape=(3, 64, 64)), ValueError, r"input_shape looks channels-first.*channels-last: use \(64, 64, 3\) \(height, width, channels\)\. Received: input_shape=\(3, 64, 64\)", id="input-channels-first"),
    pytest.param(lambda: knobs_tiny(input_shape=(64, 64, 4)), ValueError, r"input_shape must end with 1 \(grayscale\) or 3 \(RGB\) channels.*drop the alpha channel.*use \(64, 64, 3\)\. Received: input_shape=\(64, 64, 4\)", id="input-rgba"),
    pytest.param(lambda: knobs_tiny(input_shape=(None, 64, 64, 3)), ValueError, r"input_shape must be \(height, width, channels\).*leave out the leading None\. Received: input_shape=\(None, 64, 64, 3\)", id="input-batch-axis"),
    pytest.param(lambda: knobs_tiny(input_shape=64), TypeError, r"input_shape must be \(height, width, channels\) of positive integers, e\.g\. \(224, 224, 3\)\. Received: input_shape=64", id="input-int"),
    pytest.param(lambda: knobs_tiny(input_shape=(64.0, 64, 3)), ValueError, r"input_shape must be \(height, width, channels\) of positive integers, e\.g\. \(224, 224, 3\)\. Received: input_shape=\(64\.0, 64, 3\)", id="input-float"),
    pytest.param(lambda: knobs_tiny(conv1_kernel=300, conv1_padding="valid"), ValueError, r"Input height 32 is too small for this AlexNet: layer 'conv1' would have an empty output\. The smallest valid input size is 328\.", id="input-smaller-than-kernel"),
    # names and choices
    pytest.param(lambda: knobs_tiny(remove=3), TypeError, r"remove must name the conv layers to leave out, e\.g\. \('conv3',\) or 'conv3'.*Received: remove=3", id="remove-int"),
    pytest.param(lambda: knobs_tiny(remove=["conv1"]), ValueError, r"Unknown layer to remove 'conv1'\. Valid values: 'conv3', 'conv4', 'conv5'", id="remove-list-conv1"),
    pytest.param(lambda: knobs_tiny(remove="conv1"), ValueError, r"Unknown layer to remove 'conv1'\. Valid values: 'conv3', 'conv4', 'conv5'", id="remove-string-conv1"),
    pytest.param(lambda: knobs_tiny(activation=None), ValueError, r"Unknown activation None\. Valid values: 'relu', 'tanh', 'sigmoid'", id="activation-none"),
    pytest.param(lambda: knobs_tiny(name=3), TypeError, r"name must be a string \(the model's name\), e\.g\. 'my_alexnet', or None\. Received: name=3", id="name-int"),
    pytest.param(lambda: knobs_tiny(precision="half"), ValueError, r"Unknown precision 'half'\. Valid values: 'auto', 'float32', 'mixed_float16', 'mixed_bfloat16'", id="precision-unknown"),
    pytest.param(lambda: build_alexnet(["mini"]), ValueError, r"Unknown preset \['mini'\]\. Valid presets: 'seed', 'paper', 'mini'", id="preset-list"),
    pytest.param(lambda: make_config("mini", num_classes="10"), TypeError, r"num_classes must be an integer of at least 2, e\.g\. 10\. Received: num_classes='10'", id="make-config-string"),
    # smallest_input_size
    pytest.param(lambda: smallest_input_size("seed", input_shape=(64, 64, 3)), ValueError, r"smallest_input_size computes the input size, so it takes no input_shape: pass the other knobs only", id="smallest-input-shape"),
    pytest.param(lambda: smallest_input_size("vgg"), ValueError, r"Unknown preset 'vgg'\. Valid presets: 'seed', 'paper', 'mini'", id="smallest-preset"),
    pytest.param(lambda: smallest_input_size("seed", conv1_stride=0), ValueError, r"conv1_stride must be an integer of at least 1\. Received: conv1_stride=0", id="smallest-stride-zero"),
    pytest.param(lambda: smallest_input_size("seed", padding="same"), ValueError, r"Unknown knob 'padding'\. Valid knobs: num_classes", id="smallest-unknown-knob"),
    # LocalResponseNormalization
    pytest.param(lambda: LocalResponseNormalization(k=0), ValueError, r"LocalResponseNormalization needs k > 0 \(the paper uses 2\), or an all-zero input divides 0 by 0\. Received: k=0", id="lrn-k-zero"),
    pytest.param(lambda: LocalResponseNormalization(k=-1.0, alpha=1.0), ValueError, r"needs k > 0 \(the paper uses 2\).*Received: k=-1\.0", id="lrn-k-negative"),
    pytest.param(lambda: LocalResponseNormalization(alpha=-1e-4), ValueError, r"LocalResponseNormalization needs alpha >= 0 \(the paper uses 1e-4\)\. Received: alpha=-0\.0001", id="lrn-alpha-negative"),
    pytest.param(lambda: LocalResponseNormalization(beta=-0.75), ValueError, r"LocalResponseNormalization needs beta >= 0 \(the paper uses 0\.75\)\. Received: beta=-0\.75", id="lrn-beta-negative"),
    pytest.param(lambda: LocalResponseNormalization(k="2"), TypeError, r"needs a number for k: k > 0 \(the paper uses 2\).*Received: k='2'", id="lrn-k-string"),
    pytest.param(lambda: LocalResponseNormalization(alpha=True), TypeError, r"needs a number for alpha: alpha >= 0.*Received: alpha=True", id="lrn-alpha-bool"),
    pytest.param(lambda: LocalResponseNormalization(k=float("nan")), ValueError, r"needs k > 0 \(the paper uses 2\).*Received: k=nan", id="lrn-k-nan"),
    pytest.param(lambda: LocalResponseNormalization(beta=float("inf")), ValueError, r"needs beta >= 0 \(the paper uses 0\.75\)\. Received: beta=inf", id="lrn-beta-inf"),
    pytest.param(lambda: LocalResponseNormalization(n=5.0), ValueError, r"n, the window of adjacent channels, to be a positive odd integer \(the paper uses 5\)\. Received: n=5\.0", id="lrn-n-float"),
    # check
    pytest.param(lambda: check(["conv1_output_shape"], (54, 54, 96)), TypeError, r"The exercise key must be a string, as given in the notebook\. Valid exercises: conv1_output_shape, conv2_params", id="check-key-list"),
    pytest.param(lambda: check("conv1_shape", (54, 54, 96)), ValueError, r"Unknown exercise 'conv1_shape'\. Valid exercises: conv1_output_shape, conv2_params", id="check-key-unknown"),
    # widgets
    pytest.param(lambda: ConvArithmeticPlayground(input_size=1000), ValueError, r"ConvArithmeticPlayground needs input_size from 1 to 512 \(the slider's range\)\. Received: input_size=1000", id="playground-input-size"),
    pytest.param(lambda: ConvArithmeticPlayground(stride=0), ValueError, r"ConvArithmeticPlayground needs stride from 1 to 8 \(the slider's range\)\. Received: stride=0", id="playground-stride-zero"),
    pytest.param(lambda: ConvArithmeticPlayground(padding=-1), ValueError, r"needs padding from 0 to 10 \(the slider's range\)\. Received: padding=-1", id="playground-padding"),
    pytest.param(lambda: ConvArithmeticPlayground(kernel_size=2.5), TypeError, r"needs kernel_size as an integer from 1 to 15\. Received: kernel_size=2\.5", id="playground-kernel-float"),
    pytest.param(lambda: LayerExplorer("model", {"a": knobs_image()}), TypeError, r"LayerExplorer needs a keras\.Model, e\.g\. build_alexnet\('mini'\)\. Received: str", id="explorer-not-model"),
    pytest.param(lambda: LayerExplorer(knobs_dense_model(), {"a": knobs_image()}), ValueError, r"LayerExplorer needs a model with Conv2D layers, and 'dense_only' has none: pass a CNN such as build_alexnet\('mini'\)", id="explorer-no-conv"),
    pytest.param(lambda: LayerExplorer(knobs_tiny(), {"a": knobs_image()}, count=0), ValueError, r"LayerExplorer needs count of at least 1\. Received: count=0", id="explorer-count-zero"),
    pytest.param(lambda: LayerExplorer(knobs_tiny(), {"a": knobs_image()}, count=-2), ValueError, r"LayerExplorer needs count of at least 1\. Received: count=-2", id="explorer-count-negative"),
    pytest.param(lambda: LayerExplorer(knobs_tiny(), {"a": knobs_image()}, count=2.0), TypeError, r"LayerExplorer needs count as an integer of at least 1\. Received: count=2\.0", id="explorer-count-float"),
    pytest.param(lambda: LayerExplorer(knobs_tiny(), {"a": knobs_image() * 255}), ValueError, r"images\['a'\] ranges from .* but must be in \[0, 1\]: divide by 255", id="explorer-0-255-floats"),
    pytest.param(lambda: LayerExplorer(knobs_tiny(), {}), ValueError, r"LayerExplorer needs at least one image: pass a dict of name to image, or a batch of images", id="explorer-no-images"),
    pytest.param(lambda: LayerExplorer(knobs_tiny(), {"a": knobs_image(16)}), ValueError, r"Image 'a' is 16x16 but 'alexnet_mini' takes 32x32: resize it, e\.g\. load_image\(path, image_size=\(32, 32\)\)", id="explorer-wrong-size"),
    pytest.param(lambda: LayerExplorer(knobs_tiny(), np.zeros((2, 3, 32, 32), np.uint8)), ValueError, r"images must have 3 channels last.*channels-first: move the channels last with np\.moveaxis", id="explorer-channels-first"),
    pytest.param(lambda: FilterBrowser(knobs_dense_model()), ValueError, r"FilterBrowser needs a model with Conv2D layers, and 'dense_only' has none: pass a CNN", id="browser-no-conv"),
    pytest.param(lambda: FilterBrowser(knobs_tiny(), rows=0), ValueError, r"FilterBrowser needs rows of at least 1\. Received: rows=0", id="browser-rows-zero"),
    # load_model (the test runs in its tmp_path)
    pytest.param(lambda: load_model("missing.keras"), FileNotFoundError, r"No saved model at 'missing\.keras' \(relative paths start from .*\): check the name, or save the model first with model\.save\('missing\.keras'\)", id="load-missing"),
    pytest.param(lambda: load_model("~/knobs-surely-missing.keras"), FileNotFoundError, r"No saved model at '/.*/knobs-surely-missing\.keras'", id="load-missing-home"),
    pytest.param(lambda: load_model(knobs_folder("runs")), ValueError, r"'runs' is a folder, not a \.keras file: pass the \.keras file saved with model\.save", id="load-folder"),
    pytest.param(lambda: load_model(knobs_write("model.txt")), ValueError, r"'model\.txt' is not a \.keras file: load files saved with model\.save\('model\.keras'\)", id="load-txt"),
    pytest.param(lambda: load_model(knobs_write("model.weights.h5")), ValueError, r"'model\.weights\.h5' holds only weights, not a model: build the same model .* call model\.load_weights", id="load-weights"),
    pytest.param(lambda: load_model(knobs_write("model.keras")), ValueError, r"'model\.keras' is not a valid \.keras file \(not a zip archive.*save the model again with model\.save", id="load-not-zip"),
    pytest.param(lambda: load_model(3), TypeError, r"path must be the file path of a saved model, e\.g\. 'model\.keras'\. Received: path=3", id="load-int"),
]


@pytest.mark.parametrize("call, error_type, pattern", CASES)
def test_knobs_bad_input_gets_a_one_line_error(call, error_type, pattern, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exception) as error:
        call()
    message = str(error.value)
    assert type(error.value) is error_type, f"{type(error.value).__name__}: {message}"
    assert re.search(pattern, message), message
    assert "\n" not in message


# ---- models: what used to be read wrongly now builds what it says


def test_knobs_numpy_integers_build_the_same_model_as_ints():
    numpy_model = build_alexnet(
        "mini", input_shape=np.array([32, 32, 3]), num_classes=np.int64(10), groups=np.int32(2), width=np.float32(0.125),
        filters=np.array([96, 256, 384, 384, 256]), fc_units=np.int64(4096), conv1_kernel=np.int8(5), conv1_stride=np.uint8(2),
    )  # fmt: skip
    plain_model = build_alexnet("mini", input_shape=(32, 32, 3), num_classes=10, groups=2, width=0.125)
    assert numpy_model.output_shape == (None, 10)
    assert [layer.output.shape for layer in numpy_model.layers] == [layer.output.shape for layer in plain_model.layers]
    assert numpy_model.count_params() == plain_model.count_params()
    config = make_config("mini", num_classes=np.int64(10), input_shape=np.array([32, 32, 3]), groups=np.int64(2))
    assert type(config.num_classes) is int and type(config.groups) is int
    assert all(type(d) is int for d in config.input_shape)
    json.dumps(numpy_model.get_config())  # NumPy integers would not serialise


def test_knobs_remove_as_one_string_removes_that_layer_not_its_letters():
    assert make_config("mini", remove="conv3").remove == ("conv3",)
    names = [layer.name for layer in knobs_tiny(remove="conv3").layers]
    assert "conv3" not in names and {"conv4", "conv5"} <= set(names)
    assert knobs_tiny(remove="conv3").count_params() == knobs_tiny(remove=("conv3",)).count_params()
    assert make_config("mini", remove=None).remove == ()


def test_knobs_dropout_none_means_no_dropout():
    assert make_config("mini", dropout=None).dropout == 0.0
    names = [layer.name for layer in knobs_tiny(dropout=None).layers]
    assert "drop6" not in names and "drop7" not in names
    assert knobs_tiny(dropout=np.float64(0.25)).get_layer("drop6").rate == 0.25


def test_knobs_smallest_width_named_in_the_error_builds():
    with pytest.raises(ValueError, match=r"Use width >= ([\d.]+)\.") as error:
        knobs_tiny(width=1e-4)
    smallest = float(re.search(r"Use width >= ([\d.]+)\.", str(error.value)).group(1))
    model = knobs_tiny(width=smallest)
    units = [model.get_layer(f"conv{i}").filters for i in range(1, 6)] + [model.get_layer(n).units for n in ("fc6", "fc7")]
    assert min(units) >= 1
    # Below it, conv1 (96 filters, the narrowest layer) would round to 0 units: refused, not clamped to 1.
    with pytest.raises(ValueError, match="width is too small: conv1"):
        knobs_tiny(width=0.4 / 96)


def knobs_brute_force_smallest(config):
    """The smallest input size by trying every size along the layers' output sizes."""
    return next(size for size in range(1, 20_000) if all(out >= 1 for _, out in _spatial_walk(config, size)))


@pytest.mark.parametrize("pooling", ["overlapping", "plain"])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel, stride", [(1, 1), (3, 2), (5, 2), (11, 4), (7, 5), (300, 3)])
def test_knobs_smallest_input_size_matches_a_brute_force_search(pooling, padding, kernel, stride):
    knobs = dict(pooling=pooling, conv1_padding=padding, conv1_kernel=kernel, conv1_stride=stride)
    smallest = smallest_input_size("seed", **knobs)
    assert smallest == knobs_brute_force_smallest(make_config("seed", input_shape=(20_000, 20_000, 3), **knobs))


def test_knobs_smallest_input_size_agrees_with_keras():
    knobs = dict(pooling="plain", conv1_kernel=7, conv1_stride=3, conv1_padding="valid")
    smallest = smallest_input_size("mini", **knobs)
    # Hand count: pool5 needs 2 px, pool2 4, pool1 8; conv1 (valid, 7, stride 3) needs (8 - 1) * 3 + 7 = 28.
    assert smallest == 28
    model = knobs_tiny(input_shape=(smallest, smallest, 3), **knobs)
    assert model.get_layer("pool5").output.shape[1] == 1
    with pytest.raises(ValueError, match=r"The smallest valid input size is 28\."):
        knobs_tiny(input_shape=(smallest - 1, smallest, 3), **knobs)


def test_knobs_huge_kernel_gets_a_size_not_a_stopiteration():
    assert smallest_input_size("seed", conv1_kernel=5000) == 14 * 4 + 5000


# ---- LocalResponseNormalization


def test_knobs_lrn_all_zero_input_gives_zeros():
    zeros = np.zeros((2, 4, 4, 8), "float32")
    for layer in (LocalResponseNormalization(), LocalResponseNormalization(k=1e-6, alpha=0.0)):
        out = keras.ops.convert_to_numpy(layer(zeros))
        assert np.all(np.isfinite(out)) and np.all(out == 0)


def test_knobs_lrn_accepts_numpy_numbers_and_round_trips():
    layer = LocalResponseNormalization(n=np.int64(3), k=np.float32(1.5), alpha=np.float64(2e-4), beta=1, name="norm1")
    config = layer.get_config()
    assert (type(config["n"]), type(config["k"]), type(config["beta"])) == (int, float, float)
    json.dumps(config)
    clone = LocalResponseNormalization.from_config(config)
    assert (clone.n, clone.k, clone.alpha, clone.beta) == (3, 1.5, 2e-4, 1.0)
    x = np.random.default_rng(0).uniform(0, 30, size=(1, 2, 2, 5)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(clone(x)), keras.ops.convert_to_numpy(layer(x)))


# ---- check: numbers and tuples are compared as numbers, and a wrong type is named


def test_knobs_check_does_not_truncate_fractions(capsys):
    true_conv1 = ((224 - 11) // 4 + 1,) * 2 + (96,)  # computed here, not by the kit
    assert bool(check("conv1_output_shape", true_conv1)) is True
    assert bool(check("conv1_output_shape", (54.25, 54.25, 96))) is False
    assert bool(check("conv1_output_shape", (54.9, 54, 96))) is False
    assert bool(check("conv1_output_shape", (54.0, 54.0, 96.0))) is True
    true_conv2 = 5 * 5 * 96 * 256 + 256
    assert bool(check("conv2_params", true_conv2 + 0.5)) is False
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[0] for line in printed] == ["Right:", "Not", "Not", "Right:", "Not"]
    assert "sizes and counts are whole numbers" in printed[1] and "Hint:" in printed[1]


def test_knobs_check_accepts_numpy_and_tensors(capsys):
    import tensorflow as tf

    true_conv2 = 5 * 5 * 96 * 256 + 256
    assert bool(check("conv2_params", np.int64(true_conv2))) is True
    assert bool(check("conv2_params", np.array(true_conv2))) is True
    assert bool(check("conv1_output_shape", np.array([54, 54, 96]))) is True
    assert bool(check("conv1_output_shape", [np.int64(54), 54, 96])) is True
    assert bool(check("conv1_output_shape", tf.constant([54, 54, 96]))) is True
    assert bool(check("tanh_slope_at_2", np.float32(1 - np.tanh(2.0) ** 2))) is True
    assert bool(check("conv1_output_shape", np.array([55, 55, 96]))) is False
    assert capsys.readouterr().out.count("Right:") == 6


@pytest.mark.parametrize(
    "key, answer, problem",
    [
        ("conv2_params", "614656", r"Not yet \('614656'\): that is a string: pass a number, not a string \(no quotes\)\. Hint:"),
        ("tanh_slope_at_2", "0.0707", r"that is a string: pass a number, not a string"),
        ("conv1_output_shape", "(54, 54, 96)", r"that is a string: pass a tuple of 3 numbers, not a string"),
        ("conv1_output_shape", ("54", 54, 96), r"item 0 of the tuple is '54', not a number: pass a tuple of 3 numbers"),
        ("conv1_output_shape", 54, r"this question asks for a shape: pass a tuple of 3 numbers"),
        ("conv1_output_shape", (54, 54), r"this question asks for a tuple of 3 numbers, not 2"),
        ("conv2_params", (614656,), r"this question asks for one number, not a tuple"),
        ("conv2_params", None, r"that is None: pass a number"),
        ("conv2_params", True, r"that is True/False: pass a number"),
        ("conv2_params", {"conv2": 614656}, r"that is a dict: pass a number"),
        ("conv2_params", np.zeros((2, 2)), r"Not yet \(an array of shape \(2, 2\)\): that is an array of shape \(2, 2\): pass a number"),
        ("tanh_slope_at_2", float("nan"), r"that is not a finite number: pass a number"),
    ],
)
def test_knobs_check_names_a_wrong_type_and_what_to_pass(key, answer, problem, capsys):
    assert bool(check(key, answer)) is False
    printed = capsys.readouterr().out
    assert re.search(problem, printed), printed
    assert printed.count("\n") == 1


# ---- widgets: values are used as given, images follow the image contract


def test_knobs_playground_uses_the_values_given_not_clamped_ones():
    playground = ConvArithmeticPlayground(input_size=np.int64(512), kernel_size=15, stride=8, padding=10, in_channels=1, filters=512)
    values = {name: control.value for name, control in playground.controls.items()}
    assert values == dict(input_size=512, kernel_size=15, stride=8, padding=10, in_channels=1, filters=512)
    assert playground.result["output_size"] == (512 - 15 + 2 * 10) // 8 + 1
    # A kernel larger than the input is shown as not fitting, as before.
    small = ConvArithmeticPlayground(input_size=5, kernel_size=15, padding=0)
    assert small.result["fits"] is False and "does not fit" in small.text.value


def test_knobs_explorer_takes_uint8_images_like_floats(tiny_towers, image):
    as_uint8 = np.round(image * 255).astype(np.uint8)
    floats = LayerExplorer(tiny_towers, {"x": as_uint8.astype("float32") / 255}, count=3)
    uint8 = LayerExplorer(tiny_towers, {"x": as_uint8}, count=3)
    np.testing.assert_allclose(uint8.images["x"], as_uint8 / 255, rtol=1e-6)
    assert uint8.channels == floats.channels
    batch = LayerExplorer(tiny_towers, np.stack([as_uint8, as_uint8[::-1]]), count=3)
    assert list(batch.images) == ["image 0", "image 1"]
    np.testing.assert_allclose(batch.images["image 1"], as_uint8[::-1] / 255, rtol=1e-6)


def test_knobs_filter_browser_takes_numpy_rows(tiny_towers):
    browser = FilterBrowser(tiny_towers, rows=np.int64(2))
    browser.layer.value = "conv3"
    assert browser.filters == [0, 1]


# ---- load_model


@keras.saving.register_keras_serializable(package="knobs_test")
class KnobsTwice(keras.layers.Layer):
    """A custom layer saved in a model, to be loaded once it is no longer registered."""

    def call(self, inputs):
        return 2 * inputs


def test_knobs_load_model_names_an_unregistered_class_in_one_line(tmp_path, monkeypatch):
    inputs = keras.Input((4,))
    keras.Model(inputs, KnobsTwice(name="twice")(inputs)).save(tmp_path / "twice.keras")
    monkeypatch.delitem(keras.saving.get_custom_objects(), "knobs_test>KnobsTwice")
    with pytest.raises(TypeError) as error:
        load_model(tmp_path / "twice.keras")
    message = str(error.value)
    assert "\n" not in message and len(message) < 400, message
    assert re.search(
        rf"uses the custom class 'KnobsTwice', which is not registered\. Fix: import the module that defines it before loading: "
        rf"`import {re.escape(KnobsTwice.__module__)}`, or pass custom_objects=\{{'knobs_test>KnobsTwice': KnobsTwice\}}\.",
        message,
    ), message
    # The fix it names works.
    loaded = load_model(tmp_path / "twice.keras", custom_objects={"knobs_test>KnobsTwice": KnobsTwice})
    np.testing.assert_allclose(loaded(np.ones((1, 4), "float32")), 2.0)


def test_knobs_load_model_round_trips_a_kit_model_from_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    model = knobs_tiny(groups=2, normalization="lrn")
    model.save(tmp_path / "mini.keras")
    loaded = load_model("~/mini.keras")
    assert isinstance(loaded.get_layer("norm1"), LocalResponseNormalization)
    assert type(loaded.get_layer("conv2")).__name__ == "GroupedConv2D" and loaded.get_layer("conv2").groups == 2
    x = np.random.default_rng(0).uniform(size=(2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


# ---- a quiet import whatever TF_CPP_MIN_LOG_LEVEL says


@pytest.mark.parametrize("level", [None, "0", "1"])
def test_knobs_import_is_quiet_and_leaves_the_log_level_alone(level):
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    if level is not None:
        env["TF_CPP_MIN_LOG_LEVEL"] = level
    script = "import os, alexnet_edu; print(os.environ['TF_CPP_MIN_LOG_LEVEL'])"
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ""
    # The user's level is kept for later logs; unset, the kit's default of 2 (errors only) applies.
    assert result.stdout.strip() == (level or "2")
