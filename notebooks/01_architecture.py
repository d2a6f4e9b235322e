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
# 1. the model from the blog post this kit grew from, written out in Keras layer by layer, and its summary;
# 2. how each layer's output shape follows from $(W - F + 2P)/S + 1$, and the paper's 224-vs-227 puzzle;
# 3. where the **parameters** live and where the **compute** goes (they are not the same place);
# 4. the receptive field: how much of the image each layer sees;
# 5. the paper's own two-tower model and a CPU-sized mini model, side by side;
# 6. the paper's Figure 2, drawn from the Keras model;
# 7. where AlexNet sits among the networks before and after it.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import architecture_blocks, build_alexnet, check, compare_models, conv_output_size, cost_split, layer_table, plot_architecture, plot_breakdown, plot_model_comparison, setup_notebook

import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from keras import layers

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: smaller timing runs
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The seed model
#
# Five convolutional layers, then three fully-connected ("dense") layers. The blog post's version
# replaces the paper's Local Response Normalization with BatchNormalization (`norm1`, `norm2`) and
# classifies 24 kinds of image at 224×224×3. Here it is written out in Keras, one line per layer, in
# the functional style of the blog post: each layer is called on the output of the one before.
# Every layer gets the name the kit uses for it (`conv1`…`conv5`, `fc6`…`fc8`).

# %% slideshow={"slide_type": "-"}
inputs = keras.Input(shape=(224, 224, 3), name="image")
x = layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1")(inputs)
x = layers.BatchNormalization(name="norm1")(x)  # the blog post's stand-in for LRN
x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
x = layers.Conv2D(256, 5, padding="same", activation="relu", name="conv2")(x)
x = layers.BatchNormalization(name="norm2")(x)
x = layers.MaxPooling2D(3, strides=2, name="pool2")(x)
x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3")(x)
x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv4")(x)
x = layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5")(x)
x = layers.MaxPooling2D(3, strides=2, name="pool5")(x)
x = layers.Flatten(name="flatten")(x)
x = layers.Dense(4096, activation="relu", name="fc6")(x)
x = layers.Dropout(0.5, name="drop6")(x)
x = layers.Dense(4096, activation="relu", name="fc7")(x)
x = layers.Dropout(0.5, name="drop7")(x)
outputs = layers.Dense(24, activation="softmax", name="fc8")(x)
written = keras.Model(inputs, outputs, name="seed_written_out")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The kit builds the same model in one line, `build_alexnet("seed")`, with knobs for everything the
# later notebooks change (normalization, pooling, towers, width...). Its summary:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
# float32 as in the blog post, on every machine: the memory figures below count 4 bytes per value
seed = build_alexnet("seed", num_classes=24, input_shape=(224, 224, 3), precision="float32")
seed.summary(line_length=90)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The totals printed above match the blog post's: **46,846,744** parameters, of which **704** are
# not trainable. Those 704 are BatchNorm's moving mean and variance (2 × (96 + 256)): statistics
# collected during training, not learned by gradient descent.
#
# Is the model written out above the same? Compare what a summary shows: each layer's name, type,
# output shape and parameters, and the trainable and non-trainable totals.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
def summary_of(model):
    rows = [(layer.name, type(layer).__name__, tuple(layer.output.shape[1:]), layer.count_params()) for layer in model.layers]
    trainable = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
    return rows, trainable, model.count_params() - trainable


print("same layers, types, shapes, parameters and totals:", summary_of(written) == summary_of(seed))
print(f"parameters: {written.count_params():,} written out, {seed.count_params():,} from build_alexnet")

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
# This is AlexNet's most useful lesson about layout, in the `params_pct` and `macs_pct` columns:
# **92 % of the parameters sit in the three fully-connected layers, but 96 % of the arithmetic
# happens in the five conv layers.** fc6 alone, which connects 6,400 inputs to 4,096 units, holds
# more than half the model. That is why later networks (from Network-in-Network and GoogLeNet on)
# replaced these big dense layers with global average pooling, and why conv layers are what you
# speed up.

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
# Training costs about three times a forward pass (forward, and backward for both the activations
# and the weights), so training runs at about a third of the rate printed above. Divide ImageNet's
# 1.2 million images by that: on a CPU like this one, a single epoch takes days. The paper reports
# five to six days for about 90 epochs on two GTX 580 GPUs.

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
# A conv1 unit sees an 11×11 patch; after pool5 a unit sees 195×195 pixels (the `receptive_field`
# column), most of the image, which lets the last conv layers respond to whole objects and not only
# edges. Meanwhile the activations shrink (`activation_kib`) from about 1 MiB per image after conv1
# to 25 KiB after pool5.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The paper's model, and a mini model for your laptop
#
# `build_alexnet("paper")` is the 2012 network as published: 227×227 input, Local Response
# Normalization after conv1 and conv2, and **two towers**. The authors split the network across two
# GTX 580 GPUs with 3 GB each; conv2, conv4 and conv5 only see the feature maps of their own GPU.
# In Keras that is a grouped convolution, `Conv2D(groups=2)`, which halves those layers' weights.
# The `mini` preset keeps the same eight-layer topology at a quarter of the width, with a 5×5 first
# kernel for 64×64 images: small enough to train on a CPU in minutes (notebook 02 trains a wider
# variant of it, set up for 32-px photos).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
paper = build_alexnet("paper")
mini = build_alexnet("mini")
print(f"paper: {paper.count_params():,} parameters; conv2 groups = {paper.get_layer('conv2').groups}")
print(f"one tower instead of two: {build_alexnet('paper', groups=1).count_params():,} parameters")
comparison = compare_models({"seed": seed, "paper": paper, "mini": mini})
comparison

# %% [markdown] slideshow={"slide_type": "subslide"}
# The paper quotes "60 million parameters": the first line printed above gives the exact count, with
# the two towers. The paper model has more parameters than the seed (fc6 sees 6×6×256 = 9,216 inputs
# instead of 5×5×256, and 1,000 classes instead of 24) but fewer MACs, because the two towers halve
# the cost of conv2, conv4 and conv5. Every model keeps the same lesson: the parameters are in fc,
# the compute is in conv.

# %% slideshow={"slide_type": "-"}
plot_model_comparison({"seed": seed, "paper": paper, "mini": mini})
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. The paper's Figure 2, drawn from the model
#
# The paper draws its network as two stacks of boxes, one per GPU, that exchange data only at some
# layers. `plot_architecture` draws the same picture from the Keras model: one row per layer with its
# output shape, colour by kind, and a layer that runs in towers as one block per tower, side by side.
# An arrow that stays in its column feeds only its own tower (a grouped layer: each GPU sees only its
# own half of the channels); arrows that cross are where the two GPUs exchanged their feature maps.

# %% slideshow={"slide_type": "-"}
plot_architecture(paper)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# conv1 is not a grouped layer: each GPU computed half of its kernels from the whole image, and since
# conv2 only sees its own GPU's half, conv1 is drawn as two towers too. conv3 and the dense layers
# take their input from both towers. `architecture_blocks` gives the data behind the figure, one row
# per block: compare the kernel maps per tower with the numbers in the paper's Figure 2.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
blocks = architecture_blocks(paper)
blocks.query("kind == 'conv'")[["layer", "tower", "output_shape", "inputs", "operation", "params"]]

# %% [markdown] slideshow={"slide_type": "subslide"}
# `inputs` lists the towers of the layer above that feed each block (0 stands for a whole layer).
# Try `plot_architecture(seed)`: the seed has no groups, so it is one column, one block per layer.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. AlexNet among its neighbours
#
# Six networks on the road from handwritten digits to very deep networks. The figures are **as
# published** in each paper (the `source` column), not measured here; only AlexNet's parameters and
# multiply-accumulates come from this kit's count of `build_alexnet("paper")`. Top-5 error is the
# share of ImageNet (ILSVRC) images whose true class is not among the network's five best guesses.
# The papers report two kinds of result: **single**, one network, and **ensemble**, the averaged
# predictions of several networks, a competition trick that multiplies the cost. The `notes` column
# says which is which and on which images (the validation or the test set). "n/a" means the paper
# gives no such figure, or none we could check against it: better a gap than a made-up number.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
alexnet = compare_models({"AlexNet": paper}).loc["AlexNet"]
history = pd.DataFrame(
    [
        ("LeNet-5", 1998, "60 k", "0.34 M", "n/a", "n/a",
         "handwritten digits (32×32), not ImageNet; MACs: the paper's count of connections",
         "LeCun, Bottou, Bengio & Haffner, 1998, Proceedings of the IEEE"),
        ("AlexNet", 2012, f"{alexnet.params / 1e6:.2f} M", f"{(alexnet.conv_macs + alexnet.fc_macs) / 1e9:.2f} G", "18.2", "15.3",
         "single: 1 CNN, val; ensemble: 7 CNNs, test (ILSVRC-2012 winner); params, MACs: this kit's count",
         "Krizhevsky, Sutskever & Hinton, 2012, NIPS (now NeurIPS)"),
        ("ZFNet", 2014, "n/a", "n/a", "n/a", "14.8",
         "AlexNet retuned by visualising its features (conv1 7×7, stride 2); ensemble: 6 nets, test",
         "Zeiler & Fergus, 2014, ECCV"),
        ("VGG-16", 2015, "138 M", "15.5 G", "7.5", "7.3",
         "single: 1 net, multi-scale, val; ensemble: 7 nets of several depths, test; MACs: not in the paper (counted for Keras's VGG16)",
         "Simonyan & Zisserman, 2015, ICLR"),
        ("GoogLeNet", 2015, "6.8 M", "1.5 G", "7.89", "6.67",
         "single: 1 net, 144 crops, val; ensemble: 7 nets, test (ILSVRC-2014 winner); params: the paper's Table 1 summed",
         "Szegedy et al., 2015, CVPR"),
        ("ResNet-50", 2016, "25.6 M", "3.8 G", "5.25", "3.57",
         "single: 1 net, multi-scale, val; ensemble: 6 ResNets of several depths, test (ILSVRC-2015 winner); params: Keras's count",
         "He, Zhang, Ren & Sun, 2016, CVPR"),
    ],
    columns=["model", "year", "params", "MACs", "top-5 single (%)", "top-5 ensemble (%)", "notes", "source"],
).set_index("model")
with pd.option_context("display.max_colwidth", None, "display.width", 400):
    display(history)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Read the table column by column. The error fell fast, year after year. The arithmetic per image
# did not simply grow: it rose steeply from AlexNet to VGG-16, then GoogLeNet and ResNet-50 reached
# lower errors with a fraction of VGG-16's, though still more than AlexNet's. The parameters went
# their own way: AlexNet's sit mostly in its dense layers (section 3); VGG-16 kept three big dense
# layers and has the most; GoogLeNet and ResNet replaced them with global average pooling and a
# single small classifier layer, so they have fewer parameters than AlexNet and yet do more
# arithmetic. Compare single with single, and ensemble with ensemble: the ensemble column is several
# networks' work.
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
