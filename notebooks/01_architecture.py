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
# # 01 · The architecture, layer by layer
#
# AlexNet (Krizhevsky, Sutskever and Hinton, 2012) won ImageNet by a landslide: 15.3 % top-5 error
# against 26.2 % for the runner-up. This notebook builds it and takes it apart:
#
# 1. the model from the blog post this kit grew from, and its summary;
# 2. how each layer's output shape follows from $(W - F + 2P)/S + 1$, and the paper's 224-vs-227 puzzle;
# 3. where the **parameters** live and where the **compute** goes (they are not the same place);
# 4. the receptive field: how much of the image each layer sees;
# 5. the paper's own two-tower model and a CPU-sized mini model, side by side.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import build_alexnet, check, compare_models, conv_output_size, cost_split, layer_table, plot_breakdown, plot_model_comparison, setup_notebook

import os
import time

import matplotlib.pyplot as plt
import numpy as np

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: smaller timing runs
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The seed model
#
# Five convolutional layers, then three fully-connected ("dense") layers. The blog post's version
# replaces the paper's Local Response Normalization with BatchNormalization (`norm1`, `norm2`) and
# classifies 24 kinds of image at 224×224×3. `build_alexnet("seed")` builds exactly that model;
# every layer is named so that the rest of the kit can refer to it (`conv1`…`conv5`, `fc6`…`fc8`).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
seed = build_alexnet("seed", num_classes=24, input_shape=(224, 224, 3))
seed.summary(line_length=90)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The totals match the blog post: **46,846,744** parameters, of which **704** are not trainable. Those
# 704 are BatchNorm's moving mean and variance (2 × (96 + 256)): statistics collected during training,
# not learned by gradient descent.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Shapes, and the 224-vs-227 puzzle
#
# A convolution or pooling window of size $F$, moved with stride $S$ over an input of width $W$ padded
# with $P$ zeros on each side, fits
#
# $$\text{output} = \frac{W - F + 2P}{S} + 1$$
#
# times. The paper says its input is 224×224 and its first layer 96 kernels of 11×11 with stride 4,
# producing 55×55 maps. Check it:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("paper's claim:", conv_output_size(224, 11, stride=4))
print("what works:   ", conv_output_size(227, 11, stride=4))

# %% [markdown] slideshow={"slide_type": "subslide"}
# 224 does not work: 54.25 is not a whole number. Keras rounds down, so the seed model's conv1 gives
# **54×54** and silently ignores the last column and row of pixels. With **227×227** the windows tile
# the image exactly and give the paper's 55×55 (so does 224 with 3 pixels of padding). Most
# re-implementations, including torchvision's, use 227 or pad.
#
# The same formula gives every shape in the network. Here it is, layer by layer, for the seed model:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
size = 224
for layer in seed.layers:
    config = layer.get_config()
    window = config.get("kernel_size") or config.get("pool_size")
    if window:
        step = conv_output_size(size, window[0], config["strides"][0], config["padding"])
        print(f"{layer.name:6} {step}")
        size = step.size

# %% [markdown] slideshow={"slide_type": "subslide"}
# `padding="same"` adds just enough zeros to keep the size (divided by the stride), so conv2–conv5
# keep 26 and 12. Each 3/2 max-pooling halves the maps, rounding down, and the overlapping windows
# (3 wide, 2 apart) leave one row over when the input is even: 54 → 26, not 27.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Where the parameters live, and where the compute goes
#
# `layer_table` breaks the model down layer by layer: weights and biases, share of all parameters,
# multiply-accumulate operations (MACs) for one image, the memory of one image's activations, and the
# receptive field (next section).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
table = layer_table(seed)
table[["layer", "type", "output_shape", "weights", "biases", "params", "params_pct", "macs", "macs_pct"]]

# %% [markdown] slideshow={"slide_type": "subslide"}
# A conv layer's parameters do not depend on the image size: conv2 has 5·5·96·256 weights whatever
# the input. Its **compute** does: each of those weights is used once per output position,
# 26·26 = 676 times per image. A dense layer uses each weight exactly once. Summed up:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
cost_split(table)

# %% [markdown] slideshow={"slide_type": "subslide"}
# This is AlexNet's most useful lesson about layout: **92 % of the parameters sit in the three
# fully-connected layers, but 96 % of the arithmetic happens in the five conv layers.** fc6 alone,
# which connects 6,400 inputs to 4,096 units, holds more than half the model. That is why later
# networks (from Network-in-Network and GoogLeNet on) replaced these big dense layers with global
# average pooling, and why conv layers are what you speed up.

# %% slideshow={"slide_type": "-"}
plot_breakdown(seed)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **How long does that take on this machine?** About 1 billion MACs is 2 billion floating-point
# operations per image. Time a forward pass (quick mode times fewer images):

# %% slideshow={"slide_type": "-"}
# extra code – times the forward pass; the numbers depend on your machine
batch = np.random.default_rng(0).uniform(size=(8 if QUICK else 32, 224, 224, 3)).astype("float32")
seed.predict(batch[:2], verbose=0)  # the first call builds the graph
start = time.perf_counter()
repeats = 1 if QUICK else 3
for _ in range(repeats):
    seed.predict(batch, batch_size=len(batch), verbose=0)
seconds_per_image = (time.perf_counter() - start) / (repeats * len(batch))
gflops = 2 * table.macs.sum() / seconds_per_image / 1e9
print(f"{1 / seconds_per_image:.0f} images/s for inference, about {gflops:.0f} GFLOP/s")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Training costs about three times a forward pass (forward, and backward for both the activations and
# the weights), so on a laptop CPU one epoch of ImageNet's 1.2 million images would take hours.
# The paper's authors needed five to six days on two GPUs for 90 epochs.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. How much of the image does each layer see?
#
# The **receptive field** of a unit is the patch of input pixels that can influence it; the **jump**
# is how many input pixels lie between two neighbouring units. Each layer with window $F$ grows the
# field by $(F-1)\times$jump, and each stride multiplies the jump.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
table.query("type in ['Conv2D', 'MaxPooling2D']")[["layer", "output_shape", "receptive_field", "jump", "activation_kib"]]

# %% [markdown] slideshow={"slide_type": "subslide"}
# A conv1 unit sees an 11×11 patch; after pool5 a unit sees 195×195 pixels, most of the image, which
# is why the last conv layers respond to whole objects and not edges. Meanwhile the activations shrink
# from 1 MiB per image after conv1 to 25 KiB after pool5.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The paper's model, and a mini model for your laptop
#
# `build_alexnet("paper")` is the 2012 network as published: 227×227 input, Local Response
# Normalization after conv1 and conv2, and **two towers**. The authors split the network across two
# GTX 580 GPUs with 3 GB each; conv2, conv4 and conv5 only see the feature maps of their own GPU.
# In Keras that is a grouped convolution, `Conv2D(groups=2)`, which halves those layers' weights.
# The `mini` preset keeps the same eight-layer topology at a quarter of the width, with a 5×5 first
# kernel for 64×64 images: small enough to train on a CPU in minutes (notebook 02).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
paper = build_alexnet("paper")
mini = build_alexnet("mini")
print(f"paper: {paper.count_params():,} parameters; conv2 groups = {paper.get_layer('conv2').groups}")
print(f"one tower instead of two: {build_alexnet('paper', groups=1).count_params():,} parameters")
comparison = compare_models({"seed": seed, "paper": paper, "mini": mini})
comparison

# %% [markdown] slideshow={"slide_type": "subslide"}
# The paper quotes "60 million parameters": exactly 60,965,224 with the two towers. The paper model
# has more parameters than the seed (fc6 sees 6×6×256 = 9,216 inputs instead of 5×5×256, and 1,000
# classes instead of 24) but fewer MACs, because the two towers halve the cost of conv2, conv4 and
# conv5. Every model keeps the same lesson: the parameters are in fc, the compute is in conv.

# %% slideshow={"slide_type": "-"}
plot_model_comparison({"seed": seed, "paper": paper, "mini": mini})
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Work these out on paper first, then check your answer: `check` says right or wrong and gives a hint,
# never the answer. Worked solutions are in `solutions/01_architecture.md`.
#
# 1. The output shape of conv1 in the seed model, as a tuple `(height, width, channels)`.
# 2. The parameters of conv2 in the seed model, and of conv2 in the paper's two-tower model.
# 3. With `pooling="plain"` (2×2 windows, stride 2): the output shape of pool5, and the parameters of fc6.
# 4. The smallest square input the seed model accepts.
#
# Replace `None` with your answers:

# %% slideshow={"slide_type": "-"}
check("conv1_output_shape", None)
check("conv2_params", None)
check("paper_conv2_params", None)
check("pool5_shape_plain_pooling", None)
check("fc6_params_plain_pooling", None)
check("smallest_seed_input", None)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Then try it: build `build_alexnet("seed", pooling="plain")` and read its summary; try
# `build_alexnet("seed", input_shape=(64, 64, 3))` and read the error. And one to explain: with
# `width=0.5`, the conv parameters shrink about 4× but the conv MACs too. Why the same factor?
