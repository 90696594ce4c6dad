"""The review queue's policy (--unreadable=review|zero) on hand-built outcomes (no checker runs)."""

import pytest

from derivlab.errors import InputError
from derivlab.reports.gradescope import GradescopeTest, validate_results
from derivlab.reports.review import review_reasons, with_review
from derivlab.reports.submission import SubmissionOutcome


def _step(k, verdict, method="exact", message=""):
    return {"index": k, "line": 10 + k, "lhs_latex": "a", "rhs_latex": "b", "verdict": verdict,
            "method": method, "message": message, "counterexample": None, "hint": None}


def _outcome(verdicts, *, weights_error=None, goal_passed=False, method="exact"):
    steps = [_step(k, v, method=method if v == "unknown" else "exact") for k, v in enumerate(verdicts, start=1)]
    first_bad = next((s["index"] for s in steps if s["verdict"] != "valid"), None)
    credited = [s["verdict"] == "valid" and (first_bad is None or s["index"] < first_bad) for s in steps]
    tests = [GradescopeTest(f"Q3 derivation, step {s['index']} (line {s['line']})", 2.0 if c else 0.0, 2.0,
                            "out", tags=("derivation",)) for s, c in zip(steps, credited)]
    tests += [GradescopeTest("Q3 derivation starts at the dropout objective (2)", 1.0, 1.0, "", tags=("derivation", "endpoint")),
              GradescopeTest("Q3 derivation reaches the Tikhonov form (4)", 1.0 if goal_passed else 0.0, 1.0, "",
                             tags=("derivation", "endpoint"))]
    weights = {"identity": {"verdict": "pass"}}
    if weights_error:
        weights["first"] = {"error": weights_error}
        tests.append(GradescopeTest("Q2(c) weights, first task", 0.0, 3.0, weights_error, tags=("weights",)))
    tests.append(GradescopeTest("Q2(b) weights, identity task", 3.0, 3.0, "pass", tags=("weights",)))
    derivation = {"verdict": "valid" if first_bad is None else steps[first_bad - 1]["verdict"],
                  "first_bad_step": first_bad, "steps": steps, "notes": []}
    return SubmissionOutcome("s", tuple(tests), derivation, weights)


def test_a_valid_submission_needs_no_review():
    out = with_review(_outcome(["valid", "valid"], goal_passed=True))
    assert out.review["needs_review"] is False and out.review["reasons"] == []
    assert "extra_data" not in out.results()


def test_an_unparsed_step_is_held_out_of_the_score_by_default():
    before = _outcome(["valid", "unparsed", "valid"])
    out = with_review(before)
    held = [t for t in out.tests if "review" in t.tags]
    # step 2, step 3 (its credit waits on step 2) and the failed goal endpoint are held
    assert [t.name.split(" (")[0] for t in held] == ["Q3 derivation, step 2", "Q3 derivation, step 3",
                                                      "Q3 derivation reaches the Tikhonov form"]
    assert all(t.score == 0 and t.max_score == 0 and "Held for review" in t.output for t in held)
    assert out.review["held_points"] == 5.0
    assert out.max_score == before.max_score - 5.0 and out.score == before.score
    assert out.review["reasons"][0].startswith("step 2 (line 12) could not be read")


def test_zero_policy_keeps_the_points_but_still_flags():
    before = _outcome(["valid", "unparsed", "valid"])
    out = with_review(before, "zero")
    assert out.max_score == before.max_score and out.score == before.score
    assert out.review["needs_review"] and out.review["held_points"] == 0


def test_an_unparsed_step_after_a_wrong_one_is_flagged_but_holds_nothing():
    out = with_review(_outcome(["valid", "invalid", "unparsed"]))
    assert out.review["needs_review"] and out.review["held_points"] == 0
    assert "step 3" in out.review["reasons"][0]


def test_a_limit_hit_and_a_refused_file_are_reasons():
    out = with_review(_outcome(["valid", "unknown"], method="limits",
                               weights_error="weights_first.json could not be checked: time limit of 3 s exceeded"))
    reasons = " ".join(out.review["reasons"])
    assert "could not be decided (limit hit)" in reasons and "weights first limit hit" in reasons
    weights_first = next(t for t in out.tests if t.name.startswith("Q2(c)"))
    assert "review" in weights_first.tags and weights_first.max_score == 0  # undecided, not wrong
    refused = with_review(_outcome(["valid"], weights_error="weights_first.json is a symbolic link"))
    assert any(r.startswith("weights first refused") for r in refused.review["reasons"])
    assert next(t for t in refused.tests if t.name.startswith("Q2(c)")).max_score == 3.0  # refused: scored 0


def test_a_missing_file_is_not_a_reason():
    assert review_reasons(_outcome(["valid"], weights_error="no weights_first.json or weights_first.npz submitted")) == []


def test_results_json_says_needs_review_in_a_staff_only_test():
    data = with_review(_outcome(["valid", "unparsed"])).results()
    validate_results(data)
    assert data["output"].startswith("Needs review by course staff")
    assert data["extra_data"]["review"]["needs_review"] is True
    flag = data["tests"][-1]
    assert flag["name"] == "Needs review by course staff" and flag["visibility"] == "hidden"
    assert flag["status"] == "failed" and "step 2" in flag["output"]
    assert all(t["status"] == "failed" for t in data["tests"] if "review" in t.get("tags", []))


def test_an_unknown_policy_is_refused():
    with pytest.raises(InputError):
        with_review(_outcome(["valid"]), "lenient")
