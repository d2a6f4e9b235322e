"""check_layer and the worked solutions of notebook 12: known answers, the references, wrong functions, bad input."""

import pathlib
import re

import keras
import numpy as np
import pytest

from alexnet_edu import LocalResponseNormalization, build_it, check_layer, load_solutions

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOLUTIONS_MD = ROOT / "solutions" / "12_build_it_yourself.md"
REFERENCE = load_solutions(SOLUTIONS_MD)


def build_it_verdict(capsys, name, function):
    """check_layer's verdict and the one line it printed."""
    verdict = check_layer(name, function)
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1, f"check_layer printed more than one line: {printed!r}"
    return verdict, printed.strip()


# --- known answers on tiny hand-built inputs --------------------------------------------------


def test_conv_known_answer_valid_and_unflipped():
    # Cross-correlation: the kernel's top-left weight meets the window's top-left pixel (a flipped
    # kernel, a true convolution, would give 4).
    x = np.array([1.0, 2.0, 3.0, 4.0]).reshape(1, 2, 2, 1)
    w = np.array([1.0, 0.0, 0.0, 0.0]).reshape(2, 2, 1, 1)
    for out in (REFERENCE["conv_forward"](x, w, np.zeros(1), 1, "valid"), build_it._conv(x, w, np.zeros(1), 1, "valid")):
        np.testing.assert_array_equal(out.reshape(-1), [1.0])


def test_conv_known_answer_same_padding_puts_the_odd_row_at_the_bottom():
    # 4x4 input 0..15, a 3x3 kernel of ones, stride 2, 'same': 2x2 output, one row and one column of
    # padding in total, at the bottom and the right. By hand:
    # 0+1+2+4+5+6+8+9+10 = 45, 2+3+6+7+10+11 = 39, 8+9+10+12+13+14 = 66, 10+11+14+15 = 50.
    x = np.arange(16.0).reshape(1, 4, 4, 1)
    w = np.ones((3, 3, 1, 1))
    expected = np.array([[45.0, 39.0], [66.0, 50.0]])
    np.testing.assert_array_equal(REFERENCE["conv_forward"](x, w, np.zeros(1), 2, "same")[0, :, :, 0], expected)
    np.testing.assert_array_equal(build_it._np(build_it._conv_layer(x, w, np.zeros(1), 2, "same")(x))[0, :, :, 0], expected)


def test_conv_backward_known_answer():
    # One output, out = sum(x * w) + b: dx = dout * w, dw = dout * x, db = dout.
    x = np.array([1.0, 2.0, 3.0, 4.0]).reshape(1, 2, 2, 1)
    w = np.array([5.0, 6.0, 7.0, 8.0]).reshape(2, 2, 1, 1)
    dx, dw, db = REFERENCE["conv_backward"](np.full((1, 1, 1, 1), 2.0), x, w, np.zeros(1), 1, "valid")
    np.testing.assert_array_equal(dx.reshape(-1), [10.0, 12.0, 14.0, 16.0])
    np.testing.assert_array_equal(dw.reshape(-1), [2.0, 4.0, 6.0, 8.0])
    np.testing.assert_array_equal(db, [2.0])


def test_pooling_known_answers():
    x = np.arange(16.0).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(REFERENCE["maxpool_forward"](x, 2, 2)[0, :, :, 0], [[5.0, 7.0], [13.0, 15.0]])
    # 5x5 input with 3/2 pooling: 2x2 windows that share row 2 and column 2, where the 100 sits.
    x = np.zeros((1, 5, 5, 1))
    x[0, 2, 2, 0] = 100.0
    x[0, 0, 0, 0] = 1.0
    np.testing.assert_array_equal(REFERENCE["maxpool_forward"](x, 3, 2)[0, :, :, 0], [[100.0, 100.0], [100.0, 100.0]])
    # The 100 is the maximum of all four windows: it gets the sum of their gradients.
    dout = np.array([1.0, 2.0, 3.0, 4.0]).reshape(1, 2, 2, 1)
    dx = REFERENCE["maxpool_backward"](dout, x, 3, 2)
    assert dx[0, 2, 2, 0] == 10.0 and dx.sum() == 10.0


def test_lrn_dropout_softmax_known_answers():
    # Notebook 05's channel 0 made loud: window 0..2 holds 100, 60, 80, so 100 / (2 + 1e-4 * 20000) ** 0.75 = 100 / 4 ** 0.75.
    a = np.array([100.0, 60.0, 80.0, 100.0, 80.0, 0.0, 100.0]).reshape(1, 1, 1, 7)
    assert REFERENCE["lrn_forward"](a, 5, 2.0, 1e-4, 0.75)[0, 0, 0, 0] == pytest.approx(100 / 4**0.75)
    x, mask = np.array([2.0, 3.0]), np.array([True, False])
    np.testing.assert_array_equal(REFERENCE["dropout_forward"](x, 0.5, mask, True), [4.0, 0.0])
    np.testing.assert_array_equal(REFERENCE["dropout_forward"](x, 0.5, mask, False), x)
    # Two equal logits: each class has probability 1/2, loss ln 2, gradient (1/2 - 1, 1/2).
    loss, dlogits = REFERENCE["softmax_loss"](np.zeros((1, 2)), np.array([0]))
    assert loss == pytest.approx(np.log(2))
    np.testing.assert_allclose(dlogits, [[-0.5, 0.5]])


# --- the references the checks compare with ------------------------------------------------------


def test_float64_lrn_formula_matches_the_kits_layer():
    x = np.random.default_rng(0).uniform(0, 100, size=(2, 3, 3, 9))
    for n, k, alpha, beta in ((5, 2.0, 1e-4, 0.75), (3, 1.0, 1e-3, 0.5)):
        layer = LocalResponseNormalization(n=n, k=k, alpha=alpha, beta=beta)
        got = keras.ops.convert_to_numpy(layer(x.astype("float32")))
        np.testing.assert_allclose(build_it._lrn64(x, n, k, alpha, beta), got, rtol=1e-6)


@pytest.mark.parametrize("name", [name for name in build_it.LAYERS if name.endswith(("backward", "loss"))])
def test_tape_and_numerical_gradients_agree(name):
    # The two references of every backward check agree with each other, so neither can hide a mistake.
    cases = [case for case in build_it.LAYERS[name].cases() if case.numerical]
    assert cases
    for case in cases:
        for out_name, (indices, values) in case.numerical.items():
            tape = np.array([case.expected[out_name][0][index] for index in indices])
            assert np.any(tape != 0)
            np.testing.assert_allclose(tape, values, rtol=case.tolerance, atol=case.tolerance * np.abs(values).max())


# --- the worked solutions pass, wrong functions fail with the right hint --------------------------


def test_solutions_define_every_layer_function_and_the_notebook_checks_each():
    assert sorted(REFERENCE) == sorted(build_it.LAYERS)
    notebook = (ROOT / "notebooks" / "12_build_it_yourself.py").read_text()
    for name in build_it.LAYERS:
        assert f'check_layer("{name}", {name})' in notebook, f"notebook 12 does not check {name}"


@pytest.mark.parametrize("name", list(build_it.LAYERS))
def test_worked_solution_is_right(name, capsys):
    verdict, printed = build_it_verdict(capsys, name, REFERENCE[name])
    assert verdict is True
    assert printed.startswith(f"Right: {name} matches")


def _sol(name):
    return REFERENCE[name]


def _conv_forward_flipped(x, w, b, stride, padding):
    return _sol("conv_forward")(x, w[::-1, ::-1], b, stride, padding)


def _conv_forward_stride_1(x, w, b, stride, padding):
    return _sol("conv_forward")(x, w, b, 1, padding)


def _conv_forward_padding_on_top(x, w, b, stride, padding):
    if padding == "same":
        x = build_it._pad_top_left(x, w, stride)
    return _sol("conv_forward")(x, w, b, stride, "valid")


def _conv_backward_flipped_dw(dout, x, w, b, stride, padding):
    dx, dw, db = _sol("conv_backward")(dout, x, w, b, stride, padding)
    return dx, dw[::-1, ::-1], db


def _conv_backward_db_per_position(dout, x, w, b, stride, padding):
    dx, dw, _ = _sol("conv_backward")(dout, x, w, b, stride, padding)
    return dx, dw, dout.sum(axis=0)


def _maxpool_forward_no_overlap(x, pool, stride):
    return _sol("maxpool_forward")(x, pool, pool)


def _maxpool_backward_assigns(dout, x, pool, stride):
    dx = np.zeros_like(x)
    for i in range(dout.shape[1]):
        for j in range(dout.shape[2]):
            rows, cols = slice(i * stride, i * stride + pool), slice(j * stride, j * stride + pool)
            window = x[:, rows, cols, :]
            is_max = window == window.max(axis=(1, 2), keepdims=True)
            dx[:, rows, cols, :] = np.where(is_max, dout[:, i : i + 1, j : j + 1, :], dx[:, rows, cols, :])
    return dx


def _lrn_window_one_short(x, n, k, alpha, beta):
    channels = x.shape[-1]
    sums = np.stack([np.sum(x[..., max(0, i - n // 2) : i + n // 2] ** 2, axis=-1) for i in range(channels)], axis=-1)
    return x / (k + alpha * sums) ** beta


def _lrn_window_not_clipped(x, n, k, alpha, beta):
    channels = x.shape[-1]
    sums = np.stack([np.sum(x[..., i - n // 2 : i + n // 2 + 1] ** 2, axis=-1) for i in range(channels)], axis=-1)
    return x / (k + alpha * sums) ** beta


def _lrn_backward_own_channel_only(dout, x, n, k, alpha, beta):
    d = k + alpha * build_it._lrn_sums(x, n)
    return dout * (d**-beta - 2 * alpha * beta * x**2 * d ** (-beta - 1))


def _dropout_forward_unscaled(x, p, mask, training):
    return x * mask if training else x


def _dropout_forward_divides_by_p(x, p, mask, training):
    return x * mask / p if training else x


def _dropout_forward_scales_at_inference(x, p, mask, training):
    return x * mask / (1 - p) if training else x * (1 - p)


def _dropout_backward_unscaled(dout, x, p, mask, training):
    return dout * mask if training else dout


def _softmax_loss_naive(logits, labels):
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    n = len(labels)
    dlogits = probabilities.copy()
    dlogits[np.arange(n), labels] -= 1
    return -np.log(probabilities[np.arange(n), labels]).mean(), dlogits / n


def _softmax_loss_log_of_softmax(logits, labels):
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    n = len(labels)
    dlogits = probabilities.copy()
    dlogits[np.arange(n), labels] -= 1
    return -np.log(probabilities[np.arange(n), labels]).mean(), dlogits / n


def _softmax_loss_not_over_n(logits, labels):
    loss, dlogits = _sol("softmax_loss")(logits, labels)
    return loss, dlogits * len(labels)


def _relu_backward_no_dout(dout, x):
    return (x > 0) * 1.0


def _relu_backward_leaks(dout, x):
    return dout.copy()


WRONG = [
    pytest.param("conv_forward", _conv_forward_flipped, r"Likely cause: the kernel is flipped.*Hint: .*cross-correlation", id="conv-flipped"),
    pytest.param("conv_forward", _conv_forward_stride_1, r"stride=2.*the height and width are wrong\. Likely cause: it is the shape for stride 1.*Hint: The window moves by `stride`", id="conv-stride"),
    pytest.param("conv_forward", _conv_forward_padding_on_top, r"padding='same'.*Likely cause: the odd padding row or column is on the wrong side.*Hint: .*at the bottom", id="conv-padding-side"),
    pytest.param("conv_backward", _conv_backward_flipped_dw, r"dw differs.*Likely cause: dw is flipped", id="conv-dw-flipped"),
    pytest.param("conv_backward", _conv_backward_db_per_position, r"returned db of shape \(5, 4, 4\).*Likely cause: db was not summed.*Hint: .*sums dout over the batch, height and width", id="conv-db"),
    pytest.param("maxpool_forward", _maxpool_forward_no_overlap, r"pool=3, stride=2\).*Likely cause: it is the shape for stride = pool.*Hint: .*overlapping", id="pool-stride"),
    pytest.param("maxpool_backward", _maxpool_backward_assigns, r"Likely cause: it is wrong only at inputs that are the maximum of two or more overlapping windows.*Hint: .*\+= instead of =", id="pool-assign"),
    pytest.param("lrn_forward", _lrn_window_one_short, r"Likely cause: its window holds channels i-2 to i\+1, one short at the top.*Hint: .*both included", id="lrn-off-by-one"),
    pytest.param("lrn_forward", _lrn_window_not_clipped, r"Likely cause: it is wrong only in the first or last channels.*Hint: Clip the window", id="lrn-not-clipped"),
    pytest.param("lrn_backward", _lrn_backward_own_channel_only, r"Likely cause: it keeps only each channel's effect on its own output.*Hint: .*neighbours", id="lrn-backward-diagonal"),
    pytest.param("dropout_forward", _dropout_forward_unscaled, r"Likely cause: the kept units are not scaled \(1 / \(1 - p\) is missing\).*Hint: Scale the kept units by 1 / \(1 - p\)", id="dropout-unscaled"),
    pytest.param("dropout_forward", _dropout_forward_divides_by_p, r"p=0\.2.*Likely cause: it divides by p, the drop probability", id="dropout-1-over-p"),
    pytest.param("dropout_forward", _dropout_forward_scales_at_inference, r"training=False.*Likely cause: it scales by 1 - p at inference.*Hint: .*inference is the identity", id="dropout-inference"),
    pytest.param("dropout_backward", _dropout_backward_unscaled, r"dx differs.*Likely cause: the kept units are not scaled", id="dropout-backward-unscaled"),
    pytest.param("softmax_loss", _softmax_loss_naive, r"returned loss with (NaN|inf)\. Likely cause: .*exp\(\) overflows.*Hint: Subtract each row's maximum logit", id="softmax-overflow"),
    pytest.param("softmax_loss", _softmax_loss_log_of_softmax, r"returned loss with inf\. Likely cause: .*log\(0\).*Hint: .*shifted - log\(sum\(exp\(shifted\)\)\)", id="softmax-log-0"),
    pytest.param("softmax_loss", _softmax_loss_not_over_n, r"dlogits differs.*Likely cause: it is N times too large", id="softmax-not-over-n"),
    pytest.param("relu_backward", _relu_backward_no_dout, r"Likely cause: it does not depend on dout.*Hint: Multiply dout", id="relu-no-dout"),
    pytest.param("relu_backward", _relu_backward_leaks, r"Likely cause: it is wrong only where x < 0.*Hint: No gradient flows back", id="relu-leaks"),
]  # fmt: skip


@pytest.mark.parametrize("name, function, regex", WRONG)
def test_wrong_function_fails_with_the_right_hint(name, function, regex, capsys):
    verdict, printed = build_it_verdict(capsys, name, function)
    assert verdict is False
    assert printed.startswith("Not yet: ") and "Hint: " in printed
    assert re.search(regex, printed), printed


def test_a_wrong_function_is_never_shown_the_expected_values(capsys):
    # The only non-integers printed are the relative error; integers are shapes, indices and counts.
    _, printed = build_it_verdict(capsys, "conv_forward", _conv_forward_flipped)
    decimals = re.findall(r"\d+\.\d+(?:e[-+]\d+)?", printed)
    assert decimals == re.findall(r"relative error (\d\.\de[-+]\d+)", printed) and len(decimals) == 1


def test_cases_right_are_counted(capsys):
    # Only the stride-2 and stride-4 cases of conv_forward fail when the stride is ignored.
    _, printed = build_it_verdict(capsys, "conv_forward", _conv_forward_stride_1)
    assert "(2 of 5 cases right)" in printed


# --- functions that are not written, raise, or return the wrong thing -----------------------------


def _stub(*args):
    raise NotImplementedError  # as in the notebook


def _raises(x):
    return x[10, 10, 10, 10]


def _raises_multiline(x):
    raise ValueError("first line\nsecond line")


def _forgets_return(x):
    np.maximum(x, 0)


def _returns_a_tuple(x):
    return np.maximum(x, 0), x


def _returns_a_list(x):
    return np.maximum(x, 0).tolist()


def _returns_float32(x):
    return np.maximum(x, 0).astype(np.float32)


def _returns_integers(x):
    return np.maximum(x, 0).astype(int)


def _changes_x_in_place(x):
    x[x < 0] = 0
    return x


def _changes_dout_in_place(dout, x):
    dout[x <= 0] = 0
    return dout


def _returns_flat(x):
    return np.maximum(x, 0).reshape(-1)


def _conv_backward_two_values(dout, x, w, b, stride, padding):
    return _sol("conv_backward")(dout, x, w, b, stride, padding)[:2]


def _softmax_loss_per_example(logits, labels):
    loss, dlogits = _sol("softmax_loss")(logits, labels)
    return np.full(len(labels), loss), dlogits


BROKEN = [
    pytest.param("conv_forward", _stub, r"^Not yet: conv_forward is not written yet \(it raises NotImplementedError\): replace the `raise` with your code\. Hint: ", id="stub"),
    pytest.param("relu_forward", _raises, r"^Not yet: relu_forward\(x of shape \(2, 4, 5, 3\)\) raised IndexError: index 10 is out of bounds for axis 0 with size 2\. Hint: ", id="raises"),
    pytest.param("relu_forward", _raises_multiline, r"raised ValueError: first line second line\. Hint: ", id="raises-multiline"),
    pytest.param("relu_forward", _forgets_return, r"returned None\. Hint: Did it forget `return`\?", id="none"),
    pytest.param("relu_forward", _returns_a_tuple, r"returned a tuple of 2 values\. Hint: Return only out, a NumPy array", id="tuple"),
    pytest.param("relu_forward", _returns_a_list, r"returned a list of 2 values\. Hint: Return only out", id="list"),
    pytest.param("relu_forward", _returns_float32, r"returned out as float32 \(float32, which loses digits\)\. Hint: The inputs are float64", id="float32"),
    pytest.param("relu_forward", _returns_integers, r"returned out as int64 \(integers: the values are rounded off\)\. Hint: The inputs are float64", id="integers"),
    pytest.param("relu_forward", _changes_x_in_place, r"changed its argument x in place\. Hint: The caller still needs the original x", id="in-place"),
    pytest.param("relu_forward", _returns_flat, r"returned out of shape \(120,\): it has 1 axes, not 4 \(batch, height, width, channels\)", id="shape"),
    pytest.param("conv_backward", _conv_backward_two_values, r"returned 2 values.*Hint: Return 3 values: \(dx, dw, db\)\.", id="two-values"),
    pytest.param("softmax_loss", _softmax_loss_per_example, r"returned the loss as an array of shape \(4,\)\. Likely cause: it holds one loss per example", id="loss-per-example"),
]  # fmt: skip


@pytest.mark.parametrize("name, function, regex", BROKEN)
def test_broken_function_is_reported_in_one_line(name, function, regex, capsys):
    verdict, printed = build_it_verdict(capsys, name, function)
    assert verdict is False
    assert re.search(regex, printed), printed
    assert "Traceback" not in printed


def test_a_backward_pass_may_reuse_dout(capsys):
    verdict, printed = build_it_verdict(capsys, "relu_backward", _changes_dout_in_place)
    assert verdict is True, printed


def test_quiet_check_prints_nothing(capsys):
    assert check_layer("conv_forward", _stub, verbose=False) is False
    assert check_layer("relu_forward", _sol("relu_forward"), verbose=False) is True
    assert capsys.readouterr().out == ""


# --- bad input to check_layer and load_solutions ------------------------------------------------


def _no_code_blocks(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("# Solutions\n\n```py\nprint('not run')\n```\n")
    return path


CASES = [
    pytest.param(lambda tmp: check_layer(3, _stub), TypeError, r"check_layer needs the function's name as a string, e.g\. 'conv_forward'\. Valid names: relu_forward, .*Received: name=3", id="name-not-a-string"),
    pytest.param(lambda tmp: check_layer("conv_forwards", _stub), ValueError, r"Unknown layer function 'conv_forwards'\. Valid names: relu_forward, relu_backward, conv_forward, ", id="unknown-name"),
    pytest.param(lambda tmp: check_layer("relu_forward", np.zeros((2, 3))), TypeError, r"needs your function itself, e\.g\. check_layer\('relu_forward', relu_forward\), not the result of calling it\. Received: function=an array of shape \(2, 3\)", id="result-not-function"),
    pytest.param(lambda tmp: check_layer("relu_forward", None), TypeError, r"needs your function itself.*Received: function=None", id="function-none"),
    pytest.param(lambda tmp: load_solutions(tmp / "missing.md"), FileNotFoundError, r"No solutions file at .*missing\.md.*: pass the path of solutions/12_build_it_yourself\.md relative to the current folder", id="solutions-missing"),
    pytest.param(lambda tmp: load_solutions(_no_code_blocks(tmp)), ValueError, r"empty\.md has no ```python code blocks: fence the worked solutions as ```python\. Received: path=", id="solutions-no-blocks"),
]  # fmt: skip


@pytest.mark.parametrize("call, error, regex", CASES)
def test_bad_input_gets_a_one_line_error(call, error, regex, tmp_path):
    with pytest.raises(error) as raised:
        call(tmp_path)
    message = str(raised.value)
    assert re.search(regex, message), message
    assert "\n" not in message


def test_load_solutions_runs_only_python_blocks(tmp_path):
    path = tmp_path / "solutions.md"
    path.write_text(
        "```python\nimport numpy as np\n\n\ndef relu_forward(x):\n    return np.maximum(x, 0)\n```\n\n"
        "```py\nraise RuntimeError('an exercise snippet: shown, not run')\n```\n"
    )
    functions = load_solutions(path)
    assert list(functions) == ["relu_forward"]
    np.testing.assert_array_equal(functions["relu_forward"](np.array([-1.0, 2.0])), [0.0, 2.0])
