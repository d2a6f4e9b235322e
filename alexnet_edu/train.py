"""Training and evaluation: the paper's recipe in one call, a faster one, and honest estimates."""

import dataclasses
import pathlib
import time

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from alexnet_edu.data import _steady

RECIPES = {
    "paper": "SGD, momentum 0.9, weight decay 5e-4, lr 0.01 divided by 10 when validation loss stops improving",
    "adam": "Adam, lr 1e-3 with a short warm-up and cosine decay: converges in far fewer epochs",
}


def _device():
    return "GPU" if tf.config.list_physical_devices("GPU") else "CPU"


def _precision(model):
    policies = {layer.dtype_policy.name for layer in model.layers if layer.weights}
    if any(name.startswith("mixed") for name in policies):
        return f"mixed precision ({', '.join(sorted(p for p in policies if p.startswith('mixed')))}, softmax in float32)"
    return "float32"


def check_model_fits_data(model, data):
    """Raises a clear error when the model's input or output does not match the data.

    Args:
        model: A Keras classifier.
        data: An `ImageData`.
    """
    expected = tuple(model.input_shape[1:])
    if expected != tuple(data.image_shape):
        raise ValueError(
            f"The data's images are {data.image_shape} but {model.name!r} expects {expected}: "
            f"load the data with image_size={expected[:2]} or build the model with input_shape={tuple(data.image_shape)}."
        )
    num_outputs = model.output_shape[-1]
    if len(data.class_names) > num_outputs:
        raise ValueError(
            f"The data has {len(data.class_names)} classes (labels 0-{len(data.class_names) - 1}) but "
            f"{model.name!r} has only {num_outputs} outputs: build it with num_classes={len(data.class_names)}."
        )


def _optimizer(recipe, learning_rate, total_steps):
    if recipe == "paper":
        return keras.optimizers.SGD(learning_rate or 0.01, momentum=0.9, weight_decay=5e-4)
    peak = learning_rate or 1e-3
    warmup = max(1, total_steps // 20)
    schedule = keras.optimizers.schedules.CosineDecay(
        peak / 10, decay_steps=max(1, total_steps - warmup), warmup_target=peak, warmup_steps=warmup
    )
    return keras.optimizers.Adam(schedule)


def compile_for(model, recipe="adam", learning_rate=None, total_steps=1000):
    """Compiles a classifier with a recipe's optimizer, cross-entropy loss, accuracy and top-5.

    Args:
        model: A Keras classifier with softmax outputs.
        recipe: `"paper"` or `"adam"` (see `RECIPES`).
        learning_rate: Overrides the recipe's (peak) learning rate.
        total_steps: Training steps, for the learning-rate schedule.
    """
    if recipe not in RECIPES:
        raise ValueError(f"Unknown recipe {recipe!r}. Valid recipes: {', '.join(map(repr, RECIPES))}.")
    metrics = ["accuracy"]
    if model.output_shape[-1] > 5:
        metrics.append(keras.metrics.SparseTopKCategoricalAccuracy(5, name="top5"))
    # XLA made AlexNet's training about 20 % slower on CPU (make bench, 2 cores); let Keras decide on GPU.
    model.compile(
        optimizer=_optimizer(recipe, learning_rate, total_steps),
        loss="sparse_categorical_crossentropy",
        metrics=metrics,
        jit_compile="auto" if _device() == "GPU" else False,
    )


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
):
    """Trains a classifier with Keras `fit`, printing what it chose.

    Example:

    >>> data = load_shapes()
    >>> model = build_alexnet("mini", num_classes=len(data.class_names))
    >>> history = train(model, data, epochs=10)

    Args:
        model: A Keras classifier whose input matches `data.image_shape`.
        data: An `ImageData` (training and validation pipelines).
        epochs: Passes over the training data.
        recipe: `"adam"` (fast, the default) or `"paper"` (SGD with momentum
            0.9, weight decay 5e-4, lr 0.01 divided by 10 when the validation
            loss stops improving for `patience` epochs).
        learning_rate: Overrides the recipe's learning rate.
        checkpoint_path: Save the best model (by validation accuracy) here,
            e.g. `"checkpoints/mini.keras"`.
        tensorboard_dir: Write TensorBoard logs here.
        patience: Epochs without improvement before the paper recipe divides
            the learning rate by 10.
        verbose: Keras's progress output: `"auto"`, 0, 1 (bar) or 2 (a line per epoch).
        callbacks: More Keras callbacks.

    Returns:
        The Keras `History`.
    """
    check_model_fits_data(model, data)
    steps_per_epoch = -(-data.num_train // data.batch_size)
    compile_for(model, recipe, learning_rate, epochs * steps_per_epoch)
    callbacks = list(callbacks)
    if recipe == "paper":
        callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=patience, min_lr=1e-5))
    if checkpoint_path:
        pathlib.Path(checkpoint_path).parent.mkdir(parents=True, exist_ok=True)
        callbacks.append(keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_accuracy", save_best_only=True))
    if tensorboard_dir:
        callbacks.append(keras.callbacks.TensorBoard(tensorboard_dir))
    print(
        f"Training {model.name} on the {_device()}: {data.num_train:,} images in batches of {data.batch_size}, "
        f"{epochs} epochs, recipe {recipe!r} ({RECIPES[recipe]}); tf.data autotuner off (it stalls epochs), "
        f"XLA {'auto' if _device() == 'GPU' else 'off (slower on CPU)'}, {_precision(model)}."
    )
    # The pipelines shuffle themselves; Keras's own shuffle does not apply to datasets.
    return model.fit(
        _steady(data.train),
        validation_data=_steady(data.validation),
        epochs=epochs,
        verbose=verbose,
        callbacks=callbacks,
        shuffle=False,
    )


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
        return (
            f"{self.model_name} on this {self.device}: {_duration(self.seconds_per_epoch)} per epoch of "
            f"{self.images_per_epoch:,} images ({self.images_per_second:,.0f} images/s), "
            f"so {self.epochs} epochs take about {_duration(self.total_seconds)}.{advice}"
        )


def _duration(seconds):
    if seconds < 90:
        return f"~{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"~{seconds / 60:.0f} min"
    return f"~{seconds / 3600:.1f} h"


def estimate_training_time(model, data, epochs=10, steps=5, recipe="adam", images_per_epoch=None):
    """Times a few training steps (and a validation batch) on a copy of the model and extrapolates.

    The model itself is left untouched (its weights and compile state).

    Args:
        model: The Keras classifier you are about to train.
        data: The `ImageData` you will train on.
        epochs: The planned number of epochs.
        steps: Training steps to time, after one warm-up step.
        recipe: The recipe you will use (its optimizer costs a little).
        images_per_epoch: Size of the real training set, if `data` is only a
            sample of it (e.g. 60_000 for a full dataset); defaults to
            `data.num_train`.

    Returns:
        A `TimeEstimate`; print it for a one-line summary.
    """
    check_model_fits_data(model, data)
    clone = keras.models.clone_model(model)
    compile_for(clone, recipe)
    batches = list(data.train.take(steps + 1))
    clone.train_on_batch(*batches[0])
    start = time.perf_counter()
    for images, labels in batches[1:]:
        clone.train_on_batch(images, labels)
    seconds_per_step = (time.perf_counter() - start) / max(1, len(batches) - 1)
    validation_batch = next(iter(data.validation))[0]
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
        confusion: `confusion[i, j]` counts images of class i predicted as j.
        class_names: Names of the rows and columns.
    """

    accuracy: float
    top5: float
    confusion: np.ndarray
    class_names: tuple

    @property
    def per_class_accuracy(self):
        """A `pandas.Series`: the accuracy of each class."""
        totals = self.confusion.sum(axis=1)
        return pd.Series(np.diag(self.confusion) / np.maximum(totals, 1), index=list(self.class_names), name="accuracy")


def evaluate(model, dataset, class_names):
    """Accuracy, top-5 accuracy, confusion matrix and per-class accuracy.

    Args:
        model: A trained Keras classifier.
        dataset: Batches of `(images, labels)`, e.g. `data.validation`.
        class_names: The names of the labels.

    Returns:
        An `Evaluation`.
    """
    labels, probabilities = [], []
    for images, batch_labels in dataset:
        probabilities.append(np.asarray(model(images, training=False)))
        labels.append(np.asarray(batch_labels))
    labels, probabilities = np.concatenate(labels), np.concatenate(probabilities)
    num_classes = len(class_names)
    if probabilities.shape[-1] < num_classes or labels.max() >= probabilities.shape[-1]:
        raise ValueError(
            f"The model has {probabilities.shape[-1]} outputs but the labels go up to {labels.max()} "
            f"({num_classes} class names): build the model with num_classes={num_classes}."
        )
    ranked = np.argsort(-probabilities, axis=-1)
    confusion = tf.math.confusion_matrix(labels, ranked[:, 0], num_classes=num_classes).numpy()
    return Evaluation(
        accuracy=float(np.mean(ranked[:, 0] == labels)),
        top5=float(np.mean(np.any(ranked[:, :5] == labels[:, None], axis=-1))),
        confusion=confusion,
        class_names=tuple(class_names),
    )
