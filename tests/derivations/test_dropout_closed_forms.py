"""Properties of the proved closed forms on random data (rational: exact; float: converted exactly)."""

from fractions import Fraction

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from derivlab.derivations.dropout_closed_forms import (
    closed_form_minimizer,
    closed_form_objective,
    rescaled_ridge_solution,
)
from derivlab.numerics.dropout_enumeration import expected_gradient, expected_squared_residual

rationals = st.fractions(min_value=-4, max_value=4, max_denominator=6)
floats = st.floats(min_value=-3, max_value=3, allow_nan=False, allow_infinity=False)
keep = st.fractions(min_value=Fraction(1, 20), max_value=Fraction(19, 20), max_denominator=20)


@st.composite
def problems(draw, entries=rationals, max_entries=6):
    n = draw(st.integers(1, 3))
    d = draw(st.integers(1, max(1, min(3, max_entries // n))))
    X = np.array([[draw(entries) for _ in range(d)] for _ in range(n)], dtype=object)
    y = np.array([draw(entries) for _ in range(n)], dtype=object)
    w = np.array([draw(entries) for _ in range(d)], dtype=object)
    return X, y, w, draw(keep)


def _nonzero_columns(X):
    return all(any(v != 0 for v in X[:, j]) for j in range(X.shape[1]))


@settings(max_examples=40, derandomize=True)
@given(problems())
def test_identity_is_exact_on_rational_data(problem):
    X, y, w, p = problem
    assert expected_squared_residual(X, y, w, p) == closed_form_objective(X, y, w, p)


@settings(max_examples=25, derandomize=True)
@given(problems(entries=floats))
def test_identity_is_exact_on_float_data_read_as_rationals(problem):
    X, y, w, p = problem
    X, y, w = (np.array([Fraction(v) for v in a.flat], dtype=object).reshape(a.shape) for a in (X, y, w))
    assert expected_squared_residual(X, y, w, p) == closed_form_objective(X, y, w, p)


@settings(max_examples=30, derandomize=True)
@given(problems())
def test_expected_gradient_vanishes_at_the_closed_form_minimiser(problem):
    X, y, _, p = problem
    assume(_nonzero_columns(X))
    assert all(g == 0 for g in expected_gradient(X, y, closed_form_minimizer(X, y, p), p))


@settings(max_examples=30, derandomize=True)
@given(problems())
def test_rescaled_ridge_solution_is_p_times_the_minimiser(problem):
    X, y, _, p = problem
    assume(_nonzero_columns(X))
    assert list(rescaled_ridge_solution(X, y, p)) == list(p * closed_form_minimizer(X, y, p))


@settings(max_examples=30, derandomize=True)
@given(problems())
def test_rescaling_turns_the_objective_into_ridge(problem):
    X, y, w_new, p = problem
    lam = (1 - p) / p
    column_norms = (X * X).sum(axis=0)
    ridge = sum((y - X @ w_new) ** 2) + lam * sum(column_norms * w_new * w_new)
    assert expected_squared_residual(X, y, w_new / p, p) == ridge


@settings(max_examples=25, derandomize=True)
@given(problems(entries=floats))
def test_float_minimiser_matches_the_exact_one_on_the_same_numbers(problem):
    X, y, _, p = problem
    assume(_nonzero_columns(X) and min(abs(v) for v in (X * X).sum(axis=0)) > 1e-3)
    exact = closed_form_minimizer(*(np.array([Fraction(v) for v in a.flat], dtype=object).reshape(a.shape)
                                    for a in (X, y)), p)
    assert all(g == 0 for g in expected_gradient(
        np.array([Fraction(v) for v in X.flat], dtype=object).reshape(X.shape),
        np.array([Fraction(v) for v in y], dtype=object), exact, p))
    approx = closed_form_minimizer(X.astype(float), y.astype(float), float(p))
    assert np.allclose(approx, np.array(exact, dtype=float), rtol=1e-6, atol=1e-6)
