"""Filter patterns: the input that excites a channel most, found by gradient ascent."""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from alexnet_edu.visualize._layers import check_count, check_index, get_layer
from alexnet_edu.visualize.activations import activation_model


def filter_pattern(model, layer_name, channel, steps=40, learning_rate=0.05, seed=0):
    """Gradient ascent on the input: an image that maximises one channel's mean activation.

    Starts from grey noise and follows the normalised gradient, keeping
    pixels in [0, 1]. The defaults take a second or two for the mini model
    on a CPU.

    Args:
        model: A Keras model.
        layer_name: A conv layer.
        channel: The channel (filter) to excite.
        steps: Gradient-ascent steps.
        learning_rate: Step size in pixel units.
        seed: Seed for the starting noise.

    Returns:
        `(pattern, activations)`: the image `(height, width, 3)` in [0, 1],
        and the channel's mean activation after each step (it should rise).

    Raises:
        ValueError: An unknown layer, a channel out of range, `steps` below
            1, or a model without a fixed input size.
    """
    layer = get_layer(model, layer_name, purpose="a filter pattern")
    channels = layer.output.shape[-1]
    channel = check_index("channel", channel, channels, f"{layer_name} has {channels} channels (0-{channels - 1})")
    steps = check_count("steps", steps)
    extractor = activation_model(model, [layer_name])
    shape = (1, *model.input_shape[1:])
    if None in shape[1:]:
        raise ValueError(
            f"Model {model.name!r} has no fixed input size, so there is no image to start from: build it with "
            f"input_shape=(height, width, 3). Received: input_shape={model.input_shape}"
        )
    image = tf.Variable(0.5 + 0.05 * tf.random.stateless_normal(shape, seed=(seed, channel)))
    history = []

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            activation = tf.reduce_mean(extractor(image, training=False)[..., channel])
        gradient = tape.gradient(activation, image)
        image.assign(
            tf.clip_by_value(image + learning_rate * gradient / (tf.norm(gradient) / np.sqrt(np.prod(shape)) + 1e-8), 0, 1)
        )
        return activation

    for _ in range(steps):
        history.append(float(step()))
    return image.numpy()[0], np.array(history)


def plot_filter_patterns(model, layer_name, channels=range(8), columns=8, **ascent):
    """Filter patterns of several channels of a layer, side by side.

    Args:
        model: A Keras model.
        layer_name: A conv layer.
        channels: The channels to show.
        columns: Patterns per row.
        **ascent: Passed to `filter_pattern` (steps, learning_rate, seed).

    Returns:
        A matplotlib `Figure`.

    Raises:
        ValueError: As `filter_pattern`, or `columns` below 1.
    """
    columns = check_count("columns", columns)
    channels = [channels] if isinstance(channels, int) else list(channels)
    patterns = [filter_pattern(model, layer_name, channel, **ascent)[0] for channel in channels]
    rows = -(-len(channels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.3, rows * 1.45), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, channel, pattern in zip(axes.flat, channels, patterns):
        ax.imshow(pattern)
        ax.set_title(f"#{channel}", fontsize=10)
    figure.suptitle(f"{layer_name}: inputs that excite each channel most", fontsize=12)
    figure.tight_layout()
    return figure
