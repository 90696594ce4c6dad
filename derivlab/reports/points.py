"""The points scheme: how checker verdicts become Gradescope test scores.

Default scheme (18 points):

* Q3 derivation, 10 points.
  - 1 point: the chain starts at the dropout objective (2), the left side of ``dropout.identity``.
  - 1 point: the chain reaches (4): a right side with no expectation left equals
    its right side (``derivations/statements.py``, probed by ``endpoints.py``).
  - 8 points over the N checked steps, credit up to the first bad step (later
    steps build on a wrong expression). A chain that reaches (4) with every step
    up to it valid gets 8/N per valid step (full marks possible at any length).
    Otherwise each valid step earns 8/max(N, 6), 6 being the length of the
    reference derivation of (4): valid steps that never arrive at (4) (``E[..] = E[..]``)
    cannot collect the whole 8. Every step test has max_score 8/N.
* Q2 weights: identity 3, first 3, unique 2 points, all or nothing (the
  checker tries every input sequence of the task).

A missing file scores 0 with the reason; so does a broken or hostile one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from derivlab.reports.gradescope import GradescopeTest

TASKS = ("identity", "first", "unique")
TASK_QUESTION = {"identity": "Q2(b)", "first": "Q2(c)", "unique": "Q2(d)"}


@dataclass(frozen=True)
class PointsScheme:
    """Points per part; see the module docstring for how they are earned."""

    derivation_steps: float = 8.0
    reference_steps: int = 6  # the report's matrix derivation reaches (4) in 6 steps
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


def derivation_step_tests(report: Mapping[str, Any], scheme: PointsScheme = DEFAULT_SCHEME,
                          reached_at: int | None = None, *, main_chain: Sequence[int] | None = None,
                          trivial: Sequence[int] = ()) -> list[GradescopeTest]:
    """One test per checked step (``report`` is DerivationReport.to_json()).

    ``main_chain`` lists the steps of the chain that starts at (2) (``endpoints.judge_chains``; None:
    every step, as for a report judged without endpoints); ``reached_at`` is the step of that chain
    whose right side is (4) in closed form, or None; ``trivial`` the steps whose two sides are the same
    expression. Only non-trivial steps of the main chain earn, up to its first step that is not valid.
    A step's status follows its verdict (a valid step is "passed" even when it earns a share only).
    """
    steps = list(report.get("steps") or [])
    if not steps:
        return [GradescopeTest(
            "Q3 derivation: steps", 0.0, scheme.derivation_steps,
            "no equality chain was found in derivation.tex (only align, align*, equation, gather, "
            "\\[ \\] and $$ $$ blocks are read)", number="3.1", tags=("derivation",), status="failed")]
    indices = [int(step.get("index", i + 1)) for i, step in enumerate(steps)]
    main = set(indices if main_chain is None else main_chain)
    same = set(trivial)
    verdict = {k: step.get("verdict") for k, step in zip(indices, steps)}
    scored = [k for k in indices if k in main and k not in same]
    first_bad = next((k for k in indices if k in main and verdict[k] != "valid"), None)
    complete = reached_at is not None and (first_bad is None or first_bad > reached_at)
    max_share = scheme.derivation_steps / len(scored) if scored else 0.0
    share = max_share if complete else (scheme.derivation_steps / max(len(scored), scheme.reference_steps)
                                        if scored else 0.0)
    tests = []
    for k, step in zip(indices, steps):
        output = step_output(step)
        valid = verdict[k] == "valid"
        if k in same:
            points, top = 0.0, 0.0
            output += "\nNo points either way: both sides are the same expression once parsed."
        elif k not in main:
            points, top = 0.0, 0.0
            output += ("\nNo points on its own: this step is not on the chain that starts at the objective (2) "
                       "(a lemma is judged here and earns through the main chain).")
        else:
            credited = valid and (first_bad is None or k < first_bad)
            points, top = (share if credited else 0.0), max_share
            if valid and not credited:
                output += f"\nNo credit: this step comes after step {first_bad}, which is not valid."
            elif credited and share < max_share:
                output += (f"\nPartial credit: the chain does not reach (4) through valid steps, so each valid "
                           f"step earns {share:.3g} of {max_share:.3g} points.")
        tests.append(GradescopeTest(
            f"Q3 derivation, step {k} (line {step.get('line', '?')})", points, top, output,
            number=f"3.{len(tests) + 1}", tags=("derivation",), status="passed" if valid else "failed",
        ))
    if not scored:
        tests.append(GradescopeTest(
            "Q3 derivation: steps that earn", 0.0, scheme.derivation_steps,
            "No step earns credit: only non-trivial steps on a chain that starts at the objective (2) do.",
            number=f"3.{len(tests) + 1}", tags=("derivation",), status="failed"))
    return tests


def notes_test(notes: Sequence[str]) -> list[GradescopeTest]:
    """The checker's notes (refused definitions, no derivation found) as a 0-point test, if any."""
    if not notes:
        return []
    return [GradescopeTest("Q3 derivation: notes (definitions)", 0.0, 0.0, "\n".join(notes), number="3.89",
                           tags=("derivation",), status="passed")]


POLICY = ("Points: Q3 derivation 10 = 1 (the chain starts at the objective (2)) + 1 (it reaches the Tikhonov "
          "form (4)) + 8 shared by the non-trivial steps of the chain that starts at (2), each earning up to the "
          "first step that is not valid; the full 8 only when the chain reaches (4) through valid steps, otherwise "
          "each valid step earns 8/max(N, 6). Steps whose sides are the same expression, and steps off that chain, "
          "earn nothing and cost nothing. Q2 weights 3 + 3 + 2, all or nothing on every input sequence. "
          "A test's status is its verdict: a valid step is passed even when it earns a share of its points.")


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


def endpoint_tests(starts: bool, start_detail: str, reaches: bool, goal_detail: str,
                   scheme: PointsScheme = DEFAULT_SCHEME) -> list[GradescopeTest]:
    """The two endpoint tests: the chain starts at (2); the chain reaches (4) in closed form."""
    return [
        GradescopeTest("Q3 derivation starts at the dropout objective (2)", scheme.derivation_start if starts else 0.0,
                       scheme.derivation_start, start_detail, number="3.90", tags=("derivation", "endpoint")),
        GradescopeTest("Q3 derivation reaches the Tikhonov form (4)", scheme.derivation_goal if reaches else 0.0,
                       scheme.derivation_goal, goal_detail, number="3.91", tags=("derivation", "endpoint")),
    ]


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
        lines.append("worst sequence: " + worst_text(worst))
    passed = report.get("verdict") == "pass"
    return GradescopeTest(name, points if passed else 0.0, points, "\n".join(lines), number=number, tags=("weights",))


def worst_text(worst: Mapping[str, Any], limit: int = 120) -> str:
    """The weights checker's worst case in one line: the short fields (sequence, error, ...);
    whole output/attention matrices are left out."""
    parts = [f"{k} = {v}" for k, v in worst.items() if len(str(v)) <= limit]
    return ", ".join(parts) or "(see the checker's JSON)"
