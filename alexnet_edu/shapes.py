"""A procedurally generated image dataset: offline, deterministic, and not trivial.

Eight shape classes, each drawn with a random colour, size, rotation and
position on a random gradient background with clutter (lines and blobs in
other colours), an optional striped or checked fill, and pixel noise. A
pixel-level classifier cannot solve it; a small CNN can.
"""

import numpy as np

CLASS_NAMES = ("circle", "crescent", "cross", "hexagon", "ring", "square", "star", "triangle")


def _polygon(x, y, sides, apothem):
    angles = 2 * np.pi * np.arange(sides) / sides
    return np.max(np.cos(angles)[:, None, None] * x + np.sin(angles)[:, None, None] * y, axis=0) < apothem


def _mask(class_name, x, y):
    """The shape in a unit frame: roughly the disc of radius 1."""
    rho = np.hypot(x, y)
    if class_name == "circle":
        return rho < 0.95
    if class_name == "crescent":
        return (rho < 1.0) & (np.hypot(x - 0.5, y) > 0.75)
    if class_name == "cross":
        return ((np.abs(x) < 0.3) & (np.abs(y) < 1.0)) | ((np.abs(y) < 0.3) & (np.abs(x) < 1.0))
    if class_name == "hexagon":
        return _polygon(x, y, 6, 0.85)
    if class_name == "ring":
        return (rho < 1.0) & (rho > 0.6)
    if class_name == "square":
        return np.maximum(np.abs(x), np.abs(y)) < 0.75
    if class_name == "star":
        return rho < 0.55 + 0.45 * np.abs(np.cos(2.5 * np.arctan2(y, x))) ** 3
    return _polygon(x, y, 3, 0.5)


def _colour_far_from(rng, colours, distance=0.45):
    for _ in range(50):
        colour = rng.uniform(0, 1, 3)
        if all(np.linalg.norm(colour - other) > distance for other in colours):
            return colour
    return 1 - np.mean(colours, axis=0)


def render_shape(class_name, size, rng):
    """Draws one image of a class as a `(size, size, 3)` uint8 array.

    Args:
        class_name: One of `CLASS_NAMES`.
        size: Height and width in pixels.
        rng: A `numpy.random.Generator`; the same generator state gives the
            same image.
    """
    grid = (np.arange(size) + 0.5) / size
    gx, gy = np.meshgrid(grid, grid)
    # Background: a gradient between two random colours.
    low, high = rng.uniform(0, 1, 3), rng.uniform(0, 1, 3)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = np.clip(0.5 + (gx - 0.5) * np.cos(angle) + (gy - 0.5) * np.sin(angle), 0, 1)[..., None]
    image = low * (1 - ramp) + high * ramp
    # Clutter: thin lines and small blobs in random colours.
    for _ in range(rng.integers(0, 3)):
        (x0, y0), direction = rng.uniform(0, 1, 2), rng.uniform(0, np.pi)
        distance = np.abs((gx - x0) * np.sin(direction) - (gy - y0) * np.cos(direction))
        image[distance < rng.uniform(0.008, 0.02)] = rng.uniform(0, 1, 3)
    for _ in range(rng.integers(0, 3)):
        centre, radius = rng.uniform(0, 1, 2), rng.uniform(0.03, 0.07)
        image[np.hypot(gx - centre[0], gy - centre[1]) < radius] = rng.uniform(0, 1, 3)
    # The shape: random scale, rotation and position, fully inside the image.
    scale = rng.uniform(0.24, 0.4)
    cx, cy = rng.uniform(scale, 1 - scale, 2)
    rotation = rng.uniform(0, 2 * np.pi)
    dx, dy = (gx - cx) / scale, (gy - cy) / scale
    x = dx * np.cos(rotation) + dy * np.sin(rotation)
    y = -dx * np.sin(rotation) + dy * np.cos(rotation)
    mask = _mask(class_name, x, y)
    colour = _colour_far_from(rng, [low, high])
    fill = np.broadcast_to(colour, image.shape)
    pattern = rng.integers(0, 3)  # solid, stripes or checks
    if pattern:
        period = rng.uniform(0.2, 0.4)
        texture = np.sin(x / period * np.pi) > 0
        if pattern == 2:
            texture ^= np.sin(y / period * np.pi) > 0
        fill = np.where(texture[..., None], colour, 0.6 * colour + 0.4 * (1 - colour))
    image = np.where(mask[..., None], fill, image)
    image += rng.normal(0, 0.04, image.shape)
    return (np.clip(image, 0, 1) * 255).astype(np.uint8)


def generate_shapes(num_images, size=64, seed=0, class_names=CLASS_NAMES):
    """Generates a balanced set of shape images in memory.

    Image `i` belongs to class `i % len(class_names)` and depends only on
    `(seed, i)`, so any subset can be regenerated exactly.

    Args:
        num_images: How many images.
        size: Height and width in pixels (32-227 is sensible).
        seed: The random seed.
        class_names: The classes to draw, a subset of `CLASS_NAMES`.

    Returns:
        `(images, labels)`: uint8 `(num_images, size, size, 3)` and int32 labels.
    """
    unknown = sorted(set(class_names) - set(CLASS_NAMES))
    if unknown:
        raise ValueError(f"Unknown shape class {unknown[0]!r}. Valid classes: {', '.join(CLASS_NAMES)}.")
    if not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be an integer of at least 8 pixels. Received: size={size!r}")
    labels = np.arange(num_images, dtype=np.int32) % len(class_names)
    images = np.stack(
        [render_shape(class_names[label], size, np.random.default_rng([seed, index])) for index, label in enumerate(labels)]
    ) if num_images else np.zeros((0, size, size, 3), np.uint8)
    return images, labels
