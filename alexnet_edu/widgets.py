"""ipywidgets explorers, built on the same functions as the static figures.

Each explorer keeps what it last computed (`result`, `figure`) so that it can
be driven and checked without a browser: set a control's `.value` and read
the attributes.
"""

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from alexnet_edu.inspect import conv_output_size
from alexnet_edu.visualize._layers import conv_layer_names
from alexnet_edu.visualize.activations import feature_maps, plot_feature_maps, top_channels
from alexnet_edu.visualize.filters import plot_first_layer_filters, plot_kernels


class _Explorer:
    """Shared plumbing: a widget tree to display, and an Output area for figures."""

    widget = None

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _show(self, figure):
        self.figure = figure
        with self.output:
            self.output.clear_output(wait=True)
            display(figure)
        # Shown once, in the widget: an open figure would be drawn again below the cell.
        plt.close(figure)


class ConvArithmeticPlayground(_Explorer):
    """Sliders for one conv layer; shows its output size, parameters and MACs live.

    Starts at the paper's conv1 on a 224 input, where (224 - 11) / 4 + 1 is
    not an integer: move the input size to 227 to see it fit.

    Attributes:
        result: The latest numbers (a dict) behind the text shown.
    """

    def __init__(self, input_size=224, kernel_size=11, stride=4, padding=0, in_channels=3, filters=96):
        style = {"description_width": "110px"}
        self.controls = {
            "input_size": widgets.IntSlider(input_size, 1, 512, description="input size W", style=style),
            "kernel_size": widgets.IntSlider(kernel_size, 1, 15, description="kernel F", style=style),
            "stride": widgets.IntSlider(stride, 1, 8, description="stride S", style=style),
            "padding": widgets.IntSlider(padding, 0, 10, description="padding P", style=style),
            "in_channels": widgets.IntSlider(in_channels, 1, 512, description="input channels", style=style),
            "filters": widgets.IntSlider(filters, 1, 512, description="filters", style=style),
        }
        self.text = widgets.HTML()
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self.widget = widgets.VBox([*self.controls.values(), self.text])
        self._update()

    def _update(self, change=None):
        values = {name: control.value for name, control in self.controls.items()}
        weights = values["kernel_size"] ** 2 * values["in_channels"] * values["filters"]
        try:
            arithmetic = conv_output_size(values["input_size"], values["kernel_size"], values["stride"], values["padding"])
        except ValueError as error:
            self.result = {**values, "output_size": 0, "fits": False, "params": weights + values["filters"], "macs": 0}
            self.text.value = f"<b style='color:#b00'>{html.escape(str(error))}</b>"
            return
        size = arithmetic.size
        self.result = {
            **values,
            "output_size": size,
            "fits": arithmetic.fits,
            "params": weights + values["filters"],
            "macs": size * size * weights,
        }
        colour = "#060" if arithmetic.fits else "#b00"
        self.text.value = (
            f"<span style='color:{colour}'>{html.escape(str(arithmetic))}</span><br>"
            f"output: <b>{size} x {size} x {values['filters']}</b> &nbsp; "
            f"parameters: <b>{self.result['params']:,}</b> &nbsp; "
            f"multiply-accumulates per image: <b>{self.result['macs']:,}</b>"
        )


class LayerExplorer(_Explorer):
    """Pick an image, a layer and channels; the feature maps update.

    Args:
        model: A Keras model.
        images: A dict of name to image `(height, width, 3)` in the model's
            input range and size.
        count: How many channels to show.

    Attributes:
        channels: The channel indices shown last.
        figure: The figure shown last.
    """

    def __init__(self, model, images, count=8):
        self.model, self.images, self.count = model, dict(images), count
        self.figure = None
        layer_names = [layer.name for layer in model.layers[1:] if len(layer.output.shape) == 4]
        self.image = widgets.Dropdown(options=list(self.images), description="image")
        self.layer = widgets.Dropdown(options=layer_names, value=conv_layer_names(model)[0], description="layer")
        self.strongest = widgets.Checkbox(True, description="strongest channels")
        self.first = widgets.IntSlider(0, 0, 0, description="first channel")
        self.output = widgets.Output()
        for control in (self.image, self.layer, self.strongest, self.first):
            control.observe(self._update, names="value")
        self.widget = widgets.VBox(
            [widgets.HBox([self.image, self.layer]), widgets.HBox([self.strongest, self.first]), self.output]
        )
        self._update()

    def _update(self, change=None):
        image = self.images[self.image.value]
        channels_available = self.model.get_layer(self.layer.value).output.shape[-1]
        self.first.max = max(0, channels_available - self.count)
        self.first.disabled = self.strongest.value
        if self.strongest.value:
            self.channels = list(top_channels(feature_maps(self.model, self.layer.value, image), self.count))
        else:
            self.channels = list(range(self.first.value, min(self.first.value + self.count, channels_available)))
        self._show(plot_feature_maps(self.model, self.layer.value, image, channels=self.channels, columns=self.count))


class FilterBrowser(_Explorer):
    """Browse the kernels of any conv layer: RGB images for the first, per channel after.

    Args:
        model: A Keras model.
        rows: Filters shown at once for deeper layers.

    Attributes:
        filters: The filter indices shown last (all of them for RGB kernels).
        figure: The figure shown last.
    """

    def __init__(self, model, rows=6):
        self.model, self.rows = model, rows
        self.figure = None
        self.layer = widgets.Dropdown(options=conv_layer_names(model), description="layer")
        self.first = widgets.IntSlider(0, 0, 0, description="first filter")
        self.output = widgets.Output()
        for control in (self.layer, self.first):
            control.observe(self._update, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.layer, self.first]), self.output])
        self._update()

    def _update(self, change=None):
        layer = self.model.get_layer(self.layer.value)
        filters, channels = layer.kernel.shape[3], layer.kernel.shape[2]
        self.first.max = max(0, filters - self.rows)
        if channels == 3 and layer.groups == 1:
            self.first.disabled = True
            self.filters = list(range(filters))
            self._show(plot_first_layer_filters(self.model, self.layer.value))
        else:
            self.first.disabled = False
            self.filters = list(range(self.first.value, min(self.first.value + self.rows, filters)))
            self._show(plot_kernels(self.model, self.layer.value, filters=self.filters, input_channels=8))
