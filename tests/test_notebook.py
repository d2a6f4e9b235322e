import matplotlib.pyplot as plt
import numpy as np

from alexnet_edu import describe_precision, setup_notebook


def test_setup_seeds_styles_and_says_where_and_how_models_compute(capsys):
    setup_notebook(seed=7)
    first = np.random.random()
    setup_notebook(seed=7)
    assert np.random.random() == first
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("TensorFlow ") and lines[0].endswith("; seed 7")
    assert lines[1] == f"models compute in {describe_precision()}"
    assert describe_precision().split(" (")[0] in ("float32", "mixed bfloat16", "mixed float16")
    assert plt.rcParams["figure.dpi"] == 100 and plt.rcParams["font.size"] >= 10
