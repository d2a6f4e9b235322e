import html
import importlib.util
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


def load_builder():
    spec = importlib.util.spec_from_file_location("build_slides", ROOT / "slides" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def slide_type(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def headings(notebook):
    return [
        cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown"
        and slide_type(cell) != "skip"
        and "".join(cell["source"]).startswith(("# ", "## "))
    ]  # fmt: skip


def references(page):
    """Every URL the page loads: src/href attributes, CSS url() and @import, JS imports."""
    found = re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""", page)
    found += re.findall(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", page)
    found += re.findall(r"""@import\s+["']([^"']+)["']""", page)
    found += re.findall(r"""\bimport\b[^;'"]*?\bfrom\s+["']([^"']+)["']""", page)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_title_and_section_starts_a_slide(path):
    notebook = json.loads(path.read_text())
    marked = [c for c in notebook["cells"] if c["cell_type"] == "markdown" and "".join(c["source"]).startswith(("# ", "## "))]
    assert marked, f"{path.name} has no headings"
    unmarked = ["".join(c["source"]).splitlines()[0] for c in marked if slide_type(c) not in ("slide", "skip")]
    assert not unmarked, f"{path.name}: headings without slide metadata: {unmarked}"
    assert all(slide_type(c) is not None for c in notebook["cells"]), f"{path.name}: a cell has no slide type"


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    return out, load_builder().build(NOTEBOOKS, out)


def test_one_deck_per_notebook_and_an_index(decks):
    out, built = decks
    assert [d.name for d in built] == [f"{p.stem}.slides.html" for p in NOTEBOOKS]
    index = (out / "index.html").read_text()
    assert all(f'href="{d.name}"' in index for d in built)


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=[p.stem for p in NOTEBOOKS])
def test_deck_loads_nothing_from_the_internet(decks, index):
    out, built = decks
    page = built[index].read_text()
    urls = [u for u in references(page) if not u.startswith(("data:", "#"))]
    assert not [u for u in urls if REMOTE.match(u)], "remote URLs in the deck"
    for url in urls:
        assert (out / url.split("?")[0].split("#")[0]).is_file(), f"missing local file {url}"
    assert "vendor/reveal.js/dist/reveal.js" in page or "vendor/reveal.js/dist/reveal" in page
    assert 'src="vendor/require.js"' in page and "vendor/mathjax/MathJax.js" in page


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=[p.stem for p in NOTEBOOKS])
def test_deck_has_a_slide_per_section(decks, index):
    _, built = decks
    notebook = json.loads(NOTEBOOKS[index].read_text())
    page = built[index].read_text()
    slides = [c for c in notebook["cells"] if slide_type(c) == "slide"]
    assert page.count("<section") >= len(slides) > 3
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for heading in headings(notebook):
        title = re.sub(r"[`*]", "", heading.splitlines()[0].lstrip("# ").strip())
        assert title in text, f"slide {title!r} missing from the deck"


# Every code and printed-output block of every slide, shown in turn as the teacher steps through:
# a block is cut when its content is wider than the block, or when it breaks words anywhere; a table
# when it is wider than its output area.
EXPOSE_REVEAL_JS = """() => new Promise(resolve =>
    require(["vendor/reveal.js/dist/reveal.js"], Reveal => { window.Reveal = Reveal; resolve(); }))"""
CUT_BLOCKS_JS = """() => {
    const cut = [];
    for (const slide of Reveal.getSlides()) {
        const indices = Reveal.getIndices(slide);
        Reveal.slide(indices.h, indices.v);
        for (const block of slide.querySelectorAll('.jp-InputArea pre, .jp-OutputArea-output pre')) {
            const style = getComputedStyle(block);
            const line = block.textContent.split('\\n').find(text => text.trim()) || '';
            if (block.scrollWidth > block.clientWidth + 1) cut.push('cut at the edge: ' + line.slice(0, 70));
            else if (style.wordBreak === 'break-all') cut.push('breaks inside words: ' + line.slice(0, 70));
        }
        for (const table of slide.querySelectorAll('.jp-RenderedHTMLCommon table')) {
            const box = table.parentElement;
            if (box.scrollWidth > box.clientWidth + 1) cut.push('table cut at the edge: ' + table.textContent.trim().slice(0, 70));
        }
    }
    return cut;
}"""


def test_code_and_printed_lines_fit_a_projected_slide(decks, browser):
    _, built = decks
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    cut = {}
    for deck in built:
        page.goto(deck.as_uri())
        # The deck loads reveal.js through require.js, so it is not a global: fetch the same module.
        page.evaluate(EXPOSE_REVEAL_JS)
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=60_000)
        cut[deck.name] = page.evaluate(CUT_BLOCKS_JS)
    page.close()
    assert sum(len(blocks) for blocks in cut.values()) == 0, {name: blocks[:3] for name, blocks in cut.items() if blocks}
