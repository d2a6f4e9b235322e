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
# similar (Figure 4). This notebook does the same on a two-tower mini AlexNet trained on real
# photographs (CIFAR-10's 45,000 training photos at their own 32 px, shipped with the kit), and adds the
# tools that came after 2012:
#
# 1. the conv1 kernels of each tower, with a number for how colourful and one for how smooth each is;
# 2. feature maps: what each layer computes for a photo;
# 3. what excites a channel: the photo patches it responds to most, and the input that gradient
#    ascent builds for it, plain and with the regularizers that make it readable;
# 4. Grad-CAM and saliency (written out with `GradientTape`), SmoothGrad, integrated gradients and
#    occlusion: where in the image a decision comes from, and the sanity check that tells which of
#    these maps can be trusted;
# 5. fc7 space: the nearest neighbours of photos (Figure 4) and a 2-D map;
# 6. interactive explorers to try all of it yourself.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import READABLE_PATTERNS, ConvArithmeticPlayground, FilterBrowser, LayerExplorer, activation_statistics, augment_data, build_alexnet, check, color_specificity, conv_kernels, embed_2d, extract_features, load_cifar10_photos, low_frequency_share, nearest_neighbours, noise_low_frequency_share, plot_activation_walk, plot_embedding, plot_feature_maps, plot_filter_patterns, plot_first_layer_filters, grad_cam, plot_attributions, plot_grad_cam, plot_kernels, plot_nearest_neighbours, plot_randomization_check, plot_top_patches, randomization_check, receptive_window, saliency_map, sample_photos, setup_notebook, towers, train

import os

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: less data, fewer epochs
PER_CLASS = 60 if QUICK else 5_000  # CIFAR-10 photos per class (10 % held out for validation)
EPOCHS = 2 if QUICK else 8
CHECKPOINT = "checkpoints/mini_two_towers_photos" + ("-quick" if QUICK else "") + ".keras"  # a quick run never stands in for a full one
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. A two-tower mini AlexNet
#
# The paper's network was split over two GPUs: conv2, conv4 and conv5 only see the feature maps of
# their own GPU. `groups=2` builds the same two towers. The photos are flipped at random (a 7/8 crop of
# 32 px would be smaller than the mini model's smallest input). If this notebook has run before, the
# trained model is reloaded from `checkpoints/` (one file per mode); otherwise it is trained here (a few
# minutes on 2 cores; the log prints the seconds per epoch).

# %% slideshow={"slide_type": "-"}
data = augment_data(load_cifar10_photos(image_size=32, per_class=PER_CLASS, batch_size=128), crop=False, flip=True)
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
untrained_kernels = conv_kernels(build_alexnet("mini", groups=2, num_classes=len(data.class_names), input_shape=data.image_shape), "conv1")
scores, untrained = color_specificity(kernels), color_specificity(untrained_kernels)
smooth, untrained_smooth = low_frequency_share(kernels), low_frequency_share(untrained_kernels)
for tower, indices in enumerate(split, start=1):
    print(f"tower {tower}: mean colour score {scores[indices].mean():.2f} (before training: {untrained[indices].mean():.2f}); "
          f"low-frequency share {smooth[indices].mean():.2f} ± {smooth[indices].std():.2f} (before: {untrained_smooth[indices].mean():.2f})")
noise_share = noise_low_frequency_share(kernels.shape[:2])
print(f"white noise of {kernels.shape[0]}x{kernels.shape[1]} has a low-frequency share of {noise_share:.2f}")
# extra code – the paper's split as a number: the towers' difference against the spread within each tower
first, second = (scores[indices] for indices in split)
difference = first.mean() - second.mean()
standard_error = np.sqrt(first.var(ddof=1) / len(first) + second.var(ddof=1) / len(second))
print(f"colour score, tower 1 − tower 2: {difference:+.2f} ± {standard_error:.2f} (± its standard error): "
      + ("the towers differ" if abs(difference) > 2 * standard_error else "no difference beyond the spread within the towers"))
print(f"low-frequency share, all kernels − white noise: {smooth.mean() - noise_share:+.2f} ± {smooth.std(ddof=1) / np.sqrt(len(smooth)):.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Colour.** In the paper, the 48 kernels of GPU 1 came out largely colour-agnostic and the 48 of GPU 2
# largely colour-specific, "independent of any particular random weight initialization". Compare the two
# towers above, and each with its untrained start. Random 5×5×3 kernels already score about 0.8: three
# independent random channels are mostly colour contrast, so a kernel has to *learn* to be grey.
#
# **Structure.** The paper's kernels are smooth: oriented edges, gratings and colour blobs. A random
# kernel is white noise, its energy spread evenly over all spatial frequencies. The *low-frequency share*
# is the part of a kernel's energy at up to a quarter cycle per pixel: white noise has the share printed
# above, a smooth blob nearly 1. A trained layer whose share is well above noise's has learned spatial
# structure, whether or not the eye sees it in 5×5 pixels.
#
# **What reproduces here, and what does not.** The paper's split does not: in the full run the two
# towers' colour scores differ by no more than the spread within each tower (the line printed above),
# and both moved only a little from their random start, a little towards grey. What does show is some
# spatial structure: the kernels' low-frequency share is above white noise's by more than twice its
# standard error, though the figure shows no clean edges or gratings. The paper's kernels are 96 of 11×11
# trained for 90 epochs on 1.2 million 224-px photos; ours are 24 of 5×5 trained for minutes on 32-px
# photos, too few pixels for an 11-pixel edge detector and too little training for the towers to
# specialise. The split belongs to the trained ImageNet network (notebook 10 measures it on the
# paper's own weights, once they are downloaded). The exercises push it further.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Deeper kernels see many input channels, not colours. Each row below is one conv2 filter, each column
# one of the conv1 maps it reads (of its own tower):

# %% slideshow={"slide_type": "-"}
plot_kernels(model, "conv2", filters=6, input_channels=8)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Feature maps: what each layer computes
#
# A feature map is one channel's output over the image. For a photo from the validation set, the
# strongest maps of every conv layer: conv1's follow the photo's edges and colour regions at half its
# size; after two poolings conv3–conv5 are a few pixels wide here (the shapes in the titles), too coarse
# to show object parts to a person, but what fc6–fc8 classify from.

# %% slideshow={"slide_type": "-"}
# the validation photos are stored class by class: shuffle all of them once to see every class
images, labels = next(iter(data.validation.unbatch().shuffle(5_000, seed=1).batch(128)))
images, labels = images.numpy(), labels.numpy()
plot_activation_walk(model, images[0], per_layer=8)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# conv1's kernels apply to any image, not only CIFAR-10's: below, its strongest maps on a photo from
# elsewhere. These photos ship with matplotlib and scikit-learn (shrunk to the model's 32 px):

# %% slideshow={"slide_type": "-"}
photos = sample_photos(image_size=data.image_shape[:2])
fig, axes = plt.subplots(1, len(photos), figsize=(6, 2))
for ax, (name, photo) in zip(axes, photos.items()):
    ax.imshow(photo)
    ax.set_title(name, fontsize=10)
    ax.axis("off")
plt.show()
plot_feature_maps(model, "conv1", photos["grace_hopper"], top_k=16)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Sparsity.** After a ReLU, every negative value becomes exactly 0. A large share of zeros is what
# makes ReLU networks cheap and their features selective (notebook on ReLU measures it against tanh):

# %% slideshow={"slide_type": "-"}
activation_statistics(model, images[:64]).style.format({"mean": "{:.3f}", "sparsity": "{:.0%}", "saturated": "{:.0%}", "units": "{:,}"})

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. What excites a channel
#
# **The photos it responds to most** (Zeiler & Fergus, 2014): run every validation photo through the
# network, find where a channel's map is strongest, and cut out the part of the photo that position
# sees: its *receptive field*, which grows layer by layer (printed below). Deep channels respond to
# whole objects, often of one class.

# %% slideshow={"slide_type": "-"}
validation_photos = np.concatenate([batch.numpy() for batch, _ in data.validation])
for layer_name in ("conv2", "conv5"):
    rows, cols = model.get_layer(layer_name).output.shape[1:3]
    top, left, bottom, right = receptive_window(model, layer_name, rows // 2, cols // 2)
    print(f"{layer_name}: each position sees {bottom - top}x{right - left} of the {data.image_shape[0]}-px photo")
    plot_top_patches(model, validation_photos, layer_name, channels=range(4), k=6)
    plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Gradient ascent.** Start from grey noise and change the *image* to make one channel's mean
# activation as large as possible. Plain ascent finds high-frequency patterns that excite the channel
# but look like noise to us. Olah et al.'s regularizers (2017) keep only what survives small changes:
# a random shift and zoom at every step, a slight blur every few steps, and octaves (a small image
# first, then larger ones, so that coarse structure forms before detail). Same channels, both ways:

# %% slideshow={"slide_type": "-"}
steps, channels = (6, range(3)) if QUICK else (READABLE_PATTERNS["steps"], range(8))
for layer_name in ("conv3", "conv5"):
    plot_filter_patterns(model, layer_name, channels=channels, steps=steps)
    plt.show()
    plot_filter_patterns(model, layer_name, channels=channels, **{**READABLE_PATTERNS, "steps": steps})
    plt.suptitle(f"{layer_name}, regularized: jitter, zoom, blur and octaves", fontsize=12)
    plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Where does the decision come from?
#
# **Grad-CAM** weights conv5's maps by how much the class score depends on each, and shows where the
# weighted maps are strong. **Gradient saliency** shows which pixels would change the class score most.
# A network that really recognises objects should light up the object, not the background around it.

# %% slideshow={"slide_type": "-"}
for index in range(3):
    plot_grad_cam(model, images[index], data.class_names)
    plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Look at where the maps peak before believing them. conv5 is 3×3 here, so Grad-CAM is nine values
# stretched over the photo, coarse enough to cover object and background alike: check in each figure
# whether the map sits on the object, and whether the class in its title is right (the second photo
# is a dog). Saliency is a speckle over the whole photo. A heat map is a hint to check, not
# proof of what the network looks at: the sanity check below asks which maps depend on the network at
# all.

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

def float32(values):  # extra code – under mixed precision the layers compute in 16 bits, fc8's kernel is float32
    return tf.cast(values, "float32")


with tf.GradientTape() as tape:
    conv5_maps, features = conv5_and_features(image, training=False)
    logits = float32(features) @ fc8.kernel + fc8.bias
    class_index = int(tf.argmax(logits[0]))
    score = logits[0, class_index]
gradients = float32(tape.gradient(score, conv5_maps)[0])  # how the score moves with each value of each map
channel_weights = tf.reduce_mean(gradients, axis=(0, 1))  # one weight per channel: its mean gradient
cam = tf.nn.relu(tf.reduce_sum(float32(conv5_maps[0]) * channel_weights, axis=-1))  # keep what raises the score
cam = tf.image.resize(cam[..., None], image.shape[1:3])[..., 0]
cam = cam / tf.reduce_max(cam)

pixels = tf.Variable(image)
with tf.GradientTape() as tape:
    score = (float32(conv5_and_features(pixels, training=False)[1]) @ fc8.kernel + fc8.bias)[0, class_index]
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
methods = ("grad_cam", "saliency") if QUICK else ("grad_cam", "saliency", "smoothgrad", "integrated_gradients", "occlusion")
table, maps = randomization_check(model, images[0], methods=methods)
table.round(2)

# %% slideshow={"slide_type": "-"}
plot_randomization_check(table, maps)
plt.show()

# %% slideshow={"slide_type": "-"}
# One photo's ρ is one draw: the same check on more photos, and the spread of ρ over them.
checked = images[:2] if QUICK else images[:8]
fully_random = np.array([table.iloc[-1].to_numpy()] + [randomization_check(model, photo, methods=methods)[0].iloc[-1].to_numpy() for photo in checked[1:]])
for method, rhos in zip(methods, fully_random.T):
    valid = rhos[~np.isnan(rhos)]
    empty = f", {len(rhos) - len(valid)} empty map{'s' if len(rhos) - len(valid) > 1 else ''} (nothing to rank)" if len(valid) < len(rhos) else ""
    if len(valid) == 0:
        print(f"{method:>20}: every map empty with all weights random: no verdict")
        continue
    verdict = "still alike: shows the image more than the model" if valid.mean() > 0.5 else "changed: depends on the learned weights"
    print(f"{method:>20}: ρ with all weights random {valid.mean():+.2f} ± {valid.std():.2f} over {len(valid)} photos{empty} ({verdict})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Read the spread with each mean: in the full run Grad-CAM's ρ scatters widely from photo to photo,
# and a map that goes empty when the weights are random has no ρ at all, so one photo's value could
# have said either. SmoothGrad's maps stay alike with every weight random: averaged gradients mostly
# trace the photo's own edges. A map that changes passes this check, which is necessary, not
# sufficient: it depends on the weights, but may still not show what a person would call the reason.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. fc7: the network's description of an image
#
# The paper's Figure 4 takes the 4,096 numbers of the last hidden layer as a description of an image,
# and shows, for test images, the training images with the nearest descriptions. In the paper they are
# of the same class, yet often far apart in pixels (other poses, other colours): fc7 encodes *what*,
# not *how it looks*. Here with the mini model's fc7 and training photos as references:

# %% slideshow={"slide_type": "-"}
reference_images, reference_labels = [], []
for batch_images, batch_labels in data.train.take(4 if QUICK else 24):
    reference_images.append(batch_images.numpy())
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
# Four queries are anecdotes. Over many validation photos: how many of each photo's six nearest
# training photos share its class, with neighbours found in fc7 and, for comparison, in the pixels
# themselves (the nearest photos in colour and layout)?

# %% slideshow={"slide_type": "-"}
queries, query_labels = (array.numpy() for array in next(iter(data.validation.unbatch().shuffle(5_000, seed=2).batch(100 if QUICK else 500))))
by_fc7 = nearest_neighbours(extract_features(model, queries, "fc7")[0], reference_features, k=6)
by_pixels = nearest_neighbours(queries.reshape(len(queries), -1), reference_images.reshape(len(reference_images), -1), k=6)
for space, found in (("fc7", by_fc7), ("pixels", by_pixels)):
    same = reference_labels[found] == query_labels[:, None]
    per_photo = same.mean(axis=1)
    print(f"neighbours in {space:>6}: {same.mean():.0%} of the same class (± {per_photo.std() / np.sqrt(len(per_photo)):.0%}), "
          f"{len(queries)} photos × 6 neighbours among {len(reference_images):,}; chance {1 / len(data.class_names):.0%}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# That is the paper's Figure 4, measured: in the full run fc7's neighbours share the photo's class
# more than twice as often as its nearest photos in pixels do. Similar colour and layout say something
# about the class (the pixel neighbours beat chance), but far less than fc7 does: fc7 encodes *what*,
# more than *how it looks*.

# %% [markdown] slideshow={"slide_type": "subslide"}
# A map of the whole space: project the fc7 codes of validation images to two dimensions, with PCA
# (the two directions of largest variance) and with t-SNE (which keeps neighbours together). Look for
# classes that gather in a region of their own, and for classes that overlap. fc8 is a single dense
# layer on top of fc7: it can only draw straight boundaries, so how well the classes separate in fc7 is
# what the model's validation accuracy measures. A 2-D map loses most of fc7's dimensions, so classes
# that overlap here may still be apart in fc7 itself.

# %% slideshow={"slide_type": "-"}
every_class = data.validation.unbatch().shuffle(5_000, seed=1).batch(128)  # stored class by class
codes, code_labels = extract_features(model, every_class.take(4 if QUICK else 8), "fc7")
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
LayerExplorer(model, {"validation photo": images[0], **photos}, count=8)

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
# 2. Delete `checkpoints/mini_two_towers_photos.keras`, set `EPOCHS = 30` and add PCA colour augmentation
#    (`augment_data(..., pca=fit_pca_color(...))`). Do the towers' colour scores move apart now? Does the
#    low-frequency share of conv1 rise further?
# 3. Pick a misclassified validation photo and look at its Grad-CAM. Does the network look at the object?
# 4. In the t-SNE map, which classes sit next to each other? Does that match this model's confusion
#    matrix? (`from alexnet_edu import evaluate`, then `evaluate(model, data.validation,
#    data.class_names).confusion`.)

# %% slideshow={"slide_type": "-"}
check("mini_fc7_features", None)  # replace None with your answer
