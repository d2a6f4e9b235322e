"""Trained ImageNet weights for the kit's AlexNets: downloaded, checked, read and ported.

Two public sets of weights, neither small enough to ship (about 233 MB each):

- ``"bvlc"``: the BVLC AlexNet trained in Caffe by Evan Shelhamer (57.1 % top-1,
  80.2 % top-5 on ILSVRC-2012 validation, centre crop): the paper's two-tower
  architecture with LRN, loaded into the ``paper`` preset (60,965,224
  parameters) with Caffe's LRN constants. The file is Caffe's own
  ``bvlc_alexnet.caffemodel``, read as protobuf (`alexnet_edu.pretrained.caffe`):
  no unpickling at all, and a SHA-1 published in Caffe's model zoo.
- ``"torchvision"``: torchvision's ``alexnet-owt-7be5be79.pth``, the single-tower
  64-192-384-256-256 variant (Krizhevsky 2014), loaded into the
  ``torchvision`` preset (61,100,840 parameters). Read with a restricted
  unpickler that accepts only the tensor-rebuild calls
  (`alexnet_edu.pretrained.torchvision`), after its published SHA-256 prefix
  has been checked.

Files are downloaded once with `keras.utils.get_file` into
``$KERAS_HOME/models`` (``~/.keras/models``); a file you already have can be
passed by path. Offline, one error says which URL to fetch and where to put it.
Neither PyTorch nor Caffe is needed.

Example (not run by the tests: it downloads the weights):

```python
model = build_alexnet("paper", weights="bvlc")  # starts with the BVLC preprocessing layer
probabilities = model.predict(photos)  # [0, 1] RGB photos at 227x227
decode_predictions(probabilities, top=5)
```
"""

import dataclasses
import functools
import hashlib
import numbers
import os
import pathlib

import keras
import numpy as np


@dataclasses.dataclass(frozen=True)
class Weights:
    """Where a set of trained weights comes from and which model holds them.

    Attributes:
        name: The key in `WEIGHTS`.
        preset: The `build_alexnet` preset of the architecture.
        knobs: Knobs the weights need beyond the preset.
        url: The published file.
        filename: Its file name in the cache.
        algorithm: The hash algorithm of `digest` (`"sha1"` or `"sha256"`).
        digest: The published hash, or its published prefix.
        input_size: Height and width of the input the weights were trained at.
        source: Who trained them, and the reported accuracy.
    """

    name: str
    preset: str
    knobs: dict
    url: str
    filename: str
    algorithm: str
    digest: str
    input_size: int
    source: str


WEIGHTS = {
    "bvlc": Weights(
        name="bvlc",
        preset="paper",
        knobs={"lrn_k": 1.0, "lrn_alpha": 1e-4, "lrn_convention": "caffe"},
        url="http://dl.caffe.berkeleyvision.org/bvlc_alexnet.caffemodel",
        filename="bvlc_alexnet.caffemodel",
        algorithm="sha1",
        digest="9116a64c0fbe4459d18f4bb6b56d647b63920377",
        input_size=227,
        source="BVLC AlexNet (Caffe model zoo, trained by Evan Shelhamer): 57.1 % top-1, 80.2 % top-5 (centre crop)",
    ),
    "torchvision": Weights(
        name="torchvision",
        preset="torchvision",
        knobs={},
        url="https://download.pytorch.org/models/alexnet-owt-7be5be79.pth",
        filename="alexnet-owt-7be5be79.pth",
        algorithm="sha256",
        digest="7be5be79",
        input_size=224,
        source="torchvision AlexNet_Weights.IMAGENET1K_V1: 56.5 % top-1, 79.1 % top-5",
    ),
}
_EXTENSIONS = {".caffemodel": "bvlc", ".pth": "torchvision"}


def _reader(weights):
    if weights.name == "bvlc":
        from alexnet_edu.pretrained import caffe as module
    else:
        from alexnet_edu.pretrained import torchvision as module
    return module


def _weights(name):
    if isinstance(name, Weights):
        return name
    if name not in WEIGHTS:
        raise ValueError(f"Unknown weights {name!r}. Valid weights: {', '.join(map(repr, WEIGHTS))}, or the path of such a file.")
    return WEIGHTS[name]


def resolve(weights):
    """`(Weights, path or None)` for a name (`"bvlc"`, `"torchvision"`) or a file's path.

    A path is matched to its weights by extension (`.caffemodel`, `.pth`).
    """
    if isinstance(weights, str) and weights in WEIGHTS:
        return WEIGHTS[weights], None
    if not isinstance(weights, (str, os.PathLike)):
        raise TypeError(f"weights must be {' or '.join(map(repr, WEIGHTS))} or a file's path. Received: weights={weights!r}")
    path = pathlib.Path(os.path.expanduser(os.fspath(weights)))
    name = _EXTENSIONS.get(path.suffix.lower())
    if name is None:
        raise ValueError(
            f"Unknown weights {str(weights)!r}: give {' or '.join(map(repr, WEIGHTS))}, or the path of a "
            f"{' or '.join(_EXTENSIONS)} file. Received: weights={weights!r}"
        )
    return WEIGHTS[name], path


def _cache_path(weights):
    from keras.src.backend import config  # Keras's own cache root: $KERAS_HOME or ~/.keras

    return pathlib.Path(os.path.expanduser(config.keras_home())) / "models" / weights.filename


def _shown(path):
    """A path as a person reads it: the home folder as `~`, so that saved notebook outputs hold no user name."""
    home = pathlib.Path.home()
    path = pathlib.Path(path)
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)


def file_digest(path, algorithm):
    """The hex digest of a file, read in 1 MB chunks."""
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def verify(path, weights):
    """Checks a file against the published hash (or hash prefix) of its weights.

    Raises:
        ValueError: The hash differs (a damaged download or another file).
    """
    weights = _weights(weights)
    digest = file_digest(path, weights.algorithm)
    if not digest.startswith(weights.digest):
        raise ValueError(
            f"{str(path)!r} is not the published {weights.filename}: its {weights.algorithm.upper()} is {digest[:16]}..., "
            f"not {weights.digest[:16]}...; delete it and download it again from {weights.url}."
        )


def weights_file(weights, path=None):
    """The local, hash-checked file of a set of weights, downloaded once if needed.

    Args:
        weights: `"bvlc"` or `"torchvision"`.
        path: A file you already have; None looks in the Keras cache
            (`$KERAS_HOME/models`) and downloads there.

    Returns:
        The file's path.

    Raises:
        FileNotFoundError: `path` does not exist.
        ConnectionError: Offline and not cached: names the URL and where to put the file.
        ValueError: The file's hash is not the published one.
    """
    weights = _weights(weights)
    if path is not None:
        path = pathlib.Path(os.path.expanduser(os.fspath(path)))
        if not path.is_file():
            raise FileNotFoundError(f"No weights file at {str(path)!r}: download {weights.url} and give its path.")
    else:
        target = _cache_path(weights)
        if target.is_file():
            path = target
        else:
            try:
                path = pathlib.Path(keras.utils.get_file(weights.filename, origin=weights.url, cache_subdir="models"))
            except Exception as error:
                if "URL fetch failure" not in str(error):
                    raise
                raise ConnectionError(
                    f"Could not download the {weights.name} weights from {weights.url} (no network?). On a machine with "
                    f"internet, download it and put it at {_shown(target)}, "
                    f"or pass its path: weights='/path/to/{weights.filename}'."
                ) from None
    verify(path, weights)
    return path


def find_weights(weights="bvlc", download=True):
    """The hash-checked weights file if it is here (or can be downloaded), else None and one line saying how to get it.

    For notebooks that work with or without the trained weights: nothing is
    raised for a missing file, so the cells that need the weights can be
    skipped cleanly.

    Example (notebook 10 does this; without the file in the Keras cache it prints how to get it):

    ```python
    weights_file = find_weights("bvlc", download=False)
    model = build_alexnet(WEIGHTS["bvlc"].preset, weights=weights_file) if weights_file else None
    ```

    Args:
        weights: `"bvlc"` or `"torchvision"`.
        download: Try to download the file when it is not in the Keras cache.

    Returns:
        The file's path, or None.
    """
    spec = _weights(weights)
    target = _cache_path(spec)
    if not (download or target.is_file()):
        print(f"No {spec.name} weights here: download {spec.url} to {_shown(target)}, then run again.")
        return None
    try:
        return weights_file(spec)
    except (ConnectionError, ValueError) as error:
        print(error)
        return None


def load_weights(model, weights, path=None):
    """Loads trained weights into a kit model of the matching architecture.

    Args:
        model: A model from `build_alexnet` with the weights' preset and knobs
            (see `WEIGHTS`); smaller fc layers are refused by shape.
        weights: `"bvlc"` or `"torchvision"`.
        path: A file you already have (skips the download).

    Returns:
        The model, with its weights replaced.
    """
    weights = _weights(weights)
    file = weights_file(weights, path)
    module = _reader(weights)
    module.port(model, module.read(file))
    return model


def build_pretrained(weights="bvlc", name=None, include_preprocessing=True, **knobs):
    """The architecture of a set of trained weights, built and loaded.

    Args:
        weights: `"bvlc"`, `"torchvision"`, or the path of a `.caffemodel` or
            `.pth` file of those weights.
        name: The model's name; defaults to `"alexnet_<weights>"`.
        include_preprocessing: Start the model with an `ImageNetInput` layer
            (`preprocess`), so that it takes the kit's [0, 1] RGB images at
            the weights' input size; False for the bare network, which takes
            `imagenet_preprocess(images, weights)`.
        **knobs: `build_alexnet` knobs; those the weights fix (preset, LRN
            constants, sizes) must keep their values.

    Returns:
        A `keras.Model` with the trained weights.
    """
    from alexnet_edu.models import build_alexnet

    spec, path = resolve(weights)
    fixed = {**spec.knobs, "num_classes": 1000, "input_shape": (spec.input_size, spec.input_size, 3)}
    fixed["input_convention"] = ("caffe" if spec.name == "bvlc" else "torchvision") if include_preprocessing else None
    clashes = [key for key, value in knobs.items() if key in fixed and _differs(value, fixed[key])]
    if clashes:
        key = clashes[0]
        raise ValueError(
            f"The {spec.name} weights need {key}={fixed[key]!r}: leave {key} out or use weights=None. "
            f"Received: {key}={knobs[key]!r}"
        )
    model = build_alexnet(spec.preset, name=name or f"alexnet_{spec.name}", **{**knobs, **fixed})
    return load_weights(model, spec, path)


def _differs(value, expected):
    if isinstance(expected, tuple):
        return tuple(value) != expected if hasattr(value, "__iter__") else True
    return value != expected


def imagenet_preprocess(images, weights="bvlc"):
    """The kit's images ([0, 1] RGB or uint8, any size) in the input convention of a set of weights.

    `"bvlc"`: the largest centred square, resized to 227x227, as BGR in 0-255
    minus the ImageNet mean. `"torchvision"`: 224x224 RGB, standardised by
    ImageNet's per-channel mean and standard deviation.

    Example:

    >>> photo = sample_photos(image_size=227)["china"]
    >>> imagenet_preprocess(photo[None], "bvlc").shape  # Caffe's convention: BGR, 0-255 minus the mean
    (1, 227, 227, 3)

    Args:
        images: One image or a batch.
        weights: `"bvlc"` or `"torchvision"`.

    Returns:
        A float32 batch for the model of those weights.
    """
    spec, _ = resolve(weights) if not isinstance(weights, Weights) else (weights, None)
    return _reader(spec).preprocess(images)


@functools.lru_cache(maxsize=1)
def imagenet_class_names():
    """The 1,000 ILSVRC-2012 class names, in the order both weight files use (tench, goldfish, ...).

    Shipped with the kit (`imagenet_classes.txt`, the short WordNet names Keras
    uses); needs no download. Two names appear twice, as in ImageNet itself:
    `crane` (the bird, 134, and the machine, 517) and `maillot` (638, 639).

    Example:

    >>> names = imagenet_class_names()
    >>> len(names), names[:3]
    (1000, ('tench', 'goldfish', 'great white shark'))
    """
    names = (pathlib.Path(__file__).with_name("imagenet_classes.txt")).read_text().splitlines()
    return tuple(names)


def decode_predictions(probabilities, top=5, class_names=None):
    """The `top` classes of each prediction, most probable first.

    Example:

    >>> probabilities = np.zeros((1, 1000))  # as `model.predict(batch)` gives them
    >>> probabilities[0, [281, 285, 282]] = 0.41, 0.22, 0.19
    >>> decode_predictions(probabilities, top=3)[0]
    [(281, 'tabby', 0.41), (285, 'Egyptian cat', 0.22), (282, 'tiger cat', 0.19)]

    Args:
        probabilities: `(n, classes)` or `(classes,)` model outputs.
        top: How many classes per image.
        class_names: Names of the outputs; defaults to the 1,000 ImageNet classes.

    Returns:
        A list (one per image) of lists of `(index, name, probability)`.
    """
    scores = np.asarray(probabilities, dtype="float64")
    if scores.ndim == 1:
        scores = scores[None]
    names = imagenet_class_names() if class_names is None else tuple(class_names)
    if scores.ndim != 2 or scores.shape[-1] != len(names):
        raise ValueError(
            f"decode_predictions needs (n, {len(names)}) probabilities, one column per class name. "
            f"Received: shape {scores.shape}"
        )
    if isinstance(top, bool) or not isinstance(top, numbers.Integral) or not 1 <= top <= len(names):
        raise ValueError(f"top must be an integer from 1 to {len(names)}. Received: top={top!r}")
    order = np.argsort(-scores, axis=-1, kind="stable")[:, :top]
    return [[(int(index), names[index], float(row[index])) for index in ranking] for row, ranking in zip(scores, order)]


__all__ = [
    "WEIGHTS",
    "Weights",
    "build_pretrained",
    "decode_predictions",
    "find_weights",
    "imagenet_class_names",
    "imagenet_preprocess",
    "load_weights",
    "verify",
    "weights_file",
]
