"""Self-checks for the notebooks' exercises: right or wrong, with a hint, never the answer.

Every expected answer is computed from the kit itself (the models and the
shape arithmetic), so the checks stay true to the code. Worked solutions are
in `solutions/`, for a student to open deliberately.

>>> check("conv1_output_shape", (54, 54, 96))
Right: ...
"""

import dataclasses
import functools
import math
import numbers

import numpy as np

from alexnet_edu.augment import crop_size_for
from alexnet_edu.layers import LocalResponseNormalization
from alexnet_edu.models import build_alexnet, make_config, smallest_input_size
from alexnet_edu.pretrained import WEIGHTS


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One checkable question: how to compute the expected answer, and a hint.

    Whole numbers and shapes must match exactly; answers with a `tolerance`
    (relative, e.g. 0.01 for 1 %) may be rounded.
    """

    question: str
    expected: callable
    hint: str
    notebook: str
    tolerance: float = 0.0


def _shape(preset, layer_name, **knobs):
    return tuple(build_alexnet(preset, **knobs).get_layer(layer_name).output.shape[1:])


def _params(preset, layer_name, **knobs):
    return build_alexnet(preset, **knobs).get_layer(layer_name).count_params()


def _equal_activity(lrn_k, lrn_alpha, lrn_convention):
    """The activity a at which LRN's sum term, with all n neighbours equal to a, equals k."""
    layer = LocalResponseNormalization(k=lrn_k, alpha=lrn_alpha, convention=lrn_convention)
    return math.sqrt(layer.k / (layer.scale * layer.n))


def _lrn(activity, index, n=5, k=2.0, alpha=1e-4, beta=0.75):
    window = activity[max(0, index - n // 2) : index + n // 2 + 1]
    return activity[index] / (k + alpha * sum(a * a for a in window)) ** beta


EXERCISES = {
    "conv1_output_shape": Exercise(
        "Output shape (height, width, channels) of conv1 in the seed model at 224x224x3?",
        lambda: _shape("seed", "conv1"),
        "Use (W - F + 2P) / S + 1 with W=224, F=11, P=0, S=4, and round down; the channels are the number of kernels.",
        "01_architecture",
    ),
    "conv2_params": Exercise(
        "Parameters (weights and biases) of conv2 in the seed model?",
        lambda: _params("seed", "conv2"),
        "Each of the 256 kernels is 5 x 5 x (channels coming in), plus one bias per kernel.",
        "01_architecture",
    ),
    "paper_conv2_params": Exercise(
        "Parameters of conv2 in the paper's two-tower model?",
        lambda: _params("paper", "conv2"),
        "With groups=2 each kernel sees only the 48 channels of its own tower.",
        "01_architecture",
    ),
    "pool5_shape_plain_pooling": Exercise(
        "Output shape of pool5 in the seed model with pooling='plain' (2x2 windows, stride 2)?",
        lambda: _shape("seed", "pool5", pooling="plain"),
        "Follow the sizes: 54 after conv1, then each 2/2 pooling halves and rounds down; conv2-conv5 keep the size.",
        "01_architecture",
    ),
    "fc6_params_plain_pooling": Exercise(
        "Parameters of fc6 in the seed model with pooling='plain'?",
        lambda: _params("seed", "fc6", pooling="plain"),
        "fc6 connects every value of the flattened pool5 output to 4,096 units, plus 4,096 biases.",
        "01_architecture",
    ),
    "smallest_seed_input": Exercise(
        "Smallest square input size (in pixels) that the seed model accepts?",
        lambda: smallest_input_size("seed"),
        "pool5 needs at least a 3x3 input; work backwards through pool2, pool1 and conv1 (stride 4).",
        "01_architecture",
    ),
    "steps_per_epoch_full_mode": Exercise(
        "Training steps per epoch in notebook 02's full mode (45,000 training photos, batches of 128)?",
        lambda: math.ceil(45_000 / 128),
        "One step per batch: divide the number of training images by the batch size, rounding up.",
        "02_data_and_training",
    ),
    "crop_size_96": Exercise(
        "The paper's crop ratio (224 of 256) applied to 96x96 images: the crop size in pixels?",
        lambda: crop_size_for(96),
        "Multiply by 224 / 256 = 7 / 8 and round.",
        "02_data_and_training",
    ),
    "mini_fc7_features": Exercise(
        "Length of the fc7 feature vector of the mini model, used for the nearest neighbours?",
        lambda: build_alexnet("mini").get_layer("fc7").units,
        "The paper's fc7 has 4,096 units; the mini model has a quarter of the width.",
        "03_what_alexnet_learned",
    ),
    "tanh_slope_at_2": Exercise(
        "The slope of tanh at x = 2 (to 3 significant digits)?",
        lambda: 1 - math.tanh(2.0) ** 2,
        "The derivative of tanh(x) is 1 - tanh(x)^2, and tanh(2) is about 0.964.",
        "04_relu",
        tolerance=0.01,
    ),
    "lrn_channel_0_loud": Exercise(
        "In notebook 05's example, the LRN output of channel 0 if its activity were 100 instead of 0?",
        lambda: _lrn([100.0, 60.0, 80.0, 100.0, 80.0, 0.0, 100.0], 0),
        "Channel 0's window holds channels 0, 1 and 2 (there is nothing below 0): "
        "divide by (k + alpha * their sum of squares) ** beta.",
        "05_local_response_normalization",
        tolerance=0.01,
    ),
    "seeds_for_small_effect": Exercise(
        "Seeds needed so that a 0.4-point difference is two standard errors, if the per-seed difference has a std of 1 point?",
        lambda: math.ceil((2 * 1.0 / 0.4) ** 2),
        "Standard error = std / sqrt(seeds); you need 2 * std / sqrt(seeds) <= 0.4.",
        "06_overlapping_pooling",
    ),
    "distinct_training_patches": Exercise(
        "Distinct training patches of one 64x64 image with 56x56 crops and horizontal flips?",
        lambda: (64 - 56 + 1) ** 2 * 2,
        "Count the positions of the crop's top-left corner along each axis, multiply, then double for the flips.",
        "07_dropout_and_augmentation",
    ),
    "mini_conv2_params_two_towers": Exercise(
        "Parameters of conv2 in the mini model with two towers (groups=2)?",
        lambda: _params("mini", "conv2", groups=2),
        "The mini model's conv1 has 24 kernels and conv2 has 64 kernels of 5x5; each tower sees half of conv1's maps.",
        "08_multi_gpu_training",
    ),
    "paper_conv4_params_without_conv3": Exercise(
        "Parameters of conv4 in the paper's model without conv3?",
        lambda: _params("paper", "conv4", remove=("conv3",)),
        "conv4 now reads conv2's 256 maps, split over two towers; it has 384 kernels of 3x3.",
        "09_depth",
    ),
    "torchvision_params": Exercise(
        "Parameters of torchvision's AlexNet (the torchvision preset)?",
        lambda: build_alexnet("torchvision").count_params(),
        "Add up the layers: conv1 has 64 kernels of 11x11x3, conv2 192 of 5x5x64, ..., fc6 reads 6x6x256 values; "
        "or build the preset and call count_params().",
        "10_the_real_alexnet",
    ),
    "fc6_row_of_torch_column_36": Exercise(
        "The Keras row of fc6's kernel that receives torchvision's column 36 (channel 1, row 0, column 0 of pool5)?",
        lambda: int(np.arange(256 * 6 * 6).reshape(256, 6, 6).transpose(1, 2, 0).reshape(-1).tolist().index(36)),
        "Keras flattens (row, column, channel) with the channel fastest: index = row * 6 * 256 + column * 256 + channel.",
        "10_the_real_alexnet",
    ),
    "conv1_multiplications_per_image": Exercise(
        "How many multiplications does the paper's conv1 make for one 227x227 image (all outputs of all filters)?",
        lambda: math.prod(_shape("paper", "conv1")) * math.prod(build_alexnet("paper").get_layer("conv1").kernel.shape[:3]),
        "Every output value (55 x 55 positions x 96 filters) adds up one product per weight of its 11 x 11 x 3 kernel.",
        "11_how_a_layer_computes",
    ),
    "conv4_products_per_output_paper": Exercise(
        "How many products does one output value of the paper's conv4 (two towers) add up?",
        lambda: math.prod(build_alexnet("paper").get_layer("conv4").kernel.shape[:3]),
        "A conv4 filter is 3 x 3 and reads only its own tower's half of conv3's 384 channels.",
        "11_how_a_layer_computes",
    ),
    "lrn_equal_activity_caffe": Exercise(
        "Caffe's LRN (the BVLC AlexNet: k=1, alpha=1e-4 divided by n=5): with all five neighbours equal to a, "
        "at what a does the sum term equal k?",
        lambda: _equal_activity(**WEIGHTS["bvlc"].knobs),
        "Caffe multiplies the sum of the five squares by alpha / 5, not alpha: solve (alpha / 5) * 5 * a**2 = k with k = 1.",
        "11_how_a_layer_computes",
        tolerance=0.005,
    ),
    "initial_loss_paper": Exercise(
        "The cross-entropy an untrained paper model should start at (1,000 ImageNet classes)?",
        lambda: math.log(make_config("paper").num_classes),
        "A model that guesses evenly gives each class probability 1 / C; the loss is -log of the true class's probability.",
        "13_why_wont_it_learn",
        tolerance=0.01,
    ),
    "range_test_rate_at_step_100": Exercise(
        "The learning rate at step 100 of learning_rate_range(start=1e-5, stop=1.0, steps=200)?",
        lambda: float(np.geomspace(1e-5, 1.0, 200)[99]),
        "The rates are geometric: step i (from 1) uses start * (stop / start) ** ((i - 1) / (steps - 1)).",
        "13_why_wont_it_learn",
        tolerance=0.02,
    ),
}


def _plain(value):
    """A NumPy or TensorFlow scalar or array as plain Python: a number, a tuple, or the value unchanged."""
    if hasattr(value, "numpy") and callable(value.numpy):  # a tf.Tensor
        value = value.numpy()
    if isinstance(value, np.ndarray):
        return value.item() if value.ndim == 0 else tuple(value.tolist()) if value.ndim == 1 else value
    if isinstance(value, np.generic):
        return value.item()
    return value


def _type_problem(value, wanted):
    """Why `value` is not a number, or None when it is one; `wanted` says what to pass instead."""
    if isinstance(value, (str, bytes)):
        return f"that is a string: pass {wanted}, not a string (no quotes)"
    if isinstance(value, bool):
        return f"that is True/False: pass {wanted}"
    if value is None:
        return f"that is None: pass {wanted} (did the cell assign your answer?)"
    if not isinstance(value, numbers.Real):
        return f"that is a {type(value).__name__}: pass {wanted}"
    if not math.isfinite(value):
        return f"that is not a finite number: pass {wanted}"
    return None


def _answer(answer, expected):
    """`(answer as plain numbers, None)`, or `(None, what to pass instead)` when its type or form is wrong."""
    wanted = f"a tuple of {len(expected)} numbers" if isinstance(expected, tuple) else "a number"
    answer = _plain(answer)
    if isinstance(answer, np.ndarray):
        return None, f"that is an array of shape {answer.shape}: pass {wanted}"
    if isinstance(answer, list):
        answer = tuple(answer)
    if isinstance(answer, tuple):
        answer = tuple(_plain(item) for item in answer)
        for index, item in enumerate(answer):
            if _type_problem(item, wanted):
                return None, f"item {index} of the tuple is {item!r}, not a number: pass {wanted}"
    else:
        problem = _type_problem(answer, wanted)
        if problem:
            return None, problem
    if isinstance(expected, tuple) and not isinstance(answer, tuple):
        return None, f"this question asks for a shape: pass {wanted}"
    if not isinstance(expected, tuple) and isinstance(answer, tuple):
        return None, "this question asks for one number, not a tuple"
    if isinstance(expected, tuple) and len(answer) != len(expected):
        return None, f"this question asks for {wanted}, not {len(answer)}"
    return answer, None


@functools.lru_cache(maxsize=None)
def _expected(key):
    # Building a model per call made every check take a second or more; the answers never change.
    return _plain(EXERCISES[key].expected())


def _matches(exercise, answer, expected):
    if exercise.tolerance:
        return math.isclose(answer, expected, rel_tol=exercise.tolerance)
    # Whole numbers and shapes match exactly: 54.25 is not 54, but 54.0 is.
    if isinstance(expected, tuple):
        return all(float(a) == e for a, e in zip(answer, expected))
    return float(answer) == expected


class Checked:
    """What `check` returns: true when the answer was right.

    It shows nothing when it ends a notebook cell (the printed line says it
    all), so the cell does not echo a stray `True` or `False`.
    """

    def __init__(self, right):
        self.right = bool(right)

    def __bool__(self):
        return self.right

    def __eq__(self, other):
        return bool(self) == other if isinstance(other, (bool, Checked)) else NotImplemented

    def __hash__(self):
        return hash(self.right)

    def __repr__(self):
        return f"Checked(right={self.right})"

    def _ipython_display_(self):
        pass


def check(key, answer):
    """Says whether `answer` is right, with a hint when it is not; never prints the answer.

    Example:

    >>> check("conv1_output_shape", (54, 54, 96))
    Right: ...

    Args:
        key: The exercise's key, as given in the notebook (see `EXERCISES`).
        answer: Your answer: a number, or a tuple for a shape (NumPy
            numbers and arrays count as numbers and tuples).

    Returns:
        A `Checked`, true when the answer is right (`if check(...):` works),
        false otherwise; a wrong answer prints a hint, or what to pass
        instead when the answer is not a number or a tuple. It displays
        nothing at the end of a notebook cell.

    Raises:
        ValueError: An unknown key (the message lists the valid keys).
        TypeError: A key that is not a string.
    """
    valid = f"Valid exercises: {', '.join(EXERCISES)}."
    if not isinstance(key, str):
        raise TypeError(f"The exercise key must be a string, as given in the notebook. {valid} Received: key={key!r}")
    if key not in EXERCISES:
        raise ValueError(f"Unknown exercise {key!r}. {valid}")
    exercise = EXERCISES[key]
    expected = _expected(key)
    value, problem = _answer(answer, expected)
    right = problem is None and _matches(exercise, value, expected)
    if problem is None and not right and not exercise.tolerance:
        parts = value if isinstance(value, tuple) else (value,)
        if not all(float(part).is_integer() for part in parts):
            problem = "sizes and counts are whole numbers"
    shown = repr(answer) if "\n" not in repr(answer) else f"an array of shape {np.shape(answer)}"
    if right:
        print(f"Right: {exercise.question}")
    elif problem:
        print(f"Not yet ({shown}): {problem}. Hint: {exercise.hint}")
    else:
        print(f"Not yet ({shown}). Hint: {exercise.hint}")
    return Checked(right)
