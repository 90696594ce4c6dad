"""LaTeX for the checker's expression trees (``derivlab.checking.expr``), built from the
tree alone: no student text ever reaches the output.

    to_latex(tree) -> r"\\mathbb{E}_{R}\\left[\\left\\|y - \\left(R \\odot X\\right) \\tilde{w}\\right\\|_2^{2}\\right]"

Names are typeset from a fixed alphabet: a Latin letter or a Greek letter (``λ`` ->
``\\lambda``) with an optional alphanumeric subscript; any other name (a student's odd
definition name) becomes ``\\mathrm{?}``-free escaped text through ``escape_latex``.
``display`` maps context keys to how the course writes them (``w`` is ``\\tilde{w}``
in the dropout context). Trees are bounded by the parser's nesting limit; output
longer than ``MAX_CHARS`` raises ``TooLong`` (callers then show the escaped source).
"""

from __future__ import annotations

import re
from fractions import Fraction

from derivlab.checking.expr import (
    Add, Binary, Const, DiagOf, DiagPart, Divide, Expectation, Expr, Hadamard, Identity, MatMul, Named, Neg, Norm,
    Ones, Power, Scale, Trace, Transpose, Unary, Var,
)
from derivlab.reports.latex_escape import escape_latex

MAX_CHARS = 4000

GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon", "ζ": r"\zeta",
    "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu",
    "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\phi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta",
    "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
}
GREEK_WORDS = {v[1:]: v for v in GREEK.values()} | {"epsilon": r"\varepsilon", "Gamma": r"\Gamma"}

#: how the dropout context's keys are written in the course (w and w~ name the same vector).
DROPOUT_DISPLAY = {"w": r"\tilde{w}", "Gamma": r"\Gamma", "Γ": r"\Gamma"}

_NAME = re.compile(r"^([~^\-]?)([A-Za-z]|[α-ωΑ-Ω]|[A-Za-z]+)(?:_\{?([A-Za-z0-9]{1,12})\}?)?$")
_DECOR = {"~": r"\tilde", "^": r"\hat", "-": r"\bar"}


class TooLong(ValueError):
    """The typeset expression would be longer than ``MAX_CHARS``."""


def name_latex(name: str, display: dict[str, str] | None = None) -> str:
    """``w_new`` -> ``w_{\\mathrm{new}}``, ``λ`` -> ``\\lambda``, ``~w`` -> ``\\tilde{w}``; a student's
    spelling (``\\tilde{w}``) is first read into its key by the checker's grammar."""
    if display and name in display:
        return display[name]
    match = _NAME.match(name)
    if not match:
        key = _symbol_key(name)
        if key is not None and key != name and _NAME.match(key):
            return name_latex(key, display)
        return r"\text{" + escape_latex(name, max_chars=40) + "}"
    decor, base, sub = match.group(1), match.group(2), match.group(3)
    if base in GREEK:
        base = GREEK[base]
    elif len(base) > 1:
        base = GREEK_WORDS.get(base, r"\mathrm{" + base + "}")
    if decor:
        base = _DECOR[decor] + "{" + base + "}"
    if not sub:
        return base
    sub_tex = sub if len(sub) <= 2 else r"\mathrm{" + sub + "}"
    return f"{base}_{{{sub_tex}}}"


def _symbol_key(name: str) -> str | None:
    from derivlab.checking.failures import StepFailure
    from derivlab.checking.parse import symbol_key

    try:
        return symbol_key(name)
    except (StepFailure, ValueError, RecursionError):
        return None


def to_latex(expr: Expr, display: dict[str, str] | None = None) -> str:
    """The LaTeX of ``expr`` (math mode, no delimiters); ``TooLong`` past ``MAX_CHARS``."""
    out = _Renderer(display or {}).render(expr)
    if len(out) > MAX_CHARS:
        raise TooLong(f"the expression typesets to {len(out)} characters")
    return out


_ATOMS = (Var, Named, Ones, Identity, Norm, DiagPart, DiagOf, Trace, Expectation)


class _Renderer:
    def __init__(self, display: dict[str, str]):
        self.display = display
        self.size = 0

    def render(self, e: Expr) -> str:
        out = self._render(e)
        self.size += len(out)
        if self.size > 20 * MAX_CHARS:  # a tree that would typeset huge: stop early
            raise TooLong("the expression is too large to typeset")
        return out

    def _paren(self, e: Expr) -> str:
        return r"\left(" + self.render(e) + r"\right)"

    def _wrap(self, e: Expr, kinds: tuple[type, ...]) -> str:
        return self._paren(e) if isinstance(e, kinds) or _negative_const(e) else self.render(e)

    def _render(self, e: Expr) -> str:
        if isinstance(e, Var):
            return name_latex(e.name, self.display)
        if isinstance(e, Named):
            return name_latex(e.name, self.display)
        if isinstance(e, Const):
            return _number(e.value)
        if isinstance(e, Ones):
            return r"\mathbf{1}"
        if isinstance(e, Identity):
            return "I"
        if isinstance(e, Add):
            if isinstance(e.right, Neg):
                return f"{self.render(e.left)} - {self._wrap(e.right.arg, (Add, Neg))}"
            if isinstance(e.right, Const) and e.right.value < 0:
                return f"{self.render(e.left)} - {_number(-e.right.value)}"
            return f"{self.render(e.left)} + {self.render(e.right)}"
        if isinstance(e, Neg):
            return "-" + self._wrap(e.arg, (Add, Neg))
        if isinstance(e, (MatMul, Scale)):
            left = self._wrap(e.left, (Add, Neg, Hadamard))
            right = self._wrap(e.right, (Add, Neg, Hadamard))
            joiner = r" \cdot " if _starts_with_number(e.right) else r"\, " if isinstance(e, Scale) else " "
            return left + joiner + right
        if isinstance(e, Hadamard):
            return f"{self._wrap(e.left, (Add, Neg, MatMul, Scale))} \\odot {self._wrap(e.right, (Add, Neg, MatMul, Scale, Hadamard))}"
        if isinstance(e, Divide):
            return r"\frac{" + self.render(e.left) + "}{" + self.render(e.right) + "}"
        if isinstance(e, Transpose):
            return self._wrap(e.arg, (Binary, Unary, Power, Const)) + r"^\top" if not isinstance(e.arg, _ATOMS) \
                else self.render(e.arg) + r"^\top"
        if isinstance(e, (DiagPart, DiagOf)):
            return r"\operatorname{diag}\left(" + self.render(e.arg) + r"\right)"
        if isinstance(e, Trace):
            return r"\operatorname{tr}\left(" + self.render(e.arg) + r"\right)"
        if isinstance(e, Norm):
            return r"\left\|" + self.render(e.arg) + r"\right\|_2"
        if isinstance(e, Power):
            return self._power(e)
        if isinstance(e, Expectation):
            bound = ",".join(name_latex(b, self.display) for b in e.bound)
            return r"\mathbb{E}_{" + bound + r"}\left[" + self.render(e.body) + r"\right]"
        return r"\text{" + escape_latex(type(e).__name__) + "}"

    def _power(self, e: Power) -> str:
        exponent = e.exponent
        if exponent == Fraction(1, 2) and e.base.is_scalar:
            return r"\sqrt{" + self.render(e.base) + "}"
        base = self.render(e.base) if isinstance(e.base, (Var, Named, Ones, Identity, Norm)) and not (
            isinstance(e.base, (Var, Named)) and "_" in getattr(e.base, "name", "")) else self._paren(e.base)
        if isinstance(e.base, (DiagPart, DiagOf, Trace, Expectation)):
            base = self.render(e.base)
        if exponent.denominator == 1:
            ex = str(exponent.numerator)
        else:
            ex = f"{exponent.numerator}/{exponent.denominator}"
        return f"{base}^{{{ex}}}"


def _number(value: Fraction) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return sign + r"\frac{" + str(abs(value.numerator)) + "}{" + str(value.denominator) + "}"


def _negative_const(e: Expr) -> bool:
    return isinstance(e, Const) and e.value < 0


def _starts_with_number(e: Expr) -> bool:
    while isinstance(e, (MatMul, Scale, Hadamard)):
        e = e.left
    return isinstance(e, Const)
