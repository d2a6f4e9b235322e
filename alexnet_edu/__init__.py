"""alexnet-edu: a teaching kit that explains AlexNet by running it.

Everything a notebook needs is importable from here:

>>> from alexnet_edu import build_alexnet, layer_table
"""

import contextlib
import os
import sys


@contextlib.contextmanager
def _quiet_stderr():
    """Sends file descriptor 2 to /dev/null: TensorFlow's C++ logs bypass Python."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        # Python-level text written meanwhile goes to /dev/null too, not out after the restore.
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


# TensorFlow's start-up notices (oneDNN, CUDA probing on machines without a GPU)
# would fill every notebook's first cell. Some are printed before TensorFlow reads
# TF_CPP_MIN_LOG_LEVEL, so they are silenced whatever it says; a value the user set
# is left alone, so that later logs follow it (unset, it becomes 2: errors only).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
with _quiet_stderr():
    import tensorflow as _tf

    _tf.config.list_physical_devices()

from alexnet_edu.augment import (  # noqa: E402
    PCAColorAugmentation,
    augment_data,
    crop_size_for,
    fit_pca_color,
    paper_augmentation,
    ten_crop_accuracy,
    ten_crop_predict,
)
from alexnet_edu.build_it import check_layer, load_solutions  # noqa: E402
from alexnet_edu.data import (  # noqa: E402
    ImageData,
    arrays_to_data,
    load_cifar10,
    load_cifar10_photos,
    load_fashion_mnist,
    load_image,
    load_image_folder,
    load_shapes,
    load_tf_flowers,
    make_shapes_folder,
    sample_photos,
)
from alexnet_edu.diagnostics import (  # noqa: E402
    Diagnosis,
    best_learning_rate,
    dead_units,
    diagnose,
    diagnosis_table,
    initial_loss,
    learning_rate_range,
    overfit_batch,
    with_shuffled_labels,
)
from alexnet_edu.distribute import split_cpu  # noqa: E402
from alexnet_edu.exercises import check  # noqa: E402
from alexnet_edu.experiments import Ablation, run_ablation  # noqa: E402
from alexnet_edu.findings import (  # noqa: E402
    VERDICTS,
    Effect,
    compare,
    effect_from_values,
    markdown_table,
    record_finding,
    reproduction_table,
)
from alexnet_edu.images import as_images  # noqa: E402
from alexnet_edu.inspect import (  # noqa: E402
    ConvArithmetic,
    compare_models,
    conv_output_size,
    cost_split,
    gradient_norms,
    layer_table,
)
from alexnet_edu.layers import ImageNetInput, LocalResponseNormalization  # noqa: E402
from alexnet_edu.models import (  # noqa: E402
    KNOBS,
    PRESETS,
    AlexNetConfig,
    build_alexnet,
    build_figure1_cnn,
    build_linear_classifier,
    describe_precision,
    load_model,
    make_config,
)
from alexnet_edu.notebook import setup_notebook  # noqa: E402
from alexnet_edu.pretrained import (  # noqa: E402
    WEIGHTS,
    decode_predictions,
    find_weights,
    imagenet_class_names,
    imagenet_preprocess,
)
from alexnet_edu.train import NonFiniteTrainingError, estimate_training_time, evaluate, train  # noqa: E402
from alexnet_edu.visualize import *  # noqa: E402,F403
from alexnet_edu.visualize import __all__ as _visualize_names  # noqa: E402
from alexnet_edu.widgets import ConvArithmeticPlayground, ConvStepThrough, FilterBrowser, LayerExplorer  # noqa: E402

__version__ = "0.1.0"

__all__ = sorted(
    [
        "Ablation",
        "AlexNetConfig",
        "ConvArithmetic",
        "ConvArithmeticPlayground",
        "ConvStepThrough",
        "Diagnosis",
        "Effect",
        "FilterBrowser",
        "ImageData",
        "ImageNetInput",
        "KNOBS",
        "LayerExplorer",
        "LocalResponseNormalization",
        "NonFiniteTrainingError",
        "PCAColorAugmentation",
        "PRESETS",
        "VERDICTS",
        "WEIGHTS",
        "arrays_to_data",
        "as_images",
        "augment_data",
        "best_learning_rate",
        "build_alexnet",
        "build_figure1_cnn",
        "build_linear_classifier",
        "check",
        "check_layer",
        "compare",
        "compare_models",
        "conv_output_size",
        "cost_split",
        "dead_units",
        "decode_predictions",
        "describe_precision",
        "diagnose",
        "diagnosis_table",
        "effect_from_values",
        "crop_size_for",
        "estimate_training_time",
        "evaluate",
        "find_weights",
        "fit_pca_color",
        "gradient_norms",
        "imagenet_class_names",
        "imagenet_preprocess",
        "initial_loss",
        "layer_table",
        "learning_rate_range",
        "load_cifar10",
        "load_cifar10_photos",
        "load_fashion_mnist",
        "load_image",
        "load_image_folder",
        "markdown_table",
        "overfit_batch",
        "load_model",
        "load_shapes",
        "load_solutions",
        "load_tf_flowers",
        "make_config",
        "make_shapes_folder",
        "paper_augmentation",
        "record_finding",
        "reproduction_table",
        "run_ablation",
        "sample_photos",
        "setup_notebook",
        "split_cpu",
        "ten_crop_accuracy",
        "ten_crop_predict",
        "train",
        "with_shuffled_labels",
    ]
    + _visualize_names
)
