import math

import keras
import numpy as np
import pandas as pd
import pytest
from keras import layers

from alexnet_edu.data import arrays_to_data
from alexnet_edu.diagnostics import (
    DIVERGENCE_FACTOR,
    Diagnosis,
    best_learning_rate,
    dead_units,
    diagnose,
    diagnosis_table,
    initial_loss,
    learning_rate_range,
    overfit_batch,
    with_shuffled_labels,
)
from alexnet_edu.train import compile_for

CLASSES = ("a", "b", "c", "d")


@pytest.fixture(scope="module")
def tiny_data():
    # Class = which quarter of the image is bright: learnable by a linear model.
    rng = np.random.default_rng(0)
    x = rng.integers(0, 60, size=(96, 8, 8, 3)).astype("uint8")
    y = np.arange(96) % 4
    for label, (rows, cols) in enumerate([(slice(0, 4), slice(0, 4)), (slice(0, 4), slice(4, 8)),
                                          (slice(4, 8), slice(0, 4)), (slice(4, 8), slice(4, 8))]):  # fmt: skip
        x[y == label, rows, cols] += 150
    return arrays_to_data(x[:64], y[:64], x[64:], y[64:], CLASSES, batch_size=16)


def linear_model(kernel_initializer="glorot_uniform", name="linear"):
    inputs = keras.Input((8, 8, 3))
    x = layers.Flatten()(inputs)
    outputs = layers.Dense(4, activation="softmax", kernel_initializer=kernel_initializer, name="fc")(x)
    return keras.Model(inputs, outputs, name=name)


def relu_model():
    inputs = keras.Input((8, 8, 3))
    x = layers.Conv2D(2, 3, activation="relu", name="conv1")(inputs)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(3, activation="relu", name="fc6")(x)
    outputs = layers.Dense(4, activation="softmax", name="fc8")(x)
    return keras.Model(inputs, outputs)


def test_initial_loss_of_an_even_guess_is_ln_c(tiny_data):
    loss, expected = initial_loss(linear_model("zeros"), tiny_data)
    assert expected == pytest.approx(math.log(4))
    assert loss == pytest.approx(math.log(4), rel=1e-6)


def test_initial_loss_of_large_weights_is_far_above_ln_c(tiny_data):
    large = keras.initializers.RandomNormal(stddev=10.0, seed=0)
    loss, expected = initial_loss(linear_model(large), tiny_data)
    assert loss > 3 * expected


def test_overfit_batch_learns_one_batch_by_heart(tiny_data):
    curve = overfit_batch(linear_model(), tiny_data, steps=60, batch_size=16, learning_rate=0.05)
    assert list(curve.columns) == ["loss", "accuracy"]
    assert list(curve.index) == list(range(1, 61))
    assert curve["accuracy"].iloc[-1] == 1.0
    assert curve["loss"].iloc[-1] < 0.1 * curve["loss"].iloc[0]


def test_overfit_batch_with_a_tiny_rate_does_not(tiny_data):
    curve = overfit_batch(linear_model("zeros"), tiny_data, steps=20, batch_size=16, learning_rate=1e-7)
    assert curve["loss"].iloc[-1] == pytest.approx(math.log(4), rel=1e-3)


def test_learning_rate_range_rises_geometrically_and_stops_at_divergence(tiny_data):
    # Shuffled labels cannot be fitted: huge steps overshoot and the loss explodes.
    curve = learning_rate_range(linear_model(), with_shuffled_labels(tiny_data), start=1e-4, stop=1e4, steps=40, recipe="sgd")
    rates = curve["learning_rate"].to_numpy()
    assert rates[0] == pytest.approx(1e-4)
    assert np.allclose(rates[1:] / rates[:-1], (1e8) ** (1 / 39))
    # SGD at rates up to 1e4 blows up: the test stops before the last step, once the loss has exploded.
    assert len(curve) < 40
    assert curve["smoothed"].iloc[-1] > DIVERGENCE_FACTOR * curve["smoothed"].min() or not np.isfinite(curve["loss"]).all()


def test_learning_rate_range_smoothing_is_a_bias_corrected_average(tiny_data):
    curve = learning_rate_range(linear_model(), tiny_data, start=1e-5, stop=1e-4, steps=5, smoothing=0.5)
    losses = curve["loss"].to_numpy()
    expected = [(0.5 * losses[0]) / 0.5, (0.25 * losses[0] + 0.5 * losses[1]) / 0.75]
    assert curve["smoothed"].iloc[:2].to_numpy() == pytest.approx(expected)


def test_best_learning_rate_reads_the_bottom_of_the_curve():
    curve = pd.DataFrame({"learning_rate": [1e-4, 1e-3, 1e-2, 1e-1], "smoothed": [2.3, 1.9, 1.2, 5.0]})
    assert best_learning_rate(curve) == pytest.approx(1e-2)


def test_best_learning_rate_is_none_when_no_rate_lowers_the_loss():
    curve = pd.DataFrame({"learning_rate": [1e-4, 1e-3, 1e-2, 1e-1], "smoothed": [2.3, 2.25, 2.2, 9.0]})
    assert best_learning_rate(curve) is None


def test_dead_units_counts_channels_that_are_zero_for_every_image():
    model = relu_model()
    conv = model.get_layer("conv1")
    kernel = np.zeros(conv.kernel.shape, "float32")
    kernel[..., 1] = 1.0  # channel 1 sums positive pixels: alive; channel 0 is bias -1 only: dead.
    conv.set_weights([kernel, np.array([-1.0, 0.0], "float32")])
    fc6 = model.get_layer("fc6")
    fc6_kernel = np.zeros(fc6.kernel.shape, "float32")
    fc6_kernel[:, 0] = 1.0
    fc6.set_weights([fc6_kernel, np.array([0.0, -1.0, -2.0], "float32")])
    images = np.random.default_rng(0).uniform(0.1, 1.0, size=(5, 8, 8, 3)).astype("float32")
    shares = dead_units(model, images)
    assert list(shares.index) == ["conv1", "fc6"]
    assert shares["conv1"] == pytest.approx(0.5)
    assert shares["fc6"] == pytest.approx(2 / 3)


def test_dead_units_needs_relu_layers():
    with pytest.raises(ValueError, match="no conv or dense layer with a ReLU"):
        dead_units(linear_model(), np.zeros((2, 8, 8, 3), "float32"))


def build_relu():
    return relu_model()


def test_diagnose_runs_every_check_and_repeats_with_a_seed(tiny_data):
    first = diagnose(build_relu, tiny_data, learning_rate=0.01, epochs=2, name="tiny", overfit_steps=10, range_steps=10)
    second = diagnose(build_relu, tiny_data, learning_rate=0.01, epochs=2, name="tiny", overfit_steps=10, range_steps=10)
    assert isinstance(first, Diagnosis) and first.name == "tiny"
    assert first.initial_loss == second.initial_loss
    pd.testing.assert_frame_equal(first.overfit, second.overfit)
    pd.testing.assert_series_equal(first.layers["gradient_rms"], second.layers["gradient_rms"])
    assert list(first.layers.index) == ["conv1", "fc6", "fc8"]
    assert list(first.layers.columns) == ["gradient_rms", "ratio", "dead_before", "dead_after"]
    assert np.isnan(first.layers.loc["fc8", "dead_after"])
    assert list(first.history.index) == [1, 2]
    checks = first.checks()
    assert list(checks.index) == ["initial loss", "overfit one batch", "learning rate", "weakest gradient", "dead ReLUs", "learns"]
    assert checks["ok"].map(type).eq(bool).all()


def fresh_tiny_data():
    # A new pipeline, so that two runs read the training batches in the same order.
    rng = np.random.default_rng(1)
    x = rng.integers(0, 255, size=(48, 8, 8, 3)).astype("uint8")
    y = np.arange(48) % 4
    return arrays_to_data(x[:32], y[:32], x[32:], y[32:], CLASSES, batch_size=16)


def test_diagnose_restarts_one_model_as_if_each_check_had_a_fresh_one():
    diagnosis = diagnose(build_relu, fresh_tiny_data(), learning_rate=0.01, epochs=2, overfit_steps=6, range_steps=8)

    data = fresh_tiny_data()

    def fresh():
        keras.utils.set_random_seed(0)
        return build_relu()

    pd.testing.assert_frame_equal(diagnosis.overfit, overfit_batch(fresh(), data, steps=6, learning_rate=0.01), rtol=1e-5)
    pd.testing.assert_frame_equal(diagnosis.lr_range, learning_rate_range(fresh(), data, steps=8), rtol=1e-5)
    model = fresh()
    compile_for(model, "adam", 0.01, total_steps=2 * 2)  # the schedule: 2 epochs of 2 batches
    history = model.fit(data.train, validation_data=data.validation, epochs=2, verbose=0).history
    np.testing.assert_allclose(diagnosis.history["loss"], history["loss"], rtol=1e-5)
    np.testing.assert_allclose(diagnosis.history["val_accuracy"], history["val_accuracy"])


def test_diagnose_restarts_a_mixed_float16_model_with_its_loss_scale():
    def build_half():
        inputs = keras.Input((8, 8, 3))
        x = layers.Conv2D(2, 3, activation="relu", name="conv1", dtype="mixed_float16")(inputs)
        x = layers.Flatten(name="flatten", dtype="mixed_float16")(x)
        x = layers.Dense(3, activation="relu", name="fc6", dtype="mixed_float16")(x)
        return keras.Model(inputs, layers.Dense(4, activation="softmax", name="fc8")(x))

    diagnosis = diagnose(build_half, fresh_tiny_data(), learning_rate=0.01, epochs=2, overfit_steps=6, range_steps=8)
    keras.utils.set_random_seed(0)
    model = build_half()
    compile_for(model, "adam", 0.01, total_steps=2 * 2)
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    history = model.fit(fresh_tiny_data().train, epochs=2, verbose=0).history
    np.testing.assert_allclose(diagnosis.history["loss"], history["loss"], rtol=1e-2)  # float16 keeps 3 digits


def test_diagnose_flags_a_divergent_learning_rate(tiny_data):
    diagnosis = diagnose(build_relu, tiny_data, learning_rate=1e30, recipe="sgd", epochs=2, overfit_steps=5, range_steps=10)
    checks = diagnosis.checks()
    assert diagnosis.diverged
    assert not checks.loc["learns", "ok"]
    assert checks.loc["learns", "measured"] == "diverged"
    assert not checks.loc["learning rate", "ok"]


def test_checks_read_each_measurement_against_its_rule():
    layers_table = pd.DataFrame(
        {"gradient_rms": [1e-3, 1e-2], "ratio": [1e-5, 1e-1], "dead_before": [0.0, 0.1], "dead_after": [0.9, 0.1]},
        index=["conv1", "fc8"],
    )
    diagnosis = Diagnosis(
        name="broken", learning_rate=0.5, recipe="adam", initial_loss=9.0, expected_loss=math.log(10),
        overfit=pd.DataFrame({"loss": [2.3, 2.2], "accuracy": [0.1, 0.5]}),
        lr_range=pd.DataFrame({"learning_rate": [1e-3, 1e-2], "smoothed": [2.3, 1.0]}),
        best_learning_rate=1e-2, layers=layers_table,
        history=pd.DataFrame({"loss": [2.3], "accuracy": [0.1], "val_loss": [2.3], "val_accuracy": [0.1]}),
        diverged=False,
    )  # fmt: skip
    checks = diagnosis.checks()
    assert not checks["ok"].any()
    assert checks.loc["dead ReLUs", "measured"].startswith("+90 points")
    table = diagnosis_table([diagnosis])
    assert list(table.index) == ["broken"]
    assert table.loc["broken", "initial loss"] == "9.00 ✗"


def test_with_shuffled_labels_keeps_the_images_and_the_label_counts(tiny_data):
    shuffled = with_shuffled_labels(tiny_data, seed=3)
    assert (shuffled.num_train, shuffled.num_validation, shuffled.class_names) == (64, 32, CLASSES)

    def pairs(dataset):
        images, labels = zip(*((x.numpy(), y.numpy()) for x, y in dataset))
        return np.concatenate(images), np.concatenate(labels)

    original_images, original_labels = pairs(tiny_data.train)
    images, labels = pairs(shuffled.train)
    order, original_order = np.lexsort(images.reshape(64, -1).T), np.lexsort(original_images.reshape(64, -1).T)
    assert np.array_equal(images[order], original_images[original_order])
    assert np.array_equal(np.bincount(labels), np.bincount(original_labels))
    assert np.mean(labels[order] == original_labels[original_order]) < 0.6
    validation = pairs(shuffled.validation)[1]
    assert np.array_equal(validation, pairs(tiny_data.validation)[1])


def test_diagnose_refuses_what_is_not_a_builder(tiny_data):
    with pytest.raises(TypeError, match="build must be a function that returns a new model"):
        diagnose(relu_model(), tiny_data)
    with pytest.raises(TypeError, match=r"build\(\) must return a Keras model\. Received: str"):
        diagnose(lambda: "model", tiny_data)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(start=1e-2, stop=1e-3), r"start must be below stop .* Received: start=0.01, stop=0.001"),
        (dict(smoothing=1.0), r"smoothing must be a number from 0 up to \(not including\) 1, e.g. 0.9. Received: smoothing=1.0"),
        (dict(steps=1), r"steps"),
        (dict(recipe="rmsprop"), r"Valid recipes"),
    ],
)
def test_learning_rate_range_refuses_bad_arguments(tiny_data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        learning_rate_range(linear_model(), tiny_data, **kwargs)


def test_diagnosis_table_refuses_other_things():
    with pytest.raises(ValueError, match="non-empty list of Diagnosis"):
        diagnosis_table([])
    with pytest.raises(ValueError, match="non-empty list of Diagnosis"):
        diagnosis_table(["healthy"])


def test_best_learning_rate_refuses_other_things():
    with pytest.raises(ValueError, match="curve must be the DataFrame that learning_rate_range returns"):
        best_learning_rate([1, 2, 3])
