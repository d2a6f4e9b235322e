"""The AlexNet family: one builder with knobs, and named presets built with it.

Presets:

- ``seed``: the model of the blog post this kit grew from (BatchNorm in place
  of LRN, 24 classes at 224x224x3, one tower): 46,846,744 parameters.
- ``paper``: Krizhevsky et al. (2012): 227x227x3, LRN after conv1 and conv2,
  two towers as ``groups=2`` in conv2, conv4 and conv5, 1000 classes:
  60,965,224 parameters.
- ``mini``: the same topology at a quarter of the width with a small first
  kernel, for 32-64 px images on a laptop CPU.
- ``torchvision``: the single-tower 64-192-384-256-256 variant of
  torchvision's `alexnet` (Krizhevsky 2014, no LRN, conv1 padded by 2 at
  224x224x3): 61,100,840 parameters, the shape of its trained weights.
"""

import dataclasses
import math
import numbers
import os
import pathlib
import re
import zipfile
from collections.abc import Iterable

import keras
from keras import layers

from alexnet_edu.layers import (
    CONVENTIONS,
    INPUT_CONVENTIONS,
    BatchNormalization,
    GroupedConv2D,
    ImageNetInput,
    LocalResponseNormalization,
)

ACTIVATIONS = ("relu", "tanh", "sigmoid")
NORMALIZATIONS = ("lrn", "batchnorm", "none")
POOLINGS = {"overlapping": (3, 2), "plain": (2, 2)}
PADDINGS = ("valid", "same")
INITIALIZERS = ("glorot", "he", "paper")
GROUPED_LAYERS = ("conv2", "conv4", "conv5")
REMOVABLE_LAYERS = ("conv3", "conv4", "conv5")
CONV_LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5")
PRECISIONS = ("auto", "float32", "mixed_float16", "mixed_bfloat16")
# CPU flags (Linux's names) of the instructions that make bfloat16 faster than float32 in oneDNN.
BFLOAT16_CPU_FLAGS = ("avx512_bf16", "amx_bf16")


@dataclasses.dataclass(frozen=True)
class AlexNetConfig:
    """Every knob of `build_alexnet`; a preset is a set of values for them.

    Example:

    >>> config = make_config("mini", dropout=0.0)
    >>> config.filters, config.input_shape, config.dropout
    ((96, 256, 384, 384, 256), (64, 64, 3), 0.0)

    Args:
        num_classes: Size of the softmax output `fc8`.
        input_shape: `(height, width, channels)` of the input images.
        activation: Non-linearity after every conv and hidden dense layer:
            one of `ACTIVATIONS`.
        normalization: What follows the conv layers in `normalized` (the
            paper: conv1 and conv2): `"lrn"` (the paper), `"batchnorm"` (the
            seed) or `"none"`.
        normalized: The conv layers followed by the normalization layer
            (`norm1` after conv1, ..., `norm5` after conv5): the paper's
            `("conv1", "conv2")`, or all five, as the CIFAR-10 recipe's
            BatchNorm (it trains faster).
        pooling: `"overlapping"` (3x3 windows, stride 2, as in the paper) or
            `"plain"` (2x2 windows, stride 2).
        pool_padding: `"valid"` (the paper: every window lies inside the
            map, so 2x2 windows with stride 2 never read the last row and
            column of an odd-sized map: 1 of 55 in the paper, but 5 of a 3x3
            map's 9 positions) or `"same"` (the far edge is padded, so every
            position is read and both poolings give ceil(W / 2) outputs).
        dropout: Dropout rate after fc6 and fc7 (0 turns it off).
        groups: 1 for one tower, 2 for the paper's two towers (conv2, conv4
            and conv5 see only the channels of their own tower).
        width: Multiplier on every conv and hidden dense layer's width.
        filters: Widths of conv1-conv5 before `width` is applied.
        fc_units: Width of fc6 and fc7 before `width` is applied.
        conv1_kernel: Kernel size of conv1 (11 in the paper).
        conv1_stride: Stride of conv1 (4 in the paper).
        conv1_padding: Padding of conv1: `"valid"`, `"same"`, or a number of
            zero pixels added on every side (torchvision's AlexNet uses 2).
        conv2_kernel: Kernel size of conv2 (5 in the paper; "same" padding,
            so it keeps the size). 3 in the CIFAR-10 recipe: at 32 px a 3x3
            conv2 costs a third of a 5x5 one, and the time saved buys wider layers.
        initializer: `"glorot"` (Keras's default), `"he"` (He et al. 2015:
            keeps the signal's scale through ReLU layers) or `"paper"`: weights
            from N(0, 0.01), biases 1 in conv2, conv4, conv5, fc6 and fc7, else 0.
        remove: Middle conv layers to leave out (from `REMOVABLE_LAYERS`),
            for the paper's depth experiment.
        lrn_k: LRN's additive constant (the paper's 2; Caffe's BVLC AlexNet 1).
        lrn_alpha: LRN's scale of the sum of squares (1e-4).
        lrn_convention: `"paper"` or `"caffe"` (alpha divided by the window
            size 5); see `LocalResponseNormalization`.
        input_convention: None, or `"caffe"` / `"torchvision"`: a first
            layer `preprocess` (`ImageNetInput`) that turns [0, 1] RGB images
            into that input convention, for trained ImageNet weights.
    """

    num_classes: int = 1000
    input_shape: tuple = (227, 227, 3)
    activation: str = "relu"
    normalization: str = "lrn"
    normalized: tuple = ("conv1", "conv2")
    pooling: str = "overlapping"
    pool_padding: str = "valid"
    dropout: float = 0.5
    groups: int = 1
    width: float = 1.0
    filters: tuple = (96, 256, 384, 384, 256)
    fc_units: int = 4096
    conv1_kernel: int = 11
    conv1_stride: int = 4
    conv1_padding: str | int = "valid"
    conv2_kernel: int = 5
    initializer: str = "glorot"
    remove: tuple = ()
    lrn_k: float = 2.0
    lrn_alpha: float = 1e-4
    lrn_convention: str = "paper"
    input_convention: str | None = None


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
    # The single-tower variant ("one weird trick", Krizhevsky 2014) that torchvision ships trained weights for.
    "torchvision": dict(
        num_classes=1000,
        input_shape=(224, 224, 3),
        normalization="none",
        filters=(64, 192, 384, 256, 256),
        conv1_padding=2,
    ),
}

KNOBS = tuple(field.name for field in dataclasses.fields(AlexNetConfig))


def _choice(name, value, valid):
    if value not in valid:
        raise ValueError(f"Unknown {name} {value!r}. Valid values: {', '.join(map(repr, valid))}.")


def _make_divisible(value, divisor):
    return max(divisor, int(round(value / divisor)) * divisor)


def _is_integer(value):
    # NumPy integers count (np.int64 is a numbers.Integral); bools are refused as numbers.
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _whole_float_hint(value):
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        return f" (write {int(value)}, not {value!r})"
    return ""


def _integer(name, value, minimum, example):
    """Returns `value` as an int, refusing floats, bools, strings and values below `minimum`."""
    message = f"{name} must be an integer of at least {minimum}"
    if not _is_integer(value):
        raise TypeError(f"{message}, e.g. {example}{_whole_float_hint(value)}. Received: {name}={value!r}")
    if value < minimum:
        raise ValueError(f"{message}. Received: {name}={value!r}")
    return int(value)


def _number(name, value, rule):
    """Returns `value` as a finite float, refusing bools, strings and NaN or infinity."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number {rule}. Received: {name}={value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number {rule}. Received: {name}={value!r}")
    return float(value)


def _sequence(name, value, rule):
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{rule}. Received: {name}={value!r}")
    return tuple(value)


def _input_shape(value):
    rule = "input_shape must be (height, width, channels) of positive integers, e.g. (224, 224, 3)"
    dims = _sequence("input_shape", value, rule)
    if len(dims) == 4 and dims[0] is None:
        raise ValueError(f"{rule}, without the batch axis: leave out the leading None. Received: input_shape={value!r}")
    if len(dims) != 3 or not all(_is_integer(d) and d >= 1 for d in dims):
        raise ValueError(f"{rule}. Received: input_shape={value!r}")
    dims = tuple(int(d) for d in dims)
    if dims[0] in (1, 3) and dims[2] not in (1, 3):
        raise ValueError(
            f"input_shape looks channels-first, but the kit's models are channels-last: use "
            f"{(dims[1], dims[2], dims[0])} (height, width, channels). Received: input_shape={value!r}"
        )
    if dims[2] not in (1, 3):
        raise ValueError(
            "input_shape must end with 1 (grayscale) or 3 (RGB) channels, the images the kit loads; "
            f"for RGBA images drop the alpha channel (images[..., :3]) and use {dims[:2] + (3,)}. "
            f"Received: input_shape={value!r}"
        )
    return dims


def _filters(value):
    rule = "filters must give 5 conv widths (conv1-conv5), positive integers such as (96, 256, 384, 384, 256)"
    filters = _sequence("filters", value, rule)
    if len(filters) != 5 or not all(_is_integer(f) and f >= 1 for f in filters):
        raise ValueError(f"{rule}. Received: filters={value!r}")
    return tuple(int(f) for f in filters)


def _remove(value):
    if value is None:
        return ()
    rule = f"remove must name the conv layers to leave out, e.g. ('conv3',) or 'conv3', from {REMOVABLE_LAYERS}"
    # remove="conv3" means one layer, not the letters c, o, n, v, 3.
    names = (value,) if isinstance(value, str) else _sequence("remove", value, rule)
    for layer_name in names:
        _choice("layer to remove", layer_name, REMOVABLE_LAYERS)
    return names


def _normalized(value, removed):
    rule = f"normalized must name the conv layers followed by the normalization, e.g. ('conv1', 'conv2'), from {CONV_LAYERS}"
    names = (value,) if isinstance(value, str) else _sequence("normalized", value, rule)
    for layer_name in names:
        _choice("normalized layer", layer_name, CONV_LAYERS)
        if layer_name in removed:
            raise ValueError(
                f"{layer_name} is removed, so it cannot be normalized: leave it out of normalized or of remove. "
                f"Received: normalized={value!r}, remove={removed!r}"
            )
    return tuple(name for name in CONV_LAYERS if name in names)


def _checked(config, check_size=True):
    """Checks every knob; returns the config with NumPy numbers made plain and a single `remove` name made a tuple."""
    _choice("activation", config.activation, ACTIVATIONS)
    _choice("normalization", config.normalization, NORMALIZATIONS)
    _choice("pooling", config.pooling, tuple(POOLINGS))
    _choice("pool_padding", config.pool_padding, PADDINGS)
    if not _is_integer(config.conv1_padding):
        _choice("conv1_padding", config.conv1_padding, PADDINGS)
    elif config.conv1_padding < 0:
        raise ValueError(
            f"conv1_padding must be 'valid', 'same' or a number of pixels of at least 0. "
            f"Received: conv1_padding={config.conv1_padding!r}"
        )
    _choice("lrn_convention", config.lrn_convention, CONVENTIONS)
    if config.input_convention is not None:
        _choice("input_convention", config.input_convention, INPUT_CONVENTIONS)
    _number("lrn_k", config.lrn_k, "above 0 (the paper uses 2, Caffe 1)")
    _number("lrn_alpha", config.lrn_alpha, "of at least 0 (the paper uses 1e-4)")
    _choice("initializer", config.initializer, INITIALIZERS)
    if not _is_integer(config.groups):
        raise TypeError(
            "groups must be an integer 1 or 2 (one tower, or the paper's two)"
            f"{_whole_float_hint(config.groups)}. Received: groups={config.groups!r}"
        )
    _choice("groups", config.groups, (1, 2))
    dropout = 0.0 if config.dropout is None else _number("dropout", config.dropout, "in [0, 1) (0 turns dropout off)")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be in [0, 1). Received: dropout={config.dropout!r}")
    width = _number("width", config.width, "above 0, e.g. 0.5 for half the width")
    if not width > 0:
        raise ValueError(f"width must be positive. Received: width={config.width!r}")
    config = dataclasses.replace(
        config,
        num_classes=_integer("num_classes", config.num_classes, 2, 10),
        input_shape=_input_shape(config.input_shape),
        dropout=dropout,
        groups=int(config.groups),
        width=width,
        filters=_filters(config.filters),
        fc_units=_integer("fc_units", config.fc_units, 1, 4096),
        conv1_kernel=_integer("conv1_kernel", config.conv1_kernel, 1, 11),
        conv1_stride=_integer("conv1_stride", config.conv1_stride, 1, 4),
        conv2_kernel=_integer("conv2_kernel", config.conv2_kernel, 1, 5),
        remove=_remove(config.remove),
    )
    config = dataclasses.replace(config, normalized=_normalized(config.normalized, config.remove))
    units = {f"conv{index}": f for index, f in enumerate(config.filters, 1)}
    units.update(fc6=config.fc_units, fc7=config.fc_units)
    empty = [layer_name for layer_name, count in units.items() if round(count * width) < 1]
    if empty:
        raise ValueError(
            f"width is too small: {empty[0]} would get {units[empty[0]]} x {width:g} = 0 units. "
            f"Use width >= {1 / min(units.values()):.3g}. Received: width={width!r}"
        )
    if check_size:
        smallest = _smallest_size(config)
        for size, spatial_name in zip(config.input_shape[:2], ("height", "width")):
            names = [layer_name for layer_name, out in _spatial_walk(config, size) if out < 1]
            if names:
                raise ValueError(
                    f"Input {spatial_name} {size} is too small for this AlexNet: layer {names[0]!r} "
                    f"would have an empty output. The smallest valid input size is {smallest}. "
                    f"Received: input_shape={config.input_shape}"
                )
    return config


def _make_config(preset, knobs, check_size=True):
    if not isinstance(preset, str) or preset not in PRESETS:
        raise ValueError(f"Unknown preset {preset!r}. Valid presets: {', '.join(map(repr, PRESETS))}.")
    unknown = sorted(set(knobs) - set(KNOBS))
    if unknown:
        raise ValueError(f"Unknown knob {unknown[0]!r}. Valid knobs: {', '.join(KNOBS)}.")
    return _checked(AlexNetConfig(**{**PRESETS[preset], **knobs}), check_size)


def make_config(preset="seed", **knobs):
    """Returns the `AlexNetConfig` of a preset with some knobs changed.

    Integer knobs accept NumPy integers; `remove="conv3"` means `("conv3",)`
    and `dropout=None` means 0.

    Example:

    >>> config = make_config("paper", dropout=0.0)
    >>> config.groups, config.dropout
    (2, 0.0)

    Args:
        preset: One of `PRESETS`: `"seed"`, `"paper"` or `"mini"`.
        **knobs: Any field of `AlexNetConfig`, overriding the preset.

    Returns:
        An `AlexNetConfig` with plain Python values.

    Raises:
        ValueError: An unknown preset, knob or choice, or a value out of range
            (including an input too small for the layers).
        TypeError: A knob of the wrong type, such as a float for an integer.
    """
    return _make_config(preset, knobs)


def _smallest_size(config):
    """Works backwards from a 1-pixel pool5 output: the smallest input each layer needs."""
    pool_size, pool_stride = POOLINGS[config.pooling]
    size = 1
    for _ in ("pool5", "pool2", "pool1"):  # conv2-conv5 keep the size ("same" padding, stride 1)
        size = (size - 1) * pool_stride + pool_size if config.pool_padding == "valid" else size
    if _is_integer(config.conv1_padding):
        return max(1, (size - 1) * config.conv1_stride + config.conv1_kernel - 2 * int(config.conv1_padding))
    kernel = config.conv1_kernel if config.conv1_padding == "valid" else 1
    return (size - 1) * config.conv1_stride + kernel


def smallest_input_size(preset="seed", **knobs):
    """The smallest height (or width) in pixels that a preset with these knobs accepts.

    Example:

    >>> smallest_input_size("seed")
    67

    Args:
        preset: One of `PRESETS`.
        **knobs: Knobs of `AlexNetConfig` other than `input_shape`.

    Returns:
        The size in pixels, as an int.

    Raises:
        ValueError: An unknown preset or knob, a bad knob value, or an
            `input_shape` knob (the size is what this function computes).
    """
    if "input_shape" in knobs:
        raise ValueError(
            "smallest_input_size computes the input size, so it takes no input_shape: pass the other knobs only. "
            f"Received: input_shape={knobs['input_shape']!r}"
        )
    return _smallest_size(_make_config(preset, knobs, check_size=False))


def _spatial_walk(config, size):
    """Yields (layer name, output size) along one spatial axis, as Keras computes it."""
    if _is_integer(config.conv1_padding):
        padded = size + 2 * int(config.conv1_padding)
        size = (padded - config.conv1_kernel) // config.conv1_stride + 1 if padded >= config.conv1_kernel else 0
    elif config.conv1_padding == "valid":
        size = (size - config.conv1_kernel) // config.conv1_stride + 1
    else:
        size = -(-size // config.conv1_stride)
    yield "conv1", size
    pool_size, pool_stride = POOLINGS[config.pooling]
    for name in ("pool1", "pool2", "pool5"):
        if config.pool_padding == "same":
            size = -(-size // pool_stride)
        else:
            size = (size - pool_size) // pool_stride + 1 if size >= pool_size else 0
        yield name, size


def _conv_widths(config):
    # Grouped layers need channel counts divisible by the number of towers.
    return [_make_divisible(f * config.width, config.groups) for f in config.filters]


def bfloat16_cpu_features(cpuinfo="/proc/cpuinfo"):
    """The bfloat16 instructions of this machine's CPU that TensorFlow uses.

    Example:

    >>> import pathlib, tempfile
    >>> cpuinfo = pathlib.Path(tempfile.mkdtemp()) / "cpuinfo"
    >>> _ = cpuinfo.write_text("flags : fpu sse2 avx2 avx512f avx512_bf16")
    >>> bfloat16_cpu_features(cpuinfo)  # an AMD EPYC 4th generation (Zen 4); Intel's AMX adds amx_bf16
    ('avx512_bf16',)

    Args:
        cpuinfo: The file listing the CPU's flags (Linux). Elsewhere, or when
            it cannot be read, no features are found.

    Returns:
        The flags among `BFLOAT16_CPU_FLAGS` that the CPU has, in that order;
        empty on CPUs without bfloat16 hardware (oneDNN would emulate it,
        slower than float32).
    """
    try:
        text = pathlib.Path(cpuinfo).read_text(errors="replace")
    except OSError:
        return ()
    flags = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            flags.update(value.split())
    return tuple(flag for flag in BFLOAT16_CPU_FLAGS if flag in flags)


def resolve_precision(precision="auto"):
    """The Keras dtype policy a model is built with.

    `"auto"` picks mixed precision (float32 weights, 16-bit compute) where the
    hardware makes it faster: `"mixed_float16"` when the Keras backend sees a
    GPU (tensor cores, 2-3x), `"mixed_bfloat16"` on a CPU with bfloat16
    instructions under TensorFlow (see `bfloat16_cpu_features`; the kit's
    models trained 1.3-1.7x as fast as in float32 on an AMD Zen 4 with
    AVX-512 BF16, 1.4-3.3x on an Intel Xeon with AMX), and float32 on other CPUs,
    where 16-bit floats are not faster. The final accuracy is the same within
    the spread over seeds (`make bench`, section "precision").
    """
    _choice("precision", precision, PRECISIONS)
    if precision != "auto":
        return precision
    gpus = [device for device in keras.distribution.list_devices() if device.lower().startswith(("gpu", "cuda"))]
    if gpus:
        return "mixed_float16"
    # Measured with TensorFlow's oneDNN kernels only; other backends keep float32 on a CPU.
    if keras.backend.backend() == "tensorflow" and bfloat16_cpu_features():
        return "mixed_bfloat16"
    return "float32"


def describe_precision(precision="auto"):
    """One line saying which precision `precision` resolves to on this machine, and why.

    Example:

    >>> describe_precision("float32")
    'float32 (chosen)'

    On a CPU with AVX-512 BF16, `describe_precision()` gives `'mixed bfloat16
    (this CPU has bfloat16 instructions: avx512_bf16)'`; on a GPU, `'mixed
    float16 (a GPU)'`.

    Args:
        precision: What `build_alexnet` is given: `"auto"` or one of the
            policies of `PRECISIONS`.

    Returns:
        The policy in words, and for `"auto"` what on this machine chose it.
    """
    policy = resolve_precision(precision)
    if precision != "auto":
        return f"{policy.replace('_', ' ')} (chosen)"
    if policy == "mixed_float16":
        return "mixed float16 (a GPU)"
    if policy == "mixed_bfloat16":
        return f"mixed bfloat16 (this CPU has bfloat16 instructions: {', '.join(bfloat16_cpu_features())})"
    return "float32 (no GPU, no bfloat16 instructions on this CPU)"


def build_alexnet(preset="seed", name=None, precision="auto", weights=None, **knobs):
    """Builds an AlexNet as a functional Keras model with every layer named.

    Layer names: `conv1`-`conv5`, `norm1`, `norm2` (unless normalization is
    `"none"`; `norm3`-`norm5` where `normalized` names conv3-conv5), `pool1`,
    `pool2`, `pool5`, `flatten`, `fc6`, `drop6`, `fc7`, `drop7`, `fc8`.

    Example:

    >>> model = build_alexnet("seed", num_classes=24, input_shape=(224, 224, 3))
    >>> model.count_params()
    46846744

    Args:
        preset: `"seed"`, `"paper"` or `"mini"` (see `PRESETS`).
        name: The model's name; defaults to `"alexnet_<preset>"`.
        weights: None (random initial weights), or trained ImageNet weights:
            `"bvlc"` (the Caffe BVLC AlexNet, preset `"paper"`),
            `"torchvision"` (preset `"torchvision"`), or the path of such a
            `.caffemodel` / `.pth` file. Downloaded once; see
            `alexnet_edu.pretrained`.
        precision: `"auto"` (mixed float16 on a GPU, mixed bfloat16 on a CPU
            with bfloat16 instructions, float32 on other CPUs; see
            `resolve_precision`), `"float32"`, `"mixed_float16"` or
            `"mixed_bfloat16"`. The softmax of fc8 always runs in float32.
        **knobs: Fields of `AlexNetConfig` that override the preset, such as
            `num_classes`, `input_shape`, `activation`, `normalization`,
            `pooling`, `dropout`, `groups` or `width`.

    Returns:
        An uncompiled `keras.Model`.

    Raises:
        ValueError: An unknown preset, knob, choice or precision, or a knob
            value out of range (see `make_config`).
        TypeError: A knob or `name` of the wrong type.
    """
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string (the model's name), e.g. 'my_alexnet', or None. Received: name={name!r}")
    if weights is not None:
        from alexnet_edu.pretrained import build_pretrained, resolve

        spec, _ = resolve(weights)
        if preset != spec.preset:
            raise ValueError(
                f"The {spec.name} weights are for the {spec.preset!r} preset: build_alexnet({spec.preset!r}, "
                f"weights={weights!r}). Received: preset={preset!r}"
            )
        return build_pretrained(weights, name=name, precision=precision, **knobs)
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
        if f"conv{index}" not in config.normalized:
            return x
        if config.normalization == "lrn":
            return LocalResponseNormalization(
                n=5, k=config.lrn_k, alpha=config.lrn_alpha, beta=0.75, convention=config.lrn_convention,
                name=f"norm{index}", dtype=policy,
            )(x)
        if config.normalization == "batchnorm":
            return BatchNormalization(name=f"norm{index}", dtype=policy)(x)
        return x

    def pool(x, layer_name):
        return layers.MaxPooling2D(pool_size, strides=pool_stride, padding=config.pool_padding, name=layer_name, dtype=policy)(x)

    inputs = keras.Input(shape=config.input_shape, name="image")
    x = inputs
    if config.input_convention:
        x = ImageNetInput(config.input_convention, name="preprocess", dtype=policy)(x)
    padding = config.conv1_padding
    if _is_integer(padding):
        # Explicit zero padding, as PyTorch's Conv2d(padding=2): Keras's "same" would pad 224 to 56 outputs, not 55.
        x = layers.ZeroPadding2D(int(padding), name="pad1", dtype=policy)(x) if padding else x
        padding = "valid"
    x = conv(x, 1, config.conv1_kernel, config.conv1_stride, padding)
    x = pool(norm(x, 1), "pool1")
    x = conv(x, 2, config.conv2_kernel)
    x = pool(norm(x, 2), "pool2")
    for index in (3, 4, 5):
        if f"conv{index}" not in config.remove:
            x = norm(conv(x, index, 3), index)
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

    Example:

    >>> model = build_linear_classifier(10, (32, 32, 3))
    >>> model.count_params()  # 32 * 32 * 3 * 10 weights and 10 biases
    30730

    Args:
        num_classes: Number of classes.
        input_shape: `(height, width, channels)`.
        name: The model's name.
    """
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = layers.Flatten(name="flatten")(inputs)
    outputs = layers.Dense(num_classes, activation="softmax", name="logits")(x)
    return keras.Model(inputs, outputs, name=name)


def build_figure1_cnn(activation="relu", num_classes=10, input_shape=(32, 32, 3), name=None):
    """The four-layer CNN of the paper's Figure 1 (ReLU vs tanh on CIFAR-10).

    The paper does not list its layers. This is the CIFAR-10 example network
    of Krizhevsky's cuda-convnet, the code the paper was trained with
    (`layers-18pct`): three 5x5 convolutions of 32, 32 and 64 filters, each
    followed by 3x3 pooling with stride 2 (max, then average, average), and a
    softmax layer, without its response normalization ("no regularization of
    any kind", Figure 1). Inputs in [0, 1] are centred (x - 0.5) as the paper
    subtracted the mean image; weights start from Keras's Glorot default.

    Layer names: `center`, `conv1`, `pool1`, `conv2`, `pool2`, `conv3`,
    `pool3`, `flatten`, `fc4`.

    Example:

    >>> model = build_figure1_cnn("tanh")
    >>> model.count_params()
    89578

    Args:
        activation: The non-linearity of the three conv layers: one of
            `ACTIVATIONS`.
        num_classes: Size of the softmax output `fc4`.
        input_shape: `(height, width, channels)`, at least 8 pixels high
            and wide.
        name: The model's name; defaults to `"figure1_<activation>"`.

    Returns:
        An uncompiled `keras.Model`.

    Raises:
        ValueError: An unknown activation or a bad size.
    """
    _choice("activation", activation, ACTIVATIONS)
    if not _is_integer(num_classes) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer of at least 2. Received: num_classes={num_classes!r}")
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if shape is None or len(shape) != 3 or not all(_is_integer(v) and v > 0 for v in shape) or min(shape[:2]) < 8:
        raise ValueError(
            "input_shape must be (height, width, channels) of at least 8x8 pixels, e.g. (32, 32, 3). "
            f"Received: input_shape={input_shape!r}"
        )
    inputs = keras.Input(shape=shape, name="image")
    x = layers.Rescaling(1.0, offset=-0.5, name="center")(inputs)
    pools = (layers.MaxPooling2D, layers.AveragePooling2D, layers.AveragePooling2D)
    for index, (filters, pool) in enumerate(zip((32, 32, 64), pools), start=1):
        x = layers.Conv2D(filters, 5, padding="same", activation=activation, name=f"conv{index}")(x)
        x = pool(3, strides=2, padding="same", name=f"pool{index}")(x)
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(int(num_classes), activation="softmax", name="fc4")(x)
    return keras.Model(inputs, outputs, name=name or f"figure1_{activation}")


def _missing_class_hint(path, message):
    """One line for Keras's "Could not locate class 'X'" (2 KB with the full config), or None."""
    found = re.search(r"Could not locate (class|function) '([^']+)'", message)
    if not found:
        return None
    kind, class_name = found.groups()
    config = message[found.end() :]
    module = re.search(r"Full object config: \{'module': '([^']*)'", config)
    module = module.group(1) if module else None
    registered = re.search(rf"'registered_name': '([^']*>{re.escape(class_name)})'", config)
    key = registered.group(1) if registered else class_name
    if module is None:
        fix = f"import the module that defines {class_name} before loading"
    elif module in ("__main__", "builtins"):
        fix = (
            f"it was defined in a script or notebook: run the code that defines {class_name} "
            "(decorated with @keras.saving.register_keras_serializable()) before loading"
        )
    elif module.split(".")[0] == "alexnet_edu":
        fix = (
            "it is one of the kit's layers, registered by `import alexnet_edu`; if that is imported, this version "
            "of alexnet_edu lacks it: load the model with the version that saved it"
        )
    else:
        fix = f"import the module that defines it before loading: `import {module}`"
    return (
        f"Cannot load '{path}': it uses the custom {kind} '{class_name}', which is not registered. Fix: {fix}, "
        f"or pass custom_objects={{'{key}': {class_name}}}."
    )


def load_model(path, **kwargs):
    """Loads a model saved with `model.save`, with one-line errors for the usual mistakes.

    Like `keras.models.load_model`, and: `~` is expanded; a missing file, a
    folder, a weights-only file or a file that is not a `.keras` archive is
    named with the fix; a custom layer that is not registered (Keras's
    "Could not locate class") is named with the import that registers it.
    Importing `alexnet_edu` registers the kit's own layers
    (`LocalResponseNormalization`, `GroupedConv2D`).

    Example:

    >>> model = build_alexnet("mini")
    >>> model.save("mini.keras")
    >>> model = load_model("mini.keras")

    Args:
        path: A `.keras` file (or a legacy `.h5` file) as a string or a
            `pathlib.Path`.
        **kwargs: Passed to `keras.models.load_model`, such as
            `compile=False` or `custom_objects`.

    Returns:
        The `keras.Model`.

    Raises:
        FileNotFoundError: Nothing at `path`.
        ValueError: `path` is a folder, a weights-only file or not a `.keras` file.
        TypeError: `path` is not a path, or the model uses an unregistered custom class.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be the file path of a saved model, e.g. 'model.keras'. Received: path={path!r}")
    if "://" in os.fspath(path):  # remote (hf://, gs://): Keras fetches it
        return keras.models.load_model(os.fspath(path), **kwargs)
    path = pathlib.Path(os.path.expanduser(os.fspath(path)))
    if not path.exists():
        raise FileNotFoundError(
            f"No saved model at '{path}' (relative paths start from {os.getcwd()}): check the name, or save "
            f"the model first with model.save('{path.name}'). Received: path='{path}'"
        )
    name = path.name.lower()
    if path.is_dir():
        if not (path / "config.json").is_file():
            inside = sorted(p.name for p in path.glob("*.keras"))
            if (path / "saved_model.pb").is_file():
                fix = (
                    "it is a TensorFlow SavedModel, which Keras 3 cannot load as a model: use "
                    "keras.layers.TFSMLayer(path) for inference, or save again with model.save('model.keras')"
                )
            elif inside:
                fix = f"pass the .keras file inside it, e.g. '{path / inside[0]}'"
            else:
                fix = "pass the .keras file saved with model.save('model.keras')"
            raise ValueError(f"'{path}' is a folder, not a .keras file: {fix}. Received: path='{path}'")
    elif name.endswith((".weights.h5", ".weights.json")):
        raise ValueError(
            f"'{path}' holds only weights, not a model: build the same model (e.g. with build_alexnet) "
            f"and call model.load_weights('{path}'). Received: path='{path}'"
        )
    elif name.endswith(".keras"):
        if not zipfile.is_zipfile(path):
            raise ValueError(
                f"'{path}' is not a valid .keras file (not a zip archive: truncated, or not written by model.save?): "
                f"save the model again with model.save('{path.name}'). Received: path='{path}'"
            )
    elif not name.endswith((".h5", ".hdf5")):
        raise ValueError(
            f"'{path}' is not a .keras file: load files saved with model.save('model.keras') "
            f"(or legacy .h5 files); rename it if it is one. Received: path='{path}'"
        )
    try:
        return keras.models.load_model(str(path), **kwargs)
    except (TypeError, ValueError) as error:
        hint = _missing_class_hint(path, str(error))
        if hint is None:
            raise
        raise TypeError(hint) from None
