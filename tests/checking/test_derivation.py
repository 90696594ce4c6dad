"""The service: report fields per docs/spec/interfaces.md, numbering, exit codes, rendering."""

import io
import json
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from derivlab.checking.derivation import DerivationReport, StepVerdict, check_derivation_file, check_derivation_text

CORPUS = Path(__file__).parent / "corpus"


def test_json_has_the_contract_fields():
    report = check_derivation_text((CORPUS / "mistake_dropped_diag.tex").read_text(), file="x.tex")
    data = json.loads(json.dumps(report.to_json()))
    assert {"file", "context", "verdict", "first_bad_step", "steps"} <= set(data)
    for step in data["steps"]:
        assert {"index", "line", "lhs_latex", "rhs_latex", "verdict", "method", "message", "counterexample",
                "hint"} <= set(step)
        assert step["verdict"] in ("valid", "invalid", "unparsed", "ill-typed", "unknown")
    assert data["context"] == "dropout" and data["first_bad_step"] == 3


def test_steps_are_numbered_in_document_order_and_chain_names_are_not_steps():
    report = check_derivation_text((CORPUS / "expand_square.tex").read_text())
    assert [s.index for s in report.steps] == list(range(1, 14))
    assert "mathcal{L}" not in report.steps[0].lhs_latex
    assert report.steps[0].line == 8 and report.steps[-1].line == 23


def test_substitution_applies_from_the_let_onwards():
    text = r"""\begin{align*} \|y - pX\tilde w\|^2 &= \|y - pX\tilde w\|^2 \\ \text{let } \tilde{w} = w_{new}/p \\
    &= \|y - X w_{new}\|^2 \end{align*}"""
    report = check_derivation_text(text)
    assert [s.verdict for s in report.steps] == ["valid", "valid"]


def test_a_file_without_steps_is_unparsed_with_a_note():
    report = check_derivation_text("only prose, and $x$ inline")
    assert (report.verdict, report.first_bad_step, report.exit_code) == ("unparsed", None, 1)
    assert "no derivation found" in report.notes[0]


def test_exit_code_is_zero_only_when_every_step_is_valid():
    valid = check_derivation_text(r"\[ p + p = 2p \]")
    invalid = check_derivation_text(r"\[ p + p = 2p = 3p \]")
    assert valid.exit_code == 0 and invalid.exit_code == 1 and invalid.first_bad_step == 2


def test_render_shows_the_table_counterexample_and_hint():
    report = check_derivation_text((CORPUS / "mistake_p_squared.tex").read_text(), file="ps.tex")
    out = io.StringIO()
    report.render(Console(file=out, width=140))
    text = out.getvalue()
    assert "invalid" in text and "counterexample" in text and "hint" in text and "p, not p²" in text


def test_results_are_frozen_and_picklable():
    import pickle

    report = check_derivation_text(r"\[ p = p \]")
    assert isinstance(report.steps[0], StepVerdict)
    assert pickle.loads(pickle.dumps(report)) == report
    assert isinstance(report, DerivationReport)


def test_guarded_file_check_gives_the_same_report_as_unguarded():
    path = CORPUS / "mistake_sign.tex"
    a, b = check_derivation_file(path), check_derivation_file(path, guarded=False)
    assert [(s.verdict, s.counterexample) for s in a.steps] == [(s.verdict, s.counterexample) for s in b.steps]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "derivlab", "check", "derivation", *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_exit_codes_0_1_2(tmp_path):
    ok = _cli(str(CORPUS / "spec_example.tex"), "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["verdict"] == "valid"
    bad = _cli(str(CORPUS / "mistake_dropped_p.tex"))
    assert bad.returncode == 1 and "invalid" in bad.stdout
    missing = _cli(str(tmp_path / "nope.tex"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr and len(missing.stderr.strip().splitlines()) == 1


def test_cli_with_a_user_context_file_and_a_bad_context():
    here = Path(__file__).parent / "contexts"
    ok = _cli(str(here / "quadratic_form_valid.tex"), "--context", str(here / "quadratic_form.toml"), "--json")
    assert ok.returncode == 0, ok.stderr
    bad = _cli(str(CORPUS / "spec_example.tex"), "--context", "no-such-context")
    assert bad.returncode == 2 and "unknown context" in bad.stderr


def test_an_equals_sign_hidden_by_an_unclosed_bracket_is_reported():
    report = check_derivation_text(r"\[ {{ p = p \]")
    assert report.verdict == "unparsed" and "column" in report.steps[0].message
