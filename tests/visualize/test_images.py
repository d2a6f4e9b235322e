import numpy as np

from alexnet_edu.augment import paper_augmentation
from alexnet_edu.data import arrays_to_data
from alexnet_edu.visualize import plot_augmentations, plot_images


def test_plot_images_titles_and_pixels():
    images = np.random.default_rng(0).uniform(size=(5, 8, 8, 3)).astype("float32")
    figure = plot_images(images, [0, 1, 0, 1, 1], ("cat", "dog"), columns=3, predictions=[0, 0, 0, 1, 1])
    shown = [ax for ax in figure.axes if ax.images]
    assert len(shown) == 5 and len(figure.axes) == 6
    np.testing.assert_allclose(shown[2].images[0].get_array(), images[2])
    assert shown[0].get_title() == "cat\n→ cat" and shown[1].get_title() == "dog\n→ cat"
    assert shown[1].title.get_color() == "red" and shown[0].title.get_color() == "black"


def test_plot_images_takes_a_dataset_batch():
    x = np.zeros((6, 4, 4, 3), np.uint8)
    data = arrays_to_data(x, [0, 1, 2, 0, 1, 2], x, [0, 1, 2, 0, 1, 2], ("a", "b", "c"), batch_size=4)
    figure = plot_images(data.validation, class_names=data.class_names, columns=4)
    assert [ax.get_title() for ax in figure.axes if ax.images] == ["a", "b", "c", "a"]


def test_plot_augmentations_shows_original_then_versions():
    image = np.random.default_rng(0).uniform(size=(16, 16, 3)).astype("float32")
    augmentation, crop_shape = paper_augmentation(image.shape, crop=True, flip=True)
    figure = plot_augmentations(image, augmentation, count=4)
    panels = [ax for ax in figure.axes if ax.images]
    assert len(panels) == 5 and panels[0].get_title() == "original"
    np.testing.assert_allclose(panels[0].images[0].get_array(), image)
    assert all(p.images[0].get_array().shape == (*crop_shape, 3) for p in panels[1:])


def test_plot_images_shows_at_most_max_images():
    images = np.zeros((50, 4, 4, 3), "float32")
    figure = plot_images(images, max_images=12, columns=6)
    assert len([ax for ax in figure.axes if ax.images]) == 12


def test_plot_augmentations_title_stays_clear_of_the_panel_titles():
    image = np.random.default_rng(0).uniform(size=(16, 16, 3)).astype("float32")
    augmentation, _ = paper_augmentation(image.shape, crop=True, flip=True, pad=2)
    figure = plot_augmentations(image, augmentation, count=7, title="pad-and-crop (shifts up to 2 px) and flips")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    title_box = figure._suptitle.get_window_extent(renderer)
    assert figure._suptitle.get_text().startswith("pad-and-crop")
    for ax in figure.axes:
        if ax.images:
            assert not title_box.overlaps(ax.title.get_window_extent(renderer)), ax.get_title()
            assert not title_box.overlaps(ax.get_window_extent(renderer))
