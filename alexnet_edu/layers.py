"""Keras layers that AlexNet needs and Keras does not ship."""

import math
import numbers

import keras
import tensorflow as tf


def _parameter(name, value, rule, valid):
    """Returns an LRN parameter as a float, or says which values it needs."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"LocalResponseNormalization needs a number for {name}: {rule}. Received: {name}={value!r}")
    if not math.isfinite(value) or not valid(value):
        raise ValueError(f"LocalResponseNormalization needs {rule}. Received: {name}={value!r}")
    return float(value)


@keras.saving.register_keras_serializable(package="alexnet_edu")
class LocalResponseNormalization(keras.layers.Layer):
    """Local response normalization across channels (AlexNet paper, section 3.3).

    Each activation `a[i]` at channel `i` is divided by a term built from
    the squared activations of the `n` neighbouring channels at the same
    position:

        b[i] = a[i] / (k + alpha * sum(a[j] ** 2 for j in window(i))) ** beta

    where `window(i)` runs from `max(0, i - n // 2)` to
    `min(channels - 1, i + n // 2)`. The paper uses `n=5, k=2, alpha=1e-4,
    beta=0.75`, which are the defaults. The parameters keep the paper's
    names; the layer maps them onto `tf.nn.local_response_normalization`
    (`depth_radius = n // 2`, `bias = k`, and `alpha` unscaled, because
    TensorFlow does not divide alpha by the window size).

    Example:

    >>> layer = LocalResponseNormalization(n=5, k=2.0, alpha=1e-4, beta=0.75)
    >>> x = keras.ops.ones((1, 4, 4, 8))
    >>> tuple(layer(x).shape)
    (1, 4, 4, 8)

    Args:
        n: Number of adjacent channels in the window (odd, at least 1).
        k: Additive constant that keeps the denominator away from zero
            (above 0).
        alpha: Scale of the sum of squares (0 or more).
        beta: Exponent of the denominator (0 or more).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: A 4D tensor `(batch, height, width, channels)`; channels last.

    Raises:
        ValueError: `n` is not a positive odd integer, `k` is not above 0, or
            `alpha` or `beta` is negative or not finite.
        TypeError: `k`, `alpha` or `beta` is not a number.
    """

    def __init__(self, n=5, k=2.0, alpha=1e-4, beta=0.75, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1 or n % 2 == 0:
            raise ValueError(
                "LocalResponseNormalization needs n, the window of adjacent "
                f"channels, to be a positive odd integer (the paper uses 5). Received: n={n!r}"
            )
        self.n = int(n)
        # k > 0 and alpha >= 0 keep the denominator positive: with k = 0 an all-zero input gives
        # 0 / 0 = NaN, and a negative alpha can make it zero or negative (NaN under a real power).
        # A negative beta would amplify the loud channels instead of damping them.
        self.k = _parameter("k", k, "k > 0 (the paper uses 2), or an all-zero input divides 0 by 0", lambda v: v > 0)
        self.alpha = _parameter("alpha", alpha, "alpha >= 0 (the paper uses 1e-4)", lambda v: v >= 0)
        self.beta = _parameter("beta", beta, "beta >= 0 (the paper uses 0.75)", lambda v: v >= 0)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                "LocalResponseNormalization expects 4D input (batch, height, width, "
                f"channels). Received: input_shape={tuple(input_shape)}"
            )
        self.built = True

    def call(self, inputs):
        return tf.nn.local_response_normalization(
            inputs,
            depth_radius=self.n // 2,
            bias=self.k,
            alpha=self.alpha,
            beta=self.beta,
        )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"n": self.n, "k": self.k, "alpha": self.alpha, "beta": self.beta})
        return config


@keras.saving.register_keras_serializable(package="alexnet_edu")
class GroupedConv2D(keras.layers.Conv2D):
    """A grouped 2D convolution run as one convolution per group, like the paper's two GPUs.

    Computes exactly what `keras.layers.Conv2D(groups=groups)` computes, with
    the same weights: group `g` of the filters sees only group `g` of the
    input channels. TensorFlow has no grouped convolution kernel for CPUs, so
    Keras compiles one with XLA there, which trained the two-tower mini
    AlexNet five times slower than one tower; splitting the channels and
    running ordinary (oneDNN) convolutions per group restores the speed.

    Example:

    >>> layer = GroupedConv2D(256, 5, groups=2, padding="same", name="conv2")
    >>> x = keras.ops.ones((1, 27, 27, 96))
    >>> tuple(layer(x).shape), tuple(layer.kernel.shape)
    ((1, 27, 27, 256), (5, 5, 48, 256))

    Args:
        filters: Number of output channels (divisible by `groups`).
        kernel_size: Size of the convolution window.
        groups: Number of groups (towers); input channels must be divisible by it.
        **kwargs: Every other `keras.layers.Conv2D` argument.

    Call arguments:
        inputs: A 4D tensor `(batch, height, width, channels)`.
    """

    def __init__(self, filters, kernel_size, groups=1, **kwargs):
        if kwargs.get("data_format") == "channels_first":
            raise ValueError("GroupedConv2D supports channels_last only. Received: data_format='channels_first'")
        super().__init__(filters, kernel_size, groups=groups, **kwargs)

    def convolution_op(self, inputs, kernel):
        if self.groups == 1:
            return super().convolution_op(inputs, kernel)
        outputs = [
            keras.ops.conv(
                part, part_kernel, strides=self.strides, padding=self.padding, dilation_rate=self.dilation_rate
            )
            for part, part_kernel in zip(
                keras.ops.split(inputs, self.groups, axis=-1), keras.ops.split(kernel, self.groups, axis=-1)
            )
        ]
        return keras.ops.concatenate(outputs, axis=-1)
