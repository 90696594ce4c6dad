"""Exact rational helpers."""

from fractions import Fraction

import numpy as np
import pytest

from derivlab.errors import InputError
from derivlab.numerics.rational import solve, to_fractions


def test_exact_solve():
    A = to_fractions([[2, 1], [1, 3]])
    b = to_fractions([1, 2])
    x = solve(A, b)
    assert list(A @ x) == [Fraction(1), Fraction(2)]


def test_singular_system_raises():
    with pytest.raises(np.linalg.LinAlgError):
        solve(to_fractions([[1, 2], [2, 4]]), to_fractions([1, 1]))


def test_non_numbers_are_input_errors():
    with pytest.raises(InputError):
        to_fractions(["nan"])
