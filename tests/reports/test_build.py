"""derivlab report: solutions.tex with every section, the dropout derivation judged valid by the
student checker, and (marked tex) a real PDF.

To stay in the test budget the fixture verifies two claims for real and trains 1 learned twin for
100 steps; the other claims must then show as "not yet verified" (and the report must not pass).
"""

import re

import pytest

import derivlab.claims
from derivlab.reports import build, transformers_section

pytestmark = pytest.mark.slow

CHEAP_CLAIMS = ["dropout.identity", "attention.numpy-torch"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    patch = pytest.MonkeyPatch()
    real_verify = derivlab.claims.verify_claims
    patch.setattr(derivlab.claims, "verify_claims", lambda ids=None, **kw: real_verify(CHEAP_CLAIMS, **kw))
    patch.setattr(transformers_section, "comparison_settings", lambda quick: {"seeds": 1, "steps": 100})
    from derivlab.claims import dropout_confirmations

    patch.setitem(dropout_confirmations.SGD_STEPS, True, 300)
    try:
        result = build.build_report(out, pdf=False, quick=True)
    finally:
        patch.undo()
    return out, result, (out / "solutions.tex").read_text()


@pytest.mark.parametrize("heading", [
    r"\section{Q3. Dropout on linear regression is Tikhonov regularisation}",
    r"\subsection{The identity (4)}", r"\subsection{The rescaled ridge form}", r"\subsection{The minimisers}",
    r"\subsection{Numeric confirmation}", r"\subsection{Common wrong versions, and how the checks reject them}",
    r"\section{Q2. Implementing simple transformers}", r"\subsection{(a) The model}",
    r"\subsection{(b) Select by content: the identity task}", r"\subsection{(c) Select by position: copy the first token}",
    r"\subsection{(d) Select by content and position: flag unique tokens (optional part)}",
])
def test_every_section_is_written(report, heading):
    assert heading in report[2]


def test_every_claim_id_is_listed(report):
    for cid in derivlab.claims.CLAIM_IDS:
        assert rf"\texttt{{{cid}}}" in report[2]


def test_verified_claims_are_marked_verified_and_the_rest_not_yet(report):
    statuses = {c["id"]: c["status"] for c in report[1].to_json()["claims"]}
    assert all(statuses[c] == "verified" for c in CHEAP_CLAIMS)
    assert {s for c, s in statuses.items() if c not in CHEAP_CLAIMS} == {"not yet verified"}


def test_a_report_with_missing_claims_does_not_pass(report):
    assert report[1].exit_code == 1 and not report[1].to_json()["ok"]


def test_the_derivation_chain_comes_from_the_proof_objects(report):
    from derivlab.derivations.dropout_chain import matrix_derivation_chain

    for step in matrix_derivation_chain():
        assert step.latex in report[2]


def test_numeric_confirmation_tables_carry_the_monte_carlo_statistics(report):
    assert re.search(r"estimate [0-9.]+ \(standard error [0-9.]+\), confidence interval \[", report[2])


def test_figures_are_vector_pdfs(report):
    out = report[0]
    for name in ("monte-carlo-convergence.pdf", "sgd-iterates.pdf", "sgd-relative-error.pdf"):
        assert (out / "figures" / name).read_bytes().startswith(b"%PDF")
    assert r"\includegraphics[width=0.8\textwidth]{figures/monte-carlo-convergence.pdf}" in report[2]


def test_learned_versus_hand_coded_claims_are_counted_in_seeds(report):
    assert re.search(r"\\textbf\{\d of 1\} seeds", report[2])


def test_report_derivation_file_is_valid_for_the_student_checker(report):
    from derivlab.checking.derivation import check_derivation_file

    checked = check_derivation_file(report[0] / "derivations" / "dropout.tex", context="dropout")
    assert checked.verdict == "valid" and len(checked.steps) == 10


def test_the_derivation_file_check_can_fail(report, tmp_path):
    from derivlab.checking.derivation import check_derivation_file

    text = (report[0] / "derivations" / "dropout.tex").read_text()
    broken = tmp_path / "dropout.tex"
    broken.write_text(text.replace(r"p(1 - p)\, \operatorname{diag}", r"p^{2}\, \operatorname{diag}", 1))
    assert check_derivation_file(broken, context="dropout").verdict == "invalid"


@pytest.mark.tex
def test_solutions_compile_to_a_pdf(report):
    from derivlab.reports.tex import compile_pdf

    compiled = compile_pdf(report[0] / "solutions.tex", timeout=240)
    assert compiled.pages and compiled.pages > 10
