"""Training on several machines: `tf.distribute.MultiWorkerMirroredStrategy` from the command line.

Every worker (a process, usually one per machine) runs the same command:

    python -m alexnet_edu.train_distributed --preset mini --data photos/ --epochs 10 \\
        --batch-size 64 --checkpoint-dir ckpt/

and finds its place in the cluster in `TF_CONFIG` (or in Slurm's variables):
a JSON such as `{"cluster": {"worker": ["host1:12345", "host2:12345"]},
"task": {"type": "worker", "index": 0}}`, the same cluster on every worker
and its own index. Without it the command trains in one process, on every
GPU of the machine. Worker 0 is the chief: it alone writes the checkpoints,
the final model and the history.

Data parallelism: every worker holds a copy of the model, trains on its own
share of each global batch and the gradients are summed over all workers
(all-reduce) before every step, so N workers with a global batch B follow
the same loss curve as one process with batch B. Two inputs:

- An image folder (`load_image_folder`'s layouts): every worker loads the
  folder into memory and keeps its own slice of every global batch
  (`AutoShardPolicy.DATA`): the batches are exactly those of one process.
- A folder of TFRecord shards (`write_tfrecords` writes them; schema in
  `TFRECORD_FEATURES`): worker i reads only the files i, i + N, i + 2N, ...
  (sharding by file, as `AutoShardPolicy.FILE` does), for data larger than
  memory. Every worker runs the same number of steps per epoch, set by the
  worker with the fewest images.

Keras 3.15's `fit` does not run under `MultiWorkerMirroredStrategy` as it is
(keras-team/keras#20585); `_MultiWorkerModel` works around it.
"""

import argparse
import ast
import dataclasses
import hashlib
import json
import math
import numbers
import os
import pathlib
import sys

import keras
import numpy as np
import tensorflow as tf

from alexnet_edu.augment import augment_data, crop_size_for, paper_augmentation
from alexnet_edu.data import load_image_folder
from alexnet_edu.folders import decode_images, find_split_folders, resolve_folder, scan_image_folder
from alexnet_edu.models import KNOBS, PRECISIONS, PRESETS, build_alexnet
from alexnet_edu.train import RECIPES, NonFiniteTrainingError, check_count, check_learning_rate, check_recipe, compile_for

# One tf.train.Example per image: the file's encoded bytes (PNG, JPEG, BMP, GIF) and its class index.
TFRECORD_FEATURES = {
    "image": tf.io.FixedLenFeature([], tf.string),
    "label": tf.io.FixedLenFeature([], tf.int64),
}
MANIFEST = "tfrecords.json"
MANIFEST_FORMAT = "alexnet-edu tfrecords 1"
# The cluster's chief writes; the backup sub-folder belongs to BackupAndRestore alone.
BACKUP_FOLDER = "backup"
MODEL_FILE = "model.keras"
HISTORY_FILE = "history.json"
SHUFFLE_BUFFER = 10_000

_STRATEGY = None


@dataclasses.dataclass(frozen=True)
class WorkerInfo:
    """Where this process stands in the cluster.

    Attributes:
        num_workers: Worker processes in the cluster (1 without one).
        task_type: `"worker"` or `"chief"`, None without a cluster.
        task_id: This worker's index within `task_type`.
        is_chief: Whether this worker writes checkpoints, the model and the history.
        num_replicas: Model copies in all (workers times devices per worker).
        rank: This worker's position in the cluster, 0 to `num_workers - 1` (the chief first).
    """

    num_workers: int
    task_type: str | None
    task_id: int | None
    is_chief: bool
    num_replicas: int
    rank: int = 0


@dataclasses.dataclass
class DistributedData:
    """Training and validation inputs ready for `fit` under a strategy.

    Attributes:
        train: A `tf.data.Dataset` of global batches that Keras splits over the
            workers (image folder), or a `tf.distribute.DistributedDataset`
            already split by file (TFRecord shards).
        validation: Batched `tf.data.Dataset` of the validation images, or None.
        class_names: Label `i` is `class_names[i]`.
        image_shape: `(height, width, 3)` of the images the model sees.
        num_train: Training images in all.
        steps_per_epoch: Global batches per epoch (the same on every worker).
        global_batch_size: Images per step over all workers.
        sharding: How the training images are split between workers, in words.
    """

    train: object
    validation: object
    class_names: tuple
    image_shape: tuple
    num_train: int
    steps_per_epoch: int
    global_batch_size: int
    sharding: str


@dataclasses.dataclass
class DistributedResult:
    """What `train_distributed` returns.

    Attributes:
        model: The trained model, as `build_alexnet` made it.
        history: Keras's `History` (the same numbers on every worker).
        worker: This process's `WorkerInfo`.
        data: The `DistributedData` it trained on.
    """

    model: keras.Model
    history: keras.callbacks.History
    worker: WorkerInfo
    data: DistributedData


def _tf_config(environ):
    """TF_CONFIG parsed and checked, or None when it is not set."""
    text = environ.get("TF_CONFIG")
    if not text:
        return None
    example = '{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}'
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"TF_CONFIG is not valid JSON ({error}): set it like {example}. Received: TF_CONFIG={text!r}") from None
    cluster = config.get("cluster") if isinstance(config, dict) else None
    task = config.get("task") if isinstance(config, dict) else None
    if not isinstance(cluster, dict) or not isinstance(task, dict) or not cluster:
        raise ValueError(f"TF_CONFIG needs a 'cluster' and a 'task', e.g. {example}. Received: TF_CONFIG={text!r}")
    task_type, index = task.get("type"), task.get("index")
    addresses = cluster.get(task_type) if isinstance(task_type, str) else None
    if not isinstance(addresses, list) or not isinstance(index, int) or not 0 <= index < len(addresses):
        raise ValueError(
            f"TF_CONFIG's task {task!r} is not in its cluster {cluster!r}: give 'type' one of {sorted(cluster)} and "
            f"'index' below its number of addresses. Received: TF_CONFIG={text!r}"
        )
    unknown = sorted(set(cluster) - {"chief", "worker"})
    if unknown:
        raise ValueError(
            f"MultiWorkerMirroredStrategy takes only 'chief' and 'worker' tasks, not {unknown}: list every process "
            f"under 'worker'. Received: TF_CONFIG={text!r}"
        )
    return config


def cluster_resolver(cluster="auto", environ=None, port=8888):
    """Finds the cluster this process belongs to.

    Args:
        cluster: `"auto"` (TF_CONFIG if set, else Slurm when the job step has
            several tasks, else none), `"tf-config"`, `"slurm"` or `"local"`.
        environ: The environment variables (default `os.environ`).
        port: Slurm only: the first port of each node's workers (the next
            worker on the same node gets `port + 1`, ...).

    Returns:
        A `tf.distribute.cluster_resolver.ClusterResolver`, or None for one process.

    Raises:
        ValueError: TF_CONFIG is malformed, or the cluster asked for is not there.
    """
    environ = os.environ if environ is None else environ
    if cluster not in ("auto", "tf-config", "slurm", "local"):
        raise ValueError(f"Unknown cluster {cluster!r}. Valid clusters: 'auto', 'tf-config', 'slurm', 'local'.")
    if cluster == "local":
        return None
    config = _tf_config(environ)
    if cluster == "tf-config" or (cluster == "auto" and config is not None):
        if config is None:
            raise ValueError("cluster='tf-config' but TF_CONFIG is not set: set it on every worker (see the README).")
        return tf.distribute.cluster_resolver.TFConfigClusterResolver()
    tasks = environ.get("SLURM_STEP_NUM_TASKS")
    if cluster == "slurm" or (cluster == "auto" and tasks and int(tasks) > 1 and "SLURM_PROCID" in environ):
        missing = [name for name in ("SLURM_PROCID", "SLURM_STEP_NUM_TASKS", "SLURM_STEP_NODELIST") if name not in environ]
        if missing:
            raise ValueError(
                f"cluster='slurm' but {', '.join(missing)} is not set: start every worker with srun inside an "
                "allocation (e.g. srun --ntasks-per-node=1 python -m alexnet_edu.train_distributed ...)."
            )
        # The resolver pairs each task of a node with a slice of its GPUs to pick ports; one "GPU" per task gives
        # every task its own port without touching CUDA_VISIBLE_DEVICES (TensorFlow has listed the GPUs already).
        return tf.distribute.cluster_resolver.SlurmClusterResolver(
            port_base=port, gpus_per_node=int(environ["SLURM_STEP_NUM_TASKS"]), gpus_per_task=1, auto_set_gpu=False
        )
    return None


COMMUNICATIONS = ("auto", "ring", "nccl")


def make_strategy(cluster="auto", port=8888, communication="auto"):
    """The distribution strategy for this process, made once per process.

    With a cluster (TF_CONFIG or Slurm): `MultiWorkerMirroredStrategy`; it
    must be made before TensorFlow computes anything, so call this first.
    Without one: `MirroredStrategy` over several local GPUs, else TensorFlow's
    default strategy (one device).

    Args:
        cluster: See `cluster_resolver`.
        port: See `cluster_resolver`.
        communication: The all-reduce between workers: `"auto"` (TensorFlow
            chooses), `"ring"` (gRPC, CPU or GPU) or `"nccl"` (NVIDIA GPUs only,
            usually the fastest there).

    Returns:
        A `tf.distribute.Strategy` (the same one on later calls).
    """
    global _STRATEGY
    if _STRATEGY is not None:
        return _STRATEGY
    if communication not in COMMUNICATIONS:
        raise ValueError(f"Unknown communication {communication!r}. Valid communications: 'auto', 'ring', 'nccl'.")
    resolver = cluster_resolver(cluster, port=port)
    if resolver is not None:
        implementation = getattr(tf.distribute.experimental.CommunicationImplementation, communication.upper())
        options = tf.distribute.experimental.CommunicationOptions(implementation=implementation)
        _STRATEGY = tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=resolver, communication_options=options)
    elif len(tf.config.list_logical_devices("GPU")) > 1:
        _STRATEGY = tf.distribute.MirroredStrategy()
    else:
        return tf.distribute.get_strategy()
    return _STRATEGY


def worker_info(strategy):
    """This process's place in the cluster of `strategy` (a `WorkerInfo`)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    spec = resolver.cluster_spec().as_dict() if resolver is not None else {}
    num_workers = sum(len(spec.get(kind, [])) for kind in ("chief", "worker"))
    if not num_workers:
        return WorkerInfo(1, None, None, True, strategy.num_replicas_in_sync)
    task_type, task_id = resolver.task_type, resolver.task_id
    is_chief = task_type == "chief" or (task_type == "worker" and task_id == 0 and "chief" not in spec)
    rank = task_id + (len(spec.get("chief", [])) if task_type == "worker" else 0)
    return WorkerInfo(num_workers, task_type, task_id, is_chief, strategy.num_replicas_in_sync, rank)


def _multi_worker(strategy):
    """Whether `strategy` spans several worker processes (its all-reduces cross the network)."""
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and strategy.num_replicas_in_sync > len(
        strategy.extended.worker_devices
    )


class _MultiWorkerModel(keras.Model):
    """The model of `build_alexnet`, fitted with Keras 3.15 under `MultiWorkerMirroredStrategy`.

    Three fixes (keras-team/keras#20585):

    - Before training, Keras builds the metrics from one batch of the data,
      all-reduced as a whole with `strategy.reduce`, which takes one tensor
      and fails. The build needs only shapes and dtypes: here it gets them
      from the model's input and the int32 labels the pipelines of this
      module yield.
    - Taking that batch also starts an extra pass over the training data,
      which moves the shuffling one epoch ahead of one process; no batch is
      taken here.
    - Each step's logs are reduced with `strategy.reduce(MEAN, axis=0)`,
      which needs an axis the scalar metrics lack: they get one. The
      metrics' totals are summed over all replicas already, so every replica
      holds the same global value and the mean is that value.
    """

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        if self._distribute_strategy is None:
            return super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)
        # Shapes and dtypes are all the build needs. Taking a batch from `iterator`, as Keras does, would start
        # an extra pass over the training data and shift its shuffling away from what one process sees.
        images = tf.TensorSpec(self.inputs[0].shape, self.inputs[0].dtype)
        return super()._maybe_symbolic_build(data_batch=(images, tf.TensorSpec((None,), tf.int32)))

    def _with_axis(self, logs):
        if not _multi_worker(self.distribute_strategy):
            return logs
        return {name: tf.reshape(value, [1]) if value.shape.rank == 0 else value for name, value in logs.items()}

    def train_step(self, data):
        return self._with_axis(super().train_step(data))

    def test_step(self, data):
        return self._with_axis(super().test_step(data))


def _agreed(strategy, value):
    """Every worker's `value` (an int), in worker order."""
    if not _multi_worker(strategy):
        return [value]

    @tf.function
    def gather():
        return strategy.gather(strategy.run(lambda: tf.constant([value], tf.int64)), axis=0)

    return [int(v) for v in gather().numpy()]


class _ChiefBackup(keras.callbacks.BackupAndRestore):
    """`BackupAndRestore` for several workers on one shared folder.

    Keras 3's callback lets every worker write the same file at once; here
    the chief alone writes (the weights are the same on every worker) and
    every worker restores from the chief's backup. Before training, the
    workers check that they resume from the same epoch: a worker that cannot
    see the backup would otherwise train out of step and hang the cluster.
    """

    def __init__(self, backup_dir, strategy, is_chief):
        super().__init__(backup_dir, save_freq="epoch")
        self._strategy = strategy
        self._is_chief = is_chief
        self._broken = False

    def _backup_epoch(self):
        path = pathlib.Path(self.backup_dir) / "training_metadata.json"
        return json.loads(path.read_text())["epoch"] if path.exists() else 0

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        epochs = _agreed(self._strategy, self._backup_epoch())
        if len(set(epochs)) > 1:
            raise RuntimeError(
                f"The workers found different backups in {self.backup_dir!r} (resume epochs {epochs}, in worker order): "
                "--checkpoint-dir must be one folder that every worker reads, on a shared filesystem (NFS, a bucket)."
            )

    def on_epoch_end(self, epoch, logs=None):
        # An epoch that ended in NaN (TerminateOnNaN stopped it) must not replace the last good backup.
        if logs and not math.isfinite(logs.get("loss", 0.0)):
            self._broken = True
            return
        super().on_epoch_end(epoch, logs)

    def _save_model(self):
        if self._is_chief:
            super()._save_model()

    def on_train_end(self, logs=None):
        # A finished run deletes its backup; a run stopped by NaN keeps the last good one.
        if self._is_chief and not self._broken:
            super().on_train_end(logs)


def _positive(name, value, example):
    return check_count(name, value, example=example)


def _shard_counts(counts, num_pipelines):
    """Images per input pipeline when file i goes to pipeline i % num_pipelines."""
    return [sum(counts[index::num_pipelines]) for index in range(num_pipelines)]


def _check_split(global_batch_size, worker):
    if global_batch_size % worker.num_replicas:
        good = max(worker.num_replicas, global_batch_size // worker.num_replicas * worker.num_replicas)
        raise ValueError(
            f"batch_size {global_batch_size} does not split evenly over {worker.num_replicas} replicas "
            f"({worker.num_workers} worker(s)): use a multiple of {worker.num_replicas}, e.g. batch_size={good}. "
            f"Received: batch_size={global_batch_size}"
        )


def _read_manifest(directory):
    path = directory / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ValueError(f"{str(path)!r} is not valid JSON ({error}): rewrite it with write_tfrecords or delete it.") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise ValueError(f"{str(path)!r} has no 'files' table of record counts: rewrite it with write_tfrecords or delete it.")
    return manifest


def _unreadable_shard(path, error):
    reason = str(getattr(error, "message", error)).splitlines()[0]
    return ValueError(
        f"Cannot read {str(path)!r} as TFRecords of this kit's schema ({reason}): every record needs the features "
        "'image' (the encoded file's bytes) and 'label' (int64); write the shards with write_tfrecords."
    )


def _labels(path, limit=None):
    """The labels of a shard's records (the first `limit` of them), checking the schema on the way."""
    dataset = tf.data.TFRecordDataset(str(path))
    if limit is not None:
        dataset = dataset.take(limit)
    dataset = dataset.map(lambda record: tf.io.parse_single_example(record, TFRECORD_FEATURES)["label"])
    try:
        return np.fromiter((int(label) for label in dataset), np.int64)
    except tf.errors.OpError as error:
        raise _unreadable_shard(path, error) from None


def _count_records(files):
    """Records per file and the largest label, by reading every record (for shards without a manifest)."""
    counts, largest = [], -1
    for path in files:
        values = _labels(path)
        counts.append(len(values))
        largest = max(largest, int(values.max()) if len(values) else -1)
    return counts, largest


@dataclasses.dataclass(frozen=True)
class TFRecordFiles:
    """A folder of TFRecord shards.

    Attributes:
        train: Training shard paths, sorted.
        validation: Validation shard paths, sorted (may be empty).
        train_counts: Images in each training shard.
        validation_counts: Images in each validation shard.
        class_names: Label `i` is `class_names[i]`.
    """

    train: tuple
    validation: tuple
    train_counts: tuple
    validation_counts: tuple
    class_names: tuple


def read_tfrecord_folder(directory):
    """Lists a folder of TFRecord shards and how many images each holds.

    Files named `train-*.tfrecord` train and `validation-*.tfrecord`
    validate; without those prefixes every `*.tfrecord` file trains. The
    counts and class names come from `tfrecords.json` (written by
    `write_tfrecords`); without it every record is read once to count them,
    and the classes are named `"0"`, `"1"`, ...

    Args:
        directory: The folder (`~` is expanded).

    Returns:
        A `TFRecordFiles`.

    Raises:
        FileNotFoundError: The folder does not exist.
        ValueError: No training shards, or a manifest that does not match the files.
    """
    directory = resolve_folder(directory, "TFRecord folder")
    files = sorted(directory.glob("*.tfrecord"))
    train = [path for path in files if path.name.startswith("train-")]
    validation = [path for path in files if path.name.startswith("validation-")]
    if not train and not validation:
        train = files
    if not train:
        raise ValueError(
            f"No training shards in {str(directory)!r}: name them train-*.tfrecord (write_tfrecords does), "
            f"beside validation-*.tfrecord. Found: {[path.name for path in files][:5]}"
        )
    _labels(train[0], limit=1)  # a shard of another schema fails here, not in the middle of training
    manifest = _read_manifest(directory)
    if manifest is not None and manifest.get("class_names"):
        missing = [path.name for path in train + validation if path.name not in manifest["files"]]
        if missing:
            raise ValueError(
                f"{str(directory / MANIFEST)!r} does not list {missing[:3]}: the shards were changed after it was "
                "written; rewrite them all with write_tfrecords, or delete the manifest to count the records."
            )
        counts = [int(manifest["files"][path.name]) for path in train + validation]
        class_names = tuple(manifest["class_names"])
    else:
        counts, largest = _count_records(train + validation)
        class_names = tuple(str(label) for label in range(largest + 1))
    return TFRecordFiles(tuple(train), tuple(validation), tuple(counts[: len(train)]), tuple(counts[len(train) :]), class_names)


def _decode_record(record, size):
    """Pixels as the folder loader makes them: RGB, resized to `size` (rounded to uint8), float32 in [0, 1]."""
    features = tf.io.parse_single_example(record, TFRECORD_FEATURES)
    image = tf.io.decode_image(features["image"], channels=3, dtype=tf.uint8, expand_animations=False)
    same_size = tf.reduce_all(tf.shape(image)[:2] == size)
    image = tf.cond(
        same_size,
        lambda: image,
        lambda: tf.cast(tf.clip_by_value(tf.round(tf.image.resize(image, size)), 0, 255), tf.uint8),
    )
    image = tf.ensure_shape(image, (*size, 3))
    return tf.cast(image, tf.float32) / 255.0, tf.cast(features["label"], tf.int32)


def _data_options(policy):
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = policy
    # As the kit's loaders: tf.data's autotuner stalls epochs (see alexnet_edu.data._steady).
    options.autotune.enabled = False
    return options


def _size_pair(image_size):
    size = (image_size, image_size) if isinstance(image_size, numbers.Integral) else image_size
    size = tuple(size) if isinstance(size, (tuple, list)) else ()
    if len(size) != 2 or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 for s in size):
        raise ValueError(
            f"image_size must be a positive int or (height, width), e.g. 64 or (64, 64). Received: image_size={image_size!r}"
        )
    return tuple(int(s) for s in size)


def load_distributed_data(
    data, strategy, image_size, batch_size, validation_split=None, seed=0, augment=False, max_per_class=None
):
    """Training and validation inputs, split between the workers of `strategy`.

    An image folder: every worker loads it (`load_image_folder`, the same
    split for the same seed) and keeps its part of each global batch
    (`AutoShardPolicy.DATA`). The global batches are those of one process,
    so N workers train exactly as one does; the cost is that every worker
    prepares every batch, fine for a folder that fits in memory.

    A folder of `*.tfrecord` shards: worker i reads files i, i + N, ... (as
    `AutoShardPolicy.FILE`, written out with `input_context.shard`) into
    per-replica batches, each worker shuffling its own files; every worker
    runs the steps of the worker with the fewest images, so no worker waits
    for a batch that never comes.

    Training drops the last partial global batch of every epoch: a batch
    smaller than the others would be split unevenly, and the update would
    weigh the replicas' images unequally.

    Args:
        data: An image folder or a folder of TFRecord shards.
        strategy: The `tf.distribute.Strategy`.
        image_size: Int or `(height, width)`: images are resized to it (before any crop).
        batch_size: The global batch: images per step over all workers.
        validation_split: Image folders: the share held out (default 0.2).
        seed: Seed for the split and the shuffling.
        augment: The paper's random crops (7/8 of `image_size`) and flips in
            training, the centre crop in validation.
        max_per_class: Image folders: at most this many images per class.

    Returns:
        A `DistributedData`.
    """
    worker = worker_info(strategy)
    _check_split(batch_size, worker)
    directory = resolve_folder(data, "--data folder")
    if any(directory.glob("*.tfrecord")):
        for name, value in (("validation_split", validation_split), ("max_per_class", max_per_class)):
            if value is not None:
                raise ValueError(
                    f"{name} applies to image folders, not to the TFRecord shards in {str(directory)!r} (they hold their "
                    f"own split): leave it out, or give it to write_tfrecords. Received: {name}={value!r}"
                )
        return _tfrecord_data(directory, strategy, worker, _size_pair(image_size), batch_size, seed, augment)
    image_data = load_image_folder(
        directory, image_size, batch_size, validation_split=validation_split, seed=seed, max_per_class=max_per_class
    )
    if augment:
        image_data = augment_data(image_data, seed=seed)
    steps = image_data.num_train // batch_size
    if steps < 1:
        raise ValueError(
            f"{image_data.num_train} training image(s) do not fill one global batch of {batch_size}: lower --batch-size "
            f"or add images. Received: batch_size={batch_size}"
        )
    # The count lets Keras show the epoch's length; unbatch() hides it.
    train = (
        image_data.train.unbatch().batch(batch_size, drop_remainder=True).apply(tf.data.experimental.assert_cardinality(steps))
    )
    validation = image_data.validation if image_data.num_validation else None
    policy = tf.data.experimental.AutoShardPolicy.DATA
    return DistributedData(
        train=train.prefetch(tf.data.AUTOTUNE).with_options(_data_options(policy)),
        validation=validation.with_options(_data_options(policy)) if validation is not None else None,
        class_names=tuple(image_data.class_names),
        image_shape=tuple(image_data.image_shape),
        num_train=image_data.num_train,
        steps_per_epoch=steps,
        global_batch_size=batch_size,
        sharding=f"each of {worker.num_workers} worker(s) keeps its slice of every global batch (AutoShardPolicy.DATA)",
    )


def _tfrecord_data(directory, strategy, worker, size, batch_size, seed, augment):
    files = read_tfrecord_folder(directory)
    if len(files.train) < worker.num_workers:
        raise ValueError(
            f"{str(directory)!r} has {len(files.train)} training shard(s) for {worker.num_workers} workers: sharding by "
            f"file needs at least one per worker; write more, e.g. write_tfrecords(..., num_shards={4 * worker.num_workers})."
        )
    replicas_per_worker = worker.num_replicas // worker.num_workers
    per_replica = batch_size // worker.num_replicas
    per_worker = _shard_counts(list(files.train_counts), worker.num_workers)
    steps = min(count // (per_replica * replicas_per_worker) for count in per_worker)
    if steps < 1:
        raise ValueError(
            f"The smallest worker's shards hold {min(per_worker)} image(s), less than one step of "
            f"{per_replica * replicas_per_worker}: lower --batch-size or write fewer, larger shards. "
            f"Received: batch_size={batch_size}"
        )
    crop = (crop_size_for(size[0]), crop_size_for(size[1])) if augment else size
    paths = [str(path) for path in files.train]
    # Made here, outside the strategy's scope: its random state must be a plain variable of this worker.
    # Its layers draw from seed, seed + 1 and seed + 2, so workers are 3 apart to share none.
    augmentation = paper_augmentation((*size, 3), seed=seed + 3 * worker.rank)[0] if augment else None

    def dataset_fn(input_context):
        # The seed differs per worker: the same seed would shuffle every worker's files alike.
        local_seed = seed + input_context.input_pipeline_id
        dataset = tf.data.Dataset.from_tensor_slices(paths).shard(
            input_context.num_input_pipelines, input_context.input_pipeline_id
        )
        dataset = dataset.interleave(
            tf.data.TFRecordDataset, cycle_length=4, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True
        )
        dataset = dataset.shuffle(SHUFFLE_BUFFER, seed=local_seed, reshuffle_each_iteration=True)
        dataset = dataset.map(lambda record: _decode_record(record, size), num_parallel_calls=tf.data.AUTOTUNE)
        dataset = dataset.batch(input_context.get_per_replica_batch_size(batch_size), drop_remainder=True)
        if augmentation is not None:
            dataset = dataset.map(lambda x, y: (augmentation(x, training=True), y))
        dataset = dataset.take(steps * replicas_per_worker).apply(
            tf.data.experimental.assert_cardinality(steps * replicas_per_worker)
        )
        return dataset.prefetch(tf.data.AUTOTUNE).with_options(_data_options(tf.data.experimental.AutoShardPolicy.OFF))

    train = strategy.distribute_datasets_from_function(dataset_fn)
    validation = None
    if files.validation:
        validation = tf.data.TFRecordDataset([str(path) for path in files.validation]).map(
            lambda record: _decode_record(record, size), num_parallel_calls=tf.data.AUTOTUNE
        )
        num_batches = -(-sum(files.validation_counts) // batch_size)
        validation = validation.batch(batch_size).apply(tf.data.experimental.assert_cardinality(num_batches))
        if augment:
            centre = keras.layers.CenterCrop(*crop)
            validation = validation.map(lambda x, y: (centre(x), y))
        validation = validation.with_options(_data_options(tf.data.experimental.AutoShardPolicy.DATA))
    return DistributedData(
        train=train,
        validation=validation,
        class_names=files.class_names,
        image_shape=(*crop, 3),
        num_train=sum(files.train_counts),
        steps_per_epoch=steps,
        global_batch_size=batch_size,
        sharding=(
            f"by file: worker i of {worker.num_workers} reads shards i, i+{worker.num_workers}, ... "
            f"({', '.join(map(str, per_worker))} images), {steps} steps each"
        ),
    )


def _stratified(labels, validation_split, seed):
    """Train and validation indices, the same share of every class (at least one of a class with two or more)."""
    rng = np.random.default_rng(seed)
    train, validation = [], []
    for label in np.unique(labels):
        indices = rng.permutation(np.flatnonzero(labels == label))
        share = int(round(len(indices) * validation_split)) if validation_split else 0
        if validation_split and len(indices) >= 2:
            share = min(max(share, 1), len(indices) - 1)
        validation += list(indices[:share])
        train += list(indices[share:])
    return np.asarray(train, int), np.asarray(validation, int)


def _write_shards(output_dir, prefix, paths, labels, num_shards, seed):
    """Writes `paths` (shuffled, dealt round-robin) to `num_shards` files; returns {file name: count}."""
    order = np.random.default_rng(seed).permutation(len(paths))
    counts = {}
    for shard in range(num_shards):
        name = f"{prefix}-{shard:05d}-of-{num_shards:05d}.tfrecord"
        chosen = order[shard::num_shards]
        with tf.io.TFRecordWriter(str(output_dir / name)) as writer:
            for index in chosen:
                example = tf.train.Example(
                    features=tf.train.Features(
                        feature={
                            "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[paths[index].read_bytes()])),
                            "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(labels[index])])),
                        }
                    )
                )
                writer.write(example.SerializeToString())
        counts[name] = len(chosen)
    return counts


def write_tfrecords(image_folder, output_dir, num_shards=8, validation_split=0.2, seed=0):
    """Writes an image folder to TFRecord shards for `train_distributed`.

    Each record holds a file's original bytes (no re-encoding) and its class
    index (`TFRECORD_FEATURES`). Training images are shuffled and dealt
    round-robin, so shards differ by at most one image and mix the classes.
    A folder with `train/` and `validation/` sub-folders keeps that split;
    otherwise `validation_split` of each class is held out (as
    `load_image_folder` does, though not with the same files). The manifest
    `tfrecords.json` lists the class names and every shard's count.

    Example:

    >>> manifest = write_tfrecords("photos/", "photos-tfrecords/", num_shards=8)
    >>> sorted(path.name for path in manifest.parent.iterdir())[:3]
    ['tfrecords.json', 'train-00000-of-00008.tfrecord', 'train-00001-of-00008.tfrecord']

    Args:
        image_folder: A folder of class sub-folders (the kit's rules: `alexnet_edu.folders`).
        output_dir: Where to write; created if missing, and must hold no `.tfrecord` files yet.
        num_shards: Training shards; at least the number of workers that will read them.
        validation_split: Share of each class written to `validation-*.tfrecord`
            (0 for none); ignored for the train/validation layout.
        seed: Seed for the split and the order.

    Returns:
        The manifest's path.

    Raises:
        ValueError: Unreadable images (all named), an output folder with shards already, or a bad argument.
    """
    num_shards = check_count("num_shards", num_shards, meaning="training TFRecord files", example=8)
    if isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real) or not 0 <= validation_split < 1:
        raise ValueError(
            f"validation_split must be a fraction from 0 (no validation shards) to below 1, e.g. 0.2. "
            f"Received: validation_split={validation_split!r}"
        )
    source = resolve_folder(image_folder)
    output_dir = pathlib.Path(os.path.expanduser(os.fspath(output_dir)))
    if output_dir.is_file():
        raise NotADirectoryError(f"output_dir {str(output_dir)!r} is a file: give a folder for the shards.")
    if output_dir.exists() and any(output_dir.glob("*.tfrecord")):
        raise ValueError(
            f"{str(output_dir)!r} already holds .tfrecord files: give an empty folder, or delete them first "
            "(mixing two conversions would train on both)."
        )
    split_folders = find_split_folders(source)
    if split_folders:
        files = scan_image_folder(split_folders[0])
        held_out = scan_image_folder(split_folders[1])
        relabel = np.asarray([files.class_names.index(name) for name in held_out.class_names if name in files.class_names])
        if len(relabel) != len(held_out.class_names):
            raise ValueError(
                f"{str(split_folders[1])!r} has classes that {str(split_folders[0])!r} lacks: give both the same class folders."
            )
        train = (list(files.paths), files.labels)
        validation = (list(held_out.paths), relabel[held_out.labels])
    else:
        files = scan_image_folder(source)
        train_index, validation_index = _stratified(files.labels, validation_split, seed)
        paths = list(files.paths)
        train = ([paths[i] for i in train_index], files.labels[train_index])
        validation = ([paths[i] for i in validation_index], files.labels[validation_index])
    if num_shards > len(train[0]):
        raise ValueError(
            f"num_shards={num_shards} is more than the {len(train[0])} training images: some shards would be empty; "
            f"use at most num_shards={len(train[0])}. Received: num_shards={num_shards}"
        )
    every_path = train[0] + validation[0]
    # Decoding to 1x1 pixels checks that TensorFlow reads every file, without holding the images.
    _, failed = decode_images(every_path, (1, 1))
    if len(failed):
        shown = "; ".join(str(every_path[i]) for i in failed[:5])
        raise ValueError(f"Cannot decode {len(failed)} image file(s), delete or re-save them as PNG or JPEG: {shown}")
    output_dir.mkdir(parents=True, exist_ok=True)
    counts = _write_shards(output_dir, "train", *train, num_shards, seed)
    if validation[0]:
        num_validation = min(num_shards, max(1, round(num_shards * len(validation[0]) / len(train[0]))))
        counts.update(_write_shards(output_dir, "validation", *validation, num_validation, seed + 1))
    manifest = {
        "format": MANIFEST_FORMAT,
        "features": {"image": "the image file's encoded bytes (PNG, JPEG, BMP or GIF)", "label": "int64 class index"},
        "class_names": list(files.class_names),
        "files": counts,
    }
    path = output_dir / MANIFEST
    path.write_text(json.dumps(manifest, indent=1))
    return path


def _sync_batchnorm(model):
    """Batch statistics over the global batch, as one process computes them (an all-reduce per layer)."""
    count = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.synchronized = True
            count += 1
    return count


def _check_knobs(knobs):
    for name in ("num_classes", "input_shape"):
        if name in knobs:
            raise ValueError(
                f"The knob {name} comes from the data (its classes and --image-size): leave it out. "
                f"Received: {name}={knobs[name]!r}"
            )
    unknown = sorted(set(knobs) - set(KNOBS))
    if unknown:
        raise ValueError(
            f"Unknown knob {unknown[0]!r}. Valid knobs: {', '.join(k for k in KNOBS if k not in ('num_classes', 'input_shape'))}."
        )


def _default_image_size(preset, augment):
    size = PRESETS[preset].get("input_shape", (227, 227, 3))[0]
    # With crops, load larger so that the 7/8 crop is the preset's size (256 -> 224, as in the paper).
    return int(round(size * 256 / 224)) if augment else size


def train_distributed(
    data,
    preset="mini",
    epochs=10,
    batch_size=64,
    image_size=None,
    recipe="adam",
    learning_rate=None,
    checkpoint_dir=None,
    validation_split=None,
    seed=0,
    augment=False,
    sync_batchnorm=True,
    patience=3,
    max_per_class=None,
    verbose=2,
    callbacks=(),
    strategy=None,
    precision="auto",
    **knobs,
):
    """Trains a preset on an image folder or TFRecord shards, on one process or a cluster.

    Every worker calls it with the same arguments (the command line does).
    The model is built, compiled and trained under the strategy; batch
    normalisation uses the statistics of the global batch
    (`sync_batchnorm`), so the run matches one process with the same global
    batch up to float rounding (dropout masks differ: they are drawn per
    replica). With `checkpoint_dir`, `keras.callbacks.BackupAndRestore`
    saves the state after every epoch to `checkpoint_dir/backup/` and a
    restarted run (all workers restarted with the same command) resumes at
    the epoch after the last one saved; at the end the chief writes
    `model.keras` and `history.json` there.

    Args:
        data: An image folder (class sub-folders, or train/ and validation/)
            or a folder of TFRecord shards (see `write_tfrecords`).
        preset: One of `PRESETS`.
        epochs: Passes over the training data.
        batch_size: The global batch, split evenly over all replicas.
        image_size: Pixels the images are resized to; default the preset's
            input size (larger by 256/224 with `augment`, so the crop fits).
        recipe: `"adam"`, `"paper"` or `"sgd"` (`alexnet_edu.train.RECIPES`).
        learning_rate: Overrides the recipe's.
        checkpoint_dir: Folder for the backup, the model and the history,
            shared by all workers; None saves nothing.
        validation_split: Image folders without their own split: the share held out.
        seed: Seed for the weights, the split and the shuffling (the same on every worker).
        augment: The paper's random crops and flips (see `load_distributed_data`).
        sync_batchnorm: Synchronise batch normalisation over all replicas.
        patience: The paper recipe: epochs without improvement before lr / 10.
        max_per_class: Image folders: at most this many images per class.
        verbose: Keras's progress output on the chief (0, 1 or 2); other workers are silent.
        callbacks: More Keras callbacks.
        strategy: A strategy made already; default `make_strategy()`.
        precision: `build_alexnet`'s: `"auto"` (mixed float16 on GPUs, mixed
            bfloat16 on CPUs with bfloat16 instructions, else float32),
            `"float32"`, `"mixed_float16"` or `"mixed_bfloat16"`.
        **knobs: `build_alexnet` knobs such as `width=0.5` or `dropout=0.0`.

    Returns:
        A `DistributedResult`.

    Raises:
        ValueError, TypeError: A bad argument; the message says which and the fix.
        FileNotFoundError: The data folder does not exist.
    """
    if not isinstance(preset, str) or preset not in PRESETS:
        raise ValueError(f"Unknown preset {preset!r}. Valid presets: {', '.join(map(repr, PRESETS))}.")
    epochs = check_count("epochs", epochs, meaning="passes over the training data")
    batch_size = _positive("batch_size", batch_size, 64)
    check_recipe(recipe)
    learning_rate = check_learning_rate(learning_rate)
    patience = check_count("patience", patience, minimum=0, meaning="epochs without improvement", example=3)
    _check_knobs(knobs)
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(
            f"verbose must be 0 (silent), 1 (a progress bar) or 2 (one line per epoch). Received: verbose={verbose!r}"
        )
    if isinstance(callbacks, keras.callbacks.Callback):
        callbacks = [callbacks]
    if isinstance(callbacks, (str, bytes)) or not all(isinstance(c, keras.callbacks.Callback) for c in callbacks):
        raise TypeError(
            "callbacks must be a list of Keras callbacks, e.g. callbacks=[keras.callbacks.CSVLogger('log.csv')]. "
            f"Received: callbacks={callbacks!r}"
        )
    if checkpoint_dir is not None:
        if not isinstance(checkpoint_dir, (str, os.PathLike)):
            raise TypeError(f"checkpoint_dir must be a folder path such as 'ckpt/'. Received: checkpoint_dir={checkpoint_dir!r}")
        checkpoint_dir = pathlib.Path(os.path.expanduser(os.fspath(checkpoint_dir)))
        if checkpoint_dir.is_file():
            raise NotADirectoryError(
                f"checkpoint_dir is a file: give a folder for the backup. Received: checkpoint_dir={str(checkpoint_dir)!r}"
            )
    strategy = strategy or make_strategy()
    worker = worker_info(strategy)
    size = image_size if image_size is not None else _default_image_size(preset, augment)
    # Seeded first: the shuffling's seed pairs with TensorFlow's global one, so every worker (and one process) agrees.
    keras.utils.set_random_seed(seed)
    inputs = load_distributed_data(data, strategy, size, batch_size, validation_split, seed, augment, max_per_class)
    with strategy.scope():
        keras.utils.set_random_seed(seed)
        model = build_alexnet(
            preset, num_classes=len(inputs.class_names), input_shape=inputs.image_shape, precision=precision, **knobs
        )
        norms = sum(isinstance(layer, keras.layers.BatchNormalization) for layer in model.layers)
        synced = _sync_batchnorm(model) if sync_batchnorm and worker.num_replicas > 1 else 0
        trainer = _MultiWorkerModel(inputs=model.inputs, outputs=model.outputs, name=model.name)
        compile_for(trainer, recipe, learning_rate, total_steps=epochs * inputs.steps_per_epoch)
    all_callbacks = [keras.callbacks.TerminateOnNaN(), *callbacks]
    if recipe == "paper":
        monitor = "val_loss" if inputs.validation is not None else "loss"
        all_callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor=monitor, factor=0.1, patience=patience, min_lr=1e-5))
    if checkpoint_dir is not None:
        all_callbacks.insert(0, _ChiefBackup(str(checkpoint_dir / BACKUP_FOLDER), strategy, worker.is_chief))
    if worker.is_chief and verbose:
        norm_mode = "synchronised over replicas" if synced else "per replica" if worker.num_replicas > 1 else "local"
        print(
            f"Training {model.name} with {type(strategy).__name__}: {worker.num_workers} worker(s), {worker.num_replicas} "
            f"replica(s); global batch {batch_size} ({batch_size // worker.num_replicas} per replica), "
            f"{inputs.steps_per_epoch} steps per epoch over {inputs.num_train:,} images, {epochs} epochs, recipe "
            f"{recipe!r}; sharding: {inputs.sharding}; " + (f"batch norm {norm_mode}." if norms else "no batch norm."),
            flush=True,
        )
    history = trainer.fit(
        inputs.train,
        validation_data=inputs.validation,
        epochs=epochs,
        callbacks=all_callbacks,
        verbose=verbose if worker.is_chief else 0,
        shuffle=False,
    )
    losses = history.history.get("loss", [])
    if losses and not math.isfinite(losses[-1]):
        backup = checkpoint_dir / BACKUP_FOLDER if checkpoint_dir is not None else None
        kept = ""
        if backup is not None and (backup / "training_metadata.json").exists():
            kept = f" The backup in {str(backup)!r} keeps the last finite epoch: rerun to resume from it."
        error = NonFiniteTrainingError(
            f"Training stopped in epoch {history.epoch[-1] + 1}/{epochs}: the loss became {losses[-1]}.{kept} Fix: lower "
            "the learning rate (--learning-rate), or check the images for NaN or infinite pixels.",
            epoch=history.epoch[-1] + 1,
        )
        error.history = history
        raise error
    if checkpoint_dir is not None and worker.is_chief:
        checkpoint_dir.mkdir(parents=True, exist_ok=True)
        model.save(checkpoint_dir / MODEL_FILE)
        record = {"epoch": history.epoch, **{name: [float(v) for v in values] for name, values in history.history.items()}}
        (checkpoint_dir / HISTORY_FILE).write_text(json.dumps(record, indent=1))
    return DistributedResult(model=model, history=history, worker=worker, data=inputs)


def image_fingerprint(image):
    """A short hash of an image's pixels (float in [0, 1] or uint8), to tell which images a worker saw."""
    pixels = np.asarray(image)
    if pixels.dtype != np.uint8:
        pixels = np.round(pixels * 255).astype(np.uint8)
    return hashlib.sha1(pixels.tobytes()).hexdigest()[:16]


# ----------------------------------------------------------------------------- command line

DESCRIPTION = """\
Train an AlexNet preset with tf.distribute.MultiWorkerMirroredStrategy, on one machine or many.

Run the same command on every worker. Each finds its place in TF_CONFIG, e.g.
  TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}'
(index 1 on the second machine), or in Slurm's variables under srun. Without either it trains in one
process on every local GPU (or the CPU). --batch-size is the global batch, split over all workers.
"""

EPILOG = """\
examples:
  python -m alexnet_edu.train_distributed --preset mini --data photos/ --epochs 3 --batch-size 64 --checkpoint-dir ckpt/
  python -m alexnet_edu.train_distributed --preset mini --data photos/ --knob width=0.5 --knob dropout=0.0
  python -m alexnet_edu.train_distributed convert photos/ photos-tfrecords/ --num-shards 16

--data is an image folder (one sub-folder per class, or train/ and validation/) or a folder of
*.tfrecord shards written by the convert command (records: "image" = the file's bytes, "label" = int64).
A restarted run with the same --checkpoint-dir resumes after the last finished epoch; --checkpoint-dir
must be a folder every worker reads (a shared filesystem). At the end it holds model.keras and history.json.
"""

CONVERT_DESCRIPTION = """\
Write an image folder to TFRecord shards for --data: train-NNNNN-of-NNNNN.tfrecord,
validation-NNNNN-of-NNNNN.tfrecord and tfrecords.json (class names and record counts).
Each record holds one image file's original bytes ("image") and its class index ("label", int64).
"""


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, e.g. 64. Received: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, e.g. 64. Received: {text!r}")
    return value


def _fraction(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a fraction such as 0.2. Received: {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be a fraction from 0 to below 1, e.g. 0.2. Received: {text!r}")
    return value


def _knob(text):
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"must be NAME=VALUE, e.g. width=0.5 or dropout=0.0. Received: {text!r}")
    try:
        parsed = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        parsed = value.strip()  # a bare word such as lrn or batchnorm
    return name.strip(), parsed


def build_parser():
    """The argument parser of `python -m alexnet_edu.train_distributed` (training)."""
    parser = argparse.ArgumentParser(
        prog="python -m alexnet_edu.train_distributed",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", required=True, metavar="FOLDER", help="image folder, or folder of *.tfrecord shards")
    parser.add_argument("--preset", default="mini", choices=list(PRESETS), help="AlexNet preset (default: mini)")
    parser.add_argument("--epochs", type=_positive_int, default=10, help="passes over the training data (default: 10)")
    parser.add_argument(
        "--batch-size",
        type=_positive_int,
        default=64,
        help="global batch over all workers; a multiple of their number (default: 64)",
    )
    parser.add_argument(
        "--image-size",
        type=_positive_int,
        default=None,
        metavar="PIXELS",
        help="resize images to PIXELS square (default: the preset's input size)",
    )
    parser.add_argument(
        "--recipe",
        default="adam",
        choices=list(RECIPES),
        help="adam (default), paper (SGD, momentum 0.9, lr / 10 on plateau) or sgd (constant lr, no weight decay)",
    )
    parser.add_argument("--learning-rate", type=float, default=None, metavar="LR", help="override the recipe's learning rate")
    parser.add_argument(
        "--checkpoint-dir",
        default=None,
        metavar="FOLDER",
        help="backup after every epoch (resume on restart), final model.keras and history.json; shared by all workers",
    )
    parser.add_argument(
        "--validation-split",
        type=_fraction,
        default=None,
        metavar="FRACTION",
        help="image folders: share of each class held out (default: 0.2)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for the weights, split and shuffling; the same on every worker (default: 0)"
    )
    parser.add_argument("--augment", action="store_true", help="the paper's random 7/8 crops and horizontal flips")
    parser.add_argument(
        "--no-sync-batchnorm",
        dest="sync_batchnorm",
        action="store_false",
        help="batch-norm statistics per replica instead of the global batch",
    )
    parser.add_argument(
        "--patience", type=int, default=3, help="paper recipe: epochs without improvement before lr / 10 (default: 3)"
    )
    parser.add_argument(
        "--max-per-class", type=_positive_int, default=None, metavar="N", help="image folders: use at most N images per class"
    )
    parser.add_argument(
        "--knob",
        type=_knob,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a build_alexnet knob, e.g. --knob width=0.5; repeatable",
    )
    parser.add_argument(
        "--precision",
        default="auto",
        choices=list(PRECISIONS),
        help="auto: mixed float16 on GPUs, mixed bfloat16 on CPUs with bfloat16 instructions, else float32",
    )
    parser.add_argument(
        "--cluster",
        default="auto",
        choices=["auto", "tf-config", "slurm", "local"],
        help="where to find the cluster (default: auto: TF_CONFIG, then Slurm)",
    )
    parser.add_argument(
        "--port", type=_positive_int, default=8888, help="Slurm: first port of each node's workers (default: 8888)"
    )
    parser.add_argument(
        "--communication",
        default="auto",
        choices=list(COMMUNICATIONS),
        help="all-reduce between workers (default: auto; nccl on GPUs)",
    )
    parser.add_argument(
        "--verbose", type=int, default=2, choices=[0, 1, 2], help="Keras output on the chief: 0, 1 (bar) or 2 (a line per epoch)"
    )
    return parser


def build_convert_parser():
    """The argument parser of `python -m alexnet_edu.train_distributed convert`."""
    parser = argparse.ArgumentParser(
        prog="python -m alexnet_edu.train_distributed convert",
        description=CONVERT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("image_folder", help="folder of class sub-folders (or train/ and validation/)")
    parser.add_argument("output_dir", help="folder for the shards (created; must hold no .tfrecord files)")
    parser.add_argument(
        "--num-shards", type=_positive_int, default=8, help="training shards, at least one per worker (default: 8)"
    )
    parser.add_argument(
        "--validation-split",
        type=_fraction,
        default=0.2,
        metavar="FRACTION",
        help="share of each class for validation shards (default: 0.2; 0: none)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for the split and the order (default: 0)")
    return parser


_USER_ERRORS = (ValueError, TypeError, FileNotFoundError, NotADirectoryError)


def main(argv=None):
    """The command line: trains (or converts, with `convert` first); returns the `DistributedResult` or the manifest path."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["convert"]:
        parser = build_convert_parser()
        args = parser.parse_args(argv[1:])
        try:
            path = write_tfrecords(args.image_folder, args.output_dir, args.num_shards, args.validation_split, args.seed)
        except _USER_ERRORS as error:
            parser.exit(2, f"{parser.prog}: error: {error}\n")
        manifest = json.loads(path.read_text())
        print(f"Wrote {sum(manifest['files'].values()):,} images to {len(manifest['files'])} shard(s) in {str(path.parent)!r}.")
        return path
    parser = build_parser()
    args = parser.parse_args(argv)
    knobs = dict(args.knob)
    try:
        # First: MultiWorkerMirroredStrategy must exist before TensorFlow computes anything.
        strategy = make_strategy(args.cluster, args.port, args.communication)
        return train_distributed(
            args.data,
            preset=args.preset,
            epochs=args.epochs,
            batch_size=args.batch_size,
            image_size=args.image_size,
            recipe=args.recipe,
            learning_rate=args.learning_rate,
            checkpoint_dir=args.checkpoint_dir,
            validation_split=args.validation_split,
            seed=args.seed,
            augment=args.augment,
            sync_batchnorm=args.sync_batchnorm,
            patience=args.patience,
            max_per_class=args.max_per_class,
            verbose=args.verbose,
            strategy=strategy,
            precision=args.precision,
            **knobs,
        )
    except _USER_ERRORS as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")


if __name__ == "__main__":
    main()
