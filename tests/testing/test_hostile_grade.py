"""``derivlab grade`` on a batch of hostile submissions, through the real CLI: the batch finishes,
every submission gets its Gradescope results.json, each within derivlab's 30 s limit, nothing
executed (shell-injection folder names included), nothing written outside the output folder,
no symlinked file's contents in any output."""

import csv
import json
import os

import pytest

from derivlab.testing.hostile import corpus
from derivlab.testing.hostile_harness import LIMIT_SECONDS, SLACK_SECONDS, leak_markers, leaked, run_grade

NAMES = ["tex-write18", "tex-openout", "tex-input", "tex-csname-catcode", "python-code", "exponent-tower",
         "nested-braces", "megabyte-line", "random-bytes", "expensive-steps", "symlink-passwd", "symlink-dev-zero", "fifo",
         "npz-pickle", "npz-deflate-bomb", "json-deeply-nested", "json-python-strings", "json-symlink-passwd"]
SPECIAL = ["$(touch PWNED)", "x; touch PWNED; #", "`touch PWNED`", "symlink-to-etc", "empty"]

pytestmark = pytest.mark.slow  # one batch of ~23 submissions with TeX feedback


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    items = [corpus()[n] for n in NAMES]
    outcome, ws, folder = run_grade(items, tmp_path_factory.mktemp("grade"), jobs=1)
    return outcome, ws, folder


def test_the_batch_finishes_cleanly(graded):
    outcome, _, _ = graded
    assert outcome.ok, outcome.problems
    assert outcome.returncode == 0, outcome.stderr[-1000:]


def test_every_submission_gets_a_gradescope_results_file(graded):
    _, ws, _ = graded
    for name in NAMES + SPECIAL:
        data = json.loads((ws.out / name / "results.json").read_text())
        assert isinstance(data["score"], (int, float)) and isinstance(data["tests"], list), name
        assert all({"name", "score", "max_score", "output", "visibility"} <= set(t) for t in data["tests"]), name


def test_summary_has_one_row_per_submission_within_the_time_limit(graded):
    _, ws, _ = graded
    with open(ws.out / "summary.csv", newline="") as fh:
        rows = {r["submission"]: r for r in csv.DictReader(fh)}
    assert set(NAMES + SPECIAL) <= set(rows)
    slow = {n: float(r["seconds"]) for n, r in rows.items() if float(r["seconds"]) > LIMIT_SECONDS + SLACK_SECONDS}
    assert not slow, f"submissions over the {LIMIT_SECONDS:g} s limit: {slow}"


def test_no_output_file_echoes_a_symlinked_file(graded):
    _, ws, folder = graded
    markers = leak_markers(folder / "symlink-passwd" / "derivation.tex")
    assert markers  # /etc/passwd is readable here, so the check means something
    texts = []
    for dirpath, _, files in os.walk(ws.out):
        for f in files:
            if f.endswith((".json", ".tex", ".csv")):
                texts.append(open(os.path.join(dirpath, f), encoding="utf-8", errors="replace").read())
    assert not leaked(texts, markers)


def test_injection_folder_names_are_not_executed(graded):
    _, ws, _ = graded
    assert not ws.executed()
