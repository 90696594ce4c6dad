"""Plain, immutable proof objects: a chain of SymPy expressions, each step with
its LaTeX and the rule that justifies it. Reports print the chain; the checker
can re-check it."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp


@dataclass(frozen=True)
class ProofStep:
    """One step of a derivation: ``expr`` equals the previous step's expression by ``rule``.

    ``latex`` is the course-notation LaTeX of ``expr`` (sympy.latex adjusted:
    ⊙, ^⊤, 𝔼); ``check`` records how the step was verified (e.g. "expand",
    "moment rule E[R_ij^2]=p", "simplify(lhs-rhs)==0").
    """

    expr: Any
    latex: str
    rule: str
    check: str = ""

    def to_json(self) -> dict:
        return {"latex": self.latex, "rule": self.rule, "check": self.check}


@dataclass(frozen=True)
class Proof:
    """A derivation ``steps[0] = steps[1] = ... = steps[-1]`` and whether it holds.

    ``holds`` is True only when every step was verified by SymPy. ``method`` names
    how (e.g. "indexed sums with Kronecker deltas, general n, d").
    """

    claim: str
    method: str
    steps: tuple[ProofStep, ...]
    holds: bool
    detail: str = ""
    extras: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "claim": self.claim,
            "method": self.method,
            "holds": self.holds,
            "detail": self.detail,
            "steps": [s.to_json() for s in self.steps],
        }


def is_zero(expr: Any) -> bool:
    """True when SymPy can show ``expr`` is identically zero (expand, then simplify)."""
    e = sp.expand(expr)
    if e == 0:
        return True
    return sp.simplify(e) == 0


def as_sympy(value: Any) -> sp.Basic:
    """A SymPy object for an internal value, without ever parsing text.

    SymPy objects pass through; ints, Fractions and floats become exact/float SymPy
    numbers; anything else (a string in particular) is a TypeError.
    """
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool):
        raise TypeError("a bool is not a SymPy value")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sp.Float(value)
    raise TypeError(f"{type(value).__name__} is not a SymPy value")
