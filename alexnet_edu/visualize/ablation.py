"""Ablation results: learning curves with the spread across seeds, and the final numbers per seed."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator


def plot_ablation(ablation, metrics=("accuracy", "val_accuracy"), x="epoch", threshold=None, runs="band"):
    """Curves per variant: the mean across seeds, with a band from the lowest to the highest seed.

    With `runs="lines"` every run is drawn as its own line instead, which is
    what runs of different lengths need (e.g. runs stopped by `until`).

    Example:

    >>> figure = plot_ablation(ablation, metrics=("error",), threshold=0.25)  # the paper's Figure 1

    Args:
        ablation: An `Ablation` from `run_ablation`.
        metrics: One panel per metric: columns of `ablation.history`, or
            `"error"` / `"val_error"` (1 - accuracy).
        x: `"epoch"` or `"elapsed"` (seconds of training).
        threshold: Draw a dashed horizontal line at this value (e.g. 0.25).
        runs: `"band"` (mean and min-max band across seeds) or `"lines"`
            (one line per seed).

    Returns:
        A matplotlib `Figure`.
    """
    if x not in ("epoch", "elapsed"):
        raise ValueError(f"x must be 'epoch' or 'elapsed'. Received: x={x!r}")
    if runs not in ("band", "lines"):
        raise ValueError(f"runs must be 'band' or 'lines'. Received: runs={runs!r}")
    figure, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 3.8), squeeze=False)
    history = ablation.history
    for ax, metric in zip(axes.flat, metrics):
        values = history.assign(value=ablation.values(metric))
        for index, variant in enumerate(ablation.variants):
            variant_runs = values[values["variant"] == variant]
            color = f"C{index}"
            seeds = variant_runs["seed"].nunique()
            label = f"{variant} ({seeds} seed{'s' if seeds != 1 else ''})"
            if runs == "lines":
                for number, (_, run) in enumerate(variant_runs.groupby("seed")):
                    ax.plot(run[x], run["value"], "-", color=color, linewidth=1.5, label=label if number == 0 else None)
                continue
            curve = variant_runs.groupby("epoch").agg(mean=("value", "mean"), low=("value", "min"), high=("value", "max"),
                                                      elapsed=("elapsed", "mean"))  # fmt: skip
            positions = curve.index if x == "epoch" else curve["elapsed"]
            ax.plot(positions, curve["mean"], "o-", color=color, markersize=3, label=label)
            ax.fill_between(positions, curve["low"], curve["high"], color=color, alpha=0.2, linewidth=0)
        if threshold is not None:
            ax.axhline(threshold, color="grey", linestyle="--", linewidth=1)
        if x == "epoch":
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        ax.set_xlabel("epoch" if x == "epoch" else "seconds of training")
        ax.set_ylabel(metric.replace("_", " "))
        ax.set_title(metric.replace("_", " ") + (" per epoch" if x == "epoch" else " over time"))
    # One legend below the panels: inside a panel it covered the curves of whichever variant ran there.
    handles, labels = axes.flat[0].get_legend_handles_labels()
    columns = min(4, len(labels))
    figure.legend(handles, labels, loc="lower center", ncol=columns, frameon=False)
    rows = -(-len(labels) // columns)
    figure.tight_layout(rect=(0, min(0.4, 0.075 * rows), 1, 1))
    return figure


def plot_ablation_results(ablation, metric="val_accuracy", at="last"):
    """The final metric of every run: one dot per seed, a line for the mean, per variant.

    Shows at a glance whether the differences between variants are larger than
    the spread between seeds of the same variant.

    Example:

    >>> figure = plot_ablation_results(ablation, metric="val_accuracy")

    Args:
        ablation: An `Ablation`.
        metric: A column of `ablation.history`.
        at: `"last"` epoch or `"best"` epoch (see `Ablation.final`).

    Returns:
        A matplotlib `Figure`.
    """
    values = ablation.final(metric, at)
    figure, ax = plt.subplots(figsize=(1.4 * len(values) + 2, 3.5))
    positions = np.arange(len(values))
    means = values.mean(axis=1)
    # A dot plot, not bars: its axis may start above zero without exaggerating the differences.
    for position, (_, row) in zip(positions, values.iterrows()):
        ax.hlines(means.iloc[position], position - 0.25, position + 0.25, color=f"C{position}", linewidth=3)
        ax.plot(np.full(len(row), position), row.values, "o", color="black", markersize=5)
    low = values.min().min()
    high = values.max().max()
    margin = max(0.02, (high - low) * 0.5)
    ax.set_ylim(max(0, low - margin), high + margin)
    ax.set_xticks(positions, values.index, rotation=20, ha="right")
    ax.set_xlim(-0.5, len(values) - 0.5 + 0.4)  # room for the last variant's value label
    ax.set_ylabel(f"{metric.replace('_', ' ')} ({at} epoch)")
    for position, mean in zip(positions, means):
        ax.annotate(f"{mean:.3f}", (position + 0.27, mean), va="center", ha="left")
    figure.tight_layout()
    return figure
