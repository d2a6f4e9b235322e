"""Caffe's BVLC AlexNet: the .caffemodel reader, the port into the kit's AlexNet, and the preprocessing.

No network here: the tests write .caffemodel files themselves with a small
protobuf wire-format encoder, in both layouts Caffe used (the new `layer`
messages with `shape`, and the 2014 V1 `layers` with the legacy 4-D
num/channels/height/width; packed and non-packed floats), with the real layer
names and conv shapes and smaller fc layers. The kit's model, after `port`,
must agree with a NumPy forward pass written in Caffe's own layout and
conventions (NCHW, grouped convolutions, Caffe's LRN, ceil-mode max pooling,
channels-first flatten).
"""

import math
import re
import types

import keras
import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from alexnet_edu import build_alexnet
from alexnet_edu.layers import ImageNetInput
from alexnet_edu.pretrained import caffe

CAFFE_FC = dict(fc_units=16, num_classes=10)
CAFFE_KNOBS = dict(lrn_k=1.0, lrn_convention="caffe", precision="float32", **CAFFE_FC)
# Real conv shapes (Caffe's group 2 halves the inputs of conv2, conv4, conv5), reduced fc sizes.
CAFFE_SHAPES = {
    "conv1": (96, 3, 11, 11),
    "conv2": (256, 48, 5, 5),
    "conv3": (384, 256, 3, 3),
    "conv4": (384, 192, 3, 3),
    "conv5": (256, 192, 3, 3),
    "fc6": (16, 9216),
    "fc7": (16, 16),
    "fc8": (10, 16),
}
# (name, new-format type, V1 enum, group, stride, pad) in the order of BVLC's train_val.prototxt.
CAFFE_LAYERS = [
    ("data", "Data", 5),
    ("conv1", "Convolution", 4),
    ("relu1", "ReLU", 18),
    ("norm1", "LRN", 15),
    ("pool1", "Pooling", 17),
    ("conv2", "Convolution", 4),
    ("relu2", "ReLU", 18),
    ("norm2", "LRN", 15),
    ("pool2", "Pooling", 17),
    ("conv3", "Convolution", 4),
    ("relu3", "ReLU", 18),
    ("conv4", "Convolution", 4),
    ("relu4", "ReLU", 18),
    ("conv5", "Convolution", 4),
    ("relu5", "ReLU", 18),
    ("pool5", "Pooling", 17),
    ("fc6", "InnerProduct", 14),
    ("relu6", "ReLU", 18),
    ("drop6", "Dropout", 6),
    ("fc7", "InnerProduct", 14),
    ("relu7", "ReLU", 18),
    ("drop7", "Dropout", 6),
    ("fc8", "InnerProduct", 14),
    ("loss", "SoftmaxWithLoss", 21),
]
CAFFE_CONV = {"conv1": (1, 4, 0), "conv2": (2, 1, 2), "conv3": (1, 1, 1), "conv4": (2, 1, 1), "conv5": (2, 1, 1)}


# --- A protobuf wire-format encoder (the test's own, independent of the reader) ---


def caffe_varint(value):
    value &= (1 << 64) - 1  # negative int32/int64 are written as 64-bit two's complement
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def caffe_key(number, wire):
    return caffe_varint(number << 3 | wire)


def caffe_int(number, value):
    return caffe_key(number, 0) + caffe_varint(value)


def caffe_message(number, payload):
    return caffe_key(number, 2) + caffe_varint(len(payload)) + payload


def caffe_string(number, text):
    return caffe_message(number, text.encode())


def caffe_floats(number, values, packed):
    values = np.asarray(values, "<f4").ravel()
    if packed:
        return caffe_message(number, values.tobytes())
    records = np.empty(values.size, np.dtype([("tag", "u1"), ("value", "<f4")]))
    records["tag"], records["value"] = number << 3 | 5, values
    return records.tobytes()


def caffe_blob_new(array, packed=True, packed_dims=True, split=False):
    """BlobProto with `shape` (field 7); `split` writes the data as two repeated fields, which must concatenate."""
    dims = b"".join(caffe_varint(dim) for dim in array.shape)
    shape = caffe_message(1, dims) if packed_dims else b"".join(caffe_int(1, dim) for dim in array.shape)
    flat = array.ravel()
    if split:
        half = flat.size // 2
        data = caffe_floats(5, flat[:half], packed) + caffe_floats(5, flat[half:], not packed)
    else:
        data = caffe_floats(5, flat, packed)
    diff = caffe_floats(6, np.zeros(3), packed)  # a stray diff, to be ignored
    return caffe_message(7, shape) + data + diff


def caffe_blob_v1(array, packed=True):
    """BlobProto with the legacy 4-D num/channels/height/width (fields 1-4): (1, 1, out, in), (1, 1, 1, n)."""
    legacy = (1,) * (4 - array.ndim) + array.shape
    return b"".join(caffe_int(number, dim) for number, dim in zip((1, 2, 3, 4), legacy)) + caffe_floats(
        5, array, packed
    )


def caffe_net(blobs, layout="new", layers=CAFFE_LAYERS, packed=True):
    """A NetParameter with every layer of `layers`; `blobs` maps a layer name to its (weight, bias)."""
    out = caffe_string(1, "AlexNet")
    for index, (name, kind, v1_type) in enumerate(layers):
        arrays = blobs.get(name, ())
        if layout == "new":
            payload = caffe_string(1, name) + caffe_string(2, kind) + caffe_string(3, "bottom") + caffe_string(4, name)
            payload += caffe_message(106, caffe_int(1, 7))  # convolution_param { num_output }: to be skipped
            for number, array in enumerate(arrays):
                payload += caffe_message(7, caffe_blob_new(array, packed, packed_dims=index % 2 == 0, split=number == 0))
            out += caffe_message(100, payload)
        else:
            payload = caffe_string(2, "bottom") + caffe_string(3, name) + caffe_string(4, name) + caffe_int(5, v1_type)
            payload += caffe_message(10, caffe_int(1, 7))  # convolution_param
            for array in arrays:
                # Alternate packed and non-packed floats from layer to layer.
                payload += caffe_message(6, caffe_blob_v1(array, packed=packed and index % 2 == 0))
            out += caffe_message(2, payload)
    return out


def caffe_write(path, content):
    path.write_bytes(content)
    return path


# --- A NumPy forward pass in Caffe's layout and conventions ---


def caffe_conv(x, weight, bias, group, stride, pad):
    """NCHW convolution, weights (out, in/group, h, w); group g's filters see group g's input channels."""
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(x, weight.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    outputs, inputs = weight.shape[0] // group, weight.shape[1]
    parts = [
        np.einsum("ncijkl,ockl->noij", windows[:, g * inputs : (g + 1) * inputs], weight[g * outputs : (g + 1) * outputs], optimize=True)
        for g in range(group)
    ]
    return np.concatenate(parts, axis=1) + bias[None, :, None, None]


def caffe_lrn(x, local_size=5, alpha=1e-4, beta=0.75, k=1.0):
    """Caffe's LRN across channels: scale = k + alpha/n * sum of x^2 over the window (clipped at the edges)."""
    channels, half = x.shape[1], local_size // 2
    squares = np.zeros_like(x)
    for c in range(channels):
        squares[:, c] = (x[:, max(0, c - half) : min(channels, c + half + 1)] ** 2).sum(axis=1)
    return x * (k + alpha / local_size * squares) ** -beta


def caffe_pooled_size(size, kernel=3, stride=2):
    return int(math.ceil((size - kernel) / stride)) + 1  # Caffe rounds up


def caffe_max_pool(x, kernel=3, stride=2):
    """Caffe's max pooling: ceil-mode output size, the last window clipped at the edge."""
    n, c, height, width = x.shape
    out = np.empty((n, c, caffe_pooled_size(height), caffe_pooled_size(width)))
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            rows, cols = slice(i * stride, min(i * stride + kernel, height)), slice(j * stride, min(j * stride + kernel, width))
            out[:, :, i, j] = x[:, :, rows, cols].max(axis=(2, 3))
    return out


def caffe_forward(blobs, inputs, lrn=True):
    """Caffe's AlexNet on a preprocessed NHWC BGR batch; returns fc7 and fc8's logits and probabilities."""
    relu = lambda v: np.maximum(v, 0)  # noqa: E731
    x = np.transpose(inputs, (0, 3, 1, 2)).astype(np.float64)  # Caffe's input blob is NCHW
    for name in ("conv1", "conv2", "conv3", "conv4", "conv5"):
        x = relu(caffe_conv(x, *blobs[name], *CAFFE_CONV[name]))
        if name in ("conv1", "conv2"):
            x = caffe_max_pool(caffe_lrn(x) if lrn else x)
        elif name == "conv5":
            x = caffe_max_pool(x)
    x = x.reshape(len(x), -1)  # channels-first flatten: c*36 + h*6 + w
    fc7 = relu(relu(x @ blobs["fc6"][0].T + blobs["fc6"][1]) @ blobs["fc7"][0].T + blobs["fc7"][1])
    logits = fc7 @ blobs["fc8"][0].T + blobs["fc8"][1]
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return types.SimpleNamespace(fc7=fc7, logits=logits, probabilities=exp / exp.sum(axis=1, keepdims=True))


def caffe_random_blobs(rng, inputs):
    """Random weights whose activations keep a 0-255 scale, so that Caffe's LRN changes them by tens of percent."""
    blobs = {}
    for name, shape in CAFFE_SHAPES.items():
        fan_in = math.prod(shape[1:])
        scale = 0.07 if name == "conv1" else math.sqrt(2 / fan_in)
        blobs[name] = (
            (rng.standard_normal(shape) * scale).astype(np.float32),
            rng.standard_normal(shape[0]).astype(np.float32),
        )
    # fc8 scaled so that the probabilities are far from one-hot and a wrong port shows in them.
    spread = caffe_forward(blobs, inputs).fc7.std()
    blobs["fc8"] = ((blobs["fc8"][0] * 0.7 / spread).astype(np.float32), (blobs["fc8"][1] * 0.3).astype(np.float32))
    return blobs


def caffe_flat(blobs):
    return {f"{name}/{part}": array for name, pair in blobs.items() for part, array in zip(("weight", "bias"), pair)}


def caffe_model(**knobs):
    return build_alexnet("paper", **{**CAFFE_KNOBS, **knobs})


def caffe_predict(model, inputs, layer="fc8"):
    return np.asarray(keras.Model(model.input, model.get_layer(layer).output)(inputs, training=False), np.float64)


@pytest.fixture(scope="module")
def caffe_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("caffe")
    rng = np.random.default_rng(15)
    images = rng.uniform(0, 1, (2, 240, 260, 3)).astype(np.float32)  # not square: crop + resize
    inputs = caffe.preprocess(images)
    new, v1 = caffe_random_blobs(rng, inputs), caffe_random_blobs(rng, inputs)
    return types.SimpleNamespace(
        root=root,
        images=images,
        inputs=inputs,
        new=new,
        v1=v1,
        reference={"new": caffe_forward(new, inputs), "v1": caffe_forward(v1, inputs)},
        new_path=caffe_write(root / "new.caffemodel", caffe_net(new, "new")),
        v1_path=caffe_write(root / "v1.caffemodel", caffe_net(v1, "v1")),
        model=caffe_model(),
    )


def caffe_variant(env, name, blobs=None, layers=CAFFE_LAYERS, layout="new"):
    return caffe_write(env.root / f"{name}.caffemodel", caffe_net(env.new if blobs is None else blobs, layout, layers))


def caffe_without(env, layer):
    return caffe.read(caffe_variant(env, f"no_{layer}", layers=[item for item in CAFFE_LAYERS if item[0] != layer]))


def caffe_bad_blob(env, name, blob):
    """A file whose conv3 weight is replaced by a hand-made BlobProto."""
    content = caffe_string(1, "AlexNet") + caffe_message(
        100, caffe_string(1, "conv3") + caffe_string(2, "Convolution") + caffe_message(7, blob)
    )
    return caffe.read(caffe_write(env.root / f"{name}.caffemodel", content))


def caffe_caffenet(env):
    """CaffeNet: the same blob names and shapes as AlexNet, but pool1 before norm1 and pool2 before norm2."""
    order = {name: index for index, (name, _, _) in enumerate(CAFFE_LAYERS)}
    swapped = sorted(CAFFE_LAYERS, key=lambda item: order[item[0]] + (1.5 if item[0] in ("norm1", "norm2") else 0))
    return caffe.read(caffe_variant(env, "caffenet", layers=swapped, layout="v1"))


def caffe_refused(**knobs):
    """port() on a model that differs from Caffe's AlexNet; the model check comes before any weight is read."""
    return caffe.port(caffe_model(**knobs), {})


CASES = [
    # read(): paths
    pytest.param(lambda env: caffe.read(None), TypeError, r"path must be the path of a \.caffemodel file.*Received: path=None", id="caffe-path-none"),
    pytest.param(lambda env: caffe.read(3), TypeError, r"path must be the path of a \.caffemodel file \(a string or pathlib\.Path\)\. Received: path=3", id="caffe-path-int"),
    pytest.param(lambda env: caffe.read(env.root / "missing.caffemodel"), FileNotFoundError, r"No Caffe weights at '.*missing\.caffemodel': check the path or download http://dl\.caffe\.berkeleyvision\.org/bvlc_alexnet\.caffemodel", id="caffe-missing-file"),
    pytest.param(lambda env: caffe.read(env.root), IsADirectoryError, r"is a folder: pass the \.caffemodel file inside it", id="caffe-folder"),
    # read(): files that are not (whole) caffemodels
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "empty.caffemodel", b"")), ValueError, r"Cannot read '.*empty\.caffemodel' as Caffe weights.*the file is empty; download it again \(http://dl\.caffe\.berkeleyvision\.org/bvlc_alexnet\.caffemodel, 233 MiB, SHA-1 9116a64c", id="caffe-empty"),
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "cut.caffemodel", env.new_path.read_bytes()[:3_000_000])), ValueError, r"Cannot read '.*cut\.caffemodel' as Caffe weights \(a binary \.caffemodel\): it is truncated or damaged \(field 100 at byte \d+ needs \d+ bytes but its message ends at byte 3000000\); download it again", id="caffe-truncated"),
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "garbage.caffemodel", np.random.default_rng(0).bytes(5000))), ValueError, r"Cannot read '.*garbage\.caffemodel' as Caffe weights.*: it is truncated or damaged \(.+\); download it again", id="caffe-garbage"),
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "ff.caffemodel", b"\xff" * 64)), ValueError, r"truncated or damaged \(a number longer than 10 bytes ends at byte 10\); download it again", id="caffe-endless-varint"),
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "deploy.caffemodel", b'name: "AlexNet"\nlayer {\n  name: "data"\n}\n')), ValueError, r"it is not a binary protobuf NetParameter; download it again.* It looks like a text \.prototxt, the network definition without weights: pass the binary \.caffemodel", id="caffe-prototxt"),
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "alexnet.caffemodel", b"\x93NUMPY\x01\x00" + b"v" * 60)), ValueError, r"not a binary protobuf NetParameter.* It is a NumPy \.npy file \(such as the pickled bvlc_alexnet\.npy\): the kit reads the \.caffemodel", id="caffe-npy"),
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "named.caffemodel", caffe_string(1, "AlexNet"))), ValueError, r"it holds no layers with weights; download it again", id="caffe-no-weights"),
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "intname.caffemodel", caffe_message(100, caffe_int(1, 5)))), ValueError, r"truncated or damaged \(layer field 1 has wire type 0, not 2\); download it again", id="caffe-wrong-wire-type"),
    pytest.param(lambda env: caffe.read(caffe_write(env.root / "twice.caffemodel", caffe_net({"conv1": env.new["conv1"]}, layers=[CAFFE_LAYERS[1]] * 2))), ValueError, r"truncated or damaged \(two layers with weights are both named 'conv1'\)", id="caffe-duplicate-layer"),
    # read(): blobs that do not fit their shape
    pytest.param(lambda env: caffe_bad_blob(env, "short", caffe_blob_new(np.zeros((384, 256, 3, 3), np.float32))[:-40]), ValueError, r"truncated or damaged", id="caffe-cut-blob"),
    pytest.param(lambda env: caffe_bad_blob(env, "length", caffe_message(7, caffe_message(1, caffe_varint(384) + caffe_varint(256) + caffe_varint(3) + caffe_varint(3))) + caffe_floats(5, np.zeros(1000), True)), ValueError, r"truncated or damaged \(blob conv3/weight holds 1000 values but its shape \(384, 256, 3, 3\) needs 884736\); download it again", id="caffe-data-length"),
    pytest.param(lambda env: caffe_bad_blob(env, "legacy", b"".join(caffe_int(n, d) for n, d in zip((1, 2, 3, 4), (384, 256, 3, 3))) + caffe_floats(5, np.zeros(7), False)), ValueError, r"blob conv3/weight holds 7 values but its shape \(384, 256, 3, 3\) needs 884736", id="caffe-legacy-data-length"),
    pytest.param(lambda env: caffe_bad_blob(env, "shapeless", caffe_floats(5, np.zeros(9), True)), ValueError, r"truncated or damaged \(blob conv3/weight has no shape\)", id="caffe-no-shape"),
    pytest.param(lambda env: caffe_bad_blob(env, "negative", caffe_message(7, caffe_int(1, -3)) + caffe_floats(5, np.zeros(3), True)), ValueError, r"blob conv3/weight has an impossible shape \(-3,\)", id="caffe-negative-dim"),
    pytest.param(lambda env: caffe_bad_blob(env, "odd", caffe_message(7, caffe_message(1, caffe_varint(2))) + caffe_message(5, b"\x00" * 7)), ValueError, r"packed field 5 has 7 bytes, not a multiple of 4", id="caffe-packed-odd"),
    # port(): models that would compute something else than Caffe's AlexNet
    pytest.param(lambda env: caffe.port("alexnet", {}), TypeError, r"model must be a Keras model built with build_alexnet\('paper', lrn_k=1\.0, lrn_convention='caffe'\)\. Received: model=str", id="caffe-model-str"),
    pytest.param(lambda env: caffe.port(env.model, [1, 2]), TypeError, r"weights must be the dict from read\('bvlc_alexnet\.caffemodel'\)\. Received: weights=list", id="caffe-weights-list"),
    pytest.param(lambda env: caffe_refused(lrn_k=2.0), ValueError, r"Caffe's AlexNet uses Caffe's LRN \(k=1, alpha=1e-4 divided by n=5, beta=0\.75\), but the model's norm1 differs: build the model with build_alexnet\('paper', lrn_k=1\.0, lrn_convention='caffe'\)\. Received: n=5, k=2\.0, alpha=0\.0001, beta=0\.75, convention='caffe'", id="caffe-lrn-k"),
    pytest.param(lambda env: caffe_refused(lrn_convention="paper"), ValueError, r"Caffe's LRN.*but the model's norm1 differs: build the model with build_alexnet\('paper', lrn_k=1\.0, lrn_convention='caffe'\)\. Received: .*convention='paper'", id="caffe-lrn-convention"),
    pytest.param(lambda env: caffe_refused(lrn_alpha=2e-5), ValueError, r"Caffe's LRN.*differs: build the model with .*Received: n=5, k=1\.0, alpha=2e-05", id="caffe-lrn-alpha"),
    pytest.param(lambda env: caffe_refused(normalization="batchnorm"), ValueError, r"Caffe's AlexNet normalizes with LRN, but the model's norm1 is BatchNormalization: build the model with build_alexnet\('paper'", id="caffe-batchnorm"),
    pytest.param(lambda env: caffe_refused(normalization="none"), ValueError, r"The model's layers differ from Caffe's BVLC AlexNet \(missing norm1, norm2\): build the model with build_alexnet\('paper'.*Received: layers=conv1, pool1, conv2", id="caffe-no-lrn"),
    pytest.param(lambda env: caffe_refused(remove="conv3"), ValueError, r"layers differ from Caffe's BVLC AlexNet \(missing conv3\): build the model with", id="caffe-model-without-conv3"),
    pytest.param(lambda env: caffe_refused(conv1_padding=2), ValueError, r"layers differ from Caffe's BVLC AlexNet \(extra pad1\): build the model with", id="caffe-padded-conv1"),
    pytest.param(lambda env: caffe_refused(pooling="plain"), ValueError, r"Caffe's AlexNet max-pools 3x3 windows with stride 2 \(pooling='overlapping'\), but the model's pool1 does not: build the model with .*Received: pool1=MaxPooling2D\(pool_size=\(2, 2\)", id="caffe-plain-pooling"),
    pytest.param(lambda env: caffe_refused(input_shape=(224, 224, 3)), ValueError, r"Caffe's AlexNet takes 227x227x3 images \(its fc6 sees pool5's 6x6x256\): build the model with .*Received: input_shape=\(224, 224, 3\)", id="caffe-input-224"),
    pytest.param(lambda env: caffe_refused(activation="tanh"), ValueError, r"The model's conv1 differs from Caffe's AlexNet \(expected activation='relu', strides=\(4, 4\), padding='valid'\): build the model with .*Received: activation='tanh'", id="caffe-tanh"),
    pytest.param(lambda env: caffe_refused(conv1_stride=2, input_shape=(227, 227, 3)), ValueError, r"The model's conv1 differs.*Received: activation='relu', strides=\(2, 2\)", id="caffe-conv1-stride"),
    pytest.param(lambda env: caffe_refused(input_convention="torchvision"), ValueError, r"The model's preprocess layer does not apply Caffe's input convention \(BGR, 0-255, minus the mean\): build the model with .*Received: preprocess=ImageNetInput\(convention='torchvision'\)", id="caffe-torchvision-input"),
    # port(): weights that do not fit the model
    pytest.param(lambda env: caffe.port(caffe_model(groups=1), caffe.read(env.new_path)), ValueError, r"Weight 'conv2/weight' has shape \(256, 48, 5, 5\) but the model's conv2 needs \(256, 96, 5, 5\): build the model with build_alexnet\('paper', lrn_k=1\.0, lrn_convention='caffe'\)", id="caffe-one-tower"),
    pytest.param(lambda env: caffe.port(env.model, caffe_without(env, "conv3")), ValueError, r"The weights have no 'conv3/weight' for the model's conv3, expected shape \(384, 256, 3, 3\): pass read\('bvlc_alexnet\.caffemodel'\) \(a truncated or other file lacks it\)", id="caffe-no-conv3"),
    pytest.param(lambda env: caffe.port(env.model, {**caffe_flat(env.new), "fc6/weight": np.zeros((16, 9000), np.float32)}), ValueError, r"Weight 'fc6/weight' has shape \(16, 9000\) but the model's fc6 needs \(16, 9216\): build the model with .*Received: shape \(16, 9000\)", id="caffe-fc6-shape"),
    pytest.param(lambda env: caffe.port(caffe_model(num_classes=1000), caffe.read(env.new_path)), ValueError, r"Weight 'fc8/weight' has shape \(10, 16\) but the model's fc8 needs \(1000, 16\)", id="caffe-fc8-classes"),
    pytest.param(lambda env: caffe.port(env.model, {**caffe_flat(env.new), "conv4/bias": np.full(384, np.nan, np.float32)}), ValueError, r"Weight 'conv4/bias' holds 384 NaN or infinite values: the file is damaged, download it again \(SHA-1 9116a64c", id="caffe-nan-weights"),
    pytest.param(lambda env: caffe.port(env.model, {**caffe_flat(env.new), "conv4/bias": np.array(["x"] * 384)}), TypeError, r"Weight 'conv4/bias' must hold numbers: pass read\('bvlc_alexnet\.caffemodel'\)\. Received: dtype <U1", id="caffe-string-weights"),
    pytest.param(lambda env: caffe.port(env.model, caffe_caffenet(env)), ValueError, r"another order than BVLC AlexNet's \(conv1, norm1, pool1, \.\.\.\), e\.g\. CaffeNet, which pools before it normalizes: port only bvlc_alexnet\.caffemodel\. Received: conv1, pool1, norm1, conv2, pool2, norm2", id="caffe-caffenet"),
    # preprocess(): the kit's image contract
    pytest.param(lambda env: caffe.preprocess(np.full((8, 8, 3), 200.0, np.float32)), ValueError, r"images ranges from 200 to 200 \(float32\) but must be in \[0, 1\]: divide by 255", id="caffe-preprocess-0-255"),
    pytest.param(lambda env: caffe.preprocess(np.zeros((1, 3, 40, 40), np.float32)), ValueError, r"images must have 3 channels last.*np\.moveaxis", id="caffe-preprocess-channels-first"),
]


@pytest.mark.parametrize(("call", "error", "pattern"), CASES)
def test_caffe_bad_input_gets_one_clear_line(caffe_env, call, error, pattern):
    with pytest.raises(error) as raised:
        call(caffe_env)
    message = str(raised.value)
    assert re.search(pattern, message), message
    assert "\n" not in message


@pytest.mark.parametrize("layout", ["new", "v1"])
def test_caffe_read_gives_the_blobs_in_caffes_layout(caffe_env, layout):
    blobs = getattr(caffe_env, layout)
    weights = caffe.read(getattr(caffe_env, f"{layout}_path"))
    assert list(weights) == list(caffe_flat(blobs))  # file order, only layers with blobs
    for key, array in caffe_flat(blobs).items():
        # The legacy (1, 1, out, in) and (1, 1, 1, n) of the V1 file are back to (out, in) and (n,).
        assert weights[key].shape == array.shape and weights[key].dtype == np.float32, key
        np.testing.assert_array_equal(weights[key], array)
        assert weights[key].flags.writeable and weights[key].flags.aligned
    assert weights.layers[:5] == (("data", "Data"), ("conv1", "Convolution"), ("relu1", "ReLU"), ("norm1", "LRN"), ("pool1", "Pooling"))


def test_caffe_read_takes_double_data_and_the_2013_v0_layers(tmp_path):
    weight = np.arange(6, dtype=np.float64).reshape(2, 3) / 7
    blob = caffe_message(7, caffe_message(1, caffe_varint(2) + caffe_varint(3))) + caffe_message(8, weight.astype("<f8").tobytes())
    v0 = caffe_string(1, "fc9") + caffe_string(2, "innerproduct") + caffe_message(50, blob)
    weights = caffe.read(caffe_write(tmp_path / "v0.caffemodel", caffe_message(2, caffe_message(1, v0))))
    np.testing.assert_allclose(weights["fc9/weight"], weight.astype(np.float32))
    assert weights.layers == (("fc9", "InnerProduct"),)


@pytest.mark.parametrize("layout", ["new", "v1"])
def test_caffe_port_matches_a_numpy_caffe_forward_pass(caffe_env, layout):
    blobs = getattr(caffe_env, layout)
    model = caffe.port(caffe_env.model, caffe.read(getattr(caffe_env, f"{layout}_path")))
    reference = caffe_env.reference[layout]
    probabilities = np.asarray(model.predict(caffe_env.inputs, verbose=0), np.float64)
    fc7 = caffe_predict(model, caffe_env.inputs, "fc7")
    # The logits through the kit's own fc8 kernel and bias: the port of fc8 is checked as well.
    fc8 = model.get_layer("fc8")
    logits = fc7 @ np.asarray(fc8.kernel, np.float64) + np.asarray(fc8.bias, np.float64)
    assert np.abs(probabilities - reference.probabilities).max() < 1e-4
    assert np.abs(logits - reference.logits).max() < 1e-4
    assert np.abs(fc7 - reference.fc7).max() < 1e-4 * max(1.0, np.abs(reference.fc7).max())
    # The comparison can fail: the probabilities are far from one-hot, and without LRN they differ.
    assert reference.probabilities.max() < 0.95
    assert np.abs(caffe_forward(blobs, caffe_env.inputs, lrn=False).probabilities - reference.probabilities).max() > 1e-2


def test_caffe_fc6_rows_are_reordered_from_channels_first(caffe_env):
    weights = caffe.read(caffe_env.new_path)
    model = caffe.port(caffe_env.model, weights)
    kernel = np.asarray(model.get_layer("fc6").kernel)
    caffe_fc6 = weights["fc6/weight"]
    for c, h, w in [(0, 0, 1), (1, 0, 0), (255, 5, 5), (17, 3, 4)]:
        np.testing.assert_array_equal(kernel[h * 6 * 256 + w * 256 + c], caffe_fc6[:, c * 36 + h * 6 + w])
    # Without the reordering the kit's model would compute something else.
    model.get_layer("fc6").kernel.assign(caffe_fc6.T)
    naive = model.predict(caffe_env.inputs, verbose=0)
    assert np.abs(naive - caffe_env.reference["new"].probabilities).max() > 1e-2


def test_caffe_grouped_kernels_keep_caffes_group_order(caffe_env):
    weights = caffe.read(caffe_env.new_path)
    model = caffe.port(caffe_env.model, weights)
    for name, shape in [("conv1", (11, 11, 3, 96)), ("conv2", (5, 5, 48, 256)), ("conv4", (3, 3, 192, 384)), ("conv5", (3, 3, 192, 256))]:
        kernel = np.asarray(model.get_layer(name).kernel)
        assert kernel.shape == shape
        np.testing.assert_array_equal(kernel, weights[f"{name}/weight"].transpose(2, 3, 1, 0))
    # Output 200 of conv2 belongs to the second group: it sees input channels 48-95, through Caffe's blob [200].
    np.testing.assert_array_equal(np.asarray(model.get_layer("conv2").kernel)[1, 2, 5, 200], weights["conv2/weight"][200, 5, 1, 2])


def test_caffe_ceil_pooling_equals_the_kits_floor_pooling_at_227():
    sizes = [(227 - 11) // 4 + 1]
    for _ in range(3):
        ceil, floor = caffe_pooled_size(sizes[-1]), (sizes[-1] - 3) // 2 + 1
        assert ceil == floor
        sizes.append(ceil)
    assert sizes == [55, 27, 13, 6]
    # At 224 they part (conv1 gives 54: Caffe pools to 27, Keras to 26), which is why port() requires 227.
    assert caffe_pooled_size(54) == 27 and (54 - 3) // 2 + 1 == 26
    model = caffe_model()
    assert [tuple(model.get_layer(name).output.shape[1:3]) for name in ("conv1", "pool1", "pool2", "pool5")] == [(55, 55), (27, 27), (13, 13), (6, 6)]


def test_caffe_lrn_layer_is_caffes_formula():
    x = np.random.default_rng(3).uniform(0, 300, (1, 4, 4, 7)).astype(np.float32)
    layer = caffe_model().get_layer("norm1")
    expected = np.transpose(caffe_lrn(np.transpose(x, (0, 3, 1, 2)).astype(np.float64)), (0, 2, 3, 1))
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5)
    assert np.abs(expected - x).max() > 10  # large enough inputs for the normalization to matter


def test_caffe_refused_port_leaves_the_model_unchanged(caffe_env):
    model = caffe_env.model
    before = [np.array(variable) for variable in model.weights]
    with pytest.raises(ValueError, match="fc8/weight"):
        caffe.port(model, {**caffe_flat(caffe_env.v1), "fc8/weight": np.zeros((10, 17), np.float32)})
    for variable, value in zip(model.weights, before):
        np.testing.assert_array_equal(np.asarray(variable), value)


def test_caffe_preprocess_crops_resizes_and_subtracts_the_bgr_mean():
    rng = np.random.default_rng(7)
    square = rng.uniform(0, 1, (227, 227, 3)).astype(np.float32)
    bgr = square[..., ::-1] * 255.0 - np.array([104.0069879317889, 116.66876761696767, 122.6789143406786])
    out = caffe.preprocess(square)
    assert out.shape == (1, 227, 227, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out[0], bgr, atol=1e-3)
    # A wide image: the largest centred square (columns 36-262 of 300) is kept.
    wide = rng.uniform(0, 1, (227, 300, 3)).astype(np.float32)
    np.testing.assert_allclose(caffe.preprocess(wide)[0], caffe.preprocess(wide[:, 36:263])[0], atol=1e-3)
    np.testing.assert_allclose(caffe.preprocess(wide[None])[0, ..., 0], wide[:, 36:263, 2] * 255 - 104.0069879317889, atol=1e-3)
    # uint8 means 0-255, the same as the float image / 255; any size is resized to 227.
    photo = rng.integers(0, 256, (2, 300, 400, 3), dtype=np.uint8)
    np.testing.assert_allclose(caffe.preprocess(photo), caffe.preprocess(photo / np.float32(255)), atol=1e-3)
    assert caffe.preprocess(photo).shape == (2, 227, 227, 3)
    # The same convention as the model's ImageNetInput("caffe") layer on the resized image.
    resized = keras.ops.image.resize(photo.astype(np.float32) / 255, (227, 227), crop_to_aspect_ratio=True)
    np.testing.assert_allclose(caffe.preprocess(photo), np.asarray(ImageNetInput("caffe")(resized)), atol=1e-3)


def test_caffe_source_conventions_name_every_conversion():
    text = " ".join(caffe.SOURCE_CONVENTIONS.values())
    for fragment in ["(out, in, h, w) -> (h, w, in, out)", "(out, in) -> (in, out)", "c*36 + h*6 + w", "lrn_convention='caffe'", "55 -> 27 -> 13 -> 6", "BGR"]:
        assert fragment in text


def test_caffe_port_accepts_a_model_that_preprocesses_itself(caffe_env):
    # build_alexnet(..., input_convention="caffe") starts with ImageNetInput: it takes [0, 1] RGB at 227x227.
    model = caffe.port(caffe_model(lrn_alpha=1e-4, input_convention="caffe"), caffe.read(caffe_env.new_path))
    resized = keras.ops.image.resize(caffe_env.images, (227, 227), crop_to_aspect_ratio=True)
    probabilities = model.predict(resized, verbose=0)
    assert np.abs(probabilities - caffe_env.reference["new"].probabilities).max() < 1e-4
