"""The shipped CIFAR-10 photographs: real photos offline, and a clear error when the archive is gone."""

import hashlib
import io
import tarfile

import numpy as np
import pytest
from PIL import Image

from alexnet_edu import data as data_module
from alexnet_edu.data import CIFAR10_CLASSES, load_cifar10_photos


def small_archive(path, per_class=4):
    with tarfile.open(path, "w:gz") as tar:
        for label, name in enumerate(CIFAR10_CLASSES):
            for index in range(per_class):
                buffer = io.BytesIO()
                Image.fromarray(np.full((32, 32, 3), 20 * label, np.uint8)).save(buffer, format="JPEG", quality=95)
                info = tarfile.TarInfo(f"train/{name}/{index:04d}.jpg")
                info.size = buffer.tell()
                buffer.seek(0)
                tar.addfile(info, buffer)
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def photos_home(tmp_path, monkeypatch):
    """An empty DATA_DIR and no checkout archive to fall back on."""
    monkeypatch.setattr(data_module, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(data_module, "_PACKAGE_PARENT", tmp_path / "elsewhere")
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def test_small_archive_is_read_and_split_by_class(photos_home, monkeypatch):
    digest = small_archive(photos_home / "cifar10-train-jpeg.tar.gz")
    monkeypatch.setattr(data_module, "CIFAR10_PHOTOS_SHA256", digest)
    data = load_cifar10_photos(image_size=16, batch_size=8, validation_split=0.25)
    assert data.class_names == CIFAR10_CLASSES
    assert (data.num_train, data.num_validation, data.image_shape) == (30, 10, (16, 16, 3))
    images, labels = map(np.concatenate, zip(*[(x.numpy(), y.numpy()) for x, y in data.validation]))
    # Each class's grey level (20 * label) survives JPEG and resizing.
    np.testing.assert_allclose(images.mean(axis=(1, 2, 3)) * 255, 20 * labels, atol=3)
    subset = load_cifar10_photos(image_size=32, per_class=2, validation_split=0.5, seed=3)
    assert (subset.num_train, subset.num_validation) == (10, 10)
    assert sorted(np.concatenate([y.numpy() for _, y in subset.train]).tolist()) == list(range(10))


def test_missing_archive_says_how_to_restore_it(photos_home):
    with pytest.raises(FileNotFoundError, match=r"CIFAR-10 photographs '.*cifar10-train-jpeg\.tar\.gz' are missing: restore it with `git checkout -- data/cifar10-train-jpeg\.tar\.gz`"):
        load_cifar10_photos()


def test_damaged_archive_is_refused(photos_home):
    (photos_home / "cifar10-train-jpeg.tar.gz").write_bytes(b"half an archive")
    with pytest.raises(ValueError, match=r"are damaged \(SHA-256 [0-9a-f]{12}\.\.\., not bb033266dbb2\.\.\.\): restore it with `git checkout"):
        load_cifar10_photos()


@pytest.mark.parametrize(
    "knobs, message",
    [
        ({"per_class": 1}, r"per_class must be an integer from 2 to 5000, or None for all\. Received: per_class=1"),
        ({"per_class": 2.5}, r"Received: per_class=2\.5"),
        ({"validation_split": 1}, r"validation_split must be a fraction between 0 and 1"),
        ({"image_size": (32, 0)}, r"image_size must be a positive int or \(height, width\)"),
        ({"batch_size": None}, r"batch_size must be a positive integer"),
    ],
)
def test_bad_knobs_are_refused_before_reading(photos_home, knobs, message):
    with pytest.raises(ValueError, match=message):
        load_cifar10_photos(**knobs)


def test_the_shipped_archive_is_the_real_cifar10():
    archive = data_module._PACKAGE_PARENT / "data" / data_module.CIFAR10_PHOTOS_ARCHIVE
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == data_module.CIFAR10_PHOTOS_SHA256
    data = load_cifar10_photos(image_size=32, batch_size=50, per_class=10, validation_split=0.2)
    assert data.class_names == CIFAR10_CLASSES and (data.num_train, data.num_validation) == (80, 20)
    images, labels = next(iter(data.validation))
    # Photographs, not flat colours: every image has texture.
    assert images.shape == (20, 32, 32, 3) and float(np.asarray(images).std(axis=(1, 2, 3)).min()) > 0.02
    assert sorted(np.bincount(labels.numpy(), minlength=10)) == [2] * 10


@pytest.mark.parametrize(
    "tar_format, long_name",
    [(tarfile.GNU_FORMAT, False), (tarfile.PAX_FORMAT, False), (tarfile.USTAR_FORMAT, False), (tarfile.GNU_FORMAT, True), (tarfile.PAX_FORMAT, True)],
)
def test_tar_members_reads_what_tarfile_reads(tmp_path, tar_format, long_name):
    files = {"train/": None, "train/cat/a.jpg": b"x" * 1300, "train/cat/empty.jpg": b"", "train/dog/b.jpg": bytes(range(256)) * 3}
    if long_name:  # read by tarfile itself: a GNU long-name record or a pax header
        files["train/dog/" + "n" * 120 + ".jpg"] = b"long"
    path = tmp_path / "files.tar.gz"
    with tarfile.open(path, "w:gz", format=tar_format) as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name.rstrip("/"))
            if content is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    expected = [(name, content) for name, content in files.items() if content is not None]
    assert data_module._tar_members(path) == expected
