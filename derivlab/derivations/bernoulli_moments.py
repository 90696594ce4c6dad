"""Moment rules for Bernoulli keep masks, shared by the proofs and the student checker.

R_ij ~ Bernoulli(p) i.i.d., p the KEEP probability. Since R_ij ∈ {0, 1},
R_ij^k = R_ij for k ≥ 1, so E[R_ij^k] = p; by independence the expectation of
a monomial in distinct entries is the product of their moments:

    E[∏ R_ij^{k_ij}] = p^{#{(i, j) : k_ij ≥ 1}}.

Every expectation of a polynomial in mask entries follows by linearity. With a
keep probability per entry (R_ij ~ Bernoulli(p_j), one per column) the same rule
gives E[∏ R_m^{k_m}] = ∏_{m : k_m ≥ 1} p_m.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

import sympy as sp


def monomial_expectation(exponents: Iterable[int], p: Any) -> Any:
    """E[∏_m R_m^{k_m}] for independent Bernoulli entries: p to the number of k_m ≥ 1, or, for ``p`` a
    sequence (one keep probability per entry, aligned with ``exponents``), ∏ p_m over the k_m ≥ 1."""
    if isinstance(p, (list, tuple)):
        return sp.Mul(*[q for k, q in zip(exponents, p, strict=True) if k > 0])
    return p ** sum(1 for k in exponents if k > 0)


def expect_polynomial(expr: Any, mask_symbols: Sequence[sp.Symbol], p: Any) -> Any:
    """E_R[expr] for ``expr`` polynomial in the independent Bernoulli(p) ``mask_symbols``.

    Exact: expands ``expr`` as a polynomial in the mask entries (coefficients
    may be any SymPy expressions free of the mask) and applies the monomial
    rule term by term. ``p`` is one keep probability for every entry, or a
    list/tuple of one per entry of ``mask_symbols`` (a keep probability per column).
    """
    if not mask_symbols:
        return expr
    if isinstance(p, (list, tuple)) and len(p) != len(mask_symbols):
        raise ValueError(f"{len(mask_symbols)} mask entries but {len(p)} keep probabilities")
    poly = sp.Poly(sp.expand(expr), *mask_symbols)
    total = sp.Integer(0)
    for monom, coeff in poly.terms():
        total += coeff * monomial_expectation(monom, p)
    return total


def second_moment_indexed(i: Any, j: Any, k: Any, l: Any, p: Any) -> Any:
    """E[R_ij R_kl] = p² + p(1 − p) δ_ik δ_jl, with symbolic indices (Kronecker deltas)."""
    return p**2 + p * (1 - p) * sp.KroneckerDelta(i, k) * sp.KroneckerDelta(j, l)


def bernoulli_pmf(r: int, p: Any) -> Any:
    """P(R = r) for R ~ Bernoulli(p), r ∈ {0, 1}: p^r (1 − p)^(1 − r)."""
    if r not in (0, 1):
        raise ValueError("a Bernoulli variable takes the values 0 and 1")
    return p**r * (1 - p) ** (1 - r)


def _set_partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in _set_partitions(rest):
        yield [[first], *partition]
        for k in range(len(partition)):
            yield [*partition[:k], [first, *partition[k]], *partition[k + 1:]]


def indexed_monomial_expectation(entries: Sequence[tuple[Any, ...]], p: Any) -> Any:
    """E[∏_m R_{entries[m]}] for mask entries with SYMBOLIC indices (i, j), p the keep probability.

    Sum over the ways the entries can coincide: for a set partition π of the
    factors, the indices are equal within each block (Kronecker deltas) and
    different across blocks (1 − δ), and the moment is p^{|π|}. For two
    factors this is p² + p(1 − p) δ_ik δ_jl (``second_moment_indexed``).
    """
    if not entries:
        return sp.Integer(1)

    def same(a: tuple[Any, ...], b: tuple[Any, ...]) -> Any:
        return sp.Mul(*[sp.KroneckerDelta(s, t) for s, t in zip(a, b)])

    total = sp.Integer(0)
    for partition in _set_partitions(list(range(len(entries)))):
        term = p ** len(partition)
        for block in partition:
            for m in block[1:]:
                term *= same(entries[block[0]], entries[m])
        for a in range(len(partition)):
            for b in range(a + 1, len(partition)):
                term *= 1 - same(entries[partition[a][0]], entries[partition[b][0]])
        total += term
    return total


def expect_ring_polynomial(f: Any, mask_positions: Sequence[int], p_position: int) -> Any:
    """E_R[f] for ``f`` a sympy.polys.rings PolyElement, the masks at ``mask_positions`` of its ring.

    The monomial rule on the polynomial's dictionary: each monomial's mask
    exponents are dropped and p's exponent grows by the number of distinct
    mask entries present. Linear in the number of terms (no re-expansion).
    """
    positions = list(mask_positions)
    out: dict[tuple[int, ...], Any] = {}
    for monom, coeff in f.items():
        exps = list(monom)
        kept = 0
        for k in positions:
            if exps[k]:
                kept += 1
                exps[k] = 0
        exps[p_position] += kept
        key = tuple(exps)
        out[key] = out.get(key, 0) + coeff
    return f.ring.from_dict({m: c for m, c in out.items() if c})
