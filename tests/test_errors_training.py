"""Training contracts: train, evaluate, estimate_training_time and run_ablation refuse bad input
with a one-line error naming the problem and the fix, and never return a silently wrong result."""

import dataclasses
import functools
import re

import keras
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from alexnet_edu import build_alexnet
from alexnet_edu.data import arrays_to_data
from alexnet_edu.experiments import Ablation, run_ablation
from alexnet_edu.train import (
    Evaluation,
    NonFiniteTrainingError,
    _StopOnNonFinite,
    compile_for,
    estimate_training_time,
    evaluate,
    train,
)

TRAINING_NAMES = ("a", "b", "c", "d")


@functools.lru_cache(maxsize=None)
def training_data(batch_size=8):
    """32 training and 16 validation 32x32 images of 4 classes, in batches of 8."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(48, 32, 32, 3), dtype="uint8")
    y = np.arange(48) % 4
    return arrays_to_data(x[:32], y[:32], x[32:], y[32:], TRAINING_NAMES, batch_size=batch_size)


def training_model(**knobs):
    knobs = dict(input_shape=(32, 32, 3), num_classes=4, width=0.125, precision="float32", **knobs)
    return build_alexnet("mini", **knobs)


@functools.lru_cache(maxsize=None)
def training_shared_model():
    """One untrained model for the error cases: each is refused before it compiles or trains anything."""
    return training_model()


def training_replace(**splits):
    return dataclasses.replace(training_data(), **splits)


def training_pairs(images, labels, batch_size=8):
    return tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch_size)


def training_run(**kwargs):
    return lambda: train(training_shared_model(), training_data(), **{"epochs": 1, "verbose": 0, **kwargs})


def training_ablate(**kwargs):
    kwargs = {"variants": {"x": {}}, "base": dict(width=0.125), "seeds": (0,), "epochs": 1, "verbose": False, **kwargs}
    return lambda: run_ablation(training_data(), **kwargs)


def training_evaluate(dataset=None, class_names=TRAINING_NAMES, model=None):
    return lambda: evaluate(model or training_shared_model(), training_data().validation if dataset is None else dataset, class_names)


def training_nan_model():
    model = training_model()
    kernel = model.get_layer("fc8").kernel
    kernel.assign(np.full(kernel.shape, np.nan, "float32"))
    return model


x16 = np.zeros((16, 32, 32, 3), "float32")
y16 = np.arange(16) % 4

CASES = [
    # train: epochs, learning_rate, recipe, patience, verbose, callbacks, paths
    pytest.param(training_run(epochs=0), ValueError, r"epochs must be a positive integer .*e\.g\. epochs=10\. Received: epochs=0$", id="train-epochs-0"),
    pytest.param(training_run(epochs=-1), ValueError, r"epochs must be a positive integer .*e\.g\. epochs=10\. Received: epochs=-1$", id="train-epochs-negative"),
    pytest.param(training_run(epochs=2.5), TypeError, r"epochs must be a positive integer .*e\.g\. epochs=10\. Received: epochs=2\.5$", id="train-epochs-float"),
    pytest.param(training_run(epochs=True), TypeError, r"epochs must be a positive integer .*e\.g\. epochs=10\. Received: epochs=True$", id="train-epochs-bool"),
    pytest.param(training_run(epochs="10"), TypeError, r"epochs must be a positive integer .*Received: epochs='10'$", id="train-epochs-string"),
    pytest.param(training_run(learning_rate=0), ValueError, r"learning_rate must be a finite number above 0 .*e\.g\. learning_rate=1e-3, or None for the recipe's default\. Received: learning_rate=0$", id="train-lr-zero"),
    pytest.param(training_run(learning_rate=-0.01), ValueError, r"learning_rate must be a finite number above 0 \(a negative one climbs the loss.*e\.g\. learning_rate=1e-3.*Received: learning_rate=-0\.01$", id="train-lr-negative"),
    pytest.param(training_run(learning_rate=float("nan")), ValueError, r"learning_rate must be a finite number above 0 .*e\.g\. learning_rate=1e-3.*Received: learning_rate=nan$", id="train-lr-nan"),
    pytest.param(training_run(learning_rate=np.float32("inf")), ValueError, r"learning_rate must be a finite number above 0 .*Received: learning_rate=.*inf", id="train-lr-inf"),
    pytest.param(training_run(learning_rate="1e-3"), TypeError, r"learning_rate must be a number such as 1e-3, or None for the recipe's default\. Received: learning_rate='1e-3'$", id="train-lr-string"),
    pytest.param(training_run(learning_rate=keras.optimizers.schedules.ExponentialDecay(1e-3, 10, 0.9)), TypeError,
                 r"learning_rate must be a number: the recipes make their own schedule\. For your own schedule, call model\.compile\(optimizer=.*Received: learning_rate=ExponentialDecay$", id="train-lr-schedule"),
    pytest.param(training_run(recipe="rmsprop"), ValueError, r"^Unknown recipe 'rmsprop'\. Valid recipes: 'paper', 'adam', 'sgd'\.$", id="train-recipe-unknown"),
    pytest.param(training_run(recipe="Adam"), ValueError, r"^Unknown recipe 'Adam'\. Valid recipes: 'paper', 'adam', 'sgd' \(recipes are lower case\)\.$", id="train-recipe-case"),
    pytest.param(lambda: training_run(recipe=keras.optimizers.SGD())(), TypeError, r"recipe must be one of 'paper', 'adam', 'sgd', not an optimizer: to train with your own, call model\.compile\(optimizer=\.\.\..*Received: recipe=SGD$", id="train-recipe-optimizer"),
    pytest.param(training_run(patience=-1), ValueError, r"patience must be an integer of at least 0 \(epochs without improvement\), e\.g\. patience=3\. Received: patience=-1$", id="train-patience-negative"),
    pytest.param(training_run(patience=1.5), TypeError, r"patience must be an integer of at least 0 .*e\.g\. patience=3\. Received: patience=1\.5$", id="train-patience-float"),
    pytest.param(training_run(verbose=3), ValueError, r"verbose must be 'auto', 0 \(silent\), 1 \(a progress bar\) or 2 \(one line per epoch\)\. Received: verbose=3$", id="train-verbose-3"),
    pytest.param(training_run(verbose="loud"), ValueError, r"verbose must be 'auto', 0 .*Received: verbose='loud'$", id="train-verbose-string"),
    pytest.param(training_run(callbacks=[print]), TypeError, r"callbacks must be Keras callbacks: wrap a function in keras\.callbacks\.LambdaCallback\(on_epoch_end=function\)\. Received: callbacks\[0\] of type builtin_function_or_method$", id="train-callback-function"),
    pytest.param(training_run(callbacks=[keras.callbacks.EarlyStopping]), TypeError, r"callbacks\[0\] is the class EarlyStopping, not a callback: create one, e\.g\. keras\.callbacks\.EarlyStopping\(\.\.\.\) with parentheses\.$", id="train-callback-class"),
    pytest.param(training_run(callbacks="early_stopping"), TypeError, r"callbacks must be a list of Keras callbacks, e\.g\. callbacks=\[keras\.callbacks\.EarlyStopping\(patience=2\)\]\. Received: callbacks='early_stopping'$", id="train-callbacks-string"),
    pytest.param(training_run(callbacks=[keras.callbacks.History(), 3]), TypeError, r"callbacks must be Keras callbacks: use instances of keras\.callbacks\.Callback, e\.g\. .*Received: callbacks\[1\] of type int$", id="train-callback-int"),
    pytest.param(training_run(checkpoint_path="checkpoints/mini.h5"), ValueError, r"checkpoint_path must be a file ending in \.keras \(the whole model, for keras\.models\.load_model\) or \.weights\.h5 \(the weights only\), e\.g\. 'checkpoints/mini\.keras'\. Received: checkpoint_path='checkpoints/mini\.h5'$", id="train-checkpoint-h5"),
    pytest.param(training_run(checkpoint_path="checkpoints/mini"), ValueError, r"checkpoint_path must be a file ending in \.keras .*Received: checkpoint_path='checkpoints/mini'$", id="train-checkpoint-no-suffix"),
    pytest.param(training_run(checkpoint_path=123), TypeError, r"checkpoint_path must be a path such as 'checkpoints/mini\.keras'\. Received: checkpoint_path=123$", id="train-checkpoint-int"),
    pytest.param(training_run(tensorboard_dir=5), TypeError, r"tensorboard_dir must be a path such as 'logs/mini'\. Received: tensorboard_dir=5$", id="train-tensorboard-int"),
    # train: the model and the data
    pytest.param(lambda: train(training_shared_model(), training_data().train), TypeError, r"train needs the whole ImageData \(it uses data\.train and data\.validation\), not one tf\.data\.Dataset: call train\(model, data\)", id="train-dataset-not-imagedata"),
    pytest.param(lambda: train(training_data(), training_shared_model()), TypeError, r"train's first argument must be the Keras model, but it is an ImageData: the arguments are swapped or missing, call train\(model, data\)\.$", id="train-swapped"),
    pytest.param(lambda: train("mini", training_data()), TypeError, r"model must be a Keras model, not the name 'mini': build it first, e\.g\. model = build_alexnet\('mini', num_classes=len\(data\.class_names\)", id="train-model-name"),
    pytest.param(lambda: train(build_alexnet, training_data()), TypeError, r"model is build_alexnet itself, not a model: call it to build one, e\.g\. build_alexnet\('mini'", id="train-model-function"),
    pytest.param(lambda: train(keras.layers.Dense(4), training_data()), TypeError, r"model must be a keras\.Model, not a single layer \(Dense\): wrap it, e\.g\. keras\.Sequential", id="train-model-layer"),
    pytest.param(lambda: train(keras.Sequential([keras.layers.Dense(4)]), training_data()), ValueError, r"The model 'sequential.*' has no input shape yet: start it with keras\.Input\(shape=\(height, width, 3\)\)", id="train-model-no-input"),
    pytest.param(lambda: train(42, training_data()), TypeError, r"model must be a keras\.Model, e\.g\. build_alexnet\('mini', num_classes=10\)\. Received: model of type int$", id="train-model-int"),
    pytest.param(lambda: train(training_shared_model(), (x16, y16)), TypeError, r"train needs an ImageData, not a tuple of arrays: make one with arrays_to_data\(x_train, y_train, x_validation, y_validation, class_names\)\.$", id="train-data-arrays"),
    pytest.param(lambda: train(training_shared_model(), None), TypeError, r"data must be an ImageData \(from load_shapes, load_image_folder or arrays_to_data\)\. Received: data of type NoneType$", id="train-data-none"),
    pytest.param(lambda: train(training_shared_model(), training_replace(train=training_pairs(x16.astype("uint8"), y16))), ValueError,
                 r"data\.train yields uint8 images but the models take floats in \[0, 1\]: build it with arrays_to_data or a loader", id="train-data-uint8"),
    pytest.param(lambda: train(training_shared_model(), training_replace(validation=training_pairs(x16, np.eye(4, dtype="float32")[y16]))), ValueError,
                 r"data\.validation yields float32 labels of shape \(None, 4\): the loss needs integer class indices, one per image; map one-hot labels with lambda x, y: \(x, tf\.argmax\(y, axis=-1\)\)", id="train-data-one-hot"),
    pytest.param(lambda: compile_for(training_shared_model(), "paper", learning_rate=0), ValueError, r"learning_rate must be a finite number above 0 .*Received: learning_rate=0$", id="compile-lr-zero"),
    # evaluate
    pytest.param(lambda: evaluate(training_shared_model(), training_data(), TRAINING_NAMES), TypeError,
                 r"evaluate needs one split's batches, not the whole ImageData: pass data\.validation \(images held out from training\) or data\.train .*e\.g\. evaluate\(model, data\.validation, data\.class_names\)\.$", id="evaluate-imagedata"),
    pytest.param(lambda: evaluate(training_shared_model(), training_data().validation), TypeError, r"evaluate needs the class names: call evaluate\(model, data\.validation, data\.class_names\)\.$", id="evaluate-no-class-names"),
    pytest.param(training_evaluate(class_names="abcd"), TypeError, r"class_names must be a list of names, one per label, e\.g\. data\.class_names or \['cat', 'dog'\]\. Received: class_names='abcd'$", id="evaluate-class-names-string"),
    pytest.param(training_evaluate(class_names=("a", "b", "c")), ValueError, r"The labels go from 0 to 3 but there are 3 class names: pass one name per label, e\.g\. data\.class_names\. Received: class_names=\('a', 'b', 'c'\)$", id="evaluate-too-few-names"),
    pytest.param(training_evaluate(class_names=TRAINING_NAMES * 2), ValueError, r"class_names has duplicates \(a, b, c, d\): give each label its own name, e\.g\. data\.class_names", id="evaluate-duplicate-names"),
    pytest.param(training_evaluate(class_names=tuple("abcdefgh")), ValueError, r"The model has 4 outputs but the labels go up to 3 \(8 class names\): build the model with num_classes=8\.$", id="evaluate-more-names-than-outputs"),
    pytest.param(training_evaluate(class_names=()), ValueError, r"class_names is empty: pass one name per label, e\.g\. data\.class_names", id="evaluate-empty-names"),
    pytest.param(lambda: evaluate(training_data().validation, training_shared_model(), TRAINING_NAMES), TypeError, r"evaluate's first argument must be the Keras model, but it is a tf\.data\.Dataset: the arguments are swapped or missing, call evaluate\(model, data\.validation, data\.class_names\)\.$", id="evaluate-swapped"),
    pytest.param(training_evaluate(dataset=x16), TypeError, r"evaluate needs batches of \(images, labels\), not arrays: pass data\.validation, or batch arrays with tf\.data\.Dataset\.from_tensor_slices\(\(x, y\)\)\.batch\(64\)\.$", id="evaluate-array"),
    pytest.param(training_evaluate(dataset=training_pairs(x16, y16).take(0)), ValueError, r"The dataset yields no batches: pass the validation batches, e\.g\. data\.validation\.$", id="evaluate-empty"),
    pytest.param(training_evaluate(dataset=tf.data.Dataset.from_tensor_slices(x16).batch(8)), ValueError, r"The dataset must yield \(images, labels\) batches, but its elements are .*: zip the labels in, e\.g\. tf\.data\.Dataset\.from_tensor_slices\(\(x, y\)\)\.batch\(64\)\.$", id="evaluate-no-labels"),
    pytest.param(training_evaluate(dataset=training_pairs(x16 + 255.0, y16)), ValueError, r"the dataset's images .*255.*\[0, 1\]: divide by 255", id="evaluate-0-255-floats"),
    pytest.param(lambda: training_evaluate(model=build_alexnet("mini", num_classes=4))(), ValueError, r"The dataset's images are \(32, 32, 3\) but 'alexnet_mini' expects \(64, 64, 3\): evaluate it on data loaded at the size it was trained on\.$", id="evaluate-wrong-size"),
    pytest.param(lambda: evaluate(training_nan_model(), training_data().validation, TRAINING_NAMES), ValueError, r"'alexnet_mini' outputs NaN or infinity for 16 of 16 images: its weights are broken .*retrain it or reload a checkpoint\.$", id="evaluate-nan-model"),
    # estimate_training_time
    pytest.param(lambda: estimate_training_time(training_shared_model(), training_data(), epochs=0), ValueError, r"epochs must be a positive integer \(the planned passes over the training data\), e\.g\. epochs=10\. Received: epochs=0$", id="estimate-epochs-0"),
    pytest.param(lambda: estimate_training_time(training_shared_model(), training_data(), steps=0), ValueError, r"steps must be a positive integer \(training steps to time\), e\.g\. steps=5\. Received: steps=0$", id="estimate-steps-0"),
    pytest.param(lambda: estimate_training_time(training_shared_model(), training_data(), steps=2.5), TypeError, r"steps must be a positive integer .*e\.g\. steps=5\. Received: steps=2\.5$", id="estimate-steps-float"),
    pytest.param(lambda: estimate_training_time(training_shared_model(), training_data(), images_per_epoch=-5), ValueError, r"images_per_epoch must be a positive integer \(the full training set\), e\.g\. images_per_epoch=60000\. Received: images_per_epoch=-5$", id="estimate-images-negative"),
    pytest.param(lambda: estimate_training_time(training_shared_model(), training_data().train), TypeError, r"estimate_training_time needs the whole ImageData .*call estimate_training_time\(model, data\)", id="estimate-dataset"),
    pytest.param(lambda: estimate_training_time(training_shared_model(), training_data(), recipe="rmsprop"), ValueError, r"^Unknown recipe 'rmsprop'\. Valid recipes: 'paper', 'adam', 'sgd'\.$", id="estimate-recipe"),
    # run_ablation and Ablation
    pytest.param(training_ablate(seeds=()), ValueError, r"seeds must be distinct, at least one, e\.g\. seeds=\(0, 1, 2\)\. Received: seeds=\[\]$", id="ablation-seeds-empty"),
    pytest.param(training_ablate(seeds=3), TypeError, r"seeds must be a list of integers, one run per seed, e\.g\. seeds=\(0, 1, 2\)\. Received: seeds=3$", id="ablation-seeds-int"),
    pytest.param(training_ablate(seeds=(0, 1.5)), ValueError, r"seeds must be integers of at least 0, e\.g\. seeds=\(0, 1, 2\)\. Received: seeds=\[0, 1\.5\]$", id="ablation-seeds-float"),
    pytest.param(training_ablate(seeds=(0, -1)), ValueError, r"seeds must be integers of at least 0, e\.g\. seeds=\(0, 1, 2\)\. Received: seeds=\[0, -1\]$", id="ablation-seeds-negative"),
    pytest.param(training_ablate(epochs=2.0), TypeError, r"epochs must be a positive integer \(passes over the training data of every run\), e\.g\. epochs=10\. Received: epochs=2\.0$", id="ablation-epochs-float"),
    pytest.param(training_ablate(variants=[{"activation": "tanh"}]), TypeError, r"variants must be a dict of \{name: knobs\}, e\.g\. variants=\{'relu': dict\(activation='relu'\)\}\. Received: variants of type list$", id="ablation-variants-list"),
    pytest.param(training_ablate(base=[("dropout", 0.0)]), ValueError, r"base must be a dict of knobs shared by all variants, e\.g\. dict\(dropout=0\.0\)\. Received: \[\('dropout', 0\.0\)\]$", id="ablation-base-list"),
    pytest.param(training_ablate(variants={"x": {}, "fast": dict(learning_rate=-1)}), ValueError, r"^Variant 'fast': learning_rate must be a finite number above 0 .*e\.g\. learning_rate=1e-3.*Received: learning_rate=-1$", id="ablation-variant-lr"),
    pytest.param(training_ablate(variants={"x": {}, "big": dict(preset="huge")}), ValueError, r"^Variant 'big': Unknown preset 'huge'\. Valid presets: 'seed', 'paper', 'mini'", id="ablation-variant-preset"),
    pytest.param(training_ablate(variants={"x": {}, "y": dict(recipe="Paper")}), ValueError, r"^Variant 'y': Unknown recipe 'Paper'\. Valid recipes: 'paper', 'adam', 'sgd' \(recipes are lower case\)\.$", id="ablation-variant-recipe"),
    pytest.param(training_ablate(variants={"x": {}, "big": dict(input_shape=(64, 64, 3))}), ValueError, r"^Variant 'big': The data's images are \(32, 32, 3\) but 'alexnet_mini' expects \(64, 64, 3\): load the data with image_size=\(64, 64\)", id="ablation-variant-shape"),
    pytest.param(training_ablate(variants={"x": {}, "two": dict(num_classes=2)}), ValueError, r"^Variant 'two': The data has 4 classes \(labels 0-3\) but 'alexnet_mini' has only 2 outputs: build it with num_classes=4\.$", id="ablation-variant-classes"),
    pytest.param(training_ablate(variants={"x": {}, "own": dict(data=training_data().train)}), ValueError, r"^Variant 'own': data must be an ImageData \(e\.g\. from load_shapes\)\. Received: .*Dataset", id="ablation-variant-data"),
    pytest.param(lambda: Ablation(pd.DataFrame({"variant": ["x"], "seed": [0], "epoch": [1], "loss": [1.0]}), {"x": {}}).epochs_to_reach("loss", float("nan")),
                 ValueError, r"threshold must be a finite number, e\.g\. 0\.25 for 25 % error\. Received: threshold=nan$", id="ablation-threshold-nan"),
    pytest.param(lambda: Ablation(pd.DataFrame({"variant": ["x"], "seed": [0], "epoch": [1], "loss": [1.0]}), {"x": {}}).summary(["loss"]),
                 ValueError, r"^Unknown metric \['loss'\]\. Valid metrics: loss\.$", id="ablation-metric-list"),
]  # fmt: skip


@pytest.mark.parametrize("call, error_type, message", CASES)
def test_training_clear_one_line_error(call, error_type, message):
    with pytest.raises(error_type) as error:
        call()
    assert re.search(message, str(error.value)), str(error.value)
    assert "\n" not in str(error.value)


# Silent cases


def training_nan_data():
    """The training data with one NaN pixel in image 20, i.e. batch 3 of 4 (counting from 1): built by hand so no loader refuses it."""
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(32, 32, 32, 3)).astype("float32")
    x[20, 5, 5, 0] = np.nan
    return training_replace(train=training_pairs(x, (np.arange(32) % 4).astype("int32")))


@pytest.mark.parametrize("normalization", ["batchnorm", "none"])
def test_training_stops_at_the_nan_batch(normalization):
    # With batchnorm the loss of that batch is NaN; without, max-pooling drops the NaN on the way forward
    # (the loss stays finite on the CPU) while the gradient makes conv1's kernel NaN: both stop at batch 3.
    model = training_model(normalization=normalization)
    with pytest.raises(NonFiniteTrainingError) as error:
        train(model, training_nan_data(), epochs=3, verbose=0)
    message = str(error.value)
    assert (error.value.epoch, error.value.batch, error.value.weight) == (1, 3, "conv1/kernel")
    assert re.search(r"^Training stopped at epoch 1/3, batch 3/4: .*layer 'conv1' \(conv1/kernel\)", message), message
    assert "np.isfinite(x_train).all()" in message and "lower the learning rate (e.g. learning_rate=0.0001)" in message
    assert "\n" not in message
    # The run does not look like a normal one: an error, and its History stops at the broken epoch.
    assert len(error.value.history.history["loss"]) == 1
    assert not np.all(np.isfinite(model.get_layer("conv1").kernel.numpy()))


def test_training_stops_on_a_nan_validation_loss():
    x = np.random.default_rng(1).uniform(size=(16, 32, 32, 3)).astype("float32")
    x[5] = np.nan
    broken = training_replace(validation=training_pairs(x, (np.arange(16) % 4).astype("int32")))
    # A softmax regression, not an AlexNet: on AVX-512 CPUs TensorFlow's fused conv + ReLU kernels turn a NaN
    # pixel into 0 (max(NaN, 0) = 0), so there it never reaches the loss; a matmul carries it on every CPU.
    inputs = keras.Input((32, 32, 3))
    model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax", name="fc8")(keras.layers.Flatten()(inputs)))
    with pytest.raises(NonFiniteTrainingError) as error:
        train(model, broken, epochs=3, verbose=0)
    message = str(error.value)
    assert message.startswith("Training stopped after epoch 1/3: the validation loss became nan while the training loss")
    assert "the validation images most likely hold a NaN or infinite pixel" in message and "\n" not in message
    assert (error.value.epoch, error.value.batch) == (1, None)
    assert len(error.value.history.history["val_loss"]) == 1


def test_training_weights_nan_with_a_finite_loss_names_the_layer():
    model = training_model()
    compile_for(model)
    guard = _StopOnNonFinite(learning_rate=1e-3)
    guard.set_model(model)
    guard.set_params({"epochs": 5, "steps": 4})
    guard.on_epoch_begin(1)
    guard.on_train_batch_end(0, {"loss": 1.25})
    assert guard.error is None and not model.stop_training
    kernel = model.get_layer("conv2").kernel
    kernel.assign(np.where(np.arange(kernel.shape[-1]) == 3, np.nan, kernel.numpy()))
    guard.on_train_batch_end(1, {"loss": 1.25})
    assert model.stop_training
    assert str(guard.error).startswith(
        "Training stopped at epoch 2/5, batch 2/4: the weights of layer 'conv2' (conv2/kernel) became NaN or infinite "
        "while the loss stayed finite (1.25), so every image would get the same prediction. Fix: this batch most likely "
        "holds a NaN or infinite pixel"
    )


def test_training_a_blown_up_loss_is_diagnosed_as_divergence_not_as_bad_images():
    # Weights so large that the logits overflow give NaN where the images are fine: the fix is the learning rate.
    model = training_model()
    compile_for(model)
    guard = _StopOnNonFinite(learning_rate=100.0)
    guard.set_model(model)
    guard.set_params({"epochs": 3, "steps": 4})
    guard.on_epoch_end(0, {"loss": 2.6e24, "val_loss": float("nan")})
    assert str(guard.error) == (
        "Training stopped after epoch 1/3: the validation loss became nan while the training loss and the weights "
        "stayed finite. Fix: the training loss (2.6e+24) is far above an untrained model's (ln 4 = 1.39): training "
        "diverged; lower the learning rate (e.g. learning_rate=10)."
    )
    guard.error = None
    guard.on_epoch_begin(1)
    kernel = model.get_layer("conv2").kernel
    kernel.assign(np.full(kernel.shape, np.inf))
    guard.on_train_batch_end(0, {"loss": 5.56})  # 4 x ln 4 = 5.55: diverged
    assert "Fix: the training loss (5.56) is far above an untrained model's" in str(guard.error)
    guard.error = None
    guard.on_train_batch_end(0, {"loss": 5.5})
    assert "Fix: this batch most likely holds a NaN or infinite pixel" in str(guard.error)


def test_training_a_diverging_learning_rate_stops():
    # The paper recipe here; run_ablation's test below diverges with adam.
    with pytest.raises(NonFiniteTrainingError) as error:
        train(training_model(), training_data(), epochs=3, recipe="paper", learning_rate=1e6, verbose=0)
    message = str(error.value)
    assert re.search(r"^Training stopped at epoch 1/3, batch \d/4: the loss became (NaN|inf)", message), message
    assert "Fix: lower the learning rate (e.g. learning_rate=100000)" in message
    assert error.value.history is not None and len(error.value.history.history["loss"]) == 1


def test_training_learning_rate_is_used_as_given():
    # `is None`, not `or`: the value given is the one compiled, for both recipes.
    model = training_model()
    compile_for(model, "paper", learning_rate=0.02)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.02)
    compile_for(model, "adam", learning_rate=np.float32(3e-4), total_steps=100)
    # The adam recipe warms up from a tenth of the peak learning rate.
    assert float(model.optimizer.learning_rate) == pytest.approx(3e-5)


def test_training_expands_home_saves_weights_only_and_takes_numpy_integers_and_one_callback(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    seen = []
    callback = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    model = training_model()
    history = train(
        model, training_data(), epochs=np.int64(1), patience=np.int32(0), checkpoint_path="~/runs/mini.weights.h5",
        callbacks=callback, verbose=0,
    )  # fmt: skip
    assert len(history.history["loss"]) == 1 and seen == [0]
    path = tmp_path / "home" / "runs" / "mini.weights.h5"
    assert path.is_file() and not (tmp_path / "~").exists()
    restored = training_model()
    restored.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(restored.get_weights(), model.get_weights()))


def training_fixed_model(num_outputs):
    """A "model" whose probabilities are the image's single pixel row: softmax(100 * pixels) through a fixed Dense."""
    inputs = keras.Input((1, num_outputs, 1))
    dense = keras.layers.Dense(num_outputs, use_bias=False, trainable=False)
    outputs = keras.layers.Softmax()(dense(keras.layers.Flatten()(inputs)))
    model = keras.Model(inputs, outputs, name="fixed")
    dense.kernel.assign(100 * np.eye(num_outputs, dtype="float32"))
    return model


def test_training_evaluate_more_outputs_than_classes_and_an_empty_class():
    # 12 outputs, 4 named classes, and no image of class "d": 40 cats and 2 dogs can give such a validation set.
    rng = np.random.default_rng(3)
    num_outputs, names = 12, ("a", "b", "c", "d")
    rows = np.stack([rng.permutation(num_outputs) / num_outputs for _ in range(30)]).astype("float32")
    labels = rng.integers(0, 3, size=30)
    rows[:10] = rows[:10] * 0.5  # keep some rows' top class inside the names...
    rows[np.arange(10), labels[:10]] = 0.9  # ...and right
    images = rows[:, None, :, None]
    result = evaluate(training_fixed_model(num_outputs), training_pairs(images, labels, batch_size=7), names)
    # An independent count, one image at a time.
    confusion, outside, correct, top5 = np.zeros((4, 4), int), np.zeros(4, int), 0, 0
    for row, label in zip(rows, labels):
        order = sorted(range(num_outputs), key=lambda k: -row[k])
        correct += order[0] == label
        top5 += label in order[:5]
        if order[0] < 4:
            confusion[label, order[0]] += 1
        else:
            outside[label] += 1
    assert outside.sum() > 0 and correct >= 10
    assert result.accuracy == pytest.approx(correct / 30)
    assert result.top5 == pytest.approx(top5 / 30)
    np.testing.assert_array_equal(result.confusion, confusion)
    np.testing.assert_array_equal(result.outside, outside)
    np.testing.assert_array_equal(result.support, np.bincount(labels, minlength=4))
    per_class = result.per_class_accuracy
    for index, name in enumerate(names[:3]):
        assert per_class[name] == pytest.approx(confusion[index, index] / np.sum(labels == index))
    assert np.isnan(per_class["d"])


def test_training_per_class_accuracy_of_a_class_without_images_is_nan():
    result = Evaluation(accuracy=1.0, top5=1.0, confusion=np.array([[40, 0], [0, 0]]), class_names=("cat", "dog"))
    assert result.per_class_accuracy["cat"] == 1.0
    assert np.isnan(result.per_class_accuracy["dog"])


def test_training_evaluate_scales_uint8_batches_like_the_rest_of_the_kit():
    # uint8 batches used to reach the model as 0-255: now they mean the same as floats in [0, 1].
    rows = np.zeros((6, 1, 3, 1), "float32")
    rows[np.arange(6), 0, [0, 1, 2, 2, 1, 0], 0] = 1
    labels = np.array([0, 1, 2, 0, 0, 0])
    model = training_fixed_model(3)
    as_floats = evaluate(model, training_pairs(rows, labels), ("r", "g", "b"))
    as_uint8 = evaluate(model, training_pairs((rows * 255).astype("uint8"), labels), ("r", "g", "b"))
    np.testing.assert_array_equal(as_floats.confusion, [[2, 1, 1], [0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(as_uint8.confusion, as_floats.confusion)


def test_training_estimate_times_every_step_of_a_one_batch_dataset(monkeypatch):
    # With a single training batch the timed loop used to run no step at all and estimate 0 s.
    one_batch = training_data(batch_size=32)
    calls = []
    original = keras.Model.train_on_batch
    monkeypatch.setattr(keras.Model, "train_on_batch", lambda self, *args, **kwargs: calls.append(1) or original(self, *args, **kwargs))
    estimate = estimate_training_time(training_shared_model(), one_batch, epochs=2, steps=3)
    assert len(calls) == 4
    assert estimate.seconds_per_step > 0 and estimate.steps_per_epoch == 1


@pytest.mark.parametrize(
    "third, message",
    [
        (dict(activation="swish"), r"^Variant 'third': Unknown activation 'swish'"),
        (dict(colour="red"), r"^Unknown knob 'colour' in variant 'third'"),
        (dict(recipe="rmsprop"), r"^Variant 'third': Unknown recipe 'rmsprop'"),
        (dict(learning_rate=0), r"^Variant 'third': learning_rate must be a finite number above 0"),
        (dict(data="shapes"), r"^Variant 'third': data must be an ImageData"),
        (dict(dropout=1.5), r"^Variant 'third': dropout must be in \[0, 1\)"),
    ],
)
def test_training_ablation_checks_every_variant_before_training_any(third, message, monkeypatch):
    fits = []
    monkeypatch.setattr(keras.Model, "fit", lambda self, *args, **kwargs: fits.append(self.name))
    with pytest.raises((ValueError, TypeError)) as error:
        run_ablation(training_data(), {"first": {}, "second": dict(activation="tanh"), "third": third}, base=dict(width=0.125), seeds=(0,), epochs=1, verbose=False)
    assert re.search(message, str(error.value)), str(error.value)
    assert fits == []


def test_training_ablation_stops_a_diverging_run_and_keeps_the_finished_ones():
    variants = {"steady": {}, "boom": dict(learning_rate=1e6)}
    with pytest.raises(NonFiniteTrainingError) as error:
        run_ablation(training_data(), variants, base=dict(width=0.125), seeds=np.array([0]), epochs=np.int64(2), verbose=False)
    message = str(error.value)
    assert re.search(r"^Variant 'boom', seed 0: Training stopped at epoch 1/2, batch \d/4: the loss became", message), message
    assert message.endswith("The runs finished before it are in error.ablation.") and "\n" not in message
    finished = error.value.ablation
    assert finished.variants == ["steady"]
    assert finished.history[["variant", "seed", "epoch"]].values.tolist() == [["steady", 0, 1], ["steady", 0, 2]]
    assert finished.history[["loss", "val_loss"]].notna().all().all()
