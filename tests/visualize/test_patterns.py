import numpy as np
import pytest

from alexnet_edu.visualize import filter_pattern, plot_filter_patterns


def test_gradient_ascent_raises_the_activation(tiny_towers):
    pattern, history = filter_pattern(tiny_towers, "conv3", channel=2, steps=15)
    assert pattern.shape == (32, 32, 3)
    assert pattern.min() >= 0 and pattern.max() <= 1
    assert history[-1] > history[0]


def test_patterns_figure_and_errors(tiny_towers):
    figure = plot_filter_patterns(tiny_towers, "conv1", channels=[0, 1, 2], steps=3)
    assert [ax.get_title() for ax in figure.axes if ax.images] == ["#0", "#1", "#2"]
    with pytest.raises(ValueError, match=r"conv1 has \d+ channels .*Received: channel=99"):
        filter_pattern(tiny_towers, "conv1", channel=99)
    again, _ = filter_pattern(tiny_towers, "conv1", 0, steps=3)
    np.testing.assert_allclose(again, filter_pattern(tiny_towers, "conv1", 0, steps=3)[0])
