"""Properties of the noise claims, each against an oracle sharing no code with the proofs or numerics.

* exact three-point oracle: N_ij takes −2s, 0, 2s with probabilities 1/8, 3/4, 1/8 (mean 0, variance
  s², NOT the two-point law the confirmation uses); every one of the 3^{nd} noise matrices is
  enumerated in Fraction arithmetic. The closed form must match exactly, because the objective is of
  degree 2 in the noise and only the first two moments enter.
* Gaussian moments against Stein's recursion E[Z^k] = μE[Z^{k−1}] + (k − 1)v E[Z^{k−2}] for Z ~ N(μ, v).
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from derivlab.derivations.moments import Normal
from derivlab.derivations.noise.variants import ADDITIVE_ID, CORRECT, DROPOUT_ID
from derivlab.testing._strategies_dropout import regression_problems

LAW = ((Fraction(-2), Fraction(1, 8)), (Fraction(0), Fraction(3, 4)), (Fraction(2), Fraction(1, 8)))  # × s
MAX_ENTRIES = 4  # 3^4 = 81 noise matrices


def three_point_expectation(X: Any, y: Any, w: Any, s: Fraction, multiplicative: bool) -> Fraction:
    """E‖y − X̃w‖² over every noise matrix of the three-point law (whole matrices, no row trick)."""
    n, d = len(X), len(X[0])
    total = Fraction(0)
    for draw in itertools.product(LAW, repeat=n * d):
        prob = Fraction(1)
        for _, q in draw:
            prob *= q
        value = Fraction(0)
        for i in range(n):
            row = Fraction(y[i])
            for j in range(d):
                e = draw[i * d + j][0] * s
                row -= (X[i][j] * (1 + e) if multiplicative else X[i][j] + e) * w[j]
            value += row * row
        total += prob * value
    return total


def _strategy() -> Any:
    from hypothesis import strategies as st

    scale = st.fractions(min_value=Fraction(1, 10), max_value=3, max_denominator=12).filter(lambda s: s > 0)
    return st.tuples(regression_problems("rational", max_n=2, max_d=2, max_entries=MAX_ENTRIES), scale)


def additive_exact(example: Any) -> str | None:
    """E_N‖y − (X + N)w‖² = ‖y − Xw‖² + nσ²‖w‖² exactly, for a mean-0, variance-σ² three-point law."""
    problem, s = example
    lhs = three_point_expectation(problem.X, problem.y, problem.w, s, False)
    rhs = CORRECT[ADDITIVE_ID].value(problem.X, problem.y, problem.w, s)
    return None if lhs == rhs else f"enumeration {lhs} != closed form {rhs}"


def dropout_exact(example: Any) -> str | None:
    """E_N‖y − (X ⊙ (1 + N))w‖² = ‖y − Xw‖² + α‖Γw‖² exactly, α = s², for the three-point law."""
    problem, s = example
    lhs = three_point_expectation(problem.X, problem.y, problem.w, s, True)
    rhs = CORRECT[DROPOUT_ID].value(problem.X, problem.y, problem.w, s * s)
    return None if lhs == rhs else f"enumeration {lhs} != closed form {rhs}"


def _moment_strategy() -> Any:
    from hypothesis import strategies as st

    q = st.fractions(min_value=-5, max_value=5, max_denominator=9)
    return st.tuples(q, q.map(abs).filter(lambda v: v > 0), st.integers(0, 9))


def normal_moments(example: Any) -> str | None:
    """Normal(μ, v).moment(k) (Isserlis count) equals Stein's recursion for every k ≤ 9."""
    mu, var, k = example
    stein = [Fraction(1), Fraction(mu)]
    for m in range(2, k + 1):
        stein.append(mu * stein[m - 1] + (m - 1) * var * stein[m - 2])
    from derivlab.derivations.proof import as_sympy

    got = Normal(as_sympy(mu), as_sympy(var)).moment(k)
    return None if got == as_sympy(stein[k]) else f"moment {k}: {got} != Stein {stein[k]}"


def properties() -> list[tuple[str, str, str, Any, Any, float]]:
    return [
        ("noise.additive-gaussian/exact-three-point", ADDITIVE_ID, additive_exact.__doc__, _strategy,
         additive_exact, 0.5),
        ("noise.gaussian-dropout/exact-three-point", DROPOUT_ID, dropout_exact.__doc__, _strategy,
         dropout_exact, 0.5),
        ("noise.additive-gaussian/normal-moments-stein", ADDITIVE_ID, normal_moments.__doc__, _moment_strategy,
         normal_moments, 1.0),
    ]
