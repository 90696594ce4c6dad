"""The noise section: discovered, built from the registry's results, every wrong version rejected,
the write-ups judged by the checker; a missing claim shows as missing, never as verified."""

from pathlib import Path

from derivlab.claims import verify_claims
from derivlab.reports.noise import noise_section
from derivlab.reports.sections import problem_sections


def test_the_section_is_discovered():
    assert noise_section in problem_sections()


def test_section_with_verified_claims(tmp_path: Path):
    results = {c.id: c for c in verify_claims(["noise.*"], quick=True).claims}
    section = noise_section(results, tmp_path, quick=True, seed=0)
    latex = str(section["latex"])
    assert not section["missing"]
    assert r"\section{Noise injection" in latex and r"\texttt{noise.gaussian-dropout}" in latex
    assert "NOT rejected" not in latex and latex.count("general proof: rejected") == 10
    assert "additive\\_missing\\_n.tex} & invalid" in latex and "dropout\\_correct.tex} & valid" in latex


def test_section_without_results_says_not_yet_verified(tmp_path: Path):
    section = noise_section({}, tmp_path, quick=True, seed=0)
    assert section["missing"] == ["claim noise.additive-gaussian", "claim noise.gaussian-dropout"]
    assert "not yet verified" in str(section["latex"]).lower()
