"""E_R over ALL 2^(nd) keep masks, in exact rational arithmetic: equality, not closeness.

R ∈ {0,1}^{n x d} has probability p^k (1 − p)^(nd − k) with k kept entries
(p the KEEP probability). The objective ‖y − (R ⊙ X)w̃‖² and its gradient
−2(R ⊙ X)ᵀ(y − (R ⊙ X)w̃) are evaluated on every mask with integer
numerators over one common denominator, then weighted exactly. No formula
for the expectation is used: this is the brute-force oracle.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from derivlab.errors import InputError
from derivlab.numerics.rational import to_fractions

MAX_MASK_ENTRIES = 16  # 65,536 masks


def all_masks(n: int, d: int) -> np.ndarray:
    """Every keep mask as an int array of shape (2^(nd), n, d), mask m's entries = the bits of m."""
    m = n * d
    if m > MAX_MASK_ENTRIES:
        raise InputError(f"exact enumeration needs n*d <= {MAX_MASK_ENTRIES} (got {n}x{d} = {m} entries)")
    bits = (np.arange(2**m, dtype=np.int64)[:, None] >> np.arange(m, dtype=np.int64)) & 1
    return bits.reshape(2**m, n, d)


def _integers(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer numerators over a common denominator."""
    denominator = lcm(*[v.denominator for v in values.flat]) if values.size else 1
    return np.array([int(v * denominator) for v in values.flat], dtype=object).reshape(values.shape), denominator


def _mask_weights(masks: np.ndarray, p: Fraction) -> tuple[np.ndarray, list[Fraction]]:
    """Number of kept entries of each mask, and P(mask) for each count k."""
    m = masks.shape[1] * masks.shape[2]
    kept = masks.reshape(len(masks), -1).sum(axis=1)
    return kept, [p**k * (1 - p) ** (m - k) for k in range(m + 1)]


def _check(X: Any, y: Any, w: Any, p: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, Fraction]:
    X, y, w = to_fractions(X), to_fractions(y), to_fractions(w)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise InputError(f"shapes: X {X.shape}, y {y.shape}, w {w.shape} (need (n, d), (n,), (d,))")
    p = Fraction(p)
    if not 0 < p < 1:
        raise InputError(f"the keep probability must lie in (0, 1), got {p}")
    return X, y, w, p


def expected_squared_residual(X: Any, y: Any, w: Any, p: Any) -> Fraction:
    """E_R‖y − (R ⊙ X)w̃‖² exactly, by enumerating every mask (n*d <= 16)."""
    X, y, w, p = _check(X, y, w, p)
    n, d = X.shape
    products, den = _integers(np.concatenate([(X * w[None, :]).ravel(), y]))
    a, b = products[: n * d].reshape(n, d), products[n * d:]
    masks = all_masks(n, d)
    residuals = b[None, :] - (masks.astype(object) * a[None, :, :]).sum(axis=2)
    squares = (residuals * residuals).sum(axis=1)
    kept, weight = _mask_weights(masks, p)
    totals = [sum(squares[kept == k], 0) for k in range(n * d + 1)]
    return sum((Fraction(int(t)) * weight[k] for k, t in enumerate(totals)), Fraction(0)) / (den * den)


def expected_gradient(X: Any, y: Any, w: Any, p: Any) -> np.ndarray:
    """E_R ∇_w̃‖y − (R ⊙ X)w̃‖² = E_R[−2 (R ⊙ X)ᵀ(y − (R ⊙ X)w̃)] exactly (object array of Fractions)."""
    X, y, w, p = _check(X, y, w, p)
    n, d = X.shape
    products, den = _integers(np.concatenate([(X * w[None, :]).ravel(), y]))
    a, b = products[: n * d].reshape(n, d), products[n * d:]
    x_int, x_den = _integers(X)
    masks = all_masks(n, d).astype(object)
    residuals = b[None, :] - (masks * a[None, :, :]).sum(axis=2)  # (masks, n), over den
    grads = -2 * ((masks * x_int[None, :, :]) * residuals[:, :, None]).sum(axis=1)  # (masks, d), over den*x_den
    kept, weight = _mask_weights(all_masks(n, d), p)
    out = np.empty(d, dtype=object)
    for j in range(d):
        totals = [sum(grads[kept == k, j], 0) for k in range(n * d + 1)]
        out[j] = sum((Fraction(int(t)) * weight[k] for k, t in enumerate(totals)), Fraction(0)) / (den * x_den)
    return out
