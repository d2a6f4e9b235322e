"""JupyterLab in a real browser: notebook 03 runs without errors and its conv playground reacts."""

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import typing
import urllib.error
import urllib.request

import pytest

from alexnet_edu import conv_output_size

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "03_what_alexnet_learned.ipynb"
SCREENSHOT = ROOT / "build" / "test-artifacts" / "jupyterlab-widgets.png"
RUN_ALL_TIMEOUT_MS = 10 * 60 * 1000
# localhost must not go through a proxy that CI may have configured
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# The notebook open in the main area, once window.jupyterapp exists (LabApp.expose_app_in_browser).
PANEL_JS = f"window.jupyterapp?.shell.currentWidget?.context?.path === {json.dumps(NOTEBOOK.name)} ? window.jupyterapp.shell.currentWidget : null"
KERNEL_IDLE_JS = f"() => ({PANEL_JS})?.sessionContext.session?.kernel?.status === 'idle'"
# Done when every code cell has an execution count (no [*]) and the kernel is idle; an error
# output ends the wait early, since run-all stops there and the cells after it never run.
RUN_ALL_DONE_JS = f"""() => {{
    const panel = {PANEL_JS};
    const cells = panel.content.widgets.filter(cell => cell.model.type === 'code');
    const failed = cells.some(cell => cell.model.outputs.toJSON().some(output => output.output_type === 'error'));
    const finished = cells.every(cell => cell.model.executionCount !== null);
    return panel.sessionContext.session?.kernel?.status === 'idle' && (finished || failed);
}}"""


class Lab(typing.NamedTuple):
    url: str
    token: str
    root: pathlib.Path


def get(lab, path, token=None):
    """Status and JSON body of a GET on the server's REST API."""
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        with HTTP.open(urllib.request.Request(lab.url + path, headers=headers), timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def get_status(lab):
    try:
        return get(lab, "/api/status", lab.token)[0]
    except OSError:  # not listening yet
        return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of notebook 03, with its own token and user settings."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, root)
    private = tmp_path_factory.mktemp("lab-private")
    # Fresh settings and workspaces leave the user's untouched; "never fetch news" keeps the
    # announcements toast off the page and the browser off the internet.
    notification = private / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_TOKEN": token,
        "ALEXNET_EDU_QUICK": "1",  # the kernel inherits it: quick mode, as in `make notebooks`
        "JUPYTERLAB_SETTINGS_DIR": str(private / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(private / "workspaces"),
    }
    port = free_port()
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--port", str(port), "--port-retries", "0"]
    command += ["--allow-root"] if os.geteuid() == 0 else []
    command += [f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True"]
    log = private / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    lab = Lab(f"http://127.0.0.1:{port}", token, root)
    try:
        deadline = time.monotonic() + 60
        while get_status(lab) != 200:
            assert server.poll() is None, f"JupyterLab exited with {server.returncode}:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"JupyterLab not ready after 60 s:\n{log.read_text()}"
            time.sleep(0.5)
        yield lab
    finally:
        server.terminate()  # jupyter_server shuts its kernels down on SIGTERM
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 960})
    page.set_default_timeout(60_000)  # JupyterLab loads slowly on 2 busy cores
    yield page
    page.close()


def test_server_refuses_the_api_without_its_token(lab):
    assert get(lab, "/api/contents")[0] in (401, 403)
    assert get(lab, "/api/contents", "0" * 32)[0] in (401, 403)
    status, listing = get(lab, "/api/contents", lab.token)
    assert status == 200
    assert NOTEBOOK.name in [item["name"] for item in listing["content"]]


def test_notebook_runs_in_jupyterlab_and_its_playground_reacts(lab, page):
    from playwright.sync_api import expect

    page.goto(f"{lab.url}/lab/tree/{NOTEBOOK.name}?token={lab.token}")
    page.wait_for_function(KERNEL_IDLE_JS, timeout=120_000)
    assert page.evaluate(f"() => ({PANEL_JS}).sessionContext.session.kernel.name") == "alexnet-edu"

    # The copy keeps the repository's outputs and counts: clear them, so that a count proves a run.
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    counts = page.evaluate(
        f"() => ({PANEL_JS}).content.widgets.filter(c => c.model.type === 'code').map(c => c.model.executionCount)"
    )
    assert counts and set(counts) == {None}
    # Not awaited here: the wait below bounds the run with a timeout.
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(RUN_ALL_DONE_JS, timeout=RUN_ALL_TIMEOUT_MS, polling=1000)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(f"() => !({PANEL_JS}).context.model.dirty")

    saved = json.loads((lab.root / NOTEBOOK.name).read_text())
    code_cells = [cell for cell in saved["cells"] if cell["cell_type"] == "code"]
    errors = [
        f"cell {cell['execution_count']}: {output['ename']}: {output['evalue']}"
        for cell in code_cells
        for output in cell["outputs"]
        if output["output_type"] == "error"
    ]
    assert not errors, errors
    # One fresh kernel ran every cell once, in order.
    assert [cell["execution_count"] for cell in code_cells] == list(range(1, len(code_cells) + 1))
    status, kernels = get(lab, "/api/kernels", lab.token)
    assert status == 200 and [(k["name"], k["execution_state"]) for k in kernels] == [("alexnet-edu", "idle")]

    # ConvArithmeticPlayground: sliders, then an HTML widget with the arithmetic.
    playground = page.locator(".widget-vbox", has=page.locator(".widget-label", has_text="stride S"))
    expect(playground).to_have_count(1)
    playground.scroll_into_view_if_needed()

    def slider(label):
        return playground.locator(".widget-slider", has=page.get_by_text(label, exact=True))

    def value(label):
        return int(slider(label).locator(".widget-readout").inner_text())

    text = playground.locator(".widget-html-content")
    size, kernel, stride, padding, filters = (
        value(label) for label in ("input size W", "kernel F", "stride S", "padding P", "filters")
    )
    before = conv_output_size(size, kernel, stride, padding)
    after = conv_output_size(size, kernel, stride - 1, padding)
    expect(text).to_contain_text(f"output: {before.size} x {before.size} x {filters}")

    # The keyboard moves the slider like a student would; the kernel recomputes and the text follows.
    slider("stride S").locator(".noUi-handle").press("ArrowLeft")
    expect(slider("stride S").locator(".widget-readout")).to_have_text(str(stride - 1))
    expect(text).to_contain_text(f"output: {after.size} x {after.size} x {filters}")
    expect(text).to_contain_text(str(after))
    expect(text).not_to_contain_text(str(before))

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT)
    print(f"screenshot: {SCREENSHOT}")
