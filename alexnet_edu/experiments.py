"""Controlled experiments: train variants of one model on the same data with several seeds.

Every innovations notebook asks the same question ("does this change help,
and by more than the noise?"), so they all use `run_ablation`: a base
configuration, named variants that change a few knobs, the same data, epochs
and recipe for all, and several seeds per variant. The result is a tidy table
with one row per variant, seed and epoch, ready for `plot_ablation`.

Example:

>>> data = load_shapes(num_images=400, image_size=32)
>>> ablation = run_ablation(
...     data,
...     variants={"relu": dict(activation="relu"), "tanh": dict(activation="tanh")},
...     base=dict(normalization="none", dropout=0.0),
...     seeds=(0, 1),
...     epochs=3,
...     verbose=False,
... )
>>> list(ablation.summary("val_accuracy").columns)
['mean', 'std', 'min', 'max', 'seeds', 'seconds']
"""

import collections.abc
import dataclasses
import inspect
import numbers
import re
import time

import keras
import numpy as np
import pandas as pd

from alexnet_edu.data import ImageData, _steady
from alexnet_edu.models import KNOBS, build_alexnet, make_config
from alexnet_edu.train import (
    DEFAULT_LEARNING_RATES,
    NonFiniteTrainingError,
    _check_data,
    _check_fit,
    _StopOnNonFinite,
    check_count,
    check_learning_rate,
    check_model_fits_data,
    check_recipe,
    compile_for,
)

RUN_OPTIONS = ("preset", "recipe", "learning_rate", "data")
METRICS = ("loss", "accuracy", "val_loss", "val_accuracy")


class _EpochClock(keras.callbacks.Callback):
    """Records the wall time of every epoch, validation included."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


@dataclasses.dataclass
class Ablation:
    """The results of `run_ablation`.

    Example (two variants, two seeds, four epochs each):

    >>> ablation.variants
    ['relu', 'tanh']
    >>> ablation.history.columns.tolist()
    ['variant', 'seed', 'epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'seconds', 'elapsed']
    >>> len(ablation.history)  # 2 variants x 2 seeds x 4 epochs
    16

    Attributes:
        history: A `pandas.DataFrame` with one row per variant, seed and epoch:
            `variant, seed, epoch, loss, accuracy, val_loss, val_accuracy,
            seconds` (that epoch's wall time) and `elapsed` (wall time since
            the run started).
        settings: `{variant: the knobs and options it ran with}`.
        models: `{(variant, seed): trained model}` when run with `keep_models=True`.
    """

    history: pd.DataFrame
    settings: dict
    models: dict = dataclasses.field(default_factory=dict)

    @property
    def variants(self):
        return list(self.settings)

    def _check_metric(self, metric):
        if not isinstance(metric, str) or metric not in self.history.columns or metric in ("variant", "seed", "epoch"):
            valid = [c for c in self.history.columns if c not in ("variant", "seed", "epoch")]
            raise ValueError(f"Unknown metric {metric!r}. Valid metrics: {', '.join(valid)}.")

    def values(self, metric):
        """One column of `history`, or `"error"` / `"val_error"` (1 - accuracy), aligned with its rows."""
        if metric in ("error", "val_error"):
            return 1 - self.history[metric.replace("error", "accuracy")]
        self._check_metric(metric)
        return self.history[metric]

    def final(self, metric="val_accuracy", at="last"):
        """One number per variant and seed: the metric at the last epoch, or its best.

        Args:
            metric: A column of `history`, e.g. `"val_accuracy"` or `"loss"`.
            at: `"last"` (the final epoch) or `"best"` (the highest accuracy or
                lowest loss over the epochs).

        Returns:
            A `pandas.DataFrame` indexed by variant, one column per seed.
        """
        self._check_metric(metric)
        if at not in ("last", "best"):
            raise ValueError(f"at must be 'last' or 'best'. Received: at={at!r}")
        grouped = self.history.groupby(["variant", "seed"], sort=False)[metric]
        if at == "last":
            values = grouped.last()
        else:
            values = grouped.min() if "loss" in metric else grouped.max()
        return values.unstack("seed").reindex(self.variants)

    def summary(self, metric="val_accuracy", at="last", scale=1):
        """Mean, standard deviation, min and max across seeds, one row per variant.

        Also gives the mean wall time of a run. The standard deviation is the
        sample one (ddof=1); with 3 seeds it is itself a rough estimate.
        `scale` multiplies the metric, e.g. 100 for accuracies in percent.
        """
        if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or scale <= 0:
            raise ValueError(f"scale must be a positive number, e.g. 100 for percent. Received: scale={scale!r}")
        values = scale * self.final(metric, at)
        seconds = self.history.groupby(["variant", "seed"], sort=False)["elapsed"].last().groupby("variant").mean()
        table = pd.DataFrame(
            {
                "mean": values.mean(axis=1),
                "std": values.std(axis=1, ddof=1) if values.shape[1] > 1 else np.nan,
                "min": values.min(axis=1),
                "max": values.max(axis=1),
                "seeds": values.shape[1],
                "seconds": seconds.reindex(self.variants),
            }
        )
        table.index.name = "variant"
        return table

    def last_gain(self, metric="val_accuracy", epochs=3):
        """What the last epochs still added: has every run levelled off?

        The metric at the last epoch minus its value `epochs` epochs before,
        one number per variant and seed. Near zero means the run had reached
        a plateau; a clear gain means it stopped while still improving.

        Example:

        >>> gains = ablation.last_gain("val_accuracy", epochs=3)
        >>> gains.shape  # 2 variants, 2 seeds
        (2, 2)

        Args:
            metric: A column of `history`, or `"error"` / `"val_error"`.
            epochs: How far back to look: a whole number of epochs, fewer than
                the shortest run has (runs of one epoch have no gain to show).

        Returns:
            A `pandas.DataFrame` indexed by variant, one column per seed.
        """
        values = self.history.assign(value=self.values(metric))
        runs = values.groupby(["variant", "seed"], sort=False)["value"]
        shortest = int(runs.size().min())
        if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or not 1 <= epochs < shortest:
            raise ValueError(
                f"epochs must be a whole number from 1 to {shortest - 1} (the shortest run has {shortest} epochs). "
                f"Received: epochs={epochs!r}"
            )
        gains = runs.apply(lambda run: run.iloc[-1] - run.iloc[-1 - epochs])
        return gains.unstack("seed").reindex(self.variants)

    def epochs_to_reach(self, metric, threshold):
        """The first epoch (and the seconds until then) where a metric reaches a threshold.

        Accuracies must rise to the threshold, losses and errors fall to it.
        A run that never reaches it gets NaN.

        Example:

        >>> reached = ablation.epochs_to_reach("error", 0.25)  # the paper's Figure 1
        >>> list(reached.columns)
        ['variant', 'seed', 'epoch', 'elapsed']

        Args:
            metric: A column of `history`, or `"error"` / `"val_error"`
                (1 - accuracy).

        Returns:
            A `pandas.DataFrame` with one row per variant and seed:
            `variant, seed, epoch, elapsed`.
        """
        values = self.values(metric)
        if not isinstance(threshold, numbers.Real) or isinstance(threshold, bool) or not np.isfinite(threshold):
            raise ValueError(f"threshold must be a finite number, e.g. 0.25 for 25 % error. Received: threshold={threshold!r}")
        reached = _reached(metric, values, threshold)
        rows = []
        for (variant, seed), run in self.history.groupby(["variant", "seed"], sort=False):
            hits = run[reached.loc[run.index]]
            first = hits.iloc[0] if len(hits) else None
            rows.append(
                dict(
                    variant=variant,
                    seed=seed,
                    epoch=first["epoch"] if first is not None else np.nan,
                    elapsed=first["elapsed"] if first is not None else np.nan,
                )
            )
        return pd.DataFrame(rows)


def _knobs_of(build):
    """The keyword arguments a model-building function accepts, or `KNOBS` for `build_alexnet`."""
    if build is None:
        return KNOBS
    if not callable(build):
        raise TypeError(f"build must be a function that returns a Keras model, e.g. build_figure1_cnn. Received: build={build!r}")
    parameters = inspect.signature(build).parameters.values()
    return tuple(p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "name")


def _check_variants(variants, base, knobs=KNOBS):
    if not isinstance(variants, dict):
        raise TypeError(
            "variants must be a dict of {name: knobs}, e.g. variants={'relu': dict(activation='relu')}. "
            f"Received: variants of type {type(variants).__name__}"
        )
    if not variants:
        raise ValueError("run_ablation needs at least one variant, e.g. variants={'relu': dict(activation='relu')}.")
    valid = set(knobs) | set(RUN_OPTIONS)
    for name, variant in {"base": base, **variants}.items():
        if not isinstance(variant, dict):
            raise ValueError(f"Variant {name!r} must be a dict of knobs, e.g. dict(activation='tanh'). Received: {variant!r}")
        unknown = sorted(set(variant) - valid)
        if unknown:
            raise ValueError(f"Unknown knob {unknown[0]!r} in variant {name!r}. Valid: {', '.join(knobs + RUN_OPTIONS)}.")


def _reached(metric, values, threshold):
    """Whether values reach a threshold: losses and errors fall to it, accuracies rise to it."""
    falls = "loss" in metric or "error" in metric
    return values <= threshold if falls else values >= threshold


class _StopAt(keras.callbacks.Callback):
    """Ends training after the first epoch where a metric reaches a value."""

    def __init__(self, metric, value):
        super().__init__()
        self.metric, self.value = metric, value

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.metric in ("error", "val_error"):
            value = 1 - logs[self.metric.replace("error", "accuracy")]
        else:
            value = logs[self.metric]
        if _reached(self.metric, value, self.value):
            self.model.stop_training = True


def _check_until(until):
    if until is None:
        return None
    valid = METRICS + ("error", "val_error")
    if (
        not isinstance(until, (tuple, list))
        or len(until) != 2
        or until[0] not in valid
        or not isinstance(until[1], numbers.Real)
        or isinstance(until[1], bool)
        or not np.isfinite(until[1])
    ):
        raise ValueError(
            f"until must be (metric, value) with a metric among {', '.join(valid)}, e.g. until=('error', 0.25). "
            f"Received: until={until!r}"
        )
    return (until[0], float(until[1]))


def _check_seeds(seeds):
    example = "e.g. seeds=(0, 1, 2)"
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, collections.abc.Iterable):
        raise TypeError(f"seeds must be a list of integers, one run per seed, {example}. Received: seeds={seeds!r}")
    seeds = list(seeds)
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, at least one, {example}. Received: seeds={seeds}")
    for seed in seeds:
        if not (isinstance(seed, numbers.Integral) and not isinstance(seed, (bool, np.bool_)) and seed >= 0):
            raise ValueError(f"seeds must be integers of at least 0, {example}. Received: seeds={seeds}")
    return [int(seed) for seed in seeds]


def _plan(name, variant, defaults, base, build=None):
    """A variant's checked options, data and knobs, or a one-line error that names the variant."""
    options = dict(defaults, **base)
    options.update(variant)
    try:
        check_recipe(options["recipe"])
        options["learning_rate"] = check_learning_rate(options["learning_rate"])
        run_data = options.pop("data")
        if not isinstance(run_data, ImageData):
            raise ValueError(f"data must be an ImageData (e.g. from load_shapes). Received: {type(run_data).__name__}")
        _check_data(run_data, "run_ablation")
        knobs = {key: value for key, value in options.items() if key in _knobs_of(build)}
        knobs.setdefault("input_shape", tuple(run_data.image_shape))
        knobs.setdefault("num_classes", len(run_data.class_names))
        if build is None:
            config = make_config(options["preset"], **knobs)
            _check_fit(f"alexnet_{options['preset']}", config.input_shape, config.num_classes, run_data)
        else:
            # Building once checks the knobs and the fit with the data before anything trains.
            model = build(**knobs)
            check_model_fits_data(model, run_data)
    except (TypeError, ValueError) as error:
        raise type(error)(f"Variant {name!r}: {error}") from None
    return options, run_data, knobs


def run_ablation(
    data,
    variants,
    base=None,
    seeds=(0, 1, 2),
    epochs=10,
    preset="mini",
    recipe="adam",
    learning_rate=None,
    keep_models=False,
    verbose=True,
    build=None,
    until=None,
):
    """Trains every variant with every seed on the same data and budget.

    Example:

    >>> ablation = run_ablation(
    ...     load_shapes(num_images=200, image_size=32),
    ...     variants={"dropout 0.5": {}, "no dropout": dict(dropout=0.0)},
    ...     seeds=(0, 1), epochs=2, verbose=False,
    ... )
    >>> ablation.final("val_accuracy").shape  # a row per variant, a column per seed
    (2, 2)
    >>> ablation.settings["no dropout"]["dropout"], ablation.settings["no dropout"]["input_shape"]
    (0.0, (32, 32, 3))

    Each run seeds Python, NumPy and TensorFlow with its seed, builds the
    model from `preset`, `base` and the variant's knobs (its input shape and
    number of classes follow the data), compiles it with the recipe and trains
    it with Keras `fit` for `epochs` epochs on `data.fresh(seed)`: the same
    shuffles and augmentations for every variant with that seed, others for
    other seeds, and a run's numbers do not depend on the runs before it.

    Every variant is checked before any trains (its knobs, their values, its
    recipe, learning rate and data), so a typo in the last variant fails in
    a second, not after the others have trained. A run whose loss or weights
    become NaN or infinite stops at that batch and raises
    `NonFiniteTrainingError` naming the variant and seed; the runs finished
    before it are in the error's `ablation`.

    Args:
        data: The `ImageData` every variant trains on.
        variants: `{name: knobs}`; knobs are `build_alexnet` knobs (such as
            `activation="tanh"`, `remove=("conv4",)`) or run options:
            `preset`, `recipe`, `learning_rate`, or `data` (another
            `ImageData`, e.g. a smaller or augmented one).
        base: Knobs shared by all variants (a variant overrides them).
        seeds: One run per seed and variant: distinct integers of at least 0.
        epochs: Epochs of every run: an integer of at least 1.
        preset: The model preset (`"mini"` by default).
        recipe: `"adam"`, `"paper"` or `"sgd"` (see `alexnet_edu.train.RECIPES`).
        learning_rate: The recipe's learning rate, unless a variant sets its own.
        keep_models: Keep the trained models in `Ablation.models`.
        verbose: Print one line per run.
        build: A function that returns a Keras model, used instead of
            `build_alexnet(preset)`, e.g. `build_figure1_cnn`: it is called
            with the variant's knobs (its keyword arguments), `name`, and
            `num_classes` and `input_shape` from the data unless set.
        until: `(metric, value)`: end a run after the first epoch where the
            metric reaches the value, e.g. `("error", 0.25)` for the paper's
            Figure 1 (errors and losses fall to it, accuracies rise to it);
            `epochs` is then the most a run may take.

    Returns:
        An `Ablation`.

    Raises:
        TypeError, ValueError: A bad argument or variant, before anything trains.
        NonFiniteTrainingError: A run's loss or weights became NaN or infinite.
    """
    if base is not None and not isinstance(base, dict):
        raise ValueError(f"base must be a dict of knobs shared by all variants, e.g. dict(dropout=0.0). Received: {base!r}")
    base = dict(base or {})
    _check_variants(variants, base, _knobs_of(build))
    seeds = _check_seeds(seeds)
    epochs = check_count("epochs", epochs, meaning="passes over the training data of every run")
    until = _check_until(until)
    defaults = dict(preset=preset, recipe=recipe, learning_rate=learning_rate, data=data)
    plans = {name: _plan(name, variant, defaults, base, build) for name, variant in variants.items()}
    rows, settings, models = [], {}, {}
    for name, (options, run_data, knobs) in plans.items():
        settings[name] = {**{k: options[k] for k in ("preset", "recipe", "learning_rate")}, **knobs}
        steps_per_epoch = -(-run_data.num_train // run_data.batch_size)
        for seed in seeds:
            keras.utils.set_random_seed(seed)
            # Keras and TensorFlow accept only letters, digits, "_", "." and "-" in names.
            model_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{name}_seed{seed}").strip("_")
            if build is None:
                model = build_alexnet(options["preset"], name=model_name, **knobs)
            else:
                model = build(name=model_name, **knobs)
            check_model_fits_data(model, run_data)
            # Batches of this seed's own, whatever ran before: a pipeline carries its random state across passes.
            seed_data = run_data.fresh(seed)
            compile_for(model, options["recipe"], options["learning_rate"], epochs * steps_per_epoch)
            clock = _EpochClock()
            rate = options["learning_rate"]
            guard = _StopOnNonFinite(DEFAULT_LEARNING_RATES[options["recipe"]] if rate is None else rate)
            history = model.fit(
                _steady(seed_data.train),
                validation_data=_steady(seed_data.validation),
                epochs=epochs,
                verbose=0,
                callbacks=[guard, clock] + ([_StopAt(*until)] if until else []),
                shuffle=False,
            )
            if guard.error is not None:
                error = NonFiniteTrainingError(
                    f"Variant {name!r}, seed {seed}: {guard.error} The runs finished before it are in error.ablation.",
                    guard.error.epoch,
                    guard.error.batch,
                    guard.error.weight,
                )
                finished = {row["variant"] for row in rows}
                error.ablation = Ablation(
                    history=pd.DataFrame(rows), settings={k: v for k, v in settings.items() if k in finished}, models=models
                )
                raise error
            elapsed = np.cumsum(clock.seconds)
            for epoch in range(len(history.history["loss"])):
                row = dict(variant=name, seed=seed, epoch=epoch + 1)
                row.update({metric: float(history.history[metric][epoch]) for metric in METRICS})
                row.update(seconds=clock.seconds[epoch], elapsed=float(elapsed[epoch]))
                rows.append(row)
            if keep_models:
                models[(name, seed)] = model
            if verbose:
                print(
                    f"{name:>16} seed {seed}: val_accuracy {history.history['val_accuracy'][-1]:.3f}, "
                    f"training accuracy {history.history['accuracy'][-1]:.3f} after {len(history.history['loss'])} epochs "
                    f"({elapsed[-1]:.0f} s)"
                )
    return Ablation(history=pd.DataFrame(rows), settings=settings, models=models)
