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
# # 13 · Why won't my AlexNet learn?
#
# The most common question in AlexNet repositories: *"my loss is stuck at 2.30 (or 6.91) and the
# accuracy stays at chance"*. A network that does not learn rarely says why. This notebook teaches the
# five sanity checks practitioners run before a long training run (Karpathy's "A Recipe for Training
# Neural Networks"; CS231n, "Babysitting the learning process"):
#
# 1. the **initial loss** is ln C, 2. the network can **overfit one small batch**, 3. a
# **learning-rate range test** shows where the rate is useful, 4. the **gradient reaches every layer**,
# 5. **ReLU units do not die** during training,
#
# then applies them to a healthy model and to five known faults, switched on one at a time, and reads
# each fault from the checks' outputs.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import best_learning_rate, build_alexnet, check, dead_units, diagnose, diagnosis_table, gradient_norms, initial_loss, learning_rate_range, load_cifar10_photos, overfit_batch, plot_diagnoses, setup_notebook, train, with_shuffled_labels

import math
import os

import keras
import matplotlib.pyplot as plt
from keras import layers

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: less data, fewer steps
PER_CLASS = 50 if QUICK else 500  # CIFAR-10 photos per class; 10 % are held out for validation
IMAGE_SIZE = 32  # CIFAR-10's own resolution
EPOCHS = 1 if QUICK else 5  # the short training run of each diagnosis
OVERFIT_STEPS = 10 if QUICK else 100
RANGE_STEPS = 15 if QUICK else 200
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The healthy model, and the five checks one by one
#
# The mini AlexNet (BatchNorm after conv1 and conv2, Keras's default Glorot initialisation) on
# CIFAR-10 photos at 32 px, trained with Adam at 10⁻³: the kit's default recipe.

# %% slideshow={"slide_type": "-"}
data = load_cifar10_photos(image_size=IMAGE_SIZE, per_class=PER_CLASS)


def healthy():
    return build_alexnet("mini", input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3))


model = healthy()
print(f"{data.num_train:,} training and {data.num_validation:,} validation photos")

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print(f"{model.name}: {model.count_params():,} parameters, input {model.input_shape[1:]}, {len(data.class_names)} classes")
print(f"ln C = ln {len(data.class_names)} = {math.log(len(data.class_names)):.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Check 1: the initial loss
#
# Before training, a network knows nothing, so it should spread its probability evenly: 1/C per
# class, a cross-entropy of −ln(1/C) = **ln C** (2.30 for 10 classes, 6.91 for ImageNet's 1,000).
# A loss well *above* ln C means the untrained network is confidently wrong: its logits are already
# large (weights initialised too large, inputs not scaled). `initial_loss` measures it in inference
# mode, as a prediction runs.

# %% slideshow={"slide_type": "-"}
loss, expected = initial_loss(model, data)
print(f"initial loss {loss:.3f}, ln C {expected:.3f}: {loss / expected - 1:+.1%}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Check 2: overfit one batch
#
# A network that can learn at all can learn 32 images by heart when it sees the same 32 every step.
# If the training loss on that one batch does not fall towards zero, the fault is in the model or the
# optimiser, whatever the data: no need to train for hours to find out. (`overfit_batch` takes 32
# validation photos, the classes in turn, so every call trains on the same batch.)

# %% slideshow={"slide_type": "-"}
curve = overfit_batch(healthy(), data, steps=OVERFIT_STEPS, batch_size=32, learning_rate=1e-3)
reached = curve.index[curve["accuracy"] == 1.0]
print(f"loss {curve['loss'].iloc[0]:.2f} → {curve['loss'].iloc[-1]:.4f}; the batch is learned by heart "
      + (f"from step {reached[0]}" if len(reached) else f"at no step of {len(curve)}"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Check 3: the learning-rate range test
#
# Leslie Smith's test (2017): train on successive batches while the learning rate grows by the same
# factor every step, from 10⁻⁵ to 1, and watch the (smoothed) loss. Too small a rate changes nothing,
# useful rates make the loss fall, too large ones undo it: the loss climbs back to ln C, or far above
# it (compare the curve below with section 2's range tests). The bottom of the curve is the
# largest rate that still helps; training usually runs a few times below it (dashed: our 10⁻³). The
# bottom moves from run to run (the diagnosis in section 2 runs the same test on a fresh copy of this
# model): read it to within a factor of a few, not to two digits.

# %% slideshow={"slide_type": "-"}
lr_curve = learning_rate_range(healthy(), data, steps=RANGE_STEPS)
best = best_learning_rate(lr_curve)
print(f"{len(lr_curve)} steps; lowest smoothed loss at learning rate {best:.1e}" if best else "no rate lowers the loss")

# %% slideshow={"slide_type": "-"}
# extra code – the range test's curve
figure, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(lr_curve["learning_rate"], lr_curve["loss"], color="0.75", label="loss of each batch")
ax.plot(lr_curve["learning_rate"], lr_curve["smoothed"], color="C0", label="smoothed")
ax.axvline(1e-3, color="C1", linestyle="--", label="the rate we train with (10⁻³)")
ax.set(xscale="log", xlabel="learning rate", ylabel="training loss", ylim=(0, 2 * expected), title="Learning-rate range test, healthy model")
ax.legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Checks 4 and 5: the gradient per layer, and dead ReLUs
#
# `gradient_norms` (from notebook 04) shows how much of the loss's gradient reaches each layer in a
# training step, relative to the size of its weights: a layer whose ratio is a thousand times below
# the others barely learns. `dead_units` counts, per layer, the ReLU channels (conv) or units (dense) that output
# 0 for *every* image of a batch: they pass no gradient and never recover. Some start dead: fc6 and fc7
# see only non-negative inputs (the ReLUs before them), so a unit whose weights sum negative is off for
# every image. What matters is how many training kills; `diagnose` compares before and after.

# %% slideshow={"slide_type": "-"}
images, labels = next(iter(data.validation.unbatch().shuffle(1_000, seed=0).batch(256)))  # every class
layer_report = gradient_norms(model, images.numpy(), labels.numpy())[["ratio"]]
layer_report["dead (untrained)"] = dead_units(model, images.numpy())
layer_report.style.format({"ratio": "{:.1e}", "dead (untrained)": "{:.0%}"}, na_rep="no ReLU")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Five faults, switched on one at a time
#
# Each is a classic way an AlexNet fails to learn. `diagnose` runs all five checks on fresh models from
# the builder (same seed) and adds a short training run, whose best validation accuracy is the *learns*
# column; the data and everything else stay as above.
#
# | fault | what goes wrong |
# |---|---|
# | the paper's initialisation, SGD 0.01 | weights N(0, 0.01) and biases 1 (section 5 of the paper): the signal shrinks at every layer, so the output ignores the image |
# | no normalization, Glorot init, SGD 0.01 | Glorot's init is made for tanh: with ReLU each layer roughly halves the signal's variance, and without BatchNorm or LRN nothing restores it; plain SGD barely moves |
# | learning rate too high (Adam 0.05) | each step overshoots; ReLU units pushed below zero for every input die |
# | pixels 0–255 | a pipeline that forgot to divide by 255: inputs 255 times too large |
# | labels shuffled | images and labels out of step (read in different orders): nothing to learn that generalizes |

# %% slideshow={"slide_type": "-"}
def mini(**knobs):
    return lambda: build_alexnet("mini", input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3), **knobs)


def pixels_0_255():
    # extra code – the fault: multiply by 255 in front of the healthy model. The kit's loaders scale
    # to [0, 1] and its functions refuse 0-255 floats, so the fault must live inside the model.
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3), name="image")
    x = layers.Rescaling(255.0, name="times_255")(inputs)
    for layer in healthy().layers[1:]:
        x = layer.__class__.from_config(layer.get_config())(x)
    return keras.Model(inputs, x, name="pixels_0_255")


SETUPS = {
    "healthy": dict(build=healthy, learning_rate=1e-3, recipe="adam"),
    "paper init, SGD 0.01": dict(build=mini(initializer="paper", normalization="lrn"), learning_rate=0.01, recipe="sgd"),
    "no norm, Glorot, SGD 0.01": dict(build=mini(normalization="none"), learning_rate=0.01, recipe="sgd"),
    "learning rate too high": dict(build=healthy, learning_rate=0.05, recipe="adam"),
    "pixels 0-255": dict(build=pixels_0_255, learning_rate=1e-3, recipe="adam"),
    "labels shuffled": dict(build=healthy, learning_rate=1e-3, recipe="adam", data=with_shuffled_labels(data)),
}
diagnoses = {}
for name, setup in SETUPS.items():
    diagnoses[name] = diagnose(
        setup["build"], setup.get("data", data), learning_rate=setup["learning_rate"], recipe=setup["recipe"],
        epochs=EPOCHS, name=name, overfit_steps=OVERFIT_STEPS, range_steps=RANGE_STEPS,
    )
    print(f"{name}: done")

# %% slideshow={"slide_type": "slide"}
diagnosis_table(diagnoses)

# %% slideshow={"slide_type": "slide"}
plot_diagnoses(diagnoses)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Reading each fault from the checks
#
# Each fault leaves its own pattern of failed checks: its *signature*. Below, for every fault, the
# checks we expect it to fail and why; the cell after it prints which ones it failed in this run.
#
# - **Paper init, SGD 0.01.** With weights N(0, 0.01) each conv layer multiplies the signal's size by
#   about 0.01 × √(fan-in) ≈ 0.1, so by conv3 the image is gone and the biases of 1 decide the output:
#   the gradient does not reach conv1–conv2 (*weakest gradient*), the batch cannot be memorised
#   (*overfit*), no rate helps (*learning rate*), and it stays at chance (*learns*). Its short run also
#   leaves a whole layer of ReLUs dead (*dead ReLUs*), which the signature does not require. The paper
#   trained this way for days on ImageNet; modern code uses Glorot or He init instead.
# - **No normalization, Glorot, SGD 0.01.** Glorot's init is made for tanh; with ReLU each layer halves
#   the signal's variance, and without BatchNorm nothing restores it: plain SGD at 0.01 crawls. It
#   cannot memorise one batch (*overfit*) and the range test finds no rate that lowers the loss within
#   its steps (*learning rate*). Its gradient reaches every layer about evenly, so the *weakest
#   gradient* check, which compares a model's layers with each other, passes; the gradient panel
#   shows what is wrong: every layer's ratio sits far below the healthy model's, so each SGD step
#   moves the weights very little. Over the five epochs it learns a little, slowly (its *learns*
#   column against the healthy model's: one seed, a hint rather than a measurement). He init (or
#   BatchNorm, or Adam) is the fix: exercise 3.
# - **Learning rate too high.** The range test puts the rate above its best (*learning rate*); the
#   steps kill most ReLUs of a layer (*dead ReLUs*), so even one batch cannot be memorised (*overfit*),
#   and validation stays at chance (*learns*).
# - **Pixels 0–255.** The untrained network's logits are far too large: the *initial loss* is
#   above ln C before any training. Whether training copes depends on what follows conv1: here
#   BatchNorm, which divides conv1's output by its spread whatever the input's scale. In the full
#   run this model ended its five epochs with about the healthy model's training accuracy and a
#   much higher validation accuracy (the table below; one seed each: over so few epochs the
#   healthy model's validation accuracy trails its training accuracy, for a reason the end of this
#   section measures). So this fault shows only in the initial loss: a model that copes is no
#   proof that the pipeline is right.
# - **Labels shuffled.** The network itself is fine (it memorises a batch of correctly labelled images),
#   but there is nothing to learn from the training set: no rate lowers the training loss (*learning
#   rate*) and validation stays at chance (*learns*).

# %% slideshow={"slide_type": "subslide"}
SIGNATURES = {
    "paper init, SGD 0.01": {"weakest gradient", "overfit one batch", "learning rate", "learns"},
    "no norm, Glorot, SGD 0.01": {"overfit one batch", "learning rate"},
    "learning rate too high": {"learning rate", "dead ReLUs", "learns"},
    "pixels 0-255": {"initial loss"},
    "labels shuffled": {"learning rate", "learns"},
}
for name, expected_failures in SIGNATURES.items():
    checks = diagnoses[name].checks()
    failed = set(checks.index[~checks["ok"].astype(bool)])
    seen = "all seen" if expected_failures <= failed else f"missing: {', '.join(sorted(expected_failures - failed))}"
    print(f"{name:28} fails {', '.join(c for c in checks.index if c in failed) or 'nothing'}  ({seen})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The short runs side by side: training against validation accuracy. With shuffled labels there is
# nothing to learn that carries over to new photos: validation stays at chance, and in five epochs the
# training accuracy barely leaves it too (learning them by heart takes far longer). Five epochs are a
# check, not a training run: notebook 02 trains a wider variant of this model for minutes.

# %% slideshow={"slide_type": "-"}
for name in SETUPS:
    history = diagnoses[name].history
    print(f"{name:26} training accuracy {history['accuracy'].iloc[-1]:.0%}, validation {history['val_accuracy'].iloc[-1]:.0%} "
          f"after {len(history)} epoch{'s' if len(history) > 1 else ''}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Why a healthy model can validate far below its training accuracy.** Part of it is a small model on
# a few thousand photos. Part is BatchNorm: in training it normalises each batch with the batch's own
# statistics, but validation uses moving averages of them (each step moves them 1 %, Keras's momentum
# 0.99), which trail the weights while these still change fast. To see how much, train the healthy
# model again for the same epochs, then recompute the averages over the training photos with the final
# weights (a plain mean over the batches) and validate again:

# %% slideshow={"slide_type": "-"}
keras.utils.set_random_seed(42)
model = healthy()
train(model, data, epochs=EPOCHS, learning_rate=1e-3, verbose=0)
trailing = model.evaluate(data.validation, verbose=0, return_dict=True)["accuracy"]
# extra code – BatchNorm's averages recomputed with the final weights: momentum k / (k + 1) at batch k is a plain mean
norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
for step, (images, _) in enumerate(data.train):
    for layer in norms:
        layer.momentum = step / (step + 1)
    model(images, training=True)
recomputed = model.evaluate(data.validation, verbose=0, return_dict=True)["accuracy"]
print(f"healthy model after {EPOCHS} epoch{'s' if EPOCHS > 1 else ''}: validation {trailing:.0%} with the moving averages it "
      f"trained with, {recomputed:.0%} with averages recomputed from the final weights")

# %% [markdown] slideshow={"slide_type": "subslide"}
# In the full run the recomputed averages lift the validation accuracy to within a few points of the
# training accuracy: most of the healthy model's gap after five epochs is BatchNorm's lag, not overfitting. The lag fades
# as training slows down (notebook 02's validation curve catches up within a few epochs of a longer
# run), but a short check reads it: judge a short run's validation accuracy with that in mind, or
# recompute the averages as above before you do.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. A checklist for your own network
#
# | symptom | first check | likely cause |
# |---|---|---|
# | loss far above ln C at step 0 | initial loss | unscaled inputs, init too large |
# | loss stuck at ln C | overfit one batch, gradient per layer | init too small (vanishing signal), rate too high, dead ReLUs |
# | loss falls, validation at chance | training vs validation accuracy | labels and images out of step, validation set from another distribution |
# | loss falls then jumps or turns NaN | range test, dead ReLUs | rate too high (`train` stops at the first NaN and names the layer) |
#
# Each check costs seconds; the training run it saves can cost hours.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Worked solutions are in `solutions/13_why_wont_it_learn.md`.
#
# 1. What loss should an untrained paper model (1,000 classes) start at? `check("initial_loss_paper", ...)`
# 2. The range test's rates grow geometrically. What rate does step 100 of
#    `learning_rate_range(start=1e-5, stop=1.0, steps=200)` use? `check("range_test_rate_at_step_100", ...)`
# 3. Fix the no-normalization fault without adding a normalization layer: diagnose
#    `mini(normalization="none", initializer="he")` with SGD at 0.01. Which checks turn green?
# 4. For the too-high rate, train with the rate the range test suggests (`best_learning_rate` of its
#    curve, divided by 3) instead. Does it pass every check?
# 5. Diagnose the paper's initialisation with Adam at 10⁻³ instead of SGD. Does an adaptive optimiser
#    rescue the vanishing signal?

# %% slideshow={"slide_type": "-"}
check("initial_loss_paper", None)  # replace None with your answer

# %% slideshow={"slide_type": "-"}
check("range_test_rate_at_step_100", None)  # replace None with your answer
