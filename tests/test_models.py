import io
import re

import keras
import numpy as np
import pytest

from alexnet_edu import LocalResponseNormalization, build_alexnet, make_config
from alexnet_edu.models import smallest_input_size


def summary_text(model):
    buffer = io.StringIO()
    model.summary(print_fn=lambda line, **kwargs: buffer.write(line + "\n"), line_length=100)
    return buffer.getvalue()


def test_seed_reproduces_the_blog_posts_summary(seed_model):
    text = summary_text(seed_model)
    assert "Total params: 46,846,744" in text
    assert "Trainable params: 46,846,040" in text
    assert "Non-trainable params: 704" in text
    params = {layer.name: layer.count_params() for layer in seed_model.layers}
    assert params == {
        "image": 0, "conv1": 34944, "norm1": 384, "pool1": 0, "conv2": 614656, "norm2": 1024,
        "pool2": 0, "conv3": 885120, "conv4": 1327488, "conv5": 884992, "pool5": 0, "flatten": 0,
        "fc6": 26218496, "drop6": 0, "fc7": 16781312, "drop7": 0, "fc8": 98328,
    }  # fmt: skip


def test_seed_output_shapes(seed_model):
    shapes = {layer.name: tuple(layer.output.shape[1:]) for layer in seed_model.layers}
    assert shapes["conv1"] == (54, 54, 96)
    assert shapes["pool1"] == (26, 26, 96)
    assert shapes["pool2"] == (12, 12, 256)
    assert shapes["pool5"] == (5, 5, 256)
    assert shapes["flatten"] == (6400,)
    assert shapes["fc8"] == (24,)


def test_paper_model(paper_model):
    assert paper_model.count_params() == 60_965_224
    assert tuple(paper_model.get_layer("conv1").output.shape[1:]) == (55, 55, 96)
    assert tuple(paper_model.get_layer("flatten").output.shape[1:]) == (9216,)
    for name in ("norm1", "norm2"):
        layer = paper_model.get_layer(name)
        assert isinstance(layer, LocalResponseNormalization)
        assert (layer.n, layer.k, layer.alpha, layer.beta) == (5, 2.0, 1e-4, 0.75)
    groups = {name: paper_model.get_layer(name).groups for name in ("conv1", "conv2", "conv3", "conv4", "conv5")}
    assert groups == {"conv1": 1, "conv2": 2, "conv3": 1, "conv4": 2, "conv5": 2}
    assert paper_model.get_layer("drop6").rate == 0.5
    assert paper_model.get_layer("pool1").pool_size == (3, 3)
    assert paper_model.get_layer("pool1").strides == (2, 2)


def test_paper_single_tower_count():
    assert build_alexnet("paper", groups=1).count_params() == 62_378_344


def test_paper_initialisation():
    model = build_alexnet("paper", initializer="paper", input_shape=(67, 67, 3), num_classes=10)
    for name in ("conv1", "conv3", "fc6"):
        kernel = keras.ops.convert_to_numpy(model.get_layer(name).kernel)
        assert abs(kernel.mean()) < 1e-3
        assert kernel.std() == pytest.approx(0.01, rel=0.05)
    bias_values = {
        layer: float(np.unique(keras.ops.convert_to_numpy(model.get_layer(layer).bias))[0])
        for layer in ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")
    }
    assert bias_values == {"conv1": 0, "conv2": 1, "conv3": 0, "conv4": 1, "conv5": 1, "fc6": 1, "fc7": 1, "fc8": 0}


def test_every_layer_is_named():
    names = [layer.name for layer in build_alexnet("mini").layers]
    assert names == [
        "image", "conv1", "norm1", "pool1", "conv2", "norm2", "pool2", "conv3", "conv4", "conv5",
        "pool5", "flatten", "fc6", "drop6", "fc7", "drop7", "fc8",
    ]  # fmt: skip


def test_mini_runs_on_32_and_64_pixels_and_learns():
    for size in (64, 32):
        model = build_alexnet("mini", input_shape=(size, size, 3), num_classes=3)
        assert model.output_shape == (None, 3)
    # A few steps on a fixed batch must lower the loss: the model is trainable.
    x = np.random.default_rng(0).uniform(size=(32, 32, 32, 3)).astype("float32")
    y = np.arange(32) % 3
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_activation_knob(activation):
    model = build_alexnet("mini", activation=activation)
    for name in ("conv1", "conv5", "fc6", "fc7"):
        assert model.get_layer(name).activation.__name__ == activation
    assert model.get_layer("fc8").activation.__name__ == "softmax"


def test_normalization_knob():
    lrn = build_alexnet("mini", normalization="lrn")
    assert isinstance(lrn.get_layer("norm2"), LocalResponseNormalization)
    batchnorm = build_alexnet("mini", normalization="batchnorm")
    assert isinstance(batchnorm.get_layer("norm1"), keras.layers.BatchNormalization)
    names = [layer.name for layer in build_alexnet("mini", normalization="none").layers]
    assert "norm1" not in names and "norm2" not in names


def test_normalized_knob_puts_the_normalization_after_the_named_conv_layers():
    every = ("conv1", "conv2", "conv3", "conv4", "conv5")
    model = build_alexnet("mini", input_shape=(32, 32, 3), normalized=every)
    names = [layer.name for layer in model.layers]
    for index in range(1, 6):
        assert isinstance(model.get_layer(f"norm{index}"), keras.layers.BatchNormalization)
        assert names.index(f"norm{index}") == names.index(f"conv{index}") + 1
    default = [layer.name for layer in build_alexnet("mini", input_shape=(32, 32, 3)).layers]
    assert "norm1" in default and "norm2" in default and "norm3" not in default
    only_conv2 = [layer.name for layer in build_alexnet("mini", normalized="conv2").layers]
    assert "norm2" in only_conv2 and "norm1" not in only_conv2
    lrn = build_alexnet("mini", normalization="lrn", normalized=("conv1", "conv5"))
    assert isinstance(lrn.get_layer("norm5"), LocalResponseNormalization)
    # Given in any order, the layers come out in the network's order.
    assert make_config("mini", normalized=("conv4", "conv1")).normalized == ("conv1", "conv4")


@pytest.mark.parametrize(
    "knobs, error, message",
    [
        (dict(normalized=("conv6",)), ValueError, "Unknown normalized layer 'conv6'. Valid values: 'conv1'"),
        (dict(normalized=("conv3",), remove="conv3"), ValueError, "conv3 is removed, so it cannot be normalized"),
        (dict(normalized=3), TypeError, "normalized must name the conv layers"),
    ],
)
def test_normalized_knob_refuses_bad_values(knobs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make_config("mini", **knobs)


def test_pooling_knob():
    model = build_alexnet("seed", pooling="plain")
    assert model.get_layer("pool1").pool_size == (2, 2)
    assert tuple(model.get_layer("pool1").output.shape[1:3]) == (27, 27)


def test_pool_padding_same_reads_every_position_and_gives_both_poolings_the_same_sizes():
    shapes = {}
    for pooling in ("overlapping", "plain"):
        model = build_alexnet("mini", input_shape=(32, 32, 3), num_classes=10, pooling=pooling, pool_padding="same")
        shapes[pooling] = [tuple(model.get_layer(name).output.shape[1:3]) for name in ("pool1", "pool2", "pool5")]
        assert model.get_layer("pool1").padding == "same"
    assert shapes["overlapping"] == shapes["plain"] == [(8, 8), (4, 4), (2, 2)]
    # "valid" (the default, the paper's) drops overlapping's last window on even sizes: 16 -> 7.
    valid = build_alexnet("mini", input_shape=(32, 32, 3), num_classes=10, pooling="overlapping")
    assert tuple(valid.get_layer("pool1").output.shape[1:3]) == (7, 7)
    # A value in the last row and column wins the padded window's maximum: nothing is read past the edge.
    pool = keras.layers.MaxPooling2D(3, strides=2, padding="same")
    image = -np.ones((1, 4, 4, 1), "float32")
    image[0, 3, 3, 0] = -0.5
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(pool(image))[0, :, :, 0], [[-1.0, -1.0], [-1.0, -0.5]])
    assert smallest_input_size("mini", pooling="overlapping", pool_padding="same") == 1
    assert make_config("mini", input_shape=(9, 9, 3), pool_padding="same").pool_padding == "same"
    with pytest.raises(ValueError, match=re.escape("Unknown pool_padding 'full'. Valid values: 'valid', 'same'.")):
        make_config("mini", pool_padding="full")


def test_conv2_kernel_knob_keeps_the_size():
    five = build_alexnet("mini", input_shape=(32, 32, 3), conv1_kernel=3, conv1_stride=1, pooling="plain")
    three = build_alexnet("mini", input_shape=(32, 32, 3), conv1_kernel=3, conv1_stride=1, pooling="plain", conv2_kernel=3)
    assert tuple(five.get_layer("conv2").kernel.shape[:2]) == (5, 5)
    assert tuple(three.get_layer("conv2").kernel.shape[:2]) == (3, 3)
    assert three.get_layer("conv2").output.shape == five.get_layer("conv2").output.shape == (None, 16, 16, 64)
    assert three.output.shape == five.output.shape


def test_dropout_knob():
    assert build_alexnet("mini", dropout=0.3).get_layer("drop7").rate == 0.3
    names = [layer.name for layer in build_alexnet("mini", dropout=0.0).layers]
    assert "drop6" not in names


def test_groups_knob_halves_grouped_kernels():
    one = build_alexnet("mini", groups=1)
    two = build_alexnet("mini", groups=2)
    for name in ("conv2", "conv4", "conv5"):
        assert two.get_layer(name).count_params() - two.get_layer(name).filters == (
            one.get_layer(name).count_params() - one.get_layer(name).filters
        ) // 2
    assert two.get_layer("conv3").count_params() == one.get_layer("conv3").count_params()


def test_width_knob():
    model = build_alexnet("seed", width=0.5)
    assert [model.get_layer(f"conv{i}").filters for i in range(1, 6)] == [48, 128, 192, 192, 128]
    assert model.get_layer("fc6").units == 2048
    # With two towers every grouped width stays divisible by 2.
    odd = build_alexnet("mini", width=0.1, groups=2)
    assert all(odd.get_layer(f"conv{i}").filters % 2 == 0 for i in range(1, 6))


def test_remove_middle_conv_layer():
    model = build_alexnet("mini", remove=("conv4",))
    names = [layer.name for layer in model.layers]
    assert "conv4" not in names and "conv3" in names and "conv5" in names


def test_make_config_merges_preset_and_knobs():
    config = make_config("paper", num_classes=10)
    assert (config.num_classes, config.groups, config.normalization) == (10, 2, "lrn")


def test_same_seed_same_weights():
    keras.utils.set_random_seed(7)
    first = build_alexnet("mini").get_layer("conv1").get_weights()[0]
    keras.utils.set_random_seed(7)
    second = build_alexnet("mini").get_layer("conv1").get_weights()[0]
    np.testing.assert_array_equal(first, second)


def test_mixed_precision_computes_in_float16_but_keeps_the_softmax_in_float32():
    model = build_alexnet("mini", num_classes=4, input_shape=(32, 32, 3), width=0.125, precision="mixed_float16")
    assert model.get_layer("conv1").compute_dtype == "float16"
    assert model.get_layer("conv1").variable_dtype == "float32"
    assert model.get_layer("fc7").compute_dtype == "float16"
    assert model.get_layer("fc8").compute_dtype == "float32"
    probabilities = model(np.zeros((2, 32, 32, 3), "float32"))
    assert probabilities.dtype == "float32"
    np.testing.assert_allclose(np.sum(probabilities, axis=-1), 1.0, rtol=1e-5)


def test_auto_precision_follows_the_hardware(monkeypatch):
    from alexnet_edu import describe_precision, models

    def machine(devices, features):
        monkeypatch.setattr(keras.distribution, "list_devices", lambda device_type=None: devices)
        monkeypatch.setattr(models, "bfloat16_cpu_features", lambda cpuinfo="/proc/cpuinfo": features)

    machine(["cpu:0"], ())
    assert models.resolve_precision("auto") == "float32"
    assert describe_precision() == "float32 (no GPU, no bfloat16 instructions on this CPU)"
    machine(["cpu:0"], ("avx512_bf16", "amx_bf16"))
    assert models.resolve_precision("auto") == "mixed_bfloat16"
    assert describe_precision() == "mixed bfloat16 (this CPU has bfloat16 instructions: avx512_bf16, amx_bf16)"
    conv2 = build_alexnet("mini", width=0.125).get_layer("conv2")
    assert (conv2.compute_dtype, conv2.variable_dtype) == ("bfloat16", "float32")
    machine(["gpu:0"], ("avx512_bf16",))
    assert models.resolve_precision("auto") == "mixed_float16"
    assert describe_precision() == "mixed float16 (a GPU)"
    assert build_alexnet("mini", width=0.125).get_layer("conv2").compute_dtype == "float16"
    assert models.resolve_precision("float32") == "float32" and describe_precision("float32") == "float32 (chosen)"
    with pytest.raises(ValueError, match="Unknown precision 'half'. Valid values: 'auto', 'float32'"):
        models.resolve_precision("half")


def test_bfloat16_cpu_features_reads_the_flags_of_linux(tmp_path):
    from alexnet_edu.models import bfloat16_cpu_features

    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(
        "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx2 avx512f amx_bf16 avx512_bf16 avx512_vnni\n\n"
        "processor\t: 1\nflags\t\t: fpu avx2 avx512f amx_bf16 avx512_bf16 avx512_vnni\n"
    )
    assert bfloat16_cpu_features(cpuinfo) == ("avx512_bf16", "amx_bf16")
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma avx512f\n")  # AVX-512 without BF16
    assert bfloat16_cpu_features(cpuinfo) == ()
    assert bfloat16_cpu_features(tmp_path / "missing") == ()  # macOS, Windows: no /proc/cpuinfo


def test_paper_preset_trains_in_mixed_bfloat16():
    # TensorFlow has no bfloat16 LRN kernel on CPUs: the layer normalises in float32 and returns bfloat16.
    model = build_alexnet("paper", input_shape=(67, 67, 3), num_classes=4, width=0.125, precision="mixed_bfloat16")
    assert model.get_layer("norm1").compute_dtype == "bfloat16" and model.get_layer("fc8").compute_dtype == "float32"
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    images = np.random.default_rng(0).uniform(size=(4, 67, 67, 3)).astype("float32")
    loss = model.train_on_batch(images, np.arange(4))
    assert np.isfinite(loss) and loss == pytest.approx(np.log(4), abs=0.5)
    assert all(np.isfinite(weight).all() for weight in model.get_weights())


def test_figure1_cnn_is_cuda_convnets_cifar_network_without_normalization():
    from alexnet_edu.models import build_figure1_cnn

    model = build_figure1_cnn("tanh")
    names = [layer.name for layer in model.layers]
    assert names == ["image", "center", "conv1", "pool1", "conv2", "pool2", "conv3", "pool3", "flatten", "fc4"]
    # 5x5 kernels: 3*25*32+32, 32*25*32+32, 32*25*64+64; softmax on 4*4*64 = 1024 features.
    assert [model.get_layer(f"conv{i}").count_params() for i in (1, 2, 3)] == [2432, 25632, 51264]
    assert model.get_layer("fc4").count_params() == 1024 * 10 + 10
    assert model.get_layer("pool1").__class__.__name__ == "MaxPooling2D"
    assert model.get_layer("pool3").__class__.__name__ == "AveragePooling2D"
    assert all(model.get_layer(f"conv{i}").activation.__name__ == "tanh" for i in (1, 2, 3))
    centred = model.get_layer("center")(np.full((1, 2, 2, 3), 0.5, "float32"))
    assert np.allclose(centred, 0.0)
    assert build_figure1_cnn(num_classes=4, input_shape=(16, 16, 3)).output_shape == (None, 4)


@pytest.mark.parametrize(
    "knobs, message",
    [
        (dict(activation="swish"), "Unknown activation 'swish'"),
        (dict(num_classes=1), "num_classes must be an integer of at least 2"),
        (dict(input_shape=(4, 4, 3)), "at least 8x8 pixels"),
        (dict(input_shape=(3, 32, 32, 1)), r"\(height, width, channels\)"),
    ],
)
def test_figure1_cnn_refuses_bad_knobs(knobs, message):
    from alexnet_edu.models import build_figure1_cnn

    with pytest.raises(ValueError, match=message):
        build_figure1_cnn(**knobs)
