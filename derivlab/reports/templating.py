"""Jinja2 for LaTeX: LaTeX-safe delimiters and escaping by default.

Templates live in ``derivlab/reports/templates/`` and use

    \\VAR{expression}     a value (escaped unless it is ``TrustedLatex``)
    \\BLOCK{for x in xs}  a statement (for / if / set / include / macro)
    \\#{comment}          a template comment

Every value printed by ``\\VAR{}`` goes through ``escape_latex`` unless the
Python code that built it wrapped it in ``TrustedLatex`` (LaTeX derivlab
produced itself: SymPy output, our own tables) or it is the output of a
template macro. Student text can therefore never reach the document
unescaped, even by a template mistake.

Mechanics: Jinja2's autoescape is on, with ``finalize`` turning every plain
value into LaTeX-escaped ``Markup``; Jinja2's HTML escaping then leaves it
alone. Never concatenate ``TrustedLatex`` with a plain ``str`` in Python
(``Markup + str`` HTML-escapes the str): build the ``str``, then wrap it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from derivlab.reports.latex_escape import escape_latex

TEMPLATES = Path(__file__).with_name("templates")


class TrustedLatex(Markup):
    """LaTeX that derivlab produced itself and that templates print unescaped."""

    __slots__ = ()


def trusted(latex: str) -> TrustedLatex:
    """Mark ``latex`` (made by derivlab, never student text) as printable verbatim."""
    return TrustedLatex(latex)


def _finalize(value: Any) -> Markup:
    if value is None:
        return Markup("")
    if isinstance(value, Markup):  # TrustedLatex, or a macro's output (already escaped inside)
        return value
    return Markup(escape_latex(value))


def _number(value: Any, digits: int = 3) -> TrustedLatex:
    """A number in LaTeX (text or math mode): ``1.2 \\times 10^{-7}`` for very small or large values."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return TrustedLatex(escape_latex(value))
    if x != x:
        return TrustedLatex("NaN")
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return TrustedLatex(f"{x:.{digits}g}")
    mantissa, exponent = f"{x:.{max(digits - 1, 0)}e}".split("e")
    return TrustedLatex(rf"\ensuremath{{{mantissa} \times 10^{{{int(exponent)}}}}}")


def format_points(value: Any) -> str:
    """Points as people write them: whole numbers exactly, anything else to 2 decimals
    (16/3 points print as 5.33, never 5.3333).

    >>> format_points(18.0), format_points(16 / 3), format_points(0.5)
    ('18', '5.33', '0.50')
    """
    x = float(value)
    return str(int(round(x))) if abs(x - round(x)) < 5e-5 else f"{x:.2f}"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment every derivlab LaTeX template is rendered with."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string=r"\#{",
        comment_end_string="}",
        line_statement_prefix=None,
        line_comment_prefix="%#",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=True,  # with finalize below: plain values are LaTeX-escaped, Markup passes
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["num"] = _number
    env.filters["points"] = lambda v: TrustedLatex(format_points(v))
    env.filters["escape_latex"] = lambda v: TrustedLatex(escape_latex(v))
    return env


def render(template_name: str, **context: Any) -> str:
    """Render ``templates/template_name`` with ``context`` (values escaped unless trusted)."""
    return environment().get_template(template_name).render(**context)


def render_string(source: str, **context: Any) -> str:
    """Render a template given as a string (same delimiters and escaping); for tests."""
    return environment().from_string(source).render(**context)
