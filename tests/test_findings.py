import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from alexnet_edu.experiments import Ablation
from alexnet_edu.findings import Effect, compare, effect_from_values, markdown_table, record_finding, reproduction_table


def ablation_of(final_values):
    """An Ablation whose single epoch per run has the given validation accuracies {variant: [per seed]}."""
    rows = [
        dict(variant=variant, seed=seed, epoch=1, loss=1.0, accuracy=0.5, val_loss=1.0, val_accuracy=value, seconds=1.0, elapsed=1.0)
        for variant, values in final_values.items()
        for seed, value in enumerate(values)
    ]
    return Ablation(history=pd.DataFrame(rows), settings={variant: {} for variant in final_values})


def test_compare_pairs_runs_by_seed_and_gives_a_t_interval():
    ablation = ablation_of({"lrn": [0.60, 0.64, 0.61], "none": [0.55, 0.60, 0.58]})
    effect = compare(ablation, "lrn", "none", scale=100, unit=" points")
    differences = np.array([5.0, 4.0, 3.0])
    assert effect.values == pytest.approx(tuple(differences))
    assert effect.estimate == pytest.approx(4.0)
    assert effect.std == pytest.approx(1.0)
    half = stats.t.ppf(0.975, 2) * 1.0 / np.sqrt(3)  # 2.48
    assert (effect.low, effect.high) == pytest.approx((4.0 - half, 4.0 + half))
    assert effect.exceeds_noise
    assert str(effect) == (
        "lrn − none, best val_accuracy: +4.00 points ± 1.00 (3 seeds; 95 % interval +1.52 to +6.48): exceeds the noise"
    )


def test_an_effect_smaller_than_its_spread_is_within_the_noise():
    effect = compare(ablation_of({"a": [0.60, 0.50, 0.62], "b": [0.55, 0.60, 0.58]}), "a", "b")
    assert effect.estimate == pytest.approx(-0.0033333, abs=1e-6)
    assert not effect.exceeds_noise
    assert "within the noise" in str(effect)


def test_ratios_are_averaged_on_a_log_scale():
    effect = effect_from_values("tanh ÷ relu", [2.0, 8.0, 4.0], ratio=True, unit="x")
    assert effect.estimate == pytest.approx(4.0)  # geometric mean
    assert effect.low < 4.0 < effect.high
    assert effect.low * effect.high == pytest.approx(16.0)  # symmetric around 4 on a log scale
    assert not effect.exceeds_noise  # with 3 seeds t(0.975, 2) = 4.3: 2x to 8x does not pin the ratio down
    assert effect_from_values("steady", [3.5, 4.0, 4.5], ratio=True).exceeds_noise
    assert effect_from_values("same", [0.8, 1.25, 1.0], ratio=True).exceeds_noise is False


def test_one_seed_has_no_spread_and_never_exceeds_the_noise():
    effect = effect_from_values("one run", [0.3])
    assert np.isnan(effect.std) and not effect.exceeds_noise
    assert str(effect) == "one run: +0.30 (1 seed): within the noise"


@pytest.mark.parametrize(
    "values, ratio, message",
    [([], False, "one finite value per seed"), ([1.0, float("nan")], False, "one finite value per seed"), ([1.0, -2.0], True, "above 0")],
)
def test_bad_values_are_refused(values, ratio, message):
    with pytest.raises(ValueError, match=message):
        effect_from_values("x", values, ratio=ratio)


def test_compare_names_an_unknown_variant():
    with pytest.raises(ValueError, match="Unknown variant 'tahn'. Valid variants: 'relu', 'tanh'"):
        compare(ablation_of({"relu": [0.5], "tanh": [0.4]}), "tahn", "relu")


@pytest.mark.parametrize(
    "values, sign, verdict",
    [
        ([4.0, 5.0, 6.0], 1, "reproduces"),
        ([4.0, 5.0, 6.0], -1, "opposite direction"),
        ([1.0, -0.5, 2.0], 1, "same direction, within the noise"),
        ([1.0, -0.5, 2.0], -1, "no effect measurable"),
    ],
)
def test_the_verdict_follows_the_interval_and_the_papers_direction(tmp_path, values, sign, verdict):
    effect = effect_from_values("lrn − none", values, unit=" points")
    finding = record_finding(tmp_path, "05_lrn", "LRN helps", "-1.4 % top-1 error", effect, "3 seeds", expected_sign=sign)
    assert finding["verdict"] == verdict
    saved = json.loads((tmp_path / "05_lrn.json").read_text())
    assert saved["verdict"] == verdict and saved["effect"]["values"] == values


def test_the_table_gathers_every_finding_in_notebook_order(tmp_path):
    ratio = effect_from_values("tanh ÷ relu", [5.0, 6.0, 7.0], ratio=True, unit="x")
    difference = effect_from_values("lrn − none", [1.0, -0.5, 2.0], unit=" points")
    record_finding(tmp_path, "05_lrn", "LRN lowers the error", "-1.4 %", difference, "3 seeds")
    record_finding(tmp_path, "04_relu", "ReLU trains faster", "about 6x", ratio, "3 seeds", key="figure1")
    table = reproduction_table(tmp_path)
    assert table["notebook"].tolist() == ["04_relu", "05_lrn"]
    logs = np.log([5.0, 6.0, 7.0])
    half = stats.t.ppf(0.975, 2) * logs.std(ddof=1) / np.sqrt(3)
    low, high = np.exp(logs.mean() - half), np.exp(logs.mean() + half)  # 3.91, 9.03
    assert table.loc[0, "ours"] == f"5.94x ± 1.00 (3 seeds; 95 % interval {low:.2f} to {high:.2f})"
    assert table.loc[0, "verdict"] == "reproduces"
    assert table.loc[1, "verdict"] == "same direction, within the noise"
    text = markdown_table(table)
    assert text.splitlines()[0] == "| claim | paper | ours | verdict |"
    assert text.splitlines()[2].startswith("| ReLU trains faster | about 6x | 5.94x")


def test_an_empty_or_foreign_folder_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="run notebooks 04-09 first"):
        reproduction_table(tmp_path)
    (tmp_path / "notes.json").write_text("{}")
    with pytest.raises(ValueError, match="not a finding saved by record_finding"):
        reproduction_table(tmp_path)


def test_record_finding_refuses_a_number_instead_of_an_effect(tmp_path):
    with pytest.raises(TypeError, match="effect must be an Effect"):
        record_finding(tmp_path, "04_relu", "claim", "paper", 6.0, "setting")
    assert isinstance(effect_from_values("x", [1.0, 2.0]), Effect)
