import keras
import numpy as np
import tensorflow as tf

from alexnet_edu.augment import (
    PCAColorAugmentation,
    augment_data,
    crop_size_for,
    fit_pca_color,
    paper_augmentation,
    ten_crop_accuracy,
    ten_crop_boxes,
    ten_crop_predict,
    ten_crops,
)
from alexnet_edu.data import arrays_to_data


def test_paper_crop_sizes():
    assert crop_size_for(256) == 224
    assert crop_size_for(64) == 56
    assert crop_size_for(32) == 28


def test_pca_of_a_known_colour_distribution():
    rng = np.random.default_rng(0)
    eigenvectors = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    eigenvalues = np.array([0.01, 0.004, 0.001])  # small enough that the pixels stay in [0, 1]
    covariance = eigenvectors @ np.diag(eigenvalues) @ eigenvectors.T
    pixels = rng.multivariate_normal([0.5, 0.5, 0.45], covariance, size=200 * 16 * 16)
    pca = fit_pca_color(pixels.reshape(200, 16, 16, 3))
    np.testing.assert_allclose(pca.eigenvalues, eigenvalues, rtol=0.05)
    # Same directions, up to sign.
    np.testing.assert_allclose(np.abs(np.sum(pca.eigenvectors * eigenvectors, axis=0)), 1, atol=0.01)
    np.testing.assert_allclose(pca.mean, [0.5, 0.5, 0.45], atol=0.01)


def test_pca_color_shift_is_one_colour_per_image_along_the_components():
    eigenvalues = np.array([0.2, 0.02, 0.005], "float32")
    eigenvectors = np.linalg.qr(np.random.default_rng(1).normal(size=(3, 3)))[0].astype("float32")
    layer = PCAColorAugmentation(eigenvalues, eigenvectors, seed=0)
    images = np.random.default_rng(2).uniform(size=(2000, 4, 4, 3)).astype("float32")
    np.testing.assert_array_equal(layer(images, training=False), images)
    shift = np.asarray(layer(images, training=True)) - images
    # One shift for every pixel of an image, different between images.
    np.testing.assert_allclose(shift, np.broadcast_to(shift[:, :1, :1, :], shift.shape), atol=1e-6)
    assert np.abs(shift[0, 0, 0] - shift[1, 0, 0]).max() > 0
    # Recover alpha_i = p_i . shift / lambda_i: it is N(0, 0.1).
    alpha = shift[:, 0, 0, :] @ eigenvectors / eigenvalues
    np.testing.assert_allclose(alpha.std(axis=0), 0.1, rtol=0.1)
    np.testing.assert_allclose(alpha.mean(axis=0), 0, atol=0.01)


def test_pca_color_serializes(tmp_path):
    layer = PCAColorAugmentation([0.3, 0.2, 0.1], np.eye(3), stddev=0.2, seed=4, name="pca_color")
    clone = PCAColorAugmentation.from_config(layer.get_config())
    np.testing.assert_array_equal(clone.eigenvalues, layer.eigenvalues)
    assert (clone.stddev, clone.seed, clone.name) == (0.2, 4, "pca_color")
    inputs = keras.Input((8, 8, 3))
    model = keras.Model(inputs, keras.layers.Conv2D(2, 3, name="conv1")(layer(inputs)))
    model.save(tmp_path / "pca.keras")
    loaded = keras.models.load_model(tmp_path / "pca.keras", safe_mode=True)
    assert isinstance(loaded.get_layer("pca_color"), PCAColorAugmentation)


def test_ten_crop_positions():
    assert ten_crop_boxes(256, 224) == [
        ("top_left", 0, 0), ("top_right", 0, 32), ("bottom_left", 32, 0), ("bottom_right", 32, 32), ("centre", 16, 16),
    ]  # fmt: skip


def test_ten_crops_take_the_right_pixels():
    # Pixel value encodes its (row, column), so each crop reveals where it came from.
    rows, cols = np.meshgrid(np.arange(8), np.arange(8), indexing="ij")
    image = np.stack([rows, cols, np.zeros_like(rows)], -1)[None].astype("float32")
    crops = ten_crops(image, 6).numpy()
    assert crops.shape == (10, 1, 6, 6, 3)
    for index, (_, top, left) in enumerate(ten_crop_boxes(8, 6)):
        assert (crops[index, 0, 0, 0, 0], crops[index, 0, 0, 0, 1]) == (top, left)
        np.testing.assert_array_equal(crops[index + 5, 0], crops[index, 0, :, ::-1])


def test_ten_crop_predict_averages_the_crops():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6, 6, 3))
    model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(keras.layers.Flatten()(inputs)))
    images = np.random.default_rng(0).uniform(size=(3, 8, 8, 3)).astype("float32")
    patches = ten_crops(images, 6).numpy()
    expected = np.mean([model.predict(p, verbose=0) for p in patches], axis=0)
    np.testing.assert_allclose(ten_crop_predict(model, images), expected, rtol=1e-5)


def small_data(size=16, n=24):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(n, size, size, 3)).astype("uint8")
    y = np.arange(n) % 3
    return arrays_to_data(x, y, x[:6], y[:6], ("a", "b", "c"), batch_size=8)


def test_augment_data_crops_train_and_centres_validation():
    data = small_data()
    augmented = augment_data(data, crop=True, flip=True)
    assert augmented.image_shape == (14, 14, 3)
    train_images, _ = next(iter(augmented.train))
    assert train_images.shape[1:] == (14, 14, 3)
    full, _ = next(iter(data.validation))
    centred, _ = next(iter(augmented.validation))
    np.testing.assert_allclose(centred, np.asarray(full)[:, 1:15, 1:15, :])


def test_augment_data_is_fixed_by_its_seed():
    x = np.random.default_rng(0).integers(0, 256, (256, 16, 16, 3), dtype=np.uint8)

    def one_epoch(seed):
        # A new pipeline each time: one pipeline reshuffles on every pass.
        data = arrays_to_data(x, np.arange(256) % 2, x[:8], np.arange(8) % 2, ("a", "b"), batch_size=4, seed=0)
        return np.concatenate([np.asarray(images) for images, _ in augment_data(data, seed=seed).train])

    np.testing.assert_array_equal(one_epoch(seed=3), one_epoch(seed=3))
    assert not np.array_equal(one_epoch(seed=3), one_epoch(seed=4))


def test_fresh_augmented_data_starts_its_crops_and_flips_over():
    x = np.random.default_rng(0).integers(0, 256, (64, 16, 16, 3), dtype=np.uint8)
    data = augment_data(arrays_to_data(x, np.arange(64) % 2, x[:8], np.arange(8) % 2, ("a", "b"), batch_size=8), pad=2)

    def one_epoch(data):
        return np.concatenate([np.asarray(images) for images, _ in data.train])

    first = one_epoch(data)
    assert not np.array_equal(one_epoch(data), first)
    np.testing.assert_array_equal(one_epoch(data.fresh()), first)
    np.testing.assert_array_equal(one_epoch(data.fresh(seed=2)), one_epoch(data.fresh(seed=2)))
    assert not np.array_equal(one_epoch(data.fresh(seed=2)), first)


def test_flips_are_drawn_apart_from_the_crops():
    # Red rises left to right (a flip reverses it), green top to bottom (a shift moves it).
    ramp = np.arange(16, dtype="float32") / 15
    image = np.zeros((16, 16, 3), "float32")
    image[..., 0], image[..., 1] = ramp[None, :], ramp[:, None]
    augmentation, _ = paper_augmentation((16, 16, 3), crop=True, flip=True, pad=4, seed=0)
    moved = np.asarray(augmentation(np.repeat(image[None], 256, axis=0), training=True))
    flipped = moved[:, 7, 8, 0] < moved[:, 7, 7, 0]
    row_shift = 7 - np.round(moved[:, 7, 7, 1] * 15)
    # One seed for both tied the flip to the shift: every flipped image had moved up, every other down.
    for group in (row_shift[flipped], row_shift[~flipped]):
        assert group.min() <= -3 and group.max() >= 3

def test_augmentation_layer_changes_images_only_in_training():
    augmentation, crop_shape = paper_augmentation((16, 16, 3), crop=False, flip=True, seed=1)
    assert crop_shape == (16, 16)
    images = np.random.default_rng(0).uniform(size=(64, 16, 16, 3)).astype("float32")
    np.testing.assert_array_equal(augmentation(images, training=False), images)
    flipped = np.asarray(augmentation(images, training=True))
    is_flipped = [np.allclose(f, i[:, ::-1]) for f, i in zip(flipped, images)]
    is_same = [np.allclose(f, i) for f, i in zip(flipped, images)]
    assert all(a or b for a, b in zip(is_flipped, is_same))
    assert 10 < sum(is_flipped) < 54


def test_ten_crop_accuracy_on_a_perfect_colour_rule():
    # A model that classifies by mean red level scores 100 % on images whose class is their red level.
    inputs = keras.Input((6, 6, 3))
    red = keras.layers.GlobalAveragePooling2D()(inputs)
    logits = keras.layers.Dense(2, activation="softmax", kernel_initializer=keras.initializers.Constant([[50.0, -50.0], [0, 0], [0, 0]]), bias_initializer=keras.initializers.Constant([-25.0, 25.0]))(red)  # fmt: skip
    model = keras.Model(inputs, logits)
    images = np.zeros((4, 8, 8, 3), "float32")
    images[:2, ..., 0] = 1.0
    labels = np.array([0, 0, 1, 1])
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(2)
    assert ten_crop_accuracy(model, dataset) == {"ten_crop": 1.0, "centre_crop": 1.0}


def position_coded(n, size):
    # Pixel value 1 + row * size + column (never 0, the padding), so a crop's first pixel says where it starts.
    codes = 1 + np.arange(size * size, dtype="float32").reshape(1, size, size, 1)
    return np.repeat(codes, n, axis=0)


def test_random_crops_differ_per_image_and_take_every_position_equally_often():
    # Keras's RandomCrop gives every image of a batch the same position; the paper crops each image anew.
    augmentation, crop_shape = paper_augmentation((8, 8, 1), crop=True, flip=False, seed=0)
    assert crop_shape == (7, 7)
    crops = np.asarray(augmentation(position_coded(4000, 8), training=True))
    assert crops.shape == (4000, 7, 7, 1) and crops.min() > 0, "a crop reached outside the image"
    starts = crops[:, 0, 0, 0] - 1
    rows, columns = starts // 8, starts % 8
    for row, column, crop in zip(rows[:50], columns[:50], crops[:50]):
        np.testing.assert_array_equal(crop, position_coded(1, 8)[0, int(row) : int(row) + 7, int(column) : int(column) + 7])
    counts = np.unique(np.stack([rows, columns], 1), axis=0, return_counts=True)[1]
    assert len(counts) == 4, "every position of a 7x7 crop in an 8x8 image"
    assert counts.min() > 850 and counts.max() < 1150  # 1,000 each expected


def window_offsets(padded, crops):
    """The (top, left) of each crop in its padded image, checking that it is exactly one window of it."""
    size, slack = crops.shape[1], padded.shape[1] - crops.shape[1]
    offsets = set()
    for image, crop in zip(padded, crops):
        matches = [
            (top, left) for top in range(slack + 1) for left in range(slack + 1)
            if np.array_equal(image[top : top + size, left : left + size], crop)
        ]  # fmt: skip
        assert len(matches) == 1, f"each output is one {size}x{size} window of the padded image"
        offsets.add(matches[0])
    return offsets


def test_pad_and_crop_keeps_the_size_and_shifts_each_image_up_to_pad_pixels():
    augmentation, crop_shape = paper_augmentation((8, 8, 1), crop=True, flip=False, seed=0, pad=2)
    assert crop_shape == (8, 8)
    images = position_coded(4000, 8)
    shifted = np.asarray(augmentation(images, training=True))
    padded = np.pad(images, [(0, 0), (2, 2), (2, 2), (0, 0)])
    assert window_offsets(padded, shifted) == {(top, left) for top in range(5) for left in range(5)}
    np.testing.assert_array_equal(augmentation(images, training=False), images)


def test_reflect_padding_crops_the_mirrored_image_and_ten_crop_pads_it_the_same_way():
    augmentation, _ = paper_augmentation((8, 8, 1), crop=True, flip=False, seed=0, pad=2, pad_mode="reflect")
    images = position_coded(2000, 8)
    shifted = np.asarray(augmentation(images, training=True))
    # Mirrored about the edge, the edge pixel included (c b a | a b c: np.pad's "symmetric").
    padded = np.pad(images, [(0, 0), (2, 2), (2, 2), (0, 0)], mode="symmetric")
    assert window_offsets(padded, shifted) == {(top, left) for top in range(5) for left in range(5)}
    assert not np.any(shifted == 0), "no zero border: position_coded pixels are all above 0"
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6, 6, 3))
    model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(keras.layers.Flatten()(inputs)))
    photos = np.random.default_rng(0).uniform(size=(3, 6, 6, 3)).astype("float32")
    patches = ten_crops(np.pad(photos, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="symmetric"), 6).numpy()
    expected = np.mean([model.predict(patch, verbose=0) for patch in patches], axis=0)
    np.testing.assert_allclose(ten_crop_predict(model, photos, pad=1, pad_mode="reflect"), expected, rtol=1e-5)
    assert not np.allclose(ten_crop_predict(model, photos, pad=1), expected, rtol=1e-3), "zeros are another padding"


def test_augment_data_with_pad_keeps_validation_images_unchanged():
    data = small_data()
    augmented = augment_data(data, crop=True, flip=True, pad=4)
    assert augmented.image_shape == (16, 16, 3)
    train_images, _ = next(iter(augmented.train))
    assert train_images.shape[1:] == (16, 16, 3)
    full, _ = next(iter(data.validation))
    same, _ = next(iter(augmented.validation))
    np.testing.assert_array_equal(same, full)


def test_ten_crop_predict_with_pad_crops_the_padded_images():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6, 6, 3))
    model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(keras.layers.Flatten()(inputs)))
    images = np.random.default_rng(0).uniform(size=(3, 6, 6, 3)).astype("float32")
    patches = ten_crops(np.pad(images, [(0, 0), (1, 1), (1, 1), (0, 0)]), 6).numpy()
    expected = np.mean([model.predict(p, verbose=0) for p in patches], axis=0)
    np.testing.assert_allclose(ten_crop_predict(model, images, pad=1), expected, rtol=1e-5)
    assert not np.allclose(ten_crop_predict(model, images), expected, rtol=1e-3), "without pad the 10 crops are all the image"
