"""The four dropout claims: registered, each confirmation able to fail, and the CLI verifies them."""

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from derivlab.claims import ConfirmOptions, all_claims
from derivlab.claims import dropout_confirmations as conf
from derivlab.claims.dropout import dropout_claims
from derivlab.derivations.dropout_variants import CORRECT_IDENTITY, IDENTITY_VARIANTS

IDS = ["dropout.identity", "dropout.rescaled-ridge", "dropout.minimizer", "dropout.torch-inverted"]
QUICK = ConfirmOptions(seed=0, quick=True)


def test_the_four_claims_are_registered_in_order():
    assert [c.id for c in dropout_claims()] == IDS
    assert all(cid in all_claims() for cid in IDS)


def test_confirmation_kinds():
    kinds = {c.id: [k.kind for k in c.confirmations] for c in dropout_claims()}
    assert kinds["dropout.identity"] == ["exact-enumeration", "monte-carlo"]
    assert "exact-gradient" in kinds["dropout.minimizer"] and kinds["dropout.torch-inverted"] == ["torch-sgd"]


def test_enumeration_confirmation_disagrees_when_the_claimed_formula_is_wrong():
    wrong = replace(IDENTITY_VARIANTS[0], correct=True)
    outcome = conf._enumerate_objective(QUICK, wrong, (CORRECT_IDENTITY,), rescaled=False)
    assert not outcome.agrees


def test_monte_carlo_confirmation_disagrees_when_the_claimed_formula_is_wrong():
    outcome = conf._monte_carlo_objective(QUICK, IDENTITY_VARIANTS[1], (CORRECT_IDENTITY,), rescaled=False)
    assert not outcome.agrees and abs(outcome.details["z"]) > 4.89


def test_monte_carlo_confirmation_reports_its_statistics():
    details = conf.identity_monte_carlo(QUICK).details
    assert {"estimate", "exact", "standard_error", "z", "ci", "false_alarm_rate", "headline"} <= set(details)


@pytest.mark.slow
def test_cli_verifies_every_dropout_claim_quickly():
    proc = subprocess.run([sys.executable, "-m", "derivlab", "verify", "--json", "--quick", "--claim", "dropout.*"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] and [c["id"] for c in report["claims"]] == IDS
    for claim in report["claims"]:
        assert claim["symbolic"]["status"] == "proved"
        assert claim["numeric"] and all(n["status"] == "agrees" and n["headline"] for n in claim["numeric"])
    kinds = {c["id"]: {n["kind"] for n in c["numeric"]} for c in report["claims"]}
    assert kinds["dropout.identity"] == {"exact-enumeration", "monte-carlo"}
    assert kinds["dropout.torch-inverted"] == {"torch-sgd"}


def test_convergence_trace_ends_near_the_exact_value():
    trace = conf.identity_convergence_trace(quick=True, seed=0)
    assert abs(trace["estimates"][-1] - trace["exact"]) < 4.89 * trace["standard_errors"][-1]
