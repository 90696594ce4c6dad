"""Every expression node type has a rule in every semantics (one dispatch table per meaning)."""

import pytest

from derivlab.checking import bounds, decisive_sizes, evaluate, render, shapes, symbolic
from derivlab.checking.expr import Expr, dispatch, node_types

TABLES = {
    "exact evaluation (evaluate.EVALUATE)": evaluate.EVALUATE,
    "SymPy confirmation (symbolic.SYMPY)": symbolic.SYMPY,
    "degree bounds (bounds.DEGREE)": bounds.DEGREE,
    "rendering (render.RENDER)": render.RENDER,
    "shapes (shapes.SHAPE_OF)": shapes.SHAPE_OF,
    "decisive sizes (decisive_sizes.SLOTS)": decisive_sizes.SLOTS,
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_node_type_has_a_rule(name):
    table = TABLES[name]
    missing = sorted(t.__name__ for t in node_types() if t not in table)
    assert not missing, f"{name} has no rule for {missing}"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_no_rule_for_a_type_that_is_not_a_node(name):
    assert set(TABLES[name]) <= set(node_types())


def test_the_new_entry_wise_nodes_are_node_types():
    names = {t.__name__ for t in node_types()}
    assert {"Entry", "Slice", "Sum", "Indicator"} <= names


def test_a_missing_rule_is_an_error_not_a_guess():
    class Stray(Expr):
        pass

    with pytest.raises(TypeError, match="no rendering rule for Stray"):
        dispatch(render.RENDER, Stray((1, 1)), "rendering")


EXAMPLES = [
    r"\sum_{i=1}^{n} \mathbb{E}\big[(y_i - (r_i \odot x_i)^\top w)^2\big]",
    r"p^2 (X^\top X)_{jk} + p(1-p)\,\delta_{jk} \|X_{:,j}\|^2",
    r"\operatorname{Var}(R_{ij}) + \operatorname{tr}(\operatorname{diag}(X^\top X)) + \mathbf{1}\{j = k\} X_{ik}",
    r"\begin{cases} p^2 & j \neq k \\ p & j = k \end{cases} X_{ik} + \frac{1}{2} \Gamma_{jj}^{1/2} + (\Gamma^{-1})_{jj}",
    r"\sum_{j \neq k} w_j w_k - \operatorname{diag}(w)_{jj} (X^\top X)_{jj}",
]


@pytest.mark.parametrize("latex", EXAMPLES)
def test_every_rule_agrees_with_the_tree(latex):
    """Parsed trees pass the shape re-derivation, render, and get a degree bound and slot count."""
    from derivlab.checking.context import load_context
    from derivlab.checking.parse import parse_expression

    scope = load_context("dropout")
    tree = parse_expression(latex, scope)
    shapes.check_shapes(tree)
    assert render.render_expr(tree)
    assert bounds.degree(tree, {"n": 2, "d": 3})[0] >= 0
    assert decisive_sizes._Count().go(tree) is not None  # a slot count for every node
