"""The class page's two figures as inline SVG (matplotlib, text kept as text, fixed ids
so that a regrade writes the same bytes): the score distribution and the distribution
of first wrong steps."""

from __future__ import annotations

import io
import re
from typing import Any


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE: the SVG goes inside HTML
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)


def _figure(width: float = 4.6, height: float = 2.4):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "derivlab-class-page"
    fig, ax = plt.subplots(figsize=(width, height))
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def score_histogram(scores: list[float], top: float) -> str:
    """Bars of one point each from 0 to ``top``: how many submissions scored in each."""
    fig, ax = _figure()
    edges = list(range(0, int(top) + 2))
    ax.hist(scores, bins=edges, color="#3b6ea5", edgecolor="white", align="left")
    ax.set_xlabel(f"score (of {top:g})")
    ax.set_ylabel("submissions")
    ax.set_xlim(-0.8, top + 0.8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _label(_svg(fig), "Score distribution")


def first_wrong_bars(counts: dict[str, int]) -> str:
    """One bar per first wrong step (and "none": every step valid; "no steps")."""
    fig, ax = _figure()
    labels = list(counts) or ["none"]
    values = [counts.get(k, 0) for k in labels]
    colours = ["#4a9b5b" if k == "none" else "#999999" if k == "no steps" else "#c0504d" for k in labels]
    ax.bar(range(len(labels)), values, color=colours)
    ax.set_xticks(range(len(labels)), [f"step {k}" if k.isdigit() else k for k in labels], fontsize=8)
    ax.set_ylabel("submissions")
    ax.set_xlabel("first step that is not valid")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _label(_svg(fig), "First wrong step")


def _label(svg: str, title: str) -> str:
    """Give the SVG an accessible name (role=img, aria-label) and no fixed pt size (it scales)."""
    svg = re.sub(r'<svg ', f'<svg role="img" aria-label="{title}" ', svg, count=1)
    return re.sub(r'(<svg[^>]*?) width="[\d.]+pt" height="[\d.]+pt"', r"\1", svg, count=1)
