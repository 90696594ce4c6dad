"""derivlab grade: a class of correct, wrong, broken and hostile submissions graded in one batch."""

import csv
import json
import subprocess

import pytest

from derivlab.reports.gradescope import validate_results
from derivlab.reports.grading import SUMMARY_COLUMNS, grade_folder
from derivlab.reports.points import DEFAULT_SCHEME
from derivlab.reports.sample_class import write_class
from derivlab.reports.submission import GradeOptions

pytestmark = pytest.mark.slow

CLASS = ("correct", "wrong", "broken", "hostile")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    write_class(root / "class", CLASS)
    (root / "class" / "004-empty").mkdir()
    report = grade_folder(root / "class", root / "out", jobs=2)
    return root, {o.name: o for o in report.outcomes}, report


def _results(root, name):
    return json.loads((root / "out" / name / "results.json").read_text())


def test_every_submission_gets_results_that_validate(graded):
    root, outcomes, _ = graded
    for name in outcomes:
        validate_results(_results(root, name))


def test_correct_submission_earns_every_point(graded):
    _, outcomes, _ = graded
    assert outcomes["000-correct"].score == DEFAULT_SCHEME.total == 18.0


def test_one_test_per_derivation_step_and_per_weights_task(graded):
    root, outcomes, _ = graded
    names = [t["name"] for t in _results(root, "000-correct")["tests"]]
    steps = len(outcomes["000-correct"].derivation["steps"])
    assert sum(n.startswith("Q3 derivation, step") for n in names) == steps
    assert sum("weights" in n for n in names) == 3


def test_wrong_derivation_is_credited_up_to_its_first_bad_step(graded):
    root, outcomes, _ = graded
    wrong = outcomes["001-wrong"]
    assert wrong.derivation["first_bad_step"] == 3
    step_scores = [t["score"] for t in _results(root, "001-wrong")["tests"] if "step" in t["name"]]
    share = DEFAULT_SCHEME.derivation_steps / DEFAULT_SCHEME.reference_steps  # never reaches (4)
    assert step_scores == [pytest.approx(share, abs=1e-3)] * 2 + [0.0, 0.0]


def test_wrong_step_output_gives_the_counterexample(graded):
    root, _, _ = graded
    step3 = [t for t in _results(root, "001-wrong")["tests"] if t["name"].startswith("Q3 derivation, step 3")][0]
    assert "invalid" in step3["output"] and "counterexample" in step3["output"]


def test_wrong_derivation_starts_right_but_never_reaches_the_tikhonov_form(graded):
    root, _, _ = graded
    ends = {t["name"]: t["score"] for t in _results(root, "001-wrong")["tests"] if "derivation" in t["name"]}
    assert ends["Q3 derivation starts at the dropout objective (2)"] == 1.0
    assert ends["Q3 derivation reaches the Tikhonov form (4)"] == 0.0


def test_too_small_scale_fails_every_weights_task(graded):
    _, outcomes, _ = graded
    assert {t: w["verdict"] for t, w in outcomes["001-wrong"].weights.items()} == \
        {"identity": "fail", "first": "fail", "unique": "fail"}


def test_broken_files_score_zero_with_one_line_reasons(graded):
    root, _, _ = graded
    results = _results(root, "002-broken")
    assert results["score"] == 0
    outputs = [t["output"] for t in results["tests"]]
    assert any("not UTF-8" in o for o in outputs) and any("not valid JSON" in o for o in outputs)
    assert all("\n" not in o and "Traceback" not in o for o in outputs)


def test_hostile_submission_scores_zero_and_leaks_nothing(graded):
    root, outcomes, _ = graded
    assert outcomes["003-hostile"].score == 0
    passwd_line = open("/etc/passwd").readline().strip()
    folder = root / "out" / "003-hostile"
    assert passwd_line not in (folder / "results.json").read_text()
    assert "symbolic link" in (folder / "results.json").read_text()
    assert not list(root.rglob("pwned*"))


@pytest.mark.tex("pdflatex", "pdftotext")
def test_hostile_feedback_compiles_without_reading_or_running_anything(graded):
    root, _, _ = graded
    pdf = root / "out" / "003-hostile" / "feedback.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "input{/etc/passwd}" in text.replace("\\", "")  # the attempt is shown as text ...
    assert open("/etc/passwd").readline().strip() not in text  # ... and never executed


@pytest.mark.tex
def test_feedback_pdf_is_written_for_every_submission(graded):
    root, outcomes, _ = graded
    assert all((root / "out" / name / "feedback.pdf").exists() for name in outcomes)


def test_empty_submission_gets_an_error_entry(graded):
    _, outcomes, _ = graded
    assert outcomes["004-empty"].score == 0 and "No gradable file" in outcomes["004-empty"].error


def test_summary_has_one_row_per_submission(graded):
    root, outcomes, report = graded
    with open(report.summary_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["submission"] for r in rows] == sorted(outcomes)
    assert tuple(rows[0]) == SUMMARY_COLUMNS
    assert {r["submission"]: float(r["score"]) for r in rows}["000-correct"] == 18.0


def test_a_crash_in_one_submission_does_not_stop_the_batch(tmp_path, monkeypatch):
    from derivlab.reports import grading

    write_class(tmp_path / "class", ("broken", "broken"))
    real = grading.grade_submission

    def crash_on_first(folder, options):
        if folder.name.startswith("000"):
            raise RuntimeError("boom")
        return real(folder, options)

    monkeypatch.setattr(grading, "grade_submission", crash_on_first)
    report = grade_folder(tmp_path / "class", tmp_path / "out", jobs=1, options=GradeOptions(feedback="tex"))
    first, second = report.outcomes
    assert "RuntimeError: boom" in first.error and first.score == 0
    assert second.results_path and "could not be graded" not in second.error


def test_a_check_over_its_time_limit_costs_that_part_only(tmp_path):
    write_class(tmp_path / "class", ("correct",))
    report = grade_folder(tmp_path / "class", tmp_path / "out", jobs=1,
                          options=GradeOptions(seconds=0.01, feedback="tex"))
    outputs = " ".join(t.output for t in report.outcomes[0].tests)
    assert "time limit" in outputs
    validate_results(json.loads((tmp_path / "out" / "000-correct" / "results.json").read_text()))


def test_an_output_folder_inside_the_class_folder_is_not_graded(tmp_path):
    write_class(tmp_path / "class", ("broken",))
    (tmp_path / "class" / "graded").mkdir()
    report = grade_folder(tmp_path / "class", tmp_path / "class" / "graded", jobs=1,
                          options=GradeOptions(feedback="tex"))
    assert [o.name for o in report.outcomes] == ["000-broken"]
