"""``derivlab check weights``: a student's Km, Qm, Vm (and pos) on EVERY input of a task.

identity (1092 sequences) and first (120): pass when numpy.allclose(out, target, rtol=1e-3,
atol=1e-8) for every sequence; unique (120): when the sign of every non-CLS output equals the
target. One batched forward pass (``transformers.criterion``), not a sample; a failing file
gets its worst sequence and a diagnosis (``weights_diagnosis``). Unusable files raise
``InputError`` (exit 2) from ``weights_io``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from derivlab.checking.weights_diagnosis import Diagnosis, diagnose
from derivlab.checking.weights_io import Weights, read_weights
from derivlab.errors import InputError
from derivlab.transformers.criterion import ATOL, RTOL, CriterionResult, evaluate_on_all_inputs
from derivlab.transformers.tasks import TASKS

CRITERION = {
    "identity": f"numpy.allclose(out, target, rtol={RTOL:g}, atol={ATOL:g}) on every sequence",
    "first": f"numpy.allclose(out, target, rtol={RTOL:g}, atol={ATOL:g}) on every sequence",
    "unique": "the sign of every non-CLS output equals the target (+1 unique, −1 repeated)",
}


@dataclass(frozen=True)
class WeightsReport:
    """The verdict on a weights file; ``worst`` is the failing (or, on a pass, the closest-to-failing) sequence."""

    task: str
    verdict: str  # "pass" | "fail"
    sequences_checked: int
    failures: int
    worst: dict | None
    message: str
    diagnosis: Diagnosis | None = None
    file: str = ""

    @property
    def exit_code(self) -> int:
        return 0 if self.verdict == "pass" else 1

    def to_json(self) -> dict:
        return {"task": self.task, "verdict": self.verdict, "sequences_checked": self.sequences_checked,
                "failures": self.failures, "worst": self.worst, "message": self.message,
                "diagnosis": None if self.diagnosis is None else self.diagnosis.to_json(),
                "criterion": CRITERION[self.task], "file": self.file}

    def render(self, console: Any) -> None:
        from rich.table import Table

        colour = "green" if self.verdict == "pass" else "red"
        console.print(f"[bold]{self.file or 'weights'}[/] on the {self.task} task: [{colour}]{self.verdict.upper()}[/] "
                      f"({self.sequences_checked - self.failures}/{self.sequences_checked} sequences pass; "
                      f"{CRITERION[self.task]})")
        if self.worst:
            title = "worst sequence" if self.verdict == "fail" else "closest to failing"
            table = Table(title=f"{title}: {self.worst['sequence']}")
            for col in ("row", "output", "target"):
                table.add_column(col)
            for r, (o, t) in enumerate(zip(self.worst["output"], self.worst["target"])):
                table.add_row(str(r), _fmt(o), _fmt(t))
            console.print(table)
        if self.diagnosis is not None:
            console.print(f"[bold]diagnosis ({self.diagnosis.kind}):[/] {self.diagnosis.message}")
        else:
            console.print(self.message)


    def _repr_html_(self) -> str:
        from derivlab.notebook import Html, paragraph, table, verdict

        head = Html(f"<p>{_html_escape(self.file or 'weights')} on the {self.task} task: {verdict(self.verdict)} "
                    f"({self.sequences_checked - self.failures}/{self.sequences_checked} sequences pass)</p>")
        parts = [head]
        if self.worst:
            title = "worst sequence" if self.verdict == "fail" else "closest to failing"
            rows = [[r, _fmt(o), _fmt(t)] for r, (o, t) in enumerate(zip(self.worst["output"], self.worst["target"]))]
            parts.append(table(["row", "output", "target"], rows, caption=f"{title}: {self.worst['sequence']}"))
        parts.append(paragraph(self.diagnosis.message if self.diagnosis is not None else self.message))
        return "".join(parts)


def _html_escape(text: str) -> str:
    import html

    return html.escape(text)


def _fmt(row: list[float | None]) -> str:
    return "[" + ", ".join("nan" if x is None else f"{x:.4g}" for x in row) + "]"


def _plain(x: Any) -> Any:
    """Lists of floats with NaN/inf as None, so the JSON stays strict."""
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x


def _worst(result: CriterionResult) -> dict:
    i = result.worst_index()
    batch = result.batch
    n = int(batch.mask[i].sum())
    worst = {"sequence": batch.names[i], "max_abs_error": float(result.error[i]),
             "output": np.round(result.out[i, :n], 12).tolist(), "target": batch.targets[i, :n].tolist(),
             "attention": np.round(result.weights[i, :n, :n], 12).tolist()}
    if result.task == "unique":
        worst["min_signed_output"] = float(result.margin[i])  # min over non-CLS rows of out·target
        worst["wrong_sign_rows"] = [int(r) for r in range(1, n)
                                    if np.sign(result.out[i, r, 0]) != batch.targets[i, r, 0]]
    else:
        worst["slack"] = float(result.margin[i])  # min of atol + rtol·|target| − |out − target|
    return {k: _plain(v) for k, v in worst.items()}


def check_weights(weights: Weights, task: str, file: str = "") -> WeightsReport:
    """Judge ``weights`` on every input of ``task`` (one batched forward pass)."""
    if task not in TASKS:
        raise InputError(f"unknown task {task!r} (identity, first, unique)")
    result = evaluate_on_all_inputs(task, weights.Km, weights.Qm, weights.Vm, weights.pos)
    n = len(result.passed)
    worst = _worst(result)
    if result.all_pass:
        message = (f"all {n} {task} sequences pass ({CRITERION[task]}); closest to failing: {worst['sequence']}")
        return WeightsReport(task, "pass", n, 0, worst, message, None, file)
    diagnosis = diagnose(task, weights, result)
    message = f"{result.failures} of {n} {task} sequences fail; worst {worst['sequence']}"
    if diagnosis is not None:
        message += f". {diagnosis.message}"
    return WeightsReport(task, "fail", n, result.failures, worst, message, diagnosis, file)


def check_weights_file(path: Path, task: str) -> WeightsReport:
    """Load ``path`` (.json or .npz: Km, Qm, Vm[, pos] as lists of rows) and judge it on every input of ``task``."""
    if task not in TASKS:
        raise InputError(f"unknown task {task!r} (identity, first, unique)")
    weights = read_weights(Path(path), task)
    return check_weights(weights, task, file=str(path))
