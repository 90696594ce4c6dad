"""The designs' closed forms equal the forward pass on every input; the derived thresholds are sharp."""

import numpy as np
import pytest
import sympy as sp

from derivlab.derivations.attention_closed_forms import closed_form, closed_form_forward
from derivlab.derivations.attention_proofs import (attention_design_proof, closed_form_matches_forward,
                                                   numpy_torch_equivalence_proof, symbolic_forward)
from derivlab.derivations.attention_scores import b, c, key_class_table
from derivlab.derivations.attention_thresholds import scale_threshold
from derivlab.transformers.attention import attention_parts
from derivlab.transformers.criterion import evaluate_on_all_inputs
from derivlab.transformers.designs import hand_coded_design
from derivlab.transformers.tasks import TASKS, all_token_sequences, encode

TASK_NAMES = ("identity", "first", "unique")


@pytest.mark.parametrize("task, scales", [("identity", {}), ("identity", {"c": 2.5}), ("first", {}), ("first", {"c": 1.7}),
                                          ("unique", {}), ("unique", {"c": 2.0, "b": 0.8})])
def test_closed_form_equals_the_numpy_forward_pass_on_every_input(task, scales):
    d = hand_coded_design(task, **scales)
    worst = 0.0
    for toks in all_token_sequences(TASKS[task]):
        direct = attention_parts(encode(TASKS[task], toks), d.Km, d.Qm, d.Vm, d.pos)
        closed = closed_form_forward(task, toks, **scales)
        worst = max(worst, np.abs(direct["out"] - closed["out"]).max(), np.abs(direct["weights"] - closed["weights"]).max())
    assert worst < 1e-12


def test_closed_form_forward_is_not_the_forward_pass_of_another_scale():
    toks = (0, 1, 1)
    d = hand_coded_design("identity", c=2.5)
    direct = attention_parts(encode(TASKS["identity"], toks), d.Km, d.Qm, d.Vm)["out"]
    assert np.abs(direct - closed_form_forward("identity", toks, c=2.6)["out"]).max() > 1e-3


@pytest.mark.parametrize("task", TASK_NAMES)
def test_scores_are_constant_within_each_key_class(task):
    assert key_class_table(task).consistent


def test_identity_weights_in_counts():
    E = sp.exp(c**2 / sp.sqrt(3))
    m, L = closed_form("identity").symbols["m"], closed_form("identity").symbols["L"]
    assert sp.simplify(closed_form("identity").weights["same token"] - E / (m * E + L - m)) == 0


def test_first_weight_on_the_first_key():
    L = closed_form("first").symbols["L"]
    assert sp.simplify(closed_form("first").weights["first key"] - sp.exp(c**2) / (sp.exp(c**2) + L - 1)) == 0


def test_unique_output_sign_numerator():
    form = closed_form("unique")
    m, L = form.symbols["m"], form.symbols["L"]
    s = c**2 / sp.sqrt(8)
    numerator, _ = sp.fraction(sp.together(form.output["content"]))
    assert sp.expand(numerator - (sp.exp(b * s) - (m - 1) * sp.exp(s) - (L - m + 1))) == 0


@pytest.mark.parametrize("task, key, value", [
    ("identity", "output[A]", sp.Matrix([[1, 0, 0]])), ("identity", "weight[same token]", None),
    ("first", "weight[first key]", 1), ("first", "output[A]", sp.Matrix([[1, 0, 0]])),
    ("unique", "output[unique token]", 1), ("unique", "output[repeated token]", -1),
    ("unique", "output[repeated token, b=1]", 0)])
def test_hard_attention_limits(task, key, value):
    lim = closed_form(task).hard_limit[key]
    if value is None:
        assert lim == 1 / closed_form(task).symbols["m"]
    else:
        assert lim == value


@pytest.mark.parametrize("task, exact", [
    ("identity", sp.sqrt(sp.sqrt(3) * sp.log(499999995))),
    ("first", sp.sqrt(sp.log(299999997))),
    ("unique", sp.sqrt(8 * sp.sqrt(2) * sp.log(2)))])
def test_threshold_exact_values(task, exact):
    th = scale_threshold(task)
    assert sp.simplify(sp.expand_log(th.exact**2 - exact**2, force=True)) == 0
    assert th.value == pytest.approx(float(exact), rel=1e-14)


@pytest.mark.parametrize("task", TASK_NAMES)
def test_just_below_the_threshold_fails_and_just_above_passes(task):
    th = scale_threshold(task)
    below = evaluate_on_all_inputs(task, **hand_coded_design(task, c=th.value * (1 - 1e-6)).weights())
    above = evaluate_on_all_inputs(task, **hand_coded_design(task, c=th.value * (1 + 1e-6)).weights())
    assert below.failures > 0 and above.failures == 0
    failing = {below.batch.names[i] for i in np.flatnonzero(~below.passed)}
    assert th.worst_sequence in failing


def test_identity_worst_case_is_a_singleton_among_five_copies():
    th = scale_threshold("identity")
    assert th.worst_sequence == "ABBBBB" and th.inclusive


def test_unique_threshold_at_cls_bias_one_is_lower_and_above_a_match_there_is_none():
    assert scale_threshold("unique", sp.Integer(1)).value < scale_threshold("unique").value
    with pytest.raises(ValueError, match="no scale"):
        scale_threshold("unique", sp.Rational(3, 2))


def test_unique_threshold_is_strict():
    th = scale_threshold("unique")
    at = evaluate_on_all_inputs("unique", **hand_coded_design("unique", c=th.value).weights())
    assert not th.inclusive and abs(at.margin.min()) < 1e-12


@pytest.mark.parametrize("task", TASK_NAMES)
def test_design_proof_holds(task):
    proof = attention_design_proof(task)
    assert proof.holds, proof.detail
    assert all(step.latex for step in proof.steps)


def test_symbolic_forward_matches_the_numeric_model_at_a_substituted_scale():
    toks = (0, 1, 0)
    weights, out = symbolic_forward("unique", toks)
    d = hand_coded_design("unique", c=3.0, b=0.5)
    numeric = attention_parts(encode(TASKS["unique"], toks), d.Km, d.Qm, d.Vm, d.pos)
    got = np.array(out.subs({c: 3, b: sp.Rational(1, 2)}).evalf(30), dtype=float)
    assert np.allclose(got, numeric["out"], rtol=0, atol=1e-14)


def test_closed_form_check_detects_a_mismatched_sequence():
    ok, _, detail = closed_form_matches_forward("first", [(0, 1, 1)])
    assert ok
    from derivlab.derivations import attention_proofs

    real = attention_proofs.closed_form_rows
    try:
        attention_proofs.closed_form_rows = lambda task, toks: real(task, (0, 1, 2))
        ok, _, detail = closed_form_matches_forward("first", [(0, 1, 1)])
    finally:
        attention_proofs.closed_form_rows = real
    assert not ok and "differs" in detail


def test_numpy_torch_proof_holds_and_shows_concatenation_is_not_addition():
    proof = numpy_torch_equivalence_proof()
    assert proof.holds
    assert any("different model" in s.rule and not s.check.startswith("FAILED") for s in proof.steps)
