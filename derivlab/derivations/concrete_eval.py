"""Evaluate course-notation matrix expressions at CONCRETE sizes with symbolic entries.

An independent check of the index normal form: X (n x d) gets the entries
x_ij, y the entries y_i, the keep mask R the entries R_ij, and E_R is the
moment rule of ``bernoulli_moments.expect_polynomial`` (exact). Γ is the
explicit diag(√(Σ_i x_ij²)), Γ_new = √λ Γ, λ = (1 − p)/p.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivlab.derivations.bernoulli_moments import expect_polynomial
from derivlab.derivations.notation import DiagPart, Mean, SquaredNorm
from derivlab.derivations.proof import as_sympy


@dataclass(frozen=True)
class ConcreteSetting:
    """Explicit matrices for the symbols at sizes n x d, and the mask entries E_R averages over."""

    n: int
    d: int
    matrices: dict
    mask_symbols: tuple
    keep_probability: Any
    scalar_definitions: dict
    expect: Any = None  # E of a scalar polynomial in the noise; None = Bernoulli(keep_probability) masks


def dropout_setting(n: int, d: int, p: Any, lam: Any) -> ConcreteSetting:
    """The dropout symbols at n x d: X, y, w̃, R, Γ, w_new, Γ_new (and λ = (1 − p)/p)."""
    x = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"x_{i + 1}{j + 1}", real=True))
    r = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"R_{i + 1}{j + 1}"))
    column_norms = [sp.sqrt(sum(x[i, j] ** 2 for i in range(n))) for j in range(d)]
    gamma = sp.diag(*column_norms)
    matrices = {
        "X": x,
        "R": r,
        "y": sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"y_{i + 1}", real=True)),
        "w_tilde": sp.Matrix(d, 1, lambda j, _: sp.Symbol(f"w_{j + 1}", real=True)),
        "w_new": sp.Matrix(d, 1, lambda j, _: sp.Symbol(f"v_{j + 1}", real=True)),
        "Gamma": gamma,
        "Gamma_new": sp.sqrt(lam) * gamma,
        "D": sp.diag(*[c**2 for c in column_norms]),
    }
    return ConcreteSetting(n, d, matrices, tuple(r), p, {lam: (1 - p) / p})


def evaluate(expr: Any, setting: ConcreteSetting) -> Any:
    """``expr`` with every matrix symbol replaced by its explicit matrix (1 x 1 -> scalar)."""
    value = _evaluate(expr, setting)
    if isinstance(value, sp.MatrixBase) and value.shape == (1, 1):
        return value[0, 0]
    return value


def _evaluate(m: Any, s: ConcreteSetting) -> Any:
    if not isinstance(m, MatrixExpr):
        return m
    if isinstance(m, sp.MatrixSymbol):
        return s.matrices[m.name]
    if isinstance(m, sp.Transpose):
        return _evaluate(m.arg, s).T
    if isinstance(m, sp.MatAdd):
        terms = [_evaluate(t, s) for t in m.args]
        total = terms[0]
        for t in terms[1:]:
            total = total + t
        return total
    if isinstance(m, sp.MatMul):
        coeff, matrices = m.as_coeff_matrices()
        value = _evaluate(matrices[0], s)
        for f in matrices[1:]:
            value = value * _evaluate(f, s)
        return coeff * value
    if isinstance(m, sp.HadamardProduct):
        value = _evaluate(m.args[0], s)
        for f in m.args[1:]:
            value = value.multiply_elementwise(_evaluate(f, s))
        return value
    if isinstance(m, DiagPart):
        inner = _evaluate(m.arg, s)
        return sp.diag(*[inner[k, k] for k in range(inner.shape[0])])
    if isinstance(m, Mean):
        inner = _evaluate(m.arg, s)
        if s.expect is not None:
            return inner.applyfunc(s.expect)
        return inner.applyfunc(lambda e: expect_polynomial(e, s.mask_symbols, s.keep_probability))
    if isinstance(m, SquaredNorm):
        v = _evaluate(m.arg, s)
        return v.T * v
    if isinstance(m, sp.OneMatrix):
        return sp.ones(*m.shape)
    if isinstance(m, sp.Identity):
        return sp.eye(m.shape[0])
    if isinstance(m, sp.Inverse):
        return _evaluate(m.arg, s).inv()
    raise NotImplementedError(f"no concrete rule for {type(m).__name__}")


def equal_at_size(lhs: Any, rhs: Any, setting: ConcreteSetting) -> bool:
    """True when lhs − rhs is identically 0 as a rational function of the symbolic entries."""
    diff = evaluate(lhs, setting) - evaluate(rhs, setting)
    entries = list(diff) if isinstance(diff, sp.MatrixBase) else [diff]
    for e in entries:
        e = as_sympy(e)
        if setting.scalar_definitions:
            e = e.subs(setting.scalar_definitions)
        e = sp.expand(e)
        if e != 0 and sp.cancel(sp.together(e)) != 0:
            return False
    return True
