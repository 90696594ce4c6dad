"""Entry-wise semantics: entries, sums, deltas, Var/Cov, cases, side conditions, index ranges."""

import pytest

from derivlab.checking.context import load_context
from derivlab.checking.derivation import check_derivation_text
from derivlab.checking.expr import Condition
from derivlab.checking.failures import IllTyped, Unparsed
from derivlab.checking.indices import parse_condition, split_condition
from derivlab.checking.parse import parse_expression

SCOPE = load_context("dropout")


def step(latex: str):
    report = check_derivation_text(latex)
    assert len(report.steps) == 1, report.steps
    return report.steps[0]


def test_a_free_index_step_is_checked_at_every_index_value():
    assert step(r"\[ (X^\top X)_{jk} = \sum_{i=1}^{n} X_{ij} X_{ik} \]").verdict == "valid"
    assert step(r"\[ (X^\top X)_{jk} = \sum_{i=1}^{n} X_{ij} X_{ij} \]").verdict == "invalid"


def test_a_side_condition_restricts_the_claim():
    assert step(r"\[ \mathbb{E}[R_{ij} R_{ik}] = p^2 \quad (j \neq k) \]").verdict == "valid"
    assert step(r"\[ \mathbb{E}[R_{ij} R_{ik}] = p^2 \]").verdict == "invalid"


def test_the_course_entry_of_the_mean():
    assert step(r"\[ (\mathbb{E}[R \odot X])_{ij} = p X_{ij} \]").verdict == "valid"
    bad = step(r"\[ (\mathbb{E}[R \odot X])_{ij} = X_{ij} \]")
    assert bad.verdict == "invalid" and "indices" in bad.counterexample


def test_delta_cases_and_indicators_agree():
    for rhs in (r"p^2 + p(1-p)\delta_{jk}", r"\begin{cases} p^2 & j \neq k \\ p & \text{otherwise} \end{cases}",
                r"p^2 [j \neq k] + p\,\mathbb{1}\{j = k\}"):
        assert step(rf"\[ \mathbb{{E}}[R_{{ij}} R_{{ik}}] = {rhs} \]").verdict == "valid", rhs


def test_variance_and_covariance_are_their_definitions():
    assert step(r"\[ \operatorname{Var}(R_{ij}) = p(1-p) \]").verdict == "valid"
    assert step(r"\[ \operatorname{Cov}(R_{ij}, R_{ik}) = p(1-p)\delta_{jk} \]").verdict == "valid"
    assert step(r"\[ \operatorname{Var}\Big(\sum_{j=1}^{d} R_{ij} X_{ij} w_j\Big) = p(1-p)(x_i^\top w)^2 \]").verdict \
        == "invalid"  # a row taken as one coin


def test_rows_and_columns():
    assert step(r"\[ \sum_{i=1}^{n} (y_i - x_i^\top w)^2 = \|y - Xw\|^2 \]").verdict == "valid"
    assert step(r"\[ \|X_{:,j}\|^2 = (X^\top X)_{jj} \]").verdict == "valid"


def test_an_index_with_two_ranges_is_ill_typed_with_a_sentence():
    s = step(r"\[ (X X^\top)_{jj} w_j = X_{jj} \]")
    assert s.verdict == "ill-typed" and "index j runs over" in s.message


def test_sum_bounds_that_contradict_the_shape_are_ill_typed():
    with pytest.raises(IllTyped, match="runs to d"):
        parse_expression(r"\sum_{i=1}^{d} y_i", SCOPE)


def test_a_sum_whose_index_has_no_range_is_ill_typed():
    with pytest.raises(IllTyped, match="range of the index i"):
        parse_expression(r"\sum_i p", SCOPE)


@pytest.mark.parametrize("text,name", [(r"\|\mathbf{w}_{\text{old}}\|^2", "\\mathbf{w}_{\\text{old}}"),
                                       (r"\|w_{old}\|^2", "w_{old}"), (r"X_{new}", "X_{new}"), (r"y_{ij}", None)])
def test_an_unknown_subscripted_name_is_an_error_naming_it(text, name):
    with pytest.raises((Unparsed, IllTyped)) as err:
        parse_expression(text, SCOPE)
    if name:
        assert f"unknown symbol '{name}'" in err.value.message


def test_standard_unbraced_spellings_are_read():
    assert parse_expression(r"\|w_new\|^2", SCOPE) == parse_expression(r"\|w_{\text{new}}\|^2", SCOPE)
    assert parse_expression(r"\Gamma_new w", SCOPE) == parse_expression(r"\Gamma_{new} w", SCOPE)
    assert parse_expression(r"X^\mathsf{T} y", SCOPE) == parse_expression(r"X^\top y", SCOPE)


@pytest.mark.parametrize("text,relations", [
    (r"(i \neq j)", (("i", "≠", "j"),)), (r"\text{for } j \neq k", (("j", "≠", "k"),)),
    (r"\text{if } i = j", (("i", "=", "j"),)), (r"\forall j", ()), (r"j \ne k, i = l", (("j", "≠", "k"), ("i", "=", "l"))),
])
def test_side_conditions_are_read(text, relations):
    assert parse_condition(text) == Condition(relations)


def test_a_side_is_split_from_its_trailing_condition_keeping_positions():
    body, condition = split_condition(r"p^2 (X^\top X)_{jk} \quad (j \neq k)")
    assert condition == Condition((("j", "≠", "k"),)) and len(body) == len(r"p^2 (X^\top X)_{jk} \quad (j \neq k)")
    assert split_condition(r"p (1-p)") == (r"p (1-p)", None)


def test_a_condition_no_index_value_satisfies_is_unknown_not_valid():
    assert step(r"\[ X_{ij} = 0 \quad (i \neq i) \]").verdict == "unknown"


def test_a_subscript_is_never_dropped_at_the_expression_level():
    from derivlab.checking.equivalence import decide

    lhs = parse_expression(r"\|\mathbf{w}_{\text{new}}\|^2", SCOPE)
    assert decide(lhs, parse_expression(r"\|w\|^2", SCOPE), SCOPE).verdict == "invalid"


def test_a_sum_over_j_not_k_binds_k_only_when_the_step_does_not_use_it():
    assert step(r"\[ (Xw)_i - X_{ik} w_k = \sum_{j \neq k} X_{ij} w_j \]").verdict == "valid"  # k free
    assert step(r"\[ \sum_{j \neq k} w_j w_k = \sum_{j=1}^{d}\sum_{k=1}^{d} w_j w_k - \sum_{j=1}^{d} w_j^2 \]").verdict \
        == "valid"  # both bound
    assert step(r"\[ \sum_{j \neq k} w_j w_k = \sum_{j=1}^{d}\sum_{k=1}^{d} w_j w_k \]").verdict == "invalid"


def test_a_free_floating_index_sum_is_decided_at_several_sizes():
    from derivlab.checking.decisive_sizes import decisive_sizes

    lhs = parse_expression(r"\sum_{i=1}^{n} (y_i^2 + p)", SCOPE)
    sizes = decisive_sizes(lhs, lhs, SCOPE)
    assert len({s["n"] for s in sizes}) >= 2  # Σ_i p = n p: a polynomial in n, tested at consecutive n
    assert step(r"\[ \sum_{i=1}^{n} (y_i^2 + p) = \|y\|^2 + p \]").verdict == "invalid"
