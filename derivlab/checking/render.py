"""The human output of ``derivlab check derivation``: a rich table of the steps,
then the counterexample and hint of the first bad step."""

from __future__ import annotations

import json
from typing import Any

_COLOURS = {"valid": "green", "invalid": "red", "unparsed": "magenta", "ill-typed": "yellow", "unknown": "cyan"}


def render_report(report: Any, console: Any) -> None:
    from rich.table import Table

    table = Table(title=f"derivlab check derivation: {report.file} (context {report.context})", show_lines=False)
    for col in ("step", "line", "verdict", "message"):
        table.add_column(col, overflow="fold")
    for s in report.steps:
        colour = _COLOURS.get(s.verdict, "white")
        table.add_row(str(s.index), str(s.line), f"[{colour}]{s.verdict}[/]", _escape(s.message))
    console.print(table)
    for note in report.notes:
        console.print(f"note: {_escape(note)}")
    bad = next((s for s in report.steps if s.index == report.first_bad_step), None)
    if bad is not None:
        console.print(f"[bold]step {bad.index}[/] (line {bad.line}): {_escape(bad.lhs_latex)} = {_escape(bad.rhs_latex)}")
        if bad.counterexample:
            console.print("counterexample: " + _escape(json.dumps(bad.counterexample)))
        if bad.hint:
            console.print(f"hint: {_escape(bad.hint)}")
    colour = _COLOURS.get(report.verdict, "white")
    console.print(f"derivation: [{colour}]{report.verdict}[/]"
                  + (f" (first bad step: {report.first_bad_step})" if report.first_bad_step else ""))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def report_html(report: Any) -> str:
    """Jupyter's view: the table of steps, each typeset (MathJax), with its verdict and message."""
    from derivlab.notebook import Html, math, paragraph, table, verdict

    rows = [[s.index, s.line, math(f"{s.lhs_latex} = {s.rhs_latex}"), verdict(s.verdict), s.message]
            for s in report.steps]
    parts = [table(["step", "line", "step checked", "verdict", "message"], rows,
                   caption=f"{report.file} (context {report.context})")]
    bad = next((s for s in report.steps if s.index == report.first_bad_step), None)
    if bad is not None and bad.counterexample:
        parts.append(paragraph(f"counterexample for step {bad.index}: {json.dumps(bad.counterexample)}"))
    if bad is not None and bad.hint:
        parts.append(paragraph(f"hint: {bad.hint}"))
    parts += [paragraph(f"note: {note}") for note in report.notes]
    first = f" (first bad step: {report.first_bad_step})" if report.first_bad_step else ""
    parts.append(Html(f"<p>derivation: {verdict(report.verdict)}{first}</p>"))
    return "".join(parts)
