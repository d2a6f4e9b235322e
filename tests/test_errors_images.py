"""Every function that takes images follows the kit's one image contract (alexnet_edu/images.py).

uint8 means 0-255 and gives the same result as the float/255 image; 0-255 floats, NaN, the wrong
shape or size, and bad counts and indices get a one-line error that names the problem and the fix.
"""

import functools
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

from alexnet_edu import build_alexnet
from alexnet_edu.augment import (
    PCAColorAugmentation,
    augment_data,
    fit_pca_color,
    paper_augmentation,
    ten_crop_accuracy,
    ten_crop_predict,
    ten_crops,
)
from alexnet_edu.data import arrays_to_data
from alexnet_edu.inspect import gradient_norms
from alexnet_edu.visualize import (
    activation_statistics,
    extract_features,
    feature_maps,
    filter_pattern,
    grad_cam,
    nearest_neighbours,
    plot_activation_walk,
    plot_augmentations,
    plot_feature_maps,
    plot_filter_patterns,
    plot_grad_cam,
    plot_images,
    plot_nearest_neighbours,
    saliency_map,
)


@functools.cache
def images_model():
    """A 32x32 mini AlexNet with 4 classes, built once (the lambdas below cannot take fixtures)."""
    keras.utils.set_random_seed(1)
    return build_alexnet("mini", input_shape=(32, 32, 3), num_classes=4, width=0.125)


@functools.cache
def images_rectangular_model():
    inputs = keras.Input((6, 8, 3))
    return keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(keras.layers.Flatten()(inputs)), name="wide")


def images_uint8(*shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


def images_float255(*shape):
    return images_uint8(*shape).astype("float32")  # 0-255 floats: the classic mistake


def images_unit(*shape):
    return images_uint8(*shape).astype("float32") / 255


def images_with_nan():
    image = images_unit(32, 32, 3)
    image[3, 4, 1] = np.nan
    return image


def images_dataset(size, scale=1 / 255):
    x = images_uint8(4, size, size, 3).astype("float32") * scale
    return tf.data.Dataset.from_tensor_slices((x, np.arange(4) % 4)).batch(2)


M = images_model
IMAGE = images_unit(32, 32, 3)
FLOAT255 = r"ranges from \d+ to 2\d\d \(float32\) but must be in \[0, 1\]: divide by 255"
ONE_IMAGE = r"image must be one image \(height, width, channels\), but it is a batch of 2: pass image\[0\]"
RESIZE_IMAGE = (
    r"image has 40x40 pixels but model 'alexnet_mini' takes 32x32 images: resize, e.g\. "
    r"alexnet_edu\.load_image\(path, image_size=\(32, 32\)\) or keras\.ops\.image\.resize"
)
RESIZE_IMAGES = RESIZE_IMAGE.replace("image has", "images has")


def positive(name, value):
    return rf"{name} must be a positive integer \(1 or more\)\. Received: {name}={re.escape(str(value))}"


CASES = [
    # feature_maps and the plots built on it: one image, [0, 1] or uint8, the model's size.
    pytest.param(lambda: feature_maps(M(), "conv1", images_float255(32, 32, 3)), FLOAT255, id="feature-maps-0-255-floats"),
    pytest.param(lambda: feature_maps(M(), "conv1", images_unit(2, 32, 32, 3)), ONE_IMAGE, id="feature-maps-batch"),
    pytest.param(lambda: feature_maps(M(), "conv1", images_uint8(40, 40, 3)), RESIZE_IMAGE, id="feature-maps-wrong-size"),
    pytest.param(
        lambda: feature_maps(M(), "conv1", images_uint8(3, 32, 32)),
        r"image must have 3 channels last .*Received: shape \(3, 32, 32\)\. It looks channels-first: .*np\.moveaxis",
        id="feature-maps-channels-first",
    ),
    pytest.param(
        lambda: feature_maps(M(), "conv1", images_with_nan()),
        r"image contains 1 NaN or infinite value\(s\) .*replace them, e\.g\. np\.nan_to_num",
        id="feature-maps-nan",
    ),
    pytest.param(
        lambda: feature_maps(M(), "conv1", images_dataset(32)),
        r"image is a tf\.data\.Dataset: take a batch first",
        id="feature-maps-dataset",
    ),
    pytest.param(
        lambda: feature_maps(IMAGE, "conv1", M()),
        r"model must be a Keras model, e\.g\. build_alexnet\('mini'\) \(are the arguments in the right order\?\)\. "
        r"Received: model of type ndarray",
        id="feature-maps-swapped-model",
    ),
    pytest.param(
        lambda: feature_maps(M(), IMAGE, "conv1"),
        r"layer_name must be a layer's name \(a string\) such as 'fc8'; valid names: image, conv1, .*"
        r"Received: layer_name of type ndarray",
        id="feature-maps-swapped-layer",
    ),
    pytest.param(
        lambda: feature_maps(M(), "conv9", IMAGE),
        r"Unknown layer 'conv9' in model 'alexnet_mini'\. Valid names: image, conv1, norm1",
        id="feature-maps-unknown-layer",
    ),
    pytest.param(
        lambda: plot_feature_maps(M(), "conv1", IMAGE - 0.5),
        r"image ranges from -0\.5 to 0\.5 .*must be in \[0, 1\]: .*undo any mean subtraction",
        id="plot-maps-mean-subtracted",
    ),
    pytest.param(lambda: plot_feature_maps(M(), "conv1", IMAGE, top_k=0), positive("top_k", 0), id="plot-maps-top-k-0"),
    pytest.param(lambda: plot_feature_maps(M(), "conv1", IMAGE, columns=-2), positive("columns", -2), id="plot-maps-columns"),
    pytest.param(lambda: plot_feature_maps(M(), "conv1", IMAGE, top_k=2.5), positive("top_k", 2.5), id="plot-maps-top-k-float"),
    pytest.param(
        lambda: plot_feature_maps(M(), "conv1", IMAGE, channels=[0, 99]),
        r"conv1 has 12 channels \(0-11\): choose channels in that range\. Received: channel 99",
        id="plot-maps-channel-99",
    ),
    pytest.param(
        lambda: plot_feature_maps(M(), "conv1", IMAGE, channels=[-1]),
        r"conv1 has 12 channels \(0-11\): choose channels in that range\. Received: channel -1",
        id="plot-maps-channel-neg",
    ),
    pytest.param(
        lambda: plot_feature_maps(M(), "conv1", IMAGE, channels=[1.5]),
        r"channels must be integer indices from 0 to 11\. Received: channel 1\.5",
        id="plot-maps-channel-float",
    ),
    pytest.param(
        lambda: plot_feature_maps(M(), "conv1", IMAGE, channels=[]),
        r"channels is empty: pass channel indices from 0 to 11, or None",
        id="plot-maps-no-channels",
    ),
    pytest.param(lambda: plot_feature_maps(M(), "conv1", images_uint8(2, 32, 32, 3)), ONE_IMAGE, id="plot-maps-batch"),
    pytest.param(lambda: plot_activation_walk(M(), images_uint8(2, 32, 32, 3)), ONE_IMAGE, id="walk-batch"),
    pytest.param(lambda: plot_activation_walk(M(), IMAGE, per_layer=0), positive("per_layer", 0), id="walk-per-layer-0"),
    pytest.param(lambda: plot_activation_walk(M(), images_uint8(40, 40, 3)), RESIZE_IMAGE, id="walk-wrong-size"),
    pytest.param(lambda: activation_statistics(M(), images_float255(2, 32, 32, 3)), "images " + FLOAT255, id="stats-0-255"),
    pytest.param(lambda: activation_statistics(M(), images_uint8(2, 40, 40, 3)), RESIZE_IMAGES, id="stats-wrong-size"),
    # Grad-CAM and saliency.
    pytest.param(
        lambda: grad_cam(M(), IMAGE, class_index=7),
        r"class_index must be from 0 to 3: the model has 4 classes; None explains the predicted one\. Received: class_index=7",
        id="grad-cam-class-7",
    ),
    pytest.param(
        lambda: grad_cam(M(), IMAGE, class_index=-1),
        r"class_index must be from 0 to 3: .*Received: class_index=-1",
        id="grad-cam-class-negative",
    ),
    pytest.param(
        lambda: grad_cam(M(), IMAGE, class_index="cat"),
        r"class_index must be an integer from 0 to 3 .*for a class name use class_names\.index\('cat'\)",
        id="grad-cam-class-name",
    ),
    pytest.param(
        lambda: saliency_map(M(), IMAGE, class_index=1.0),
        r"class_index must be an integer from 0 to 3 \(the model has 4 classes.*Received: class_index=1\.0",
        id="saliency-float-class",
    ),
    pytest.param(lambda: grad_cam(M(), images_uint8(2, 32, 32, 3)), ONE_IMAGE, id="grad-cam-batch"),
    pytest.param(
        lambda: grad_cam(M(), IMAGE, layer_name="fc6"),
        r"Layer 'fc6' is a Dense; Grad-CAM needs one of: conv1, pool1",
        id="grad-cam-dense-layer",
    ),
    pytest.param(lambda: saliency_map(M(), images_uint8(40, 40, 3)), RESIZE_IMAGE, id="saliency-wrong-size"),
    pytest.param(lambda: saliency_map(M(), images_uint8(2, 32, 32, 3)), ONE_IMAGE, id="saliency-batch"),
    pytest.param(lambda: saliency_map(M(), images_float255(32, 32, 3)), "image " + FLOAT255, id="saliency-0-255"),
    pytest.param(
        lambda: plot_grad_cam(M(), IMAGE, class_names=["a", "b"]),
        r"class_names has 2 names but model 'alexnet_mini' has 4 classes: pass one name per class \(e\.g\. data\.class_names\)",
        id="plot-grad-cam-class-names",
    ),
    pytest.param(lambda: plot_grad_cam(M(), images_uint8(2, 32, 32, 3)), ONE_IMAGE, id="plot-grad-cam-batch"),
    # Features and neighbours.
    pytest.param(lambda: extract_features(M(), images_float255(3, 32, 32, 3)), "images " + FLOAT255, id="features-0-255"),
    pytest.param(lambda: extract_features(M(), images_uint8(3, 40, 40, 3)), RESIZE_IMAGES, id="features-wrong-size"),
    pytest.param(
        lambda: extract_features(M(), images_dataset(16)),
        r"images batch has 16x16 pixels but model 'alexnet_mini' takes 32x32 images: resize",
        id="features-dataset-size",
    ),
    pytest.param(
        lambda: extract_features(M(), images_dataset(32, scale=1.0)),
        r"images batch ranges .*divide by 255",
        id="features-dataset-0-255",
    ),
    pytest.param(
        lambda: extract_features(M(), IMAGE, "fc9"), r"Unknown layer 'fc9' .*Valid names: image, conv1", id="features-layer"
    ),
    pytest.param(lambda: nearest_neighbours(np.zeros((2, 3)), np.zeros((4, 3)), k=0), positive("k", 0), id="neighbours-k-0"),
    pytest.param(
        lambda: nearest_neighbours(np.zeros((2, 3)), np.zeros((4, 3)), k=9),
        r"k=9 is more neighbours than the 4 reference rows: pass k <= 4",
        id="neighbours-k-too-large",
    ),
    pytest.param(
        lambda: nearest_neighbours(np.zeros((2, 3)), np.zeros((4, 5))),
        r"same width, as extract_features returns: extract both from the same layer\. Received: query \(2, 3\) vs reference \(4, 5\)",
        id="neighbours-widths",
    ),
    pytest.param(
        lambda: plot_nearest_neighbours(images_unit(1, 8, 8, 3), images_unit(3, 8, 8, 3), np.array([[0, 5]])),
        r"neighbours index up to 5 but there are 3 reference_images: pass the images the reference features were",
        id="neighbour-plot-index",
    ),
    pytest.param(
        lambda: plot_nearest_neighbours(images_float255(1, 8, 8, 3), images_unit(3, 8, 8, 3), np.array([[0, 1]])),
        "query_images " + FLOAT255,
        id="neighbour-plot-0-255",
    ),
    # Gradient norms.
    pytest.param(
        lambda: gradient_norms(M(), images_float255(2, 32, 32, 3), [0, 1]), "images " + FLOAT255, id="gradient-norms-0-255"
    ),
    pytest.param(lambda: gradient_norms(M(), images_uint8(2, 40, 40, 3), [0, 1]), RESIZE_IMAGES, id="gradient-norms-size"),
    pytest.param(
        lambda: gradient_norms(M(), images_uint8(2, 32, 32, 3), [0, 1, 2]),
        r"labels must be one integer label per image \(2 images; .*Received: labels of shape \(3,\)",
        id="gradient-norms-labels",
    ),
    pytest.param(
        lambda: gradient_norms(M(), images_uint8(2, 32, 32, 3), [0, 9]),
        r"labels must be integers from 0 to 3 \(model 'alexnet_mini' has 4 outputs\): build the model with num_classes",
        id="gradient-norms-label-range",
    ),
    pytest.param(
        lambda: gradient_norms(M(), images_uint8(2, 32, 32, 3), [0.0, 1.0]),
        r"labels must be integer class numbers, e\.g\. labels\.astype\('int64'\)",
        id="gradient-norms-float-labels",
    ),
    # 10-crop testing.
    pytest.param(
        lambda: ten_crop_predict(M(), images_uint8(2, 24, 24, 3)),
        r"images are 24x24 but the 10 crops must be 32x32, the input of model 'alexnet_mini': pass images at least that large",
        id="ten-crop-too-small",
    ),
    pytest.param(lambda: ten_crop_predict(M(), images_float255(2, 40, 40, 3)), "images " + FLOAT255, id="ten-crop-0-255"),
    pytest.param(
        lambda: ten_crop_predict(images_rectangular_model(), images_uint8(1, 8, 8, 3)),
        r"10-crop testing needs a model with a fixed square image input, e\.g\. build_alexnet",
        id="ten-crop-rectangular",
    ),
    pytest.param(
        lambda: ten_crop_accuracy(M(), images_uint8(2, 40, 40, 3)),
        r"ten_crop_accuracy needs a tf\.data\.Dataset of \(images, labels\) batches, e\.g\. data\.validation",
        id="ten-crop-accuracy-array",
    ),
    pytest.param(
        lambda: ten_crop_accuracy(M(), images_dataset(24)),
        r"images are 24x24 but the 10 crops must be 32x32, the input of model 'alexnet_mini': pass images at least that large",
        id="ten-crop-accuracy-small",
    ),
    pytest.param(
        lambda: ten_crops(np.zeros((8, 8)), 4),
        r"ten_crops needs images \(batch, height, width, channels\) or one image",
        id="ten-crops-2d",
    ),
    # PCA colour augmentation.
    pytest.param(
        lambda: PCAColorAugmentation([0.01, np.nan, 0.001], np.eye(3)),
        r"needs finite eigenvalues and eigenvectors: refit them with fit_pca_color",
        id="pca-layer-nan",
    ),
    pytest.param(
        lambda: PCAColorAugmentation([0.01, -0.002, 0.001], np.eye(3)),
        r"Eigenvalues of a covariance cannot be negative: use the eigenvalues from fit_pca_color",
        id="pca-layer-negative",
    ),
    pytest.param(
        lambda: PCAColorAugmentation([5600.0, 30.0, 2.0], np.eye(3)),
        r"Eigenvalues above 1 cannot come from \[0, 1\] pixels \(they look like 0-255 units.*fit them with fit_pca_color",
        id="pca-layer-0-255-units",
    ),
    pytest.param(
        lambda: PCAColorAugmentation([0.01, 0.002, 0.001], np.eye(3), stddev=float("nan")),
        r"stddev must be a non-negative number \(0\.1 in the paper\)\. Received: stddev=nan",
        id="pca-layer-stddev",
    ),
    pytest.param(lambda: fit_pca_color(images_float255(4, 8, 8, 3)), "images " + FLOAT255, id="fit-pca-0-255"),
    pytest.param(
        lambda: fit_pca_color(images_dataset(8, scale=1.0)), r"images batch ranges .*divide by 255", id="fit-pca-dataset-0-255"
    ),
    pytest.param(
        lambda: fit_pca_color(images_unit(4, 8, 8, 3), max_images=0), positive("max_images", 0), id="fit-pca-max-images"
    ),
    pytest.param(
        lambda: fit_pca_color(images_unit(4, 8, 8, 4)),
        r"images must have 3 channels last \(height, width, 3\)\. Received: shape \(4, 8, 8, 4\)",
        id="fit-pca-rgba",
    ),
    # Augmentation arguments.
    pytest.param(
        lambda: paper_augmentation(IMAGE),
        r"image_shape must be \(height, width, channels\), not an image: pass image\.shape or data\.image_shape",
        id="paper-augmentation-image",
    ),
    pytest.param(
        lambda: paper_augmentation((8, 32, 32, 3)),
        r"without the batch axis: pass images\.shape\[1:\]\. Received: image_shape=\(8, 32, 32, 3\)",
        id="paper-augmentation-batch",
    ),
    pytest.param(
        lambda: paper_augmentation(64),
        r"image_shape must be \(height, width, channels\), e\.g\. data\.image_shape",
        id="paper-augmentation-int",
    ),
    pytest.param(
        lambda: paper_augmentation((32, 32, 3), pca=images_unit(4, 8, 8, 3)),
        r"pca must be a ColorPCA from fit_pca_color\(train_images\), or None\. Received: pca of type ndarray",
        id="paper-augmentation-pca",
    ),
    pytest.param(
        lambda: paper_augmentation((32, 32, 3), pad=-4),
        r"pad must be a whole number of pixels, 0 or more \(CIFAR's standard is 4\)\. Received: pad=-4",
        id="paper-augmentation-negative-pad",
    ),
    pytest.param(
        lambda: paper_augmentation((32, 32, 3), pad=2.5),
        r"pad must be a whole number of pixels.*Received: pad=2\.5",
        id="paper-augmentation-fractional-pad",
    ),
    pytest.param(
        lambda: paper_augmentation((32, 32, 3), crop=False, pad=4),
        r"pad=4 pads the images for the random crop, but crop=False: pass crop=True .* or pad=0",
        id="paper-augmentation-pad-without-crop",
    ),
    pytest.param(
        lambda: paper_augmentation((32, 32, 3), pad=4, pad_mode="mirror"),
        r"Unknown pad_mode 'mirror'\. Valid: 'zeros', 'reflect'\.$",
        id="paper-augmentation-unknown-pad-mode",
    ),
    pytest.param(
        lambda: paper_augmentation((32, 32, 3), pad_mode="reflect"),
        r"pad_mode='reflect' says what fills the padding, but pad=0 adds none: pass pad=4 .* or leave pad_mode out\.$",
        id="paper-augmentation-pad-mode-without-pad",
    ),
    pytest.param(
        lambda: augment_data(images_dataset(8)),
        r"augment_data takes an ImageData \(from load_shapes, .*for a tf\.data\.Dataset, map the layer from paper_augmentation",
        id="augment-data-dataset",
    ),
    # Image grids.
    pytest.param(lambda: plot_images(images_float255(3, 8, 8, 3)), "images " + FLOAT255, id="plot-images-0-255"),
    pytest.param(lambda: plot_images(images_with_nan()), r"images contains 1 NaN .*np\.nan_to_num", id="plot-images-nan"),
    pytest.param(lambda: plot_images(images_unit(3, 8, 8, 3), columns=0), positive("columns", 0), id="plot-images-columns"),
    pytest.param(
        lambda: plot_images(images_unit(3, 8, 8, 3), [0, 1]),
        r"labels must be one integer label per image \(3 shown; .*Received: labels of shape \(2,\)",
        id="plot-images-labels",
    ),
    pytest.param(
        lambda: plot_images(images_unit(2, 8, 8, 3), [0, 5], ["cat", "dog"]),
        r"labels go from 0 to 5 but there are 2 class_names: pass one name per class",
        id="plot-images-label-range",
    ),
    pytest.param(
        lambda: plot_images(images_unit(2, 8, 8, 3), [0, 1], predictions=np.full((2, 2), 0.5)),
        r"predictions must be one integer label per image \(2 shown; for probabilities or one-hot rows use \.argmax\(-1\)\)",
        id="plot-images-probabilities",
    ),
    pytest.param(
        lambda: plot_images(images_unit(0, 8, 8, 3)),
        r"images is empty: there is nothing to plot \(check the selection",
        id="plot-images-empty",
    ),
    pytest.param(
        lambda: plot_augmentations(IMAGE, paper_augmentation(IMAGE.shape)),
        r"augmentation is a tuple: paper_augmentation returns \(layer, crop_shape\), so pass its first item",
        id="plot-augmentations-tuple",
    ),
    pytest.param(
        lambda: plot_augmentations(IMAGE, "flip"),
        r"augmentation must be a Keras layer \(or function\) applied to images, e\.g\. from paper_augmentation\. Received: .* str",
        id="plot-augmentations-string",
    ),
    pytest.param(
        lambda: plot_augmentations(images_uint8(2, 32, 32, 3), keras.layers.RandomFlip()),
        ONE_IMAGE,
        id="plot-augmentations-batch",
    ),
    pytest.param(
        lambda: plot_augmentations(images_float255(32, 32, 3), keras.layers.RandomFlip()),
        "image " + FLOAT255,
        id="plot-augmentations-0-255",
    ),
    pytest.param(
        lambda: plot_augmentations(IMAGE, keras.layers.RandomFlip(), count=0), positive("count", 0), id="plot-augmentations-count"
    ),
    # Filter patterns (no image in, but the same counts and indices).
    pytest.param(
        lambda: filter_pattern(M(), "conv1", channel=1.5),
        r"channel must be an integer from 0 to 11 \(conv1 has 12 channels \(0-11\)\)\. Received: channel=1\.5",
        id="pattern-channel-float",
    ),
    pytest.param(lambda: filter_pattern(M(), "conv1", channel=0, steps=0), positive("steps", 0), id="pattern-steps"),
    pytest.param(lambda: plot_filter_patterns(M(), "conv1", columns=0), positive("columns", 0), id="pattern-columns"),
]


@pytest.mark.parametrize("call, message", CASES)
def test_images_clear_one_line_error(call, message):
    with pytest.raises((ValueError, TypeError)) as error:
        call()
    assert re.search(message, str(error.value)), str(error.value)
    assert "\n" not in str(error.value)


# The silent cases: uint8 used to be read as [0, 1] (activations 255 times too large) or drawn all white.


@pytest.fixture(scope="module")
def images_pair():
    """The same pictures as uint8 and as float/255, computed independently of the kit."""
    x = images_uint8(3, 32, 32, 3, seed=4)
    return x, x.astype("float32") / 255


def images_layer_output(model, layer_name, images):
    # In float32, as the kit returns layer outputs: NumPy's means of bfloat16 are taken in bfloat16.
    return np.asarray(keras.Model(model.input, model.get_layer(layer_name).output)(images, training=False), "float32")


def test_feature_maps_of_uint8_are_those_of_float(images_pair):
    x, unit = images_pair
    expected = images_layer_output(M(), "conv2", unit[:1])[0]
    np.testing.assert_allclose(feature_maps(M(), "conv2", x[0]), expected, rtol=1e-5, atol=1e-6)
    # A batch of one is one image.
    np.testing.assert_allclose(feature_maps(M(), "conv2", x[:1]), expected, rtol=1e-5, atol=1e-6)


def test_feature_map_plots_of_uint8_show_the_float_maps(images_pair):
    x, unit = images_pair
    conv1 = images_layer_output(M(), "conv1", unit[:1])[0]
    figure = plot_feature_maps(M(), "conv1", x[0], channels=[2, 0])
    panels = [ax.images[0].get_array() for ax in figure.axes if ax.images]
    np.testing.assert_allclose(panels[0], conv1[..., 2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(panels[1], conv1[..., 0], rtol=1e-5, atol=1e-6)
    walk = plot_activation_walk(M(), x[0], per_layer=2)
    np.testing.assert_allclose(walk.axes[0].images[0].get_array(), unit[0], atol=1e-7)
    strongest = np.argsort(-conv1.mean(axis=(0, 1)))[0]
    np.testing.assert_allclose(walk.axes[1].images[0].get_array(), conv1[..., strongest], rtol=1e-5, atol=1e-6)


def test_activation_statistics_of_uint8(images_pair):
    x, unit = images_pair
    stats = activation_statistics(M(), x, layer_names="conv1")
    assert list(stats.index) == ["conv1"]
    assert stats["mean"]["conv1"] == pytest.approx(images_layer_output(M(), "conv1", unit).mean(), rel=1e-5)
    single = activation_statistics(M(), x[0], layer_names=["conv1"])  # one image is a batch of one
    assert single["mean"]["conv1"] == pytest.approx(images_layer_output(M(), "conv1", unit[:1]).mean(), rel=1e-5)


def test_grad_cam_and_saliency_of_uint8(images_pair):
    x, unit = images_pair
    heatmap, index = grad_cam(M(), x[0], class_index=2)
    expected, _ = grad_cam(M(), unit[0], class_index=2)
    np.testing.assert_allclose(heatmap, expected, rtol=1e-4, atol=1e-5)
    # Saliency against a gradient taken here: |d fc8-logit / d pixel| on the float image.
    fc8 = M().get_layer("fc8")
    features = keras.Model(M().input, fc8.input)
    image = tf.Variable(unit[:1])
    with tf.GradientTape() as tape:
        logit = (tf.matmul(features(image, training=False), fc8.kernel) + fc8.bias)[0, 2]
    gradient = np.abs(tape.gradient(logit, image).numpy()[0]).max(axis=-1)
    saliency, index = saliency_map(M(), x[0], class_index=2)
    assert index == 2
    np.testing.assert_allclose(saliency, gradient / gradient.max(), rtol=1e-4, atol=1e-6)
    figure = plot_grad_cam(M(), x[0], class_index=2)
    np.testing.assert_allclose(figure.axes[0].images[0].get_array(), unit[0], atol=1e-7)
    np.testing.assert_allclose(figure.axes[2].images[0].get_array(), saliency, atol=1e-6)


def test_extract_features_of_uint8(images_pair):
    x, unit = images_pair
    features, labels = extract_features(M(), x)
    assert labels is None
    np.testing.assert_allclose(features, images_layer_output(M(), "fc7", unit), rtol=1e-4, atol=1e-6)
    one, _ = extract_features(M(), x[0])  # one image is a batch of one
    np.testing.assert_allclose(one, features[:1], rtol=1e-4, atol=1e-6)


def test_gradient_norms_of_uint8(images_pair):
    x, unit = images_pair
    labels = np.array([0, 1, 3])
    norms = gradient_norms(M(), x, labels)
    # The gradient of the mean cross-entropy with respect to fc8's kernel, computed here from fc8's inputs
    # in a training-mode call (as gradient_norms's) from the same moving statistics and dropout seeds.
    fc8 = M().get_layer("fc8")
    state = [variable.numpy() for variable in M().non_trainable_variables]
    features = np.asarray(keras.Model(M().input, fc8.input)(unit, training=True), "float64")
    for variable, value in zip(M().non_trainable_variables, state):
        variable.assign(value)
    logits = features @ np.asarray(fc8.kernel, "float64") + np.asarray(fc8.bias, "float64")
    probabilities = np.exp(logits - logits.max(1, keepdims=True))
    probabilities /= probabilities.sum(1, keepdims=True)
    expected = features.T @ (probabilities - np.eye(4)[labels]) / len(labels)
    assert norms.gradient_rms["fc8"] == pytest.approx(np.sqrt(np.mean(expected**2)), rel=1e-3)
    assert norms.gradient_rms["conv1"] == pytest.approx(gradient_norms(M(), unit, labels).gradient_rms["conv1"], rel=1e-4)


def test_ten_crop_predict_of_uint8():
    x = images_uint8(2, 40, 40, 3, seed=5)
    patches = ten_crops(x.astype("float32") / 255, 32).numpy()
    expected = np.mean([np.asarray(M()(patch, training=False)) for patch in patches], axis=0)
    np.testing.assert_allclose(ten_crop_predict(M(), x), expected, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ten_crop_predict(M(), x[0]), expected[:1], rtol=1e-4, atol=1e-6)


def test_ten_crop_accuracy_of_uint8_batches():
    # Class 0 when the mean red level is above 0.5 (in [0, 1] units): read as 0-255, every image would be class 0.
    inputs = keras.Input((6, 6, 3))
    red = keras.layers.GlobalAveragePooling2D()(inputs)
    rule = keras.layers.Dense(2, activation="softmax", kernel_initializer=keras.initializers.Constant([[50.0, -50.0], [0, 0], [0, 0]]),
                              bias_initializer=keras.initializers.Constant([-25.0, 25.0]))  # fmt: skip
    model = keras.Model(inputs, rule(red))
    x = np.zeros((4, 8, 8, 3), np.uint8)
    x[:2, ..., 0], x[2:, ..., 0] = 230, 60
    dataset = tf.data.Dataset.from_tensor_slices((x, np.array([0, 0, 1, 1]))).batch(2)
    assert ten_crop_accuracy(model, dataset) == {"ten_crop": 1.0, "centre_crop": 1.0}


def test_plot_images_draws_uint8_like_float():
    x = images_uint8(3, 8, 8, 3, seed=7)
    uint8_panels = [ax.images[0].get_array() for ax in plot_images(x).axes if ax.images]
    assert len(uint8_panels) == 3
    for panel, expected in zip(uint8_panels, x.astype("float32") / 255):
        np.testing.assert_allclose(panel, expected, atol=1e-7)
    one = [ax.images[0].get_array() for ax in plot_images(x[0]).axes if ax.images]  # one image
    assert len(one) == 1
    np.testing.assert_allclose(one[0], x[0] / 255, atol=1e-7)


def test_plot_augmentations_draws_uint8_like_float():
    x = images_uint8(16, 16, 3, seed=8)
    augmentation, _ = paper_augmentation(x.shape, crop=True, flip=True, seed=3)
    uint8_panels = [ax.images[0].get_array() for ax in plot_augmentations(x, augmentation, count=3, seed=2).axes if ax.images]
    augmentation, _ = paper_augmentation(x.shape, crop=True, flip=True, seed=3)
    float_panels = [
        ax.images[0].get_array()
        for ax in plot_augmentations(x.astype("float32") / 255, augmentation, count=3, seed=2).axes
        if ax.images
    ]
    assert len(uint8_panels) == 4
    np.testing.assert_allclose(uint8_panels[0], x / 255, atol=1e-7)
    for ours, theirs in zip(uint8_panels, float_panels):
        np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_fit_pca_color_is_in_unit_pixels_whatever_the_dtype():
    x = images_uint8(20, 8, 8, 3, seed=9)
    pixels = (x.astype("float64") / 255).reshape(-1, 3)
    expected = np.sort(np.linalg.eigvalsh(np.cov(pixels, rowvar=False)))[::-1]
    from_uint8 = fit_pca_color(x)
    np.testing.assert_allclose(from_uint8.eigenvalues, expected, rtol=1e-4)
    np.testing.assert_allclose(from_uint8.mean, pixels.mean(0), rtol=1e-5)
    assert from_uint8.eigenvalues.max() < 0.75  # in 0-255 units it would be about 5,400
    np.testing.assert_allclose(fit_pca_color(x.astype("float32") / 255).eigenvalues, expected, rtol=1e-4)
    # A dataset's batches are [0, 1] floats already, and give the same fit.
    data = arrays_to_data(x, np.arange(20) % 2, x[:2], [0, 1], ("a", "b"), batch_size=5)
    train = np.concatenate([np.asarray(images) for images, _ in data.train])
    reference = np.sort(np.linalg.eigvalsh(np.cov(train.astype("float64").reshape(-1, 3), rowvar=False)))[::-1]
    np.testing.assert_allclose(fit_pca_color(data.train).eigenvalues, reference, rtol=1e-4)


def test_grey_images_give_a_usable_pca():
    grey = np.repeat(images_uint8(6, 8, 8, 1, seed=10), 3, axis=-1)
    pca = fit_pca_color(grey)
    assert pca.eigenvalues.min() >= 0  # rounding noise is not a negative variance
    layer = PCAColorAugmentation(pca.eigenvalues, pca.eigenvectors, seed=0)
    shifted = np.asarray(layer(grey.astype("float32") / 255, training=True)) - grey / 255
    # Grey images vary only along (1, 1, 1): every shift is grey too.
    np.testing.assert_allclose(shifted[..., 0], shifted[..., 1], atol=1e-5)
