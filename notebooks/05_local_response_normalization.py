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
# # 05 · Local response normalization
#
# > "This sort of response normalization implements a form of lateral inhibition inspired by the type
# > found in real neurons, creating competition for big activities amongst neuron outputs computed
# > using different kernels." (section 3.3)
#
# After the ReLU of conv1 and conv2, AlexNet divides every activation by a measure of the activity of
# its neighbours **across channels** at the same pixel:
#
# $$b^i_{x,y} = a^i_{x,y} \Big/ \Big(k + \alpha \sum_{j=\max(0,\,i-n/2)}^{\min(N-1,\,i+n/2)} \big(a^j_{x,y}\big)^2\Big)^{\beta}$$
#
# with k = 2, n = 5, α = 10⁻⁴, β = 0.75. The paper: −1.4 % top-1 error on ImageNet, and 13 % → 11 % test
# error for a four-layer CNN on CIFAR-10. This notebook works the formula by hand, checks the kit's
# layer against it, then trains the same model with LRN, with BatchNorm and with neither.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import LocalResponseNormalization, check, compare, load_shapes, plot_ablation, plot_ablation_results, record_finding, run_ablation, setup_notebook

import os

import matplotlib.pyplot as plt
import numpy as np

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: less data, fewer epochs
NUM_IMAGES = 800 if QUICK else 4_000
EPOCHS = 2 if QUICK else 10
SEEDS = (0, 1) if QUICK else (0, 1, 2)
FINDINGS = "results/quick" if QUICK else "results"  # where the verdict is saved for notebook 14
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The formula, by hand
#
# One pixel, seven channels. Channel 3 (counting from 0) sits among loud neighbours; channel 6 is as
# active as channel 3 but its neighbours are quiet.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
k, n, alpha, beta = 2.0, 5, 1e-4, 0.75
activity = np.array([0.0, 60.0, 80.0, 100.0, 80.0, 0.0, 100.0])  # a^i at one pixel, i = 0..6


def lrn_by_hand(a):
    out = np.empty_like(a)
    for i in range(len(a)):
        window = a[max(0, i - n // 2) : min(len(a), i + n // 2 + 1)]
        out[i] = a[i] / (k + alpha * np.sum(window**2)) ** beta
    return out


by_hand = lrn_by_hand(activity)
for i, (a, b) in enumerate(zip(activity, by_hand)):
    print(f"channel {i}: a = {a:5.1f} -> b = {b:6.3f}   (divided by {a / b if a else float('nan'):.3f})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Channel 3 is divided by 3.16, channel 6 by only 2.64: the same activity, but the loud neighbourhood
# suppresses channel 3 more. That is the "competition for big activities". A unit whose neighbourhood
# is quiet is divided by about k^β = 2^0.75 = 1.68: for small activations LRN is almost a constant scale.
#
# The kit's `LocalResponseNormalization` wraps `tf.nn.local_response_normalization`, whose
# `depth_radius` is the half-width n // 2 and whose alpha is *not* divided by n (some frameworks do
# divide it). Check it against the formula:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
layer = LocalResponseNormalization(n=5, k=2.0, alpha=1e-4, beta=0.75)
from_layer = np.asarray(layer(activity.reshape(1, 1, 1, -1).astype("float32"))).ravel()
print("layer == formula:", np.allclose(from_layer, by_hand, rtol=1e-5))
print("layer output:", np.round(from_layer, 3))

# %% [markdown] slideshow={"slide_type": "subslide"}
# How strongly does the neighbourhood matter? One channel with activity 100, its four neighbours
# raised together from 0 to 300:

# %% slideshow={"slide_type": "-"}
# extra code – the response of one unit as its neighbours get louder
neighbours = np.linspace(0, 300, 61)
responses = [lrn_by_hand(np.array([0, m, m, 100.0, m, m, 0]))[3] for m in neighbours]
plt.figure(figsize=(6, 3.2))
plt.plot(neighbours, responses)
plt.xlabel("activity of the 4 neighbouring channels")
plt.ylabel("normalised response of channel 3")
plt.title("lateral inhibition: the same input, a weaker output")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Note the scale: with α = 10⁻⁴ the neighbourhood only matters when activities reach the tens or
# hundreds. The paper fed raw pixel values (0–255, minus the mean), so its conv1 activations were
# that large. Our images are scaled to [0, 1], so our activations are far smaller and LRN acts mostly
# as the constant 1/1.68. Keep that in mind for the experiment.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The experiment: LRN vs BatchNorm vs nothing
#
# The kit's mini AlexNet with the layer after conv1 and conv2 (`norm1`, `norm2`) set to LRN (the
# paper's constants), BatchNorm (the seed model's choice, 2015) or removed; everything else the same:
# data, Adam, epochs, dropout 0.5, three seeds each. All use He initialisation (`initializer="he"`):
# with Keras's default (Glorot), this ReLU network does not learn at all in ten epochs unless BatchNorm
# rescales its activations (try it: exercise 4), and we want to compare normalisations, not that.

# %% slideshow={"slide_type": "-"}
data = load_shapes(num_images=NUM_IMAGES, image_size=64, batch_size=64, seed=0)
ablation = run_ablation(
    data,
    variants={"lrn": dict(normalization="lrn"), "batchnorm": dict(normalization="batchnorm"), "none": dict(normalization="none")},
    base=dict(initializer="he"),
    seeds=SEEDS,
    epochs=EPOCHS,
)

# %% slideshow={"slide_type": "subslide"}
plot_ablation(ablation, metrics=("loss", "val_accuracy"))
plt.show()

# %% slideshow={"slide_type": "subslide"}
plot_ablation_results(ablation, "val_accuracy")
plt.show()
summary = ablation.summary("val_accuracy")
summary.round(3)

# %% slideshow={"slide_type": "subslide"}
lrn_effect = compare(ablation, "lrn", "none", metric="val_accuracy", at="last", scale=100, unit=" points")
batchnorm_effect = compare(ablation, "batchnorm", "lrn", metric="val_accuracy", at="last", scale=100, unit=" points")
print(lrn_effect.describe(1))
print(batchnorm_effect.describe(1))
finding = record_finding(
    FINDINGS,
    notebook="05_local_response_normalization",
    claim="LRN after conv1 and conv2 lowers the error (validation accuracy, LRN − none)",
    paper="−1.4 % top-1 error (ImageNet); 13 % → 11 % test error (CIFAR-10)",
    effect=lrn_effect,
    setting=f"mini AlexNet, {data.num_train:,} shape images at 64 px, {EPOCHS} epochs, {len(SEEDS)} seeds",
)
print("verdict:", finding["verdict"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. What we measured, and what modern practice kept
#
# The cell above prints each difference with its spread over the seeds and its 95 % interval, and the
# verdict it supports (saved for notebook 14). Read it with these points:
#
# - **LRN vs none.** The paper's gain is 1.4 points of top-1 error on ImageNet. Our inputs are scaled
#   to [0, 1] (section 1), so our activations are small and LRN divides them by almost the constant
#   k^β = 1.68: a small effect is expected, and with three seeds only an effect several points wide
#   could exceed the noise.
# - **BatchNorm** (Ioffe & Szegedy, 2015) normalises each channel by its mean and variance over the
#   batch and learns a scale and shift. In inference mode it uses *moving averages* of the batch
#   statistics, which after a few hundred short steps can still trail the quickly changing weights:
#   compare its training and validation curves above. A normalisation layer behaves differently in
#   training and in inference.
#
# **What modern practice kept.** Not LRN: VGG (Simonyan & Zisserman, 2014) reported that LRN "does not
# improve the performance" and costs memory and time, and later networks dropped it. The idea of
# normalising activations stayed, in better forms: BatchNorm for CNNs, then LayerNorm and GroupNorm
# where batches are small or sequences vary. The seed model already made that swap.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Answer the checkable questions in the cell below first: `check` says right or wrong with a hint, never
# the answer. Worked solutions are in `solutions/05_local_response_normalization.md`.
#
# 1. Compute by hand what LRN does to channel 0 of `activity` if it were 100 instead of 0. Check with
#    `lrn_by_hand`.
# 2. Feed the model inputs on the paper's scale: multiply the images by 255 (add a
#    `keras.layers.Rescaling(255.0)` in front, or change the data) and rerun the experiment. Does LRN
#    matter more now?
# 3. Find the n, k, α, β of LRN in `build_alexnet("paper").get_layer("norm1").get_config()`.
# 4. Remove `base=dict(initializer="he")` and rerun: which variants still learn, and why?

# %% slideshow={"slide_type": "-"}
check("lrn_channel_0_loud", None)  # replace None with your answer
