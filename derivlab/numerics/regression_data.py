"""Fixed-seed regression problems for the numeric confirmations.

``regression_problem``: Gaussian X with a shared column factor (so XᵀX has
large off-diagonal entries and "XᵀX instead of diag(XᵀX)" is far from the
truth), y = X w_true + noise, and a weight vector w̃ with positive entries to
evaluate the objective at. ``rational_problem``: tiny exact problems with
small rationals for the 2^(nd)-mask enumeration.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np


@dataclass(frozen=True)
class RegressionProblem:
    """X (n x d), y (n), a weight vector w (d) and the keep probability p."""

    X: Any
    y: Any
    w: Any
    keep_probability: Any

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(np.asarray(self.X).shape)


def regression_problem(n: int = 50, d: int = 10, *, seed: int = 0, keep_probability: float = 0.7,
                       shared_factor: float = 0.6, noise: float = 1.0) -> RegressionProblem:
    """A realistic float problem (default 50 x 10, p = 0.7)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + shared_factor * rng.standard_normal((n, 1))
    w_true = rng.uniform(0.5, 1.5, d)
    y = X @ w_true + noise * rng.standard_normal(n)
    return RegressionProblem(X, y, w_true, keep_probability)


def rational_problem(n: int, d: int, *, seed: int = 0, keep_probability: Fraction = Fraction(2, 7)) -> RegressionProblem:
    """A tiny exact problem: entries k/q with |k| <= 9, q in 1..5 (object arrays of Fractions)."""
    rng = np.random.default_rng(seed)

    def draw(shape: tuple[int, ...]) -> np.ndarray:
        num = rng.integers(-9, 10, size=shape)
        den = rng.integers(1, 6, size=shape)
        out = np.empty(shape, dtype=object)
        for idx in np.ndindex(*shape):
            out[idx] = Fraction(int(num[idx]), int(den[idx]))
        return out

    X = draw((n, d))
    for j in range(d):  # every column non-zero (the minimiser needs it)
        if all(v == 0 for v in X[:, j]):
            X[0, j] = Fraction(1)
    return RegressionProblem(X, draw((n,)), draw((d,)), Fraction(keep_probability))
