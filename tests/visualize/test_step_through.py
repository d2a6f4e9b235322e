import keras
import numpy as np
import pytest
from keras import layers

from alexnet_edu import LocalResponseNormalization, build_alexnet
from alexnet_edu.layers import GroupedConv2D
from alexnet_edu.visualize import ConvStep, conv_step, plot_conv_step


def one_conv(kernel, bias, size=5, channels=3, strides=1, padding="valid", activation=None, groups=1, conv_class=None):
    """One conv layer named "conv" with hand-set weights, optionally followed by an LRN layer."""
    inputs = keras.Input((size, size, channels))
    conv = (conv_class or layers.Conv2D)(
        kernel.shape[-1], kernel.shape[:2], strides=strides, padding=padding, activation=activation, groups=groups, name="conv"
    )
    outputs = conv(inputs)
    model = keras.Model(inputs, layers.Flatten(name="flatten")(outputs))
    conv.set_weights([np.asarray(kernel, "float32"), np.asarray(bias, "float32")])
    return model


def ramp(size=5, channels=3):
    """Pixel (r, c, k) = (r * size + c) / size**2 + k / 100: every window holds different numbers."""
    grid = np.arange(size * size, dtype="float32").reshape(size, size) / size**2
    return np.stack([grid + k / 100 for k in range(channels)], axis=-1)


def test_known_answer_on_a_hand_built_layer():
    kernel = np.zeros((2, 2, 3, 1), "float32")
    kernel[:, :, 0, 0] = 1.0  # sums the red channel of the window
    kernel[0, 0, 2, 0] = -2.0
    model = one_conv(kernel, bias=[0.5], activation="relu")
    image = ramp()
    step = conv_step(model, image, "conv", row=1, col=2, channel=0)
    window = image[1:3, 2:4]
    expected = window[..., 0].sum() - 2 * window[0, 0, 2] + 0.5
    np.testing.assert_allclose(step.window, window, rtol=1e-6)
    np.testing.assert_allclose(step.products, window * kernel[..., 0], rtol=1e-6)
    assert step.origin == (1, 2) and step.input_channels == range(0, 3)
    assert step.bias == 0.5 and step.activation == "relu"
    assert step.total == pytest.approx(expected, rel=1e-6) and step.value == pytest.approx(expected, rel=1e-6)
    assert step.matches and abs(step.difference) < 1e-6
    assert step.norm is None


def test_relu_zeroes_a_negative_sum_and_no_activation_keeps_it():
    kernel = -np.ones((2, 2, 3, 1), "float32")
    relu = conv_step(one_conv(kernel, [0.0], activation="relu"), ramp(), "conv", 0, 0, 0)
    linear = conv_step(one_conv(kernel, [0.0]), ramp(), "conv", 0, 0, 0)
    assert relu.total < 0 and relu.value == 0.0 and relu.matches
    assert linear.activation == "linear" and linear.value == linear.total < 0 and linear.matches


@pytest.mark.parametrize(
    "size, kernel_size, strides, padding",
    [(6, 3, 1, "same"), (6, 4, 2, "same"), (7, 3, 2, "same"), (7, 2, 3, "valid"), (8, 5, 2, "same")],
)
def test_every_position_matches_the_layer_with_any_padding_and_stride(size, kernel_size, strides, padding):
    kernel = np.random.default_rng(1).normal(size=(kernel_size, kernel_size, 3, 2)).astype("float32")
    model = one_conv(kernel, [0.1, -0.2], size=size, strides=strides, padding=padding)
    image = ramp(size)
    out_size = model.get_layer("conv").output.shape[1]
    for row in range(out_size):
        for col in range(out_size):
            for channel in (0, 1):
                step = conv_step(model, image, "conv", row, col, channel)
                assert step.matches, (row, col, channel, step.value, step.layer_value)


def test_same_padding_puts_zeros_where_keras_does():
    # 6 px, kernel 4, stride 2: 3 outputs need (3 - 1) * 2 + 4 - 6 = 2 zeros, one above, one below.
    model = one_conv(np.ones((4, 4, 3, 1), "float32"), [0.0], size=6, strides=2, padding="same")
    image = ramp(6)
    first = conv_step(model, image, "conv", 0, 0, 0)
    last = conv_step(model, image, "conv", 2, 2, 0)
    assert first.origin == (-1, -1) and last.origin == (3, 3)
    assert np.all(first.window[0] == 0) and np.all(first.window[:, 0] == 0)
    assert np.all(last.window[-1] == 0) and np.all(last.window[:, -1] == 0)
    np.testing.assert_allclose(first.window[1:, 1:], image[:3, :3], rtol=1e-6)


@pytest.mark.parametrize("conv_class", [layers.Conv2D, GroupedConv2D], ids=["Conv2D", "GroupedConv2D"])
def test_a_filter_of_the_second_group_reads_only_its_towers_channels(conv_class):
    kernel = np.random.default_rng(2).normal(size=(3, 3, 2, 4)).astype("float32")
    model = one_conv(kernel, np.zeros(4), channels=4, groups=2, conv_class=conv_class)
    image = np.random.default_rng(3).uniform(size=(5, 5, 4)).astype("float32")
    step_first = conv_step(model, image, "conv", 1, 1, 1)
    step_second = conv_step(model, image, "conv", 1, 1, 3)
    assert step_first.input_channels == range(0, 2) and step_second.input_channels == range(2, 4)
    np.testing.assert_allclose(step_second.window, image[1:4, 1:4, 2:4], rtol=1e-6)
    assert step_first.matches and step_second.matches


def lrn_model(convention="paper"):
    inputs = keras.Input((4, 4, 3))
    conv = layers.Conv2D(6, 1, name="conv")
    norm = LocalResponseNormalization(n=3, k=1.0, alpha=0.5, beta=0.75, convention=convention, name="norm")
    model = keras.Model(inputs, norm(conv(inputs)))
    kernel = np.zeros((1, 1, 3, 6), "float32")
    kernel[0, 0, 0] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]  # filter f outputs (f + 1) times the red pixel
    conv.set_weights([kernel, np.zeros(6, "float32")])
    return model


@pytest.mark.parametrize("convention, alpha", [("paper", 0.5), ("caffe", 0.5 / 3)])
def test_the_lrn_denominator_after_the_conv_layer(convention, alpha):
    image = np.full((4, 4, 3), 0.5, "float32")
    step = conv_step(lrn_model(convention), image, "conv", 2, 3, 5)
    # Filter 5 (the last) has neighbours 4 and 5 only: activities 2.5 and 3.0.
    assert step.norm.layer == "norm" and step.norm.channels == range(4, 6)
    np.testing.assert_allclose(step.norm.activities, [2.5, 3.0])
    assert step.norm.alpha == pytest.approx(alpha)
    assert step.norm.sum_of_squares == pytest.approx(2.5**2 + 3.0**2)
    assert step.norm.denominator == pytest.approx((1.0 + alpha * 15.25) ** 0.75)
    assert step.norm.value == pytest.approx(3.0 / (1.0 + alpha * 15.25) ** 0.75)
    assert step.norm.matches
    assert "norm: channels 4..5" in step.summary()


def test_the_paper_presets_conv2_in_tower_two(sample_photo_227):
    model = build_alexnet("paper")
    step = conv_step(model, sample_photo_227, "conv2", 13, 13, 200)
    assert step.input_channels == range(48, 96) and step.products.size == 5 * 5 * 48
    assert step.matches and step.norm.layer == "norm2" and step.norm.matches
    assert step.norm.channels == range(198, 203)
    assert conv_step(model, sample_photo_227, "conv3", 6, 6, 0).norm is None


def test_steps_of_a_mixed_bfloat16_model_use_its_rounded_weights(sample_photo_227):
    model = build_alexnet("paper", precision="mixed_bfloat16")
    step = conv_step(model, sample_photo_227, "conv2", 13, 13, 200)
    # The layer computes with its float32 weights rounded to bfloat16 (8 significant bits), and so does the step.
    kernel = np.asarray(model.get_layer("conv2").kernel)[..., 200]
    np.testing.assert_array_equal(step.kernel, np.asarray(keras.ops.cast(keras.ops.cast(kernel, "bfloat16"), "float32")))
    assert not np.array_equal(step.kernel, kernel)
    assert step.tolerance == step.norm.tolerance == 2**-7
    assert step.matches and step.norm.matches
    assert conv_step(build_alexnet("mini", precision="float32"), ramp(64), "conv1", 0, 0, 0).tolerance == 1e-4


def test_steps_of_a_mixed_bfloat16_conv1_round_the_photo_as_the_layer_does(sample_photo_227):
    keras.utils.set_random_seed(0)
    model = build_alexnet("paper", precision="mixed_bfloat16")
    conv1 = model.get_layer("conv1")
    conv1.kernel.assign(conv1.kernel * 30.0)  # outputs of the size a trained conv1 gives, where rounding shows
    step = conv_step(model, sample_photo_227, "conv1", 27, 27, 0)
    window = sample_photo_227[4 * 27 : 4 * 27 + 11, 4 * 27 : 4 * 27 + 11]
    np.testing.assert_array_equal(step.window, np.asarray(keras.ops.cast(keras.ops.cast(window, "bfloat16"), "float32")))
    rng = np.random.default_rng(0)
    steps = [conv_step(model, sample_photo_227, "conv1", *map(int, rng.integers(0, 55, 2)), int(rng.integers(0, 96))) for _ in range(40)]
    assert max(abs(step.layer_value) for step in steps) > 1  # where the tolerance is relative
    assert all(step.matches for step in steps)


@pytest.fixture(scope="module")
def sample_photo_227():
    return ramp(227)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(layer_name="conv9"), ValueError, r"Unknown layer 'conv9' .* Valid names: .*conv"),
        (dict(layer_name="flatten"), ValueError, r"'flatten' is a Flatten; conv_step needs one of: conv\."),
        (dict(row=3), ValueError, r"row must be from 0 to 2: conv outputs 3 rows\. Received: row=3"),
        (dict(channel=1.0), TypeError, r"channel must be an integer from 0 to 0 .* Received: channel=1\.0"),
        (dict(image=np.zeros((9, 9, 3), "float32")), ValueError, r"image has 9x9 pixels but model .* takes 5x5 images"),
        (dict(image=np.full((5, 5, 3), 2.0, "float32")), ValueError, r"image ranges from 2 to 2 .* must be in \[0, 1\]"),
    ],
    ids=["unknown-layer", "not-conv", "row-out-of-range", "channel-not-int", "wrong-size", "not-in-0-1"],
)
def test_bad_input_gets_a_one_line_error(kwargs, error, message):
    model = one_conv(np.ones((3, 3, 3, 1), "float32"), [0.0])
    arguments = dict(model=model, image=ramp(), layer_name="conv", row=0, col=0, channel=0) | kwargs
    with pytest.raises(error, match=message) as raised:
        conv_step(**arguments)
    assert "\n" not in str(raised.value)


def test_plot_shows_the_strongest_channels_and_the_arithmetic():
    kernel = np.zeros((3, 3, 3, 1), "float32")
    kernel[..., 2, 0] = 1.0  # only blue counts: it must be the first row
    kernel[..., 0, 0] = 0.1
    step = conv_step(one_conv(kernel, [0.0]), ramp(), "conv", 1, 1, 0)
    figure = plot_conv_step(step, channels=2)
    titles = [ax.get_title() for ax in figure.axes]
    assert titles[0] == "conv's input" and "window, blue" in titles[1]
    assert "window, red" in titles[titles.index("the window, zoomed out") + 1]
    assert sum(title.startswith("window × kernel") for title in titles) == 2
    text = [t.get_text() for ax in figure.axes for t in ax.texts if "matches" in t.get_text()]
    assert text and "3 x 3 x 3 = 27 products" in text[0].replace("\n", " ").replace("    ", " ")
    assert figure.dpi >= 100
    # A 3x3 kernel is small enough to write every product in its cell.
    assert sum(len(ax.texts) for ax in figure.axes) >= 3 * 9 * 2
    with pytest.raises(TypeError, match="needs the ConvStep that conv_step returns"):
        plot_conv_step("conv")
    assert isinstance(step, ConvStep)
