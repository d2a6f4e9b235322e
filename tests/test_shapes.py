import numpy as np
import pytest

from alexnet_edu.shapes import CLASS_NAMES, generate_shapes


def test_balanced_and_deterministic():
    images, labels = generate_shapes(40, size=32, seed=3)
    assert images.shape == (40, 32, 32, 3) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [5] * len(CLASS_NAMES)
    again, _ = generate_shapes(40, size=32, seed=3)
    np.testing.assert_array_equal(images, again)
    other, _ = generate_shapes(40, size=32, seed=4)
    assert not np.array_equal(images, other)


def test_any_image_can_be_regenerated_alone():
    images, _ = generate_shapes(16, size=32, seed=1)
    # Image i depends only on (seed, i): the first 8 of 16 are the 8 of 8.
    np.testing.assert_array_equal(generate_shapes(8, size=32, seed=1)[0], images[:8])


def test_images_vary_within_a_class():
    images, labels = generate_shapes(64, size=48, seed=0)
    circles = images[labels == 0].astype(float)
    # Random colours, positions and backgrounds: no two circles alike.
    assert min(np.abs(a - b).mean() for i, a in enumerate(circles) for b in circles[i + 1 :]) > 10
    # Every image uses a good part of the colour range (not blank).
    assert all(image.std() > 10 for image in images)


@pytest.mark.parametrize("size", [32, 64, 227])
def test_sizes(size):
    images, _ = generate_shapes(8, size=size)
    assert images.shape[1:] == (size, size, 3)
