"""Sanity checks side by side: the four curves that tell a healthy network from a broken one."""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator


def plot_diagnoses(diagnoses):
    """Four panels, one line per diagnosis: what each sanity check measured.

    - Overfit one batch: the training loss on one batch, step by step.
    - Learning-rate range test: the smoothed loss as the rate rises (log
      scale), with a dot at the rate the setup trains with.
    - Gradient per layer: gradient RMS ÷ kernel RMS of the untrained model
      (log scale), input side on the left.
    - Short training: validation accuracy per epoch, with chance dashed.

    Example:

    >>> data = load_cifar10_photos(per_class=20)
    >>> def mini():
    ...     return build_alexnet("mini", input_shape=(32, 32, 3))
    >>> healthy = diagnose(mini, data, learning_rate=1e-3, epochs=1, overfit_steps=10, range_steps=10)
    >>> too_high = diagnose(mini, data, learning_rate=1.0, epochs=1, overfit_steps=10, range_steps=10, name="lr 1.0")
    >>> figure = plot_diagnoses([healthy, too_high])

    Args:
        diagnoses: A list (or dict) of `alexnet_edu.diagnostics.Diagnosis`.

    Returns:
        A matplotlib `Figure`.
    """
    # Imported here: the figures sit below alexnet_edu.diagnostics in the package's one-way imports.
    from alexnet_edu.diagnostics import diagnosis_list

    diagnoses = diagnosis_list(diagnoses)
    figure, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    overfit_ax, range_ax, gradient_ax, training_ax = axes.flat
    expected = max(diagnosis.expected_loss for diagnosis in diagnoses)
    for index, diagnosis in enumerate(diagnoses):
        color = f"C{index}"
        label = diagnosis.name
        # The first setup (usually the healthy one) drawn wide underneath: setups that measure the same stay visible.
        width = 4 if index == 0 else 1.6
        overfit_ax.plot(diagnosis.overfit.index, diagnosis.overfit["loss"], color=color, label=label, linewidth=width)
        curve = diagnosis.lr_range
        if len(curve):
            range_ax.plot(curve["learning_rate"], curve["smoothed"], color=color, label=label, linewidth=width)
            chosen = float(np.interp(np.log(diagnosis.learning_rate), np.log(curve["learning_rate"]), curve["smoothed"]))
            range_ax.plot([diagnosis.learning_rate], [chosen], "o", color=color, markersize=8, markeredgecolor="black")
        layers = diagnosis.layers
        gradient_ax.plot(np.arange(len(layers)), layers["ratio"], "o-", color=color, label=label, linewidth=width)
        history = diagnosis.history
        if len(history):
            training_ax.plot(history.index, history["val_accuracy"], "o-", color=color, label=label, linewidth=width)
    overfit_ax.set(title="Overfit one batch", xlabel="step", ylabel="training loss on the batch", ylim=(0, 2 * expected))
    overfit_ax.axhline(expected, color="grey", linestyle="--", linewidth=1)
    range_ax.set(
        title="Learning-rate range test (dot: the rate used)",
        xlabel="learning rate",
        ylabel="smoothed training loss",
        xscale="log",
        ylim=(0, 2 * expected),
    )
    range_ax.axhline(expected, color="grey", linestyle="--", linewidth=1)
    names = list(diagnoses[0].layers.index)
    gradient_ax.set(
        title="Gradient reaching each layer (untrained)",
        ylabel="gradient RMS ÷ kernel RMS",
        yscale="log",
        xticks=np.arange(len(names)),
    )
    gradient_ax.set_xticklabels(names)
    chance = math.exp(-expected)
    training_ax.axhline(chance, color="grey", linestyle="--", linewidth=1)
    training_ax.set(title="Short training run", xlabel="epoch", ylabel="validation accuracy", ylim=(0, 1))
    training_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in (overfit_ax, range_ax):
        ax.text(0.99, expected, "ln C", color="grey", ha="right", va="bottom", transform=ax.get_yaxis_transform())
    training_ax.text(0.99, chance, "chance", color="grey", ha="right", va="bottom", transform=training_ax.get_yaxis_transform())
    handles, labels = overfit_ax.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), frameon=False)
    figure.tight_layout(rect=(0, 0.04 + 0.03 * ((len(labels) - 1) // 4), 1, 1))
    return figure
