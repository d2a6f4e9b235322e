"""Training and evaluation: the paper's recipe in one call, a faster one, and honest estimates.

Every entry point checks its arguments before any work starts and refuses a
bad one with a one-line error that names the problem and the fix. `train`
also checks every batch for a loss or weights that became NaN or infinite:
it stops there and raises `NonFiniteTrainingError`, so a broken run never
hands back a `History` that looks like a normal one.
"""

import collections.abc
import dataclasses
import math
import numbers
import os
import pathlib
import statistics
import time

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from alexnet_edu.data import ImageData, _steady
from alexnet_edu.images import as_images
from alexnet_edu.inspect import _computes_in_float16

# `{lr}` is the learning rate the run uses: the recipe's default or the caller's.
RECIPES = {
    "paper": "SGD, momentum 0.9, weight decay 5e-4 inside the momentum, lr {lr:g} divided by 10 when validation loss stalls",
    "adam": "Adam, lr {lr:g} with a short warm-up and cosine decay: converges in far fewer epochs",
    "sgd": "SGD, momentum 0.9, a constant lr {lr:g}, no weight decay: the paper's Figure 1 (no regularization)",
}
DEFAULT_LEARNING_RATES = {"paper": 0.01, "adam": 1e-3, "sgd": 0.01}
VERBOSE_VALUES = ("auto", 0, 1, 2)
# A loss this many times an untrained model's ln C (or, in the range test, its lowest value) has diverged.
DIVERGENCE_FACTOR = 4.0


class NonFiniteTrainingError(RuntimeError):
    """Training stopped because the loss or the weights became NaN or infinite.

    Raised after Keras has stopped cleanly, so callbacks such as
    `ModelCheckpoint` have finished: a checkpoint holds the best epoch before
    the problem.

    Example (a learning rate far too high):

    >>> try:
    ...     train(build_alexnet("mini", input_shape=(32, 32, 3)), load_shapes(num_images=100, image_size=32),
    ...           epochs=3, learning_rate=1e6, verbose=0)
    ... except NonFiniteTrainingError as error:
    ...     print(error.epoch, error.batch, error.weight)
    Training alexnet_mini ...
    1 2 conv1/kernel

    Attributes:
        history: `train`'s Keras `History` of the epochs run (the last one
            broken), or None.
        ablation: `run_ablation`'s `Ablation` of the runs finished before
            this one, or None.
        epoch: The epoch where training stopped, counting from 1.
        batch: The batch of that epoch, counting from 1 as Keras's progress
            bar does.
        weight: The first weight that was not finite (e.g. `"conv1/kernel"`),
            or None.
    """

    def __init__(self, message, epoch=None, batch=None, weight=None):
        super().__init__(message)
        self.epoch = epoch
        self.batch = batch
        self.weight = weight
        self.history = None
        self.ablation = None


class _StopOnNonFinite(keras.callbacks.Callback):
    """Keras's `TerminateOnNaN`, extended to the weights, and saying where it stopped and why.

    A NaN pixel can turn conv1's kernel into NaN while the loss of that batch
    stays finite (ReLU and max-pooling drop the NaN on the way forward, the
    gradient does not): from then on every image gets the same prediction and
    the loss may stay finite. So the weights are checked too, after every
    batch rather than every epoch, to name the batch that did it: one fused
    reduction, 2.6 ms against a 357 ms training step of the mini model on 2
    CPU cores (0.7 %), and the loss is read every batch anyway.
    """

    def __init__(self, learning_rate):
        super().__init__()
        self.learning_rate = learning_rate
        self.error = None
        self._epoch = 0

    def set_model(self, model):
        super().set_model(model)
        # Dropout's seed state is an integer variable: only float weights can be NaN.
        weights = [w for w in model.weights if keras.backend.is_float_dtype(w.dtype)]
        self._paths = [w.path for w in weights]
        # One traced function: a single call per batch whatever the number of weights.
        self._finite = tf.function(lambda: tf.stack([tf.reduce_all(tf.math.is_finite(w.value)) for w in weights]))

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        loss = None if loss is None else float(loss)
        bad_loss = loss is not None and not math.isfinite(loss)
        flags = self._finite().numpy() if self._paths else []
        broken = [path for path, finite in zip(self._paths, flags) if not finite]
        if not (bad_loss or broken):
            return
        self.model.stop_training = True
        epochs, steps = self.params.get("epochs"), self.params.get("steps")
        where = f"epoch {self._epoch + 1}/{epochs}, batch {batch + 1}" + (f"/{steps}" if steps else "")
        layer = f"layer {broken[0].split('/')[0]!r} ({broken[0]})" if broken else None
        lower = f"lower the learning rate (e.g. learning_rate={self.learning_rate / 10:g})"
        check = "check the training images for NaN or infinite pixels (e.g. np.isfinite(x_train).all())"
        if bad_loss:
            cause = f"the loss became {'NaN' if math.isnan(loss) else loss}"
            if broken:
                cause += f" and the weights of {layer} are NaN or infinite"
            fix = f"{lower}, or {check}"
        else:
            value = "" if loss is None else f" ({loss:.4g})"
            cause = (
                f"the weights of {layer} became NaN or infinite while the loss stayed finite{value}, "
                "so every image would get the same prediction"
            )
            fix = self._diverged(loss) or f"this batch most likely holds a NaN or infinite pixel: {check}; otherwise {lower}"
        self.error = NonFiniteTrainingError(
            f"Training stopped at {where}: {cause}. Fix: {fix}.",
            epoch=self._epoch + 1,
            batch=batch + 1,
            weight=broken[0] if broken else None,
        )

    def on_epoch_end(self, epoch, logs=None):
        # The training batches and the weights were finite: a NaN validation loss comes from the validation
        # images, unless the training loss has blown up (weights so large that the logits overflow).
        val_loss = (logs or {}).get("val_loss")
        if self.error is None and val_loss is not None and not math.isfinite(float(val_loss)):
            self.model.stop_training = True
            loss = (logs or {}).get("loss")
            fix = self._diverged(None if loss is None else float(loss)) or (
                "the validation images most likely hold a NaN or infinite pixel: check them "
                "(e.g. np.isfinite(x_validation).all())"
            )
            self.error = NonFiniteTrainingError(
                f"Training stopped after epoch {epoch + 1}/{self.params.get('epochs')}: the validation loss became "
                f"{float(val_loss)} while the training loss and the weights stayed finite. Fix: {fix}.",
                epoch=epoch + 1,
            )

    def _diverged(self, loss):
        """The diagnosis when a finite training loss is far above an untrained model's ln C, else None."""
        classes = self.model.outputs[0].shape[-1] if getattr(self.model, "outputs", None) else None
        if loss is None or not math.isfinite(loss) or not classes or classes < 2:
            return None
        untrained = math.log(classes)
        if loss <= DIVERGENCE_FACTOR * untrained:
            return None
        return (
            f"the training loss ({loss:.3g}) is far above an untrained model's (ln {classes} = {untrained:.2f}): "
            f"training diverged; lower the learning rate (e.g. learning_rate={self.learning_rate / 10:g})"
        )


def _is_integer(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def check_count(name, value, minimum=1, meaning="", example=10):
    """Returns `value` as an int, or raises a one-line error for anything but an integer >= `minimum`.

    NumPy integers are accepted; floats (even 3.0) and bools are refused.

    Args:
        name: The argument's name, for the message.
        value: The value to check.
        minimum: The smallest valid value.
        meaning: What the number counts, for the message.
        example: A good value, for the message.

    Raises:
        TypeError: Not an integer.
        ValueError: Below `minimum`.
    """
    kind = "a positive integer" if minimum == 1 else f"an integer of at least {minimum}"
    message = f"{name} must be {kind}{f' ({meaning})' if meaning else ''}, e.g. {name}={example}. Received: {name}={value!r}"
    if not _is_integer(value):
        raise TypeError(message)
    if value < minimum:
        raise ValueError(message)
    return int(value)


def check_recipe(recipe):
    """Raises a one-line error unless `recipe` is one of `RECIPES`."""
    if isinstance(recipe, keras.optimizers.Optimizer):
        raise TypeError(
            f"recipe must be one of {', '.join(map(repr, RECIPES))}, not an optimizer: to train with your own, call "
            "model.compile(optimizer=..., loss='sparse_categorical_crossentropy', metrics=['accuracy']) and "
            f"model.fit(data.train, validation_data=data.validation). Received: recipe={type(recipe).__name__}"
        )
    if not isinstance(recipe, str) or recipe not in RECIPES:
        hint = " (recipes are lower case)" if isinstance(recipe, str) and recipe.lower() in RECIPES else ""
        raise ValueError(f"Unknown recipe {recipe!r}. Valid recipes: {', '.join(map(repr, RECIPES))}{hint}.")


def check_learning_rate(learning_rate):
    """Returns the learning rate as a float (None stays None), or raises a one-line error.

    Raises:
        TypeError: Not a number (a schedule, a string).
        ValueError: Zero, negative, NaN or infinite.
    """
    if learning_rate is None:
        return None
    if isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        raise TypeError(
            "learning_rate must be a number: the recipes make their own schedule. For your own schedule, call "
            "model.compile(optimizer=keras.optimizers.Adam(schedule), ...) and model.fit yourself. "
            f"Received: learning_rate={type(learning_rate).__name__}"
        )
    if not isinstance(learning_rate, numbers.Real) or isinstance(learning_rate, (bool, np.bool_)):
        raise TypeError(
            "learning_rate must be a number such as 1e-3, or None for the recipe's default. "
            f"Received: learning_rate={learning_rate!r}"
        )
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(
            "learning_rate must be a finite number above 0 (a negative one climbs the loss instead of descending it), "
            f"e.g. learning_rate=1e-3, or None for the recipe's default. Received: learning_rate={learning_rate!r}"
        )
    return float(learning_rate)


def _check_model(model, function):
    """Raises a one-line error unless `model` is a Keras model with a defined input."""
    call = f"{function}(model, data)" if function != "evaluate" else "evaluate(model, data.validation, data.class_names)"
    if isinstance(model, keras.Model):
        try:
            model.input_shape, model.output_shape
        except (AttributeError, ValueError):
            raise ValueError(
                f"The model {model.name!r} has no input shape yet: start it with keras.Input(shape=(height, width, 3)) "
                "(build_alexnet does)."
            ) from None
        return
    if isinstance(model, (ImageData, tf.data.Dataset)):
        raise TypeError(
            f"{function}'s first argument must be the Keras model, but it is {_describe(model)}: "
            f"the arguments are swapped or missing, call {call}."
        )
    if isinstance(model, str):
        raise TypeError(
            f"model must be a Keras model, not the name {model!r}: build it first, e.g. "
            f"model = build_alexnet({model!r}, num_classes=len(data.class_names), input_shape=data.image_shape)."
        )
    if isinstance(model, keras.layers.Layer):
        raise TypeError(
            f"model must be a keras.Model, not a single layer ({type(model).__name__}): wrap it, e.g. "
            "keras.Sequential([keras.Input(shape), layer])."
        )
    if callable(model):
        raise TypeError(
            f"model is {getattr(model, '__name__', type(model).__name__)} itself, not a model: call it to build one, "
            "e.g. build_alexnet('mini', num_classes=len(data.class_names), input_shape=data.image_shape)."
        )
    raise TypeError(
        f"model must be a keras.Model, e.g. build_alexnet('mini', num_classes=10). Received: model of type {type(model).__name__}"
    )


def _describe(value):
    if isinstance(value, ImageData):
        return "an ImageData"
    if isinstance(value, tf.data.Dataset):
        return "a tf.data.Dataset"
    if isinstance(value, keras.Model):
        return f"the model {value.name!r}"
    return f"a {type(value).__name__}"


def _check_pairs(dataset, where, integer_images=False):
    """Raises a one-line error unless a tf.data dataset yields (images, integer labels).

    `integer_images`: accept uint8 images (evaluate scales each batch by the image contract); an
    `ImageData` must hold floats in [0, 1], as its loaders make them.
    """
    spec = getattr(dataset, "element_spec", None)
    if spec is None:
        return
    if not (isinstance(spec, tuple) and len(spec) == 2):
        raise ValueError(
            f"{where} must yield (images, labels) batches, but its elements are {spec}: "
            "zip the labels in, e.g. tf.data.Dataset.from_tensor_slices((x, y)).batch(64)."
        )
    images, labels = spec
    if getattr(images, "dtype", tf.float32).is_integer and not integer_images:
        raise ValueError(
            f"{where} yields {images.dtype.name} images but the models take floats in [0, 1]: build it with arrays_to_data "
            "or a loader, or map it with lambda x, y: (tf.cast(x, tf.float32) / 255, y)."
        )
    dtype, shape = getattr(labels, "dtype", tf.int32), getattr(labels, "shape", tf.TensorShape([None]))
    one_hot = shape.rank is not None and shape.rank > 1 and shape[-1] not in (1, None)
    if dtype.is_floating or one_hot:
        raise ValueError(
            f"{where} yields {dtype.name} labels of shape {shape}: the loss needs integer class indices, one per image; "
            "map one-hot labels with lambda x, y: (x, tf.argmax(y, axis=-1))."
        )


def _check_data(data, function):
    """Raises a one-line error unless `data` is an `ImageData` that can train a model."""
    if isinstance(data, ImageData):
        for split in ("train", "validation"):
            _check_pairs(getattr(data, split), f"data.{split}")
        if not (_is_integer(data.num_train) and data.num_train > 0):
            raise ValueError(f"data has no training images: load some first. Received: data.num_train={data.num_train!r}")
        return
    if isinstance(data, keras.Model):
        raise TypeError(f"{function}'s second argument must be the ImageData, but it is a model: call {function}(model, data).")
    if isinstance(data, tf.data.Dataset):
        raise TypeError(
            f"{function} needs the whole ImageData (it uses data.train and data.validation), not one tf.data.Dataset: "
            f"call {function}(model, data); arrays_to_data turns arrays into an ImageData."
        )
    if isinstance(data, (tuple, list, np.ndarray)):
        raise TypeError(
            f"{function} needs an ImageData, not a {type(data).__name__} of arrays: make one with "
            "arrays_to_data(x_train, y_train, x_validation, y_validation, class_names)."
        )
    raise TypeError(
        "data must be an ImageData (from load_shapes, load_image_folder or arrays_to_data). "
        f"Received: data of type {type(data).__name__}"
    )


def check_model_fits_data(model, data):
    """Raises a clear error when the model's input or output does not match the data.

    Args:
        model: A Keras classifier.
        data: An `ImageData`.
    """
    _check_model(model, "check_model_fits_data")
    _check_data(data, "check_model_fits_data")
    _check_fit(model.name, tuple(model.input_shape[1:]), model.output_shape[-1], data)


def _check_fit(name, expected, num_outputs, data):
    image_shape = tuple(data.image_shape)
    # A None axis (a fully convolutional model) accepts any size.
    if len(expected) != len(image_shape) or any(e is not None and e != s for e, s in zip(expected, image_shape)):
        raise ValueError(
            f"The data's images are {image_shape} but {name!r} expects {expected}: "
            f"load the data with image_size={expected[:2]} or build the model with input_shape={image_shape}."
        )
    if len(data.class_names) > num_outputs:
        raise ValueError(
            f"The data has {len(data.class_names)} classes (labels 0-{len(data.class_names) - 1}) but "
            f"{name!r} has only {num_outputs} outputs: build it with num_classes={len(data.class_names)}."
        )


def _schedule(recipe, learning_rate=None, total_steps=None):
    """The learning rate a recipe trains with: a number, or a schedule of the step.

    Args:
        recipe: `"paper"`, `"adam"` or `"sgd"` (see `RECIPES`).
        learning_rate: The (peak) rate; None for the recipe's default.
        total_steps: Training steps; None for a constant rate.

    Returns:
        A float (constant rate) or a `keras.optimizers.schedules.LearningRateSchedule`
        (Adam: warm-up over the first 5 % of the steps, then cosine decay).
    """
    # `is None`, not `or`: learning_rate=0 must not silently become the default (check_learning_rate refuses it).
    peak = DEFAULT_LEARNING_RATES[recipe] if learning_rate is None else learning_rate
    if recipe != "adam" or total_steps is None:
        return peak
    warmup = max(1, total_steps // 20)
    return keras.optimizers.schedules.CosineDecay(
        peak / 10, decay_steps=max(1, total_steps - warmup), warmup_target=peak, warmup_steps=warmup
    )


@keras.saving.register_keras_serializable(package="alexnet_edu")
class PaperSGD(keras.optimizers.SGD):
    """SGD with momentum and the paper's weight decay, which acts inside the momentum.

    The paper (section 5) updates `v <- 0.9 v - 0.0005 lr w - lr dL/dw` and
    `w <- w + v`: the decay is added to the gradient, so the momentum carries
    it too, and it ends about 1 / (1 - 0.9) = 10 times as strong as Keras's
    `weight_decay` of the same value, which shrinks the weights outside the
    momentum (`w <- w - lr wd w`). As in Caffe's AlexNet, the kernels decay,
    not the biases or BatchNorm's scale and offset. `recipe="paper"` trains
    with it.

    Example:

    >>> optimizer = PaperSGD(learning_rate=0.01)
    >>> optimizer.momentum, optimizer.l2_decay
    (0.9, 0.0005)

    Args:
        learning_rate: A float or a `keras.optimizers.schedules` schedule.
        momentum: The momentum, 0.9 in the paper.
        l2_decay: What multiplies each kernel before it is added to its
            gradient: 0.0005 in the paper.
        **kwargs: Other arguments of `keras.optimizers.SGD`.
    """

    def __init__(self, learning_rate=0.01, momentum=0.9, l2_decay=5e-4, **kwargs):
        super().__init__(learning_rate=learning_rate, momentum=momentum, **kwargs)
        if not (isinstance(l2_decay, numbers.Real) and not isinstance(l2_decay, bool) and 0 <= l2_decay < 1):
            raise ValueError(f"l2_decay must be a number in [0, 1), e.g. 5e-4 (the paper's). Received: l2_decay={l2_decay!r}")
        self.l2_decay = float(l2_decay)

    def build(self, variables):
        super().build(variables)
        # Keras's names here: the backend may pass its own variable (TensorFlow's "kernel:0") to update_step.
        self._decays = [variable.name == "kernel" for variable in variables]

    def update_step(self, gradient, variable, learning_rate):
        if self.l2_decay and self._decays[self._get_variable_index(variable)]:
            gradient = keras.ops.add(keras.ops.cast(gradient, variable.dtype), keras.ops.multiply(self.l2_decay, variable))
        super().update_step(gradient, variable, learning_rate)

    def get_config(self):
        config = super().get_config()
        config["l2_decay"] = self.l2_decay
        return config


def _optimizer(recipe, learning_rate, total_steps):
    rate = _schedule(recipe, learning_rate, total_steps)
    if recipe == "paper":
        return PaperSGD(rate)
    if recipe == "sgd":
        return keras.optimizers.SGD(rate, momentum=0.9)
    return keras.optimizers.Adam(rate)


@keras.saving.register_keras_serializable(package="alexnet_edu")
class SparseCrossentropyWithSmoothing(keras.losses.Loss):
    """Cross-entropy of integer labels against targets with label smoothing.

    Keras's `SparseCategoricalCrossentropy` has no label smoothing; this is
    `categorical_crossentropy(one_hot(labels), ..., label_smoothing)` for
    the integer labels the kit's datasets yield: the target puts
    `1 - label_smoothing` plus `label_smoothing / classes` on the true class
    and `label_smoothing / classes` on every other.

    Example:

    >>> loss = SparseCrossentropyWithSmoothing(label_smoothing=0.1)
    >>> model = build_alexnet("mini", num_classes=10, input_shape=(32, 32, 3))
    >>> model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])

    Args:
        label_smoothing: In [0, 1): 0 is plain cross-entropy.

    Call arguments:
        y_true: Integer class labels, shape `(batch,)` or `(batch, 1)`.
        y_pred: Probabilities (softmax outputs), shape `(batch, classes)`.
    """

    def __init__(self, label_smoothing=0.1, name="sparse_crossentropy_with_smoothing", **kwargs):
        super().__init__(name=name, **kwargs)
        self.label_smoothing = _label_smoothing(label_smoothing)

    def call(self, y_true, y_pred):
        labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), "int32")
        targets = keras.ops.one_hot(labels, keras.ops.shape(y_pred)[-1], dtype=y_pred.dtype)
        return keras.losses.categorical_crossentropy(targets, y_pred, label_smoothing=self.label_smoothing)

    def get_config(self):
        return {**super().get_config(), "label_smoothing": self.label_smoothing}


def _label_smoothing(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(
            f"label_smoothing must be a number in [0, 1), e.g. 0.1 (0 turns it off). Received: label_smoothing={value!r}"
        )
    return float(value)


def compile_for(model, recipe="adam", learning_rate=None, total_steps=1000, label_smoothing=0.0):
    """Compiles a classifier with a recipe's optimizer, cross-entropy loss, accuracy and top-5.

    Args:
        model: A Keras classifier with softmax outputs.
        recipe: `"paper"`, `"adam"` or `"sgd"` (see `RECIPES`).
        learning_rate: Overrides the recipe's (peak) learning rate: a finite
            number above 0.
        total_steps: Training steps, for the learning-rate schedule; None
            keeps the learning rate constant (and assignable step by step,
            as the sanity checks of `alexnet_edu.diagnostics` need).
        label_smoothing: In [0, 1): the share of each target spread evenly
            over all classes (see `SparseCrossentropyWithSmoothing`); 0 is
            plain cross-entropy.

    Raises:
        TypeError, ValueError: A bad argument (the message says which and the fix).
    """
    _check_model(model, "compile_for")
    check_recipe(recipe)
    learning_rate = check_learning_rate(learning_rate)
    if total_steps is not None:
        total_steps = check_count("total_steps", total_steps, meaning="training steps, for the schedule", example=1000)
    label_smoothing = _label_smoothing(label_smoothing)
    metrics = ["accuracy"]
    if model.output_shape[-1] > 5:
        metrics.append(keras.metrics.SparseTopKCategoricalAccuracy(5, name="top5"))
    optimizer = _optimizer(recipe, learning_rate, total_steps)
    if _computes_in_float16(model):
        # Keras scales the loss only under a model-wide float16 policy, and the kit sets policies layer by layer:
        # without scaling, gradients below float16's smallest normal number (6e-5) lose their digits or vanish.
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    # XLA made AlexNet's training about 20 % slower on CPU (make bench, 2 cores); let Keras decide on GPU.
    model.compile(
        optimizer=optimizer,
        loss=SparseCrossentropyWithSmoothing(label_smoothing) if label_smoothing else "sparse_categorical_crossentropy",
        metrics=metrics,
        jit_compile="auto" if _device() == "GPU" else False,
    )


def _device():
    return "GPU" if tf.config.list_physical_devices("GPU") else "CPU"


def _precision(model):
    policies = {layer.dtype_policy.name for layer in model.layers if layer.weights}
    if any(name.startswith("mixed") for name in policies):
        return f"mixed precision ({', '.join(sorted(p for p in policies if p.startswith('mixed')))}, softmax in float32)"
    return "float32"


def _check_verbose(verbose):
    # bools pass as 0 and 1, as in Keras.
    valid = verbose == "auto" if isinstance(verbose, str) else isinstance(verbose, numbers.Integral) and verbose in (0, 1, 2)
    if not valid:
        raise ValueError(
            f"verbose must be 'auto', 0 (silent), 1 (a progress bar) or 2 (one line per epoch). Received: verbose={verbose!r}"
        )


def _check_callbacks(callbacks):
    if callbacks is None:
        return []
    if isinstance(callbacks, keras.callbacks.Callback):
        return [callbacks]
    if isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, collections.abc.Iterable):
        raise TypeError(
            "callbacks must be a list of Keras callbacks, e.g. callbacks=[keras.callbacks.EarlyStopping(patience=2)]. "
            f"Received: callbacks={callbacks!r}"
        )
    callbacks = list(callbacks)
    for index, callback in enumerate(callbacks):
        if isinstance(callback, type) and issubclass(callback, keras.callbacks.Callback):
            raise TypeError(
                f"callbacks[{index}] is the class {callback.__name__}, not a callback: create one, "
                f"e.g. keras.callbacks.{callback.__name__}(...) with parentheses."
            )
        if not isinstance(callback, keras.callbacks.Callback):
            fix = (
                "wrap a function in keras.callbacks.LambdaCallback(on_epoch_end=function)"
                if callable(callback)
                else "use instances of keras.callbacks.Callback, e.g. keras.callbacks.EarlyStopping(patience=2)"
            )
            raise TypeError(
                f"callbacks must be Keras callbacks: {fix}. Received: callbacks[{index}] of type {type(callback).__name__}"
            )
    return callbacks


def _path(name, value, example):
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path such as {example!r}. Received: {name}={value!r}")
    return pathlib.Path(value).expanduser()


def _check_checkpoint_path(checkpoint_path):
    """The expanded path and whether it saves only the weights, or a one-line error."""
    path = _path("checkpoint_path", checkpoint_path, "checkpoints/mini.keras")
    if path is None:
        return None, False
    # Keras saves a whole model only as .keras and weights only as .weights.h5 (ModelCheckpoint checks the same).
    weights_only = path.name.endswith(".weights.h5")
    if not (weights_only or path.suffix == ".keras") or path.is_dir():
        raise ValueError(
            "checkpoint_path must be a file ending in .keras (the whole model, for keras.models.load_model) or "
            f".weights.h5 (the weights only), e.g. 'checkpoints/mini.keras'. Received: checkpoint_path={str(checkpoint_path)!r}"
        )
    return path, weights_only


def train(
    model,
    data,
    epochs=10,
    recipe="adam",
    learning_rate=None,
    checkpoint_path=None,
    tensorboard_dir=None,
    patience=3,
    verbose="auto",
    callbacks=(),
    label_smoothing=0.0,
):
    """Trains a classifier with Keras `fit`, printing what it chose.

    Every argument is checked before training starts. After every batch the
    loss and the weights are checked: at the first NaN or infinity training
    stops and `NonFiniteTrainingError` is raised, naming the epoch, the batch
    and the first broken layer. It is an error rather than a printed warning
    so that a notebook shows it in red and nothing downstream (plots,
    `evaluate`) runs on a broken model as if the run were normal; the
    `History` of the epochs run is in the error's `history`.

    It trains on `data.fresh()`, the pipelines from their start, so a cell
    run twice trains on the same batches; `train(model, data.fresh(seed))`
    gives other shuffles and augmentations.

    Example:

    >>> data = load_shapes(num_images=400, image_size=32)
    >>> model = build_alexnet("mini", num_classes=len(data.class_names), input_shape=data.image_shape)
    >>> history = train(model, data, epochs=2, verbose=0)
    Training alexnet_mini on the ...: 320 images in batches of 64, 2 epochs, recipe 'adam' ...
    >>> len(history.history["val_accuracy"])
    2

    Args:
        model: A Keras classifier whose input matches `data.image_shape`.
        data: An `ImageData` (training and validation pipelines), not one of
            its datasets.
        epochs: Passes over the training data: an integer of at least 1.
        recipe: `"adam"` (fast, the default) or `"paper"` (SGD with momentum
            0.9, weight decay 5e-4 inside the momentum (`PaperSGD`), lr 0.01
            divided by 10 when the validation loss stops improving for
            `patience` epochs) or `"sgd"` (SGD with
            momentum 0.9 and a constant learning rate, no weight decay).
        learning_rate: Overrides the recipe's learning rate: a finite number
            above 0, or None for the recipe's (1e-3 for adam, 0.01 for paper and sgd).
        checkpoint_path: Save the best model (by validation accuracy) here:
            a file ending in `.keras` (the whole model, e.g.
            `"checkpoints/mini.keras"`) or `.weights.h5` (weights only).
            `~` is expanded and missing folders are created.
        tensorboard_dir: Write TensorBoard logs here (`~` is expanded).
        patience: Epochs without improvement before the paper recipe divides
            the learning rate by 10: an integer of at least 0.
        verbose: Keras's progress output: `"auto"`, 0, 1 (bar) or 2 (a line per epoch).
        callbacks: More Keras callbacks (a list, or a single one).
        label_smoothing: In [0, 1): train against targets that give this
            share to all classes evenly (0.1 in the CIFAR-10 recipe of
            notebook 02); 0 (the default) is plain cross-entropy.

    Returns:
        The Keras `History`.

    Raises:
        TypeError, ValueError: A bad argument; the message names it and the fix.
        NonFiniteTrainingError: The loss or the weights became NaN or infinite.
    """
    _check_model(model, "train")
    _check_data(data, "train")
    check_model_fits_data(model, data)
    epochs = check_count("epochs", epochs, meaning="passes over the training data")
    check_recipe(recipe)
    learning_rate = check_learning_rate(learning_rate)
    patience = check_count("patience", patience, minimum=0, meaning="epochs without improvement", example=3)
    label_smoothing = _label_smoothing(label_smoothing)
    _check_verbose(verbose)
    callbacks = _check_callbacks(callbacks)
    checkpoint_path, weights_only = _check_checkpoint_path(checkpoint_path)
    tensorboard_dir = _path("tensorboard_dir", tensorboard_dir, "logs/mini")
    steps_per_epoch = -(-data.num_train // data.batch_size)
    compile_for(model, recipe, learning_rate, epochs * steps_per_epoch, label_smoothing)
    rate = DEFAULT_LEARNING_RATES[recipe] if learning_rate is None else learning_rate
    guard = _StopOnNonFinite(rate)
    callbacks = [guard, *callbacks]
    if recipe == "paper":
        callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=patience, min_lr=1e-5))
    if checkpoint_path:
        checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
        callbacks.append(
            keras.callbacks.ModelCheckpoint(
                str(checkpoint_path), monitor="val_accuracy", save_best_only=True, save_weights_only=weights_only
            )
        )
    if tensorboard_dir:
        callbacks.append(keras.callbacks.TensorBoard(str(tensorboard_dir)))
    print(
        f"Training {model.name} on the {_device()}: {data.num_train:,} images in batches of {data.batch_size}, "
        f"{epochs} epochs, recipe {recipe!r} ({RECIPES[recipe].format(lr=rate)}"
        f"{f', label smoothing {label_smoothing:g}' if label_smoothing else ''}); tf.data autotuner off (it stalls epochs), "
        f"XLA {'auto' if _device() == 'GPU' else 'off (slower on CPU)'}, {_precision(model)}."
    )
    # The pipelines shuffle themselves; Keras's own shuffle does not apply to datasets. A fresh one
    # starts over, so a cell run twice trains on the same batches.
    history = model.fit(
        _steady(data.fresh().train),
        validation_data=_steady(data.validation),
        epochs=epochs,
        verbose=verbose,
        callbacks=callbacks,
        shuffle=False,
    )
    if guard.error is not None:
        error = NonFiniteTrainingError(
            f"{guard.error} The History of the epochs run is in error.history.",
            guard.error.epoch,
            guard.error.batch,
            guard.error.weight,
        )
        error.history = history
        raise error
    return history


@dataclasses.dataclass(frozen=True)
class TimeEstimate:
    """Measured seconds per training step, and what that means for a run."""

    model_name: str
    device: str
    seconds_per_step: float
    steps_per_epoch: int
    epochs: int
    images_per_epoch: int
    validation_seconds: float = 0.0

    @property
    def seconds_per_epoch(self):
        """Training steps plus the validation pass at the end of each epoch."""
        return self.seconds_per_step * self.steps_per_epoch + self.validation_seconds

    @property
    def total_seconds(self):
        return self.seconds_per_epoch * self.epochs

    @property
    def images_per_second(self):
        return self.images_per_epoch / self.seconds_per_epoch

    def __str__(self):
        advice = ""
        if self.total_seconds > 30 * 60:
            advice = " That is long for a class: use the 'mini' model, fewer images, or a GPU."
        total = f", so {self.epochs} epochs take {_duration(self.total_seconds)}" if self.epochs > 1 else ""
        return (
            f"{self.model_name} on this {self.device}: {_duration(self.seconds_per_epoch)} per epoch of "
            f"{self.images_per_epoch:,} images ({self.images_per_second:,.0f} images/s){total}.{advice}"
        )


def _duration(seconds):
    if seconds < 90:
        return f"~{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"~{seconds / 60:.0f} min"
    return f"~{seconds / 3600:.1f} h"


def estimate_training_time(model, data, epochs=10, steps=5, recipe="adam", images_per_epoch=None):
    """Times a few training steps (and a validation batch) on a copy of the model and extrapolates.

    The estimate takes the median step, so one step slowed by something else
    on the machine does not set it.

    The model itself is left untouched (its weights and compile state). The
    training batches are repeated when the data has fewer than `steps + 1`,
    so every timed step really runs.

    Example:

    >>> data = load_shapes(num_images=400, image_size=32)
    >>> model = build_alexnet("mini", num_classes=len(data.class_names), input_shape=data.image_shape)
    >>> print(estimate_training_time(model, data, epochs=10))
    alexnet_mini on this ...: ~... s per epoch of 320 images (... images/s), so 10 epochs take ~...

    Args:
        model: The Keras classifier you are about to train.
        data: The `ImageData` you will train on.
        epochs: The planned number of epochs: an integer of at least 1.
        steps: Training steps to time, after one warm-up step: an integer of
            at least 1.
        recipe: The recipe you will use (its optimizer costs a little).
        images_per_epoch: Size of the real training set, if `data` is only a
            sample of it (e.g. 60_000 for a full dataset); defaults to
            `data.num_train`.

    Returns:
        A `TimeEstimate`; print it for a one-line summary.

    Raises:
        TypeError, ValueError: A bad argument; the message names it and the fix.
    """
    _check_model(model, "estimate_training_time")
    _check_data(data, "estimate_training_time")
    check_model_fits_data(model, data)
    epochs = check_count("epochs", epochs, meaning="the planned passes over the training data")
    steps = check_count("steps", steps, meaning="training steps to time", example=5)
    check_recipe(recipe)
    if images_per_epoch is not None:
        images_per_epoch = check_count("images_per_epoch", images_per_epoch, meaning="the full training set", example=60_000)
    clone = keras.models.clone_model(model)
    compile_for(clone, recipe)
    # Without repeat(), data with one batch timed no step at all and estimated 0 s.
    batches = list(data.fresh().train.repeat().take(steps + 1))
    validation = list(data.validation.take(1))
    if not batches or not validation:
        raise ValueError(
            f"data.{'train' if not batches else 'validation'} yields no batches: estimate_training_time needs at least one; "
            "check the ImageData's num_train, num_validation and batch_size."
        )
    clone.train_on_batch(*batches[0])
    step_seconds = []
    for images, labels in batches[1:]:
        start = time.perf_counter()
        clone.train_on_batch(images, labels)
        step_seconds.append(time.perf_counter() - start)
    # The median, not the mean: one step slowed by the rest of the machine read whole estimates 40 % high.
    seconds_per_step = statistics.median(step_seconds)
    validation_batch = validation[0][0]
    clone.predict_on_batch(validation_batch)
    start = time.perf_counter()
    clone.predict_on_batch(validation_batch)
    seconds_per_image = (time.perf_counter() - start) / len(validation_batch)
    scale = (images_per_epoch / data.num_train) if images_per_epoch else 1
    images_per_epoch = images_per_epoch or data.num_train
    return TimeEstimate(
        model_name=model.name,
        device=_device(),
        seconds_per_step=seconds_per_step,
        steps_per_epoch=-(-images_per_epoch // data.batch_size),
        epochs=epochs,
        images_per_epoch=images_per_epoch,
        validation_seconds=seconds_per_image * data.num_validation * scale,
    )


@dataclasses.dataclass(frozen=True)
class Evaluation:
    """A classifier's results on a dataset.

    Attributes:
        accuracy: Fraction of images whose top class is right.
        top5: Fraction whose right class is among the 5 most probable.
        confusion: `confusion[i, j]` counts images of class i predicted as j,
            for the named classes only: `(C, C)` for `C` class names.
        class_names: Names of the rows and columns.
        outside: `outside[i]` counts images of class i predicted as an
            output beyond the class names (a 1000-class model evaluated on
            10 named classes); they count as wrong. None means none.
    """

    accuracy: float
    top5: float
    confusion: np.ndarray
    class_names: tuple
    outside: np.ndarray = None

    @property
    def support(self):
        """Images of each class: `confusion.sum(axis=1) + outside`."""
        totals = np.asarray(self.confusion).sum(axis=1)
        return totals + (np.asarray(self.outside) if self.outside is not None else 0)

    @property
    def per_class_accuracy(self):
        """A `pandas.Series`: the accuracy of each class, NaN for a class with no images."""
        support = self.support
        with np.errstate(invalid="ignore", divide="ignore"):
            accuracy = np.where(support > 0, np.diag(self.confusion) / np.maximum(support, 1), np.nan)
        return pd.Series(accuracy, index=list(self.class_names), name="accuracy")


def _check_batches(dataset):
    """Raises a one-line error unless `dataset` can be iterated as (images, labels) batches."""
    example = "evaluate(model, data.validation, data.class_names)"
    if isinstance(dataset, ImageData):
        # Refused rather than guessed: the call then says which split it measured.
        raise TypeError(
            "evaluate needs one split's batches, not the whole ImageData: pass data.validation (images held out from "
            f"training) or data.train (to measure training accuracy), e.g. {example}."
        )
    if isinstance(dataset, keras.Model):
        raise TypeError(f"evaluate's second argument must be the batches, but it is a model: call {example}.")
    if isinstance(dataset, (np.ndarray, tf.Tensor)) or (
        isinstance(dataset, (tuple, list)) and len(dataset) == 2 and np.ndim(dataset[0]) == 4
    ):
        raise TypeError(
            "evaluate needs batches of (images, labels), not arrays: pass data.validation, or batch arrays with "
            "tf.data.Dataset.from_tensor_slices((x, y)).batch(64)."
        )
    if isinstance(dataset, (str, bytes)) or not isinstance(dataset, collections.abc.Iterable):
        raise TypeError(f"evaluate needs batches of (images, labels), e.g. {example}. Received: {type(dataset).__name__}")
    _check_pairs(dataset, "The dataset", integer_images=True)


def _check_class_names(class_names):
    if class_names is None:
        raise TypeError("evaluate needs the class names: call evaluate(model, data.validation, data.class_names).")
    if isinstance(class_names, (str, bytes)) or not isinstance(class_names, collections.abc.Iterable):
        raise TypeError(
            "class_names must be a list of names, one per label, e.g. data.class_names or ['cat', 'dog']. "
            f"Received: class_names={class_names!r}"
        )
    names = tuple(class_names)
    if not names:
        raise ValueError("class_names is empty: pass one name per label, e.g. data.class_names. Received: class_names=()")
    duplicates = sorted({str(name) for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(
            f"class_names has duplicates ({', '.join(duplicates)}): give each label its own name, e.g. data.class_names. "
            f"Received: class_names={names!r}"
        )
    return names


def _labels(batch_labels, num_images, index):
    labels = np.asarray(batch_labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or len(labels) != num_images:
        raise ValueError(
            f"Batch {index + 1} has labels of shape {labels.shape} for {num_images} images: evaluate needs one class "
            "index per image; map one-hot labels with lambda x, y: (x, tf.argmax(y, axis=-1))."
        )
    if labels.dtype.kind not in "iu":
        raise ValueError(
            f"Batch {index + 1} has {labels.dtype} labels: evaluate needs integer class indices, e.g. labels.astype('int32')."
        )
    return labels.astype("int64")


def evaluate(model, dataset, class_names=None):
    """Accuracy, top-5 accuracy, confusion matrix and per-class accuracy.

    Pass one split, e.g. `data.validation`, not the whole `ImageData`: the
    call then says which images it measured. The model may have more
    outputs than there are class names (a 1000-class model on 10 named
    classes): a prediction beyond the names counts as wrong and is counted
    in `Evaluation.outside`, the confusion matrix stays `(C, C)`.

    Example:

    >>> data = load_shapes(num_images=400, image_size=32)
    >>> model = build_alexnet("mini", num_classes=len(data.class_names), input_shape=data.image_shape)
    >>> result = evaluate(model, data.validation, data.class_names)
    >>> result.confusion.shape, int(result.confusion.sum())  # one row per true class; 80 validation images
    ((8, 8), 80)

    Args:
        model: A trained Keras classifier.
        dataset: Batches of `(images, labels)`, e.g. `data.validation`; the
            images follow the kit's contract (floats in [0, 1], or uint8).
        class_names: The names of the labels, e.g. `data.class_names`.

    Returns:
        An `Evaluation`.

    Raises:
        TypeError, ValueError: A bad argument, labels beyond the class names
            or the model's outputs, or a model whose outputs are NaN.
    """
    _check_model(model, "evaluate")
    _check_batches(dataset)
    class_names = _check_class_names(class_names)
    expected = tuple(model.input_shape[1:])
    labels, probabilities = [], []
    for index, element in enumerate(dataset):
        if not (isinstance(element, (tuple, list)) and len(element) == 2):
            raise ValueError(
                f"Batch {index + 1} is not an (images, labels) pair: evaluate needs labelled batches, e.g. data.validation."
            )
        images = as_images(element[0], "the dataset's images", channels=None)
        shape = images.shape[1:]
        if len(shape) != len(expected) or any(e is not None and e != s for e, s in zip(expected, shape)):
            raise ValueError(
                f"The dataset's images are {shape} but {model.name!r} expects {expected}: "
                "evaluate it on data loaded at the size it was trained on."
            )
        labels.append(_labels(element[1], len(images), index))
        probabilities.append(np.asarray(model(images, training=False), dtype="float64"))
    if not labels:
        raise ValueError("The dataset yields no batches: pass the validation batches, e.g. data.validation.")
    labels, probabilities = np.concatenate(labels), np.concatenate(probabilities)
    num_classes, num_outputs = len(class_names), probabilities.shape[-1]
    if probabilities.ndim != 2:
        raise ValueError(
            f"{model.name!r} outputs shape {probabilities.shape[1:]} per image: "
            "evaluate needs a classifier with one score per class, (batch, classes)."
        )
    broken = int(np.sum(~np.all(np.isfinite(probabilities), axis=-1)))
    if broken:
        raise ValueError(
            f"{model.name!r} outputs NaN or infinity for {broken} of {len(labels)} images: its weights are broken "
            "(check np.isfinite(w).all() for w in model.get_weights()); retrain it or reload a checkpoint."
        )
    if num_outputs < num_classes or labels.max() >= num_outputs:
        raise ValueError(
            f"The model has {num_outputs} outputs but the labels go up to {labels.max()} "
            f"({num_classes} class names): build the model with num_classes={num_classes}."
        )
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(
            f"The labels go from {labels.min()} to {labels.max()} but there are {num_classes} class names: "
            f"pass one name per label, e.g. data.class_names. Received: class_names={class_names!r}"
        )
    ranked = np.argsort(-probabilities, axis=-1, kind="stable")
    predicted = ranked[:, 0]
    inside = predicted < num_classes
    confusion = np.zeros((num_classes, num_classes), dtype="int64")
    np.add.at(confusion, (labels[inside], predicted[inside]), 1)
    return Evaluation(
        accuracy=float(np.mean(predicted == labels)),
        top5=float(np.mean(np.any(ranked[:, :5] == labels[:, None], axis=-1))),
        confusion=confusion,
        class_names=class_names,
        outside=np.bincount(labels[~inside], minlength=num_classes),
    )
