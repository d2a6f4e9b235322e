"""Where the parameters and the compute of a network live, layer by layer.

`layer_table` breaks any chain-shaped Keras model (each layer feeding the
next, as in every AlexNet here) into one row per layer; `cost_split` sums
it into conv vs fully-connected shares; `conv_output_size` is the
(W - F + 2P) / S + 1 arithmetic that explains the paper's 224-vs-227 puzzle.
"""

import dataclasses
import fractions
import math

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

_BIAS_NAMES = ("bias", "beta")
_CONV_TYPES = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D)
_POOL_TYPES = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)

TABLE_COLUMNS = (
    "layer",
    "type",
    "output_shape",
    "weights",
    "biases",
    "non_trainable",
    "params",
    "params_pct",
    "macs",
    "macs_pct",
    "activation_kib",
    "receptive_field",
    "jump",
)


@dataclasses.dataclass(frozen=True)
class ConvArithmetic:
    """The output size of a convolution or pooling along one axis.

    `exact` is (W - F + 2P) / S + 1 as a fraction; `size` is what Keras
    produces (the floor); `fits` says whether the kernel tiles the input
    exactly, with no rows or columns left over.

    Example:

    >>> arithmetic = conv_output_size(224, 11, stride=4, padding=2)
    >>> arithmetic.exact, arithmetic.size, arithmetic.fits
    (Fraction(221, 4), 55, False)
    """

    input_size: int
    kernel_size: int
    stride: int
    padding: int
    exact: fractions.Fraction
    size: int

    @property
    def fits(self):
        return self.exact.denominator == 1

    def __str__(self):
        formula = f"({self.input_size} - {self.kernel_size} + 2*{float(self.padding):g}) / {self.stride} + 1"
        if self.fits:
            return f"{formula} = {self.size}: the kernel tiles the input exactly."
        left_over = (self.input_size - self.kernel_size + 2 * self.padding) % self.stride
        return (
            f"{formula} = {float(self.exact):g}: not an integer, so the last {left_over} "
            f"row(s)/column(s) are never covered and Keras outputs floor = {self.size}."
        )


def same_padding_total(input_size, kernel_size, stride=1):
    """Zero rows (or columns) Keras's `"same"` padding adds in total: enough for ceil(W / S) outputs.

    Keras (TensorFlow) puts half of them, rounded down, before the first row
    and the rest after the last.
    """
    return max((math.ceil(input_size / stride) - 1) * stride + kernel_size - input_size, 0)


def conv_output_size(input_size, kernel_size, stride=1, padding=0):
    """Computes (W - F + 2P) / S + 1 and says whether it is a whole number.

    Example:

    >>> str(conv_output_size(227, 11, stride=4))
    '(227 - 11 + 2*0) / 4 + 1 = 55: the kernel tiles the input exactly.'

    Args:
        input_size: W, the input's height or width.
        kernel_size: F, the kernel (or pooling window) size.
        stride: S, the step between windows.
        padding: P, zeros added on each side: an integer, or Keras's
            `"valid"` (0) or `"same"` (enough for an output of ceil(W / S)).

    Returns:
        A `ConvArithmetic` with the exact fraction and Keras's output size.
    """
    for arg_name, value in (("input_size", input_size), ("kernel_size", kernel_size), ("stride", stride)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{arg_name} must be a positive integer. Received: {arg_name}={value!r}")
    if padding == "valid":
        padding = 0
    elif padding == "same":
        padding = fractions.Fraction(same_padding_total(input_size, kernel_size, stride), 2)
    elif not isinstance(padding, int) or padding < 0:
        raise ValueError(
            f"padding must be a non-negative integer, 'valid' or 'same'. Received: padding={padding!r}"
        )
    exact = fractions.Fraction(input_size - kernel_size + 2 * padding, stride) + 1
    if exact < 1:
        raise ValueError(
            f"A {kernel_size}-wide kernel does not fit in an input of {input_size} with padding "
            f"{padding}: the output would be empty. Received: input_size={input_size}"
        )
    return ConvArithmetic(input_size, kernel_size, stride, padding, exact, math.floor(exact))


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _layer_macs(layer):
    """Multiply-accumulates per image; elementwise layers count as zero."""
    if isinstance(layer, _CONV_TYPES):
        kernel = layer.kernel.shape  # (kh, kw, in_channels / groups, filters)
        return int(np.prod(layer.output.shape[1:]) * np.prod(kernel[:-1]))
    if isinstance(layer, keras.layers.Dense):
        return int(np.prod(layer.output.shape[1:-1], dtype=np.int64) * np.prod(layer.kernel.shape))
    return 0


def _check_chain(model):
    for layer in model.layers:
        if len(layer._inbound_nodes) > 1 or isinstance(layer, keras.Model):
            raise ValueError(
                "layer_table handles models whose layers form one chain (like every AlexNet "
                f"here); layer {layer.name!r} is shared or nested. Received: model={model.name!r}"
            )


def layer_table(model):
    """One row per layer: shapes, parameters, MACs, memory, receptive field.

    Columns: `layer`, `type`, `output_shape` (without the batch axis),
    `weights` (kernels and scales), `biases` (biases and BatchNorm betas),
    `non_trainable` (e.g. BatchNorm moving statistics), `params` (their
    sum, equal to Keras's count), `params_pct`, `macs` (multiply-accumulates
    per image; grouped convolutions count only the channels each group
    sees), `macs_pct`, `activation_kib` (the layer's output for one image),
    `receptive_field` (input pixels one output position sees, along one
    axis) and `jump` (input pixels between neighbouring output positions).

    Example:

    >>> from alexnet_edu.models import build_alexnet
    >>> table = layer_table(build_alexnet("seed"))
    >>> int(table.params.sum())
    46846744

    Args:
        model: A built Keras model whose layers form one chain.

    Returns:
        A `pandas.DataFrame` indexed like `model.layers`.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"layer_table needs a keras.Model. Received: {type(model).__name__}")
    _check_chain(model)
    input_size = _pair(model.inputs[0].shape[1])[0] if len(model.inputs[0].shape) > 2 else None
    receptive_field, jump = 1, 1
    rows = []
    for layer in model.layers:
        counts = {"weights": 0, "biases": 0, "non_trainable": 0}
        for variable in layer.trainable_weights:
            key = "biases" if variable.path.split("/")[-1] in _BIAS_NAMES else "weights"
            counts[key] += int(np.prod(variable.shape))
        counts["non_trainable"] = sum(int(np.prod(v.shape)) for v in layer.non_trainable_weights)
        if isinstance(layer, _CONV_TYPES + _POOL_TYPES):
            window = _pair(layer.kernel_size if isinstance(layer, _CONV_TYPES) else layer.pool_size)[0]
            receptive_field += (window - 1) * jump
            jump *= _pair(layer.strides)[0]
        elif isinstance(layer, (keras.layers.Flatten, keras.layers.Dense)) and input_size:
            receptive_field = max(receptive_field, input_size)
        output_shape = tuple(layer.output.shape[1:])
        itemsize = np.dtype(layer.compute_dtype or "float32").itemsize
        rows.append(
            {
                "layer": layer.name,
                "type": type(layer).__name__,
                "output_shape": output_shape,
                **counts,
                "params": sum(counts.values()),
                "macs": _layer_macs(layer),
                "activation_kib": float(np.prod(output_shape)) * itemsize / 1024,
                "receptive_field": receptive_field,
                "jump": jump,
            }
        )
    table = pd.DataFrame(rows)
    table["params_pct"] = 100 * table.params / max(table.params.sum(), 1)
    table["macs_pct"] = 100 * table.macs / max(table.macs.sum(), 1)
    return table[list(TABLE_COLUMNS)]


def layer_kind(layer_type):
    """Groups a layer's class name into "conv", "fc" (Dense) or "other"."""
    if "Conv" in layer_type:
        return "conv"
    if layer_type == "Dense":
        return "fc"
    return "other"


def cost_split(model_or_table):
    """Sums parameters and MACs into conv, fully-connected (fc) and other layers.

    The lesson of AlexNet's layout: most parameters sit in the fc layers,
    most of the compute in the conv layers.

    Example:

    >>> split = cost_split(build_alexnet("paper"))
    >>> split.loc[["conv", "fc"], ["params_pct", "macs_pct"]].round(1)  # fc: most weights; conv: most compute
          params_pct  macs_pct
    conv         3.8      91.9
    fc          96.2       8.1

    Args:
        model_or_table: A Keras model or the output of `layer_table`.

    Returns:
        A `pandas.DataFrame` indexed by `conv`, `fc`, `other` and `total`,
        with `params`, `params_pct`, `macs` and `macs_pct`.
    """
    table = model_or_table if isinstance(model_or_table, pd.DataFrame) else layer_table(model_or_table)
    split = table.groupby(table.type.map(layer_kind))[["params", "macs"]].sum()
    split = split.reindex(["conv", "fc", "other"], fill_value=0)
    split.loc["total"] = split.sum()
    split["params_pct"] = 100 * split.params / max(split.params["total"], 1)
    split["macs_pct"] = 100 * split.macs / max(split.macs["total"], 1)
    split.index.name = None
    return split[["params", "params_pct", "macs", "macs_pct"]]


def compare_models(models):
    """One row per model: input, totals, conv/fc parameters and MACs.

    Example:

    >>> table = compare_models({"seed": build_alexnet("seed"), "paper": build_alexnet("paper")})
    >>> table["params"].tolist()
    [46846744, 60965224]

    Args:
        models: A dict of display name to Keras model.

    Returns:
        A `pandas.DataFrame` indexed by the names.
    """
    rows = {}
    for display_name, model in models.items():
        split = cost_split(model)
        rows[display_name] = {
            "input_shape": tuple(model.inputs[0].shape[1:]),
            "params": int(split.params["total"]),
            "conv_params": int(split.params["conv"]),
            "fc_params": int(split.params["fc"]),
            "fc_params_pct": float(split.params_pct["fc"]),
            "conv_macs": int(split.macs["conv"]),
            "fc_macs": int(split.macs["fc"]),
            "conv_macs_pct": float(split.macs_pct["conv"]),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _check_labels(model, labels, count):
    labels = np.asarray(labels)
    classes = model.outputs[0].shape[-1]
    if labels.shape != (count,):
        raise ValueError(
            f"labels must be one integer label per image ({count} images; for one-hot rows use labels.argmax(-1)). "
            f"Received: labels of shape {labels.shape}"
        )
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"labels must be integer class numbers, e.g. labels.astype('int64'). Received: labels of dtype {labels.dtype}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(
            f"labels must be integers from 0 to {classes - 1} (model {model.name!r} has {classes} outputs): build the model with "
            f"num_classes=... for all the classes. Received: labels from {labels.min()} to {labels.max()}"
        )
    return labels


def _computes_in_float16(model):
    """Whether any layer of `model` computes in float16 (mixed float16), whose gradients need a scaled loss."""
    return any(layer.dtype_policy.name == "mixed_float16" for layer in model.layers)


def gradient_norms(model, images, labels):
    """How much gradient reaches each layer's kernel, for one batch.

    Run it on an untrained model to see whether the signal survives the trip
    back from the loss: with saturating activations the gradient shrinks
    layer by layer towards the input (the vanishing gradient). The
    gradients are those of a training step (`training=True`: BatchNorm
    normalises with the batch's own statistics, dropout is on); in inference
    mode an untrained BatchNorm passes its input through unchanged, and a
    model with it would look no different from one without. The model's
    moving statistics are left as they were.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))
    >>> images = np.random.default_rng(0).random((4, 64, 64, 3), dtype="float32")
    >>> table = gradient_norms(model, images, labels=np.arange(4))
    >>> table.index.tolist(), table.columns.tolist()
    (['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8'], ['gradient_rms', 'kernel_rms', 'ratio'])

    Args:
        model: A Keras classifier with softmax outputs.
        images: A batch of inputs: for an image model, uint8 (0-255) or
            floats in [0, 1] at the model's input size (one image is a
            batch of one).
        labels: Their integer labels.

    Returns:
        A `pandas.DataFrame` indexed by layer (input side first) with
        `gradient_rms` (root mean square of the loss gradient over the
        kernel's entries), `kernel_rms` and `ratio` = gradient / kernel.

    Raises:
        ValueError: A model without kernels, images that break the image
            contract or do not fit the model, or labels that do not match
            the images or the model's classes.
        TypeError: Labels that are not integers.
    """
    # Imported here: alexnet_edu.visualize imports this module.
    from alexnet_edu.visualize._layers import model_images

    images = model_images(model, images, "images", batch=True)
    layers = [layer for layer in model.layers if getattr(layer, "kernel", None) is not None]
    if not layers:
        raise ValueError(f"Model {model.name!r} has no layer with a kernel (conv or dense).")
    labels = _check_labels(model, labels, len(images))
    kernels = [layer.kernel for layer in layers]
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    # Under mixed float16 the loss is scaled up as in training (Keras's LossScaleOptimizer): gradients below
    # float16's 6e-5 would otherwise lose their digits on the way back. The scale halves while any overflows.
    scale = 2.0**15 if _computes_in_float16(model) else 1.0
    # A training-mode call updates BatchNorm's moving statistics and advances dropout's seeds: put them back.
    state = [variable.numpy() for variable in model.non_trainable_variables]
    while True:
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True)) * scale
        gradients = [np.asarray(gradient) / scale for gradient in tape.gradient(loss, [kernel.value for kernel in kernels])]
        for variable, value in zip(model.non_trainable_variables, state):
            variable.assign(value)
        if scale == 1.0 or all(np.all(np.isfinite(gradient)) for gradient in gradients):
            break
        scale /= 2
    rows = {}
    for layer, kernel, gradient in zip(layers, kernels, gradients):
        gradient_rms = float(np.sqrt(np.mean(np.square(np.asarray(gradient)))))
        kernel_rms = float(np.sqrt(np.mean(np.square(np.asarray(kernel)))))
        rows[layer.name] = {"gradient_rms": gradient_rms, "kernel_rms": kernel_rms, "ratio": gradient_rms / kernel_rms}
    return pd.DataFrame.from_dict(rows, orient="index")
