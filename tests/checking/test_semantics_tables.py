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
