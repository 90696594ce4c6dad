"""Properties of the dropout claims: the owner's closed forms (``derivations.dropout_closed_forms``,
``dropout_variants``) and enumeration (``numerics.dropout_enumeration``) checked against this
package's own brute-force oracle (every keep mask enumerated) on Hypothesis-drawn X, y, w, p.
p is the KEEP probability.

Exact properties use ``Fraction`` entries at n·d ≤ 6 (64 masks) and must hold with ``==``.
The float property allows the rounding error of the enumeration, bounded by conditioning:
every term ||y - (R⊙X)w||² ≤ B = (||y|| + ||X||_F ||w||)², so with unit roundoff u and
k = n·d·(1 + |log p| + |log(1-p)|) + n + d (operations per term, incl. the mask probability
computed as exp(kept·log p + dropped·log(1-p))) the two sides may differ by at most 16·k·u·B.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from derivlab.derivations import dropout_closed_forms as closed
from derivlab.derivations.dropout_variants import CORRECT_IDENTITY, CORRECT_MINIMIZER, CORRECT_RESCALED_RIDGE
from derivlab.numerics import dropout_enumeration
from derivlab.testing import _dropout_oracle as oracle
from derivlab.testing._strategies_dropout import RegressionProblem, regression_problems

EXACT_ENTRIES = 6  # n·d ≤ 6: 64 masks
FLOAT_ENTRIES = 10  # n·d ≤ 10: 1024 masks, vectorised

_identity = CORRECT_IDENTITY.value  # (X, y, w~, p) -> ||y - pXw~||² + p(1-p)||Γw~||²
_rescaled_ridge = CORRECT_RESCALED_RIDGE.value  # (X, y, w~, p) -> ||y - X w_new||² + ||Γ_new w_new||², w_new = p w~
_minimizer = CORRECT_MINIMIZER.solve  # (X, y, p) -> w~*


def exact_problems() -> Any:
    return regression_problems("rational", max_n=3, max_d=3, max_entries=EXACT_ENTRIES)


def nonzero_column_problems() -> Any:
    return regression_problems("rational", max_n=3, max_d=3, max_entries=EXACT_ENTRIES, nonzero_columns=True)


def float_problems() -> Any:
    return regression_problems("float", max_n=4, max_d=4, max_entries=FLOAT_ENTRIES)


def identity_exact(problem: RegressionProblem, formula: Any = _identity) -> str | None:
    """E_R ||y - (R⊙X)w||² == ||y - pXw||² + p(1-p)||Γw||² exactly (every mask enumerated)."""
    X, y, w, p = problem.X, problem.y, problem.w, problem.keep_probability
    lhs, rhs = oracle.expected_squared_residual(X, y, w, p), formula(X, y, w, p)
    return None if lhs == rhs else f"enumeration {lhs} != formula {rhs}"


def identity_float(problem: RegressionProblem, formula: Any = _identity) -> str | None:
    """The same identity in float64 at larger sizes, within the conditioning bound 16·k·u·B."""
    X, y, w, p = problem.X, problem.y, problem.w, float(problem.keep_probability)
    lhs = oracle.expected_squared_residual_float(X, y, w, p)
    rhs = float(formula(X, y, w, p))
    n, d = X.shape
    B = (np.linalg.norm(y) + np.linalg.norm(X) * np.linalg.norm(w)) ** 2
    k = n * d * (1 + abs(math.log(p)) + abs(math.log1p(-p))) + n + d
    tolerance = 16 * k * np.finfo(float).eps * B
    gap = abs(lhs - rhs)
    return None if gap <= tolerance else f"|enumeration - formula| = {gap:.3e} > tolerance {tolerance:.3e}"


def rescaled_ridge_exact(problem: RegressionProblem, formula: Any = _rescaled_ridge) -> str | None:
    """E_R ||y - (R⊙X) w_new/p||² == ||y - X w_new||² + ||√λ Γ w_new||², λ = (1-p)/p, exactly
    (w_new drawn; the claim's formula is evaluated at w~ = w_new/p)."""
    X, y, w_new, p = problem.X, problem.y, problem.w, Fraction(problem.keep_probability)
    w_tilde = w_new / p
    lhs = oracle.expected_squared_residual(X, y, w_tilde, p)
    rhs = formula(X, y, w_tilde, p)
    return None if lhs == rhs else f"enumeration {lhs} != ridge objective {rhs}"


def _ldl_pivots(H: np.ndarray) -> list[Fraction]:
    """Pivots of the symmetric elimination of H (all > 0 iff H is positive definite)."""
    M = [[Fraction(v) for v in row] for row in H]
    pivots = []
    for i in range(len(M)):
        pivots.append(M[i][i])
        if M[i][i] == 0:
            break
        for r in range(i + 1, len(M)):
            f = M[r][i] / M[i][i]
            M[r] = [a - f * c for a, c in zip(M[r], M[i])]
    return pivots


def minimizer_exact(problem: RegressionProblem, solve: Any = _minimizer) -> str | None:
    """At w~* = (pXᵀX + (1-p)diag(XᵀX))⁻¹Xᵀy the enumerated expected gradient is exactly 0, and the
    enumerated Hessian E[2(R⊙X)ᵀ(R⊙X)] is positive definite (X without zero columns)."""
    X, y, p = problem.X, problem.y, Fraction(problem.keep_probability)
    if any(all(v == 0 for v in X[:, j]) for j in range(X.shape[1])):
        return None  # outside the claim: a zero column makes the minimiser non-unique
    try:
        w = solve(X, y, p)
    except (ArithmeticError, np.linalg.LinAlgError, ValueError) as exc:
        return f"the closed form could not be solved although X has no zero column: {exc}"
    grad = oracle.expected_gradient(X, y, w, p)
    if any(g != 0 for g in grad):
        return f"expected gradient at the closed form is {[str(g) for g in grad]}, not 0"
    # column j of the Hessian E[2 PᵀP] is the expected gradient at w = e_j with y = 0
    hessian = np.array([oracle.expected_gradient(X, np.zeros(X.shape[0], dtype=object), e, p)
                        for e in np.eye(X.shape[1], dtype=int).astype(object)]).T
    pivots = _ldl_pivots(hessian)
    if any(pv <= 0 for pv in pivots):
        return f"expected Hessian is not positive definite (pivots {[str(v) for v in pivots]})"
    return None


def torch_inverted_exact(problem: RegressionProblem, rule: Any = None) -> str | None:
    """Inverted dropout (kept entries × 1/p): E_R ∇||y - (R⊙X)w/p||² == ∇(||y - Xw||² + λ||Γw||²)
    = 2(XᵀX + λ diag(XᵀX))w - 2Xᵀy with λ = (1-p)/p, exactly."""
    X, y, w, p = problem.X, problem.y, problem.w, Fraction(problem.keep_probability)
    keep, scale = rule or (lambda p: p, lambda p: 1 / p)  # (keep probability, scale of kept entries)
    lhs = oracle.expected_gradient(X, y, w, keep(p), scale=scale(p))
    lam = (1 - p) / p
    rhs = 2 * (X.T @ X) @ w + 2 * lam * oracle.column_norms_squared(X) * w - 2 * (X.T @ y)
    return None if all(a == b for a, b in zip(lhs, rhs)) else f"expected gradient {list(map(str, lhs))} != ridge {list(map(str, rhs))}"


def ridge_solution_is_stationary(problem: RegressionProblem) -> str | None:
    """The rescaled ridge solution (XᵀX + λ diag(XᵀX))⁻¹Xᵀy, what SGD with torch.nn.Dropout(1 - p) is
    claimed to reach, zeroes the exact expected gradient of the inverted-dropout objective
    E_R ||y - (R⊙X)w/p||² (X without zero columns)."""
    X, y, p = problem.X, problem.y, Fraction(problem.keep_probability)
    if any(all(v == 0 for v in X[:, j]) for j in range(X.shape[1])):
        return None
    w = closed.rescaled_ridge_solution(X, y, p)
    grad = oracle.expected_gradient(X, y, w, p, scale=1 / p)
    return None if all(g == 0 for g in grad) else f"expected gradient at the ridge solution is {list(map(str, grad))}"


def enumerations_agree(problem: RegressionProblem) -> str | None:
    """The owner's exact enumeration (numerics.dropout_enumeration) equals this package's oracle for the
    expected squared residual and the expected gradient."""
    X, y, w, p = problem.X, problem.y, problem.w, problem.keep_probability
    mine, theirs = oracle.expected_squared_residual(X, y, w, p), dropout_enumeration.expected_squared_residual(X, y, w, p)
    if mine != theirs:
        return f"expected squared residual: oracle {mine}, dropout_enumeration {theirs}"
    g_mine, g_theirs = oracle.expected_gradient(X, y, w, p), dropout_enumeration.expected_gradient(X, y, w, p)
    if any(a != b for a, b in zip(g_mine, g_theirs)):
        return f"expected gradient: oracle {list(map(str, g_mine))}, dropout_enumeration {list(map(str, g_theirs))}"
    return None


def torch_dropout_is_inverted(case: tuple[RegressionProblem, int]) -> str | None:
    """torch.nn.functional.dropout(X, 1 - p) (float64) returns R ⊙ X / p for a 0/1 mask R: each
    entry is 0 or X_ij / p (to 4 ulps), so the enumeration above is what torch computes."""
    import torch

    problem, seed = case
    X, p = problem.X, float(problem.keep_probability)
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        out = torch.nn.functional.dropout(torch.as_tensor(X, dtype=torch.float64), p=1 - p, training=True).numpy()
    finally:
        torch.random.set_rng_state(state)
    scaled = X / p
    ok = (out == 0) | (np.abs(out - scaled) <= 4 * np.finfo(float).eps * np.abs(scaled))
    if not np.all(ok):
        i, j = np.argwhere(~ok)[0]
        return f"entry ({i},{j}): dropout gave {out[i, j]!r}, expected 0 or X/p = {scaled[i, j]!r}"
    return None


def dropout_properties() -> list[tuple[str, str, str, Any, Any, float]]:
    """(name, claim, statement, strategy factory, check, examples weight) of every dropout property."""
    from hypothesis import strategies as st

    return [
        ("dropout.identity/exact-enumeration", "dropout.identity", identity_exact.__doc__, exact_problems, identity_exact, 1.0),
        ("dropout.identity/float-enumeration", "dropout.identity", identity_float.__doc__, float_problems, identity_float, 1.0),
        ("dropout.rescaled-ridge/exact-enumeration", "dropout.rescaled-ridge", rescaled_ridge_exact.__doc__,
         exact_problems, rescaled_ridge_exact, 1.0),
        ("dropout.minimizer/stationary-and-convex", "dropout.minimizer", minimizer_exact.__doc__,
         nonzero_column_problems, minimizer_exact, 1.0),
        ("dropout.identity/enumerations-agree", "dropout.identity", enumerations_agree.__doc__,
         exact_problems, enumerations_agree, 1.0),
        ("dropout.torch-inverted/exact-expected-gradient", "dropout.torch-inverted", torch_inverted_exact.__doc__,
         exact_problems, torch_inverted_exact, 1.0),
        ("dropout.torch-inverted/ridge-solution-is-stationary", "dropout.torch-inverted",
         ridge_solution_is_stationary.__doc__, nonzero_column_problems, ridge_solution_is_stationary, 1.0),
        ("dropout.torch-inverted/torch-dropout-is-inverted", "dropout.torch-inverted", torch_dropout_is_inverted.__doc__,
         lambda: st.tuples(float_problems(), st.integers(0, 2**31 - 1)), torch_dropout_is_inverted, 1.0),
    ]
