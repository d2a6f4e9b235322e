"""Looking up layers by name, with errors that list the valid choices."""

import keras


def get_layer(model, layer_name, kinds=None, purpose=None):
    """Returns `model.get_layer(layer_name)`, or a clear error.

    Args:
        model: A Keras model.
        layer_name: The layer's name, e.g. `"conv1"`.
        kinds: Layer classes that qualify (e.g. `(keras.layers.Conv2D,)`);
            None accepts any layer.
        purpose: What the layer is for, used in the error message.
    """
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"Unknown layer {layer_name!r} in model {model.name!r}. Valid names: {', '.join(names)}.")
    layer = model.get_layer(layer_name)
    if kinds and not isinstance(layer, kinds):
        qualifying = [layer.name for layer in model.layers if isinstance(layer, kinds)]
        raise ValueError(
            f"Layer {layer_name!r} is a {type(layer).__name__}; {purpose or 'this'} needs one of: "
            f"{', '.join(qualifying)}."
        )
    return layer


def conv_layer_names(model):
    """Names of the model's 2D convolution layers, in order."""
    return [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
