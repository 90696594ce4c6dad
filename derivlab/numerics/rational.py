"""Exact rational arrays and linear algebra (fractions.Fraction in numpy object arrays).

Floats convert EXACTLY (Fraction(0.1) is the binary value of 0.1), so exact
checks on float data are checks on the numbers actually stored.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from derivlab.errors import InputError


def to_fractions(a: Any) -> np.ndarray:
    """An object array of Fractions with the shape of ``a`` (ints, floats, Fractions, strings like "3/7")."""
    arr = np.asarray(a, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, value in np.ndenumerate(arr):
        try:
            out[idx] = Fraction(value)
        except (TypeError, ValueError) as exc:
            raise InputError(f"not a finite rational number: {value!r}") from exc
    return out


def is_exact(a: Any) -> bool:
    """True for arrays holding Fractions/ints (exact arithmetic), False for floats."""
    arr = np.asarray(a)
    return arr.dtype == object


def solve(A: Any, b: Any) -> np.ndarray:
    """x with A x = b: exact Gaussian elimination for Fraction arrays, numpy.linalg.solve for floats."""
    if not is_exact(A):
        return np.linalg.solve(np.asarray(A, dtype=float), np.asarray(b, dtype=float))
    M = [list(row) for row in to_fractions(A)]
    rhs = list(to_fractions(b))
    size = len(M)
    for col in range(size):
        pivot = next((r for r in range(col, size) if M[r][col] != 0), None)
        if pivot is None:
            raise np.linalg.LinAlgError("singular matrix")
        M[col], M[pivot] = M[pivot], M[col]
        rhs[col], rhs[pivot] = rhs[pivot], rhs[col]
        for r in range(size):
            if r != col and M[r][col] != 0:
                factor = M[r][col] / M[col][col]
                M[r] = [a - factor * c for a, c in zip(M[r], M[col])]
                rhs[r] -= factor * rhs[col]
    return np.array([rhs[k] / M[k][k] for k in range(size)], dtype=object)
