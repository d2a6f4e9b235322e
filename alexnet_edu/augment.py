"""The paper's data augmentation (section 4.1), as Keras layers and tf.data steps.

- Random crops plus horizontal flips: 224x224 patches of 256x256 images in
  the paper (2048 times more training images); `crop_size_for` scales that
  7/8 ratio to small images (56 of 64).
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

import keras
import numpy as np
import tensorflow as tf
from keras import layers

PAPER_CROP_RATIO = 224 / 256
TEN_CROP_NAMES = ("top_left", "top_right", "bottom_left", "bottom_right", "centre")


def crop_size_for(image_size):
    """The paper's crop (224 of 256) scaled to another image size: 56 of 64, 28 of 32."""
    return int(round(image_size * PAPER_CROP_RATIO))


@keras.saving.register_keras_serializable(package="alexnet_edu")
class PCAColorAugmentation(keras.layers.Layer):
    """Shifts every pixel of an image along the principal components of RGB colour.

    For each image, draws `alpha ~ N(0, stddev)` (three numbers) and adds
    `eigenvectors @ (alpha * eigenvalues)` to all its pixels: the image gets
    lighter or darker, warmer or cooler, along the directions in which the
    training set's colours vary most. Active only in training.

    Example:

    >>> pca = fit_pca_color(train_images)
    >>> layer = PCAColorAugmentation(pca.eigenvalues, pca.eigenvectors, seed=0)
    >>> augmented = layer(images, training=True)

    Args:
        eigenvalues: The 3 eigenvalues of the training set's RGB covariance.
        eigenvectors: 3x3 matrix whose columns are the matching eigenvectors.
        stddev: Standard deviation of `alpha` (0.1 in the paper).
        seed: Seed for the random `alpha`.
        **kwargs: Base layer keyword arguments, such as `name`.

    Call arguments:
        inputs: Images `(batch, height, width, 3)` or `(height, width, 3)`.
        training: Apply the shift only when True.
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
        if stddev < 0:
            raise ValueError(f"stddev must be non-negative. Received: stddev={stddev}")
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

    Args:
        images: An array `(n, height, width, 3)`, or a dataset of
            `(images, labels)` batches such as `ImageData.train`.
        max_images: Use at most this many images (the estimate converges fast).

    Returns:
        A `ColorPCA`.
    """
    if isinstance(images, tf.data.Dataset):
        batches, count = [], 0
        for batch, _ in images:
            batches.append(np.asarray(batch))
            count += len(batches[-1])
            if count >= max_images:
                break
        images = np.concatenate(batches)
    pixels = np.asarray(images, dtype="float64")[:max_images].reshape(-1, 3)
    if pixels.shape[0] < 2:
        raise ValueError(f"fit_pca_color needs RGB images (..., 3) with pixels in them. Received: shape {np.shape(images)}")
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(pixels, rowvar=False))
    order = np.argsort(eigenvalues)[::-1]
    return ColorPCA(eigenvalues[order].astype("float32"), eigenvectors[:, order].astype("float32"), pixels.mean(0))


def paper_augmentation(image_shape, crop=True, flip=True, pca=None, seed=0):
    """The paper's training-time augmentation as one Keras layer (a `Sequential`).

    Works inside a model (it is active only in training) or in a tf.data
    pipeline. In inference mode Keras's `RandomCrop` takes the centre crop.

    Args:
        image_shape: `(height, width, channels)` of the incoming images.
        crop: Random crops of `crop_size_for` the image size (7/8 of it).
        flip: Random horizontal flips.
        pca: A `ColorPCA` (from `fit_pca_color`) for PCA colour shifts, or None.
        seed: Seed for the random transformations.

    Returns:
        `(augmentation, crop_shape)`: the layer and the `(height, width)` it outputs.
    """
    height, width = image_shape[:2]
    crop_shape = (crop_size_for(height), crop_size_for(width)) if crop else (height, width)
    steps = []
    if crop:
        steps.append(layers.RandomCrop(*crop_shape, seed=seed, name="random_crop"))
    if flip:
        steps.append(layers.RandomFlip("horizontal", seed=seed, name="random_flip"))
    if pca is not None:
        steps.append(PCAColorAugmentation(pca.eigenvalues, pca.eigenvectors, seed=seed, name="pca_color"))
    return keras.Sequential(steps, name="augmentation"), crop_shape


def augment_data(data, crop=True, flip=True, pca=None, seed=0):
    """Adds the paper's augmentation to an `ImageData`'s training pipeline.

    Training images get random crops (`crop_size_for` their size), flips and,
    if `pca` is given, PCA colour shifts; validation images get the centre
    crop, so both come out the same size.

    Args:
        data: An `ImageData`.
        crop: Random 7/8 crops in training, the centre crop in validation.
        flip: Random horizontal flips in training.
        pca: A `ColorPCA` (from `fit_pca_color` on the training images), or None.
        seed: Seed for the random transformations.

    Returns:
        A new `ImageData`.
    """
    if not (crop or flip or pca is not None):
        return data
    augmentation, crop_shape = paper_augmentation(data.image_shape, crop, flip, pca, seed)
    centre = layers.CenterCrop(*crop_shape, name="centre_crop")
    # One batch at a time: parallel calls would race on the layers' random state, and a seed would
    # no longer fix the crops (measured: two runs differed in the first epoch).
    train = data.train.map(lambda x, y: (augmentation(x, training=True), y))
    validation = data.validation.map(lambda x, y: (centre(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    return dataclasses.replace(
        data,
        train=train.prefetch(tf.data.AUTOTUNE),
        validation=validation.prefetch(tf.data.AUTOTUNE),
        image_shape=(*crop_shape, data.image_shape[2]),
    )


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

    Args:
        images: `(batch, height, width, 3)`.
        crop_size: Side of the square crops.

    Returns:
        A tensor `(10, batch, crop_size, crop_size, 3)`: the 5 crops in
        `TEN_CROP_NAMES` order, then the same 5 flipped left-right.
    """
    images = tf.convert_to_tensor(images)
    boxes = ten_crop_boxes(tuple(images.shape[1:3]), crop_size)
    crops = [images[:, top : top + crop_size, left : left + crop_size, :] for _, top, left in boxes]
    return tf.stack(crops + [tf.image.flip_left_right(crop) for crop in crops])


def ten_crop_predict(model, images):
    """Class probabilities averaged over the 10 crops, as the paper tested.

    Args:
        model: A model whose input is the crop size.
        images: `(batch, height, width, 3)`, larger than the model's input.

    Returns:
        Averaged softmax, `(batch, num_classes)`.
    """
    crop_size = model.input_shape[1]
    patches = ten_crops(images, crop_size)
    batch = patches.shape[1]
    probabilities = model(tf.reshape(patches, (-1, *patches.shape[2:])), training=False)
    return tf.reduce_mean(tf.reshape(probabilities, (10, batch, -1)), axis=0).numpy()


def ten_crop_accuracy(model, dataset):
    """Accuracy with the 10-crop average and with the centre crop alone.

    Args:
        model: A model trained on crops (its input smaller than the images).
        dataset: Batches of `(full-size images, labels)`, e.g. the
            validation pipeline of the un-augmented `ImageData`.

    Returns:
        A dict `{"ten_crop": ..., "centre_crop": ...}`.
    """
    crop_size = model.input_shape[1]
    centre = layers.CenterCrop(crop_size, crop_size)
    hits_ten = hits_centre = total = 0
    for images, labels in dataset:
        labels = np.asarray(labels)
        hits_ten += int(np.sum(ten_crop_predict(model, images).argmax(-1) == labels))
        hits_centre += int(np.sum(np.asarray(model(centre(images), training=False)).argmax(-1) == labels))
        total += len(labels)
    return {"ten_crop": hits_ten / total, "centre_crop": hits_centre / total}
