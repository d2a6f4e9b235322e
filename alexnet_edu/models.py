"""The AlexNet family: one builder with knobs, and named presets built with it.

Presets:

- ``seed``: the model of the blog post this kit grew from (BatchNorm in place
  of LRN, 24 classes at 224x224x3, one tower): 46,846,744 parameters.
- ``paper``: Krizhevsky et al. (2012): 227x227x3, LRN after conv1 and conv2,
  two towers as ``groups=2`` in conv2, conv4 and conv5, 1000 classes:
  60,965,224 parameters.
- ``mini``: the same topology at a quarter of the width with a small first
  kernel, for 32-64 px images on a laptop CPU.
"""

import dataclasses

import keras
import tensorflow as tf
from keras import layers

from alexnet_edu.layers import GroupedConv2D, LocalResponseNormalization

ACTIVATIONS = ("relu", "tanh", "sigmoid")
NORMALIZATIONS = ("lrn", "batchnorm", "none")
POOLINGS = {"overlapping": (3, 2), "plain": (2, 2)}
PADDINGS = ("valid", "same")
INITIALIZERS = ("glorot", "he", "paper")
GROUPED_LAYERS = ("conv2", "conv4", "conv5")
REMOVABLE_LAYERS = ("conv3", "conv4", "conv5")
PRECISIONS = ("auto", "float32", "mixed_float16", "mixed_bfloat16")


@dataclasses.dataclass(frozen=True)
class AlexNetConfig:
    """Every knob of `build_alexnet`; a preset is a set of values for them.

    Args:
        num_classes: Size of the softmax output `fc8`.
        input_shape: `(height, width, channels)` of the input images.
        activation: Non-linearity after every conv and hidden dense layer:
            one of `ACTIVATIONS`.
        normalization: What follows conv1 and conv2: `"lrn"` (the paper),
            `"batchnorm"` (the seed) or `"none"`.
        pooling: `"overlapping"` (3x3 windows, stride 2, as in the paper) or
            `"plain"` (2x2 windows, stride 2).
        dropout: Dropout rate after fc6 and fc7 (0 turns it off).
        groups: 1 for one tower, 2 for the paper's two towers (conv2, conv4
            and conv5 see only the channels of their own tower).
        width: Multiplier on every conv and hidden dense layer's width.
        filters: Widths of conv1-conv5 before `width` is applied.
        fc_units: Width of fc6 and fc7 before `width` is applied.
        conv1_kernel: Kernel size of conv1 (11 in the paper).
        conv1_stride: Stride of conv1 (4 in the paper).
        conv1_padding: Padding of conv1, `"valid"` or `"same"`.
        initializer: `"glorot"` (Keras's default), `"he"` (He et al. 2015:
            keeps the signal's scale through ReLU layers) or `"paper"`: weights
            from N(0, 0.01), biases 1 in conv2, conv4, conv5, fc6 and fc7, else 0.
        remove: Middle conv layers to leave out (from `REMOVABLE_LAYERS`),
            for the paper's depth experiment.
    """

    num_classes: int = 1000
    input_shape: tuple = (227, 227, 3)
    activation: str = "relu"
    normalization: str = "lrn"
    pooling: str = "overlapping"
    dropout: float = 0.5
    groups: int = 1
    width: float = 1.0
    filters: tuple = (96, 256, 384, 384, 256)
    fc_units: int = 4096
    conv1_kernel: int = 11
    conv1_stride: int = 4
    conv1_padding: str = "valid"
    initializer: str = "glorot"
    remove: tuple = ()


PRESETS = {
    "seed": dict(num_classes=24, input_shape=(224, 224, 3), normalization="batchnorm"),
    "paper": dict(num_classes=1000, input_shape=(227, 227, 3), normalization="lrn", groups=2),
    "mini": dict(
        num_classes=10,
        input_shape=(64, 64, 3),
        normalization="batchnorm",
        width=0.25,
        conv1_kernel=5,
        conv1_stride=2,
        conv1_padding="same",
    ),
}

KNOBS = tuple(field.name for field in dataclasses.fields(AlexNetConfig))


def _choice(name, value, valid):
    if value not in valid:
        raise ValueError(f"Unknown {name} {value!r}. Valid values: {', '.join(map(repr, valid))}.")


def _make_divisible(value, divisor):
    return max(divisor, int(round(value / divisor)) * divisor)


def make_config(preset="seed", **knobs):
    """Returns the `AlexNetConfig` of a preset with some knobs changed.

    Args:
        preset: One of `PRESETS`: `"seed"`, `"paper"` or `"mini"`.
        **knobs: Any field of `AlexNetConfig`, overriding the preset.
    """
    if preset not in PRESETS:
        raise ValueError(f"Unknown preset {preset!r}. Valid presets: {', '.join(map(repr, PRESETS))}.")
    unknown = sorted(set(knobs) - set(KNOBS))
    if unknown:
        raise ValueError(f"Unknown knob {unknown[0]!r}. Valid knobs: {', '.join(KNOBS)}.")
    values = {**PRESETS[preset], **knobs}
    for key in ("input_shape", "filters", "remove"):
        if key in values:
            values[key] = tuple(values[key])
    config = AlexNetConfig(**values)
    _validate(config)
    return config


def _validate(config):
    _choice("activation", config.activation, ACTIVATIONS)
    _choice("normalization", config.normalization, NORMALIZATIONS)
    _choice("pooling", config.pooling, tuple(POOLINGS))
    _choice("conv1_padding", config.conv1_padding, PADDINGS)
    _choice("initializer", config.initializer, INITIALIZERS)
    _choice("groups", config.groups, (1, 2))
    for layer_name in config.remove:
        _choice("layer to remove", layer_name, REMOVABLE_LAYERS)
    if not isinstance(config.num_classes, int) or config.num_classes < 2:
        raise ValueError(f"num_classes must be an integer of at least 2. Received: num_classes={config.num_classes!r}")
    if len(config.input_shape) != 3 or any(not isinstance(d, int) or d < 1 for d in config.input_shape):
        raise ValueError(
            "input_shape must be (height, width, channels) of positive integers, "
            f"e.g. (224, 224, 3). Received: input_shape={config.input_shape!r}"
        )
    if not 0 <= config.dropout < 1:
        raise ValueError(f"dropout must be in [0, 1). Received: dropout={config.dropout!r}")
    if not config.width > 0:
        raise ValueError(f"width must be positive. Received: width={config.width!r}")
    if len(config.filters) != 5:
        raise ValueError(f"filters must give 5 conv widths (conv1-conv5). Received: filters={config.filters!r}")
    for size, spatial_name in zip(config.input_shape[:2], ("height", "width")):
        names = [name for name, out in _spatial_walk(config, size) if out < 1]
        if names:
            smallest = _smallest_size(config)
            raise ValueError(
                f"Input {spatial_name} {size} is too small for this AlexNet: layer {names[0]!r} "
                f"would have an empty output. The smallest valid input size is {smallest}. "
                f"Received: input_shape={config.input_shape}"
            )


def _smallest_size(config):
    return next(s for s in range(1, 4096) if all(o >= 1 for _, o in _spatial_walk(config, s)))


def smallest_input_size(preset="seed", **knobs):
    """The smallest height (or width) in pixels that a preset with these knobs accepts.

    Example:

    >>> smallest_input_size("seed")
    67
    """
    knobs.setdefault("input_shape", (4096, 4096, 3))
    return _smallest_size(make_config(preset, **knobs))


def _spatial_walk(config, size):
    """Yields (layer name, output size) along one spatial axis, as Keras computes it."""
    if config.conv1_padding == "valid":
        size = (size - config.conv1_kernel) // config.conv1_stride + 1
    else:
        size = -(-size // config.conv1_stride)
    yield "conv1", size
    pool_size, pool_stride = POOLINGS[config.pooling]
    for name in ("pool1", "pool2", "pool5"):
        size = (size - pool_size) // pool_stride + 1 if size >= pool_size else 0
        yield name, size


def _conv_widths(config):
    # Grouped layers need channel counts divisible by the number of towers.
    return [_make_divisible(f * config.width, config.groups) for f in config.filters]


def resolve_precision(precision="auto"):
    """The Keras dtype policy a model is built with.

    `"auto"` picks mixed precision (float16 compute, float32 weights) when
    TensorFlow sees a GPU, where tensor cores make it 2-3x faster, and float32
    on a CPU, where float16 is not faster.
    """
    _choice("precision", precision, PRECISIONS)
    if precision == "auto":
        return "mixed_float16" if tf.config.list_physical_devices("GPU") else "float32"
    return precision


def build_alexnet(preset="seed", name=None, precision="auto", **knobs):
    """Builds an AlexNet as a functional Keras model with every layer named.

    Layer names: `conv1`-`conv5`, `norm1`, `norm2` (unless normalization is
    `"none"`), `pool1`, `pool2`, `pool5`, `flatten`, `fc6`, `drop6`, `fc7`,
    `drop7`, `fc8`.

    Example:

    >>> model = build_alexnet("seed", num_classes=24, input_shape=(224, 224, 3))
    >>> model.count_params()
    46846744

    Args:
        preset: `"seed"`, `"paper"` or `"mini"` (see `PRESETS`).
        name: The model's name; defaults to `"alexnet_<preset>"`.
        precision: `"auto"` (mixed float16 on a GPU, float32 on a CPU; see
            `resolve_precision`), `"float32"`, `"mixed_float16"` or
            `"mixed_bfloat16"`. The softmax of fc8 always runs in float32.
        **knobs: Fields of `AlexNetConfig` that override the preset, such as
            `num_classes`, `input_shape`, `activation`, `normalization`,
            `pooling`, `dropout`, `groups` or `width`.

    Returns:
        An uncompiled `keras.Model`.
    """
    config = make_config(preset, **knobs)
    policy = resolve_precision(precision)
    widths = _conv_widths(config)
    fc_units = max(1, int(round(config.fc_units * config.width)))
    pool_size, pool_stride = POOLINGS[config.pooling]

    def init_args(bias_one):
        if config.initializer == "glorot":
            return {}
        if config.initializer == "he":
            return {"kernel_initializer": "he_normal"}
        return {
            "kernel_initializer": keras.initializers.RandomNormal(mean=0.0, stddev=0.01),
            "bias_initializer": "ones" if bias_one else "zeros",
        }

    def conv(x, index, kernel_size, strides=1, padding="same"):
        layer_name = f"conv{index}"
        grouped = layer_name in GROUPED_LAYERS
        groups = config.groups if grouped else 1
        # One convolution per tower: fast on CPUs, which lack a grouped-convolution kernel.
        conv_class = GroupedConv2D if groups > 1 else layers.Conv2D
        return conv_class(
            widths[index - 1],
            kernel_size,
            strides=strides,
            padding=padding,
            groups=groups,
            activation=config.activation,
            name=layer_name,
            dtype=policy,
            **init_args(bias_one=grouped),
        )(x)

    def norm(x, index):
        if config.normalization == "lrn":
            return LocalResponseNormalization(n=5, k=2.0, alpha=1e-4, beta=0.75, name=f"norm{index}", dtype=policy)(x)
        if config.normalization == "batchnorm":
            return layers.BatchNormalization(name=f"norm{index}", dtype=policy)(x)
        return x

    def pool(x, layer_name):
        return layers.MaxPooling2D(pool_size, strides=pool_stride, name=layer_name, dtype=policy)(x)

    inputs = keras.Input(shape=config.input_shape, name="image")
    x = conv(inputs, 1, config.conv1_kernel, config.conv1_stride, config.conv1_padding)
    x = pool(norm(x, 1), "pool1")
    x = conv(x, 2, 5)
    x = pool(norm(x, 2), "pool2")
    for index in (3, 4, 5):
        if f"conv{index}" not in config.remove:
            x = conv(x, index, 3)
    x = pool(x, "pool5")
    x = layers.Flatten(name="flatten", dtype=policy)(x)
    for index in (6, 7):
        x = layers.Dense(fc_units, activation=config.activation, name=f"fc{index}", dtype=policy, **init_args(bias_one=True))(x)
        if config.dropout:
            x = layers.Dropout(config.dropout, name=f"drop{index}", dtype=policy)(x)
    # A float16 softmax can round small probabilities to 0 and make the loss infinite.
    outputs = layers.Dense(config.num_classes, activation="softmax", name="fc8", dtype="float32", **init_args(bias_one=False))(x)
    return keras.Model(inputs, outputs, name=name or f"alexnet_{preset}")


def build_linear_classifier(num_classes, input_shape, name="linear_baseline"):
    """Logistic regression on raw pixels: the baseline a CNN has to beat.

    One dense softmax layer on the flattened image, with no hidden layer,
    trained like any other model here.

    Args:
        num_classes: Number of classes.
        input_shape: `(height, width, channels)`.
        name: The model's name.
    """
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = layers.Flatten(name="flatten")(inputs)
    outputs = layers.Dense(num_classes, activation="softmax", name="logits")(x)
    return keras.Model(inputs, outputs, name=name)
