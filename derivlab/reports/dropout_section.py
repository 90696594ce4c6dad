"""Q3 of the report: the dropout claims, the matrix derivation chain, numeric tables, figures.

Everything shown comes from the claims registry (``verify_claims``), the
dropout chain (``derivlab.derivations.dropout_chain``) and the numerics
(``derivlab.numerics``); a claim that does not verify is shown as
"not yet verified" with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from derivlab.claims import claims_for_question
from derivlab.derivations.statements import IDENTITY
from derivlab.reports import dropout_figures
from derivlab.reports.claim_views import claim_view, wrong_versions
from derivlab.reports.derivation_file import DerivationFile, definitions_before
from derivlab.reports.notation import course_latex_string
from derivlab.reports.templating import trusted

DROPOUT_CLAIMS = tuple(c.id for c in claims_for_question("Q3"))


def chain_view(steps: list[Any]) -> dict:
    """The matrix derivation chain (ProofSteps) in the shape ``macros.proof_chain`` prints."""
    return {
        "method": "matrix algebra, each step verified by SymPy",
        "mode": "chain",
        "lemmas": [],
        "holds": True,
        "steps": [{"k": k, "latex": trusted(course_latex_string(s.latex)), "rule": s.rule, "check": s.check,
                   "definition": trusted(d) if d else None}
                  for k, (s, d) in enumerate(zip(steps, definitions_before(len(steps))))],
    }


def dropout_section(
    results: dict[str, Any], out_dir: Path, *, quick: bool, seed: int,
    derivation: DerivationFile, chain_steps: list[Any] | None, checker_verdict: str,
) -> dict:
    """The ``q3`` context of solutions.tex.j2, and the list of pieces that are missing."""
    claims = {cid: claim_view(cid, results.get(cid)) for cid in DROPOUT_CLAIMS}
    chain = {"proof": None, "reason": derivation.reason, "checker_verdict": checker_verdict}
    if chain_steps:
        chain["proof"] = chain_view(chain_steps)
    figures = dropout_figures.figures(out_dir, quick=quick, seed=seed)
    statement = {"objective": trusted(course_latex_string(IDENTITY.lhs)),
                 "identity": trusted(course_latex_string(IDENTITY.latex))}
    return {"claims": claims, "order": list(DROPOUT_CLAIMS), "chain": chain, "figures": figures, "statement": statement,
            "wrong_versions": wrong_versions(results, DROPOUT_CLAIMS)}
