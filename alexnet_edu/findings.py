"""Findings: each notebook's measured verdict on a claim of the paper, kept for one table.

An innovations notebook ends by measuring one of the paper's claims. It
compares two variants across seeds with `compare`, which gives the effect,
its spread and whether it exceeds the noise, and saves the verdict with
`record_finding`. The last notebook (and the README) gather every saved
finding into one table with `reproduction_table`.

Example:

>>> effect = compare(ablation, "relu", "tanh", metric="val_accuracy")
>>> print(effect)
relu − tanh, best val_accuracy: ... (2 seeds; 95 % interval ... to ...): ...
>>> finding = record_finding(
...     "results", notebook="04_relu", claim="ReLU trains faster than tanh", paper="about 6x",
...     effect=effect, setting="400 shape images, 32 px, 4 epochs",
... )
>>> import os
>>> os.listdir("results")
['04_relu.json']
"""

import dataclasses
import json
import pathlib

import numpy as np
import pandas as pd
from scipy import stats

COLUMNS = ("notebook", "claim", "paper", "ours", "verdict", "setting")
VERDICTS = ("reproduces", "same direction, within the noise", "no effect measurable", "opposite direction")


@dataclasses.dataclass(frozen=True)
class Effect:
    """The difference between two variants across seeds, with its uncertainty.

    Example:

    >>> effect = effect_from_values("relu − tanh", [0.05, 0.04, 0.06])
    >>> [round(number, 3) for number in (effect.estimate, effect.std, effect.low, effect.high)]
    [0.05, 0.01, 0.025, 0.075]

    Attributes:
        label: What is compared, e.g. `"relu − tanh"` or `"tanh ÷ relu"`.
        values: The per-seed differences (or ratios).
        estimate: Their mean.
        std: Their sample standard deviation (NaN with one seed).
        low, high: The 95 % confidence interval of the mean (Student's t).
        ratio: True when `values` are ratios (no effect is 1, not 0).
        unit: Printed after the numbers, e.g. `"x"` or `" points"`.
    """

    label: str
    values: tuple
    estimate: float
    std: float
    low: float
    high: float
    ratio: bool = False
    unit: str = ""

    @property
    def seeds(self):
        return len(self.values)

    @property
    def exceeds_noise(self):
        """Whether the 95 % interval excludes "no effect" (0, or 1 for a ratio)."""
        null = 1.0 if self.ratio else 0.0
        return bool(np.isfinite(self.low) and (self.low > null or self.high < null))

    def describe(self, digits=2):
        """One line: estimate ± std (seeds; interval): verdict."""
        sign = "" if self.ratio else "+"
        spread = f" ± {self.std:.{digits}f}" if np.isfinite(self.std) else ""
        interval = (
            f"; 95 % interval {self.low:{sign}.{digits}f} to {self.high:{sign}.{digits}f}" if np.isfinite(self.low) else ""
        )
        noise = "exceeds the noise" if self.exceeds_noise else "within the noise"
        return (
            f"{self.label}: {self.estimate:{sign}.{digits}f}{self.unit}{spread} "
            f"({self.seeds} seed{'s' if self.seeds != 1 else ''}{interval}): {noise}"
        )

    def __str__(self):
        return self.describe()


def effect_from_values(label, values, ratio=False, unit=""):
    """An `Effect` from per-seed differences (or ratios) computed elsewhere.

    Ratios are averaged, and their interval taken, on a log scale, so that
    2x and 0.5x are equally far from 1.

    Example:

    >>> print(effect_from_values("relu − tanh", [0.05, 0.04, 0.06]))
    relu − tanh: +0.05 ± 0.01 (3 seeds; 95 % interval +0.03 to +0.07): exceeds the noise

    Args:
        label: What is compared, e.g. `"tanh ÷ relu, epochs to 25 % error"`.
        values: One finite number per seed (ratios must be above 0).
        ratio: True for ratios.
        unit: Printed after the numbers, e.g. `"x"`.
    """
    values = np.asarray([float(v) for v in values], dtype=float)
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"An effect needs one finite value per seed. Received: values={values.tolist()}")
    if ratio and np.any(values <= 0):
        raise ValueError(f"Ratios must be above 0. Received: values={values.tolist()}")
    sample = np.log(values) if ratio else values
    mean = sample.mean()
    if values.size > 1:
        std = sample.std(ddof=1)
        half = stats.t.ppf(0.975, values.size - 1) * std / np.sqrt(values.size)
        low, high = mean - half, mean + half
    else:
        std = low = high = np.nan
    if ratio:
        mean, low, high = np.exp(mean), np.exp(low), np.exp(high)
        std = values.std(ddof=1) if values.size > 1 else np.nan
    return Effect(label, tuple(values.tolist()), float(mean), float(std), float(low), float(high), ratio, unit)


def compare(ablation, variant, baseline, metric="val_accuracy", at="best", scale=1.0, unit=""):
    """The effect of `variant` over `baseline` on a metric, seed by seed.

    Runs are paired by seed (the seed sets the initial weights), and the
    spread and the interval are those of the per-seed differences.

    Example:

    >>> effect = compare(ablation, "relu", "tanh", scale=100, unit=" points")
    >>> effect.unit
    ' points'

    Args:
        ablation: An `Ablation` from `run_ablation`.
        variant, baseline: Names of two of its variants.
        metric: A column of its history, e.g. `"val_accuracy"`.
        at: `"best"` (the best epoch of each run) or `"last"`.
        scale: Multiplies the differences, e.g. 100 for percentage points.
        unit: Printed after the numbers, e.g. `" points"`.

    Returns:
        An `Effect`.
    """
    for name in (variant, baseline):
        if name not in ablation.variants:
            raise ValueError(f"Unknown variant {name!r}. Valid variants: {', '.join(map(repr, ablation.variants))}.")
    values = ablation.final(metric, at)
    finite = values.loc[[variant, baseline]].notna().all()
    shared = [seed for seed in values.columns if finite[seed]]
    differences = [(values.loc[variant, seed] - values.loc[baseline, seed]) * scale for seed in shared]
    return effect_from_values(f"{variant} − {baseline}, {at} {metric}", differences, unit=unit)


def _verdict(effect, expected_sign):
    if expected_sign not in (1, -1):
        raise ValueError(f"expected_sign must be 1 (the paper's effect is an increase) or -1. Received: {expected_sign!r}")
    null = 1.0 if effect.ratio else 0.0
    direction = np.sign(effect.estimate - null) * expected_sign
    if effect.exceeds_noise:
        return VERDICTS[0] if direction > 0 else VERDICTS[3]
    return VERDICTS[1] if direction > 0 else VERDICTS[2]


def record_finding(directory, notebook, claim, paper, effect, setting, expected_sign=1, key=None):
    """Saves one measured verdict as JSON in `directory`, for `reproduction_table`.

    Example:

    >>> finding = record_finding(
    ...     "results", notebook="04_relu", claim="ReLU trains faster", paper="about 6x",
    ...     effect=effect_from_values("relu − tanh", [0.05, 0.04, 0.06]), setting="an example",
    ... )
    >>> finding["verdict"], finding["ours"]
    ('reproduces', '+0.05 ± 0.01 (3 seeds; 95 % interval +0.03 to +0.07)')
    >>> import os
    >>> os.listdir("results")
    ['04_relu.json']

    The verdict follows from the effect: "reproduces" when its 95 % interval
    excludes no effect in the paper's direction, "opposite direction" when it
    excludes it the other way, otherwise "same direction, within the noise"
    or "no effect measurable".

    Args:
        directory: Folder of the findings (created if missing).
        notebook: The notebook's name, e.g. `"04_relu"`.
        claim: The paper's claim in a few words.
        paper: The paper's number, as text.
        effect: An `Effect` (from `compare` or `effect_from_values`).
        setting: How it was measured here, e.g. `"4,500 CIFAR-10 photos, 32 px"`.
        expected_sign: 1 if the paper's effect makes `effect` larger than
            no effect, -1 if smaller.
        key: Distinguishes several findings of one notebook (file name).

    Returns:
        The finding as a dict (also written to `<directory>/<notebook>[-<key>].json`).
    """
    if not isinstance(effect, Effect):
        raise TypeError(f"effect must be an Effect from compare() or effect_from_values(). Received: {type(effect).__name__}")
    for name, value in dict(notebook=notebook, claim=claim, paper=paper, setting=setting).items():
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty string. Received: {name}={value!r}")
    finding = dict(
        notebook=notebook,
        claim=claim,
        paper=paper,
        ours=effect.describe().split(": ", 1)[1].rsplit(": ", 1)[0],
        verdict=_verdict(effect, expected_sign),
        setting=setting,
        effect=dataclasses.asdict(effect),
    )
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = notebook if key is None else f"{notebook}-{key}"
    (directory / f"{stem}.json").write_text(json.dumps(finding, indent=1, ensure_ascii=False) + "\n")
    return finding


def reproduction_table(directory):
    """Every finding saved in `directory`, one row each, in notebook order.

    Example:

    >>> effect = effect_from_values("relu − tanh", [0.05, 0.04, 0.06])
    >>> finding = record_finding(
    ...     "results", notebook="04_relu", claim="ReLU trains faster", paper="about 6x", effect=effect, setting="an example"
    ... )
    >>> reproduction_table("results")[["notebook", "verdict"]].values.tolist()
    [['04_relu', 'reproduces']]

    Returns:
        A `pandas.DataFrame` with columns `notebook, claim, paper, ours,
        verdict, setting`.

    Raises:
        FileNotFoundError: No findings in `directory` (run the notebooks first).
    """
    directory = pathlib.Path(directory)
    files = sorted(directory.glob("*.json"))
    if not files:
        raise FileNotFoundError(
            f"No findings in '{directory}': run notebooks 04-09 first (each saves its verdict there)."
        )
    rows = []
    for path in files:
        try:
            finding = json.loads(path.read_text())
            rows.append({column: finding[column] for column in COLUMNS})
        except (ValueError, KeyError) as error:
            raise ValueError(
                f"'{path}' is not a finding saved by record_finding ({error}): delete it and rerun its notebook."
            ) from None
    return pd.DataFrame(rows)


def markdown_table(table, columns=("claim", "paper", "ours", "verdict")):
    """A findings table as Markdown (for the README).

    Example:

    >>> effect = effect_from_values("relu − tanh", [0.05, 0.04, 0.06])
    >>> finding = record_finding(
    ...     "results", notebook="04_relu", claim="ReLU trains faster", paper="about 6x", effect=effect, setting="an example"
    ... )
    >>> print(markdown_table(reproduction_table("results")))
    | claim | paper | ours | verdict |
    |---|---|---|---|
    | ReLU trains faster | about 6x | +0.05 ± 0.01 (3 seeds; 95 % interval +0.03 to +0.07) | reproduces |
    """
    header = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    body = "".join("| " + " | ".join(str(row[c]).replace("|", "\\|") for c in columns) + " |\n" for _, row in table.iterrows())
    return header + body
