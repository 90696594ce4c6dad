"""derivlab: SymPy derives, simulation confirms, LaTeX reports, a checker grades.

The public API (each returns the result object the CLI prints; every result has
``to_json()``, ``exit_code``, ``render(console)`` and, in Jupyter, ``_repr_html_``):

    >>> import derivlab
    >>> report = derivlab.check_derivation(text=r"\\[ p(1-p) = p - p^2 \\]", context="dropout")
    >>> report.verdict, [s.verdict for s in report.steps]
    ('valid', ['valid'])
    >>> derivlab.check_weights(derivlab.hand_coded_design("first").weights(), "first").verdict
    'pass'

* ``check_derivation(path, *, text=None, context="dropout", seed=0)`` -> ``DerivationReport``
* ``check_weights(path_or_mapping, task)`` -> ``WeightsReport``
* ``verify(claims=None, *, seed=0, quick=False)`` -> ``VerifyReport``
* ``grade(submissions, out, *, jobs=None)`` -> ``GradeReport``
* also: ``scale_threshold(task)``, ``hand_coded_design(task)``, ``train_many(task, seeds)``,
  ``compare(task, seeds=4)`` and the result classes, imported on first use.

Conventions used everywhere in the package:

* ``p`` is the KEEP probability of a dropout mask (``torch.nn.Dropout`` takes the
  DROP probability ``1 - p`` and rescales kept entries by ``1/p``).
* Positional rows are CONCATENATED to token features in the notebook's
  transformer, never added.

Layers (a module imports only from layers below it):
1. ``transformers``, ``numerics``  2. ``derivations``  3. ``claims``, ``checking``
4. ``reports``, ``testing``  5. ``bench``  6. ``cli``. This top-level module never
imports the CLI; it imports the layers below lazily, on first use.
"""

from __future__ import annotations

import importlib
from os import PathLike
from pathlib import Path
from typing import Any, Iterable

__version__ = "0.1.0"

#: name -> module that defines it (imported on first attribute access).
_LAZY = {
    "DerivationReport": "derivlab.checking.derivation",
    "StepVerdict": "derivlab.checking.derivation",
    "check_derivation_file": "derivlab.checking.derivation",
    "check_derivation_text": "derivlab.checking.derivation",
    "WeightsReport": "derivlab.checking.weights",
    "check_weights_file": "derivlab.checking.weights",
    "VerifyReport": "derivlab.claims",
    "verify_claims": "derivlab.claims",
    "GradeReport": "derivlab.reports.grading",
    "grade_folder": "derivlab.reports.grading",
    "grade_gradescope": "derivlab.reports.grading",
    "build_report": "derivlab.reports.build",
    "scale_threshold": "derivlab.derivations.attention_thresholds",
    "hand_coded_design": "derivlab.transformers.designs",
    "train_many": "derivlab.transformers.multiseed",
    "train_loop": "derivlab.transformers.training",
    "compare_task": "derivlab.transformers.comparison",
}

__all__ = ["check_derivation", "check_weights", "verify", "grade", "compare", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'derivlab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def check_derivation(path: str | PathLike | None = None, *, text: str | None = None, context: str = "dropout",
                     seed: int = 0):
    """Check a LaTeX derivation step by step: a file (``path``) or the LaTeX itself (``text=``).

    ``context`` is a built-in name (``dropout``) or an instructor's CONTEXT.toml. A file is
    checked in a child process under the CLI's time and memory limits. Returns a
    ``DerivationReport`` (``verdict``, ``first_bad_step``, ``steps``).
    """
    from derivlab.checking.derivation import check_derivation_file, check_derivation_text

    if (path is None) == (text is None):
        raise TypeError("check_derivation takes a path or text=..., not both")
    if text is not None:
        return check_derivation_text(text, context=context, seed=seed)
    return check_derivation_file(Path(path), context=context, seed=seed)


def check_weights(weights: str | PathLike | Any, task: str):
    """Check hand-coded weights on every input of ``task`` (identity, first or unique).

    ``weights`` is a .json/.npz path or a mapping with Km, Qm, Vm[, pos] (lists of rows,
    NumPy arrays or tensors). Returns a ``WeightsReport`` (``verdict`` "pass" or "fail").
    """
    from derivlab.checking.weights import check_weights as judge, check_weights_file
    from derivlab.checking.weights_io import weights_from_mapping

    if isinstance(weights, (str, PathLike)):
        return check_weights_file(Path(weights), task)
    return judge(weights_from_mapping(weights, task), task)


def verify(claims: Iterable[str] | None = None, *, seed: int = 0, quick: bool = False):
    """Derive and numerically confirm the claims (ids or globs such as ``"dropout.*"``; default all).
    Returns a ``VerifyReport`` (``ok``, ``claims``)."""
    from derivlab.claims import verify_claims

    return verify_claims(list(claims) if claims is not None else None, seed=seed, quick=quick)


def grade(submissions: str | PathLike, out: str | PathLike, *, jobs: int | None = None):
    """Grade a folder of submissions into ``out`` (results.json and feedback each, summary.csv).
    Returns a ``GradeReport``."""
    from derivlab.reports.grading import grade_folder

    return grade_folder(Path(submissions), Path(out), jobs=jobs)


def compare(task: str, seeds: int = 4, *, first_seed: int = 0, steps: int | None = None,
            out: str | PathLike | None = None):
    """Train ``seeds`` learned twins of ``task`` and measure the course's claims (``ComparisonReport``)."""
    from derivlab.transformers.comparison import compare_task

    return compare_task(task, seeds=seeds, first_seed=first_seed, steps=steps,
                        out_dir=Path(out) if out is not None else None)
