import keras
import numpy as np
import pytest

from alexnet_edu.models import build_alexnet
from alexnet_edu.visualize import activation_statistics, feature_maps, plot_activation_walk, plot_feature_maps


def test_feature_maps_are_the_layer_output(tiny_towers, image):
    maps = feature_maps(tiny_towers, "conv2", image)
    expected = keras.Model(tiny_towers.input, tiny_towers.get_layer("conv2").output)(image[None])[0]
    np.testing.assert_allclose(maps, expected, rtol=1e-5)


def test_top_channels_by_mean_activation(tiny_towers, image):
    maps = feature_maps(tiny_towers, "conv1", image)
    figure = plot_feature_maps(tiny_towers, "conv1", image, top_k=3)
    titles = [ax.get_title() for ax in figure.axes if ax.images]
    assert titles == [f"#{c}" for c in np.argsort(-maps.mean(axis=(0, 1)))[:3]]
    chosen = plot_feature_maps(tiny_towers, "conv1", image, channels=[1, 0])
    assert [ax.get_title() for ax in chosen.axes if ax.images] == ["#1", "#0"]
    np.testing.assert_allclose([ax for ax in chosen.axes if ax.images][0].images[0].get_array(), maps[..., 1])


def test_feature_map_errors(tiny_towers, image):
    with pytest.raises(ValueError, match=r"Layer 'fc6' has no feature maps .*choose one of: conv1, norm1, pool1"):
        plot_feature_maps(tiny_towers, "fc6", image)
    with pytest.raises(ValueError, match=r"Received: channel 500"):
        plot_feature_maps(tiny_towers, "conv1", image, channels=[500])


def test_walk_has_a_row_per_conv_layer(tiny_towers, image):
    figure = plot_activation_walk(tiny_towers, image, per_layer=3)
    labels = [ax.get_ylabel().split("\n")[0] for ax in figure.axes if ax.get_ylabel()]
    assert labels == ["conv1", "conv2", "conv3", "conv4", "conv5"]


def test_sparsity_counts_zeros(tiny_towers):
    images = np.random.default_rng(1).uniform(size=(4, 32, 32, 3)).astype("float32")
    stats = activation_statistics(tiny_towers, images)
    assert list(stats.index) == ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"]
    conv1 = np.asarray(keras.Model(tiny_towers.input, tiny_towers.get_layer("conv1").output)(images))
    assert stats.sparsity["conv1"] == pytest.approx(np.mean(conv1 == 0))
    assert stats.sparsity["fc8"] == 0  # softmax is never exactly 0
    assert stats.units["conv1"] == conv1[0].size


@pytest.mark.parametrize("activation, saturated", [("tanh", lambda a: np.abs(a) > np.sqrt(0.9)),
                                                   ("sigmoid", lambda a: 4 * a * (1 - a) < 0.1),
                                                   ("relu", lambda a: a == 0)])  # fmt: skip
def test_saturation_is_where_the_slope_is_below_a_tenth(activation, saturated):
    inputs = keras.Input((6,))
    outputs = keras.layers.Dense(200, activation=activation, kernel_initializer=keras.initializers.RandomNormal(stddev=2.0), name="dense")(inputs)
    model = keras.Model(inputs, outputs)
    images = np.random.default_rng(1).normal(size=(50, 6)).astype("float32")
    values = np.asarray(model(images))
    stats = activation_statistics(model, images)
    assert stats.activation["dense"] == activation
    assert stats.saturated["dense"] == pytest.approx(np.mean(saturated(values)))
    assert 0.05 < stats.saturated["dense"] < 0.95


def test_statistics_of_a_mixed_precision_model_are_taken_in_float32(image):
    # NumPy sums bfloat16 in bfloat16: its mean of 400,000 values of 0.2 is 0.0002.
    keras.utils.set_random_seed(1)
    model = build_alexnet("mini", input_shape=(32, 32, 3), num_classes=4, width=0.25, precision="mixed_bfloat16")
    images = np.random.default_rng(1).uniform(size=(64, 32, 32, 3)).astype("float32")
    conv1 = keras.Model(model.input, model.get_layer("conv1").output)(images)
    assert conv1.dtype == "bfloat16" and np.prod(conv1.shape) > 100_000
    stats = activation_statistics(model, images, ["conv1"])
    assert stats["mean"]["conv1"] == pytest.approx(np.mean(np.asarray(conv1, "float32")), rel=1e-4)
    maps = feature_maps(model, "conv1", image)
    assert maps.dtype == np.float32
    np.testing.assert_array_equal(maps, np.asarray(keras.Model(model.input, model.get_layer("conv1").output)(image[None])[0], "float32"))
