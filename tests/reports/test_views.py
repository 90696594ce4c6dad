"""What the report shows for a claim, a design and a comparison, built from plain objects."""


import numpy as np

from derivlab.claims import ClaimResult, NumericResult, SymbolicResult
from derivlab.derivations.proof import Proof, ProofStep
from derivlab.reports.build import ReportResult
from derivlab.reports.claim_views import NOT_YET, claim_view, numeric_view, proof_view
from derivlab.derivations.notation import course_latex
from derivlab.reports.notation import course_latex_string
from derivlab.reports.transformers_section import _claim_row, matrix_latex, report_figures


def _claim(numeric_status="agrees"):
    proof = Proof("c", "expand", (ProofStep(None, "a", "definition"), ProofStep(None, "b", "expand", "expand = 0")), True)
    numeric = NumericResult("monte-carlo", numeric_status, 0.1,
                            {"headline": "z=0.1", "estimate": 1.0, "exact": 1.01, "standard_error": 0.02, "z": -0.5,
                             "ci": [0.9, 1.1], "run": {"last": [1, 2]}, "trace": list(range(50)),
                             "decision": "agree when |z| < 4.89 " * 5})
    return ClaimResult("dropout.identity", "title", r"a = b", SymbolicResult("proved", "expand", 0.1, proof), (numeric,))


def test_a_claim_nobody_registered_is_not_yet_verified():
    view = claim_view("dropout.identity", None)
    assert view["status"] == NOT_YET and not view["ok"] and view["proof"] is None


def test_a_failed_confirmation_marks_the_claim_failed_with_the_reason():
    view = claim_view("dropout.identity", _claim("disagrees"))
    assert view["status"] == "failed" and "monte-carlo disagrees" in view["reason"]


def test_a_chain_of_expressions_prints_as_a_chain():
    assert proof_view(_claim().symbolic.proof)["mode"] == "chain"


def test_an_equals_sign_inside_a_subscript_does_not_make_a_statement():
    proof = Proof("c", "m", (ProofStep(None, r"\sum_{i=1}^{n} x_i", "r"), ProofStep(None, r"n \bar{x}", "r")), True)
    assert proof_view(proof)["mode"] == "chain"


def test_a_list_of_statements_prints_as_facts():
    proof = Proof("c", "m", (ProofStep(None, r"x = y", "r"), ProofStep(None, r"y \ne z", "r")), True)
    assert proof_view(proof)["mode"] == "facts"


def test_monte_carlo_summary_names_estimate_interval_and_z():
    summary = numeric_view(_claim().numeric[0])["summary"]
    assert summary == "estimate 1 (standard error 0.02), confidence interval [0.9, 1.1], exact value 1.01, z = -0.5"


def test_raw_runs_and_vectors_are_left_out_and_long_text_becomes_a_note():
    view = numeric_view(_claim().numeric[0])
    names = [str(name) for name, _ in view["rows"]]
    assert not any(n.startswith(("run", "trace", "headline", "decision")) for n in names)
    assert view["notes"] and view["notes"][0].startswith("decision:")


def test_course_notation_uses_odot_top_and_blackboard_e():
    import sympy as sp

    R, X = sp.MatrixSymbol("R", 3, 2), sp.MatrixSymbol("X", 3, 2)
    assert course_latex(sp.hadamard_product(R, X).T) == r"(R^\top) \odot (X^\top)"
    assert course_latex_string(r"E\left[x\right]") == r"\mathbb{E}\left[x\right]"
    assert course_latex_string(r"\left(R \circ X\right)^{T}") == r"\left(R \odot X\right)^{\top}"


def test_matrices_print_integers_as_integers():
    assert matrix_latex("K_m", np.array([[1.0, 0.5], [0.0, 2.0]])) == \
        r"K_m = \begin{bmatrix} 1 & 0.5 \\ 0 & 2 \end{bmatrix}"


def test_only_vector_figures_and_one_heatmap_panel_go_into_the_report():
    paths = ["a_heatmaps_seed0.pdf", "a_heatmaps_seed0.png", "a_heatmaps_seed1.pdf", "a_loss.pdf", "a_loss.png"]
    assert [p.name for p in report_figures(paths)] == ["a_heatmaps_seed0.pdf", "a_loss.pdf"]


def test_a_comparison_claim_reads_as_j_of_k():
    row = _claim_row({"text": "Vm comes out roughly the same", "holds_in": 3, "of": 4, "metric": "cosine",
                      "values": [0.99, 0.98, 0.97, 0.5]})
    assert row["answer"] == "“Vm comes out roughly the same”: it holds in some seeds only (3 of 4)."
    assert row["values_text"] == "0.99, 0.98, 0.97, 0.5"


def _result(pdf, requested, status="verified"):
    return ReportResult("out", "out/solutions.tex", pdf, 3 if pdf else None, requested, "", (
        {"id": "x", "title": "t", "status": status, "reason": ""},), {"checker_verdict": "valid"}, (), (), 1.0, True)


def test_report_passes_without_a_pdf_only_when_none_was_asked_for():
    assert _result(None, requested=False).exit_code == 0
    assert _result(None, requested=True).exit_code == 1
    assert _result("out/solutions.pdf", requested=True).exit_code == 0


def test_report_fails_when_a_claim_is_not_verified():
    assert _result("out/solutions.pdf", requested=True, status="not yet verified").exit_code == 1


def test_report_json_lists_pages_and_claims():
    data = _result("out/solutions.pdf", requested=True).to_json()
    assert data["pages"] == 3 and data["claims"][0]["id"] == "x"


