# alexnet-edu: `make lab` to learn, `make test` to check everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
KERNEL := alexnet-edu
# Headless machines (no DISPLAY, not macOS) get the URL printed instead of a browser.
LAB_FLAGS := $(if $(or $(DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser) \
	$(if $(filter 0,$(shell id -u)),--allow-root,)
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
# Test processes side by side (pytest-xdist); 0 runs everything in this one process.
WORKERS ?= 2
# The browser test drives Debian's Chromium with Playwright (no browser download).
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: setup lab test unit notebooks slides figures reproduced bench clean

setup: $(STAMP)

# Re-installs only when the project's dependencies change.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "alexnet-edu needs Python 3.10 or newer; run: make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))"
	touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=notebooks

test: unit notebooks

unit: setup $(CHROMIUM)
	$(BIN)/python -m pytest -n $(WORKERS) tests alexnet_edu

$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "The browser test needs Chromium at $(CHROMIUM): install it with your package manager."; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium

# The README's gallery, drawn by the package (docs/figures.py).
figures: setup
	$(BIN)/python docs/figures.py

# The README's "What reproduced" table, from the findings the notebooks saved (docs/reproduced.py).
reproduced: setup
	$(BIN)/python docs/reproduced.py

# One reveal.js deck per notebook under build/slides/, working offline (see slides/build.py).
slides: setup
	$(BIN)/python slides/build.py

notebooks: setup
	ALEXNET_EDU_QUICK=1 $(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider \
		-n $(WORKERS) --dist loadscope --junitxml=build/test-artifacts/notebooks.xml $(NOTEBOOKS)

# This machine's numbers (see benchmarks/bench.py); results under benchmarks/results/.
bench: setup
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
