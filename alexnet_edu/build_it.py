"""Build it yourself: checks for NumPy forward and backward passes of AlexNet's layers.

Notebook 12 asks for NumPy versions of convolution, max pooling, ReLU, local
response normalization, dropout and softmax cross-entropy.
`check_layer("conv_forward", conv_forward)` runs a function on small random
inputs (fixed seeds) and compares what it returns with the kit's or Keras's
layer: a forward pass with the layer's output, a backward pass with the
gradient `tf.GradientTape` takes through the layer and with a numerical
gradient (central differences). It says right or wrong, with what differs
(shape, element, relative error, the likely cause) and a hint, and never
prints the expected values. Worked solutions are in
`solutions/12_build_it_yourself.md`.

Every function takes NumPy arrays (float64, channels last like Keras) and
returns NumPy arrays; a backward pass takes the upstream gradient `dout`
followed by the forward pass's arguments. The signatures are in `LAYERS`.

>>> check_layer("relu_forward", lambda x: np.maximum(x, 0))
Right: ...
"""

import dataclasses
import math
import pathlib
import re
import warnings

import keras
import numpy as np
import tensorflow as tf

from alexnet_edu.inspect import same_padding_total
from alexnet_edu.layers import LocalResponseNormalization

# Both sides in float64: a right answer agrees to ~1e-15, a wrong one rarely better than 1e-3.
TOLERANCE = 1e-6
# The kit's LRN runs in float32 (TensorFlow's LRN op has no float64 kernel): it agrees with
# the float64 formula to ~1e-7 relative, so 1e-5 leaves a margin of 100.
FLOAT32_TOLERANCE = 1e-5
# Central differences in float64: truncation error ~h**2, rounding ~1e-16 / h.
STEP = 1e-6
SAMPLES = 8  # elements per array whose numerical gradient is computed


@dataclasses.dataclass(frozen=True)
class Layer:
    """One function to write: its signature, what it returns, and a hint.

    Attributes:
        signature: How the function is called (always positionally).
        returns: What it returns.
        reference: What it is compared with.
        hint: Printed with a "Not yet" when no more specific cause is found.
        outputs: Names of the returned values, in order.
        cases: A function returning the test cases (see `_Case`).
    """

    signature: str
    returns: str
    reference: str
    hint: str
    outputs: tuple
    cases: callable


@dataclasses.dataclass
class _Case:
    """One call of the student's function and what it must return.

    `expected[name]` is `(value, source)`; `numerical[name]` is `(indices, values)` at sampled
    elements; `causes` are `(name, value, cause, hint)`: a wrong answer equal to `value` has that
    cause; `shapes` are `(name, shape, cause, hint)`; `explain(name, got, expected, bad)` returns a
    `(cause, hint)` from where the values differ, or None.
    """

    label: str
    args: tuple
    expected: dict
    tolerance: float = TOLERANCE
    numerical_tolerance: float = TOLERANCE
    numerical: dict = dataclasses.field(default_factory=dict)
    causes: list = dataclasses.field(default_factory=list)
    shapes: list = dataclasses.field(default_factory=list)
    explain: callable = None


class _NotWritten(Exception):
    pass


class _Problem(Exception):
    def __init__(self, what, cause=None, hint=None):
        super().__init__(what)
        self.what, self.cause, self.hint = what, cause, hint


# --- helpers shared by the cases -------------------------------------------------------------


def _rng(seed):
    return np.random.default_rng(seed)


def _away_from_zero(rng, shape, low=0.1, high=2.0):
    """Values whose sign is clear: ReLU's kink at 0 stays far beyond the numerical step."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def _distinct(rng, shape):
    """Distinct values 0.01 apart: no ties in a pooling window, and no swap within the numerical step."""
    return (rng.permutation(math.prod(shape)).reshape(shape) - math.prod(shape) / 2) * 0.01


def _np(tensor):
    return np.asarray(keras.ops.convert_to_numpy(tensor), dtype=np.float64)


def _tape(layer_call, inputs, dout, variables=()):
    """Gradients of `sum(layer_call(*inputs) * dout)` with respect to `inputs` and `variables`."""
    tensors = [tf.constant(value) for value in inputs]
    with tf.GradientTape() as tape:
        for tensor in tensors:
            tape.watch(tensor)
        output = layer_call(*tensors)
    grads = tape.gradient(output, tensors + list(variables), output_gradients=tf.constant(dout, dtype=output.dtype))
    return [_np(grad) for grad in grads]


def _numerical(forward, args, position, dout, rng, count=SAMPLES):
    """Central differences of `sum(forward(*args) * dout)` w.r.t. `args[position]` at sampled elements."""
    array = args[position]
    flat = rng.choice(array.size, size=min(count, array.size), replace=False)
    indices, values = [], []
    for item in flat:
        index = np.unravel_index(item, array.shape)
        sums = []
        for step in (STEP, -STEP):
            moved = array.copy()
            moved[index] += step
            sums.append(np.sum(np.asarray(forward(*args[:position], moved, *args[position + 1 :])) * dout))
        indices.append(tuple(int(i) for i in index))
        values.append((sums[0] - sums[1]) / (2 * STEP))
    return indices, np.array(values)


def _shape_of(value):
    return f"of shape {tuple(value.shape)}"


def _describe(name, value):
    if isinstance(value, np.ndarray):
        return f"{name} {_shape_of(value)}"
    return f"{name}={value!r}"


def _label(names, args):
    return ", ".join(_describe(name, value) for name, value in zip(names, args))


# --- ReLU ------------------------------------------------------------------------------------


def _sign_explainer(x, negative_hint, positive_hint):
    """Recognises a function that is wrong only for negative, or only for positive, inputs."""

    def explain(name, got, expected, bad):
        if np.all(x[bad] < 0):
            return "it is wrong only where x < 0", negative_hint
        if np.all(x[bad] > 0):
            return "it is wrong only where x > 0", positive_hint
        return None

    return explain


def _relu_forward_cases():
    x = _away_from_zero(_rng(0), (2, 4, 5, 3))
    out = _np(keras.layers.ReLU(dtype="float64")(x))
    return [
        _Case(
            _label(("x",), (x,)),
            (x,),
            {"out": (out, "Keras's ReLU layer")},
            causes=[("out", np.abs(x), "it returns |x|", "a negative input gives 0, not its absolute value.")],
            explain=_sign_explainer(x, "a negative input gives 0.", "a positive input passes through unchanged."),
        )
    ]


def _relu_backward_cases():
    rng = _rng(1)
    x, dout = _away_from_zero(rng, (2, 4, 5, 3)), rng.normal(size=(2, 4, 5, 3))
    layer = keras.layers.ReLU(dtype="float64")
    (dx,) = _tape(layer, [x], dout)
    return [
        _Case(
            _label(("dout", "x"), (dout, x)),
            (dout, x),
            {"dx": (dx, "tf.GradientTape through Keras's ReLU layer")},
            numerical={"dx": _numerical(lambda v: _np(layer(v)), [x], 0, dout, rng)},
            causes=[
                ("dx", (x > 0).astype(float), "it does not depend on dout", "multiply dout by ReLU's slope (chain rule)."),
                ("dx", dout * np.maximum(x, 0), "it multiplies dout by relu(x)", "ReLU's slope is 1 or 0, not the value of x."),
                ("dx", dout * x, "it multiplies dout by x", "ReLU's slope is 1 or 0, not the value of x."),
            ],
            explain=_sign_explainer(
                x,
                "no gradient flows back where the input was negative.",
                "where x > 0 ReLU has slope 1: dout passes back unchanged.",
            ),
        )
    ]


# --- convolution -------------------------------------------------------------------------------

# (x shape, kernel shape (kh, kw, C_in, C_out), stride, padding): non-square inputs and kernels catch
# swapped axes; 8 with a 3-kernel at stride 2 needs one padding row, which TensorFlow puts at the bottom.
_CONV_CASES = (
    ((2, 7, 6, 3), (3, 3, 3, 4), 1, "valid"),
    ((2, 8, 8, 3), (3, 3, 3, 4), 2, "same"),
    ((1, 9, 8, 2), (3, 2, 2, 3), 2, "valid"),
    ((1, 7, 6, 2), (3, 2, 2, 3), 1, "same"),
    ((1, 19, 19, 3), (11, 11, 3, 2), 4, "valid"),  # conv1 of AlexNet, shrunk
)
_CONV_NAMES = ("x", "w", "b", "stride", "padding")


def _conv_size(size, kernel, stride, padding):
    return (size - kernel) // stride + 1 if padding == "valid" else -(-size // stride)


def _conv_layer(x, w, b, stride, padding):
    layer = keras.layers.Conv2D(w.shape[-1], w.shape[:2], strides=stride, padding=padding, dtype="float64")
    layer.build(x.shape)
    layer.set_weights([w, b])
    return layer


def _conv(x, w, b, stride, padding):
    """Keras's convolution op, the one Conv2D calls: no layer to build for every numerical step."""
    return _np(keras.ops.conv(x, w, strides=stride, padding=padding)) + b


def _pad_total(size, kernel, stride, padding):
    """Rows (or columns) of padding in total: TensorFlow's 'same' puts the odd one at the bottom (right)."""
    return 0 if padding == "valid" else same_padding_total(size, kernel, stride)


def _pad_top_left(x, w, stride):
    """x padded for 'same' with the odd row and column at the top and left, not TensorFlow's bottom and right."""
    totals = [_pad_total(size, kernel, stride, "same") for size, kernel in zip(x.shape[1:3], w.shape[:2])]
    return np.pad(x, ((0, 0), *[(total - total // 2, total // 2) for total in totals], (0, 0)))


def _conv_inputs(seed, x_shape, w_shape):
    rng = _rng(seed)
    return rng, rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[-1])


def _conv_shape_causes(name, x, w, stride, padding):
    def shape(kh, kw, s, p):
        return (x.shape[0], _conv_size(x.shape[1], kh, s, p), _conv_size(x.shape[2], kw, s, p), w.shape[-1])

    kh, kw = w.shape[:2]
    other = "same" if padding == "valid" else "valid"
    causes = [
        (
            name,
            shape(kh, kw, stride, other),
            f"it is the shape {other!r} padding gives",
            "'valid': no padding; 'same': pad so that the output has ceil(size / stride) rows and columns.",
        ),
        (name, shape(kh, kw, 1, padding), "it is the shape for stride 1", "the window moves by `stride` pixels."),
        (
            name,
            shape(kw, kh, stride, padding),
            "the kernel's height and width are swapped",
            "w has shape (kh, kw, C_in, C_out): kh rows, kw columns.",
        ),
    ]
    return [cause for cause in causes if cause[1] != shape(kh, kw, stride, padding)]


def _conv_forward_cases():
    cases = []
    for seed, (x_shape, w_shape, stride, padding) in enumerate(_CONV_CASES):
        _, x, w, b = _conv_inputs(seed, x_shape, w_shape)
        causes = [
            (
                "out",
                _conv(x, w[::-1, ::-1], b, stride, padding),
                "the kernel is flipped",
                "Keras's (and AlexNet's) convolution is a cross-correlation: it does not flip the kernel.",
            ),
            (
                "out",
                _conv(x, w, np.zeros_like(b), stride, padding),
                "the bias is missing",
                "add b[f] to every output of filter f.",
            ),
        ]
        if w.shape[0] == w.shape[1]:
            causes.append(
                (
                    "out",
                    _conv(x, w.transpose(1, 0, 2, 3), b, stride, padding),
                    "the kernel's rows and columns are swapped",
                    "w[i, j] multiplies the input pixel i rows down and j columns right of the window's corner.",
                )
            )
        if padding == "same":
            causes.append(
                (
                    "out",
                    _conv(_pad_top_left(x, w, stride), w, b, stride, "valid"),
                    "the odd padding row or column is on the wrong side",
                    "when the padding is odd, TensorFlow puts the extra row at the bottom and the extra column at the right.",
                )
            )
        cases.append(
            _Case(
                _label(_CONV_NAMES, (x, w, b, stride, padding)),
                (x, w, b, stride, padding),
                {"out": (_np(_conv_layer(x, w, b, stride, padding)(x)), "Keras's Conv2D")},
                causes=causes,
                shapes=_conv_shape_causes("out", x, w, stride, padding),
            )
        )
    return cases


def _conv_backward_cases():
    cases = []
    for seed, (x_shape, w_shape, stride, padding) in enumerate(_CONV_CASES):
        rng, x, w, b = _conv_inputs(seed + 10, x_shape, w_shape)
        layer = _conv_layer(x, w, b, stride, padding)
        dout = rng.normal(size=layer.compute_output_shape(x.shape))
        dx, dw, db = _tape(layer, [x], dout, [layer.kernel, layer.bias])
        numerical = {
            name: _numerical(_conv, [x, w, b, stride, padding], position, dout, rng)
            for position, name in enumerate(("dx", "dw", "db"))
        }
        padded = (
            x.shape[0],
            *[size + _pad_total(size, kernel, stride, padding) for size, kernel in zip(x.shape[1:3], w.shape[:2])],
            x.shape[3],
        )
        shapes = [
            (
                "db",
                dout.shape[1:],
                "db was not summed over the batch and positions",
                "the bias is added at every position of every image: db sums dout over the batch, height and width.",
            ),
            (
                "db",
                dout.shape,
                "db was not summed over the batch and positions",
                "the bias is added at every position of every image: db sums dout over the batch, height and width.",
            ),
            ("dx", padded, "dx still has the padding", "compute the gradient of the padded input, then cut the padding off."),
        ]
        cases.append(
            _Case(
                _label(("dout",) + _CONV_NAMES, (dout, x, w, b, stride, padding)),
                (dout, x, w, b, stride, padding),
                {
                    name: (value, "tf.GradientTape through Keras's Conv2D")
                    for name, value in zip(("dx", "dw", "db"), (dx, dw, db))
                },
                numerical=numerical,
                causes=[
                    (
                        "dw",
                        dw[::-1, ::-1],
                        "dw is flipped",
                        "each dw[i, j] collects dout times the input pixel that w[i, j] multiplied in the forward pass.",
                    ),
                    (
                        "dx",
                        dx / x.shape[0],
                        "dx is divided by the batch size",
                        "the dout you get already holds the loss's averaging; do not divide again.",
                    ),
                    (
                        "dw",
                        dw / x.shape[0],
                        "dw is divided by the batch size",
                        "the dout you get already holds the loss's averaging; do not divide again.",
                    ),
                ],
                shapes=[shape for shape in shapes if shape[1] != x.shape or shape[0] != "dx"],
            )
        )
    return cases


# --- max pooling -------------------------------------------------------------------------------

# (x shape, pool, stride): the paper's overlapping 3/2 pooling (13 -> 6 as after conv5) and the usual 2/2.
_POOL_CASES = (((2, 7, 7, 3), 3, 2), ((2, 8, 8, 3), 2, 2), ((1, 13, 13, 2), 3, 2), ((1, 6, 9, 2), 3, 2))
_POOL_NAMES = ("x", "pool", "stride")


def _pool_layer(pool, stride):
    return keras.layers.MaxPooling2D(pool, strides=stride, padding="valid", dtype="float64")


def _pool_shape_causes(name, x, pool, stride):
    def shape(s, p="valid"):
        return (x.shape[0], _conv_size(x.shape[1], pool, s, p), _conv_size(x.shape[2], pool, s, p), x.shape[3])

    causes = [
        (
            name,
            shape(pool),
            "it is the shape for stride = pool (windows side by side)",
            "the windows move by `stride`, which is smaller than `pool` in overlapping pooling.",
        ),
        (name, shape(1), "it is the shape for stride 1", "the windows move by `stride` pixels."),
        (
            name,
            shape(stride, "same"),
            "it is the shape with 'same' padding",
            "AlexNet's pooling has no padding ('valid'): a window must fit inside the input.",
        ),
    ]
    return [cause for cause in causes if cause[1] != shape(stride)]


def _maxpool_forward_cases():
    cases = []
    for seed, (x_shape, pool, stride) in enumerate(_POOL_CASES):
        x = _distinct(_rng(seed + 20), x_shape)
        average = _np(keras.layers.AveragePooling2D(pool, strides=stride, dtype="float64")(x))
        cases.append(
            _Case(
                _label(_POOL_NAMES, (x, pool, stride)),
                (x, pool, stride),
                {"out": (_np(_pool_layer(pool, stride)(x)), "Keras's MaxPooling2D")},
                causes=[("out", average, "it averages each window", "max pooling keeps each window's largest value.")],
                shapes=_pool_shape_causes("out", x, pool, stride),
            )
        )
    return cases


def _maxpool_backward_cases():
    cases = []
    for seed, (x_shape, pool, stride) in enumerate(_POOL_CASES):
        rng = _rng(seed + 30)
        x = _distinct(rng, x_shape)
        layer = _pool_layer(pool, stride)
        out = layer(x)
        dout = rng.normal(size=out.shape)
        (dx,) = _tape(layer, [x], dout)
        (wins,) = _tape(layer, [x], np.ones(out.shape))  # how many windows each input is the maximum of
        (spread,) = _tape(keras.layers.AveragePooling2D(pool, strides=stride, dtype="float64"), [x], dout)

        def explain(name, got, expected, bad, wins=wins):
            if np.all(wins[bad] >= 2):
                return (
                    "it is wrong only at inputs that are the maximum of two or more overlapping windows",
                    "such an input receives the sum of those windows' gradients: accumulate with += instead of =.",
                )
            return None

        cases.append(
            _Case(
                _label(("dout",) + _POOL_NAMES, (dout, x, pool, stride)),
                (dout, x, pool, stride),
                {"dx": (dx, "tf.GradientTape through Keras's MaxPooling2D")},
                numerical={"dx": _numerical(lambda v, layer=layer: _np(layer(v)), [x], 0, dout, rng)},
                causes=[
                    (
                        "dx",
                        spread * pool * pool,
                        "every input of a window gets the window's gradient",
                        "only the window's maximum reached the output, so only it gets the gradient.",
                    ),
                    (
                        "dx",
                        spread,
                        "it spreads each window's gradient evenly (average pooling's gradient)",
                        "only the window's maximum reached the output, so only it gets the gradient.",
                    ),
                ],
                explain=explain,
            )
        )
    return cases


# --- local response normalization ------------------------------------------------------------

# (x shape, n, k, alpha, beta, activation scale): the paper's constants on activations large enough that
# the alpha term matters (as the paper's 0-255 inputs made them), then other constants.
_LRN_CASES = (
    ((2, 3, 3, 7), 5, 2.0, 1e-4, 0.75, 100.0),
    ((1, 2, 3, 10), 5, 2.0, 1e-4, 0.75, 100.0),
    ((2, 2, 2, 6), 3, 1.0, 1e-3, 0.5, 20.0),
)
_LRN_NAMES = ("x", "n", "k", "alpha", "beta")


def _lrn_sums(x, n, low=None, high=None):
    """Per channel i, the sum of x ** 2 over channels i + low .. i + high (the paper's window: -n // 2 .. n // 2), clipped."""
    low, high = (-(n // 2), n // 2) if low is None else (low, high)
    channels = x.shape[-1]
    return np.stack(
        [np.sum(x[..., max(0, i + low) : max(0, min(channels, i + high + 1))] ** 2, axis=-1) for i in range(channels)], axis=-1
    )


def _lrn64(x, n, k, alpha, beta, low=None, high=None):
    """The paper's formula in float64, with the window i + low .. i + high.

    TensorFlow's LRN op has no float64 kernel; this is the numerical gradient's reference, tested
    against the kit's layer, and with other windows it recognises the off-by-one mistakes.
    """
    return x / (k + alpha * _lrn_sums(x, n, low, high)) ** beta


def _lrn_kit(x, n, k, alpha, beta):
    layer = LocalResponseNormalization(n=n, k=k, alpha=alpha, beta=beta)
    return _np(layer(x.astype(np.float32)))


def _lrn_windows(n):
    r = n // 2
    return {
        (-r, r - 1): f"its window holds channels i-{r} to i+{r - 1}, one short at the top",
        (-r + 1, r): f"its window holds channels i-{r - 1} to i+{r}, one short at the bottom",
        (-r + 1, r - 1): f"its window holds channels i-{r - 1} to i+{r - 1}, {n - 2} instead of {n}",
        (-r - 1, r + 1): f"its window holds channels i-{r + 1} to i+{r + 1}, {n + 2} instead of {n}",
        (0, n - 1): f"its window holds channels i to i+{n - 1}, not centred on i",
    }


def _lrn_edges(n, channels):
    def explain(name, got, expected, bad):
        wrong = np.unique(np.nonzero(bad)[-1])
        if np.all((wrong < n // 2) | (wrong >= channels - n // 2)):
            return (
                "it is wrong only in the first or last channels, where the window runs past the edge",
                "clip the window to the channels that exist (0 to C - 1); in Python a negative start index counts from the end.",
            )
        return None

    return explain


def _lrn_forward_cases():
    cases = []
    for seed, (x_shape, n, k, alpha, beta, scale) in enumerate(_LRN_CASES):
        x = _rng(seed + 40).uniform(0, scale, size=x_shape)
        window_hint = "the window runs from channel i - n // 2 to i + n // 2, both included (n channels), clipped at the edges."
        causes = [
            ("out", _lrn64(x, n, k, alpha, beta, low, high), cause, window_hint) for (low, high), cause in _lrn_windows(n).items()
        ]
        causes += [
            (
                "out",
                _lrn64(x, n, k, alpha / n, beta),
                "alpha is divided by n (Caffe's convention)",
                "the paper's formula multiplies the sum of squares by alpha itself.",
            ),
            ("out", _lrn64(x, n, k, alpha, 1.0), "the exponent beta is missing", "raise the denominator to the power beta."),
        ]
        cases.append(
            _Case(
                _label(_LRN_NAMES, (x, n, k, alpha, beta)),
                (x, n, k, alpha, beta),
                {"out": (_lrn_kit(x, n, k, alpha, beta), "the kit's LocalResponseNormalization (float32)")},
                tolerance=FLOAT32_TOLERANCE,
                causes=causes,
                explain=_lrn_edges(n, x.shape[-1]),
            )
        )
    return cases


def _lrn_backward_cases():
    cases = []
    for seed, (x_shape, n, k, alpha, beta, scale) in enumerate(_LRN_CASES):
        rng = _rng(seed + 50)
        x = rng.uniform(0, scale, size=x_shape)
        dout = rng.normal(size=x_shape)
        layer = LocalResponseNormalization(n=n, k=k, alpha=alpha, beta=beta)
        (dx,) = _tape(layer, [x.astype(np.float32)], dout.astype(np.float32))
        denominator = k + alpha * _lrn_sums(x, n)
        own_term = dout * (denominator**-beta - 2 * alpha * beta * x**2 * denominator ** (-beta - 1))
        cases.append(
            _Case(
                _label(("dout",) + _LRN_NAMES, (dout, x, n, k, alpha, beta)),
                (dout, x, n, k, alpha, beta),
                {"dx": (dx, "tf.GradientTape through the kit's LocalResponseNormalization (float32)")},
                tolerance=FLOAT32_TOLERANCE,
                numerical={"dx": _numerical(_lrn64, [x, n, k, alpha, beta], 0, dout, rng)},
                causes=[
                    (
                        "dx",
                        dout * denominator**-beta,
                        "it treats the denominator as a constant",
                        "the denominator depends on x too: differentiate it (chain rule).",
                    ),
                    (
                        "dx",
                        own_term,
                        "it keeps only each channel's effect on its own output",
                        "each x[..., j] is also in the denominators of its neighbours' outputs: add dout[..., i] times "
                        "d out[..., i] / d x[..., j] for every i whose window holds j.",
                    ),
                ],
                explain=_lrn_edges(n, x.shape[-1]),
            )
        )
    return cases


# --- dropout -----------------------------------------------------------------------------------

# (p, training): p = 0.2 tells 1 / (1 - p) from 1 / p, which agree at p = 0.5.
_DROPOUT_CASES = ((0.5, True), (0.2, True), (0.5, False))
_DROPOUT_NAMES = ("x", "p", "mask", "training")


def _dropout_layer(p, seed):
    return keras.layers.Dropout(p, seed=seed, dtype="float64")


def _dropout_mask(p, training, result, rng):
    """The mask, True where a unit is kept: read off Keras's result in training (x and dout are never 0).

    At inference Keras keeps every unit; the student's function gets a random mask, which it must ignore.
    """
    return result != 0 if training else rng.uniform(size=result.shape) >= p


def _dropout_causes(name, x, p, mask, training):
    """Wrong answers, as `_Case.causes`, for x (forward) or dout (backward)."""
    if not training:
        return [
            (
                name,
                x * mask / (1 - p),
                "it applies the mask at inference",
                "at inference dropout keeps every unit: the identity.",
            ),
            (
                name,
                x * (1 - p),
                "it scales by 1 - p at inference",
                "inverted dropout scales in training, so inference is the "
                "identity (the paper's original dropout scaled at test time instead).",
            ),
            (name, x / (1 - p), "it scales by 1 / (1 - p) at inference", "at inference dropout is the identity."),
        ]
    scale_hint = "scale the kept units by 1 / (1 - p), the inverse of the keep probability, so the expected value stays x."
    return [
        (name, x * mask, "the kept units are not scaled (1 / (1 - p) is missing)", scale_hint),
        (name, x * mask * (1 - p), "it multiplies by 1 - p instead of dividing", scale_hint),
        (name, x * mask / p, "it divides by p, the drop probability", scale_hint),
        (
            name,
            x * ~mask / (1 - p),
            "it keeps the dropped units and drops the kept ones",
            "the mask is True where a unit is KEPT.",
        ),
        (name, x / (1 - p), "it ignores the mask", "multiply by the mask: a dropped unit gives 0."),
    ]


def _dropout_forward_cases():
    cases = []
    for seed, (p, training) in enumerate(_DROPOUT_CASES):
        rng = _rng(seed + 60)
        x = _away_from_zero(rng, (2, 4, 4, 3))
        out = _np(_dropout_layer(p, seed)(x, training=training))
        mask = _dropout_mask(p, training, out, rng)
        cases.append(
            _Case(
                _label(_DROPOUT_NAMES, (x, p, mask, training)),
                (x, p, mask, training),
                {"out": (out, f"Keras's Dropout (training={training})")},
                causes=_dropout_causes("out", x, p, mask, training),
            )
        )
    return cases


def _dropout_backward_cases():
    cases = []
    for seed, (p, training) in enumerate(_DROPOUT_CASES):
        rng = _rng(seed + 70)
        x = _away_from_zero(rng, (2, 4, 4, 3))
        dout = rng.normal(size=x.shape)
        (dx,) = _tape(lambda v: _dropout_layer(p, seed)(v, training=training), [x], dout)
        mask = _dropout_mask(p, training, dx, rng)
        # A fresh layer with the same seed draws the same mask, so the numerical gradient goes through Keras.
        numerical = _numerical(lambda v: _np(_dropout_layer(p, seed)(v, training=training)), [x], 0, dout, rng)
        cases.append(
            _Case(
                _label(("dout",) + _DROPOUT_NAMES, (dout, x, p, mask, training)),
                (dout, x, p, mask, training),
                {"dx": (dx, f"tf.GradientTape through Keras's Dropout (training={training})")},
                numerical={"dx": numerical},
                causes=_dropout_causes("dx", dout, p, mask, training),
            )
        )
    return cases


# --- softmax cross-entropy ---------------------------------------------------------------------


def _softmax_loss_layer():
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")


def _softmax_loss_cases():
    cases = []
    # (logits scale, batch, classes): logits of +-1000 overflow exp() and underflow the probabilities.
    for seed, (scale, batch, classes) in enumerate(((2.0, 4, 5), (1000.0, 3, 6), (1.0, 6, 3))):
        rng = _rng(seed + 80)
        logits = rng.normal(size=(batch, classes)) * scale
        labels = rng.integers(0, classes, size=batch)
        loss_fn = _softmax_loss_layer()
        loss = float(_np(loss_fn(labels, logits)))
        (dlogits,) = _tape(lambda v: loss_fn(labels, v), [logits], np.float64(1.0))
        probabilities = _np(keras.ops.softmax(logits))
        numerical = {}
        if scale < 10:  # central differences need logits of moderate size to stay accurate
            numerical = {"dlogits": _numerical(lambda v, y: float(_np(loss_fn(y, v))), [logits, labels], 0, 1.0, rng)}
        cases.append(
            _Case(
                _label(("logits", "labels"), (logits, labels)),
                (logits, labels),
                {
                    "loss": (loss, "Keras's SparseCategoricalCrossentropy(from_logits=True)"),
                    "dlogits": (dlogits, "tf.GradientTape through Keras's SparseCategoricalCrossentropy"),
                },
                numerical=numerical,
                causes=[
                    ("loss", loss * batch, "it is the sum over the batch, not the mean", "the loss is averaged over the batch."),
                    ("loss", loss * batch / classes, "it is averaged over the classes", "average over the batch only."),
                    (
                        "dlogits",
                        dlogits * batch,
                        "it is N times too large",
                        "the loss is a mean over the N examples: divide the gradient by N too.",
                    ),
                    ("dlogits", -dlogits, "its sign is flipped", "the gradient is the probabilities minus the one-hot labels."),
                    (
                        "dlogits",
                        probabilities / batch,
                        "the one-hot labels are not subtracted",
                        "the gradient is the probabilities minus the one-hot labels, over N.",
                    ),
                ],
            )
        )
    return cases


def _overflow(name, case):
    if name in ("loss", "dlogits") and np.abs(case.args[0]).max() > 700:
        return (
            "with logits as large as 1000, exp() overflows to inf and a probability of exp(-1000) rounds to 0 (log(0) = -inf)",
            "subtract each row's maximum logit before exp() (the softmax does not change), and "
            "take log-probabilities as shifted - log(sum(exp(shifted))) instead of log(softmax).",
        )
    return None


# --- the layers to write -----------------------------------------------------------------------

LAYERS = {
    "relu_forward": Layer(
        "relu_forward(x)",
        "out, like x",
        "Keras's ReLU layer",
        "ReLU keeps a positive input and turns a negative one into 0, element by element.",
        ("out",),
        _relu_forward_cases,
    ),
    "relu_backward": Layer(
        "relu_backward(dout, x)",
        "dx, like x",
        "tf.GradientTape through Keras's ReLU",
        "ReLU's slope is 1 where x > 0 and 0 elsewhere: dx is dout times that slope.",
        ("dx",),
        _relu_backward_cases,
    ),
    "conv_forward": Layer(
        "conv_forward(x, w, b, stride, padding)",
        "out (N, H_out, W_out, C_out)",
        "Keras's Conv2D",
        "each output out[n, i, j, f] is the sum over the kh x kw x C_in window of the (padded) input that starts at "
        "row i * stride, column j * stride, times w[:, :, :, f], plus b[f]; 'same' pads (kernel - 1) rows in total at "
        "stride 1, the odd one at the bottom.",
        ("out",),
        _conv_forward_cases,
    ),
    "conv_backward": Layer(
        "conv_backward(dout, x, w, b, stride, padding)",
        "(dx, dw, db), shaped like x, w, b",
        "tf.GradientTape through Keras's Conv2D",
        "loop over the outputs as in the forward pass: each dout[n, i, j, f] adds dout times w[..., f] to its window of "
        "dx (padded), dout times the window to dw[..., f], and dout to db[f]; windows overlap, so use +=.",
        ("dx", "dw", "db"),
        _conv_backward_cases,
    ),
    "maxpool_forward": Layer(
        "maxpool_forward(x, pool, stride)",
        "out (N, H_out, W_out, C)",
        "Keras's MaxPooling2D",
        "each output is the maximum of a pool x pool window of one channel, the windows starting every `stride` pixels; "
        "no padding, so H_out = (H - pool) // stride + 1.",
        ("out",),
        _maxpool_forward_cases,
    ),
    "maxpool_backward": Layer(
        "maxpool_backward(dout, x, pool, stride)",
        "dx, like x",
        "tf.GradientTape through Keras's MaxPooling2D",
        "each window's dout goes to the position of that window's maximum only; with stride < pool the windows "
        "overlap, so add (+=) rather than assign.",
        ("dx",),
        _maxpool_backward_cases,
    ),
    "lrn_forward": Layer(
        "lrn_forward(x, n, k, alpha, beta)",
        "out, like x",
        "the kit's LocalResponseNormalization",
        "at every pixel, divide x[..., i] by (k + alpha * the sum of x[..., j] ** 2 over the n channels j around i) ** beta; "
        "the window is clipped at the first and last channels.",
        ("out",),
        _lrn_forward_cases,
    ),
    "lrn_backward": Layer(
        "lrn_backward(dout, x, n, k, alpha, beta)",
        "dx, like x",
        "tf.GradientTape through the kit's LocalResponseNormalization",
        "each x[..., j] appears in its own numerator and in the denominator of every output whose window holds j: add up "
        "those contributions (chain rule); work it out for one pixel first.",
        ("dx",),
        _lrn_backward_cases,
    ),
    "dropout_forward": Layer(
        "dropout_forward(x, p, mask, training)",
        "out, like x",
        "Keras's Dropout",
        "in training keep the units where mask is True, scaled by 1 / (1 - p) (p is the drop probability); at inference "
        "return x unchanged.",
        ("out",),
        _dropout_forward_cases,
    ),
    "dropout_backward": Layer(
        "dropout_backward(dout, x, p, mask, training)",
        "dx, like x",
        "tf.GradientTape through Keras's Dropout",
        "the forward pass multiplied x by a constant factor per unit (mask / (1 - p) in training, 1 at inference): dx is "
        "dout times the same factor.",
        ("dx",),
        _dropout_backward_cases,
    ),
    "softmax_loss": Layer(
        "softmax_loss(logits, labels)",
        "(loss, dlogits): the mean cross-entropy (a float) and its gradient, like logits",
        "Keras's SparseCategoricalCrossentropy(from_logits=True) and tf.GradientTape",
        "the loss is the batch mean of -log(softmax probability of the true class); dlogits is (probabilities - one-hot "
        "labels) / N; subtract each row's maximum logit before exp().",
        ("loss", "dlogits"),
        _softmax_loss_cases,
    ),
}

_AXES = {
    4: ("batch", "height", "width", "channels"),
    2: ("batch", "classes"),
}
_KERNEL_AXES = ("kernel height", "kernel width", "input channels", "output channels")


# --- running and judging one function ------------------------------------------------------------


def _one_line(text):
    return " ".join(str(text).split())


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def _call(name, function, case):
    """What the student's function returns for copies of the case's arguments (the originals stay intact)."""
    args = tuple(_copy(arg) for arg in case.args)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overflow warnings: the non-finite values are reported instead
        try:
            result = function(*args)
        except NotImplementedError:
            raise _NotWritten from None
        except Exception as error:
            raise _Problem(f"{name}({case.label}) raised {type(error).__name__}: {_one_line(error) or '(no message)'}") from None
    for arg_name, before, after in zip(_arg_names(name), case.args, args):
        # dout is the caller's to give away (frameworks reuse its memory); x, w, mask... are read again later.
        if arg_name == "dout" or not isinstance(before, np.ndarray):
            continue
        if not (after.shape == before.shape and np.array_equal(after, before)):
            raise _Problem(
                f"{name}({case.label}) changed its argument {arg_name} in place",
                hint=f"the caller still needs the original {arg_name} (a backward pass reads it again): compute a new array "
                "(np.maximum, x * m, np.pad, ... return new arrays) instead of writing into it.",
            )
    return result


def _arg_names(name):
    signature = LAYERS[name].signature
    return [part.strip() for part in signature[signature.index("(") + 1 : -1].split(",")]


def _kind(value):
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array {_shape_of(value)}"
    if hasattr(value, "numpy") and hasattr(value, "shape"):
        return "a TensorFlow tensor"
    return f"a {type(value).__name__}"


def _outputs(name, result, case):
    """The returned values by output name, after checking their number and types."""
    names = LAYERS[name].outputs
    call = f"{name}({case.label})"
    if result is None:
        raise _Problem(f"{call} returned None", hint="did it forget `return`?")
    if len(names) > 1:
        if not isinstance(result, (tuple, list)):
            raise _Problem(f"{call} returned {_kind(result)}", hint=f"return {len(names)} values: ({', '.join(names)}).")
        if len(result) != len(names):
            raise _Problem(f"{call} returned {len(result)} values", hint=f"return {len(names)} values: ({', '.join(names)}).")
    else:
        result = (result,)
    outputs = {}
    for out_name, value in zip(names, result):
        if out_name == "loss":
            outputs[out_name] = _loss_value(call, value)
            continue
        if value is None:
            raise _Problem(f"{call} returned None for {out_name}", hint=f"compute {out_name} and return it.")
        if isinstance(value, (tuple, list)) and len(names) == 1:
            raise _Problem(
                f"{call} returned a {type(value).__name__} of {len(value)} values",
                hint=f"return only {out_name}, a NumPy array (no cache: a backward pass gets the forward pass's "
                "arguments again).",
            )
        if not isinstance(value, np.ndarray):
            raise _Problem(f"{call} returned {_kind(value)} for {out_name}", hint="return a NumPy array (np.ndarray).")
        if value.dtype != np.float64:
            problem = (
                "integers: the values are rounded off" if value.dtype.kind in "iub" else f"{value.dtype}, which loses digits"
            )
            raise _Problem(
                f"{call} returned {out_name} as {value.dtype} ({problem})",
                hint="the inputs are float64: create arrays with np.zeros(shape) or np.zeros_like(x), which keep float64.",
            )
        outputs[out_name] = value
    return outputs


def _loss_value(call, value):
    if isinstance(value, np.ndarray) and value.ndim > 0:
        if value.size > 1:
            raise _Problem(
                f"{call} returned the loss as an array {_shape_of(value)}",
                "it holds one loss per example",
                "the loss is one number: the mean over the batch.",
            )
        value = value.reshape(())
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (float, int, np.floating, np.integer, np.ndarray)):
        raise _Problem(f"{call} returned {_kind(value)} for the loss", hint="return the loss as a float.")
    return float(value)


def _index(name, index):
    return f"{name}[{', '.join(str(int(i)) for i in index)}]"


def _relative(got, expected):
    """max |got - expected| / max(|got| + |expected|): relative to the values' scale, so zeros do not blow it up."""
    difference = np.abs(np.asarray(got, dtype=np.float64) - expected)
    scale = max(float(np.max(np.abs(got) + np.abs(expected), initial=0.0)), 1e-12)
    return difference, float(np.max(difference, initial=0.0)) / scale, scale


def _close(got, expected, tolerance):
    if np.shape(got) != np.shape(expected) or not np.all(np.isfinite(got)):
        return False
    return _relative(got, expected)[1] < tolerance


def _cause(case, out_name, got, bad=None):
    for name, value, cause, hint in case.causes:
        if name == out_name and _close(got, value, case.tolerance):
            return cause, hint
    if bad is not None and case.explain is not None and np.any(bad):
        return case.explain(out_name, got, case.expected[out_name][0], bad)
    return None


def _shape_problem(call, out_name, got, expected, case):
    if got.ndim != expected.ndim:
        axes = _KERNEL_AXES if out_name == "dw" else _AXES.get(expected.ndim, ())
        wanted = f"{expected.ndim} ({', '.join(axes)})" if axes else str(expected.ndim)
        return _Problem(
            f"{call} returned {out_name} {_shape_of(got)}: it has {got.ndim} axes, not {wanted}",
            *_shape_cause(case, out_name, got),
        )
    axes = _KERNEL_AXES if out_name == "dw" else _AXES.get(expected.ndim, [f"axis {i}" for i in range(expected.ndim)])
    if expected.ndim == 1:
        axes = ["length"]
    wrong = [axis for axis, a, b in zip(axes, got.shape, expected.shape) if a != b]
    verb = "are" if len(wrong) > 1 else "is"
    return _Problem(
        f"{call} returned {out_name} {_shape_of(got)}: the {' and '.join(wrong)} {verb} wrong", *_shape_cause(case, out_name, got)
    )


def _shape_cause(case, out_name, got):
    for name, shape, cause, hint in case.shapes:
        if name == out_name and tuple(got.shape) == tuple(shape):
            return cause, hint
    return None, None


def _judge(name, case, outputs):
    """Raises a `_Problem` for the first output that differs from the reference."""
    call = f"{name}({case.label})"
    for out_name, got in outputs.items():
        expected, source = case.expected[out_name]
        expected = np.asarray(expected, dtype=np.float64)
        got_array = np.asarray(got, dtype=np.float64)
        if got_array.shape != expected.shape:
            raise _shape_problem(call, out_name, got_array, expected, case)
        finite = np.isfinite(got_array)
        if not np.all(finite):
            where = np.argwhere(~finite)[0]
            kind = "NaN" if np.isnan(got_array[tuple(where)]) else "inf"
            at = f" at {_index(out_name, where)}" if got_array.ndim else ""
            raise _Problem(f"{call} returned {out_name} with {kind}{at}", *(_overflow(out_name, case) or (None, None)))
        difference, error, scale = _relative(got_array, expected)
        if error >= case.tolerance:
            bad = difference >= case.tolerance * scale
            where = f" at {_index(out_name, np.unravel_index(np.argmax(difference), difference.shape))}" if got_array.ndim else ""
            count = f"; {int(np.sum(bad))} of {bad.size} values differ" if got_array.ndim else ""
            raise _Problem(
                f"{call}: {out_name} differs from {source}{where} (relative error {error:.1e}{count})",
                *(_cause(case, out_name, got_array, bad) or (None, None)),
            )
    for out_name, (indices, values) in case.numerical.items():
        got = np.array([outputs[out_name][index] for index in indices])
        difference, error, _ = _relative(got, values)
        if error >= case.numerical_tolerance:
            index = indices[int(np.argmax(difference))]
            raise _Problem(
                f"{call}: {out_name} differs from the numerical gradient (central differences) at "
                f"{_index(out_name, index)} (relative error {error:.1e})"
            )


def _valid_names():
    return f"Valid names: {', '.join(LAYERS)}."


def _shown(value):
    text = repr(value)
    return text if "\n" not in text and len(text) < 80 else _kind(value)


def check_layer(name, function, verbose=True):
    """Says whether your NumPy layer function is right, with what differs and a hint; never the answer.

    Runs `function` on small random inputs (fixed seeds) in several cases,
    compares what it returns with the kit's or Keras's layer (relative error
    `max|a - b| / max(|a| + |b|)` below 1e-6 in float64; 1e-5 against the
    kit's LRN, which computes in float32), and checks backward passes with
    `tf.GradientTape` through that layer and with a numerical gradient
    (central differences). A function that raises, returns None, returns the
    wrong shape or dtype, changes its input in place, or still raises
    `NotImplementedError` ("not written yet") is reported in one line.

    Example:

    >>> def relu_forward(x):
    ...     return np.maximum(x, 0)
    >>> check_layer("relu_forward", relu_forward)
    Right: relu_forward matches Keras's ReLU layer ...

    Args:
        name: Which function, e.g. `"conv_forward"` (see `LAYERS` for the
            names and signatures).
        function: Your function itself (not the result of calling it).
        verbose: False: print nothing, only return the verdict.

    Returns:
        True when every case is right; False otherwise, after printing what
        differs and a hint.

    Raises:
        ValueError: An unknown name (the message lists the valid ones).
        TypeError: A name that is not a string, or a `function` that is not
            callable.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"check_layer needs the function's name as a string, e.g. 'conv_forward'. {_valid_names()} Received: name={name!r}"
        )
    if name not in LAYERS:
        raise ValueError(f"Unknown layer function {name!r}. {_valid_names()}")
    if not callable(function):
        raise TypeError(
            f"check_layer needs your function itself, e.g. check_layer({name!r}, {name}), not the result of calling it. "
            f"Received: function={_shown(function)}"
        )
    layer = LAYERS[name]
    cases = layer.cases()
    problems = []
    for case in cases:
        try:
            _judge(name, case, _outputs(name, _call(name, function, case), case))
        except _NotWritten:
            return _say(
                verbose,
                False,
                f"{name} is not written yet (it raises NotImplementedError): replace the `raise` with your code.",
                layer.hint,
            )
        except _Problem as problem:
            problems.append(problem)
    if not problems:
        tolerance = f"{max(case.tolerance for case in cases):.0e}".replace("e-0", "e-")
        gradients = ", and a numerical gradient," if any(case.numerical for case in cases) else ""
        plural = "s" if len(cases) > 1 else ""
        return _say(
            verbose,
            True,
            f"{name} matches {layer.reference}{gradients} in {len(cases)} case{plural}, to a relative error below {tolerance}.",
        )
    first = problems[0]
    what = first.what + (f". Likely cause: {first.cause}" if first.cause else "")
    if len(cases) > 1:
        what += f" ({len(cases) - len(problems)} of {len(cases)} cases right)"
    return _say(verbose, False, what + ".", first.hint or layer.hint)


def _say(verbose, right, what, hint=None):
    if verbose:
        print(f"Right: {what}" if right else f"Not yet: {what} Hint: {hint[0].upper() + hint[1:]}")
    return right


def load_solutions(path):
    """Runs the `python` code blocks of a solutions file and returns its layer functions.

    Notebook 12 uses it to stand in for the functions a student has not
    written yet; the tests use it to prove the worked solutions right. Only
    blocks fenced as ```python run (other snippets can be fenced as ```py).

    Example:

    >>> import pathlib
    >>> _ = pathlib.Path("my_solutions.md").write_text('''
    ... My ReLU, forward:
    ...
    ... ```python
    ... import numpy as np
    ...
    ... def relu_forward(x):
    ...     return np.maximum(x, 0)
    ... ```
    ... ''')
    >>> functions = load_solutions("my_solutions.md")
    >>> list(functions)
    ['relu_forward']
    >>> functions["relu_forward"](np.array([-1.0, 2.0]))
    array([0., 2.])

    Args:
        path: The Markdown file, e.g. `"../solutions/12_build_it_yourself.md"`.

    Returns:
        A dict from each name of `LAYERS` that the file defines to its function.

    Raises:
        FileNotFoundError: No file at `path`.
        ValueError: The file has no ```python blocks.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No solutions file at {str(path)!r}: pass the path of solutions/12_build_it_yourself.md "
            f"relative to the current folder ({str(pathlib.Path.cwd())!r}). Received: path={str(path)!r}"
        )
    blocks = re.findall(r"^```python[ \t]*\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    if not blocks:
        raise ValueError(
            f"{path.name} has no ```python code blocks: fence the worked solutions as ```python. Received: path={str(path)!r}"
        )
    namespace = {}
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"{path.name}, code block {number}", "exec"), namespace)
    return {name: namespace[name] for name in LAYERS if callable(namespace.get(name))}
