"""Draws the README's gallery with the package itself: `make figures` (about 5 minutes on 2 cores).

Each figure comes from the same functions the notebooks use, so the gallery
stays true to the code. Output: docs/figures/*.png.
"""

import pathlib

import matplotlib

from alexnet_edu import (
    build_alexnet,
    load_shapes,
    plot_ablation,
    plot_activation_walk,
    plot_breakdown,
    plot_first_layer_filters,
    run_ablation,
    sample_photos,
    setup_notebook,
    train,
)

matplotlib.use("Agg")

OUT = pathlib.Path(__file__).resolve().parent / "figures"


def save(figure, name):
    figure.savefig(OUT / name, dpi=100, bbox_inches="tight")
    print(f"wrote {OUT / name}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    setup_notebook(seed=42)
    breakdown = plot_breakdown(build_alexnet("seed"), title="seed AlexNet: parameters in fc, compute in conv")
    save(breakdown, "parameter_breakdown.png")

    data = load_shapes(num_images=5000, image_size=64, batch_size=64, seed=0)
    model = build_alexnet("mini", num_classes=len(data.class_names))
    train(model, data, epochs=8, verbose=0)
    save(plot_first_layer_filters(model), "conv1_filters.png")
    photo = sample_photos(image_size=64)["grace_hopper"]
    save(plot_activation_walk(model, photo, per_layer=6), "feature_maps.png")

    ablation = run_ablation(
        load_shapes(num_images=4000, image_size=64, batch_size=64, seed=0),
        variants={"relu": dict(activation="relu"), "tanh": dict(activation="tanh")},
        base=dict(dropout=0.0),
        seeds=(0, 1),
        epochs=12,
        recipe="paper",
    )
    save(plot_ablation(ablation, metrics=("error", "val_error"), threshold=0.25), "relu_vs_tanh.png")


if __name__ == "__main__":
    main()
