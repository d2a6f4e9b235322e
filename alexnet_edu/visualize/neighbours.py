"""The fc7 feature space: nearest neighbours (the paper's Figure 4) and a 2-D map of it."""

import keras
import matplotlib.pyplot as plt
import numpy as np

from alexnet_edu.visualize._layers import get_layer


def extract_features(model, images, layer_name="fc7"):
    """A layer's output for many images, flattened: the network's description of each.

    Args:
        model: A Keras model.
        images: A batch `(n, height, width, 3)`, or a dataset of
            `(images, labels)` batches.
        layer_name: The layer; `"fc7"` is the paper's 4096-d code.

    Returns:
        `(features, labels)`: `(n, d)` floats and the labels (None for an array).
    """
    layer = get_layer(model, layer_name)
    extractor = keras.Model(model.input, layer.output)
    if isinstance(images, np.ndarray):
        return np.asarray(extractor.predict(images, verbose=0)).reshape(len(images), -1), None
    features, labels = [], []
    for batch, batch_labels in images:
        features.append(np.asarray(extractor(batch, training=False)).reshape(len(batch), -1))
        labels.append(np.asarray(batch_labels))
    return np.concatenate(features), np.concatenate(labels)


def nearest_neighbours(query_features, reference_features, k=6):
    """Indices of the `k` reference rows nearest (Euclidean) to each query row, nearest first."""
    query, reference = np.asarray(query_features, "float64"), np.asarray(reference_features, "float64")
    if query.shape[1:] != reference.shape[1:]:
        raise ValueError(f"Query and reference features differ in size: {query.shape[1:]} vs {reference.shape[1:]}")
    distances = (query**2).sum(1)[:, None] - 2 * query @ reference.T + (reference**2).sum(1)[None]
    return np.argsort(distances, axis=1)[:, :k]


def plot_nearest_neighbours(
    query_images, reference_images, neighbours, query_labels=None, reference_labels=None, class_names=None
):
    """Each query image (first column) and its nearest reference images, as in the paper's Figure 4.

    Returns:
        A matplotlib `Figure`, one row per query; neighbours of another
        class than the query are titled in red.
    """
    rows, k = neighbours.shape
    figure, axes = plt.subplots(rows, k + 1, figsize=((k + 1) * 0.95, rows * 1.1), squeeze=False)
    for row in range(rows):
        images = [query_images[row]] + [reference_images[i] for i in neighbours[row]]
        for column, image in enumerate(images):
            ax = axes[row, column]
            ax.imshow(np.clip(image, 0, 1), interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if query_labels is None or reference_labels is None:
                continue
            label = query_labels[row] if column == 0 else reference_labels[neighbours[row, column - 1]]
            text = class_names[label] if class_names else str(label)
            wrong = column > 0 and label != query_labels[row]
            ax.set_title(text, fontsize=7, color="red" if wrong else "black")
        axes[row, 0].set_ylabel("query", fontsize=8)
    figure.tight_layout()
    return figure


def embed_2d(features, method="pca", seed=0):
    """Projects feature vectors to 2-D: `"pca"` (linear) or `"tsne"` (scikit-learn's t-SNE)."""
    features = np.asarray(features, "float64")
    if method == "pca":
        centred = features - features.mean(axis=0)
        _, _, components = np.linalg.svd(centred, full_matrices=False)
        return centred @ components[:2].T
    if method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = min(30.0, (len(features) - 1) / 3)
        return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(features)
    raise ValueError(f"Unknown method {method!r}. Valid methods: 'pca', 'tsne'.")


def plot_embedding(coordinates, labels, class_names=None, title="fc7 codes in 2-D"):
    """A scatter plot of 2-D codes coloured by class."""
    coordinates, labels = np.asarray(coordinates), np.asarray(labels)
    figure, ax = plt.subplots(figsize=(6, 4.5))
    for label in np.unique(labels):
        points = coordinates[labels == label]
        ax.scatter(points[:, 0], points[:, 1], s=8, label=class_names[label] if class_names else str(label))
    ax.legend(fontsize=7, markerscale=2, loc="best")
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    figure.tight_layout()
    return figure
