"""torchvision's trained AlexNet (`alexnet-owt-7be5be79.pth`) read without PyTorch and ported to the kit's model.

The file is a `torch.save` of the model's state dict in the zip format of
PyTorch >= 1.6: one top folder holding `data.pkl` (a protocol-2 pickle of an
`OrderedDict` of tensors), `data/<key>` (each tensor's raw little-endian
storage bytes), `version` and sometimes `byteorder`.

Protection: a pickle can run any code while it is read, so `read` never uses
`pickle.load` or `torch.load`. It uses a restricted unpickler whose
`find_class` knows only the names a plain state dict needs
(`collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`,
`torch._utils._rebuild_parameter` and the typed storage classes such as
`torch.FloatStorage`). Each maps to a stand-in that builds a NumPy array from
the storage bytes (bounds checked before `as_strided` reads them); any other
name is refused before anything runs. The package's downloader also checks
the hash prefix that torchvision publishes in the file name before reading.

Conventions ported (`SOURCE_CONVENTIONS`):

- Conv kernels: PyTorch (out, in, h, w) -> Keras (h, w, in, out).
- Linear weights: PyTorch (out, in) -> Keras Dense kernel (in, out).
- fc6 (`classifier.1`): PyTorch flattens pool5 channels-first (256x6x6,
  index c*36 + h*6 + w); Keras's Flatten is channels-last (h*6*256 + w*256 + c),
  so fc6's input rows are reordered.
- conv1: `Conv2d(3, 64, 11, stride=4, padding=2)`. The kit's "pad1"
  ZeroPadding2D(2) + valid conv gives 224 -> 55 like PyTorch; Keras "same"
  would give 56.
- `AdaptiveAvgPool2d((6, 6))` before the classifier is the identity at 224 px
  (pool5 is already 6x6), so the kit's model has no such layer; `port`
  refuses a model whose pool5 is not 6x6.
- Dropout: torchvision drops before fc6 and fc7, the kit after fc6 and fc7;
  dropout is inactive at inference, so the outputs are the same.
- Output: torchvision returns logits, the kit's fc8 applies softmax: compare
  probabilities.
- Input (`preprocess`): RGB in [0, 1], the largest centred square crop
  resized to 224x224, then `(x - MEAN) / STD` per channel. torchvision's own
  evaluation resizes the shorter side to 256 and crops the centre 224: the
  predictions differ slightly, not the meaning of the input.
"""

import collections
import io
import math
import os
import pickle
import zipfile
import zlib

import keras
import numpy as np

from alexnet_edu.images import as_images
from alexnet_edu.layers import TORCHVISION_MEAN, TORCHVISION_STD, ImageNetInput, LocalResponseNormalization

INPUT_SIZE = 224
MEAN = TORCHVISION_MEAN  # (0.485, 0.456, 0.406), RGB in [0, 1]
STD = TORCHVISION_STD  # (0.229, 0.224, 0.225)
POOL5_SIZE = (6, 6)

# Kit layer -> (weight key, bias key) in torchvision's `alexnet().state_dict()`.
LAYERS = {
    "conv1": ("features.0.weight", "features.0.bias"),
    "conv2": ("features.3.weight", "features.3.bias"),
    "conv3": ("features.6.weight", "features.6.bias"),
    "conv4": ("features.8.weight", "features.8.bias"),
    "conv5": ("features.10.weight", "features.10.bias"),
    "fc6": ("classifier.1.weight", "classifier.1.bias"),
    "fc7": ("classifier.4.weight", "classifier.4.bias"),
    "fc8": ("classifier.6.weight", "classifier.6.bias"),
}

SOURCE_CONVENTIONS = {
    "file": "torch.save zip (PyTorch >= 1.6) of a state dict, read with a restricted unpickler (no torch, no code run)",
    "conv kernels": "(out, in, h, w) -> (h, w, in, out)",
    "dense kernels": "(out, in) -> (in, out)",
    "fc6 input order": "channels-first flatten c*36 + h*6 + w -> channels-last h*6*256 + w*256 + c",
    "conv1 padding": "padding=2 -> ZeroPadding2D(2) 'pad1' + valid conv (224 -> 55; Keras 'same' would give 56)",
    "AdaptiveAvgPool2d((6, 6))": "identity at 224 px: pool5 is already 6x6 (other sizes refused)",
    "dropout": "torch before fc6/fc7, kit after: inactive at inference, same outputs",
    "output": "torch logits, kit softmax probabilities",
    "input": "RGB [0, 1], centred square crop resized to 224x224, (x - mean) / std, "
    "mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)",
}

_FIX = "save the model's state dict with a recent PyTorch: torch.save(model.state_dict(), 'alexnet.pth')"
_LEGACY_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"
# Storage classes a state dict of real numbers uses; bfloat16 is widened to float32 (NumPy has no bfloat16).
_STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "BFloat16Storage": "bfloat16",
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class _Frozen:
    """No attributes a pickle's BUILD opcode could change, so a file cannot alter the stand-ins for later reads."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")


class _StorageType(_Frozen):
    """Stand-in for `torch.<Kind>Storage`: only its name and element type are needed."""

    __slots__ = ("name", "dtype", "itemsize")

    def __init__(self, name):
        dtype = _STORAGE_DTYPES[name]
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "dtype", dtype)
        object.__setattr__(self, "itemsize", 2 if dtype == "bfloat16" else np.dtype(dtype).itemsize)


class _StandIn(_Frozen):
    """A read-only callable in place of a torch function."""

    __slots__ = ("function",)

    def __init__(self, function):
        object.__setattr__(self, "function", function)

    def __call__(self, *args):
        return self.function(*args)


class _Storage:
    """One `data/<key>` record: a flat NumPy array of the storage's elements."""

    def __init__(self, key, array):
        self.key = key
        self.array = array


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None, metadata=None):
    """Stand-in for `torch._utils._rebuild_tensor_v2`: a copy of the strided view of the storage."""
    if not isinstance(storage, _Storage):
        raise pickle.UnpicklingError(f"a tensor's storage is {type(storage).__name__}, not a storage record")
    try:
        offset = int(storage_offset)
        size = tuple(int(n) for n in size)
        stride = tuple(int(n) for n in stride)
    except (TypeError, ValueError):
        raise pickle.UnpicklingError(f"a tensor in storage {storage.key!r} has a malformed size or stride") from None
    if offset < 0 or len(size) != len(stride) or any(n < 0 for n in size) or any(s < 0 for s in stride):
        raise pickle.UnpicklingError(f"a tensor in storage {storage.key!r} has size {size} and stride {stride}")
    flat = storage.array
    # as_strided reads memory without checks: the last element must lie inside the storage.
    last = offset + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else offset - 1
    if last >= flat.size:
        raise pickle.UnpicklingError(
            f"a tensor of size {size} at offset {offset} reaches past the end of storage {storage.key!r} "
            f"({flat.size} elements)"
        )
    if not all(size):
        return np.zeros(size, flat.dtype)
    # Weights never repeat storage elements (stride 0); refusing it bounds memory by the file's size.
    if math.prod(size) > flat.size:
        raise pickle.UnpicklingError(
            f"a tensor of size {size} repeats elements of the {flat.size}-element storage {storage.key!r}"
        )
    view = np.lib.stride_tricks.as_strided(
        flat[offset:], shape=size, strides=tuple(s * flat.itemsize for s in stride), writeable=False
    )
    return np.array(view)


def _rebuild_parameter(data, requires_grad=False, backward_hooks=None, state=None):
    """Stand-in for `torch._utils._rebuild_parameter`: a parameter is its tensor."""
    return data


_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _StandIn(_rebuild_tensor_v2),
    ("torch._utils", "_rebuild_parameter"): _StandIn(_rebuild_parameter),
    ("torch._utils", "_rebuild_parameter_with_state"): _StandIn(_rebuild_parameter),
    **{("torch", name): _StorageType(name) for name in _STORAGE_DTYPES},
}


class _StateDictUnpickler(pickle.Unpickler):
    """Unpickles a state dict, refusing every class or function that is not on `_ALLOWED`."""

    def __init__(self, file, archive, prefix, byteorder, source):
        super().__init__(file)
        self._archive = archive
        self._prefix = prefix
        self._byteorder = byteorder
        self._source = source
        self._storages = {}

    def find_class(self, module, name):
        allowed = _ALLOWED.get((module, name))
        if allowed is None:
            raise _Refused(
                f"{self._source} asks for {module}.{name}, which is not part of a plain state dict, so it was not "
                f"loaded (a pickle can run code): the file is not a plain PyTorch state dict; {_FIX}."
            )
        return allowed

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage" and isinstance(pid[1], _StorageType)):
            raise pickle.UnpicklingError(f"unexpected persistent id {str(pid)[:80]}")
        _, kind, key, _location, numel = pid
        key = str(key)
        if key not in self._storages:
            name = f"{self._prefix}data/{key}"
            try:
                raw = self._archive.read(name)
            except KeyError:
                raise pickle.UnpicklingError(f"storage {name} is missing") from None
            if len(raw) != int(numel) * kind.itemsize:
                raise pickle.UnpicklingError(
                    f"storage {name} holds {len(raw)} bytes, expected {int(numel) * kind.itemsize} "
                    f"({int(numel)} elements of {kind.itemsize} bytes)"
                )
            self._storages[key] = _Storage(key, _decode(raw, kind, self._byteorder))
        return self._storages[key]


class _Refused(Exception):
    """A name outside the allow-list: reported as it is, not as a damaged file."""


class _FileError(ValueError):
    """A file that is readable but not a state dict: reported as it is, not as a damaged file."""


def _decode(raw, kind, byteorder):
    if kind.dtype == "bfloat16":
        bits = np.frombuffer(raw, np.dtype("uint16").newbyteorder(byteorder)).astype(np.uint32) << 16
        return bits.view(np.float32)
    return np.frombuffer(raw, np.dtype(kind.dtype).newbyteorder(byteorder)).astype(kind.dtype)


def _file_name(path):
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            "path must be the path of a torchvision .pth file (a string or pathlib.Path), "
            f"e.g. 'alexnet-owt-7be5be79.pth'. Received: path={path!r}"
        )
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(
            "No such weights file: check the path, or let build_alexnet(weights=...) download it. "
            f"Received: path={path!r}"
        )
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path!r} is a folder: pass the .pth file inside it. Received: path={path!r}")
    return path


def _not_zip_error(path):
    with open(path, "rb") as file:
        head = file.read(len(_LEGACY_MAGIC))
    if head.startswith(_LEGACY_MAGIC):
        return ValueError(
            f"{path!r} is in the legacy (pre-1.6, non-zip) torch.save format, which is not read here: convert it "
            "once with a recent PyTorch: torch.save(torch.load('old.pth'), 'new.pth') and pass the new file."
        )
    if head.startswith(b"PK"):
        return ValueError(
            f"{path!r} is a truncated or damaged zip (no central directory): download the file again "
            "(the size should match the source's)."
        )
    return ValueError(
        f"{path!r} is not a PyTorch weights file (not a torch.save zip; it starts with {head[:8]!r}): pass "
        "torchvision's alexnet-owt-7be5be79.pth or a file written by torch.save(model.state_dict(), path)."
    )


def read(path):
    """Reads a torchvision AlexNet weights file without PyTorch.

    Example (needs the downloaded file, so the tests do not run it):

    ```python
    weights = read("alexnet-owt-7be5be79.pth")
    weights["features.0.weight"].shape  # (64, 3, 11, 11)
    ```

    Args:
        path: A `.pth` file written by `torch.save(model.state_dict(), path)`
            with PyTorch >= 1.6 (zip format).

    Returns:
        A dict from state-dict keys (`"features.0.weight"`, ...) to NumPy
        arrays in PyTorch's layout and dtype (bfloat16 widened to float32).

    Raises:
        TypeError: `path` is not a path.
        FileNotFoundError: No such file.
        ValueError: Not a torch.save zip, the legacy format, a truncated or
            damaged file, or a pickle that asks for anything but tensors in
            a dict (refused before it runs).
    """
    path = _file_name(path)
    if not zipfile.is_zipfile(path):
        raise _not_zip_error(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            pickles = [name for name in names if name.split("/")[1:] == ["data.pkl"]]
            if len(pickles) != 1:
                raise _FileError(
                    f"{path!r} is a zip but not a torch.save file (expected one <folder>/data.pkl, found "
                    f"{len(pickles)}): {_FIX}."
                )
            prefix = pickles[0][: -len("data.pkl")]
            byteorder = "<"
            if f"{prefix}byteorder" in names:
                byteorder = ">" if archive.read(f"{prefix}byteorder").strip() == b"big" else "<"
            unpickler = _StateDictUnpickler(io.BytesIO(archive.read(pickles[0])), archive, prefix, byteorder, repr(path))
            state = unpickler.load()
    except _Refused as error:
        raise ValueError(str(error)) from None
    except _FileError:
        raise
    except (zipfile.BadZipFile, pickle.UnpicklingError, EOFError, zlib.error, OSError, ValueError, TypeError,
            AttributeError, IndexError, KeyError, RecursionError) as error:
        detail = " ".join(str(error).split())[:160]
        raise ValueError(
            f"{path!r} is truncated or damaged ({type(error).__name__}: {detail}): download the file again "
            "(torchvision's published hash prefix is in its name)."
        ) from None
    return _state_dict(state, path)


def _state_dict(state, path):
    if not isinstance(state, dict):
        raise ValueError(f"{path!r} holds a {type(state).__name__}, not a state dict of tensors: {_FIX}.")
    bad = {key: value for key, value in state.items() if not (isinstance(key, str) and isinstance(value, np.ndarray))}
    if bad:
        key, value = next(iter(bad.items()))
        hint = " (a training checkpoint? save checkpoint['state_dict'] or model.state_dict() alone)" if isinstance(
            value, dict
        ) else ""
        raise ValueError(
            f"{path!r} holds {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} that are not tensors, e.g. "
            f"{key!r}: {type(value).__name__}{hint}: {_FIX}."
        )
    return dict(state)


def _layer(model, name):
    try:
        return model.get_layer(name)
    except ValueError:
        return None


def _check_model(model):
    """Refuses models whose computation differs from torchvision's AlexNet, which would port silently wrong."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            "model must be a Keras model built with build_alexnet('torchvision'). "
            f"Received: model={type(model).__name__}"
        )
    fix = "build it with build_alexnet('torchvision') (fc_units and num_classes may change)"
    missing = [name for name in ("pad1", *LAYERS, "pool1", "pool2", "pool5") if _layer(model, name) is None]
    if missing:
        raise ValueError(
            f"model {model.name!r} has no layer {missing[0]!r}, so it is not torchvision's AlexNet: {fix}. "
            f"Received: missing layers {missing}"
        )
    problems = []
    for layer in model.layers:  # norm1 to norm5: any of them changes what the weights compute
        if isinstance(layer, (LocalResponseNormalization, keras.layers.BatchNormalization)):
            problems.append(f"{layer.name} (torchvision has no normalization)")
    for layer in model.layers:
        if isinstance(layer, ImageNetInput) and layer.convention != "torchvision":
            convention = f"the {layer.convention!r} convention (torchvision: (x - mean) / std)"
            problems.append(f"input layer {layer.name!r} applies {convention}")
    padding = tuple(tuple(side) for side in np.reshape(model.get_layer("pad1").padding, (2, 2)))
    if padding != ((2, 2), (2, 2)):
        problems.append(f"pad1 padding {padding} (torchvision pads 2)")
    conv1 = model.get_layer("conv1")
    if tuple(conv1.strides) != (4, 4) or conv1.padding != "valid":
        problems.append(f"conv1 strides {tuple(conv1.strides)} padding {conv1.padding!r} (torchvision: 4, valid after pad1)")
    for name in ("conv2", "conv3", "conv4", "conv5"):
        layer = model.get_layer(name)
        if layer.padding != "same" or tuple(layer.strides) != (1, 1) or getattr(layer, "groups", 1) != 1:
            problems.append(f"{name} strides {tuple(layer.strides)} padding {layer.padding!r} (torchvision: 1, same, one group)")
    for name in ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7"):
        activation = getattr(model.get_layer(name).activation, "__name__", "?")
        if activation != "relu":
            problems.append(f"{name} activation {activation!r} (torchvision: relu)")
    for name in ("pool1", "pool2", "pool5"):
        layer = model.get_layer(name)
        if tuple(layer.pool_size) != (3, 3) or tuple(layer.strides) != (2, 2) or layer.padding != "valid":
            problems.append(f"{name} pool {tuple(layer.pool_size)}/{tuple(layer.strides)} (torchvision: 3/2, floor)")
    if problems:
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise ValueError(
            f"model {model.name!r} differs from torchvision's AlexNet, so the ported weights would compute something "
            f"else: {'; '.join(problems[:3])}{more}: {fix}."
        )
    pool5 = tuple(model.get_layer("pool5").output.shape[1:3])
    if pool5 != POOL5_SIZE:
        raise ValueError(
            f"model {model.name!r} gives a {pool5[0]}x{pool5[1]} pool5, but torchvision's AdaptiveAvgPool2d((6, 6)) is "
            f"the identity (absent from the kit) only for 6x6, i.e. 224x224 inputs: build it with "
            f"input_shape=(224, 224, 3) and feed preprocess(images). Received: input_shape={tuple(model.input_shape[1:])}"
        )


def _expected(layer):
    """The layer's (weight, bias) shapes in PyTorch's layout."""
    kernel, bias = (tuple(variable.shape) for variable in layer.weights)
    torch_kernel = (kernel[3], kernel[2], kernel[0], kernel[1]) if len(kernel) == 4 else (kernel[1], kernel[0])
    return torch_kernel, bias


def _converted(name, weight, bias, pool5_channels):
    weight = weight.astype(np.float32)
    bias = bias.astype(np.float32)
    if weight.ndim == 4:
        return weight.transpose(2, 3, 1, 0), bias
    if name == "fc6":
        # Columns c*36 + h*6 + w (channels first) -> rows h*6*C + w*C + c (Keras Flatten, channels last).
        height, width = POOL5_SIZE
        weight = weight.reshape(weight.shape[0], pool5_channels, height, width).transpose(2, 3, 1, 0)
        return weight.reshape(height * width * pool5_channels, -1), bias
    return weight.T, bias


def port(model, weights):
    """Copies torchvision AlexNet weights into the kit's model, converting layouts.

    Every tensor is checked before any layer changes, so a refused file
    leaves the model as it was.

    Example (needs the downloaded file, so the tests do not run it):

    ```python
    model = build_alexnet("torchvision", precision="float32")
    port(model, read("alexnet-owt-7be5be79.pth"))
    ```

    Args:
        model: A model from `build_alexnet("torchvision")`; `fc_units` and
            `num_classes` may differ (the shapes must then match the file).
        weights: The dict returned by `read`.

    Returns:
        The model, with conv1-conv5 and fc6-fc8 set.

    Raises:
        TypeError: Not a Keras model, or weights not a dict.
        ValueError: A model that is not torchvision's AlexNet (or not 224 px),
            a missing, unexpected, non-finite or wrongly shaped tensor.
    """
    _check_model(model)
    if not isinstance(weights, dict):
        raise TypeError(
            f"weights must be the dict of tensors returned by read(path). Received: weights={type(weights).__name__}"
        )
    expected_keys = [key for pair in LAYERS.values() for key in pair]
    missing = [key for key in expected_keys if key not in weights]
    if missing:
        raise ValueError(
            f"the weights have no tensor {missing[0]!r} ({len(missing)} of {len(expected_keys)} missing), so they are "
            f"not torchvision's AlexNet state dict or the file is incomplete: pass read() of "
            f"alexnet-owt-7be5be79.pth. Received: missing {missing}"
        )
    unexpected = sorted(set(weights) - set(expected_keys))
    if unexpected:
        raise ValueError(
            f"the weights hold tensors torchvision's AlexNet does not have, e.g. {unexpected[0]!r}, so they belong to "
            f"another model: pass read() of alexnet-owt-7be5be79.pth. Received: unexpected {unexpected[:5]}"
        )
    pool5_channels = model.get_layer("pool5").output.shape[-1]
    converted = {}
    for name, keys in LAYERS.items():
        layer = model.get_layer(name)
        for key, tensor, shape in zip(keys, (weights[keys[0]], weights[keys[1]]), _expected(layer)):
            if not isinstance(tensor, np.ndarray) or tensor.dtype.kind not in "fiu":
                raise TypeError(
                    f"weights[{key!r}] must be a NumPy array of numbers as returned by read(path). "
                    f"Received: {type(tensor).__name__} {getattr(tensor, 'dtype', '')}"
                )
            if tuple(tensor.shape) != shape:
                if name.startswith("conv"):
                    layout, fix = "(out, in, h, w)", "pass the state dict as read() returns it (port converts the layout)"
                else:
                    layout = "(out, in)"
                    fix = "build the model with fc_units and num_classes matching the file (torchvision: 4096 and 1000)"
                raise ValueError(
                    f"{key} (for {name}) has shape {tuple(tensor.shape)}, but the model needs {shape} in PyTorch's "
                    f"{layout} layout: {fix}. Received: shape {tuple(tensor.shape)}"
                )
            if not np.all(np.isfinite(tensor)):
                raise ValueError(
                    f"{key} (for {name}) contains NaN or infinite values: the file is damaged; download it again."
                )
        converted[name] = _converted(name, weights[keys[0]], weights[keys[1]], pool5_channels)
    for name, values in converted.items():
        model.get_layer(name).set_weights(list(values))
    return model


def preprocess(images, normalize=True):
    """Turns kit images into torchvision AlexNet's input: 224x224, normalized per channel.

    A model built with `input_convention="torchvision"` normalizes in its
    first layer ("preprocess"): give it `preprocess(images, normalize=False)`,
    or the images are normalized twice.

    Example:

    >>> preprocess(np.zeros((1, 300, 400, 3), np.uint8)).shape
    (1, 224, 224, 3)

    Args:
        images: One image `(height, width, 3)` or a batch, RGB, uint8 or
            floats in [0, 1] (the kit's contract, see `alexnet_edu.images`).
        normalize: Apply `(x - MEAN) / STD`; False keeps RGB in [0, 1].

    Returns:
        float32 `(n, 224, 224, 3)`, channels last for the kit's model: the
        largest centred square crop resized (bilinear, antialiased) to
        224x224, then `(x - MEAN) / STD`.

    Raises:
        TypeError: Not an array of numbers.
        ValueError: Not RGB images, or pixels outside the kit's contract.
    """
    if not isinstance(normalize, bool):
        raise TypeError(f"normalize must be True or False. Received: normalize={normalize!r}")
    pixels = as_images(images, "images", batch=True)
    if pixels.shape[0] == 0:
        return np.zeros((0, INPUT_SIZE, INPUT_SIZE, 3), np.float32)
    if pixels.shape[1:3] != (INPUT_SIZE, INPUT_SIZE):
        pixels = keras.ops.convert_to_numpy(
            keras.ops.image.resize(
                pixels, (INPUT_SIZE, INPUT_SIZE), interpolation="bilinear", antialias=True, crop_to_aspect_ratio=True
            )
        )
    if not normalize:
        return pixels.astype(np.float32)
    mean = np.asarray(MEAN, np.float32)
    std = np.asarray(STD, np.float32)
    return ((pixels - mean) / std).astype(np.float32)

