"""The ``grading-throughput`` benchmark's pieces: 100 generated submissions graded
with every core (``grade_folder(jobs=None)``) against the same one at a time (jobs=1).

Feedback is written as .tex only when compiling it would dominate the time of a
submission (measured in ``prepare``: one pdflatex run against one grading), so
the benchmark measures grading, not TeX; the detail line says which was used.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from derivlab.reports.grading import GradeReport, grade_folder
from derivlab.reports.sample_class import write_class
from derivlab.reports.submission import GradeOptions

#: the mix of the generated class: mostly real work (correct and wrong), some broken and hostile files.
MIX = ("correct", "wrong", "correct", "wrong", "broken", "correct", "wrong", "hostile", "correct", "wrong")


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
    if compile_s > 0.5 * pdf_s:
        options, reason = replace(pdf_options, feedback="tex"), (
            f"feedback as .tex only: compiling it took {compile_s:.2f} s of {pdf_s:.2f} s per submission")
    else:
        options, reason = pdf_options, (
            f"feedback compiled to PDF ({compile_s:.2f} s of {pdf_s:.2f} s per submission is TeX)")
    return ThroughputSetup(root, submissions, options, count, reason)


def grade_with(setup: ThroughputSetup, jobs: int | None) -> GradeReport:
    """Grade the generated class with ``jobs`` workers (None: all cores) into a fresh folder."""
    out = setup.root / f"out-{jobs or 'all'}-{time.monotonic_ns()}"
    try:
        return grade_folder(setup.submissions, out, jobs=jobs, options=setup.options)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def describe(setup: ThroughputSetup, report: GradeReport) -> str:
    """The detail line: submissions, cores, scores seen and the feedback mode."""
    errors = sum(1 for o in report.outcomes if o.error)
    full = sum(1 for o in report.outcomes if o.score == o.max_score)
    return (f"{setup.count} submissions ({', '.join(sorted(set(MIX)))}), {report.jobs} workers of "
            f"{os.cpu_count()} cores; {full} full marks, {errors} with no gradable file; "
            f"{report.seconds / max(1, setup.count):.2f} s per submission; {setup.feedback_reason}")
