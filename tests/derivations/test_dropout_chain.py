"""The matrix chain in the student format: verified step by step before it is returned."""

import pytest

from derivlab.derivations.dropout_chain import (
    IDENTITY_STEPS,
    RESCALING_LATEX,
    matrix_derivation_chain,
    substitution_before,
    verify_equal,
)
from derivlab.derivations.dropout_symbols import Gamma, X, masked_inputs, p, w, y
from derivlab.derivations.notation import Mean, SquaredNorm, add, mul, sub


@pytest.fixture(scope="module")
def chain():
    return matrix_derivation_chain()


def test_chain_runs_from_the_objective_to_the_ridge_form(chain):
    assert chain[0].latex == r"\mathbb{E}_R\left[\|y - (R \odot X) \tilde{w}\|_2^2\right]"
    assert chain[IDENTITY_STEPS - 1].latex == r"\|y - p\, X \tilde{w}\|_2^2 + p(1 - p)\, \|\Gamma \tilde{w}\|_2^2"
    assert chain[-1].latex == r"\|y - X w_{new}\|_2^2 + \|\Gamma_{new} w_{new}\|_2^2"


def test_every_step_after_the_first_was_verified_both_ways(chain):
    for step in chain[1:]:
        assert "equal for every n, d" in step.check and "(3,2), (2,3): equal" in step.check


def test_student_format_has_no_sums_or_indices(chain):
    for step in chain:
        assert r"\sum" not in step.latex and "_{i" not in step.latex and "_{j" not in step.latex


def test_the_substitution_row_precedes_the_rescaled_step():
    assert substitution_before(IDENTITY_STEPS) == RESCALING_LATEX
    assert substitution_before(1) is None


def test_the_one_writer_of_dropout_tex_writes_one_align_block(chain):
    from derivlab.reports.derivation_file import dropout_derivation_tex

    tex = dropout_derivation_tex(list(chain))
    assert tex.count("\\begin{align*}") == 1 and tex.count("&=") == len(chain) - 1 and RESCALING_LATEX in tex


def test_a_wrong_step_is_not_verified():
    wrong = add(SquaredNorm(sub(y, mul(p, X, w))), mul(p**2, SquaredNorm(mul(Gamma, w))))
    ok, check = verify_equal(Mean(SquaredNorm(sub(y, mul(masked_inputs, w)))), wrong)
    assert not ok and "NOT equal" in check
