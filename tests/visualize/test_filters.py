import numpy as np
import pytest

from alexnet_edu import build_alexnet
from alexnet_edu.visualize import (
    color_specificity,
    conv_kernels,
    low_frequency_share,
    noise_low_frequency_share,
    plot_first_layer_filters,
    plot_kernels,
    towers,
)


def test_color_specificity_of_known_kernels():
    pattern = np.random.default_rng(0).normal(size=(5, 5))
    grey = np.repeat(pattern[..., None], 3, axis=2)
    colour = np.stack([pattern, -pattern, np.zeros_like(pattern)], axis=2)
    mixed = grey + 0.5 * colour
    scores = color_specificity(np.stack([grey, colour, mixed], axis=-1))
    assert scores[0] == pytest.approx(0, abs=1e-9)
    assert scores[1] == pytest.approx(1)
    assert 0.2 < scores[2] < 0.8


def test_towers_follow_the_grouped_layer(tiny_towers):
    filters = conv_kernels(tiny_towers, "conv1").shape[-1]
    split = towers(tiny_towers, "conv1")
    assert [list(t) for t in split] == [list(range(filters // 2)), list(range(filters // 2, filters))]
    assert len(towers(build_alexnet("mini", input_shape=(32, 32, 3)), "conv1")) == 1


def test_first_layer_figure(tiny_towers):
    figure = plot_first_layer_filters(tiny_towers, columns=4)
    panels = [ax for ax in figure.axes if ax.images]
    kernels = conv_kernels(tiny_towers, "conv1")
    assert len(panels) == kernels.shape[-1]
    shown = np.stack([p.images[0].get_array() for p in panels], axis=-1)
    assert shown.min() == pytest.approx(0) and shown.max() == pytest.approx(1)
    scores = color_specificity(kernels)
    assert [p.get_title() for p in panels] == [f"{s:.2f}" for s in scores]
    title = figure.texts[0].get_text() if figure.texts else figure._suptitle.get_text()
    assert f"tower 1: mean colour score {scores[:len(scores) // 2].mean():.2f}" in title


def test_deeper_kernels_grid(tiny_towers):
    figure = plot_kernels(tiny_towers, "conv2", filters=[0, 3], input_channels=2)
    assert len([ax for ax in figure.axes if ax.images]) == 4
    with pytest.raises(ValueError, match=r"conv2 has \d+ filters .* Received: filter 999"):
        plot_kernels(tiny_towers, "conv2", filters=[999])


def test_kernels_of_tower_two_name_the_input_maps_they_read():
    # The paper's conv2: filters 128-255 read pool1's maps 48-95 (the kernel's channels 0-47).
    figure = plot_kernels(build_alexnet("paper"), "conv2", filters=[0, 200], input_channels=[0, 1])
    titles = [[ax.get_title() for ax in row] for row in np.asarray([ax for ax in figure.axes if ax.images]).reshape(2, 2)]
    assert titles == [["in 0", "in 1"], ["in 48", "in 49"]]
    second = plot_kernels(build_alexnet("paper"), "conv2", filters=[200, 201], input_channels=[0, 1])
    assert [ax.get_title() for ax in second.axes if ax.images] == ["in 48", "in 49", "", ""]  # one tower: named once
    one_tower = plot_kernels(build_alexnet("seed"), "conv2", filters=[0, 200], input_channels=[0, 1])
    assert [ax.get_title() for ax in one_tower.axes if ax.images] == ["in 0", "in 1", "", ""]


def test_layer_errors(tiny_towers):
    with pytest.raises(ValueError, match=r"Unknown layer 'conv9' in model 'alexnet_mini'\. Valid names: image, conv1"):
        conv_kernels(tiny_towers, "conv9")
    with pytest.raises(ValueError, match=r"Layer 'fc6' is a Dense; showing kernels needs one of: conv1, conv2, conv3, conv4, conv5\."):
        conv_kernels(tiny_towers, "fc6")
    with pytest.raises(ValueError, match=r"needs RGB kernels"):
        color_specificity(conv_kernels(tiny_towers, "conv2"))


def test_low_frequency_share_of_known_kernels():
    flat = np.ones((11, 11, 3, 1))
    checkerboard = np.indices((11, 11)).sum(axis=0) % 2 * 2.0 - 1  # energy near 0.5 cycles per pixel
    stripes = np.cos(2 * np.pi * 0.1 * np.arange(11))[None, :].repeat(11, axis=0)  # 0.1 cycles per pixel
    kernels = np.concatenate([flat, np.stack([checkerboard] * 3, -1)[..., None], np.stack([stripes] * 3, -1)[..., None]], -1)
    shares = low_frequency_share(kernels)
    assert shares[0] == pytest.approx(1.0)
    assert shares[1] < 0.05
    assert shares[2] > 0.95
    # A sine at 0.3 cycles per pixel counts as low only once the cutoff passes it.
    fine = np.cos(2 * np.pi * 0.3 * np.arange(20))[None, :].repeat(20, axis=0)[:, :, None, None]
    assert low_frequency_share(fine, cutoff=0.25)[0] < 0.1 < 0.9 < low_frequency_share(fine, cutoff=0.35)[0]


def test_white_noise_has_the_share_that_noise_low_frequency_share_predicts():
    noise = np.random.default_rng(0).normal(size=(11, 11, 3, 4000))
    assert noise_low_frequency_share(11) == pytest.approx(21 / 121)  # the points within 0.25 cycles per pixel
    assert low_frequency_share(noise).mean() == pytest.approx(noise_low_frequency_share(11), abs=0.005)
    assert noise_low_frequency_share((5, 5)) == pytest.approx(5 / 25)


def test_low_frequency_share_refuses_bad_input():
    with pytest.raises(ValueError, match=r"kernels of shape \(height, width, input_channels, filters\)\. Received: shape \(11, 11, 3\)"):
        low_frequency_share(np.ones((11, 11, 3)))
    with pytest.raises(ValueError, match=r"cutoff must be a frequency from 0 to 0\.5 .* Received: cutoff=0\.7"):
        low_frequency_share(np.ones((3, 3, 3, 1)), cutoff=0.7)
