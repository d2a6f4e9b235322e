"""The kit's one image-input contract, used by every function that takes images.

A student's images arrive as uint8 photos (0-255), floats in [0, 1] from the
kit's loaders, 16-bit scans, tensors, a single image or a batch. Every
public function that takes images passes them through `as_images` (or
`pixel_scale` for large arrays that stay uint8), so the same input means the
same thing everywhere:

- uint8 is scaled by 1/255 and uint16 by 1/65535;
- floats in [0, 1] are accepted as they are (a small overshoot from resizing
  or colour augmentation is allowed);
- floats far outside [0, 1] (0-255 floats, mean-subtracted images), NaN or
  infinity are refused with an error that names the argument, its dtype and
  range, and the fix;
- shapes are channels-last: `(height, width, 3)` for one image,
  `(n, height, width, 3)` for a batch; a channels-first array gets a hint.
"""

import numpy as np

# Floats this far outside [0, 1] are accepted: bilinear resizing and colour
# augmentation overshoot a little; 0-255 floats or mean-subtracted images do not.
TOLERANCE = 0.1
_INTEGER_SCALES = {np.dtype("uint8"): 255.0, np.dtype("uint16"): 65535.0}


def _array(images, name):
    if images is None:
        raise TypeError(f"{name} is None: pass an image array (height, width, 3) or a batch (n, height, width, 3).")
    if hasattr(images, "take") and hasattr(images, "element_spec"):
        raise TypeError(
            f"{name} is a tf.data.Dataset: take a batch first, e.g. images, labels = next(iter(data.validation))."
        )
    try:
        array = np.asarray(images)
    except Exception as error:  # ragged lists, strings mixed with numbers
        raise TypeError(
            f"{name} cannot be read as an array of pixels ({type(error).__name__}). Received: {type(images).__name__}"
        ) from None
    if array.dtype == object or array.dtype.kind in "USV":
        raise TypeError(f"{name} must be an array of numbers. Received: dtype {array.dtype}")
    if array.dtype.kind == "b":
        raise TypeError(f"{name} is boolean: convert a mask to an image with mask.astype('float32').")
    if array.dtype.kind == "c":
        raise TypeError(f"{name} is complex ({array.dtype}): pass real pixel values.")
    return array


def pixel_scale(images, name="images"):
    """Checks pixel values against the contract and returns the factor that maps them to [0, 1].

    Use it for large uint8 arrays that should stay uint8 until a pipeline
    scales them; otherwise use `as_images`.

    Example:

    >>> pixel_scale(np.zeros((2, 8, 8, 3), np.uint8))
    0.00392156862745098

    Args:
        images: Array-like pixels of any shape.
        name: The argument's name, for error messages.

    Returns:
        `1/255` for uint8, `1/65535` for uint16, `1.0` for floats in [0, 1].

    Raises:
        TypeError: Not numbers, or a dataset instead of an array.
        ValueError: Non-finite values, or values outside the contract's range.
    """
    array = _array(images, name)
    if array.dtype in _INTEGER_SCALES:
        return 1.0 / _INTEGER_SCALES[array.dtype]
    if array.size == 0:
        return 1.0
    if array.dtype.kind in "iu":
        low, high = int(array.min()), int(array.max())
        if low >= 0 and high <= 255:
            return 1.0 / 255.0 if high > 1 else 1.0
        raise ValueError(
            f"{name} holds integers from {low} to {high} ({array.dtype}): pixels must be uint8 (0-255) "
            "or floats in [0, 1]; convert with images.astype('uint8') or rescale to [0, 1]."
        )
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s) ({array.dtype}): find where they come from "
            "(a failed division or a broken file) or replace them, e.g. np.nan_to_num(images)."
        )
    low, high = float(array.min()), float(array.max())
    if low < -TOLERANCE or high > 1 + TOLERANCE:
        if low >= 0 and high <= 255:
            fix = "divide by 255 (they look like 0-255 pixels stored as floats) or pass uint8"
        else:
            fix = "the kit's models take [0, 1] images: undo any mean subtraction or standardisation"
        raise ValueError(f"{name} ranges from {low:.4g} to {high:.4g} ({array.dtype}) but must be in [0, 1]: {fix}.")
    return 1.0


def _channels_hint(shape):
    if len(shape) >= 3 and shape[-3] in (1, 3) and shape[-1] not in (1, 3):
        return f" It looks channels-first: move the channels last with np.moveaxis(images, {len(shape) - 3}, -1)."
    return ""


def as_images(images, name="images", batch=True, channels=3):
    """Checks images against the contract and returns float32 pixels in [0, 1].

    Example:

    >>> float(as_images(np.full((4, 4, 3), 255, np.uint8), batch=False).max())
    1.0

    Args:
        images: Array-like: uint8, uint16 or floats in [0, 1]; a NumPy array
            or a tensor.
        name: The argument's name, for error messages.
        batch: True for functions that take a batch `(n, height, width, c)`:
            a single image is given a batch axis of 1. False for functions
            that take one image `(height, width, c)`: a batch of one is
            unwrapped, a larger batch is refused.
        channels: Required number of channels (grayscale `(height, width)` or
            `(..., 1)` becomes RGB when 3 are required); None accepts any.

    Returns:
        A float32 NumPy array in [0, 1] (slightly beyond where the input
        overshoots by less than `TOLERANCE`).
    """
    array = _array(images, name)
    scale = pixel_scale(array, name)
    shape = array.shape
    single_ndim = 3
    if array.ndim == 2 and channels in (None, 1, 3) and not batch:
        array = array[..., None]
    elif array.ndim == 3 and batch and channels == 3 and shape[-1] not in (1, 3) and shape[0] not in (1, 3):
        array = array[..., None]  # a batch of grayscale images (n, h, w)
    if batch:
        if array.ndim == single_ndim:
            array = array[None]
        if array.ndim != 4:
            raise ValueError(
                f"{name} must be a batch (n, height, width, channels) or one image (height, width, channels). "
                f"Received: shape {shape}"
            )
    else:
        if array.ndim == 4 and array.shape[0] == 1:
            array = array[0]
        elif array.ndim == 4:
            raise ValueError(
                f"{name} must be one image (height, width, channels), but it is a batch of {shape[0]}: "
                f"pass {name}[0] (or loop over the batch). Received: shape {shape}"
            )
        if array.ndim != 3:
            raise ValueError(f"{name} must be one image (height, width, channels). Received: shape {shape}")
    if channels is not None and array.shape[-1] != channels:
        if channels == 3 and array.shape[-1] == 1:
            array = np.repeat(array, 3, axis=-1)
        else:
            raise ValueError(
                f"{name} must have {channels} channels last (height, width, {channels}). "
                f"Received: shape {shape}.{_channels_hint(shape)}"
            )
    # Division, not multiplication by 1/255: the same float32 values as the pipelines' tf.cast(x) / 255.
    return array.astype("float32") / np.float32(round(1 / scale)) if scale != 1.0 else array.astype("float32")
