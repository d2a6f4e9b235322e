"""Self-checks for the notebooks' exercises: right or wrong, with a hint, never the answer.

Every expected answer is computed from the kit itself (the models and the
shape arithmetic), so the checks stay true to the code. Worked solutions are
in `solutions/`, for a student to open deliberately.

>>> check("conv1_output_shape", (54, 54, 96))
Right: ...
"""

import dataclasses

from alexnet_edu.models import build_alexnet, smallest_input_size


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One checkable question: how to compute the expected answer, and a hint."""

    question: str
    expected: callable
    hint: str
    notebook: str


def _shape(preset, layer_name, **knobs):
    return tuple(build_alexnet(preset, **knobs).get_layer(layer_name).output.shape[1:])


def _params(preset, layer_name, **knobs):
    return build_alexnet(preset, **knobs).get_layer(layer_name).count_params()


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
}


def _normalise(value):
    if isinstance(value, (list, tuple)):
        return tuple(int(v) for v in value)
    return int(value)


def check(key, answer):
    """Says whether `answer` is right, with a hint when it is not; never prints the answer.

    Args:
        key: The exercise's key, as given in the notebook (see `EXERCISES`).
        answer: Your answer: a number, or a tuple for a shape.

    Returns:
        True when the answer is right.
    """
    if key not in EXERCISES:
        raise ValueError(f"Unknown exercise {key!r}. Valid exercises: {', '.join(EXERCISES)}.")
    exercise = EXERCISES[key]
    try:
        right = _normalise(answer) == _normalise(exercise.expected())
    except (TypeError, ValueError):
        right = False
    if right:
        print(f"Right: {exercise.question}")
    else:
        print(f"Not yet ({answer!r}). Hint: {exercise.hint}")
    return right
