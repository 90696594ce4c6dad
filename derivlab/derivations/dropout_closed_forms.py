"""The proved closed forms of Q3, evaluated on numbers (floats or exact Fractions) and SymPy matrices.

* objective: E_R‖y − (R⊙X)w̃‖² = ‖y − pXw̃‖² + p(1 − p)‖Γw̃‖², Γ = diag(XᵀX)^{1/2};
* minimiser: w̃* = (pXᵀX + (1 − p)diag(XᵀX))⁻¹Xᵀy;
* rescaled ridge: p w̃* = (XᵀX + λ diag(XᵀX))⁻¹Xᵀy, λ = (1 − p)/p.

p is the KEEP probability. Each formula is written through the four scalars
of ``ObjectiveStatistics`` (or the pair (a, b) of (aXᵀX + b diag(XᵀX))w = Xᵀy),
so the wrong variants in ``dropout_variants`` are written the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from derivlab.numerics.rational import is_exact, solve, to_fractions


@dataclass(frozen=True)
class ObjectiveStatistics:
    """yᵀy, w̃ᵀXᵀy, ‖Xw̃‖² and ‖Γw̃‖² = Σ_j (XᵀX)_jj w̃_j² for one (X, y, w̃)."""

    yy: Any
    cross: Any
    quad: Any
    tikhonov: Any

    def scaled(self, c: Any) -> "ObjectiveStatistics":
        """The statistics of (X, y, c w̃)."""
        return ObjectiveStatistics(self.yy, c * self.cross, c**2 * self.quad, c**2 * self.tikhonov)


def objective_statistics(X: Any, y: Any, w: Any) -> ObjectiveStatistics:
    """The four scalars for float arrays, Fraction object arrays or SymPy matrices."""
    if isinstance(X, sp.MatrixBase):
        y, w = sp.Matrix(y), sp.Matrix(w)
        Xw = X * w
        gram = X.T * X
        tikhonov = sum((gram[j, j] * w[j] ** 2 for j in range(X.shape[1])), sp.Integer(0))
        return ObjectiveStatistics((y.T * y)[0], (Xw.T * y)[0], (Xw.T * Xw)[0], tikhonov)
    X, y, w = _arrays(X, y, w)
    Xw = X @ w
    column_norms = (X * X).sum(axis=0)
    return ObjectiveStatistics(y @ y, Xw @ y, Xw @ Xw, (column_norms * w * w).sum())


def _arrays(*arrays: Any) -> list[np.ndarray]:
    if any(is_exact(a) for a in arrays):
        return [to_fractions(a) for a in arrays]
    return [np.asarray(a, dtype=float) for a in arrays]


def identity_right_side(p: Any, s: ObjectiveStatistics) -> Any:
    """‖y − pXw̃‖² + p(1 − p)‖Γw̃‖² from the statistics."""
    return s.yy - 2 * p * s.cross + p**2 * s.quad + p * (1 - p) * s.tikhonov


def closed_form_objective(X: Any, y: Any, w: Any, p: Any) -> Any:
    """E_R‖y − (R⊙X)w̃‖² by the proved identity (float, Fraction or SymPy, as the inputs)."""
    return identity_right_side(p, objective_statistics(X, y, w))


def regularized_solution(X: Any, y: Any, gram_coefficient: Any, diagonal_coefficient: Any) -> np.ndarray:
    """w solving (a XᵀX + b diag(XᵀX)) w = Xᵀy (exact for Fraction inputs)."""
    X, y = _arrays(X, y)
    gram = X.T @ X
    system = gram_coefficient * gram + diagonal_coefficient * np.diag(np.diag(gram))
    return solve(system, X.T @ y)


def closed_form_minimizer(X: Any, y: Any, p: Any) -> np.ndarray:
    """w̃* = (pXᵀX + (1 − p)diag(XᵀX))⁻¹Xᵀy, the minimiser of the dropout objective (2)."""
    return regularized_solution(X, y, p, 1 - p)


def rescaled_ridge_solution(X: Any, y: Any, p: Any) -> np.ndarray:
    """p w̃* = (XᵀX + λ diag(XᵀX))⁻¹Xᵀy, λ = (1 − p)/p: what inverted dropout (torch.nn.Dropout) converges to."""
    return regularized_solution(X, y, 1, (1 - p) / p)


def least_squares_solution(X: Any, y: Any) -> np.ndarray:
    """(XᵀX)⁻¹Xᵀy: the unregularised solution (a wrong target for SGD with dropout)."""
    return regularized_solution(X, y, 1, 0)
