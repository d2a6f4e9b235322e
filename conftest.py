"""Shared pytest set-up for the unit tests and for nbval over notebooks/."""


def pytest_collectstart(collector):
    # TensorFlow may print start-up notices on stderr (oneDNN, CUDA); never compare stderr.
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)
