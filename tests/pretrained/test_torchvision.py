"""torchvision AlexNet weights: a .pth written here without torch, read, ported and checked against a NumPy reference.

The reference forward pass is written in PyTorch's own layout and conventions (NCHW, (out, in, h, w) kernels,
Conv2d padding=2 for conv1, MaxPool2d(3, 2) with floor rounding, AdaptiveAvgPool2d((6, 6)), channels-first flatten,
Linear as x @ W.T + b, dropout off, logits then softmax), independently of the port's conversions.
"""

import collections
import io
import os
import pickle
import pickletools
import re
import zipfile

import keras
import numpy as np
import pytest

from alexnet_edu import build_alexnet
from alexnet_edu.pretrained import torchvision as tv

TV_FC_UNITS = 16
TV_CLASSES = 10
TV_SHAPES = {
    "features.0.weight": (64, 3, 11, 11),
    "features.0.bias": (64,),
    "features.3.weight": (192, 64, 5, 5),
    "features.3.bias": (192,),
    "features.6.weight": (384, 192, 3, 3),
    "features.6.bias": (384,),
    "features.8.weight": (256, 384, 3, 3),
    "features.8.bias": (256,),
    "features.10.weight": (256, 256, 3, 3),
    "features.10.bias": (256,),
    "classifier.1.weight": (TV_FC_UNITS, 256 * 6 * 6),
    "classifier.1.bias": (TV_FC_UNITS,),
    "classifier.4.weight": (TV_FC_UNITS, TV_FC_UNITS),
    "classifier.4.bias": (TV_FC_UNITS,),
    "classifier.6.weight": (TV_CLASSES, TV_FC_UNITS),
    "classifier.6.bias": (TV_CLASSES,),
}


# ---------------------------------------------------------------- a torch.save zip writer without torch


class tv_TorchName:
    """A global of the torch package, pickled as the GLOBAL opcode `module\\nname` (torch itself is not installed)."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, *args):  # save_reduce wants a callable; the reader never calls the real one
        raise AssertionError("stand-in only")


class tv_Storage:
    def __init__(self, key, array, kind="FloatStorage"):
        self.key, self.array, self.kind = key, np.ascontiguousarray(array).reshape(-1), kind


class tv_Tensor:
    """Pickles like a torch.Tensor: _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)."""

    def __init__(self, storage, offset, size, stride, parameter=False):
        self.storage, self.offset, self.size, self.stride, self.parameter = storage, offset, size, stride, parameter

    def __reduce__(self):
        hooks = collections.OrderedDict()
        tensor = (tv_TorchName("torch._utils", "_rebuild_tensor_v2"), (self.storage, self.offset, self.size, self.stride, False, hooks))
        if self.parameter:
            return tv_TorchName("torch._utils", "_rebuild_parameter"), (_TvReduced(tensor), True, collections.OrderedDict())
        return tensor


class _TvReduced:
    def __init__(self, reduced):
        self.reduced = reduced

    def __reduce__(self):
        return self.reduced


class tv_Global:
    """Any other global, e.g. os.system or a model class: pickled as GLOBAL + REDUCE with the given arguments."""

    def __init__(self, module, name, args=()):
        self.module, self.name, self.args = module, name, args

    def __reduce__(self):
        return tv_TorchName(self.module, self.name), self.args


class tv_Pickler(pickle._Pickler):
    """The pure-Python pickler, so that save_global can write torch's names without importing torch."""

    def persistent_id(self, obj):
        if isinstance(obj, tv_Storage):
            return ("storage", tv_TorchName("torch", obj.kind), obj.key, "cpu", obj.array.size)
        return None

    def reducer_override(self, obj):
        return obj.name if isinstance(obj, tv_TorchName) else NotImplemented

    def save_global(self, obj, name=None):
        if isinstance(obj, tv_TorchName):
            self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode("ascii"))
            self.memoize(obj)
            return
        super().save_global(obj, name)


def tv_pickle(obj):
    buffer = io.BytesIO()
    tv_Pickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue()


def tv_state(arrays, parameter=False):
    """An OrderedDict of tensors with torch's `_metadata` attribute, and the storages it references."""
    state = collections.OrderedDict()
    storages = []
    for index, (key, array) in enumerate(arrays.items()):
        storage = tv_Storage(str(index), array)
        storages.append(storage)
        stride = tuple(int(np.prod(array.shape[i + 1 :])) for i in range(array.ndim))
        state[key] = tv_Tensor(storage, 0, tuple(array.shape), stride, parameter=parameter)
    state._metadata = collections.OrderedDict([("", {"version": 1}), ("features", {"version": 1})])
    return state, storages


def tv_write(path, obj, storages, byteorder="little", folder="archive"):
    """Writes `obj` as torch.save's zip: <folder>/data.pkl, <folder>/data/<key>, <folder>/version, <folder>/byteorder."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(f"{folder}/data.pkl", tv_pickle(obj))
        if byteorder:
            archive.writestr(f"{folder}/byteorder", byteorder)
        for storage in storages:
            array = storage.array.astype(storage.array.dtype.newbyteorder("<" if byteorder != "big" else ">"))
            archive.writestr(f"{folder}/data/{storage.key}", array.tobytes())
        archive.writestr(f"{folder}/version", b"3\n")
    return path


def tv_write_state(path, arrays, **kwargs):
    state, storages = tv_state(arrays)
    return tv_write(path, state, storages, **kwargs)


def tv_random_weights(seed=0):
    """Random weights with He-like scales, so activations stay O(1) and the softmax does not saturate."""
    rng = np.random.default_rng(seed)
    weights = {}
    for key, shape in TV_SHAPES.items():
        if key.endswith("weight"):
            fan_in = int(np.prod(shape[1:]))
            weights[key] = (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        else:
            weights[key] = (rng.standard_normal(shape) * 0.1).astype(np.float32)
    return weights


# ---------------------------------------------------------------- the reference forward pass, PyTorch's conventions


def tv_conv2d(x, weight, bias, stride, padding):
    """torch.nn.functional.conv2d on NCHW with an (out, in, h, w) kernel (cross-correlation), via im2col."""
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    kh, kw = weight.shape[2:]
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.tensordot(windows, weight, axes=([1, 4, 5], [1, 2, 3]))  # (n, ho, wo, out)
    return out.transpose(0, 3, 1, 2) + bias[None, :, None, None]


def tv_max_pool(x, size=3, stride=2):
    """MaxPool2d(3, 2), ceil_mode=False: floor((n - 3) / 2) + 1 outputs."""
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    return windows.max(axis=(4, 5))


def tv_adaptive_avg_pool(x, out=(6, 6)):
    """AdaptiveAvgPool2d: bin i spans [floor(i * n / out), ceil((i + 1) * n / out))."""
    n, c, height, width = x.shape
    result = np.empty((n, c, *out))
    for i in range(out[0]):
        h0, h1 = (i * height) // out[0], -(-((i + 1) * height) // out[0])
        for j in range(out[1]):
            w0, w1 = (j * width) // out[1], -(-((j + 1) * width) // out[1])
            result[:, :, i, j] = x[:, :, h0:h1, w0:w1].mean(axis=(2, 3))
    return result


def tv_reference(images_nchw, w):
    """torchvision.models.AlexNet.forward in eval mode, then softmax; returns (fc7 activations, probabilities)."""
    w = {key: value.astype(np.float64) for key, value in w.items()}
    relu = lambda v: np.maximum(v, 0.0)  # noqa: E731
    x = images_nchw.astype(np.float64)
    x = tv_max_pool(relu(tv_conv2d(x, w["features.0.weight"], w["features.0.bias"], 4, 2)))
    x = tv_max_pool(relu(tv_conv2d(x, w["features.3.weight"], w["features.3.bias"], 1, 2)))
    x = relu(tv_conv2d(x, w["features.6.weight"], w["features.6.bias"], 1, 1))
    x = relu(tv_conv2d(x, w["features.8.weight"], w["features.8.bias"], 1, 1))
    x = tv_max_pool(relu(tv_conv2d(x, w["features.10.weight"], w["features.10.bias"], 1, 1)))
    x = tv_adaptive_avg_pool(x).reshape(len(x), -1)  # torch.flatten(x, 1): channels first
    x = relu(x @ w["classifier.1.weight"].T + w["classifier.1.bias"])  # Dropout before it: off in eval
    fc7 = relu(x @ w["classifier.4.weight"].T + w["classifier.4.bias"])
    logits = fc7 @ w["classifier.6.weight"].T + w["classifier.6.bias"]
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return fc7, exp / exp.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- fixtures


def tv_model(**knobs):
    knobs = {"fc_units": TV_FC_UNITS, "num_classes": TV_CLASSES, **knobs}
    return build_alexnet("torchvision", precision="float32", **knobs)


@pytest.fixture(scope="module")
def tv_weights():
    return tv_random_weights()


@pytest.fixture(scope="module")
def tv_file(tv_weights, tmp_path_factory):
    return tv_write_state(tmp_path_factory.mktemp("tv") / "alexnet.pth", tv_weights)


@pytest.fixture(scope="module")
def tv_files(tv_weights, tv_file, tmp_path_factory):
    """Every bad file of the error matrix, by name."""
    folder = tmp_path_factory.mktemp("tv_bad")
    good = tv_file.read_bytes()
    files = {"good": tv_file, "missing": folder / "nope.pth", "folder": folder}
    (folder / "garbage.pth").write_bytes(b"<html>404 Not Found</html>" * 4)
    files["garbage"] = folder / "garbage.pth"
    # The legacy format starts with a pickled magic number (protocol 2, long of 10 bytes).
    (folder / "legacy.pth").write_bytes(pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2) + b"\x80\x02}q\x00.")
    files["legacy"] = folder / "legacy.pth"
    (folder / "truncated.pth").write_bytes(good[: len(good) // 2])
    files["truncated"] = folder / "truncated.pth"
    # Flip bytes in the middle of a storage: the zip's CRC no longer matches.
    damaged = bytearray(good)
    damaged[len(good) // 2 : len(good) // 2 + 16] = bytes(16)
    (folder / "damaged.pth").write_bytes(bytes(damaged))
    files["damaged"] = folder / "damaged.pth"
    with zipfile.ZipFile(folder / "other.zip", "w") as archive:
        archive.writestr("notes/readme.txt", "hello")
    files["other_zip"] = folder / "other.zip"
    marker = folder / "pwned"
    files["marker"] = marker
    files["system"] = tv_write(folder / "system.pth", tv_Global("posix", "system", (f"touch {marker}",)), [])
    files["eval"] = tv_write(folder / "eval.pth", tv_Global("builtins", "exec", (f"open({str(marker)!r}, 'w')",)), [])
    files["model"] = tv_write(folder / "model.pth", tv_Global("torchvision.models.alexnet", "AlexNet"), [])
    state, storages = tv_state({"features.0.bias": tv_weights["features.0.bias"]})
    files["checkpoint"] = tv_write(folder / "checkpoint.pth", {"state_dict": state, "epoch": 3}, storages)
    files["list"] = tv_write(folder / "list.pth", [1, 2], [])
    short = tv_Storage("0", np.zeros(10, np.float32))
    with zipfile.ZipFile(folder / "short.pth", "w") as archive:
        archive.writestr("archive/data.pkl", tv_pickle({"features.0.bias": tv_Tensor(short, 0, (10,), (1,))}))
        archive.writestr("archive/data/0", np.zeros(4, np.float32).tobytes())
        archive.writestr("archive/version", b"3\n")
    files["short"] = folder / "short.pth"
    files["past_end"] = tv_write(folder / "past_end.pth", {"features.0.bias": tv_Tensor(short, 4, (10,), (1,))}, [short])
    files["repeat"] = tv_write(folder / "repeat.pth", {"features.0.bias": tv_Tensor(short, 0, (10**6,), (0,))}, [short])
    files["no_storage"] = tv_write(folder / "no_storage.pth", {"features.0.bias": tv_Tensor(short, 0, (10,), (1,))}, [])
    return files


@pytest.fixture(scope="module")
def tv_built():
    return tv_model()


def tv_without(weights, key):
    return {k: v for k, v in weights.items() if k != key}


# ---------------------------------------------------------------- the required check: file -> read -> port == reference


def test_tv_pickle_writes_torch_globals(tv_weights):
    state, _ = tv_state({"features.0.bias": tv_weights["features.0.bias"]}, parameter=True)
    data = tv_pickle(state)
    ops = [(op.name, arg) for op, arg, _ in pickletools.genops(data)]
    assert ops[0] == ("PROTO", 2)
    globals_ = {arg for name, arg in ops if name == "GLOBAL"}
    assert {"collections OrderedDict", "torch._utils _rebuild_tensor_v2", "torch._utils _rebuild_parameter",
            "torch FloatStorage"} <= globals_
    assert ("BINPERSID", None) in ops
    assert ("BUILD", None) in ops  # the OrderedDict's _metadata attribute, as in torch's state dicts


def test_tv_read_then_port_matches_pytorch_reference(tv_file, tv_weights):
    weights = tv.read(tv_file)
    assert list(weights) == list(TV_SHAPES)
    for key, array in tv_weights.items():
        np.testing.assert_array_equal(weights[key], array)

    model = tv.port(tv_model(), weights)
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, size=(2, 240, 300, 3), dtype=np.uint8)  # not square: the crop matters
    x = tv.preprocess(images)
    assert x.shape == (2, 224, 224, 3)

    fc7_reference, probabilities_reference = tv_reference(x.transpose(0, 3, 1, 2), tv_weights)
    fc7 = keras.Model(model.input, model.get_layer("fc7").output)(x, training=False)
    probabilities = model(x, training=False)
    fc7, probabilities = keras.ops.convert_to_numpy(fc7), keras.ops.convert_to_numpy(probabilities)
    scale = np.abs(fc7_reference).max()
    assert scale > 0.1 and probabilities_reference.max() < 0.99  # neither dead nor saturated: the test can fail
    np.testing.assert_allclose(fc7, fc7_reference, atol=1e-4)
    np.testing.assert_allclose(probabilities, probabilities_reference, atol=1e-4)

    # The same check fails if fc6 skips the channels-first -> channels-last reordering.
    naive = model.get_layer("fc6").get_weights()
    model.get_layer("fc6").set_weights([tv_weights["classifier.1.weight"].T, naive[1]])
    wrong = keras.ops.convert_to_numpy(model(x, training=False))
    assert np.abs(wrong - probabilities_reference).max() > 1e-2


def test_tv_reference_adaptive_pool_is_identity_at_6x6():
    x = np.random.default_rng(0).standard_normal((1, 3, 6, 6))
    np.testing.assert_array_equal(tv_adaptive_avg_pool(x), x)
    assert not np.allclose(tv_adaptive_avg_pool(np.random.default_rng(0).standard_normal((1, 3, 7, 7)))[..., 0, 0], 0)


def test_tv_read_strides_offsets_half_parameters_and_byteorder(tmp_path):
    rng = np.random.default_rng(2)
    base = rng.standard_normal((4, 6)).astype(np.float32)
    shared = tv_Storage("0", base)
    half = rng.standard_normal(5).astype(np.float16)
    state = collections.OrderedDict(
        transposed=tv_Tensor(shared, 0, (6, 4), (1, 6)),  # a non-contiguous view
        row=tv_Tensor(shared, 12, (6,), (1,)),  # a second tensor on the same storage, at an offset
        half=tv_Tensor(tv_Storage("1", half, "HalfStorage"), 0, (5,), (1,), parameter=True),
    )
    for byteorder in ("little", "big", None):
        path = tv_write(tmp_path / f"{byteorder}.pth", state, [shared, state["half"].storage], byteorder=byteorder, folder="alexnet")
        weights = tv.read(path)
        np.testing.assert_array_equal(weights["transposed"], base.T)
        np.testing.assert_array_equal(weights["row"], base.reshape(-1)[12:18])
        assert weights["half"].dtype == np.float16
        np.testing.assert_array_equal(weights["half"], half)


def test_tv_port_refusal_leaves_model_unchanged(tv_weights):
    model = tv_model()
    before = model.get_layer("conv1").get_weights()[0].copy()
    bad = dict(tv_weights, **{"classifier.6.weight": tv_weights["classifier.6.weight"].T})
    with pytest.raises(ValueError, match="classifier.6.weight"):
        tv.port(model, bad)
    np.testing.assert_array_equal(model.get_layer("conv1").get_weights()[0], before)


def test_tv_pickle_code_is_not_run(tv_files):
    for name in ("system", "eval"):
        with pytest.raises(ValueError, match="not a plain PyTorch state dict"):
            tv.read(tv_files[name])
    assert not os.path.exists(tv_files["marker"])


def test_tv_pickle_cannot_alter_the_stand_ins(tv_file, tmp_path):
    # GLOBAL torch._utils _rebuild_tensor_v2, then BUILD (None, {"__defaults__": ()}): setattr on the stand-in.
    data = b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\nN}X\x0c\x00\x00\x00__defaults__)s\x86b."
    assert [op.name for op, _, _ in pickletools.genops(data)][-3:] == ["TUPLE2", "BUILD", "STOP"]
    with zipfile.ZipFile(tmp_path / "build.pth", "w") as archive:
        archive.writestr("archive/data.pkl", data)
    with pytest.raises(ValueError, match=r"damaged \(AttributeError: _StandIn is read-only\)"):
        tv.read(tmp_path / "build.pth")
    assert tv.read(tv_file)["features.0.weight"].shape == (64, 3, 11, 11)


def test_tv_preprocess_crop_resize_and_normalisation():
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])  # torchvision's, not the module's
    # A 224x324 image: the centre 224x224 square is one colour, the 50-pixel strips left and right another.
    image = np.zeros((224, 324, 3), np.uint8)
    image[:, :] = (10, 20, 30)
    image[:, 50:274] = (200, 100, 50)
    x = tv.preprocess(image)
    assert x.shape == (1, 224, 224, 3) and x.dtype == np.float32
    np.testing.assert_allclose(x[0], np.broadcast_to((np.array([200, 100, 50]) / 255 - mean) / std, (224, 224, 3)), atol=1e-5)
    # Resizing a constant image keeps it constant; channels stay in RGB order.
    big = np.broadcast_to(np.array([0.25, 0.5, 1.0], np.float32), (2, 500, 400, 3))
    np.testing.assert_allclose(tv.preprocess(big), np.broadcast_to((np.array([0.25, 0.5, 1.0]) - mean) / std, (2, 224, 224, 3)), atol=1e-5)
    # For a model whose first layer normalizes (input_convention="torchvision"): cropped and resized only.
    np.testing.assert_allclose(tv.preprocess(image, normalize=False)[0], np.broadcast_to(np.array([200, 100, 50]) / 255, (224, 224, 3)), atol=1e-6)


def test_tv_port_into_model_with_input_layer(tv_file, tv_weights):
    model = tv.port(tv_model(input_convention="torchvision"), tv.read(tv_file))
    images = np.random.default_rng(3).uniform(size=(1, 224, 224, 3)).astype(np.float32)
    _, expected = tv_reference(tv.preprocess(images).transpose(0, 3, 1, 2), tv_weights)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(tv.preprocess(images, normalize=False))), expected, atol=1e-4)


def test_tv_conventions_documented():
    for key in ("conv kernels", "dense kernels", "fc6 input order", "conv1 padding", "AdaptiveAvgPool2d((6, 6))", "dropout"):
        assert key in tv.SOURCE_CONVENTIONS
    assert "restricted unpickler" in tv.__doc__


# ---------------------------------------------------------------- the error matrix: each a one-line message


TV_CASES = [
    pytest.param(lambda f, w, m: tv.read(123), TypeError, r"path must be the path of a torchvision \.pth file.*Received: path=123", id="tv-path-type"),
    pytest.param(lambda f, w, m: tv.read(f["missing"]), FileNotFoundError, r"No such weights file: check the path.*Received: path=", id="tv-missing-file"),
    pytest.param(lambda f, w, m: tv.read(f["folder"]), IsADirectoryError, r"is a folder: pass the \.pth file", id="tv-folder"),
    pytest.param(lambda f, w, m: tv.read(f["garbage"]), ValueError, r"not a PyTorch weights file.*pass torchvision's alexnet-owt-7be5be79\.pth", id="tv-garbage"),
    pytest.param(lambda f, w, m: tv.read(f["legacy"]), ValueError, r"legacy \(pre-1\.6, non-zip\) torch\.save format.*torch\.save\(torch\.load\('old\.pth'\), 'new\.pth'\)", id="tv-legacy"),
    pytest.param(lambda f, w, m: tv.read(f["truncated"]), ValueError, r"truncated or damaged zip.*download the file again", id="tv-truncated"),
    pytest.param(lambda f, w, m: tv.read(f["damaged"]), ValueError, r"truncated or damaged \(BadZipFile: Bad CRC.*download the file again", id="tv-damaged"),
    pytest.param(lambda f, w, m: tv.read(f["other_zip"]), ValueError, r"is a zip but not a torch\.save file.*torch\.save\(model\.state_dict\(\)", id="tv-other-zip"),
    pytest.param(lambda f, w, m: tv.read(f["system"]), ValueError, r"asks for posix\.system.*not a plain PyTorch state dict; save the model's state dict", id="tv-os-system"),
    pytest.param(lambda f, w, m: tv.read(f["eval"]), ValueError, r"asks for builtins\.exec.*not a plain PyTorch state dict", id="tv-builtins-exec"),
    pytest.param(lambda f, w, m: tv.read(f["model"]), ValueError, r"asks for torchvision\.models\.alexnet\.AlexNet.*torch\.save\(model\.state_dict\(\)", id="tv-whole-model"),
    pytest.param(lambda f, w, m: tv.read(f["checkpoint"]), ValueError, r"not tensors, e\.g\. 'state_dict': OrderedDict \(a training checkpoint\?.*torch\.save\(model\.state_dict", id="tv-checkpoint"),
    pytest.param(lambda f, w, m: tv.read(f["list"]), ValueError, r"holds a list, not a state dict of tensors: save the model's state dict", id="tv-list"),
    pytest.param(lambda f, w, m: tv.read(f["short"]), ValueError, r"truncated or damaged \(UnpicklingError: storage archive/data/0 holds 16 bytes, expected 40 \(10 elements of 4 bytes\)\).*download", id="tv-short-storage"),
    pytest.param(lambda f, w, m: tv.read(f["past_end"]), ValueError, r"damaged .*reaches past the end of storage '0'.*download the file again", id="tv-past-end"),
    pytest.param(lambda f, w, m: tv.read(f["repeat"]), ValueError, r"damaged .*size \(1000000,\) repeats elements of the 10-element storage.*download the file again", id="tv-repeat"),
    pytest.param(lambda f, w, m: tv.read(f["no_storage"]), ValueError, r"damaged .*storage archive/data/0 is missing.*download the file again", id="tv-no-storage"),
    pytest.param(lambda f, w, m: tv.port(m, tv_without(w, "features.3.weight")), ValueError, r"no tensor 'features\.3\.weight' \(1 of 16 missing\).*pass read\(\) of alexnet-owt", id="tv-missing-tensor"),
    pytest.param(lambda f, w, m: tv.port(m, dict(w, **{"features.3.weight": w["features.3.weight"].transpose(1, 0, 2, 3)})), ValueError,
                 r"features\.3\.weight \(for conv2\) has shape \(64, 192, 5, 5\), but the model needs \(192, 64, 5, 5\) in PyTorch's \(out, in, h, w\) layout: pass the state dict as read\(\) returns it", id="tv-transposed"),
    pytest.param(lambda f, w, m: tv.port(tv_model(fc_units=32), w), ValueError,
                 r"classifier\.1\.weight \(for fc6\) has shape \(16, 9216\), but the model needs \(32, 9216\) in PyTorch's \(out, in\) layout: build the model with fc_units and num_classes matching the file", id="tv-fc-units"),
    pytest.param(lambda f, w, m: tv.port(m, dict(w, extra=w["features.0.bias"])), ValueError, r"does not have, e\.g\. 'extra'.*pass read\(\) of", id="tv-unexpected"),
    pytest.param(lambda f, w, m: tv.port(m, dict(w, **{"features.0.bias": np.full(64, np.nan, np.float32)})), ValueError, r"features\.0\.bias.*NaN.*download it again", id="tv-nan"),
    pytest.param(lambda f, w, m: tv.port(m, dict(w, **{"features.0.bias": list(range(64))})), TypeError, r"must be a NumPy array of numbers as returned by read\(path\)", id="tv-list-tensor"),
    pytest.param(lambda f, w, m: tv.port(build_alexnet("paper", width=0.125), w), ValueError, r"has no layer 'pad1'.*build_alexnet\('torchvision'\)", id="tv-paper-model"),
    pytest.param(lambda f, w, m: tv.port(tv_model(input_shape=(256, 256, 3)), w), ValueError,
                 r"7x7 pool5.*AdaptiveAvgPool2d\(\(6, 6\)\) is the identity.*input_shape=\(224, 224, 3\).*Received: input_shape=\(256, 256, 3\)", id="tv-input-size"),
    pytest.param(lambda f, w, m: tv.port(tv_model(activation="tanh"), w), ValueError, r"differs from torchvision's AlexNet.*conv1 activation 'tanh' \(torchvision: relu\).*and 4 more: build it with build_alexnet\('torchvision'\)", id="tv-tanh"),
    pytest.param(lambda f, w, m: tv.port(tv_model(pooling="plain", input_shape=(224, 224, 3)), w), ValueError, r"pool1 pool \(2, 2\).*torchvision: 3/2.*build it with", id="tv-plain-pool"),
    pytest.param(lambda f, w, m: tv.port(tv_model(normalization="lrn", normalized=("conv3", "conv5")), w), ValueError,
                 r"differs from torchvision's AlexNet.*norm3 \(torchvision has no normalization\); norm5", id="tv-lrn-after-conv3"),
    pytest.param(lambda f, w, m: tv.port(tv_model(normalization="batchnorm", normalized=("conv4",)), w), ValueError,
                 r"norm4 \(torchvision has no normalization\)", id="tv-batchnorm-after-conv4"),
    pytest.param(lambda f, w, m: tv.port(tv_model(input_convention="caffe"), w), ValueError,
                 r"input layer 'preprocess' applies the 'caffe' convention \(torchvision: \(x - mean\) / std\): build it with", id="tv-caffe-input"),
    pytest.param(lambda f, w, m: tv.preprocess(np.zeros((8, 8, 3)), normalize="yes"), TypeError, r"normalize must be True or False\. Received: normalize='yes'", id="tv-normalize-type"),
    pytest.param(lambda f, w, m: tv.port("alexnet", w), TypeError, r"model must be a Keras model built with build_alexnet\('torchvision'\)\. Received: model=str", id="tv-model-type"),
    pytest.param(lambda f, w, m: tv.port(m, str(f["good"])), TypeError, r"weights must be the dict of tensors returned by read\(path\)\. Received: weights=str", id="tv-weights-path"),
    pytest.param(lambda f, w, m: tv.preprocess(np.zeros((1, 3, 64, 64), np.float32)), ValueError, r"must have 3 channels last.*np\.moveaxis", id="tv-channels-first"),
    pytest.param(lambda f, w, m: tv.preprocess(np.full((8, 8, 3), 200.0, np.float32)), ValueError, r"must be in \[0, 1\]: divide by 255", id="tv-0-255-floats"),
]


@pytest.mark.parametrize("call, error, pattern", TV_CASES)
def test_tv_errors(call, error, pattern, tv_files, tv_weights, tv_built):
    with pytest.raises(error) as info:
        call(tv_files, tv_weights, tv_built)
    message = str(info.value)
    assert re.search(pattern, message), message
    assert "\n" not in message
