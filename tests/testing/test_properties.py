"""Each property holds for the claim as stated, and FAILS (shrunk to a small input) when the
claim's formula is replaced by a known mistake: the properties can fail."""

from fractions import Fraction

import numpy as np
import pytest

from derivlab.testing import _properties_dropout as props
from derivlab.testing._properties_attention import numpy_torch_agree
from derivlab.testing._strategies_attention import AttentionInput
from derivlab.testing._strategies_dropout import RegressionProblem
from derivlab.testing.fuzz import run_property
from derivlab.testing.mutants_dropout import IDENTITY, MINIMIZER, RESCALED_RIDGE, TORCH_INVERTED
from derivlab.testing.properties import Property, all_properties

EXAMPLES = 15


def _prop(name, strategy, check):
    return Property(name, "test", "", strategy, check)


def _problem(X, y, w, p, kind="rational"):
    conv = (lambda v: np.array(v, dtype=object)) if kind != "float" else (lambda v: np.array(v, dtype=float))
    return RegressionProblem(conv(X), conv(y), conv(w), p, kind)


def test_identity_holds_on_a_hand_computed_case():
    # X = [[1, 2]], y = [3], w = [1, 1], p = 1/2: masks give residuals 3, 2, 1, 0 -> E = (9 + 4 + 1 + 0)/4
    problem = _problem([[Fraction(1), Fraction(2)]], [Fraction(3)], [Fraction(1), Fraction(1)], Fraction(1, 2))
    assert props.identity_exact(problem) is None
    assert props.oracle.expected_squared_residual(problem.X, problem.y, problem.w, Fraction(1, 2)) == Fraction(14, 4)


@pytest.mark.parametrize("mutant", IDENTITY[1:], ids=lambda m: m.name)
def test_identity_property_falsifies_every_identity_mutant(mutant):
    prop = _prop("identity", props.exact_problems, lambda ex: props.identity_exact(ex, mutant.formula.value))
    assert run_property(prop, EXAMPLES * 4, seed=0, shrink=False).status == "falsified"


def test_falsifying_example_is_shrunk_to_the_smallest_size_showing_the_mistake():
    full_gram = next(m for m in IDENTITY if m.name == "gram-not-diag")  # needs d = 2 to differ
    prop = _prop("identity", props.exact_problems, lambda ex: props.identity_exact(ex, full_gram.formula.value))
    example = run_property(prop, EXAMPLES * 4, seed=0).counterexample
    assert (example["n"], example["d"]) == (1, 2)
    assert example["y"] == ["0"] and set(example["X"][0]) == {"1"}


def test_float_identity_property_falsifies_the_p_squared_mutant():
    p_squared = IDENTITY[1].formula.value
    prop = _prop("float", props.float_problems, lambda ex: props.identity_float(ex, p_squared))
    assert run_property(prop, EXAMPLES * 4, seed=0, shrink=False).status == "falsified"


def test_float_tolerance_is_not_vacuous():
    # a relative change of 1e-9 in the formula is far above the conditioning bound on a unit problem
    problem = _problem([[1.0, 2.0], [0.5, -1.0]], [1.0, 2.0], [0.3, -0.7], 0.3, "float")
    stated = IDENTITY[0].formula.value
    assert props.identity_float(problem) is None
    assert props.identity_float(problem, lambda *a: stated(*a) * (1 + 1e-9)) is not None


@pytest.mark.parametrize("mutant", RESCALED_RIDGE[1:], ids=lambda m: m.name)
def test_rescaled_ridge_property_falsifies_its_mutants(mutant):
    prop = _prop("ridge", props.exact_problems, lambda ex: props.rescaled_ridge_exact(ex, mutant.formula.value))
    assert run_property(prop, EXAMPLES * 4, seed=0, shrink=False).status == "falsified"


@pytest.mark.parametrize("mutant", MINIMIZER[1:], ids=lambda m: m.name)
def test_minimizer_property_falsifies_its_mutants(mutant):
    prop = _prop("minimizer", props.nonzero_column_problems, lambda ex: props.minimizer_exact(ex, mutant.formula.solve))
    assert run_property(prop, EXAMPLES * 4, seed=0, shrink=False).status == "falsified"


@pytest.mark.parametrize("mutant", TORCH_INVERTED[1:], ids=lambda m: m.name)
def test_torch_inverted_property_falsifies_its_mutants(mutant):
    prop = _prop("torch", props.exact_problems, lambda ex: props.torch_inverted_exact(ex, mutant.formula))
    assert run_property(prop, EXAMPLES * 4, seed=0, shrink=False).status == "falsified"


def test_numpy_torch_property_detects_a_changed_output():
    rng = np.random.default_rng(0)
    case = AttentionInput(rng.normal(size=(3, 2)), rng.normal(size=(2, 2)), rng.normal(size=(2, 2)),
                          rng.normal(size=(2, 2)), None)
    assert numpy_torch_agree(case) is None
    shifted = AttentionInput(case.seq, case.Km, case.Qm, case.Vm, None)
    import derivlab.transformers.torch_model as tm

    original = tm.PytorchTransformer.forward
    try:
        tm.PytorchTransformer.forward = lambda self, seq: original(self, seq) * (1 + 1e-6)
        assert numpy_torch_agree(shifted) is not None
    finally:
        tm.PytorchTransformer.forward = original


def test_design_property_falsifies_a_threshold_set_too_low(monkeypatch):
    from derivlab.testing import _designs

    real = _designs.threshold("first")

    class Lowered:
        value, upper, inclusive = real.value * 0.8, None, True

    monkeypatch.setattr(_designs, "threshold", lambda task: Lowered)
    prop = [p for p in _designs.design_properties() if p[0] == "attention.first/above-threshold-passes"][0]
    result = run_property(Property(*prop), EXAMPLES, seed=0, shrink=False)
    assert result.status == "falsified"
    assert result.counterexample["params"]["c"] < real.value


@pytest.mark.parametrize("name", [n for n in all_properties() if not n.startswith("checker/")])
def test_every_property_holds_for_the_stated_claims(name):
    assert run_property(all_properties()[name], EXAMPLES, seed=1).status == "passed"
