"""Steps typeset from the parse tree: the LaTeX reads back as the same tree, and no student text gets in."""

import pytest

from derivlab.checking.context import load_context
from derivlab.checking.derivation import typed_steps
from derivlab.checking.parse import parse_expression
from derivlab.reports.expr_latex import DROPOUT_DISPLAY, name_latex, to_latex
from derivlab.reports.feedback_typeset import counterexample_table, number_latex, step_math
from derivlab.reports.latex_escape import is_escaped
from derivlab.reports.sample_class import UNREADABLE_DERIVATION, WRONG_DERIVATION, correct_derivation
from derivlab.reports.typeset_steps import typeset_text


@pytest.mark.parametrize("text", [correct_derivation(), WRONG_DERIVATION], ids=["correct", "wrong"])
def test_typeset_steps_read_back_as_the_same_trees(text):
    steps = typed_steps(text)
    assert steps
    for step in steps:
        for side in (step.lhs, step.rhs):
            latex = to_latex(side, DROPOUT_DISPLAY)
            assert parse_expression(latex, step.scope) == side, latex


def test_the_objective_typesets_as_the_course_writes_it():
    tree = parse_expression(r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]", load_context("dropout"))
    assert to_latex(tree, DROPOUT_DISPLAY) == \
        r"\mathbb{E}_{R}\left[\left\|y - \left(R \odot X\right) \tilde{w}\right\|_2^{2}\right]"


def test_names_come_from_a_fixed_alphabet_and_anything_else_is_escaped():
    assert name_latex("w_new") == r"w_{\mathrm{new}}" and name_latex("λ") == r"\lambda"
    assert name_latex(r"\tilde{w}") == r"\tilde{w}"  # a student's spelling, read by the grammar
    odd = name_latex(r"\input{/etc/passwd}")
    assert r"\input" not in odd and odd.startswith(r"\text{") and is_escaped(odd[len(r"\text{"):-1])


def test_unparsed_steps_are_not_typeset():
    typeset = typeset_text(UNREADABLE_DERIVATION)
    assert 1 in typeset and 2 not in typeset and 3 not in typeset and 4 in typeset
    assert step_math({"lhs_tex": None, "rhs_tex": None}) is None


def test_a_counterexample_is_a_table_of_exact_values():
    table = counterexample_table({"sizes": {"n": 1, "d": 2}, "values": {"X": [["1", "-3/2"]], "y": ["0"], "p": "1/2"},
                                  "lhs": "1/2", "rhs": "1/4"})
    assert r"\begin{tabular}" in table and r"\begin{pmatrix}1 & -\tfrac{3}{2}\end{pmatrix}" in table
    assert r"left side & $\tfrac{1}{2}$" in table and r"$y$ & $\begin{pmatrix}0\end{pmatrix}$" in table
    assert number_latex(r"\input{x}").startswith(r"\text{\textbackslash{}input")
    assert counterexample_table(None) is None
