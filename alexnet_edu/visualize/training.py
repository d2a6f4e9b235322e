"""Training curves and the confusion matrix."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator


def plot_history(history, metrics=("loss", "accuracy")):
    """Training and validation curves, one panel per metric.

    Example:

    >>> history = {"loss": [2.0, 1.5, 1.2], "val_loss": [1.9, 1.6, 1.4], "accuracy": [0.3, 0.5, 0.6],
    ...            "val_accuracy": [0.3, 0.45, 0.5]}
    >>> figure = plot_history(history)

    Args:
        history: A Keras `History` or its `.history` dict.
        metrics: The metrics to draw (each with its `val_` twin when present).

    Returns:
        A matplotlib `Figure`.
    """
    logs = history.history if hasattr(history, "history") else history
    missing = [m for m in metrics if m not in logs]
    if missing:
        raise ValueError(f"The history has no {missing[0]!r}. Available: {', '.join(sorted(logs))}.")
    figure, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.5), squeeze=False)
    for ax, metric in zip(axes.flat, metrics):
        epochs = np.arange(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], "o-", label="training")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], "o-", label="validation")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.legend()
    figure.tight_layout()
    return figure


def plot_confusion_matrix(confusion, class_names, normalize=True, outside=None):
    """A confusion matrix as a heat map, with the counts or row fractions written in.

    Example:

    >>> figure = plot_confusion_matrix(np.array([[8, 2], [1, 9]]), ["cat", "dog"])

    Args:
        confusion: `(n, n)` counts: rows are true classes, columns predictions
            (e.g. `Evaluation.confusion`).
        class_names: The `n` class names.
        normalize: Show each row as fractions of that class.
        outside: Images of each class predicted as a class that is not in
            `class_names` (`Evaluation.outside`, e.g. a 1000-class model
            scored on a few named classes): part of each row's total, so a
            row's fractions add up to its share predicted inside.

    Returns:
        A matplotlib `Figure`.
    """
    confusion = np.asarray(confusion)
    if confusion.shape != (len(class_names), len(class_names)):
        raise ValueError(
            f"The confusion matrix is {confusion.shape} but there are {len(class_names)} class names. "
            f"Received: confusion of shape {confusion.shape}"
        )
    totals = confusion.sum(axis=1) + (0 if outside is None else np.asarray(outside))
    values = confusion / np.maximum(totals, 1)[:, None] if normalize else confusion
    size = 0.7 * len(class_names) + 2  # cells wide enough for 10-pt numbers
    figure, ax = plt.subplots(figsize=(size + 1, size))
    image = ax.imshow(values, cmap="Blues", vmin=0)
    positions = np.arange(len(class_names))
    ax.set_xticks(positions, class_names, rotation=45, ha="right")
    ax.set_yticks(positions, class_names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    threshold = values.max() / 2
    for row in positions:
        for column in positions:
            text = f"{values[row, column]:.2f}" if normalize else str(values[row, column])
            ax.text(column, row, text, ha="center", va="center", fontsize=10,
                    color="white" if values[row, column] > threshold else "black")  # fmt: skip
    figure.colorbar(image, ax=ax, fraction=0.046)
    figure.tight_layout()
    return figure
