import numpy as np

from alexnet_edu.widgets import ConvArithmeticPlayground, ConvStepThrough, FilterBrowser, LayerExplorer


def test_conv_playground_recomputes_on_every_slider():
    playground = ConvArithmeticPlayground()
    assert (playground.result["output_size"], playground.result["fits"]) == (54, False)
    assert "not an integer" in playground.text.value
    playground.controls["input_size"].value = 227
    assert (playground.result["output_size"], playground.result["fits"]) == (55, True)
    assert playground.result["params"] == 11 * 11 * 3 * 96 + 96
    assert playground.result["macs"] == 55 * 55 * 11 * 11 * 3 * 96
    assert "55 x 55 x 96" in playground.text.value
    playground.controls["filters"].value = 48
    assert playground.result["params"] == 11 * 11 * 3 * 48 + 48
    playground.controls["kernel_size"].value = 15
    playground.controls["input_size"].value = 5
    assert playground.result["output_size"] == 0 and "does not fit" in playground.text.value


def test_layer_explorer_follows_its_controls(tiny_towers, image):
    explorer = LayerExplorer(tiny_towers, {"noise": image, "grey": np.full_like(image, 0.5)}, count=4)
    assert explorer.layer.value == "conv1" and len(explorer.channels) == 4
    assert "conv1" in explorer.figure._suptitle.get_text()
    explorer.layer.value = "pool2"
    assert "pool2" in explorer.figure._suptitle.get_text()
    explorer.strongest.value = False
    explorer.first.value = 2
    assert explorer.channels == [2, 3, 4, 5]
    assert [ax.get_title() for ax in explorer.figure.axes if ax.images] == ["#2", "#3", "#4", "#5"]
    explorer.image.value = "grey"
    assert explorer.channels == [2, 3, 4, 5]


def test_filter_browser(tiny_towers):
    browser = FilterBrowser(tiny_towers, rows=3)
    assert browser.filters == list(range(tiny_towers.get_layer("conv1").filters))
    assert browser.first.disabled
    browser.layer.value = "conv3"
    assert browser.filters == [0, 1, 2] and not browser.first.disabled
    browser.first.value = 5
    assert browser.filters == [5, 6, 7]
    assert "conv3" in browser.figure._suptitle.get_text()


def test_explorer_figures_are_shown_once_in_the_widget_not_again_below_the_cell(tiny_towers, image):
    import matplotlib.pyplot as plt

    explorer = LayerExplorer(tiny_towers, {"noise": image})
    browser = FilterBrowser(tiny_towers)
    assert explorer.figure.axes and browser.figure.axes
    assert plt.get_fignums() == []  # nothing left open for the notebook to display a second time


def test_conv_step_through_follows_its_controls(tiny_towers, image):
    explorer = ConvStepThrough(tiny_towers, {"noise": image, "grey": np.full_like(image, 0.5)}, channels=2)
    conv1 = tiny_towers.get_layer("conv1").output.shape
    assert explorer.result.layer == "conv1" and explorer.result.matches
    assert (explorer.row.max, explorer.col.max, explorer.channel.max) == (conv1[1] - 1, conv1[2] - 1, conv1[3] - 1)
    assert (explorer.result.row, explorer.result.col) == (conv1[1] // 2, conv1[2] // 2)
    explorer.layer.value = "conv2"
    conv2 = tiny_towers.get_layer("conv2").output.shape
    assert explorer.result.layer == "conv2" and explorer.channel.max == conv2[3] - 1
    assert (explorer.result.row, explorer.result.col) == (conv2[1] // 2, conv2[2] // 2)
    explorer.channel.value = conv2[3] - 1  # the second tower's last filter
    half = tiny_towers.get_layer("conv1").filters // 2
    assert explorer.result.channel == conv2[3] - 1 and explorer.result.input_channels == range(half, 2 * half)
    explorer.row.value, explorer.col.value = 0, 1
    assert (explorer.result.row, explorer.result.col) == (0, 1) and explorer.result.matches
    noise_window = explorer.result.window
    explorer.image.value = "grey"
    assert explorer.result.matches and not np.allclose(explorer.result.window, noise_window)
    assert "conv2: output (0, 1)" in explorer.figure._suptitle.get_text()
    assert bytes(explorer.picture.value).startswith(b"\x89PNG")  # the figure, drawn into the widget


def test_explorers_print_nothing_without_a_jupyter_kernel(tiny_towers, image, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    # In a script, a test or a terminal IPython there is no widget area: the figure is kept, not printed.
    InteractiveShell.instance()
    explorer = LayerExplorer(tiny_towers, {"noise": image})
    browser = FilterBrowser(tiny_towers)
    browser.layer.value = "conv2"
    assert explorer.figure.axes and browser.figure.axes
    assert capsys.readouterr().out == ""
