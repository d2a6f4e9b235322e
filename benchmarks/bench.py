"""`make bench`: this machine's numbers for the kit, as one table (Markdown and JSON).

Sections: the practical matmul peaks in float32 and bfloat16 (and float16 on
a GPU); training and inference throughput of the seed, paper and mini models (the mini
at 64 px, and at 32 px as notebook 02 trains it) in
float32 and in the precision `precision="auto"` picks on this machine (mixed
bfloat16 on a CPU with bfloat16 instructions, mixed float16 on a GPU), with
their effective GFLOP/s against the peak of the dtype they compute in (FLOPs of
the step TensorFlow runs: `training_macs`); where
a training step's time goes (a TensorFlow profiler trace: Python between
steps, waiting for input, op time per layer kind and op type); the
input pipeline alone; notebook 02's CIFAR-10 recipe: accuracy after 10 minutes
of training and the time to 75 % and 85 % (median of 3 seeds); the same recipe
in float32 and mixed bfloat16 (3 seeds each: is the accuracy the same?); wall
time and peak memory of every notebook in quick mode (and full mode with --full).

Usage: python benchmarks/bench.py [--full] [--skip SECTION ...]
"""

import argparse
import datetime
import json
import math
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import keras
import tensorflow as tf

import alexnet_edu  # noqa: F401  (quiets TensorFlow's start-up logs)
from alexnet_edu import (
    augment_data,
    build_alexnet,
    cost_split,
    effect_from_values,
    layer_table,
    load_cifar10_photos,
    load_image_folder,
    make_shapes_folder,
    ten_crop_accuracy,
    train,
)
from alexnet_edu.models import resolve_precision

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
GPU = bool(tf.config.list_physical_devices("GPU"))
# Notebook 02's CIFAR-10 recipe: its KNOBS, LEARNING_RATE, LABEL_SMOOTHING, PAD and PAD_MODE (a test keeps them equal).
RECIPE_KNOBS = {
    "filters": (32, 64, 128, 128, 128),
    "width": 1.0,
    "fc_units": 1024,
    "conv1_kernel": 3,
    "conv1_stride": 1,
    "conv2_kernel": 3,
    "pooling": "plain",
    "normalized": ("conv1", "conv2", "conv3", "conv4", "conv5"),
    "dropout": 0.0,
}
RECIPE_LEARNING_RATE = 2e-3
RECIPE_LABEL_SMOOTHING = 0.1
RECIPE_PAD = 4
RECIPE_PAD_MODE = "reflect"
RECIPE_PADDING = {"pad": RECIPE_PAD, "pad_mode": RECIPE_PAD_MODE}  # for augment_data and ten_crop_accuracy
# name: (preset, input size, classes, knobs); "mini 32" is notebook 02's CIFAR-10 model.
MODELS = {
    "seed": ("seed", 224, 24, {}),
    "paper": ("paper", 227, 1000, {}),
    "mini": ("mini", 64, 8, {}),
    "mini 32": ("mini", 32, 10, RECIPE_KNOBS),
}
SECTIONS = ("peak", "models", "profile", "pipeline", "accuracy", "precision", "notebooks")
# What a traced op belongs to, by the Keras layer in its name scope ("conv2_1/..." is conv2's).
PROFILE_PARTS = {"conv": "conv", "norm": "normalization", "pool": "pooling", "fc": "dense"}


def timed(function, repeats):
    """Seconds per call of `function`, after one warm-up call."""
    function()
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return (time.perf_counter() - start) / repeats


def matmul_peak(dtype="float32"):
    """The best matmul rate in `dtype` over a few sizes: the practical peak of this machine."""
    best = {"dtype": dtype, "gflops": 0.0}
    for size in (4096, 8192, 16384) if GPU else (1024, 2048, 4096):
        a = tf.cast(tf.random.normal((size, size)), dtype)
        b = tf.cast(tf.random.normal((size, size)), dtype)
        # Summed in float32: the 16-bit sum of 16 M products would overflow or round away.
        matmul = tf.function(lambda a=a, b=b: tf.reduce_sum(tf.cast(tf.matmul(a, b), "float32")))
        # The fastest of 20 calls or more: a peak, not an average (another process on the machine only slows calls
        # down); with 5, two runs on one VM read 1,304 and 1,441 GFLOP/s in bfloat16.
        seconds = min(timed(lambda: float(matmul()), repeats=1) for _ in range(max(20, int(4e10 / size**3))))
        if 2 * size**3 / seconds / 1e9 > best["gflops"]:
            best = {"dtype": dtype, "matrix": size, "gflops": 2 * size**3 / seconds / 1e9}
    return best


def _compiled_model(name, batch_size, precision):
    """A model of `MODELS` compiled for training, and one random batch for it."""
    preset, size, classes, knobs = MODELS[name]
    model = build_alexnet(preset, num_classes=classes, input_shape=(size, size, 3), precision=precision, **knobs)
    model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9), loss="sparse_categorical_crossentropy",
                  jit_compile=GPU)  # fmt: skip
    images = tf.random.uniform((batch_size, size, size, 3))
    labels = tf.random.uniform((batch_size,), maxval=classes, dtype=tf.int32)
    return model, images, labels


def training_macs(model):
    """Multiply-adds per image of one training step: what TensorFlow runs, not 3x the forward pass.

    Every layer with MACs costs its forward product, the gradient of its weights (as many MACs) and
    the gradient of its input (as many again), except the first: its input is the photo, which needs
    no gradient, and TensorFlow prunes that product from the step (`profile_training`'s `layer_ops`
    shows conv1 with a filter gradient and no input gradient).
    """
    macs = layer_table(model)["macs"]
    return int(3 * macs.sum() - _first_macs(macs))


def _first_macs(macs):
    """The MACs of the first layer that has any (conv1): the one whose input gradient TensorFlow skips."""
    return macs[macs > 0].iloc[0]


def model_throughput(name, batch_size, peaks, precision="float32"):
    """Training and inference rate of a preset (median of 3 timings), against the matmul peak of its precision."""
    preset, size = MODELS[name][:2]
    model, images, labels = _compiled_model(name, batch_size, precision)
    peak = peaks[model.get_layer("conv1").compute_dtype]["gflops"]  # the peak of the dtype the model computes in
    macs = int(cost_split(model).macs["total"])
    train_macs = training_macs(model)
    repeats = 20 if GPU or preset == "mini" else 3
    # The median of 3 timings: one run slowed by the rest of the machine does not set the number.
    train_seconds = statistics.median(timed(lambda: model.train_on_batch(images, labels), repeats) for _ in range(3))
    infer_seconds = statistics.median(timed(lambda: model.predict_on_batch(images), repeats) for _ in range(3))
    train_rate, infer_rate = batch_size / train_seconds, batch_size / infer_seconds
    train_gflops = train_rate * 2 * train_macs / 1e9
    infer_gflops = infer_rate * 2 * macs / 1e9
    return {
        "model": name,
        "precision": precision,
        "input": size,
        "batch": batch_size,
        "macs_per_image": macs,
        "train_macs_per_image": train_macs,
        "train_images_per_s": train_rate,
        "train_gflops": train_gflops,
        "train_pct_of_peak": 100 * train_gflops / peak,
        "infer_images_per_s": infer_rate,
        "infer_gflops": infer_gflops,
        "infer_pct_of_peak": 100 * infer_gflops / peak,
    }


def profile_training(name, batch_size, precision, steps, dataset=None):
    """Where a training step's time goes: a TensorFlow profiler trace of `steps` steps of `model.fit`.

    Reads the trace's host plane: the compiled steps on the Python thread, from the first one's start
    to the last one's end (the gaps between them are Keras's Python loop; the end of `fit`, which
    deletes the epoch's iterator, is left out), the time spent waiting for the next batch
    (`IteratorGetNext`), and every op's time on TensorFlow's compute threads, summed per layer kind
    (conv, normalization, pooling, dense; the optimizer's updates and the loss are "other") and per op type.
    `conv_backward_vs_forward`: the time per multiply-add of the convolutions' weight and input gradients
    as a multiple of the forward pass's, where oneDNN's kernels lose most against the matmul peak.
    """
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    model, images, labels = _compiled_model(name, batch_size, precision)
    dataset = (dataset if dataset is not None else tf.data.Dataset.from_tensors((images, labels))).repeat()
    model.fit(dataset, steps_per_epoch=3, epochs=1, verbose=0)  # builds the step function and oneDNN's kernels
    with tempfile.TemporaryDirectory() as folder:
        tf.profiler.experimental.start(folder)
        model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0)
        tf.profiler.experimental.stop()
        space = xplane_pb2.XSpace()
        space.ParseFromString(next(pathlib.Path(folder).rglob("*.xplane.pb")).read_bytes())
    host = next(plane for plane in space.planes if plane.name == "/host:CPU")
    waiting, step_calls = 0.0, []
    parts, op_types, layer_ops = dict.fromkeys([*PROFILE_PARTS.values(), "other"], 0.0), {}, {}
    for line in host.lines:
        for event in line.events:
            event_name, seconds = host.event_metadata[event.metadata_id].name, event.duration_ps / 1e12
            if line.name == "python" and event_name == "multi_step_on_iterator":
                step_calls.append((event.offset_ps / 1e12, seconds))
            elif event_name == "IteratorGetNextOp::DoCompute":
                waiting += seconds
            elif line.name.startswith("tf_Compute") and ":" in event_name and "::" not in event_name:
                # An op: "<name scope>/<op name>:<op type>"; oneDNN's kernels are named _MklNative<op type>.
                scope, op_type = event_name.rsplit(":", 1)
                op_type = op_type.removeprefix("_MklNative").removeprefix("_Mkl")
                op_types[op_type] = op_types.get(op_type, 0.0) + seconds
                layer = re.search(r"/((conv|norm|pool|fc)\d)(_\d+)?/", f"/{scope}/")
                part = PROFILE_PARTS[layer.group(2)] if layer else "other"
                parts[part] += seconds
                if layer:
                    layer_ops.setdefault(layer.group(1), set()).add(op_type)
    if not step_calls:
        raise RuntimeError(
            f"The profiler trace of {name} holds no training step ('multi_step_on_iterator'): this TensorFlow "
            f"{tf.__version__} names its trace events differently; skip the section with --skip profile."
        )
    wall = max(start + seconds for start, seconds in step_calls) - min(start for start, _ in step_calls)
    op_total = sum(parts.values()) or float("nan")
    # Seconds per multiply-add of the convolutions' weight and input gradients, as a multiple of their forward
    # pass's (1.0: as efficient); the input gradients have no conv1 (see training_macs).
    table = layer_table(model)
    convs = table[table["type"].str.contains("Conv")]
    conv_macs, first_macs = convs["macs"].sum(), _first_macs(convs["macs"])
    kernel_time = {kind: sum(t for op, t in op_types.items() if re.fullmatch(pattern, op)) for kind, pattern in (
        ("forward", r"(Fused)?Conv2D"), ("weights", r"Conv2DBackpropFilter\w*"), ("inputs", r"Conv2DBackpropInput\w*"),
    )}  # fmt: skip
    per_mac = kernel_time["forward"] / conv_macs or float("nan")
    backward = {
        "weights": kernel_time["weights"] / conv_macs / per_mac,
        "inputs": kernel_time["inputs"] / (conv_macs - first_macs) / per_mac,
    }
    top = sorted(op_types.items(), key=lambda item: -item[1])[:3]
    return {
        "model": name,
        "precision": precision,
        "batch": batch_size,
        "steps": steps,
        "traced_images_per_s": steps * batch_size / wall,
        "step_ms": 1000 * wall / steps,
        "python_pct": 100 * (wall - sum(seconds for _, seconds in step_calls)) / wall,
        "input_wait_pct": 100 * waiting / wall,
        "op_pct": {part: 100 * seconds / op_total for part, seconds in parts.items()},
        "top_ops": [(op_type, 100 * seconds / op_total) for op_type, seconds in top],
        "layer_ops": {layer: sorted(ops) for layer, ops in sorted(layer_ops.items())},
        "conv_backward_vs_forward": backward,
    }


def pipeline_throughput():
    rows = []
    directory = make_shapes_folder(num_images=5000, image_size=64, seed=0)
    # Loading lists, checks and decodes every file once (alexnet_edu.folders); epochs read memory.
    start = time.perf_counter()
    data = load_image_folder(directory, image_size=64, batch_size=128)
    rows.append({"pipeline": "shapes folder: scan + decode 5,000 PNGs", "images_per_s": 5000 / (time.perf_counter() - start)})
    start = time.perf_counter()
    photos = load_cifar10_photos(image_size=32, batch_size=128)
    count = photos.num_train + photos.num_validation
    seconds = time.perf_counter() - start
    rows.append({"pipeline": f"CIFAR-10 photos: read + decode {count:,} JPEGs", "images_per_s": count / seconds})
    pipelines = (
        ("in-memory batches", data.train),
        ("in-memory + crops and flips", augment_data(data).train),
        ("CIFAR-10 in memory + pad-and-crop and flips", augment_data(photos, **RECIPE_PADDING).train),
    )
    for label, dataset in pipelines:
        start = time.perf_counter()
        count = sum(int(images.shape[0]) for images, _ in dataset)
        rows.append({"pipeline": label, "images_per_s": count / (time.perf_counter() - start)})
    return rows


def _recipe_data():
    """Notebook 02's data: 45,000 CIFAR-10 photos (5,000 held out), and the same with pad-and-crop and flips."""
    photos = load_cifar10_photos(image_size=32, batch_size=128, validation_split=0.1, seed=0)
    return photos, augment_data(photos, crop=True, flip=True, **RECIPE_PADDING)


def _train_recipe(data, epochs, precision="auto", callbacks=()):
    """A new mini model trained with notebook 02's recipe; returns the model and its Keras History."""
    model = build_alexnet("mini", num_classes=10, input_shape=data.image_shape, precision=precision, **RECIPE_KNOBS)
    history = train(
        model, data, epochs=epochs, learning_rate=RECIPE_LEARNING_RATE, label_smoothing=RECIPE_LABEL_SMOOTHING,
        verbose=0, callbacks=callbacks,
    )
    return model, history


def cifar10_recipe(runs=3, minutes=10.0, targets=(0.75, 0.85)):
    """Notebook 02's recipe on 45,000 CIFAR-10 photos, sized to a time budget; median over seeds.

    The time to each target counts training and the validation pass, not the 10-crop tests: after every
    epoch whose centre-crop accuracy is within 5 points of the highest target, the clock stops while
    the 10 crops are tested.
    """
    photos, data = _recipe_data()

    class Clock(keras.callbacks.Callback):
        """Training seconds at the end of each epoch, and the 10-crop accuracy of the epochs near the target."""

        def on_train_begin(self, logs=None):
            self.start, self.ends, self.ten_crops = time.perf_counter(), [], []

        def on_epoch_end(self, epoch, logs=None):
            self.ends.append(time.perf_counter() - self.start)
            ten_crop = None
            if logs and logs.get("val_accuracy", 0.0) >= max(targets) - 0.05:
                paused = time.perf_counter()
                ten_crop = ten_crop_accuracy(self.model, photos.validation, **RECIPE_PADDING)["ten_crop"]
                self.start += time.perf_counter() - paused
            self.ten_crops.append(ten_crop)

    # Sized by two real epochs (validation included): estimate_training_time's few steps read ~25 % short. The
    # second epoch is the steady one; the first also holds the start-up, which every run pays once.
    clock = Clock()
    _train_recipe(data, epochs=2, callbacks=[clock])
    steady = clock.ends[1] - clock.ends[0]
    epochs = max(1, int((minutes * 60 - (clock.ends[0] - steady)) / steady))

    def first_time(clock, accuracies, target):
        return next((clock.ends[i] for i, accuracy in enumerate(accuracies) if (accuracy or 0.0) >= target), None)

    results = []
    for seed in range(runs):
        keras.utils.set_random_seed(seed)
        clock = Clock()
        model, history = _train_recipe(data.fresh(seed), epochs, callbacks=[clock])
        reached = {f"{target:.0%} centre crop": first_time(clock, history.history["val_accuracy"], target) for target in targets}
        reached[f"{max(targets):.0%} 10-crop"] = first_time(clock, clock.ten_crops, max(targets))
        crops = ten_crop_accuracy(model, photos.validation, **RECIPE_PADDING)
        results.append({"seed": seed, "seconds": clock.ends[-1], "centre_crop": crops["centre_crop"],
                        "ten_crop": crops["ten_crop"], "seconds_to": reached})  # fmt: skip
        print(results[-1], flush=True)

    def median(key):
        return statistics.median(run[key] for run in results)

    return {
        "epochs": epochs,
        "minutes": minutes,
        "runs": results,
        "seconds": median("seconds"),
        "centre_crop": median("centre_crop"),
        "ten_crop": median("ten_crop"),
        # A missed target counts as an infinite time: the median exists while more than half the runs reach it.
        "seconds_to": {key: median_time([run["seconds_to"][key] for run in results]) for key in results[0]["seconds_to"]},
    }


def median_time(times):
    """The median of times to a target, None (never) for a run that missed it; None if the median run missed it."""
    median = statistics.median(math.inf if seconds is None else seconds for seconds in times)
    return None if math.isinf(median) else median


def precision_accuracy(runs=3, epochs=12, precisions=("float32", "mixed_bfloat16")):
    """Notebook 02's recipe, the same seeds and epochs in each precision: does bfloat16 change the accuracy?"""
    photos, data = _recipe_data()
    results = {precision: [] for precision in precisions}
    for precision in precisions:
        for seed in range(runs):
            keras.utils.set_random_seed(seed)
            start = time.perf_counter()
            model, _ = _train_recipe(data.fresh(seed), epochs, precision=precision)
            seconds = time.perf_counter() - start
            crops = ten_crop_accuracy(model, photos.validation, **RECIPE_PADDING)
            results[precision].append({"seed": seed, "seconds": seconds, **crops})
            print(precision, results[precision][-1], flush=True)
    first, second = precisions
    differences = [b["centre_crop"] - a["centre_crop"] for a, b in zip(results[first], results[second])]
    effect = effect_from_values(f"{second} - {first}, centre crop", [100 * d for d in differences], unit=" points")
    return {"epochs": epochs, "runs": results, "difference": effect.describe(1)}


def notebook_costs(quick=True):
    rows = []
    environment = {"ALEXNET_EDU_QUICK": "1"} if quick else {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--stdout",
                   "--ExecutePreprocessor.timeout=1800", path.name]  # fmt: skip
        # The kernel is a grandchild of this process: measure its memory from a fresh process tree.
        probe = [sys.executable, "-c", _PROBE, *command]
        # A copy in a fresh folder (the kernel runs beside the notebook): no saved checkpoint shortens
        # a run, and the student's checkpoints stay untouched.
        with tempfile.TemporaryDirectory() as folder:
            shutil.copy(path, folder)
            start = time.perf_counter()
            result = subprocess.run(probe, cwd=folder, env={**os.environ, **environment}, capture_output=True, text=True)
            seconds = time.perf_counter() - start
        if result.returncode:
            raise RuntimeError(f"{path.name} failed:\n{result.stderr[-2000:]}")
        rows.append({"notebook": path.stem, "mode": "quick" if quick else "full", "seconds": seconds,
                     "peak_memory_gb": float(result.stdout.strip().splitlines()[-1]) / 1024**2})  # fmt: skip
    return rows


# Runs a command and prints the largest resident set size among its descendants (KiB).
_PROBE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def best_batches(rows):
    """Each model and precision's fastest training batch size, as "model precision: NN % (batch B)"."""
    best = {}
    for row in rows:
        key = (row["model"], row["precision"])
        if key not in best or row["train_pct_of_peak"] > best[key]["train_pct_of_peak"]:
            best[key] = row
    return [f"{model} {precision}: {row['train_pct_of_peak']:.0f} % (batch {row['batch']})"
            for (model, precision), row in best.items()]  # fmt: skip


def markdown(results):
    lines = [
        f"# alexnet-edu benchmark: {results['machine']}",
        "",
        f"{results['date']}; TensorFlow {tf.__version__}, Keras {keras.__version__}",
        "",
    ]
    if "peaks" in results:
        peaks = [f"{dtype} **{peak['gflops']:.0f} GFLOP/s** ({peak['matrix']}²)" for dtype, peak in results["peaks"].items()]
        lines += ["matmul peaks: " + ", ".join(peaks), ""]
    if "models" in results:
        header = ["model", "precision", "input", "batch", "MACs/image", "train img/s", "train GFLOP/s", "% peak"]
        header += ["infer img/s", "infer GFLOP/s", "% peak"]
        lines += ["| " + " | ".join(header) + " |", "|---|---|" + "---:|" * (len(header) - 2)]
        for r in results["models"]:
            cells = [r["model"], r["precision"], r["input"], r["batch"], f"{r['macs_per_image'] / 1e6:,.1f} M"]
            cells += [f"{r['train_images_per_s']:,.1f}", f"{r['train_gflops']:,.0f}", f"{r['train_pct_of_peak']:.0f} %"]
            cells += [f"{r['infer_images_per_s']:,.1f}", f"{r['infer_gflops']:,.0f}", f"{r['infer_pct_of_peak']:.0f} %"]
            lines.append("| " + " | ".join(map(str, cells)) + " |")
        lines += [
            "",
            "img/s: the median of 3 timings. % peak: of the matmul peak of the dtype the model computes in "
            "(bfloat16 for mixed_bfloat16). Training GFLOP/s count 2 FLOPs per multiply-add of the step TensorFlow "
            "runs: the forward pass and the weight and input gradients of every layer, but conv1's input "
            "gradient, which it skips: 2 x (3 x MACs/image - conv1's MACs).",
            "",
            "Training at the best batch size, % of the peak: " + "; ".join(best_batches(results["models"])),
            "",
        ]
    if "profile" in results:
        parts = list(results["profile"][0]["op_pct"])
        header = ["model", "precision", "batch", "ms/step (traced)", "Python between steps", "waiting for input"]
        header += [f"{part} ops" for part in parts] + ["conv gradients vs forward", "top op types"]
        lines += ["| " + " | ".join(header) + " |", "|---|---|" + "---:|" * (len(header) - 4) + "---|---|"]
        for r in results["profile"]:
            cells = [r["model"], r["precision"], r["batch"], f"{r['step_ms']:.0f}", f"{r['python_pct']:.0f} %"]
            cells += [f"{r['input_wait_pct']:.1f} %"] + [f"{r['op_pct'][part]:.0f} %" for part in parts]
            ratio = r["conv_backward_vs_forward"]
            cells.append(f"weights {ratio['weights']:.1f}x, inputs {ratio['inputs']:.1f}x")
            cells.append(", ".join(f"{op_type} {pct:.0f} %" for op_type, pct in r["top_ops"]))
            lines.append("| " + " | ".join(map(str, cells)) + " |")
        lines += [
            "",
            "Where a training step's time goes (TensorFlow profiler, `model.fit`): Python and input waits as a share "
            "of the wall time; ops as a share of all op time on the compute threads, by the layer kind they belong to "
            "(other: the loss and the optimizer's updates). Conv gradients vs forward: time per multiply-add of the "
            "convolutions' weight and of their input gradients, as a multiple of their forward pass's (1.0x: as "
            "efficient). mini 32 trains on notebook 02's augmented photos, the others on one repeated batch.",
            "",
        ]
    if "pipeline" in results:
        lines += ["| input pipeline | images/s |", "|---|---:|"]
        lines += [f"| {r['pipeline']} | {r['images_per_s']:,.0f} |" for r in results["pipeline"]] + [""]
    if "accuracy" in results:
        r, knobs = results["accuracy"], RECIPE_KNOBS
        reached = ", ".join(
            (f"{target} in {seconds:.0f} s" if seconds is not None else f"{target} not reached")
            + f" ({sum(run['seconds_to'][target] is not None for run in r['runs'])} of {len(r['runs'])} seeds reached it)"
            for target, seconds in r["seconds_to"].items()
        )
        lines += [
            f"CIFAR-10 recipe (notebook 02: mini, conv widths {'-'.join(map(str, knobs['filters']))}, "
            f"{knobs['conv1_kernel']}x{knobs['conv1_kernel']} stride-{knobs['conv1_stride']} conv1, "
            f"{knobs['conv2_kernel']}x{knobs['conv2_kernel']} conv2, {knobs['pooling']} pooling, BatchNorm after "
            f"{', '.join(knobs['normalized'])}, fc6/fc7 {knobs['fc_units']} units, dropout {knobs['dropout']:g}, "
            f"lr {RECIPE_LEARNING_RATE:g}, label smoothing {RECIPE_LABEL_SMOOTHING:g}, pad-and-crop ({RECIPE_PAD} px, "
            f"{RECIPE_PAD_MODE}); 45,000 photos, "
            f"{r['epochs']} epochs sized to {r['minutes']:g} min), median of {len(r['runs'])} seeds: "
            f"**{r['centre_crop']:.1%}** centre crop, {r['ten_crop']:.1%} 10-crop on the 5,000 held out, after "
            f"{r['seconds']:.0f} s of training; {reached}",
            "",
        ]
    if "precision" in results:
        r = results["precision"]
        lines += ["| precision | centre crop | 10-crop | training s |", "|---|---:|---:|---:|"]
        for precision, runs in r["runs"].items():
            centre = statistics.mean(run["centre_crop"] for run in runs)
            centre_std = statistics.stdev(run["centre_crop"] for run in runs) if len(runs) > 1 else float("nan")
            ten = statistics.mean(run["ten_crop"] for run in runs)
            seconds = statistics.median(run["seconds"] for run in runs)
            lines.append(f"| {precision} | {centre:.1%} ± {centre_std:.1%} | {ten:.1%} | {seconds:.0f} |")
        seeds = len(next(iter(r["runs"].values())))
        lines += ["", f"notebook 02's recipe, {r['epochs']} epochs, {seeds} seeds each: {r['difference']}", ""]
    if "notebooks" in results:
        lines += ["| notebook | mode | wall time | peak memory |", "|---|---|---:|---:|"]
        lines += [
            f"| {r['notebook']} | {r['mode']} | {r['seconds']:.0f} s | {r['peak_memory_gb']:.2f} GB |"
            for r in results["notebooks"]
        ]
        total = sum(r["seconds"] for r in results["notebooks"] if r["mode"] == "quick")
        lines += ["", f"quick-mode suite: {total:.0f} s in total", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also time every notebook in full mode (tens of minutes)")
    parser.add_argument("--runs", type=int, default=3, help="seeds of the CIFAR-10 recipe (each about 10 minutes)")
    parser.add_argument("--skip", nargs="*", default=[], choices=SECTIONS, help="sections to leave out")
    args = parser.parse_args()
    device = (
        tf.config.experimental.get_device_details(tf.config.list_physical_devices("GPU")[0]).get("device_name", "GPU")
        if GPU
        else "no GPU"
    )
    results = {"machine": f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores, {device})",
               "date": datetime.datetime.now().isoformat(timespec="seconds")}  # fmt: skip
    start = time.perf_counter()
    # Both 16-bit peaks on a GPU; bfloat16 on a CPU, where float16 has no fast kernels.
    peaks = {dtype: matmul_peak(dtype) for dtype in ("float32", "bfloat16") + (("float16",) if GPU else ())}
    results["peaks"] = peaks
    print(", ".join(f"{dtype} matmul peak: {peak['gflops']:.0f} GFLOP/s" for dtype, peak in peaks.items()), flush=True)
    if "models" not in args.skip:
        # float32 everywhere, and the precision `precision="auto"` picks here when it is another.
        precisions = dict.fromkeys(("float32", resolve_precision("auto")))
        results["models"] = []
        large = (32, 128, 256) if GPU else (32, 128)
        small = (64, 128, 256, 512)
        for name, batches in (("seed", large), ("paper", large), ("mini", small), ("mini 32", small)):
            for batch in batches:
                for precision in precisions:
                    results["models"].append(model_throughput(name, batch, peaks, precision))
                    print(results["models"][-1], flush=True)
    if "profile" not in args.skip:
        # notebook 02's model on its own augmented photos (input waits show); the others on one repeated batch.
        recipe_batches = _recipe_data()[1].train
        results["profile"] = [
            profile_training(name, batch, resolve_precision("auto"), steps, dataset)
            for name, batch, steps, dataset in (
                ("seed", 32, 5, None), ("paper", 32, 5, None), ("mini", 128, 20, None), ("mini 32", 128, 40, recipe_batches),
            )
        ]
        print(results["profile"], flush=True)
    if "pipeline" not in args.skip:
        results["pipeline"] = pipeline_throughput()
        print(results["pipeline"], flush=True)
    if "accuracy" not in args.skip:
        results["accuracy"] = cifar10_recipe(runs=args.runs)
        print(results["accuracy"], flush=True)
    if "precision" not in args.skip:
        results["precision"] = precision_accuracy(runs=args.runs)
        print(results["precision"], flush=True)
    if "notebooks" not in args.skip:
        results["notebooks"] = notebook_costs(quick=True) + (notebook_costs(quick=False) if args.full else [])
    results["bench_seconds"] = time.perf_counter() - start
    RESULTS.mkdir(parents=True, exist_ok=True)
    # One file per run, to the minute: a run of a few sections (--skip) keeps the day's earlier ones.
    stem = RESULTS / f"{platform.node()}-{datetime.datetime.now().strftime('%Y-%m-%dT%H%M')}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2))
    table = markdown(results) + f"\nbenchmark took {results['bench_seconds']:.0f} s\n"
    stem.with_suffix(".md").write_text(table)
    print(table)
    print(f"written: {stem}.md and {stem}.json")


if __name__ == "__main__":
    main()
