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
# trains the same eight-layer topology, set up for 32-pixel photos (section 5), on real photographs a
# laptop can handle (CIFAR-10, shipped with the kit), and goes through every step the paper describes:
#
# 1. a dataset of real photos that needs no download;
# 2. a baseline that shows the problem is not trivial;
# 3. the paper's data augmentation (random crops, flips, PCA colour shifts), and how crops are done on
#    32-pixel images;
# 4. an estimate of the training time **before** training;
# 5. training with Keras `fit`, learning curves, a confusion matrix, 10-crop testing;
# 6. saving and reloading the trained model.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import PCAColorAugmentation, arrays_to_data, augment_data, build_alexnet, build_linear_classifier, check, estimate_training_time, evaluate, fit_pca_color, load_cifar10_photos, paper_augmentation, plot_augmentations, plot_confusion_matrix, plot_history, plot_images, setup_notebook, ten_crop_accuracy, train

import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: less data, fewer epochs
PER_CLASS = 100 if QUICK else 5_000  # CIFAR-10 photos per class; 10 % of them held out for validation
TRAINING_MINUTES = 6  # the full mode trains as many epochs as fit in 6 minutes on this machine (section 4)
EPOCHS = None  # or a number: the same run, and the same numbers, whatever the machine's speed
PAD = 4  # pad-and-crop: shift each training photo by up to 4 pixels
PAD_MODE = "reflect"  # fill the border with the photo's mirror image, not black
# the mini AlexNet's settings for 32-pixel photos (section 5)
KNOBS = dict(
    filters=(32, 64, 128, 128, 128), width=1.0, fc_units=1024, conv1_kernel=3, conv1_stride=1, conv2_kernel=3,
    pooling="plain", normalized=("conv1", "conv2", "conv3", "conv4", "conv5"), dropout=0.0,
)
LEARNING_RATE = 2e-3
LABEL_SMOOTHING = 0.1
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Real photographs: CIFAR-10
#
# CIFAR-10 (Krizhevsky 2009, the dataset of the paper's Figure 1) has ten classes of 32×32 colour
# photos: 5,000 per class for training. The kit ships them in `data/` as JPEG files, so nothing is
# downloaded; 10 % of each class is held out for validation (the same photos for the same seed).

# %% slideshow={"slide_type": "-"}
start = time.perf_counter()
data = load_cifar10_photos(image_size=32, per_class=PER_CLASS, batch_size=128, validation_split=0.1, seed=0)
print(f"{data.num_train:,} training and {data.num_validation:,} validation photos, ready in {time.perf_counter() - start:.1f} s")

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
# regression** (one dense softmax layer on the 32·32·3 = 3,072 pixel values) is the classic baseline:

# %% slideshow={"slide_type": "-"}
baseline = build_linear_classifier(len(data.class_names), data.image_shape)
baseline_history = train(baseline, data, epochs=2 if QUICK else 10, verbose=0)
baseline_accuracy = max(baseline_history.history["val_accuracy"])
print(f"logistic regression: {baseline_accuracy:.1%} validation accuracy (chance: {1 / len(data.class_names):.1%})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# A linear model can only weigh each pixel: its weights for a class, drawn as an image, are one colour
# template that the photo is compared with (bright where that colour at that place votes for the class):

# %% slideshow={"slide_type": "-"}
# extra code – each class's 3,072 weights as a 32x32 colour image, stretched to the full range
weights = baseline.get_layer("logits").kernel.numpy().reshape(32, 32, 3, -1).transpose(3, 0, 1, 2)
low, high = weights.min(axis=(1, 2, 3), keepdims=True), weights.max(axis=(1, 2, 3), keepdims=True)
plot_images((weights - low) / (high - low), np.arange(len(data.class_names)), data.class_names, columns=10)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# In the full run most templates are speckled noise; a few hold a typical colour layout (a green blob
# for the frog, blue water below the ship, a car-shaped patch for the automobile). A template can hold
# a layout of colours, not a shape that moves: a cat can be any colour, anywhere, facing any way, and
# no single pixel says "cat". Recognising it takes what a CNN builds: local edge detectors, shared across
# positions, combined layer after layer into parts and then objects. Section 5 prints how far above
# this baseline the mini AlexNet gets.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Data augmentation, as in the paper
#
# AlexNet has 60 million parameters and ImageNet "only" 1.2 million images: without tricks it overfits.
# The paper's first trick (section 4.1) is to make more images out of each one, for free:
#
# - **random crops and flips**: train on random 224×224 patches of the 256×256 images, and their mirror
#   images; at test time the centre patch is used, or all "10 crops" (below). The same 7/8 ratio on
#   32-pixel photos would leave 28-pixel crops, below the default `mini` preset's smallest input (29
#   pixels, `build_alexnet` says so). The standard on CIFAR (Lee et al. 2014, then ResNet) keeps the
#   size instead: **pad-and-crop**, a 32×32 crop of the photo padded with 4 pixels on each side,
#   which shifts it by up to 4 pixels. `augment_data(data, crop=True, pad=4)` does that, each photo
#   shifted anew. The standard pads with black; we fill the border with the photo's mirror image
#   (`pad_mode="reflect"`), so a shifted photo has no black edge, which the photos it is tested on
#   never have.
# - **PCA colour augmentation**: shift the colour of every pixel of an image by the same random amount
#   along the principal components of the training set's RGB colours, so the network does not rely on
#   exact colours or lighting.

# %% slideshow={"slide_type": "-"}
pca = fit_pca_color(data.train, max_images=1000)
print(f"eigenvalues {np.round(pca.eigenvalues, 4)}")
print("principal components (columns, R/G/B rows):\n", np.round(pca.eigenvectors, 2))

# %% slideshow={"slide_type": "subslide"}
example = next(iter(data.train))[0][0].numpy()
shift_flip, _ = paper_augmentation(data.image_shape, crop=True, flip=True, pad=PAD, pad_mode=PAD_MODE)
plot_augmentations(example, shift_flip, count=7, title=f"pad-and-crop (shifts up to {PAD} px) and flips")
plt.show()
strong_colour = PCAColorAugmentation(pca.eigenvalues, pca.eigenvectors, stddev=2.5)
plot_augmentations(example, strong_colour, count=7, title="PCA colour shifts (alpha 25× the paper's 0.1, to make them visible)")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Compare the eigenvalues. The first is many times the others, and its component weighs red, green
# and blue about equally (its sign is arbitrary): **overall brightness**, the main way lighting
# changes a photo; the next ones trade colours against each other, like a change of white balance.
# At the paper's strength (alpha 0.1) the shifts are small: notebook 07 measures what they and the
# crops bring. We train with pad-and-crop and flips; `augment_data(data, pca=pca)` would add the
# colour shifts.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
augmented = augment_data(data, crop=True, flip=True, pad=PAD, pad_mode=PAD_MODE)
print("the model will see", augmented.image_shape, "crops of", data.image_shape, "photos padded to", (32 + 2 * PAD, 32 + 2 * PAD, 3))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. How long will it take? Estimate first
#
# Before a long run, time a few training steps and multiply. `estimate_training_time` does that on a
# copy of the model, so nothing is trained yet. Here the estimate also sets the length of the run: as
# many epochs as fit in `TRAINING_MINUTES` on this machine (one with bfloat16 instructions, which the
# Setup cell names, fits more: `make bench` measures how many more). The estimate varies a little from
# run to run, and so can the number of epochs: set `EPOCHS` to a number for runs that repeat exactly.

# %% slideshow={"slide_type": "-"}
model = build_alexnet("mini", num_classes=len(data.class_names), input_shape=augmented.image_shape, **KNOBS)
estimate = estimate_training_time(model, augmented, epochs=1, steps=3 if QUICK else 8)
print(estimate)
epochs_in_budget = max(1, int(TRAINING_MINUTES * 60 / estimate.seconds_per_epoch))
EPOCHS = 2 if QUICK else (EPOCHS or epochs_in_budget)
print(f"{TRAINING_MINUTES} minutes hold {epochs_in_budget} epochs of these photos here; this run trains {EPOCHS}")

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
#
# The settings in `KNOBS` suit 32-pixel photos; they were tuned for a 10-minute budget with
# `make bench` (see the README), which trains the same recipe for 10 minutes, while this notebook
# trains for `TRAINING_MINUTES`. **A 3×3 conv1 with stride 1**: the paper's 11×11 filters with
# stride 4 cut a 224-pixel photo to 55; on a 32-pixel photo conv1 keeps all 32 pixels. **Plain 2×2
# pooling** then halves them, 32 → 16 → 8 → 4, where the paper's overlapping 3×3 pooling gives 32 →
# 15 → 7 → 3 (notebook 06 compares the two). **Wider layers, a 3×3 conv2**: 32, 64, 128, 128 and 128
# filters in conv1–conv5 and 1,024 units in fc6 and fc7, where the mini preset has the paper's
# widths × 0.25 (24, 64, 96, 96, 64 and 1,024); conv2's 5×5 kernel becomes 3×3, a third of the work,
# and the time it saves pays for the wider layers. A wider model learns more per epoch but fits
# fewer epochs in the same minutes; in 10-minute `make bench` runs made while tuning the recipe,
# this balance ended highest of the widths and kernels tried (this notebook does not compare them).
# **BatchNorm after every conv layer** (`normalized`), not only conv1 and conv2: it keeps each
# layer's input at a steady scale, which is meant to let a short run go further. **Label smoothing
# 0.1**: the target gives 0.91 to the true class and 0.01 to each other, so the model is not pushed
# towards ever more confident outputs. **Mirror padding** (section 3): in the same tuning runs it
# ended a little higher than black padding, with the centre crop and with 10 crops; this notebook
# does not compare the two. **No dropout**: within the full mode's few minutes the fit matters most,
# and dropout, which fights overfitting, also slows the fit (exercise 5 measures what it does here;
# notebook 07 measures what it does against overfitting).

# %% slideshow={"slide_type": "-"}
start = time.perf_counter()
history = train(model, augmented, epochs=EPOCHS, learning_rate=LEARNING_RATE, label_smoothing=LABEL_SMOOTHING, verbose=2)
seconds = time.perf_counter() - start
best = max(history.history["val_accuracy"])
print(f"trained in {seconds:.0f} s ({seconds / EPOCHS:.1f} s per epoch; estimated {estimate.seconds_per_epoch:.1f} s)")
print(f"best validation accuracy {best:.1%}, last {history.history['val_accuracy'][-1]:.1%} (logistic regression: {baseline_accuracy:.1%})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The curves tell the story of the run. In the full run the first epoch's validation accuracy is far
# below the training accuracy (validation uses BatchNorm's moving averages, which still trail the
# weights) and catches up within a few epochs. Both then climb together, the validation accuracy
# with a dip or two midway; over the last epochs the validation accuracy levels off, several points
# below the training accuracy, which ends short of 100 %: the model has not memorised its training
# photos (the training accuracy is measured on shifted and flipped photos). The run stops where its schedule ends: the recipe's cosine decay
# brings the learning rate down to zero over the epochs it is given, so these curves do not say what
# a longer schedule would reach. Try it with a larger `EPOCHS`; `make bench` trains the same recipe
# for 10 minutes and prints where it ends.

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
# Some wrong answers, in red (true class, then the prediction), the first of each class:

# %% slideshow={"slide_type": "-"}
# extra code – all validation photos and predictions as arrays (the pipeline yields them class by class)
images, labels = (np.concatenate(parts) for parts in zip(*((x.numpy(), y.numpy()) for x, y in augmented.validation)))
predictions = model.predict(images, verbose=0).argmax(axis=1)
wrong = [index[0] for label in range(len(data.class_names)) if len(index := np.flatnonzero((labels == label) & (predictions != label)))]
plot_images(images[wrong], labels[wrong], data.class_names, predictions=predictions[wrong], columns=5)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **10-crop testing.** The paper did not classify a test image from one patch: it averaged the softmax
# over ten, the four corners and the centre and their mirror images. Here the corners are 32×32 crops
# of the photo padded by 4 pixels, the shifts the model saw in training. That costs 10 forward passes
# per image:

# %% slideshow={"slide_type": "-"}
crops = ten_crop_accuracy(model, data.validation, pad=PAD, pad_mode=PAD_MODE)  # crops of the padded photos, as in training
print(f"centre crop: {crops['centre_crop']:.1%}   10 crops: {crops['ten_crop']:.1%}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Save, reload, reuse
#
# A `.keras` file holds the architecture, the weights and the optimizer state. Every layer of the kit is
# a registered Keras layer (no `Lambda`), so the model loads with Keras's `safe_mode` on: reuse it in your
# own experiments without training again.

# %% slideshow={"slide_type": "-"}
os.makedirs("checkpoints", exist_ok=True)
checkpoint = "checkpoints/mini_cifar10" + ("-quick" if QUICK else "") + ".keras"  # a quick run never overwrites a full one
model.save(checkpoint)
reloaded = keras.models.load_model(checkpoint, safe_mode=True)

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
# A dataset that comes with its own validation or test set (`photos/train/<class>/...` beside
# `photos/test/<class>/...`, as on Kaggle and GitHub) loads without `validation_split`, and the kit's
# synthetic toy dataset (8 classes of shapes, generated from a seed) with `load_shapes()`. Grayscale, RGBA and palette images are converted to RGB; a file that is not a readable image stops the
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
# 1. How many training steps does one epoch of the full mode take (45,000 training photos, batches of
#    128)? And the paper's crop size (7/8) for 96×96 images?
# 2. Train a new model without augmentation (`train(model, data, ...)` on the un-augmented `data`).
#    Compare the gap between training and validation accuracy with the run above.
# 3. Train a new model with `recipe="paper"` (no `learning_rate`: the recipe's 0.01) for the same
#    number of epochs. Which recipe is ahead after 5 epochs, and at the end?
# 4. Which two classes does the confusion matrix mix up most? Look at some of those photos: why?
# 5. Train a new model with the paper's dropout (`KNOBS` with `dropout=0.5`) for the same epochs. Does
#    it end above or below the run above, and what happens to the gap between training and validation?

# %% slideshow={"slide_type": "-"}
check("steps_per_epoch_full_mode", None)  # replace None with your answer
check("crop_size_96", None)  # replace None with your answer
