"""Course notation: ⊙ as \\odot, transposes as ^\\top, E_R as \\mathbb{E}_R, ‖v‖_2^2, diag."""

import sympy as sp

from derivlab.derivations.dropout_symbols import X, gram_diagonal, masked_inputs, p, w, y
from derivlab.derivations.notation import Mean, SquaredNorm, add, course_latex, mul, sub, transpose


def test_objective_prints_in_course_notation():
    expr = Mean(SquaredNorm(sub(y, mul(masked_inputs, w))))
    assert course_latex(expr) == r"\mathbb{E}_R\left[\|y - (R \odot X) \tilde{w}\|_2^2\right]"


def test_transpose_of_a_hadamard_product_stays_unexpanded():
    assert course_latex(transpose(masked_inputs)) == r"(R \odot X)^\top"


def test_diag_and_scalar_coefficients():
    expr = add(mul(p**2, X.T, X), mul(p * (1 - p), gram_diagonal))
    assert course_latex(expr) == r"p^{2}\, X^\top X + p(1 - p)\, \operatorname{diag}(X^\top X)"


def test_negative_terms_print_as_subtraction():
    assert course_latex(add(y.T * y, mul(-2 * p, w.T, X.T, y))) == r"y^\top y - 2p\, \tilde{w}^\top X^\top y"


def test_sum_coefficient_gets_parentheses():
    assert course_latex(mul(1 - p, gram_diagonal)) == r"(1 - p)\, \operatorname{diag}(X^\top X)"


def test_builders_keep_the_written_order():
    assert add(y.T * y, mul(sp.Integer(-1), y.T * y)).args[0] == y.T * y
