import pathlib
import re

import pytest

from alexnet_edu.exercises import EXERCISES, check

SOLUTIONS = pathlib.Path(__file__).resolve().parents[1] / "solutions"


def reference_answers():
    """The bold answers of the worked solutions, by exercise key."""
    answers = {}
    for path in SOLUTIONS.glob("*.md"):
        for key, answer in re.findall(r"\*\*(\w+)\*\*:.*?\*\*([\d,.() ]+)\*\*", path.read_text(), flags=re.S):
            answers[key] = answer
    return answers


def parse(answer):
    numbers = [float(n.replace(",", "")) for n in re.findall(r"[\d,.]+", answer) if n.strip(",.")]
    numbers = [int(n) if n.is_integer() else n for n in numbers]
    return tuple(numbers) if answer.strip().startswith("(") else numbers[0]


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_reference_solution_passes_and_a_wrong_one_fails(key, capsys):
    solutions = reference_answers()
    assert key in solutions, f"solutions/ has no worked answer for {key}"
    answer = parse(solutions[key])
    assert bool(check(key, answer)) is True
    assert capsys.readouterr().out.startswith("Right")
    wrong = tuple(a + 1 for a in answer) if isinstance(answer, tuple) else answer + 1
    assert bool(check(key, wrong)) is False
    printed = capsys.readouterr().out
    assert printed.startswith("Not yet") and "Hint:" in printed
    # The hint never gives the answer away.
    assert str(answer) not in printed.replace(str(wrong), "")


def test_every_exercise_is_used_by_its_notebook():
    notebooks = pathlib.Path(__file__).resolve().parents[1] / "notebooks"
    for key, exercise in EXERCISES.items():
        source = (notebooks / f"{exercise.notebook}.py").read_text()
        assert f'check("{key}"' in source, f"{exercise.notebook} does not use exercise {key}"


def test_unknown_exercise_lists_the_keys():
    with pytest.raises(ValueError, match=r"Unknown exercise 'conv9'\. Valid exercises: conv1_output_shape"):
        check("conv9", 1)


def test_rounded_answers_pass_where_a_tolerance_is_given(capsys):
    assert bool(check("tanh_slope_at_2", 0.0707)) is True
    assert bool(check("tanh_slope_at_2", 0.08)) is False
    assert bool(check("steps_per_epoch_full_mode", 352.0)) is True
    assert bool(check("steps_per_epoch_full_mode", 351.6)) is False  # whole numbers must be exact
    assert bool(check("conv1_output_shape", "54x54")) is False
    printed = capsys.readouterr().out
    assert printed.count("Right") == 2 and printed.count("Not yet") == 3


def test_check_shows_nothing_at_the_end_of_a_cell_but_still_tells_right_from_wrong(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    result = shell.run_cell('from alexnet_edu import check\ncheck("tanh_slope_at_2", 0.08)')
    printed = capsys.readouterr().out
    assert "Not yet (0.08)" in printed
    assert "False" not in printed and "Checked" not in printed
    assert not result.result and result.result == False  # noqa: E712 (comparing with a bool is the point)
