"""Several devices on one CPU: run the code written for two GPUs on a laptop.

`tf.distribute` strategies place work on devices by name. Splitting the CPU
into logical devices gives a laptop `/device:CPU:0` and `/device:CPU:1`, so
the same `MirroredStrategy` code that trains on two GPUs runs here (on the
same cores: it shows the mechanics, not a speed-up).
"""

import tensorflow as tf


def split_cpu(num_devices=2):
    """Splits the CPU into `num_devices` logical devices and returns their names.

    Call it before TensorFlow computes anything (first thing after the imports
    in a notebook): TensorFlow fixes its devices when it starts.

    Example (in a fresh kernel; `tests/test_distribute.py` runs it in a new process):

    ```python
    split_cpu(2)  # ['/device:CPU:0', '/device:CPU:1']
    ```

    Args:
        num_devices: Number of logical CPU devices, at least 1.

    Returns:
        The device names, for `tf.device` or `tf.distribute.MirroredStrategy`.
    """
    if not isinstance(num_devices, int) or num_devices < 1:
        raise ValueError(f"num_devices must be a positive integer. Received: num_devices={num_devices!r}")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * num_devices)
    except RuntimeError:
        existing = tf.config.list_logical_devices("CPU")
        if len(existing) != num_devices:
            raise RuntimeError(
                f"TensorFlow has already started with {len(existing)} CPU device(s), so it cannot be split into "
                f"{num_devices}: restart the kernel and call split_cpu({num_devices}) before any other TensorFlow code."
            ) from None
    return [device.name for device in tf.config.list_logical_devices("CPU")]
