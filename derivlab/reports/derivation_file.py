"""OUT/derivations/dropout.tex: the report's dropout derivation alone, in the
student format of docs/spec/derivation-format.md (an ``align*`` chain, rows ``&= ...``),
so that ``derivlab check derivation`` grades the report like a student.

The rows are the ``.latex`` of ``derivlab.derivations.dropout_chain.
matrix_derivation_chain()``: SymPy-verified steps, not hand-typed text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derivlab.derivations.dropout_chain import matrix_derivation_chain, substitution_before
from derivlab.reports.templating import render, trusted


@dataclass(frozen=True)
class DerivationFile:
    """The written derivation file, or why it could not be written (``path`` None)."""

    path: Path | None
    steps: int
    status: str  # "written" | "not yet verified"
    reason: str = ""

    def to_json(self) -> dict:
        return {"path": None if self.path is None else str(self.path), "steps": self.steps,
                "status": self.status, "reason": self.reason}


def dropout_chain_steps() -> list[Any]:
    """The SymPy-verified matrix chain of ``derivlab.derivations.dropout_chain``."""
    return list(matrix_derivation_chain())


def definitions_before(count: int) -> list[str | None]:
    """The definition row (e.g. ``\\text{let } \\tilde{w} = w_{new}/p``) to write before each step, or None."""
    return [substitution_before(k) for k in range(count)]


def dropout_derivation_tex(steps: list[Any]) -> str:
    """The chain as a standalone LaTeX document: first row ``e0``, then ``&= e_k`` rows,
    with the chain's definition rows (the substitution w~ = w_new/p) where they belong."""
    definitions = definitions_before(len(steps))
    rows = [{"latex": trusted(s.latex), "rule": s.rule,
             "definition": trusted(d) if d else None} for s, d in zip(steps, definitions)]
    return render("dropout_derivation.tex.j2", rows=rows)


def write_dropout_derivation(out_dir: Path) -> DerivationFile:
    """Write ``out_dir/derivations/dropout.tex`` from the verified chain (if it exists yet)."""
    steps = dropout_chain_steps()
    path = out_dir / "derivations" / "dropout.tex"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dropout_derivation_tex(steps), encoding="utf-8")
    return DerivationFile(path, max(0, len(steps) - 1), "written")
