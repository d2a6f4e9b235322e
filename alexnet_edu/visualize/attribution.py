"""Attribution done carefully: occlusion, SmoothGrad, integrated gradients, and the sanity check.

Each method answers "which pixels does the class decision depend on?" in its
own way; `randomization_check` (Adebayo et al., 2018, "Sanity Checks for
Saliency Maps") tells a map that explains the *model* from one that only
shows the *image*: randomize the weights layer by layer from the top, and a
map that barely changes was never about what the network learned.

All maps explain the class *logit* (fc8 before its softmax), as `grad_cam`
and `saliency_map` do, except occlusion, which measures the drop in the
class's probability, as Zeiler and Fergus did.
"""

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf

from alexnet_edu.visualize._layers import check_model, displayable, model_images
from alexnet_edu.visualize.gradcam import _class_index, _logit_model, grad_cam, saliency_map

METHODS = ("grad_cam", "saliency", "smoothgrad", "integrated_gradients", "occlusion")


def _positive_int(name, value, example):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, e.g. {example}. Received: {name}={value!r}")
    return int(value)


def _gradients(logits, images, class_index):
    """d logit[class] / d input for a batch of images."""
    images = tf.convert_to_tensor(images, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(images)
        scores = logits(images)[:, class_index]
    return tape.gradient(scores, images).numpy()


def _resolve_class(model, image, class_index):
    logits = _logit_model(model)
    scores = logits(tf.convert_to_tensor(image[None], tf.float32))
    return logits, _class_index(scores, class_index)


def smoothgrad(model, image, class_index=None, samples=25, noise=0.15, seed=0):
    """SmoothGrad (Smilkov et al., 2017): gradient saliency averaged over noisy copies of the image.

    Plain gradients flicker from pixel to pixel; adding Gaussian noise of
    10-20 % of the image's range and averaging the saliency maps keeps what
    is stable.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> photo = sample_photos(image_size=64)["grace_hopper"]
    >>> heatmap, class_index = smoothgrad(model, photo, samples=25)
    >>> heatmap.shape
    (64, 64)

    Args:
        model: A Keras classifier ending in a Dense layer.
        image: `(height, width, 3)`: uint8 or floats in [0, 1], the model's input size.
        class_index: The class to explain; by default the predicted one.
        samples: Noisy copies to average.
        noise: The noise's standard deviation as a fraction of the image's
            range (max - min).
        seed: Seed of the noise.

    Returns:
        `(heatmap, class_index)`: `(height, width)` in [0, 1], and the class.
    """
    image = model_images(model, image, "image", batch=False)
    samples = _positive_int("samples", samples, 25)
    if not isinstance(noise, (int, float)) or isinstance(noise, bool) or not 0 <= noise <= 1:
        raise ValueError(f"noise must be a fraction of the image's range from 0 to 1, e.g. 0.15. Received: noise={noise!r}")
    logits, class_index = _resolve_class(model, image, class_index)
    spread = noise * float(image.max() - image.min())
    rng = np.random.default_rng(seed)
    noisy = image[None] + rng.normal(0.0, spread, size=(samples, *image.shape)).astype("float32")
    gradients = _gradients(logits, noisy, class_index)
    heatmap = np.abs(gradients).max(axis=-1).mean(axis=0)
    return heatmap / max(heatmap.max(), 1e-12), class_index


def integrated_gradients(model, image, class_index=None, baseline=None, steps=32):
    """Integrated gradients (Sundararajan et al., 2017): gradients summed along a path from a baseline.

    The attribution of pixel i is (x_i - x'_i) times the average gradient on
    the straight line from the baseline x' (black by default) to the image x.
    They add up to the logit's change from the baseline to the image
    ("completeness"), which plain gradients do not.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> photo = sample_photos(image_size=64)["grace_hopper"]
    >>> attributions, class_index = integrated_gradients(model, photo, steps=64)
    >>> total = attributions.sum()  # about logit(photo) - logit(black image)

    Args:
        model: A Keras classifier ending in a Dense layer.
        image: `(height, width, 3)`: uint8 or floats in [0, 1], the model's input size.
        class_index: The class to explain; by default the predicted one.
        baseline: An image of the same shape meaning "no information"; None
            for black.
        steps: Points on the path (midpoint rule): more is more exact.

    Returns:
        `(attributions, class_index)`: `(height, width, 3)` in logit units,
        and the class.
    """
    image = model_images(model, image, "image", batch=False)
    steps = _positive_int("steps", steps, 32)
    baseline = np.zeros_like(image) if baseline is None else model_images(model, baseline, "baseline", batch=False)
    logits, class_index = _resolve_class(model, image, class_index)
    alphas = (np.arange(steps, dtype="float32") + 0.5) / steps
    path = baseline[None] + alphas[:, None, None, None] * (image - baseline)[None]
    gradients = np.concatenate([_gradients(logits, chunk, class_index) for chunk in np.array_split(path, -(-steps // 32))])
    return (image - baseline) * gradients.mean(axis=0), class_index


def occlusion_map(model, image, class_index=None, patch=None, stride=None):
    """Occlusion sensitivity (Zeiler and Fergus, 2014): cover a square, see the class's probability drop.

    A grey square (the image's mean colour) slides over the image; each pixel
    gets the mean drop in the class's probability over the positions that
    covered it. No gradients: what it shows, the network really uses.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> photo = sample_photos(image_size=64)["grace_hopper"]
    >>> drop, class_index = occlusion_map(model, photo, patch=8, stride=4)

    Args:
        model: A Keras classifier.
        image: `(height, width, 3)`: uint8 or floats in [0, 1], the model's input size.
        class_index: The class to explain; by default the predicted one.
        patch: Side of the square in pixels; by default an eighth of the
            image's height (at least 2).
        stride: Step between positions; by default half the patch.

    Returns:
        `(drop, class_index)`: `(height, width)` probability drops (negative
        where covering the pixel raises the probability), and the class.
    """
    check_model(model)
    image = model_images(model, image, "image", batch=False)
    height, width = image.shape[:2]
    patch = max(2, height // 8) if patch is None else _positive_int("patch", patch, 8)
    if patch > min(height, width):
        raise ValueError(f"patch must fit the {height}x{width} image, e.g. {max(2, height // 8)}. Received: patch={patch}")
    stride = max(1, patch // 2) if stride is None else _positive_int("stride", stride, 4)
    probabilities = np.asarray(model(image[None], training=False))[0]
    class_index = _class_index(probabilities[None], class_index)
    rows = sorted({*range(0, height - patch + 1, stride), height - patch})
    cols = sorted({*range(0, width - patch + 1, stride), width - patch})
    corners = [(row, col) for row in rows for col in cols]
    fill = image.mean(axis=(0, 1))
    occluded = np.repeat(image[None], len(corners), axis=0)
    for number, (row, col) in enumerate(corners):
        occluded[number, row : row + patch, col : col + patch] = fill
    scores = np.asarray(model.predict(occluded, batch_size=64, verbose=0))[:, class_index]
    drop, count = np.zeros((height, width)), np.zeros((height, width))
    for (row, col), score in zip(corners, scores):
        drop[row : row + patch, col : col + patch] += probabilities[class_index] - score
        count[row : row + patch, col : col + patch] += 1
    return drop / count, class_index


def attribution_map(model, image, method, class_index=None):
    """One `(height, width)` map by name, for comparing methods: non-negative, largest 1.

    Integrated gradients become the absolute sum over colour channels;
    occlusion keeps its positive drops.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> photo = sample_photos(image_size=64)["china"]
    >>> heatmap, class_index = attribution_map(model, photo, "saliency")
    >>> heatmap.shape, float(heatmap.max())
    ((64, 64), 1.0)

    Args:
        model: A Keras classifier ending in a Dense layer.
        image: `(height, width, 3)`: uint8 or floats in [0, 1].
        method: One of `METHODS`.
        class_index: The class to explain; by default the predicted one.

    Returns:
        `(heatmap, class_index)`.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown attribution method {method!r}. Valid methods: {', '.join(METHODS)}")
    if method == "grad_cam":
        return grad_cam(model, image, class_index)
    if method == "saliency":
        return saliency_map(model, image, class_index)
    if method == "smoothgrad":
        return smoothgrad(model, image, class_index)
    if method == "integrated_gradients":
        attributions, class_index = integrated_gradients(model, image, class_index)
        heatmap = np.abs(attributions.sum(axis=-1))
    else:
        drop, class_index = occlusion_map(model, image, class_index)
        heatmap = np.clip(drop, 0, None)
    return heatmap / max(heatmap.max(), 1e-12), class_index


def _rank_correlation(first, second):
    """Spearman's rank correlation of two maps (ties share their mean rank); NaN if either is constant.

    A constant map (an empty Grad-CAM, say) ranks nothing, so it neither resembles nor differs
    from another: counting it as 0 would pass an empty map as "changed".
    """
    ranks = [pd.Series(np.ravel(values)).rank().to_numpy() for values in (first, second)]
    if ranks[0].std() == 0 or ranks[1].std() == 0:
        return float("nan")
    return float(np.corrcoef(*ranks)[0, 1])


def randomization_check(model, image, methods=("grad_cam", "saliency"), class_index=None, seed=0):
    """Adebayo et al.'s cascading randomization: does the map change when the learned weights go?

    Starting from the top (fc8), the weights of one layer after another are
    replaced by fresh random ones (Glorot uniform, as an untrained model's),
    and each method's map is recomputed for the same class. A map that
    explains the model should change as soon as the weights it depends on are
    gone; a map that stays similar (high rank correlation with the original)
    shows the image's edges, not what the network learned. The model itself
    is not changed (the check works on a copy).

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> photo = sample_photos(image_size=64)["grace_hopper"]
    >>> table, maps = randomization_check(model, photo, methods=("grad_cam", "saliency"))

    Args:
        model: A trained Keras classifier ending in a Dense layer.
        image: `(height, width, 3)`: uint8 or floats in [0, 1].
        methods: Names from `METHODS`.
        class_index: The class to explain; by default the trained model's prediction.
        seed: Seed of the random weights.

    Returns:
        `(table, maps)`: `table` is a `pandas.DataFrame` indexed by stage
        (`"trained"`, then `"randomized down to fc8"`, ... `"... conv1"`)
        with each method's Spearman rank correlation with its trained map
        (NaN where either map is constant, such as an empty Grad-CAM: there
        is nothing to rank); `maps[method][stage]` are the maps.
    """
    check_model(model)
    methods = (methods,) if isinstance(methods, str) else tuple(methods)
    unknown = [method for method in methods if method not in METHODS]
    if unknown or not methods:
        raise ValueError(f"Unknown attribution methods {unknown!r}. Valid methods: {', '.join(METHODS)}")
    image = model_images(model, image, "image", batch=False)
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    maps = {method: {} for method in methods}
    for method in methods:
        maps[method]["trained"], class_index = attribution_map(copy, image, method, class_index)
    layers_with_kernels = [layer for layer in copy.layers if any(len(weight.shape) >= 2 for weight in layer.trainable_weights)]
    initializer = keras.initializers.GlorotUniform(seed=seed)
    for layer in reversed(layers_with_kernels):
        for weight in layer.trainable_weights:
            if len(weight.shape) >= 2:
                weight.assign(initializer(weight.shape, dtype=weight.dtype))
        for method in methods:
            maps[method][f"randomized down to {layer.name}"], _ = attribution_map(copy, image, method, class_index)
    stages = list(maps[methods[0]])
    table = pd.DataFrame(
        {method: [_rank_correlation(maps[method]["trained"], maps[method][stage]) for stage in stages] for method in methods},
        index=pd.Index(stages, name="weights"),
    )
    return table, maps


def plot_attributions(model, image, class_names=None, class_index=None, methods=METHODS):
    """The image beside one map per method, for the same class.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> photo = sample_photos(image_size=64)["china"]
    >>> figure = plot_attributions(model, photo, methods=("grad_cam", "saliency"))

    Args:
        model: A Keras classifier ending in a Dense layer.
        image: `(height, width, 3)`: uint8 or floats in [0, 1].
        class_names: One name per class, for the title; or None.
        class_index: The class to explain; by default the predicted one.
        methods: Names from `METHODS`.

    Returns:
        A matplotlib `Figure`.
    """
    image = model_images(model, image, "image", batch=False)
    figure, axes = plt.subplots(1, len(methods) + 1, figsize=(2.3 * (len(methods) + 1), 2.9))
    axes[0].imshow(displayable(image))
    for ax, method in zip(axes[1:], methods):
        heatmap, class_index = attribution_map(model, image, method, class_index)
        ax.imshow(heatmap, cmap="inferno", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(method.replace("_", " "))
    name = class_names[class_index] if class_names is not None else str(class_index)
    axes[0].set_title(f"image ({name})")
    for ax in axes:
        ax.axis("off")
    figure.tight_layout()
    return figure


def plot_randomization_check(table, maps, stages=None):
    """One row of maps per method as the weights are randomized, with the rank correlation in each title.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))  # untrained here; explain a trained one
    >>> photo = sample_photos(image_size=64)["grace_hopper"]
    >>> table, maps = randomization_check(model, photo, methods=("grad_cam", "saliency"))
    >>> figure = plot_randomization_check(table, maps)
    >>> len(figure.axes)  # 2 methods x 3 stages: trained, fc8 randomized, every layer randomized
    6

    Args:
        table: `randomization_check`'s table.
        maps: `randomization_check`'s maps.
        stages: Which stages to show; by default the trained model, fc8
            randomized, and every layer randomized (the table has them all).

    Returns:
        A matplotlib `Figure`.
    """
    all_stages = list(table.index)
    stages = stages or list(dict.fromkeys([all_stages[0], all_stages[1], all_stages[-1]]))
    methods = list(table.columns)
    figure, axes = plt.subplots(len(methods), len(stages), figsize=(1.9 * len(stages), 2.2 * len(methods)), squeeze=False)
    for row, method in enumerate(methods):
        for col, stage in enumerate(stages):
            ax = axes[row, col]
            ax.imshow(maps[method][stage], cmap="inferno", vmin=0, vmax=1, interpolation="nearest")
            label = stage if stage == "trained" else "random: fc8 … " + stage.removeprefix("randomized down to ")
            rho = table.loc[stage, method]
            ax.set_title(f"{label}\n" + ("empty map: no ρ" if np.isnan(rho) else f"ρ = {rho:.2f}"))
            ax.set_xticks([])
            ax.set_yticks([])
        axes[row, 0].set_ylabel(method.replace("_", " "))
    figure.tight_layout()
    return figure
