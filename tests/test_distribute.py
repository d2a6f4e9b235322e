import subprocess
import sys

import pytest
import tensorflow as tf

from alexnet_edu.distribute import split_cpu

SCRIPT = """
from alexnet_edu import split_cpu
import tensorflow as tf
devices = split_cpu(2)
with tf.device(devices[1]):
    total = tf.reduce_sum(tf.ones(3))
print(devices, total.device.endswith("CPU:1"), float(total))
print(split_cpu(2))
"""


def test_split_cpu_gives_two_usable_devices_in_a_fresh_process():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        "['/device:CPU:0', '/device:CPU:1'] True 3.0",
        "['/device:CPU:0', '/device:CPU:1']",
    ]


def test_split_after_tensorflow_started_says_restart_the_kernel():
    tf.constant(1.0) + 1.0  # TensorFlow has started in this process
    started_with = len(tf.config.list_logical_devices("CPU"))
    with pytest.raises(RuntimeError, match=rf"already started with {started_with} CPU device\(s\).*restart the kernel"):
        split_cpu(started_with + 1)
    with pytest.raises(ValueError, match="Received: num_devices=0"):
        split_cpu(0)
