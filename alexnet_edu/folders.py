"""One file list for a folder of images: the files it counts are the files it loads.

`scan_image_folder` walks a folder of class sub-folders once, with one set of
rules, and decodes every image fully (TensorFlow's decoders, in parallel), so
a file that would fail in the first epoch fails here, named. The loaders in
`alexnet_edu.data` build their pipelines from the decoded pixels it returns,
never from a second walk.

The rules:

- Classes are the sub-folders of the folder; images in nested folders
  (`cats/indoor/001.jpg`) belong to the top-level class (`cats`).
- Hidden folders (`.ipynb_checkpoints`), `__MACOSX` (left by unzipping on a
  Mac) and `__pycache__` are skipped at every level, and reported; so are
  hidden image files (`._x.jpg`). Other hidden files (`.DS_Store`) are skipped.
- Files with an image extension TensorFlow cannot decode (`.tif`, `.heic`, ...),
  other files inside class folders, and images beside the class folders are
  reported, never loaded. Other files beside the class folders (a README, a
  CSV of labels) are ignored.
- Unreadable images (truncated, empty, not an image, a decompression bomb)
  stop the scan with one error naming every path.
"""

import dataclasses
import numbers
import os
import pathlib
import warnings

import keras
import numpy as np
import tensorflow as tf
from PIL import Image, UnidentifiedImageError

IMAGE_EXTENSIONS = (".jpeg", ".jpg", ".png", ".bmp", ".gif", ".webp")
# Image files TensorFlow cannot decode: reported with the fix, never loaded.
UNSUPPORTED_EXTENSIONS = (".tif", ".tiff", ".heic", ".heif", ".avif", ".jp2", ".ico", ".svg", ".raw", ".cr2", ".nef")
SKIPPED_FOLDERS = ("__MACOSX", "__pycache__")
# Split folders of the common train/test layout (Kaggle, GitHub), validation first.
VALIDATION_FOLDERS = ("validation", "val", "valid", "test")
# PIL's own guard against decompression bombs (about 89 megapixels).
MAX_PIXELS = Image.MAX_IMAGE_PIXELS


@dataclasses.dataclass(frozen=True)
class ImageFiles:
    """The images of a folder of class sub-folders, decoded.

    Attributes:
        directory: The folder, `~` expanded.
        class_names: The classes, sorted; label `i` is `class_names[i]`.
        paths: Every image file, in class then path order.
        labels: int32 label of each path.
        images: uint8 `(n, height, width, 3)` pixels of each path, resized
            (or None when the scan was asked not to decode).
        skipped: `(path, reason)` of every file or folder left out.
    """

    directory: pathlib.Path
    class_names: tuple
    paths: tuple
    labels: np.ndarray
    images: np.ndarray
    skipped: tuple = ()

    @property
    def counts(self):
        """A dict of class name to its number of images."""
        numbers = np.bincount(self.labels, minlength=len(self.class_names))
        return dict(zip(self.class_names, (int(n) for n in numbers)))


def _skip_reason(path):
    name = path.name
    if name.startswith("."):
        return "hidden"
    if name in SKIPPED_FOLDERS:
        return "system"
    return None


def resolve_folder(directory, purpose="Image folder"):
    """`directory` as a Path with `~` expanded; a clear error when it is missing or a file."""
    if directory is None or isinstance(directory, (bool, int, float)):
        raise TypeError(f"{purpose} must be a path (a string or pathlib.Path). Received: {directory!r}")
    path = pathlib.Path(os.path.expanduser(os.fspath(directory)))
    if path.is_file():
        archive = "".join(path.suffixes[-2:]).lower()
        fix = (
            f"extract it first (e.g. tar -xzf / unzip {path.name}) and give the extracted folder"
            if archive.endswith((".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz"))
            else "give the folder that holds one sub-folder per class"
        )
        raise NotADirectoryError(f"{purpose} {str(path)!r} is a file, not a folder: {fix}.")
    if not path.is_dir():
        raise FileNotFoundError(f"{purpose} {str(path)!r} does not exist. Give a folder with one sub-folder per class.")
    return path


def _file_reason(path):
    """Why a file is left out (None: it is an image to load); hidden non-images go unreported."""
    suffix = path.suffix.lower()
    if path.name.startswith("."):
        return "hidden file" if suffix in IMAGE_EXTENSIONS + UNSUPPORTED_EXTENSIONS else ""
    if suffix in IMAGE_EXTENSIONS:
        return None
    if suffix in UNSUPPORTED_EXTENSIONS:
        return f"{suffix} is not supported: convert it to PNG or JPEG"
    return "not an image file"


def _walk_class(class_dir, skipped):
    """Image files under one class folder, recursively; what was left out goes to `skipped`."""
    files = []
    for root, folders, names in os.walk(class_dir):
        root = pathlib.Path(root)
        for folder in sorted(folders):
            reason = _skip_reason(root / folder)
            if reason:
                skipped.append((root / folder, f"{reason} folder"))
        folders[:] = sorted(f for f in folders if not _skip_reason(root / f))
        for name in sorted(names):
            reason = _file_reason(root / name)
            if reason is None:
                files.append(root / name)
            elif reason:
                skipped.append((root / name, reason))
    return files


def _class_folders(directory, skipped):
    """The class folders; images lying beside them are reported, other files (README, CSV) ignored."""
    classes = []
    for path in sorted(directory.iterdir()):
        reason = _skip_reason(path)
        if path.is_dir():
            if reason:
                skipped.append((path, f"{reason} folder"))
            else:
                classes.append(path)
        elif _file_reason(path) is None:
            skipped.append((path, "an image outside the class folders: move it into one"))
    return classes


def _pil_problem(path, load):
    """PIL's reason why a file is no usable image (None when it is): its size from the header, pixels if `load`."""
    if path.stat().st_size == 0:
        return "empty file"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                problem = _size_problem(*image.size)
                if load and not problem:
                    image.load()
    except Image.DecompressionBombError:
        return "too large: a decompression bomb"
    except UnidentifiedImageError:
        return "not an image"
    except (OSError, SyntaxError, ValueError) as error:
        return f"damaged: {error}"
    return problem


def _size_problem(width, height):
    if width * height > MAX_PIXELS:
        return f"too large ({width}x{height} pixels): a decompression bomb; shrink it below {MAX_PIXELS:,} pixels"
    return None


def _why_unreadable(path):
    """PIL's reason for a file that TensorFlow could not decode."""
    return _pil_problem(path, load=True) or "cannot be decoded by TensorFlow: re-save it as PNG or JPEG"


def _png_size(path):
    """Width and height from a PNG's IHDR chunk (24 bytes), or None when it is no PNG."""
    with open(path, "rb") as file:
        header = file.read(24)
    if header[:8] != b"\x89PNG\r\n\x1a\n" or header[12:16] != b"IHDR":
        return None
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def _header_problem(path):
    """Catches empty files and decompression bombs before decoding; None when the header is fine.

    JPEG headers are checked inside the decoding pipeline (in C++, fast);
    PNG headers from their 24 first bytes; other formats with PIL.
    """
    suffix = path.suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        return "empty file" if path.stat().st_size == 0 else None
    size = _png_size(path) if suffix == ".png" else None
    return _pil_problem(path, load=False) if size is None else _size_problem(*size)


def _resize_uint8(image, resize):
    return tf.cast(tf.clip_by_value(tf.round(resize(tf.cast(image, tf.float32))), 0, 255), tf.uint8)


def decode_images(sources, size, in_memory=False):
    """Decodes, centre-crops and resizes images in parallel; returns uint8 images and the indices that failed.

    Args:
        sources: File paths, or the files' bytes when `in_memory` is True.
        size: `(height, width)` of the result.
        in_memory: Whether `sources` are bytes rather than paths.
    """

    # The largest centred crop of the target's shape, resized, as the paper and `load_image` do: never squashed.
    resize = keras.layers.Resizing(*size, crop_to_aspect_ratio=True)

    def decode(index, source):
        contents = source if in_memory else tf.io.read_file(source)
        if tf.io.is_jpeg(contents):
            shape = tf.cast(tf.image.extract_jpeg_shape(contents), tf.int64)
            tf.debugging.assert_less_equal(shape[0] * shape[1], tf.constant(MAX_PIXELS, tf.int64))
        image = tf.io.decode_image(contents, channels=3, dtype=tf.uint8, expand_animations=False)
        same_size = tf.reduce_all(tf.shape(image)[:2] == size)
        return index, tf.cond(same_size, lambda: image, lambda: _resize_uint8(image, resize))

    dataset = (
        tf.data.Dataset.from_tensor_slices((tf.range(len(sources)), list(sources) if in_memory else [str(p) for p in sources]))
        .map(decode, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
        .ignore_errors()
        .batch(1024)
    )
    images = np.zeros((len(sources), *size, 3), np.uint8)
    decoded = np.zeros(len(sources), bool)
    for indices, batch in dataset:
        images[indices.numpy()] = batch.numpy()
        decoded[indices.numpy()] = True
    return images, np.flatnonzero(~decoded)


def _raise_unreadable(problems):
    shown = "; ".join(f"{path} ({reason})" for path, reason in problems[:5])
    more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
    raise ValueError(f"Cannot read {len(problems)} image file(s), delete or re-save them: {shown}{more}")


def scan_image_folder(directory, image_size=None, max_per_class=None):
    """Lists, checks and decodes a folder of class sub-folders, with one set of rules.

    Example:

    >>> files = scan_image_folder("photos/", image_size=(64, 64))  # here: 120 images of 8 shapes
    >>> files.counts, len(files.skipped)
    ({'circle': 15, 'crescent': 15, 'cross': 15, 'hexagon': 15, 'ring': 15, 'square': 15, 'star': 15, 'triangle': 15}, 0)

    Args:
        directory: The folder (`~` is expanded); its sub-folders name the classes.
        image_size: `(height, width)` to resize every decoded image to, or
            None to check the files' headers only (fast, no pixels).
        max_per_class: Keep only the first this many images of each class
            (in path order), e.g. for a quick subset; None keeps all.

    Returns:
        An `ImageFiles`.

    Raises:
        FileNotFoundError: The folder does not exist.
        NotADirectoryError: It is a file (an archive: extract it first).
        ValueError: No images, a single class, or files that cannot be read
            as images (every such path is named).
    """
    directory = resolve_folder(directory)
    if max_per_class is not None and (
        isinstance(max_per_class, bool) or not isinstance(max_per_class, numbers.Integral) or max_per_class < 1
    ):
        raise ValueError(f"max_per_class must be a positive integer or None. Received: max_per_class={max_per_class!r}")
    skipped = []
    paths, labels, class_names = [], [], []
    for class_dir in _class_folders(directory, skipped):
        files = _walk_class(class_dir, skipped)[:max_per_class]
        if files:
            labels += [len(class_names)] * len(files)
            class_names.append(class_dir.name)
            paths += files
        else:
            skipped.append((class_dir, "a folder with no images"))
    if not paths:
        raise ValueError(
            f"No images found in {str(directory)!r}: put images ({', '.join(IMAGE_EXTENSIONS)}) "
            "in one sub-folder per class, e.g. cats/001.jpg and dogs/001.jpg."
        )
    if len(class_names) < 2:
        raise ValueError(
            f"Only one class ({class_names[0]!r}) in {str(directory)!r}: a classifier needs at least "
            "two sub-folders of images, one per class."
        )
    problems = [(path, reason) for path, reason in ((p, _header_problem(p)) for p in paths) if reason]
    if problems:
        _raise_unreadable(problems)
    images = None
    if image_size is not None:
        images, failed = decode_images(paths, tuple(image_size))
        if len(failed):
            _raise_unreadable([(paths[i], _why_unreadable(paths[i])) for i in failed])
    return ImageFiles(
        directory=directory,
        class_names=tuple(class_names),
        paths=tuple(paths),
        labels=np.asarray(labels, np.int32),
        images=images,
        skipped=tuple(skipped),
    )


def find_split_folders(directory):
    """The `(train, validation)` sub-folders of the common split layout, or None.

    The layout `train/<class>/...` beside `validation/<class>/...` (or `val/`,
    `valid/`, `test/`), as Kaggle and GitHub datasets ship it.
    """
    directory = resolve_folder(directory)
    train = directory / "train"
    if not train.is_dir():
        return None
    for name in VALIDATION_FOLDERS:
        if (directory / name).is_dir():
            return train, directory / name
    return None
