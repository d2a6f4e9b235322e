"""Data: the folder loader loads what it counts, and every bad input names the problem and the fix."""

import io
import os
import re

import numpy as np
import pytest
from PIL import Image

from alexnet_edu import arrays_to_data, load_image, load_image_folder
from alexnet_edu.folders import scan_image_folder


def data_png(value=100, size=(8, 8)):
    return Image.fromarray(np.full((*size, 3), value, np.uint8))


def data_folder(root, spec):
    """spec: {relative path: PIL image or bytes}; folders are made as needed."""
    for relative, content in spec.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            content.save(path)
    return root


def data_two_classes(root, per_class=3):
    return data_folder(root, {f"{name}/{i}.png": data_png(40 * i) for name in ("cats", "dogs") for i in range(per_class)})


def data_jpeg_bytes(value=100):
    buffer = io.BytesIO()
    data_png(value, (16, 16)).save(buffer, format="JPEG")
    return buffer.getvalue()


def data_loaded(data):
    """Images and labels the pipelines really hold, train then validation."""
    counts = []
    for dataset in (data.train, data.validation):
        labels = [np.asarray(y) for _, y in dataset]
        counts.append(np.concatenate(labels) if labels else np.zeros(0, int))
    return counts


def data_consistent(data):
    train, validation = data_loaded(data)
    assert (len(train), len(validation)) == (data.num_train, data.num_validation)
    return train, validation


CASES = [
    pytest.param(lambda tmp: load_image_folder(tmp / "missing"), FileNotFoundError, r"Image folder '.*missing' does not exist\. Give a folder with one sub-folder per class", id="missing-folder"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"photo.png": data_png()}) / "photo.png"), NotADirectoryError, r"'.*photo\.png' is a file, not a folder: give the folder that holds one sub-folder per class", id="file-as-folder"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"photos.zip": b"PK"}) / "photos.zip"), NotADirectoryError, r"is a file, not a folder: extract it first .*photos\.zip", id="archive-as-folder"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"photos.tar.gz": b"x"}) / "photos.tar.gz"), NotADirectoryError, r"extract it first", id="tarball-as-folder"),
    pytest.param(lambda tmp: load_image_folder(None), TypeError, r"Image folder must be a path .*Received: None", id="folder-none"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), validation_split=0), ValueError, r"validation_split must be a fraction between 0 and 1, e\.g\. 0\.2\. Received: validation_split=0", id="split-0"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), validation_split=1.5), ValueError, r"validation_split must be a fraction .*Received: validation_split=1\.5", id="split-1.5"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), validation_split="0.2"), ValueError, r"validation_split must be a fraction .*Received: validation_split='0\.2'", id="split-string"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), validation_split=True), ValueError, r"Received: validation_split=True", id="split-bool"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), batch_size=0), ValueError, r"batch_size must be a positive integer, e\.g\. 64\. Received: batch_size=0", id="batch-0"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), batch_size=32.5), ValueError, r"Received: batch_size=32\.5", id="batch-float"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), image_size=0), ValueError, r"image_size must be a positive int or \(height, width\), e\.g\. 64 .*Received: image_size=0", id="size-0"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), image_size=(64,)), ValueError, r"Received: image_size=\(64,\)", id="size-1-tuple"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), image_size="64"), ValueError, r"Received: image_size='64'", id="size-string"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp), image_size=(64.0, 64)), ValueError, r"Received: image_size=\(64\.0, 64\)", id="size-float"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"cats/a.png": data_png(), "dogs/b.jpg": b""})), ValueError, r"Cannot read 1 image file\(s\), delete or re-save them: .*dogs/b\.jpg \(empty file\)", id="zero-byte"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"cats/a.png": data_png(), "dogs/b.jpg": b"not a jpeg at all"})), ValueError, r"Cannot read 1 image file\(s\).*dogs/b\.jpg \(not an image\)", id="text-as-jpeg"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"cats/a.png": data_png(), "dogs/b.png": b"not a png"})), ValueError, r"dogs/b\.png \(not an image\)", id="text-as-png"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"cats/a.png": data_png(), "dogs/b.jpg": data_jpeg_bytes()[:200]})), ValueError, r"Cannot read 1 image file\(s\), delete or re-save them: .*dogs/b\.jpg \(damaged: (?i:.*truncated)", id="truncated-jpeg"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"cats/a.png": data_png(), "dogs/b.jpg": data_jpeg_bytes()[:-300]})), ValueError, r"dogs/b\.jpg \(damaged: (?i:.*truncated)", id="jpeg-cut-mid-scan"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"cats/a.png": data_png(), "dogs/b.png": Image.new("1", (16000, 16000))})), ValueError, r"dogs/b\.png \(too large \(16000x16000 pixels\): a decompression bomb", id="png-bomb"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"cats/a.png": data_png(), "dogs/nothing.txt": b"x"})), ValueError, r"Only one class \('cats'\) in .* at least two sub-folders of images", id="one-class-after-filtering"),
    pytest.param(lambda tmp: load_image_folder(data_folder(tmp, {"cats/notes.txt": b"x", "dogs/a.tif": data_png()})), ValueError, r"No images found in .*one sub-folder per class", id="no-supported-images"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp / "set" / "train") and data_two_classes(tmp / "set" / "test") and tmp / "set", validation_split=0.2), ValueError, r"already has its own split \(train/ and test/\): leave validation_split out", id="split-layout-and-split"),
    pytest.param(lambda tmp: load_image_folder(data_two_classes(tmp / "set" / "train") and data_folder(tmp / "set" / "val", {"birds/a.png": data_png(), "cats/a.png": data_png()}) and tmp / "set"), ValueError, r"val' has class\(es\) 'birds' that .*train' lacks: give both folders the same class sub-folders", id="split-layout-extra-class"),
    pytest.param(lambda tmp: load_image(tmp / "nothing.png"), FileNotFoundError, r"No image file at '.*nothing\.png': check the path", id="image-missing"),
    pytest.param(lambda tmp: load_image(tmp), IsADirectoryError, r"is a folder: load_image reads one file; use load_image_folder", id="image-folder"),
    pytest.param(lambda tmp: load_image(data_folder(tmp, {"b.jpg": b"nope"}) / "b.jpg"), ValueError, r"Cannot read image '.*b\.jpg' \(UnidentifiedImageError\): is it an image file\?", id="image-not-image"),
    pytest.param(lambda tmp: load_image(data_folder(tmp, {"b.png": Image.new("1", (16000, 16000))}) / "b.png"), ValueError, r"too large \(a decompression bomb\); shrink it first", id="image-bomb"),
    pytest.param(lambda tmp: load_image(None), TypeError, r"path must be an image file's path .*Received: None", id="image-none"),
    pytest.param(lambda tmp: load_image(data_folder(tmp, {"a.png": data_png()}) / "a.png", image_size=-3), ValueError, r"Received: image_size=-3", id="image-size-negative"),
]

X = np.zeros((4, 8, 8, 3), np.uint8)
Y = [0, 1, 0, 1]
ARRAY_CASES = [
    pytest.param(lambda: arrays_to_data(np.full((4, 8, 8, 3), 255.0), Y, X, Y, ("a", "b")), ValueError, r"x_train ranges from 255 to 255 \(float64\) but must be in \[0, 1\]: divide by 255", id="floats-0-255"),
    pytest.param(lambda: arrays_to_data(np.where(np.arange(256).reshape(4, 8, 8, 1) == 5, np.nan, 0.5).repeat(3, -1), Y, X, Y, ("a", "b")), ValueError, r"x_train contains 3 NaN or infinite value\(s\).*np\.nan_to_num", id="one-nan-pixel"),
    pytest.param(lambda: arrays_to_data(X, Y, np.full((4, 8, 8, 3), -1.0), Y, ("a", "b")), ValueError, r"x_validation ranges from -1 to -1 .*undo any mean subtraction", id="mean-subtracted"),
    pytest.param(lambda: arrays_to_data(X, [0, 1, 0], X, Y, ("a", "b")), ValueError, r"x_train has 4 images but y_train has 3 labels: give one label per image", id="label-count"),
    pytest.param(lambda: arrays_to_data(X, np.eye(2)[Y], X, Y, ("a", "b")), ValueError, r"y_train looks one-hot \(4, 2\): pass np\.argmax\(y_train, axis=-1\)", id="one-hot"),
    pytest.param(lambda: arrays_to_data(X, ["a", "b", "a", "b"], X, Y, ("a", "b")), TypeError, r"y_train must be integer class labels \(0 to 1\)", id="string-labels"),
    pytest.param(lambda: arrays_to_data(X, [0, 1, 0, 1.5], X, Y, ("a", "b")), TypeError, r"y_train must be integer class labels", id="fractional-labels"),
    pytest.param(lambda: arrays_to_data(X, Y, X, [0, 1, 2, 1], ("a", "b")), ValueError, r"Labels must lie in \[0, 1\] for 2 classes\. Received labels from 0 to 2", id="label-range"),
    pytest.param(lambda: arrays_to_data(X, Y, X, Y, ("a",)), ValueError, r"class_names must list at least two class names, e\.g\. \('cat', 'dog'\)", id="one-class-name"),
    pytest.param(lambda: arrays_to_data(X, Y, X, Y, "ab"), ValueError, r"class_names must list at least two.*Received: class_names='ab'", id="class-names-string"),
    pytest.param(lambda: arrays_to_data(np.zeros((4, 3, 8, 8), np.uint8), Y, X, Y, ("a", "b")), ValueError, r"channels-first\? move them last with np\.moveaxis\(x, 1, -1\)", id="channels-first"),
    pytest.param(lambda: arrays_to_data(X, Y, np.zeros((4, 9, 9, 3), np.uint8), Y, ("a", "b")), ValueError, r"x_train images are \(8, 8\) but x_validation images are \(9, 9\): pass image_size", id="mixed-sizes"),
    pytest.param(lambda: arrays_to_data(X, Y, X, Y, ("a", "b"), batch_size=-1), ValueError, r"batch_size must be a positive integer", id="array-batch"),
    pytest.param(lambda: arrays_to_data(np.full((4, 8, 8, 3), 999), Y, X, Y, ("a", "b")), ValueError, r"x_train holds integers from 999 to 999 \(int64\).*astype\('uint8'\)", id="int-over-255"),
]


@pytest.mark.parametrize("call, error, message", CASES)
def test_data_bad_input_names_problem_and_fix(tmp_path, call, error, message):
    with pytest.raises(error) as raised:
        call(tmp_path)
    assert re.search(message, str(raised.value)), str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("call, error, message", ARRAY_CASES)
def test_array_bad_input_names_problem_and_fix(call, error, message):
    with pytest.raises(error) as raised:
        call()
    assert re.search(message, str(raised.value)), str(raised.value)
    assert "\n" not in str(raised.value)


def test_float_images_in_0_1_are_not_divided_again():
    pixels = np.random.default_rng(0).uniform(size=(4, 8, 8, 3)).astype(np.float32)
    data = arrays_to_data(pixels, Y, pixels, Y, ("a", "b"), batch_size=4)
    images, _ = next(iter(data.validation))
    np.testing.assert_allclose(images.numpy(), pixels)
    uint8 = (pixels * 255).round().astype(np.uint8)
    from_uint8, _ = next(iter(arrays_to_data(uint8, Y, uint8, Y, ("a", "b"), batch_size=4).validation))
    np.testing.assert_allclose(from_uint8.numpy(), uint8 / 255, atol=1e-6)


def test_junk_folders_are_skipped_and_reported_and_counts_match_the_pipelines(tmp_path):
    root = data_folder(
        tmp_path / "photos",
        {
            **{f"cats/{i}.png": data_png(i) for i in range(4)},
            **{f"dogs/{i}.png": data_png(i) for i in range(4)},
            ".ipynb_checkpoints/x-checkpoint.png": data_png(),
            "cats/.ipynb_checkpoints/0-checkpoint.png": data_png(),
            "__MACOSX/cats/._0.png": b"\x00\x05\x16\x07",
            "cats/._1.png": b"\x00\x05\x16\x07",
            "dogs/.DS_Store": b"\x00",
            "dogs/notes.txt": b"about dogs",
            "stray.jpg": data_jpeg_bytes(),
            "README.md": b"a dataset",
        },
    )
    with pytest.warns(UserWarning) as caught:
        data = load_image_folder(root, image_size=8, batch_size=3, validation_split=0.25)
    assert data.class_names == ("cats", "dogs")
    train, validation = data_consistent(data)
    assert len(train) + len(validation) == 8
    skipped = " ".join(str(w.message) for w in caught)
    assert "Skipped 6 file(s) or folder(s)" in skipped
    files = scan_image_folder(root)
    reasons = {path.relative_to(root).as_posix(): reason for path, reason in files.skipped}
    assert reasons == {
        ".ipynb_checkpoints": "hidden folder",
        "__MACOSX": "system folder",
        "cats/.ipynb_checkpoints": "hidden folder",
        "cats/._1.png": "hidden file",
        "dogs/notes.txt": "not an image file",
        "stray.jpg": "an image outside the class folders: move it into one",
    }


def test_nested_folders_belong_to_their_top_level_class(tmp_path):
    root = data_folder(
        tmp_path / "photos",
        {"cats/indoor/a.png": data_png(10), "cats/outdoor/deep/b.png": data_png(20), "cats/c.png": data_png(30),
         "dogs/a.png": data_png(40), "dogs/b.png": data_png(50), "dogs/park/c.png": data_png(60)},
    )  # fmt: skip
    files = scan_image_folder(root, image_size=(4, 4))
    assert files.class_names == ("cats", "dogs") and files.counts == {"cats": 3, "dogs": 3}
    # Every image's pixels sit under its own label: cats are 10-30, dogs 40-60.
    for image, label in zip(files.images, files.labels):
        assert (image[0, 0, 0] <= 30) == (label == 0)
    data = load_image_folder(root, image_size=4, batch_size=2, validation_split=0.34)
    assert data_consistent(data)[0].size == data.num_train == 4


def test_webp_loads_and_tif_is_reported_as_unsupported(tmp_path):
    root = data_folder(
        tmp_path / "photos",
        {"cats/a.webp": data_png(200), "cats/b.png": data_png(200), "dogs/a.png": data_png(10), "dogs/b.tif": data_png(10), "dogs/c.png": data_png(10)},
    )
    files = scan_image_folder(root, image_size=(8, 8))
    assert files.counts == {"cats": 2, "dogs": 2}
    assert abs(int(files.images[0].mean()) - 200) <= 2  # the WebP file decoded
    assert [(p.name, r) for p, r in files.skipped] == [("b.tif", ".tif is not supported: convert it to PNG or JPEG")]


def test_home_folder_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    data_two_classes(tmp_path / "photos")
    data = load_image_folder("~/photos", image_size=8, batch_size=2, validation_split=0.34)
    assert data.class_names == ("cats", "dogs")
    image = load_image("~/photos/cats/0.png")
    assert image.shape == (8, 8, 3)


def test_sixteen_bit_grey_is_half_in_both_loaders(tmp_path):
    grey = Image.fromarray(np.full((8, 8), 32768, np.uint16))
    root = data_folder(tmp_path / "photos", {"cats/a.png": grey, "cats/b.png": grey, "dogs/a.png": data_png(), "dogs/b.png": data_png()})
    assert abs(load_image(root / "cats" / "a.png").mean() - 0.5) < 1e-3
    files = scan_image_folder(root, image_size=(8, 8))
    assert abs(files.images[0].mean() / 255 - 0.5) < 1 / 255


def test_unbalanced_classes_keep_every_class_in_validation(tmp_path):
    root = data_folder(tmp_path / "photos", {**{f"cats/{i}.png": data_png(i) for i in range(40)}, "dogs/0.png": data_png(200), "dogs/1.png": data_png(201)})
    with pytest.warns(UserWarning, match=r"Unbalanced classes: 32 training images of 'cats' against 1 of 'dogs'.*add images to the small one"):
        data = load_image_folder(root, image_size=8, batch_size=16)
    train, validation = data_consistent(data)
    assert sorted(set(validation.tolist())) == [0, 1] and (train == 1).sum() == 1


def test_split_layout_uses_the_folders_and_reports_a_missing_class(tmp_path):
    root = tmp_path / "set"
    data_folder(root / "train", {f"{c}/{i}.png": data_png(i) for c in ("cats", "dogs", "owls") for i in range(12)})
    data_folder(root / "test", {f"{c}/{i}.png": data_png(i) for c in ("cats", "owls") for i in range(3)})
    with pytest.warns(UserWarning, match=r"No validation images of 'dogs': their per-class accuracy will be NaN"):
        data = load_image_folder(root, image_size=8, batch_size=5)
    assert data.class_names == ("cats", "dogs", "owls")
    train, validation = data_consistent(data)
    assert (data.num_train, data.num_validation) == (36, 6)
    # 'owls' is label 2 in both folders, though it is the test folder's second class.
    assert sorted(validation.tolist()) == [0, 0, 0, 2, 2, 2]


def test_tiny_classes_warn(tmp_path):
    with pytest.warns(UserWarning, match=r"Class\(es\) 'cats', 'dogs' have fewer than 10 training images \(2, 2\): too few to learn from; add photos"):
        load_image_folder(data_two_classes(tmp_path / "photos"), image_size=8, batch_size=2, validation_split=0.34)


def test_scan_reads_the_real_cifar_jpegs_fast_enough_to_use(tmp_path):
    # Many small files in several classes: the decoder keeps each file's label and pixels together.
    spec = {f"{c}/{i:03d}.jpg": data_jpeg_bytes(value) for c, value in (("dark", 20), ("light", 230)) for i in range(150)}
    for relative, content in spec.items():
        path = tmp_path / relative
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    files = scan_image_folder(tmp_path, image_size=(16, 16))
    means = files.images.reshape(len(files.paths), -1).mean(1)
    assert np.all((means > 128) == (files.labels == 1))
    assert [p.parent.name for p in files.paths] == [files.class_names[label] for label in files.labels]
    assert os.fspath(files.paths[0]).endswith("dark/000.jpg")
