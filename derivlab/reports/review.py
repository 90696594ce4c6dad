"""The review queue: which submissions a person must look at, and the points policy for them.

A submission NEEDS REVIEW when any step is ``unparsed`` or ``unknown``, any limit
(time, memory) was hit, or any part was refused (a file that exists but could not be
checked, a definition refused, no gradable file). ``with_review`` records the reasons
on the outcome; they go to results.json (``extra_data`` and a staff-only test),
review.csv and the class page.

``--unreadable`` decides the points of what could not be read or decided:

* ``review`` (default): held out of the automatic score. If the first step that is not
  valid is unparsed/unknown, that step, every later step and any endpoint test that
  failed get max_score 0 with "held for review (up to X points)"; a part that hit a
  time or memory limit likewise. The automatic score counts only what was decided;
  the person's decision can only add points (at most ``held_points``).
* ``zero``: scored as the checker's verdict says (0 for such steps); still flagged.
"""

from __future__ import annotations

import re
from dataclasses import replace

from derivlab.errors import InputError
from derivlab.reports.gradescope import GradescopeTest
from derivlab.reports.submission import SubmissionOutcome

POLICIES = ("review", "zero")
UNREADABLE = ("unparsed", "unknown")
_LIMIT = re.compile(r"time limit|memory limit|time budget|nested too deeply")
_ABSENT = re.compile(r"^no (derivation\.tex|weights_\w+\.json or)")


def review_reasons(outcome: SubmissionOutcome) -> list[str]:
    """Why ``outcome`` needs a person (empty: it does not)."""
    reasons: list[str] = []
    if outcome.error:
        reasons.append(f"refused: {_line(outcome.error)}")
    derivation = outcome.derivation or {}
    for step in derivation.get("steps") or []:
        verdict = step.get("verdict")
        if verdict in UNREADABLE:
            what = "could not be read" if verdict == "unparsed" else "could not be decided"
            limit = " (limit hit)" if step.get("method") == "limits" or _LIMIT.search(str(step.get("message"))) else ""
            reasons.append(f"step {step.get('index')} (line {step.get('line')}) {what}{limit}: "
                           f"{_line(step.get('message', ''))}")
    for note in derivation.get("notes") or []:
        if "definition" in note:
            reasons.append(f"definition refused: {_line(note)}")
    if outcome.derivation_error:
        kind = "limit hit" if _LIMIT.search(outcome.derivation_error) else "refused"
        reasons.append(f"derivation {kind}: {_line(outcome.derivation_error)}")
    for task, report in sorted(outcome.weights.items()):
        error = report.get("error") if isinstance(report, dict) else None
        if error and not _ABSENT.match(error):
            kind = "limit hit" if _LIMIT.search(error) else "refused"
            reasons.append(f"weights {task} {kind}: {_line(error)}")
    return reasons


def with_review(outcome: SubmissionOutcome, policy: str = "review") -> SubmissionOutcome:
    """``outcome`` with its review record (``outcome.review``) and, under ``review``, held tests."""
    if policy not in POLICIES:
        raise InputError(f"--unreadable must be one of {', '.join(POLICIES)}, not {policy!r}")
    reasons = review_reasons(outcome)
    tests = list(outcome.tests)
    held = 0.0
    if reasons and policy == "review":
        tests, held = _hold(outcome, tests)
    record = {"needs_review": bool(reasons), "reasons": reasons, "policy": policy, "held_points": round(held, 4)}
    return replace(outcome, tests=tuple(tests), review=record)


def _hold(outcome: SubmissionOutcome, tests: list[GradescopeTest]) -> tuple[list[GradescopeTest], float]:
    derivation = outcome.derivation or {}
    steps = derivation.get("steps") or []
    first_bad = derivation.get("first_bad_step")
    bad = next((s for s in steps if s.get("index") == first_bad), None)
    unreadable_from = int(first_bad) if bad is not None and bad.get("verdict") in UNREADABLE else None
    step_tests = [i for i, t in enumerate(tests) if "derivation" in t.tags and "endpoint" not in t.tags]
    held = 0.0
    out = list(tests)
    for position, i in enumerate(step_tests):
        test = tests[i]
        step_index = int(steps[position].get("index", position + 1)) if len(steps) == len(step_tests) else None
        if step_index is not None and unreadable_from is not None and step_index >= unreadable_from:
            out[i], held = _held(test), held + test.max_score
        elif step_index is None and not test.passed and _LIMIT.search(test.output):
            out[i], held = _held(test), held + test.max_score  # the whole derivation ran out of a limit
    for i, test in enumerate(tests):
        if "endpoint" in test.tags and unreadable_from is not None and not test.passed:
            out[i], held = _held(test), held + test.max_score
        elif "weights" in test.tags and not test.passed and _LIMIT.search(test.output):
            out[i], held = _held(test), held + test.max_score
    return out, held


def _held(test: GradescopeTest) -> GradescopeTest:
    note = (f"Held for review by course staff (up to {test.max_score:.3g} points): this could not be read or "
            f"decided automatically, so it is not part of the automatic score.\n")
    return replace(test, score=0.0, max_score=0.0, output=note + test.output, tags=(*test.tags, "review"))


def review_test(review: dict) -> GradescopeTest:
    """The staff-only (hidden) test that says a submission needs review, and why."""
    head = (f"NEEDS REVIEW ({len(review['reasons'])} reasons; policy --unreadable={review['policy']}; "
            f"{review['held_points']:g} points held)")
    return GradescopeTest("Needs review by course staff", 0.0, 0.0, " | ".join([head, *review["reasons"]]), number="0.1",
                          visibility="hidden", tags=("review",))


def _line(text: object, limit: int = 200) -> str:
    one = " ".join(str(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "…"
