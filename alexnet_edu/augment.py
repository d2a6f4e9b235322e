"""The paper's data augmentation (section 4.1), as Keras layers and tf.data steps.

- Random crops plus horizontal flips: 224x224 patches of 256x256 images in
  the paper (2048 times more training images); `crop_size_for` scales that
  7/8 ratio to small images (56 of 64). For 32-pixel CIFAR images,
  pad-and-crop (`pad=4`: 32-pixel crops of the image padded to 40) keeps
  the image size; the padding is zeros, or the image mirrored about its
  edge (`pad_mode="reflect"`).
- PCA colour augmentation: add `sum_i alpha_i * lambda_i * p_i` to every
  pixel, where `p_i, lambda_i` are the eigenvectors and eigenvalues of the
  3x3 RGB covariance over the training set and `alpha_i ~ N(0, 0.1)` is drawn
  once per image. Pixels are in [0, 1], so `lambda_i` are in those units.
- 10-crop testing: average the softmax over the 4 corner crops, the centre
  crop and their mirror images.

The layers work inside a model or in a pipeline; `augment_data` applies them
to an `ImageData`.
"""

import dataclasses
import numbers

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from alexnet_edu.data import ImageData, check_seed, restartable, run_seed
from alexnet_edu.images import as_images
from alexnet_edu.visualize._layers import check_count, check_model

PAPER_CROP_RATIO = 224 / 256
TEN_CROP_NAMES = ("top_left", "top_right", "bottom_left", "bottom_right", "centre")


def crop_size_for(image_size):
    """The paper's crop (224 of 256) scaled to another image size: 56 of 64, 28 of 32.

    Example:

    >>> crop_size_for(256), crop_size_for(64), crop_size_for(32)
    (224, 56, 28)
    """
    return int(round(image_size * PAPER_CROP_RATIO))


@keras.saving.register_keras_serializable(package="alexnet_edu")
class PCAColorAugmentation(keras.layers.Layer):
    """Shifts every pixel of an image along the principal components of RGB colour.

    For each image, draws `alpha ~ N(0, stddev)` (three numbers) and adds
    `eigenvectors @ (alpha * eigenvalues)` to all its pixels: the image gets
    lighter or darker, warmer or cooler, along the directions in which the
    training set's colours vary most. Active only in training.

    Example:

    >>> data = load_cifar10_photos(per_class=20)
    >>> pca = fit_pca_color(data.train)
    >>> layer = PCAColorAugmentation(pca.eigenvalues, pca.eigenvectors, seed=0)
    >>> images, labels = next(iter(data.train))
    >>> tuple(layer(images, training=True).shape)
    (64, 32, 32, 3)

    Args:
        eigenvalues: The 3 eigenvalues of the training set's RGB covariance,
            in [0, 1] pixel units (as `fit_pca_color` returns them).
        eigenvectors: 3x3 matrix whose columns are the matching eigenvectors.
        stddev: Standard deviation of `alpha` (0.1 in the paper).
        seed: Seed for the random `alpha`.
        **kwargs: Base layer keyword arguments, such as `name`.

    Call arguments:
        inputs: Images `(batch, height, width, 3)` or `(height, width, 3)`.
        training: Apply the shift only when True.

    Raises:
        ValueError: Eigen-decomposition of the wrong shape, non-finite,
            negative or in 0-255 units (above 1), or a negative `stddev`.
    """

    def __init__(self, eigenvalues, eigenvectors, stddev=0.1, seed=None, **kwargs):
        super().__init__(**kwargs)
        eigenvalues = np.asarray(eigenvalues, dtype="float32")
        eigenvectors = np.asarray(eigenvectors, dtype="float32")
        if eigenvalues.shape != (3,) or eigenvectors.shape != (3, 3):
            raise ValueError(
                "PCAColorAugmentation needs 3 eigenvalues and a 3x3 eigenvector matrix (use fit_pca_color). "
                f"Received: eigenvalues of shape {eigenvalues.shape}, eigenvectors of shape {eigenvectors.shape}"
            )
        if not (np.all(np.isfinite(eigenvalues)) and np.all(np.isfinite(eigenvectors))):
            raise ValueError(
                "PCAColorAugmentation needs finite eigenvalues and eigenvectors: refit them with fit_pca_color on images "
                f"without NaN. Received: eigenvalues={eigenvalues.tolist()}"
            )
        if np.any(eigenvalues < 0):
            raise ValueError(
                "Eigenvalues of a covariance cannot be negative: use the eigenvalues from fit_pca_color. "
                f"Received: eigenvalues={eigenvalues.tolist()}"
            )
        # Colours in [0, 1] vary by at most 0.25 per channel, so the three eigenvalues sum to at most 0.75.
        if np.any(eigenvalues > 1):
            raise ValueError(
                "Eigenvalues above 1 cannot come from [0, 1] pixels (they look like 0-255 units, 255**2 times too large): "
                f"fit them with fit_pca_color, or divide by 255**2. Received: eigenvalues={eigenvalues.tolist()}"
            )
        if isinstance(stddev, bool) or not isinstance(stddev, numbers.Real) or not np.isfinite(stddev) or stddev < 0:
            raise ValueError(f"stddev must be a non-negative number (0.1 in the paper). Received: stddev={stddev!r}")
        self.eigenvalues = eigenvalues
        self.eigenvectors = eigenvectors
        self.stddev = float(stddev)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = False

    def build(self, input_shape):
        if input_shape[-1] != 3:
            raise ValueError(
                f"PCAColorAugmentation works on RGB images (3 channels). Received: input_shape={tuple(input_shape)}"
            )
        self.built = True

    def call(self, inputs, training=None):
        if not training:
            return inputs
        batched = len(inputs.shape) == 4
        batch = keras.ops.shape(inputs)[0] if batched else 1
        alpha = keras.random.normal((batch, 3), stddev=self.stddev, seed=self.seed_generator)
        shift = keras.ops.matmul(alpha * self.eigenvalues, keras.ops.transpose(self.eigenvectors))
        shift = keras.ops.cast(shift, inputs.dtype)
        return inputs + (shift[:, None, None, :] if batched else shift[0])

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "eigenvalues": self.eigenvalues.tolist(),
                "eigenvectors": self.eigenvectors.tolist(),
                "stddev": self.stddev,
                "seed": self.seed,
            }
        )
        return config


@dataclasses.dataclass(frozen=True)
class ColorPCA:
    """Eigenvalues (largest first) and eigenvectors (columns) of the RGB covariance."""

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    mean: np.ndarray


def fit_pca_color(images, max_images=2000):
    """Principal components of RGB colour over a set of images.

    The fit is in [0, 1] pixel units whatever the images' dtype (uint8 is
    divided by 255 first), because `PCAColorAugmentation` adds the shifts
    to [0, 1] images.

    Example:

    >>> pca = fit_pca_color(load_cifar10_photos(per_class=20).train)
    >>> pca.eigenvectors.shape, pca.eigenvalues.shape
    ((3, 3), (3,))

    Args:
        images: An array `(n, height, width, 3)` (uint8, or floats in
            [0, 1]), or a dataset of `(images, labels)` batches such as
            `ImageData.train`.
        max_images: Use at most this many images (the estimate converges fast).

    Returns:
        A `ColorPCA`, eigenvalues and mean in [0, 1] pixel units.

    Raises:
        ValueError: Pixels outside the image contract (0-255 floats, NaN),
            no pixels, or `max_images` below 1.
    """
    max_images = check_count("max_images", max_images)
    if isinstance(images, tf.data.Dataset):
        batches, count = [], 0
        for element in images:
            batch = element[0] if isinstance(element, tuple) else element
            batches.append(as_images(batch, "images batch", batch=True))
            count += len(batches[-1])
            if count >= max_images:
                break
        if not batches:
            raise ValueError(
                "The dataset is empty: fit_pca_color needs images (pass e.g. data.train). Received: an empty dataset"
            )
        images = np.concatenate(batches)[:max_images]
    else:
        # Only the images used are converted: a whole uint8 training set as floats would not fit in memory.
        if len(getattr(images, "shape", ())) == 4:
            images = images[:max_images]
        images = as_images(images, "images", batch=True)[:max_images]
    pixels = images.astype("float64").reshape(-1, 3)
    if pixels.shape[0] < 2:
        raise ValueError(f"fit_pca_color needs at least 2 pixels to estimate a covariance. Received: shape {images.shape}")
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(pixels, rowvar=False))
    order = np.argsort(eigenvalues)[::-1]
    # A covariance has no negative eigenvalues; grey images give -1e-18-sized rounding noise.
    eigenvalues = np.maximum(eigenvalues[order], 0)
    return ColorPCA(eigenvalues.astype("float32"), eigenvectors[:, order].astype("float32"), pixels.mean(0))


def _check_image_shape(image_shape):
    if hasattr(image_shape, "ndim") and np.ndim(image_shape) > 1:
        raise TypeError(
            "image_shape must be (height, width, channels), not an image: pass image.shape or data.image_shape. "
            f"Received: an array of shape {np.shape(image_shape)}"
        )
    try:
        shape = tuple(int(size) for size in image_shape)
    except (TypeError, ValueError):
        raise TypeError(
            f"image_shape must be (height, width, channels), e.g. data.image_shape. Received: image_shape={image_shape!r}"
        ) from None
    if len(shape) == 4:
        raise ValueError(
            f"image_shape must be (height, width, channels) without the batch axis: pass images.shape[1:]. "
            f"Received: image_shape={shape}"
        )
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            f"image_shape must be three positive sizes (height, width, channels), e.g. data.image_shape. "
            f"Received: image_shape={image_shape!r}"
        )
    return shape


def _check_pca(pca):
    if pca is not None and not (hasattr(pca, "eigenvalues") and hasattr(pca, "eigenvectors")):
        raise TypeError(
            "pca must be a ColorPCA from fit_pca_color(train_images), or None. "
            f"Received: pca of type {type(pca).__name__}"
        )


# What fills the border that pad-and-crop adds: Keras's fill_mode for training and np.pad's mode for 10-crop
# testing. Keras's "reflect" mirrors about the image's edge, the edge pixel included (c b a | a b c): np.pad's
# "symmetric", not its "reflect" (tests/test_augment.py checks the two give the same pixels).
PAD_MODES = {"zeros": ("constant", "constant"), "reflect": ("reflect", "symmetric")}


def _check_pad_mode(pad_mode, pad):
    if not isinstance(pad_mode, str) or pad_mode not in PAD_MODES:
        raise ValueError(f"Unknown pad_mode {pad_mode!r}. Valid: {', '.join(map(repr, PAD_MODES))}.")
    if pad_mode != "zeros" and not pad:
        raise ValueError(
            f"pad_mode={pad_mode!r} says what fills the padding, but pad=0 adds none: pass pad=4 (CIFAR's standard) "
            "or leave pad_mode out."
        )
    return pad_mode


def _check_pad(pad, crop):
    if isinstance(pad, bool) or not isinstance(pad, numbers.Integral) or pad < 0:
        raise ValueError(f"pad must be a whole number of pixels, 0 or more (CIFAR's standard is 4). Received: pad={pad!r}")
    if pad and not crop:
        raise ValueError(
            f"pad={pad} pads the images for the random crop, but crop=False: pass crop=True (pad-and-crop keeps the "
            "image size) or pad=0."
        )
    return int(pad)


def _shift(lower, upper, size):
    # RandomTranslation's factors are fractions of the size; +-0.5 px around whole shifts makes its nearest-pixel
    # rounding draw each whole shift from `lower` to `upper` equally often.
    return ((lower - 0.5) / size, (upper + 0.5) / size)


def _random_crop_layers(height, width, crop_shape, pad=0, seed=0, pad_mode="zeros"):
    """Keras layers that take a random crop of every image, a different one per image.

    Keras's `RandomCrop` draws one position per call, so every image of a
    batch gets the same crop. Here each image is shifted by its own random
    whole number of pixels (`RandomTranslation`, nearest pixel, the
    padding outside) and the centre crop taken: the same pixels as a crop at a
    random position, each position equally likely. With `pad`, the image is
    first padded with `pad` pixels on each side (CIFAR's pad-and-crop): zeros,
    or the image mirrored about its edge (c b a | a b c) with `pad_mode="reflect"`.

    Args:
        height: Height of the incoming images.
        width: Width of the incoming images.
        crop_shape: `(height, width)` of the crops.
        pad: Pixels added on each side before cropping.
        seed: Seed for the random positions.
        pad_mode: What those pixels are: `"zeros"` or `"reflect"`.

    Returns:
        A list of layers: the shift, then the centre crop (none when the
        crop keeps the image size).
    """
    crop_height, crop_width = crop_shape
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    steps = [
        layers.RandomTranslation(
            _shift(top - (height - crop_height) - pad, top + pad, height),
            _shift(left - (width - crop_width) - pad, left + pad, width),
            fill_mode=PAD_MODES[pad_mode][0],
            interpolation="nearest",
            seed=seed,
            name="random_crop",
        )
    ]
    if (crop_height, crop_width) != (height, width):
        steps.append(layers.CenterCrop(crop_height, crop_width, name="crop"))
    return steps


def paper_augmentation(image_shape, crop=True, flip=True, pca=None, seed=0, pad=0, pad_mode="zeros"):
    """The paper's training-time augmentation as one Keras layer (a `Sequential`).

    Works inside a model (it is active only in training) or in a tf.data
    pipeline. In inference mode it takes the centre crop.

    Example:

    >>> augmentation, crop_shape = paper_augmentation((64, 64, 3), crop=True, flip=True)
    >>> crop_shape
    (56, 56)
    >>> tuple(augmentation(np.zeros((4, 64, 64, 3), "float32"), training=True).shape)
    (4, 56, 56, 3)

    Args:
        image_shape: `(height, width, channels)` of the incoming images.
        crop: Random crops of `crop_size_for` the image size (7/8 of it), a
            different one per image; with `pad`, crops of the image size.
        flip: Random horizontal flips.
        pca: A `ColorPCA` (from `fit_pca_color`) for PCA colour shifts, or None.
        seed: Seed for the random transformations: the crops draw from
            `seed`, the flips from `seed + 1` and the colour shifts from
            `seed + 2`, so that none repeats another's draws; None for
            unseeded ones.
        pad: Pad-and-crop instead of the paper's 7/8 crops: pixels added
            on each side before a random crop of the image size (4 is
            CIFAR's standard: 32-pixel crops of 40-pixel images).
        pad_mode: What fills the padding: `"zeros"` (CIFAR's standard) or
            `"reflect"`, the image mirrored about its edge: no black border,
            which the unpadded test photos never have.

    Returns:
        `(augmentation, crop_shape)`: the layer and the `(height, width)` it outputs.

    Raises:
        TypeError: `image_shape` is not a shape, or `pca` not a `ColorPCA`.
        ValueError: `image_shape` is not three positive sizes, or a bad `pad`
            or `pad_mode`.
    """
    height, width, _ = _check_image_shape(image_shape)
    _check_pca(pca)
    pad = _check_pad(pad, crop)
    _check_pad_mode(pad_mode, pad)
    if not crop or pad:
        crop_shape = (height, width)
    else:
        crop_shape = (crop_size_for(height), crop_size_for(width))
    check_seed(seed)
    seeds = [None] * 3 if seed is None else [int(seed) + offset for offset in range(3)]
    steps = _random_crop_layers(height, width, crop_shape, pad, seeds[0], pad_mode) if crop else []
    if flip:
        steps.append(layers.RandomFlip("horizontal", seed=seeds[1], name="random_flip"))
    if pca is not None:
        steps.append(PCAColorAugmentation(pca.eigenvalues, pca.eigenvectors, seed=seeds[2], name="pca_color"))
    return keras.Sequential(steps, name="augmentation"), crop_shape


def augment_data(data, crop=True, flip=True, pca=None, seed=0, pad=0, pad_mode="zeros"):
    """Adds the paper's augmentation to an `ImageData`'s training pipeline.

    Training images get random crops (`crop_size_for` their size, a
    different one per image), flips and, if `pca` is given, PCA colour
    shifts; validation images get the centre crop, so both come out the same
    size. With `pad`, the crops keep the image size (pad-and-crop, the
    standard for 32-pixel CIFAR images) and validation images are unchanged.

    Example:

    >>> data = augment_data(load_cifar10_photos(per_class=20), crop=True, flip=True, pad=4)
    >>> data.image_shape
    (32, 32, 3)

    Args:
        data: An `ImageData`.
        crop: Random crops in training, the centre crop in validation.
        flip: Random horizontal flips in training.
        pca: A `ColorPCA` (from `fit_pca_color` on the training images), or None.
        seed: Seed for the random transformations.
        pad: Pixels added on each side before the random crop, which then
            keeps the image size; 0 for the paper's 7/8 crops.
        pad_mode: What fills the padding: `"zeros"` or `"reflect"` (the
            image mirrored about its edge).

    Returns:
        A new `ImageData`.

    Raises:
        TypeError: `data` is not an `ImageData`, or `pca` not a `ColorPCA`.
        ValueError: A bad `pad` or `pad_mode`, or `pad` without `crop`.
    """
    if not isinstance(data, ImageData):
        raise TypeError(
            "augment_data takes an ImageData (from load_shapes, load_image_folder, arrays_to_data, ...); for a "
            "tf.data.Dataset, map the layer from paper_augmentation over it. "
            f"Received: data of type {type(data).__name__}"
        )
    _check_pca(pca)
    _check_pad_mode(pad_mode, _check_pad(pad, crop))
    if not (crop or flip or pca is not None):
        return data
    _, crop_shape = paper_augmentation(data.image_shape, crop, flip, pca, seed, pad, pad_mode)

    def build_train(run=None):
        # New layers, so that their random state starts over too (`ImageData.fresh`).
        augmentation, _ = paper_augmentation(data.image_shape, crop, flip, pca, run_seed(seed, run), pad, pad_mode)
        # One batch at a time: parallel calls would race on the layers' random state, and a seed would
        # no longer fix the crops (measured: two runs differed in the first epoch).
        train = data.fresh(run).train.map(lambda x, y: (augmentation(x, training=True), y))
        return train.prefetch(tf.data.AUTOTUNE)

    centre = layers.CenterCrop(*crop_shape, name="centre_crop")
    validation = data.validation.map(lambda x, y: (centre(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    augmented = dataclasses.replace(
        data,
        train=build_train(),
        validation=validation.prefetch(tf.data.AUTOTUNE),
        image_shape=(*crop_shape, data.image_shape[2]),
    )
    return restartable(augmented, build_train)


def ten_crop_boxes(image_size, crop_size):
    """`(name, top, left)` of the paper's five test crops: four corners and the centre."""
    height, width = (image_size, image_size) if isinstance(image_size, int) else image_size
    if crop_size > min(height, width):
        raise ValueError(f"crop_size {crop_size} is larger than the image ({height}x{width}). Received: crop_size={crop_size}")
    bottom, right = height - crop_size, width - crop_size
    tops_lefts = ((0, 0), (0, right), (bottom, 0), (bottom, right), (bottom // 2, right // 2))
    return [(name, top, left) for name, (top, left) in zip(TEN_CROP_NAMES, tops_lefts)]


def ten_crops(images, crop_size):
    """The 10 test patches of a batch: 5 crops and their mirror images.

    Pixels are only moved, never changed, so any dtype and range passes
    through; `ten_crop_predict` applies the image contract.

    Args:
        images: `(batch, height, width, channels)`, or one image.
        crop_size: Side of the square crops.

    Returns:
        A tensor `(10, batch, crop_size, crop_size, channels)`: the 5 crops
        in `TEN_CROP_NAMES` order, then the same 5 flipped left-right.

    Raises:
        ValueError: Images that are not (batch, height, width, channels),
            or smaller than `crop_size`.
    """
    images = tf.convert_to_tensor(images)
    if images.shape.rank == 3:
        images = images[None]
    if images.shape.rank != 4:
        raise ValueError(
            "ten_crops needs images (batch, height, width, channels) or one image (height, width, channels). "
            f"Received: shape {tuple(images.shape)}"
        )
    boxes = ten_crop_boxes(tuple(images.shape[1:3]), crop_size)
    crops = [images[:, top : top + crop_size, left : left + crop_size, :] for _, top, left in boxes]
    return tf.stack(crops + [tf.image.flip_left_right(crop) for crop in crops])


def _crop_size(model):
    check_model(model)
    shape = tuple(model.inputs[0].shape)
    if len(shape) != 4 or shape[1] is None or shape[1] != shape[2]:
        raise ValueError(
            f"10-crop testing needs a model with a fixed square image input, e.g. build_alexnet('mini', "
            f"input_shape=(56, 56, 3)). Received: model {model.name!r} with input shape {shape}"
        )
    return shape[1]


def ten_crop_predict(model, images, pad=0, pad_mode="zeros"):
    """Class probabilities averaged over the 10 crops, as the paper tested.

    Example:

    >>> model = build_alexnet("mini", num_classes=10, input_shape=(56, 56, 3))
    >>> images = np.random.default_rng(0).random((2, 64, 64, 3), dtype="float32")
    >>> ten_crop_predict(model, images).shape  # 56-px crops of 64-px images
    (2, 10)

    Args:
        model: A model whose (square) input is the crop size.
        images: `(batch, height, width, 3)` (or one image): uint8 (0-255) or
            floats in [0, 1], at least the model's input size.
        pad: For a model trained with pad-and-crop: pixels added on each
            side first, so the corner crops are shifted by `pad`.
        pad_mode: What those pixels are, as in training: `"zeros"` or
            `"reflect"`.

    Returns:
        Averaged softmax, `(batch, num_classes)`.

    Raises:
        ValueError: Images that break the image contract or are smaller
            than the model's input, or a model without a square input.
    """
    crop_size = _crop_size(model)
    pad = _check_pad(pad, crop=True)
    _check_pad_mode(pad_mode, pad)
    images = as_images(images, "images", batch=True, channels=model.input_shape[-1])
    if pad:
        images = np.pad(images, [(0, 0), (pad, pad), (pad, pad), (0, 0)], mode=PAD_MODES[pad_mode][1])
    height, width = images.shape[1:3]
    if min(height, width) < crop_size:
        raise ValueError(
            f"images are {height}x{width} but the 10 crops must be {crop_size}x{crop_size}, the input of model {model.name!r}: "
            f"pass images at least that large, e.g. the un-augmented data (the paper crops 224 of 256), "
            f"or use model.predict. Received: images of shape {images.shape}"
        )
    patches = ten_crops(images, crop_size)
    batch = patches.shape[1]
    probabilities = model(tf.reshape(patches, (-1, *patches.shape[2:])), training=False)
    return tf.reduce_mean(tf.reshape(probabilities, (10, batch, -1)), axis=0).numpy()


def ten_crop_accuracy(model, dataset, pad=0, pad_mode="zeros"):
    """Accuracy with the 10-crop average and with the centre crop alone.

    Example:

    >>> data = load_cifar10_photos(per_class=20)
    >>> model = build_alexnet("mini", num_classes=10, input_shape=(32, 32, 3))
    >>> sorted(ten_crop_accuracy(model, data.validation, pad=4))  # crops of the photos padded by 4 pixels
    ['centre_crop', 'ten_crop']

    Args:
        model: A model trained on crops (its input smaller than the images,
            or as large with `pad`).
        dataset: Batches of `(full-size images, labels)`, e.g. the
            validation pipeline of the un-augmented `ImageData`; uint8
            (0-255) or floats in [0, 1].
        pad: The `pad` the model was trained with (`augment_data(..., pad=4)`):
            the crops are taken from the padded images.
        pad_mode: The `pad_mode` it was trained with: `"zeros"` or `"reflect"`.

    Returns:
        A dict `{"ten_crop": ..., "centre_crop": ...}`.

    Raises:
        TypeError: `dataset` is not a dataset of batches.
        ValueError: As `ten_crop_predict`, or an empty dataset.
    """
    crop_size = _crop_size(model)
    pad = _check_pad(pad, crop=True)
    _check_pad_mode(pad_mode, pad)
    if isinstance(dataset, ImageData) or not hasattr(dataset, "element_spec"):
        raise TypeError(
            "ten_crop_accuracy needs a tf.data.Dataset of (images, labels) batches, e.g. data.validation of the "
            f"un-augmented data. Received: dataset of type {type(dataset).__name__}"
        )
    centre = layers.CenterCrop(crop_size, crop_size)
    hits_ten = hits_centre = total = 0
    for images, labels in dataset:
        images = as_images(images, "images batch", batch=True, channels=model.input_shape[-1])
        labels = np.asarray(labels)
        hits_ten += int(np.sum(ten_crop_predict(model, images, pad, pad_mode).argmax(-1) == labels))
        hits_centre += int(np.sum(np.asarray(model(centre(images), training=False)).argmax(-1) == labels))
        total += len(labels)
    if not total:
        raise ValueError("The dataset is empty: ten_crop_accuracy needs at least one (images, labels) batch.")
    return {"ten_crop": hits_ten / total, "centre_crop": hits_centre / total}
