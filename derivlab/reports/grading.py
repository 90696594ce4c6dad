"""Batch grading: a folder of submissions -> Gradescope results.json, feedback and a summary.

    grade_folder(Path("class"), Path("graded"), jobs=None)
        class/S/{derivation.tex, weights_identity.json, ...}  for every submission S
     -> graded/S/results.json  (Gradescope's schema, one test per derivation step and per weights task)
        graded/S/feedback.pdf  (feedback.tex where no TeX engine exists)
        graded/summary.csv     (one row per submission)

Submissions are graded in parallel (ProcessPoolExecutor, ``jobs`` workers,
default all cores); each check inside runs under its own time and memory
limit. A broken or hostile submission gets an error entry (score 0, the reason)
and the batch goes on. ``grade_gradescope`` does the same for the single
submission of Gradescope's autograder container. Points: ``derivlab.reports.points``.
"""

from __future__ import annotations

import csv
import io
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from derivlab.errors import InputError
from derivlab.progress import track
from derivlab.reports.class_page import write_class_outputs
from derivlab.reports.feedback import write_feedback
from derivlab.reports.batch import (SUMMARY_FILE, batch_layout, completed_outcome, output_folders,
                                    output_lock, remove_stale_temporaries)
from derivlab.reports.files import printable, write_atomic
from derivlab.reports.gradescope import write_results
from derivlab.reports.points import POLICY, TASKS
from derivlab.reports.review import with_review
from derivlab.reports.submission import GradeOptions, SubmissionOutcome, error_outcome, grade_submission
from derivlab.reports.templating import format_points
from derivlab.sandbox import die_with_parent

SUMMARY_COLUMNS = (
    "submission", "score", "max_score", "derivation_verdict", "first_bad_step",
    *(f"weights_{t}" for t in TASKS), "feedback", "error", "seconds",
)


@dataclass(frozen=True)
class GradeReport:
    """The graded batch: one outcome per submission, the summary and the options used."""

    outcomes: tuple[SubmissionOutcome, ...]
    out_dir: str
    summary_csv: str
    jobs: int
    seconds: float
    options: GradeOptions
    skipped: tuple[tuple[str, str], ...] = ()  # (path, why) of what was found but not graded
    resumed: tuple[str, ...] = ()              # submissions already complete (``resume``), not graded again

    @property
    def exit_code(self) -> int:
        """0: every submission got its results.json (students' scores do not change it)."""
        return 0 if all(o.results_path for o in self.outcomes) else 1

    def to_json(self) -> dict:
        return {
            "out": self.out_dir,
            "summary": self.summary_csv,
            "jobs": self.jobs,
            "seconds": round(self.seconds, 3),
            "points": self.options.scheme.to_json(),
            "policy": POLICY,
            "submissions": [printable(o.to_json()) for o in self.outcomes],
            "not_graded": [{"path": printable(p), "reason": r} for p, r in self.skipped],
            "resumed": [printable(n) for n in self.resumed],
        }

    def render(self, console: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=f"derivlab grade: {len(self.outcomes)} submissions, {self.seconds:.1f} s, {self.jobs} jobs")
        for col in ("submission", "score", "derivation", *TASKS, "note"):
            table.add_column(col)
        for o in self.outcomes:
            d = o.derivation or {}
            verdict = o.derivation_verdict
            if d.get("first_bad_step") is not None:
                verdict += f" (step {d['first_bad_step']})"
            weights = [o.weights.get(t, {}).get("verdict", "-") for t in TASKS]
            table.add_row(escape(printable(o.name)), f"{format_points(o.score)}/{format_points(o.max_score)}",
                          verdict, *weights, escape(printable(o.error or o.feedback_note)[:60]))
        console.print(table)
        for path, reason in self.skipped:
            console.print(f"not graded: {printable(path)}: {reason}", markup=False)
        if self.resumed:
            console.print(f"--resume: {len(self.resumed)} submissions already complete, not graded again")
        console.print(POLICY, markup=False)
        console.print(f"results in {self.out_dir}; summary {self.summary_csv}")

    def _repr_html_(self) -> str:
        from derivlab.notebook import table

        rows = [[o.name, f"{format_points(o.score)} / {format_points(o.max_score)}", o.derivation_verdict,
                 *(o.weights.get(t, {}).get("verdict", "-") for t in TASKS), o.error or o.feedback_note]
                for o in self.outcomes]
        return table(["submission", "score", "derivation", *TASKS, "note"], rows,
                     caption=f"derivlab grade: {len(self.outcomes)} submissions, results in {self.out_dir}")


def _grade_and_write(folder: Path, out: Path, options: GradeOptions,
                     results_name: str = "results.json") -> SubmissionOutcome:
    """Worker: grade one submission and write its results.json and feedback (never raises)."""
    t0 = time.perf_counter()
    try:
        outcome = grade_submission(folder, options)
    except Exception as exc:  # one bad submission never stops the batch
        outcome = error_outcome(folder.name, f"could not be graded: {type(exc).__name__}: {exc}", options.scheme)
    return _write_outputs(outcome, out, options, time.perf_counter() - t0, results_name)


def _write_outputs(outcome: SubmissionOutcome, out: Path, options: GradeOptions, seconds: float,
                   results_name: str = "results.json") -> SubmissionOutcome:
    """Feedback first, then results.json (atomically): a results.json means the submission is complete."""
    out.mkdir(parents=True, exist_ok=True)
    outcome = with_review(replace(outcome, seconds=seconds), options.unreadable)
    try:
        feedback, note = write_feedback(outcome, out, pdf=options.feedback == "pdf", timeout=options.seconds)
    except Exception as exc:  # feedback is a courtesy: its failure must not lose the score
        feedback, note = Path(""), f"feedback not written: {type(exc).__name__}: {exc}"
    outcome = replace(outcome, results_path=str(out / results_name),
                      feedback_path=str(feedback) if str(feedback) else "", feedback_note=note)
    data = outcome.results()
    data.setdefault("extra_data", {})["derivlab"] = outcome.to_json()
    write_results(data, out / results_name)
    return outcome


def list_submissions(submissions: Path, out: Path | None = None) -> list[Path]:
    """The submission subfolders of ``submissions`` (hidden ones and the output folder skipped), by name."""
    return batch_layout(submissions, out).folders


def grade_folder(
    submissions: Path, out: Path, jobs: int | None = None, *, options: GradeOptions | None = None,
    resume: bool = False,
) -> GradeReport:
    """Grade every submission of ``submissions`` into ``out`` (see the module docstring).

    ``submissions`` may also be ONE student's folder (it holds derivation.tex or weights files).
    ``out`` is locked for the run (a second run into it exits 2); with ``resume`` submissions whose
    results.json is already complete are not graded again.
    """
    options = options or GradeOptions()
    layout = batch_layout(submissions, out)
    if jobs is not None and jobs < 1:
        raise InputError("--jobs must be at least 1")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None
    with output_lock(out):
        remove_stale_temporaries(out)
        targets = output_folders(layout.folders, out)
        t0 = time.perf_counter()
        done: dict[Path, SubmissionOutcome] = {}
        if resume:
            for folder, target in targets:
                previous = completed_outcome(target)
                if previous is not None:
                    done[folder] = previous
        todo = [(f, t) for f, t in targets if f not in done]
        jobs = min(jobs or os.cpu_count() or 1, max(1, len(todo)))
        graded: dict[Path, SubmissionOutcome] = {}
        if jobs == 1:
            for folder, target in track(todo, "grading submissions", total=len(todo)):
                graded[folder] = _grade_one_folder(folder, target, options)
        else:
            with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent) as pool:
                futures = [(f, t, pool.submit(_grade_one_folder, f, t, options)) for f, t in todo]
                for folder, target, future in track(futures, "grading submissions", total=len(futures)):
                    graded[folder] = _collect(folder, future, target, options)
        outcomes = [done.get(f) or graded[f] for f, _ in targets]
        summary = write_summary(outcomes, out / SUMMARY_FILE)
        write_class_outputs(outcomes, out, options.scheme)  # index.html, class.json, review.csv
    return GradeReport(tuple(outcomes), str(out), str(summary), jobs, time.perf_counter() - t0, options,
                       skipped=tuple(layout.skipped), resumed=tuple(o.name for o in done.values()))


def _grade_one_folder(folder: Path, target: Path, options: GradeOptions) -> SubmissionOutcome:
    try:
        if folder.is_symlink():
            outcome = error_outcome(folder.name, "the submission folder is a symbolic link", options.scheme)
            return _write_outputs(outcome, target, options, 0.0)
        return _grade_and_write(folder, target, options)
    except Exception as exc:  # even writing failed: the parent writes the error entry
        return error_outcome(folder.name, f"could not be written: {type(exc).__name__}: {exc}", options.scheme)


def _collect(folder: Path, future: Future, target: Path, options: GradeOptions) -> SubmissionOutcome:
    try:
        outcome = future.result()
        if outcome.results_path:
            return outcome
        reason = outcome.error
    except Exception as exc:  # the worker itself died (e.g. killed): an error entry, the batch goes on
        reason = f"grading crashed: {type(exc).__name__}: {exc}"
    outcome = error_outcome(folder.name, reason, options.scheme)
    try:
        return _write_outputs(outcome, target, options, 0.0)
    except Exception as exc:
        return replace(outcome, error=f"{reason}; results.json not written: {type(exc).__name__}: {exc}")


def write_summary(outcomes: list[SubmissionOutcome], path: Path) -> Path:
    """summary.csv, atomically: one row per submission (cells that a spreadsheet would run as formulas are
    quoted; undecodable bytes of names shown as ``\\xNN``)."""
    handle = io.StringIO()
    writer = csv.DictWriter(handle, fieldnames=SUMMARY_COLUMNS)
    writer.writeheader()
    for o in outcomes:
        d = o.derivation or {}
        row = {
            "submission": o.name, "score": o.score, "max_score": o.max_score,
            "derivation_verdict": o.derivation_verdict,
            "first_bad_step": "" if d.get("first_bad_step") is None else d["first_bad_step"],
            **{f"weights_{t}": o.weights.get(t, {}).get("verdict", "error") for t in TASKS},
            "feedback": o.feedback_path, "error": o.error or o.feedback_note, "seconds": round(o.seconds, 3),
        }
        writer.writerow({k: _spreadsheet_safe(printable(v)) for k, v in row.items()})
    return write_atomic(path, handle.getvalue())


def _spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def grade_gradescope(
    submission: Path = Path("/autograder/submission"),
    results: Path = Path("/autograder/results"),
    *,
    options: GradeOptions | None = None,
) -> GradeReport:
    """Grade the one submission inside Gradescope's container: write ``results/results.json``.

    ``results`` is the folder, or the file itself when it ends in ``.json``
    (``results=Path("x/results.json")`` writes that file). The feedback document
    goes beside it (feedback.pdf, or feedback.tex without TeX).
    """
    options = options or GradeOptions()
    if not submission.is_dir():
        raise InputError(f"{submission} is not a folder (is this Gradescope's autograder container?)")
    results, name = (results.parent, results.name) if results.suffix.lower() == ".json" else (results, "results.json")
    t0 = time.perf_counter()
    outcome = _grade_and_write(submission, results, options, name)
    return GradeReport((outcome,), str(results), "", 1, time.perf_counter() - t0, options)
