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
# # 03 · What AlexNet learned
#
# Section 6.1 of the paper opens the trained network: its first-layer kernels (Figure 3), split by GPU
# into colour-agnostic and colour-specific ones, and the images that the last hidden layer considers
# similar (Figure 4). This notebook does the same on a two-tower mini AlexNet trained on the shapes
# dataset, and adds the tools that came after 2012:
#
# 1. the conv1 kernels of each tower, and a number for how colourful each one is;
# 2. feature maps: what each layer computes for a shape and for real photographs;
# 3. filter patterns: the inputs that excite a channel most;
# 4. Grad-CAM and saliency (written out with `GradientTape`), SmoothGrad, integrated gradients and
#    occlusion: where in the image a decision comes from, and the sanity check that tells which of
#    these maps can be trusted;
# 5. fc7 space: nearest neighbours and a 2-D map;
# 6. interactive explorers to try all of it yourself.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import ConvArithmeticPlayground, FilterBrowser, LayerExplorer, activation_statistics, augment_data, build_alexnet, check, color_specificity, conv_kernels, embed_2d, extract_features, load_shapes, nearest_neighbours, plot_activation_walk, plot_embedding, plot_feature_maps, plot_filter_patterns, plot_first_layer_filters, grad_cam, plot_attributions, plot_grad_cam, plot_kernels, plot_nearest_neighbours, plot_randomization_check, randomization_check, saliency_map, sample_photos, setup_notebook, towers, train

import os

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: less data, fewer epochs
NUM_IMAGES = 2_000 if QUICK else 20_000
EPOCHS = 2 if QUICK else 10
CHECKPOINT = "checkpoints/mini_two_towers" + ("-quick" if QUICK else "") + ".keras"  # a quick run never stands in for a full one
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. A two-tower mini AlexNet
#
# The paper's network was split over two GPUs: conv2, conv4 and conv5 only see the feature maps of
# their own GPU. `groups=2` builds the same two towers. If this notebook has run before, the trained
# model is reloaded from `checkpoints/` (one file per mode); otherwise it is trained here (about 3 minutes on 2 cores).

# %% slideshow={"slide_type": "-"}
data = augment_data(load_shapes(num_images=NUM_IMAGES, image_size=64, batch_size=128), crop=True, flip=True)
if os.path.exists(CHECKPOINT):
    model = keras.models.load_model(CHECKPOINT, safe_mode=True)
    print(f"reloaded {CHECKPOINT}")
else:
    model = build_alexnet("mini", groups=2, num_classes=len(data.class_names), input_shape=data.image_shape)
    history = train(model, data, epochs=EPOCHS, verbose=2)
    os.makedirs("checkpoints", exist_ok=True)
    model.save(CHECKPOINT)
print(f"validation accuracy: {model.evaluate(data.validation, verbose=0)[1]:.1%}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The first layer: Figure 3, measured
#
# Each conv1 kernel is a small RGB image: it responds most where the input looks like it. Below, each
# kernel is scaled to the full colour range for display and titled with its **colour-specificity**:
# the share of the kernel that its own grey version does not explain, 0 for a kernel that only sees
# brightness, near 1 for one that contrasts colours (red against green, say).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
kernels = conv_kernels(model, "conv1")
split = towers(model, "conv1")
print(f"conv1: {kernels.shape[-1]} kernels of {kernels.shape[0]}x{kernels.shape[1]}x{kernels.shape[2]}; "
      f"towers of {' and '.join(str(len(t)) for t in split)} kernels (conv2 has groups={model.get_layer('conv2').groups})")

# %% slideshow={"slide_type": "subslide"}
plot_first_layer_filters(model, columns=12)
plt.show()

# %% slideshow={"slide_type": "subslide"}
scores = color_specificity(kernels)
untrained = color_specificity(conv_kernels(build_alexnet("mini", groups=2, num_classes=8, input_shape=data.image_shape), "conv1"))
for tower, indices in enumerate(split, start=1):
    print(f"tower {tower}: mean colour score {scores[indices].mean():.2f} (before training: {untrained[indices].mean():.2f})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# In the paper, the 48 kernels of GPU 1 came out largely colour-agnostic and the 48 of GPU 2 largely
# colour-specific, "independent of any particular random weight initialization". Compare the two
# towers above, and each with its untrained start. Random 5×5×3 kernels already score about 0.8:
# three independent random channels are mostly colour contrast, so a kernel has to *learn* to be grey.
# In the run saved in this notebook (ten epochs, a few minutes), the scores hardly move and neither
# tower specialises: 24 small kernels trained briefly on shapes stay close to their random start. The
# paper's claim is about 96 kernels of 11×11 trained for 90 epochs on 1.2 million photos. Measuring,
# and saying when a small-scale result differs, is the point: try the exercises below to push it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Deeper kernels see many input channels, not colours. Each row below is one conv2 filter, each column
# one of the conv1 maps it reads (of its own tower):

# %% slideshow={"slide_type": "-"}
plot_kernels(model, "conv2", filters=6, input_channels=8)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Feature maps: what each layer computes
#
# A feature map is one channel's output over the image. For a shape from the validation set, the
# strongest maps of every conv layer: edges and colour blobs in conv1, shape parts later, and by conv5
# (6×6 here) little that a person can read, but a lot that fc6–fc8 can.

# %% slideshow={"slide_type": "-"}
images, labels = next(iter(data.validation))
images, labels = images.numpy(), labels.numpy()
plot_activation_walk(model, images[0], per_layer=8)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The network never saw a photograph, yet its first layers are generic: edge and colour detectors work
# on any image. These photos ship with matplotlib and scikit-learn:

# %% slideshow={"slide_type": "-"}
photos = sample_photos(image_size=data.image_shape[:2])
fig, axes = plt.subplots(1, len(photos), figsize=(6, 2))
for ax, (name, photo) in zip(axes, photos.items()):
    ax.imshow(photo)
    ax.set_title(name, fontsize=9)
    ax.axis("off")
plt.show()
plot_feature_maps(model, "conv1", photos["grace_hopper"], top_k=16)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Sparsity.** After a ReLU, every negative value becomes exactly 0. A large share of zeros is what
# makes ReLU networks cheap and their features selective (notebook on ReLU measures it against tanh):

# %% slideshow={"slide_type": "-"}
activation_statistics(model, images[:64]).style.format({"mean": "{:.3f}", "sparsity": "{:.0%}", "units": "{:,}"})

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Filter patterns: what excites a channel
#
# Start from grey noise and change the *image*, by gradient ascent, to make one channel's mean activation
# as large as possible. The result shows what that channel looks for: oriented edges and colour
# contrasts in conv1, repeated textures and curves deeper.

# %% slideshow={"slide_type": "-"}
steps = 10 if QUICK else 40
for layer_name in ("conv1", "conv3", "conv5"):
    plot_filter_patterns(model, layer_name, channels=range(8), steps=steps)
    plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Where does the decision come from?
#
# **Grad-CAM** weights conv5's maps by how much the class score depends on each, and shows where the
# weighted maps are strong. **Gradient saliency** shows which pixels would change the class score most.
# A network that really recognises shapes should light up the shape, not the clutter around it.

# %% slideshow={"slide_type": "-"}
for index in range(3):
    plot_grad_cam(model, images[index], data.class_names)
    plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Both maps written out
#
# `plot_grad_cam` is a few lines of `tf.GradientTape`. Both maps differentiate the class **logit**
# (fc8 before its softmax, which would flatten the gradient of a confident prediction). Grad-CAM takes
# the gradient with respect to conv5's maps, saliency with respect to the pixels.

# %% slideshow={"slide_type": "-"}
image = images[:1]  # a batch of one
fc8 = model.get_layer("fc8")
conv5_and_features = keras.Model(model.input, [model.get_layer("conv5").output, fc8.input])

with tf.GradientTape() as tape:
    conv5_maps, features = conv5_and_features(image, training=False)
    logits = features @ fc8.kernel + fc8.bias
    class_index = int(tf.argmax(logits[0]))
    score = logits[0, class_index]
gradients = tape.gradient(score, conv5_maps)[0]  # how the score moves with each value of each map
channel_weights = tf.reduce_mean(gradients, axis=(0, 1))  # one weight per channel: its mean gradient
cam = tf.nn.relu(tf.reduce_sum(conv5_maps[0] * channel_weights, axis=-1))  # keep what raises the score
cam = tf.image.resize(cam[..., None], image.shape[1:3])[..., 0]
cam = cam / tf.reduce_max(cam)

pixels = tf.Variable(image)
with tf.GradientTape() as tape:
    score = (conv5_and_features(pixels, training=False)[1] @ fc8.kernel + fc8.bias)[0, class_index]
saliency = tf.reduce_max(tf.abs(tape.gradient(score, pixels)[0]), axis=-1)  # strongest colour channel
saliency = saliency / tf.reduce_max(saliency)

print(f"class {data.class_names[class_index]!r}: largest difference from the kit's grad_cam "
      f"{np.abs(cam - grad_cam(model, image[0])[0]).max():.1e}, from saliency_map {np.abs(saliency - saliency_map(model, image[0])[0]).max():.1e}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Three more ways to ask the same question
#
# - **SmoothGrad** (Smilkov et al., 2017): saliency averaged over 25 noisy copies of the image; the
#   pixel-to-pixel flicker of plain gradients averages out.
# - **Integrated gradients** (Sundararajan et al., 2017): gradients summed on the straight path from
#   a black image to this one, times the pixel's change; they add up to the logit's change.
# - **Occlusion** (Zeiler and Fergus, 2014): cover a square with the mean colour and measure how much
#   the class's probability drops. No gradients: it shows what the network uses, but coarsely.

# %% slideshow={"slide_type": "-"}
plot_attributions(model, images[0], data.class_names)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Can a heat map be trusted? The randomization check
#
# Adebayo et al. (2018) asked whether a map explains the *network* or merely shows the *image*. Replace
# the trained weights by random ones, layer by layer from fc8 down, and recompute each map for the same
# class. A map that explains what the network learned must change once the weights it depends on are
# gone; a map that stays alike (high rank correlation ρ with the trained map) would look the same for
# an untrained network, so it cannot be evidence of what this one learned.

# %% slideshow={"slide_type": "-"}
table, maps = randomization_check(model, images[0], methods=("grad_cam", "saliency", "smoothgrad", "integrated_gradients", "occlusion"))
table.round(2)

# %% slideshow={"slide_type": "-"}
plot_randomization_check(table, maps)
plt.show()

# %% slideshow={"slide_type": "-"}
fully_random = table.iloc[-1]
for method, rho in fully_random.items():
    verdict = "still alike: shows the image more than the model" if rho > 0.5 else "changed: depends on the learned weights"
    print(f"{method:>20}: rank correlation with all weights random {rho:+.2f} ({verdict})")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. fc7: the network's description of an image
#
# The paper's Figure 4 takes the 4,096 numbers of the last hidden layer as a description of an image,
# and shows, for test images, the training images with the nearest descriptions. They are of the same
# class, yet often far apart in pixels (other poses, other colours): fc7 encodes *what*, not *how it
# looks*. Here with 1,024 numbers per image and the training set's centre crops as references:

# %% slideshow={"slide_type": "-"}
centre = keras.layers.CenterCrop(*data.image_shape[:2])
reference_images, reference_labels = [], []
for batch_images, batch_labels in load_shapes(num_images=NUM_IMAGES, image_size=64, batch_size=128).train.take(8 if QUICK else 16):
    reference_images.append(centre(batch_images).numpy())
    reference_labels.append(batch_labels.numpy())
reference_images, reference_labels = np.concatenate(reference_images), np.concatenate(reference_labels)
reference_features, _ = extract_features(model, reference_images, "fc7")
query_features, _ = extract_features(model, images[:4], "fc7")
neighbours = nearest_neighbours(query_features, reference_features, k=6)
plot_nearest_neighbours(images[:4], reference_images, neighbours, labels[:4], reference_labels, data.class_names)
plt.show()

# %% slideshow={"slide_type": "subslide"}
# NBVAL_CHECK_OUTPUT
print(f"fc7 describes each image with {reference_features.shape[1]} numbers; neighbours per query: {neighbours.shape[1]}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# A map of the whole space: project the fc7 codes of validation images to two dimensions, with PCA
# (the two directions of largest variance) and with t-SNE (which keeps neighbours together). Look for
# classes that gather in a region of their own, and for classes that overlap. fc8 is a single dense
# layer on top of fc7: it can only draw straight boundaries, so how well the classes separate in fc7 is
# what the model's validation accuracy measures. A 2-D map loses most of fc7's dimensions, so classes
# that overlap here may still be apart in fc7 itself.

# %% slideshow={"slide_type": "-"}
codes, code_labels = extract_features(model, data.validation.take(4 if QUICK else 8), "fc7")
fig_pca = plot_embedding(embed_2d(codes, "pca"), code_labels, data.class_names, title="fc7 codes, PCA")
fig_tsne = plot_embedding(embed_2d(codes, "tsne"), code_labels, data.class_names, title="fc7 codes, t-SNE")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Explore it yourself
#
# Three explorers, built from the same functions as the figures above. They need a running kernel:
# move the sliders and pick layers.
#
# **Conv arithmetic playground.** It starts at the paper's conv1 on a 224×224 input. Move the input
# size to 227, then try the seed's conv2 (27, 5, stride 1, padding 2).

# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
ConvArithmeticPlayground()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Layer explorer**: an image, a layer, and either its strongest channels or a range of them.

# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
LayerExplorer(model, {"validation shape": images[0], **photos}, count=8)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Filter browser**: the kernels of any conv layer.

# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
FilterBrowser(model)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Answer the checkable questions in the cell below first: `check` says right or wrong with a hint, never
# the answer. Worked solutions are in `solutions/03_what_alexnet_learned.md`.
#
# 1. How long is the fc7 feature vector in which the mini model's nearest neighbours are searched?
# 2. Delete `checkpoints/mini_two_towers.keras`, set `EPOCHS = 30` and add PCA colour augmentation
#    (`augment_data(..., pca=fit_pca_color(...))`). Do the towers' colour scores move apart now?
# 3. Pick a misclassified validation image and look at its Grad-CAM. Does the network look at the shape?
# 4. In the t-SNE map, which classes sit next to each other? Does that match the confusion matrix of
#    notebook 02?

# %% slideshow={"slide_type": "-"}
check("mini_fc7_features", None)  # replace None with your answer
