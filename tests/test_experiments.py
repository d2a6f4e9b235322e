import keras
import numpy as np
import pandas as pd
import pytest

from alexnet_edu import arrays_to_data, augment_data
from alexnet_edu.experiments import Ablation, run_ablation

TINY = dict(width=0.125, dropout=0.0)


def tiny_data(num_train=64, seed=0, size=32):
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(num_train + 32, size, size, 3), dtype="uint8")
    y = rng.integers(0, 4, size=num_train + 32)
    return arrays_to_data(x[:num_train], y[:num_train], x[num_train:], y[num_train:], list("abcd"), batch_size=32)


def test_tidy_history_one_row_per_variant_seed_and_epoch():
    ablation = run_ablation(
        tiny_data(), {"relu": dict(activation="relu"), "tanh": dict(activation="tanh")},
        base=TINY, seeds=(0, 1), epochs=2, verbose=False,
    )  # fmt: skip
    history = ablation.history
    assert len(history) == 2 * 2 * 2
    assert list(history.columns) == ["variant", "seed", "epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds", "elapsed"]
    assert history.groupby(["variant", "seed"]).size().tolist() == [2, 2, 2, 2]
    for _, run in history.groupby(["variant", "seed"]):
        assert run["epoch"].tolist() == [1, 2]
        assert np.allclose(run["elapsed"], np.cumsum(run["seconds"]))
    assert history[["loss", "val_loss"]].gt(0).all().all()
    assert history[["accuracy", "val_accuracy"]].apply(lambda c: c.between(0, 1)).all().all()
    assert ablation.variants == ["relu", "tanh"]
    assert ablation.settings["tanh"]["activation"] == "tanh"
    assert ablation.settings["relu"]["input_shape"] == (32, 32, 3)
    assert ablation.settings["relu"]["num_classes"] == 4


def test_same_seed_same_numbers_different_seed_different_numbers():
    first = run_ablation(tiny_data(), {"base": {}}, base=TINY, seeds=(0, 1), epochs=1, verbose=False).history
    again = run_ablation(tiny_data(), {"base": {}}, base=TINY, seeds=(0, 1), epochs=1, verbose=False).history
    assert np.allclose(first["loss"], again["loss"], rtol=1e-5)
    assert first["loss"].iloc[0] != pytest.approx(first["loss"].iloc[1], rel=1e-6)


def test_a_run_does_not_depend_on_the_runs_before_it():
    data = augment_data(tiny_data(size=36), crop=True, flip=True)
    both = run_ablation(data, {"first": {}, "second": {}}, base=TINY, seeds=(0, 1), epochs=2, verbose=False)
    alone = run_ablation(data, {"second": {}}, base=TINY, seeds=(1,), epochs=2, verbose=False)
    losses = both.history.set_index(["variant", "seed", "epoch"])["loss"]
    np.testing.assert_allclose(losses.loc["second", 1].to_numpy(), alone.history["loss"].to_numpy(), rtol=1e-5)
    # The same seed, the same batches: identical variants give identical runs.
    np.testing.assert_allclose(losses.loc["first"].to_numpy(), losses.loc["second"].to_numpy(), rtol=1e-5)

def test_variants_change_the_model_and_can_bring_their_own_data():
    data = tiny_data()
    cropped = augment_data(tiny_data(size=40), crop=True, flip=False)
    ablation = run_ablation(
        data,
        {"tanh": dict(activation="tanh"), "crops + flips 7/8": dict(data=cropped), "shallower": dict(remove=("conv4",))},
        base=TINY, seeds=(3,), epochs=1, keep_models=True, verbose=False,
    )  # fmt: skip
    assert ablation.models[("tanh", 3)].get_layer("conv1").activation.__name__ == "tanh"
    assert ablation.models[("crops + flips 7/8", 3)].input_shape == (None, 35, 35, 3)
    assert "conv4" not in [layer.name for layer in ablation.models[("shallower", 3)].layers]


def hand_made_ablation():
    rows = []
    for variant, curves in {"fast": [[0.5, 0.8, 0.9], [0.6, 0.7, 0.95]], "slow": [[0.2, 0.3, 0.5], [0.3, 0.4, 0.7]]}.items():
        for seed, curve in enumerate(curves):
            for epoch, accuracy in enumerate(curve, start=1):
                rows.append(dict(variant=variant, seed=seed, epoch=epoch, loss=1 - accuracy, accuracy=accuracy,
                                 val_loss=1.0, val_accuracy=accuracy - 0.1, seconds=2.0, elapsed=2.0 * epoch))  # fmt: skip
    return Ablation(history=pd.DataFrame(rows), settings={"fast": {}, "slow": {}})


def test_last_gain_says_what_the_last_epochs_added():
    ablation = hand_made_ablation()
    one = ablation.last_gain("accuracy", epochs=1)
    assert one.loc["fast"].tolist() == pytest.approx([0.1, 0.25])  # 0.9 - 0.8, 0.95 - 0.7
    assert one.loc["slow"].tolist() == pytest.approx([0.2, 0.3])
    two = ablation.last_gain("val_error", epochs=2)  # errors fall: a negative gain is progress
    assert two.loc["fast", 0] == pytest.approx(-0.4)
    assert list(two.index) == ["fast", "slow"] and list(two.columns) == [0, 1]
    with pytest.raises(ValueError, match=r"epochs must be a whole number from 1 to 2 \(the shortest run has 3 epochs\)\. Received: epochs=3"):
        ablation.last_gain("accuracy", epochs=3)
    with pytest.raises(ValueError, match="Received: epochs=1.5"):
        ablation.last_gain("accuracy", epochs=1.5)
    with pytest.raises(ValueError, match="Unknown metric 'top9'"):
        ablation.last_gain("top9")


def test_summary_final_and_best():
    ablation = hand_made_ablation()
    summary = ablation.summary("accuracy")
    assert summary.loc["fast", "mean"] == pytest.approx(0.925)
    assert summary.loc["slow", "std"] == pytest.approx(np.std([0.5, 0.7], ddof=1))
    assert summary.loc["slow", "min"] == pytest.approx(0.5)
    assert summary.loc["fast", "seeds"] == 2
    assert summary.loc["fast", "seconds"] == pytest.approx(6.0)
    percent = ablation.summary("accuracy", scale=100)  # the metric in percent; seeds and seconds unchanged
    assert percent.loc["slow", ["mean", "std", "min"]].tolist() == pytest.approx([60.0, 100 * np.std([0.5, 0.7], ddof=1), 50.0])
    assert percent.loc["fast", "seconds"] == pytest.approx(6.0) and percent.loc["fast", "seeds"] == 2
    with pytest.raises(ValueError, match="scale must be a positive number.*Received: scale=0"):
        ablation.summary("accuracy", scale=0)
    best_loss = ablation.final("loss", at="best")
    assert best_loss.loc["fast", 0] == pytest.approx(0.1)
    assert ablation.final("accuracy", at="best").loc["fast", 0] == pytest.approx(0.9)


def test_epochs_to_reach_rising_and_falling_metrics():
    ablation = hand_made_ablation()
    reached = ablation.epochs_to_reach("error", 0.25).set_index(["variant", "seed"])
    assert reached.loc[("fast", 0), "epoch"] == 2
    assert reached.loc[("fast", 1), "epoch"] == 3
    assert reached.loc[("fast", 1), "elapsed"] == 6.0
    assert np.isnan(reached.loc[("slow", 0), "epoch"])
    rising = ablation.epochs_to_reach("accuracy", 0.7).set_index(["variant", "seed"])
    assert rising.loc[("slow", 1), "epoch"] == 3
    assert rising.loc[("fast", 1), "epoch"] == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(variants={"x": dict(activation="tanh", colour="red")}), "Unknown knob 'colour' in variant 'x'. Valid: num_classes"),
        (dict(variants={}), "at least one variant"),
        (dict(variants={"x": {}}, recipe="rmsprop"), "Unknown recipe 'rmsprop'"),
        (dict(variants={"x": {}}, seeds=(1, 1)), "seeds must be distinct"),
        (dict(variants={"x": {}}, epochs=0), "epochs must be a positive integer (passes over the training data of every run), e.g. epochs=10. Received: epochs=0"),
        (dict(variants={"x": dict(data="shapes")}), "data must be an ImageData"),
        (dict(variants={"x": dict(activation="swish")}), "Unknown activation 'swish'"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_ablation(tiny_data(16), base=TINY, verbose=False, **kwargs)


def test_unknown_metric_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown metric 'top5'. Valid metrics: loss, accuracy"):
        hand_made_ablation().summary("top5")
    with pytest.raises(ValueError, match="at must be 'last' or 'best'"):
        hand_made_ablation().final("loss", at="first")


def test_build_runs_a_model_outside_the_alexnet_family():
    from alexnet_edu.models import build_figure1_cnn

    ablation = run_ablation(
        tiny_data(), {"relu": dict(activation="relu"), "tanh": dict(activation="tanh")},
        seeds=(0,), epochs=1, recipe="sgd", learning_rate=0.05, build=build_figure1_cnn, keep_models=True, verbose=False,
    )  # fmt: skip
    relu, tanh = ablation.models[("relu", 0)], ablation.models[("tanh", 0)]
    assert relu.name == "relu_seed0" and relu.get_layer("fc4").units == 4
    assert tanh.get_layer("conv2").activation.__name__ == "tanh"
    assert isinstance(tanh.optimizer, keras.optimizers.SGD) and tanh.optimizer.weight_decay is None
    assert float(tanh.optimizer.learning_rate) == pytest.approx(0.05)
    assert ablation.settings["tanh"]["recipe"] == "sgd"


def test_build_knobs_are_its_keyword_arguments():
    from alexnet_edu.models import build_figure1_cnn

    with pytest.raises(ValueError, match="Unknown knob 'dropout' in variant 'relu'. Valid: activation, num_classes, input_shape"):
        run_ablation(tiny_data(), {"relu": dict(dropout=0.5)}, build=build_figure1_cnn, epochs=1, verbose=False)
    with pytest.raises(ValueError, match="Variant 'swish': Unknown activation 'swish'"):
        run_ablation(tiny_data(), {"relu": {}, "swish": dict(activation="swish")}, build=build_figure1_cnn, epochs=1, verbose=False)
    with pytest.raises(TypeError, match="build must be a function that returns a Keras model"):
        run_ablation(tiny_data(), {"relu": {}}, build="figure1", epochs=1, verbose=False)


def test_until_ends_each_run_at_the_first_epoch_that_reaches_the_value():
    full = run_ablation(tiny_data(), {"relu": {}}, base=TINY, seeds=(0,), epochs=6, verbose=False).history
    target = float(full["loss"].iloc[2])  # reached at epoch 3 (at the latest)
    first = int(full.index[full["loss"] <= target][0]) + 1
    stopped = run_ablation(tiny_data(), {"relu": {}}, base=TINY, seeds=(0,), epochs=6, until=("loss", target), verbose=False).history
    assert stopped["epoch"].tolist() == list(range(1, first + 1))
    assert np.allclose(stopped["loss"], full["loss"].iloc[:first], rtol=1e-5)
    with pytest.raises(ValueError, match=r"until must be \(metric, value\) .* e.g. until=\('error', 0.25\)"):
        run_ablation(tiny_data(), {"relu": {}}, base=TINY, epochs=1, until=("top1", 0.5), verbose=False)
