import io
import itertools
import re

import keras
import matplotlib.text
import numpy as np
import pytest
from keras import layers
from PIL import Image

from alexnet_edu import build_alexnet
from alexnet_edu.visualize import architecture_blocks, plot_architecture


def architecture_two_layers():
    """conv + dense: 3x3x3x4 + 4 = 112 and 144x2 + 2 = 290 parameters."""
    inputs = keras.Input((8, 8, 3), name="pixels")
    x = layers.Conv2D(4, 3, activation="relu", name="c")(inputs)
    x = layers.Flatten(name="f")(x)
    return keras.Model(inputs, layers.Dense(2, name="d")(x), name="two")


def architecture_grouped():
    """a (1x1 conv) -> p (pool) -> g (groups=2) -> bn -> m (1x1 conv, mixes the towers) -> gap."""
    inputs = keras.Input((8, 8, 4), name="pixels")
    x = layers.Conv2D(4, 1, name="a")(inputs)
    x = layers.MaxPooling2D(2, name="p")(x)
    x = layers.Conv2D(6, 3, groups=2, padding="same", name="g")(x)
    x = layers.BatchNormalization(name="bn")(x)
    x = layers.Conv2D(2, 1, name="m")(x)
    return keras.Model(inputs, layers.GlobalAveragePooling2D(name="gap")(x), name="grouped")


def architecture_column(blocks, column):
    return blocks[column].tolist()


def test_blocks_of_a_two_layer_model():
    blocks = architecture_blocks(architecture_two_layers())
    assert architecture_column(blocks, "layer") == ["pixels", "c", "f", "d"]
    assert architecture_column(blocks, "kind") == ["input", "conv", "flatten", "fc"]
    assert architecture_column(blocks, "tower") == [0, 0, 0, 0]
    assert architecture_column(blocks, "towers") == [1, 1, 1, 1]
    assert architecture_column(blocks, "output_shape") == [(8, 8, 3), (6, 6, 4), (144,), (2,)]
    assert architecture_column(blocks, "inputs") == [(), (0,), (0,), (0,)]
    assert architecture_column(blocks, "params") == [0, 112, 0, 290]
    assert architecture_column(blocks, "operation") == ["input", "conv 3×3, relu", "flatten", "dense"]


def test_grouped_layers_and_what_feeds_them_become_towers():
    blocks = architecture_blocks(architecture_grouped())
    assert architecture_column(blocks, "layer") == ["pixels", "a", "a", "p", "p", "g", "g", "bn", "bn", "m", "gap"]
    assert architecture_column(blocks, "tower") == [0, 1, 2, 1, 2, 1, 2, 1, 2, 0, 0]
    # a feeds g through a pool: split like g; the image and the mixing m are whole.
    assert architecture_column(blocks, "output_shape") == [
        (8, 8, 4), (8, 8, 2), (8, 8, 2), (4, 4, 2), (4, 4, 2), (4, 4, 3), (4, 4, 3), (4, 4, 3), (4, 4, 3), (4, 4, 2), (2,),
    ]  # fmt: skip
    assert architecture_column(blocks, "inputs") == [(), (0,), (0,), (1,), (2,), (1,), (2,), (1,), (2,), (1, 2), (0,)]
    # Each tower holds half the layer: a has 4x4+4 = 20, g 3x3x2x6+6 = 114, bn 4x6 = 24; m (whole) 6x2+2 = 14.
    assert architecture_column(blocks, "params") == [0, 10, 10, 0, 0, 57, 57, 12, 12, 14, 0]
    assert blocks.operation[5] == "conv 3×3, 2 groups"
    assert blocks.operation[3] == "max pool 2×2, stride 2" and blocks.operation[10] == "global average pool"


def test_four_towers_feed_two_in_pairs():
    inputs = keras.Input((4, 4, 8), name="pixels")
    x = layers.Conv2D(8, 1, groups=4, name="g4")(inputs)
    x = layers.Conv2D(4, 1, groups=2, name="g2")(x)
    blocks = architecture_blocks(keras.Model(inputs, layers.Flatten(name="f")(x)))
    g2 = blocks[blocks.layer == "g2"]
    assert g2.inputs.tolist() == [(1, 2), (3, 4)]
    assert g2.output_shape.tolist() == [(4, 4, 2), (4, 4, 2)]
    assert blocks[blocks.layer == "pixels"].output_shape.tolist() == [(4, 4, 2)] * 4  # the image's channels split in 4
    assert blocks[blocks.layer == "f"].inputs.tolist() == [(1, 2)]


def test_the_paper_model_is_figure_2(paper_model):
    blocks = architecture_blocks(paper_model)
    towers = blocks[blocks.towers == 2]
    assert list(dict.fromkeys(towers.layer)) == ["conv1", "norm1", "pool1", "conv2", "norm2", "pool2", "conv3", "conv4", "conv5", "pool5"]
    conv = towers[towers.kind == "conv"].drop_duplicates("layer")
    # Figure 2: 48, 128, 192, 192 and 128 kernel maps on each GPU.
    assert [shape[-1] for shape in conv.output_shape] == [48, 128, 192, 192, 128]
    crossing = blocks[blocks.inputs.map(len) == 2]
    assert crossing.layer.tolist() == ["conv3", "conv3", "flatten"]
    assert blocks.query("layer == 'conv2'").inputs.tolist() == [(1,), (2,)]
    assert blocks.query("layer == 'conv1'").inputs.tolist() == [(0,), (0,)]
    by_layer = blocks.groupby("layer", sort=False).params.sum()
    assert {name: by_layer[name] for name in by_layer.index} == {layer.name: layer.count_params() for layer in paper_model.layers}
    assert blocks.query("layer == 'fc6'").output_shape.item() == (4096,)


def test_one_tower_models_are_one_column(seed_model):
    blocks = architecture_blocks(seed_model)
    assert set(blocks.towers) == {1} and set(blocks.tower) == {0}
    assert blocks.layer.tolist() == [layer.name for layer in seed_model.layers]
    assert blocks.output_shape.tolist() == [tuple(layer.output.shape[1:]) for layer in seed_model.layers]


def test_sequential_model_starts_with_its_input():
    model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3, name="c"), layers.Flatten(name="f")])
    blocks = architecture_blocks(model)
    assert blocks.kind.tolist() == ["input", "conv", "flatten"]
    assert blocks.layer.tolist()[1:] == ["c", "f"]


def architecture_branching():
    inputs = keras.Input((4,), name="x")
    left, right = layers.Dense(3, name="left")(inputs), layers.Dense(3, name="right")(inputs)
    return keras.Model(inputs, layers.Add(name="add")([left, right]), name="branching")


def architecture_two_inputs():
    first, second = keras.Input((4,), name="first"), keras.Input((4,), name="second")
    return keras.Model([first, second], layers.Concatenate()([first, second]), name="two_inputs")


CASES = [
    pytest.param(lambda: architecture_blocks("paper"), TypeError, r"model must be a Keras model, e\.g\. build_alexnet", id="not-a-model"),
    pytest.param(
        lambda: architecture_blocks(architecture_branching()),
        ValueError,
        r"one chain, each feeding the next .*layer 'right' .* fed by \['x'\] instead of 'left'\. Received: model='branching'",
        id="branching",
    ),
    pytest.param(
        lambda: architecture_blocks(architecture_two_inputs()), ValueError, r"one image input; .* has 2 inputs", id="two-inputs"
    ),
    pytest.param(
        lambda: architecture_blocks(keras.Sequential([layers.Dense(2)], name="unbuilt")),
        ValueError,
        r"is not built.*start it with keras\.Input\(shape=\.\.\.\) or call it on a batch first\. Received: model='unbuilt'",
        id="unbuilt",
    ),
    pytest.param(
        lambda: plot_architecture(architecture_two_layers(), dpi=72), ValueError, r"dpi must be at least 100 .* Received: dpi=72", id="low-dpi"
    ),
    pytest.param(
        lambda: plot_architecture(architecture_two_layers(), dpi="high"), TypeError, r"dpi must be a number .* e\.g\. 100.* Received: dpi='high'",
        id="dpi-type",
    ),  # fmt: skip
]


@pytest.mark.parametrize("call, error, pattern", CASES)
def test_architecture_bad_inputs(call, error, pattern):
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert re.search(pattern, message), message
    assert "\n" not in message


def architecture_texts(figure):
    """Every text drawn: labels, title, legend (the hidden axis's tick labels are not drawn)."""
    figure.canvas.draw()
    (ax,) = figure.axes
    texts = ax.texts + [ax.title] + [t for legend in figure.legends for t in legend.get_texts()]
    return [t for t in texts if t.get_visible() and t.get_text()]


def test_figure_draws_every_block_and_arrow(paper_model):
    figure = plot_architecture(paper_model)
    blocks = architecture_blocks(paper_model)
    (ax,) = figure.axes
    shown = [t.get_text() for t in architecture_texts(figure)]
    for block in blocks.itertuples():
        assert f"{block.layer}   {'×'.join(map(str, block.output_shape))}" in shown
    assert shown.count("conv2   27×27×128") == 2 and "fc6   4096" in shown
    assert {"tower 1", "tower 2", "operation", "parameters", "conv 5×5, 2 groups, relu", "307,456"} <= set(shown)
    assert ax.get_title() == "alexnet_paper: 5 conv and 3 dense layers, grouped channels split into 2 towers"
    assert len([p for p in ax.patches if p.get_zorder() == 2]) == len(blocks)
    arrows = [a for a in ax.texts if isinstance(a, matplotlib.text.Annotation)]
    assert len(arrows) == blocks.inputs.map(len).sum() == 29
    # Slanted arrows: the image fans out to both towers, conv3 crosses between them, flatten joins them.
    assert sum(not np.isclose(a.xy[0], a.xyann[0]) for a in arrows) == 6
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == ["input", "conv", "norm", "pool", "flatten", "fc", "dropout"]


def test_figure_is_legible_and_nothing_overlaps(paper_model):
    figure = plot_architecture(paper_model)
    assert figure.dpi >= 100
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    width, height = Image.open(buffer).size
    assert (width, height) == tuple(round(size * 100) for size in figure.get_size_inches())
    texts = architecture_texts(figure)
    assert min(t.get_fontsize() for t in texts) >= 10
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    page = figure.bbox
    assert all(page.x0 <= b.x0 and b.x1 <= page.x1 and page.y0 <= b.y0 and b.y1 <= page.y1 for b in boxes)
    overlapping = [(a.get_text(), b.get_text()) for (a, p), (b, q) in itertools.combinations(zip(texts, boxes), 2) if p.overlaps(q)]
    assert not overlapping
    # Each block's label fits inside its block.
    ax = figure.axes[0]
    rectangles = [p.get_window_extent(renderer) for p in ax.patches if p.get_zorder() == 2]
    labels = [b for t, b in zip(texts, boxes) if t.get_zorder() == 4]
    assert len(labels) == len(rectangles)
    assert all(r.x0 < b.x0 and b.x1 < r.x1 and r.y0 < b.y0 and b.y1 < r.y1 for r, b in zip(rectangles, labels))


def test_figure_of_one_tower_has_no_tower_headers():
    figure = plot_architecture(architecture_two_layers(), title="two layers", dpi=120)
    shown = [t.get_text() for t in architecture_texts(figure)]
    assert "tower 1" not in shown and figure.dpi == 120
    assert figure.axes[0].get_title() == "two layers"
    assert {"pixels   8×8×3", "c   6×6×4", "f   144", "d   2", "112", "290", "conv 3×3, relu"} <= set(shown)


def test_figure_of_a_preset_with_padding():
    figure = plot_architecture(build_alexnet("mini", input_shape=(32, 32, 3), conv1_padding=2, width=0.125))
    shown = [t.get_text() for t in architecture_texts(figure)]
    assert "pad1   36×36×3" in shown and "zero padding 2" in shown
