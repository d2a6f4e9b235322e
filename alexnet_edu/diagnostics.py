"""Why won't my AlexNet learn? The sanity checks that find out, one function each.

The checks every practitioner runs before a long training run (Karpathy's
"A Recipe for Training Neural Networks", CS231n's "Babysitting the learning
process"):

- `initial_loss`: an untrained classifier that guesses evenly scores a
  cross-entropy of ln C on C classes. Far above it, the network is confidently
  wrong from the start (a bad initialisation, unscaled inputs).
- `overfit_batch`: a network that works can learn one small batch by heart.
  If it cannot, the fault is in the model or the optimiser, not in the data.
- `learning_rate_range`: the learning-rate range test (Smith 2017): raise the
  learning rate step by step from tiny to huge and watch the loss. It falls
  over a range of rates and blows up above it; a good rate lies a little
  below the bottom of the curve.
- `dead_units`: ReLU units that output zero for every image pass no gradient
  and never recover; a share that grows during training means the steps
  were too large.
- `alexnet_edu.gradient_norms`: how much gradient reaches each layer.

`diagnose` runs them all on fresh models from one builder and adds a short
training run; `diagnosis_table` puts several diagnoses side by side and
`alexnet_edu.plot_diagnoses` draws them.
"""

import dataclasses
import math
import numbers

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from alexnet_edu.data import ImageData, _steady
from alexnet_edu.inspect import gradient_norms
from alexnet_edu.train import (
    DEFAULT_LEARNING_RATES,
    DIVERGENCE_FACTOR,
    _check_data,
    _check_model,
    _schedule,
    check_count,
    check_learning_rate,
    check_model_fits_data,
    check_recipe,
    compile_for,
)

# An initial loss within this fraction of ln C reads as "guesses evenly".
INITIAL_LOSS_TOLERANCE = 0.1
# A ReLU layer whose dead share (of channels or units) grows by more than this in training is flagged.
# Not the share itself: fc6 and fc7 see only non-negative inputs, and a third of them start dead.
DEAD_UNITS_LIMIT = 0.2
# A learning rate this many times below the range test's best still counts as usable.
USABLE_RANGE = 100.0
# The range test "finds no rate" when the smoothed loss never falls below this fraction of its start.
NO_LEARNING_FRACTION = 0.9


def _number_of_classes(model):
    return int(model.outputs[0].shape[-1])


def _check_inputs(model, data, function):
    _check_model(model, function)
    _check_data(data, function)
    check_model_fits_data(model, data)


def _fixed_batch(data, batch_size):
    """`batch_size` validation images, the classes taken in turn: the same on every call.

    Validation images, not training ones: the training pipeline reshuffles on
    every pass, so its first batch changes from call to call; the checks only
    probe the model (a model trained on the batch is thrown away). Classes in
    turn, because a validation set may be sorted by class, and a batch of one
    class is learned by heart in one step.
    """
    classes = len(data.class_names)
    per_class = -(-batch_size // classes)
    picked = [[] for _ in range(classes)]
    for images, labels in data.validation:
        for image, label in zip(images.numpy(), labels.numpy()):
            if len(picked[label]) < per_class:
                picked[label].append(image)
        if all(len(group) == per_class for group in picked):
            break
    rows = [(group[index], label) for index in range(per_class) for label, group in enumerate(picked) if index < len(group)]
    rows = rows[:batch_size]
    return tf.constant(np.stack([image for image, _ in rows])), tf.constant([label for _, label in rows], tf.int32)


def initial_loss(model, data, batches=2):
    """The untrained model's cross-entropy on a few batches, beside ln C.

    A classifier that knows nothing should spread its probability evenly over
    the C classes and score ln C (2.30 for 10 classes). Much more means its
    first guesses are confidently wrong: the logits are large before any
    training (weights initialised too large, inputs not scaled to [0, 1]).

    Example:

    >>> data = load_cifar10_photos(per_class=50)
    >>> loss, expected = initial_loss(build_alexnet("mini", input_shape=(32, 32, 3)), data)
    >>> round(expected, 2)
    2.3

    Args:
        model: An untrained Keras classifier with softmax outputs.
        data: An `ImageData` whose images fit the model; the loss is taken
            over validation images of every class in turn (the same images
            on every call).
        batches: How many of `data`'s batches of images to average over.

    Returns:
        `(loss, expected)`: the mean loss (inference mode, as a prediction
        would run) and ln C.
    """
    _check_inputs(model, data, "initial_loss")
    batches = check_count("batches", batches, meaning="batches to average over", example=2)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    images, labels = _fixed_batch(data, batches * data.batch_size)
    loss = float(loss_fn(labels, model(images, training=False)))
    return loss, math.log(_number_of_classes(model))


def overfit_batch(model, data, steps=100, batch_size=32, recipe="adam", learning_rate=None):
    """Trains on one small batch of images, again and again.

    A network that can learn should reach 100 % on a batch it sees every
    step. The model is compiled with the recipe's optimizer at a constant
    learning rate (no schedule) and trained in place.

    Example:

    >>> data = load_cifar10_photos(per_class=50)
    >>> curve = overfit_batch(build_alexnet("mini", input_shape=(32, 32, 3)), data, steps=50)
    >>> float(curve["accuracy"].iloc[-1])
    1.0

    Args:
        model: A Keras classifier with softmax outputs (it is recompiled).
        data: An `ImageData`; the batch is `batch_size` of its validation
            images, every class in turn, the same on every call (the model
            is only a probe).
        steps: Training steps on that batch.
        batch_size: Images in the batch.
        recipe: `"adam"`, `"paper"` or `"sgd"`: which optimizer.
        learning_rate: Its learning rate; None for the recipe's default.

    Returns:
        A `pandas.DataFrame` indexed by step (from 1) with the step's
        training `loss` and `accuracy` on the batch (training mode: dropout
        on, BatchNorm on the batch's statistics, as the step sees it).
    """
    _check_inputs(model, data, "overfit_batch")
    steps = check_count("steps", steps, meaning="training steps on the one batch", example=100)
    batch_size = check_count("batch_size", batch_size, meaning="images in the batch", example=32)
    check_recipe(recipe)
    learning_rate = check_learning_rate(learning_rate)
    compile_for(model, recipe, learning_rate, total_steps=None)
    return _overfit(model, data, steps, batch_size)


def _ready(model, data):
    """Builds the optimizer, loss and metrics before the first step, as `fit` and `train_on_batch` do.

    Variables created inside the first trace of the training step instead
    would make TensorFlow trace it twice (about 2 s each on 2 cores).
    """
    model._symbolic_build(data_batch=next(iter(data.validation)))
    model.make_train_function()


def _step(model, batches):
    """One training step on the next batch of a `tf.data` iterator: that step's loss and metrics.

    Through the model's own training function, as `fit` calls it, rather than
    `train_on_batch`: an iterator's batches have no fixed size, so the step is
    traced once for every batch size (each new size cost `train_on_batch` a
    new trace).
    """
    model.reset_metrics()
    return {name: float(value) for name, value in model.train_function(batches).items()}


def _overfit(model, data, steps, batch_size):
    _ready(model, data)
    images, labels = _fixed_batch(data, batch_size)
    batch = tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch_size).repeat()
    batches = iter(batch)
    rows = []
    for _ in range(steps):
        logs = _step(model, batches)
        rows.append({"loss": logs["loss"], "accuracy": logs["accuracy"]})
    return pd.DataFrame(rows, index=pd.RangeIndex(1, steps + 1, name="step"))


def _check_range(start, stop):
    for name, value in (("start", start), ("stop", stop)):
        check_learning_rate(value)
        if value is None:
            raise ValueError(f"{name} must be a learning rate above 0, e.g. 1e-6. Received: {name}=None")
    if start >= stop:
        raise ValueError(f"start must be below stop (the rates rise from start to stop). Received: start={start}, stop={stop}")


def learning_rate_range(model, data, start=1e-5, stop=1.0, steps=200, recipe="adam", smoothing=0.9):
    """The learning-rate range test (Smith 2017): the loss as the rate rises.

    Trains on successive training batches while the learning rate grows
    geometrically from `start` to `stop`, one rate per step, and stops early
    once the smoothed loss has blown up to `DIVERGENCE_FACTOR` times its
    lowest value. Read the curve from the left: flat (too small to matter),
    falling (useful rates), then rising (too large). `best_learning_rate`
    reads the rate at the bottom.

    Example:

    >>> data = load_cifar10_photos(per_class=50)
    >>> curve = learning_rate_range(build_alexnet("mini", input_shape=(32, 32, 3)), data)
    >>> list(curve.columns), len(curve)
    (['learning_rate', 'loss', 'smoothed'], 200)

    Args:
        model: A Keras classifier with softmax outputs (recompiled and trained in place).
        data: An `ImageData`; its training batches are used in turn.
        start: The first learning rate.
        stop: The last learning rate.
        steps: Training steps from `start` to `stop`.
        recipe: `"adam"`, `"paper"` or `"sgd"`: which optimizer.
        smoothing: Weight of the past in the exponential moving average of the
            loss (0 keeps the raw, noisy per-batch losses).

    Returns:
        A `pandas.DataFrame` indexed by step with `learning_rate`, `loss` (the
        step's batch) and `smoothed` (bias-corrected moving average).
    """
    _check_inputs(model, data, "learning_rate_range")
    _check_range(start, stop)
    steps = check_count("steps", steps, minimum=2, meaning="training steps from start to stop", example=100)
    check_recipe(recipe)
    if not isinstance(smoothing, numbers.Real) or isinstance(smoothing, bool) or not 0 <= smoothing < 1:
        raise ValueError(
            f"smoothing must be a number from 0 up to (not including) 1, e.g. 0.9. Received: smoothing={smoothing!r}"
        )
    rates = np.geomspace(start, stop, steps)
    compile_for(model, recipe, float(rates[0]), total_steps=None)
    return _range_test(model, data, rates, smoothing)


def _range_test(model, data, rates, smoothing):
    _ready(model, data)
    batches = iter(_steady(data.fresh().train.repeat()))
    rows, average, lowest = [], 0.0, math.inf
    for step, rate in enumerate(rates, start=1):
        model.optimizer.learning_rate.assign(float(rate))
        loss = _step(model, batches)["loss"]
        if not math.isfinite(loss):
            break
        average = smoothing * average + (1 - smoothing) * loss
        smoothed = average / (1 - smoothing**step)
        rows.append({"learning_rate": float(rate), "loss": loss, "smoothed": smoothed})
        lowest = min(lowest, smoothed)
        if smoothed > DIVERGENCE_FACTOR * lowest:
            break
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="step"))


def best_learning_rate(curve):
    """Reads a range-test curve: the rate at the lowest smoothed loss, or None.

    None when the smoothed loss never falls below `NO_LEARNING_FRACTION` of
    its first value: no learning rate makes this model learn, so the fault
    is not the rate.

    Example:

    >>> import pandas as pd
    >>> curve = pd.DataFrame({"learning_rate": [1e-4, 1e-3, 1e-2, 1e-1], "smoothed": [2.30, 1.90, 1.20, 4.00]})
    >>> best_learning_rate(curve)  # the rate at the lowest smoothed loss
    0.01
    >>> print(best_learning_rate(curve.assign(smoothed=[2.30, 2.28, 2.25, 9.00])))  # never below 90 % of 2.30
    None

    Args:
        curve: `learning_rate_range`'s DataFrame.

    Returns:
        A float learning rate, or None.
    """
    if not isinstance(curve, pd.DataFrame) or not {"learning_rate", "smoothed"} <= set(curve.columns) or curve.empty:
        raise ValueError(f"curve must be the DataFrame that learning_rate_range returns. Received: {type(curve).__name__}")
    smoothed = curve["smoothed"].to_numpy()
    if smoothed.min() > NO_LEARNING_FRACTION * smoothed[0]:
        return None
    return float(curve["learning_rate"].iloc[int(np.argmin(smoothed))])


def _relu_names(model):
    return [
        layer.name
        for layer in model.layers
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))
        and getattr(getattr(layer, "activation", None), "__name__", "") == "relu"
    ]


def dead_units(model, images):
    """Per ReLU layer: the share of its channels (conv) or units (dense) that are zero for every image.

    A dead ReLU unit outputs 0 for any input, so no gradient flows through it
    and it never comes back; too large a step can kill a large share of a
    layer at once.

    Example:

    >>> model = build_alexnet("mini", num_classes=10, input_shape=(32, 32, 3))
    >>> images = np.random.default_rng(0).random((8, 32, 32, 3), dtype="float32")
    >>> dead_units(model, images).index.tolist()
    ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']

    Args:
        model: A Keras model whose conv and dense layers use ReLU.
        images: A batch of images that fit the model (uint8 or [0, 1] floats).

    Returns:
        A `pandas.Series` indexed by layer name: the dead share from 0 to 1.
    """
    from alexnet_edu.visualize._layers import model_images
    from alexnet_edu.visualize.activations import activation_model

    names = _relu_names(model)
    if not names:
        raise ValueError(f"Model {model.name!r} has no conv or dense layer with a ReLU activation to check.")
    outputs = activation_model(model, names)(model_images(model, images, "images", batch=True), training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    shares = {}
    for name, output in zip(names, outputs):
        values = np.asarray(output, np.float32)
        alive = (values > 0).reshape(-1, values.shape[-1]).any(axis=0)
        shares[name] = float(1 - alive.mean())
    return pd.Series(shares, name="dead")


@dataclasses.dataclass(frozen=True)
class Diagnosis:
    """Everything `diagnose` measured on one model, data and learning rate.

    Example:

    >>> build = lambda: build_alexnet("mini", input_shape=(32, 32, 3))
    >>> diagnosis = diagnose(build, load_cifar10_photos(per_class=50), learning_rate=1e-3, epochs=2)
    >>> round(diagnosis.expected_loss, 2), diagnosis.diverged  # ln 10
    (2.3, False)
    >>> diagnosis.layers.index.tolist()
    ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8']

    Attributes:
        name: What was diagnosed (the label in tables and figures).
        learning_rate: The learning rate the model was meant to train with.
        recipe: The recipe.
        initial_loss: The untrained model's loss (`initial_loss`).
        expected_loss: ln C.
        overfit: `overfit_batch`'s curve.
        lr_range: `learning_rate_range`'s curve.
        best_learning_rate: `best_learning_rate(lr_range)`, or None.
        layers: Per conv and dense layer: `gradient_rms` and `ratio` (gradient
            / kernel) of the untrained model, `dead_before` and `dead_after`
            the short training (NaN for layers without ReLU).
        history: Per epoch of the short training: `loss`, `accuracy`,
            `val_loss`, `val_accuracy`.
        diverged: True when the short training's loss became NaN or
            infinite, or ended above `DIVERGENCE_FACTOR` × ln C.
    """

    name: str
    learning_rate: float
    recipe: str
    initial_loss: float
    expected_loss: float
    overfit: pd.DataFrame
    lr_range: pd.DataFrame
    best_learning_rate: float | None
    layers: pd.DataFrame
    history: pd.DataFrame
    diverged: bool

    def checks(self, chance=None):
        """Each check's measurement and whether it looks healthy.

        Args:
            chance: Accuracy of guessing (1 / C); defaults to
                `exp(-expected_loss)`.

        Returns:
            A `pandas.DataFrame` indexed by check with `measured`, `healthy`
            (what a working setup shows) and `ok`.
        """
        chance = math.exp(-self.expected_loss) if chance is None else chance
        loss_ok = abs(self.initial_loss / self.expected_loss - 1) <= INITIAL_LOSS_TOLERANCE
        batch_accuracy = float(self.overfit["accuracy"].iloc[-1])
        best = self.best_learning_rate
        if best is None:
            rate_text, rate_ok = "no rate lowers the loss", False
        else:
            rate_ok = best / USABLE_RANGE <= self.learning_rate <= best
            rate_text = f"{self.learning_rate:g} vs best {best:.2g}"
        killed = (self.layers["dead_after"] - self.layers["dead_before"]).max()
        gradient = self.layers["ratio"]
        weakest = gradient.min() / gradient.max()
        validation = float(self.history["val_accuracy"].max()) if len(self.history) else float("nan")
        rows = {
            "initial loss": (
                f"{self.initial_loss:.2f}",
                f"ln C = {self.expected_loss:.2f} (± {INITIAL_LOSS_TOLERANCE:.0%})",
                loss_ok,
            ),
            "overfit one batch": (f"{batch_accuracy:.0%} after {len(self.overfit)} steps", "100 %", batch_accuracy == 1.0),
            "learning rate": (rate_text, f"best ÷ {USABLE_RANGE:g} to best", rate_ok),
            "weakest gradient": (f"{weakest:.1e} of the strongest", "above 1e-2", bool(weakest > 1e-2)),
            "dead ReLUs": (
                f"{killed * 100:+.0f} points (worst layer)",
                f"at most +{DEAD_UNITS_LIMIT * 100:.0f} points",
                bool(killed <= DEAD_UNITS_LIMIT),
            ),
            "learns": (
                "diverged" if self.diverged else f"{validation:.0%} validation",
                f"well above chance ({chance:.0%})",
                (not self.diverged) and validation >= 2 * chance,
            ),
        }
        return pd.DataFrame.from_dict(rows, orient="index", columns=["measured", "healthy", "ok"])


def diagnose(
    build,
    data,
    learning_rate=None,
    recipe="adam",
    epochs=5,
    name=None,
    overfit_steps=100,
    range_steps=200,
    seed=0,
):
    """Runs every sanity check on a fresh model from `build`, then trains briefly.

    Each check starts from the same untrained weights with a fresh optimizer
    (moments and step count zero), so one check's training does not change
    another's result. The
    initial loss, the overfit batch, the gradients and the dead units use
    fixed validation images; the range test and the training run read the
    training batches in the pipeline's order, which moves on with every pass
    (as any Keras `fit` does): a fresh kernel repeats the same numbers.

    Example:

    >>> data = load_cifar10_photos(per_class=50)
    >>> diagnosis = diagnose(lambda: build_alexnet("mini", input_shape=(32, 32, 3)), data, learning_rate=1e-3, epochs=2)
    >>> list(diagnosis.checks().index)
    ['initial loss', 'overfit one batch', 'learning rate', 'weakest gradient', 'dead ReLUs', 'learns']

    Args:
        build: A function with no arguments that returns a new, untrained
            Keras classifier (e.g. a `lambda` around `build_alexnet`).
        data: An `ImageData` whose images fit the model.
        learning_rate: The rate to check and to train with; None for the
            recipe's default.
        recipe: `"adam"`, `"paper"` or `"sgd"`. The short training uses the
            recipe as `train` does (Adam with warm-up and cosine decay).
        epochs: Epochs of the short training run.
        name: A label for tables and figures; defaults to the model's name.
        overfit_steps: Steps of `overfit_batch`.
        range_steps: Steps of `learning_rate_range`.
        seed: Seeds Python, NumPy and TensorFlow before the model is built
            and again before each check.

    Returns:
        A `Diagnosis`.
    """
    if isinstance(build, keras.Model) or not callable(build):
        raise TypeError(
            "build must be a function that returns a new model, e.g. lambda: build_alexnet('mini', input_shape=(32, 32, 3)). "
            f"Received: build={build!r}"
        )
    if not isinstance(data, ImageData):
        _check_data(data, "diagnose")
    check_recipe(recipe)
    learning_rate = check_learning_rate(learning_rate)
    learning_rate = DEFAULT_LEARNING_RATES[recipe] if learning_rate is None else float(learning_rate)
    epochs = check_count("epochs", epochs, meaning="epochs of the short training run", example=5)

    keras.utils.set_random_seed(seed)
    model = build()
    if not isinstance(model, keras.Model):
        raise TypeError(f"build() must return a Keras model. Received: {type(model).__name__}")
    loss, expected = initial_loss(model, data)
    images, labels = _fixed_batch(data, 64)
    gradients = gradient_norms(model, images.numpy(), labels.numpy())
    probe = _fixed_batch(data, 256)[0].numpy()
    relu_layers = _relu_names(model)
    dead_before = dead_units(model, probe) if relu_layers else pd.Series(dtype=float)

    # One model compiled once, restarted from its untrained weights before each check: a compile
    # retraces the training step (about 3 s on 2 cores), which was most of a quick diagnosis.
    untrained = model.get_weights()
    compile_for(model, recipe, learning_rate, total_steps=None)
    model.optimizer.build(model.trainable_variables)
    compiled = [variable.numpy() for variable in model.optimizer.variables]
    overfit = _overfit(model, data, overfit_steps, batch_size=32)
    _restart(model, untrained, compiled, seed)
    lr_range = _range_test(model, data, np.geomspace(1e-5, 1.0, range_steps), smoothing=0.9)
    _restart(model, untrained, compiled, seed)
    schedule = _schedule(recipe, learning_rate, epochs * -(-data.num_train // data.batch_size))
    history = model.fit(
        _steady(data.fresh().train),
        validation_data=_steady(data.validation),
        epochs=epochs,
        verbose=0,
        callbacks=[keras.callbacks.TerminateOnNaN(), _FollowSchedule(schedule)],
        shuffle=False,
    ).history
    # Blown up: NaN or infinite, or a last loss far above the even guess's (no network learns up there).
    diverged = any(not math.isfinite(value) for value in history["loss"]) or history["loss"][-1] > DIVERGENCE_FACTOR * expected
    finite = not any(not np.all(np.isfinite(np.asarray(weight))) for weight in model.weights)
    dead_after = dead_units(model, probe) if relu_layers and finite else pd.Series(1.0, index=relu_layers)
    layers = pd.DataFrame(
        {
            "gradient_rms": gradients["gradient_rms"],
            "ratio": gradients["ratio"],
            "dead_before": dead_before,
            "dead_after": dead_after,
        }
    ).loc[gradients.index]
    history = pd.DataFrame({key: history[key] for key in ("loss", "accuracy", "val_loss", "val_accuracy") if key in history})
    history.index = pd.RangeIndex(1, len(history) + 1, name="epoch")
    return Diagnosis(
        name=name or model.name,
        learning_rate=learning_rate,
        recipe=recipe,
        initial_loss=loss,
        expected_loss=expected,
        overfit=overfit,
        lr_range=lr_range,
        best_learning_rate=best_learning_rate(lr_range),
        layers=layers,
        history=history,
        diverged=diverged,
    )


def _restart(model, weights, optimizer_state, seed):
    """Untrained weights, the optimizer as compiled (moments and step count zero, a loss scale as it began) and the same seed."""
    model.set_weights(weights)
    for variable, value in zip(model.optimizer.variables, optimizer_state):
        variable.assign(value)
    keras.utils.set_random_seed(seed)


class _FollowSchedule(keras.callbacks.Callback):
    """Sets the optimizer's (assignable) learning rate from a recipe's schedule before every step."""

    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_train_batch_begin(self, batch, logs=None):
        optimizer = self.model.optimizer
        rate = self.schedule(optimizer.iterations) if callable(self.schedule) else self.schedule
        optimizer.learning_rate.assign(float(rate))


def diagnosis_list(diagnoses):
    """A list or dict of `Diagnosis` as a list, or a one-line error."""
    diagnoses = list(diagnoses.values()) if isinstance(diagnoses, dict) else list(diagnoses)
    if not diagnoses or not all(isinstance(diagnosis, Diagnosis) for diagnosis in diagnoses):
        raise ValueError("diagnoses must be a non-empty list of Diagnosis objects (what diagnose returns).")
    return diagnoses


def diagnosis_table(diagnoses):
    """Several diagnoses side by side: one row per setup, one column per check.

    Each cell is the measurement followed by ✓ (looks healthy) or ✗.

    Example:

    >>> data = load_cifar10_photos(per_class=50)
    >>> quick = dict(epochs=1, overfit_steps=20, range_steps=30)  # a quick look; the defaults check more
    >>> half = diagnose(lambda: build_alexnet("mini", input_shape=(32, 32, 3), width=0.5), data, name="half width", **quick)
    >>> full = diagnose(lambda: build_alexnet("mini", input_shape=(32, 32, 3)), data, name="full width", **quick)
    >>> table = diagnosis_table([half, full])
    >>> list(table.index)
    ['half width', 'full width']
    >>> list(table.columns)
    ['initial loss', 'overfit one batch', 'learning rate', 'weakest gradient', 'dead ReLUs', 'learns']

    Args:
        diagnoses: A list of `Diagnosis` (or a dict of them).

    Returns:
        A `pandas.DataFrame` indexed by the diagnoses' names.
    """
    rows = {}
    for diagnosis in diagnosis_list(diagnoses):
        checks = diagnosis.checks()
        rows[diagnosis.name] = {
            check: f"{row.measured} {'✓' if row.ok else '✗'}" for check, row in checks.iterrows()
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def with_shuffled_labels(data, seed=0):
    """A copy of `data` whose training labels are randomly permuted (validation untouched).

    The classic control experiment (Zhang et al. 2017, "Understanding deep
    learning requires rethinking generalization"): a network can still learn
    shuffled labels by heart, but nothing it learns carries over to the
    validation images. The same fault appears when images and labels are
    read in different orders.

    Example:

    >>> data = load_shapes(num_images=400, image_size=32)
    >>> noise = with_shuffled_labels(data)  # can the model memorise labels that mean nothing?
    >>> noise.num_train == data.num_train, noise.class_names == data.class_names
    (True, True)

    Args:
        data: An `ImageData`.
        seed: Seed of the permutation (and of the new training shuffle).

    Returns:
        A new `ImageData` with the same images.
    """
    from alexnet_edu.data import arrays_to_data

    _check_data(data, "with_shuffled_labels")
    splits, fresh = {}, data.fresh()
    for split in ("train", "validation"):
        images, labels = zip(*((x.numpy(), y.numpy()) for x, y in getattr(fresh, split)))
        splits[split] = (np.concatenate(images), np.concatenate(labels))
    (x_train, y_train), (x_validation, y_validation) = splits["train"], splits["validation"]
    y_train = np.random.default_rng(seed).permutation(y_train)
    return arrays_to_data(x_train, y_train, x_validation, y_validation, data.class_names, batch_size=data.batch_size, seed=seed)
