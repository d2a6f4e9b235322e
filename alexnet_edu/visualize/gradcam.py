"""Grad-CAM and vanilla gradient saliency: which pixels a class decision depends on.

Both differentiate the class *logit* (fc8 before its softmax), so that a
confident prediction does not saturate the gradient.
"""

import keras
import matplotlib.pyplot as plt
import tensorflow as tf

from alexnet_edu.visualize._layers import check_index, check_model, conv_layer_names, displayable, get_layer, model_images


def _logit_model(model, layer_name=None):
    """Maps the input to (a conv layer's output, the class logits)."""
    check_model(model)
    output_layer = model.layers[-1]
    if not isinstance(output_layer, keras.layers.Dense):
        raise ValueError(f"Grad-CAM and saliency need a model ending in a Dense layer. Received: {type(output_layer).__name__}")
    if layer_name:
        maps = get_layer(model, layer_name, (keras.layers.Conv2D, keras.layers.MaxPooling2D), purpose="Grad-CAM").output
        extractor = keras.Model(model.input, [maps, output_layer.input])
    else:
        extractor = keras.Model(model.input, output_layer.input)

    def logits(images):
        results = extractor(images, training=False)
        features = results[1] if layer_name else results
        # Under mixed precision fc8's input is 16-bit and its kernel float32: MatMul needs one dtype.
        scores = tf.matmul(tf.cast(features, "float32"), output_layer.kernel) + output_layer.bias
        return (results[0], scores) if layer_name else scores

    return logits


def _class_index(scores, class_index):
    if class_index is None:
        return int(tf.argmax(scores[0]))
    classes = scores.shape[-1]
    return check_index("class_index", class_index, classes, f"the model has {classes} classes; None explains the predicted one")


def _last_conv_layer(model):
    check_model(model)
    names = conv_layer_names(model)
    if not names:
        raise ValueError(f"Model {model.name!r} has no Conv2D layer: pass layer_name=... with a layer that has feature maps.")
    return names[-1]


def grad_cam(model, image, class_index=None, layer_name=None):
    """Grad-CAM heat map (Selvaraju et al., 2017) for one image.

    Weights each channel of a conv layer by the mean gradient of the class
    logit with respect to it, sums, keeps the positive part, and resizes to
    the image.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> heatmap, class_index = grad_cam(model, sample_photos(image_size=64)["china"])
    >>> heatmap.shape
    (64, 64)

    Args:
        model: A Keras classifier.
        image: `(height, width, 3)`: uint8 (0-255) or floats in [0, 1], the
            model's input size. A batch of one is accepted.
        class_index: The class to explain; by default the predicted one.
        layer_name: The conv layer; by default the last one (conv5).

    Returns:
        `(heatmap, class_index)`: `(height, width)` in [0, 1], and the class.

    Raises:
        ValueError: A bad layer or class index, a batch of several images,
            or an image that breaks the image contract or does not fit the model.
    """
    logits = _logit_model(model, layer_name or _last_conv_layer(model))
    images = tf.convert_to_tensor(model_images(model, image, "image", batch=False)[None])
    with tf.GradientTape() as tape:
        maps, scores = logits(images)
        tape.watch(maps)
        class_index = _class_index(scores, class_index)
        score = scores[0, class_index]
    # A mixed-precision model's maps and their gradients are 16-bit: weigh and sum them in float32.
    gradients = tf.cast(tape.gradient(score, maps)[0], "float32")
    weights = tf.reduce_mean(gradients, axis=(0, 1))
    cam = tf.nn.relu(tf.reduce_sum(tf.cast(maps[0], "float32") * weights, axis=-1))
    cam = tf.image.resize(cam[..., None], images.shape[1:3])[..., 0].numpy()
    return cam / cam.max() if cam.max() > 0 else cam, class_index


def saliency_map(model, image, class_index=None):
    """Vanilla gradient saliency: |d logit / d pixel|, max over colour channels, scaled to [0, 1].

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> heatmap, class_index = saliency_map(model, sample_photos(image_size=64)["china"])
    >>> heatmap.shape
    (64, 64)

    Args:
        model: A Keras classifier ending in a Dense layer.
        image: `(height, width, 3)`: uint8 (0-255) or floats in [0, 1], the
            model's input size. A batch of one is accepted.
        class_index: The class to explain; by default the predicted one.

    Returns:
        `(saliency, class_index)`: `(height, width)` in [0, 1], and the class.

    Raises:
        ValueError: A bad class index, a batch of several images, or an
            image that breaks the image contract or does not fit the model.
    """
    logits = _logit_model(model)
    images = tf.Variable(model_images(model, image, "image", batch=False)[None])
    with tf.GradientTape() as tape:
        scores = logits(images)
        class_index = _class_index(scores, class_index)
        score = scores[0, class_index]
    saliency = tf.reduce_max(tf.abs(tape.gradient(score, images)[0]), axis=-1).numpy()
    return saliency / max(saliency.max(), 1e-12), class_index


def plot_grad_cam(model, image, class_names=None, class_index=None, layer_name=None):
    """The image, its Grad-CAM overlay and its saliency map, side by side.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> photo = sample_photos(image_size=64)["china"]
    >>> figure = plot_grad_cam(model, photo)

    Args:
        model: A Keras classifier ending in a Dense layer.
        image: `(height, width, 3)`: uint8 (0-255) or floats in [0, 1], the
            model's input size. A batch of one is accepted.
        class_names: One name per class, for the title; or None.
        class_index: The class to explain; by default the predicted one.
        layer_name: The conv layer for Grad-CAM; by default the last one.

    Returns:
        A matplotlib `Figure` with three panels.

    Raises:
        ValueError: As `grad_cam`, or `class_names` of the wrong length.
    """
    image = model_images(model, image, "image", batch=False)
    classes = model.outputs[0].shape[-1]
    if class_names is not None and len(class_names) != classes:
        raise ValueError(
            f"class_names has {len(class_names)} names but model {model.name!r} has {classes} classes: pass one name per class "
            f"(e.g. data.class_names). Received: class_names={list(class_names)!r}"
        )
    heatmap, class_index = grad_cam(model, image, class_index, layer_name)
    saliency, _ = saliency_map(model, image, class_index)
    name = class_names[class_index] if class_names is not None else str(class_index)
    figure, axes = plt.subplots(1, 3, figsize=(8.5, 3.2))
    axes[0].imshow(displayable(image), cmap="gray")
    axes[0].set_title("image", fontsize=11)
    axes[1].imshow(displayable(image), cmap="gray")
    axes[1].imshow(heatmap, cmap="jet", alpha=0.45)
    axes[1].set_title(f"Grad-CAM: {name}", fontsize=11)
    axes[2].imshow(saliency, cmap="gray")
    axes[2].set_title("gradient saliency", fontsize=11)
    for ax in axes:
        ax.axis("off")
    figure.tight_layout()
    return figure
