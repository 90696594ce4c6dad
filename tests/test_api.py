"""The top-level API a newcomer reaches first: import derivlab, one call per task, the result
objects the CLI prints, Jupyter views, and defaults that the task already determines."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import derivlab
from derivlab.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "derivlab" / "checking" / "examples" / "dropout_13_steps.tex"


def test_import_derivlab_loads_neither_the_cli_nor_the_heavy_layers():
    code = "import sys, derivlab; print(json.dumps(sorted(m for m in sys.modules if m.startswith('derivlab'))))"
    proc = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, timeout=60)
    assert json.loads(proc.stdout) == ["derivlab"]


def test_public_names_resolve_and_unknown_names_raise():
    from derivlab.checking import check_derivation_file, check_weights_file  # noqa: F401

    for name in derivlab.__all__:
        assert getattr(derivlab, name) is not None
    with pytest.raises(AttributeError):
        derivlab.no_such_thing  # noqa: B018


def test_check_derivation_from_a_file_and_from_text():
    report = derivlab.check_derivation(EXAMPLE)
    assert isinstance(report, derivlab.DerivationReport)
    assert report.verdict == "valid" and len(report.steps) == 13
    wrong = derivlab.check_derivation(text=r"\[ \mathbb{E}_R[R \odot X] = p^2 X \]")
    assert wrong.verdict == "invalid" and wrong.first_bad_step == 1
    with pytest.raises(TypeError):
        derivlab.check_derivation(EXAMPLE, text="x")


def test_check_weights_takes_a_path_or_arrays():
    design = derivlab.hand_coded_design("first")
    assert derivlab.check_weights(design.weights(), "first").verdict == "pass"
    weak = {k: v * (0.5 if k == "Qm" else 1.0) for k, v in design.weights().items()}
    assert derivlab.check_weights(weak, "first").verdict == "fail"
    assert derivlab.check_weights(str(ROOT / "tests/checking/weights_corpus/identity_ours.json"),
                                  "identity").verdict == "pass"
    bad = design.weights()
    bad["Km"] = np.full((2, 2), np.nan)
    with pytest.raises(InputError, match="NaN"):
        derivlab.check_weights(bad, "first")
    with pytest.raises(InputError, match="missing key Vm"):
        derivlab.check_weights({"Km": design.Km, "Qm": design.Qm}, "first")


def test_train_many_takes_its_sizes_from_the_task():
    first = derivlab.train_many("first", [0, 1], steps=20)
    assert [m.weights["Km"].shape for m in first] == [(7, 1), (7, 1)]
    assert first[0].weights["pos"].shape == (4, 4) and first[0].weights["Vm"].shape == (7, 3)
    unique = derivlab.train_many("unique", [0], steps=20)
    assert unique[0].remove_cls and unique[0].weights["Vm"].shape == (8, 1)
    explicit = derivlab.train_many("identity", [0], qk_dim=2, v_dim=3, steps=20)
    assert explicit[0].weights["Km"].shape == (3, 2) and "pos" not in explicit[0].weights
    with pytest.raises(ValueError, match="both qk_dim and v_dim"):
        derivlab.train_many("first", [0], qk_dim=1, steps=5)


def test_grade_gradescope_writes_the_results_file_it_is_given(tmp_path):
    from derivlab.reports.sample_class import write_submission

    submission = write_submission(tmp_path / "alice", "correct")
    target = tmp_path / "x" / "results.json"
    derivlab.grade_gradescope(submission=submission, results=target)
    assert target.is_file()
    assert json.loads(target.read_text())["score"] == 18


def test_derivation_result_shows_a_typeset_table_of_steps_in_jupyter():
    report = derivlab.check_derivation(EXAMPLE)
    page = report._repr_html_()
    assert page.count("<tr>") == 1 + 13
    assert page.count("$") == 2 * 13
    assert "valid" in page and "\\odot" in page
    hostile = derivlab.check_derivation(text=r"\[ p + <script>alert(1)</script> = p \]")._repr_html_()
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile


def test_other_results_show_tables_in_jupyter():
    assert "<table>" in derivlab.check_weights(derivlab.hand_coded_design("identity").weights(),
                                               "identity")._repr_html_()
    page = derivlab.verify(["dropout.identity"], quick=True)._repr_html_()
    assert "<table>" in page and "dropout.identity" in page and "proved" in page


@pytest.mark.parametrize("name", ["derivlab", "derivlab.notebook", "derivlab.progress", "derivlab.transformers.plotting",
                                  "derivlab.transformers.training", "derivlab.reports.templating"])
def test_docstring_examples_of_the_public_modules_run(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
