"""SGD with dropout on the inputs: the averaged iterate reaches the closed form of its convention."""

import numpy as np
import pytest

from derivlab.errors import InputError
from derivlab.numerics.regression_data import regression_problem
from derivlab.numerics.torch_sgd import dropout_sgd, relative_error, sgd_trace

PROBLEM = regression_problem(seed=0)
X, Y, P = PROBLEM.X, PROBLEM.y, PROBLEM.keep_probability
G = X.T @ X
D = np.diag(np.diag(G))
W_STAR = np.linalg.solve(P * G + (1 - P) * D, X.T @ Y)  # minimiser of the keep-mask objective
RIDGE = np.linalg.solve(G + (1 - P) / P * D, X.T @ Y)  # minimiser of the inverted-dropout objective
OLS = np.linalg.solve(G, X.T @ Y)


@pytest.fixture(scope="module")
def keep_run():
    return dropout_sgd(X, Y, P, convention="keep-mask", steps=2000, seed=0)


@pytest.fixture(scope="module")
def torch_run():
    return dropout_sgd(X, Y, P, convention="torch-dropout", steps=2000, seed=1)


def test_keep_mask_average_is_close_to_the_dropout_minimiser_and_far_from_wrong_targets(keep_run):
    error = relative_error(keep_run.averaged, W_STAR)
    assert error < 0.25 * min(relative_error(OLS, W_STAR), relative_error(RIDGE, W_STAR))
    assert relative_error(keep_run.averaged, OLS) > 3 * error and relative_error(keep_run.averaged, RIDGE) > 3 * error


def test_torch_dropout_average_is_close_to_the_rescaled_ridge_solution(torch_run):
    error = relative_error(torch_run.averaged, RIDGE)
    assert error < 0.25 * min(relative_error(OLS, RIDGE), relative_error(W_STAR, RIDGE))
    assert relative_error(torch_run.averaged, W_STAR) > 3 * error


def test_last_iterate_keeps_a_variance_term(keep_run):
    assert relative_error(keep_run.last, W_STAR) > relative_error(keep_run.averaged, W_STAR)


def test_trace_records_iterates_and_running_average():
    trace = sgd_trace(X, Y, P, steps=200, points=20)
    assert len(trace["steps"]) == len(trace["iterates"]) == len(trace["averaged"]) == 20


def test_json_states_torch_drop_argument(torch_run):
    assert torch_run.to_json()["torch_dropout_argument"] == pytest.approx(1 - P)


def test_unknown_convention_is_an_input_error():
    with pytest.raises(InputError):
        dropout_sgd(X, Y, P, convention="gaussian", steps=10)
