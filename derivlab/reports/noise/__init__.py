"""The report section of the noise-injection problem (discovered by ``derivlab.reports.sections``):
both claims with their proofs and numeric tables, the wrong versions and what measured them, and
the student checker's verdicts on sample write-ups (``derivlab/checking/examples/noise``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from derivlab.reports.claim_views import claim_view, format_value
from derivlab.reports.notation import course_latex_string
from derivlab.reports.templating import environment, trusted

CLAIMS = ("noise.additive-gaussian", "noise.gaussian-dropout")
WRITEUPS = (  # (file, context) — checked when the report is built
    ("additive_correct.tex", "additive-gaussian"),
    ("additive_missing_n.tex", "additive-gaussian"),
    ("additive_no_expectation.tex", "additive-gaussian"),
    ("dropout_correct.tex", "gaussian-dropout"),
    ("dropout_alpha_squared.tex", "gaussian-dropout"),
    ("dropout_bernoulli_answer.tex", "gaussian-dropout"),
)


def wrong_version_rows(results: dict[str, Any]) -> list[dict]:
    """Each wrong version with what the general proof and each confirmation measured against it."""
    from derivlab.derivations.noise import variants

    measured: dict[str, dict[str, str]] = {}
    for cid in CLAIMS:
        result = results.get(cid)
        for n in (result.numeric if result is not None else ()):
            for name, v in (n.details.get("wrong_variants") or {}).items():
                verdict = "rejected" if v.get("rejected") else "NOT rejected"
                measured.setdefault(f"{cid}:{name}", {})[n.kind] = (
                    f"z = {format_value(v['z'])}, {verdict}" if v.get("z") is not None else verdict)
    rows = []
    for v in variants.all_variants():
        if results.get(v.claim) is None:
            continue
        found = measured.get(f"{v.claim}:{v.name}", {})
        proof = "rejected" if not variants.holds_for_all_sizes(v) else "NOT rejected"
        found = {"general proof": proof, **found}
        rows.append({"claim": v.claim, "name": v.name, "description": v.description,
                     "latex": trusted(course_latex_string(v.latex)),
                     "measured": "; ".join(f"{k}: {t}" for k, t in found.items()),
                     "rejected": all("NOT" not in t for t in found.values())})
    return rows


def checked_writeups(seed: int) -> list[dict]:
    """The checker's verdict on each sample write-up (first bad step, its counterexample)."""
    from derivlab.checking.derivation import check_derivation_text

    folder = resources.files("derivlab.checking").joinpath("examples", "noise")
    rows = []
    for name, context in WRITEUPS:
        report = check_derivation_text(folder.joinpath(name).read_text("utf-8"), context=context, seed=seed,
                                       file=name)
        bad = next((s for s in report.steps if s.verdict != "valid"), None)
        rows.append({"file": name, "context": context, "verdict": report.verdict, "steps": len(report.steps),
                     "first_bad": report.first_bad_step,
                     "message": bad.message if bad else "every step equal at every test point",
                     "notes": list(report.notes)})
    return rows


def noise_section(results: dict[str, Any], out_dir: Path, *, quick: bool, seed: int) -> dict:
    claims = {cid: claim_view(cid, results.get(cid)) for cid in CLAIMS}
    writeups = checked_writeups(seed)
    source = resources.files("derivlab.reports.noise").joinpath("section.tex.j2").read_text("utf-8")
    latex = environment().from_string(source).render(
        claims=claims, order=list(CLAIMS), wrong_versions=wrong_version_rows(results), writeups=writeups,
        notes=sorted({note for w in writeups for note in w["notes"]}))
    missing = [f"claim {cid}" for cid, c in claims.items() if not c["present"]]
    return {"title": "Noise injection", "latex": trusted(latex), "missing": missing}


SECTION = noise_section
