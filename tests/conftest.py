import keras
import matplotlib
import pytest

from alexnet_edu import build_alexnet

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def seed_model():
    return build_alexnet("seed", num_classes=24, input_shape=(224, 224, 3))


@pytest.fixture(scope="session")
def paper_model():
    return build_alexnet("paper")


@pytest.fixture(autouse=True)
def _fixed_seed():
    keras.utils.set_random_seed(0)
