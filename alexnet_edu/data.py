"""Data for the kit: the offline shapes dataset, any image folder, online datasets, demo photos.

Every loader returns an `ImageData`: batched `tf.data` pipelines of float32
images in [0, 1] with integer labels, plus the class names. A folder of
images, one sub-folder per class, is the common path: the generated shapes
dataset is written to disk so it goes through exactly the loader a
student's own photos go through.

Corrupt files: `load_image_folder` stops with an error that lists every
file it cannot read, so nothing is dropped silently; delete or re-save them.
"""

import contextlib
import dataclasses
import io
import json
import os
import pathlib
import warnings

import keras
import numpy as np
import tensorflow as tf
from PIL import Image, UnidentifiedImageError

from alexnet_edu.shapes import CLASS_NAMES, generate_shapes

IMAGE_EXTENSIONS = (".jpeg", ".jpg", ".png", ".bmp", ".gif")
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
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip


@dataclasses.dataclass
class ImageData:
    """Training and validation pipelines and what they hold.

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


def _size_pair(image_size):
    size = (image_size, image_size) if isinstance(image_size, int) else tuple(image_size)
    if len(size) != 2 or not all(isinstance(s, int) and s > 0 for s in size):
        raise ValueError(f"image_size must be an int or (height, width). Received: image_size={image_size!r}")
    return size


def _pipeline(dataset, batch_size, shuffle_seed=None, cache=True):
    """Unbatched uint8-range images -> [0, 1] floats, cached, reshuffled every epoch, batched."""
    dataset = dataset.map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, y), num_parallel_calls=tf.data.AUTOTUNE)
    if cache:
        dataset = dataset.cache()
    if shuffle_seed is not None:
        dataset = dataset.shuffle(10_000, seed=shuffle_seed, reshuffle_each_iteration=True)
    return _steady(dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE))


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
    parameters), so notebooks can call it every time.

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
    if manifest_path.exists() and json.loads(manifest_path.read_text()) == manifest:
        return directory
    images, labels = generate_shapes(num_images, image_size, seed, class_names)
    for name in class_names:
        (directory / name).mkdir(parents=True, exist_ok=True)
    for index, (image, label) in enumerate(zip(images, labels)):
        Image.fromarray(image).save(directory / class_names[label] / f"{index:05d}.png")
    manifest_path.write_text(json.dumps(manifest))
    return directory


def scan_image_folder(directory):
    """Checks a folder of class sub-folders before loading it.

    Returns:
        A dict of class name to its number of image files.

    Raises:
        FileNotFoundError: The folder does not exist.
        ValueError: No images, a single class, or files that cannot be read
            as images (every such path is named).
    """
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"Image folder {str(directory)!r} does not exist. Give a folder with one sub-folder per class.")
    counts, unreadable = {}, []
    for class_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
        files = [p for p in sorted(class_dir.iterdir()) if p.suffix.lower() in IMAGE_EXTENSIONS]
        for path in files:
            try:
                with Image.open(path) as image:
                    image.verify()
            except (UnidentifiedImageError, OSError, SyntaxError) as error:
                unreadable.append(f"{path} ({type(error).__name__})")
        if files:
            counts[class_dir.name] = len(files)
    if unreadable:
        shown = "; ".join(unreadable[:5]) + (f"; and {len(unreadable) - 5} more" if len(unreadable) > 5 else "")
        raise ValueError(f"Cannot read {len(unreadable)} image file(s), delete or re-save them: {shown}")
    if not counts:
        raise ValueError(
            f"No images found in {str(directory)!r}: put images ({', '.join(IMAGE_EXTENSIONS)}) "
            "in one sub-folder per class, e.g. cats/001.jpg and dogs/001.jpg."
        )
    if len(counts) < 2:
        raise ValueError(
            f"Only one class ({next(iter(counts))!r}) in {str(directory)!r}: a classifier needs at least "
            "two sub-folders of images, one per class."
        )
    return counts


def load_image_folder(directory, image_size=64, batch_size=64, validation_split=0.2, seed=0, cache=True):
    """Loads a folder of images, one sub-folder per class, split into train and validation.

    Images of any mode (grayscale, RGBA, palette) become RGB, are resized to
    `image_size`, scaled to [0, 1], batched, cached and prefetched.

    Example:

    >>> data = load_image_folder("photos/", image_size=224, batch_size=32)
    >>> data.class_names, data.num_train

    Args:
        directory: The folder; its sub-folders name the classes.
        image_size: Int or `(height, width)` to resize every image to.
        batch_size: Images per batch.
        validation_split: Fraction held out for validation (the same files
            for the same seed).
        seed: Seed for the split and the shuffling of training batches.
        cache: Keep decoded images in memory after the first epoch.

    Returns:
        An `ImageData`.
    """
    counts = scan_image_folder(directory)
    size = _size_pair(image_size)
    if not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be between 0 and 1. Received: validation_split={validation_split!r}")
    # Keras prints its file counts even with verbose=False; ours are in ImageData.
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        train, validation = keras.utils.image_dataset_from_directory(
            directory,
            image_size=size,
            batch_size=None,
            validation_split=validation_split,
            subset="both",
            seed=seed,
            color_mode="rgb",
            verbose=False,
        )
    class_names = tuple(train.class_names)
    num_validation = int(sum(counts.values()) * validation_split)
    return ImageData(
        train=_pipeline(train, batch_size, shuffle_seed=seed, cache=cache),
        validation=_pipeline(validation, batch_size, cache=cache),
        class_names=class_names,
        image_shape=(*size, 3),
        num_train=sum(counts.values()) - num_validation,
        num_validation=num_validation,
        batch_size=batch_size,
    )


def load_shapes(num_images=5000, image_size=64, batch_size=64, validation_split=0.2, seed=0):
    """The default dataset: generates the shapes folder if needed, then loads it.

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


def arrays_to_data(x_train, y_train, x_validation, y_validation, class_names, image_size=None, batch_size=64, seed=0):
    """Turns uint8 image arrays (e.g. from keras.datasets) into an `ImageData`.

    Grayscale arrays `(n, h, w)` or `(n, h, w, 1)` become RGB; images are
    resized to `image_size` if given, and scaled to [0, 1].
    """
    size = _size_pair(image_size) if image_size else tuple(x_train.shape[1:3])
    num_classes = len(class_names)

    def pipeline(x, y, shuffle):
        y = np.asarray(y).reshape(-1).astype("int32")
        if y.size and (y.min() < 0 or y.max() >= num_classes):
            raise ValueError(
                f"Labels must lie in [0, {num_classes - 1}] for {num_classes} classes. "
                f"Received labels from {y.min()} to {y.max()}"
            )
        x = x[..., None] if x.ndim == 3 else x

        def prepare(image, label):
            image = tf.image.grayscale_to_rgb(image) if image.shape[-1] == 1 else image
            if tuple(image.shape[:2]) != size:
                image = tf.image.resize(tf.cast(image, tf.float32), size)
            return image, label

        dataset = tf.data.Dataset.from_tensor_slices((x, y)).map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
        return _pipeline(dataset, batch_size, shuffle_seed=seed if shuffle else None)

    return ImageData(
        train=pipeline(x_train, y_train, shuffle=True),
        validation=pipeline(x_validation, y_validation, shuffle=False),
        class_names=tuple(class_names),
        image_shape=(*size, 3),
        num_train=len(x_train),
        num_validation=len(x_validation),
        batch_size=batch_size,
    )


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


def load_fashion_mnist(image_size=32, batch_size=64, limit=None, seed=0):
    """Fashion-MNIST through `keras.datasets.fashion_mnist`, as RGB (d2l.ai's AlexNet dataset).

    Args: as for `load_cifar10`.
    """
    (x_train, y_train), (x_test, y_test) = _download("Fashion-MNIST", keras.datasets.fashion_mnist.load_data)
    if limit:
        x_train, y_train, x_test, y_test = x_train[:limit], y_train[:limit], x_test[: limit // 5], y_test[: limit // 5]
    return arrays_to_data(x_train, y_train, x_test, y_test, FASHION_MNIST_CLASSES, image_size, batch_size, seed)


def load_tf_flowers(image_size=64, batch_size=64, validation_split=0.2, seed=0):
    """TensorFlow's 5-class flower photos (218 MB once, then cached), through the folder loader."""
    url = ONLINE_SOURCES["TF flowers"][0]
    root = _download("TF flowers", lambda: keras.utils.get_file("flower_photos", origin=url, extract=True))
    directory = pathlib.Path(root)
    if (directory / "flower_photos").is_dir():
        directory = directory / "flower_photos"
    return load_image_folder(directory, image_size, batch_size, validation_split, seed)


def load_image(path, image_size=None):
    """Reads one image file as float32 RGB in [0, 1], optionally centre-cropped and resized.

    Args:
        path: An image file.
        image_size: Int or `(height, width)`; the largest centred crop of the
            target's aspect ratio is resized to it.
    """
    try:
        with Image.open(path) as image:
            array = np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"Cannot read image {str(path)!r} ({type(error).__name__}): is it an image file?") from None
    return _crop_resize(array, image_size)


def _crop_resize(array, image_size):
    image = tf.convert_to_tensor(array, tf.float32) / 255.0
    if image_size:
        image = keras.ops.image.resize(image, _size_pair(image_size), crop_to_aspect_ratio=True)
    return np.asarray(image, dtype="float32")


def sample_photos(image_size=227):
    """Real photographs that ship inside installed packages, usable offline.

    Returns:
        A dict: `"grace_hopper"` (matplotlib), `"china"` and `"flower"`
        (scikit-learn), each float32 RGB in [0, 1] at `image_size`.
    """
    from matplotlib import cbook
    from sklearn.datasets import load_sample_images

    photos = {"grace_hopper": load_image(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False), image_size)}
    sklearn_images = load_sample_images()
    for filename, array in zip(sklearn_images.filenames, sklearn_images.images):
        photos[pathlib.Path(filename).stem] = _crop_resize(array, image_size)
    return photos
