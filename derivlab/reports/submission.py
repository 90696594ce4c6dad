"""Grade ONE submission folder: its derivation and weight files become Gradescope tests.

Every check runs under a time and memory limit (``derivlab.reports.limits``);
a missing, broken, oversized, symlinked or hostile file costs the student that
part's points with a one-line reason, never the batch. Student files are only
ever read by the checkers (which never eval them) and student text only
reaches LaTeX escaped (``feedback.py``).
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derivlab.errors import DerivlabError, InputError
from derivlab.reports import points
from derivlab.reports.gradescope import GradescopeTest, results_json
from derivlab.reports.limits import run_limited

DERIVATION_FILE = "derivation.tex"
MAX_TEX_BYTES = 256 * 1024
MAX_WEIGHTS_BYTES = 8 * 2**20

#: the two ends of the dropout derivation, in the course's notation (problems.md (2) and (4)).
OBJECTIVE_LATEX = r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]"
TIKHONOV_LATEX = r"\|y - pX\tilde{w}\|_2^2 + p(1-p)\|\tilde{\Gamma}\tilde{w}\|_2^2"


@dataclass(frozen=True)
class GradeOptions:
    """Limits per check, the points scheme, and whether feedback is compiled ("pdf") or left as "tex"."""

    seconds: float = 60.0
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

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 4)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 4)

    def results(self) -> dict:
        """Gradescope's results.json for this submission."""
        output = f"Score {self.score:g} / {self.max_score:g}."
        if self.error:
            output += f" {self.error}"
        return results_json(list(self.tests), output=output, execution_time=self.seconds)

    def to_json(self) -> dict:
        return {
            "submission": self.name,
            "score": self.score,
            "max_score": self.max_score,
            "derivation_verdict": (self.derivation or {}).get("verdict"),
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
    tests: list[GradescopeTest] = []
    derivation, derivation_tests = _grade_derivation(root, options)
    tests += derivation_tests
    weights: dict[str, dict] = {}
    for task in points.TASKS:
        report, test = _grade_weights(root, task, options)
        weights[task] = report
        tests.append(test)
    error = ""
    if not any(_is_expected(e.name) for e in root.iterdir()):
        found = sorted(e.name for e in root.iterdir())[:8]
        error = ("No gradable file found: expected derivation.tex and weights_identity/first/unique.json (or .npz); "
                 f"found: {', '.join(found) or 'nothing'}.")
    return SubmissionOutcome(folder.name, tuple(tests), derivation, weights, error, time.perf_counter() - t0)


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


def _check_derivation_json(path: str, seed: int) -> dict:
    """Runs in the limited subprocess: the checker's report as plain JSON."""
    from derivlab.checking.derivation import check_derivation_file

    return check_derivation_file(Path(path), context="dropout", seed=seed).to_json()


def _grade_derivation(root: Path, options: GradeOptions) -> tuple[dict | None, list[GradescopeTest]]:
    scheme = options.scheme
    try:
        path = _regular_file(root / DERIVATION_FILE, MAX_TEX_BYTES)
        text = path.read_bytes().decode("utf-8")
    except InputError as exc:
        return None, points.derivation_missing_tests(str(exc), scheme)
    except UnicodeDecodeError as exc:
        return None, points.derivation_missing_tests(f"derivation.tex is not UTF-8 text (byte {exc.start})", scheme)
    try:
        report = run_limited(_check_derivation_json, str(path), options.seed,
                             seconds=options.seconds, memory_mb=options.memory_mb)
    except DerivlabError as exc:
        return None, points.derivation_missing_tests(f"derivation.tex could not be checked: {exc}", scheme)
    tests = points.derivation_step_tests(report, scheme)
    tests += _endpoint_tests(text, report, options)
    return report, tests


def _endpoint_tests(text: str, report: dict, options: GradeOptions) -> list[GradescopeTest]:
    """Does the chain start at the objective (2), and does some expression equal the right side of (4)?

    Checked by the same checker: the student's file with two extra blocks appended
    (so the student's own definitions apply), read back by line number.
    """
    scheme = options.scheme
    steps = report.get("steps") or []
    start_name = "Q3 derivation starts at the dropout objective (2)"
    goal_name = "Q3 derivation reaches the Tikhonov form (4)"
    if not steps:
        reason = "no checked steps, so the chain's ends cannot be compared with (2) and (4)"
        return [points.endpoint_test(start_name, "3.90", scheme.derivation_start, False, reason),
                points.endpoint_test(goal_name, "3.91", scheme.derivation_goal, False, reason)]
    start = str(steps[0].get("lhs_latex", ""))
    candidates = [str(s.get("rhs_latex", "")) for s in steps][-40:]
    blocks = [(start, OBJECTIVE_LATEX)] + [(c, TIKHONOV_LATEX) for c in candidates]
    safe = [(a, b) for a, b in blocks if _embeddable(a)]
    marker = text.rfind("\\end{document}")
    offset = text[: marker if marker >= 0 else len(text)].count("\n") + 3  # first line of the appended blocks
    appended = "\n\n% derivlab: endpoint checks\n" + "".join(
        f"\\begin{{align*}}\n{a}\n  &= {b}\n\\end{{align*}}\n" for a, b in safe)
    with tempfile.TemporaryDirectory(prefix="derivlab-endpoints-") as tmp:
        probe = Path(tmp) / DERIVATION_FILE
        probe.write_text(_insert_before_end_document(text, appended), encoding="utf-8")
        try:
            probe_report = run_limited(_check_derivation_json, str(probe), options.seed,
                                       seconds=options.seconds, memory_mb=options.memory_mb)
        except DerivlabError as exc:
            reason = f"the ends of the chain could not be checked: {exc}"
            return [points.endpoint_test(start_name, "3.90", scheme.derivation_start, False, reason),
                    points.endpoint_test(goal_name, "3.91", scheme.derivation_goal, False, reason)]
    extra = [s for s in probe_report.get("steps") or [] if int(s.get("line") or 0) >= offset]
    verdicts = [s.get("verdict") for s in extra]
    starts_ok = bool(safe) and safe[0][0] == start and bool(verdicts) and verdicts[0] == "valid"
    goal_ok = any(v == "valid" for v in verdicts[1 if safe and safe[0][0] == start else 0:])
    start_detail = (f"The first expression {start} equals E_R||y - (R ⊙ X) w~||^2." if starts_ok else
                    f"The first expression {start} is not shown equal to the objective E_R||y - (R ⊙ X) w~||^2 "
                    f"({verdicts[0] if verdicts else 'not checkable'}).")
    goal_detail = ("An expression of the chain equals ||y - p X w~||^2 + p(1-p) ||Γ~ w~||^2." if goal_ok else
                   "No expression of the chain is shown equal to ||y - p X w~||^2 + p(1-p) ||Γ~ w~||^2.")
    return [points.endpoint_test(start_name, "3.90", scheme.derivation_start, starts_ok, start_detail),
            points.endpoint_test(goal_name, "3.91", scheme.derivation_goal, goal_ok, goal_detail)]


def _embeddable(latex: str) -> bool:
    """A student expression can be put in a probe block without changing the block structure."""
    return bool(latex.strip()) and not any(bad in latex for bad in ("\\\\", "\\begin", "\\end", "$", "\\[", "\\]", "%"))


def _insert_before_end_document(text: str, appended: str) -> str:
    marker = text.rfind("\\end{document}")
    return text + appended if marker < 0 else text[:marker] + appended + "\n" + text[marker:]


# --- the weights ----------------------------------------------------------------------


def _check_weights_json(path: str, task: str) -> dict:
    """Runs in the limited subprocess: the weights checker's report as plain JSON."""
    from derivlab.checking.weights import check_weights_file

    return check_weights_file(Path(path), task=task).to_json()


def _grade_weights(root: Path, task: str, options: GradeOptions) -> tuple[dict, GradescopeTest]:
    candidates = [root / f"weights_{task}.json", root / f"weights_{task}.npz"]
    present = [c for c in candidates if os.path.lexists(c)]
    if not present:
        reason = f"no weights_{task}.json or weights_{task}.npz submitted"
        return {"error": reason}, points.weights_test(task, None, reason, options.scheme)
    try:
        path = _regular_file(present[0], MAX_WEIGHTS_BYTES)
        report: Any = run_limited(_check_weights_json, str(path), task,
                                  seconds=options.seconds, memory_mb=options.memory_mb)
    except DerivlabError as exc:
        reason = f"{present[0].name} could not be checked: {exc}"
        return {"error": reason}, points.weights_test(task, None, reason, options.scheme)
    return report, points.weights_test(task, report, scheme=options.scheme)
