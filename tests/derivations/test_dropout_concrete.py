"""The exact identity at concrete sizes with symbolic entries, computed from the definitions."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from derivlab.derivations.dropout_concrete import (
    _mat_vec,
    _squared_norm,
    concrete_identity_proof,
    concrete_problem,
    expected_squared_residual,
    sympy_stats_identity_check,
)


def test_eight_by_eight_holds_well_under_a_second():
    start = time.perf_counter()
    proof = concrete_identity_proof(8, 8)
    assert proof.holds
    assert time.perf_counter() - start < 1.0


@settings(max_examples=12, derandomize=True)
@given(st.integers(1, 4), st.integers(1, 4))
def test_identity_holds_at_every_small_size(n, d):
    assert concrete_identity_proof(n, d).holds


def test_p_squared_variance_is_not_the_expectation():
    problem = concrete_problem(3, 2)
    p = problem.p
    mean_residual = [yi - p * fi for yi, fi in zip(problem.y, _mat_vec(problem.X, problem.w))]
    norms = [_squared_norm([row[j] for row in problem.X]) for j in range(problem.d)]
    wrong = _squared_norm(mean_residual) + p**2 * sum((g * w * w for g, w in zip(norms, problem.w)), problem.ring.zero)
    assert expected_squared_residual(problem) != wrong


def test_sympy_stats_baseline_agrees_at_a_small_size():
    assert sympy_stats_identity_check(2, 2)
