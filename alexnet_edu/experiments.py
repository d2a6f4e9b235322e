"""Controlled experiments: train variants of one model on the same data with several seeds.

Every innovations notebook asks the same question ("does this change help,
and by more than the noise?"), so they all use `run_ablation`: a base
configuration, named variants that change a few knobs, the same data, epochs
and recipe for all, and several seeds per variant. The result is a tidy table
with one row per variant, seed and epoch, ready for `plot_ablation`.

Example:

>>> data = load_shapes(num_images=4000, image_size=32)
>>> ablation = run_ablation(
...     data,
...     variants={"relu": dict(activation="relu"), "tanh": dict(activation="tanh")},
...     base=dict(normalization="none", dropout=0.0),
...     seeds=(0, 1, 2),
...     epochs=10,
... )
>>> ablation.summary("val_accuracy")
"""

import dataclasses
import re
import time

import keras
import numpy as np
import pandas as pd

from alexnet_edu.data import ImageData, _steady
from alexnet_edu.models import KNOBS, build_alexnet
from alexnet_edu.train import RECIPES, check_model_fits_data, compile_for

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
        if metric not in self.history.columns or metric in ("variant", "seed", "epoch"):
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

    def summary(self, metric="val_accuracy", at="last"):
        """Mean, standard deviation, min and max across seeds, one row per variant.

        Also gives the mean wall time of a run. The standard deviation is the
        sample one (ddof=1); with 3 seeds it is itself a rough estimate.
        """
        values = self.final(metric, at)
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

    def epochs_to_reach(self, metric, threshold):
        """The first epoch (and the seconds until then) where a metric reaches a threshold.

        Accuracies must rise to the threshold, losses and errors fall to it.
        A run that never reaches it gets NaN.

        Example:

        >>> ablation.epochs_to_reach("error", 0.25)  # the paper's Figure 1

        Args:
            metric: A column of `history`, or `"error"` / `"val_error"`
                (1 - accuracy).

        Returns:
            A `pandas.DataFrame` with one row per variant and seed:
            `variant, seed, epoch, elapsed`.
        """
        values = self.values(metric)
        falls = "loss" in metric or "error" in metric
        reached = values <= threshold if falls else values >= threshold
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


def _check_variants(variants, base):
    if not variants:
        raise ValueError("run_ablation needs at least one variant, e.g. variants={'relu': dict(activation='relu')}.")
    valid = set(KNOBS) | set(RUN_OPTIONS)
    for name, knobs in {"base": base, **variants}.items():
        if not isinstance(knobs, dict):
            raise ValueError(f"Variant {name!r} must be a dict of knobs. Received: {knobs!r}")
        unknown = sorted(set(knobs) - valid)
        if unknown:
            raise ValueError(
                f"Unknown knob {unknown[0]!r} in variant {name!r}. Valid: {', '.join(KNOBS + RUN_OPTIONS)}."
            )


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
):
    """Trains every variant with every seed on the same data and budget.

    Each run seeds Python, NumPy and TensorFlow with its seed, builds the
    model from `preset`, `base` and the variant's knobs (its input shape and
    number of classes follow the data), compiles it with the recipe and trains
    it with Keras `fit` for `epochs` epochs.

    Args:
        data: The `ImageData` every variant trains on.
        variants: `{name: knobs}`; knobs are `build_alexnet` knobs (such as
            `activation="tanh"`, `remove=("conv4",)`) or run options:
            `preset`, `recipe`, `learning_rate`, or `data` (another
            `ImageData`, e.g. a smaller or augmented one).
        base: Knobs shared by all variants (a variant overrides them).
        seeds: One run per seed and variant.
        epochs: Epochs of every run.
        preset: The model preset (`"mini"` by default).
        recipe: `"adam"` or `"paper"` (see `alexnet_edu.train.RECIPES`).
        learning_rate: The recipe's learning rate, unless a variant sets its own.
        keep_models: Keep the trained models in `Ablation.models`.
        verbose: Print one line per run.

    Returns:
        An `Ablation`.
    """
    base = dict(base or {})
    _check_variants(variants, base)
    seeds = list(seeds)
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, at least one. Received: seeds={seeds}")
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer. Received: epochs={epochs!r}")
    rows, settings, models = [], {}, {}
    for name, variant in variants.items():
        options = dict(preset=preset, recipe=recipe, learning_rate=learning_rate, data=data, **base)
        options.update(variant)
        if options["recipe"] not in RECIPES:
            raise ValueError(f"Unknown recipe {options['recipe']!r}. Valid recipes: {', '.join(map(repr, RECIPES))}.")
        run_data = options.pop("data")
        if not isinstance(run_data, ImageData):
            raise ValueError(f"data must be an ImageData (e.g. from load_shapes). Received: {type(run_data).__name__}")
        knobs = {key: value for key, value in options.items() if key in KNOBS}
        knobs.setdefault("input_shape", tuple(run_data.image_shape))
        knobs.setdefault("num_classes", len(run_data.class_names))
        settings[name] = {**{k: options[k] for k in ("preset", "recipe", "learning_rate")}, **knobs}
        steps_per_epoch = -(-run_data.num_train // run_data.batch_size)
        for seed in seeds:
            keras.utils.set_random_seed(seed)
            # Keras and TensorFlow accept only letters, digits, "_", "." and "-" in names.
            model_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{name}_seed{seed}").strip("_")
            model = build_alexnet(options["preset"], name=model_name, **knobs)
            check_model_fits_data(model, run_data)
            compile_for(model, options["recipe"], options["learning_rate"], epochs * steps_per_epoch)
            clock = _EpochClock()
            history = model.fit(
                _steady(run_data.train),
                validation_data=_steady(run_data.validation),
                epochs=epochs,
                verbose=0,
                callbacks=[clock],
                shuffle=False,
            )
            elapsed = np.cumsum(clock.seconds)
            for epoch in range(epochs):
                row = dict(variant=name, seed=seed, epoch=epoch + 1)
                row.update({metric: float(history.history[metric][epoch]) for metric in METRICS})
                row.update(seconds=clock.seconds[epoch], elapsed=float(elapsed[epoch]))
                rows.append(row)
            if keep_models:
                models[(name, seed)] = model
            if verbose:
                print(
                    f"{name:>16} seed {seed}: val_accuracy {history.history['val_accuracy'][-1]:.3f}, "
                    f"training accuracy {history.history['accuracy'][-1]:.3f} after {epochs} epochs "
                    f"({elapsed[-1]:.0f} s)"
                )
    return Ablation(history=pd.DataFrame(rows), settings=settings, models=models)
