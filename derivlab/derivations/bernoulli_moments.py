"""Moment rules for Bernoulli keep masks, shared by the proofs and the student checker.

R_ij ~ Bernoulli(p) i.i.d., p the KEEP probability. Since R_ij ∈ {0, 1},
R_ij^k = R_ij for k ≥ 1, so E[R_ij^k] = p; by independence the expectation of
a monomial in distinct entries is the product of their moments:

    E[∏ R_ij^{k_ij}] = p^{#{(i, j) : k_ij ≥ 1}}.

Every expectation of a polynomial in mask entries follows by linearity.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import sympy as sp


def bernoulli_moment(k: int, p: Any) -> Any:
    """E[R^k] for R ~ Bernoulli(p): 1 for k = 0 and p for every k ≥ 1."""
    if k < 0:
        raise ValueError("moments are defined for k >= 0")
    return sp.Integer(1) if k == 0 else p


def monomial_expectation(exponents: Iterable[int], p: Any) -> Any:
    """E[∏_m R_m^{k_m}] for independent Bernoulli(p) entries: p to the number of k_m ≥ 1."""
    return p ** sum(1 for k in exponents if k > 0)


def expect_polynomial(expr: Any, mask_symbols: Sequence[sp.Symbol], p: Any) -> Any:
    """E_R[expr] for ``expr`` polynomial in the independent Bernoulli(p) ``mask_symbols``.

    Exact: expands ``expr`` as a polynomial in the mask entries (coefficients
    may be any SymPy expressions free of the mask) and applies the monomial
    rule term by term.
    """
    if not mask_symbols:
        return expr
    poly = sp.Poly(sp.expand(expr), *mask_symbols)
    total = sp.Integer(0)
    for monom, coeff in poly.terms():
        total += coeff * monomial_expectation(monom, p)
    return total


def second_moment(same_entry: bool, p: Any) -> Any:
    """E[R_ij R_kl]: p when (i, j) = (k, l) (idempotence), p² otherwise (independence)."""
    return p if same_entry else p**2


def second_moment_indexed(i: Any, j: Any, k: Any, l: Any, p: Any) -> Any:
    """E[R_ij R_kl] = p² + p(1 − p) δ_ik δ_jl, with symbolic indices (Kronecker deltas)."""
    return p**2 + p * (1 - p) * sp.KroneckerDelta(i, k) * sp.KroneckerDelta(j, l)
