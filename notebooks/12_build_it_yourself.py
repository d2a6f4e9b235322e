# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (alexnet-edu)
#     language: python
#     name: alexnet-edu
# ---

# %% [markdown] slideshow={"slide_type": "slide"}
# # 12 · Build it yourself
#
# > "We wrote a highly-optimized GPU implementation of 2D convolution and all the other operations
# > inherent in training convolutional neural networks, which we make available publicly." (section 1)
#
# Krizhevsky wrote every layer of AlexNet by hand, forward and backward, in CUDA. Here you write them
# in NumPy: convolution, max pooling, ReLU, local response normalization, dropout and softmax
# cross-entropy, each forward pass and its backward pass (the gradient). After each function,
# `check_layer` runs it on small random inputs and compares it with the kit's or Keras's layer. At the
# end your layers run a small AlexNet-like network, forward and backward, side by side with Keras.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import LocalResponseNormalization, check_layer, load_shapes, load_solutions, setup_notebook

import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: fewer training steps, a smaller timing
STEPS = 30 if QUICK else 100  # training steps on one batch in section 7
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The rules, and a worked example: ReLU
#
# Every function takes NumPy arrays in **float64**, images **channels last** like Keras:
# `(N, H, W, C)`. A backward pass takes `dout`, the gradient of the loss with respect to the forward
# pass's output, followed by the forward pass's own arguments, and returns the gradient with respect to
# each input (no caches).
#
# | function | returns |
# |---|---|
# | `relu_forward(x)` / `relu_backward(dout, x)` | `out` / `dx` |
# | `conv_forward(x, w, b, stride, padding)` | `out`, `(N, H_out, W_out, C_out)`; `w` is `(kh, kw, C_in, C_out)` |
# | `conv_backward(dout, x, w, b, stride, padding)` | `(dx, dw, db)`, shaped like `x`, `w`, `b` |
# | `maxpool_forward(x, pool, stride)` / `maxpool_backward(dout, x, pool, stride)` | `out` / `dx` |
# | `lrn_forward(x, n, k, alpha, beta)` / `lrn_backward(dout, x, n, k, alpha, beta)` | `out` / `dx` |
# | `dropout_forward(x, p, mask, training)` / `dropout_backward(dout, x, p, mask, training)` | `out` / `dx` |
# | `softmax_loss(logits, labels)` | `(loss, dlogits)`: the mean loss (a float) and its gradient |
#
# `check_layer("name", your_function)` runs your function in a few cases (fixed seeds), and compares:
#
# - a forward pass with the layer's output, by the relative error `max|a − b| / max(|a| + |b|)`, which
#   must stay below 10⁻⁶ (float64 on both sides; 10⁻⁵ against the kit's LRN, which computes in float32);
# - a backward pass with the gradient `tf.GradientTape` takes through that layer, and at a few elements
#   with a **numerical gradient**, the central difference
#   $\frac{\partial L}{\partial x_i} \approx \frac{L(x + h e_i) - L(x - h e_i)}{2h}$ with
#   $L = \sum \text{out} \cdot \text{dout}$ and $h = 10^{-6}$.
#
# It prints "Right" or "Not yet" with what differs (shape, element, relative error, the likely cause)
# and a hint, never the expected values. The worked example, ReLU:

# %% slideshow={"slide_type": "subslide"}
# NBVAL_CHECK_OUTPUT
def relu_forward(x):
    """max(x, 0), element by element."""
    return np.maximum(x, 0)


def relu_backward(dout, x):
    """The chain rule: dout times ReLU's slope, 1 where x > 0 and 0 elsewhere."""
    return dout * (x > 0)


check_layer("relu_forward", relu_forward)
check_layer("relu_backward", relu_backward)

# %% [markdown] slideshow={"slide_type": "subslide"}
# What a mistake looks like: a backward pass that forgets `dout`.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
def relu_backward_forgets_dout(dout, x):
    return (x > 0) * 1.0


check_layer("relu_backward", relu_backward_forgets_dout)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Convolution
#
# Keras's `Conv2D`, like AlexNet, computes a cross-correlation (no flipped kernel): with `s` the stride,
#
# $$\text{out}[n, i, j, f] = b[f] + \sum_{u < k_h} \sum_{v < k_w} \sum_{c} x_p[n,\ i s + u,\ j s + v,\ c]\ w[u, v, c, f]$$
#
# where $x_p$ is the input after padding. `"valid"` adds no padding: $H_\text{out} = \lfloor (H - k_h) / s \rfloor + 1$
# (conv1 of the paper: 11×11 kernels, stride 4, 227 → 55). `"same"` gives $H_\text{out} = \lceil H / s \rceil$ and
# pads $\max((H_\text{out} - 1)\,s + k_h - H,\ 0)$ rows in total: half of them (rounded down) on top, the
# rest at the bottom, so an odd one goes at the bottom (the same for columns, the odd one at the right).
# The check uses non-square inputs and kernels, strides 1, 2 and 4, both paddings, and an odd padding.
#
# Write `conv_forward` in place of the `raise` (a loop over the output positions is fine), then run the
# check. Until then, the check says "not written yet" and the notebook runs on.

# %% slideshow={"slide_type": "-"}
def conv_forward(x, w, b, stride, padding):
    """x: (N, H, W, C_in); w: (kh, kw, C_in, C_out); b: (C_out,); stride: int; padding: "valid" or "same".

    Returns out: (N, H_out, W_out, C_out).
    """
    raise NotImplementedError  # your code here


# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
check_layer("conv_forward", conv_forward)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Backward.** Output $(i, j)$ was a window of $x_p$ times the kernel, plus the bias. So its gradient
# `dout[:, i, j, :]` sends back: to `w`, the window times `dout` (summed over the batch); to the window of
# $x_p$, `dout` times `w` (summed over the filters); to `b`, `dout` itself. Windows overlap when the stride
# is smaller than the kernel, so the contributions add up. At the end, cut the padding off $dx_p$.

# %% slideshow={"slide_type": "-"}
def conv_backward(dout, x, w, b, stride, padding):
    """dout: (N, H_out, W_out, C_out); the other arguments as in conv_forward.

    Returns (dx, dw, db), shaped like x, w and b.
    """
    raise NotImplementedError  # your code here


# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
check_layer("conv_backward", conv_backward)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Max pooling, overlapping
#
# Each output is the maximum of a `pool × pool` window of one channel; the windows start every `stride`
# pixels, without padding. The paper's pooling is 3/2 (pool 3, stride 2): neighbouring windows overlap
# by one row or column. The usual 2/2 pooling tiles the input. How many windows each input pixel
# belongs to:

# %% slideshow={"slide_type": "-"}
# extra code – count, for every input pixel, the windows that contain it
fig, axes = plt.subplots(1, 2, figsize=(8, 4))
for ax, (size, pool, stride) in zip(axes, ((7, 3, 2), (8, 2, 2))):
    counts = np.zeros((size, size), dtype=int)
    for i in range(0, size - pool + 1, stride):
        for j in range(0, size - pool + 1, stride):
            counts[i : i + pool, j : j + pool] += 1
    ax.imshow(counts, cmap="Blues", vmin=0, vmax=4)
    for (row, col), count in np.ndenumerate(counts):
        ax.text(col, row, count, ha="center", va="center", fontsize=13, color="white" if count > 2 else "black")
    ax.set_title(f"{size}×{size} input, pool {pool}, stride {stride}", fontsize=13)
    ax.set_xticks([])
    ax.set_yticks([])
plt.tight_layout()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Only the maximum of a window reached the output, so in the backward pass only it receives the
# window's gradient. With overlapping windows one input can be the maximum of two or four windows: it
# receives the **sum** of their gradients. The check includes 3/2 pooling, where `=` instead of `+=`
# shows; with 2/2 alone it would go unnoticed. (On a tie, TensorFlow picks the first maximum, row by row;
# the check has no ties.)

# %% slideshow={"slide_type": "-"}
def maxpool_forward(x, pool, stride):
    """x: (N, H, W, C). Returns out: (N, H_out, W_out, C), H_out = (H - pool) // stride + 1."""
    raise NotImplementedError  # your code here


def maxpool_backward(dout, x, pool, stride):
    """dout: (N, H_out, W_out, C). Returns dx, shaped like x."""
    raise NotImplementedError  # your code here


# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
check_layer("maxpool_forward", maxpool_forward)
check_layer("maxpool_backward", maxpool_backward)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Local response normalization
#
# Notebook 05's formula, across channels at every pixel (`a` is `x` here):
#
# $$b^i = a^i \Big/ \Big(k + \alpha \sum_{j=\max(0,\,i-n/2)}^{\min(N-1,\,i+n/2)} \big(a^j\big)^2\Big)^{\beta}$$
#
# with the paper's n = 5, k = 2, α = 10⁻⁴, β = 0.75 (the check also tries other values; `n / 2` rounds
# down). Mind the window's ends: both are included, and it is clipped at the first and last channels.
#
# **Backward.** Write $D^i$ for the denominator's base, so $b^i = a^i (D^i)^{-\beta}$. Each $a^j$ appears in
# its own numerator and in $D^i$ for every $i$ whose window holds $j$: work out $\partial b^i / \partial a^j$
# for both, then add up $\text{dout}^i\, \partial b^i / \partial a^j$ over $i$. The check compares with the
# gradient through the kit's layer and with a numerical gradient.

# %% slideshow={"slide_type": "-"}
def lrn_forward(x, n, k, alpha, beta):
    """x: (N, H, W, C). Returns out, shaped like x."""
    raise NotImplementedError  # your code here


def lrn_backward(dout, x, n, k, alpha, beta):
    """dout: shaped like x. Returns dx, shaped like x."""
    raise NotImplementedError  # your code here


# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
check_layer("lrn_forward", lrn_forward)
check_layer("lrn_backward", lrn_backward)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Dropout
#
# In training, dropout zeroes each unit with probability `p`. The paper then, at test time, used every
# unit but multiplied its output by 0.5. Keras (and everyone since) does **inverted** dropout instead:
# the kept units are divided by `1 − p` during training, so that each unit's expected value stays the
# same, and inference is the identity. Your functions get the `mask` (a boolean array, True where a unit
# is **kept**), drawn by the caller, so the check can compare them with Keras's `Dropout` unit by unit;
# it uses p = 0.5 and p = 0.2, and `training=False`.

# %% slideshow={"slide_type": "-"}
def dropout_forward(x, p, mask, training):
    """x: any shape; p: the drop probability; mask: booleans like x, True where kept; training: bool."""
    raise NotImplementedError  # your code here


def dropout_backward(dout, x, p, mask, training):
    """Returns dx, shaped like x."""
    raise NotImplementedError  # your code here


# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
check_layer("dropout_forward", dropout_forward)
check_layer("dropout_backward", dropout_backward)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Softmax cross-entropy
#
# The last layer's outputs (logits) $z$ become probabilities $p_c = e^{z_c} / \sum_{c'} e^{z_{c'}}$, and
# the loss is the batch mean of $-\log p_y$ for the true class $y$: what Keras's
# `SparseCategoricalCrossentropy(from_logits=True)` computes. Its gradient is a classic worth deriving
# yourself: $\partial L / \partial z_c = (p_c - [c = y]) / N$.
#
# One of the check's cases has logits of about ±1000. There `np.exp` overflows to `inf`, and a
# probability of $e^{-1000}$ rounds to 0, whose log is $-\infty$. Subtracting each row's largest logit
# first does not change the softmax and keeps every exponent at or below 0; and
# $\log p_y = (z_y - m) - \log \sum_c e^{z_c - m}$ never takes the log of 0.

# %% slideshow={"slide_type": "-"}
def softmax_loss(logits, labels):
    """logits: (N, classes); labels: (N,) integers. Returns (loss, dlogits): a float and an array like logits."""
    raise NotImplementedError  # your code here


# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
check_layer("softmax_loss", softmax_loss)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Your layers together
#
# A tiny AlexNet: conv 5×5 stride 2 (16 kernels), ReLU, LRN, 3/2 max pooling, a fully-connected layer
# to the 8 shape classes, softmax cross-entropy, on 32×32 images. Every layer you wrote and checked
# is used; for the others the worked solutions from `solutions/12_build_it_yourself.md` stand in.

# %% slideshow={"slide_type": "-"}
reference = load_solutions("../solutions/12_build_it_yourself.md")
yours = {
    "relu_forward": relu_forward, "relu_backward": relu_backward, "conv_forward": conv_forward, "conv_backward": conv_backward,
    "maxpool_forward": maxpool_forward, "maxpool_backward": maxpool_backward, "lrn_forward": lrn_forward,
    "lrn_backward": lrn_backward, "dropout_forward": dropout_forward, "dropout_backward": dropout_backward,
    "softmax_loss": softmax_loss,
}  # fmt: skip
layers = {name: function if check_layer(name, function, verbose=False) else reference[name] for name, function in yours.items()}
print("yours:", ", ".join(name for name in yours if layers[name] is yours[name]) or "none yet")
print("from the solutions:", ", ".join(name for name in yours if layers[name] is not yours[name]) or "none")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The network in NumPy, forward then backward. The fully-connected layer is one matrix product
# (`flat @ w2 + b2`) and its backward pass two more. Dropout runs in inference mode (the identity), so
# the Keras model leaves it out: in training Keras would draw its own masks. The checks above already
# compared the training mode with Keras's `Dropout`.

# %% slideshow={"slide_type": "-"}
LRN = (5, 2.0, 1e-4, 0.75)  # the paper's n, k, alpha, beta


def network(params, images, labels):
    """Loss, logits and the gradient of the loss for every parameter, with the functions in `layers`."""
    conv = layers["conv_forward"](images, params["w1"], params["b1"], 2, "same")
    relu = layers["relu_forward"](conv)
    norm = layers["lrn_forward"](relu, *LRN)
    pool = layers["maxpool_forward"](norm, 3, 2)
    flat = pool.reshape(len(images), -1)
    keep = np.ones_like(flat, dtype=bool)
    dropped = layers["dropout_forward"](flat, 0.5, keep, False)
    logits = dropped @ params["w2"] + params["b2"]
    loss, dlogits = layers["softmax_loss"](logits, labels)
    # backward: the same layers in reverse order, each given dout and its forward arguments
    grads = {"w2": dropped.T @ dlogits, "b2": dlogits.sum(axis=0)}
    dflat = layers["dropout_backward"](dlogits @ params["w2"].T, flat, 0.5, keep, False)
    dnorm = layers["maxpool_backward"](dflat.reshape(pool.shape), norm, 3, 2)
    drelu = layers["lrn_backward"](dnorm, relu, *LRN)
    dconv = layers["relu_backward"](drelu, conv)
    _, grads["w1"], grads["b1"] = layers["conv_backward"](dconv, images, params["w1"], params["b1"], 2, "same")
    return loss, logits, grads


keras.utils.set_random_seed(0)
model = keras.Sequential(
    [
        keras.Input((32, 32, 3)),
        keras.layers.Conv2D(16, 5, strides=2, padding="same", name="conv1"),
        keras.layers.ReLU(name="relu1"),
        LocalResponseNormalization(name="norm1"),
        keras.layers.MaxPooling2D(3, strides=2, name="pool1"),
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(8, name="fc"),
    ],
    name="tiny_alexnet",
)
variables = {"w1": model.get_layer("conv1").kernel, "b1": model.get_layer("conv1").bias,
             "w2": model.get_layer("fc").kernel, "b2": model.get_layer("fc").bias}  # fmt: skip
params = {name: np.asarray(variable, dtype=np.float64) for name, variable in variables.items()}  # the same initial weights
data = load_shapes(num_images=160, image_size=32, batch_size=32, seed=0)
batch_images, batch_labels = next(iter(data.train))
images, labels = np.asarray(batch_images, dtype=np.float64), np.asarray(batch_labels)
print("images:", images.shape, "labels:", labels.shape, "parameters:", {name: value.shape for name, value in params.items()})

# %% [markdown] slideshow={"slide_type": "subslide"}
# One forward and backward pass of both, on the same 32 images. Keras computes in float32, so they can
# agree to about 10⁻⁷ relative, not 10⁻¹⁵.

# %% slideshow={"slide_type": "-"}
loss, logits, grads = network(params, images, labels)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
with tf.GradientTape() as tape:
    keras_logits = model(batch_images, training=True)
    keras_loss = loss_fn(batch_labels, keras_logits)
keras_grads = dict(zip(variables, tape.gradient(keras_loss, list(variables.values()))))


def relative_error(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b)))


errors = {"logits": relative_error(logits, keras_logits), "loss": relative_error(loss, keras_loss)}
errors.update({f"d{name}": relative_error(grads[name], keras_grads[name]) for name in params})
pd.Series(errors, name="relative error, NumPy vs Keras").to_frame().style.format("{:.1e}")

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("NumPy and Keras agree to 1e-5 on the logits, the loss and every gradient:", max(errors.values()) < 1e-5)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Can it learn?** A classic sanity check of a backward pass: a network must be able to memorise one
# batch. Both take the same steps of SGD with momentum (learning rate 0.05, momentum 0.9) on the same
# 32 images: the NumPy update is two lines.

# %% slideshow={"slide_type": "-"}
velocity = {name: np.zeros_like(value) for name, value in params.items()}
numpy_losses = []
start = time.perf_counter()
for step in range(STEPS):
    loss, _, grads = network(params, images, labels)
    for name in params:
        velocity[name] = 0.9 * velocity[name] - 0.05 * grads[name]
        params[name] += velocity[name]
    numpy_losses.append(loss)
numpy_seconds = time.perf_counter() - start

model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss=loss_fn, jit_compile=False)
start = time.perf_counter()
keras_losses = [float(model.train_on_batch(batch_images, batch_labels)) for _ in range(STEPS)]
keras_seconds = time.perf_counter() - start
print(f"{STEPS} steps: NumPy {numpy_seconds:.1f} s, Keras {keras_seconds:.1f} s; "
      f"loss {numpy_losses[0]:.3f} -> {numpy_losses[-1]:.4f} (NumPy), {keras_losses[-1]:.4f} (Keras)")  # fmt: skip
print(f"largest difference between the two losses at the same step: {np.max(np.abs(np.subtract(numpy_losses, keras_losses))):.1e}")

# %% slideshow={"slide_type": "-"}
# extra code – the two training curves
fig, ax = plt.subplots(figsize=(7, 4))
every = max(1, STEPS // 20)  # a marker every few steps keeps the two curves readable
ax.semilogy(range(1, STEPS + 1), numpy_losses, "o-", lw=2, ms=7, markevery=every, label="NumPy layers (float64)")
ax.semilogy(range(1, STEPS + 1), keras_losses, "x--", lw=2, ms=9, mew=2, markevery=every, label="Keras (float32)")
ax.set_xlabel("step (the same batch of 32 images)", fontsize=13)
ax.set_ylabel("training loss (log scale)", fontsize=13)
ax.set_title("memorising one batch: NumPy and Keras take the same steps", fontsize=13)
ax.tick_params(labelsize=12)
ax.legend(fontsize=12)
plt.show()

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("the same training curve, to 1e-4 at every step:", np.allclose(numpy_losses, keras_losses, rtol=0, atol=1e-4))
print("the loss fell to less than half its start:", numpy_losses[-1] < numpy_losses[0] / 2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **What an optimised kernel is worth.** Time the NumPy convolution at the sizes of AlexNet's conv1
# (227×227×3 images, 96 kernels of 11×11, stride 4) and conv2 (27×27×96 maps, 256 kernels of 5×5,
# one tower) against Keras's `Conv2D`, TensorFlow's optimised kernel, on the same CPU (no GPU is
# timed here):

# %% slideshow={"slide_type": "-"}
batch = 1 if QUICK else 4
rng = np.random.default_rng(0)


def ms_per_image(function, *args):
    """The faster of two runs, in milliseconds per image: other programs on the machine only slow a run down."""
    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        function(*args)
        seconds.append(time.perf_counter() - start)
    return 1000 * min(seconds) / batch


rows = []
for layer_name, x_shape, w_shape, stride, padding in (
    ("conv1", (227, 227, 3), (11, 11, 3, 96), 4, "valid"),
    ("conv2", (27, 27, 96), (5, 5, 96, 256), 1, "same"),
):
    x, w = rng.uniform(size=(batch, *x_shape)), rng.normal(scale=0.01, size=w_shape)
    b, x32 = np.zeros(w_shape[-1]), x.astype("float32")
    numpy_ms = ms_per_image(layers["conv_forward"], x, w, b, stride, padding)
    keras_conv = keras.layers.Conv2D(w_shape[-1], w_shape[:2], strides=stride, padding=padding)
    keras_conv(x32[:1])  # build it and warm it up
    keras_ms = ms_per_image(keras_conv, x32)
    rows.append({"layer": layer_name, "NumPy (ms per image)": numpy_ms, "Keras (ms per image)": keras_ms,
                 "Keras faster by": numpy_ms / keras_ms})  # fmt: skip
timings = pd.DataFrame(rows).set_index("layer")
days = timings["NumPy (ms per image)"].sum() / 1000 * 1.2e6 * 90 / 86_400
print(f"conv1 and conv2 forward only, 90 epochs of ImageNet's 1.2 million images, at the NumPy speed: {days:,.0f} days")
timings.round(1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The table holds this run's times on this machine's CPU; other programs running at the same time
# slow them down, so read the factors rather than the digits. A NumPy loop over output positions,
# one small product per position, cannot keep up with Keras's compiled convolution on the same CPU
# (the `Keras faster by` column), and the line above turns the loop's times into days for conv1 and
# conv2 forward alone. The paper reports five to six days for its whole training, every layer
# forward and backward, with its own optimised code on two GTX 580 GPUs. Exercise 2 replaces the
# loop by one large matrix product, as Caffe's convolution did.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# The checkable exercises are the functions above: write each, and its `check_layer` cell says right or
# wrong with a hint, never the answer. The cell below checks them all at once. Worked solutions are in
# `solutions/12_build_it_yourself.md`, with the expected outcomes of the open-ended exercises.
#
# 1. Write the ten functions above (ReLU is done) until every check is right; then rerun section 7, which
#    now uses yours.
# 2. Speed up `conv_forward` without a loop over the output positions: gather every window into one
#    row of a matrix (`N·H_out·W_out` rows of `kh·kw·C_in` values, "im2col";
#    `np.lib.stride_tricks.sliding_window_view` does it without copying) and multiply it by `w` reshaped
#    to `(kh·kw·C_in, C_out)`. Check it with `check_layer`, and time it at conv2's size against your loop
#    and Keras.
# 3. A numerical gradient by hand: for one element of `lrn_forward`'s input, compute the central
#    difference with h = 10⁻¹, 10⁻², ..., 10⁻¹² and compare it with `lrn_backward`, once in float64 and
#    once in float32. Plot the relative error against h: where is it smallest, and why does it grow on
#    both sides?
# 4. Average `dropout_forward(x, 0.5, mask, True)` over 10,000 random masks and compare it with `x`. Then
#    do the same for the paper's version (no scaling in training, × (1 − p) at test time): do training
#    and test agree on average?
# 5. Replace the 3/2 pooling by 2/2 in `network` and in the Keras model. Do they still agree? How many
#    inputs of `pool1` are now the maximum of two windows?

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
pd.Series({name: "right" if check_layer(name, function, verbose=False) else "not yet" for name, function in yours.items()},
          name="your functions").to_frame()  # fmt: skip
