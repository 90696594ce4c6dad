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


# ---- expressions as readable text (not LaTeX): one rule per node type ------------------------------

from derivlab.checking.expr import (  # noqa: E402  (the report half above needs nothing from expr)
    Add, Binary, Const, DiagOf, DiagPart, Divide, Entry, Expectation, Expr, Gradient, Hadamard, Identity, Indicator, MatMul,
    Named, Neg, Norm, Ones, Power, Scale, Slice, Sum, Trace, Transpose, Var, dispatch,
)


def render_expr(expr: Expr) -> str:
    """'Xᵀ X', 'diag(Xᵀ X)^(1/2)', 'E_R[...]', 'Σ_j X[i,j] w[j]'."""
    return dispatch(RENDER, expr, "rendering")(expr)


def _wrap(expr: Expr, kinds) -> str:
    text = render_expr(expr)
    return f"({text})" if isinstance(expr, kinds) else text


def _add(e: Add) -> str:
    if isinstance(e.right, Neg):
        return f"{render_expr(e.left)} - {_wrap(e.right.arg, (Add, Sum))}"
    return f"{render_expr(e.left)} + {render_expr(e.right)}"


def _power(e: Power) -> str:
    k = e.exponent
    ex = str(k) if k.denominator == 1 and k >= 0 else f"({k})"
    return f"{_wrap(e.base, (Binary, Neg, Sum))}^{ex}"


def _index(t) -> str:
    return str(t)


def _entry(e: Entry) -> str:
    at = _index(e.row) if e.arg.shape[1] == 1 else _index(e.col) if e.arg.shape[0] == 1 else f"{e.row},{e.col}"
    return f"{_wrap(e.arg, (Binary, Neg, Transpose, Power, Sum, Expectation))}[{at}]"


def _slice(e: Slice) -> str:
    at = f"{e.index},:" if e.axis == 0 else f":,{e.index}"
    return f"{_wrap(e.arg, (Binary, Neg, Sum))}[{at}]"


def _sum(e: Sum) -> str:
    rng = f"={1}..{e.dim}" if e.dim is not None else ""
    cond = f", {e.condition.text()}" if e.condition.relations else ""
    return f"Σ_{{{e.index}{rng}{cond}}} {_wrap(e.body, (Add, Neg))}"


RENDER = {
    Var: lambda e: e.name,
    Named: lambda e: e.name,
    Const: lambda e: str(e.value),
    Ones: lambda e: "𝟏",
    Identity: lambda e: "I",
    Add: _add,
    Neg: lambda e: f"-{_wrap(e.arg, (Add, Sum))}",
    MatMul: lambda e: f"{_wrap(e.left, (Add, Neg, Hadamard, Sum))} {_wrap(e.right, (Add, Neg, Hadamard, MatMul, Scale, Sum))}",
    Scale: lambda e: f"{_wrap(e.left, (Add, Neg, Hadamard, Sum))} {_wrap(e.right, (Add, Neg, Hadamard, MatMul, Scale, Sum))}",
    Hadamard: lambda e: f"{_wrap(e.left, (Add, Neg, Sum))} ⊙ {_wrap(e.right, (Add, Neg, Hadamard, MatMul, Scale, Sum))}",
    Divide: lambda e: f"{_wrap(e.left, (Add, Sum))}/{_wrap(e.right, Binary)}",
    Transpose: lambda e: f"{_wrap(e.arg, (Binary, Neg, Sum))}ᵀ",
    DiagPart: lambda e: f"diag({render_expr(e.arg)})",
    DiagOf: lambda e: f"diag({render_expr(e.arg)})",
    Trace: lambda e: f"tr({render_expr(e.arg)})",
    Norm: lambda e: f"‖{render_expr(e.arg)}‖",
    Power: _power,
    Expectation: lambda e: f"E_{','.join(e.bound)}[{render_expr(e.body)}]",
    Gradient: lambda e: f"∇_{e.wrt}({render_expr(e.body)})",
    Entry: _entry,
    Slice: _slice,
    Sum: _sum,
    Indicator: lambda e: f"[{e.condition.text()}]",
}
