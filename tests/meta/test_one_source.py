"""Each claim's statement, its wrong variants and its question live in one place
(``derivlab/derivations/statements.py``; the variants in their catalogues) and are read from the claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from derivlab.claims import CLAIM_IDS, all_claims, claims_for_question
from derivlab.derivations.statements import STATEMENTS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for p in sorted((ROOT / "derivlab").rglob("*")) if p.suffix in (".py", ".j2", ".toml", ".tex")]


def _normalised(text: str) -> str:
    return "".join(text.split())


# a worked derivation a student would hand in (the checker's benchmark input) ends at (4) by design
EXAMPLES = ("derivlab/checking/examples/",)


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.claim)
def test_each_statement_is_written_in_exactly_one_file(statement):
    """The right side in LaTeX is found in statements.py only (for attention.numpy-torch, whose right
    side "[X | P] K_m" is a step its proof derives, the rest of the statement); so is the plain-text
    form of the two identities the grader's messages quote."""
    needles = {_normalised(statement.rhs if statement.claim != "attention.numpy-torch" else statement.where)}
    if statement.claim in ("dropout.identity", "dropout.rescaled-ridge"):
        needles.add(_normalised(statement.rhs_text))
    for needle in needles:
        found = [p.relative_to(ROOT).as_posix() for p in SOURCES
                 if not p.relative_to(ROOT).as_posix().startswith(EXAMPLES)
                 and needle in _normalised(p.read_text(encoding="utf-8"))]
        assert found == ["derivlab/derivations/statements.py"], (needle, found)


def test_the_claims_carry_their_statement_question_and_variants():
    claims = all_claims()
    assert tuple(claims) == CLAIM_IDS
    for claim in claims.values():
        assert claim.statement.claim == claim.id and claim.statement_latex == claim.statement.latex
        assert claim.question.startswith(("Q2", "Q3", "noise"))
    assert [c.id for c in claims_for_question("Q3")] == [i for i in CLAIM_IDS if i.startswith("dropout.")]
    assert [c.id for c in claims_for_question("Q2")] == [i for i in CLAIM_IDS if i.startswith("attention.")]
    for cid in ("dropout.identity", "dropout.rescaled-ridge", "dropout.minimizer", "dropout.torch-inverted",
                "attention.numpy-torch"):
        assert claims[cid].variants and all(not v.correct and v.claim == cid for v in claims[cid].variants)


def test_the_mutant_run_and_the_report_use_the_claims_variants():
    from derivlab.derivations.dropout_variants import variant_catalogue_json
    from derivlab.testing import mutants_dropout

    claims = all_claims()
    for cid in ("dropout.identity", "dropout.rescaled-ridge", "dropout.minimizer", "dropout.torch-inverted"):
        mutants = {c.name for c in mutants_dropout.CANDIDATES if c.claim == cid and not c.correct}
        assert mutants == {v.name for v in claims[cid].variants}
    reported = {(v["claim"], v["name"]) for v in variant_catalogue_json() if not v["correct"]}
    carried = {(cid, v.name) for cid in ("dropout.identity", "dropout.rescaled-ridge", "dropout.minimizer")
               for v in claims[cid].variants}
    assert reported == carried
