"""The BVLC AlexNet from Caffe: read `bvlc_alexnet.caffemodel`, port it into the kit's AlexNet.

Why this file: the BVLC weights also circulate as `bvlc_alexnet.npy` (a
pickled dict: loading it runs `numpy.load(..., allow_pickle=True)`, which can
execute code from the file) and as an ONNX export (which needs the `onnx` and
`protobuf` packages). The `.caffemodel` is a binary protobuf `NetParameter`
holding plain float arrays: the small wire-format reader below decodes it
without caffe, without a compiled `caffe.proto`, without the `protobuf`
package and without unpickling anything.

What `port` converts (also in `SOURCE_CONVENTIONS`, for the notebook):

- conv kernels `(out, in, h, w)` -> Keras `(h, w, in, out)`; the grouped conv2,
  conv4 and conv5 (Caffe `group: 2`, blob `(256, 48, 5, 5)`) -> the kit's
  `GroupedConv2D` kernel `(5, 5, 48, 256)`: both give the first half of the
  filters the first half of the input channels.
- inner products `(out, in)` -> Dense `(in, out)`; fc6's rows follow Caffe's
  channels-first pool5 (index `c*36 + h*6 + w`) and are reordered for the
  kit's channels-last Flatten (index `h*6*256 + w*256 + c`).
- LRN: Caffe divides alpha by the window size (`k=1, alpha=1e-4, n=5,
  beta=0.75`); the model must be built with
  `build_alexnet("paper", lrn_k=1.0, lrn_convention="caffe")`, and `port`
  refuses any other normalization.
- max pooling: Caffe rounds the output size up (ceil), Keras down (floor). At
  227x227 both give 55 -> 27 -> 13 -> 6 (every `size - 3` is even), so the
  kit's pooling is exact at that size; `port` requires it.
- input (`preprocess`): the kit's RGB in [0, 1] -> largest centred square crop
  resized to 227x227 -> x255 -> BGR -> minus the BVLC mean per channel. Caffe
  subtracts a 256x256 mean image (`ilsvrc_2012_mean.npy`); its per-channel
  average is the common simplification used here.
"""

import math
import os
import pathlib
from collections.abc import Mapping

import keras
import numpy as np

from alexnet_edu.images import as_images
from alexnet_edu.layers import CAFFE_BGR_MEAN, LocalResponseNormalization

INPUT_SIZE = 227
# BGR order: the ilsvrc_2012_mean image averaged over each channel.
MEAN_BGR = np.array(CAFFE_BGR_MEAN, np.float32)
FILE_NAME = "bvlc_alexnet.caffemodel"
FILE_SHA1 = "9116a64c0fbe4459d18f4bb6b56d647b63920377"
FILE_URL = "http://dl.caffe.berkeleyvision.org/bvlc_alexnet.caffemodel"
BUILD_HINT = "build_alexnet('paper', lrn_k=1.0, lrn_convention='caffe')"
CONV_LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5")
DENSE_LAYERS = ("fc6", "fc7", "fc8")
# BVLC AlexNet's weighted, normalizing and pooling layers in file order (CaffeNet pools before it normalizes).
LAYER_ORDER = (
    ("conv1", "Convolution"), ("norm1", "LRN"), ("pool1", "Pooling"),
    ("conv2", "Convolution"), ("norm2", "LRN"), ("pool2", "Pooling"),
    ("conv3", "Convolution"), ("conv4", "Convolution"), ("conv5", "Convolution"), ("pool5", "Pooling"),
    ("fc6", "InnerProduct"), ("fc7", "InnerProduct"), ("fc8", "InnerProduct"),
)  # fmt: skip
# The kit's layer names in order; preprocess (ImageNetInput) and dropout are optional.
MODEL_LAYERS = (
    "conv1", "norm1", "pool1", "conv2", "norm2", "pool2", "conv3", "conv4", "conv5", "pool5", "flatten", "fc6", "fc7", "fc8",
)  # fmt: skip
OPTIONAL_LAYERS = ("preprocess", "drop6", "drop7")
POOLING = {"pool_size": (3, 3), "strides": (2, 2), "padding": "valid"}
LRN = {"n": 5, "k": 1.0, "alpha": 1e-4, "beta": 0.75, "convention": "caffe"}

SOURCE_CONVENTIONS = {
    "file": "bvlc_alexnet.caffemodel: binary protobuf NetParameter, read without caffe, protobuf or unpickling",
    "names": "conv1/weight, conv1/bias, ..., fc8/bias (layer name / blob 0 or 1)",
    "conv kernel": "(out, in, h, w) -> (h, w, in, out)",
    "grouped conv2/4/5": "Caffe group 2, (256, 48, 5, 5) -> GroupedConv2D (5, 5, 48, 256), same group order",
    "dense kernel": "(out, in) -> (in, out)",
    "fc6 input": "pool5 flattened channels-first (c*36 + h*6 + w) -> channels-last (h*6*256 + w*256 + c)",
    "LRN": "Caffe's: k=1, alpha=1e-4 divided by n=5, beta=0.75 -> lrn_k=1.0, lrn_convention='caffe'",
    "max pooling": "Caffe rounds up, Keras down: the same 55 -> 27 -> 13 -> 6 at 227x227",
    "input": "RGB [0, 1] -> centred square crop -> 227x227 -> x255 -> BGR -> minus mean (104.0, 116.7, 122.7)",
    "mean": "the ilsvrc_2012_mean image averaged per channel (Caffe subtracts the whole 256x256 image)",
    "output": "fc8 softmax probabilities over the 1000 ILSVRC-2012 classes",
}

# V1LayerParameter's type enum (caffe.proto), named as the new format names them.
_V1_TYPES = {
    1: "Accuracy", 3: "Concat", 4: "Convolution", 5: "Data", 6: "Dropout", 8: "Flatten", 12: "ImageData",
    14: "InnerProduct", 15: "LRN", 17: "Pooling", 18: "ReLU", 20: "Softmax", 21: "SoftmaxWithLoss",
    22: "Split", 29: "MemoryData", 24: "WindowData",
}  # fmt: skip
# V0LayerParameter's type strings (before 2014).
_V0_TYPES = {"conv": "Convolution", "innerproduct": "InnerProduct", "lrn": "LRN", "pool": "Pooling", "relu": "ReLU"}
_BLOB_NAMES = ("weight", "bias")
_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5


class _FormatError(Exception):
    """A file that is not a well-formed NetParameter; `read` turns it into a one-line ValueError naming the file."""


class CaffeWeights(dict):
    """The blobs of a `.caffemodel` by name (`"conv1/weight"`), with the file's layer sequence.

    A plain dict of NumPy arrays, plus `layers`: every layer of the file in
    order, as `(name, type)` (weightless ones too), which lets `port` tell
    BVLC AlexNet from CaffeNet: same blob names and shapes, but CaffeNet pools
    before it normalizes.
    """

    def __init__(self, arrays, layers=(), path=None):
        super().__init__(arrays)
        self.layers = tuple(layers)
        self.path = path


def _varint(buf, pos, end):
    result = shift = 0
    while True:
        if pos >= end:
            raise _FormatError(f"a number at byte {pos} runs past the end of its message (byte {end})")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise _FormatError(f"a number longer than 10 bytes ends at byte {pos}")


def _signed(value):
    """int32/int64 varints store negative numbers as 64-bit two's complement."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _field(buf, pos, end):
    """Reads one field: (number, wire type, value, position after it). Bytes and fixed values are (start, end)."""
    tag_pos = pos
    tag, pos = _varint(buf, pos, end)
    number, wire = tag >> 3, tag & 7
    if number == 0:
        raise _FormatError(f"field number 0 at byte {tag_pos}")
    if wire == _VARINT:
        value, pos = _varint(buf, pos, end)
        return number, wire, value, pos
    if wire == _BYTES:
        length, pos = _varint(buf, pos, end)
        size = length
    elif wire in (_FIXED32, _FIXED64):
        size = 4 if wire == _FIXED32 else 8
    else:
        raise _FormatError(f"wire type {wire} (field {number}) at byte {tag_pos}, which Caffe never writes")
    if pos + size > end:
        raise _FormatError(f"field {number} at byte {tag_pos} needs {size} bytes but its message ends at byte {end}")
    return number, wire, (pos, pos + size), pos + size


def _expect(number, wire, wanted, message):
    if wire not in wanted:
        raise _FormatError(f"{message} field {number} has wire type {wire}, not {' or '.join(map(str, wanted))}")


def _run(buf, pos, end, tag_byte, record):
    """How many non-packed records (a one-byte tag + a fixed value) repeat from `pos`, counted with NumPy."""
    count, chunk = 0, 256
    while True:
        n = min(chunk, (end - pos) // record - count)
        if n <= 0:
            return count
        tags = np.frombuffer(buf, np.uint8, count=n * record, offset=pos + count * record)[::record]
        mismatch = np.flatnonzero(tags != tag_byte)
        if mismatch.size:
            return count + int(mismatch[0])
        count, chunk = count + n, chunk * 2


def _numbers(buf, end, number, wire, value, pos, dtype):
    """Values of a repeated fixed-size field, packed or not; returns (array, position after it)."""
    size = np.dtype(dtype).itemsize
    if wire == _BYTES:
        first, last = value
        if (last - first) % size:
            raise _FormatError(f"packed field {number} has {last - first} bytes, not a multiple of {size}")
        return np.frombuffer(buf, dtype, count=(last - first) // size, offset=first), pos
    tag_pos = value[0] - 1  # field numbers below 16 have one-byte tags
    count = _run(buf, tag_pos, end, buf[tag_pos], size + 1)
    records = np.frombuffer(buf, np.dtype([("tag", "u1"), ("value", dtype)]), count=count, offset=tag_pos)
    return records["value"], tag_pos + count * (size + 1)


def _dims(buf, start, end):
    """BlobShape.dim (field 1, int64, packed or not)."""
    dims, pos = [], start
    while pos < end:
        number, wire, value, pos = _field(buf, pos, end)
        if number != 1:
            continue
        _expect(number, wire, (_VARINT, _BYTES), "BlobShape")
        if wire == _VARINT:
            dims.append(_signed(value))
            continue
        at, stop = value
        while at < stop:
            dim, at = _varint(buf, at, stop)
            dims.append(_signed(dim))
    return dims


def _blob(buf, start, end, label, index):
    """One BlobProto as a float32 array shaped like the blob."""
    legacy, shape, floats, doubles, pos = {}, None, [], [], start
    while pos < end:
        number, wire, value, after = _field(buf, pos, end)
        if number in (1, 2, 3, 4):
            _expect(number, wire, (_VARINT,), "BlobProto")
            legacy[number] = _signed(value)
        elif number == 7:
            _expect(number, wire, (_BYTES,), "BlobProto")
            shape = _dims(buf, *value)
        elif number in (5, 6):
            _expect(number, wire, (_BYTES, _FIXED32), "BlobProto")
            values, after = _numbers(buf, end, number, wire, value, after, "<f4")
            if number == 5:
                floats.append(values)
        elif number in (8, 9):
            _expect(number, wire, (_BYTES, _FIXED64), "BlobProto")
            values, after = _numbers(buf, end, number, wire, value, after, "<f8")
            if number == 8:
                doubles.append(values)
        pos = after
    if shape is None:
        if not legacy:
            raise _FormatError(f"blob {label} has no shape")
        shape = [legacy.get(field, 0) for field in (1, 2, 3, 4)]
        # Legacy blobs are 4-D: inner products store (1, 1, out, in) and biases (1, 1, 1, n).
        keep = 1 if index == 1 else 2 if index == 0 else 4
        while len(shape) > keep and shape[0] == 1:
            shape.pop(0)
    if any(dim < 0 or dim >= 1 << 31 for dim in shape):
        raise _FormatError(f"blob {label} has an impossible shape {tuple(shape)}")
    chunks = floats or doubles
    data = np.concatenate(chunks) if len(chunks) > 1 else chunks[0] if chunks else np.zeros(0, np.float32)
    if data.size != math.prod(shape):
        raise _FormatError(f"blob {label} holds {data.size} values but its shape {tuple(shape)} needs {math.prod(shape)}")
    return data.astype(np.float32).reshape(shape)  # a native, aligned, writable copy


def _text(buf, value, what):
    try:
        return bytes(buf[value[0] : value[1]]).decode("utf-8")
    except UnicodeDecodeError:
        raise _FormatError(f"{what} is not UTF-8 text") from None


def _layer(buf, start, end, version):
    """One layer: (name, type, list of (start, end) of its blobs). `version` is "new", "v1" or "v0"."""
    name_field, type_field, blobs_field = {"new": (1, 2, 7), "v1": (4, 5, 6), "v0": (1, 2, 50)}[version]
    name, kind, blobs, wrapped, pos = None, None, [], None, start
    while pos < end:
        number, wire, value, pos = _field(buf, pos, end)
        if number == name_field:
            _expect(number, wire, (_BYTES,), "layer")
            name = _text(buf, value, "a layer name")
        elif number == type_field and version == "v1":
            _expect(number, wire, (_VARINT,), "layer")
            kind = _V1_TYPES.get(value, f"V1 type {value}")
        elif number == type_field:
            _expect(number, wire, (_BYTES,), "layer")
            kind = _text(buf, value, "a layer type")
            kind = _V0_TYPES.get(kind, kind) if version == "v0" else kind
        elif number == blobs_field:
            _expect(number, wire, (_BYTES,), "layer")
            blobs.append(value)
        elif number == 1 and version == "v1":  # a V0 layer wrapped in a V1 one (files from 2013)
            _expect(number, wire, (_BYTES,), "layer")
            wrapped = _layer(buf, *value, "v0")
    if wrapped:
        name, kind, blobs = name or wrapped[0], kind or wrapped[1], blobs or wrapped[2]
    return name, kind, blobs


def _parse(buf):
    """NetParameter: its layers in order, from `layer` (field 100) and the older `layers` (field 2)."""
    layers, pos, end = [], 0, len(buf)
    while pos < end:
        number, wire, value, pos = _field(buf, pos, end)
        if number in (2, 100):
            _expect(number, wire, (_BYTES,), "NetParameter")
            layers.append(_layer(buf, *value, "new" if number == 100 else "v1"))
        elif number == 1:
            _expect(number, wire, (_BYTES,), "NetParameter")
    arrays, names = {}, []
    for position, (name, kind, blobs) in enumerate(layers):
        name = name or f"layer{position}"
        names.append((name, kind))
        if not blobs:
            continue
        if any(key.startswith(f"{name}/") for key in arrays):
            raise _FormatError(f"two layers with weights are both named {name!r}")
        for index, (first, last) in enumerate(blobs):
            label = f"{name}/{_BLOB_NAMES[index] if index < len(_BLOB_NAMES) else index}"
            arrays[label] = _blob(buf, first, last, label, index)
    return arrays, names


def _kind_hint(head):
    if head.startswith(b"\x93NUMPY"):
        return " It is a NumPy .npy file (such as the pickled bvlc_alexnet.npy): the kit reads the .caffemodel."
    if head.startswith(b"PK\x03\x04"):
        return " It is a zip archive (a .keras or PyTorch file?): use the loader of that format."
    if head.startswith(b"\x89HDF"):
        return " It is an HDF5 file (Keras .h5?): load it with keras.models.load_model."
    if head.lstrip()[:6] in (b"name: ", b'name:"', b"layer ", b"layers", b"input:", b"layer{"):
        return " It looks like a text .prototxt, the network definition without weights: pass the binary .caffemodel."
    return ""


def read(path):
    """Reads the blobs of a Caffe `.caffemodel` (binary protobuf `NetParameter`) as NumPy arrays.

    Both layouts are read: the new `layer` messages with `shape`, and the
    older `layers` (V1, which the 2014 BVLC file uses) with the legacy
    4-D num/channels/height/width, where inner products' `(1, 1, out, in)`
    and biases' `(1, 1, 1, n)` become `(out, in)` and `(n,)`.

    Example (needs the downloaded file, so the tests do not run it):

    ```python
    weights = read("bvlc_alexnet.caffemodel")
    weights["conv2/weight"].shape, weights["fc6/weight"].shape  # ((256, 48, 5, 5), (4096, 9216))
    ```

    Args:
        path: A `.caffemodel` file (`~` is expanded).

    Returns:
        A `CaffeWeights` dict: `"<layer>/weight"` and `"<layer>/bias"` float32
        arrays in Caffe's own layout (conv `(out, in, h, w)`, inner product
        `(out, in)`), for every layer that has blobs, in file order; its
        `layers` attribute lists every layer as `(name, type)`.

    Raises:
        TypeError: `path` is not a string or path.
        FileNotFoundError: No file at `path`.
        IsADirectoryError: `path` is a folder.
        ValueError: The file is empty, truncated, not a binary `NetParameter`,
            holds no weights, or a blob whose data does not fill its shape.
    """
    if isinstance(path, (bool, int, float)) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be the path of a .caffemodel file (a string or pathlib.Path). Received: path={path!r}")
    path = pathlib.Path(os.path.expanduser(os.fspath(path)))
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder: pass the .caffemodel file inside it, e.g. {FILE_NAME}.")
    if not path.exists():
        raise FileNotFoundError(
            f"No Caffe weights at {str(path)!r}: check the path or download {FILE_URL} (relative paths start at {os.getcwd()!r})."
        )
    buf = path.read_bytes()
    where = f"Cannot read {str(path)!r} as Caffe weights (a binary .caffemodel)"
    fix = f"download it again ({FILE_URL}, 233 MiB, SHA-1 {FILE_SHA1})"
    if not buf:
        raise ValueError(f"{where}: the file is empty; {fix}.")
    hint = _kind_hint(buf[:64])
    try:
        arrays, layers = _parse(memoryview(buf))
    except _FormatError as error:
        problem = "it is not a binary protobuf NetParameter" if hint else f"it is truncated or damaged ({error})"
        raise ValueError(f"{where}: {problem}; {fix}.{hint}") from None
    if not arrays:
        problem = "it is not a binary protobuf NetParameter" if hint else "it holds no layers with weights"
        raise ValueError(f"{where}: {problem}; {fix}.{hint}")
    return CaffeWeights(arrays, layers, str(path))


def _model_error(problem, received):
    return ValueError(f"{problem}: build the model with {BUILD_HINT}. Received: {received}")


def _check_model(model):
    """Refuses a model that would silently compute something else than Caffe's AlexNet with these weights."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model built with {BUILD_HINT}. Received: model={type(model).__name__}")
    layers = {layer.name: layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)}
    names = [name for name in layers if name not in OPTIONAL_LAYERS]
    if names != list(MODEL_LAYERS):
        missing = [name for name in MODEL_LAYERS if name not in names]
        extra = [name for name in names if name not in MODEL_LAYERS]
        found = f"missing {', '.join(missing)}" if missing else f"extra {', '.join(extra)}" if extra else "another order"
        raise _model_error(
            f"The model's layers differ from Caffe's BVLC AlexNet ({found})",
            f"layers={', '.join(names)}",
        )
    if tuple(model.input_shape[1:]) != (INPUT_SIZE, INPUT_SIZE, 3):
        raise _model_error(
            f"Caffe's AlexNet takes {INPUT_SIZE}x{INPUT_SIZE}x3 images (its fc6 sees pool5's 6x6x256)",
            f"input_shape={tuple(model.input_shape[1:])}",
        )
    first = layers.get("preprocess")
    if first is not None and getattr(first, "convention", None) != "caffe":
        raise _model_error(
            "The model's preprocess layer does not apply Caffe's input convention (BGR, 0-255, minus the mean)",
            f"preprocess={type(first).__name__}(convention={getattr(first, 'convention', None)!r})",
        )
    for name in ("norm1", "norm2"):
        layer = layers[name]
        if not isinstance(layer, LocalResponseNormalization):
            raise _model_error(
                f"Caffe's AlexNet normalizes with LRN, but the model's {name} is {type(layer).__name__}",
                f"{name}={type(layer).__name__}",
            )
        found = {key: getattr(layer, key) for key in LRN}
        if found != LRN:
            raise _model_error(
                f"Caffe's AlexNet uses Caffe's LRN (k=1, alpha=1e-4 divided by n=5, beta=0.75), but the model's {name} differs",
                _settings(found),
            )
    for name in ("pool1", "pool2", "pool5"):
        layer = layers[name]
        found = {key: getattr(layer, key, None) for key in ("pool_size", "strides", "padding")}
        found = {key: tuple(value) if isinstance(value, (list, tuple)) else value for key, value in found.items()}
        if not isinstance(layer, keras.layers.MaxPooling2D) or found != POOLING:
            raise _model_error(
                f"Caffe's AlexNet max-pools 3x3 windows with stride 2 (pooling='overlapping'), but the model's {name} does not",
                f"{name}={type(layer).__name__}({_settings(found)})",
            )
    for name in CONV_LAYERS + DENSE_LAYERS:
        config = layers[name].get_config()
        wanted = {"activation": "softmax" if name == "fc8" else "relu"}
        if name in CONV_LAYERS:
            wanted.update(strides=(4, 4) if name == "conv1" else (1, 1), padding="valid" if name == "conv1" else "same")
        found = {key: tuple(config[key]) if key == "strides" else config.get(key) for key in wanted}
        if found != wanted:
            raise _model_error(
                f"The model's {name} differs from Caffe's AlexNet (expected {_settings(wanted)})", _settings(found)
            )


def _settings(values):
    return ", ".join(f"{key}={value!r}" for key, value in values.items())


def _check_order(weights):
    wanted = dict(LAYER_ORDER)
    found = tuple((name, kind) for name, kind in getattr(weights, "layers", ()) if wanted.get(name) == kind)
    if found != tuple(item for item in LAYER_ORDER if item in found):
        raise ValueError(
            "These weights come from a network whose layers run in another order than BVLC AlexNet's "
            f"({', '.join(name for name, _ in LAYER_ORDER[:3])}, ...), e.g. CaffeNet, which pools before it "
            f"normalizes: port only {FILE_NAME}. Received: {', '.join(name for name, _ in found)}"
        )


def _tensor(weights, key, expected, layer_name):
    if key not in weights:
        raise ValueError(
            f"The weights have no {key!r} for the model's {layer_name}, expected shape {expected}: "
            f"pass read({FILE_NAME!r}) (a truncated or other file lacks it). "
            f"Received: {len(weights)} tensors, e.g. {', '.join(list(weights)[:4]) or 'none'}"
        )
    array = np.asarray(weights[key])
    if array.shape != expected:
        raise ValueError(
            f"Weight {key!r} has shape {array.shape} but the model's {layer_name} needs {expected}: "
            f"build the model with {BUILD_HINT} (fc sizes come from the model). Received: shape {array.shape}"
        )
    if array.dtype.kind not in "fiu":
        raise TypeError(f"Weight {key!r} must hold numbers: pass read({FILE_NAME!r}). Received: dtype {array.dtype}")
    if not np.all(np.isfinite(array)):
        raise ValueError(
            f"Weight {key!r} holds {array.size - np.count_nonzero(np.isfinite(array))} NaN or infinite values: "
            f"the file is damaged, download it again (SHA-1 {FILE_SHA1}). Received: shape {array.shape}"
        )
    return array.astype(np.float32)


def port(model, weights):
    """Copies Caffe's BVLC AlexNet weights into the kit's AlexNet, converting each convention.

    Checks everything before changing any weight, so a refused port leaves
    the model as it was.

    Example (needs the downloaded file, so the tests do not run it):

    ```python
    model = build_alexnet("paper", lrn_k=1.0, lrn_convention="caffe")
    port(model, read("bvlc_alexnet.caffemodel"))
    probabilities = model.predict(preprocess(photos))
    ```

    Args:
        model: A model from `build_alexnet("paper", lrn_k=1.0,
            lrn_convention="caffe")`, any `fc_units` and `num_classes` (the
            fc shapes come from the model).
        weights: The dict from `read`, in Caffe's names and layout.

    Returns:
        The model, with the weights in place.

    Raises:
        TypeError: `model` is not a Keras model, or `weights` is not a dict of
            arrays.
        ValueError: The model differs from Caffe's AlexNet (another LRN,
            pooling, stride, activation, input size or missing layer), a
            tensor is missing, has another shape or holds NaN, or the
            weights come from a network with another layer order.
    """
    _check_model(model)
    if not isinstance(weights, Mapping):
        raise TypeError(f"weights must be the dict from read({FILE_NAME!r}). Received: weights={type(weights).__name__}")
    plan = []
    for name in CONV_LAYERS:
        layer = model.get_layer(name)
        height, width, inputs, outputs = layer.kernel.shape
        kernel = _tensor(weights, f"{name}/weight", (outputs, inputs, height, width), name)
        bias = _tensor(weights, f"{name}/bias", (outputs,), name)
        plan.append((layer, [kernel.transpose(2, 3, 1, 0), bias]))
    channels_last = tuple(model.get_layer("pool5").output.shape[1:])
    for name in DENSE_LAYERS:
        layer = model.get_layer(name)
        inputs, outputs = layer.kernel.shape
        kernel = _tensor(weights, f"{name}/weight", (outputs, inputs), name)
        bias = _tensor(weights, f"{name}/bias", (outputs,), name)
        if name == "fc6":
            rows, cols, channels = channels_last
            # Caffe's rows are c*36 + h*6 + w; the kit's Flatten feeds h*6*256 + w*256 + c.
            kernel = kernel.reshape(outputs, channels, rows, cols).transpose(2, 3, 1, 0).reshape(inputs, outputs)
        else:
            kernel = kernel.T
        plan.append((layer, [kernel, bias]))
    _check_order(weights)
    for layer, values in plan:
        layer.set_weights(values)
    return model


def preprocess(images):
    """From the kit's images to the BVLC AlexNet's input: 227x227, 0-255, BGR, minus the ImageNet mean.

    The largest centred square is cropped and resized to 227x227 (bilinear),
    then scaled to 0-255, reordered to BGR and the BVLC mean subtracted per
    channel (`MEAN_BGR`: the `ilsvrc_2012_mean` image averaged over each
    channel, the common simplification of Caffe's mean image).

    Example:

    >>> preprocess(np.zeros((300, 400, 3), np.uint8)).shape
    (1, 227, 227, 3)

    Args:
        images: One image `(height, width, 3)` or a batch, uint8 or floats in
            [0, 1] (the kit's image contract), RGB, any size.

    Returns:
        A float32 NumPy array `(n, 227, 227, 3)`, channels last, BGR, for a
        model that `port` filled.

    Raises:
        TypeError, ValueError: The images break the kit's image contract (see
            `alexnet_edu.images.as_images`).
    """
    pixels = as_images(images, "images", batch=True)
    resized = keras.ops.image.resize(pixels, (INPUT_SIZE, INPUT_SIZE), crop_to_aspect_ratio=True)
    bgr = keras.ops.convert_to_numpy(resized)[..., ::-1] * np.float32(255.0)
    return (bgr - MEAN_BGR).astype(np.float32)
