import keras
import numpy as np
import pytest

from alexnet_edu.models import build_alexnet
from alexnet_edu.visualize import grad_cam, plot_grad_cam, saliency_map


@pytest.fixture(scope="module")
def colour_detector():
    """conv = the RGB channels themselves; class 0 = how red, class 1 = how green."""
    inputs = keras.Input((16, 16, 3))
    conv = keras.layers.Conv2D(3, 1, activation="relu", kernel_initializer=keras.initializers.Constant(np.eye(3)[None, None]), name="conv1")(inputs)
    pooled = keras.layers.GlobalAveragePooling2D(name="pool")(conv)
    outputs = keras.layers.Dense(2, activation="softmax", name="fc8", kernel_initializer=keras.initializers.Constant([[1, 0], [0, 1], [0, 0]]))(pooled)  # fmt: skip
    return keras.Model(inputs, outputs)


@pytest.fixture
def red_top_left_green_bottom_right():
    image = np.zeros((16, 16, 3), "float32")
    image[:8, :8, 0] = 1
    image[8:, 8:, 1] = 0.5
    return image


def test_grad_cam_points_at_the_evidence(colour_detector, red_top_left_green_bottom_right):
    heatmap, predicted = grad_cam(colour_detector, red_top_left_green_bottom_right)
    assert predicted == 0 and heatmap.shape == (16, 16)
    assert heatmap.max() == pytest.approx(1) and heatmap.min() >= 0
    assert heatmap[:6, :6].mean() > 0.9 and heatmap[10:, 10:].mean() < 0.1
    green, index = grad_cam(colour_detector, red_top_left_green_bottom_right, class_index=1)
    assert index == 1 and green[10:, 10:].mean() > 0.9 and green[:6, :6].mean() < 0.1


def test_saliency_follows_the_gradient(colour_detector, red_top_left_green_bottom_right):
    saliency, predicted = saliency_map(colour_detector, red_top_left_green_bottom_right)
    assert predicted == 0 and saliency.shape == (16, 16)
    # d(red logit)/d(pixel) is non-zero only where the red ReLU is active.
    assert saliency[:8, :8].min() == pytest.approx(1) and saliency[8:, :].max() == 0


def test_grad_cam_on_alexnet(tiny_towers, image):
    heatmap, index = grad_cam(tiny_towers, image, class_index=3)
    assert heatmap.shape == (32, 32) and index == 3 and 0 <= heatmap.min() and heatmap.max() <= 1
    figure = plot_grad_cam(tiny_towers, image, class_names=["a", "b", "c", "d"], class_index=3)
    assert figure.axes[1].get_title() == "Grad-CAM: d"
    with pytest.raises(ValueError, match=r"class_index must be from 0 to 3: the model has 4 classes.*Received: class_index=7"):
        grad_cam(tiny_towers, image, class_index=7)
    with pytest.raises(ValueError, match=r"Layer 'fc6' is a Dense; Grad-CAM needs one of"):
        grad_cam(tiny_towers, image, layer_name="fc6")


@pytest.mark.parametrize("precision", ["mixed_float16", "mixed_bfloat16"])
def test_maps_of_a_mixed_precision_model_match_its_float32_twin(precision, image):
    # fc8's input is 16-bit there and its kernel float32; the maps are weighed and summed in float32.
    keras.utils.set_random_seed(1)
    mixed = build_alexnet("mini", input_shape=(32, 32, 3), num_classes=4, width=0.25, precision=precision)
    twin = build_alexnet("mini", input_shape=(32, 32, 3), num_classes=4, width=0.25, precision="float32")
    twin.set_weights(mixed.get_weights())
    for explain in (grad_cam, saliency_map):
        heatmap, class_index = explain(mixed, image, class_index=2)
        reference, _ = explain(twin, image, class_index=2)
        assert heatmap.dtype == np.float32 and class_index == 2
        assert np.corrcoef(heatmap.ravel(), reference.ravel())[0, 1] > 0.95
