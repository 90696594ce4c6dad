"""The mathematics of the feedback document, as LaTeX that derivlab made itself.

* ``step_math(step)``: the step ``lhs = rhs`` typeset from the parse tree (the ``lhs_tex`` /
  ``rhs_tex`` that ``typeset_steps`` added), or None when a side did not parse (the
  template then prints the student's source, escaped).
* ``counterexample_table(example)``: the checker's counterexample (sizes, the value of every
  variable, both sides) as a small table of exact values, matrices as ``pmatrix``.

Values come from the checker (rational numbers as text such as ``"-3/2"``); anything that
is not such a number is escaped, so nothing reaches TeX unchecked.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from derivlab.reports.expr_latex import DROPOUT_DISPLAY, name_latex
from derivlab.reports.latex_escape import escape_latex
from derivlab.reports.templating import TrustedLatex, trusted

ONE_LINE_CHARS = 56  # printed symbols of lhs and rhs together that fit on one line
MAX_MATRIX = 6  # larger values are summarised by their shape
_RATIONAL = re.compile(r"^(-?)(\d{1,30})(?:/(\d{1,30}))?$")


def step_math(step: Mapping[str, Any]) -> TrustedLatex | None:
    """``lhs = rhs`` as display-ready math, or None when the step has no typeset sides."""
    lhs, rhs = step.get("lhs_tex"), step.get("rhs_tex")
    if not isinstance(lhs, str) or not isinstance(rhs, str):
        return None
    if len(_visible(lhs)) + len(_visible(rhs)) <= ONE_LINE_CHARS:  # short: one line (scaled to fit if need be)
        return trusted(f"{lhs} = {rhs}")
    return trusted(rf"\begin{{aligned}}&{lhs}\\&\quad= {rhs}\end{{aligned}}")


def _visible(latex: str) -> str:
    """A rough measure of printed width: the LaTeX without its commands and braces."""
    return re.sub(r"\\[A-Za-z]+|[{}\s]", "", latex)


def number_latex(value: Any) -> str:
    """``"-3/2"`` -> ``-\\frac{3}{2}``; other text escaped."""
    match = _RATIONAL.match(str(value).strip())
    if not match:
        return r"\text{" + escape_latex(value, max_chars=40) + "}"
    sign, num, den = match.groups()
    return f"{sign}{num}" if den is None or den == "1" else rf"{sign}\tfrac{{{num}}}{{{den}}}"


def value_latex(value: Any) -> str:
    """A scalar, vector (a column) or matrix of exact values as math."""
    if not isinstance(value, list):
        return number_latex(value)
    rows = [r if isinstance(r, list) else [r] for r in value]
    if not rows or len(rows) > MAX_MATRIX or max(len(r) for r in rows) > MAX_MATRIX:
        cols = max((len(r) for r in rows), default=0)
        return rf"\text{{a {len(rows)}\texttimes{{}}{cols} array (see results.json)}}"
    body = r" \\ ".join(" & ".join(number_latex(x) for x in row) for row in rows)
    return r"\begin{pmatrix}" + body + r"\end{pmatrix}"


def counterexample_table(example: Any) -> TrustedLatex | None:
    """The counterexample as a two-column table (``tabular``), or None when there is none."""
    if not isinstance(example, Mapping):
        return None
    rows = []
    sizes = example.get("sizes") or {}
    if isinstance(sizes, Mapping) and sizes:
        rows.append(("sizes", ", ".join(f"{name_latex(str(k))} = {number_latex(v)}" for k, v in sizes.items())))
    values = example.get("values") or {}
    if isinstance(values, Mapping):
        for name, value in values.items():
            rows.append((f"${name_latex(str(name), DROPOUT_DISPLAY)}$", value_latex(value)))
    for key, label in (("lhs", "left side"), ("rhs", "right side")):
        if key in example:
            rows.append((label, value_latex(example[key])))
    if not rows:
        return None
    body = "\n".join(f"{label} & ${value}$ \\\\" for label, value in rows)
    return trusted("{\\renewcommand{\\arraystretch}{1.2}\\begin{tabular}{@{}ll@{}}\n\\toprule\n" + body
                   + "\n\\bottomrule\n\\end{tabular}}")
