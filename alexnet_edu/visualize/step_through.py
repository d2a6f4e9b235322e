"""One output of a conv layer worked out by hand, and checked against the layer (the CNN Explainer idea).

`conv_step` takes the window of the layer's real input that one output value
sees, multiplies it by the filter's kernel, adds the bias and applies the
activation, in NumPy (float64), and compares the result with what the layer
itself computed. When a local response normalization layer follows, it also
works out that value's LRN denominator. `plot_conv_step` draws the arithmetic.
"""

import dataclasses
import textwrap

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from alexnet_edu.inspect import same_padding_total
from alexnet_edu.layers import LocalResponseNormalization
from alexnet_edu.visualize._layers import check_count, check_index, displayable, get_layer, model_images

# float32 sums of a few thousand products agree with float64 to about 1e-6 of their size.
TOLERANCE = 1e-4
# A 16-bit value keeps 8 (bfloat16) or 11 (float16) significant bits: a rounding is up to 2**-8 of it in
# bfloat16, and a 16-bit conv output is rounded twice (the sum of products, then plus the bias).
TOLERANCES = {"float32": TOLERANCE, "float64": TOLERANCE, "bfloat16": 2.0**-7, "float16": 2.0**-7}
RGB_NAMES = ("red", "green", "blue")


@dataclasses.dataclass
class NormStep:
    """The LRN of one value, worked out by hand (see `LocalResponseNormalization`).

    Example (the LRN after conv1 of the paper's model; filter 0 has neighbours on one side only):

    >>> step = conv_step(build_alexnet("paper"), sample_photos()["grace_hopper"], "conv1", row=27, col=27, channel=0)
    >>> step.norm.layer, step.norm.channels, step.norm.matches
    ('norm1', range(0, 3), True)

    Attributes:
        layer: The LRN layer's name.
        channels: The neighbouring channels in the window (the value's own included).
        activities: The conv layer's outputs at those channels, same position.
        k, alpha, beta: The layer's constants (`alpha` as it multiplies the
            sum: divided by n for the `"caffe"` convention).
        sum_of_squares: The sum of `activities` squared.
        base: `k + alpha * sum_of_squares`.
        denominator: `base ** beta`.
        value: The conv output divided by `denominator`.
        layer_value: What the LRN layer itself output.
        tolerance: The relative difference `matches` allows: 1e-4 in float32,
            2**-7 where the layer computes in bfloat16 or float16.
    """

    layer: str
    channels: range
    activities: np.ndarray
    k: float
    alpha: float
    beta: float
    sum_of_squares: float
    base: float
    denominator: float
    value: float
    layer_value: float
    tolerance: float = TOLERANCE

    @property
    def matches(self):
        """True when the value by hand equals the layer's output (relative error below `tolerance`)."""
        return _close(self.value, self.layer_value, self.tolerance)


@dataclasses.dataclass
class ConvStep:
    """One output value of a conv layer, worked out by hand.

    Example:

    >>> step = conv_step(build_alexnet("paper"), sample_photos()["grace_hopper"], "conv1", row=27, col=27, channel=0)
    >>> step.origin, step.window.shape, step.matches  # 27 steps of 4 pixels; an 11x11 RGB window
    ((108, 108), (11, 11, 3), True)

    Attributes:
        layer: The conv layer's name.
        row, col, channel: The output position and filter.
        origin: `(row, col)` of the window's top-left corner in the layer's
            input; negative, or past the edge, where "same" padding adds zeros.
        stride: The layer's stride `(rows, cols)`.
        layer_input: The layer's whole input for the image `(H, W, C)`
            (for conv1, the image as the layer receives it).
        input_channels: The input channels the filter reads: all of them, or
            its own tower's when the layer has groups.
        window: The input window the value sees `(kh, kw, channels read)`,
            zeros where it lies in the padding.
        kernel: The filter's weights, the same shape, as the layer computes
            with them (rounded to bfloat16 or float16 under mixed precision).
        products: `window * kernel`.
        bias: The filter's bias (0 without one).
        total: Sum of `products`, plus `bias`.
        activation: The activation's name (`"linear"` for none).
        value: The activation of `total`.
        layer_value: What the layer itself output at this position.
        norm: A `NormStep` when an LRN layer reads this layer's output, else None.
        tolerance: The relative difference `matches` allows: 1e-4 in float32,
            2**-7 where the layer computes in bfloat16 or float16.
    """

    layer: str
    row: int
    col: int
    channel: int
    origin: tuple
    stride: tuple
    layer_input: np.ndarray
    input_channels: range
    window: np.ndarray
    kernel: np.ndarray
    products: np.ndarray
    bias: float
    total: float
    activation: str
    value: float
    layer_value: float
    norm: NormStep | None = None
    tolerance: float = TOLERANCE

    @property
    def difference(self):
        """`value - layer_value`."""
        return self.value - self.layer_value

    @property
    def matches(self):
        """True when the value by hand equals the layer's output (relative error below `tolerance`)."""
        return _close(self.value, self.layer_value, self.tolerance)

    def summary(self):
        """The arithmetic in a few lines of text, rounded for printing."""
        height, width, channels = self.window.shape
        first, last = self.input_channels[0], self.input_channels[-1]
        lines = [
            f"{self.layer}, output ({self.row}, {self.col}), filter {self.channel}: window rows "
            f"{self.origin[0]}..{self.origin[0] + height - 1}, columns {self.origin[1]}..{self.origin[1] + width - 1} "
            f"of the input, channels {first}..{last}",
            f"  {height} x {width} x {channels} = {self.products.size:,} products, sum {self.products.sum():.4g}",
            f"  + bias {self.bias:.4g} = {self.total:.4g}; {self.activation} -> {self.value:.4g}",
            f"  the layer's own output: {self.layer_value:.4g} ({'matches' if self.matches else 'DIFFERS'})",
        ]
        if self.norm is not None:
            norm = self.norm
            lines += [
                f"{norm.layer}: channels {norm.channels[0]}..{norm.channels[-1]}, sum of squares {norm.sum_of_squares:.4g}",
                f"  ({norm.k:g} + {norm.alpha:g} x {norm.sum_of_squares:.4g}) ** {norm.beta:g} = {norm.base:.4g} ** "
                f"{norm.beta:g} = {norm.denominator:.4g}",
                f"  {self.value:.4g} / {norm.denominator:.4g} = {norm.value:.4g}; the layer's own output: "
                f"{norm.layer_value:.4g} ({'matches' if norm.matches else 'DIFFERS'})",
            ]
        return "\n".join(lines)

    def __str__(self):
        return self.summary()


def _close(value, reference, tolerance):
    return abs(value - reference) <= tolerance * max(1.0, abs(reference))


def _lrn_after(model, conv):
    """The LRN layer whose input is `conv`'s output, or None."""
    for layer in model.layers:
        if isinstance(layer, LocalResponseNormalization) and layer.input is conv.output:
            return layer
    return None


def _padding_before(size, kernel, stride, padding):
    """Zeros Keras adds before the first row (or column): half the total for "same", rounded down."""
    return 0 if padding == "valid" else same_padding_total(size, kernel, stride) // 2


def conv_step(model, image, layer_name, row, col, channel):
    """Works out one output value of a conv layer by hand and checks it against the layer.

    Example:

    >>> model = build_alexnet("paper")
    >>> step = conv_step(model, sample_photos()["grace_hopper"], "conv1", row=27, col=27, channel=0)
    >>> step.products.size, step.matches
    (363, True)

    Args:
        model: A functional Keras model with the conv layer.
        image: One image `(height, width, 3)`, uint8 or floats in [0, 1], of
            the model's input size.
        layer_name: A `Conv2D` layer (including the kit's `GroupedConv2D`),
            e.g. `"conv1"`.
        row, col: The output position, from 0.
        channel: The output channel (filter), from 0.

    Returns:
        A `ConvStep`: the window, kernel, products, bias, activation, the
        layer's own value and, when an LRN layer follows, a `NormStep`.

    Raises:
        ValueError: An unknown or non-conv layer (the message lists the conv
            layers), a position or channel outside the output, a dilated
            convolution, or an image that does not fit the model.
        TypeError: A position or channel that is not an integer.
    """
    conv = get_layer(model, layer_name, kinds=(keras.layers.Conv2D,), purpose="conv_step")
    if tuple(conv.dilation_rate) != (1, 1):
        raise ValueError(f"conv_step works out undilated convolutions only. Received: dilation_rate={conv.dilation_rate}")
    _, out_height, out_width, filters = conv.output.shape
    row = check_index("row", row, out_height, f"{layer_name} outputs {out_height} rows")
    col = check_index("col", col, out_width, f"{layer_name} outputs {out_width} columns")
    channel = check_index("channel", channel, filters, f"{layer_name} has {filters} filters")
    image = model_images(model, image, "image", batch=False)

    norm_layer = _lrn_after(model, conv)
    outputs = [conv.input, conv.output] + ([norm_layer.output] if norm_layer is not None else [])
    # In float32 for NumPy, which has no bfloat16: exact, as float32 holds every 16-bit value.
    values = [keras.ops.cast(value, "float32") for value in keras.Model(model.inputs[0], outputs)(image[None], training=False)]

    def rounded(values):
        # Mixed precision keeps float32 weights (and conv1's float32 image) and computes with them rounded to the
        # layer's compute dtype.
        return np.asarray(keras.ops.cast(keras.ops.cast(values, conv.compute_dtype), "float32"), "float64")

    layer_input, layer_output = rounded(values[0][0]), np.asarray(values[1][0], dtype="float64")

    kernel_height, kernel_width = conv.kernel_size
    stride = tuple(conv.strides)
    height, width, _ = layer_input.shape
    top = row * stride[0] - _padding_before(height, kernel_height, stride[0], conv.padding)
    left = col * stride[1] - _padding_before(width, kernel_width, stride[1], conv.padding)
    per_group = conv.kernel.shape[2]
    group = channel // (filters // conv.groups)
    input_channels = range(group * per_group, (group + 1) * per_group)

    window = np.zeros((kernel_height, kernel_width, per_group))
    rows = slice(max(top, 0), min(top + kernel_height, height))
    cols = slice(max(left, 0), min(left + kernel_width, width))
    window[rows.start - top : rows.stop - top, cols.start - left : cols.stop - left] = layer_input[
        rows, cols, input_channels.start : input_channels.stop
    ]
    kernel = rounded(conv.kernel)[..., channel]
    products = window * kernel
    bias = float(rounded(conv.bias)[channel]) if conv.use_bias else 0.0
    total = float(products.sum() + bias)
    value = float(np.asarray(conv.activation(np.array([total])), dtype="float64")[0])
    step = ConvStep(
        layer=layer_name,
        row=row,
        col=col,
        channel=channel,
        origin=(top, left),
        stride=stride,
        layer_input=layer_input,
        input_channels=input_channels,
        window=window,
        kernel=kernel,
        products=products,
        bias=bias,
        total=total,
        activation=getattr(conv.activation, "__name__", str(conv.activation)),
        value=value,
        layer_value=float(layer_output[row, col, channel]),
        tolerance=TOLERANCES[conv.compute_dtype],
    )
    if norm_layer is not None:
        norm_value = float(np.asarray(values[2][0, row, col, channel]))
        step.norm = _norm_step(norm_layer, layer_output[row, col], channel, norm_value, TOLERANCES[norm_layer.compute_dtype])
    return step


def _norm_step(layer, activities, channel, layer_value, tolerance):
    radius = layer.n // 2
    channels = range(max(0, channel - radius), min(len(activities), channel + radius + 1))
    neighbours = activities[channels.start : channels.stop]
    sum_of_squares = float(np.sum(neighbours**2))
    base = layer.k + layer.scale * sum_of_squares
    denominator = base**layer.beta
    return NormStep(
        layer=layer.name,
        channels=channels,
        activities=neighbours,
        k=float(layer.k),
        alpha=float(layer.scale),
        beta=float(layer.beta),
        sum_of_squares=sum_of_squares,
        base=base,
        denominator=denominator,
        value=float(activities[channel] / denominator),
        layer_value=layer_value,
        tolerance=tolerance,
    )


def _strongest_channels(step, count):
    """Indices (into the window's channels) of the largest contributions |sum of products|, largest first."""
    contributions = np.abs(step.products.sum(axis=(0, 1)))
    return list(np.argsort(-contributions, kind="stable")[:count])


def _heatmap(ax, values, title, symmetric, annotate, note=None):
    limit = max(np.abs(values).max(), 1e-12)
    if symmetric:
        image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit)
    else:
        image = ax.imshow(values, cmap="viridis")
    if annotate:
        # One decimal of the values scaled by a power of ten (named in the title): short enough for a cell.
        exponent = int(np.floor(np.log10(limit)))
        for (row, col), value in np.ndenumerate(values / 10.0**exponent):
            ax.text(col, row, f"{value:.1f}", ha="center", va="center", fontsize=10,
                    bbox=dict(boxstyle="square,pad=0.05", fc="white", ec="none", alpha=0.6))
        if exponent:
            title = f"{title} (×$10^{{{exponent}}}$)"
    ax.set_title(title if note is None else f"{title}\n{note}", fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])
    plt.colorbar(image, ax=ax, fraction=0.046, pad=0.03)


def plot_conv_step(step, channels=3):
    """Draws a `ConvStep`: where the window lies, and window x kernel = products for its strongest input channels.

    Rows are the input channels that contribute most (largest |sum of
    products|); an RGB input (conv1 on an image) also shows the window in
    colour. The right-hand panel writes out the sum, bias, activation, the
    layer's own value and, when an LRN layer follows, the denominator.

    Example:

    >>> model = build_alexnet("paper")
    >>> step = conv_step(model, sample_photos()["grace_hopper"], "conv1", row=27, col=27, channel=0)
    >>> figure = plot_conv_step(step)

    Args:
        step: A `ConvStep` from `conv_step`.
        channels: How many input channels to show (at least 1).

    Returns:
        A matplotlib Figure.
    """
    if not isinstance(step, ConvStep):
        raise TypeError(f"plot_conv_step needs the ConvStep that conv_step returns. Received: {type(step).__name__}")
    shown = _strongest_channels(step, min(check_count("channels", channels), step.window.shape[-1]))
    kernel_size = step.window.shape[0]
    annotate = kernel_size * step.window.shape[1] <= 25
    # An image in [0, 1] with three channels: conv1 reading the photo itself, shown in colour.
    rgb = step.layer_input.shape[-1] == 3 and 0.0 <= step.layer_input.min() and step.layer_input.max() <= 1.0
    figure = plt.figure(figsize=(15, 3.0 * len(shown)), dpi=100, layout="constrained")
    grid = figure.add_gridspec(len(shown), 5, width_ratios=(1, 1, 1, 1, 1.5))
    for index, shown_channel in enumerate(shown):
        input_channel = step.input_channels[shown_channel]
        name = RGB_NAMES[input_channel] if rgb else f"channel {input_channel}"
        axes = [figure.add_subplot(grid[index, column]) for column in range(4)]
        if index == 0:  # the whole input, to see where the window lies
            whole = displayable(step.layer_input) if rgb else step.layer_input[..., input_channel]
            axes[0].imshow(whole, cmap=None if rgb else "viridis")
            axes[0].set_title(f"{step.layer}'s input", fontsize=11)
        else:  # the window's surroundings, a kernel's width on each side
            _surroundings(axes[0], step, input_channel)
            axes[0].set_title("the window, zoomed out", fontsize=11)
        axes[0].add_patch(Rectangle((step.origin[1] - 0.5, step.origin[0] - 0.5), step.window.shape[1], step.window.shape[0],
                                    fill=False, edgecolor="red", linewidth=2))
        axes[0].set_xticks([])
        axes[0].set_yticks([])
        _heatmap(axes[1], step.window[..., shown_channel], f"window, {name}", False, annotate)
        _heatmap(axes[2], step.kernel[..., shown_channel], f"kernel of filter {step.channel}", True, annotate)
        contribution = step.products[..., shown_channel].sum()
        _heatmap(axes[3], step.products[..., shown_channel], "window × kernel", True, annotate, f"sum {contribution:.3g}")
    text = figure.add_subplot(grid[:, 4])
    text.axis("off")
    text.text(0.0, 1.0, _wrapped(step.summary()), va="top", ha="left", fontsize=11, family="monospace", transform=text.transAxes)
    figure.suptitle(
        f"{step.layer}: output ({step.row}, {step.col}) of filter {step.channel}, worked out by hand "
        f"({len(shown)} of {step.window.shape[-1]} input channels shown, the strongest)",
        fontsize=13,
    )
    return figure


def _surroundings(ax, step, input_channel):
    """Draws one input channel around the window, in the input's own coordinates (the window box stays put)."""
    height, width = step.window.shape[:2]
    rows = slice(max(step.origin[0] - height, 0), min(step.origin[0] + 2 * height, step.layer_input.shape[0]))
    cols = slice(max(step.origin[1] - width, 0), min(step.origin[1] + 2 * width, step.layer_input.shape[1]))
    ax.imshow(
        step.layer_input[rows, cols, input_channel],
        cmap="viridis",
        extent=(cols.start - 0.5, cols.stop - 0.5, rows.stop - 0.5, rows.start - 0.5),
    )
    ax.set_xlim(step.origin[1] - width - 0.5, step.origin[1] + 2 * width - 0.5)
    ax.set_ylim(step.origin[0] + 2 * height - 0.5, step.origin[0] - height - 0.5)


def _wrapped(summary, width=40):
    return "\n".join(textwrap.fill(line, width, subsequent_indent="    ") for line in summary.splitlines())
