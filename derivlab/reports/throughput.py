"""The ``grading-throughput`` benchmark's pieces: 100 generated submissions graded
with every core (``grade_folder(jobs=None)``) against the same one at a time (jobs=1).

Feedback is compiled to PDF whenever a TeX engine exists (the course's goal is 300
submissions with PDFs in under 3 minutes on 2 cores); ``prepare`` measures the TeX share
of one submission and the detail line reports it, with submissions per second and the
share of the batch spent building the class page (index.html, class.json, review.csv).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from derivlab.reports import grading
from derivlab.reports.class_page import ClassOutputs, write_class_outputs
from derivlab.reports.grading import GradeReport, grade_folder
from derivlab.reports.sample_class import write_class
from derivlab.reports.submission import GradeOptions

#: the mix of the generated class: mostly real work (correct and wrong), some broken and hostile files.
MIX = ("correct", "wrong", "correct", "wrong", "broken", "correct", "wrong", "hostile", "correct", "unreadable")


@dataclass(frozen=True)
class ThroughputSetup:
    """A generated class folder, where results go, and the feedback mode chosen."""

    root: Path
    submissions: Path
    options: GradeOptions
    count: int
    feedback_reason: str


def prepare(count: int = 100) -> ThroughputSetup:
    """Write ``count`` submissions (the ``MIX``) to a temporary folder; choose the feedback mode."""
    root = Path(tempfile.mkdtemp(prefix="derivlab-grading-bench-"))
    atexit.register(shutil.rmtree, root, True)
    submissions = root / "class"
    write_class(submissions, MIX, count=count)
    probe = root / "probe"
    write_class(probe, ("correct", "wrong"))
    pdf_options = GradeOptions(feedback="pdf")
    report = grade_folder(probe, root / "probe-out", jobs=1, options=pdf_options)  # also warms up imports
    tex_report = grade_folder(probe, root / "probe-tex", jobs=1, options=replace(pdf_options, feedback="tex"))
    pdf_s, tex_s = report.seconds / 2, tex_report.seconds / 2
    compile_s = max(pdf_s - tex_s, 0.0)
    if not any(o.feedback_path.endswith(".pdf") for o in report.outcomes):
        options, reason = replace(pdf_options, feedback="tex"), "feedback as .tex only (no TeX engine)"
    else:
        options, reason = pdf_options, (
            f"feedback compiled to PDF ({compile_s:.2f} s of {pdf_s:.2f} s per submission is TeX, one at a time)")
    return ThroughputSetup(root, submissions, options, count, reason)


@dataclass(frozen=True)
class Graded:
    """One graded batch and the seconds its class page took (inside the batch)."""

    report: GradeReport
    page_seconds: float
    page_bytes: int


def grade_with(setup: ThroughputSetup, jobs: int | None) -> Graded:
    """Grade the generated class with ``jobs`` workers (None: all cores) into a fresh folder."""
    out = setup.root / f"out-{jobs or 'all'}-{time.monotonic_ns()}"
    pages: list[ClassOutputs] = []

    def timed_page(*args, **kwargs) -> ClassOutputs:
        pages.append(write_class_outputs(*args, **kwargs))
        return pages[-1]

    original = grading.write_class_outputs
    grading.write_class_outputs = timed_page  # the batch's own page build, timed where it runs
    try:
        report = grade_folder(setup.submissions, out, jobs=jobs, options=setup.options)
        size = pages[0].index_html.stat().st_size if pages else 0
        return Graded(report, pages[0].seconds if pages else 0.0, size)
    finally:
        grading.write_class_outputs = original
        shutil.rmtree(out, ignore_errors=True)


def describe(setup: ThroughputSetup, graded: Graded) -> str:
    """The detail line: submissions per second, cores, the class page's share, scores and feedback mode."""
    report = graded.report
    errors = sum(1 for o in report.outcomes if o.error)
    full = sum(1 for o in report.outcomes if o.score == o.max_score)
    review = sum(1 for o in report.outcomes if o.review and o.review.get("needs_review"))
    share = graded.page_seconds / report.seconds if report.seconds else 0.0
    return (f"{setup.count} submissions ({', '.join(sorted(set(MIX)))}) in {report.seconds:.1f} s = "
            f"{setup.count / max(report.seconds, 1e-9):.2f} submissions/s, {report.jobs} workers of "
            f"{os.cpu_count()} cores; class page {graded.page_seconds:.2f} s = {100 * share:.1f}% of the batch "
            f"({graded.page_bytes / 1024:.0f} KiB); {full} full marks, {review} need review, {errors} with no "
            f"gradable file; {setup.feedback_reason}")
