"""Rewrites the README's "What reproduced" table from notebooks/results/: `make reproduced`.

Each innovations notebook (04-09) saves its measured verdict there when run in
full mode; notebook 14 shows the same table. A test checks that the README's
copy matches the files.
"""

import pathlib
import re

from alexnet_edu import markdown_table, reproduction_table

ROOT = pathlib.Path(__file__).resolve().parent.parent
START, END = "<!-- reproduced:start -->", "<!-- reproduced:end -->"


def readme_section():
    """The Markdown that belongs between the README's markers."""
    table = reproduction_table(ROOT / "notebooks" / "results")
    links = [f"[{notebook}](notebooks/{notebook}.ipynb)" for notebook in table["notebook"]]
    table["claim"] = [f"{claim} ({link})" for claim, link in zip(table["claim"], links)]
    return f"{START}\n{markdown_table(table)}{END}"


def main():
    readme = ROOT / "README.md"
    text = readme.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"README.md lacks the markers {START} and {END}: put them where the table goes.")
    updated = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: readme_section(), text, flags=re.S)
    readme.write_text(updated)
    print(f"README.md: {updated.count(chr(10)) - text.count(chr(10)):+d} lines")


if __name__ == "__main__":
    main()
