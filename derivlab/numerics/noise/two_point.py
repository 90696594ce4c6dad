"""The EXACT expectation of ‖y − X̃w‖² under Gaussian input noise, in rationals, without sampling.

‖y − X̃w‖² is a polynomial of degree 2 in the noise entries, so by linearity and independence its
expectation involves only E[N_ij] and E[N_ij²]: every i.i.d. law with mean 0 and variance s² gives
the same value. The two-point law N_ij = ±s (probability 1/2 each) is one, so the average over all
2^{n·d} sign patterns, in ``Fraction`` arithmetic, is the Gaussian expectation exactly (s rational).
Row i of the residual depends only on row i of N, so E = Σ_i (average over the 2^d signs of row i).
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from derivlab.numerics.noise.monte_carlo import KINDS


def expected_squared_residual(X: Any, y: Any, w: Any, s: Fraction, kind: str) -> Fraction:
    """E_N‖y − X̃w‖², X̃ = X + N or X ⊙ (1 + N), N_ij i.i.d. with mean 0 and variance s² (exact)."""
    if kind not in KINDS:
        raise ValueError(f"noise kind must be one of {', '.join(KINDS)}")
    n, d = len(X), len(X[0])
    s = Fraction(s)
    total = Fraction(0)
    patterns = list(itertools.product((-1, 1), repeat=d))
    for i in range(n):
        row = 0
        for signs in patterns:
            noisy = [X[i][j] + signs[j] * s if kind == "additive" else X[i][j] * (1 + signs[j] * s)
                     for j in range(d)]
            r = y[i] - sum(noisy[j] * w[j] for j in range(d))
            row += r * r
        total += Fraction(row) / len(patterns)
    return total
