"""Does a student's chain start at the dropout objective (2) and reach the Tikhonov form (4)?

Valid steps alone prove nothing about the question (``E[..] = E[..]`` is valid), so
grading also asks where the chain goes. Both ends are judged by the same checker:
the student's file is re-checked with extra blocks appended (so the student's own
definitions apply) and the appended steps are read back by line number:

    first expression        = statements.IDENTITY.lhs                    (starts at (2))
    k-th right side         = statements.IDENTITY.rhs                    (reaches (4))

A right side counts as reaching (4) only when no expectation is left in it: every
expression of a valid chain from (2) EQUALS (4) in value; (4) is the closed form.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from derivlab.derivations.statements import IDENTITY
from derivlab.errors import DerivlabError

OBJECTIVE_LATEX, TIKHONOV_LATEX = IDENTITY.lhs, IDENTITY.rhs  # (2) and (4), from the claim's statement
OBJECTIVE_TEXT, TIKHONOV_TEXT = IDENTITY.lhs_text, IDENTITY.rhs_text
MAX_CANDIDATES = 40

#: an expectation in any spelling docs/spec/derivation-format.md accepts (\mathbb{E}, E_R, \operatorname{E}, ...).
_EXPECTATION = re.compile(
    r"\\mathbb\s*\{?\s*E|\\mathcal\s*\{?\s*E|\\operatorname\s*\{\s*E\s*\}|\\mathrm\s*\{\s*E\s*\}"
    r"|\\text\s*\{\s*E\s*\}|(?<![A-Za-z\\])E\s*(?:_|\[|\\left|\\big|\\Big)"
)


@dataclass(frozen=True)
class Endpoints:
    """Where the chain starts and where it first reaches (4) (a 1-based step index, or None)."""

    starts_at_objective: bool
    reached_at: int | None
    start_detail: str
    goal_detail: str


def has_expectation(latex: str) -> bool:
    """True when ``latex`` still contains an expectation (so it is not the closed form (4))."""
    return bool(_EXPECTATION.search(latex))


def chain_endpoints(text: str, report: dict, check: Callable[[Path], dict]) -> Endpoints:
    """Judge both ends of the chain in ``text`` (checked as ``report``) with ``check`` (path -> report JSON)."""
    steps = report.get("steps") or []
    if not steps:
        reason = "no checked steps, so the chain's ends cannot be compared with (2) and (4)"
        return Endpoints(False, None, reason, reason)
    start = str(steps[0].get("lhs_latex", ""))
    probes: list[tuple[int, str, str]] = []  # (step index or 0 for the start, left side, right side)
    if _embeddable(start):
        probes.append((0, start, OBJECTIVE_LATEX))
    for step in steps[:MAX_CANDIDATES]:
        rhs = str(step.get("rhs_latex", ""))
        if _embeddable(rhs) and not has_expectation(rhs):
            probes.append((int(step.get("index", 0)), rhs, TIKHONOV_LATEX))
    verdicts = _judge(text, probes, check)
    if isinstance(verdicts, str):
        return Endpoints(False, None, verdicts, verdicts)
    by_probe = dict(zip([(k, side) for k, side, _ in probes], verdicts))
    start_verdict = by_probe.get((0, start))
    starts = start_verdict == "valid"
    reached = next((k for (k, side), v in by_probe.items() if k > 0 and v == "valid"), None)
    start_detail = (f"The first expression {start} equals the objective {OBJECTIVE_TEXT}." if starts else
                    f"The first expression {start} is not shown equal to the objective {OBJECTIVE_TEXT} "
                    f"({start_verdict or 'not checkable'}).")
    goal_detail = (f"Step {reached} reaches {TIKHONOV_TEXT} (no expectation left)." if reached else
                   f"No expression of the chain without an expectation is shown equal to {TIKHONOV_TEXT}.")
    return Endpoints(starts, reached, start_detail, goal_detail)


def _judge(text: str, probes: list[tuple[int, str, str]], check: Callable[[Path], dict]) -> list[str] | str:
    """The checker's verdict on each probe ``left = right``, in order; a reason string if it could not run."""
    if not probes:
        return []
    marker = text.rfind("\\end{document}")
    first_line = text[: marker if marker >= 0 else len(text)].count("\n") + 3  # where the appended blocks start
    appended = "\n\n% derivlab: endpoint checks\n" + "".join(
        f"\\begin{{align*}}\n{left}\n  &= {right}\n\\end{{align*}}\n" for _, left, right in probes)
    probe_text = text + appended if marker < 0 else text[:marker] + appended + "\n" + text[marker:]
    with tempfile.TemporaryDirectory(prefix="derivlab-endpoints-") as tmp:
        probe = Path(tmp) / "derivation.tex"
        probe.write_text(probe_text, encoding="utf-8")
        try:
            probe_report = check(probe)
        except DerivlabError as exc:
            return f"the ends of the chain could not be checked: {exc}"
    extra = [s for s in probe_report.get("steps") or [] if int(s.get("line") or 0) >= first_line]
    if len(extra) != len(probes):
        return "the ends of the chain could not be checked (the probe blocks were not read back)"
    return [str(s.get("verdict")) for s in extra]


def _embeddable(latex: str) -> bool:
    """A student expression can go into a probe block without changing the block structure."""
    return bool(latex.strip()) and not any(bad in latex for bad in ("\\\\", "\\begin", "\\end", "$", "\\[", "\\]", "%"))
