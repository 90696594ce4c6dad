"""What the class did, as data: ``graded/class.json`` and ``graded/review.csv``.

    summary = class_summary(outcomes, out_dir, scheme)     # plain JSON (the class page shows the same)

Holds the score distribution, per-part averages, the distribution of first wrong steps,
the mistakes grouped by kind (``mistakes.py``) and by move of the course's route
(``route.py``) with the students in each group, the review queue (``review.py``) and one
row per submission with the path of its feedback relative to ``out_dir``. Nothing in it
depends on timings or on where ``out_dir`` is, so a regrade gives the same file.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from derivlab.reports.mistakes import mistake_kind
from derivlab.reports.points import TASK_QUESTION, TASKS, PointsScheme
from derivlab.reports.submission import SubmissionOutcome

SCHEMA = "derivlab-class/1"
REVIEW_COLUMNS = ("submission", "score", "max_score", "held_points", "reasons", "feedback")


def class_summary(outcomes: Iterable[SubmissionOutcome], out_dir: Path, scheme: PointsScheme) -> dict[str, Any]:
    """The class as plain JSON (see the module docstring); names of any bytes made printable (``\\xNN``)."""
    from derivlab.reports.files import printable

    return printable(_class_summary(outcomes, out_dir, scheme))


def _class_summary(outcomes: Iterable[SubmissionOutcome], out_dir: Path, scheme: PointsScheme) -> dict[str, Any]:
    outcomes = sorted(outcomes, key=lambda o: o.name)
    scores = [o.score for o in outcomes]
    return {
        "schema": SCHEMA,
        "submissions": len(outcomes),
        "max_score": scheme.total,
        "scores": _distribution(scores, scheme.total),
        "parts": _parts(outcomes, scheme),
        "first_wrong_steps": _first_wrong(outcomes),
        "mistakes_by_kind": _groups(outcomes, lambda s: mistake_kind(s)),
        "mistakes_by_route": _groups(outcomes, _route_label, order=_route_order),
        "review": [_review_row(o, out_dir) for o in outcomes if _needs_review(o)],
        "rows": [_row(o, out_dir) for o in outcomes],
    }


def _needs_review(o: SubmissionOutcome) -> bool:
    return bool(o.review and o.review.get("needs_review"))


def _distribution(scores: list[float], top: float) -> dict[str, Any]:
    if not scores:
        return {"mean": None, "median": None, "min": None, "max": None, "values": []}
    return {"mean": round(statistics.fmean(scores), 4), "median": round(statistics.median(scores), 4),
            "min": min(scores), "max": max(scores), "top": top, "values": scores}


def _part_scores(o: SubmissionOutcome) -> dict[str, float]:
    got = {"Q3 derivation": 0.0, **{TASK_QUESTION[t] + f" {t}": 0.0 for t in TASKS}}
    for test in o.tests:
        if "derivation" in test.tags:
            got["Q3 derivation"] += test.score
        elif "weights" in test.tags:
            task = next((t for t in TASKS if f"{t} task" in test.name), None)
            if task:
                got[TASK_QUESTION[task] + f" {task}"] += test.score
    return got


def _parts(outcomes: list[SubmissionOutcome], scheme: PointsScheme) -> list[dict[str, Any]]:
    maxima = {"Q3 derivation": scheme.derivation_total, **{TASK_QUESTION[t] + f" {t}": scheme.weights(t) for t in TASKS}}
    per = [_part_scores(o) for o in outcomes]
    return [{"part": part, "max": top,
             "mean": round(statistics.fmean(p[part] for p in per), 4) if per else None,
             "full_marks": sum(1 for p in per if p[part] >= top - 1e-9)} for part, top in maxima.items()]


def _first_wrong(outcomes: list[SubmissionOutcome]) -> dict[str, int]:
    """Step number -> how many submissions went wrong first there; "none" and "no steps" too."""
    counts: Counter[str] = Counter()
    for o in outcomes:
        d = o.derivation or {}
        if not d.get("steps"):
            counts["no steps"] += 1
        elif d.get("first_bad_step") is None:
            counts["none"] += 1
        else:
            counts[str(d["first_bad_step"])] += 1
    numbered = sorted((k for k in counts if k.isdigit()), key=int)
    return {k: counts[k] for k in [*numbered, "none", "no steps"] if k in counts}


def _route_label(step: dict) -> str | None:
    if step.get("verdict") == "valid":
        return None
    if step.get("route_move") is None:
        return "not placed on the route (the step was not read)"
    return f"move {step['route_move']}: {step.get('route_rule', '')}"


def _route_order(label: str) -> tuple[int, str]:
    head = label.split(":", 1)[0]
    return (int(head.split()[1]) if head.startswith("move ") and head.split()[1].isdigit() else 10**6, label)


def _groups(outcomes: list[SubmissionOutcome], key, order=None) -> list[dict[str, Any]]:
    steps: Counter[str] = Counter()
    students: dict[str, set[str]] = defaultdict(set)
    for o in outcomes:
        for step in (o.derivation or {}).get("steps") or []:
            label = key(step)
            if label:
                steps[label] += 1
                students[label].add(o.name)
    labels = sorted(steps, key=order) if order else sorted(steps, key=lambda k: (-steps[k], k))
    return [{"group": k, "steps": steps[k], "students": sorted(students[k])} for k in labels]


def _relative(path: str, out_dir: Path) -> str:
    if not path:
        return ""
    try:
        return Path(os.path.relpath(Path(path).resolve(), out_dir.resolve())).as_posix()
    except ValueError:
        return Path(path).name


def _row(o: SubmissionOutcome, out_dir: Path) -> dict[str, Any]:
    d = o.derivation or {}
    bad = next((s for s in d.get("steps") or [] if s.get("index") == d.get("first_bad_step")), None)
    return {
        "submission": o.name, "score": o.score, "max_score": o.max_score,
        "derivation_verdict": o.derivation_verdict, "first_bad_step": d.get("first_bad_step"),
        "first_mistake": mistake_kind(bad) if bad else None,
        "weights": {t: (o.weights.get(t) or {}).get("verdict", "error") for t in TASKS},
        "parts": _part_scores(o),
        "needs_review": _needs_review(o),
        "review_reasons": list((o.review or {}).get("reasons") or []),
        "held_points": (o.review or {}).get("held_points", 0.0),
        "error": o.error or None,
        "feedback": _relative(o.feedback_path, out_dir), "results": _relative(o.results_path, out_dir),
    }


def _review_row(o: SubmissionOutcome, out_dir: Path) -> dict[str, Any]:
    return {"submission": o.name, "score": o.score, "max_score": o.max_score,
            "held_points": (o.review or {}).get("held_points", 0.0),
            "reasons": list((o.review or {}).get("reasons") or []),
            "feedback": _relative(o.feedback_path, out_dir)}


def write_class_json(summary: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    return path


def write_review_csv(summary: dict[str, Any], path: Path) -> Path:
    """review.csv: one row per submission that needs review, the reasons joined by " | "."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS)
        writer.writeheader()
        for row in summary["review"]:
            cells = {**row, "reasons": " | ".join(row["reasons"])}
            writer.writerow({k: _spreadsheet_safe(v) for k, v in cells.items()})
    return path


def _spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
