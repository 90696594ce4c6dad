"""LaTeX strings in the course's notation: ⊙ for the element-wise product, ^⊤ for
transposes, 𝔼 for expectations, bold-free single letters as in the homework. (SymPy
expressions are printed by the one printer, ``derivlab.derivations.notation.course_latex``.)

    >>> course_latex_string(r"E\\left[\\left(R \\circ X\\right)^{T} y\\right]")
    '\\\\mathbb{E}\\\\left[\\\\left(R \\\\odot X\\\\right)^{\\\\top} y\\\\right]'
"""

from __future__ import annotations

import re

_REWRITES: tuple[tuple[str, str], ...] = (
    (r"\circ", r"\odot"),            # sympy prints HadamardProduct with \circ
    (r"^{T}", r"^{\top}"),
    (r"^T", r"^{\top}"),
    (r"\operatorname{E}", r"\mathbb{E}"),
    (r"\mathrm{E}", r"\mathbb{E}"),
)
_PLAIN_E = re.compile(r"(?<![\\A-Za-z])E(?=\\left\[|\[|_)")  # a bare E used as an expectation


def course_latex_string(latex: str) -> str:
    """Rewrite a SymPy LaTeX string into the course's notation (⊙, ^⊤, 𝔼)."""
    for old, new in _REWRITES:
        latex = latex.replace(old, new)
    return _PLAIN_E.sub(r"\\mathbb{E}", latex)

