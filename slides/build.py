"""Builds one reveal.js slide deck per notebook, working with no internet: `make slides`.

nbconvert's slides exporter takes reveal.js, require.js, jQuery and MathJax
from CDNs by default; here they come from `slides/vendor/` (copied next to the
decks), the theme is one that needs no web fonts, and the template drops the
mermaid.js import. The slides are the cells with `slideshow` metadata
(`slide`, `subslide`, `fragment`; `skip` hides a cell); the decks show the
committed outputs, so nothing is executed.

Usage: python slides/build.py [--out build/slides] [notebooks ...]
"""

import argparse
import copy
import html
import pathlib
import shutil

import nbformat
from nbconvert import SlidesExporter
from traitlets.config import Config

ROOT = pathlib.Path(__file__).resolve().parent.parent
SLIDES = ROOT / "slides"
VENDOR = SLIDES / "vendor"
DEFAULT_OUT = ROOT / "build" / "slides"


def exporter():
    config = Config()
    config.TemplateExporter.extra_template_basedirs = [str(SLIDES / "templates")]
    config.SlidesExporter.template_name = "reveal_offline"
    config.SlidesExporter.reveal_url_prefix = "vendor/reveal.js"
    config.SlidesExporter.reveal_theme = "white"  # the themes that import Google fonts fail offline
    config.SlidesExporter.reveal_scroll = True  # long code cells and tables scroll instead of being cut
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.HTMLExporter.require_js_url = "vendor/require.js"
    config.HTMLExporter.jquery_url = "vendor/jquery.min.js"
    config.HTMLExporter.mathjax_url = "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    return SlidesExporter(config=config)


def build(notebooks, out_dir=DEFAULT_OUT):
    """Writes `<name>.slides.html` for each notebook, an index page and the vendored libraries.

    Returns:
        The paths of the decks.
    """
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(VENDOR, out_dir / "vendor", dirs_exist_ok=True)
    slides = exporter()
    decks = []
    for path in map(pathlib.Path, notebooks):
        notebook = nbformat.read(path, as_version=4)
        notebook = copy.deepcopy(notebook)
        # Saved widget state makes nbconvert load the widget manager from unpkg.com.
        notebook.metadata.pop("widgets", None)
        body, _ = slides.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        deck = out_dir / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    links = "\n".join(f'<li><a href="{d.name}">{html.escape(d.stem.removesuffix(".slides"))}</a></li>' for d in decks)
    (out_dir / "index.html").write_text(
        f"<!DOCTYPE html>\n<meta charset='utf-8'>\n<title>alexnet-edu slides</title>\n"
        f"<h1>alexnet-edu slides</h1>\n<ul>\n{links}\n</ul>\n",
        encoding="utf-8",
    )
    return decks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    decks = build(notebooks, args.out)
    print(f"{len(decks)} decks in {args.out}: open {args.out / 'index.html'} in a browser (no internet needed).")


if __name__ == "__main__":
    main()
