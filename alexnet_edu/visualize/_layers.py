"""Looking up layers by name, and checking a model's arguments, with errors that say what to do."""

import numbers

import keras
import numpy as np

from alexnet_edu.images import as_images


def check_model(model):
    """Raises a clear error unless `model` is a Keras model (a common slip: arguments swapped)."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"model must be a Keras model, e.g. build_alexnet('mini') (are the arguments in the right order?). "
            f"Received: model of type {type(model).__name__}"
        )


def get_layer(model, layer_name, kinds=None, purpose=None):
    """Returns `model.get_layer(layer_name)`, or a clear error.

    Args:
        model: A Keras model.
        layer_name: The layer's name, e.g. `"conv1"`.
        kinds: Layer classes that qualify (e.g. `(keras.layers.Conv2D,)`);
            None accepts any layer.
        purpose: What the layer is for, used in the error message.
    """
    check_model(model)
    names = [layer.name for layer in model.layers]
    if not isinstance(layer_name, str):
        raise TypeError(
            f"layer_name must be a layer's name (a string) such as {names[-1]!r}; valid names: {', '.join(names)}. "
            f"Received: layer_name of type {type(layer_name).__name__}"
        )
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


def check_count(name, value):
    """Returns `value` as an int, or a clear error unless it is a positive integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer (1 or more). Received: {name}={value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (1 or more). Received: {name}={value!r}")
    return int(value)


def check_index(name, value, size, what):
    """Returns `value` as an int, or a clear error unless it is an integer in `[0, size)`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        hint = f"; for a class name use class_names.index({value!r})" if isinstance(value, str) else ""
        raise TypeError(f"{name} must be an integer from 0 to {size - 1} ({what}){hint}. Received: {name}={value!r}")
    if not 0 <= value < size:
        raise ValueError(f"{name} must be from 0 to {size - 1}: {what}. Received: {name}={value!r}")
    return int(value)


def _input_shape(model):
    check_model(model)
    if len(model.inputs) != 1:
        raise ValueError(
            f"Model {model.name!r} has {len(model.inputs)} inputs; this function needs a model with one image input."
        )
    return tuple(model.inputs[0].shape)


def check_image_size(model, image_shape, name="images"):
    """Raises a one-line error when images of `image_shape` (height, width, ...) do not fit the model's input."""
    expected = _input_shape(model)[1:3]
    size = tuple(image_shape[:2])
    if all(want is None or want == got for want, got in zip(expected, size)):
        return
    height, width = (want if want is not None else got for want, got in zip(expected, size))
    raise ValueError(
        f"{name} has {size[0]}x{size[1]} pixels but model {model.name!r} takes {height}x{width} images: resize, e.g. "
        f"alexnet_edu.load_image(path, image_size=({height}, {width})) or keras.ops.image.resize(images, ({height}, {width})). "
        f"Received: {name} of shape {tuple(image_shape)}"
    )


def model_images(model, images, name="images", batch=True):
    """Checks images against the kit's image contract and the model's input size.

    Args:
        model: A Keras model with one input.
        images: uint8, uint16 or [0, 1] float pixels (see `alexnet_edu.images`).
        name: The argument's name, for error messages.
        batch: True for a batch (one image gets a batch axis), False for
            one image (a batch of one is unwrapped).

    Returns:
        float32 pixels in [0, 1]. For a model whose input is not an image
        (a toy Dense model), the values are returned as float32 unchanged.
    """
    shape = _input_shape(model)
    if len(shape) != 4:
        return np.asarray(images, dtype="float32")
    array = as_images(images, name, batch=batch, channels=shape[-1])
    check_image_size(model, array.shape[-3:], name)
    return array


def displayable(image):
    """One [0, 1] image as `imshow` draws it: clipped (resizing overshoots a little), and 2-D if grey."""
    image = np.clip(image, 0, 1)
    return image[..., 0] if image.shape[-1] == 1 else image
