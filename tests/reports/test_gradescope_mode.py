"""derivlab grade --gradescope: one submission in, /autograder/results/results.json out (tmp paths here)."""

import json
import zipfile

import pytest

from derivlab.errors import InputError
from derivlab.reports.gradescope import validate_results
from derivlab.reports.grading import grade_gradescope
from derivlab.reports.sample_class import design_weights
from derivlab.reports.submission import GradeOptions


def _weights_only_submission(folder):
    folder.mkdir(parents=True)
    (folder / "weights_identity.json").write_text(json.dumps(design_weights("identity")))
    return folder


def test_gradescope_mode_writes_results_json(tmp_path):
    submission = _weights_only_submission(tmp_path / "submission")
    report = grade_gradescope(submission, tmp_path / "results", options=GradeOptions(feedback="tex"))
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    validate_results(results)
    assert report.exit_code == 0 and results["score"] == 3.0


def test_files_uploaded_inside_one_folder_are_found(tmp_path):
    _weights_only_submission(tmp_path / "submission" / "hw3")
    grade_gradescope(tmp_path / "submission", tmp_path / "results", options=GradeOptions(feedback="tex"))
    assert json.loads((tmp_path / "results" / "results.json").read_text())["score"] == 3.0


def test_feedback_goes_beside_results(tmp_path):
    submission = _weights_only_submission(tmp_path / "submission")
    grade_gradescope(submission, tmp_path / "results", options=GradeOptions(feedback="tex"))
    assert (tmp_path / "results" / "feedback.tex").exists()


def test_missing_submission_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="autograder"):
        grade_gradescope(tmp_path / "nope", tmp_path / "results")


def test_autograder_zip_has_the_scripts_at_its_root(tmp_path):
    from derivlab.reports.autograder_zip import build_autograder_zip

    with zipfile.ZipFile(build_autograder_zip(tmp_path / "ag.zip")) as archive:
        names = set(archive.namelist())
        run = archive.read("run_autograder").decode()
        mode = archive.getinfo("run_autograder").external_attr >> 16
    assert {"setup.sh", "run_autograder", "pyproject.toml", "derivlab/cli.py"} <= names
    assert "derivlab\" grade --gradescope" in run and mode & 0o111
