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
# # 11 · How a layer computes
#
# Every number AlexNet outputs comes from four small operations repeated millions of times:
# a **convolution** (a window of the input times a kernel, summed, plus a bias), a **ReLU**, a
# **max pooling** and, after conv1 and conv2, a **local response normalization**. This notebook works
# each of them out by hand on a tiny array, checks the result against the Keras layer, applies
# hand-made kernels to a real photograph, and then steps through the paper's own model one output
# value at a time (the idea of CNN Explainer, on our model): the window the value sees, the kernel,
# the products, the sum, the bias, the ReLU and the LRN denominator, checked against what the layer
# itself computed. The next notebook asks you to write these layers yourself.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import ConvStepThrough, LocalResponseNormalization, build_alexnet, check, conv_step, feature_maps, plot_conv_step, sample_photos, setup_notebook

import os

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: fewer positions checked
POSITIONS_CHECKED = 5 if QUICK else 40  # random output values per conv layer checked against the layer
setup_notebook(seed=42)


# %% slideshow={"slide_type": "skip"}
# extra code – draws small arrays with their numbers in the cells, side by side
def show_arrays(arrays, titles, cmaps=None, windows=()):
    fig, axes = plt.subplots(1, len(arrays), figsize=(3.6 * len(arrays), 3.6))
    for index, (ax, array, title) in enumerate(zip(axes, arrays, titles)):
        ax.imshow(array, cmap=(cmaps or ["Greys"] * len(arrays))[index])
        for (row, col), value in np.ndenumerate(array):
            ax.text(col, row, f"{value:g}", ha="center", va="center", fontsize=12,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
        ax.set_title(title, fontsize=13)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax_index, (top, left, size, colour) in windows:
        axes[ax_index].add_patch(plt.Rectangle((left - 0.5, top - 0.5), size, size, fill=False, ec=colour, lw=3))
    plt.tight_layout()
    plt.show()


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. A convolution, by hand
#
# A 7×7 grey image (dark on the left, bright on the right, with a step) and a 3×3 kernel that
# subtracts the left column from the right one: a detector of dark-to-bright vertical edges. One
# output value is the window under the kernel, multiplied element by element, summed, plus the bias:

# %% slideshow={"slide_type": "-"}
tiny = np.array(
    [
        [0, 0, 0, 2, 2, 2, 2],
        [0, 0, 0, 2, 2, 2, 2],
        [0, 0, 0, 0, 2, 2, 2],
        [0, 0, 0, 0, 2, 2, 2],
        [0, 0, 0, 0, 0, 2, 2],
        [1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1],
    ],
    dtype="float32",
)
kernel = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype="float32")
bias = -1.0

window = tiny[0:3, 1:4]  # the window of output (row 0, column 1)
products = window * kernel + 0.0  # + 0.0 prints a 0 times -1 as 0, not -0
print("window:\n", window, "\nkernel:\n", kernel, "\nwindow × kernel:\n", products)
print(f"sum {products.sum():g} + bias {bias:g} = {products.sum() + bias:g}")


# %% [markdown] slideshow={"slide_type": "subslide"}
# Sliding the window over every position gives the whole output map. With a 7×7 input, a 3×3 kernel
# and stride 1 there are 7 − 3 + 1 = 5 positions per row: the map is 5×5. Keras's `Conv2D`, given the
# same kernel and bias, must print the same numbers (it computes a cross-correlation, as we do: the
# kernel is not flipped).

# %% slideshow={"slide_type": "-"}
def convolve(image, kernel, bias, stride=1):
    size = (image.shape[0] - kernel.shape[0]) // stride + 1
    output = np.zeros((size, size), dtype="float32")
    for row in range(size):
        for col in range(size):
            window = image[row * stride : row * stride + kernel.shape[0], col * stride : col * stride + kernel.shape[1]]
            output[row, col] = (window * kernel).sum() + bias
    return output


def keras_conv(image, kernel, bias, stride=1):
    conv = layers.Conv2D(1, kernel.shape, strides=stride, name="conv")
    conv.build((None, *image.shape, 1))
    conv.set_weights([kernel[:, :, None, None], np.array([bias], dtype="float32")])
    return keras.ops.convert_to_numpy(conv(image[None, :, :, None]))[0, :, :, 0]


# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
by_hand = convolve(tiny, kernel, bias)
print(by_hand)
print("Keras's Conv2D gives the same map:", np.allclose(by_hand, keras_conv(tiny, kernel, bias)))
print("stride 2:", convolve(tiny, kernel, bias, stride=2).shape, "the same as Keras:",
      np.allclose(convolve(tiny, kernel, bias, stride=2), keras_conv(tiny, kernel, bias, stride=2)))

# %% slideshow={"slide_type": "subslide"}
show_arrays([tiny, kernel, by_hand], ["input 7×7", "kernel 3×3 (bias −1)", "output 5×5"], ["Greys", "RdBu_r", "RdBu_r"],
            windows=[(0, (0, 1, 3, "red")), (2, (0, 1, 1, "red"))])

# %% [markdown] slideshow={"slide_type": "-"}
# The largest outputs follow the step from 0 to 2 down the image; flat regions give the bias alone
# (−1), and so does the horizontal step into the bottom rows: the kernel subtracts the left column
# from the right one, and along a horizontal edge the two are equal. A real conv layer does this for every input channel (the products of all
# channels are summed into one number) and for every filter (each filter gives one output channel):
# AlexNet's conv1 has 96 filters of 11×11×3 = 363 weights each.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. ReLU, then overlapping max pooling
#
# ReLU keeps the positive values and sets the others to 0. Max pooling then keeps the largest value of
# each window; the paper's pooling uses 3×3 windows every 2 pixels, so neighbouring windows **share**
# a row or a column (notebook 06 measures what that overlap does).

# %% slideshow={"slide_type": "-"}
def max_pool(image, size=3, stride=2):
    out_size = (image.shape[0] - size) // stride + 1
    output = np.zeros((out_size, out_size), dtype=image.dtype)
    for row in range(out_size):
        for col in range(out_size):
            output[row, col] = image[row * stride : row * stride + size, col * stride : col * stride + size].max()
    return output


# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
rectified = np.maximum(by_hand, 0)
pooled = max_pool(rectified)
print("ReLU:\n", rectified)
print("the same as Keras's ReLU:", np.allclose(rectified, keras.ops.convert_to_numpy(layers.ReLU()(by_hand))))
print("max pooling 3×3, stride 2:\n", pooled)
keras_pooled = keras.ops.convert_to_numpy(layers.MaxPooling2D(3, strides=2)(rectified[None, :, :, None]))[0, :, :, 0]
print("the same as Keras's MaxPooling2D:", np.allclose(pooled, keras_pooled))

# %% slideshow={"slide_type": "subslide"}
show_arrays([rectified, pooled], ["after ReLU 5×5", "max pooled 2×2"], ["Reds", "Reds"],
            windows=[(0, (0, 0, 3, "red")), (0, (0, 2, 3, "blue")), (1, (0, 0, 1, "red")), (1, (0, 1, 1, "blue"))])

# %% [markdown] slideshow={"slide_type": "-"}
# The red and blue windows share the middle column: a strong value there is the maximum of both
# windows, and reaches the output twice.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Local response normalization at one pixel
#
# LRN works across channels at one position: each value is divided by a power of the sum of squares
# of its neighbours (the channel itself and n/2 on each side, clipped at the ends):
#
# $$b^i = a^i \Big/ \Big(k + \alpha \sum_{j=\max(0,\,i-n/2)}^{\min(N-1,\,i+n/2)} \big(a^j\big)^2\Big)^{\beta}$$
#
# with the paper's n = 5, k = 2, α = 10⁻⁴, β = 0.75. Seven channels at one pixel, by hand:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
activities = np.array([10, 150, 40, 200, 5, 90, 120], dtype="float32")
n, k, alpha, beta = 5, 2.0, 1e-4, 0.75
print(f"{'channel':>7} {'a':>6} {'Σa² in window':>14} {'k + α·Σa²':>10} {'denominator':>12} {'b = a / denominator':>20}")
normalized = []
for index, activity in enumerate(activities):
    neighbours = activities[max(0, index - n // 2) : index + n // 2 + 1]
    base = k + alpha * np.sum(neighbours**2)
    normalized.append(activity / base**beta)
    print(f"{index:7d} {activity:6.0f} {np.sum(neighbours**2):14,.0f} {base:10.3f} {base**beta:12.3f} {normalized[-1]:20.3f}")
layer_output = keras.ops.convert_to_numpy(LocalResponseNormalization()(activities[None, None, None, :]))[0, 0, 0]
print("the same as the kit's LocalResponseNormalization:", np.allclose(normalized, layer_output, rtol=1e-5))

# %% [markdown] slideshow={"slide_type": "-"}
# The sum term α·Σa² only matters next to k = 2 when activities are large: all five neighbours equal
# to a give α·5a², which reaches k at a = √(k / 5α). Below that, LRN divides every value by about
# k^β = 2^0.75 ≈ 1.68, a constant the next layer absorbs; above it, a channel whose neighbours are
# loud is damped more than one whose neighbours are quiet ("lateral inhibition"): compare the
# denominators of channels 4 and 6 in the table.

# %% slideshow={"slide_type": "-"}
print(f"a = √(k / 5α) = {np.sqrt(k / (5 * alpha)):.1f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Hand-made kernels on a real photograph
#
# The same arithmetic on a 227×227 photograph, with four kernels written by hand in one `Conv2D`
# layer of 3×3×3 kernels: two Sobel edge detectors (on the brightness, the three colour channels
# weighted equally) and two colour-opponent kernels (red minus green, blue minus yellow) that look
# at the centre pixel only. Notebook 03 shows that AlexNet's trained conv1 learns both kinds, edges
# and colour blobs, by itself.

# %% slideshow={"slide_type": "-"}
photos = sample_photos(227)
photo = photos["china"]

sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype="float32")
kernels = np.zeros((3, 3, 3, 4), dtype="float32")
kernels[:, :, :, 0] = sobel[:, :, None] / 3  # vertical edges (brightness changes left to right)
kernels[:, :, :, 1] = sobel.T[:, :, None] / 3  # horizontal edges
kernels[1, 1, :, 2] = [1, -1, 0]  # red minus green
kernels[1, 1, :, 3] = [-0.5, -0.5, 1]  # blue minus yellow (yellow = red + green)
hand_made = layers.Conv2D(4, 3, name="hand_made")  # "valid": zero padding would add false edges at the border
hand_made.build((None, 227, 227, 3))
hand_made.set_weights([kernels, np.zeros(4, dtype="float32")])
responses = keras.ops.convert_to_numpy(hand_made(photo[None]))[0]

# %% slideshow={"slide_type": "subslide"}
# extra code – the photo and the four response maps; red is positive, blue negative, the colour
# scale clipped at the 99.5th percentile so that a few extreme pixels do not wash out the rest
titles = ["vertical edges (Sobel)", "horizontal edges (Sobel)", "red − green", "blue − yellow"]
fig, axes = plt.subplots(1, 5, figsize=(14, 3.2))
axes[0].imshow(photo)
axes[0].set_title("the photo (227×227)", fontsize=13)
for ax, index in zip(axes[1:], range(4)):
    limit = np.percentile(np.abs(responses[..., index]), 99.5)
    image = ax.imshow(responses[..., index], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(titles[index], fontsize=13)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03, extend="both")
for ax in axes:
    ax.set_xticks([])
    ax.set_yticks([])
plt.tight_layout()
plt.show()

# %% [markdown] slideshow={"slide_type": "-"}
# Read the maps against the photo: the Sobel kernels light up along the temple's eaves and pillars
# (horizontal and vertical lines), with opposite signs for dark-to-bright and bright-to-dark; the
# opponent kernels are flat on grey and respond to the red woodwork (red − green) and to the sky
# (blue − yellow). A ReLU after them would keep one sign of each: a layer needs both signs as
# separate filters. Shang et al. (2016) found such pairs of opposite filters in AlexNet's trained
# conv1; nothing here shows it, but you can look for them in the paper's Figure 3, or in notebook 10
# with the trained weights.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Stepping through the paper's model
#
# Now the real thing: the paper preset (two towers, LRN after conv1 and conv2), untrained, on the
# photo. `conv_step` takes the window of the layer's real input that one output value sees, multiplies
# it by the filter's kernel, adds the bias, applies the ReLU in NumPy, and compares the result with
# the layer's own output; when an LRN layer follows, it works out the denominator too. We look at
# the centre of conv1's 55×55 output, and at the filter that responds most there.
#
# The model computes in float32 here, so that by hand and the layer agree to 1e-4. On a CPU with
# bfloat16 instructions the kit otherwise builds models in mixed bfloat16 (the Setup cell says which):
# faster, but each value keeps only 2–3 significant digits, and `conv_step` then allows for that
# rounding (2⁻⁷ of the value: a conv output is rounded twice, after the sum and after the bias).

# %% slideshow={"slide_type": "-"}
model = build_alexnet("paper", precision="float32")
conv1_maps = feature_maps(model, "conv1", photo)
row, col = 27, 27
step = conv_step(model, photo, "conv1", row, col, int(conv1_maps[row, col].argmax()))
print(step)

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print(f"conv1: {step.window.shape} window, {step.products.size} products; by hand = the layer: {step.matches}; "
      f"LRN by hand = norm1: {step.norm.matches}")

# %% slideshow={"slide_type": "subslide"}
plot_conv_step(step)
plt.show()

# %% [markdown] slideshow={"slide_type": "-"}
# The red square marks the 11×11 window on the photo: conv1's stride of 4 moves it 4 pixels per
# output, so output (row, col) starts at pixel (4·row, 4·col). The rows show the colour channels in
# order of their contribution (below the first, the window's surroundings); the text panel adds
# them up.
#
# **The two towers in the arithmetic.** In the paper, conv2's filters 0–127 ran on one GPU and read
# only the 48 channels of conv1 computed there; filters 128–255 read the other 48. The same filter in
# the second tower:

# %% slideshow={"slide_type": "-"}
step2 = conv_step(model, photo, "conv2", 13, 13, 200)  # the centre of conv2's 27×27 output
print(step2)

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print(f"conv2 filter 200 reads input channels {step2.input_channels.start}-{step2.input_channels.stop - 1}: "
      f"{step2.products.size:,} products instead of {5 * 5 * 96:,}; by hand = the layer: {step2.matches}")

# %% slideshow={"slide_type": "subslide"}
plot_conv_step(step2)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **LRN, untrained.** How large is the sum term α·Σa² next to k in these two steps?

# %% slideshow={"slide_type": "-"}
for name, one_step in (("norm1", step), ("norm2", step2)):
    print(f"{name}: α·Σa² = {one_step.norm.alpha * one_step.norm.sum_of_squares:.2g}, k = {one_step.norm.k:g}; "
          f"denominator {one_step.norm.denominator:.4f} (k^β = {one_step.norm.k ** one_step.norm.beta:.4f})")

# %% [markdown] slideshow={"slide_type": "-"}
# Compare the printed sum term with k: the untrained network's activations are far below the
# √(k / 5α) of section 3 (the pixels are in [0, 1] and the initial weights are small), so here LRN
# divides every value by about k^β. The paper's network took 0–255 pixels and trained its weights;
# notebook 05 measures what LRN does to accuracy.
#
# **Not one lucky value.** Random output positions and filters of every conv layer, each worked out by
# hand and compared with the layer:

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(0)
worst = {}
for layer_name in ("conv1", "conv2", "conv3", "conv4", "conv5"):
    _, height, width, filters = model.get_layer(layer_name).output.shape
    errors = []
    for _ in range(POSITIONS_CHECKED):
        checked = conv_step(model, photo, layer_name, int(rng.integers(height)), int(rng.integers(width)), int(rng.integers(filters)))
        assert checked.matches, checked
        errors.append(abs(checked.difference))
    worst[layer_name] = max(errors)
print(f"{POSITIONS_CHECKED} random values per layer; largest |by hand − layer| per layer:",
      ", ".join(f"{name} {error:.1e}" for name, error in worst.items()))

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("every value checked matches its layer (|by hand − layer| below 1e-4):", all(error < 1e-4 for error in worst.values()))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Step through it yourself
#
# Choose a photo, a conv layer, an output position and a filter: the figure redraws the window, the
# kernel, the products, the sum, the ReLU and (after conv1 and conv2) the LRN denominator, and says
# whether the arithmetic matches the layer. Try the photo's corners with conv2 or conv3: their windows
# reach into the zero padding of `"same"` convolutions. The figure shows the input channel that
# contributes most; `channels=3` shows three, as above.

# %% slideshow={"slide_type": "-"}
ConvStepThrough(model, photos, channels=1)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Worked solutions are in `solutions/11_how_a_layer_computes.md`.
#
# 1. How many multiplications does the paper's conv1 make for one 227×227 image, all its output
#    values together? `check("conv1_multiplications_per_image", ...)`
# 2. How many products does one output value of the paper's conv4, with its two towers, add up?
#    `check("conv4_products_per_output_paper", ...)`
# 3. The BVLC AlexNet (notebook 10) uses Caffe's LRN: k = 1, and α = 10⁻⁴ divided by n = 5. With all
#    five neighbours equal to a, at what a does its sum term equal k? `check("lrn_equal_activity_caffe", ...)`
# 4. Write a kernel for diagonal edges (top-left dark, bottom-right bright) and add it to `kernels`.
#    Which parts of the photo light up?
# 5. In the widget, find a conv1 output of 0. What does the text panel say about the sum before the
#    ReLU? What fraction of conv1's outputs are 0 for this photo (`feature_maps(model, "conv1", photo)`)?
# 6. Build `build_alexnet("paper", input_convention="caffe")`: its first layer turns the photo into the
#    paper's 0–255 pixels minus the mean. Step through conv1 again: how does the sum term of norm1
#    compare with k now?

# %% slideshow={"slide_type": "-"}
check("conv1_multiplications_per_image", None)  # replace None with your answer

# %% slideshow={"slide_type": "-"}
check("conv4_products_per_output_paper", None)  # replace None with your answer

# %% slideshow={"slide_type": "-"}
check("lrn_equal_activity_caffe", None)  # replace None with your answer
