import keras
import numpy as np
import pytest
from keras import layers

from alexnet_edu.visualize import (
    attribution_map,
    integrated_gradients,
    occlusion_map,
    plot_attributions,
    plot_randomization_check,
    randomization_check,
    saliency_map,
    smoothgrad,
)


def linear_model(weights, bias=(0.0, 0.0)):
    """Logit of class c = sum(weights[..., c] * image) + bias[c]: every gradient is known by hand."""
    inputs = keras.Input((8, 8, 3))
    x = layers.Flatten(name="flatten")(inputs)
    outputs = layers.Dense(2, activation="softmax", name="fc8")(x)
    model = keras.Model(inputs, outputs)
    model.get_layer("fc8").set_weights([np.asarray(weights, "float32").reshape(-1, 2), np.asarray(bias, "float32")])
    return model


# Small enough that the softmax does not saturate: 0.5 made class 0's logit 21.6 and its
# probability exactly 1.0 in float32, so covering a patch changed nothing (occlusion saw no drop).
WEIGHT = 0.05


@pytest.fixture
def quadrant_model():
    # Class 0 looks only at the top-left 4x4 quadrant; class 1 at nothing.
    weights = np.zeros((8, 8, 3, 2), "float32")
    weights[:4, :4, :, 0] = WEIGHT
    return linear_model(weights)


@pytest.fixture
def bright_corner():
    image = np.full((8, 8, 3), 0.2, "float32")
    image[:4, :4] = 0.9
    return image


def test_integrated_gradients_of_a_linear_model_are_input_times_weight(quadrant_model, bright_corner):
    attributions, class_index = integrated_gradients(quadrant_model, bright_corner, class_index=0, steps=8)
    assert class_index == 0
    expected = bright_corner * np.where(np.arange(8)[:, None, None] < 4, 1, 0) * np.where(np.arange(8)[None, :, None] < 4, WEIGHT, 0)
    assert np.allclose(attributions, expected, atol=1e-6)


def test_integrated_gradients_add_up_to_the_change_of_the_logit():
    rng = np.random.default_rng(0)
    inputs = keras.Input((8, 8, 3))
    x = layers.Conv2D(4, 3, activation="relu", name="conv1")(inputs)
    x = layers.Flatten()(x)
    model = keras.Model(inputs, layers.Dense(2, activation="softmax", name="fc8")(x))
    image = rng.uniform(size=(8, 8, 3)).astype("float32")
    attributions, class_index = integrated_gradients(model, image, steps=256)
    fc8 = model.get_layer("fc8")
    features = keras.Model(model.input, fc8.input)
    logit = lambda images: (np.asarray(features(images)) @ np.asarray(fc8.kernel) + np.asarray(fc8.bias))[0, class_index]  # noqa: E731
    assert attributions.sum() == pytest.approx(logit(image[None]) - logit(np.zeros((1, 8, 8, 3), "float32")), rel=1e-3, abs=1e-4)


def test_smoothgrad_of_a_linear_model_equals_plain_saliency(quadrant_model, bright_corner):
    # The gradient of a linear logit is the same everywhere, so noise changes nothing.
    smooth, _ = smoothgrad(quadrant_model, bright_corner, class_index=0, samples=5)
    plain, _ = saliency_map(quadrant_model, bright_corner, class_index=0)
    assert np.allclose(smooth, plain)
    assert smooth[:4, :4].min() == 1.0 and smooth[4:, :].max() == 0.0


def test_occlusion_drops_only_where_the_class_looks(quadrant_model, bright_corner):
    drop, class_index = occlusion_map(quadrant_model, bright_corner, patch=2, stride=2)
    assert class_index == 0
    assert (drop[:4, :4] > 0).all()
    assert np.allclose(drop[4:, :], 0, atol=1e-6) and np.allclose(drop[:, 4:], 0, atol=1e-6)


def test_randomization_check_sees_a_map_change_and_leaves_the_model_alone(quadrant_model, bright_corner):
    before = [weight.copy() for weight in quadrant_model.get_weights()]
    table, maps = randomization_check(quadrant_model, bright_corner, methods=("saliency", "integrated_gradients"), class_index=0)
    assert list(table.index) == ["trained", "randomized down to fc8"]
    assert list(table.columns) == ["saliency", "integrated_gradients"]
    assert table.loc["trained"].tolist() == [pytest.approx(1.0), pytest.approx(1.0)]
    randomized = table.loc["randomized down to fc8"]
    assert randomized["saliency"] < 0.5
    # Input times gradient keeps the image's own structure whatever the weights (Adebayo et al.'s warning).
    assert randomized["integrated_gradients"] > randomized["saliency"]
    assert set(maps["saliency"]) == {"trained", "randomized down to fc8"}
    assert all(np.array_equal(a, b) for a, b in zip(before, quadrant_model.get_weights()))


def test_an_empty_map_has_no_rank_correlation_and_says_so(quadrant_model, bright_corner):
    table, maps = randomization_check(quadrant_model, bright_corner, methods=("saliency",), class_index=0)
    stage = "randomized down to fc8"
    maps["saliency"][stage] = np.zeros_like(maps["saliency"][stage])  # as an empty Grad-CAM
    from alexnet_edu.visualize.attribution import _rank_correlation

    assert np.isnan(_rank_correlation(maps["saliency"]["trained"], maps["saliency"][stage]))
    assert _rank_correlation(maps["saliency"]["trained"], maps["saliency"]["trained"]) == pytest.approx(1.0)
    table.loc[stage, "saliency"] = _rank_correlation(maps["saliency"]["trained"], maps["saliency"][stage])
    titles = [ax.get_title() for ax in plot_randomization_check(table, maps).axes]
    assert titles[1] == "random: fc8 … fc8\nempty map: no ρ"


def test_attribution_maps_are_scaled_to_one(quadrant_model, bright_corner):
    for method in ("saliency", "smoothgrad", "integrated_gradients", "occlusion"):
        heatmap, _ = attribution_map(quadrant_model, bright_corner, method, class_index=0)
        assert heatmap.shape == (8, 8) and heatmap.min() >= 0 and heatmap.max() == pytest.approx(1.0), method


def test_figures_label_every_panel(quadrant_model, bright_corner):
    figure = plot_attributions(quadrant_model, bright_corner, class_names=("corner", "none"), methods=("saliency", "occlusion"))
    assert [ax.get_title() for ax in figure.axes] == ["image (corner)", "saliency", "occlusion"]
    table, maps = randomization_check(quadrant_model, bright_corner, methods=("saliency",), class_index=0)
    figure = plot_randomization_check(table, maps)
    titles = [ax.get_title() for ax in figure.axes]
    assert titles[0].startswith("trained\nρ = 1.00") and titles[1].startswith("random: fc8 … fc8")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m, i: attribution_map(m, i, "lime"), r"Unknown attribution method 'lime'\. Valid methods: grad_cam, saliency"),
        (lambda m, i: randomization_check(m, i, methods=("lime",)), r"Unknown attribution methods \['lime'\]"),
        (lambda m, i: occlusion_map(m, i, patch=9), r"patch must fit the 8x8 image, e.g. 2\. Received: patch=9"),
        (lambda m, i: smoothgrad(m, i, samples=0), r"samples must be a positive integer, e.g. 25\. Received: samples=0"),
        (lambda m, i: smoothgrad(m, i, noise=2), r"noise must be a fraction .* Received: noise=2"),
        (lambda m, i: integrated_gradients(m, i, steps=0), r"steps must be a positive integer"),
    ],
)
def test_bad_arguments_get_one_line_errors(quadrant_model, bright_corner, call, message):
    with pytest.raises(ValueError, match=message):
        call(quadrant_model, bright_corner)
