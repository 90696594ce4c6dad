"""The noise models' exact moments, layouts, and the index normal form with Gaussian moments."""

from fractions import Fraction

import pytest
import sympy as sp

from derivlab.derivations.moments import (
    Bernoulli, ColumnBernoulli, NoiseSpec, Normal, Rademacher, UniformPair, isserlis_expectation,
    moment_from_mgf, normal_mgf,
)

mu, v, p = sp.symbols("mu v p", positive=True)
i, j, k, l = sp.symbols("i j k l", integer=True)


def test_normal_moments_by_isserlis_match_the_mgf():
    model = Normal(mu, v)
    for m in range(8):
        assert sp.expand(model.moment(m) - moment_from_mgf(normal_mgf(mu, v), m)) == 0
    assert Normal(0, v).moment(4) == 3 * v**2 and Normal(0, v).moment(5) == 0
    assert sp.expand(model.variance()) == v


def test_discrete_models():
    assert [Rademacher().moment(m) for m in range(5)] == [1, 0, 1, 0, 1]
    u = UniformPair(sp.Integer(1), sp.Integer(3))
    assert u.moment(1) == 2 and u.moment(2) == 5 and u.variance() == 1
    assert Bernoulli(p).moment(3) == p and Bernoulli(p).variance() == sp.expand(p - p**2)
    q = sp.IndexedBase("q")
    assert ColumnBernoulli(q).moment(2, j) == q[j]
    with pytest.raises(ValueError):
        ColumnBernoulli(q).moment(1)


def test_second_moments_follow_the_layout():
    model = Normal(0, v)
    a, b = (i, j), (k, l)
    entries = NoiseSpec(model, "entries").indexed_monomial_expectation([a, b])
    rows = NoiseSpec(model, "rows").indexed_monomial_expectation([a, b])
    cols = NoiseSpec(model, "columns").indexed_monomial_expectation([a, b])
    at = lambda e, vals: e.subs(dict(zip((i, j, k, l), vals)))  # noqa: E731
    assert at(entries, (1, 1, 1, 1)) == v and at(entries, (1, 1, 1, 2)) == 0
    assert at(rows, (1, 1, 1, 2)) == v and at(rows, (1, 1, 2, 1)) == 0
    assert at(cols, (1, 1, 2, 1)) == v and at(cols, (1, 1, 1, 2)) == 0
    with pytest.raises(ValueError):
        NoiseSpec(model, "diagonal")


def test_set_partition_rule_equals_isserlis_for_four_gaussian_entries():
    spec = NoiseSpec(Normal(0, v))
    entries = [(i, j), (k, l), (sp.Symbol("a", integer=True), sp.Symbol("b", integer=True)),
               (sp.Symbol("c", integer=True), sp.Symbol("e", integer=True))]
    rule = spec.indexed_monomial_expectation(entries)
    theorem = isserlis_expectation(entries, spec.covariance)
    syms = [s for e in entries for s in e]
    for values in ((1,) * 8, (1, 1, 1, 1, 2, 2, 2, 2), (1, 1, 2, 2, 1, 1, 2, 2), (1, 1, 2, 2, 3, 3, 4, 4)):
        sub = dict(zip(syms, values))
        assert sp.expand(rule.subs(sub) - theorem.subs(sub)) == 0
    assert sp.expand(rule.subs(dict(zip(syms, (1,) * 8)))) == 3 * v**2


def test_concrete_expectation_per_row_shares_one_variable():
    spec = NoiseSpec(Rademacher(), "rows")
    Z = spec.variables((2, 2))
    assert Z[0][0] is Z[0][1] and Z[0][0] != Z[1][0]
    assert spec.expect_polynomial(Z[0][0] * Z[0][1], Z) == 1  # the same ±1 twice
    assert NoiseSpec(Rademacher()).expect_polynomial(sp.Symbol("z_1_1") * sp.Symbol("z_1_2"),
                                                     NoiseSpec(Rademacher()).variables((1, 2))) == 0


def test_column_bernoulli_expectation_uses_each_columns_probability():
    spec = NoiseSpec(ColumnBernoulli([Fraction(1, 3), Fraction(1, 4)]), "entries")
    Z = spec.variables((2, 2))
    assert spec.expect_polynomial(Z[0][0] * Z[1][1] ** 2, Z) == sp.Rational(1, 12)


def test_index_normal_form_with_a_keep_probability_per_column():
    """E[((R⊙X)ᵀ(R⊙X))_jl] = Σ_i X_ij X_il (p_j p_l + δ_jl p_j (1 − p_j)) for every n, d, R_ij ~ Bernoulli(p_j)."""
    from derivlab.derivations.index_form import IndexRules, equal_for_all_sizes
    from derivlab.derivations.notation import MaskMean

    n, d = sp.symbols("n d", integer=True, positive=True)
    q = sp.IndexedBase("q")
    R, X = sp.IndexedBase("R"), sp.IndexedBase("X")
    rules = IndexRules(mask="R", keep_probability=None, noise=NoiseSpec(ColumnBernoulli(q)),
                       free_ranges={j: (1, d), l: (1, d)})
    lhs = MaskMean(sp.Sum(R[i, j] * X[i, j] * R[i, l] * X[i, l], (i, 1, n)))
    right = sp.Sum(X[i, j] * X[i, l] * (q[j] * q[l] + sp.KroneckerDelta(j, l) * q[j] * (1 - q[j])), (i, 1, n))
    iid = sp.Sum(X[i, j] * X[i, l] * (q[j] * q[l]), (i, 1, n))
    assert equal_for_all_sizes(lhs, right, rules)
    assert not equal_for_all_sizes(lhs, iid, rules)


def test_index_normal_form_with_one_gaussian_per_row():
    """Z_ij = z_i ~ N(0, v): E[(ZᵀZ)_jl] = n v for every j, l (not n v δ_jl as for i.i.d. entries)."""
    from derivlab.derivations.index_form import IndexRules, equal_for_all_sizes
    from derivlab.derivations.notation import MaskMean

    n, d = sp.symbols("n d", integer=True, positive=True)
    Z = sp.IndexedBase("Z")
    lhs = MaskMean(sp.Sum(Z[i, j] * Z[i, l], (i, 1, n)))
    rows = IndexRules(mask="Z", keep_probability=None, noise=NoiseSpec(Normal(0, v), "rows"),
                      free_ranges={j: (1, d), l: (1, d)})
    entries = IndexRules(mask="Z", keep_probability=None, noise=NoiseSpec(Normal(0, v)),
                         free_ranges={j: (1, d), l: (1, d)})
    assert equal_for_all_sizes(lhs, n * v, rows)
    assert equal_for_all_sizes(lhs, n * v * sp.KroneckerDelta(j, l), entries)
    assert not equal_for_all_sizes(lhs, n * v * sp.KroneckerDelta(j, l), rows)
