"""Trained weights: the registry, download and hash checks, class names, top-k, the input layer."""

import hashlib
import re

import keras
import numpy as np
import pytest

from alexnet_edu import ImageNetInput, build_alexnet, decode_predictions, find_weights, imagenet_class_names, pretrained
from alexnet_edu.layers import CAFFE_BGR_MEAN, TORCHVISION_MEAN, TORCHVISION_STD


def test_class_names_are_the_1000_ilsvrc_classes_in_order():
    names = imagenet_class_names()
    assert len(names) == 1000
    assert (names[0], names[1], names[281], names[999]) == ("tench", "goldfish", "tabby", "toilet tissue")
    # ImageNet's own duplicates: the bird and the machine, and two swimsuits.
    assert names[134] == names[517] == "crane" and names[638] == names[639] == "maillot"


def test_decode_predictions_ranks_by_probability():
    probabilities = np.full((2, 1000), 1e-4)
    probabilities[0, [281, 285, 282]] = [0.5, 0.3, 0.2]
    probabilities[1, 0] = 0.9
    top = decode_predictions(probabilities, top=3)
    assert [(i, n) for i, n, _ in top[0]] == [(281, "tabby"), (285, "Egyptian cat"), (282, "tiger cat")]
    assert top[0][0][2] == pytest.approx(0.5) and top[1][0][:2] == (0, "tench")
    assert decode_predictions(np.eye(3)[2], top=1, class_names=["a", "b", "c"]) == [[(2, "c", 1.0)]]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: decode_predictions(np.zeros((2, 10))), r"needs \(n, 1000\) probabilities, one column per class name\. Received: shape \(2, 10\)"),
        (lambda: decode_predictions(np.zeros((1, 1000)), top=0), r"top must be an integer from 1 to 1000\. Received: top=0"),
        (lambda: decode_predictions(np.zeros((1, 1000)), top=2.0), r"Received: top=2\.0"),
        (lambda: pretrained.resolve("alexnet"), r"Unknown weights 'alexnet': give 'bvlc' or 'torchvision', or the path of a \.caffemodel or \.pth file"),
        (lambda: pretrained.resolve(3), r"weights must be 'bvlc' or 'torchvision' or a file's path\. Received: weights=3"),
        (lambda: build_alexnet("seed", weights="bvlc"), r"The bvlc weights are for the 'paper' preset: build_alexnet\('paper', weights='bvlc'\)\. Received: preset='seed'"),
        (lambda: build_alexnet("paper", weights="torchvision"), r"torchvision weights are for the 'torchvision' preset"),
        (lambda: pretrained.build_pretrained("bvlc", num_classes=10), r"The bvlc weights need num_classes=1000: leave num_classes out or use weights=None\. Received: num_classes=10"),
        (lambda: pretrained.build_pretrained("bvlc", lrn_k=2.0), r"need lrn_k=1\.0"),
        (lambda: pretrained.weights_file("bvlc", path="/nonexistent/bvlc_alexnet.caffemodel"), r"No weights file at '/nonexistent/bvlc_alexnet\.caffemodel': download http://dl\.caffe"),
        (lambda: ImageNetInput("tensorflow"), r"Unknown input convention 'tensorflow'\. Valid values: 'caffe', 'torchvision'"),
        (lambda: build_alexnet("paper", input_convention="keras"), r"Unknown input_convention 'keras'"),
    ],
)
def test_bad_input_names_the_problem_and_the_fix(call, message):
    with pytest.raises((ValueError, TypeError, FileNotFoundError)) as raised:
        call()
    assert re.search(message, str(raised.value)), str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("name", ["bvlc", "torchvision"])
def test_offline_download_names_the_url_and_the_place(keras_home, name, capsys):
    spec = pretrained.WEIGHTS[name]
    with pytest.raises(ConnectionError) as raised:
        pretrained.weights_file(name)
    message = str(raised.value)
    assert spec.url in message and str(keras_home / "models" / spec.filename) in message and "\n" not in message
    # The notebook's way: no exception, one line, None.
    assert find_weights(name) is None
    lines = capsys.readouterr().out.splitlines()
    # Keras says what it tries (possibly twice: it retries), then one line says what to do.
    assert all(line.startswith("Downloading data from") for line in lines[:-1])
    assert lines[-1].startswith(f"Could not download the {name} weights from {spec.url}")
    assert find_weights(name, download=False) is None
    assert spec.url in capsys.readouterr().out


def test_a_cached_file_with_the_wrong_hash_is_refused(keras_home):
    target = keras_home / "models" / "alexnet-owt-7be5be79.pth"
    target.parent.mkdir()
    target.write_bytes(b"not the weights")
    with pytest.raises(ValueError, match=r"is not the published alexnet-owt-7be5be79\.pth: its SHA256 is [0-9a-f]{16}\.\.\., not 7be5be79\.\.\.; delete it and download it again"):
        pretrained.weights_file("torchvision")


def test_hash_prefix_and_full_hash_are_both_checked(tmp_path):
    path = tmp_path / "weights.caffemodel"
    path.write_bytes(b"some bytes")
    sha1 = hashlib.sha1(b"some bytes").hexdigest()
    sha256 = hashlib.sha256(b"some bytes").hexdigest()
    pretrained.verify(path, pretrained.Weights(**{**vars(pretrained.WEIGHTS["bvlc"]), "digest": sha1}))
    pretrained.verify(path, pretrained.Weights(**{**vars(pretrained.WEIGHTS["torchvision"]), "digest": sha256[:8]}))
    with pytest.raises(ValueError):
        pretrained.verify(path, pretrained.Weights(**{**vars(pretrained.WEIGHTS["bvlc"]), "digest": sha1[:-1] + "0"}))


@pytest.mark.parametrize("convention", ["caffe", "torchvision"])
def test_input_layer_applies_the_convention_and_round_trips(convention):
    images = np.random.default_rng(0).uniform(size=(2, 4, 5, 3)).astype("float32")
    if convention == "caffe":
        expected = images[..., ::-1] * 255 - np.asarray(CAFFE_BGR_MEAN, "float32")
    else:
        expected = (images - np.asarray(TORCHVISION_MEAN, "float32")) / np.asarray(TORCHVISION_STD, "float32")
    layer = ImageNetInput(convention, name="preprocess")
    np.testing.assert_allclose(np.asarray(layer(images)), expected, rtol=1e-5, atol=1e-4)
    copy = ImageNetInput.from_config(layer.get_config())
    np.testing.assert_allclose(np.asarray(copy(images)), expected, rtol=1e-5, atol=1e-4)
    inputs = keras.Input((4, 5, 3))
    model = keras.Model(inputs, ImageNetInput(convention)(inputs))
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(model))
    np.testing.assert_allclose(np.asarray(restored(images)), expected, rtol=1e-5, atol=1e-4)


def test_pretrained_architectures_take_the_kits_images():
    for name, spec in pretrained.WEIGHTS.items():
        convention = "caffe" if name == "bvlc" else "torchvision"
        model = build_alexnet(spec.preset, input_convention=convention, **spec.knobs)
        assert model.layers[1].name == "preprocess" and model.input_shape[1:] == (spec.input_size, spec.input_size, 3)
        assert model.count_params() == {"bvlc": 60_965_224, "torchvision": 61_100_840}[name]


def _registered(monkeypatch, name, path):
    """Makes `path` the published file of `name` (the real files cannot be downloaded here)."""
    spec = pretrained.WEIGHTS[name]
    digest = hashlib.new(spec.algorithm, path.read_bytes()).hexdigest()
    monkeypatch.setitem(pretrained.WEIGHTS, name, pretrained.Weights(**{**vars(spec), "digest": digest}))


def test_build_alexnet_with_a_torchvision_file_hash_checks_reads_and_ports(tmp_path, monkeypatch):
    from tests.pretrained import test_torchvision as tv

    rng = np.random.default_rng(0)
    shapes = {**tv.TV_SHAPES, "classifier.6.weight": (1000, tv.TV_FC_UNITS), "classifier.6.bias": (1000,)}
    arrays = {key: (rng.standard_normal(shape) * 0.05).astype("float32") for key, shape in shapes.items()}
    path = tv.tv_write_state(tmp_path / "alexnet-owt-7be5be79.pth", arrays)
    _registered(monkeypatch, "torchvision", path)
    # float32: the two ways round differently in 16-bit precision (up to 7 % of a probability in bfloat16).
    model = build_alexnet("torchvision", weights=str(path), fc_units=tv.TV_FC_UNITS, precision="float32")
    assert model.layers[1].name == "preprocess" and model.name == "alexnet_torchvision"
    np.testing.assert_array_equal(np.asarray(model.get_layer("conv1").kernel), arrays["features.0.weight"].transpose(2, 3, 1, 0))
    np.testing.assert_array_equal(np.asarray(model.get_layer("fc8").bias), arrays["classifier.6.bias"])
    # The bare network on imagenet_preprocess gives what the network with its input layer gives on [0, 1] photos.
    photos = rng.uniform(size=(2, 224, 224, 3)).astype("float32")
    bare = pretrained.build_pretrained(str(path), include_preprocessing=False, fc_units=tv.TV_FC_UNITS, precision="float32")
    np.testing.assert_allclose(model.predict(photos, verbose=0), bare.predict(pretrained.imagenet_preprocess(photos, "torchvision"), verbose=0), atol=1e-5)
    # One changed byte and the file is refused before anything is read.
    damaged = tmp_path / "damaged.pth"
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    damaged.write_bytes(bytes(content))
    with pytest.raises(ValueError, match=r"is not the published alexnet-owt-7be5be79\.pth"):
        build_alexnet("torchvision", weights=str(damaged), fc_units=tv.TV_FC_UNITS)


def test_build_alexnet_with_a_caffe_file_uses_caffes_lrn_and_bgr_input(tmp_path, monkeypatch):
    from tests.pretrained import test_caffe as tc

    rng = np.random.default_rng(1)
    shapes = {"conv1": (96, 3, 11, 11), "conv2": (256, 48, 5, 5), "conv3": (384, 256, 3, 3), "conv4": (384, 192, 3, 3),
              "conv5": (256, 192, 3, 3), "fc6": (16, 9216), "fc7": (16, 16), "fc8": (1000, 16)}  # fmt: skip
    blobs = {name: ((rng.standard_normal(shape) * 0.02).astype("float32"), (rng.standard_normal(shape[0]) * 0.1).astype("float32"))
             for name, shape in shapes.items()}  # fmt: skip
    path = tc.caffe_write(tmp_path / "bvlc_alexnet.caffemodel", tc.caffe_net(blobs, layout="v1"))
    _registered(monkeypatch, "bvlc", path)
    model = build_alexnet("paper", weights=str(path), fc_units=16)
    norm = model.get_layer("norm1").get_config()
    assert (norm["k"], norm["alpha"], norm["convention"]) == (1.0, 1e-4, "caffe")
    assert model.get_layer("preprocess").convention == "caffe"
    assert model.count_params() == sum(int(np.prod(shape)) + shape[0] for shape in shapes.values())
    np.testing.assert_array_equal(np.asarray(model.get_layer("conv2").kernel), blobs["conv2"][0].transpose(2, 3, 1, 0))
