"""Every bad input gets a clear one-line error that names the problem and the fix."""

import re

import numpy as np
import pytest
from PIL import Image

from alexnet_edu import LocalResponseNormalization, build_alexnet, conv_output_size, layer_table, load_image, load_image_folder
from alexnet_edu.augment import PCAColorAugmentation, ten_crop_boxes
from alexnet_edu.data import arrays_to_data, load_cifar10
from alexnet_edu.train import compile_for, evaluate, train
from alexnet_edu.visualize import plot_confusion_matrix

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
    (lambda: compile_for(build_alexnet("mini"), "rmsprop"), r"Unknown recipe 'rmsprop'\. Valid recipes: 'paper', 'adam', 'sgd'"),
    (lambda: PCAColorAugmentation([1, 2], np.eye(3)), r"needs 3 eigenvalues and a 3x3 eigenvector matrix \(use fit_pca_color\)"),
    (lambda: ten_crop_boxes(32, 40), r"crop_size 40 is larger than the image \(32x32\)"),
    (lambda: plot_confusion_matrix(np.eye(3), ["a", "b"]), r"confusion matrix is \(3, 3\) but there are 2 class names"),
    (lambda: arrays_to_data(np.zeros((2, 4, 4, 3), np.uint8), [0, 3], np.zeros((1, 4, 4, 3), np.uint8), [0], ("a", "b")),
     r"Labels must lie in \[0, 1\] for 2 classes\. Received labels from 0 to 3"),
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


def image_folder(root, classes, per_class=2):
    for class_name in classes:
        (root / class_name).mkdir(parents=True)
        for index in range(per_class):
            Image.fromarray(np.full((8, 8, 3), 40 * index, np.uint8)).save(root / class_name / f"{index}.png")
    return root


def test_corrupt_image_names_its_path(tmp_path):
    root = image_folder(tmp_path / "photos", ["cats", "dogs"])
    (root / "dogs" / "broken.jpg").write_bytes(b"this is not a jpeg")
    with pytest.raises(ValueError, match=r"Cannot read 1 image file\(s\), delete or re-save them: .*dogs/broken\.jpg"):
        load_image_folder(root)
    with pytest.raises(ValueError, match=r"Cannot read image '.*broken\.jpg' .*is it an image file\?"):
        load_image(root / "dogs" / "broken.jpg")


def test_empty_folder_and_single_class(tmp_path):
    (tmp_path / "empty" / "cats").mkdir(parents=True)
    with pytest.raises(ValueError, match=r"No images found in .*one sub-folder per class"):
        load_image_folder(tmp_path / "empty")
    with pytest.raises(ValueError, match=r"Only one class \('cats'\) .* at least two sub-folders"):
        load_image_folder(image_folder(tmp_path / "one", ["cats"]))
    with pytest.raises(FileNotFoundError, match=r"Image folder '.*missing' does not exist"):
        load_image_folder(tmp_path / "missing")


@pytest.fixture(scope="module")
def three_classes():
    x = np.zeros((6, 32, 32, 3), np.uint8)
    return arrays_to_data(x, [0, 1, 2] * 2, x, [0, 1, 2] * 2, ("a", "b", "c"), batch_size=3)


def test_wrong_image_size_for_the_model(three_classes):
    model = build_alexnet("mini", num_classes=3)  # expects 64x64
    with pytest.raises(ValueError, match=r"images are \(32, 32, 3\) but 'alexnet_mini' expects \(64, 64, 3\): load the data with image_size=\(64, 64\)"):
        train(model, three_classes, epochs=1)


def test_more_classes_than_outputs(three_classes):
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3))
    with pytest.raises(ValueError, match=r"data has 3 classes \(labels 0-2\) but 'alexnet_mini' has only 2 outputs: build it with num_classes=3"):
        train(model, three_classes, epochs=1)
    with pytest.raises(ValueError, match=r"model has 2 outputs but the labels go up to 2"):
        evaluate(model, three_classes.validation, three_classes.class_names)


def test_offline_download_names_the_url_and_where_to_put_the_file(keras_home):
    with pytest.raises(ConnectionError, match=r"Could not download CIFAR-10 from https://www\.cs\.toronto\.edu/~kriz/cifar-10-python\.tar\.gz \(no network\?\)\. .*put it at .*keras_home/datasets/cifar-10-batches-py-target_archive"):
        load_cifar10()
