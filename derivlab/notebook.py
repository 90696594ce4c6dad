"""HTML views of result objects for Jupyter (``_repr_html_``); any layer may use it.

Every value is HTML-escaped. LaTeX is shown as MathJax-ready ``$...$`` around the
escaped source, so the notebook typesets it (and a page without MathJax shows the
source); student text therefore never becomes markup.

    >>> print(table(["step", "verdict"], [[math("a = b"), "valid"]], caption="x < y"))
    <table><caption>x &lt; y</caption><thead><tr><th>step</th><th>verdict</th></tr></thead><tbody><tr><td>$a = b$</td><td>valid</td></tr></tbody></table>
"""

from __future__ import annotations

import html
from typing import Any, Iterable, Sequence

COLOURS = {"valid": "#1a7f37", "pass": "#1a7f37", "proved": "#1a7f37", "agrees": "#1a7f37", "yes": "#1a7f37",
           "invalid": "#cf222e", "fail": "#cf222e", "failed": "#cf222e", "disagrees": "#cf222e", "no": "#cf222e",
           "unparsed": "#8250df", "ill-typed": "#9a6700", "unknown": "#0969da"}
_MATH_BREAKERS = ("$", "\\(", "\\)", "\\[", "\\]")


class Html(str):
    """Already-safe HTML (not escaped again by ``table``)."""


def math(latex: str) -> Html:
    """``$latex$`` with the text escaped; characters that would end the math mode are dropped."""
    text = " ".join(latex.split())
    for breaker in _MATH_BREAKERS:
        text = text.replace(breaker, " ")
    return Html(f"${html.escape(text)}$")


def verdict(word: str) -> Html:
    colour = COLOURS.get(word, "inherit")
    return Html(f'<span style="color:{colour};font-weight:bold">{html.escape(word)}</span>')


def _cell(value: Any) -> str:
    return value if isinstance(value, Html) else html.escape("" if value is None else str(value))


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "") -> Html:
    head = "".join(f"<th>{_cell(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{_cell(caption)}</caption>" if caption else ""
    return Html(f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def paragraph(text: Any) -> Html:
    return Html(f"<p>{_cell(text)}</p>")
