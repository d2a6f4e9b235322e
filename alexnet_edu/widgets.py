"""ipywidgets explorers, built on the same functions as the static figures.

Each explorer keeps what it last computed (`result`, `figure`) so that it can
be driven and checked without a browser: set a control's `.value` and read
the attributes.
"""

import html
import io
import numbers

import ipywidgets as widgets
import keras
import matplotlib.pyplot as plt
from IPython import get_ipython
from IPython.display import display

from alexnet_edu.images import as_images
from alexnet_edu.inspect import conv_output_size
from alexnet_edu.visualize._layers import conv_layer_names
from alexnet_edu.visualize.activations import feature_maps, plot_feature_maps, top_channels
from alexnet_edu.visualize.filters import plot_first_layer_filters, plot_kernels
from alexnet_edu.visualize.step_through import conv_step, plot_conv_step

# The playground's sliders: (low, high, label). An IntSlider silently clamps a value outside
# its range, so the constructor refuses one instead of showing different numbers.
PLAYGROUND_RANGES = {
    "input_size": (1, 512, "input size W"),
    "kernel_size": (1, 15, "kernel F"),
    "stride": (1, 8, "stride S"),
    "padding": (0, 10, "padding P"),
    "in_channels": (1, 512, "input channels"),
    "filters": (1, 512, "filters"),
}


def _count(owner, name, value, low, high=None):
    """Returns `value` as an int in [low, high], or raises an error naming the argument and its range."""
    span = f"from {low} to {high}" if high is not None else f"of at least {low}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner} needs {name} as an integer {span}. Received: {name}={value!r}")
    if value < low or (high is not None and value > high):
        limit = " (the slider's range)" if high is not None else ""
        raise ValueError(f"{owner} needs {name} {span}{limit}. Received: {name}={value!r}")
    return int(value)


def _model_with_conv_layers(owner, model):
    if not isinstance(model, keras.Model):
        raise TypeError(f"{owner} needs a keras.Model, e.g. build_alexnet('mini'). Received: {type(model).__name__}")
    if not conv_layer_names(model):
        raise ValueError(
            f"{owner} needs a model with Conv2D layers, and {model.name!r} has none: pass a CNN such as "
            "build_alexnet('mini')."
        )
    return model


def _named_images(owner, model, images):
    """A dict of name to one float32 image in [0, 1] of the model's input size (uint8 is scaled)."""
    channels = model.input_shape[-1] if model.input_shape[-1] in (1, 3) else None
    if isinstance(images, dict):
        checked = {name: as_images(image, f"images[{name!r}]", batch=False, channels=channels) for name, image in images.items()}
    else:
        batch = as_images(images, "images", batch=True, channels=channels)
        checked = {f"image {index}": image for index, image in enumerate(batch)}
    if not checked:
        raise ValueError(f"{owner} needs at least one image: pass a dict of name to image, or a batch of images.")
    expected = tuple(model.input_shape[1:3])
    for name, image in checked.items():
        if None not in expected and image.shape[:2] != expected:
            raise ValueError(
                f"Image {name!r} is {image.shape[0]}x{image.shape[1]} but {model.name!r} takes {expected[0]}x{expected[1]}: "
                f"resize it, e.g. load_image(path, image_size={expected})."
            )
    return checked


class _Explorer:
    """Shared plumbing: a widget tree to display, and an Output area for figures."""

    widget = None

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _show(self, figure):
        self.figure = figure
        # Without a Jupyter kernel (a script, a test) there is no widget to draw in: display would print "Figure(...)".
        if getattr(get_ipython(), "kernel", None) is not None:
            with self.output:
                self.output.clear_output(wait=True)
                display(figure)
        # Shown once, in the widget: an open figure would be drawn again below the cell.
        plt.close(figure)


class ConvArithmeticPlayground(_Explorer):
    """Sliders for one conv layer; shows its output size, parameters and MACs live.

    Starts at the paper's conv1 on a 224 input, where (224 - 11) / 4 + 1 is
    not an integer: move the input size to 227 to see it fit.

    Example:

    >>> playground = ConvArithmeticPlayground(input_size=224, kernel_size=11, stride=4, padding=2)
    >>> playground.result["output_size"], playground.result["fits"]  # (224 - 11 + 4) / 4 + 1 = 55.25
    (55, False)
    >>> playground.result["params"]  # 11 * 11 * 3 * 96 weights and 96 biases
    34944

    Args:
        input_size, kernel_size, stride, padding, in_channels, filters: The
            sliders' start values, integers within `PLAYGROUND_RANGES`.

    Raises:
        TypeError: A value that is not an integer.
        ValueError: A value outside its slider's range (e.g. `stride=0`).

    Attributes:
        result: The latest numbers (a dict) behind the text shown.
    """

    def __init__(self, input_size=224, kernel_size=11, stride=4, padding=0, in_channels=3, filters=96):
        style = {"description_width": "110px"}
        values = dict(input_size=input_size, kernel_size=kernel_size, stride=stride, padding=padding)
        values.update(in_channels=in_channels, filters=filters)
        self.controls = {
            name: widgets.IntSlider(
                _count("ConvArithmeticPlayground", name, values[name], low, high), low, high, description=label, style=style
            )
            for name, (low, high, label) in PLAYGROUND_RANGES.items()
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

    Example (in a notebook, `explorer` as a cell's last line shows the controls and the maps):

    >>> explorer = LayerExplorer(build_alexnet("mini", input_shape=(64, 64, 3)), sample_photos(image_size=64), count=4)
    >>> list(explorer.images), explorer.layer.value
    (['grace_hopper', 'china', 'flower'], 'conv1')
    >>> explorer.strongest.value = False  # untick "strongest channels": the slider chooses them
    >>> explorer.first.value = 8
    >>> explorer.channels
    [8, 9, 10, 11]

    Args:
        model: A Keras model with conv layers.
        images: A dict of name to image `(height, width, 3)`, or a batch
            `(n, height, width, 3)`, of the model's input size: uint8
            (0-255) or floats in [0, 1] (see `alexnet_edu.images`).
        count: How many channels to show (at least 1).

    Raises:
        TypeError: `model` is not a Keras model, or `count` not an integer.
        ValueError: No conv layers, no images, images of the wrong size or
            range, or `count` below 1.

    Attributes:
        channels: The channel indices shown last.
        figure: The figure shown last.
    """

    def __init__(self, model, images, count=8):
        self.model = _model_with_conv_layers("LayerExplorer", model)
        self.images = _named_images("LayerExplorer", model, images)
        self.count = _count("LayerExplorer", "count", count, 1)
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

    Example (in a notebook, `browser` as a cell's last line shows the controls and the kernels):

    >>> browser = FilterBrowser(build_alexnet("mini", input_shape=(64, 64, 3)), rows=4)
    >>> len(browser.filters)  # conv1's kernels are RGB images: all 24 at once
    24
    >>> browser.layer.value = "conv2"  # as the dropdown does
    >>> browser.filters
    [0, 1, 2, 3]

    Args:
        model: A Keras model with conv layers.
        rows: Filters shown at once for deeper layers (at least 1).

    Raises:
        TypeError: `model` is not a Keras model, or `rows` not an integer.
        ValueError: No conv layers, or `rows` below 1.

    Attributes:
        filters: The filter indices shown last (all of them for RGB kernels).
        figure: The figure shown last.
    """

    def __init__(self, model, rows=6):
        self.model = _model_with_conv_layers("FilterBrowser", model)
        self.rows = _count("FilterBrowser", "rows", rows, 1)
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


class ConvStepThrough(_Explorer):
    """Step through one output of any conv layer: window, kernel, products, bias, activation, LRN.

    The CNN Explainer idea on a model of the kit: choose an image, a conv
    layer, an output position and a filter; the figure works the value out
    by hand (`conv_step`) and says whether it matches the layer's own output.
    After conv1 and conv2 of the paper preset it also works out the LRN
    denominator.

    Example:

    >>> explorer = ConvStepThrough(build_alexnet("paper"), sample_photos())
    >>> explorer.layer.value = "conv2"
    >>> explorer.result.matches
    True

    Args:
        model: A Keras model with conv layers.
        images: A dict of name to image, or a batch of images, each of the
            model's input size (uint8 or floats in [0, 1]).
        channels: Input channels shown in the figure (the strongest ones).

    Raises:
        TypeError: `model` is not a Keras model, or `channels` not an integer.
        ValueError: No conv layers, no images, images of the wrong size or
            range, or `channels` below 1.

    Attributes:
        result: The `ConvStep` shown last.
        figure: The figure shown last.
    """

    def __init__(self, model, images, channels=3):
        self.model = _model_with_conv_layers("ConvStepThrough", model)
        self.images = _named_images("ConvStepThrough", model, images)
        self.channels = _count("ConvStepThrough", "channels", channels, 1)
        self.result = self.figure = None
        self._updating = False
        self.image = widgets.Dropdown(options=list(self.images), description="image")
        self.layer = widgets.Dropdown(options=conv_layer_names(model), description="layer")
        self.row = widgets.IntSlider(0, 0, 0, description="row")
        self.col = widgets.IntSlider(0, 0, 0, description="column")
        self.channel = widgets.IntSlider(0, 0, 0, description="filter")
        # An Image rather than an Output area: nbconvert's stand-in for the Output widget sends each
        # figure back to the kernel, and with figures this large its execution then stalls for minutes.
        self.picture = widgets.Image(format="png")
        self._set_ranges()
        for control in (self.image, self.layer, self.row, self.col, self.channel):
            control.observe(self._update, names="value")
        self.widget = widgets.VBox(
            [widgets.HBox([self.image, self.layer]), widgets.HBox([self.row, self.col, self.channel]), self.picture]
        )
        self._update()

    def _set_ranges(self):
        """Slider ranges of the chosen layer's output; a new layer starts at its centre."""
        _, height, width, filters = self.model.get_layer(self.layer.value).output.shape
        for slider, size in ((self.row, height), (self.col, width), (self.channel, filters)):
            slider.max = size - 1
        self.row.value, self.col.value = height // 2, width // 2

    def _update(self, change=None):
        if self._updating:  # moving the sliders to a new layer's range fires their own updates
            return
        self._updating = True
        try:
            if change is not None and change["owner"] is self.layer:
                self._set_ranges()
            self.result = conv_step(
                self.model, self.images[self.image.value], self.layer.value, self.row.value, self.col.value,
                self.channel.value,
            )
            self.figure = plot_conv_step(self.result, self.channels)
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png", bbox_inches="tight")
            plt.close(self.figure)
            self.picture.value = buffer.getvalue()
        finally:
            self._updating = False
