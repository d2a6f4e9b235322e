"""Top patches: the parts of real images that excite a channel most (Zeiler & Fergus 2014).

Gradient ascent (`patterns`) shows what a channel could respond to; the
patches of real photos where it does respond most are often easier to read:
for each image, the channel's strongest position, and the input window that
position sees (its receptive field), for the images where that value is
largest.
"""

import dataclasses

import keras
import matplotlib.pyplot as plt
import numpy as np

from alexnet_edu.inspect import _pair, same_padding_total
from alexnet_edu.visualize._layers import check_count, check_index, displayable, get_layer, model_images
from alexnet_edu.visualize.activations import activation_model

_WINDOWED = (keras.layers.Conv2D, keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)


def _spatial_layer(model, layer_name, purpose):
    layer = get_layer(model, layer_name, purpose=purpose)
    if len(layer.output.shape) != 4:
        raise ValueError(
            f"Layer {layer_name!r} has no spatial output (shape {tuple(layer.output.shape)}): "
            "choose a conv, pooling or normalization layer."
        )
    return layer


def _geometry(model, layer):
    """Per axis: the receptive field, the jump between positions, where position 0's window starts, and the
    input pixels the layer's input map covers at all (`[low, high)`)."""
    field, jump, start = [1, 1], [1, 1], [0, 0]
    size = list(model.inputs[0].shape[1:3])
    low, high = [0, 0], list(size)
    for current in model.layers[1 : model.layers.index(layer) + 1]:
        if isinstance(current, keras.layers.ZeroPadding2D):
            for axis in range(2):
                start[axis] -= current.padding[axis][0] * jump[axis]
                size[axis] = current.output.shape[1 + axis]
            continue
        if not isinstance(current, _WINDOWED):
            continue
        # A window reads real pixels only where the map it reads has positions: "valid" layers drop a
        # map's last rows, and padding later on stands for zeros, not for the pixels behind them.
        for axis in range(2):
            low[axis] = max(low[axis], start[axis])
            high[axis] = min(high[axis], start[axis] + (size[axis] - 1) * jump[axis] + field[axis])
        window = _pair(current.kernel_size if isinstance(current, keras.layers.Conv2D) else current.pool_size)
        strides = _pair(current.strides)
        dilation = _pair(getattr(current, "dilation_rate", 1))
        for axis in range(2):
            extent = (window[axis] - 1) * dilation[axis] + 1
            before = same_padding_total(size[axis], extent, strides[axis]) // 2 if current.padding == "same" else 0
            start[axis] -= before * jump[axis]
            field[axis] += (extent - 1) * jump[axis]
            jump[axis] *= strides[axis]
            size[axis] = current.output.shape[1 + axis]
    return field, jump, start, low, high


def _window(geometry, row, col):
    field, jump, start, low, high = geometry
    top, left = start[0] + row * jump[0], start[1] + col * jump[1]
    return max(top, low[0]), max(left, low[1]), min(top + field[0], high[0]), min(left + field[1], high[1])


def receptive_window(model, layer_name, row, col):
    """The input pixels one output position of a layer sees: `(top, left, bottom, right)`.

    Follows the layers from the input: each conv or pooling window widens
    the field by `(window - 1) * jump` and each stride multiplies the jump;
    "same" padding and `ZeroPadding2D` shift the window by the zeros added
    before the first pixel. Bottom and right are exclusive; the window holds
    only pixels the position reads: clipped to the image, and to the pixels
    an earlier "valid" layer did not drop (at the border part of the window
    falls on padding).

    Example:

    >>> model = build_alexnet("paper")
    >>> receptive_window(model, "conv1", row=10, col=10)  # 11x11 pixels; the next position starts 4 further
    (40, 40, 51, 51)
    >>> receptive_window(model, "conv2", row=10, col=10)
    (64, 64, 115, 115)

    Args:
        model: A Keras model whose layers before `layer_name` form one chain.
        layer_name: A layer with a spatial output (conv, pooling, LRN, BatchNorm).
        row, col: The output position.

    Returns:
        `(top, left, bottom, right)` in input pixels.
    """
    layer = _spatial_layer(model, layer_name, "a receptive field")
    height, width = layer.output.shape[1:3]
    row = check_index("row", row, height, f"{layer_name}'s output has {height} rows (0-{height - 1})")
    col = check_index("col", col, width, f"{layer_name}'s output has {width} columns (0-{width - 1})")
    return _window(_geometry(model, layer), row, col)


@dataclasses.dataclass(frozen=True)
class TopPatches:
    """What `top_patches` found for one channel.

    Example:

    >>> photos = np.stack(list(sample_photos(image_size=64).values()))
    >>> found = top_patches(build_alexnet("mini", input_shape=(64, 64, 3)), photos, "conv3", channel=5, k=3)
    >>> found.layer_name, len(found.patches), sorted(found.image_indices.tolist())
    ('conv3', 3, [0, 1, 2])

    Attributes:
        layer_name, channel: The channel.
        patches: One `(height, width, 3)` patch per image, strongest first
            (patches at the border are smaller: clipped to the image).
        values: The channel's value at each patch's position.
        image_indices: Which of the images each patch comes from.
        positions: `(row, col)` of each in the layer's output.
        windows: `(top, left, bottom, right)` of each in the image.
    """

    layer_name: str
    channel: int
    patches: list
    values: np.ndarray
    image_indices: np.ndarray
    positions: list
    windows: list


def top_patches(model, images, layer_name, channel, k=9, batch_size=64):
    """The `k` image patches where one channel of a layer responds most (one per image).

    For every image the channel's strongest output position; the `k` images
    where that value is largest give their receptive-field windows
    (`receptive_window`), as in Zeiler & Fergus's Figure 2.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))
    >>> photos = np.stack(list(sample_photos(image_size=64).values()))
    >>> found = top_patches(model, photos, "conv3", channel=5, k=3)
    >>> bool(found.values[0] >= found.values[-1])
    True

    Args:
        model: A Keras model.
        images: A batch of images that fit the model (uint8 or [0, 1] floats).
        layer_name: A layer with a spatial output.
        channel: The channel of that layer.
        k: How many patches (at most the number of images).
        batch_size: Images per forward pass.

    Returns:
        A `TopPatches`.
    """
    layer = _spatial_layer(model, layer_name, "top patches")
    channels = layer.output.shape[-1]
    channel = check_index("channel", channel, channels, f"{layer_name} has {channels} channels (0-{channels - 1})")
    k, batch_size = check_count("k", k), check_count("batch_size", batch_size)
    pixels = model_images(model, images, "images", batch=True)
    if k > len(pixels):
        raise ValueError(f"k must be at most the number of images ({len(pixels)}): one patch per image. Received: k={k}")
    extractor = activation_model(model, [layer_name])
    batches = [pixels[index : index + batch_size] for index in range(0, len(pixels), batch_size)]
    maps = np.concatenate([np.asarray(extractor(batch, training=False))[..., channel] for batch in batches])
    flat = maps.reshape(len(maps), -1)
    strongest = flat.max(axis=1)
    # Stable on ties (many images can share a ReLU's 0): the earlier image first.
    order = np.argsort(-strongest, kind="stable")[:k]
    geometry = _geometry(model, layer)
    positions, windows, patches = [], [], []
    for index in order:
        row, col = np.unravel_index(int(flat[index].argmax()), maps.shape[1:])
        top, left, bottom, right = _window(geometry, int(row), int(col))
        positions.append((int(row), int(col)))
        windows.append((top, left, bottom, right))
        patches.append(pixels[index, top:bottom, left:right])
    return TopPatches(layer_name, channel, patches, strongest[order], order, positions, windows)


def plot_top_patches(model, images, layer_name, channels=range(4), k=6, batch_size=64):
    """The top patches of several channels: one row per channel, strongest on the left.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))
    >>> photos = np.stack(list(sample_photos(image_size=64).values()))
    >>> figure = plot_top_patches(model, photos, "conv3", channels=range(2), k=3)

    Args:
        model, images, layer_name, k, batch_size: As for `top_patches`.
        channels: The channels, one row each.

    Returns:
        A matplotlib `Figure`.
    """
    channels = [channels] if isinstance(channels, (int, np.integer)) else list(channels)
    if not channels:
        raise ValueError("channels must name at least one channel, e.g. channels=range(4).")
    found = [top_patches(model, images, layer_name, channel, k, batch_size) for channel in channels]
    figure, axes = plt.subplots(len(found), k, figsize=(1.35 * k + 0.9, 1.45 * len(found) + 0.5), squeeze=False)
    for row, result in zip(axes, found):
        for ax in row:
            ax.set_xticks([])
            ax.set_yticks([])
        for ax, patch, value in zip(row, result.patches, result.values):
            ax.imshow(displayable(patch), interpolation="nearest")
            ax.set_title(f"{value:.2g}", fontsize=10)
        row[0].set_ylabel(f"#{result.channel}", fontsize=11, rotation=0, labelpad=20, va="center")
    figure.suptitle(f"{layer_name}: the photo patches each channel responds to most (above each: the value)", fontsize=11)
    figure.tight_layout()
    return figure
