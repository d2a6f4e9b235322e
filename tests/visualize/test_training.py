import numpy as np
import pytest

from alexnet_edu.visualize import plot_confusion_matrix, plot_history


def test_plot_history_draws_training_and_validation():
    logs = {"loss": [2.0, 1.0, 0.5], "val_loss": [2.1, 1.2, 0.9], "accuracy": [0.3, 0.6, 0.8], "val_accuracy": [0.2, 0.5, 0.7]}
    figure = plot_history(logs)
    loss_ax, accuracy_ax = figure.axes
    assert [line.get_label() for line in loss_ax.lines] == ["training", "validation"]
    np.testing.assert_allclose(accuracy_ax.lines[1].get_ydata(), logs["val_accuracy"])
    np.testing.assert_allclose(loss_ax.lines[0].get_xdata(), [1, 2, 3])


def test_plot_history_names_missing_metric():
    with pytest.raises(ValueError, match="no 'top5'. Available: accuracy, loss"):
        plot_history({"loss": [1.0], "accuracy": [0.5]}, metrics=("loss", "top5"))


def test_confusion_matrix_rows_are_normalised():
    confusion = np.array([[8, 2], [1, 9]])
    figure = plot_confusion_matrix(confusion, ["a", "b"])
    np.testing.assert_allclose(figure.axes[0].images[0].get_array(), [[0.8, 0.2], [0.1, 0.9]])
    assert sorted(t.get_text() for t in figure.axes[0].texts) == ["0.10", "0.20", "0.80", "0.90"]
    counts = plot_confusion_matrix(confusion, ["a", "b"], normalize=False)
    assert sorted(t.get_text() for t in counts.axes[0].texts) == ["1", "2", "8", "9"]


def test_confusion_rows_count_predictions_outside_the_named_classes():
    # Half of class a's images went to a class with no name here (a 1000-class model on two classes).
    figure = plot_confusion_matrix(np.array([[5, 0], [0, 10]]), ["a", "b"], outside=[5, 0])
    np.testing.assert_allclose(figure.axes[0].images[0].get_array(), [[0.5, 0.0], [0.0, 1.0]])


def test_plot_history_marks_whole_epochs_only():
    logs = {"loss": np.linspace(2, 0.5, 18).tolist(), "accuracy": np.linspace(0.2, 0.8, 18).tolist()}
    figure = plot_history(logs)
    for ax in figure.axes:
        ticks = ax.get_xticks()
        assert len(ticks) >= 3 and np.array_equal(ticks, np.round(ticks))
