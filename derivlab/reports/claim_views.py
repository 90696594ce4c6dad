"""A verified claim as the report shows it: statement, proof chain, numeric tables.

Turns ``derivlab.claims.ClaimResult`` (or its absence) into plain dicts for
the templates. LaTeX that derivlab's proofs produced is marked trusted; every
other string (rule names, detail keys, messages) is escaped by the template.
A claim id the registry does not know yet becomes "not yet verified", never
a fake result.
"""

from __future__ import annotations

import math
import re
import numbers
from typing import Any, Iterable

from derivlab.reports.latex_escape import escape_latex
from derivlab.reports.notation import course_latex_string
from derivlab.reports.templating import trusted

NOT_YET = "not yet verified"


def claim_view(claim_id: str, result: Any | None) -> dict:
    """The template view of one claim; ``result`` is a ClaimResult or None (not registered yet)."""
    if result is None:
        return {"id": claim_id, "present": False, "title": claim_id, "status": NOT_YET, "ok": False,
                "reason": "no module has registered this claim yet", "statement": None,
                "proof": None, "numeric": []}
    symbolic = result.symbolic
    proof = proof_view(symbolic.proof) if symbolic.proof is not None else None
    status = "verified" if result.ok else "failed"
    reason = ""
    if not result.ok:
        bad = [f"symbolic {symbolic.status}" + (f" ({symbolic.detail})" if symbolic.detail else "")] \
            if symbolic.status != "proved" else []
        bad += [f"{n.kind} {n.status}" for n in result.numeric if n.status != "agrees"]
        reason = "; ".join(bad)
    return {
        "id": result.id, "present": True, "title": result.title, "status": status, "ok": result.ok,
        "reason": reason,
        "statement": trusted(course_latex_string(result.statement_latex)) if result.statement_latex else None,
        "symbolic": {"status": symbolic.status, "method": symbolic.method, "seconds": symbolic.seconds,
                     "detail": symbolic.detail},
        "proof": proof,
        "numeric": [numeric_view(n) for n in result.numeric],
    }


def proof_view(proof: Any) -> dict:
    """A Proof's chain: each step's trusted LaTeX, its rule and how SymPy checked it."""
    steps = []
    for k, step in enumerate(proof.steps):
        latex = step.latex if step.latex else _sympy_latex(step.expr)
        steps.append({"k": k, "latex": trusted(course_latex_string(latex)), "rule": step.rule, "check": step.check,
                      "definition": None})
    mode = "facts" if any(_is_statement(str(s["latex"])) for s in steps) else "chain"
    lemmas = [proof_view(lemma) for lemma in (proof.extras or {}).get("lemmas", ()) if hasattr(lemma, "steps")]
    return {"claim": proof.claim, "method": proof.method, "holds": proof.holds, "detail": proof.detail,
            "steps": steps, "mode": mode, "lemmas": lemmas}


_RELATIONS = re.compile(r"(?<![<>\\])=|\\ne\b|\\neq\b|\\iff\b|\\Rightarrow\b|\\le\b|\\ge\b|\\leq\b|\\geq\b")


def _is_statement(latex: str) -> bool:
    """True when a step's LaTeX is a whole statement (a relation outside every {...} group, so the
    ``=`` of ``\\sum_{i=1}`` does not count), not one expression of a chain."""
    depth, top = 0, []
    for ch in latex:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        top.append(ch if depth == 0 and ch != "}" else " ")
    return bool(_RELATIONS.search("".join(top)))


def _sympy_latex(expr: Any) -> str:
    import sympy as sp

    return sp.latex(expr)


#: detail keys shown elsewhere (wrong variants get their own table) or not statistics (raw runs).
SKIPPED_KEYS = {"headline", "run", "wrong_variants", "wrong_variants_z", "wrong_targets", "mutants"}
NOTE_CHARS = 70  # longer text values become notes under the table


def numeric_view(numeric: Any) -> dict:
    """A NumericResult as a table: one row per statistic; vectors and raw runs are left out, long
    explanations (the decision rule, the convention) become notes under the table."""
    details = dict(numeric.details)
    headline = details.get("headline", "")
    groups = detail_groups(details)
    grouped = {g["key"] for g in groups}
    rows, notes = [], []
    for name, value in detail_rows({k: v for k, v in details.items() if k not in grouped}):
        if len(value) > NOTE_CHARS:
            notes.append((readable(name), value))
        else:
            rows.append((readable(name), value))
    return {"kind": numeric.kind, "status": numeric.status, "seconds": numeric.seconds, "headline": headline,
            "summary": numeric_summary(details), "rows": rows, "groups": groups,
            "notes": [f"{k}: {v}" for k, v in notes]}


def readable(name: str) -> str:
    """A statistic's key as words: ``targets.keep-mask`` -> "targets, keep-mask",
    ``false_alarm_rate`` -> "false alarm rate"."""
    return ", ".join(part.replace("_", " ") for part in name.split("."))


def detail_groups(details: dict) -> list[dict]:
    """Details that are a dict of same-shaped records (e.g. ``conventions``: one record of relative
    errors per convention) as a small table: one row per record, one column per statistic."""
    groups = []
    for key, value in details.items():
        if key in SKIPPED_KEYS or not isinstance(value, dict) or not value:
            continue
        if not all(isinstance(v, dict) for v in value.values()):
            continue
        columns: list[str] = []
        for record in value.values():
            columns += [c for c, x in record.items() if c not in columns and not isinstance(x, (dict, list, tuple))]
        rows = [(readable(str(name)), [format_value(record.get(c)) for c in columns]) for name, record in value.items()]
        groups.append({"key": key, "title": readable(key), "columns": [readable(c) for c in columns], "rows": rows})
    return groups


def numeric_summary(details: dict) -> str:
    """One sentence for the statistics the course asks for, when present: Monte Carlo estimate with its
    confidence interval and z-score against the exact value; relative errors of SGD."""
    parts = []
    if "estimate" in details and "exact" in details:
        text = f"estimate {format_value(details['estimate'])}"
        if "standard_error" in details:
            text += f" (standard error {format_value(details['standard_error'])})"
        if "ci" in details:
            text += f", confidence interval {format_value(details['ci'])}"
        text += f", exact value {format_value(details['exact'])}"
        if "z" in details:
            text += f", z = {format_value(details['z'])}"
        parts.append(text)
    relative = {k: v for k, v in details.items() if "relative" in k and not isinstance(v, (dict, list, tuple))}
    if relative:
        parts.append("relative errors: " + ", ".join(f"{k} = {format_value(v)}" for k, v in relative.items()))
    return "; ".join(parts)


def breakable(name: str) -> Any:
    """A dotted/underscored statistic name, escaped, that LaTeX may break after each . and _."""
    escaped = escape_latex(name)
    return trusted(escaped.replace(".", r".\allowbreak{}").replace(r"\_", r"\_\allowbreak{}"))


def detail_rows(details: dict, prefix: str = "") -> Iterable[tuple[str, str]]:
    """(name, value text) rows for a details dict; nested dicts are flattened as ``a.b``."""
    for key, value in details.items():
        name = f"{prefix}{key}"
        if key in SKIPPED_KEYS:
            continue
        if isinstance(value, dict):
            yield from detail_rows(value, prefix=f"{name}.")
            continue
        text = format_value(value)
        if not text.endswith(" values)"):  # whole vectors are not statistics a reader compares
            yield name, text


def format_value(value: Any) -> str:
    """A statistic as short text: numbers to 4 significant digits, short lists in brackets."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, bool) or value is None:
        return str(value).lower() if isinstance(value, bool) else "-"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x) or math.isinf(x):
            return str(x)
        return f"{x:.4g}"
    if isinstance(value, (list, tuple)):
        if len(value) <= 6 and all(not isinstance(v, (list, tuple, dict)) for v in value):
            return "[" + ", ".join(format_value(v) for v in value) + "]"
        return f"({len(value)} values)"
    text = str(value)
    return text if len(text) <= 600 else text[:600] + "..."


def wrong_versions(results: dict[str, Any], claim_ids: Iterable[str]) -> list[dict]:
    """The catalogue of wrong versions students write (``derivlab.derivations.dropout_variants``) with
    what each numeric confirmation measured against them (``details["wrong_variants"]``: rejected, and z)."""
    from derivlab.derivations.dropout_variants import variant_catalogue_json

    measured: dict[str, dict[str, str]] = {}
    for cid in claim_ids:
        result = results.get(cid)
        for n in (result.numeric if result is not None else ()):
            # one shape for every confirmation: {variant: {"rejected": bool, "z": float (statistical ones)}}
            for name, v in (n.details.get("wrong_variants") or {}).items():
                verdict = "rejected" if v["rejected"] else "NOT rejected"
                measured.setdefault(name, {})[n.kind] = (f"z = {format_value(v['z'])}, " if "z" in v else "") + verdict
    rows = []
    for v in variant_catalogue_json():
        if v["correct"] or v["claim"] not in claim_ids:
            continue
        found = measured.get(v["name"], {})
        rows.append({"claim": v["claim"], "name": v["name"], "description": v["description"],
                     "latex": trusted(course_latex_string(v["latex"])),
                     "measured": "; ".join(f"{k}: {t}" for k, t in sorted(found.items())) or "not measured",
                     "rejected": bool(found) and all("NOT" not in t for t in found.values())})
    return rows