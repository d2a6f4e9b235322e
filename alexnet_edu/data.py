"""Data for the kit: the offline shapes dataset, any image folder, online datasets, demo photos.

Every loader returns an `ImageData`: batched `tf.data` pipelines of float32
images in [0, 1] with integer labels, plus the class names. A folder of
images, one sub-folder per class, is the common path: the generated shapes
dataset is written to disk so it goes through exactly the loader a
student's own photos go through.

Corrupt files: `load_image_folder` stops with an error that lists every
file it cannot read, so nothing is dropped silently; delete or re-save them.
"""

import dataclasses
import functools
import gzip
import hashlib
import json
import numbers
import os
import pathlib
import tarfile
import warnings

import keras
import numpy as np
import tensorflow as tf
from PIL import Image, UnidentifiedImageError

from alexnet_edu.folders import ImageFiles, decode_images, find_split_folders, resolve_folder, scan_image_folder
from alexnet_edu.images import pixel_scale
from alexnet_edu.shapes import CLASS_NAMES, generate_shapes

# Below this many training images a class gets a warning; above this ratio of largest to smallest, too.
MIN_IMAGES_PER_CLASS = 10
MAX_IMBALANCE = 3
_PACKAGE_PARENT = pathlib.Path(__file__).resolve().parents[1]
# A checkout (editable install) keeps data in its own data/ folder.
DATA_DIR = pathlib.Path(
    os.environ.get(
        "ALEXNET_EDU_DATA",
        _PACKAGE_PARENT / "data" if (_PACKAGE_PARENT / "pyproject.toml").exists() else pathlib.Path.home() / ".alexnet_edu",
    )
)

# What keras.datasets and get_file download, and where they cache it (below KERAS_HOME).
ONLINE_SOURCES = {
    "CIFAR-10": (
        "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
        "datasets/cifar-10-batches-py-target_archive",
    ),
    "Fashion-MNIST": (
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/train-images-idx3-ubyte.gz",
        "datasets/fashion-mnist/",
    ),
    "TF flowers": (
        "https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz",
        "datasets/flower_photos_archive",
    ),
}
# CIFAR-10's training set as JPEG class folders, shipped in data/ (see data/README.md).
CIFAR10_PHOTOS_ARCHIVE = "cifar10-train-jpeg.tar.gz"
CIFAR10_PHOTOS_SHA256 = "bb033266dbb26aa71223ff120c0df4e7d3943dbd93b9e65984876854c6234931"
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip


@dataclasses.dataclass
class ImageData:
    """Training and validation pipelines and what they hold.

    Example:

    >>> data = load_shapes(num_images=100, image_size=32)
    >>> data.image_shape, data.num_train, data.num_validation, data.batch_size
    ((32, 32, 3), 80, 20, 64)
    >>> images, labels = next(iter(data.train))
    >>> images.shape, data.class_names[0]
    (TensorShape([64, 32, 32, 3]), 'circle')

    Attributes:
        train: Batched `tf.data.Dataset` of `(images, labels)`.
        validation: The same for validation.
        class_names: Label `i` is `class_names[i]`.
        image_shape: `(height, width, 3)` of every image.
        num_train: Number of training images.
        num_validation: Number of validation images.
        batch_size: Images per batch.
    """

    train: tf.data.Dataset
    validation: tf.data.Dataset
    class_names: tuple
    image_shape: tuple
    num_train: int
    num_validation: int
    batch_size: int
    # (the train pipeline built, a function of a seed that builds it again, the seed it was built with).
    _restart: tuple = dataclasses.field(default=None, repr=False, compare=False)

    def fresh(self, seed=None):
        """The same images in a training pipeline that starts over.

        A pipeline carries its random state from pass to pass: each new pass
        over `train` is shuffled and augmented differently, so a second model
        trained on the same `ImageData` sees other batches than the first
        (`set_random_seed` does not reset them). `train`, `run_ablation` and
        `diagnose` start from `fresh` pipelines, so a run gives the same numbers
        whatever ran before it.

        Example:

        >>> data = load_shapes(num_images=100, image_size=32)
        >>> first_pass = [labels.numpy().tolist() for _, labels in data.train]
        >>> second_pass = [labels.numpy().tolist() for _, labels in data.train]
        >>> first_pass == second_pass
        False
        >>> first_pass == [labels.numpy().tolist() for _, labels in data.fresh().train]
        True
        >>> first_pass == [labels.numpy().tolist() for _, labels in data.fresh(seed=1).train]
        False

        Args:
            seed: None for the shuffles and augmentations this `ImageData`
                started with; an integer for others drawn from it (the same
                for the same seed). The split into training and validation
                images never changes.

        Returns:
            A new `ImageData`, or this one when its `train` was not built by
            the kit's loaders and `augment_data` (e.g. replaced by hand),
            which the kit cannot rebuild.
        """
        check_seed(seed, example="data.fresh(seed=1)")
        built, build_train, started_with = self._restart or (None, None, None)
        if built is not self.train:
            return self
        seed = started_with if seed is None else seed
        return restartable(dataclasses.replace(self, train=build_train(seed)), build_train, seed)


def check_seed(seed, example="seed=0"):
    """Raises a one-line error unless `seed` is None or an integer of at least 0."""
    if seed is not None and not (isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0):
        raise ValueError(f"seed must be an integer of at least 0 (or None), e.g. {example}. Received: seed={seed!r}")


def restartable(data, build_train, seed=None):
    """`data` whose `fresh` builds its training pipeline with `build_train(seed)`; `seed` built `data.train`."""
    return dataclasses.replace(data, _restart=(data.train, build_train, seed))


def run_seed(seed, run):
    """`seed` for `fresh(run)`: itself for run None, else a seed drawn from both (None stays None)."""
    if seed is None or run is None:
        return seed
    return int(np.random.SeedSequence([seed, run]).generate_state(1)[0] >> 1)


def _size_pair(image_size):
    size = (image_size, image_size) if isinstance(image_size, numbers.Integral) else image_size
    try:
        size = tuple(size)
    except TypeError:
        size = ()
    if len(size) != 2 or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 for s in size):
        raise ValueError(
            f"image_size must be a positive int or (height, width), e.g. 64 or (64, 64). Received: image_size={image_size!r}"
        )
    return tuple(int(s) for s in size)


def _check_batch_size(batch_size):
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, e.g. 64. Received: batch_size={batch_size!r}")


def _array_pipeline(images, labels, batch_size, scale, shuffle_seed=None, size=None):
    """Batches of in-memory images, scaled to [0, 1] float32 (and resized) one batch at a time.

    The images stay as they are in memory (uint8 for photos: a quarter of
    float32); each batch is gathered by index, so shuffling moves indices,
    not pixels. `shuffle_seed` reshuffles the order every epoch, the same
    orders for the same seed.
    """
    images = tf.convert_to_tensor(images)
    labels = tf.convert_to_tensor(np.asarray(labels, np.int32))
    indices = tf.data.Dataset.range(len(labels))
    if shuffle_seed is not None and len(labels):
        indices = indices.shuffle(len(labels), seed=shuffle_seed, reshuffle_each_iteration=True)

    # The largest centred crop of the target's shape, resized, as `load_image` does: never squashed.
    resize = keras.layers.Resizing(*size, crop_to_aspect_ratio=True) if size is not None else None

    def gather(index):
        batch = tf.cast(tf.gather(images, index), tf.float32)
        if batch.shape[-1] == 1:
            batch = tf.image.grayscale_to_rgb(batch)
        if resize is not None and tuple(batch.shape[1:3]) != size:
            batch = resize(batch)
        return (batch / round(1 / scale) if scale != 1 else batch), tf.gather(labels, index)

    return _steady(indices.batch(batch_size).map(gather, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE))


def _steady(dataset):
    """`dataset` with tf.data's autotuner off, for steady epochs.

    With it on, Keras's `fit` stalled with both cores idle for about 2.5 s at
    the start of one epoch in two, when the previous epoch's iterator was
    destroyed: the mini model's 2.6 s epochs took 5.1 s. Without it the
    prefetch and parallel maps still run, and the input pipeline measured as
    fast (`make bench`).
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def make_shapes_folder(directory=None, num_images=5000, image_size=64, seed=0, class_names=CLASS_NAMES):
    """Writes the shapes dataset as PNG files, one folder per class.

    Does nothing if `directory` already holds this exact dataset (same
    parameters), so notebooks can call it every time; a shapes dataset with
    other parameters written there before is replaced, not mixed in.

    Example:

    >>> folder = make_shapes_folder("shapes", num_images=80, image_size=32)
    >>> sorted(path.name for path in folder.iterdir())[:4]
    ['circle', 'crescent', 'cross', 'hexagon']

    Args:
        directory: Where to write; defaults to
            `DATA_DIR / "shapes-<size>px-<num_images>-seed<seed>"`.
        num_images: Total number of images, spread evenly over the classes.
        image_size: Height and width in pixels.
        seed: The random seed; the same seed writes the same images.
        class_names: Which shape classes (see `alexnet_edu.shapes.CLASS_NAMES`).

    Returns:
        The directory, as a `pathlib.Path`.
    """
    directory = pathlib.Path(directory or DATA_DIR / f"shapes-{image_size}px-{num_images}-seed{seed}")
    manifest = {"num_images": num_images, "image_size": image_size, "seed": seed, "class_names": list(class_names)}
    manifest_path = directory / "shapes.json"
    if manifest_path.exists():
        written = json.loads(manifest_path.read_text())
        if written == manifest:
            return directory
        # Another shapes dataset was written here: remove its images, or the two would mix.
        manifest_path.unlink()
        for name in written.get("class_names", []):
            for path in (directory / name).glob("[0-9][0-9][0-9][0-9][0-9].png"):
                path.unlink()
    images, labels = generate_shapes(num_images, image_size, seed, class_names)
    for name in class_names:
        (directory / name).mkdir(parents=True, exist_ok=True)
    for index, (image, label) in enumerate(zip(images, labels)):
        Image.fromarray(image).save(directory / class_names[label] / f"{index:05d}.png")
    manifest_path.write_text(json.dumps(manifest))
    return directory


def _split_counts(counts, validation_split):
    """Validation images per class: a share of each class, at least one of any class with two or more."""
    shares = []
    for count in counts:
        share = int(round(count * validation_split))
        if count >= 2:
            share = min(max(share, 1), count - 1)
        shares.append(share if count >= 2 else 0)
    return shares


def _stratified_split(files, validation_split, seed):
    """Train and validation indices into `files`, the same share of every class, fixed by `seed`."""
    rng = np.random.default_rng(seed)
    train, validation = [], []
    labels = files.labels
    counts = np.bincount(labels, minlength=len(files.class_names))
    for label, share in enumerate(_split_counts(counts, validation_split)):
        indices = rng.permutation(np.flatnonzero(labels == label))
        validation.append(indices[:share])
        train.append(indices[share:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(validation))


def _warn_about(files, train_counts, validation_counts):
    """One warning per kind of surprise: skipped files, tiny or unbalanced classes, a class missing from validation."""
    if files.skipped:
        shown = "; ".join(f"{path} ({reason})" for path, reason in files.skipped[:3])
        more = f"; and {len(files.skipped) - 3} more" if len(files.skipped) > 3 else ""
        _warn(f"Skipped {len(files.skipped)} file(s) or folder(s) in {str(files.directory)!r}: {shown}{more}.")
    tiny = [name for name, count in train_counts.items() if count < MIN_IMAGES_PER_CLASS]
    if tiny:
        _warn(
            f"Class(es) {', '.join(map(repr, tiny))} have fewer than {MIN_IMAGES_PER_CLASS} training images "
            f"({', '.join(str(train_counts[name]) for name in tiny)}): too few to learn from; add photos."
        )
    largest, smallest = max(train_counts.values()), min(train_counts.values())
    if smallest and largest > MAX_IMBALANCE * smallest:
        big = max(train_counts, key=train_counts.get)
        small = min(train_counts, key=train_counts.get)
        _warn(
            f"Unbalanced classes: {largest} training images of {big!r} against {smallest} of {small!r}; the model "
            "will favour the large class: add images to the small one or compare per-class accuracy."
        )
    missing = [name for name, count in validation_counts.items() if count == 0]
    if missing:
        _warn(
            f"No validation images of {', '.join(map(repr, missing))}: their per-class accuracy will be NaN; "
            "add images of them (each class needs at least 2 for a split)."
        )


def _check_validation_split(validation_split):
    if isinstance(validation_split, bool) or not isinstance(validation_split, (int, float)) or not 0 < validation_split < 1:
        raise ValueError(
            f"validation_split must be a fraction between 0 and 1, e.g. 0.2. Received: validation_split={validation_split!r}"
        )
    return validation_split


def _warn(message):
    warnings.warn(message, UserWarning, stacklevel=5)  # the caller of the loader


def load_image_folder(directory, image_size=64, batch_size=64, validation_split=None, seed=0, cache=True, max_per_class=None):
    """Loads a folder of images, one sub-folder per class, split into train and validation.

    Two layouts are understood:

    - `photos/<class>/<image>`: a share of every class (`validation_split`,
      0.2 by default) is held out for validation, the same files for the same seed;
    - `photos/train/<class>/...` beside `photos/validation/<class>/...` (or
      `val/`, `valid/`, `test/`), as Kaggle and GitHub datasets ship it: the
      folders are the split.

    Every file is listed and decoded once (`alexnet_edu.folders`): the images
    counted are the images loaded. Images of any mode (grayscale, RGBA,
    palette, 16-bit) become RGB, are cut to the largest centred crop of
    `image_size`'s shape and resized to it (never squashed), held in memory as
    uint8 and scaled to [0, 1] per batch. Skipped files, tiny or unbalanced
    classes and classes missing from validation give a warning; unreadable
    files an error naming each path.

    Example:

    >>> data = load_image_folder("photos/", image_size=224, batch_size=32)  # here: 120 images of 8 shapes
    >>> data.class_names, data.num_train
    (('circle', 'crescent', 'cross', 'hexagon', 'ring', 'square', 'star', 'triangle'), 96)

    Args:
        directory: The folder (`~` is expanded).
        image_size: Int or `(height, width)` to resize every image to.
        batch_size: Images per batch.
        validation_split: Fraction of each class held out for validation
            (default 0.2); leave it out for the train/validation layout.
        seed: Seed for the split and the shuffling of training batches.
        cache: Kept for compatibility: the decoded images always stay in memory.
        max_per_class: Use only the first this many images of each class
            (of each split folder), for a quick subset.

    Returns:
        An `ImageData`.
    """
    size = _size_pair(image_size)
    _check_batch_size(batch_size)
    directory = resolve_folder(directory)
    split_folders = find_split_folders(directory)
    if split_folders:
        if validation_split is not None:
            raise ValueError(
                f"{str(directory)!r} already has its own split ({split_folders[0].name}/ and {split_folders[1].name}/): "
                f"leave validation_split out. Received: validation_split={validation_split!r}"
            )
        files = scan_image_folder(split_folders[0], size, max_per_class)
        held_out = scan_image_folder(split_folders[1], size, max_per_class)
        unknown = sorted(set(held_out.class_names) - set(files.class_names))
        if unknown:
            raise ValueError(
                f"{str(split_folders[1])!r} has class(es) {', '.join(map(repr, unknown))} that "
                f"{str(split_folders[0])!r} lacks: give both folders the same class sub-folders."
            )
        relabel = np.asarray([files.class_names.index(name) for name in held_out.class_names], np.int32)
        train_images, train_labels = files.images, files.labels
        validation_images, validation_labels = held_out.images, relabel[held_out.labels]
        files = dataclasses.replace(files, skipped=files.skipped + held_out.skipped)
    else:
        validation_split = _check_validation_split(0.2 if validation_split is None else validation_split)
        files = scan_image_folder(directory, size, max_per_class)
        train_index, validation_index = _stratified_split(files, validation_split, seed)
        train_images, train_labels = files.images[train_index], files.labels[train_index]
        validation_images, validation_labels = files.images[validation_index], files.labels[validation_index]
    return _image_data(files, (train_images, train_labels), (validation_images, validation_labels), batch_size, seed)


def _image_data(files, train, validation, batch_size, seed):
    """An `ImageData` from decoded uint8 images split in two, after warning about what looks wrong."""
    num_classes = len(files.class_names)
    train_counts = dict(zip(files.class_names, np.bincount(train[1], minlength=num_classes).tolist()))
    validation_counts = dict(zip(files.class_names, np.bincount(validation[1], minlength=num_classes).tolist()))
    _warn_about(files, train_counts, validation_counts)

    def build_train(run=None):
        return _array_pipeline(*train, batch_size, 1 / 255, shuffle_seed=run_seed(seed, run))

    data = ImageData(
        train=build_train(),
        validation=_array_pipeline(*validation, batch_size, 1 / 255),
        class_names=files.class_names,
        image_shape=tuple(train[0].shape[1:]),
        num_train=len(train[1]),
        num_validation=len(validation[1]),
        batch_size=batch_size,
    )
    return restartable(data, build_train)


def load_shapes(num_images=5000, image_size=64, batch_size=64, validation_split=0.2, seed=0):
    """The default dataset: generates the shapes folder if needed, then loads it.

    Example:

    >>> data = load_shapes(num_images=400, image_size=32)
    >>> data.class_names[:3], data.num_train, data.num_validation
    (('circle', 'crescent', 'cross'), 320, 80)

    Args:
        num_images: Total images (train + validation).
        image_size: Height and width in pixels.
        batch_size: Images per batch.
        validation_split: Fraction held out for validation.
        seed: Seed for the images and the split.

    Returns:
        An `ImageData` with the 8 shape classes.
    """
    directory = make_shapes_folder(num_images=num_images, image_size=image_size, seed=seed)
    return load_image_folder(directory, image_size, batch_size, validation_split, seed)


def _labels_for(y, x, x_name, y_name, num_classes):
    try:
        labels = np.asarray(y)
    except Exception:
        labels = np.asarray([], dtype=object)
    if labels.dtype.kind == "f" and labels.size and np.all(np.isfinite(labels)) and np.all(labels == np.round(labels)):
        labels = labels.astype(np.int64)
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"{y_name} must be integer class labels (0 to {num_classes - 1}); one-hot labels need "
            f"np.argmax({y_name}, axis=-1). Received: dtype {labels.dtype}, shape {labels.shape}"
        )
    if labels.ndim == 2 and labels.shape[1] > 1:
        raise ValueError(f"{y_name} looks one-hot {labels.shape}: pass np.argmax({y_name}, axis=-1) instead.")
    labels = labels.reshape(-1)
    if len(labels) != len(x):
        raise ValueError(f"{x_name} has {len(x)} images but {y_name} has {len(labels)} labels: give one label per image.")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"Labels must lie in [0, {num_classes - 1}] for {num_classes} classes. "
            f"Received labels from {labels.min()} to {labels.max()}"
        )
    return labels.astype("int32")


def _image_array(x, name):
    scale = pixel_scale(x, name)
    x = np.asarray(x)
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[-1] not in (1, 3):
        hint = " (channels-first? move them last with np.moveaxis(x, 1, -1))" if x.ndim == 4 and x.shape[1] in (1, 3) else ""
        raise ValueError(
            f"{name} must be images (n, height, width, 3) or grayscale (n, height, width){hint}. Received: shape {x.shape}"
        )
    if x.dtype.kind == "f":
        x = x.astype("float32")
    return x, scale


def arrays_to_data(x_train, y_train, x_validation, y_validation, class_names, image_size=None, batch_size=64, seed=0):
    """Turns image arrays (e.g. from keras.datasets) into an `ImageData`.

    Pixels follow the kit's image contract (`alexnet_edu.images`): uint8
    (0-255) is scaled by 1/255, floats already in [0, 1] are kept as they
    are, and NaN or 0-255 floats are refused. Grayscale arrays `(n, h, w)` or
    `(n, h, w, 1)` become RGB; images are centre-cropped to `image_size`'s
    shape and resized to it if given.

    Example:

    >>> rng = np.random.default_rng(0)
    >>> data = arrays_to_data(
    ...     rng.integers(0, 256, (40, 32, 32, 3), dtype="uint8"), np.arange(40) % 4,
    ...     rng.integers(0, 256, (8, 32, 32, 3), dtype="uint8"), np.arange(8) % 4,
    ...     class_names=("cat", "dog", "frog", "ship"),
    ... )
    >>> data.num_train, data.num_validation, data.image_shape
    (40, 8, (32, 32, 3))

    Args:
        x_train: Training images `(n, height, width, 3)` or `(n, height, width)`.
        y_train: Integer labels, one per training image.
        x_validation: Validation images, like `x_train`.
        y_validation: Their labels.
        class_names: Label `i` is `class_names[i]`.
        image_size: Int or `(height, width)` to resize to; default: keep.
        batch_size: Images per batch.
        seed: Seed for the shuffling of training batches.

    Returns:
        An `ImageData`.
    """
    if isinstance(class_names, str) or not hasattr(class_names, "__len__") or len(class_names) < 2:
        raise ValueError(
            f"class_names must list at least two class names, e.g. ('cat', 'dog'). Received: class_names={class_names!r}"
        )
    _check_batch_size(batch_size)
    x_train, train_scale = _image_array(x_train, "x_train")
    x_validation, validation_scale = _image_array(x_validation, "x_validation")
    num_classes = len(class_names)
    y_train = _labels_for(y_train, x_train, "x_train", "y_train", num_classes)
    y_validation = _labels_for(y_validation, x_validation, "x_validation", "y_validation", num_classes)
    size = _size_pair(image_size) if image_size else tuple(x_train.shape[1:3])
    if not image_size and tuple(x_validation.shape[1:3]) != size:
        raise ValueError(
            f"x_train images are {size} but x_validation images are {tuple(x_validation.shape[1:3])}: "
            "pass image_size to resize both to one size."
        )
    def build_train(run=None):
        return _array_pipeline(x_train, y_train, batch_size, train_scale, shuffle_seed=run_seed(seed, run), size=size)

    data = ImageData(
        train=build_train(),
        validation=_array_pipeline(x_validation, y_validation, batch_size, validation_scale, size=size),
        class_names=tuple(class_names),
        image_shape=(*size, 3),
        num_train=len(x_train),
        num_validation=len(x_validation),
        batch_size=batch_size,
    )
    return restartable(data, build_train)


def _keras_home():
    from keras.src.backend import config  # Keras's own cache root: $KERAS_HOME or ~/.keras

    return pathlib.Path(os.path.expanduser(config.keras_home()))


def _download(dataset_name, loader):
    """Runs a real Keras loader; offline, says which file to fetch and where to put it."""
    try:
        return loader()
    except Exception as error:
        if "URL fetch failure" not in str(error):
            raise
        url, cache_path = ONLINE_SOURCES[dataset_name]
        target = _keras_home() / cache_path
        raise ConnectionError(
            f"Could not download {dataset_name} from {url} (no network?). On a machine with internet, "
            f"download it and put it at {target}, then run again."
        ) from None


def load_cifar10(image_size=32, batch_size=64, limit=None, seed=0):
    """CIFAR-10 through `keras.datasets.cifar10` (downloads 170 MB once, then cached).

    Example (downloads 170 MB once, so the tests do not run it):

    ```python
    data = load_cifar10(image_size=32, limit=5000)
    data.class_names[:3]  # ('airplane', 'automobile', 'bird')
    ```

    Args:
        image_size: Resize the 32x32 images to this size (e.g. 64 for `mini`).
        batch_size: Images per batch.
        limit: Use only the first `limit` training and `limit // 5` test images.
        seed: Seed for shuffling.
    """
    (x_train, y_train), (x_test, y_test) = _download("CIFAR-10", keras.datasets.cifar10.load_data)
    if limit:
        x_train, y_train, x_test, y_test = x_train[:limit], y_train[:limit], x_test[: limit // 5], y_test[: limit // 5]
    return arrays_to_data(x_train, y_train, x_test, y_test, CIFAR10_CLASSES, image_size, batch_size, seed)


def _tar_members(archive):
    """`(name, bytes)` of each regular file in a .tar.gz, headers read directly.

    `tarfile` took 4.8 s for the 50,000 photos on 2 cores (most of a quick
    notebook's loading), reading the same headers 9 times faster is worth
    the 20 lines. Any header this does not read (long names, pax records)
    falls back to `tarfile`.
    """
    blob = gzip.decompress(pathlib.Path(archive).read_bytes())
    members, offset = [], 0
    while offset + 512 <= len(blob) and blob[offset] != 0:
        header = blob[offset : offset + 512]
        kind, size_field = header[156:157], header[124:136]
        if kind not in (b"0", b"\0", b"5") or size_field[0] & 0x80:
            with tarfile.open(archive, "r:gz") as tar:
                return [(member.name, tar.extractfile(member).read()) for member in tar if member.isfile()]
        size = int(size_field.split(b"\0", 1)[0].strip() or b"0", 8)
        offset += 512
        if kind != b"5":
            members.append((header[:100].split(b"\0", 1)[0].decode(), blob[offset : offset + size]))
        offset += -(-size // 512) * 512
    return members


@functools.lru_cache(maxsize=1)
def _cifar10_photo_files(archive, digest):
    """`(member names, labels, JPEG bytes)` of the archive, read once per process."""
    del digest  # part of the cache key: a replaced archive is read again
    names, labels, contents = [], [], []
    for name, content in _tar_members(archive):
        parts = pathlib.PurePosixPath(name).parts
        if len(parts) == 3 and parts[1] in CIFAR10_CLASSES:
            names.append(name)
            labels.append(CIFAR10_CLASSES.index(parts[1]))
            contents.append(content)
    order = np.lexsort((names, labels))
    return [names[i] for i in order], np.asarray(labels, np.int32)[order], [contents[i] for i in order]


def cifar10_photos_archive():
    """The shipped archive of CIFAR-10 photographs, checked against its SHA-256.

    `data/cifar10-train-jpeg.tar.gz` (16 MB, see `data/README.md`) holds
    CIFAR-10's 50,000 training images as JPEG files, `train/<class>/NNNN.jpg`.
    A copy in `DATA_DIR` (set by `ALEXNET_EDU_DATA`) is used first.

    Returns:
        The archive's path.

    Raises:
        FileNotFoundError: The archive is missing (says how to restore it).
        ValueError: The archive is damaged (says how to restore it).
    """
    candidates = [DATA_DIR / CIFAR10_PHOTOS_ARCHIVE, _PACKAGE_PARENT / "data" / CIFAR10_PHOTOS_ARCHIVE]
    archive = next((path for path in candidates if path.is_file()), None)
    restore = (
        f"restore it with `git checkout -- data/{CIFAR10_PHOTOS_ARCHIVE}` in the kit's checkout, or copy it "
        f"to {str(candidates[0])!r} (online, load_cifar10() downloads the original instead)"
    )
    if archive is None:
        raise FileNotFoundError(f"The CIFAR-10 photographs {str(candidates[0])!r} are missing: {restore}.")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != CIFAR10_PHOTOS_SHA256:
        raise ValueError(
            f"The CIFAR-10 photographs {str(archive)!r} are damaged (SHA-256 {digest[:12]}..., "
            f"not {CIFAR10_PHOTOS_SHA256[:12]}...): {restore}."
        )
    return archive


def load_cifar10_photos(image_size=32, batch_size=64, per_class=None, validation_split=0.1, seed=0):
    """Real photographs, offline: CIFAR-10's training images, shipped with the kit.

    Ten classes of 32x32 photos (airplane, automobile, bird, cat, deer, dog,
    frog, horse, ship, truck; Krizhevsky 2009, the dataset of the paper's
    Figure 1), 5,000 per class, read straight from the shipped archive (no
    extraction) and decoded in parallel. The default split holds out 10 % of
    each class (5,000 images of the 50,000) for validation, the same images
    for the same seed.

    Example:

    >>> data = load_cifar10_photos(per_class=500)  # 5,000 photos, 4,500 to train on
    >>> data.class_names[:3]
    ('airplane', 'automobile', 'bird')

    Args:
        image_size: Int or `(height, width)`: resize the 32x32 photos to it.
        batch_size: Images per batch.
        per_class: Use only the first this many photos of each class (at
            most 5,000); None uses all of them.
        validation_split: Fraction of each class held out for validation.
        seed: Seed for the split and the shuffling of training batches.

    Returns:
        An `ImageData`.
    """
    size = _size_pair(image_size)
    _check_batch_size(batch_size)
    validation_split = _check_validation_split(validation_split)
    if per_class is not None and (isinstance(per_class, bool) or not isinstance(per_class, numbers.Integral) or per_class < 2):
        raise ValueError(f"per_class must be an integer from 2 to 5000, or None for all. Received: per_class={per_class!r}")
    archive = cifar10_photos_archive()
    names, labels, contents = _cifar10_photo_files(archive, CIFAR10_PHOTOS_SHA256)
    keep = np.concatenate([np.flatnonzero(labels == label)[:per_class] for label in range(len(CIFAR10_CLASSES))])
    images, failed = decode_images([contents[i] for i in keep], size, in_memory=True)
    if len(failed):
        raise ValueError(
            f"{len(failed)} photo(s) in {str(archive)!r} cannot be decoded, e.g. {names[keep[failed[0]]]}: restore the archive."
        )
    files = ImageFiles(archive, CIFAR10_CLASSES, tuple(names[i] for i in keep), labels[keep], images)
    train_index, validation_index = _stratified_split(files, validation_split, seed)
    train = (images[train_index], files.labels[train_index])
    return _image_data(files, train, (images[validation_index], files.labels[validation_index]), batch_size, seed)


def load_fashion_mnist(image_size=32, batch_size=64, limit=None, seed=0):
    """Fashion-MNIST through `keras.datasets.fashion_mnist`, as RGB (d2l.ai's AlexNet dataset).

    Example (downloads 30 MB once, so the tests do not run it):

    ```python
    data = load_fashion_mnist(image_size=32)
    data.image_shape  # (32, 32, 3)
    ```

    Args: as for `load_cifar10`.
    """
    (x_train, y_train), (x_test, y_test) = _download("Fashion-MNIST", keras.datasets.fashion_mnist.load_data)
    if limit:
        x_train, y_train, x_test, y_test = x_train[:limit], y_train[:limit], x_test[: limit // 5], y_test[: limit // 5]
    return arrays_to_data(x_train, y_train, x_test, y_test, FASHION_MNIST_CLASSES, image_size, batch_size, seed)


def load_tf_flowers(image_size=64, batch_size=64, validation_split=0.2, seed=0):
    """TensorFlow's 5-class flower photos (218 MB once, then cached), through the folder loader.

    Example (downloads 218 MB once, so the tests do not run it):

    ```python
    data = load_tf_flowers(image_size=64)
    len(data.class_names)  # 5
    ```
    """
    url = ONLINE_SOURCES["TF flowers"][0]
    root = _download("TF flowers", lambda: keras.utils.get_file("flower_photos", origin=url, extract=True))
    directory = pathlib.Path(root)
    if (directory / "flower_photos").is_dir():
        directory = directory / "flower_photos"
    return load_image_folder(directory, image_size, batch_size, validation_split, seed)


def _rgb_pixels(image):
    """A PIL image as float32 RGB in [0, 1], by its real bit depth (16-bit greys are not 8-bit)."""
    if image.mode.startswith("I;16") or image.mode == "I":
        grey = np.asarray(image, dtype=np.float32) / 65535.0
        return np.repeat(np.clip(grey, 0, 1)[..., None], 3, axis=-1)
    if image.mode == "F":
        grey = np.asarray(image, dtype=np.float32)
        pixel_scale(grey, "the image's pixels")
        return np.repeat(np.clip(grey, 0, 1)[..., None], 3, axis=-1)
    return np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0


def load_image(path, image_size=None):
    """Reads one image file as float32 RGB in [0, 1], optionally centre-cropped and resized.

    8-bit and 16-bit files give the same [0, 1] values for the same picture
    (a 16-bit mid-grey is 0.5, as in the folder loader).

    Example:

    >>> image = load_image("photos/circle/00000.png", image_size=64)  # here: a 32-px shape, enlarged
    >>> image.shape, image.dtype
    ((64, 64, 3), dtype('float32'))

    Args:
        path: An image file (`~` is expanded).
        image_size: Int or `(height, width)`; the largest centred crop of the
            target's aspect ratio is resized to it.
    """
    size = _size_pair(image_size) if image_size is not None else None
    if path is None or isinstance(path, (bool, int, float)):
        raise TypeError(f"path must be an image file's path (a string or pathlib.Path). Received: {path!r}")
    path = pathlib.Path(os.path.expanduser(os.fspath(path)))
    if path.is_dir():
        raise IsADirectoryError(
            f"{str(path)!r} is a folder: load_image reads one file; use load_image_folder for a folder of images."
        )
    if not path.exists():
        raise FileNotFoundError(f"No image file at {str(path)!r}: check the path (relative paths start at {os.getcwd()!r}).")
    try:
        with Image.open(path) as image:
            image.load()
            pixels = _rgb_pixels(image)
    except Image.DecompressionBombError:
        raise ValueError(f"Cannot read image {str(path)!r}: too large (a decompression bomb); shrink it first.") from None
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(f"Cannot read image {str(path)!r} ({type(error).__name__}): is it an image file?") from None
    return _crop_resize(pixels, size)


def _crop_resize(pixels, image_size):
    image = tf.convert_to_tensor(pixels, tf.float32)
    if image_size:
        image = keras.ops.image.resize(image, _size_pair(image_size), crop_to_aspect_ratio=True)
    return np.asarray(image, dtype="float32")


def sample_photos(image_size=227):
    """Real photographs that ship inside installed packages, usable offline.

    Example:

    >>> photos = sample_photos(image_size=227)
    >>> sorted(photos), photos["china"].shape
    (['china', 'flower', 'grace_hopper'], (227, 227, 3))

    Returns:
        A dict: `"grace_hopper"` (matplotlib), `"china"` and `"flower"`
        (scikit-learn), each float32 RGB in [0, 1] at `image_size`.
    """
    from matplotlib import cbook
    from sklearn.datasets import load_sample_images

    photos = {"grace_hopper": load_image(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False), image_size)}
    sklearn_images = load_sample_images()
    for filename, array in zip(sklearn_images.filenames, sklearn_images.images):
        photos[pathlib.Path(filename).stem] = _crop_resize(np.asarray(array, np.float32) / 255.0, image_size)
    return photos
