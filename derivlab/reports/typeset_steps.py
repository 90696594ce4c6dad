"""Typeset a submission's steps from derivlab's own parse trees (for feedback and the class page).

    annotate_steps(text, report, seconds=5, memory_mb=1024) -> report with, on every step that parsed,
        "lhs_tex", "rhs_tex"  LaTeX built from the tree (``expr_latex``), never from the student's text
        "route_move", "route_rule"  where on the course's route the step happens (``route``)

The parsing runs in a guarded child process (``limits.run_limited``: wall clock and memory),
like the checker itself; if it fails or runs out of time the report is returned unchanged
and the feedback shows the (escaped) source of those steps.
"""

from __future__ import annotations

from typing import Any

from derivlab.errors import DerivlabError
from derivlab.reports.expr_latex import DROPOUT_DISPLAY, TooLong, to_latex
from derivlab.sandbox import run_guarded
from derivlab.reports.route import features, locate


def typeset_text(text: str, context: str = "dropout") -> dict[int, dict[str, Any]]:
    """Step index -> {"lhs_tex", "rhs_tex", "lhs_features"} for every step whose two sides parse."""
    from derivlab.checking.derivation import typed_steps

    display = DROPOUT_DISPLAY if context == "dropout" else {}
    out: dict[int, dict[str, Any]] = {}
    for step in typed_steps(text, context=context):
        try:
            out[step.index] = {"lhs_tex": to_latex(step.lhs, display), "rhs_tex": to_latex(step.rhs, display),
                               "lhs_features": list(features(step.lhs))}
        except (TooLong, RecursionError):
            continue
    return out


def annotate_steps(text: str, report: dict, *, seconds: float, memory_mb: int) -> dict:
    """``report`` (DerivationReport JSON) with typeset sides and route moves added to its parsed steps."""
    steps = report.get("steps") or []
    if not steps or seconds <= 0.1:
        return report
    try:
        typeset = run_guarded(typeset_text, text, seconds=seconds, memory_mb=memory_mb)
    except DerivlabError:
        return report
    annotated = []
    for step in steps:
        got = typeset.get(int(step.get("index", 0)))
        if got is None or step.get("verdict") == "unparsed":
            annotated.append(step)
            continue
        move = locate(got["lhs_features"])
        annotated.append({**step, "lhs_tex": got["lhs_tex"], "rhs_tex": got["rhs_tex"],
                          "route_move": move.index, "route_rule": move.rule})
    return {**report, "steps": annotated}
