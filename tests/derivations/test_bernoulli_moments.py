"""The moment rules every dropout proof (and the student checker) relies on."""

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.polys.domains import ZZ
from sympy.polys.rings import ring

from derivlab.derivations.bernoulli_moments import (
    bernoulli_pmf,
    expect_polynomial,
    expect_ring_polynomial,
    indexed_monomial_expectation,
    second_moment_indexed,
)

p = sp.Symbol("p")
i, j, k, l, a, b = sp.symbols("i j k l a b", integer=True)


def test_pmf_sums_to_one_and_has_mean_p():
    assert sp.expand(bernoulli_pmf(0, p) + bernoulli_pmf(1, p)) == 1
    assert sp.expand(sum(r * bernoulli_pmf(r, p) for r in (0, 1))) == p


def test_two_factor_rule_equals_the_indexed_second_moment():
    assert sp.expand(indexed_monomial_expectation([(i, j), (k, l)], p) - second_moment_indexed(i, j, k, l, p)) == 0


def test_same_entry_three_times_has_moment_p():
    assert indexed_monomial_expectation([(i, j)] * 3, p) == p


def test_three_distinct_entries_have_moment_p_cubed():
    value = indexed_monomial_expectation([(i, j), (k, l), (a, b)], p)
    distinct = value.subs({i: 1, j: 1, k: 1, l: 2, a: 2, b: 1})
    assert sp.expand(distinct) == p**3


@settings(max_examples=30, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(-3, 3)), min_size=1, max_size=6))
def test_ring_rule_matches_the_expression_rule(terms):
    """E on a ring element's dictionary equals expect_polynomial on the same SymPy expression."""
    R, r0, r1, r2, x, q = ring("r0,r1,r2,x,q", ZZ)
    gens = [r0, r1, r2]
    f = R.zero
    for e0, which, c in terms:
        f += c * gens[which] ** e0 * x
    expected = expect_polynomial(f.as_expr(), sp.symbols("r0 r1 r2"), sp.Symbol("q"))
    assert sp.expand(expect_ring_polynomial(f, [0, 1, 2], 4).as_expr() - expected) == 0
