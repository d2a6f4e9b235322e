"""Parameter and compute breakdowns: where a network's size and cost live."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from alexnet_edu.inspect import compare_models, layer_kind, layer_table

KIND_COLOURS = {"conv": "tab:blue", "fc": "tab:orange", "other": "tab:gray"}


def plot_breakdown(model_or_table, title=None):
    """Bar charts of parameters and of MACs per layer, side by side.

    Only layers with parameters or compute are drawn; bars are coloured by
    kind (conv, fc, other) and labelled with their share of the total.

    Example:

    >>> figure = plot_breakdown(build_alexnet("paper"), title="AlexNet (2012)")

    Args:
        model_or_table: A Keras model or the output of `layer_table`.
        title: Figure title; defaults to the model's name.

    Returns:
        A matplotlib `Figure` with two axes.
    """
    if isinstance(model_or_table, pd.DataFrame):
        table = model_or_table
    else:
        table = layer_table(model_or_table)
        title = title or model_or_table.name
    table = table[(table.params > 0) | (table.macs > 0)]
    colours = [KIND_COLOURS[layer_kind(t)] for t in table.type]
    figure, axes = plt.subplots(1, 2, figsize=(11, 0.35 * len(table) + 1.5), sharey=True)
    positions = np.arange(len(table))
    for ax, column, label, scale in (
        (axes[0], "params", "parameters (millions)", 1e6),
        (axes[1], "macs", "multiply-accumulates per image (millions)", 1e6),
    ):
        values = table[column].to_numpy() / scale
        ax.barh(positions, values, color=colours)
        for position, value, pct in zip(positions, values, table[f"{column}_pct"]):
            ax.text(value, position, f" {pct:.1f}%", va="center", fontsize=10)
        ax.set_xlabel(label)
        ax.set_xlim(0, values.max() * 1.25 if len(values) else 1)
    axes[0].set_yticks(positions, table.layer)
    axes[0].invert_yaxis()
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in KIND_COLOURS.values()]
    axes[1].legend(handles, KIND_COLOURS.keys(), loc="lower right")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_model_comparison(models):
    """Grouped bars of conv and fc parameters and MACs for several models.

    Example:

    >>> figure = plot_model_comparison({"seed": build_alexnet("seed"), "paper": build_alexnet("paper")})

    Args:
        models: A dict of display name to Keras model.

    Returns:
        A matplotlib `Figure` with two axes on a log scale, since the mini
        model is far smaller than the others: points, not bars, whose length
        on a log axis would mean nothing.
    """
    table = compare_models(models)
    figure, axes = plt.subplots(1, 2, figsize=(11, 3.5))
    positions = np.arange(len(table))
    for ax, stem, label in ((axes[0], "params", "parameters"), (axes[1], "macs", "MACs per image")):
        for offset, kind in ((-0.1, "conv"), (0.1, "fc")):
            ax.plot(positions + offset, table[f"{kind}_{stem}"], "o", markersize=10, color=KIND_COLOURS[kind], label=kind)
        ax.set_xticks(positions, table.index)
        ax.set_xlim(-0.5, len(table) - 0.5)
        ax.set_yscale("log")
        ax.set_ylabel(label)
        ax.set_title(f"{label}, conv and fc layers (log scale)")
        ax.grid(axis="y", which="major", alpha=0.3)
        ax.legend()
    figure.tight_layout()
    return figure
