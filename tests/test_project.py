"""The project's own files: install set-up, notebooks, package hygiene."""

import ast
import inspect
import json
import pathlib
import re
import subprocess
import sys

import tomllib
import yaml

import alexnet_edu

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def requirement_name(requirement):
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()


def test_environment_yml_installs_what_pyproject_declares():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert environment["channels"] == ["conda-forge"]
    conda_deps = [d for d in environment["dependencies"] if isinstance(d, str)]
    pip_deps = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    # The project itself, with the same extras `make test` installs.
    assert pip_deps == ["-e .[dev]"]
    assert "pip" in conda_deps
    python = next(d for d in conda_deps if d.startswith("python"))
    minimum = tuple(int(p) for p in pyproject["requires-python"].lstrip(">=").split("."))
    assert tuple(int(p) for p in python.split("=")[1].split(".")) >= minimum
    # No conda package outside pyproject's list: one source of truth for versions.
    declared = {requirement_name(r) for r in pyproject["dependencies"] + pyproject["optional-dependencies"]["dev"]}
    assert {requirement_name(d) for d in conda_deps} - {"python", "pip"} <= declared


def test_makefile_installs_the_dev_extra():
    assert "pip install --quiet -e '.[dev]'" in (ROOT / "Makefile").read_text()


def test_no_lambda_layers_in_the_package():
    for path in (ROOT / "alexnet_edu").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                assert node.attr != "Lambda", f"{path.name} uses a Lambda layer; use a subclassed layer"


def test_notebooks_exist_and_are_small():
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        assert path.stat().st_size < 2 * 1024 * 1024, f"{path.name} is over 2 MB"


def test_committed_notebooks_are_executed_without_errors():
    for path in NOTEBOOKS:
        cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        assert all(c["execution_count"] for c in cells), f"{path.name} has cells that were not run"
        errors = [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]
        assert not errors, f"{path.name} stores an error: {errors[0]['ename']}"


def test_notebooks_import_only_public_names():
    public = set(alexnet_edu.__all__)
    for path in NOTEBOOKS:
        source = "\n".join(
            "".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"
        )
        source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("alexnet_edu"):
                assert node.module == "alexnet_edu", f"{path.name} imports from {node.module}"
                assert {alias.name for alias in node.names} <= public, f"{path.name} imports private names"


def test_notebooks_read_quick_mode_and_the_package_does_not():
    for path in NOTEBOOKS:
        assert "ALEXNET_EDU_QUICK" in path.read_text(), f"{path.name} has no quick mode"
    for path in (ROOT / "alexnet_edu").rglob("*.py"):
        assert "ALEXNET_EDU_QUICK" not in path.read_text(), f"{path.name} reads the notebooks' quick-mode switch"


def test_a_quick_run_never_writes_over_what_a_full_run_saved():
    # make test runs every notebook in quick mode: a model or finding it saved under the full run's name
    # would replace the full run's (notebook 02's quick run overwrote the trained CIFAR-10 model).
    for path in sorted((ROOT / "notebooks").glob("*.py")):
        source = path.read_text()
        for line in source.splitlines():
            code = line.split("#", 1)[0]
            assert not re.search(r'"checkpoints/[^"]*\.keras"', code), f"{path.name} saves to one path in both modes: {line.strip()}"
            if "record_finding(" in code:
                assert '"results/quick" if QUICK' in source, f"{path.name} records findings without a quick-mode folder"


def test_every_notebook_has_its_jupytext_pair_in_sync():
    import jupytext

    for path in NOTEBOOKS:
        pair = path.with_suffix(".py")
        assert pair.exists(), f"{path.name} has no paired {pair.name}: run jupytext --set-formats ipynb,py:percent"
        cells = [c for c in jupytext.read(path).cells]
        paired = [c for c in jupytext.read(pair).cells]
        assert [(c.cell_type, c.source) for c in cells] == [(c.cell_type, c.source) for c in paired], (
            f"{path.name} and {pair.name} differ: run jupytext --sync {pair}"
        )


def test_ruff_finds_nothing_in_the_package_tests_and_notebooks():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_pre_commit_runs_the_sync_and_the_linter():
    hooks = {hook["id"] for repo in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"] for hook in repo["hooks"]}
    assert {"jupytext-sync", "ruff"} <= hooks


def test_live_slides_extension_is_installed_in_jupyterlab():
    result = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # drop the colours
    assert re.search(r"jupyterlab-rise v[\d.]+ enabled OK", listing), listing[-2000:]


def test_readme_gallery_shows_figures_that_the_figures_script_draws():
    images = re.findall(r"\]\((docs/figures/[\w.]+\.png)\)", (ROOT / "README.md").read_text())
    assert len(images) >= 4
    script = (ROOT / "docs" / "figures.py").read_text()
    for image in images:
        assert (ROOT / image).is_file(), f"{image} missing: run `make figures`"
        assert f'"{pathlib.Path(image).name}"' in script, f"{image} is not drawn by docs/figures.py"


def test_the_readme_table_of_what_reproduced_matches_the_saved_findings():
    import importlib.util

    spec = importlib.util.spec_from_file_location("reproduced", ROOT / "docs" / "reproduced.py")
    reproduced = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reproduced)
    readme = (ROOT / "README.md").read_text()
    assert reproduced.readme_section() in readme, "README's table is stale: run `make reproduced`"
    assert "14_what_reproduced" in readme



def test_committed_outputs_hold_no_warning_and_no_path_of_the_machine_that_ran_them():
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            for output in cell.get("outputs", []):
                if output["output_type"] == "stream":
                    text = "".join(output["text"])
                    assert output["name"] != "stderr", f"{path.name} stores stderr: {text[:200]}"
                else:
                    text = "".join(output.get("data", {}).get("text/plain", ""))
                assert not re.search(r"Warning:|site-packages|\.venv/|/work/|/home/|/Users/", text), (
                    f"{path.name} stores a warning or a local path: {text[:200]}"
                )


def test_every_public_function_and_class_shows_an_example():
    # A docstring example (run by the docstring tests) or a code block: how a student calls it.
    missing = []
    for name in alexnet_edu.__all__:
        public = getattr(alexnet_edu, name)
        if inspect.isclass(public) or inspect.isfunction(public):
            if not re.search(r"^\s*(>>> |```python)", inspect.getdoc(public) or "", re.M):
                missing.append(name)
    assert not missing, f"public names whose docstring has no example: {missing}"
