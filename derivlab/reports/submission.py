"""Grade ONE submission folder: its derivation and weight files become Gradescope tests.

Every check runs under a time and memory limit (``derivlab.sandbox``);
a missing, broken, oversized, symlinked or hostile file costs the student that
part's points with a one-line reason, never the batch. Student files are only
ever read by the checkers (which never eval them) and student text only
reaches LaTeX escaped (``feedback.py``).
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derivlab.errors import DerivlabError, InputError
from derivlab.reports import points
from derivlab.reports.endpoints import chain_endpoints
from derivlab.reports.gradescope import GradescopeTest, results_json
from derivlab.sandbox import SubmissionClock, run_guarded
from derivlab.reports.templating import format_points

DERIVATION_FILE = "derivation.tex"
MAX_TEX_BYTES = 256 * 1024
MAX_WEIGHTS_BYTES = 8 * 2**20



@dataclass(frozen=True)
class GradeOptions:
    """Limits per submission (``seconds`` of wall clock for all its checks together, ``memory_mb`` per
    check), the points scheme, and whether feedback is compiled ("pdf") or left as "tex"."""

    seconds: float = 30.0
    memory_mb: int = 2048
    feedback: str = "pdf"  # "pdf" (when a TeX engine exists) | "tex"
    scheme: points.PointsScheme = points.DEFAULT_SCHEME
    seed: int = 0


@dataclass(frozen=True)
class SubmissionOutcome:
    """One graded submission: its tests (Gradescope), what the checkers said, and the files written."""

    name: str
    tests: tuple[GradescopeTest, ...]
    derivation: dict | None = None
    weights: dict = field(default_factory=dict)  # task -> WeightsReport.to_json() or {"error": reason}
    error: str = ""
    seconds: float = 0.0
    results_path: str = ""
    feedback_path: str = ""
    feedback_note: str = ""
    derivation_error: str = ""  # derivation.tex exists but could not be checked: why

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 4)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 4)

    @property
    def derivation_verdict(self) -> str:
        """The checker's verdict, or "error" (file not checkable) or "missing" (no derivation.tex)."""
        if self.derivation is not None:
            return str(self.derivation.get("verdict", "unknown"))
        return "error" if self.derivation_error else "missing"

    def results(self) -> dict:
        """Gradescope's results.json for this submission."""
        output = f"Score {format_points(self.score)} / {format_points(self.max_score)}."
        if self.error:
            output += f" {self.error}"
        return results_json(list(self.tests), output=output, execution_time=self.seconds)

    def to_json(self) -> dict:
        return {
            "submission": self.name,
            "score": self.score,
            "max_score": self.max_score,
            "derivation_verdict": self.derivation_verdict,
            "first_bad_step": (self.derivation or {}).get("first_bad_step"),
            "weights": {t: w.get("verdict", "error") for t, w in self.weights.items()},
            "error": self.error or None,
            "results": self.results_path,
            "feedback": self.feedback_path,
            "feedback_note": self.feedback_note or None,
            "seconds": round(self.seconds, 3),
        }


def find_submission_root(folder: Path) -> Path:
    """``folder``, or its single subfolder when the files were uploaded inside one folder."""
    entries = [e for e in folder.iterdir() if not e.name.startswith((".", "__MACOSX"))]
    if any(_is_expected(e.name) for e in entries):
        return folder
    dirs = [e for e in entries if e.is_dir() and not e.is_symlink()]
    if len(dirs) == 1 and not [e for e in entries if e.is_file()]:
        return find_submission_root(dirs[0])
    return folder


def _is_expected(name: str) -> bool:
    return name == DERIVATION_FILE or any(name == f"weights_{t}.{ext}" for t in points.TASKS for ext in ("json", "npz"))


def grade_submission(folder: Path, options: GradeOptions = GradeOptions()) -> SubmissionOutcome:
    """Check ``folder``'s derivation.tex and weights_{identity,first,unique}.(json|npz); no files written."""
    t0 = time.perf_counter()
    root = find_submission_root(folder)
    clock = SubmissionClock(options.seconds)
    # The weights checks are fast (well under a second each): they run first, so a derivation that
    # uses up the submission's time budget cannot cost the student the weights points.
    weights: dict[str, dict] = {}
    weights_tests: list[GradescopeTest] = []
    for task in points.TASKS:
        report, test = _grade_weights(root, task, options, clock)
        weights[task] = report
        weights_tests.append(test)
    derivation_error = ""
    derivation, derivation_tests = _grade_derivation(root, options, clock)
    if derivation is None and os.path.lexists(root / DERIVATION_FILE):
        derivation_error = derivation_tests[0].output
    tests: list[GradescopeTest] = [*derivation_tests, *weights_tests]
    error = ""
    if not any(_is_expected(e.name) for e in root.iterdir()):
        found = sorted(e.name for e in root.iterdir())[:8]
        error = ("No gradable file found: expected derivation.tex and weights_identity/first/unique.json (or .npz); "
                 f"found: {', '.join(found) or 'nothing'}.")
    return SubmissionOutcome(folder.name, tuple(tests), derivation, weights, error, time.perf_counter() - t0,
                             derivation_error=derivation_error)


def error_outcome(name: str, reason: str, scheme: points.PointsScheme = points.DEFAULT_SCHEME) -> SubmissionOutcome:
    """A submission that could not be graded at all: score 0 with the one-line reason."""
    test = GradescopeTest("submission", 0.0, scheme.total, reason, number="0")
    return SubmissionOutcome(name, (test,), None, {}, reason)


# --- files ------------------------------------------------------------------------


def _regular_file(path: Path, max_bytes: int) -> Path:
    """``path`` if it is a regular file (not a link) of at most ``max_bytes``; else InputError."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise InputError(f"no {path.name} in the submission") from None
    if stat.S_ISLNK(info.st_mode):
        raise InputError(f"{path.name} is a symbolic link; submit the file itself")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path.name} is not a regular file")
    if info.st_size > max_bytes:
        raise InputError(f"{path.name} is {info.st_size} bytes; the limit is {max_bytes}")
    return path


# --- the derivation -----------------------------------------------------------------


def _check_derivation_json(path: Path, options: GradeOptions, clock: SubmissionClock) -> dict:
    """The student checker's report as plain JSON; the checker guards itself (a child process under
    what is left of the submission's time and ``options.memory_mb``). DerivlabError for unusable files
    or exhausted limits."""
    from derivlab.checking.derivation import check_derivation_file

    try:
        report = check_derivation_file(path, context="dropout", seed=options.seed, guarded=True,
                                       seconds=clock.remaining(), memory_mb=options.memory_mb)
    except DerivlabError:
        raise
    except Exception as exc:  # the guard re-raises the child's exception: one line for the student
        raise InputError(f"internal error {type(exc).__name__}: {exc}") from None
    return report.to_json()


def _grade_derivation(root: Path, options: GradeOptions, clock: SubmissionClock) -> tuple[dict | None, list[GradescopeTest]]:
    scheme = options.scheme
    if not os.path.lexists(root / DERIVATION_FILE):
        return None, points.derivation_missing_tests("no derivation.tex in the submission", scheme)
    try:
        path = _regular_file(root / DERIVATION_FILE, MAX_TEX_BYTES)
        text = path.read_bytes().decode("utf-8")
    except InputError as exc:
        return None, points.derivation_missing_tests(str(exc), scheme)
    except UnicodeDecodeError as exc:
        return None, points.derivation_missing_tests(f"derivation.tex is not UTF-8 text (byte {exc.start})", scheme)
    try:
        report = _check_derivation_json(path, options, clock)
    except DerivlabError as exc:
        return None, points.derivation_missing_tests(f"derivation.tex could not be checked: {exc}", scheme)
    ends = chain_endpoints(text, report, lambda probe: _check_derivation_json(probe, options, clock))
    tests = points.derivation_step_tests(report, scheme, reached_at=ends.reached_at)
    tests += points.endpoint_tests(ends.starts_at_objective, ends.start_detail, ends.reached_at is not None,
                                   ends.goal_detail, scheme)
    return report, tests


# --- the weights ----------------------------------------------------------------------


def _check_weights_json(path: str, task: str) -> dict:
    """Runs in the limited subprocess: the weights checker's report as plain JSON."""
    from derivlab.checking.weights import check_weights_file

    return check_weights_file(Path(path), task=task).to_json()


def _grade_weights(root: Path, task: str, options: GradeOptions, clock: SubmissionClock) -> tuple[dict, GradescopeTest]:
    candidates = [root / f"weights_{task}.json", root / f"weights_{task}.npz"]
    present = [c for c in candidates if os.path.lexists(c)]
    if not present:
        reason = f"no weights_{task}.json or weights_{task}.npz submitted"
        return {"error": reason}, points.weights_test(task, None, reason, options.scheme)
    try:
        path = _regular_file(present[0], MAX_WEIGHTS_BYTES)
        report: Any = run_guarded(_check_weights_json, str(path), task,
                                  seconds=clock.remaining(), memory_mb=options.memory_mb)
    except DerivlabError as exc:
        reason = f"{present[0].name} could not be checked: {exc}"
        return {"error": reason}, points.weights_test(task, None, reason, options.scheme)
    return report, points.weights_test(task, report, scheme=options.scheme)
