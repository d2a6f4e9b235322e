"""The one-line Setup section every notebook opens with."""

import keras
import matplotlib.pyplot as plt
import pandas as pd
import tensorflow as tf

from alexnet_edu.models import describe_precision


def setup_notebook(seed=42):
    """Seeds Python, NumPy and TensorFlow, sets the kit's plot and table style,
    and prints the versions, the device that will do the work and the
    precision the kit's models compute in there (`describe_precision`).

    Example:

    >>> setup_notebook(seed=42)
    TensorFlow ..., Keras ...; computing on the ...; seed 42
    models compute in ...

    Args:
        seed: The random seed; the same seed gives the same numbers.
    """
    keras.utils.set_random_seed(seed)
    # Keras compiles grouped convolutions per eager call, and TensorFlow warns about
    # each retrace; the warning is about Keras internals, not the student's code.
    tf.get_logger().setLevel("ERROR")
    # Legible on a projector: 100 dpi, no text below 10 pt.
    plt.rc("figure", dpi=100, figsize=(8, 4))
    plt.rc("savefig", dpi=100)
    plt.rc("font", size=11)
    plt.rc("axes", labelsize=11, titlesize=12, grid=False)
    plt.rc("xtick", labelsize=10)
    plt.rc("ytick", labelsize=10)
    plt.rc("legend", fontsize=10)
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.float_format", "{:,.2f}".format)
    gpus = tf.config.list_physical_devices("GPU")
    device = f"{len(gpus)} GPU(s)" if gpus else "the CPU (no GPU found)"
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}; computing on {device}; seed {seed}")
    print(f"models compute in {describe_precision()}")
