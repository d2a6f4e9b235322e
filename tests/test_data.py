import dataclasses
import gzip
import io
import pickle
import tarfile

import numpy as np
import pytest
from keras.src.utils import file_utils
from PIL import Image

from alexnet_edu import augment_data
from alexnet_edu import data as data_module
from alexnet_edu.data import (
    arrays_to_data,
    load_cifar10,
    load_fashion_mnist,
    load_image,
    load_image_folder,
    load_tf_flowers,
    make_shapes_folder,
    sample_photos,
)


def write_folder(root, spec):
    """spec: {class: [(filename, PIL image or bytes)]}"""
    for class_name, files in spec.items():
        (root / class_name).mkdir(parents=True)
        for filename, content in files:
            if isinstance(content, bytes):
                (root / class_name / filename).write_bytes(content)
            else:
                content.save(root / class_name / filename)
    return root


def test_make_shapes_folder_writes_pngs_once(tmp_path):
    directory = make_shapes_folder(tmp_path / "shapes", num_images=24, image_size=32, seed=5)
    files = sorted(directory.glob("*/*.png"))
    assert len(files) == 24
    assert {f.parent.name for f in files} == {"circle", "crescent", "cross", "hexagon", "ring", "square", "star", "triangle"}
    assert Image.open(files[0]).size == (32, 32)
    mtimes = [f.stat().st_mtime_ns for f in files]
    make_shapes_folder(tmp_path / "shapes", num_images=24, image_size=32, seed=5)
    assert [f.stat().st_mtime_ns for f in files] == mtimes
    # The same seed writes the same pixels elsewhere.
    copy = make_shapes_folder(tmp_path / "copy", num_images=24, image_size=32, seed=5)
    np.testing.assert_array_equal(np.asarray(Image.open(copy / "circle" / "00000.png")), np.asarray(Image.open(files[0])))


def test_make_shapes_folder_replaces_another_shapes_dataset(tmp_path):
    make_shapes_folder(tmp_path / "shapes", num_images=24, image_size=32, seed=5)
    directory = make_shapes_folder(tmp_path / "shapes", num_images=16, image_size=32, seed=6, class_names=("circle", "square"))
    assert sorted(f.parent.name for f in directory.glob("*/*.png")) == ["circle"] * 8 + ["square"] * 8
    fresh = make_shapes_folder(tmp_path / "fresh", num_images=16, image_size=32, seed=6, class_names=("circle", "square"))
    np.testing.assert_array_equal(np.asarray(Image.open(directory / "square" / "00001.png")), np.asarray(Image.open(fresh / "square" / "00001.png")))


def test_folders_and_single_images_are_centre_cropped_alike_never_squashed(tmp_path):
    # A wide photo with white bars at its left and right edges: a crop to a square cuts them off.
    photo = np.zeros((30, 40, 3), np.uint8)
    photo[:, :5] = photo[:, 35:] = 255
    photo[10:20, 15:25] = (200, 40, 90)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        Image.fromarray(photo).save(tmp_path / name / "0.png")
        Image.fromarray(photo).save(tmp_path / name / "1.png")
    data = load_image_folder(tmp_path, image_size=16, validation_split=0.5, seed=0)
    images = np.concatenate([np.asarray(x) for x, _ in data.train])
    single = load_image(tmp_path / "a" / "0.png", image_size=16)
    assert single[:, 0].max() == 0  # the bars are cut off
    for image in images:
        np.testing.assert_allclose(image, single, atol=0.5 / 255)  # the loader stores uint8
    resized = arrays_to_data(photo[None], [0], photo[None], [0], ("a", "b"), image_size=16)
    np.testing.assert_allclose(next(iter(resized.train))[0][0], single, atol=1e-6)


def test_folder_of_mixed_image_modes_becomes_rgb(tmp_path):
    grey = Image.fromarray(np.full((10, 12), 200, np.uint8), "L")
    rgba = Image.fromarray(np.dstack([np.full((8, 8, 3), 100, np.uint8), np.full((8, 8), 50, np.uint8)]), "RGBA")
    palette = Image.fromarray(np.full((9, 9, 3), (255, 0, 0), np.uint8)).convert("P")
    jpeg = Image.fromarray(np.full((20, 16, 3), 30, np.uint8))
    root = write_folder(
        tmp_path / "photos",
        {"cats": [("a.png", grey), ("b.png", rgba), ("c.gif", palette)], "dogs": [("d.jpg", jpeg), ("e.png", grey), ("f.png", rgba)]},
    )
    (root / "dogs" / "notes.txt").write_text("not an image, ignored by extension")
    data = load_image_folder(root, image_size=(6, 7), batch_size=4, validation_split=0.34, seed=1)
    assert data.class_names == ("cats", "dogs")
    assert (data.num_train, data.num_validation) == (4, 2)
    images = np.concatenate([np.asarray(x) for x, _ in data.train] + [np.asarray(x) for x, _ in data.validation])
    assert images.shape == (6, 6, 7, 3)
    assert images.min() >= 0 and images.max() <= 1
    values = sorted({round(float(v), 3) for v in images.reshape(-1, 3).mean(1)})
    # Grey 200 as RGB, RGBA drops alpha (100), palette red (255, 0, 0) and the JPEG's 30, all scaled to [0, 1].
    assert {round(200 / 255, 3), round(100 / 255, 3), round(255 / 3 / 255, 3)} <= set(values)


def test_split_is_fixed_by_the_seed(tmp_path):
    directory = make_shapes_folder(tmp_path / "shapes", num_images=40, image_size=16)

    def validation_pixels(seed):
        data = load_image_folder(directory, image_size=16, validation_split=0.25, seed=seed, batch_size=64)
        return np.concatenate([np.asarray(x) for x, _ in data.validation])

    np.testing.assert_array_equal(validation_pixels(0), validation_pixels(0))
    assert not np.array_equal(validation_pixels(0), validation_pixels(1))


def test_training_batches_are_reshuffled_every_epoch(tmp_path):
    directory = make_shapes_folder(tmp_path / "shapes", num_images=64, image_size=16)
    data = load_image_folder(directory, image_size=16, batch_size=8, validation_split=0.25)
    first = np.concatenate([np.asarray(y) for _, y in data.train])
    second = np.concatenate([np.asarray(y) for _, y in data.train])
    assert sorted(first) == sorted(second) and not np.array_equal(first, second)


def labels_of(data):
    return np.concatenate([np.asarray(y) for _, y in data.train]).tolist()


def test_fresh_pipelines_start_the_shuffle_over_and_a_seed_draws_another(tmp_path):
    directory = make_shapes_folder(tmp_path / "shapes", num_images=64, image_size=16)
    folder = load_image_folder(directory, image_size=16, batch_size=8, validation_split=0.25)
    x = np.random.default_rng(0).integers(0, 256, (48, 8, 8, 3), dtype=np.uint8)
    arrays = arrays_to_data(x, np.arange(48) % 3, x[:6], np.arange(6) % 3, ("a", "b", "c"), batch_size=8)
    for data in (folder, arrays):
        first = labels_of(data)
        assert labels_of(data) != first  # the pipeline has moved on ...
        assert labels_of(data.fresh()) == first  # ... and a fresh one starts where it began
        assert labels_of(data.fresh(seed=1)) == labels_of(data.fresh(seed=1)) != first
        assert labels_of(data.fresh(seed=1).fresh()) == labels_of(data.fresh(seed=1))
        assert data.fresh(seed=1).validation is data.validation and data.fresh(seed=1).num_train == data.num_train


def test_fresh_leaves_a_pipeline_replaced_by_hand_as_it_is():
    x = np.zeros((8, 8, 8, 3), np.uint8)
    data = arrays_to_data(x, np.arange(8) % 2, x, np.arange(8) % 2, ("a", "b"), batch_size=4)
    by_hand = dataclasses.replace(data, train=data.train.take(1))
    assert by_hand.fresh() is by_hand and by_hand.fresh(seed=3) is by_hand
    for seed in (-1, 1.5, "1", True):
        with pytest.raises(ValueError, match=f"seed must be an integer of at least 0.*Received: seed={seed!r}"):
            data.fresh(seed)


def test_pipelines_turn_off_tf_datas_autotuner(tmp_path):
    # With it on, Keras's fit stalled ~2.5 s at the start of one epoch in two (make bench shows the spread).
    directory = make_shapes_folder(tmp_path / "shapes", num_images=16, image_size=8)
    folder = load_image_folder(directory, image_size=8, batch_size=4, validation_split=0.25)
    x = np.zeros((4, 8, 8, 3), np.uint8)
    arrays = arrays_to_data(x, [0, 1, 0, 1], x, [0, 1, 0, 1], ("a", "b"), batch_size=2)
    for data in (folder, arrays, augment_data(folder)):
        assert not data.train.options().autotune.enabled
        assert not data.validation.options().autotune.enabled


def test_arrays_to_data_makes_grayscale_rgb_and_resizes():
    x = np.arange(4 * 5 * 5, dtype=np.uint8).reshape(4, 5, 5)
    data = arrays_to_data(x, [0, 1, 0, 1], x[:2], [1, 0], ("a", "b"), image_size=10, batch_size=4)
    images, labels = next(iter(data.validation))
    assert images.shape == (2, 10, 10, 3)
    np.testing.assert_allclose(images[..., 0], images[..., 2])
    assert labels.numpy().tolist() == [1, 0]


def test_fashion_mnist_real_loader_on_small_files(keras_home):
    folder = keras_home / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, count in (("train", 12), ("t10k", 6)):
        images = rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)
        with gzip.open(folder / f"{prefix}-images-idx3-ubyte.gz", "wb") as f:
            f.write(bytes(16) + images.tobytes())
        with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz", "wb") as f:
            f.write(bytes(8) + (np.arange(count) % 10).astype(np.uint8).tobytes())
    data = load_fashion_mnist(image_size=28, batch_size=6)
    assert (data.num_train, data.num_validation, data.image_shape) == (12, 6, (28, 28, 3))
    images, labels = next(iter(data.validation))
    np.testing.assert_allclose(images[0, ..., 1] * 255, np.asarray(images[0, ..., 0]) * 255)
    assert labels.numpy().tolist() == [0, 1, 2, 3, 4, 5]
    assert data.class_names[9] == "Ankle boot"


def test_cifar10_real_loader_on_small_files(keras_home, monkeypatch):
    # Keras checks the archive's hash against the real file's; our stand-in cannot match it.
    monkeypatch.setattr(file_utils, "validate_file", lambda *args, **kwargs: True)
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
            images = np.zeros((10000, 3072), np.uint8)
            images[0, :1024] = 255  # first image of each batch: pure red
            batch = pickle.dumps({b"data": images, b"labels": [i % 10 for i in range(10000)]})
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(batch)
            tar.addfile(info, io.BytesIO(batch))
    (keras_home / "datasets").mkdir()
    (keras_home / "datasets" / "cifar-10-batches-py-target_archive").write_bytes(archive.getvalue())
    data = load_cifar10(image_size=32, batch_size=5, limit=50)
    assert (data.num_train, data.num_validation, data.image_shape) == (50, 10, (32, 32, 3))
    images, labels = next(iter(data.validation))
    np.testing.assert_allclose(images[0].numpy().mean(axis=(0, 1)), [1, 0, 0])
    assert labels.numpy().tolist() == [0, 1, 2, 3, 4]


def test_tf_flowers_real_loader_on_small_files(keras_home):
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for flower in ("daisy", "roses"):
            for index in range(3):
                buffer = io.BytesIO()
                Image.fromarray(np.full((12, 12, 3), 40 * index, np.uint8)).save(buffer, format="JPEG")
                info = tarfile.TarInfo(f"flower_photos/{flower}/{index}.jpg")
                info.size = buffer.tell()
                buffer.seek(0)
                tar.addfile(info, buffer)
    (keras_home / "datasets").mkdir()
    (keras_home / "datasets" / "flower_photos_archive").write_bytes(archive.getvalue())
    data = load_tf_flowers(image_size=8, batch_size=2, validation_split=0.34)
    assert data.class_names == ("daisy", "roses")
    assert (data.num_train, data.num_validation, data.image_shape) == (4, 2, (8, 8, 3))


@pytest.mark.parametrize(
    "loader, url, cache_path",
    [
        (load_cifar10, "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", "datasets/cifar-10-batches-py-target_archive"),
        (load_fashion_mnist, "tf-keras-datasets/train-images-idx3-ubyte.gz", "datasets/fashion-mnist"),
        (load_tf_flowers, "example_images/flower_photos.tgz", "datasets/flower_photos_archive"),
    ],
)
def test_offline_download_says_where_to_put_the_file(keras_home, loader, url, cache_path):
    with pytest.raises(ConnectionError) as error:
        loader()
    message = str(error.value)
    assert url in message and str(keras_home / cache_path) in message and "\n" not in message


def test_load_image_and_sample_photos(tmp_path):
    path = tmp_path / "wide.png"
    Image.fromarray(np.tile(np.arange(40, dtype=np.uint8)[None, :, None], (20, 1, 3))).save(path)
    image = load_image(path, image_size=10)
    assert image.shape == (10, 10, 3) and image.dtype == np.float32
    # The centre 20x20 of the 20x40 image was kept: columns 10-29.
    assert 10 / 255 < image[0, 0, 0] < 12 / 255 and 27 / 255 < image[0, -1, 0] < 30 / 255
    photos = sample_photos(image_size=(50, 40))
    assert set(photos) == {"grace_hopper", "china", "flower"}
    assert all(p.shape == (50, 40, 3) and 0 <= p.min() and p.max() <= 1 for p in photos.values())


def test_default_data_dir_is_the_checkouts_data_folder():
    assert data_module.DATA_DIR.name == "data"
    assert (data_module.DATA_DIR.parent / "pyproject.toml").exists()
