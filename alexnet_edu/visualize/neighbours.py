"""The fc7 feature space: nearest neighbours (the paper's Figure 4) and a 2-D map of it."""

import matplotlib.pyplot as plt
import numpy as np

from alexnet_edu.images import as_images
from alexnet_edu.visualize._layers import check_count, displayable, model_images
from alexnet_edu.visualize.activations import activation_model


def extract_features(model, images, layer_name="fc7"):
    """A layer's output for many images, flattened: the network's description of each.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))
    >>> photos = np.stack(list(sample_photos(image_size=64).values()))
    >>> features, labels = extract_features(model, photos, "fc7")
    >>> features.shape  # one 1,024-number description per photo
    (3, 1024)

    Args:
        model: A Keras model.
        images: A batch `(n, height, width, 3)` (or one image): uint8
            (0-255) or floats in [0, 1], the model's input size; or a
            dataset of `(images, labels)` batches.
        layer_name: The layer; `"fc7"` is the paper's 4096-d code.

    Returns:
        `(features, labels)`: `(n, d)` float32 and the labels (None for an array).

    Raises:
        ValueError: An unknown layer, or images (or batches) that break the
            image contract or do not fit the model.
    """
    extractor = activation_model(model, [layer_name])
    if not hasattr(images, "element_spec"):
        images = model_images(model, images, "images", batch=True)
        return np.asarray(extractor.predict(images, verbose=0)).reshape(len(images), -1), None
    features, labels = [], []
    for element in images:
        if not (isinstance(element, tuple) and len(element) == 2):
            raise ValueError(
                "extract_features needs a dataset of (images, labels) batches, e.g. data.validation; for images alone "
                "pass an array. Received: a dataset whose elements are not (images, labels) pairs"
            )
        batch = model_images(model, element[0], "images batch", batch=True)
        features.append(np.asarray(extractor(batch, training=False)).reshape(len(batch), -1))
        labels.append(np.asarray(element[1]))
    if not features:
        raise ValueError("The dataset is empty: extract_features needs at least one (images, labels) batch.")
    return np.concatenate(features), np.concatenate(labels)


def nearest_neighbours(query_features, reference_features, k=6):
    """Indices of the `k` reference rows nearest (Euclidean) to each query row, nearest first.

    Example:

    >>> reference = np.array([[5.0, 5.0], [1.0, 0.0], [0.0, 2.0]])
    >>> nearest_neighbours(np.array([[0.0, 0.0]]), reference, k=2)
    array([[1, 2]])

    Args:
        query_features: `(queries, d)`, e.g. from `extract_features`; one
            vector `(d,)` counts as one query.
        reference_features: `(references, d)`.
        k: Neighbours per query, at most the number of references.

    Returns:
        `(queries, k)` integer indices into the reference rows.

    Raises:
        ValueError: Features of different sizes, or `k` below 1 or above the
            number of references.
    """
    query, reference = np.atleast_2d(np.asarray(query_features, "float64")), np.asarray(reference_features, "float64")
    if reference.ndim != 2 or query.ndim != 2 or query.shape[1:] != reference.shape[1:]:
        raise ValueError(
            "Query and reference features must be 2-D (rows, d) of the same width, as extract_features returns: "
            f"extract both from the same layer. Received: query {query.shape} vs reference {reference.shape}"
        )
    k = check_count("k", k)
    if k > len(reference):
        raise ValueError(
            f"k={k} is more neighbours than the {len(reference)} reference rows: pass k <= {len(reference)} "
            f"or use more reference images. Received: k={k}"
        )
    distances = (query**2).sum(1)[:, None] - 2 * query @ reference.T + (reference**2).sum(1)[None]
    return np.argsort(distances, axis=1)[:, :k]


def plot_nearest_neighbours(
    query_images, reference_images, neighbours, query_labels=None, reference_labels=None, class_names=None
):
    """Each query image (first column) and its nearest reference images, as in the paper's Figure 4.

    Example:

    >>> model = build_alexnet("mini", input_shape=(64, 64, 3))
    >>> photos = np.stack(list(sample_photos(image_size=64).values()))
    >>> features, _ = extract_features(model, photos)
    >>> neighbours = nearest_neighbours(features[:1], features, k=2)
    >>> figure = plot_nearest_neighbours(photos[:1], photos, neighbours)

    Args:
        query_images: `(queries, height, width, 3)`: uint8 (0-255) or floats
            in [0, 1].
        reference_images: `(references, height, width, 3)`, likewise.
        neighbours: `(queries, k)` indices into `reference_images`, from
            `nearest_neighbours`.
        query_labels: Labels of the queries, or None.
        reference_labels: Labels of the references, or None.
        class_names: Names for the labels.

    Returns:
        A matplotlib `Figure`, one row per query; neighbours of another
        class than the query are titled in red.

    Raises:
        ValueError: Images that break the image contract, or neighbours
            that do not match the images.
    """
    neighbours = np.asarray(neighbours)
    query_images = as_images(query_images, "query_images", batch=True)
    if neighbours.ndim != 2 or neighbours.dtype.kind not in "iu" or len(neighbours) != len(query_images):
        raise ValueError(
            f"neighbours must be integer indices (queries, k) with one row per query image ({len(query_images)}), "
            f"as nearest_neighbours returns. Received: neighbours of shape {neighbours.shape} and dtype {neighbours.dtype}"
        )
    references = len(reference_images)
    if neighbours.size and not (0 <= neighbours.min() and neighbours.max() < references):
        raise ValueError(
            f"neighbours index up to {neighbours.max()} but there are {references} reference_images: pass the images the "
            f"reference features were extracted from. Received: indices from {neighbours.min()} to {neighbours.max()}"
        )
    # Only the images shown are converted: the reference set can be large.
    chosen = as_images(np.asarray(reference_images)[neighbours.ravel()], "reference_images", batch=True)
    chosen = chosen.reshape(*neighbours.shape, *chosen.shape[1:])
    rows, k = neighbours.shape
    figure, axes = plt.subplots(rows, k + 1, figsize=((k + 1) * 1.25, rows * 1.4), squeeze=False)
    for row in range(rows):
        images = [query_images[row], *chosen[row]]
        for column, image in enumerate(images):
            ax = axes[row, column]
            ax.imshow(displayable(image), cmap="gray", interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if query_labels is None or reference_labels is None:
                continue
            label = query_labels[row] if column == 0 else reference_labels[neighbours[row, column - 1]]
            text = class_names[label] if class_names else str(label)
            wrong = column > 0 and label != query_labels[row]
            ax.set_title(text, fontsize=10, color="red" if wrong else "black")
        axes[row, 0].set_ylabel("query", fontsize=10)
    figure.tight_layout()
    return figure


def embed_2d(features, method="pca", seed=0):
    """Projects feature vectors to 2-D: `"pca"` (linear) or `"tsne"` (scikit-learn's t-SNE).

    Example:

    >>> features = np.random.default_rng(0).random((20, 8))
    >>> embed_2d(features, method="pca").shape
    (20, 2)
    """
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
    """A scatter plot of 2-D codes coloured by class.

    Example:

    >>> coordinates = embed_2d(np.random.default_rng(0).random((20, 8)))
    >>> figure = plot_embedding(coordinates, labels=np.arange(20) % 4, class_names=("cat", "dog", "frog", "ship"))
    """
    coordinates, labels = np.asarray(coordinates), np.asarray(labels)
    figure, ax = plt.subplots(figsize=(7.5, 4.5))
    for label in np.unique(labels):
        points = coordinates[labels == label]
        ax.scatter(points[:, 0], points[:, 1], s=8, label=class_names[label] if class_names else str(label))
    # Beside the points, not over them: with ten classes no corner of the map is empty.
    ax.legend(fontsize=10, markerscale=2, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.set_title(title, fontsize=12)
    ax.set_xticks([])
    ax.set_yticks([])
    figure.tight_layout()
    return figure
