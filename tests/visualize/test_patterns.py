import numpy as np
import pytest

from alexnet_edu.visualize import READABLE_PATTERNS, filter_pattern, low_frequency_share, plot_filter_patterns


def test_gradient_ascent_raises_the_activation(tiny_towers):
    pattern, history = filter_pattern(tiny_towers, "conv3", channel=2, steps=15)
    assert pattern.shape == (32, 32, 3)
    assert pattern.min() >= 0 and pattern.max() <= 1
    assert history[-1] > history[0]


def test_patterns_figure_and_errors(tiny_towers):
    figure = plot_filter_patterns(tiny_towers, "conv1", channels=[0, 1, 2], steps=3)
    assert [ax.get_title() for ax in figure.axes if ax.images] == ["#0", "#1", "#2"]
    with pytest.raises(ValueError, match=r"conv1 has \d+ channels .*Received: channel=99"):
        filter_pattern(tiny_towers, "conv1", channel=99)
    again, _ = filter_pattern(tiny_towers, "conv1", 0, steps=3)
    np.testing.assert_allclose(again, filter_pattern(tiny_towers, "conv1", 0, steps=3)[0])


def test_regularized_ascent_is_smoother_and_still_excites_the_channel(tiny_towers):
    plain, plain_history = filter_pattern(tiny_towers, "conv3", channel=2, steps=24)
    readable, history = filter_pattern(tiny_towers, "conv3", channel=2, **{**READABLE_PATTERNS, "steps": 24})
    assert readable.shape == plain.shape == (32, 32, 3)
    assert readable.min() >= 0 and readable.max() <= 1
    assert len(history) == 24 and history[-1] > history[0]
    # Blur, jitter and octaves move the pattern's energy to low spatial frequencies.
    centred = [image - image.mean() for image in (plain, readable)]
    plain_share, readable_share = (float(low_frequency_share(image[:, :, :, None])[0]) for image in centred)
    assert readable_share > plain_share + 0.1
    again, _ = filter_pattern(tiny_towers, "conv3", channel=2, **{**READABLE_PATTERNS, "steps": 24})
    np.testing.assert_allclose(again, readable)


def test_octaves_share_the_steps_and_end_at_the_input_size(tiny_towers):
    pattern, history = filter_pattern(tiny_towers, "conv1", channel=0, steps=7, octaves=3, octave_scale=1.5)
    assert pattern.shape == (32, 32, 3) and len(history) == 7


@pytest.mark.parametrize(
    "knobs, message",
    [
        ({"jitter": -1}, r"jitter must be pixels, e\.g\. 2 \(0: none\)\. Received: jitter=-1"),
        ({"scales": (0.5,)}, r"scales must be zoom factors from 1 to 2.*Received: scales=\(0\.5,\)"),
        ({"blur_every": 2.5}, r"blur_every must be steps between blurs.*Received: blur_every=2\.5"),
        ({"blur_sigma": 0}, r"blur_sigma must be pixels, above 0.*Received: blur_sigma=0"),
        ({"octaves": 0}, r"octaves must be 1 or more.*Received: octaves=0"),
        ({"octave_scale": 1}, r"octave_scale must be above 1.*Received: octave_scale=1"),
    ],
)
def test_bad_regularizers_are_named(tiny_towers, knobs, message):
    with pytest.raises(ValueError, match=message):
        filter_pattern(tiny_towers, "conv1", 0, steps=2, **knobs)


def test_a_channel_silent_on_the_start_still_moves():
    import keras

    # Every ReLU output is 0 on grey noise (bias -5): the ascent must work before the ReLU to move at all.
    inputs = keras.Input((16, 16, 3))
    outputs = keras.layers.Conv2D(2, 3, activation="relu", bias_initializer=keras.initializers.Constant(-5.0), name="conv1")(inputs)
    model = keras.Model(inputs, outputs)
    assert float(keras.ops.max(model(np.full((1, 16, 16, 3), 0.5, "float32")))) == 0.0
    pattern, history = filter_pattern(model, "conv1", channel=1, steps=10)
    assert history[-1] > history[0] + 0.1
    assert pattern.std() > 0.1  # far from the grey start (std 0.05)
