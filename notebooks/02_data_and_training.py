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
# # 02 · Data and training
#
# AlexNet was trained on 1.2 million ImageNet photos for 90 epochs: six days on two GPUs. This notebook
# trains the same architecture, at a quarter of the width, on a dataset a laptop can handle, and goes
# through every step the paper describes:
#
# 1. a dataset that needs no download, loaded exactly like a folder of your own photos;
# 2. a baseline that shows the problem is not trivial;
# 3. the paper's data augmentation: random crops, flips and PCA colour shifts;
# 4. an estimate of the training time **before** training;
# 5. training with Keras `fit`, learning curves, a confusion matrix, 10-crop testing;
# 6. saving and reloading the trained model.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import PCAColorAugmentation, arrays_to_data, augment_data, build_alexnet, build_linear_classifier, check, estimate_training_time, evaluate, fit_pca_color, load_cifar10_photos, load_shapes, paper_augmentation, plot_augmentations, plot_confusion_matrix, plot_history, plot_images, setup_notebook, ten_crop_accuracy, train

import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: less data, fewer epochs
NUM_IMAGES = 2_000 if QUICK else 20_000
EPOCHS = 2 if QUICK else 15
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The shapes dataset
#
# Eight classes of shapes, each drawn with a random colour, size, rotation and position, on a random
# colour gradient, with clutter (lines and blobs) in other colours, striped or checked fills, and pixel
# noise. It is generated from a seed, so everyone gets the same images, and written to `data/` as one
# folder of PNG files per class: from then on it is loaded exactly like a folder of your own photos.

# %% slideshow={"slide_type": "-"}
start = time.perf_counter()
data = load_shapes(num_images=NUM_IMAGES, image_size=64, batch_size=128, seed=0)
print(f"{data.num_train:,} training and {data.num_validation:,} validation images, ready in {time.perf_counter() - start:.1f} s")

# %% slideshow={"slide_type": "subslide"}
# NBVAL_CHECK_OUTPUT
print("classes:", ", ".join(data.class_names))
print("image shape:", data.image_shape, "pixel values in [0, 1]")

# %% slideshow={"slide_type": "subslide"}
plot_images(data.train, class_names=data.class_names, columns=8, max_images=16)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Is this a real problem? A baseline
#
# If a linear model on raw pixels could solve it, a CNN would have nothing to show. **Logistic
# regression** (one dense softmax layer on the 64·64·3 = 12,288 pixel values) is the classic baseline:

# %% slideshow={"slide_type": "-"}
baseline = build_linear_classifier(len(data.class_names), data.image_shape)
baseline_history = train(baseline, data, epochs=2 if QUICK else 10, verbose=0)
print(f"logistic regression: {max(baseline_history.history['val_accuracy']):.1%} validation accuracy (chance: {1 / len(data.class_names):.1%})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Barely better than guessing. A shape can be any colour, anywhere, at any angle: no single pixel says
# "triangle". Recognising it takes what a CNN builds: local edge detectors, shared across positions,
# combined layer after layer into parts and then shapes.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Data augmentation, as in the paper
#
# AlexNet has 60 million parameters and ImageNet "only" 1.2 million images: without tricks it overfits.
# The paper's first trick (section 4.1) is to make more images out of each one, for free:
#
# - **random crops and flips**: train on random 224×224 patches of the 256×256 images, and their mirror
#   images. Here: random 56×56 patches of our 64×64 images (the same 7/8 ratio). At test time the
#   centre patch is used, or all "10 crops" (below).
# - **PCA colour augmentation**: shift the colour of every pixel of an image by the same random amount
#   along the principal components of the training set's RGB colours, so the network does not rely on
#   exact colours or lighting.

# %% slideshow={"slide_type": "-"}
pca = fit_pca_color(data.train, max_images=1000)
# extra code – the same fit on 1,000 real photos (CIFAR-10, shipped with the kit), for comparison
photo_pca = fit_pca_color(load_cifar10_photos(image_size=32, per_class=100).train, max_images=1000)
for name, fitted in (("shapes", pca), ("CIFAR-10 photos", photo_pca)):
    print(f"{name}: eigenvalues {np.round(fitted.eigenvalues, 4)}")
    print("  principal components (columns, R/G/B rows):\n", np.round(fitted.eigenvectors, 2))

# %% slideshow={"slide_type": "subslide"}
example = next(iter(data.train))[0][0].numpy()
crop_flip, crop_shape = paper_augmentation(data.image_shape, crop=True, flip=True)
plot_augmentations(example, crop_flip, count=7).suptitle("random 56×56 crops and flips")
plt.show()
strong_colour = PCAColorAugmentation(pca.eigenvalues, pca.eigenvectors, stddev=2.5)
plot_augmentations(example, strong_colour, count=7).suptitle("PCA colour shifts (alpha 25× the paper's 0.1, to make them visible)")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Compare the eigenvalues. On the photos the first is many times the others, and its component weighs
# red, green and blue about equally (its sign is arbitrary): **overall brightness**, the main way
# lighting changes a photo; the next trades red against blue, like a change of white balance. On the
# shapes, whose colours are drawn at random, the three eigenvalues are nearly equal: no colour direction
# dominates, so the components are arbitrary directions. The augmentation is the paper's idea for
# photos. We train with crops and flips; `augment_data(data, pca=pca)` would add the colour shifts
# (notebook 07 measures what each one brings).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
augmented = augment_data(data, crop=True, flip=True)
print("the model will see", augmented.image_shape, "patches of", data.image_shape, "images")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. How long will it take? Estimate first
#
# Before a long run, time a few training steps and multiply. `estimate_training_time` does that on a
# copy of the model, so nothing is trained yet.

# %% slideshow={"slide_type": "-"}
model = build_alexnet("mini", num_classes=len(data.class_names), input_shape=augmented.image_shape)
estimate = estimate_training_time(model, augmented, epochs=EPOCHS, steps=3 if QUICK else 8)
print(estimate)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same estimate for the full-size seed model at 224×224 on 60,000 images, the size of CIFAR-10 or
# Fashion-MNIST, shows why this notebook trains the mini model on a CPU:

# %% slideshow={"slide_type": "-"}
# extra code – 64 random 224x224 images are enough to time a few steps
seed_model = build_alexnet("seed", num_classes=10)
random_images = np.random.default_rng(0).integers(0, 256, size=(64, 224, 224, 3), dtype=np.uint8)
timing_data = arrays_to_data(random_images, np.arange(64) % 10, random_images[:8], np.arange(8), [str(i) for i in range(10)], batch_size=32)
print(estimate_training_time(seed_model, timing_data, epochs=90, steps=1 if QUICK else 2, images_per_epoch=60_000))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Training
#
# `train` compiles the model and calls Keras `fit`. The default recipe, `"adam"`, is a modern shortcut
# (Adam with a short warm-up and cosine decay) that converges in a few epochs; `recipe="paper"` is
# the 2012 recipe: SGD with momentum 0.9, weight decay 0.0005, learning rate 0.01 divided by 10 whenever
# the validation loss stops improving. It prints what it chose, then one line per epoch.

# %% slideshow={"slide_type": "-"}
start = time.perf_counter()
history = train(model, augmented, epochs=EPOCHS, verbose=2)
seconds = time.perf_counter() - start
best = max(history.history["val_accuracy"])
print(f"trained in {seconds:.0f} s ({seconds / EPOCHS:.1f} s per epoch; estimated {estimate.seconds_per_epoch:.1f} s); best validation accuracy {best:.1%}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The training and validation curves tell the story of the run: the loss falls fast once the conv layers
# find edges, and validation accuracy follows training accuracy closely, because augmentation and
# dropout keep the network from memorising the training images.

# %% slideshow={"slide_type": "-"}
plot_history(history)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. What does it get wrong?
#
# `evaluate` gives accuracy, top-5 accuracy (the paper's headline metric: is the right class among the
# five most likely?) and the confusion matrix: row = true class, column = prediction.

# %% slideshow={"slide_type": "-"}
result = evaluate(model, augmented.validation, data.class_names)
print(f"validation accuracy {result.accuracy:.1%}, top-5 {result.top5:.1%}")
plot_confusion_matrix(result.confusion, data.class_names)
plt.show()

# %% slideshow={"slide_type": "subslide"}
result.per_class_accuracy.sort_values().to_frame().T

# %% [markdown] slideshow={"slide_type": "subslide"}
# Some wrong answers, in red (true class, then the prediction):

# %% slideshow={"slide_type": "-"}
images, labels = next(iter(augmented.validation))
predictions = model.predict(images, verbose=0).argmax(axis=1)
wrong = np.flatnonzero(predictions != labels.numpy())[:8]
if len(wrong):
    plot_images(images.numpy()[wrong], labels.numpy()[wrong], data.class_names, predictions=predictions[wrong])
    plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **10-crop testing.** The paper did not classify a test image from one patch: it averaged the softmax
# over ten, the four corners and the centre and their mirror images. That costs 10 forward passes
# per image and usually buys a little accuracy:

# %% slideshow={"slide_type": "-"}
crops = ten_crop_accuracy(model, data.validation)
print(f"centre crop: {crops['centre_crop']:.1%}   10 crops: {crops['ten_crop']:.1%}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Save, reload, reuse
#
# A `.keras` file holds the architecture, the weights and the optimizer state. Every layer of the kit is
# a registered Keras layer (no `Lambda`), so the model loads with Keras's `safe_mode` on: reuse it in your
# own experiments without training again.

# %% slideshow={"slide_type": "-"}
os.makedirs("checkpoints", exist_ok=True)
model.save("checkpoints/mini_shapes.keras")
reloaded = keras.models.load_model("checkpoints/mini_shapes.keras", safe_mode=True)

# %% slideshow={"slide_type": "subslide"}
# NBVAL_CHECK_OUTPUT
same = np.array_equal(reloaded.predict(images, verbose=0).argmax(1), predictions)
print(f"{reloaded.name}: {reloaded.count_params():,} parameters; same predictions after reloading: {same}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Your own data, other datasets, a GPU
#
# Everything above works unchanged with other data. Put your photos in one folder per class and:
#
# ```python
# data = load_image_folder("../data/my_photos", image_size=64, batch_size=64, validation_split=0.2, seed=0)
# ```
#
# Grayscale, RGBA and palette images are converted to RGB; a file that is not a readable image stops the
# loader with its path. Online datasets download once through Keras (and say where to put the file when
# there is no network):
#
# ```python
# data = load_cifar10(image_size=64)       # 50,000 + 10,000 photos, 10 classes
# data = load_fashion_mnist(image_size=64) # d2l.ai's AlexNet dataset, as RGB
# data = load_tf_flowers(image_size=64)    # 3,670 flower photos, 5 classes
# ```
#
# On a GPU, train the full-size model the paper's way: 256-pixel images, 224 crops, the paper's recipe.
#
# ```python
# data = augment_data(load_image_folder("photos/", image_size=256, batch_size=128), crop=True, flip=True)
# model = build_alexnet("seed", num_classes=len(data.class_names), input_shape=data.image_shape)
# history = train(model, data, epochs=90, recipe="paper", checkpoint_path="checkpoints/seed.keras")
# ```

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Answer the checkable questions in the cell below first: `check` says right or wrong with a hint, never
# the answer. Worked solutions are in `solutions/02_data_and_training.md`.
#
# 1. How many training steps does one epoch of the full mode take (20,000 images, 20 % held out,
#    batches of 128)? And the crop size for 96×96 images with the paper's ratio?
# 2. Train without augmentation (`train(model, data, ...)` on the un-augmented `data`, with a model for
#    64×64 input). Compare the gap between training and validation accuracy.
# 3. Train with `recipe="paper"` for the same number of epochs. Which recipe is ahead after 5 epochs?
# 4. Which two classes does the confusion matrix mix up most? Look at some of those images: why?

# %% slideshow={"slide_type": "-"}
check("steps_per_epoch_full_mode", None)  # replace None with your answer
check("crop_size_96", None)  # replace None with your answer
