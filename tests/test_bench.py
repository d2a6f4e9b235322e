"""`make bench`'s profile section reads TensorFlow's trace format, which a TensorFlow update could change."""

import importlib.util
import pathlib
import time

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mini_profile(bench):
    return bench.profile_training("mini", batch_size=16, precision="float32", steps=4)


def test_profile_training_splits_a_step_by_layer_kind(mini_profile):
    result = mini_profile
    shares = result["op_pct"]
    assert set(shares) == {"conv", "normalization", "pooling", "dense", "other"}
    assert sum(shares.values()) == pytest.approx(100.0)
    # Five conv layers hold most of the mini model's compute; its BatchNorm and pooling layers take some too.
    assert shares["conv"] > max(shares["normalization"], shares["pooling"], shares["dense"])
    assert shares["normalization"] > 0 and shares["pooling"] > 0 and shares["dense"] > 0
    assert any("Conv2D" in op_type for op_type, _ in result["top_ops"])
    # Time per multiply-add of the conv gradients against the forward pass: oneDNN's backward kernels are
    # slower per MAC, but not by orders of magnitude.
    assert set(result["conv_backward_vs_forward"]) == {"weights", "inputs"}
    assert all(0.3 < ratio < 20 for ratio in result["conv_backward_vs_forward"].values())
    assert result["step_ms"] > 0 and result["traced_images_per_s"] > 0
    assert 0 <= result["python_pct"] < 100 and 0 <= result["input_wait_pct"] < 100


def test_a_training_step_skips_conv1s_input_gradient_and_the_flop_count_follows(bench, mini_profile):
    import keras

    # What training_macs assumes, read from a trace: conv1's input is the photo, so TensorFlow runs its
    # filter gradient and prunes its input gradient; conv2 needs both.
    layer_ops = mini_profile["layer_ops"]
    assert any("BackpropFilter" in op for op in layer_ops["conv1"])
    assert not any("BackpropInput" in op for op in layer_ops["conv1"])
    assert any("BackpropInput" in op for op in layer_ops["conv2"])
    model = keras.Sequential(
        [keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="conv1"), keras.layers.Conv2D(5, 3, name="conv2")]
    )
    # conv1: 6*6*4 outputs x 27 = 3,888 MACs, counted twice; conv2: 4*4*5 x 36 = 2,880, counted three times.
    assert bench.training_macs(model) == 2 * 3888 + 3 * 2880


def test_profile_training_reads_the_input_wait_of_a_slow_pipeline(bench):
    import tensorflow as tf

    def slowly(images, labels):
        time.sleep(0.05)
        return images, labels

    batch = (tf.random.uniform((8, 64, 64, 3)), tf.zeros((8,), tf.int32))
    # Each batch takes 50 ms to produce, several times a step on 8 images: the steps wait for their input.
    slow = tf.data.Dataset.from_tensors(batch).map(
        lambda images, labels: tf.numpy_function(slowly, [images, labels], [tf.float32, tf.int32], stateful=True)
    )
    slow = slow.map(lambda images, labels: (tf.ensure_shape(images, (8, 64, 64, 3)), tf.ensure_shape(labels, (8,))))
    result = bench.profile_training("mini", batch_size=8, precision="float32", steps=4, dataset=slow)
    assert result["input_wait_pct"] > 20


def test_best_batches_picks_each_models_fastest_batch_per_precision(bench):
    rows = [
        {"model": "mini", "precision": "float32", "batch": 64, "train_pct_of_peak": 50.0},
        {"model": "mini", "precision": "float32", "batch": 256, "train_pct_of_peak": 61.4},
        {"model": "mini", "precision": "float32", "batch": 512, "train_pct_of_peak": 58.0},
        {"model": "mini", "precision": "mixed_bfloat16", "batch": 64, "train_pct_of_peak": 47.0},
        {"model": "seed", "precision": "float32", "batch": 32, "train_pct_of_peak": 80.0},
    ]
    assert bench.best_batches(rows) == [
        "mini float32: 61 % (batch 256)",
        "mini mixed_bfloat16: 47 % (batch 64)",
        "seed float32: 80 % (batch 32)",
    ]


def test_median_time_counts_a_missed_target_as_never(bench):
    assert bench.median_time([565.0, None, 562.0]) == 565.0  # two of three seeds reached it
    assert bench.median_time([None, None, 562.0]) is None  # the median seed did not
    assert bench.median_time([300.0, 100.0, 200.0]) == 200.0


def test_bench_measures_notebook_02s_recipe(bench):
    """`make bench` times and scores the recipe that notebook 02 teaches, not a copy that drifted from it."""
    import ast

    notebook = BENCH.parents[1] / "notebooks" / "02_data_and_training.py"
    settings = {}
    for node in ast.parse(notebook.read_text()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name == "KNOBS":
                settings[name] = {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.value.keywords}
            elif name in ("LEARNING_RATE", "LABEL_SMOOTHING", "PAD", "PAD_MODE"):
                settings[name] = ast.literal_eval(node.value)
    assert settings == {
        "KNOBS": bench.RECIPE_KNOBS,
        "LEARNING_RATE": bench.RECIPE_LEARNING_RATE,
        "LABEL_SMOOTHING": bench.RECIPE_LABEL_SMOOTHING,
        "PAD": bench.RECIPE_PAD,
        "PAD_MODE": bench.RECIPE_PAD_MODE,
    }
