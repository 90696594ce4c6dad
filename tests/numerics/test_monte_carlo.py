"""Monte Carlo with a stated false-alarm rate: accepts the truth, rejects wrong formulas."""

import math

import numpy as np
import pytest

from derivlab.errors import InputError
from derivlab.numerics.monte_carlo import (
    FALSE_ALARM_RATE,
    Z_THRESHOLD,
    convergence_trace,
    monte_carlo_check,
    monte_carlo_gradient_check,
    sample_squared_residuals,
)
from derivlab.numerics.regression_data import regression_problem

PROBLEM = regression_problem(seed=0)
X, Y, W, P = PROBLEM.X, PROBLEM.y, PROBLEM.w, PROBLEM.keep_probability
XW = X @ W
NORMS = (X * X).sum(axis=0)


def truth(X, y, w, p):
    return float(((y - p * X @ w) ** 2).sum() + p * (1 - p) * (NORMS * w * w).sum())


WRONG = {
    "p squared for p(1-p)": lambda X, y, w, p: truth(X, y, w, p) + (p * p - p * (1 - p)) * (NORMS * w * w).sum(),
    "XtX for diag(XtX)": lambda X, y, w, p: truth(X, y, w, p) + p * (1 - p) * (XW @ XW - (NORMS * w * w).sum()),
    "||y - Xw|| for ||y - pXw||": lambda X, y, w, p: truth(X, y, w, p) - ((y - p * XW) ** 2).sum() + ((y - XW) ** 2).sum(),
    "(1-p)/p for p(1-p)": lambda X, y, w, p: truth(X, y, w, p) + ((1 - p) / p - p * (1 - p)) * (NORMS * w * w).sum(),
    "dropped factor p in the variance": lambda X, y, w, p: truth(X, y, w, p) + (1 - p - p * (1 - p)) * (NORMS * w * w).sum(),
    "wrong sign": lambda X, y, w, p: truth(X, y, w, p) - 2 * p * (1 - p) * (NORMS * w * w).sum(),
}


def test_threshold_is_the_two_sided_normal_quantile_for_one_in_a_million():
    assert FALSE_ALARM_RATE == 1e-6 and math.isclose(Z_THRESHOLD, 4.8916, abs_tol=1e-3)


def test_correct_formula_agrees():
    result = monte_carlo_check(X, Y, W, P, truth, 4000, seed=0)
    assert result.agrees and result.ci[0] < result.candidate_value < result.ci[1]


@pytest.mark.parametrize("name", list(WRONG))
def test_wrong_formula_is_rejected_with_power_essentially_one(name):
    """Each wrong value lies > 40 standard errors away at 4,000 masks: power Φ(40 − 4.89) ≈ 1."""
    result = monte_carlo_check(X, Y, W, P, WRONG[name], 4000, seed=0)
    assert not result.agrees and abs(result.z) > 40 and result.power_against(result.candidate_value) > 1 - 1e-12


def test_same_seed_same_estimate():
    assert monte_carlo_check(X, Y, W, P, truth, 500, seed=3).estimate == monte_carlo_check(X, Y, W, P, truth, 500, seed=3).estimate


def test_sample_mean_converges_to_the_truth():
    values = sample_squared_residuals(X, Y, W, P, 20000, seed=1)
    assert abs(values.mean() - truth(X, Y, W, P)) < 5 * values.std() / math.sqrt(len(values))


def test_gradient_at_a_wrong_point_is_rejected():
    least_squares = np.linalg.solve(X.T @ X, X.T @ Y)
    assert not monte_carlo_gradient_check(X, Y, least_squares, P, 2000, seed=0).agrees


def test_convergence_trace_has_matching_lengths():
    trace = convergence_trace(X, Y, W, P, 2000, seed=0, points=10)
    assert len(trace["sample_counts"]) == len(trace["estimates"]) == len(trace["standard_errors"])


def test_bad_shapes_are_an_input_error():
    with pytest.raises(InputError):
        monte_carlo_check(X, Y[:3], W, P, truth, 100, seed=0)
