import fractions

import keras
import pytest

from alexnet_edu import build_alexnet, compare_models, conv_output_size, cost_split, layer_table
from alexnet_edu.models import PRECISIONS


def test_seed_macs_match_hand_computation(seed_model):
    table = layer_table(seed_model).set_index("layer")
    # out_h * out_w * out_c * (k_h * k_w * in_c), written out by hand.
    assert table.macs["conv1"] == 54 * 54 * 96 * 11 * 11 * 3
    assert table.macs["conv2"] == 26 * 26 * 256 * 5 * 5 * 96
    assert table.macs["conv4"] == 12 * 12 * 384 * 3 * 3 * 384
    assert table.macs["fc6"] == 6400 * 4096
    split = cost_split(table)
    assert split.macs["conv"] == 962_858_112  # 962.9 M
    assert split.macs["fc"] == 43_089_920  # 43.1 M
    assert split.macs_pct["conv"] == pytest.approx(95.7, abs=0.05)
    assert split.params_pct["fc"] == pytest.approx(92.0, abs=0.05)


def test_paper_grouped_macs(paper_model):
    table = layer_table(paper_model).set_index("layer")
    # Each tower's conv2 sees 48 of the 96 channels.
    assert table.macs["conv2"] == 27 * 27 * 256 * 5 * 5 * 48
    split = cost_split(table)
    assert split.params["total"] == 60_965_224
    assert round(split.macs["conv"] / 1e6, 1) == 665.8
    assert round(split.macs["fc"] / 1e6, 1) == 58.6


@pytest.mark.parametrize(
    "knobs",
    [dict(preset="seed"), dict(preset="mini", groups=2), dict(preset="mini", normalization="lrn", dropout=0.0)],
)
def test_params_match_keras_count(knobs):
    model = build_alexnet(**knobs)
    table = layer_table(model)
    assert table.params.sum() == model.count_params()
    assert table.non_trainable.sum() == sum(keras.ops.size(w) for w in model.non_trainable_weights)
    assert (table.weights + table.biases + table.non_trainable == table.params).all()
    assert table.params_pct.sum() == pytest.approx(100)


def test_weights_and_biases_split(seed_model):
    row = layer_table(seed_model).set_index("layer").loc["conv2"]
    assert (row.weights, row.biases) == (5 * 5 * 96 * 256, 256)
    norm = layer_table(seed_model).set_index("layer").loc["norm1"]
    assert (norm.weights, norm.biases, norm.non_trainable) == (96, 96, 192)


def test_receptive_field_and_jump(seed_model):
    table = layer_table(seed_model).set_index("layer")
    assert (table.receptive_field["conv1"], table.jump["conv1"]) == (11, 4)
    assert (table.receptive_field["pool1"], table.jump["pool1"]) == (11 + 2 * 4, 8)
    assert (table.receptive_field["conv2"], table.jump["conv2"]) == (19 + 4 * 8, 8)
    assert table.receptive_field["pool5"] == 195
    assert table.receptive_field["fc6"] == 224


def test_activation_memory(seed_model):
    table = layer_table(seed_model).set_index("layer")
    bytes_per_value = 4 if seed_model.get_layer("conv1").compute_dtype == "float32" else 2
    assert table.activation_kib["conv1"] == 54 * 54 * 96 * bytes_per_value / 1024
    assert table.output_shape["pool5"] == (5, 5, 256)


def test_activation_memory_counts_the_bytes_of_the_compute_dtype():
    # Mixed precision stores activations in 16 bits: half the memory of float32.
    tables = {precision: layer_table(build_alexnet("mini", precision=precision)).set_index("layer") for precision in PRECISIONS[1:]}
    assert tables["float32"].activation_kib["conv1"] == 32 * 32 * 24 * 4 / 1024
    assert tables["mixed_bfloat16"].activation_kib["conv1"] == tables["float32"].activation_kib["conv1"] / 2
    assert tables["mixed_float16"].activation_kib["conv1"] == tables["float32"].activation_kib["conv1"] / 2
    assert tables["mixed_bfloat16"].activation_kib["fc8"] == tables["float32"].activation_kib["fc8"]  # the softmax stays float32


def test_compare_models(seed_model, paper_model):
    table = compare_models({"seed": seed_model, "paper": paper_model})
    assert list(table.index) == ["seed", "paper"]
    assert table.params["paper"] == 60_965_224
    assert table.conv_params["seed"] + table.fc_params["seed"] + 1408 == 46_846_744


def test_conv_output_size_explains_224_vs_227():
    puzzle = conv_output_size(224, 11, stride=4)
    assert (puzzle.exact, puzzle.size, puzzle.fits) == (fractions.Fraction(217, 4), 54, False)
    assert "54.25" in str(puzzle) and "not an integer" in str(puzzle)
    paper = conv_output_size(227, 11, stride=4)
    assert (paper.size, paper.fits) == (55, True)
    assert conv_output_size(27, 5, padding=2).size == 27
    assert conv_output_size(55, 3, stride=2).size == 27


def test_conv_output_size_same_padding_matches_keras():
    for size, kernel, stride in ((224, 11, 4), (27, 5, 1), (13, 3, 2)):
        layer = keras.layers.Conv2D(1, kernel, strides=stride, padding="same")
        expected = layer.compute_output_shape((None, size, size, 1))[1]
        assert conv_output_size(size, kernel, stride, "same").size == expected


def test_gradient_norms_match_the_softmax_regression_gradient():
    import numpy as np

    from alexnet_edu.inspect import gradient_norms

    inputs = keras.Input((5,))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax", name="dense")(inputs))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 5)).astype("float32")
    y = rng.integers(0, 3, size=8)
    logits = x @ np.asarray(model.get_layer("dense").kernel) + np.asarray(model.get_layer("dense").bias)
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = x.T @ (probabilities - np.eye(3)[y]) / len(x)  # d(mean cross-entropy)/d(kernel)
    norms = gradient_norms(model, x, y)
    assert list(norms.index) == ["dense"]
    assert norms.gradient_rms["dense"] == pytest.approx(np.sqrt(np.mean(expected**2)), rel=1e-4)
    assert norms.ratio["dense"] == pytest.approx(norms.gradient_rms["dense"] / norms.kernel_rms["dense"])


def test_gradient_norms_are_a_training_steps_and_leave_the_model_as_it_was():
    import numpy as np
    import tensorflow as tf

    from alexnet_edu.inspect import gradient_norms

    keras.utils.set_random_seed(0)
    model = build_alexnet("mini", input_shape=(32, 32, 3), num_classes=4, width=0.125)
    images = np.random.default_rng(0).random((8, 32, 32, 3), dtype="float32")
    labels = np.arange(8) % 4
    state = [variable.numpy() for variable in model.non_trainable_variables]  # BatchNorm's statistics, dropout's seeds
    norms = gradient_norms(model, images, labels)
    for variable, value in zip(model.non_trainable_variables, state):
        np.testing.assert_array_equal(variable.numpy(), value)
    # The same numbers again (the dropout masks come from the restored seeds).
    np.testing.assert_array_equal(gradient_norms(model, images, labels).gradient_rms, norms.gradient_rms)

    def conv1_gradient_rms(training):
        with tf.GradientTape() as tape:
            loss = keras.losses.SparseCategoricalCrossentropy()(labels, model(images, training=training))
        return float(np.sqrt(np.mean(np.square(tape.gradient(loss, model.get_layer("conv1").kernel.value)))))

    assert norms.gradient_rms["conv1"] == pytest.approx(conv1_gradient_rms(training=True), rel=1e-4)
    # In inference mode an untrained BatchNorm passes its input unchanged: another gradient altogether.
    assert norms.gradient_rms["conv1"] != pytest.approx(conv1_gradient_rms(training=False), rel=0.05)


def test_gradient_norms_of_mixed_float16_scale_the_loss_as_training_does():
    import numpy as np

    from alexnet_edu.inspect import gradient_norms

    # A sigmoid network's conv1 gradient (~1e-7) is below float16's smallest normal number (6e-5).
    keras.utils.set_random_seed(0)
    knobs = dict(num_classes=10, input_shape=(32, 32, 3), width=0.25, activation="sigmoid", normalization="none", dropout=0.0)
    half = build_alexnet("mini", precision="mixed_float16", **knobs)
    twin = build_alexnet("mini", precision="float32", **knobs)
    twin.set_weights(half.get_weights())
    images = np.random.default_rng(0).random((16, 32, 32, 3), dtype="float32")
    labels = np.arange(16) % 10
    expected = gradient_norms(twin, images, labels).gradient_rms
    assert expected["conv1"] < 1e-6
    np.testing.assert_allclose(gradient_norms(half, images, labels).gradient_rms, expected, rtol=0.03)

    # Gradients of ~1,000 would overflow float16 at the starting scale: it is halved until none does.
    inputs = keras.Input((5,))
    logits = keras.layers.Dense(3, name="dense", dtype="mixed_float16")(inputs)
    wide = keras.Model(inputs, keras.layers.Activation("softmax", dtype="float32")(logits))
    x = np.random.default_rng(1).normal(size=(8, 5)).astype("float32") * 1000
    y = np.arange(8) % 3
    reference = keras.Model(inputs, keras.layers.Activation("softmax")(keras.layers.Dense(3, name="dense")(inputs)))
    reference.set_weights(wide.get_weights())
    assert gradient_norms(reference, x, y).gradient_rms["dense"] > 100
    assert gradient_norms(wide, x, y).gradient_rms["dense"] == pytest.approx(gradient_norms(reference, x, y).gradient_rms["dense"], rel=0.01)


def test_gradient_norms_need_a_layer_with_a_kernel():
    from alexnet_edu.inspect import gradient_norms

    inputs = keras.Input((4,))
    with pytest.raises(ValueError, match="has no layer with a kernel"):
        gradient_norms(keras.Model(inputs, keras.layers.Softmax()(inputs)), [[0.0] * 4], [0])
