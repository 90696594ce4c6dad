"""The claims registry: each claim = statement + symbolic proof + numeric confirmations.

A claim is a plain object; verifying it is a function over it (``verify_claims``).
Topic modules (``derivlab.claims.dropout``, ``derivlab.claims.attention``) build
the claims; this module collects them under their stable ids and runs them.

    >>> from derivlab.claims import verify_claims
    >>> report = verify_claims(["dropout.identity"], quick=True)
    >>> report.ok
    True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from derivlab.derivations.proof import Proof
from derivlab.derivations.statements import STATEMENTS, Statement
from derivlab.errors import InputError

#: The stable claim ids (docs/spec/interfaces.md), in the order of their statements.
CLAIM_IDS: tuple[str, ...] = tuple(s.claim for s in STATEMENTS)


@dataclass(frozen=True)
class ConfirmOptions:
    """Options every numeric confirmation receives: a fixed seed, and ``quick`` for tests."""

    seed: int = 0
    quick: bool = False


@dataclass(frozen=True)
class ConfirmationOutcome:
    """What a numeric confirmation returns: did the numbers agree, and the statistics behind it."""

    agrees: bool
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Confirmation:
    """A numeric confirmation of a claim, e.g. kind = "monte-carlo" or "torch-sgd"."""

    kind: str
    run: Callable[[ConfirmOptions], ConfirmationOutcome]
    description: str = ""


@dataclass(frozen=True)
class Claim:
    """A statement (both sides, ``derivlab.derivations.statements``) with its proof, its numeric
    confirmations and the wrong variants they must reject. ``prove`` derives it with SymPy."""

    id: str
    title: str
    statement: Statement
    prove: Callable[[], Proof]
    confirmations: tuple[Confirmation, ...]
    variants: tuple[Any, ...] = ()

    @property
    def statement_latex(self) -> str:
        return self.statement.latex

    @property
    def question(self) -> str:
        """The homework question it answers: "Q3", "Q2(a)" ... "Q2(d)"."""
        return self.statement.question


@dataclass(frozen=True)
class SymbolicResult:
    status: str  # "proved" | "failed" | "skipped"
    method: str
    seconds: float
    proof: Proof | None = None
    detail: str = ""

    def to_json(self) -> dict:
        out = {"status": self.status, "method": self.method, "seconds": round(self.seconds, 4)}
        if self.detail:
            out["detail"] = self.detail
        if self.proof is not None:
            out["steps"] = [s.to_json() for s in self.proof.steps]
        return out


@dataclass(frozen=True)
class NumericResult:
    kind: str
    status: str  # "agrees" | "disagrees"
    seconds: float
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"kind": self.kind, "status": self.status, "seconds": round(self.seconds, 4)}
        out.update(_jsonable(self.details))
        return out


@dataclass(frozen=True)
class ClaimResult:
    id: str
    title: str
    statement_latex: str
    symbolic: SymbolicResult
    numeric: tuple[NumericResult, ...]

    @property
    def ok(self) -> bool:
        return self.symbolic.status == "proved" and all(n.status == "agrees" for n in self.numeric)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "statement_latex": self.statement_latex,
            "symbolic": self.symbolic.to_json(),
            "numeric": [n.to_json() for n in self.numeric],
            "ok": self.ok,
        }


@dataclass(frozen=True)
class VerifyReport:
    claims: tuple[ClaimResult, ...]

    @property
    def ok(self) -> bool:
        """True only when at least one claim ran and every claim verified."""
        return bool(self.claims) and all(c.ok for c in self.claims)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_json(self) -> dict:
        return {"ok": self.ok, "claims": [c.to_json() for c in self.claims]}

    def render(self, console: Any) -> None:
        from rich.table import Table

        table = Table(title="derivlab verify", show_lines=True)
        table.add_column("claim")
        table.add_column("symbolic")
        table.add_column("numeric")
        table.add_column("ok")
        for c in self.claims:
            sym = f"{c.symbolic.status} ({c.symbolic.method}, {c.symbolic.seconds:.2f}s)"
            num = "\n".join(f"{n.kind}: {n.status} {_headline(n.details)} ({n.seconds:.2f}s)" for n in c.numeric)
            table.add_row(f"{c.id}\n{c.title}", sym, num, "[green]yes[/]" if c.ok else "[red]NO[/]")
        console.print(table)
        console.print("[green]all claims verified[/]" if self.ok else "[red]some claims failed[/]")

    def _repr_html_(self) -> str:
        from derivlab.notebook import Html, math, table, verdict

        rows = []
        for c in self.claims:
            numeric = Html("<br>".join(f"{n.kind}: {verdict(n.status)}" for n in c.numeric))
            rows.append([Html(f"<code>{c.id}</code>"), math(c.statement_latex),
                         Html(f"{verdict(c.symbolic.status)} ({c.symbolic.method})"), numeric,
                         verdict("yes" if c.ok else "no")])
        summary = "all claims verified" if self.ok else "some claims failed"
        return table(["claim", "statement", "symbolic", "numeric", "ok"], rows, caption=f"derivlab verify: {summary}")


def _headline(details: dict) -> str:
    from rich.markup import escape

    h = details.get("headline")
    return escape(f"[{h}]") if h else ""


def _jsonable(value: Any) -> Any:
    """Plain JSON types only (numpy scalars, Fractions, SymPy numbers become float/str)."""
    import numbers
    from fractions import Fraction

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())
    return str(value)


def _builders() -> list[Callable[[], Sequence[Claim]]]:
    """Every topic's claim builder, by discovery: each module or package directly under
    ``derivlab.claims`` that defines ``CLAIMS`` (a zero-argument function returning its claims).
    A new problem adds one package here; nothing else in this file changes (``CLAIM_IDS`` only
    fixes the display order; unlisted ids follow in discovery order)."""
    import importlib
    import pkgutil

    builders: list[Callable[[], Sequence[Claim]]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        build = getattr(module, "CLAIMS", None)
        if callable(build):
            builders.append(build)
    return builders


def all_claims() -> dict[str, Claim]:
    """Every registered claim, by id, in the stable order of ``CLAIM_IDS``."""
    found: dict[str, Claim] = {}
    for build in _builders():
        for claim in build():
            found[claim.id] = claim
    ordered = {cid: found[cid] for cid in CLAIM_IDS if cid in found}
    ordered.update({cid: c for cid, c in found.items() if cid not in ordered})
    return ordered


def claims_for_question(question: str) -> list[Claim]:
    """The claims answering ``question`` in ``CLAIM_IDS`` order; "Q2" also selects Q2(a)-(d).

    >>> [c.id for c in claims_for_question("Q2(c)")]
    ['attention.first']
    """
    return [c for c in all_claims().values() if c.question == question or c.question.startswith(question + "(")]


def select_claims(ids: Iterable[str] | None) -> list[Claim]:
    """The claims named by ``ids`` (``*`` globs allowed, e.g. ``attention.*``); all when empty."""
    import fnmatch

    registry = all_claims()
    if not ids:
        return list(registry.values())
    chosen: list[Claim] = []
    for pattern in ids:
        matches = [c for cid, c in registry.items() if fnmatch.fnmatchcase(cid, pattern)]
        if not matches:
            known = ", ".join(registry) or "none registered"
            raise InputError(f"unknown claim {pattern!r} (known: {known})")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def run_claim(claim: Claim, options: ConfirmOptions) -> ClaimResult:
    """Derive ``claim`` symbolically, then run every numeric confirmation, timing each."""
    t0 = time.perf_counter()
    try:
        proof = claim.prove()
        status = "proved" if proof.holds else "failed"
        symbolic = SymbolicResult(status, proof.method, time.perf_counter() - t0, proof, proof.detail)
    except Exception as exc:  # a failing proof is a result, not a crash
        symbolic = SymbolicResult("failed", "error", time.perf_counter() - t0, None, f"{type(exc).__name__}: {exc}")
    numeric = []
    for conf in claim.confirmations:
        t1 = time.perf_counter()
        try:
            outcome = conf.run(options)
            status = "agrees" if outcome.agrees else "disagrees"
            details = dict(outcome.details)
        except Exception as exc:
            status, details = "disagrees", {"error": f"{type(exc).__name__}: {exc}"}
        numeric.append(NumericResult(conf.kind, status, time.perf_counter() - t1, details))
    return ClaimResult(claim.id, claim.title, claim.statement_latex, symbolic, tuple(numeric))


def verify_claims(
    ids: Iterable[str] | None = None,
    *,
    seed: int = 0,
    quick: bool = False,
    progress: Callable[[str], None] | None = None,
) -> VerifyReport:
    """Derive and confirm the selected claims (all by default)."""
    options = ConfirmOptions(seed=seed, quick=quick)
    results = []
    for claim in select_claims(ids):
        if progress:
            progress(claim.id)
        results.append(run_claim(claim, options))
    return VerifyReport(tuple(results))
