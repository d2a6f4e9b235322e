"""The presets on another Keras backend: same weights, same numbers as under TensorFlow.

`models.py` and `layers.py` are written with `keras.ops` (on TensorFlow, LRN
compiles that formula with XLA on a CPU and calls cuDNN's kernel on a GPU), so
a model built under JAX must compute what the TensorFlow one computes. JAX runs
in a subprocess: Keras reads its backend once, at import.
"""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from alexnet_edu import build_alexnet
from alexnet_edu.layers import LocalResponseNormalization, local_response_normalization
from alexnet_edu.models import PRESETS

LAYERS = ("conv1", "conv2", "conv5", "fc6", "fc7", "fc8")
TOLERANCE = 1e-5  # of the largest value of each layer's output

# Runs under KERAS_BACKEND=jax: rebuilds each preset, loads the TensorFlow weights, saves every layer's output.
OTHER_BACKEND = """
import json, sys
import numpy as np
import keras
from alexnet_edu import build_alexnet

directory, presets, layer_names = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
assert keras.backend.backend() == "jax", keras.backend.backend()
for preset in presets:
    model = build_alexnet(preset, precision="float32")
    model.load_weights(f"{directory}/{preset}.weights.h5")
    probe = keras.Model(model.inputs, [model.get_layer(name).output for name in layer_names])
    images = np.load(f"{directory}/{preset}_images.npy")
    outputs = probe.predict(images, verbose=0)
    np.savez(f"{directory}/{preset}_jax.npz", **{name: np.asarray(output) for name, output in zip(layer_names, outputs)})
print("jax", keras.backend.backend())
"""


def test_every_preset_computes_the_same_under_jax_as_under_tensorflow(tmp_path):
    expected = {}
    for preset in PRESETS:
        keras.utils.set_random_seed(0)
        model = build_alexnet(preset, precision="float32")
        model.save_weights(tmp_path / f"{preset}.weights.h5")
        images = np.random.default_rng(0).uniform(0, 1, (2, *model.input_shape[1:])).astype("float32")
        np.save(tmp_path / f"{preset}_images.npy", images)
        probe = keras.Model(model.inputs, [model.get_layer(name).output for name in LAYERS])
        expected[preset] = dict(zip(LAYERS, probe.predict(images, verbose=0)))
    environment = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    result = subprocess.run(
        [sys.executable, "-c", OTHER_BACKEND, str(tmp_path), json.dumps(list(PRESETS)), json.dumps(LAYERS)],
        env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("jax jax")
    for preset in PRESETS:
        actual = np.load(tmp_path / f"{preset}_jax.npz")
        for name in LAYERS:
            scale = np.abs(expected[preset][name]).max()
            assert scale > 0, f"{preset} {name}: all zeros, nothing compared"
            difference = np.abs(actual[name] - expected[preset][name]).max()
            assert difference <= TOLERANCE * scale, f"{preset} {name}: differs by {difference:.2e} (largest value {scale:.2e})"


@pytest.mark.parametrize("convention", ["paper", "caffe"])
@pytest.mark.parametrize("n", [1, 3, 5])
def test_lrn_in_keras_ops_equals_tensorflows_kernel(convention, n):
    import tensorflow as tf

    inputs = np.random.default_rng(n).normal(0, 30, (2, 4, 5, 7)).astype("float32")
    layer = LocalResponseNormalization(n=n, k=2.0, alpha=1e-3, beta=0.75, convention=convention)
    generic = local_response_normalization(keras.ops.convert_to_tensor(inputs), n, 2.0, layer.scale, 0.75)
    kernel = tf.nn.local_response_normalization(inputs, depth_radius=n // 2, bias=2.0, alpha=layer.scale, beta=0.75)
    np.testing.assert_allclose(np.asarray(generic), np.asarray(kernel), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(layer(inputs)), np.asarray(kernel), rtol=1e-5)
    # And both equal the formula, channel by channel (zero padding: edge channels have fewer neighbours).
    squares = np.pad(inputs**2, [(0, 0), (0, 0), (0, 0), (n // 2, n // 2)])
    window = sum(squares[..., shift : shift + 7] for shift in range(n))
    np.testing.assert_allclose(np.asarray(generic), inputs / (2.0 + layer.scale * window) ** 0.75, rtol=1e-5)
