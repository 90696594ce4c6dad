"""The points scheme: derivation credit up to the first bad step; weights all or nothing."""

import pytest

from derivlab.reports.points import DEFAULT_SCHEME, derivation_step_tests, weights_test


def _report(verdicts):
    first_bad = next((i + 1 for i, v in enumerate(verdicts) if v != "valid"), None)
    steps = [{"index": i + 1, "line": 10 + i, "lhs_latex": "a", "rhs_latex": "b", "verdict": v, "method": "m",
              "message": "", "counterexample": {"n": 1} if v == "invalid" else None,
              "hint": "E[R_ij^2] = p" if v == "invalid" else None} for i, v in enumerate(verdicts)]
    return {"verdict": "valid" if first_bad is None else verdicts[first_bad - 1], "first_bad_step": first_bad,
            "steps": steps}


def test_a_valid_chain_that_reaches_the_tikhonov_form_earns_every_step_point():
    tests = derivation_step_tests(_report(["valid"] * 4), reached_at=3)
    assert sum(t.score for t in tests) == pytest.approx(DEFAULT_SCHEME.derivation_steps)


def test_a_valid_chain_that_never_reaches_it_earns_a_share_per_step_only():
    tests = derivation_step_tests(_report(["valid"]), reached_at=None)  # e.g. E[..] = E[..]
    assert tests[0].score == pytest.approx(DEFAULT_SCHEME.derivation_steps / DEFAULT_SCHEME.reference_steps)
    assert tests[0].max_score == DEFAULT_SCHEME.derivation_steps


def test_credit_stops_at_the_first_bad_step():
    tests = derivation_step_tests(_report(["valid", "valid", "invalid", "valid"]), reached_at=None)
    assert [t.score for t in tests] == pytest.approx([8 / 6, 8 / 6, 0.0, 0.0])


def test_reaching_the_form_after_a_bad_step_does_not_count_as_complete():
    tests = derivation_step_tests(_report(["valid", "valid", "invalid", "valid"]), reached_at=4)
    assert tests[0].score == pytest.approx(8 / 6)


def test_step_max_scores_always_sum_to_the_step_points():
    for n in (1, 3, 9):
        tests = derivation_step_tests(_report(["valid"] * n))
        assert sum(t.max_score for t in tests) == pytest.approx(DEFAULT_SCHEME.derivation_steps)


def test_a_valid_step_after_a_bad_one_says_why_it_earns_nothing():
    tests = derivation_step_tests(_report(["invalid", "valid"]))
    assert "after step 1" in tests[1].output


def test_wrong_step_output_carries_counterexample_and_hint():
    output = derivation_step_tests(_report(["invalid"]))[0].output
    assert "counterexample" in output and "hint: E[R_ij^2] = p" in output


def test_no_chain_is_one_zero_score_test():
    tests = derivation_step_tests({"verdict": "unparsed", "first_bad_step": None, "steps": []})
    assert len(tests) == 1 and tests[0].score == 0 and tests[0].max_score == DEFAULT_SCHEME.derivation_steps


def test_passing_weights_earn_the_task_points():
    report = {"task": "identity", "verdict": "pass", "sequences_checked": 1092, "failures": 0, "worst": None,
              "message": "all pass"}
    assert weights_test("identity", report).score == DEFAULT_SCHEME.weights_identity


def test_failing_weights_earn_nothing_and_name_the_worst_sequence():
    report = {"task": "first", "verdict": "fail", "sequences_checked": 120, "failures": 6,
              "worst": {"sequence": "ABBB", "max_abs_error": 0.5}, "message": "6 fail"}
    test = weights_test("first", report)
    assert test.score == 0 and "ABBB" in test.output


def test_total_is_eighteen_points():
    assert DEFAULT_SCHEME.total == 18.0
