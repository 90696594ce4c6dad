"""Gradescope's autograder results.json: build it, check its shape, write it.

The published format (gradescope-autograders.readthedocs.io, "Autograder
Specifications" / "Output format"): a top-level object with an optional
``score`` (required when tests carry no score; overrides their sum),
``execution_time`` (seconds), ``output`` (text for the whole submission),
``visibility`` and ``stdout_visibility``, ``extra_data``, and ``tests``: a list
of objects with ``score``, ``max_score``, ``status`` ("passed" | "failed"),
``name``, ``number``, ``output``, ``tags``, ``visibility``, ``extra_data``.
Visibility is one of "hidden", "after_due_date", "after_published", "visible".
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
STATUSES = ("passed", "failed")
_TOP_KEYS = {
    "score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
    "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard",
}
_TEST_KEYS = {
    "score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
    "tags", "visibility", "extra_data",
}


@dataclass(frozen=True)
class GradescopeTest:
    """One Gradescope test case: a derivation step or a weights task, with the reason in ``output``."""

    name: str
    score: float
    max_score: float
    output: str
    number: str = ""
    visibility: str = "visible"
    tags: tuple[str, ...] = ()
    extra_data: dict = field(default_factory=dict)
    status: str = ""  # "passed" | "failed" from the verdict; "" = passed when the full points were earned

    @property
    def passed(self) -> bool:
        return self.status == "passed" if self.status else self.score >= self.max_score

    def to_json(self) -> dict:
        out: dict[str, Any] = {
            "name": self.name,
            "score": _points(self.score),
            "max_score": _points(self.max_score),
            "status": "passed" if self.passed else "failed",
            "output": self.output,
            "visibility": self.visibility,
        }
        if self.number:
            out["number"] = self.number
        if self.tags:
            out["tags"] = list(self.tags)
        if self.extra_data:
            out["extra_data"] = self.extra_data
        return out


def _points(x: float) -> float:
    return round(float(x), 4)


def results_json(
    tests: list[GradescopeTest], *, output: str = "", execution_time: float | None = None, extra_data: dict | None = None
) -> dict:
    """The results.json object for ``tests`` (score = the sum of their scores)."""
    out: dict[str, Any] = {
        "score": _points(sum(t.score for t in tests)),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [t.to_json() for t in tests],
    }
    if output:
        out["output"] = output
    if execution_time is not None:
        out["execution_time"] = max(0, int(math.ceil(execution_time)))
    if extra_data:
        out["extra_data"] = extra_data
    return out


def validate_results(data: Any) -> None:
    """Raise ValueError naming the first field of ``data`` that breaks Gradescope's results.json shape."""
    if not isinstance(data, dict):
        raise ValueError("results.json must be a JSON object")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ValueError(f"unknown top-level keys {sorted(unknown)}")
    tests = data.get("tests")
    if "score" not in data and not (isinstance(tests, list) and tests and all("score" in t for t in tests)):
        raise ValueError("a top-level score is required unless every test has one")
    _check_number(data, "score", "top level")
    if "execution_time" in data and not (isinstance(data["execution_time"], int) and data["execution_time"] >= 0):
        raise ValueError("execution_time must be a non-negative integer number of seconds")
    for key in ("visibility", "stdout_visibility"):
        if key in data and data[key] not in VISIBILITIES:
            raise ValueError(f"{key} must be one of {VISIBILITIES}")
    if "output" in data and not isinstance(data["output"], str):
        raise ValueError("output must be a string")
    if tests is None:
        return
    if not isinstance(tests, list):
        raise ValueError("tests must be a list")
    for i, test in enumerate(tests):
        where = f"tests[{i}]"
        if not isinstance(test, dict):
            raise ValueError(f"{where} must be an object")
        unknown = set(test) - _TEST_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("score", "max_score"):
            _check_number(test, key, where)
        for key in ("name", "output", "number"):
            if key in test and not isinstance(test[key], str):
                raise ValueError(f"{where}.{key} must be a string")
        if "visibility" in test and test["visibility"] not in VISIBILITIES:
            raise ValueError(f"{where}.visibility must be one of {VISIBILITIES}")
        if "status" in test and test["status"] not in STATUSES:
            raise ValueError(f"{where}.status must be one of {STATUSES}")
        if "tags" in test and not (isinstance(test["tags"], list) and all(isinstance(t, str) for t in test["tags"])):
            raise ValueError(f"{where}.tags must be a list of strings")


def _check_number(obj: dict, key: str, where: str) -> None:
    if key in obj:
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{where}.{key} must be a finite number")


def write_results(data: dict, path: Path) -> Path:
    """Validate ``data`` and write it to ``path`` (folders created) as UTF-8 JSON, atomically; names of
    any bytes are written with their undecodable bytes as ``\\xNN``."""
    from derivlab.reports.files import printable, write_atomic

    data = printable(data)
    validate_results(data)
    return write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
