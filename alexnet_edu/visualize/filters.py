"""Filter maps: the learned kernels themselves, like the paper's Figure 3.

The paper's first-layer kernels split by GPU: those feeding tower 1 were
"largely colour-agnostic", those feeding tower 2 "largely colour-specific".
`color_specificity` measures that per kernel, so the claim can be checked on
any trained model.
"""

import keras
import matplotlib.pyplot as plt
import numpy as np

from alexnet_edu.layers import ImageNetInput
from alexnet_edu.visualize._layers import get_layer


def conv_kernels(model, layer_name="conv1"):
    """The kernel of a conv layer: `(height, width, input_channels / groups, filters)`.

    Example:

    >>> conv_kernels(build_alexnet("paper"), "conv2").shape  # each filter sees the 48 maps of its own tower
    (5, 5, 48, 256)
    """
    layer = get_layer(model, layer_name, (keras.layers.Conv2D,), purpose="showing kernels")
    return keras.ops.convert_to_numpy(layer.kernel)


def normalize_kernels(kernels):
    """Scales each kernel (last axis) to [0, 1] on its own, for display."""
    low = kernels.min(axis=tuple(range(kernels.ndim - 1)), keepdims=True)
    high = kernels.max(axis=tuple(range(kernels.ndim - 1)), keepdims=True)
    return (kernels - low) / np.maximum(high - low, 1e-12)


def color_specificity(kernels):
    """How colourful each RGB kernel is: 0 for grey, up to 1 for pure colour contrast.

    The score is the share of a kernel's contrast that its own grey version
    does not explain: with `c = k - mean(k)` (the kernel minus its mean
    weight) and `grey(c)` the mean of `c` over R, G and B at each position,
    `||c - grey(c)|| / ||c||`. A flat pure-red kernel scores 1.

    Example:

    >>> grey = np.ones((11, 11, 3, 1))  # one filter, the same weights in R, G and B
    >>> color_specificity(grey)
    array([0.])
    >>> color_specificity(conv_kernels(build_alexnet("paper"))).shape  # one score per conv1 filter
    (96,)

    Args:
        kernels: `(height, width, 3, filters)`, e.g. `conv_kernels(model, "conv1")`.

    Returns:
        One score per filter.
    """
    kernels = np.asarray(kernels, dtype="float64")
    if kernels.ndim != 4 or kernels.shape[2] != 3:
        raise ValueError(
            f"color_specificity needs RGB kernels (height, width, 3, filters), as in a first conv layer. "
            f"Received: kernels of shape {kernels.shape}"
        )
    centred = kernels - kernels.mean(axis=(0, 1, 2), keepdims=True)
    grey = centred.mean(axis=2, keepdims=True)
    colour = np.sqrt(((centred - grey) ** 2).sum(axis=(0, 1, 2)))
    return colour / np.maximum(np.sqrt((centred**2).sum(axis=(0, 1, 2))), 1e-12)


def _frequency_radius(height, width):
    """Cycles per pixel of each point of a `height x width` 2-D discrete Fourier transform."""
    rows, cols = np.meshgrid(np.fft.fftfreq(height), np.fft.fftfreq(width), indexing="ij")
    return np.hypot(rows, cols)


def low_frequency_share(kernels, cutoff=0.25):
    """How smooth each kernel is: the share of its energy at low spatial frequencies.

    A trained first layer learns smooth oriented edges and colour blobs
    (the paper's Figure 3); an untrained one is white noise, whose energy
    spreads evenly over all frequencies. The score is the share of each
    kernel's spectral energy (summed over its input channels) at frequencies
    up to `cutoff` cycles per pixel (0.5 is the finest a kernel can hold);
    `noise_low_frequency_share` gives the share white noise has.

    Example:

    >>> smooth = np.ones((11, 11, 3, 1))             # a flat blob: all energy at frequency 0
    >>> float(low_frequency_share(smooth)[0])
    1.0

    Args:
        kernels: `(height, width, input_channels, filters)`, e.g. `conv_kernels(model, "conv1")`.
        cutoff: Highest frequency (cycles per pixel) that counts as low; from 0 to 0.5.

    Returns:
        One share per filter, from 0 to 1.
    """
    kernels = np.asarray(kernels, dtype="float64")
    if kernels.ndim != 4:
        raise ValueError(
            "low_frequency_share needs kernels of shape (height, width, input_channels, filters). "
            f"Received: shape {kernels.shape}"
        )
    if isinstance(cutoff, bool) or not isinstance(cutoff, (int, float)) or not 0 <= cutoff <= 0.5:
        raise ValueError(f"cutoff must be a frequency from 0 to 0.5 cycles per pixel, e.g. 0.25. Received: cutoff={cutoff!r}")
    energy = (np.abs(np.fft.fft2(kernels, axes=(0, 1))) ** 2).sum(axis=2)
    low = _frequency_radius(*kernels.shape[:2]) <= cutoff
    return energy[low].sum(axis=0) / np.maximum(energy.sum(axis=(0, 1)), 1e-300)


def noise_low_frequency_share(kernel_size, cutoff=0.25):
    """The share `low_frequency_share` expects of white-noise kernels of this size.

    White noise has the same expected energy at every frequency, so the share
    is the fraction of the transform's points within `cutoff`.

    Example:

    >>> round(noise_low_frequency_share(11), 3)  # of an 11x11 kernel's spectrum, by chance alone
    0.174

    Args:
        kernel_size: Int or `(height, width)`.
        cutoff: As in `low_frequency_share`.
    """
    height, width = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return float((_frequency_radius(height, width) <= cutoff).mean())


def towers(model, layer_name="conv1"):
    """Which filters of a layer feed which tower: a list of index arrays.

    A layer feeds two towers when the next conv layer is grouped (the
    paper's conv1 feeds conv2, which has `groups=2`); otherwise one.

    Example:

    >>> [len(filters) for filters in towers(build_alexnet("paper"), "conv1")]
    [48, 48]
    """
    filters = conv_kernels(model, layer_name).shape[-1]
    names = [layer.name for layer in model.layers]
    following = [
        layer for layer in model.layers[names.index(layer_name) + 1 :] if isinstance(layer, keras.layers.Conv2D)
    ]
    groups = following[0].groups if following else 1
    return np.array_split(np.arange(filters), groups)


def plot_first_layer_filters(model, layer_name="conv1", columns=12):
    """The first conv layer's RGB kernels as images, split by tower, with colour scores.

    Example:

    >>> figure = plot_first_layer_filters(build_alexnet("paper"))  # untrained: noise; try weights="bvlc"

    Args:
        model: A Keras model whose `layer_name` convolves RGB images.
        layer_name: The first conv layer.
        columns: Kernels per row.

    A model with trained Caffe weights reads BGR (its `preprocess` layer
    flips the channels): its kernels are drawn back in RGB.

    Returns:
        A matplotlib `Figure`: one block of kernels per tower, each titled
        with its colour-specificity score; the figure title gives each
        tower's mean score.
    """
    kernels = conv_kernels(model, layer_name)
    scores = color_specificity(kernels)
    images = normalize_kernels(kernels)
    if any(isinstance(layer, ImageNetInput) and layer.convention == "caffe" for layer in model.layers):
        images = images[:, :, ::-1]  # a Caffe model's kernels read BGR: drawn in RGB
    groups = towers(model, layer_name)
    rows_per_tower = [-(-len(group) // columns) for group in groups]
    figure, axes = plt.subplots(
        sum(rows_per_tower), columns, figsize=(columns * 0.95 + 0.6, sum(rows_per_tower) * 1.15 + 0.4), squeeze=False
    )
    for ax in axes.flat:
        ax.axis("off")
    row = 0
    summary = []
    for tower, (group, rows) in enumerate(zip(groups, rows_per_tower), start=1):
        for position, index in enumerate(group):
            ax = axes[row + position // columns, position % columns]
            ax.imshow(images[..., index], interpolation="nearest")
            ax.set_title(f"{scores[index]:.2f}", fontsize=10)
        # Each tower's rows are labelled: the two towers learned different kinds of kernels.
        axes[row, 0].text(-0.25, 0.5, f"tower {tower}", transform=axes[row, 0].transAxes, rotation=90, ha="right", va="center",
                          fontsize=11)  # fmt: skip
        row += rows
        summary.append(f"tower {tower}: mean colour score {scores[group].mean():.2f}")
    figure.suptitle(f"{layer_name} kernels ({'; '.join(summary)})", fontsize=12)
    figure.tight_layout()
    return figure


def plot_kernels(model, layer_name, filters=8, input_channels=8):
    """Deeper kernels, one grey image per (filter, input channel) pair.

    Example:

    >>> figure = plot_kernels(build_alexnet("paper"), "conv2", filters=4, input_channels=4)

    Args:
        model: A Keras model.
        layer_name: A conv layer, e.g. `"conv2"`.
        filters: How many filters (rows), or a list of filter indices.
        input_channels: How many input channels (columns), or a list. In a
            grouped layer (two towers) these count within the filter's
            tower; the titles name the input map each kernel reads.

    Returns:
        A matplotlib `Figure`; each row is one filter, normalised together
        so that its columns can be compared.
    """
    kernels = conv_kernels(model, layer_name)
    per_tower = kernels.shape[3] // getattr(get_layer(model, layer_name), "groups", 1)
    filters = list(range(min(filters, kernels.shape[3]))) if isinstance(filters, int) else list(filters)
    channels = list(range(min(input_channels, kernels.shape[2]))) if isinstance(input_channels, int) else list(input_channels)
    for name, chosen, available in (("filter", filters, kernels.shape[3]), ("input channel", channels, kernels.shape[2])):
        bad = [i for i in chosen if not 0 <= i < available]
        if bad:
            raise ValueError(f"{layer_name} has {available} {name}s (0-{available - 1}). Received: {name} {bad[0]}")
    size = (len(channels) * 1.0 + 0.6, len(filters) * 1.0 + 0.4)  # an inch per kernel: room for 10-pt labels
    figure, axes = plt.subplots(len(filters), len(channels), figsize=size, squeeze=False)
    # A filter of tower t reads only tower t's input maps: input map = t * (maps per tower) + channel.
    # Rows from both towers read different maps, so each row names its own.
    both_towers = len({index // per_tower for index in filters}) > 1
    for row, index in enumerate(filters):
        block = normalize_kernels(kernels[:, :, channels, index][..., None])[..., 0]
        first_map = (index // per_tower) * kernels.shape[2]
        for column in range(len(channels)):
            ax = axes[row, column]
            ax.imshow(block[:, :, column], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if column == 0:
                ax.set_ylabel(f"filter {index}", fontsize=10)
            if row == 0 or both_towers:
                ax.set_title(f"in {first_map + channels[column]}", fontsize=10)
    figure.suptitle(f"{layer_name}: kernels per input channel", fontsize=12)
    figure.tight_layout()
    return figure
