"""The noise claims: registered by discovery, verified, confirmations able to fail, CLI glob."""

import json
import os
import subprocess
import sys
from dataclasses import replace

from derivlab.claims import ConfirmOptions, all_claims, select_claims
from derivlab.claims.noise import confirmations as conf
from derivlab.derivations.noise import variants

QUICK = ConfirmOptions(seed=0, quick=True)
IDS = ["noise.additive-gaussian", "noise.gaussian-dropout"]


def test_registered_by_discovery_and_selected_by_glob():
    assert all(cid in all_claims() for cid in IDS)
    assert [c.id for c in select_claims(["noise.*"])] == IDS


def test_confirmations_agree_on_the_claims():
    for cid in IDS:
        assert conf.exact_two_point(cid, QUICK).agrees
        assert conf.monte_carlo_check(cid, QUICK).agrees


def test_exact_confirmation_disagrees_when_the_claimed_formula_is_wrong():
    for cid in IDS:
        wrong = replace(variants.WRONG[cid][0], correct=True)
        assert not conf.exact_two_point(cid, QUICK, correct=wrong, wrong=(variants.CORRECT[cid],)).agrees


def test_monte_carlo_disagrees_when_the_claimed_formula_is_wrong():
    for cid in IDS:
        outcome = conf.monte_carlo_check(cid, QUICK, correct=variants.WRONG[cid][0], wrong=(variants.CORRECT[cid],))
        assert not outcome.agrees and abs(outcome.details["z"]) > 4.89


def test_cli_verify_noise_glob():
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-m", "derivlab", "verify", "--claim", "noise.*", "--quick", "--json"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["ok"] and [c["id"] for c in report["claims"]] == IDS
    assert all(c["symbolic"]["status"] == "proved" for c in report["claims"])
