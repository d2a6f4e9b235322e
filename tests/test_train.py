import dataclasses
import time

import keras
import numpy as np
import pytest
import tensorflow as tf

from alexnet_edu import build_alexnet
from alexnet_edu.data import arrays_to_data
from alexnet_edu.train import (
    Evaluation,
    PaperSGD,
    SparseCrossentropyWithSmoothing,
    check_model_fits_data,
    compile_for,
    estimate_training_time,
    evaluate,
    train,
)


@pytest.fixture(scope="module")
def tiny_data():
    # Class = which image half is bright: learnable in a few epochs.
    rng = np.random.default_rng(0)
    x = rng.integers(0, 60, size=(96, 32, 32, 3)).astype("uint8")
    y = np.arange(96) % 2
    x[y == 0, :16] += 150
    x[y == 1, 16:] += 150
    return arrays_to_data(x[:64], y[:64], x[64:], y[64:], ("top", "bottom"), batch_size=16)


def test_train_learns_and_checkpoints(tiny_data, tmp_path):
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), dropout=0.0)
    path = tmp_path / "checkpoints" / "mini.keras"
    history = train(model, tiny_data, epochs=6, checkpoint_path=path, tensorboard_dir=tmp_path / "logs", verbose=0)
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert max(history.history["val_accuracy"]) >= 0.9
    loaded = keras.models.load_model(path, safe_mode=True)
    assert loaded.count_params() == model.count_params()
    assert any((tmp_path / "logs").rglob("*tfevents*"))


def test_a_cell_run_twice_trains_on_the_same_batches(tiny_data):
    def one_run():
        keras.utils.set_random_seed(0)
        model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), width=0.25)
        estimate_training_time(model, tiny_data, steps=2)
        return train(model, tiny_data, epochs=2, verbose=0).history["loss"]

    np.testing.assert_allclose(one_run(), one_run(), rtol=1e-5)

def test_paper_recipe_is_the_papers():
    model = build_alexnet("mini", num_classes=10)
    compile_for(model, "paper")
    optimizer = model.optimizer
    assert isinstance(optimizer, PaperSGD) and optimizer.weight_decay is None
    assert (float(optimizer.learning_rate), optimizer.momentum, optimizer.l2_decay) == (pytest.approx(0.01), 0.9, 5e-4)


def test_paper_sgd_decays_the_kernels_inside_the_momentum():
    # Section 5: v <- 0.9 v - 0.0005 lr w - lr dL/dw, w <- w + v. With no gradient only the decay moves w.
    kernel, bias = keras.Variable(np.ones(3, "float32"), name="kernel"), keras.Variable(np.ones(3, "float32"), name="bias")
    optimizer = PaperSGD(learning_rate=0.1, l2_decay=0.5)
    weight, velocity = 1.0, 0.0
    for _ in range(20):
        optimizer.apply_gradients([(np.zeros(3, "float32"), kernel), (np.zeros(3, "float32"), bias)])
        velocity = 0.9 * velocity - 0.5 * 0.1 * weight
        weight += velocity
    np.testing.assert_allclose(kernel.numpy(), weight, rtol=1e-5)
    np.testing.assert_array_equal(bias.numpy(), 1.0)  # biases do not decay, as in Caffe's AlexNet
    decoupled = keras.Variable(np.ones(3, "float32"), name="kernel")
    keras_sgd = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, weight_decay=0.5)
    for _ in range(20):
        keras_sgd.apply_gradients([(np.zeros(3, "float32"), decoupled)])
    assert abs(weight) < 0.2 < decoupled.numpy()[0]  # Keras's decay, outside the momentum, is far weaker
    with pytest.raises(ValueError, match=r"l2_decay must be a number in \[0, 1\).*Received: l2_decay=-1"):
        PaperSGD(l2_decay=-1)


def test_paper_recipe_divides_the_learning_rate(tiny_data):
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3))
    # A frozen model's validation loss cannot improve: the plateau rule must fire.
    model.trainable = False
    history = train(model, tiny_data, epochs=3, recipe="paper", patience=0, verbose=0)
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.01, 0.001], rel=1e-5)


def test_estimate_leaves_the_model_untouched(tiny_data):
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3))
    before = [w.copy() for w in model.get_weights()]
    estimate = estimate_training_time(model, tiny_data, epochs=20, steps=2)
    assert estimate.steps_per_epoch == 4 and estimate.images_per_epoch == 64
    assert estimate.seconds_per_step > 0
    assert 0 < estimate.validation_seconds < estimate.seconds_per_step * 4
    assert estimate.total_seconds == pytest.approx((estimate.seconds_per_step * 4 + estimate.validation_seconds) * 20)
    assert "20 epochs take ~" in str(estimate)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    scaled = estimate_training_time(model, tiny_data, epochs=1, steps=1, images_per_epoch=60_000)
    assert (scaled.steps_per_epoch, scaled.images_per_epoch) == (3750, 60_000)
    assert str(scaled).endswith("per epoch of 60,000 images (" + f"{scaled.images_per_second:,.0f} images/s).")
    assert not model.compiled


def test_estimate_takes_the_median_step(tiny_data, monkeypatch):
    # One step slowed by the machine (2 s) must not set the estimate: a mean of 5 steps would read >= 0.4 s.
    clone_model = keras.models.clone_model

    def clone_with_one_slow_step(model):
        clone = clone_model(model)
        train_on_batch, calls = clone.train_on_batch, []

        def step(*args, **kwargs):
            calls.append(None)
            if len(calls) == 3:
                time.sleep(2.0)
            return train_on_batch(*args, **kwargs)

        clone.train_on_batch = step
        return clone

    monkeypatch.setattr(keras.models, "clone_model", clone_with_one_slow_step)
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3))
    estimate = estimate_training_time(model, tiny_data, epochs=1, steps=5)
    assert 0 < estimate.seconds_per_step < 0.3


def test_evaluate_counts():
    # A fixed "model": predicts class = argmax of the mean colour channel.
    inputs = keras.Input((4, 4, 3))
    outputs = keras.layers.Softmax()(keras.layers.GlobalAveragePooling2D()(inputs) * 100)
    model = keras.Model(inputs, outputs)
    images = np.zeros((6, 4, 4, 3), "float32")
    predicted = np.array([0, 1, 2, 2, 1, 0])
    images[np.arange(6), ..., predicted] = 1
    labels = np.array([0, 1, 2, 0, 0, 0])
    data = arrays_to_data(images.astype("uint8"), labels, images.astype("uint8"), labels, ("r", "g", "b"), batch_size=4)
    result = evaluate(model, data.validation, data.class_names)
    assert isinstance(result, Evaluation)
    assert result.accuracy == pytest.approx(4 / 6)
    assert result.top5 == 1.0
    np.testing.assert_array_equal(result.confusion, [[2, 1, 1], [0, 1, 0], [0, 0, 1]])
    assert result.per_class_accuracy.to_dict() == {"r": 0.5, "g": 1.0, "b": 1.0}


def test_label_smoothing_is_cross_entropy_against_smoothed_one_hot_targets():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], dtype="float32")
    labels = np.array([0, 2])
    smoothing = 0.3
    targets = np.full((2, 3), smoothing / 3) + (1 - smoothing) * np.eye(3)[labels]
    expected = np.mean(-(targets * np.log(probabilities)).sum(axis=1))
    loss = SparseCrossentropyWithSmoothing(label_smoothing=smoothing)
    assert float(loss(labels, probabilities)) == pytest.approx(expected, rel=1e-5)
    assert float(loss(labels[:, None], probabilities)) == pytest.approx(expected, rel=1e-5), "labels of shape (batch, 1)"
    plain = keras.losses.SparseCategoricalCrossentropy()(labels, probabilities)
    assert float(SparseCrossentropyWithSmoothing(label_smoothing=0.0)(labels, probabilities)) == pytest.approx(float(plain), rel=1e-5)
    restored = SparseCrossentropyWithSmoothing.from_config(loss.get_config())
    assert restored.label_smoothing == smoothing


@pytest.mark.parametrize("value", [-0.1, 1.0, "0.1", True])
def test_label_smoothing_refuses_values_outside_0_to_1(value):
    with pytest.raises(ValueError, match=r"label_smoothing must be a number in \[0, 1\)"):
        SparseCrossentropyWithSmoothing(label_smoothing=value)


def test_train_with_label_smoothing_says_so_and_the_checkpoint_reloads(tiny_data, tmp_path, capsys):
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), width=0.125, dropout=0.0)
    path = tmp_path / "smoothed.keras"
    history = train(model, tiny_data, epochs=2, label_smoothing=0.1, checkpoint_path=path, verbose=0)
    assert "label smoothing 0.1)" in capsys.readouterr().out
    assert isinstance(model.loss, SparseCrossentropyWithSmoothing) and model.loss.label_smoothing == 0.1
    assert history.history["loss"][-1] < history.history["loss"][0]
    loaded = keras.models.load_model(path)
    assert loaded.loss.label_smoothing == 0.1


def test_check_model_fits_data_accepts_a_match(tiny_data):
    check_model_fits_data(build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3)), tiny_data)


def test_train_says_what_it_chose(tiny_data, capsys):
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), width=0.125, precision="mixed_float16")
    train(model, tiny_data, epochs=1, verbose=0)
    printed = capsys.readouterr().out
    assert "on the CPU: 64 images in batches of 16, 1 epochs, recipe 'adam' (Adam, lr 0.001 with" in printed
    assert "tf.data autotuner off (it stalls epochs), XLA off (slower on CPU)" in printed
    assert "mixed precision (mixed_float16, softmax in float32)" in printed
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), width=0.125, precision="float32")
    train(model, tiny_data, epochs=1, learning_rate=2e-3, verbose=0)
    printed = capsys.readouterr().out
    assert "recipe 'adam' (Adam, lr 0.002 with" in printed, "the rate the run uses, not the recipe's default"
    assert printed.rstrip().endswith("XLA off (slower on CPU), float32.")
    model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), width=0.125, precision="mixed_bfloat16")
    train(model, tiny_data, epochs=1, verbose=0)
    assert capsys.readouterr().out.rstrip().endswith("XLA off (slower on CPU), mixed precision (mixed_bfloat16, softmax in float32).")


def test_train_turns_off_the_autotuner_of_any_pipeline(tiny_data, monkeypatch):
    autotuned = tf.data.Options()
    autotuned.autotune.enabled = True
    own = dataclasses.replace(
        tiny_data, train=tiny_data.train.with_options(autotuned), validation=tiny_data.validation.with_options(autotuned)
    )
    assert own.train.options().autotune.enabled
    received = {}
    monkeypatch.setattr(keras.Model, "fit", lambda self, x, validation_data, **kwargs: received.update(x=x, v=validation_data))
    train(build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), width=0.125), own, epochs=1, verbose=0)
    assert not received["x"].options().autotune.enabled
    assert not received["v"].options().autotune.enabled


def test_mixed_float16_models_train_with_loss_scaling(tiny_data):
    # Keras scales the loss only under a model-wide float16 policy; the kit sets policies per layer.
    keras.utils.set_random_seed(0)
    half = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), width=0.125, precision="mixed_float16")
    compile_for(half, "adam", 1e-3, total_steps=8)
    assert isinstance(half.optimizer, keras.optimizers.LossScaleOptimizer)
    before = half.get_layer("fc8").kernel.numpy()
    history = half.fit(tiny_data.train, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"])) and not np.allclose(half.get_layer("fc8").kernel.numpy(), before)
    assert half.optimizer.dynamic_scale.numpy() > 1  # the loss was multiplied before the float16 backward pass
    for precision in ("float32", "mixed_bfloat16"):  # bfloat16 has float32's range: nothing to scale
        model = build_alexnet("mini", num_classes=2, input_shape=(32, 32, 3), width=0.125, precision=precision)
        compile_for(model, "adam", 1e-3, total_steps=8)
        assert not isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
