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
# # 09 · Depth: does every layer count?
#
# > "It is notable that our network's performance degrades if a single convolutional layer is removed.
# > For example, removing any of the middle layers results in a loss of about 2 % for the top-1
# > performance of the network. So the depth really is important for achieving our results." (section 7)
#
# The blog post this kit grew from lists depth first among AlexNet's innovations: five conv layers and
# three fully-connected ones was deep for 2012. This notebook removes each middle conv layer in turn
# (conv3, conv4, conv5: the three 3×3 layers between pool2 and pool5) and counts what that saves, then
# measures what removing conv3 costs, with every model trained until its validation accuracy nearly
# levels off (section 3 says how nearly).

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import augment_data, build_alexnet, check, compare, compare_models, layer_table, load_cifar10_photos, plot_ablation, plot_ablation_results, record_finding, run_ablation, setup_notebook

import os

import matplotlib.pyplot as plt

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: less data, fewer epochs
PER_CLASS = 90 if QUICK else 600  # CIFAR-10 photos per class: 2/3 to train on, 1/3 held out
EPOCHS = 2 if QUICK else 18  # enough for the validation accuracy to level off (section 3)
SEEDS = (0, 1) if QUICK else (0, 1, 2)
FINDINGS = "results/quick" if QUICK else "results"  # where the verdicts are saved for notebook 14
setup_notebook(seed=42)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. What a middle layer holds
#
# The paper's model without each middle layer. Removing conv3 changes conv4's input from 384 to 256
# channels (it now reads conv2's output); removing conv4 or conv5 changes what the next layer reads in
# the same way.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
paper_models = {"full": build_alexnet("paper", name="full")}
for layer_name in ("conv3", "conv4", "conv5"):
    paper_models[f"without {layer_name}"] = build_alexnet("paper", remove=(layer_name,), name=f"without_{layer_name}")
compare_models(paper_models)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Removing conv3 or conv4 saves only a small share of the parameters (the `params` column: the
# fully-connected layers hold most of them, `fc_params_pct`) and a larger share of the conv
# multiply-adds (`conv_macs`). Removing conv5 is different: pool5 then gets conv4's 384 maps instead
# of 256, so fc6 grows by half and the network ends up with **more** parameters (the `params`
# column), not fewer. "Depth" experiments always change more than depth; say what else changed.
#
# The receptive field shrinks too: each 3×3 layer after pool2 lets a unit of pool5 see (3 − 1) × 16 =
# 32 more input pixels (16 is the stride accumulated by then, `jump` in `layer_table`):

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
for name, model in paper_models.items():
    table = layer_table(model).set_index("layer")
    print(f"{name:>14}: pool5 {table.output_shape['pool5']}, receptive field of pool5 {table.receptive_field['pool5']} pixels")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The experiment
#
# The mini AlexNet and the same model without conv3, trained on CIFAR-10 photos at 32 px: the same
# photos, random flips, Adam recipe (learning rate 2·10⁻³, batches of 64), dropout and epochs; three
# seeds each in full mode (two in quick mode).
#
# One removal, not three: a comparison means something only once both models have (nearly) stopped
# improving, and on 2 CPU cores each run takes a while (the seconds printed with each run below; a
# CPU without bfloat16 instructions computes in float32 and takes several times longer), so the
# notebook's 10 minutes hold two models at three seeds. The paper names "any of the
# middle layers"; conv3 stands for them, and exercise 2 removes conv4 or conv5 instead.

# %% slideshow={"slide_type": "-"}
photos = load_cifar10_photos(image_size=32, per_class=PER_CLASS, batch_size=64, validation_split=1 / 3)
data = augment_data(photos, crop=False, flip=True)
print(f"{data.num_train:,} training and {data.num_validation:,} validation photos of {data.image_shape}")
ablation = run_ablation(
    data,
    variants={
        "full": {},
        "without conv3": dict(remove=("conv3",)),
    },
    seeds=SEEDS,
    epochs=EPOCHS,
    learning_rate=2e-3,
)

# %% slideshow={"slide_type": "subslide"}
plot_ablation(ablation, metrics=("loss", "val_accuracy"))
plt.show()
plot_ablation_results(ablation, "val_accuracy")
plt.show()

# %% slideshow={"slide_type": "subslide"}
summary = ablation.summary("val_accuracy", scale=100)  # validation accuracy in %, differences in points
final = 100 * ablation.final("val_accuracy")
summary["vs full"] = summary["mean"] - summary.loc["full", "mean"]
summary["± (std of the difference)"] = (final - final.loc["full"]).std(axis=1, ddof=1)
summary

# %% [markdown] slideshow={"slide_type": "subslide"}
# The removal against the full model, seed by seed (the same seed gives both the same data order), with
# the spread and the 95 % interval; the verdict is saved for notebook 14. The last lines say whether the
# runs had levelled off: how much validation accuracy the last three epochs still added.

# %% slideshow={"slide_type": "-"}
effect = compare(ablation, "full", "without conv3", metric="val_accuracy", at="last", scale=100, unit=" points")
finding = record_finding(
    FINDINGS,
    notebook="09_depth",
    key="conv3",
    claim="Removing conv3 costs accuracy (validation accuracy, full − without conv3)",
    paper="about 2 % top-1 (ImageNet), for any middle layer",
    effect=effect,
    setting=f"mini AlexNet, {data.num_train:,} CIFAR-10 photos at 32 px, {EPOCHS} epochs, {len(SEEDS)} seeds",
)
print(f"without conv3: {effect.describe(1)} -> {finding['verdict']}")
last = min(3, EPOCHS - 1)
for variant, gain in (100 * ablation.last_gain("val_accuracy", epochs=last)).mean(axis=1).items():
    print(f"{variant:>14}: the last {last} epoch{'s' if last > 1 else ''} added {gain:+.1f} points of validation accuracy (mean of the seeds)")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. What we measured, and the paper
#
# The cells above print what removing conv3 costs, with its spread over seeds and its 95 % interval,
# and how much the last epochs still added. In the full run the two validation curves cross back and
# forth until a little past the middle of the run; from there the model without conv3 stays slightly
# ahead, and both curves flatten over the last epochs while the training loss keeps falling (left
# panel). In the last three epochs the full model gained nothing and the model without conv3 still a
# little (the last lines printed above): the full model had levelled off, the other nearly (exercise
# 4 trains on 5,000 photos for 24 epochs). The paper's loss is about 2 points of top-1 accuracy on
# 1,000 ImageNet classes, where a network needs all the capacity it has, at 224 px. Our scale differs
# in two ways. At 32 px the mini model's pool2 maps are only 3×3 and the receptive fields of conv3,
# conv4 and conv5 are larger than the photo, so removing conv3 takes away depth rather than view. The
# notebook does not print this; check it in the `output_shape` and `receptive_field` columns of
# `layer_table(build_alexnet("mini", input_shape=(32, 32, 3)))` (add `remove=("conv3",)` for the
# model without it). And a few thousand photos of 10 classes ask far less capacity than 1.2 million
# of 1,000: a layer that is not needed for the task only adds weights to fit. A cost in accuracy that exceeds the noise would show that depth matters
# even here; a verdict within the noise says that at this scale one 3×3 layer more or less does not
# change what the network reaches, not that depth is useless.
#
# **What modern practice kept.** Depth, above all: VGG (2014) went to 16–19 layers of 3×3 convolutions,
# and ResNet (2015) to 152 by adding skip connections that let gradients pass through very deep stacks.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Answer the checkable questions in the cell below first: `check` says right or wrong with a hint, never
# the answer. Worked solutions are in `solutions/09_depth.md`.
#
# 1. Predict the number of parameters of conv4 in the paper's model without conv3 (it reads conv2's
#    256 maps, two towers). Check with `layer_table(paper_models["without conv3"])`.
# 2. Remove conv4 or conv5 instead (`remove=("conv5",)`): does the verdict change? Then remove two
#    layers at once (`remove=("conv3", "conv4")`): does the cost add up?
# 3. Instead of removing a layer, halve the width (`width=0.125`): which costs more accuracy per saved
#    multiply-add, depth or width?
# 4. More data and more epochs: `PER_CLASS = 700` with `validation_split=2 / 7` (5,000 photos to train
#    on, the same 2,000 held out) and `EPOCHS = 24`, about twice as long as section 2. Does the full
#    model pull ahead?

# %% slideshow={"slide_type": "-"}
check("paper_conv4_params_without_conv3", None)  # replace None with your answer
