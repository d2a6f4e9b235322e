"""alexnet_edu.train_distributed: MultiWorkerMirroredStrategy training from the command line.

The two-worker test starts two real worker processes on localhost (gRPC, CPU) and compares their loss curve
with one process; see `test_two_workers_follow_one_process` for the tolerance.
"""

import io
import json
import os
import re
import socket
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from alexnet_edu import train_distributed as td

DIST_CLASSES = ("red", "green", "blue", "yellow")
DIST_COLOURS = np.array([[200, 40, 40], [40, 200, 40], [40, 40, 200], [200, 200, 40]])
# 64 images of 32 px, 4 classes: a 0.2 split leaves 52 training images, 3 global batches of 16 (4 dropped).
# float32: in bfloat16 (what "auto" picks on some CPUs) each worker's half-batch sums round differently, by 1e-4.
DIST_COMMON = ["--image-size", "32", "--batch-size", "16", "--knob", "width=0.125", "--knob", "dropout=0.0", "--verbose", "0",
               "--precision", "float32"]  # fmt: skip
WORKER_TIMEOUT = 110  # all processes, a relaunch on a taken port included

# Run by each worker: the folder run the test compares with one process, a TFRecord run on 3 shards for
# 2 workers (uneven: 35 and 17 images), then the images each worker's share of one epoch holds.
DIST_WORKER = r"""
import json, pathlib, sys, time
started = time.monotonic()
from alexnet_edu import train_distributed as td
import keras
import tensorflow as tf

folder, tfrecords, checkpoint_dir, out = sys.argv[1:5]
common = json.loads(sys.argv[5])
strategy = td.make_strategy(communication="ring")  # what "auto" picks on CPUs; the command line reuses it
worker = td.worker_info(strategy)


def done(phase):  # in the log, for a test that runs out of time
    print(f"worker {worker.rank}: {phase} after {time.monotonic() - started:.1f} s", flush=True)


done("start")
folder_run = td.main(["--data", folder, "--epochs", "3", "--checkpoint-dir", checkpoint_dir, *common])
done("folder run")
tfrecord_run = td.main(["--data", tfrecords, "--epochs", "1", *common])
done("TFRecord run")


def seen(data):
    dataset = data.train
    if not isinstance(dataset, tf.distribute.DistributedDataset):
        dataset = strategy.experimental_distribute_dataset(dataset)
    steps = []
    for images, _ in dataset:
        steps.append([td.image_fingerprint(image) for local in strategy.experimental_local_results(images) for image in local])
    return steps


# Worker 1 alone finds a backup (as if --checkpoint-dir were not shared): both must refuse to start.
private = pathlib.Path(checkpoint_dir + f"-private{worker.rank}")
if worker.rank == 1:
    (private / td.BACKUP_FOLDER).mkdir(parents=True, exist_ok=True)
    (private / td.BACKUP_FOLDER / "training_metadata.json").write_text('{"epoch": 1, "batch": 0}')
try:
    td.train_distributed(folder, epochs=2, image_size=32, batch_size=16, width=0.125, verbose=0, checkpoint_dir=private)
    mismatch = None
except RuntimeError as error:
    mismatch = str(error)
done("mismatched backups")

keras.utils.set_random_seed(0)
folder_seen = seen(td.load_distributed_data(folder, strategy, 32, 16, seed=0))
tfrecord_seen = seen(td.load_distributed_data(tfrecords, strategy, 32, 16, seed=0))
done("shards recorded")
with open(out, "w") as file:
    json.dump({
        "task_id": worker.task_id, "is_chief": worker.is_chief, "num_workers": worker.num_workers, "rank": worker.rank,
        "mismatch": mismatch,
        "folder": folder_run.history.history, "folder_epochs": folder_run.history.epoch,
        "tfrecord": tfrecord_run.history.history, "tfrecord_steps": tfrecord_run.data.steps_per_epoch,
        "folder_seen": folder_seen, "tfrecord_seen": tfrecord_seen,
    }, file)
"""


def dist_write_folder(root, num_images=64, size=32, seed=0):
    """Class-coloured noise: every image unique, the classes learnable."""
    rng = np.random.default_rng(seed)
    for index in range(num_images):
        label = index % len(DIST_CLASSES)
        pixels = np.clip(DIST_COLOURS[label] + rng.normal(0, 50, (size, size, 3)), 0, 255).astype(np.uint8)
        (root / DIST_CLASSES[label]).mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(root / DIST_CLASSES[label] / f"{index:03d}.png")
    return root


def dist_file_fingerprints(root):
    """{fingerprint: class index} of every image file, read with PIL (independently of TensorFlow)."""
    classes = sorted(path.name for path in root.iterdir() if path.is_dir())
    return {
        td.image_fingerprint(np.asarray(Image.open(path).convert("RGB"))): classes.index(path.parent.name)
        for path in root.rglob("*.png")
    }


def dist_shard_records(path):
    """(fingerprint, label) of every record of a shard, the bytes decoded with PIL."""
    records = []
    for record in tf.data.TFRecordDataset(str(path)):
        example = tf.train.Example.FromString(record.numpy())
        encoded = example.features.feature["image"].bytes_list.value[0]
        label = example.features.feature["label"].int64_list.value[0]
        records.append((td.image_fingerprint(np.asarray(Image.open(io.BytesIO(encoded)).convert("RGB"))), label))
    return records


def dist_free_ports(count, rng):
    """Free ports below the kernel's ephemeral range.

    Other programs' bind(0) calls and outgoing connections draw ephemeral ports, so one picked there can be
    taken in the 20 s before TensorFlow binds it (it happened here: "Could not start gRPC server").
    """
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as file:
            low = int(file.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    ports = []
    while len(ports) < count:
        port = int(rng.integers(10000, max(low, 10001)))
        with socket.socket() as sock:
            try:
                sock.bind(("", port))  # TensorFlow binds every interface
            except OSError:
                continue
        if port not in ports:
            ports.append(port)
    return ports


def dist_wait(processes, logs, deadline):
    """Waits for every process until `deadline`, stopping early when one fails; returns their exit codes and logs."""
    while time.monotonic() < deadline and any(p.poll() is None for p in processes):
        if any(p.poll() not in (None, 0) for p in processes):
            break  # the others would wait for the failed one until the deadline
        time.sleep(0.5)
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
    outputs = []
    for log in logs:
        log.seek(0)
        outputs.append(log.read())
    return [process.returncode for process in processes], outputs


@pytest.fixture(scope="module")
def dist_folder(tmp_path_factory):
    return dist_write_folder(tmp_path_factory.mktemp("dist") / "colours")


@pytest.fixture(scope="module")
def dist_tfrecords(dist_folder, tmp_path_factory):
    output = tmp_path_factory.mktemp("dist") / "shards"
    td.write_tfrecords(dist_folder, output, num_shards=3, validation_split=0.2, seed=0)
    return output


@pytest.fixture
def dist_local(monkeypatch):
    """One process, whatever the environment holds."""
    for name in ("TF_CONFIG", "SLURM_PROCID", "SLURM_STEP_NUM_TASKS"):
        monkeypatch.delenv(name, raising=False)
    return tf.distribute.get_strategy()


def test_help_names_the_cluster_the_batch_and_the_converter(capsys):
    with pytest.raises(SystemExit) as exit_info:
        td.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for needle in ("TF_CONFIG", "--checkpoint-dir", "global batch", "convert", "--knob NAME=VALUE", "Slurm", "resumes"):
        assert needle in text, needle
    with pytest.raises(SystemExit):
        td.main(["convert", "--help"])
    assert '"label", int64' in capsys.readouterr().out


def test_converter_writes_every_image_once_with_its_label(dist_folder, dist_tfrecords):
    manifest = json.loads((dist_tfrecords / td.MANIFEST).read_text())
    assert manifest["class_names"] == sorted(DIST_CLASSES)
    train = sorted(dist_tfrecords.glob("train-*.tfrecord"))
    validation = sorted(dist_tfrecords.glob("validation-*.tfrecord"))
    assert [path.name for path in train] == [f"train-0000{i}-of-00003.tfrecord" for i in range(3)]
    records = {path.name: dist_shard_records(path) for path in train + validation}
    assert {name: len(items) for name, items in records.items()} == manifest["files"]
    sizes = [len(records[path.name]) for path in train]
    assert max(sizes) - min(sizes) <= 1 and sum(sizes) == 52  # 13 of each class's 16 train, 3 validate
    everything = sorted(item for items in records.values() for item in items)
    assert everything == sorted(dist_file_fingerprints(dist_folder).items())
    listed = td.read_tfrecord_folder(dist_tfrecords)
    assert listed.train_counts == tuple(sizes) and listed.validation_counts == (12,)


def test_converter_keeps_a_train_validation_layout(tmp_path):
    dist_write_folder(tmp_path / "photos" / "train", num_images=16)
    dist_write_folder(tmp_path / "photos" / "validation", num_images=8, seed=1)
    manifest = json.loads(td.write_tfrecords(tmp_path / "photos", tmp_path / "shards", num_shards=2).read_text())
    assert manifest["files"] == {
        "train-00000-of-00002.tfrecord": 8,
        "train-00001-of-00002.tfrecord": 8,
        "validation-00000-of-00001.tfrecord": 8,
    }
    validation = sorted(dist_shard_records(tmp_path / "shards" / "validation-00000-of-00001.tfrecord"))
    assert validation == sorted(dist_file_fingerprints(tmp_path / "photos" / "validation").items())


def test_shards_without_a_manifest_are_counted(dist_tfrecords, tmp_path):
    for index, path in enumerate(sorted(dist_tfrecords.glob("*.tfrecord"))):
        (tmp_path / f"part-{index}.tfrecord").write_bytes(path.read_bytes())
    listed = td.read_tfrecord_folder(tmp_path)
    # No train-/validation- prefixes: every file trains (the validation shard's 12 images too).
    assert sum(listed.train_counts) == 64 and listed.validation == ()
    assert listed.class_names == ("0", "1", "2", "3")


def test_tfrecords_give_the_folder_loaders_pixels(dist_folder, dist_tfrecords, dist_local):
    from_files = set(dist_file_fingerprints(dist_folder))
    data = td.load_distributed_data(dist_tfrecords, dist_local, 32, 16)
    assert data.steps_per_epoch == 3 and data.image_shape == (32, 32, 3)
    images = [image for batch, _ in data.train for image in batch.numpy()]
    assert len(images) == 48 and {td.image_fingerprint(image) for image in images} <= from_files


def test_augment_crops_both_sources_to_seven_eighths(dist_folder, dist_tfrecords, dist_local):
    for source in (dist_folder, dist_tfrecords):
        data = td.load_distributed_data(source, dist_local, 32, 16, augment=True)
        images, _ = next(iter(data.train))
        validation, _ = next(iter(data.validation))
        assert data.image_shape == (28, 28, 3)
        assert images.shape == (16, 28, 28, 3) and validation.shape[1:] == (28, 28, 3)


class _DistInterrupt(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 2:
            raise RuntimeError("simulated worker failure")


def test_backup_resumes_at_the_epoch_it_stopped(dist_folder, dist_local, tmp_path):
    options = dict(preset="mini", image_size=32, batch_size=16, width=0.125, verbose=0, strategy=dist_local)
    with pytest.raises(RuntimeError, match="simulated worker failure"):
        td.train_distributed(dist_folder, epochs=4, checkpoint_dir=tmp_path, callbacks=[_DistInterrupt()], **options)
    backup = tmp_path / td.BACKUP_FOLDER
    assert json.loads((backup / "training_metadata.json").read_text())["epoch"] == 2
    assert not (tmp_path / td.MODEL_FILE).exists()

    resumed = td.train_distributed(dist_folder, epochs=4, checkpoint_dir=tmp_path, **options)
    assert resumed.history.epoch == [2, 3]
    # The optimizer's step count came back with the weights: 2 epochs before the failure, 2 after.
    assert int(resumed.history.model.optimizer.iterations) == 4 * resumed.data.steps_per_epoch
    assert json.loads((tmp_path / td.HISTORY_FILE).read_text())["epoch"] == [2, 3]
    assert not backup.exists()  # a finished run removes its backup: the next run starts afresh
    assert keras.models.load_model(tmp_path / td.MODEL_FILE).count_params() == resumed.model.count_params()


class _DistPoison(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1:
            kernel = self.model.get_layer("fc8").kernel
            kernel.assign(np.full(kernel.shape, np.nan, "float32"))


def test_nan_stops_with_an_error_and_keeps_the_last_good_backup(dist_folder, dist_local, tmp_path):
    with pytest.raises(
        td.NonFiniteTrainingError, match=r"stopped in epoch 2/3: the loss became nan\. The backup in .*keeps"
    ) as error:
        td.train_distributed(
            dist_folder, epochs=3, image_size=32, batch_size=16, width=0.125, verbose=0, strategy=dist_local,
            checkpoint_dir=tmp_path, callbacks=[_DistPoison()],
        )  # fmt: skip
    assert "\n" not in str(error.value) and error.value.history.epoch == [0, 1]
    assert json.loads((tmp_path / td.BACKUP_FOLDER / "training_metadata.json").read_text())["epoch"] == 1
    assert not (tmp_path / td.MODEL_FILE).exists()


def test_two_workers_follow_one_process(dist_folder, dist_tfrecords, dist_local, tmp_path):
    """Two worker processes on localhost against one process: the same loss curve, disjoint shards.

    Tolerance. With dropout off and batch norm synchronised, both runs start from the same weights and
    train on the same global batches; they differ only in float32 rounding: gradients summed from two
    halves of 8 instead of one batch of 16, and batch statistics from sums (E[x^2] - E[x]^2) instead of two
    passes. Adam turns the rounding of near-zero gradients into whole steps of the learning rate, so the
    gap grows with the epochs. Measured on this data (seeds 0-3): epoch 1 agrees to 1.2e-7, every epoch's
    loss and validation loss to 6.2e-5. The checks: epoch 1's loss within 1e-5 (80x margin) and every
    number within 1e-3 (16x margin). Real faults are larger: batch norm per replica (--no-sync-batchnorm)
    moved epoch 1's loss by 3.8e-3 and epoch 2's by 0.03 on this data; an extra pass over the data before
    training (shuffle one epoch ahead, a bug found this way) moved epoch 1 by 1e-3 (in a run without batch norm).
    """
    checkpoint_dir = tmp_path / "shared-ckpt"
    started = time.monotonic()
    deadline = started + WORKER_TIMEOUT
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
    for name in ("SLURM_PROCID", "TF_CONFIG"):
        env.pop(name, None)
    # The reference: one process on the CPU, as the workers. It runs in this process (one TensorFlow start
    # less on a busy machine), or in a process of its own where this one would use a GPU.
    reference = ["--data", str(dist_folder), "--epochs", "3", "--cluster", "local", "--checkpoint-dir", str(tmp_path / "one")]
    reference += DIST_COMMON
    separate = bool(tf.config.list_physical_devices("GPU"))
    processes, logs = [], []
    try:
        if separate:
            logs.append(open(tmp_path / "reference.log", "w+"))
            command = [sys.executable, "-m", "alexnet_edu.train_distributed", *reference]
            processes.append(subprocess.Popen(command, env=env, stdout=logs[0], stderr=subprocess.STDOUT))
        rng = np.random.default_rng()
        for attempt in range(3):
            ports = dist_free_ports(2, rng)
            cluster = {"worker": [f"localhost:{port}" for port in ports]}
            workers, worker_logs = [], []
            for index in range(2):
                worker_env = dict(env, TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}}))
                argv = [str(dist_folder), str(dist_tfrecords), str(checkpoint_dir), str(tmp_path / f"worker{index}.json")]
                worker_logs.append(open(tmp_path / f"worker{index}-{attempt}.log", "w+"))
                command = [sys.executable, "-c", DIST_WORKER, *argv, json.dumps(DIST_COMMON)]
                workers.append(subprocess.Popen(command, env=worker_env, stdout=worker_logs[-1], stderr=subprocess.STDOUT))
            processes += workers
            logs += worker_logs
            if attempt == 0 and not separate:
                td.main(reference)
            codes, outputs = dist_wait(workers, worker_logs, deadline)
            taken = any(code and "Could not start gRPC server" in output for code, output in zip(codes, outputs))
            if not (taken and attempt < 2):
                break
        for index, (code, output) in enumerate(zip(codes, outputs)):
            assert code == 0, f"worker {index} (exit {code}, {WORKER_TIMEOUT} s limit, ports {ports}): {output[-3000:]}"
        if separate:
            (code,), (output,) = dist_wait(processes[:1], logs[:1], deadline)
            assert code == 0, f"the one-process reference (exit {code}, {WORKER_TIMEOUT} s limit): {output[-3000:]}"
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
    assert all(process.poll() is not None for process in processes)
    results = [json.loads((tmp_path / f"worker{index}.json").read_text()) for index in range(2)]
    assert [(r["task_id"], r["rank"], r["is_chief"], r["num_workers"]) for r in results] == [(0, 0, True, 2), (1, 1, False, 2)]
    for result in results:
        assert re.search(
            r"different backups .*resume epochs \[0, 1\].*every worker reads, on a shared filesystem", result["mismatch"]
        )

    # The loss curve of two workers is that of one process.
    one = json.loads((tmp_path / "one" / td.HISTORY_FILE).read_text())
    assert one["epoch"] == [0, 1, 2]
    assert results[0]["folder"] == results[1]["folder"]  # all-reduced: every worker logs the same numbers
    two = results[0]["folder"]
    assert results[0]["folder_epochs"] == [0, 1, 2]
    assert two["loss"][0] == pytest.approx(one["loss"][0], abs=1e-5)
    # Accuracies are left out: one image near a decision boundary may flip within the rounding.
    for name in ("loss", "val_loss"):
        assert two[name] == pytest.approx(one[name], abs=1e-3), name
    assert one["loss"][-1] < one["loss"][0]
    # The chief alone wrote the model and the history; the backup is gone after the finished run.
    assert json.loads((checkpoint_dir / td.HISTORY_FILE).read_text())["loss"] == pytest.approx(two["loss"], abs=1e-7)
    assert (checkpoint_dir / td.MODEL_FILE).exists() and not (checkpoint_dir / td.BACKUP_FOLDER).exists()

    # Image folder: each worker keeps its own half of every global batch, and together they make the
    # global batches one process makes.
    keras.utils.set_random_seed(0)
    single = td.load_distributed_data(dist_folder, dist_local, 32, 16, seed=0)
    global_batches = [[td.image_fingerprint(image) for image in images.numpy()] for images, _ in single.train]
    first, second = (result["folder_seen"] for result in results)
    assert [len(step) for step in first] == [len(step) for step in second] == [8, 8, 8]
    assert not {f for step in first for f in step} & {f for step in second for f in step}
    assert [a + b for a, b in zip(first, second)] == global_batches

    # TFRecord shards by file: worker 0 reads shards 0 and 2 (35 images), worker 1 shard 1 (17); both run
    # the 2 steps of 8 that the smaller share allows, and agree on the loss.
    shards = sorted(dist_tfrecords.glob("train-*.tfrecord"))
    owned = [
        {f for path in shards[0::2] for f, _ in dist_shard_records(path)},
        {f for path in shards[1::2] for f, _ in dist_shard_records(path)},
    ]
    for result, files in zip(results, owned):
        images = [f for step in result["tfrecord_seen"] for f in step]
        assert len(images) == 16 and set(images) <= files
        assert result["tfrecord_steps"] == 2
    assert results[0]["tfrecord"] == results[1]["tfrecord"]
    assert all(np.isfinite(results[0]["tfrecord"]["loss"]))
    assert time.monotonic() - started < 120


DIST_TF_CONFIG = '{"cluster": {"worker": ["a:1", "b:1"]}, "task": {"type": "worker", "index": 0}}'


def dist_worker(num_workers, num_replicas):
    return td.WorkerInfo(num_workers, "worker", 0, True, num_replicas)


CASES = [
    pytest.param(
        lambda: td.cluster_resolver(environ={"TF_CONFIG": "{cluster: 1"}),
        r"TF_CONFIG is not valid JSON.*set it like .*Received: TF_CONFIG=",
        id="tf-config-not-json",
    ),
    pytest.param(
        lambda: td.cluster_resolver(
            environ={"TF_CONFIG": '{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 1}}'}
        ),
        r"task .* is not in its cluster.*give 'type' one of \['worker'\] and 'index' below",
        id="tf-config-index-out-of-range",
    ),
    pytest.param(
        lambda: td.cluster_resolver(environ={"TF_CONFIG": '{"task": {"type": "worker", "index": 0}}'}),
        r"TF_CONFIG needs a 'cluster' and a 'task', e\.g\. ",
        id="tf-config-no-cluster",
    ),
    pytest.param(
        lambda: td.cluster_resolver(
            environ={"TF_CONFIG": '{"cluster": {"ps": ["a:1"], "worker": ["b:1"]}, "task": {"type": "worker", "index": 0}}'}
        ),
        r"takes only 'chief' and 'worker' tasks, not \['ps'\]: list every process under 'worker'",
        id="tf-config-parameter-server",
    ),
    pytest.param(
        lambda: td.cluster_resolver("tf-config", environ={}),
        r"TF_CONFIG is not set: set it on every worker",
        id="tf-config-missing",
    ),
    pytest.param(
        lambda: td.cluster_resolver("slurm", environ={"SLURM_PROCID": "0"}),
        r"SLURM_STEP_NUM_TASKS, SLURM_STEP_NODELIST is not set: start every worker with srun",
        id="slurm-outside-srun",
    ),
    pytest.param(
        lambda: td.make_strategy(communication="mpi"),
        r"Unknown communication 'mpi'\. Valid communications: 'auto', 'ring', 'nccl'",
        id="communication-unknown",
    ),
    pytest.param(
        lambda: td.cluster_resolver("kubernetes"), r"Unknown cluster 'kubernetes'\. Valid clusters: 'auto'", id="cluster-unknown"
    ),
    pytest.param(
        lambda: td._check_split(65, dist_worker(2, 2)),
        r"batch_size 65 does not split evenly over 2 replicas.*use a multiple of 2, e\.g\. batch_size=64",
        id="batch-uneven",
    ),
    pytest.param(
        lambda: td._check_split(3, dist_worker(4, 8)),
        r"use a multiple of 8, e\.g\. batch_size=8\. Received: batch_size=3",
        id="batch-below-replicas",
    ),
    pytest.param(
        lambda: td.train_distributed("/no/such/folder", strategy=tf.distribute.get_strategy()),
        r"does not exist\. Give a folder with one sub-folder per class",
        id="data-missing",
    ),
    pytest.param(
        lambda: td.train_distributed("x", preset="big"),
        r"Unknown preset 'big'\. Valid presets: 'seed', 'paper', 'mini'",
        id="preset",
    ),
    pytest.param(
        lambda: td.train_distributed("x", epochs=0), r"epochs must be a positive integer.*e\.g\. epochs=10", id="epochs-zero"
    ),
    pytest.param(
        lambda: td.train_distributed("x", verbose=3), r"verbose must be 0 \(silent\), 1 .* Received: verbose=3", id="verbose"
    ),
    pytest.param(
        lambda: td.train_distributed("x", num_classes=3),
        r"The knob num_classes comes from the data .*: leave it out\. Received: num_classes=3",
        id="knob-from-data",
    ),
    pytest.param(lambda: td.train_distributed("x", wdith=0.5), r"Unknown knob 'wdith'\. Valid knobs: .*width", id="knob-unknown"),
    pytest.param(
        lambda: td.train_distributed("x", callbacks=[print]),
        r"callbacks must be a list of Keras callbacks, e\.g\. callbacks=\[keras\.callbacks\.CSVLogger",
        id="callbacks-function",
    ),
    pytest.param(
        lambda: td.train_distributed("x", checkpoint_dir=5),
        r"checkpoint_dir must be a folder path such as 'ckpt/'\. Received: checkpoint_dir=5",
        id="checkpoint-dir-number",
    ),
    pytest.param(
        lambda: td.write_tfrecords("x", "y", num_shards=0),
        r"num_shards must be a positive integer.*num_shards=8",
        id="shards-zero",
    ),
    pytest.param(
        lambda: td.write_tfrecords("x", "y", validation_split=1.0),
        r"validation_split must be a fraction from 0 \(no validation shards\) to below 1, e\.g\. 0\.2",
        id="convert-split",
    ),
]


@pytest.mark.parametrize("call, pattern", CASES)
def test_bad_input_gets_a_one_line_error_with_the_fix(call, pattern):
    with pytest.raises((ValueError, TypeError, FileNotFoundError, NotADirectoryError)) as error:
        call()
    message = str(error.value)
    assert re.search(pattern, message), message
    assert "\n" not in message


def test_bad_files_get_one_line_errors(dist_folder, dist_tfrecords, dist_local, tmp_path):
    with pytest.raises(ValueError, match=r"already holds \.tfrecord files: give an empty folder, or delete them") as error:
        td.write_tfrecords(dist_folder, dist_tfrecords)
    assert "\n" not in str(error.value)
    with pytest.raises(ValueError, match=r"do not fill one global batch of 64: lower --batch-size or add images"):
        with pytest.warns(UserWarning, match="too few to learn from"):
            td.load_distributed_data(dist_folder, dist_local, 32, 64, max_per_class=10)
    with pytest.raises(
        ValueError, match=r"3 training shard\(s\) for 4 workers: .*write more, e\.g\. write_tfrecords\(\.\.\., num_shards=16\)"
    ):
        td._tfrecord_data(dist_tfrecords, dist_local, dist_worker(4, 4), (32, 32), 16, 0, False)
    only_validation = tmp_path / "only-validation"
    only_validation.mkdir()
    (only_validation / "validation-00000-of-00001.tfrecord").write_bytes(b"")
    with pytest.raises(ValueError, match=r"No training shards in .*: name them train-\*\.tfrecord"):
        td.read_tfrecord_folder(only_validation)
    other_schema = tmp_path / "other-schema"
    other_schema.mkdir()
    with tf.io.TFRecordWriter(str(other_schema / "train-00000-of-00001.tfrecord")) as writer:
        feature = {"image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"x"]))}
        writer.write(tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString())
    (other_schema / "train-00001-of-00001.tfrecord").write_bytes(b"not a record")
    schema = r"Cannot read .* schema .*needs the features 'image' .* and 'label' \(int64\)"
    for call in (
        lambda: td.read_tfrecord_folder(other_schema),
        lambda: td._count_records([other_schema / "train-00001-of-00001.tfrecord"]),
    ):
        with pytest.raises(ValueError, match=schema) as error:
            call()
        assert "\n" not in str(error.value)
    with pytest.raises(ValueError, match=r"num_shards=60 is more than the 52 training images: .*use at most num_shards=52"):
        td.write_tfrecords(dist_folder, tmp_path / "too-many", num_shards=60)
    with pytest.raises(ValueError, match=r"validation_split applies to image folders, not to the TFRecord shards .*leave it out"):
        td.load_distributed_data(dist_tfrecords, dist_local, 32, 16, validation_split=0.1)
    with pytest.raises(ValueError, match=r"image_size must be a positive int or \(height, width\).*Received: image_size=0"):
        td.load_distributed_data(dist_tfrecords, dist_local, 0, 16)
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError, match=r"checkpoint_dir is a file: give a folder"):
        td.train_distributed(dist_folder, checkpoint_dir=tmp_path / "file", strategy=dist_local)


def test_command_line_errors_name_the_option(capsys, dist_folder):
    for argv, needle in [
        (["--data", str(dist_folder), "--knob", "width"], "must be NAME=VALUE, e.g. width=0.5"),
        (["--data", str(dist_folder), "--batch-size", "0"], "must be a positive integer, e.g. 64. Received: '0'"),
        (["--data", str(dist_folder), "--preset", "huge"], "invalid choice: 'huge'"),
        (
            ["--data", str(dist_folder), "--cluster", "local", "--knob", "num_classes=3"],
            "The knob num_classes comes from the data",
        ),
    ]:
        with pytest.raises(SystemExit) as exit_info:
            td.main(argv)
        assert exit_info.value.code == 2
        assert needle in capsys.readouterr().err


def test_slurm_step_gives_each_task_its_address(monkeypatch):
    environ = {
        "SLURM_PROCID": "3",
        "SLURM_STEP_NUM_TASKS": "4",
        "SLURM_STEP_NODELIST": "node[1-2]",
        "SLURM_STEP_TASKS_PER_NODE": "2(x2)",
    }
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TF_CONFIG", raising=False)
    resolver = td.cluster_resolver("auto", port=7000)
    assert isinstance(resolver, tf.distribute.cluster_resolver.SlurmClusterResolver)
    assert resolver.cluster_spec().as_dict() == {"worker": ["node1:7000", "node1:7001", "node2:7000", "node2:7001"]}
    assert (resolver.task_type, resolver.task_id) == ("worker", 3)
    monkeypatch.setenv("SLURM_STEP_NUM_TASKS", "1")
    assert td.cluster_resolver("auto") is None  # a one-task job step trains in one process


def test_tf_config_resolver_and_one_process_info(dist_local):
    resolver = td.cluster_resolver("auto", environ={"TF_CONFIG": DIST_TF_CONFIG})
    assert isinstance(resolver, tf.distribute.cluster_resolver.TFConfigClusterResolver)
    assert td.cluster_resolver("auto", environ={}) is None
    assert td.worker_info(dist_local) == td.WorkerInfo(1, None, None, True, 1)
