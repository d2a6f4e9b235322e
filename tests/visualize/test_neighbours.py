import keras
import numpy as np
import pytest

from alexnet_edu.data import arrays_to_data
from alexnet_edu.models import build_alexnet
from alexnet_edu.visualize import embed_2d, extract_features, nearest_neighbours, plot_embedding, plot_nearest_neighbours


def test_nearest_neighbours_brute_force():
    rng = np.random.default_rng(0)
    reference = rng.normal(size=(30, 5))
    query = np.vstack([reference[7], rng.normal(size=(3, 5))])
    found = nearest_neighbours(query, reference, k=4)
    distances = np.linalg.norm(query[:, None] - reference[None], axis=-1)
    np.testing.assert_array_equal(found, np.argsort(distances, axis=1)[:, :4])
    assert found[0, 0] == 7


def test_extract_fc7_features(tiny_towers):
    x = np.random.default_rng(0).integers(0, 255, size=(6, 32, 32, 3)).astype("uint8")
    data = arrays_to_data(x, [0, 1, 2, 3, 0, 1], x, [0, 1, 2, 3, 0, 1], list("abcd"), batch_size=4)
    features, labels = extract_features(tiny_towers, data.validation)
    assert features.shape == (6, tiny_towers.get_layer("fc7").units)
    assert labels.tolist() == [0, 1, 2, 3, 0, 1]
    array_features, none = extract_features(tiny_towers, x.astype("float32") / 255, "pool5")
    assert none is None and array_features.shape == (6, int(np.prod(tiny_towers.get_layer("pool5").output.shape[1:])))
    np.testing.assert_allclose(extract_features(tiny_towers, x.astype("float32") / 255)[0], features, rtol=1e-4, atol=1e-6)


def test_features_of_a_mixed_precision_model_are_float32():
    # Distances summed over a thousand bfloat16 squares would keep three significant digits at best.
    keras.utils.set_random_seed(1)
    model = build_alexnet("mini", input_shape=(32, 32, 3), num_classes=4, width=0.25, precision="mixed_bfloat16")
    photos = np.random.default_rng(0).uniform(size=(6, 32, 32, 3)).astype("float32")
    features, _ = extract_features(model, photos)
    fc7 = keras.Model(model.input, model.get_layer("fc7").output)(photos)
    assert fc7.dtype == "bfloat16" and features.dtype == np.float32
    np.testing.assert_array_equal(features, np.asarray(fc7, "float32"))


def test_embedding_keeps_the_main_direction():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(100, 6)) * [10, 3, 0.1, 0.1, 0.1, 0.1]
    coordinates = embed_2d(features)
    assert coordinates.shape == (100, 2)
    assert coordinates[:, 0].var() > coordinates[:, 1].var() > 1
    assert abs(np.corrcoef(coordinates[:, 0], features[:, 0])[0, 1]) > 0.99
    assert embed_2d(features[:40], method="tsne").shape == (40, 2)
    with pytest.raises(ValueError, match=r"Unknown method 'umap'\. Valid methods: 'pca', 'tsne'"):
        embed_2d(features, method="umap")
    figure = plot_embedding(coordinates, np.arange(100) % 2, ["x", "y"])
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == ["x", "y"]
    # The legend sits beside the map (it covered points at loc="best" with ten classes), inside the figure.
    figure.canvas.draw()
    legend_box, axes_box = figure.axes[0].get_legend().get_window_extent(), figure.axes[0].get_window_extent()
    assert axes_box.x1 <= legend_box.x0 and legend_box.x1 <= figure.bbox.x1


def test_neighbour_figure_marks_other_classes_red():
    images = np.zeros((5, 4, 4, 3))
    figure = plot_nearest_neighbours(images[:1], images, np.array([[0, 3]]), [0], [0, 1, 0, 1, 0], ["even", "odd"])
    titles = [(ax.get_title(), ax.title.get_color()) for ax in figure.axes]
    assert titles == [("even", "black"), ("even", "black"), ("odd", "red")]
