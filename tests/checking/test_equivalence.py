"""Deciding one step: exact randomized identity testing and shrinking."""

import pytest

from derivlab.checking import limits
from derivlab.checking.context import load_context
from derivlab.checking.equivalence import decide, size_assignments
from derivlab.checking.failures import IllTyped
from derivlab.checking.parse import parse_expression

SCOPE = load_context("dropout")


def judge(lhs, rhs, seed=0):
    return decide(parse_expression(lhs, SCOPE), parse_expression(rhs, SCOPE), SCOPE, seed=seed,
                  deadline=limits.Deadline(20))


def test_sizes_include_all_ones_and_distinct_sizes_both_ways():
    assert size_assignments(("n", "d")) == [{"n": 1, "d": 1}, {"n": 2, "d": 3}, {"n": 3, "d": 2}]


def test_the_dropout_identity_is_valid_with_a_stated_error_bound():
    out = judge(r"\mathbb{E}_R \|y - (R\odot X)w\|^2", r"\|y - pXw\|^2 + p(1-p)\|\Gamma w\|^2")
    assert out.verdict == "valid"
    assert 0 < out.error_probability < 1e-6
    assert "error probability" in out.message


def test_a_wrong_identity_gets_a_counterexample_at_the_smallest_size():
    out = judge(r"\mathbb{E}_R \|y - (R\odot X)w\|^2", r"\|y - pXw\|^2 + p^2\|\Gamma w\|^2")
    assert out.verdict == "invalid"
    assert out.counterexample["sizes"] == {"n": 1, "d": 1}
    assert out.counterexample["values"]["p"] in ("1/2", "1/3", "2/3", "1/4", "3/4")


def test_a_difference_that_needs_two_columns_is_found():
    # true only when d = 1: the off-diagonal part of XᵀX
    out = judge(r"p(1-p) w^\top \operatorname{diag}(X^\top X) w", r"p(1-p) w^\top X^\top X w")
    assert out.verdict == "invalid" and out.counterexample["sizes"]["d"] == 2


def test_masks_outside_expectations_are_decided_exactly():
    assert judge(r"R \odot R", "R").verdict == "valid"          # R_ij ∈ {0, 1}
    assert judge(r"R \odot R \odot X", r"R \odot X").verdict == "valid"
    out = judge(r"2 R \odot X", r"R \odot X")
    assert out.verdict == "invalid" and "masks" in out.counterexample


def test_symbolic_shapes_n_and_d_are_different():
    with pytest.raises(IllTyped, match="different shapes"):
        judge("X^T y", "y")


def test_division_and_square_roots_are_exact():
    assert judge(r"\|\Gamma_{new} w\|^2", r"\frac{1-p}{p} w^\top \operatorname{diag}(X^\top X) w").verdict == "valid"
    assert judge(r"\sqrt{\lambda}\sqrt{\lambda}", r"\lambda").verdict == "valid"
    assert judge(r"\frac{1}{\sqrt{\lambda}}", r"\frac{\sqrt{\lambda}}{\lambda}").verdict == "valid"


def test_a_non_polynomial_integrand_falls_back_to_enumerating_masks():
    # E‖(R⊙X)w‖ (not squared) is not polynomial in the mask; both sides equal by reflexivity
    # and differ from the root of the mean square (Jensen)
    out = judge(r"\mathbb{E}_R \|(R\odot X) w\|", r"\sqrt{\mathbb{E}_R \|(R\odot X) w\|^2}")
    assert out.verdict == "invalid"


def test_the_same_seed_gives_the_same_counterexample():
    a = judge("p X^T y", "p^2 X^T y", seed=3).counterexample
    b = judge("p X^T y", "p^2 X^T y", seed=3).counterexample
    assert a == b


def test_sympy_confirmation_accepts_a_true_step_and_rejects_a_false_one():
    from derivlab.checking.symbolic import confirm

    lhs = parse_expression(r"\mathbb{E}_R \|y - (R\odot X)w\|^2", SCOPE)
    good = parse_expression(r"\|y - pXw\|^2 + p(1-p)\|\Gamma w\|^2", SCOPE)
    bad = parse_expression(r"\|y - pXw\|^2 + p(1-p)\|X w\|^2", SCOPE)
    assert confirm(lhs, good, SCOPE, {"n": 2, "d": 2})
    assert not confirm(lhs, bad, SCOPE, {"n": 2, "d": 2})
