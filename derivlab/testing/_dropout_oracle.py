"""Independent brute-force oracles for the dropout claims: exact expectations over EVERY
keep mask, each weighted by its probability p^{#kept} (1 - p)^{#dropped}.

Deliberately naive, sharing no code with the proofs or the owners' numerics: the fuzz
properties compare the claims' formulas against them. The squared residual is a sum over
rows and row i depends only on row i of R, so by linearity E = Σ_i E[(y_i - (R_i ⊙ X_i)·w)²]
with every one of the 2^d masks of a row enumerated (n·2^d terms instead of 2^{n·d});
``all_masks`` enumerates whole masks for the float twin. Exact with ``Fraction`` entries.
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


def _row_masks(d: int, p: Any) -> list[tuple[tuple[int, ...], Any]]:
    """Every keep mask of one row with its probability."""
    out = []
    for bits in itertools.product((0, 1), repeat=d):
        kept = sum(bits)
        out.append((bits, p**kept * (1 - p) ** (d - kept)))
    return out


def expected_squared_residual(X: np.ndarray, y: np.ndarray, w: np.ndarray, p: Any, scale: Any = 1) -> Any:
    """E_R ||y - scale · (R ⊙ X) w||² by enumeration of every row mask (exact for Fraction entries)."""
    n, d = X.shape
    masks = _row_masks(d, p)
    total = Fraction(0)
    for i in range(n):
        for bits, prob in masks:
            r = y[i] - scale * sum(X[i, j] * w[j] for j in range(d) if bits[j])
            total += prob * r * r
    return total


def expected_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, p: Any, scale: Any = 1) -> np.ndarray:
    """E_R ∇_w ||y - scale · (R ⊙ X) w||² = E_R[-2 scale (R ⊙ X)ᵀ (y - scale (R ⊙ X) w)], every row mask
    enumerated."""
    n, d = X.shape
    masks = _row_masks(d, p)
    total = [Fraction(0)] * d
    for i in range(n):
        for bits, prob in masks:
            r = y[i] - scale * sum(X[i, j] * w[j] for j in range(d) if bits[j])
            for j in range(d):
                if bits[j]:
                    total[j] += prob * (-2 * scale * X[i, j] * r)
    return np.array(total, dtype=object)


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
