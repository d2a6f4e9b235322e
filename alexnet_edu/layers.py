"""Keras layers that AlexNet needs and Keras does not ship."""

import functools
import math
import numbers

import keras
import numpy as np


def _parameter(name, value, rule, valid):
    """Returns an LRN parameter as a float, or says which values it needs."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"LocalResponseNormalization needs a number for {name}: {rule}. Received: {name}={value!r}")
    if not math.isfinite(value) or not valid(value):
        raise ValueError(f"LocalResponseNormalization needs {rule}. Received: {name}={value!r}")
    return float(value)


CONVENTIONS = ("paper", "caffe")


def local_response_normalization(inputs, n, k, scale, beta):
    """The LRN formula in `keras.ops` (any backend): `a / (k + scale * window sum of a²) ** beta`.

    The window sum runs over the `n` channels around each one, zero beyond
    the first and last channel, so edge channels have fewer neighbours, as
    in the paper.
    """
    return inputs * _inverse_power(k + scale * _window_sum(keras.ops.square(inputs), n), beta)


def _local_response_normalization_gradient(inputs, outputs, gradient, n, k, scale, beta):
    """The gradient of `local_response_normalization` with respect to its inputs.

    With `d = k + scale * window sum of a²` and `b = a * d ** -beta`, the gradient
    `g` of `b` gives `g * d ** -beta - 2 * scale * beta * a * (window sum of g * b / d)`:
    each window is symmetric, so the channels that `a[j]` feeds are its own window.
    """
    denominator = k + scale * _window_sum(keras.ops.square(inputs), n)
    spread = _window_sum(gradient * outputs / denominator, n)
    return gradient * _inverse_power(denominator, beta) - (2.0 * scale * beta) * inputs * spread


def _window_sum(values, n):
    """The sum over each channel's window of `n` adjacent channels, zero beyond the edges.

    Up to 128 channels it is one product with a 0/1 band matrix (a multiply-add
    per channel per value, which matmul units do fast); above that, `n`
    shifted slices of the zero-padded values. Compiled by XLA on a CPU, the
    product was the faster at 24, 64 and 96 channels, the slices at 256.
    """
    channels, radius = values.shape[-1], n // 2
    if channels <= 128:
        positions = np.arange(channels)
        band = np.abs(positions[:, None] - positions[None, :]) <= radius
        return keras.ops.tensordot(values, keras.ops.convert_to_tensor(band, values.dtype), axes=1)
    padded = keras.ops.pad(values, [(0, 0), (0, 0), (0, 0), (radius, radius)])
    total = padded[..., :channels]
    for shift in range(1, n):
        total = total + padded[..., shift : shift + channels]
    return total


def _inverse_power(values, beta):
    """`values ** -beta`; the paper's beta = 0.75 as `rsqrt(v) * sqrt(rsqrt(v))`, cheaper than a power."""
    if beta == 0.75:
        root = keras.ops.rsqrt(values)
        return root * keras.ops.sqrt(root)
    if beta == 0.5:
        return keras.ops.rsqrt(values)
    return keras.ops.power(values, -beta)


@functools.cache
def _compiled_local_response_normalization():
    """`local_response_normalization` on TensorFlow, its forward pass and its gradient each compiled by XLA.

    XLA fuses each into one pass over the activations, where TensorFlow's LRN
    kernel computes a power per value and its gradient kernel loops value by
    value. Measured on a 2-core Intel Xeon (forward + backward of bfloat16
    activations, norm1 of the paper model at batch 128): 214 ms against
    518 ms for TensorFlow's kernels between casts. 16-bit activations are
    normalized in float32 inside, as in `LocalResponseNormalization.call`.
    """
    import tensorflow as tf

    @tf.function(jit_compile=True)
    def forward(x, n, k, scale, beta):
        return tf.cast(local_response_normalization(tf.cast(x, "float32"), n, k, scale, beta), x.dtype)

    @tf.function(jit_compile=True)
    def backward(x, outputs, gradient, n, k, scale, beta):
        in_float32 = (tf.cast(tensor, "float32") for tensor in (x, outputs, gradient))
        return tf.cast(_local_response_normalization_gradient(*in_float32, n, k, scale, beta), x.dtype)

    def normalize(inputs, n, k, scale, beta):
        @tf.custom_gradient
        def normalized(x):
            outputs = forward(x, n, k, scale, beta)
            return outputs, lambda gradient: backward(x, outputs, gradient, n, k, scale, beta)

        return normalized(inputs)

    return normalize


@functools.cache
def _tensorflow_sees_a_gpu():
    """Whether `precision="auto"` picks mixed float16 here: the backend sees a GPU."""
    from alexnet_edu.models import resolve_precision

    return resolve_precision("auto") == "mixed_float16"


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
    names. Written with `keras.ops`, so it runs on every Keras backend. On
    TensorFlow on a CPU the formula and its gradient are each compiled by
    XLA into one pass over the activations. Against TensorFlow's LRN
    kernels on a 2-core Intel Xeon, the paper model trained 1.2 times
    faster in mixed bfloat16 (as fast in float32) and predicted 1.4 times
    (1.1 in float32) faster; the mini model with LRN at 32 px trained 1.17
    times faster in mixed bfloat16. On a GPU it calls
    TensorFlow's cuDNN kernel, `tf.nn.local_response_normalization`
    (`depth_radius = n // 2`, `bias = k`, `alpha` unscaled: TensorFlow does
    not divide alpha by the window size).

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
        convention: `"paper"`: `alpha` multiplies the sum, as in the formula
            above. `"caffe"`: `alpha / n` multiplies it, as in Caffe's (and
            PyTorch's) LRN, where the BVLC AlexNet uses `k=1, alpha=1e-4`:
            the same normalization as the paper's formula with `alpha=2e-5`,
            and a `k` of 1, not 2.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: A 4D tensor `(batch, height, width, channels)`; channels last.

    Raises:
        ValueError: `n` is not a positive odd integer, `k` is not above 0, or
            `alpha` or `beta` is negative or not finite.
        TypeError: `k`, `alpha` or `beta` is not a number.
    """

    def __init__(self, n=5, k=2.0, alpha=1e-4, beta=0.75, convention="paper", **kwargs):
        super().__init__(**kwargs)
        if convention not in CONVENTIONS:
            raise ValueError(
                f"Unknown LRN convention {convention!r}. Valid values: {', '.join(map(repr, CONVENTIONS))} "
                "('caffe' divides alpha by n, as Caffe and PyTorch do)."
            )
        self.convention = convention
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

    @property
    def scale(self):
        """What multiplies the sum of squares: `alpha`, or `alpha / n` for the `"caffe"` convention."""
        return self.alpha / self.n if self.convention == "caffe" else self.alpha

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                "LocalResponseNormalization expects 4D input (batch, height, width, "
                f"channels). Received: input_shape={tuple(input_shape)}"
            )
        self.built = True

    def call(self, inputs):
        parameters = (self.n, self.k, self.scale, self.beta)
        if keras.backend.backend() == "tensorflow" and not _tensorflow_sees_a_gpu():
            return _compiled_local_response_normalization()(inputs, *parameters)
        # 16-bit inputs are normalised in float32: in float16 the sum of squares overflows (65,504) once
        # activations pass about 115, as they do on 0-255 pixels.
        dtype = keras.backend.standardize_dtype(inputs.dtype)
        x = keras.ops.cast(inputs, "float32") if dtype in ("float16", "bfloat16") else inputs
        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            outputs = tf.nn.local_response_normalization(
                x, depth_radius=self.n // 2, bias=self.k, alpha=self.scale, beta=self.beta
            )
        else:
            outputs = local_response_normalization(x, *parameters)
        return keras.ops.cast(outputs, dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"n": self.n, "k": self.k, "alpha": self.alpha, "beta": self.beta, "convention": self.convention})
        return config


@keras.saving.register_keras_serializable(package="alexnet_edu")
class GroupedConv2D(keras.layers.Conv2D):
    """A grouped 2D convolution run as one convolution per group, like the paper's two GPUs.

    Computes exactly what `keras.layers.Conv2D(groups=groups)` computes, with
    the same weights: group `g` of the filters sees only group `g` of the
    input channels. TensorFlow's CPU kernels cannot train a grouped
    convolution (oneDNN's can, but builds without oneDNN fail in the
    backward pass), so Keras compiles every grouped convolution with XLA
    on CPUs, which trained the two-tower mini AlexNet five times slower
    than one tower; splitting the channels and running ordinary
    convolutions per group restores the speed, as fast as oneDNN's grouped
    kernel and on every build.

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


def _bfloat16_batchnorm_is_fast(channels):
    """Whether TensorFlow's fused batch norm is faster on bfloat16 activations than on float32 copies of them.

    Measured forward + backward on an Intel Xeon with AMX (128 x 16 x 16 x C): the bfloat16 kernel
    took 0.43-0.62 of the time of the float32 one with its two casts for C = 16, 32, 48, ..., 384, and
    4.6-12.5 times it for C = 8, 24, 40, where oneDNN has no blocked kernel. Off a CPU with bfloat16
    instructions (a GPU, or a CPU that would emulate them) it was not measured, so the float32 path stays.
    """
    return channels % 16 == 0 and _cpu_runs_bfloat16()


@functools.cache
def _cpu_runs_bfloat16():
    """Whether `precision="auto"` picks mixed bfloat16 here: TensorFlow on a CPU with bfloat16 instructions."""
    from alexnet_edu.models import resolve_precision

    return resolve_precision("auto") == "mixed_bfloat16"


@keras.saving.register_keras_serializable(package="alexnet_edu")
class BatchNormalization(keras.layers.BatchNormalization):
    """Keras's `BatchNormalization`, trained with TensorFlow's fused kernel.

    Keras 3 normalizes a batch with a dozen separate ops (mean, squared
    difference, mean, subtract, multiply, casts, and as many again for the
    gradient): a quarter of the mini model's training time at 32 px. On
    TensorFlow, in training, this layer computes the same thing with
    TensorFlow's fused batch-norm kernel; the moving statistics are updated
    exactly as Keras updates them. In mixed bfloat16 on a CPU with bfloat16
    instructions the kernel takes the bfloat16 activations as they are when
    their channels are a multiple of 16 (oneDNN's block; it computes the
    statistics in float32), about twice as fast as casting them to float32
    and back; with other channel counts its bfloat16 kernel is 5-12 times
    slower, so they are cast to float32, as everywhere else. Everything
    else (inference, other backends, masks, synchronized or renormalized
    batch norm, axes other than the last of a 4D input) is Keras's own code.

    Example:

    >>> layer = BatchNormalization(name="norm1")
    >>> x = keras.random.normal((8, 5, 5, 3), seed=0)
    >>> tuple(layer(x, training=True).shape), tuple(layer.moving_mean.shape)
    ((8, 5, 5, 3), (3,))

    Args:
        **kwargs: Every `keras.layers.BatchNormalization` argument.

    Call arguments:
        inputs: A tensor.
        training: Normalize with the batch's statistics (and update the
            moving ones) rather than with the moving statistics.
        mask: As for `keras.layers.BatchNormalization`.
    """

    def call(self, inputs, training=None, mask=None):
        fusable = (
            training
            and self.trainable
            and mask is None
            and not self.synchronized
            and not self.renorm
            and len(inputs.shape) == 4
            and self.axis in (-1, 3)
            and keras.backend.backend() == "tensorflow"
        )
        if not fusable:
            return super().call(inputs, training=training, mask=mask)
        import tensorflow as tf

        channels = inputs.shape[-1]
        direct = keras.backend.standardize_dtype(inputs.dtype) == "bfloat16" and _bfloat16_batchnorm_is_fast(channels)
        x = inputs if direct else tf.cast(inputs, "float32")
        outputs, mean, variance = tf.compat.v1.nn.fused_batch_norm(
            x,
            self.gamma if self.scale else tf.ones(channels),
            self.beta if self.center else tf.zeros(channels),
            epsilon=self.epsilon,
            is_training=True,
        )
        # The kernel returns the unbiased batch variance (divided by n - 1); Keras averages the biased one.
        count = tf.cast(tf.size(x, out_type=tf.int64) // channels, "float32")
        variance = variance * (count - 1.0) / tf.maximum(count, 1.0)
        self.moving_mean.assign(self.moving_mean * self.momentum + mean * (1.0 - self.momentum))
        self.moving_variance.assign(self.moving_variance * self.momentum + variance * (1.0 - self.momentum))
        return tf.cast(outputs, self.compute_dtype)


# ImageNet input conventions: Caffe's BVLC models (BGR, 0-255, the mean subtracted) and torchvision's.
CAFFE_BGR_MEAN = (104.0069879317889, 116.66876761696767, 122.6789143406786)
TORCHVISION_MEAN = (0.485, 0.456, 0.406)
TORCHVISION_STD = (0.229, 0.224, 0.225)
INPUT_CONVENTIONS = ("caffe", "torchvision")


@keras.saving.register_keras_serializable(package="alexnet_edu")
class ImageNetInput(keras.layers.Layer):
    """Turns the kit's images (RGB in [0, 1]) into the input convention of trained ImageNet weights.

    With it as the first layer, a model with trained weights takes the same
    images as every other model of the kit, so Grad-CAM, feature maps and
    fc7 features work on it unchanged.

    - `"caffe"` (the BVLC AlexNet): 0-255, RGB -> BGR, minus the per-channel
      ImageNet mean in BGR order `CAFFE_BGR_MEAN`.
    - `"torchvision"`: `(x - TORCHVISION_MEAN) / TORCHVISION_STD` on RGB in [0, 1].

    Example:

    >>> layer = ImageNetInput("caffe")
    >>> [round(float(value), 2) for value in layer(keras.ops.full((1, 2, 2, 3), 0.5))[0, 0, 0]]  # BGR: 127.5 minus the mean
    [23.49, 10.83, 4.82]

    Args:
        convention: `"caffe"` or `"torchvision"`.
        **kwargs: Base layer keyword arguments, such as `name`.

    Call arguments:
        inputs: RGB images `(batch, height, width, 3)` in [0, 1].
    """

    def __init__(self, convention="caffe", **kwargs):
        super().__init__(**kwargs)
        if convention not in INPUT_CONVENTIONS:
            raise ValueError(
                f"Unknown input convention {convention!r}. Valid values: {', '.join(map(repr, INPUT_CONVENTIONS))}."
            )
        self.convention = convention

    def build(self, input_shape):
        if input_shape[-1] != 3:
            raise ValueError(f"ImageNetInput expects RGB images (..., 3). Received: input_shape={tuple(input_shape)}")
        self.built = True

    def call(self, inputs):
        if self.convention == "caffe":
            return keras.ops.flip(inputs * 255.0, axis=-1) - keras.ops.convert_to_tensor(CAFFE_BGR_MEAN, inputs.dtype)
        mean = keras.ops.convert_to_tensor(TORCHVISION_MEAN, inputs.dtype)
        return (inputs - mean) / keras.ops.convert_to_tensor(TORCHVISION_STD, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"convention": self.convention})
        return config
