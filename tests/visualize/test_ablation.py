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


def test_one_legend_below_the_panels_covers_no_curve():
    figure = plot_ablation(hand_made_ablation(), metrics=("accuracy", "val_accuracy"))
    assert all(ax.get_legend() is None for ax in figure.axes)
    assert [text.get_text() for text in figure.legends[0].get_texts()] == ["fast (2 seeds)", "slow (2 seeds)"]
    figure.canvas.draw()
    legend = figure.legends[0].get_window_extent()
    for ax in figure.axes:  # below every panel, its tick labels and axis title included
        assert legend.y1 <= ax.get_tightbbox().y0
    assert legend.y0 >= figure.bbox.y0


def test_curves_mark_whole_epochs_only():
    ax = plot_ablation(hand_made_ablation(), metrics=("accuracy",)).axes[0]
    ticks = ax.get_xticks()
    assert len(ticks) >= 3 and np.array_equal(ticks, np.round(ticks))  # 3 epochs: 1, 2, 3, not 1.25, 1.5, ...


def test_curves_against_seconds():
    figure = plot_ablation(hand_made_ablation(), metrics=("accuracy",), x="elapsed")
    assert np.allclose(figure.axes[0].get_lines()[0].get_xdata(), [2, 4, 6])
    with pytest.raises(ValueError, match="x must be 'epoch' or 'elapsed'"):
        plot_ablation(hand_made_ablation(), x="step")


def test_results_one_dot_per_seed_and_a_mean_line_per_variant():
    figure = plot_ablation_results(hand_made_ablation(), "accuracy")
    ax = figure.axes[0]
    assert not ax.patches  # a dot plot: no bars whose height a cut axis would exaggerate
    means = [segments[0][0][1] for segments in (c.get_segments() for c in ax.collections)]
    assert means == pytest.approx([0.925, 0.6])
    dots = np.concatenate([line.get_ydata() for line in ax.get_lines()])
    assert sorted(dots) == pytest.approx([0.5, 0.7, 0.9, 0.95])
    assert [text.get_text() for text in ax.texts] == ["0.925", "0.600"]
    figure.canvas.draw()
    frame = ax.get_window_extent()
    for text in ax.texts:  # every value label inside the axes, none cut by the frame
        label = text.get_window_extent()
        assert frame.x0 <= label.x0 and label.x1 <= frame.x1


def test_runs_as_lines_draw_every_seed_with_one_label_per_variant():
    ablation = hand_made_ablation()
    figure = plot_ablation(ablation, metrics=("error",), runs="lines")
    lines = figure.axes[0].get_lines()
    assert len(lines) == 4  # 2 variants x 2 seeds
    assert [line.get_label() for line in lines if not line.get_label().startswith("_")] == ["fast (2 seeds)", "slow (2 seeds)"]
    first_run = ablation.history[(ablation.history["variant"] == "fast") & (ablation.history["seed"] == ablation.history["seed"].min())]
    assert np.allclose(lines[0].get_ydata(), 1 - first_run["accuracy"])
    with pytest.raises(ValueError, match="runs must be 'band' or 'lines'"):
        plot_ablation(ablation, runs="seeds")
