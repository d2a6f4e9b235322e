"""Figures that show what a network is and what it learned: one module per technique."""

from alexnet_edu.visualize.breakdown import plot_breakdown, plot_model_comparison
from alexnet_edu.visualize.images import plot_augmentations, plot_images
from alexnet_edu.visualize.training import plot_confusion_matrix, plot_history

__all__ = [
    "plot_augmentations",
    "plot_breakdown",
    "plot_confusion_matrix",
    "plot_history",
    "plot_images",
    "plot_model_comparison",
]
