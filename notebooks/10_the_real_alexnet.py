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
# # 10 · The real AlexNet
#
# > "Figure 3: 96 convolutional kernels of size 11×11×3 learned by the first convolutional layer on the
# > 224×224×3 input images. The top 48 kernels were learned on GPU 1 while the bottom 48 kernels were
# > learned on GPU 2." (section 6.1)
#
# Every model so far was trained here, for minutes, on small images. This notebook loads a network
# trained for days on the 1.2 million ImageNet photos, into the kit's own Keras models: the BVLC
# AlexNet trained in Caffe (the paper's two towers and LRN) or torchvision's single-tower AlexNet.
# The weights are not shipped (233 MB each): the notebook downloads them once when it can, and
# without them it shows what can be shown and skips the rest.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import WEIGHTS, LocalResponseNormalization, build_alexnet, check, color_specificity, decode_predictions, extract_features, find_weights, imagenet_class_names, imagenet_preprocess, layer_table, load_cifar10_photos, nearest_neighbours, plot_first_layer_filters, plot_grad_cam, plot_nearest_neighbours, sample_photos, setup_notebook, towers

import os

import numpy as np
import pandas as pd

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: never downloads, fewer photos
WEIGHTS_NAME = "bvlc"  # or "torchvision"
PHOTOS_PER_CLASS = 4 if QUICK else 20
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Two sets of trained weights
#
# Both were trained on ILSVRC-2012 (1,000 classes). The BVLC model is a replication of the paper in
# Caffe: two towers (`groups=2` in conv2, conv4 and conv5) and LRN, in the kit's `paper` preset.
# torchvision's model is the single-tower variant of Krizhevsky's 2014 "one weird trick" paper, with
# 64-192-384-256-256 kernels and no LRN, in the `torchvision` preset.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
rows = []
for name, spec in WEIGHTS.items():
    model = build_alexnet(spec.preset, **spec.knobs)
    rows.append({"weights": name, "preset": spec.preset, "input": f"{spec.input_size}x{spec.input_size}x3",
                 "parameters": f"{model.count_params():,}", "file": spec.filename,
                 "published hash": f"{spec.algorithm.upper()} {spec.digest[:12]}"})  # fmt: skip
pd.DataFrame(rows).set_index("weights")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The two architectures layer by layer: the towers halve the grouped kernels' depth, torchvision's
# conv1 pads its input by 2 pixels (224 → 55), and only the BVLC model normalises with LRN.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
tables = {name: layer_table(build_alexnet(spec.preset, **spec.knobs)).set_index("layer")
          for name, spec in WEIGHTS.items()}  # fmt: skip
shown = {name: table[["output_shape", "params"]].assign(params=table["params"].map("{:,}".format)) for name, table in tables.items()}
order = ["image", "pad1"] + [name for name in tables["bvlc"].index if name != "image"]  # pad1 only in torchvision's
pd.concat(shown, axis=1).reindex(order).fillna("—")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Porting weights between frameworks: the conventions
#
# The numbers in a trained file only mean something with the conventions of the framework that
# wrote them. Each one below is converted by the kit, and each conversion is tested against a
# forward pass written in the source framework's own layout:
#
# - **Kernel layout.** Caffe and PyTorch store a conv kernel as (out, in, height, width); Keras as
#   (height, width, in, out).
# - **Flatten order.** fc6 reads pool5's 256 × 6 × 6 values flattened. Caffe and PyTorch flatten
#   channels first (index c·36 + h·6 + w), Keras channels last (index h·1536 + w·256 + c): fc6's
#   9,216 input rows must be reordered, or the network is silently wrong.
# - **LRN constants.** The paper writes k = 2 and α multiplying the sum of squares; Caffe uses
#   k = 1 and divides α by the window size n = 5.
# - **Input.** Caffe's model wants BGR pixels in 0–255 minus the ImageNet mean; torchvision's wants
#   RGB in [0, 1] standardised by ImageNet's mean and standard deviation.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The flatten order on a tiny pool5 of 2 channels × 2 × 2: where each channels-first index lands.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
channels, height, width = 2, 2, 2
channels_first = np.arange(channels * height * width).reshape(channels, height, width)
channels_last = channels_first.transpose(1, 2, 0)  # the same values, stored (height, width, channels)
print("Caffe / PyTorch order:", channels_first.reshape(-1).tolist())
print("Keras order:          ", channels_last.reshape(-1).tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# The two LRN conventions on one activation vector, by the kit's layer: the same formula with
# different constants. Caffe's α / n = 2·10⁻⁵ and k = 1 divide by less than the paper's k = 2.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
activity = np.array([0.0, 60.0, 80.0, 100.0, 80.0, 0.0, 100.0], dtype="float32").reshape(1, 1, 1, -1)
paper = LocalResponseNormalization(n=5, k=2.0, alpha=1e-4, beta=0.75)(activity)
caffe = LocalResponseNormalization(n=5, k=1.0, alpha=1e-4, beta=0.75, convention="caffe")(activity)
pd.DataFrame({"activity": activity.ravel(), "paper (k=2, α)": np.ravel(paper), "Caffe (k=1, α/5)": np.ravel(caffe)}).round(2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# One mid-grey pixel (0.5, 0.5, 0.5) in each model's input convention:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
grey = np.full((8, 8, 3), 0.5, dtype="float32")
for name in WEIGHTS:
    batch = imagenet_preprocess(grey, name)
    print(f"{name:12s} input {batch.shape[1:]}, channels {[round(float(value), 2) for value in batch[0, 0, 0]]}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Loading the trained network
#
# `build_alexnet("paper", weights="bvlc")` builds the architecture and loads the file, after checking
# its published hash. Its first layer, `preprocess` (`ImageNetInput`), applies the input convention
# of section 2, so the model takes the kit's [0, 1] photos like every other model here.
# `find_weights` says where the file is, or in one line how to get it. Quick mode (`make test`) never
# downloads.

# %% slideshow={"slide_type": "-"}
weights_file = find_weights(WEIGHTS_NAME, download=not QUICK)
spec = WEIGHTS[WEIGHTS_NAME]
model = build_alexnet(spec.preset, weights=weights_file) if weights_file else None
print(spec.source if model else "The cells below that need the trained weights are skipped.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Figure 3, measured
#
# The paper noticed that the kernels of one GPU were largely colour-agnostic and those of the other
# colour-specific. `color_specificity` scores each kernel from 0 (the same pattern in R, G and B) to
# 1 (a pattern in one colour only); the BVLC model keeps the two towers, so the split can be measured.

# %% slideshow={"slide_type": "-"}
if model is not None:
    plot_first_layer_filters(model)

# %% slideshow={"slide_type": "subslide"}
if model is not None:
    scores = color_specificity(np.asarray(model.get_layer("conv1").kernel))
    groups = {f"tower {number}": kernels for number, kernels in enumerate(towers(model), start=1)}
    print(pd.DataFrame({tower: pd.Series(scores[kernels]).describe()[["count", "mean", "50%", "min", "max"]]
                        for tower, kernels in groups.items()}).round(2))  # fmt: skip
else:
    print("Skipped: needs the trained weights (section 3).")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. What it sees in photographs
#
# The top-5 classes for the photographs that ship with matplotlib and scikit-learn.

# %% slideshow={"slide_type": "-"}
photos = sample_photos(image_size=spec.input_size)
print(f"{len(imagenet_class_names())} class names shipped with the kit, e.g. {imagenet_class_names()[281]!r}")
if model is not None:
    probabilities = model.predict(np.stack(list(photos.values())), verbose=0)
    for photo, top5 in zip(photos, decode_predictions(probabilities, top=5)):
        print(f"{photo:13s}", "; ".join(f"{name} {probability:.2f}" for _, name, probability in top5))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Grad-CAM for the top class of one photo: where the evidence for that class lies.

# %% slideshow={"slide_type": "-"}
if model is not None:
    plot_grad_cam(model, photos["grace_hopper"], class_names=imagenet_class_names())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Figure 4: neighbours in fc7
#
# The paper's Figure 4 shows that images whose fc7 vectors are close are similar in meaning, not in
# pixels. Here: CIFAR-10 photographs (32 px, enlarged to the model's input) and their nearest
# neighbours by fc7.

# %% slideshow={"slide_type": "-"}
if model is not None:
    cifar = load_cifar10_photos(image_size=spec.input_size, batch_size=50, per_class=PHOTOS_PER_CLASS, validation_split=0.5)
    images, labels = map(np.concatenate, zip(*[(x.numpy(), y.numpy()) for x, y in cifar.validation]))
    features, _ = extract_features(model, images, layer_name="fc7")
    neighbours = nearest_neighbours(features, features, k=6)[:, 1:]  # the nearest is the photo itself
    same = np.mean(labels[neighbours] == labels[:, None])
    print(f"{len(images)} photos: {same:.0%} of their 5 nearest fc7 neighbours share their CIFAR-10 class (chance: about 10 %)")
    queries = np.arange(0, len(images), len(images) // 5)[:5]
    plot_nearest_neighbours(images[queries], images, neighbours[queries], labels[queries], labels, cifar.class_names)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# 1. How many parameters does torchvision's AlexNet have? Build the preset and count.

# %% slideshow={"slide_type": "-"}
check("torchvision_params", None)  # replace None with your answer

# %% [markdown] slideshow={"slide_type": "-"}
# 2. torchvision stores fc6's input channels first, for a pool5 of 256 channels × 6 × 6. Which Keras
#    row of fc6's kernel receives torchvision's column 36 (channel 1, row 0, column 0)?

# %% slideshow={"slide_type": "-"}
check("fc6_row_of_torch_column_36", None)  # replace None with your answer

# %% [markdown] slideshow={"slide_type": "-"}
# 3. (Open, with the weights.) Set `WEIGHTS_NAME = "torchvision"` and run the notebook again. Do the
#    top-5 classes of the three photos agree between the two models? Which has the more
#    colour-specific conv1 kernels on average?
# 4. (Open.) Load one of your own photos with `load_image(path, image_size=227)` and look at its
#    top-5 and Grad-CAM. Find a photo the network gets wrong and explain why from the heat map.
