import numpy as np
import pytest

from alexnet_edu import build_alexnet, layer_table
from alexnet_edu.visualize import plot_breakdown, plot_model_comparison


def test_breakdown_bars_are_the_table(seed_model):
    figure = plot_breakdown(seed_model)
    params_ax, macs_ax = figure.axes
    shown = layer_table(seed_model).query("params > 0 or macs > 0")
    labels = [tick.get_text() for tick in params_ax.get_yticklabels()]
    assert labels == list(shown.layer)
    assert "pool1" not in labels and "fc6" in labels
    widths = np.array([bar.get_width() for bar in params_ax.patches])
    np.testing.assert_allclose(widths, shown.params / 1e6)
    macs = np.array([bar.get_width() for bar in macs_ax.patches])
    np.testing.assert_allclose(macs, shown.macs / 1e6)
    assert figure.get_suptitle() == "alexnet_seed"


def test_model_comparison_points():
    models = {"mini": build_alexnet("mini"), "mini x2": build_alexnet("mini", width=0.5)}
    figure = plot_model_comparison(models)
    conv_points = figure.axes[0].lines[0].get_ydata()
    conv_params = [layer_table(m).query("type == 'Conv2D'").params.sum() for m in models.values()]
    assert list(conv_points) == pytest.approx(conv_params)
    assert not figure.axes[0].patches  # no bars on a log axis
    assert figure.axes[0].get_yscale() == "log"
