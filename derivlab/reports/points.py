"""The points scheme: how checker verdicts become Gradescope test scores.

Default scheme (18 points):

* Q3 derivation, 10 points. 8 are split evenly over the N checked steps; step
  k earns its share when it is valid AND every step before it is valid
  (credit up to the first bad step: later steps build on a wrong expression).
  1 point when the chain starts at the dropout objective (2),
  E_R ||y - (R ⊙ X) w~||^2; 1 point when some expression of the chain equals
  the right side of (4), ||y - p X w~||^2 + p(1-p) ||Γ~ w~||^2. The two
  endpoint points stop `a = a` from earning the derivation's credit.
* Q2 weights: identity 3, first 3, unique 2 points, all or nothing (the
  checker tries every input sequence of the task).

A missing file scores 0 with the reason; so does a broken or hostile one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from derivlab.reports.gradescope import GradescopeTest

TASKS = ("identity", "first", "unique")
TASK_QUESTION = {"identity": "Q2(b)", "first": "Q2(c)", "unique": "Q2(d)"}


@dataclass(frozen=True)
class PointsScheme:
    """Points per part; see the module docstring for how they are earned."""

    derivation_steps: float = 8.0
    derivation_start: float = 1.0
    derivation_goal: float = 1.0
    weights_identity: float = 3.0
    weights_first: float = 3.0
    weights_unique: float = 2.0

    @property
    def derivation_total(self) -> float:
        return self.derivation_steps + self.derivation_start + self.derivation_goal

    def weights(self, task: str) -> float:
        return float(getattr(self, f"weights_{task}"))

    @property
    def total(self) -> float:
        return self.derivation_total + sum(self.weights(t) for t in TASKS)

    def to_json(self) -> dict:
        return {
            "derivation": {"steps": self.derivation_steps, "start": self.derivation_start, "goal": self.derivation_goal},
            "weights": {t: self.weights(t) for t in TASKS},
            "total": self.total,
        }


DEFAULT_SCHEME = PointsScheme()


def derivation_missing_tests(reason: str, scheme: PointsScheme = DEFAULT_SCHEME) -> list[GradescopeTest]:
    """One zero-score test for the whole derivation, with ``reason`` (no file, unreadable, timed out)."""
    return [GradescopeTest("Q3 derivation", 0.0, scheme.derivation_total, reason, number="3", tags=("derivation",))]


def derivation_step_tests(report: Mapping[str, Any], scheme: PointsScheme = DEFAULT_SCHEME) -> list[GradescopeTest]:
    """One test per checked step (``report`` is DerivationReport.to_json()), credit up to the first bad step."""
    steps = list(report.get("steps") or [])
    if not steps:
        return [GradescopeTest(
            "Q3 derivation: steps", 0.0, scheme.derivation_steps,
            "no equality chain was found in derivation.tex (only align, align*, equation, gather, "
            "\\[ \\] and $$ $$ blocks are read)", number="3.1", tags=("derivation",))]
    share = scheme.derivation_steps / len(steps)
    first_bad = report.get("first_bad_step")
    tests = []
    for step in steps:
        k = int(step.get("index", len(tests) + 1))
        credited = step.get("verdict") == "valid" and (first_bad is None or k < int(first_bad))
        output = step_output(step)
        if step.get("verdict") == "valid" and not credited:
            output += f"\nNo credit: this step comes after step {first_bad}, which is not valid."
        tests.append(GradescopeTest(
            f"Q3 derivation, step {k} (line {step.get('line', '?')})", share if credited else 0.0, share,
            output, number=f"3.{len(tests) + 1}", tags=("derivation",),
        ))
    return tests


def step_output(step: Mapping[str, Any]) -> str:
    """The text a student reads for one step: the equality, verdict, reason, counterexample, hint."""
    lines = [
        f"{step.get('lhs_latex', '')}  =  {step.get('rhs_latex', '')}",
        f"verdict: {step.get('verdict', '?')} ({step.get('method', '')})",
    ]
    if step.get("message"):
        lines.append(str(step["message"]))
    if step.get("counterexample") is not None:
        lines.append("counterexample: " + counterexample_text(step["counterexample"]))
    if step.get("hint"):
        lines.append(f"hint: {step['hint']}")
    return "\n".join(lines)


def counterexample_text(counterexample: Any, limit: int = 1500) -> str:
    """A counterexample as compact JSON text (cut at ``limit`` characters)."""
    text = counterexample if isinstance(counterexample, str) else json.dumps(counterexample, default=str)
    return text if len(text) <= limit else text[:limit] + " ..."


def endpoint_test(name: str, number: str, points: float, reached: bool | None, detail: str) -> GradescopeTest:
    """The start / goal test: full ``points`` when ``reached``; ``None`` means it could not be decided."""
    return GradescopeTest(name, points if reached else 0.0, points, detail, number=number, tags=("derivation",))


def weights_test(task: str, report: Mapping[str, Any] | None, reason: str = "",
                 scheme: PointsScheme = DEFAULT_SCHEME) -> GradescopeTest:
    """The test for one weights task: all points when the checker's verdict is pass."""
    name = f"{TASK_QUESTION[task]} weights, {task} task"
    points = scheme.weights(task)
    number = f"2.{TASKS.index(task) + 1}"
    if report is None:
        return GradescopeTest(name, 0.0, points, reason, number=number, tags=("weights",))
    lines = [f"verdict: {report.get('verdict')} ({report.get('failures', '?')} failing of "
             f"{report.get('sequences_checked', '?')} sequences checked)"]
    if report.get("message"):
        lines.append(str(report["message"]))
    worst = report.get("worst")
    if worst:
        lines.append("worst sequence: " + ", ".join(f"{k} = {v}" for k, v in worst.items()))
    passed = report.get("verdict") == "pass"
    return GradescopeTest(name, points if passed else 0.0, points, "\n".join(lines), number=number, tags=("weights",))
