"""Filter patterns: the input that excites a channel most, found by gradient ascent."""

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from alexnet_edu.visualize._layers import check_count, check_index, get_layer
from alexnet_edu.visualize.activations import activation_model

# What makes a pattern readable (Olah et al. 2017, "Feature Visualization"): pass these to filter_pattern.
READABLE_PATTERNS = dict(steps=48, jitter=2, scales=(1.0, 1.05, 1.1), blur_every=4, blur_sigma=0.5, octaves=3)


def _gaussian_blur(image, sigma):
    """Blurs each colour channel of `(1, height, width, 3)` with a Gaussian of `sigma` pixels."""
    radius = max(1, int(round(2 * sigma)))
    offsets = np.arange(-radius, radius + 1)
    weights = np.exp(-(offsets**2) / (2 * sigma**2))
    weights /= weights.sum()
    kernel = tf.constant(np.outer(weights, weights)[:, :, None, None] * np.ones((1, 1, 3, 1)), tf.float32)
    padded = tf.pad(image, [[0, 0], [radius, radius], [radius, radius], [0, 0]], mode="REFLECT")
    return tf.nn.depthwise_conv2d(padded, kernel, strides=[1, 1, 1, 1], padding="VALID")


def _pre_activation(model, layer):
    """A function from images to the layer's output before its activation (its output if it has none).

    Ascent maximises the channel before its ReLU: a ReLU passes no gradient
    where it outputs 0, so a channel that is silent everywhere on the grey
    start would never move (in a trained mini model, most conv5 channels).
    """
    activation = getattr(layer, "activation", None)
    if not isinstance(layer, keras.layers.Conv2D) or activation in (None, keras.activations.linear):
        extractor = activation_model(model, [layer.name])
        return lambda images: extractor(images, training=False)
    feeds = keras.Model(model.inputs, layer.input)

    def response(images):
        # Mixed precision keeps float32 weights; the layer computes in its compute dtype, and so does this.
        dtype = layer.compute_dtype
        outputs = layer.convolution_op(tf.cast(feeds(images, training=False), dtype), tf.cast(layer.kernel, dtype))
        return tf.cast(outputs + tf.cast(layer.bias, dtype) if layer.use_bias else outputs, tf.float32)

    return response


def _check_regularizers(jitter, scales, blur_every, blur_sigma, octaves, octave_scale):
    checks = [
        ("jitter", jitter, isinstance(jitter, int) and not isinstance(jitter, bool) and jitter >= 0, "pixels, e.g. 2 (0: none)"),
        ("blur_every", blur_every, isinstance(blur_every, int) and not isinstance(blur_every, bool) and blur_every >= 0,
         "steps between blurs, e.g. 4 (0: never)"),
        ("blur_sigma", blur_sigma, isinstance(blur_sigma, (int, float)) and blur_sigma > 0, "pixels, above 0, e.g. 0.5"),
        ("octaves", octaves, isinstance(octaves, int) and not isinstance(octaves, bool) and octaves >= 1, "1 or more, e.g. 3"),
        ("octave_scale", octave_scale, isinstance(octave_scale, (int, float)) and octave_scale > 1, "above 1, e.g. 1.4"),
    ]  # fmt: skip
    for name, value, valid, meaning in checks:
        if not valid:
            raise ValueError(f"{name} must be {meaning}. Received: {name}={value!r}")
    scales = tuple(scales) if scales else (1.0,)
    if not all(isinstance(scale, (int, float)) and 1 <= scale <= 2 for scale in scales):
        raise ValueError(f"scales must be zoom factors from 1 to 2, e.g. (1.0, 1.05, 1.1). Received: scales={scales!r}")
    return scales


def filter_pattern(
    model,
    layer_name,
    channel,
    steps=40,
    learning_rate=0.05,
    seed=0,
    jitter=0,
    scales=None,
    blur_every=0,
    blur_sigma=0.5,
    octaves=1,
    octave_scale=1.4,
):
    """Gradient ascent on the input: an image that maximises one channel's mean activation.

    Starts from grey noise and follows the normalised gradient, keeping
    pixels in [0, 1]. For a conv layer with an activation, the channel is
    taken before it (a ReLU's zeros pass no gradient: a channel silent on
    the start would never move). Plain ascent finds high-frequency patterns that excite
    the channel but look like noise to us; the regularizers of Olah et al.'s
    "Feature Visualization" (2017) keep only what survives small changes:
    a random shift (`jitter`) and zoom (`scales`) of the image at each step,
    a Gaussian blur every `blur_every` steps, and octaves (ascent on a small
    image first, then on larger ones, so coarse structure forms before
    detail). `READABLE_PATTERNS` holds settings that work for the kit's models:
    `filter_pattern(model, "conv3", 5, **READABLE_PATTERNS)`. The defaults (no
    regularizer) take a second or two for the mini model on a CPU.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))
    >>> pattern, activations = filter_pattern(model, "conv3", channel=5, steps=5)
    >>> pattern.shape, len(activations)
    ((64, 64, 3), 5)

    Args:
        model: A Keras model.
        layer_name: A conv layer.
        channel: The channel (filter) to excite.
        steps: Gradient-ascent steps (in all, shared among the octaves).
        learning_rate: Step size in pixel units.
        seed: Seed for the starting noise and the random shifts and zooms.
        jitter: Largest random shift, in pixels, before each step (0: none).
        scales: Zoom factors (1 to 2) drawn at random for each step; None: no zoom.
        blur_every: Blur the image every this many steps (0: never).
        blur_sigma: The blur's width in pixels.
        octaves: Image sizes, from `input / octave_scale ** (octaves - 1)` up to the input.
        octave_scale: Ratio between one octave's size and the next.

    Returns:
        `(pattern, activations)`: the image `(height, width, 3)` in [0, 1],
        and the channel's mean (before the activation, for a conv layer)
        at each step (it should rise).

    Raises:
        ValueError: An unknown layer, a channel out of range, `steps` below
            1, a bad regularizer, or a model without a fixed input size.
    """
    layer = get_layer(model, layer_name, purpose="a filter pattern")
    channels = layer.output.shape[-1]
    channel = check_index("channel", channel, channels, f"{layer_name} has {channels} channels (0-{channels - 1})")
    steps = check_count("steps", steps)
    scales = _check_regularizers(jitter, scales, blur_every, blur_sigma, octaves, octave_scale)
    response = _pre_activation(model, layer)
    shape = (1, *model.input_shape[1:])
    if None in shape[1:]:
        raise ValueError(
            f"Model {model.name!r} has no fixed input size, so there is no image to start from: build it with "
            f"input_shape=(height, width, 3). Received: input_shape={model.input_shape}"
        )
    height, width = shape[1:3]
    rng = np.random.default_rng([seed, channel])
    shrink = [octave_scale**level for level in reversed(range(octaves))]
    sizes = [(max(8, round(height / factor)), max(8, round(width / factor))) for factor in shrink]
    per_octave = [len(part) for part in np.array_split(np.arange(steps), octaves)]
    image = 0.5 + 0.05 * tf.random.stateless_normal((1, *sizes[0], shape[3]), seed=(seed, channel))
    history = []
    for size, octave_steps in zip(sizes, per_octave):
        image = tf.Variable(tf.image.resize(image, size) if tuple(image.shape[1:3]) != size else image)

        @tf.function
        def step(shift, zoom):
            with tf.GradientTape() as tape:
                # The model sees the image at its own size, shifted and zoomed; the ascent moves the image.
                view = tf.roll(tf.image.resize(image, (height, width)), shift, axis=(1, 2))
                zoomed = tf.cast(tf.math.ceil(zoom * np.array([height, width])), tf.int32)
                view = tf.image.resize_with_crop_or_pad(tf.image.resize(view, zoomed), height, width)
                activation = tf.reduce_mean(response(view)[..., channel])
            gradient = tape.gradient(activation, image)
            size_scale = tf.norm(gradient) / np.sqrt(float(np.prod(image.shape))) + 1e-8
            image.assign(tf.clip_by_value(image + learning_rate * gradient / size_scale, 0, 1))
            return activation

        for _ in range(octave_steps):
            shift = rng.integers(-jitter, jitter + 1, size=2) if jitter else np.zeros(2, int)
            history.append(float(step(tf.constant(shift, tf.int32), tf.constant(rng.choice(scales), tf.float32))))
            if blur_every and len(history) % blur_every == 0:
                image.assign(_gaussian_blur(image, blur_sigma))
        image = image.read_value()
    if tuple(image.shape[1:3]) != (height, width):
        image = tf.image.resize(image, (height, width))
    return np.clip(image.numpy()[0], 0, 1), np.array(history)


def plot_filter_patterns(model, layer_name, channels=range(8), columns=8, **ascent):
    """Filter patterns of several channels of a layer, side by side.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))
    >>> figure = plot_filter_patterns(model, "conv2", channels=range(4), steps=5)

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
