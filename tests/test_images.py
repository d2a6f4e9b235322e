"""The image-input contract: one meaning for the same pixels everywhere."""

import numpy as np
import pytest
import tensorflow as tf

from alexnet_edu.images import as_images, pixel_scale


def test_uint8_and_uint16_are_scaled_to_the_same_floats():
    grey = np.full((4, 4, 3), 128, np.uint8)
    np.testing.assert_allclose(as_images(grey, batch=False), 128 / 255)
    np.testing.assert_allclose(as_images((grey.astype(np.uint16) * 257), batch=False), 128 / 255, rtol=1e-6)
    assert pixel_scale(grey) == 1 / 255 and pixel_scale(grey.astype(np.uint16)) == 1 / 65535


def test_floats_in_range_are_kept_and_small_overshoot_allowed():
    image = np.linspace(-0.05, 1.05, 48, dtype=np.float32).reshape(4, 4, 3)
    np.testing.assert_array_equal(as_images(image, batch=False), image)
    assert as_images(tf.constant(image)).shape == (1, 4, 4, 3)


def test_plain_integer_arrays_are_read_as_0_255_pixels():
    # np.full(..., 200) is int64: a student's hand-made image means 0-255 pixels.
    np.testing.assert_allclose(as_images(np.full((2, 2, 3), 200), batch=False), 200 / 255)
    # 0/1 integer masks are already in [0, 1].
    np.testing.assert_array_equal(as_images(np.ones((2, 2, 3), np.int64), batch=False), 1.0)


def test_batches_and_single_images():
    image = np.zeros((5, 6, 3), np.float32)
    assert as_images(image).shape == (1, 5, 6, 3)
    assert as_images(image[None], batch=False).shape == (5, 6, 3)
    assert as_images(np.zeros((5, 6), np.uint8), batch=False).shape == (5, 6, 3)
    assert as_images(np.zeros((2, 5, 6, 1), np.uint8)).shape == (2, 5, 6, 3)
    assert as_images(np.zeros((7, 5, 6), np.uint8)).shape == (7, 5, 6, 3)
    assert as_images(np.zeros((5, 6, 4), np.float32), channels=None, batch=False).shape == (5, 6, 4)


@pytest.mark.parametrize(
    "images, kwargs, error, message",
    [
        (np.full((4, 4, 3), 255.0), {}, ValueError, r"images ranges from 255 to 255 \(float64\) but must be in \[0, 1\]: divide by 255"),
        (np.full((4, 4, 3), -0.5), {}, ValueError, r"ranges from -0.5 to -0.5 .*undo any mean subtraction"),
        (np.full((4, 4, 3), np.nan, np.float32), {"name": "image"}, ValueError, r"image contains 48 NaN or infinite value\(s\) \(float32\).*np\.nan_to_num"),
        (np.full((4, 4, 3), np.inf), {}, ValueError, r"NaN or infinite"),
        (np.full((4, 4, 3), 300), {}, ValueError, r"holds integers from 300 to 300 \(int64\).*astype\('uint8'\)"),
        (np.full((4, 4, 3), -1, np.int8), {}, ValueError, r"holds integers from -1 to -1"),
        (np.zeros((4, 4, 3), bool), {}, TypeError, r"images is boolean: .*astype\('float32'\)"),
        (np.array(["a", "b"]), {}, TypeError, r"must be an array of numbers\. Received: dtype <U1"),
        (None, {}, TypeError, r"images is None: pass an image array"),
        (tf.data.Dataset.range(3), {}, TypeError, r"is a tf\.data\.Dataset: take a batch first"),
        (np.zeros((2, 4, 4, 3)), {"batch": False, "name": "image"}, ValueError, r"image must be one image .* batch of 2: pass image\[0\]"),
        (np.zeros((3, 32, 32)), {"batch": False}, ValueError, r"must have 3 channels last .*channels-first: .*np\.moveaxis\(images, 0, -1\)"),
        (np.zeros((8, 3, 32, 32)), {}, ValueError, r"channels-first: .*np\.moveaxis\(images, 1, -1\)"),
        (np.zeros((4, 4, 3), np.complex64), {}, TypeError, r"complex"),
        (np.zeros((2, 2, 2, 2, 3)), {}, ValueError, r"must be a batch \(n, height, width, channels\) or one image"),
        (np.zeros(5), {"batch": False}, ValueError, r"must be one image \(height, width, channels\)\. Received: shape \(5,\)"),
    ],
)
def test_contract_refuses_with_a_one_line_fix(images, kwargs, error, message):
    with pytest.raises(error, match=message) as raised:
        as_images(images, **kwargs)
    assert "\n" not in str(raised.value)
