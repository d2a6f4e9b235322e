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
# # 08 · Training on two GPUs
#
# > "A single GTX 580 GPU has only 3GB of memory, which limits the maximum size of the networks that
# > can be trained on it. [...] Therefore we spread the net across two GPUs. [...] the GPUs communicate
# > only in certain layers. This means that, for example, the kernels of layer 3 take input from all
# > kernel maps in layer 2. However, kernels in layer 4 take input only from those kernel maps in layer 3
# > which reside on the same GPU." (section 3.2)
#
# The paper split the **model** across two GPUs: two towers of half the kernels each (model
# parallelism). Today the usual way to use several GPUs is to copy the whole model to each and split
# the **batch** (data parallelism). This notebook shows both, on two logical devices carved out of
# this CPU; with two GPUs the same code would take their device names instead. It runs on no real GPU,
# so it shows that the results agree, not how fast two GPUs are.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import build_alexnet, check, compare_models, layer_table, load_shapes, setup_notebook, split_cpu

import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: less data, fewer epochs
NUM_IMAGES = 800 if QUICK else 5_000
EPOCHS = 2 if QUICK else 5
GLOBAL_BATCH = 64
DEVICES = split_cpu(2)  # before any TensorFlow computation: two logical devices on one CPU
setup_notebook(seed=42)
DEVICES

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The two towers as grouped convolutions
#
# In conv2, conv4 and conv5 each tower's kernels see only the maps of their own tower: a convolution
# with `groups=2`. conv3 and the fully-connected layers see both towers. Compare the paper's model
# with the same model as one tower:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
# float32 on every machine: the towers computed apart must equal conv2 to 1e-5 (bfloat16 keeps 2-3 digits)
two_towers = build_alexnet("paper", name="two_towers", precision="float32")
one_tower = build_alexnet("paper", groups=1, name="one_tower", precision="float32")
rows = []
for name in ("conv1", "conv2", "conv3", "conv4", "conv5"):
    split, whole = (layer_table(model).set_index("layer").loc[name] for model in (two_towers, one_tower))
    rows.append({"layer": name, "kernel (two towers)": two_towers.get_layer(name).kernel.shape,
                 "params (two towers)": split.params, "params (one tower)": whole.params,
                 "MACs (two towers)": split.macs, "MACs (one tower)": whole.macs})  # fmt: skip
pd.DataFrame(rows).set_index("layer")

# %% [markdown] slideshow={"slide_type": "subslide"}
# In the grouped layers each kernel is half as deep (48 instead of 96 input channels in conv2), so the
# weights and the multiply-adds are halved (the biases are not). For the whole network:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
compare_models({"two towers": two_towers, "one tower": one_tower})

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Placing the towers on two devices
#
# Tower 1 is the first half of the channels and the first half of the kernels; tower 2 the second
# halves. Compute conv2 of the paper's model by hand, tower 1 on device 0 and tower 2 on device 1 (as
# the paper did on its two GPUs), and check that it matches the model's grouped layer.

# %% slideshow={"slide_type": "-"}
conv2 = two_towers.get_layer("conv2")
pool1_output = tf.random.uniform((1, 27, 27, 96), seed=0)  # conv2's input: pool1's 27x27x96 maps
kernel_halves = tf.split(conv2.kernel, 2, axis=-1)  # (5, 5, 48, 128) each
bias_halves = tf.split(conv2.bias, 2)
input_halves = tf.split(pool1_output, 2, axis=-1)  # 48 maps per tower
towers = []
for device, maps, kernel, bias in zip(DEVICES, input_halves, kernel_halves, bias_halves):
    with tf.device(device):
        towers.append(tf.nn.relu(tf.nn.conv2d(maps, kernel, strides=1, padding="SAME") + bias))

# %% slideshow={"slide_type": "subslide"}
# NBVAL_CHECK_OUTPUT
for index, tower in enumerate(towers, start=1):
    print(f"tower {index}: {tuple(tower.shape)} computed on {tower.device.split('/')[-1]}")
by_towers = tf.concat(towers, axis=-1)
print("both towers together == the model's conv2:", np.allclose(by_towers, conv2(pool1_output), atol=1e-5))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Between conv2 and conv3 the paper's GPUs exchanged their maps (conv3 sees all 256), and again before
# fc6. That communication is the price of model parallelism; the grouping in conv2, conv4 and conv5 is
# what kept it rare.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Data parallelism with `tf.distribute.MirroredStrategy`
#
# Modern multi-GPU training copies the whole model to every device ("replica"), gives each replica its
# share of every batch, and averages the gradients across replicas (an all-reduce) before each update,
# so all copies stay identical. With the same global batch, that is the same computation as one device
# with the whole batch, so the loss curve must be the same. We check it: the mini AlexNet with LRN (no
# BatchNorm, whose batch statistics would be per replica) and tanh (which, unlike ReLU with Keras's
# default initialisation, starts learning at once without BatchNorm: notebook 04), no dropout (random
# per replica), Adam, the same batches in the same order, the same initial weights.

# %% slideshow={"slide_type": "-"}
data = load_shapes(num_images=NUM_IMAGES, image_size=64, batch_size=GLOBAL_BATCH, seed=0)
# extra code – fix one order of the training images, so both runs see the same batches
one_pass = list(data.train)  # one pass: the pipeline reshuffles on every pass
images = np.concatenate([x for x, _ in one_pass])
labels = np.concatenate([y for _, y in one_pass])
batches = tf.data.Dataset.from_tensor_slices((images, labels)).batch(GLOBAL_BATCH)


def train_with(strategy):
    keras.utils.set_random_seed(0)
    with strategy.scope():  # variables created here are mirrored on every device of the strategy
        model = build_alexnet("mini", num_classes=len(data.class_names), normalization="lrn", dropout=0.0, activation="tanh",
                              precision="float32")  # fmt: skip
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], jit_compile=False)  # fmt: skip
    first_step = []  # the loss of the very first batch: the same weights and images in both runs
    record = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: first_step.append(float(logs["loss"])) if not first_step else None
    )
    start = time.perf_counter()
    history = model.fit(batches, epochs=EPOCHS, verbose=0, shuffle=False, callbacks=[record])
    return history.history["loss"], first_step[0], (time.perf_counter() - start) / EPOCHS


one_device = tf.distribute.OneDeviceStrategy(DEVICES[0])
two_devices = tf.distribute.MirroredStrategy(DEVICES)
print(f"replicas: {one_device.num_replicas_in_sync} and {two_devices.num_replicas_in_sync}; each replica of the two gets {GLOBAL_BATCH // 2} images per step")
loss_one, first_one, seconds_one = train_with(one_device)
loss_two, first_two, seconds_two = train_with(two_devices)

# %% slideshow={"slide_type": "subslide"}
curves = pd.DataFrame({"1 device": loss_one, "2 devices (mirrored)": loss_two}, index=pd.RangeIndex(1, EPOCHS + 1, name="epoch"))
curves["difference"] = curves["2 devices (mirrored)"] - curves["1 device"]
print(f"first step's loss: 1 device {first_one:.7f}, 2 devices {first_two:.7f}")
print(f"seconds per epoch: 1 device {seconds_one:.1f}, 2 logical devices {seconds_two:.1f}")
curves.style.format("{:.6f}")

# %% slideshow={"slide_type": "subslide"}
# NBVAL_CHECK_OUTPUT
print("first step: the same loss to 0.001 %:", np.isclose(first_one, first_two, rtol=1e-5))
print("every epoch: the same loss to 5 %:", np.allclose(loss_one, loss_two, rtol=0.05))

# %% slideshow={"slide_type": "subslide"}
# extra code – the two curves, on top of each other
ax = curves[["1 device", "2 devices (mirrored)"]].plot(style=["o-", "x--"], figsize=(6, 3.5))
ax.set(ylabel="training loss", title="one device vs two mirrored replicas, same global batch")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The first step's loss agrees to 0.001 % (at most the last digit printed differs): the same weights,
# the same 64 images, only the two replicas' halves of the batch are summed in a different order, so
# the rounding differs in the last bits. Training amplifies such differences, so later epochs differ
# a little (the difference column; the check above allows 5 %) while following the same curve. (Two
# runs on one GPU with non-deterministic kernels are known to drift apart the same way; this notebook
# does not show that.)
#
# Two logical devices are slower here, not faster (the seconds per epoch printed above). Both share
# the CPU cores that one device already uses, so nothing runs
# in parallel that did not before, and the mirrored strategy adds work of its own: two smaller steps
# instead of one and an all-reduce of the gradients at every step. On two GPUs each replica would have its own
# processor and memory, and one would expect the time per step to come close to halving when the model
# is large enough to hide the all-reduce; this CPU notebook cannot show that.
#
# **What changed since 2012.** The paper split one model because, as it says (quoted above), one
# GTX 580 with 3 GB limited the size of the network it could train; today a GPU holds AlexNet many
# times over, and data parallelism is simpler (no change to the model) and scales to many GPUs. The
# same code scales to several machines with
# `tf.distribute.MultiWorkerMirroredStrategy` (each machine gets a `TF_CONFIG` describing the cluster).
# Model parallelism came back for models too big for one device (large language models), and grouped
# convolutions came back for efficiency (ResNeXt, MobileNet's depthwise convolutions).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Answer the checkable questions in the cell below first: `check` says right or wrong with a hint, never
# the answer. Worked solutions are in `solutions/08_multi_gpu_training.md`.
#
# 1. How many parameters does conv2 of the mini model have with two towers (`groups=2`)? Its conv1 has
#    24 kernels, its conv2 64 kernels of 5×5.
# 2. Add BatchNorm (`normalization="batchnorm"`) to `train_with` and compare the two curves again. Why
#    do they differ now? (Keras's `BatchNormalization(synchronized=True)` is the fix.)
# 3. With 4 logical devices (restart the kernel, `split_cpu(4)`), what batch does each replica get?

# %% slideshow={"slide_type": "-"}
check("mini_conv2_params_two_towers", None)  # replace None with your answer
