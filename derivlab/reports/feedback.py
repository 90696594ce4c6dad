"""Per-student feedback: every step with its verdict, the counterexample and hint of
wrong steps, the weights verdicts; parsed steps typeset from the parse tree
(``feedback_typeset.py``), the source shown (escaped) only where a step did not parse; written as feedback.tex and compiled to
feedback.pdf (paranoid TeX, no shell escape, time limit).

Student text reaches the .tex only through the template's escaping
(``templating.py``): a submission holding ``\\input{/etc/passwd}`` or
``\\write18`` is typeset as those characters, never run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from derivlab.errors import VerificationFailure
from derivlab.reports.feedback_typeset import counterexample_table, step_math
from derivlab.reports.points import TASK_QUESTION, TASKS, counterexample_text, worst_text
from derivlab.reports.submission import SubmissionOutcome
from derivlab.reports.templating import render, trusted
from derivlab.reports.tex import compile_pdf, tex_engine

OBJECTIVE_MATH = r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]"
TIKHONOV_MATH = r"\|y - pX\tilde{w}\|_2^2 + p(1-p)\,\|\tilde{\Gamma}\tilde{w}\|_2^2"

_STEP_DEFAULTS: dict[str, Any] = {
    "index": "?", "line": "?", "lhs_latex": "", "rhs_latex": "", "verdict": "unknown",
    "method": "", "message": "", "counterexample": None, "hint": None,
    "points": None, "max_points": None, "credit_note": "", "held": False,
}


def feedback_tex(outcome: SubmissionOutcome) -> str:
    """The feedback document for ``outcome`` as LaTeX source."""
    derivation = None
    derivation_tests = [t for t in outcome.tests if "derivation" in t.tags]
    step_tests = [t for t in derivation_tests if "endpoint" not in t.tags]
    if outcome.derivation is not None:
        steps = [{**_STEP_DEFAULTS, **s, "math": step_math(s), "counterexample_table": counterexample_table(
            s.get("counterexample"))} for s in outcome.derivation.get("steps") or []]
        for step, test in zip(steps, step_tests if len(step_tests) == len(steps) else []):
            step["points"], step["max_points"] = test.score, test.max_score
            step["held"] = "review" in test.tags
            last_line = test.output.splitlines()[-1] if test.output else ""
            step["credit_note"] = last_line if last_line.startswith(("No credit", "Partial credit")) else ""
        derivation = {
            "verdict": outcome.derivation.get("verdict", "unknown"),
            "first_bad_step": outcome.derivation.get("first_bad_step"),
            "steps": steps,
        }
    reason = derivation_tests[0].output if derivation_tests else "no derivation.tex was submitted"
    weights = []
    for task in TASKS:
        report = outcome.weights.get(task)
        item: dict[str, Any] = {"title": f"{TASK_QUESTION[task]}, {task} task", "report": None, "reason": "",
                                "verdict": "not submitted", "worst_text": ""}
        if report is None or "error" in report:
            item["reason"] = (report or {}).get("error", "not graded")
            item["verdict"] = "no credit"
        else:
            item["report"] = {"sequences_checked": report.get("sequences_checked", "?"),
                              "failures": report.get("failures", "?"), "message": report.get("message", ""),
                              "worst": report.get("worst")}
            item["verdict"] = report.get("verdict", "unknown")
            worst = report.get("worst") or {}
            item["worst_text"] = worst_text({k: v for k, v in worst.items() if not isinstance(v, (list, dict))})
        weights.append(item)
    return render(
        "feedback.tex.j2",
        name=outcome.name, score=outcome.score, max_score=outcome.max_score, error=outcome.error,
        tests=points_rows(outcome), derivation=derivation,
        review=outcome.review or {}, derivation_reason=reason,
        endpoint_tests=[endpoint_item(t, outcome.derivation) for t in derivation_tests if "endpoint" in t.tags],
        weights=weights, counterexample=counterexample_text,
    )


def endpoint_item(test: Any, derivation: dict | None) -> dict[str, Any]:
    """An endpoint test for the document: typeset when the chain's steps were (``feedback_typeset``)."""
    item = {"name": test.name, "passed": test.passed, "held": "review" in test.tags, "text": test.output}
    steps = (derivation or {}).get("steps") or []
    if test.output.startswith("Held for review") or not steps:
        return item
    if "objective" in test.name and isinstance(steps[0].get("lhs_tex"), str):
        verb = "equals" if test.passed else "is not shown equal to"
        item["text"] = trusted(rf"Your first expression ${steps[0]['lhs_tex']}$ {verb} the objective "
                               rf"${OBJECTIVE_MATH}$.")
    elif "Tikhonov" in test.name:
        item["text"] = trusted((r"A right side with no expectation left equals " if test.passed else
                                r"No right side without an expectation is shown equal to ") + rf"${TIKHONOV_MATH}$.")
    return item


def points_rows(outcome: SubmissionOutcome) -> list[dict[str, Any]]:
    """The points table: the derivation steps summed in one row, every other test on its own."""
    visible = [t for t in outcome.tests if t.visibility != "hidden"]
    steps = [t for t in visible if "derivation" in t.tags and "endpoint" not in t.tags]
    rows: list[dict[str, Any]] = []
    for test in visible:
        if test in steps:
            if test is steps[0]:
                label = f"Q3 derivation, {len(steps)} steps" if len(steps) > 1 else test.name
                rows.append({"name": label, "score": sum(t.score for t in steps),
                             "max_score": sum(t.max_score for t in steps)})
            continue
        rows.append({"name": test.name, "score": test.score, "max_score": test.max_score})
    return rows


def write_feedback(outcome: SubmissionOutcome, folder: Path, *, pdf: bool = True, timeout: float = 60.0) -> tuple[Path, str]:
    """Write ``folder/feedback.tex`` and, when ``pdf`` and a TeX engine exist, ``feedback.pdf``.

    Returns the path students should get and a note ("" when all went to plan).
    """
    folder.mkdir(parents=True, exist_ok=True)
    tex = folder / "feedback.tex"
    tex.write_text(feedback_tex(outcome), encoding="utf-8")
    if not pdf:
        return tex, ""
    if tex_engine() is None:
        return tex, "no TeX engine: feedback left as .tex"
    try:
        compiled = compile_pdf(tex, timeout=timeout, engine="pdflatex", passes=1)
    except VerificationFailure as exc:
        return tex, f"feedback PDF failed: {exc}"
    tex.with_suffix(".log").unlink(missing_ok=True)
    return compiled.pdf, ""
