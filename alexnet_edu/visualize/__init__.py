"""Figures that show what a network is and what it learned: one module per technique.

Every function takes a Keras model (and a layer by name where it matters) and
returns a matplotlib Figure, or the arrays behind it.
"""

from alexnet_edu.visualize.ablation import plot_ablation, plot_ablation_results
from alexnet_edu.visualize.activations import (
    activation_statistics,
    feature_maps,
    plot_activation_walk,
    plot_feature_maps,
)
from alexnet_edu.visualize.architecture import architecture_blocks, plot_architecture
from alexnet_edu.visualize.attribution import (
    attribution_map,
    integrated_gradients,
    occlusion_map,
    plot_attributions,
    plot_randomization_check,
    randomization_check,
    smoothgrad,
)
from alexnet_edu.visualize.breakdown import plot_breakdown, plot_model_comparison
from alexnet_edu.visualize.diagnostics import plot_diagnoses
from alexnet_edu.visualize.filters import (
    color_specificity,
    conv_kernels,
    low_frequency_share,
    noise_low_frequency_share,
    plot_first_layer_filters,
    plot_kernels,
    towers,
)
from alexnet_edu.visualize.gradcam import grad_cam, plot_grad_cam, saliency_map
from alexnet_edu.visualize.images import plot_augmentations, plot_images
from alexnet_edu.visualize.neighbours import (
    embed_2d,
    extract_features,
    nearest_neighbours,
    plot_embedding,
    plot_nearest_neighbours,
)
from alexnet_edu.visualize.patterns import READABLE_PATTERNS, filter_pattern, plot_filter_patterns
from alexnet_edu.visualize.step_through import ConvStep, NormStep, conv_step, plot_conv_step
from alexnet_edu.visualize.top_patches import TopPatches, plot_top_patches, receptive_window, top_patches
from alexnet_edu.visualize.training import plot_confusion_matrix, plot_history

__all__ = [
    "ConvStep",
    "NormStep",
    "READABLE_PATTERNS",
    "TopPatches",
    "activation_statistics",
    "architecture_blocks",
    "attribution_map",
    "color_specificity",
    "conv_kernels",
    "conv_step",
    "embed_2d",
    "extract_features",
    "feature_maps",
    "filter_pattern",
    "grad_cam",
    "integrated_gradients",
    "low_frequency_share",
    "nearest_neighbours",
    "noise_low_frequency_share",
    "occlusion_map",
    "plot_ablation",
    "plot_ablation_results",
    "plot_activation_walk",
    "plot_architecture",
    "plot_attributions",
    "plot_augmentations",
    "plot_breakdown",
    "plot_confusion_matrix",
    "plot_conv_step",
    "plot_diagnoses",
    "plot_embedding",
    "plot_feature_maps",
    "plot_filter_patterns",
    "plot_first_layer_filters",
    "plot_grad_cam",
    "plot_history",
    "plot_images",
    "plot_kernels",
    "plot_model_comparison",
    "plot_nearest_neighbours",
    "plot_randomization_check",
    "plot_top_patches",
    "randomization_check",
    "receptive_window",
    "saliency_map",
    "smoothgrad",
    "top_patches",
    "towers",
]
