"""Image grids: a labelled sample of a dataset, and augmentations side by side."""

import matplotlib.pyplot as plt
import numpy as np

from alexnet_edu.images import as_images
from alexnet_edu.visualize._layers import check_count, displayable


def _grid(count, columns):
    rows = -(-count // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(1.6 * columns, 1.75 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return figure, axes.flat


def _check_labels(labels, count, class_names, name):
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) < count:
        raise ValueError(
            f"{name} must be one integer label per image ({count} shown; for probabilities or one-hot rows use .argmax(-1)). "
            f"Received: {name} of shape {labels.shape}"
        )
    labels = labels[:count]
    whole = labels.dtype.kind in "iu" or (
        labels.dtype.kind == "f" and np.all(np.isfinite(labels)) and np.all(labels == np.round(labels))
    )
    if not whole:
        raise TypeError(
            f"{name} must be integer class numbers (for probabilities use .argmax(-1)). Received: {name} of dtype {labels.dtype}"
        )
    labels = labels.astype("int64")
    if class_names is not None and count and not (0 <= labels.min() and labels.max() < len(class_names)):
        raise ValueError(
            f"{name} go from {labels.min()} to {labels.max()} but there are {len(class_names)} class_names: pass one name per "
            f"class (e.g. data.class_names). Received: class_names={list(class_names)!r}"
        )
    return labels


def plot_images(images, labels=None, class_names=None, columns=8, predictions=None, max_images=32):
    """A grid of images titled with their class (and prediction, red when wrong).

    Example:

    >>> data = load_shapes(num_images=400, image_size=32)
    >>> images, labels = next(iter(data.validation))
    >>> figure = plot_images(images, labels, data.class_names, max_images=16)

    Args:
        images: `(n, height, width, 3)` (or one image): uint8 (0-255) or
            floats in [0, 1]; or a dataset of `(images, labels)` batches
            (its first batch is shown).
        labels: Integer labels, if `images` is an array.
        class_names: Names for the labels.
        columns: Images per row.
        predictions: Predicted labels, to show next to the true ones.
        max_images: Show at most this many.

    Returns:
        A matplotlib `Figure`.

    Raises:
        ValueError: Images that break the image contract (0-255 floats,
            NaN), labels that do not match the images or the class names,
            or `columns` or `max_images` below 1.
        TypeError: Images that are not pixel arrays.
    """
    columns, max_images = check_count("columns", columns), check_count("max_images", max_images)
    if hasattr(images, "element_spec"):
        images, labels = next(iter(images))
    # Only the images shown are converted: a whole uint8 dataset as float32 would be 4 times its size.
    if len(getattr(images, "shape", ())) == 4:
        images = images[:max_images]
    images = as_images(images, "images", batch=True)[:max_images]
    if not len(images):
        raise ValueError(
            "images is empty: there is nothing to plot (check the selection, e.g. a mask with no True). Received: 0 images"
        )
    if labels is not None:
        labels = _check_labels(labels, len(images), class_names, "labels")
    if predictions is not None:
        predictions = _check_labels(predictions, len(images), class_names, "predictions")
    figure, axes = _grid(len(images), columns)
    for index, (ax, image) in enumerate(zip(axes, images)):
        ax.imshow(displayable(image), cmap="gray", interpolation="nearest")
        if labels is not None:
            label = int(labels[index])
            title = class_names[label] if class_names is not None else str(label)
            colour = "black"
            if predictions is not None:
                predicted = int(predictions[index])
                title += f"\n→ {class_names[predicted] if class_names is not None else predicted}"
                colour = "black" if predicted == label else "red"
            ax.set_title(title, fontsize=10, color=colour)
    figure.tight_layout()
    return figure


def plot_augmentations(image, augmentation, count=7, seed=0, title=None):
    """One image and several random augmentations of it, side by side.

    Example:

    >>> augmentation, crop_shape = paper_augmentation((64, 64, 3), crop=True, flip=True)
    >>> figure = plot_augmentations(sample_photos(image_size=64)["flower"], augmentation, count=5)

    Args:
        image: `(height, width, 3)`: uint8 (0-255) or floats in [0, 1]. A
            batch of one is accepted.
        augmentation: A Keras layer applied with `training=True`, e.g. the
            first item of what `paper_augmentation` returns.
        count: How many augmented versions.
        seed: Makes the figure reproducible.
        title: A title above the panels (placed clear of the panels' own
            titles, which a later `figure.suptitle` would cover).

    Returns:
        A matplotlib `Figure`; its first panel is the original.

    Raises:
        ValueError: A batch of several images, pixels outside the image
            contract, or `count` below 1.
        TypeError: An augmentation that is not a layer or function.
    """
    import keras

    count = check_count("count", count)
    image = as_images(image, "image", batch=False)
    if isinstance(augmentation, tuple):
        raise TypeError(
            "augmentation is a tuple: paper_augmentation returns (layer, crop_shape), so pass its first item, e.g. "
            "augmentation, _ = paper_augmentation(image.shape). Received: augmentation of type tuple"
        )
    if not callable(augmentation):
        raise TypeError(
            "augmentation must be a Keras layer (or function) applied to images, e.g. from paper_augmentation. "
            f"Received: augmentation of type {type(augmentation).__name__}"
        )
    keras.utils.set_random_seed(seed)
    versions = [np.asarray(augmentation(image[None], training=True))[0] for _ in range(count)]
    figure, axes = _grid(count + 1, count + 1)
    for ax, picture, label in zip(axes, [image, *versions], ["original"] + [f"#{i + 1}" for i in range(count)]):
        ax.imshow(displayable(picture), cmap="gray", interpolation="nearest")
        ax.set_title(label, fontsize=10)
    if title is not None:
        figure.suptitle(str(title), fontsize=12)
    # tight_layout makes room for the suptitle when it is set first.
    figure.tight_layout()
    return figure
