import math

import numpy as np
import pandas as pd
import pytest

from alexnet_edu.diagnostics import Diagnosis
from alexnet_edu.visualize import plot_diagnoses


def hand_made_diagnosis(name, learning_rate, accuracies):
    return Diagnosis(
        name=name, learning_rate=learning_rate, recipe="adam", initial_loss=2.3, expected_loss=math.log(10),
        overfit=pd.DataFrame({"loss": [2.3, 1.0, 0.1], "accuracy": [0.1, 0.6, 1.0]}, index=pd.RangeIndex(1, 4)),
        lr_range=pd.DataFrame({"learning_rate": [1e-4, 1e-3, 1e-2], "loss": [2.3, 2.0, 3.0], "smoothed": [2.3, 2.1, 2.6]}),
        best_learning_rate=1e-3,
        layers=pd.DataFrame({"gradient_rms": [1e-3, 1e-2], "ratio": [1e-3, 1e-1], "dead_before": [0.0, 0.0],
                             "dead_after": [0.1, np.nan]}, index=["conv1", "fc8"]),
        history=pd.DataFrame({"loss": [2.0, 1.5], "accuracy": [0.3, 0.5], "val_loss": [2.1, 1.8],
                              "val_accuracy": accuracies}, index=pd.RangeIndex(1, 3)),
        diverged=False,
    )  # fmt: skip


def test_four_panels_one_line_per_diagnosis():
    diagnoses = [hand_made_diagnosis("healthy", 1e-3, [0.3, 0.5]), hand_made_diagnosis("broken", 1e-2, [0.1, 0.1])]
    figure = plot_diagnoses(diagnoses)
    overfit_ax, range_ax, gradient_ax, training_ax = figure.axes
    assert [ax.get_title() for ax in figure.axes] == [
        "Overfit one batch",
        "Learning-rate range test (dot: the rate used)",
        "Gradient reaching each layer (untrained)",
        "Short training run",
    ]
    assert [line.get_label() for line in overfit_ax.get_lines() if not line.get_label().startswith("_")] == ["healthy", "broken"]
    # The dot sits on the curve at the rate the setup trains with.
    dots = [line for line in range_ax.get_lines() if line.get_marker() == "o"]
    assert [(dot.get_xdata()[0], dot.get_ydata()[0]) for dot in dots] == [(1e-3, pytest.approx(2.1)), (1e-2, pytest.approx(2.6))]
    assert range_ax.get_xscale() == "log" and gradient_ax.get_yscale() == "log"
    assert [label.get_text() for label in gradient_ax.get_xticklabels()] == ["conv1", "fc8"]
    assert np.allclose(training_ax.get_lines()[1].get_ydata(), [0.1, 0.1])
    assert training_ax.get_ylim() == (0, 1)
    assert [text.get_text() for text in training_ax.texts] == ["chance"]
    assert len(figure.legends) == 1


def test_plot_diagnoses_refuses_other_things():
    with pytest.raises(ValueError, match="non-empty list of Diagnosis"):
        plot_diagnoses([])
