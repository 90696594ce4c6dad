"""How sure a passed random test is: degree bounds for the Schwartz–Zippel lemma.

Every entry of a side is N/Q with N, Q polynomials in the variables' entries and
ONE common denominator Q per matrix; ``degree`` bounds (deg N, deg Q). A step
whose difference N_L Q_R − N_R Q_L is not identically zero vanishes at a random
point with probability ≤ deg · π, where π bounds the probability of any single
sampled value of one coordinate (Schwartz–Zippel for non-uniform sampling).
Square roots (Γ = diag(XᵀX)^{1/2}, √λ) are handled by the norm over the field
they generate: the bound is multiplied by 2^r, r the number of independent
square roots of constants met at that point (that field has degree ≤ 2^r over Q).
Square roots of variable quantities are sign-tested by ``equivalence.decide``: a
step even in each of them is a polynomial identity (so at n = 1, Γ = |X| costs
nothing), and a step that depends on their sign is never called valid.
"""

from __future__ import annotations

from typing import Any

from derivlab.checking import limits
from derivlab.checking.expr import (
    Add, Const, DiagOf, DiagPart, Divide, Expectation, Expr, Hadamard, Identity, MatMul, Named, Neg, Norm, Ones,
    Power, Scale, Trace, Transpose, Var,
)
from derivlab.checking.failures import Undecided

Degree = tuple[int, int]  # (numerator, common denominator)


def degree(expr: Expr, sizes: dict[str, int]) -> Degree:
    """(deg N, deg Q) of the entries of ``expr`` at the given sizes (random entries count 1)."""
    memo: dict[int, Degree] = {}

    def size(dim: Any) -> int:
        return 1 if dim == 1 else sizes[dim]

    def go(e: Expr) -> Degree:
        key = id(e)
        if key in memo:
            return memo[key]
        if isinstance(e, Var):
            out = (1, 0)
        elif isinstance(e, (Const, Ones, Identity)):
            out = (0, 0)
        elif isinstance(e, (Named,)):
            out = go(e.body)
        elif isinstance(e, (Neg, Transpose, DiagPart, DiagOf, Trace)):
            out = go(e.arg)
        elif isinstance(e, Expectation):
            out = go(e.body)
        elif isinstance(e, Add):
            (na, da), (nb, db) = go(e.left), go(e.right)
            out = (max(na + db, nb + da), da + db)
        elif isinstance(e, (MatMul, Scale, Hadamard)):
            (na, da), (nb, db) = go(e.left), go(e.right)
            out = (na + nb, da + db)
        elif isinstance(e, Divide):
            (na, da), (nb, db) = go(e.left), go(e.right)
            out = (na + db, da + nb)
        elif isinstance(e, Norm):
            n, d = go(e.arg)
            out = (n, d)  # √(N/Q²·…): one new radical per entry, degree at most that of the argument
        elif isinstance(e, Power):
            out = _power_degree(e, go(e.base), size)
        else:  # pragma: no cover
            raise Undecided(f"no degree bound for {type(e).__name__}")
        if max(out) > limits.MAX_DEGREE:
            raise Undecided(f"the expression has degree above {limits.MAX_DEGREE}")
        memo[key] = out
        return out

    return go(expr)


def _power_degree(e: Power, base: Degree, size: Any) -> Degree:
    n, d = base
    k = e.exponent
    if isinstance(e.base, Norm) and k.denominator == 1 and k % 2 == 0:
        return (int(k) * n, int(k) * d)
    steps = abs(k.numerator)  # a half power contributes a radical of the same degree as the base
    if not e.base.is_scalar and k.denominator == 1 and k < 0:
        m = size(e.base.shape[0])
        inverse = (d + (m - 1) * n, m * n)  # adj(N)·Q / det(N)
        return (steps * inverse[0], steps * inverse[1])
    if k < 0:
        return (steps * d, steps * n)
    return (steps * n, steps * d)


def difference_degree(lhs: Degree, rhs: Degree) -> int:
    """Degree of N_L Q_R − N_R Q_L, the numerator of lhs − rhs."""
    return max(lhs[0] + rhs[1], rhs[0] + lhs[1], 1)


def failure_bound(diff_degree: int, radical_primes: int, atom_probability: float) -> float:
    """Probability that one random point misses a nonzero difference (≤ 1)."""
    return min(1.0, diff_degree * (2 ** radical_primes) * atom_probability)
