"""The known-mistake catalogue: each planted mistake is named, a plain difference is not."""

import pytest

from derivlab.checking import limits
from derivlab.checking.context import load_context
from derivlab.checking.hints import find_hint
from derivlab.checking.parse import parse_expression

SCOPE = load_context("dropout")
LHS = r"y^\top y - 2p\, w^\top X^\top y + w^\top \mathbb{E}_R[(R\odot X)^\top (R\odot X)] w"


def hint(lhs, rhs):
    return find_hint(parse_expression(lhs, SCOPE), parse_expression(rhs, SCOPE), SCOPE, limits.Deadline(10))


@pytest.mark.parametrize("rhs,words", [
    (r"\|y - pXw\|^2", "E[R_ij²] = p, not p²"),
    (r"\|y - pXw\|^2 + p(1-p) w^\top X^\top X w", "diag was dropped"),
    (r"\|y - Xw\|^2 + p(1-p)\|\Gamma w\|^2", "factor p is missing"),
    (r"y^\top y - 2p\, w^\top X^\top y + w^\top (R\odot X)^\top (R\odot X) w", "expectation was dropped"),
    (r"y^\top y + 2p\, w^\top X^\top y + p^2 w^\top X^\top X w + p(1-p) \|\Gamma w\|^2", "Sign error"),
    (r"y^\top y - p\, w^\top X^\top y + p^2 w^\top X^\top X w + p(1-p) \|\Gamma w\|^2", "factor 2"),
    (r"\|y - pXw\|^2 + p^2\|\Gamma w\|^2", "p(1−p)"),
])
def test_each_known_mistake_is_named(rhs, words):
    found = hint(LHS, rhs)
    assert found and words in found


def test_lambda_instead_of_its_root_inside_the_norm():
    assert "√λ" in hint(r"\lambda \|\Gamma w\|^2", r"\|\lambda \Gamma w\|^2")


def test_inverted_lambda():
    assert "not p/(1−p)" in hint(r"\frac{1-p}{p}\|\Gamma w\|^2", r"\frac{p}{1-p}\|\Gamma w\|^2")


def test_an_unrelated_difference_gets_no_hint():
    assert hint(LHS, r"y^\top y + 7") is None
