"""Shared pytest set-up for the unit tests, the docstring examples and nbval over notebooks/."""

import re

import pytest


def pytest_collectstart(collector):
    # TensorFlow may print start-up notices on stderr (oneDNN, CUDA); never compare stderr.
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)


@pytest.fixture(scope="session")
def _example_ablation():
    """A small ReLU-vs-tanh ablation, for the examples that read one (as a notebook's earlier cell made it)."""
    from alexnet_edu import load_shapes, run_ablation

    return run_ablation(
        load_shapes(num_images=400, image_size=32),
        variants={"relu": dict(activation="relu"), "tanh": dict(activation="tanh")},
        base=dict(normalization="none", dropout=0.0),
        seeds=(0, 1),
        epochs=4,
        verbose=False,
    )


@pytest.fixture(autouse=True)
def _docstring_example_setup(request):
    """Docstring examples run as a notebook's cells would: after `from alexnet_edu import *`, `import keras`
    and `import numpy as np`, in an empty folder that holds a small image folder, `photos/`."""
    if not isinstance(request.node, pytest.DoctestItem):
        yield
        return
    import keras
    import matplotlib
    import numpy as np
    import pandas as pd

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import alexnet_edu

    folder = request.getfixturevalue("tmp_path")
    alexnet_edu.make_shapes_folder(folder / "photos", num_images=120, image_size=32)
    request.getfixturevalue("monkeypatch").chdir(folder)
    example = request.node.dtest
    example.globs.update({name: getattr(alexnet_edu, name) for name in alexnet_edu.__all__}, keras=keras, np=np)
    source = "".join(line.source for line in example.examples)
    if re.search(r"\bablation\b", source) and not re.search(r"^ablation = ", source, re.M):
        example.globs["ablation"] = request.getfixturevalue("_example_ablation")
    # setup_notebook's example sets the kit's plot and table style: later examples (and tests) get the defaults back.
    with matplotlib.rc_context():
        yield
    pd.reset_option("^display")
    plt.close("all")
