import numpy as np
import pytest

from alexnet_edu.visualize import plot_ablation, plot_ablation_results
from tests.test_experiments import hand_made_ablation


def test_curves_show_the_mean_and_the_spread_across_seeds():
    figure = plot_ablation(hand_made_ablation(), metrics=("error", "val_accuracy"), threshold=0.25)
    error_ax = figure.axes[0]
    lines = {line.get_label(): line for line in error_ax.get_lines()}
    assert set(lines) >= {"fast (2 seeds)", "slow (2 seeds)"}
    assert np.allclose(lines["fast (2 seeds)"].get_ydata(), [0.45, 0.25, 0.075])
    band = error_ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.05) and band.max() == pytest.approx(0.5)
    assert [line.get_ydata()[0] for line in error_ax.get_lines() if line.get_linestyle() == "--"] == [0.25]
    assert figure.axes[1].get_ylabel() == "val accuracy"


def test_curves_against_seconds():
    figure = plot_ablation(hand_made_ablation(), metrics=("accuracy",), x="elapsed")
    assert np.allclose(figure.axes[0].get_lines()[0].get_xdata(), [2, 4, 6])
    with pytest.raises(ValueError, match="x must be 'epoch' or 'elapsed'"):
        plot_ablation(hand_made_ablation(), x="step")


def test_results_one_dot_per_seed_and_a_bar_per_variant():
    figure = plot_ablation_results(hand_made_ablation(), "accuracy")
    ax = figure.axes[0]
    assert [round(bar.get_height(), 3) for bar in ax.patches] == [0.925, 0.6]
    dots = np.concatenate([line.get_ydata() for line in ax.get_lines()])
    assert sorted(dots) == pytest.approx([0.5, 0.7, 0.9, 0.95])
