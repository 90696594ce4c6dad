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
from derivlab.reports.gradescope import GradescopeTest, results_json
from derivlab.sandbox import LimitExceeded, SubmissionClock, run_guarded
from derivlab.reports.templating import format_points
from derivlab.reports.submission_files import find_files

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
    not_graded: tuple[str, ...] = ()  # files of the submission that were not graded, each with the reason
    notes: tuple[str, ...] = ()       # which files were graded as what (Derivation.tex, hw/...)

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
        for note in self.notes:
            output += f"\n{note}"
        for item in self.not_graded:
            output += f"\nNot graded: {item}"
        output += "\n" + points.POLICY
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
            "not_graded": list(self.not_graded),
            "notes": list(self.notes),
        }

    @classmethod
    def from_results(cls, data: dict) -> "SubmissionOutcome":
        """The outcome recorded in a results.json this grader wrote (``extra_data.derivlab``), for --resume."""
        record = data["extra_data"]["derivlab"]
        tests = tuple(GradescopeTest(str(t["name"]), float(t["score"]), float(t["max_score"]), str(t.get("output", "")),
                                     number=str(t.get("number", "")), visibility=str(t.get("visibility", "visible")),
                                     tags=tuple(t.get("tags") or ()), status=str(t.get("status", "")))
                      for t in data["tests"])
        verdict = str(record.get("derivation_verdict", "missing"))
        derivation = None if verdict in ("missing", "error") else {
            "verdict": verdict, "first_bad_step": record.get("first_bad_step")}
        return cls(str(record["submission"]), tests, derivation,
                   {t: {"verdict": v} for t, v in (record.get("weights") or {}).items()},
                   record.get("error") or "", float(record.get("seconds") or 0.0), str(record.get("results") or ""),
                   str(record.get("feedback") or ""), record.get("feedback_note") or "",
                   "error" if verdict == "error" else "", tuple(record.get("not_graded") or ()),
                   tuple(record.get("notes") or ()))


def find_submission_root(folder: Path) -> Path:
    """The folder of ``folder`` that holds the work (itself, or one folder below it)."""
    return find_files(folder).root


def grade_submission(folder: Path, options: GradeOptions = GradeOptions()) -> SubmissionOutcome:
    """Check a submission's derivation and weights files (``submission_files``: the usual variations of
    names and layouts are accepted, the rest named); no files written."""
    t0 = time.perf_counter()
    files = find_files(folder)
    clock = SubmissionClock(options.seconds)
    # The weights checks are fast (well under a second each): they run first, so a derivation that
    # uses up the submission's time budget cannot cost the student the weights points.
    weights: dict[str, dict] = {}
    weights_tests: list[GradescopeTest] = []
    for task in points.TASKS:
        report, test = _grade_weights(files.weights.get(task), task, options, clock)
        weights[task] = report
        weights_tests.append(test)
    derivation_error = ""
    derivation, derivation_tests = _grade_derivation(files.derivation, options, clock)
    if derivation is None and files.derivation is not None:
        derivation_error = derivation_tests[0].output
    tests: list[GradescopeTest] = [*derivation_tests, *weights_tests]
    error = ""
    if not files.anything:
        found = [item.split(":")[0] for item in files.not_graded][:8]
        error = ("No gradable file found: expected derivation.tex and weights_identity/first/unique.json (or .npz); "
                 f"found: {', '.join(found) or 'nothing'}.")
    name = folder.stem if files.derivation == folder else folder.name
    return SubmissionOutcome(name, tuple(tests), derivation, weights, error, time.perf_counter() - t0,
                             derivation_error=derivation_error, not_graded=tuple(files.not_graded),
                             notes=tuple(files.notes))


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


def judge_derivation(text: str, seed: int = 0) -> dict:
    """Runs in the limited subprocess: the checker's report and the chain's endpoints, as plain JSON."""
    from derivlab.checking.derivation import check_derivation_text
    from derivlab.reports.endpoints import Endpoints, judge_chains

    report = check_derivation_text(text, context="dropout", seed=seed, file=DERIVATION_FILE)
    valid = frozenset(s.index for s in report.steps if s.verdict == "valid")
    try:
        ends = judge_chains(text, valid=valid, seed=seed)
    except DerivlabError as exc:
        reason = f"the ends of the chain could not be judged: {exc}"
        ends = Endpoints(False, None, reason, reason)
    return {"report": report.to_json(), "ends": ends.to_json()}


def _grade_derivation(path: Path | None, options: GradeOptions, clock: SubmissionClock
                      ) -> tuple[dict | None, list[GradescopeTest]]:
    from derivlab.reports.endpoints import Endpoints

    scheme = options.scheme
    if path is None:
        return None, points.derivation_missing_tests("no derivation.tex in the submission", scheme)
    try:
        path = _regular_file(path, MAX_TEX_BYTES)
        text = path.read_bytes().decode("utf-8")
    except InputError as exc:
        return None, points.derivation_missing_tests(str(exc), scheme)
    except OSError as exc:
        return None, points.derivation_missing_tests(f"{path.name} cannot be read: {exc.strerror or exc}", scheme)
    except UnicodeDecodeError as exc:
        return None, points.derivation_missing_tests(f"{path.name} is not UTF-8 text (byte {exc.start})", scheme)
    try:
        judged = run_guarded(judge_derivation, text, options.seed, seconds=clock.remaining(),
                             memory_mb=options.memory_mb)
    except LimitExceeded as exc:  # a verdict (unknown), not a broken file
        reason = f"{path.name} could not be decided within the limits ({exc}): verdict unknown"
        return ({"file": path.name, "verdict": "unknown", "first_bad_step": None, "steps": [], "notes": [reason]},
                points.derivation_missing_tests(reason, scheme))
    except DerivlabError as exc:
        return None, points.derivation_missing_tests(f"{path.name} could not be checked: {exc}", scheme)
    report, ends = judged["report"], Endpoints.from_json(judged["ends"])
    tests = points.derivation_step_tests(report, scheme, reached_at=ends.reached_at,
                                         main_chain=ends.main_chain, trivial=ends.trivial)
    tests += points.endpoint_tests(ends.starts_at_objective, ends.start_detail, ends.reached_at is not None,
                                   ends.goal_detail, scheme)
    tests += points.notes_test(report.get("notes") or [])
    return report, tests


# --- the weights ----------------------------------------------------------------------


def _check_weights_json(path: str, task: str) -> dict:
    """Runs in the limited subprocess: the weights checker's report as plain JSON."""
    from derivlab.checking.weights import check_weights_file

    return check_weights_file(Path(path), task=task).to_json()


def _grade_weights(path: Path | None, task: str, options: GradeOptions, clock: SubmissionClock
                   ) -> tuple[dict, GradescopeTest]:
    present = [path] if path is not None else []
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
