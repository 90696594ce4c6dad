"""Independent brute-force oracles for the dropout claims: exact expectations over EVERY
keep mask R in {0,1}^{n x d}, each weighted by P(R) = p^{#kept} (1 - p)^{#dropped}.

These are deliberately naive (2^{n·d} masks) so they share no code with the proofs or
the owners' numerics: the fuzz properties compare the claims' formulas against them.
Exact with ``Fraction`` entries; a vectorised float64 twin for larger sizes.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any, Iterator

import numpy as np


def all_masks(n: int, d: int) -> Iterator[np.ndarray]:
    """Every keep mask R in {0,1}^{n x d} (int arrays), 2^{n·d} of them."""
    for bits in itertools.product((0, 1), repeat=n * d):
        yield np.array(bits, dtype=int).reshape(n, d)


def mask_probability(R: np.ndarray, p: Any) -> Any:
    kept = int(R.sum())
    return p**kept * (1 - p) ** (R.size - kept)


def expected_squared_residual(X: np.ndarray, y: np.ndarray, w: np.ndarray, p: Any, scale: Any = 1) -> Any:
    """E_R ||y - scale · (R ⊙ X) w||² by enumeration (exact for Fraction entries)."""
    total = Fraction(0)
    for R in all_masks(*X.shape):
        r = y - scale * ((R * X) @ w)
        total += mask_probability(R, p) * np.dot(r, r)
    return total


def expected_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, p: Any, scale: Any = 1) -> np.ndarray:
    """E_R ∇_w ||y - scale · (R ⊙ X) w||² = E_R[-2 scale (R ⊙ X)ᵀ (y - scale (R ⊙ X) w)], by enumeration."""
    total = np.array([Fraction(0)] * X.shape[1], dtype=object)
    for R in all_masks(*X.shape):
        P = scale * (R * X)
        total = total + mask_probability(R, p) * (-2 * (P.T @ (y - P @ w)))
    return total


def expected_squared_residual_float(X: np.ndarray, y: np.ndarray, w: np.ndarray, p: float,
                                    scale: float = 1.0) -> float:
    """The float64 twin of ``expected_squared_residual``, vectorised over all 2^{n·d} masks."""
    n, d = X.shape
    bits = ((np.arange(2 ** (n * d))[:, None] >> np.arange(n * d)) & 1).astype(float)
    masks = bits.reshape(-1, n, d)
    kept = bits.sum(axis=1)
    probs = np.exp(kept * np.log(p) + (n * d - kept) * np.log1p(-p))
    residuals = y[None, :] - scale * np.einsum("mij,j->mi", masks * X[None], w)
    return float(probs @ np.einsum("mi,mi->m", residuals, residuals))


def column_norms_squared(X: np.ndarray) -> np.ndarray:
    """diag(XᵀX): the squared norm of each column of X (Γ~² on the diagonal)."""
    return (X * X).sum(axis=0)
