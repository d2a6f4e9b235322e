"""Every figure of the kit is legible on a projector: no visible text below 10 pt, at least 100 dpi."""

import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pytest

from alexnet_edu.visualize import (
    conv_step,
    plot_activation_walk,
    plot_breakdown,
    plot_confusion_matrix,
    plot_conv_step,
    plot_embedding,
    plot_feature_maps,
    plot_filter_patterns,
    plot_first_layer_filters,
    plot_grad_cam,
    plot_images,
    plot_kernels,
    plot_nearest_neighbours,
)

CLASSES = ["circle", "square", "triangle", "star"]


def small_texts(figure):
    figure.canvas.draw()
    return [
        (text.get_text(), text.get_fontsize())
        for text in figure.findobj(matplotlib.text.Text)
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() < 10
    ]


FIGURES = {
    "first_layer_filters": lambda model, images: plot_first_layer_filters(model),
    "kernels": lambda model, images: plot_kernels(model, "conv2", filters=3, input_channels=4),
    "feature_maps": lambda model, images: plot_feature_maps(model, "conv1", images[0], top_k=8),
    "activation_walk": lambda model, images: plot_activation_walk(model, images[0], per_layer=3),
    "grad_cam": lambda model, images: plot_grad_cam(model, images[0], class_names=CLASSES),
    "breakdown": lambda model, images: plot_breakdown(model),
    "filter_patterns": lambda model, images: plot_filter_patterns(model, "conv1", channels=range(4), columns=4, steps=2),
    "images": lambda model, images: plot_images(images, labels=[0, 1, 2, 3], class_names=CLASSES, predictions=[0, 1, 3, 3]),
    "confusion_matrix": lambda model, images: plot_confusion_matrix(np.arange(16).reshape(4, 4), CLASSES),
    "embedding": lambda model, images: plot_embedding(np.arange(8.0).reshape(4, 2), np.array([0, 1, 2, 3]), CLASSES),
    "nearest_neighbours": lambda model, images: plot_nearest_neighbours(
        images[:2], images, np.array([[1, 2], [3, 0]]), [0, 1], [0, 1, 2, 3], CLASSES
    ),
    "conv_step": lambda model, images: plot_conv_step(conv_step(model, images[0], "conv2", 2, 3, 5)),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_no_text_below_10_points(name, tiny_towers):
    images = np.random.default_rng(0).uniform(size=(4, 32, 32, 3)).astype("float32")
    figure = FIGURES[name](tiny_towers, images)
    assert figure.dpi >= 100
    assert small_texts(figure) == []
    plt.close(figure)


def test_tower_rows_are_labelled(tiny_towers):
    figure = plot_first_layer_filters(tiny_towers)
    labels = [text.get_text() for ax in figure.axes for text in ax.texts]
    assert labels == ["tower 1", "tower 2"]
    plt.close(figure)
