"""The four attention claims are proved and agree; their checks reject wrong statements."""

import numpy as np
import pytest
import sympy as sp

import derivlab.claims.attention as attention
from derivlab.claims import ConfirmOptions, verify_claims
from derivlab.claims.attention import attention_claims

IDS = ["attention.numpy-torch", "attention.identity", "attention.first", "attention.unique"]


def test_the_four_claim_ids_are_registered():
    assert [c.id for c in attention_claims()] == IDS


@pytest.mark.slow
def test_verify_attention_claims_all_proved_and_agreeing():
    report = verify_claims(["attention.*"], quick=True)
    assert [c.id for c in report.claims] == IDS
    for claim in report.claims:
        assert claim.symbolic.status == "proved", (claim.id, claim.symbolic.detail)
        assert claim.numeric and all(n.status == "agrees" for n in claim.numeric), claim.id
        assert all(n.details.get("headline") for n in claim.numeric)
    assert report.ok and report.exit_code == 0


def test_torch_forward_covers_every_input():
    outcome = attention._torch_forward_on_every_input("first", ConfirmOptions())
    assert outcome.agrees and outcome.details["inputs"] == 120
    assert outcome.details["max_abs_diff_output"] < 1e-12


def test_a_wrong_stated_threshold_fails_the_proof(monkeypatch):
    monkeypatch.setitem(attention.STATED_THRESHOLDS, "first", sp.sqrt(sp.log(3 * 10**8)))
    proof = attention._design_proof("first")
    assert not proof.holds and "stated threshold" in proof.detail


def test_torch_forward_disagrees_when_the_closed_form_belongs_to_another_scale(monkeypatch):
    from derivlab.transformers import designs

    real = designs.hand_coded_design
    monkeypatch.setattr(designs, "hand_coded_design", lambda task, **s: real(task, c=3.0))
    outcome = attention._torch_forward_on_every_input("identity", ConfirmOptions())
    assert not outcome.agrees and outcome.details["max_abs_diff_output"] > 1e-3


def test_threshold_bracket_disagrees_for_a_wrong_threshold(monkeypatch):
    from dataclasses import replace

    from derivlab.derivations import attention_thresholds

    real = attention_thresholds.scale_threshold("first")
    monkeypatch.setattr(attention_thresholds, "scale_threshold", lambda task: replace(real, value=real.value * 1.01))
    assert not attention._threshold_bracket("first", ConfirmOptions()).agrees


def test_numpy_torch_confirmation_rejects_every_wrong_formula():
    outcome = attention._numpy_torch_trials(ConfirmOptions(seed=3, quick=True))
    assert outcome.agrees
    assert outcome.details["notebook_trials_passed"] == 10
    from derivlab.transformers.attention_variants import WRONG_VARIANTS

    assert set(outcome.details["mutants"]) == {v.name for v in WRONG_VARIANTS}
    assert all(outcome.details["mutants"].values()) and len(outcome.details["mutants"]) == 5
    assert outcome.details["sdpa_sequences"] == 80 and outcome.details["sdpa_max_abs_diff"] <= 1e-10


def test_the_claim_carries_the_wrong_formulas_the_mutant_run_uses():
    from derivlab.claims import all_claims
    from derivlab.testing import mutants_attention

    claim = all_claims()["attention.numpy-torch"]
    assert claim.question == "Q2(a)" and len(claim.variants) == 5
    assert [c.name for c in mutants_attention.CANDIDATES if not c.correct] == [v.name for v in claim.variants]


def test_mutant_formulas_differ_from_the_model_on_a_generic_input():
    rng = np.random.default_rng(0)
    Km, Qm, Vm = rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    seq, pos = rng.normal(size=(3, 3)), rng.normal(size=(4, 2))
    from derivlab.transformers.attention import attention as forward

    for name, wrong in attention._variant_outputs(seq, Km, Qm, Vm, pos).items():
        if wrong is not None:  # untransposed weights exist only for square ones
            assert not np.allclose(wrong, forward(seq, Km, Qm, Vm, pos)), name


def test_the_sdpa_oracle_sees_a_model_that_disagrees(monkeypatch):
    """With SDPA's scale changed to 1 (a formula without 1/sqrt(qk)) the oracle reports a difference."""
    import torch

    real = torch.nn.functional.scaled_dot_product_attention
    monkeypatch.setattr(torch.nn.functional, "scaled_dot_product_attention",
                        lambda q, k, v: real(q, k, v, scale=1.0))
    worst, compared = attention._sdpa_oracle(np.random.default_rng(1), 6)
    assert compared == 48 and worst > 1e-3
