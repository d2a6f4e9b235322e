import pathlib
import urllib.error

import keras
import matplotlib
import matplotlib.pyplot as plt
import pytest
from keras.src.backend import config as keras_config
from keras.src.utils import file_utils

from alexnet_edu import build_alexnet

matplotlib.use("Agg")

CHROMIUM = pathlib.Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the tests that look at pages as a user would (JupyterLab, the slides)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it with apt-get (package chromium).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def seed_model():
    return build_alexnet("seed", num_classes=24, input_shape=(224, 224, 3))


@pytest.fixture(scope="session")
def paper_model():
    return build_alexnet("paper")


@pytest.fixture(autouse=True)
def _fixed_seed_and_no_open_figures():
    keras.utils.set_random_seed(0)
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def tiny_towers():
    """A two-tower mini AlexNet small enough to visualise in milliseconds."""
    keras.utils.set_random_seed(1)
    return build_alexnet("mini", input_shape=(32, 32, 3), num_classes=4, groups=2, width=0.125)


@pytest.fixture
def image():
    import numpy as np

    return np.random.default_rng(0).uniform(size=(32, 32, 3)).astype("float32")


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """A temporary KERAS_HOME, and no network: any download attempt fails as offline."""
    home = tmp_path / "keras_home"
    home.mkdir()
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))

    def offline(url, *args, **kwargs):
        raise urllib.error.URLError("no network in tests")

    monkeypatch.setattr(file_utils, "urlretrieve", offline)
    return home
