"""The architecture as a diagram: one row of blocks per layer, grouped layers as towers side by side.

`architecture_blocks` turns a chain-shaped Keras model into the blocks of
the paper's Figure 2: one block per layer, or one per tower where the layer
runs in towers (the paper's two GPUs); `plot_architecture` draws them.
"""

import numbers
from fractions import Fraction

import keras
import matplotlib.pyplot as plt
import pandas as pd

from alexnet_edu.visualize._layers import check_model

BLOCK_COLUMNS = ("layer", "type", "kind", "tower", "towers", "output_shape", "inputs", "operation", "params")

# Light tints of the kit's colours (conv blue, fc orange as in `plot_breakdown`): black text stays readable.
KIND_COLOURS = {
    "input": "#c7c7c7",
    "conv": "#aec7e8",
    "norm": "#98df8a",
    "pool": "#c5b0d5",
    "flatten": "#dbdb8d",
    "fc": "#ffbb78",
    "dropout": "#f7b6d2",
    "other": "#e7e7e7",
}

# Layout, in inches: the axes' data units are inches, so nothing is stretched.
_WIDTH = 10.5
_TOWERS_LEFT, _TOWERS_RIGHT, _TOWER_GAP = 0.25, 6.45, 0.3
_OPERATION_X, _PARAMS_RIGHT = 6.7, 10.3
_BLOCK_HEIGHT, _STRAIGHT_GAP, _CROSSING_GAP = 0.32, 0.16, 0.48
_HEADER, _TOP, _BOTTOM = 0.4, 0.6, 0.6


def _kind(layer):
    """The block's kind: its colour in the diagram."""
    name = type(layer).__name__
    if isinstance(layer, keras.layers.InputLayer):
        return "input"
    if "Conv" in name:
        return "conv"
    if isinstance(layer, keras.layers.Dense):
        return "fc"
    if "Pooling" in name:
        return "pool"
    if "Normalization" in name:
        return "norm"
    if isinstance(layer, (keras.layers.Flatten, keras.layers.Reshape)):
        return "flatten"
    if "Dropout" in name:
        return "dropout"
    return "other"


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _activation(layer):
    activation = getattr(layer, "activation", None)
    name = getattr(activation, "__name__", None)
    return "" if name in (None, "linear") else f", {name}"


def _operation(layer, kind):
    """What the layer does, in a few words: `"conv 11×11, stride 4, relu"`."""
    if kind == "input":
        return "input"
    if kind == "conv":
        window = "×".join(str(k) for k in _pair(layer.kernel_size))
        stride = _pair(layer.strides)[0]
        groups = getattr(layer, "groups", 1)
        return (
            f"conv {window}{f', stride {stride}' if stride != 1 else ''}"
            f"{f', {groups} groups' if groups > 1 else ''}{_activation(layer)}"
        )
    if kind == "pool":
        how = "max" if "Max" in type(layer).__name__ else "average"
        if "Global" in type(layer).__name__:
            return f"global {how} pool"
        window = "×".join(str(k) for k in _pair(layer.pool_size))
        return f"{how} pool {window}, stride {_pair(layer.strides)[0]}"
    if kind == "fc":
        return f"dense{_activation(layer)}"
    if kind == "norm":
        return {"LocalResponseNormalization": "local response norm", "BatchNormalization": "batch norm"}.get(
            type(layer).__name__, type(layer).__name__
        )
    if kind == "dropout":
        return f"dropout {layer.rate:g}"
    if kind == "flatten":
        return type(layer).__name__.lower()
    if isinstance(layer, keras.layers.ZeroPadding2D):
        return f"zero padding {_pair(layer.padding)[0][0]}"
    return type(layer).__name__


def _chain(model):
    """The model's input layer and its layers in order, or a one-line error unless they form one chain."""
    check_model(model)
    try:
        inputs = model.inputs
    except AttributeError:
        inputs = None
    if not inputs:
        raise ValueError(
            f"Model {model.name!r} is not built, so its layers have no shapes yet: start it with keras.Input(shape=...) "
            f"or call it on a batch first. Received: model={model.name!r}"
        )
    if len(inputs) != 1:
        raise ValueError(
            f"architecture_blocks draws models with one image input; model {model.name!r} has {len(inputs)} inputs. "
            f"Received: model={model.name!r}"
        )
    chain = [inputs[0]._keras_history.operation]
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        nodes = layer._inbound_nodes
        feeds = [tensor._keras_history.operation for tensor in nodes[0].input_tensors] if nodes else []
        if isinstance(layer, keras.Model) or len(nodes) != 1 or feeds != [chain[-1]]:
            raise ValueError(
                f"architecture_blocks draws models whose layers form one chain, each feeding the next (like every "
                f"AlexNet here); layer {layer.name!r} is nested, shared or fed by {[op.name for op in feeds]} instead of "
                f"{chain[-1].name!r}. Received: model={model.name!r}"
            )
        chain.append(layer)
    return chain


def _channelwise(layer, kind):
    """True for layers that act on each channel alone (pooling, normalisation, dropout...): they keep the towers."""
    if kind in ("input", "conv", "fc", "flatten"):
        return False
    before, after = tuple(layer.input.shape), tuple(layer.output.shape)
    return len(before) == len(after) and before[-1] == after[-1]


def _tower_counts(chain, kinds):
    """How many towers each layer's output is split into.

    A grouped convolution runs as `groups` towers. A layer whose output
    feeds a grouped convolution (through channel-wise layers only) is split
    the same way, as the paper's conv1 and conv3 are; channel-wise layers
    keep the towers of their input.
    """
    groups = [getattr(layer, "groups", 1) if kind == "conv" else 1 for layer, kind in zip(chain, kinds)]
    channelwise = [_channelwise(layer, kind) for layer, kind in zip(chain, kinds)]
    following = [1] * len(chain)  # the towers of the next layer that mixes channels
    upcoming = 1
    for index in range(len(chain) - 1, -1, -1):
        following[index] = upcoming
        if not channelwise[index]:
            upcoming = groups[index]
    counts = []
    for index, (group, same) in enumerate(zip(groups, channelwise)):
        if group > 1:
            counts.append(group)
        elif same and index:
            counts.append(max(counts[-1], following[index]))
        else:
            counts.append(following[index])
    return counts, channelwise


def _feeding(previous, current, keeps_towers):
    """The towers of the previous layer that feed each tower of this one (0: the whole layer)."""
    if previous == 1:
        return [(0,)] * current
    if not keeps_towers:
        return [tuple(range(1, previous + 1))] * current
    feeds = []
    for tower in range(current):
        start, stop = Fraction(tower, current), Fraction(tower + 1, current)
        feeds.append(tuple(p + 1 for p in range(previous) if Fraction(p, previous) < stop and Fraction(p + 1, previous) > start))
    return feeds


def architecture_blocks(model):
    """The blocks of the architecture diagram: one per layer, or one per tower.

    A layer is drawn as towers side by side where the model splits its
    channels into independent groups, as the paper's two GPUs did: grouped
    convolutions (`groups=2` in the paper's conv2, conv4 and conv5), the
    layers whose output feeds them (conv1 and conv3, through pooling and
    normalisation), and channel-wise layers between them. Every other layer
    is one block across all towers.

    Example:

    >>> blocks = architecture_blocks(build_alexnet("paper"))
    >>> blocks.query("layer == 'conv2'")[["tower", "output_shape", "inputs"]].values.tolist()
    [[1, (27, 27, 128), (1,)], [2, (27, 27, 128), (2,)]]

    Args:
        model: A built Keras model whose layers form one chain (each layer
            feeding the next), such as `build_alexnet("paper")`.

    Returns:
        A `pandas.DataFrame`, one row per block from input to output, with
        `layer` (name), `type` (class name), `kind` (`"input"`, `"conv"`,
        `"norm"`, `"pool"`, `"flatten"`, `"fc"`, `"dropout"` or `"other"`),
        `tower` (1, 2, ... for a tower's block; 0 for a block that spans
        the whole layer), `towers` (the layer's number of blocks),
        `output_shape` (of this block, without the batch axis: a tower gets
        its share of the channels), `inputs` (the towers of the previous
        layer that feed this block: `(1,)` within tower 1, `(1, 2)` across
        both, `(0,)` from a whole layer), `operation` (in words, e.g.
        `"conv 5×5, 2 groups, relu"`) and `params` (this block's share of
        the layer's parameters).

    Raises:
        TypeError: `model` is not a Keras model.
        ValueError: The model is not built, has several inputs, or its
            layers do not form one chain (branches, shared or nested layers).
    """
    chain = _chain(model)
    kinds = [_kind(layer) for layer in chain]
    counts, channelwise = _tower_counts(chain, kinds)
    rows = []
    for index, (layer, kind, count) in enumerate(zip(chain, kinds, counts)):
        shape = tuple(layer.output.shape[1:])
        if count > 1:
            shape = shape[:-1] + (shape[-1] // count,)
        keeps_towers = channelwise[index] or (kind == "conv" and getattr(layer, "groups", 1) > 1)
        feeds = _feeding(counts[index - 1], count, keeps_towers) if index else [()] * count
        params = layer.count_params() // count
        for tower in range(count):
            rows.append(
                {
                    "layer": layer.name,
                    "type": type(layer).__name__,
                    "kind": kind,
                    "tower": tower + 1 if count > 1 else 0,
                    "towers": count,
                    "output_shape": shape,
                    "inputs": feeds[tower],
                    "operation": _operation(layer, kind),
                    "params": params,
                }
            )
    return pd.DataFrame(rows, columns=list(BLOCK_COLUMNS))


def _shape_text(shape):
    return "×".join(str(size) for size in shape)


def _check_dpi(dpi):
    if isinstance(dpi, bool) or not isinstance(dpi, numbers.Real):
        raise TypeError(f"dpi must be a number of dots per inch, e.g. 100 (legible on a projector). Received: dpi={dpi!r}")
    if not dpi >= 100:
        raise ValueError(f"dpi must be at least 100 so the diagram stays legible on a projector, e.g. 100. Received: dpi={dpi!r}")
    return float(dpi)


def plot_architecture(model, title=None, dpi=100):
    """Draws the model as the paper's Figure 2 does: blocks with shapes, towers side by side.

    One row per layer from the input (top) to the output (bottom): each
    block shows the layer's name and output shape, coloured by kind; a
    layer that runs in towers (see `architecture_blocks`) is drawn as one
    block per tower on a shaded column, with arrows that stay within a
    tower (grouped layers) or cross between towers (conv3 and the dense
    layers in the paper's model). Beside each row: the operation and the
    layer's parameter count.

    Example:

    >>> figure = plot_architecture(build_alexnet("paper"))
    >>> figure.savefig("alexnet.png")

    Args:
        model: A built Keras model whose layers form one chain.
        title: The axes' title; defaults to the model's name, its number of
            layers and its towers.
        dpi: Dots per inch of the figure (100 or more; text is 10 pt or
            more).

    Returns:
        A matplotlib `Figure` with one axes.

    Raises:
        TypeError: `model` is not a Keras model, or `dpi` is not a number.
        ValueError: The model does not form one chain (see
            `architecture_blocks`), or `dpi` is below 100.
    """
    dpi = _check_dpi(dpi)
    blocks = architecture_blocks(model)
    layers = list(dict.fromkeys(blocks.layer))
    most = int(blocks.towers.max())

    # Rows top-down: a wider gap where arrows cross or fan out, so they can be followed.
    tops, y = {}, 0.0
    previous = None
    for name in layers:
        row = blocks[blocks.layer == name]
        if previous is not None:
            straight = all(len(feeds) == 1 for feeds in row.inputs) and len(row) == len(previous)
            y -= _STRAIGHT_GAP if straight else _CROSSING_GAP
        tops[name] = y
        y -= _BLOCK_HEIGHT
        previous = row
    content = -y
    height = _TOP + _HEADER + content + _BOTTOM
    figure = plt.figure(figsize=(_WIDTH, height), dpi=dpi)
    ax = figure.add_axes((0, _BOTTOM / height, 1, (content + _HEADER) / height))
    ax.set_xlim(0, _WIDTH)
    ax.set_ylim(-content - 0.05, _HEADER)  # room for the last block's edge
    ax.axis("off")

    def column(tower, towers):
        """Left and right edges of a tower's block (tower 0: the whole width)."""
        if tower == 0:
            return _TOWERS_LEFT, _TOWERS_RIGHT
        width = (_TOWERS_RIGHT - _TOWERS_LEFT - (towers - 1) * _TOWER_GAP) / towers
        left = _TOWERS_LEFT + (tower - 1) * (width + _TOWER_GAP)
        return left, left + width

    # Shaded columns behind each run of layers that runs in towers.
    run = []
    for name in layers + [None]:
        towers = int(blocks[blocks.layer == name].towers.iloc[0]) if name else 1
        if run and (towers != run[0][1]):
            top, bottom = tops[run[0][0]] + 0.08, tops[run[-1][0]] - _BLOCK_HEIGHT - 0.08
            for tower in range(1, run[0][1] + 1):
                left, right = column(tower, run[0][1])
                ax.add_patch(plt.Rectangle((left - 0.08, bottom), right - left + 0.16, top - bottom, color="#f0f0f0", zorder=0))
            run = []
        if towers > 1:
            run.append((name, towers))

    ax.text(_OPERATION_X, _HEADER / 2, "operation", fontsize=11, fontweight="bold", va="center")
    ax.text(_PARAMS_RIGHT, _HEADER / 2, "parameters", fontsize=11, fontweight="bold", va="center", ha="right")
    if most > 1:
        for tower in range(1, most + 1):
            left, right = column(tower, most)
            ax.text((left + right) / 2, _HEADER / 2, f"tower {tower}", fontsize=11, fontweight="bold", ha="center", va="center")

    centres = {}
    for block in blocks.itertuples():
        left, right = column(block.tower, block.towers)
        top = tops[block.layer]
        colour = KIND_COLOURS[block.kind]
        box = plt.Rectangle((left, top - _BLOCK_HEIGHT), right - left, _BLOCK_HEIGHT, facecolor=colour, edgecolor="0.3", lw=0.8)
        ax.add_patch(box).set_zorder(2)
        label = f"{block.layer}   {_shape_text(block.output_shape)}"
        ax.text((left + right) / 2, top - _BLOCK_HEIGHT / 2, label, fontsize=11, ha="center", va="center", zorder=4)
        centres[block.layer, block.tower] = (left + right) / 2
        for source in block.inputs:
            above = layers[layers.index(block.layer) - 1]
            ax.annotate(
                "",
                xy=((left + right) / 2, top),
                xytext=(centres[above, source], tops[above] - _BLOCK_HEIGHT),
                arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.0, shrinkA=0, shrinkB=0, mutation_scale=9),
                zorder=1,
            )
    for name in layers:
        row = blocks[blocks.layer == name].iloc[0]
        middle = tops[name] - _BLOCK_HEIGHT / 2
        ax.text(_OPERATION_X, middle, row.operation, fontsize=10, va="center")
        ax.text(_PARAMS_RIGHT, middle, f"{int(row.params) * int(row.towers):,}", fontsize=10, va="center", ha="right")

    if title is None:
        weighted = blocks.drop_duplicates("layer").kind.value_counts()
        title = f"{model.name}: {weighted.get('conv', 0)} conv and {weighted.get('fc', 0)} dense layers"
        if most > 1:
            title += f", grouped channels split into {most} towers"
    ax.set_title(title, fontsize=13, pad=12)
    kinds = list(dict.fromkeys(blocks.kind))
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=KIND_COLOURS[k], edgecolor="0.3") for k in kinds]
    figure.legend(
        handles, kinds, loc="lower center", ncol=len(kinds), fontsize=10, frameon=False, bbox_to_anchor=(0.5, 0.1 / height)
    )
    return figure
