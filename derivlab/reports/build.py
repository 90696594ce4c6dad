"""``derivlab report``: the solution report course staff publish.

    build_report(Path("reports"), pdf=True, quick=False)
     -> reports/solutions.tex, reports/solutions.pdf, reports/figures/*.pdf,
        reports/derivations/dropout.tex (the dropout chain in the student format)

Steps: verify every claim (``derivlab.claims.verify_claims``), write the
dropout derivation file and check it with the student checker, build the Q3
and Q2 sections (figures from derivlab.numerics and derivlab.transformers),
render ``templates/solutions.tex.j2``, compile with a real TeX engine.
Exit 0 only if every claim verified, nothing is missing, the derivation file
is judged valid and the PDF (if asked) compiled.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from derivlab.errors import DerivlabError
from derivlab.progress import stage
from derivlab.reports.claim_views import claim_view
from derivlab.reports.derivation_file import DerivationFile, dropout_chain_steps, write_dropout_derivation
from derivlab.reports.dropout_section import dropout_section
from derivlab.reports.templating import render
from derivlab.reports.tex import INSTALL_HINT, compile_pdf, tex_engine
from derivlab.reports.sections import build_sections
from derivlab.reports.transformers_section import transformers_section


@dataclass(frozen=True)
class ReportResult:
    """What ``build_report`` wrote and whether everything in it is verified."""

    out_dir: str
    tex: str
    pdf: str | None
    pages: int | None
    pdf_requested: bool
    pdf_note: str
    claims: tuple[dict, ...]
    derivation: dict
    missing: tuple[str, ...]
    written: tuple[str, ...]
    seconds: float
    quick: bool
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        claims_ok = bool(self.claims) and all(c["status"] == "verified" for c in self.claims)
        pdf_ok = self.pdf is not None or not self.pdf_requested
        return claims_ok and not self.missing and self.derivation.get("checker_verdict") == "valid" and pdf_ok

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "out": self.out_dir,
            "tex": self.tex,
            "pdf": self.pdf,
            "pages": self.pages,
            "pdf_note": self.pdf_note or None,
            "claims": list(self.claims),
            "derivation": self.derivation,
            "missing": list(self.missing),
            "written": list(self.written),
            "seconds": round(self.seconds, 2),
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
            "quick": self.quick,
        }

    def render(self, console: Any) -> None:
        from rich.table import Table

        table = Table(title="derivlab report")
        for col in ("claim", "status", "note"):
            table.add_column(col)
        for c in self.claims:
            colour = {"verified": "green", "failed": "red"}.get(c["status"], "yellow")
            table.add_row(c["id"], f"[{colour}]{c['status']}[/]", c.get("reason", ""))
        console.print(table)
        console.print(f"derivation file: {self.derivation.get('path')} -> checker: {self.derivation.get('checker_verdict')}")
        for piece in self.missing:
            console.print(f"[yellow]not yet verified:[/] {piece}")
        console.print(f"wrote {self.tex}" + (f" and {self.pdf} ({self.pages} pages)" if self.pdf else ""))
        if self.pdf_note:
            console.print(f"[yellow]{self.pdf_note}[/]")
        console.print(f"{self.seconds:.1f} s; " + ("[green]everything verified[/]" if self.ok else "[red]not everything verified[/]"))


def _versions() -> dict[str, str]:
    import numpy
    import sympy

    import torch

    return {"sympy": sympy.__version__, "numpy": numpy.__version__, "torch": torch.__version__}


def check_report_derivation(derivation: DerivationFile, seed: int = 0) -> str:
    """The student checker's verdict on the report's own derivation file (or why there is none)."""
    if derivation.path is None:
        return "not yet verified"
    from derivlab.checking.derivation import check_derivation_file

    try:
        return str(check_derivation_file(derivation.path, context="dropout", seed=seed).verdict)
    except DerivlabError as exc:
        return f"error: {exc}"


def build_report(out_dir: Path, pdf: bool = True, quick: bool = False, *, seed: int = 0) -> ReportResult:
    """Write ``out_dir/solutions.tex`` (and ``.pdf`` when ``pdf``); see the module docstring."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    with stage("verifying every claim (SymPy proofs, numeric confirmations)"):
        t = time.perf_counter()
        from derivlab.claims import CLAIM_IDS, verify_claims

        verified = verify_claims(None, seed=seed, quick=quick)
        results = {c.id: c for c in verified.claims}
        timings["verify"] = time.perf_counter() - t

    with stage("writing and checking derivations/dropout.tex"):
        t = time.perf_counter()
        chain = dropout_chain_steps()
        derivation = write_dropout_derivation(out_dir)
        verdict = check_report_derivation(derivation, seed)
        timings["derivation"] = time.perf_counter() - t

    with stage("Q3: dropout section and figures"):
        t = time.perf_counter()
        q3 = dropout_section(results, out_dir, quick=quick, seed=seed, derivation=derivation,
                             chain_steps=chain, checker_verdict=verdict)
        timings["q3"] = time.perf_counter() - t
    t = time.perf_counter()
    q2 = transformers_section(results, out_dir, quick=quick, seed=seed)
    timings["q2"] = time.perf_counter() - t
    t = time.perf_counter()
    sections = build_sections(results, out_dir, quick=quick, seed=seed)  # discovered problem sections
    timings["sections"] = time.perf_counter() - t

    claims = [claim_view(cid, results.get(cid)) for cid in CLAIM_IDS]
    claims += [claim_view(cid, r) for cid, r in results.items() if cid not in CLAIM_IDS]
    missing = _missing_pieces(claims, derivation, verdict, q3, q2)
    missing += [piece for s in sections for piece in s["missing"] if piece not in missing]
    tex_path = out_dir / "solutions.tex"
    tex_path.write_text(render(
        "solutions.tex.j2", claims=claims, q3=q3, q2=q2, sections=sections, missing=missing, quick=quick, seed=seed,
        generated=date.today().isoformat(), version=_package_version(), versions=_versions(),
        seconds=time.perf_counter() - t0,
    ), encoding="utf-8")

    pdf_path, pages, note = None, None, ""
    if pdf:
        if tex_engine() is None:
            note = f"solutions.tex written but no TeX engine found; {INSTALL_HINT}"
        else:
            with stage("compiling solutions.pdf"):
                t = time.perf_counter()
                compiled = compile_pdf(tex_path, timeout=300)
                pdf_path, pages = str(compiled.pdf), compiled.pages
                timings["pdf"] = time.perf_counter() - t
    written = [str(p) for p in sorted(out_dir.rglob("*")) if p.is_file() and p.name != ".gitignore"]
    return ReportResult(
        str(out_dir), str(tex_path), pdf_path, pages, pdf, note,
        tuple({"id": c["id"], "title": c["title"], "status": c["status"], "reason": c["reason"]} for c in claims),
        {**derivation.to_json(), "checker_verdict": verdict}, tuple(missing), tuple(written),
        time.perf_counter() - t0, quick, timings,
    )


def _missing_pieces(claims: list[dict], derivation: DerivationFile, verdict: str, q3: dict, q2: dict) -> list[str]:
    missing = [f"claim {c['id']}" for c in claims if not c["present"]]
    if derivation.path is None:
        missing.append("the dropout derivation chain")
    elif verdict.startswith("not yet"):
        missing.append("the student checker's verdict on derivations/dropout.tex")
    missing += [f"figure: {f['caption']}" for f in q3["figures"] if f["path"] is None]
    for t in q2["tasks"]:
        if not t["design"]["matrices"]:
            missing.append(f"the {t['key']} design")
        if not t["closed_form"]["forms"]:
            missing.append(f"the {t['key']} closed form")
        if not t["comparison"]["claims"]:
            missing.append(f"the {t['key']} learned-vs-hand-coded comparison")
    return missing


def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("derivlab")
    except Exception:  # not installed as a distribution (running from a source tree)
        return "(source tree)"
