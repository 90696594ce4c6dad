"""The index normal form decides equalities for every n, d, and never accepts a wrong one."""

import sympy as sp

from derivlab.derivations.dropout_symbols import Gamma, X, gram, gram_diagonal, index_rules, masked_inputs, p, w, y
from derivlab.derivations.index_form import equal_for_all_sizes, normal_form
from derivlab.derivations.notation import Mean, SquaredNorm, add, mul, sub, transpose

RULES = index_rules()
OBJECTIVE = Mean(SquaredNorm(sub(y, mul(masked_inputs, w))))


def test_the_identity_holds_for_every_size():
    rhs = add(SquaredNorm(sub(y, mul(p, X, w))), mul(p * (1 - p), SquaredNorm(mul(Gamma, w))))
    assert equal_for_all_sizes(OBJECTIVE, rhs, RULES)


def test_p_squared_in_place_of_p_one_minus_p_is_rejected():
    wrong = add(SquaredNorm(sub(y, mul(p, X, w))), mul(p**2, SquaredNorm(mul(Gamma, w))))
    assert not equal_for_all_sizes(OBJECTIVE, wrong, RULES)


def test_gram_in_place_of_its_diagonal_is_rejected():
    wrong = add(SquaredNorm(sub(y, mul(p, X, w))), mul(p * (1 - p), w.T, gram, w))
    assert not equal_for_all_sizes(OBJECTIVE, wrong, RULES)


def test_the_gram_lemma_holds_as_whole_matrices():
    lhs = Mean(mul(transpose(masked_inputs), masked_inputs))
    assert equal_for_all_sizes(lhs, add(mul(p**2, gram), mul(p * (1 - p), gram_diagonal)), RULES)


def test_the_gram_lemma_without_the_variance_term_is_rejected():
    lhs = Mean(mul(transpose(masked_inputs), masked_inputs))
    assert not equal_for_all_sizes(lhs, mul(p**2, gram), RULES)


def test_a_scalar_equals_its_transpose():
    assert equal_for_all_sizes(y.T * X * w, w.T * X.T * y, RULES)


def test_a_free_summation_index_counts_the_range():
    i = sp.Symbol("i", integer=True)
    n = X.shape[0]
    form = normal_form(sp.Sum(p, (i, 1, n)), RULES)
    assert list(form.values()) == [n * p]


def test_kronecker_delta_contracts_inside_a_sum():
    i, j = sp.symbols("i j", integer=True)
    a = sp.IndexedBase("a")
    rules = index_rules(j=(1, X.shape[0]))
    assert equal_for_all_sizes(sp.Sum(sp.KroneckerDelta(i, j) * a[i], (i, 1, X.shape[0])), a[j], rules)
