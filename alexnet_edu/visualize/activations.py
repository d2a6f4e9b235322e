"""Activation plots: what each layer computes for one image, and how sparse it is."""

import numbers

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from alexnet_edu.visualize._layers import check_count, conv_layer_names, displayable, get_layer, model_images


def activation_model(model, layer_names):
    """A model from the same input to the outputs of the named layers, in float32.

    A mixed-precision model's layers output bfloat16 or float16, in which a
    NumPy sum or mean of a few thousand values goes badly wrong (the running
    total stops growing); every statistic the kit takes of the outputs needs
    them in float32.
    """
    layers = [get_layer(model, name) for name in layer_names]
    outputs = [keras.ops.cast(layer.output, "float32") for layer in layers]
    return keras.Model(model.input, outputs, name=f"{model.name}_activations")


def _layer_list(layer_names):
    # A single name is a list of one, not a list of its letters.
    return [layer_names] if isinstance(layer_names, str) else list(layer_names)


def feature_maps(model, layer_name, image):
    """The output of one layer for one image: `(height, width, channels)`.

    Example:

    >>> model = build_alexnet("paper")
    >>> feature_maps(model, "conv1", sample_photos()["grace_hopper"]).shape
    (55, 55, 96)

    Args:
        model: A Keras model.
        layer_name: The layer, e.g. `"conv1"`.
        image: `(height, width, 3)`: uint8 (0-255) or floats in [0, 1], the
            model's input size. A batch of one is accepted.

    Returns:
        The layer's output for the image, without the batch axis.

    Raises:
        ValueError: An unknown layer, a batch of several images, pixels
            outside the image contract, or the wrong image size.
    """
    extractor = activation_model(model, [layer_name])
    image = model_images(model, image, "image", batch=False)
    return np.asarray(extractor(image[None], training=False))[0]


def top_channels(maps, count):
    """Indices of the `count` channels with the largest mean activation, largest first."""
    return np.argsort(-maps.reshape(-1, maps.shape[-1]).mean(axis=0))[:count]


def _channel_list(channels, layer_name, available):
    channels = [channels] if np.ndim(channels) == 0 else list(np.asarray(channels).ravel())
    channels = [channel.item() if isinstance(channel, np.generic) else channel for channel in channels]
    if not channels:
        raise ValueError(
            f"channels is empty: pass channel indices from 0 to {available - 1}, or None for the strongest. Received: channels=[]"
        )
    for channel in channels:
        if isinstance(channel, bool) or not isinstance(channel, numbers.Integral):
            raise TypeError(f"channels must be integer indices from 0 to {available - 1}. Received: channel {channel!r}")
        if not 0 <= channel < available:
            raise ValueError(
                f"{layer_name} has {available} channels (0-{available - 1}): choose channels in that range. "
                f"Received: channel {channel}"
            )
    return channels


def plot_feature_maps(model, layer_name, image, channels=None, top_k=16, columns=8):
    """Feature maps of one layer for one image.

    Example:

    >>> model = build_alexnet("paper")
    >>> figure = plot_feature_maps(model, "conv1", sample_photos()["grace_hopper"], top_k=16)

    Args:
        model: A Keras model.
        layer_name: A layer with spatial output (conv, norm or pool).
        image: `(height, width, 3)`: uint8 (0-255) or floats in [0, 1], the
            model's input size.
        channels: Channel indices to show; by default the `top_k` with the
            largest mean activation.
        top_k: How many channels when `channels` is None.
        columns: Maps per row.

    Returns:
        A matplotlib `Figure`, one panel per channel titled with its index.

    Raises:
        ValueError: A layer without feature maps, channels out of range,
            `top_k` or `columns` below 1, or an image that breaks the
            image contract or does not fit the model.
    """
    top_k, columns = check_count("top_k", top_k), check_count("columns", columns)
    maps = feature_maps(model, layer_name, image)
    if maps.ndim != 3:
        spatial = [layer.name for layer in model.layers if len(layer.output.shape) == 4 and layer.name != model.layers[0].name]
        raise ValueError(f"Layer {layer_name!r} has no feature maps (output {maps.shape}); choose one of: {', '.join(spatial)}.")
    channels = top_channels(maps, top_k) if channels is None else _channel_list(channels, layer_name, maps.shape[-1])
    rows = -(-len(channels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.3, rows * 1.45), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, channel in zip(axes.flat, channels):
        ax.imshow(maps[..., channel], cmap="viridis", interpolation="nearest")
        ax.set_title(f"#{channel}", fontsize=10)
    figure.suptitle(
        f"{layer_name}: {maps.shape[0]}x{maps.shape[1]} maps, {len(channels)} of {maps.shape[-1]} channels", fontsize=10
    )
    figure.tight_layout()
    return figure


def plot_activation_walk(model, image, per_layer=6, layer_names=None):
    """One figure: the image, then the strongest feature maps of every conv layer.

    Example:

    >>> figure = plot_activation_walk(build_alexnet("paper"), sample_photos()["grace_hopper"], per_layer=4)

    Args:
        model: A Keras model.
        image: `(height, width, 3)`: uint8 (0-255) or floats in [0, 1], the
            model's input size.
        per_layer: Maps shown per layer.
        layer_names: Layers to show; by default every conv layer.

    Returns:
        A matplotlib `Figure` with one row per layer.

    Raises:
        ValueError: Unknown layers, `per_layer` below 1, or an image that
            breaks the image contract or does not fit the model.
    """
    per_layer = check_count("per_layer", per_layer)
    layer_names = _layer_list(layer_names or conv_layer_names(model))
    if not layer_names:
        raise ValueError(f"Model {model.name!r} has no conv layers: pass layer_names=[...] with the layers to show.")
    extractor = activation_model(model, layer_names)
    image = model_images(model, image, "image", batch=False)
    outputs = extractor(image[None], training=False)
    outputs = [np.asarray(o)[0] for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]
    figure, axes = plt.subplots(
        len(layer_names), per_layer + 1, figsize=((per_layer + 1) * 1.3, len(layer_names) * 1.4), squeeze=False
    )
    for row, (name, maps) in enumerate(zip(layer_names, outputs)):
        axes[row, 0].imshow(displayable(image), cmap="gray")
        axes[row, 0].set_ylabel(f"{name}\n{maps.shape[0]}x{maps.shape[1]}x{maps.shape[2]}", fontsize=10)
        for column, channel in enumerate(top_channels(maps, per_layer), start=1):
            axes[row, column].imshow(maps[..., channel], cmap="viridis", interpolation="nearest")
        for ax in axes[row]:
            ax.set_xticks([])
            ax.set_yticks([])
    figure.suptitle("the strongest feature maps of each layer", fontsize=12)
    figure.tight_layout()
    return figure


def _relative_slope(activation_name, values):
    """The activation's slope at each output, as a fraction of its largest slope."""
    if activation_name == "tanh":
        return 1 - values**2
    if activation_name == "sigmoid":
        return 4 * values * (1 - values)
    if activation_name == "relu":
        return (values > 0).astype("float32")
    return None


def activation_statistics(model, images, layer_names=None):
    """Per layer: mean activation, sparsity (exact zeros) and saturation.

    A unit counts as saturated when its activation function's slope there is
    below a tenth of the function's steepest slope: `|a| > 0.95` for tanh,
    `a < 0.026` or `a > 0.974` for sigmoid, `a = 0` for ReLU. Saturated
    units pass almost no gradient back.

    Example:

    >>> model = build_alexnet("mini", num_classes=10, input_shape=(32, 32, 3))
    >>> images = np.random.default_rng(0).random((8, 32, 32, 3), dtype="float32")
    >>> activation_statistics(model, images).columns.tolist()
    ['activation', 'mean', 'sparsity', 'saturated', 'units']

    Args:
        model: A Keras model.
        images: A batch `(n, height, width, 3)` (or one image): uint8
            (0-255) or floats in [0, 1], the model's input size.
        layer_names: Layers to measure; by default every conv and dense layer.

    Returns:
        A `pandas.DataFrame` indexed by layer with `activation`, `mean`,
        `sparsity`, `saturated` (NaN for other activations) and `units`.

    Raises:
        ValueError: Unknown layers, or images that break the image
            contract or do not fit the model.
    """
    if layer_names is None:
        layer_names = [layer.name for layer in model.layers if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))]
    layer_names = _layer_list(layer_names)
    extractor = activation_model(model, layer_names)
    outputs = extractor(model_images(model, images, "images", batch=True), training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    rows = {}
    for name, output in zip(layer_names, outputs):
        values = np.asarray(output)
        activation = getattr(getattr(get_layer(model, name), "activation", None), "__name__", "")
        slope = _relative_slope(activation, values)
        rows[name] = {
            "activation": activation,
            "mean": float(values.mean()),
            "sparsity": float(np.mean(values == 0)),
            "saturated": float(np.mean(slope < 0.1)) if slope is not None else float("nan"),
            "units": int(np.prod(values.shape[1:])),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
