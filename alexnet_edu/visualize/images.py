"""Image grids: a labelled sample of a dataset, and augmentations side by side."""

import matplotlib.pyplot as plt
import numpy as np


def _grid(count, columns):
    rows = -(-count // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(1.6 * columns, 1.75 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return figure, axes.flat


def plot_images(images, labels=None, class_names=None, columns=8, predictions=None, max_images=32):
    """A grid of images titled with their class (and prediction, red when wrong).

    Args:
        images: `(n, height, width, 3)` floats in [0, 1] or uint8, or a
            dataset of `(images, labels)` batches (its first batch is shown).
        labels: Integer labels, if `images` is an array.
        class_names: Names for the labels.
        columns: Images per row.
        predictions: Predicted labels, to show next to the true ones.
        max_images: Show at most this many.

    Returns:
        A matplotlib `Figure`.
    """
    if not isinstance(images, np.ndarray) and hasattr(images, "take"):
        images, labels = next(iter(images))
    images = np.asarray(images)[:max_images]
    figure, axes = _grid(len(images), columns)
    for index, (ax, image) in enumerate(zip(axes, images)):
        ax.imshow(np.clip(image, 0, 1) if image.dtype.kind == "f" else image, interpolation="nearest")
        if labels is not None:
            label = int(np.asarray(labels)[index])
            title = class_names[label] if class_names else str(label)
            colour = "black"
            if predictions is not None:
                predicted = int(predictions[index])
                title += f"\n→ {class_names[predicted] if class_names else predicted}"
                colour = "black" if predicted == label else "red"
            ax.set_title(title, fontsize=8, color=colour)
    figure.tight_layout()
    return figure


def plot_augmentations(image, augmentation, count=7, seed=0):
    """One image and several random augmentations of it, side by side.

    Args:
        image: `(height, width, 3)` floats in [0, 1].
        augmentation: A Keras layer applied with `training=True`, e.g. from
            `paper_augmentation`.
        count: How many augmented versions.
        seed: Makes the figure reproducible.

    Returns:
        A matplotlib `Figure`; its first panel is the original.
    """
    import keras

    keras.utils.set_random_seed(seed)
    versions = [np.asarray(augmentation(image[None], training=True))[0] for _ in range(count)]
    figure, axes = _grid(count + 1, count + 1)
    for ax, picture, title in zip(axes, [image, *versions], ["original"] + [f"#{i + 1}" for i in range(count)]):
        ax.imshow(np.clip(picture, 0, 1), interpolation="nearest")
        ax.set_title(title, fontsize=8)
    figure.tight_layout()
    return figure
