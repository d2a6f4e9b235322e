import keras
import numpy as np
import pytest

from alexnet_edu import LocalResponseNormalization, layers
from alexnet_edu.layers import BatchNormalization, GroupedConv2D


def paper_lrn(a, n=5, k=2.0, alpha=1e-4, beta=0.75):
    """The paper's formula, section 3.3, written out channel by channel."""
    channels = a.shape[-1]
    b = np.empty_like(a)
    for i in range(channels):
        low, high = max(0, i - n // 2), min(channels - 1, i + n // 2)
        b[..., i] = a[..., i] / (k + alpha * np.sum(a[..., low : high + 1] ** 2, axis=-1)) ** beta
    return b


@pytest.mark.parametrize(
    "params",
    [dict(), dict(n=3, k=1.0, alpha=0.5, beta=0.5), dict(n=1, k=2.0, alpha=1.0, beta=1.0)],
)
def test_matches_the_papers_formula(params):
    # Activations large enough that the alpha term matters, as after a ReLU.
    a = np.random.default_rng(0).uniform(0, 30, size=(2, 3, 4, 11)).astype("float32")
    expected = paper_lrn(a.astype("float64"), **params)
    got = keras.ops.convert_to_numpy(LocalResponseNormalization(**params)(a))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    # The normalisation actually changes the values (not an identity).
    assert not np.allclose(got, a / params.get("k", 2.0) ** params.get("beta", 0.75), rtol=1e-3)


def test_alpha_is_not_divided_by_n():
    a = np.zeros((1, 1, 1, 5), "float32")
    a[..., 2] = 10.0
    out = keras.ops.convert_to_numpy(LocalResponseNormalization(n=5, k=1.0, alpha=0.01, beta=1.0)(a))
    # Centre channel: 10 / (1 + 0.01 * 100) = 5; alpha / n would give 10 / 1.2.
    assert out[0, 0, 0, 2] == pytest.approx(5.0)


def test_config_round_trip():
    layer = LocalResponseNormalization(n=3, k=1.5, alpha=2e-4, beta=0.5, name="norm1")
    clone = LocalResponseNormalization.from_config(layer.get_config())
    assert (clone.n, clone.k, clone.alpha, clone.beta, clone.name) == (3, 1.5, 2e-4, 0.5, "norm1")


def test_saved_model_loads_in_safe_mode(tmp_path):
    inputs = keras.Input((8, 8, 6))
    outputs = LocalResponseNormalization(n=3, name="norm1")(keras.layers.Conv2D(6, 3, name="conv1")(inputs))
    model = keras.Model(inputs, outputs)
    path = tmp_path / "lrn.keras"
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded.get_layer("norm1"), LocalResponseNormalization)
    assert loaded.get_layer("norm1").n == 3
    x = np.random.default_rng(1).normal(size=(2, 8, 8, 6)).astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_output_shape_is_input_shape():
    assert LocalResponseNormalization().compute_output_shape((None, 5, 5, 7)) == (None, 5, 5, 7)


def test_grouped_conv_equals_keras_grouped_conv(tmp_path):
    x = np.random.default_rng(0).normal(size=(2, 9, 9, 6)).astype("float32")
    ours = GroupedConv2D(8, 3, groups=2, strides=2, padding="same", name="conv2")
    reference = keras.layers.Conv2D(8, 3, groups=2, strides=2, padding="same")
    ours.build(x.shape)
    reference.build(x.shape)
    reference.set_weights(ours.get_weights())
    assert ours.kernel.shape == (3, 3, 3, 8)
    np.testing.assert_allclose(ours(x), reference(x), rtol=1e-5, atol=1e-5)
    # Filters 0-3 see only input channels 0-2: changing channels 3-5 leaves them alone.
    changed = x.copy()
    changed[..., 3:] += 1.0
    np.testing.assert_allclose(np.asarray(ours(changed))[..., :4], np.asarray(ours(x))[..., :4], rtol=1e-6)
    assert not np.allclose(np.asarray(ours(changed))[..., 4:], np.asarray(ours(x))[..., 4:])
    model = keras.Sequential([keras.Input((9, 9, 6)), ours])
    model.save(tmp_path / "grouped.keras")
    loaded = keras.models.load_model(tmp_path / "grouped.keras", safe_mode=True)
    assert isinstance(loaded.layers[0], GroupedConv2D) and loaded.layers[0].groups == 2
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_lrn_of_bfloat16_is_computed_in_float32():
    layer = LocalResponseNormalization(n=5, k=2.0, alpha=1e-2, beta=0.75)
    x = np.random.default_rng(0).normal(scale=3.0, size=(2, 4, 4, 8)).astype("float32")
    reference = np.asarray(layer(x))
    rounded = keras.ops.cast(x, "bfloat16")
    output = LocalResponseNormalization(n=5, k=2.0, alpha=1e-2, beta=0.75, dtype="mixed_bfloat16")(rounded)
    assert output.dtype == "bfloat16"
    expected = np.asarray(layer(keras.ops.cast(rounded, "float32")))
    # The same as float32 on the rounded input, up to bfloat16's rounding of the result (2**-9).
    np.testing.assert_allclose(np.asarray(keras.ops.cast(output, "float32")), expected, rtol=2**-8)
    np.testing.assert_allclose(np.asarray(keras.ops.cast(output, "float32")), reference, rtol=2**-7, atol=1e-3)


def test_lrn_of_float16_does_not_overflow_on_paper_scale_activations():
    # 0-255 pixels give conv1 activations in the hundreds: five squares of 300 exceed float16's 65,504.
    x = np.full((1, 2, 2, 8), 300.0, "float32")
    x[..., ::2] = 20.0
    output = LocalResponseNormalization(dtype="mixed_float16")(keras.ops.cast(x, "float16"))
    assert output.dtype == "float16"
    expected = np.asarray(LocalResponseNormalization()(x))
    np.testing.assert_allclose(np.asarray(keras.ops.cast(output, "float32")), expected, rtol=2**-10)


def _lrn_and_gradient(normalize, x, output_gradient):
    import tensorflow as tf

    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        outputs = normalize(x)
    gradient = tape.gradient(outputs, x, output_gradients=tf.cast(output_gradient, outputs.dtype))
    return np.asarray(tf.cast(outputs, "float32")), np.asarray(tf.cast(gradient, "float32"))


# 11 channels sum each window with a band matrix, 160 with shifted slices; beta 0.6 takes the general power.
@pytest.mark.parametrize("channels, beta", [(11, 0.75), (11, 0.6), (160, 0.75), (160, 0.6)])
def test_lrn_and_its_gradient_equal_tensorflows_kernels(channels, beta):
    import tensorflow as tf

    rng = np.random.default_rng(channels)
    x = rng.uniform(0, 30, size=(2, 3, 4, channels)).astype("float32")
    output_gradient = rng.normal(size=x.shape).astype("float32")
    ours = _lrn_and_gradient(LocalResponseNormalization(n=5, k=2.0, alpha=1e-3, beta=beta), x, output_gradient)
    kernel = _lrn_and_gradient(
        lambda v: tf.nn.local_response_normalization(v, depth_radius=2, bias=2.0, alpha=1e-3, beta=beta), x, output_gradient
    )
    for value, expected in zip(ours, kernel):
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max())
    # alpha large enough that the neighbours' term is a visible part of the gradient.
    assert not np.allclose(ours[1], output_gradient / (2.0 + 1e-3 * x**2) ** beta, rtol=1e-2)


def test_lrn_gradient_in_bfloat16_follows_float32():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 30, size=(2, 3, 4, 16)).astype("float32")
    rounded = np.asarray(keras.ops.cast(keras.ops.cast(x, "bfloat16"), "float32"))
    output_gradient = np.asarray(keras.ops.cast(keras.ops.cast(rng.normal(size=x.shape), "bfloat16"), "float32"))
    layer = LocalResponseNormalization(n=5, k=2.0, alpha=1e-3, beta=0.75, dtype="mixed_bfloat16")
    _, gradient = _lrn_and_gradient(layer, keras.ops.cast(rounded, "bfloat16"), output_gradient)
    _, expected = _lrn_and_gradient(LocalResponseNormalization(n=5, k=2.0, alpha=1e-3, beta=0.75), rounded, output_gradient)
    # Computed in float32 from bfloat16 inputs: off by bfloat16's rounding of the output and the gradient.
    np.testing.assert_allclose(gradient, expected, rtol=2**-6, atol=2**-7 * np.abs(expected).max())


def _op_types(function, *args):
    """Every op type in a traced function's graph and the functions it calls, and whether any must go to XLA."""
    graph = function.get_concrete_function(*args).graph.as_graph_def()
    nodes = list(graph.node) + [node for library_function in graph.library.function for node in library_function.node_def]
    compiled = any(library_function.attr["_XlaMustCompile"].b for library_function in graph.library.function)
    return {node.op for node in nodes}, compiled


def test_lrn_runs_compiled_by_xla_on_a_cpu_and_cudnns_kernel_on_a_gpu(monkeypatch):
    import tensorflow as tf

    layer = LocalResponseNormalization()
    x = tf.TensorSpec((2, 5, 5, 8), "float32")
    op_types, compiled = _op_types(tf.function(layer), x)
    assert "LRN" not in op_types and compiled
    monkeypatch.setattr(layers, "_tensorflow_sees_a_gpu", lambda: True)
    op_types, compiled = _op_types(tf.function(layer), x)
    assert "LRN" in op_types and not compiled


def _batch_norm_step(layer, x):
    """Output, gradients (input, gamma, beta) and moving statistics after one training call."""
    import tensorflow as tf

    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        outputs = layer(x, training=True)
        # Weights that differ per element: with one weight per channel the input's gradient would be 0.
        weights = tf.reshape(tf.range(tf.size(x), dtype="float32") % 7.0, x.shape)
        loss = tf.reduce_sum(tf.cast(outputs, "float32") * weights)
    gradients = tape.gradient(loss, [x, layer.gamma.value, layer.beta.value])
    return [np.asarray(tf.cast(outputs, "float32")), *map(np.asarray, gradients)], [
        layer.moving_mean.numpy(),
        layer.moving_variance.numpy(),
    ]


@pytest.mark.parametrize(
    "policy, channels", [("float32", 5), ("mixed_bfloat16", 5), ("mixed_bfloat16", 32)], ids=["float32", "bf16-5", "bf16-32"]
)
def test_batch_norm_trains_as_keras_does(policy, channels, monkeypatch):
    # As on a CPU with bfloat16 instructions: 32 channels take the kernel's bfloat16 path, 5 the float32 one.
    monkeypatch.setattr(layers, "_cpu_runs_bfloat16", lambda: True)
    x = np.random.default_rng(0).normal(2.0, 3.0, size=(16, 6, 6, channels)).astype("float32")
    results = []
    for layer in (BatchNormalization(momentum=0.9, dtype=policy), keras.layers.BatchNormalization(momentum=0.9, dtype=policy)):
        layer.build(x.shape)
        layer.gamma.assign(np.linspace(0.5, 1.5, channels))
        layer.beta.assign(np.linspace(-1.0, 1.0, channels))
        results.append(_batch_norm_step(layer, x))
    (ours, ours_moving), (keras_values, keras_moving) = results
    tolerance = 1e-2 if policy == "mixed_bfloat16" else 1e-5
    for mine, theirs in zip(ours, keras_values):
        np.testing.assert_allclose(mine, theirs, rtol=tolerance, atol=tolerance * np.abs(theirs).max())
    # The moving variance averages the biased batch variance, as Keras's does (the kernel returns the unbiased).
    np.testing.assert_allclose(ours_moving[0], keras_moving[0], rtol=1e-6)
    np.testing.assert_allclose(ours_moving[1], keras_moving[1], rtol=1e-6)
    assert not np.allclose(keras_moving[1], 1.0)


def test_batch_norm_runs_the_fused_kernel_in_training_only():
    import tensorflow as tf

    layer = BatchNormalization()
    layer.build((4, 3, 3, 2))
    spec = tf.TensorSpec((4, 3, 3, 2), tf.float32)

    def op_types(training):
        graph = tf.function(lambda x: layer(x, training=training)).get_concrete_function(spec).graph
        return {op.type for op in graph.get_operations()}

    assert "FusedBatchNormV3" in op_types(training=True)
    assert "FusedBatchNormV3" not in op_types(training=False)
    x = np.random.default_rng(1).normal(size=(4, 3, 3, 2)).astype("float32")
    layer.moving_mean.assign([0.5, -0.5])
    layer.moving_variance.assign([2.0, 4.0])
    expected = (x - [0.5, -0.5]) / np.sqrt(np.array([2.0, 4.0]) + layer.epsilon)
    np.testing.assert_allclose(layer(x, training=False), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "channels, cpu_runs_bfloat16, kernel_dtype",
    [(32, True, "bfloat16"), (48, True, "bfloat16"), (24, True, "float32"), (32, False, "float32")],
)
def test_batch_norm_gives_the_kernel_bfloat16_only_where_it_is_fast(channels, cpu_runs_bfloat16, kernel_dtype, monkeypatch):
    import tensorflow as tf

    monkeypatch.setattr(layers, "_cpu_runs_bfloat16", lambda: cpu_runs_bfloat16)
    layer = BatchNormalization(dtype="mixed_bfloat16")
    layer.build((4, 3, 3, channels))
    spec = tf.TensorSpec((4, 3, 3, channels), tf.bfloat16)
    graph = tf.function(lambda x: layer(x, training=True)).get_concrete_function(spec).graph
    (kernel,) = [op for op in graph.get_operations() if op.type == "FusedBatchNormV3"]
    assert kernel.inputs[0].dtype.name == kernel_dtype
    assert graph.outputs[0].dtype.name == "bfloat16"


def test_batch_norm_round_trip(tmp_path):
    x = np.random.default_rng(2).normal(size=(4, 3, 3, 2)).astype("float32")
    model = keras.Sequential([keras.Input((3, 3, 2)), BatchNormalization(momentum=0.5, name="norm1")])
    model(x, training=True)
    model.save(tmp_path / "norm.keras")
    loaded = keras.models.load_model(tmp_path / "norm.keras", safe_mode=True)
    assert type(loaded.get_layer("norm1")) is BatchNormalization
    assert loaded.get_layer("norm1").momentum == 0.5
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
