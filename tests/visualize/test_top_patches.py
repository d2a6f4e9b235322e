import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from alexnet_edu.visualize import plot_top_patches, receptive_window, top_patches


def ones_chain(size=31):
    # Linear layers with all-ones kernels and average pooling: every pixel in a window reaches the output.
    inputs = keras.Input((size, size, 3))
    x = layers.Conv2D(1, 5, strides=2, padding="same", kernel_initializer="ones", use_bias=False, name="conv1")(inputs)
    x = layers.AveragePooling2D(3, strides=2, name="pool1")(x)
    x = layers.Conv2D(1, 3, padding="same", kernel_initializer="ones", use_bias=False, name="conv2")(x)
    x = layers.Conv2D(1, 2, strides=2, padding="same", kernel_initializer="ones", use_bias=False, name="conv3")(x)
    return keras.Model(inputs, x)


def gradient_support(model, layer_name, row, col):
    extractor = keras.Model(model.inputs, model.get_layer(layer_name).output)
    image = tf.Variable(np.ones((1, *model.input_shape[1:]), "float32"))
    with tf.GradientTape() as tape:
        value = extractor(image)[0, row, col, 0]
    rows, cols = np.nonzero(np.abs(tape.gradient(value, image).numpy()[0]).sum(axis=-1))
    return rows.min(), cols.min(), rows.max() + 1, cols.max() + 1


@pytest.mark.parametrize("size", [31, 32])
@pytest.mark.parametrize("layer_name", ["conv1", "pool1", "conv2", "conv3"])
def test_receptive_window_is_the_pixels_the_gradient_reaches(size, layer_name):
    model = ones_chain(size)
    height, width = model.get_layer(layer_name).output.shape[1:3]
    for row, col in {(0, 0), (height // 2, width // 3), (height - 1, width - 1)}:
        assert receptive_window(model, layer_name, row, col) == gradient_support(model, layer_name, row, col), (row, col)


def padded_chain(size):
    # Zeros added before conv1 (the torchvision preset's pad1); "valid" layers that drop the map's last
    # rows, then "same" padding that reads zeros where those rows were.
    inputs = keras.Input((size, size, 3))
    x = layers.ZeroPadding2D(2, name="pad1")(inputs)
    x = layers.Conv2D(1, 5, strides=4, kernel_initializer="ones", use_bias=False, name="conv1")(x)
    x = layers.AveragePooling2D(3, strides=2, name="pool1")(x)
    x = layers.Conv2D(1, 3, padding="same", kernel_initializer="ones", use_bias=False, name="conv2")(x)
    return keras.Model(inputs, x)


@pytest.mark.parametrize("size", [31, 32, 45])
@pytest.mark.parametrize("layer_name", ["conv1", "pool1", "conv2"])
def test_receptive_window_follows_explicit_padding_and_dropped_rows(size, layer_name):
    model = padded_chain(size)
    height, width = model.get_layer(layer_name).output.shape[1:3]
    for row, col in {(0, 0), (height // 2, width // 3), (height - 1, width - 1)}:
        assert receptive_window(model, layer_name, row, col) == gradient_support(model, layer_name, row, col), (row, col)


def bright_square_model():
    inputs = keras.Input((16, 16, 3))
    outputs = layers.Conv2D(1, 3, kernel_initializer="ones", use_bias=False, name="conv1")(inputs)
    return keras.Model(inputs, outputs)


def test_top_patches_finds_the_brightest_squares_in_order():
    images = np.zeros((5, 16, 16, 3), "float32")
    for index, (brightness, row, col) in enumerate([(0.2, 1, 1), (0.9, 10, 4), (0.5, 3, 12), (0.7, 12, 12), (0.1, 0, 0)]):
        images[index, row : row + 3, col : col + 3] = brightness
    found = top_patches(bright_square_model(), images, "conv1", channel=0, k=3)
    assert found.image_indices.tolist() == [1, 3, 2]
    np.testing.assert_allclose(found.values, [0.9 * 27, 0.7 * 27, 0.5 * 27], rtol=1e-5)
    assert found.positions == [(10, 4), (12, 12), (3, 12)]
    assert found.windows == [(10, 4, 13, 7), (12, 12, 15, 15), (3, 12, 6, 15)]
    np.testing.assert_allclose(found.patches[0], 0.9)
    assert [patch.shape for patch in found.patches] == [(3, 3, 3)] * 3


def test_top_patches_of_the_mini_preset_and_the_figure():
    keras.utils.set_random_seed(0)
    from alexnet_edu import build_alexnet

    model = build_alexnet("mini", input_shape=(32, 32, 3), width=0.125)
    photos = np.random.default_rng(0).integers(0, 256, (12, 32, 32, 3), dtype=np.uint8)
    found = top_patches(model, photos, "conv2", channel=1, k=4)
    assert np.all(np.diff(found.values) <= 0) and len(set(found.image_indices.tolist())) == 4
    for patch, (top, left, bottom, right) in zip(found.patches, found.windows):
        assert patch.shape == (bottom - top, right - left, 3)
    figure = plot_top_patches(model, photos, "conv2", channels=[0, 1], k=3)
    assert len([ax for ax in figure.axes if ax.images]) == 6
    assert [figure.axes[0].get_ylabel(), figure.axes[3].get_ylabel()] == ["#0", "#1"]


def test_bad_input_is_named():
    model = bright_square_model()
    images = np.zeros((2, 16, 16, 3), "float32")
    with pytest.raises(ValueError, match=r"k must be at most the number of images \(2\): one patch per image\. Received: k=3"):
        top_patches(model, images, "conv1", 0, k=3)
    with pytest.raises(ValueError, match=r"channel"):
        top_patches(model, images, "conv1", 4)
    with pytest.raises(ValueError, match=r"conv9"):
        top_patches(model, images, "conv9", 0)
    with pytest.raises(ValueError, match=r"row"):
        receptive_window(model, "conv1", 14, 0)
    dense = keras.Sequential([keras.Input((4, 4, 3)), layers.Flatten(), layers.Dense(2, name="fc")])
    with pytest.raises(ValueError, match=r"Layer 'fc' has no spatial output"):
        receptive_window(dense, "fc", 0, 0)
