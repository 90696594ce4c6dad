"""Brute force over every keep mask, exact: the oracle the other checks are measured against."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivlab.errors import InputError
from derivlab.numerics.dropout_enumeration import all_masks, expected_gradient, expected_squared_residual

rationals = st.fractions(min_value=-5, max_value=5, max_denominator=7)
keep = st.fractions(min_value=Fraction(1, 20), max_value=Fraction(19, 20), max_denominator=20)


def _by_hand(X, y, w, p):
    """E‖y − (R⊙X)w‖² as Σ_i [(y_i − pΣ_j x_ij w_j)² + p(1 − p)Σ_j x_ij² w_j²], written out independently."""
    total = Fraction(0)
    for i in range(X.shape[0]):
        mean = y[i] - p * sum(X[i, j] * w[j] for j in range(X.shape[1]))
        total += mean * mean + p * (1 - p) * sum(X[i, j] ** 2 * w[j] ** 2 for j in range(X.shape[1]))
    return total


@st.composite
def problems(draw):
    n, d = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    arr = lambda *shape: np.array([draw(rationals) for _ in range(int(np.prod(shape)))], dtype=object).reshape(shape)  # noqa: E731
    return arr(n, d), arr(n), arr(d), draw(keep)


def test_every_mask_appears_once():
    masks = all_masks(2, 3)
    assert masks.shape == (64, 2, 3) and len({m.tobytes() for m in masks}) == 64


@settings(max_examples=40, derandomize=True)
@given(problems())
def test_enumeration_equals_the_per_row_mean_plus_variance(problem):
    assert expected_squared_residual(*problem) == _by_hand(*problem)


@settings(max_examples=30, derandomize=True)
@given(problems())
def test_p_squared_in_the_variance_is_unequal_unless_p_is_one_half_or_the_term_vanishes(problem):
    X, y, w, p = problem
    tikhonov = sum(X[i, j] ** 2 * w[j] ** 2 for i in range(X.shape[0]) for j in range(X.shape[1]))
    wrong = _by_hand(X, y, w, p) - p * (1 - p) * tikhonov + p * p * tikhonov
    assert (expected_squared_residual(X, y, w, p) == wrong) == (p == Fraction(1, 2) or tikhonov == 0)


def test_gradient_of_a_one_by_one_problem():
    X, y, w, p = np.array([[Fraction(2)]], dtype=object), [Fraction(3)], [Fraction(1)], Fraction(1, 3)
    # E[-2 R x (y - R x w)] = -2 p x y + 2 p x² w
    assert list(expected_gradient(X, y, w, p)) == [-2 * p * 2 * 3 + 2 * p * 4 * 1]


def test_floats_are_read_exactly():
    value = expected_squared_residual([[0.1]], [0.0], [1.0], Fraction(1, 2))
    assert value == Fraction(0.1) ** 2 / 2


def test_too_many_entries_is_an_input_error():
    with pytest.raises(InputError):
        all_masks(5, 4)


def test_keep_probability_outside_the_open_interval_is_an_input_error():
    with pytest.raises(InputError):
        expected_squared_residual([[1]], [1], [1], 1)
