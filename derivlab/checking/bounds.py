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
    Add, Const, DiagOf, DiagPart, Divide, Entry, Expectation, Expr, Gradient, Hadamard, Identity, Indicator, MatMul, Named,
    Neg, Norm, Ones, Power, Scale, Slice, Sum, Trace, Transpose, Var, dispatch,
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
        out = dispatch(DEGREE, e, "degree bound")(e, go, size)
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


def _sum_degree(e, go) -> Degree:
    (na, da), (nb, db) = go(e.left), go(e.right)
    return (max(na + db, nb + da), da + db)


def _product_degree(e, go) -> Degree:
    (na, da), (nb, db) = go(e.left), go(e.right)
    return (na + nb, da + db)


def _divide_degree(e, go) -> Degree:
    (na, da), (nb, db) = go(e.left), go(e.right)
    return (na + db, da + nb)


def _index_sum_degree(body: Degree, terms: int) -> Degree:
    """Σ of ``terms`` terms N_t/Q_t: one common denominator when Q does not vary, else their product."""
    n, d = body
    return (n, 0) if d == 0 else (n + (terms - 1) * d, terms * d)


def _same(e, go, size) -> Degree:
    """Entries, slices, sums (of terms with one denominator), transposes ...: the degree of the child."""
    return go(e.children()[0])


DEGREE = {
    Var: lambda e, go, size: (1, 0),
    Const: lambda e, go, size: (0, 0),
    Ones: lambda e, go, size: (0, 0),
    Identity: lambda e, go, size: (0, 0),
    Indicator: lambda e, go, size: (0, 0),
    Named: _same, Neg: _same, Transpose: _same, DiagPart: _same, DiagOf: _same, Trace: _same, Expectation: _same,
    Gradient: _same,  # a derivative of a polynomial in w (its denominators are free of w): no higher degree
    Entry: _same, Slice: _same,
    Sum: lambda e, go, size: _index_sum_degree(go(e.body), size(e.dim)),
    # √(N/Q²·…): one new radical per entry, degree at most that of the argument
    Norm: _same,
    Add: lambda e, go, size: _sum_degree(e, go),
    MatMul: lambda e, go, size: _product_degree(e, go),
    Scale: lambda e, go, size: _product_degree(e, go),
    Hadamard: lambda e, go, size: _product_degree(e, go),
    Divide: lambda e, go, size: _divide_degree(e, go),
    Power: lambda e, go, size: _power_degree(e, go(e.base), size),
}


def difference_degree(lhs: Degree, rhs: Degree) -> int:
    """Degree of N_L Q_R − N_R Q_L, the numerator of lhs − rhs."""
    return max(lhs[0] + rhs[1], rhs[0] + lhs[1], 1)


def failure_bound(diff_degree: int, radical_primes: int, atom_probability: float) -> float:
    """Probability that one random point misses a nonzero difference (≤ 1)."""
    return min(1.0, diff_degree * (2 ** radical_primes) * atom_probability)
