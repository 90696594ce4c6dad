"""The mutant catalogue: every wrong version of every claim is rejected by the claim's symbolic
check AND its numeric check; every correct version (control) is accepted by both."""

import numpy as np
import pytest

from derivlab.claims import CLAIM_IDS
from derivlab.testing._judging import Candidate, Judge, NumericVerdict, z_test
from derivlab.testing.mutants import catalogue, false_alarms, judge_candidate, judges, mutants

CANDIDATES = catalogue()


def _id(c):
    return f"{c.claim}:{c.name}"


@pytest.mark.parametrize("candidate", [c for c in CANDIDATES if not c.correct], ids=_id)
def test_mutant_is_killed_by_both_checks(candidate):
    result = judge_candidate(candidate, seed=0)
    assert result.killed_symbolic, f"{_id(candidate)} survives the symbolic check"
    assert result.killed_numeric, f"{_id(candidate)} survives the numeric check: {result.numeric_details}"
    assert "check_error" not in result.numeric_details  # killed by the mathematics, not by a crash


@pytest.mark.parametrize("candidate", [c for c in CANDIDATES if c.correct], ids=_id)
def test_control_is_accepted_by_both_checks(candidate):
    result = judge_candidate(candidate, seed=0)
    assert not result.killed_symbolic and not result.killed_numeric and not result.error
    assert result.ok


def test_every_claim_has_a_control_and_enough_mutants():
    for claim in CLAIM_IDS:
        assert sum(c.claim == claim and c.correct for c in CANDIDATES) == 1, claim
        assert sum(c.claim == claim and not c.correct for c in CANDIDATES) >= (5 if claim == "dropout.identity" else 2)
    assert len(mutants()) >= 15


@pytest.mark.parametrize("claim, names", [
    ("dropout.identity", {"p-squared-variance", "gram-not-diag", "unscaled-mean", "dropped-p-variance",
                          "wrong-sign", "odds-variance"}),
    ("dropout.rescaled-ridge", {"gamma-new-lambda", "inverted-lambda"}),
    ("dropout.minimizer", {"p-squared-diag", "missing-p"}),
    ("dropout.torch-inverted", {"no-rescaling", "drop-prob-p"}),
    ("attention.numpy-torch", {"softmax-over-queries", "no-scaling", "positions-added", "weights-not-transposed"}),
    ("attention.identity", {"scale-below-threshold", "wrong-value-map"}),
    ("attention.unique", {"scale-below-threshold", "attends-own-position", "wrong-value-map"}),
])
def test_the_briefed_mistakes_are_in_the_catalogue(claim, names):
    assert names <= {c.name for c in CANDIDATES if c.claim == claim}


def _judge(symbolic=True, numeric=True):
    return Judge("x", "s", "n", lambda c: symbolic, lambda c, s: NumericVerdict(numeric))


def test_a_check_that_accepts_is_reported_as_a_survivor():
    mutant = Candidate("x", "m", "", None)
    result = judge_candidate(mutant, 0, _judge(symbolic=True, numeric=False))
    assert not result.killed_symbolic and result.killed_numeric and not result.ok


def test_a_crashing_check_fails_a_control():
    def boom(c):
        raise RuntimeError("broken check")

    control = Candidate("x", "stated", "", None, correct=True)
    result = judge_candidate(control, 0, Judge("x", "s", "n", boom, lambda c, s: NumericVerdict(True)))
    assert not result.ok and "broken check" in result.error


def test_false_alarms_count_every_rejection_of_the_control():
    control = Candidate("x", "stated", "", None, correct=True)
    flaky = Judge("x", "s", "n", lambda c: True, lambda c, s: NumericVerdict(s % 2 == 0))
    report = false_alarms(control, range(10), flaky)
    assert (report.rejections, report.seeds, report.rate) == (5, 10, 0.5)


def test_z_test_accepts_the_mean_and_rejects_a_shift_of_ten_standard_errors():
    samples = np.random.default_rng(0).normal(3.0, 1.0, size=10_000)
    se = samples.std(ddof=1) / 100
    assert z_test(samples, samples.mean()).accepts
    assert not z_test(samples, samples.mean() + 10 * se).accepts


def test_z_test_with_no_spread_demands_the_exact_value():
    assert z_test(np.full(100, 2.0), 2.0).accepts
    assert not z_test(np.full(100, 2.0), 2.0 + 1e-6).accepts


def test_each_claim_has_a_judge():
    assert set(judges()) == set(CLAIM_IDS)
