"""Figures that show what a network is and what it learned: one module per technique."""

from alexnet_edu.visualize.breakdown import plot_breakdown, plot_model_comparison

__all__ = ["plot_breakdown", "plot_model_comparison"]
