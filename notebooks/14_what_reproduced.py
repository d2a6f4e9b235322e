# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (alexnet-edu)
#     language: python
#     name: alexnet-edu
# ---

# %% [markdown] slideshow={"slide_type": "slide"}
# # 14 · What reproduced
#
# The innovations notebooks each repeat a claim of the paper and end with a measured verdict, saved as
# a file in `notebooks/results/`. This notebook gathers them into one table: the claim, the paper's
# number, ours with its spread over seeds, and whether our effect is larger than the noise (notebooks
# 04–07 and 09).

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Setup

# %% slideshow={"slide_type": "skip"}
# the kit first: importing it keeps TensorFlow's start-up logs out of the notebook
from alexnet_edu import VERDICTS, reproduction_table, setup_notebook

import os
import pathlib

import pandas as pd

QUICK = os.environ.get("ALEXNET_EDU_QUICK") == "1"  # set by `make test`: also show the quick runs' findings
# The committed full-mode runs of notebooks 04–09 (quick runs write to results/quick and never overwrite them).
FINDINGS = "results"
QUICK_FINDINGS = "results/quick"
setup_notebook(seed=42)
pd.set_option("display.max_colwidth", 90)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The table
#
# **ours** is the mean effect over seeds, ± the standard deviation of the per-seed effects, with its
# 95 % confidence interval (Student's t: with three seeds the interval is about 2.5 standard deviations
# wide on each side, so only clear effects exceed the noise). Ratios are averaged on a log scale.

# %% slideshow={"slide_type": "-"}
table = reproduction_table(FINDINGS)
table[["notebook", "claim", "paper", "ours", "verdict"]].style.hide(axis="index")

# %% [markdown] slideshow={"slide_type": "subslide"}
# How each row was measured (the setting is part of the result: the same claim can hold at one scale
# and not show at another):

# %% slideshow={"slide_type": "-"}
table[["notebook", "setting"]].style.hide(axis="index")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Reading the verdicts
#
# | verdict | what the seeds say |
# |---|---|
# | reproduces | the 95 % interval of our effect excludes "no effect", in the paper's direction |
# | same direction, within the noise | the mean points the paper's way, but the interval includes "no effect": more seeds, data or epochs could settle it |
# | no effect measurable | the mean points the other way, but within the noise |
# | opposite direction | the interval excludes "no effect", against the paper |
#
# "Within the noise" is not "false": the paper measured on 1.2 million ImageNet images for days, we on
# a few thousand small photos for minutes, and an effect of a few tenths of a point needs many seeds to
# show (notebook 06, exercise 2). Each notebook's last section says what its scale can and cannot show.
#
# A verdict reads the direction and the noise, not the size: set each **ours** beside its **paper**.
# An effect many times the paper's is usually another mechanism at our scale, not a stronger version
# of the paper's. Notebook 05's row at the paper's input scale (0–255) is one: there LRN rescues a
# model that barely trains without it, while the paper's 1.4–2 points were a gain in generalisation
# of networks that trained well either way.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("verdicts a finding can have:", "; ".join(VERDICTS))

# %% slideshow={"slide_type": "-"}
table["verdict"].value_counts().reindex(VERDICTS, fill_value=0).rename("findings").to_frame()

# %% [markdown] slideshow={"slide_type": "subslide"}
# In quick mode (`make test`), notebooks 04–09 run with two seeds (07: one), little data and a few epochs, and
# save their findings apart. They check that every notebook measures and saves its verdict, not the
# science: expect "within the noise" almost everywhere.

# %% slideshow={"slide_type": "-"}
if QUICK and pathlib.Path(QUICK_FINDINGS).is_dir():
    quick_table = reproduction_table(QUICK_FINDINGS)
    print(f"{len(quick_table)} findings from this quick run")
    display(quick_table[["notebook", "ours", "verdict"]])
else:
    print("Full mode: the table above is the committed full runs' (quick runs save theirs in results/quick).")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Your own run
#
# Run any of notebooks 04–09 in full mode and it overwrites its row in `notebooks/results/`; rerun
# this notebook to see the table change. The README's copy of the table is rewritten from the same
# files by `make reproduced`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Worked solutions are in `solutions/14_what_reproduced.md`.
#
# 1. Pick a row "within the noise". From its ± (the standard deviation s of the per-seed effects),
#    estimate how many seeds n would make the 95 % interval half as wide as the effect: the half-width
#    is about t · s / √n, with t ≈ 2 for ten seeds or more. How long would that run take?
# 2. Rerun notebook 05 with `SEEDS = tuple(range(6))` in full mode, then this notebook: which numbers
#    of the 05 row changed, and did its verdict?
# 3. A verdict says nothing about *why*. For the 04 row, list what differs between the paper's setting
#    and ours, and design one run that would test the most likely reason.
