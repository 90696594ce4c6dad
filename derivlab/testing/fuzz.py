"""``derivlab fuzz``: Hypothesis properties over every claim, the mutant run, and the numeric
checks' false-alarm rate — derivlab's evidence that its verifications can fail.

1. Properties (``derivlab.testing.properties``): each is searched with ``hypothesis.find`` for
   an input that falsifies it (``max_examples = examples × weight``, no database, no deadline,
   a seed derived from ``seed`` and the property's name). A falsifying input is reported
   SHRUNK. Replay: ``derivlab fuzz --seed S --examples N`` (same S and N), or in Python
   ``run_fuzz(N, S, only=["<property name>"])``.
2. Mutants (``derivlab.testing.mutants``): every wrong version of every claim must be rejected
   by the claim's symbolic check AND its numeric check; every control (the correct version)
   must be accepted by both.
3. False alarms: each claim's numeric check is run on its correct version with
   ``false_alarm_seeds`` seeds; Monte Carlo checks have alpha = 1e-6 per check, so ~0 expected.

``ok`` = every property passed, every mutant killed both ways, every control accepted, no
false alarm, and every claim id covered by at least one property and two mutants.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from random import Random
from typing import Any, Sequence

from derivlab.progress import track
from derivlab.testing.mutants import FalseAlarms, MutantResult, false_alarms, judge_candidate, load
from derivlab.testing.properties import Property, all_properties

FALSE_ALARM_SEEDS = 200
MIN_MUTANTS = {"dropout.identity": 5}  # every other claim: 2


@dataclass(frozen=True)
class PropertyResult:
    name: str
    claim: str
    statement: str
    examples: int
    status: str  # "passed" | "falsified"
    counterexample: Any
    reason: str
    seconds: float
    seed: int

    def to_json(self) -> dict:
        return {"name": self.name, "claim": self.claim, "examples": self.examples, "status": self.status,
                "counterexample": self.counterexample, "reason": self.reason or None,
                "seconds": round(self.seconds, 3), "hypothesis_seed": self.seed, "statement": self.statement}


@dataclass(frozen=True)
class FuzzReport:
    seed: int
    examples: int
    properties: tuple[PropertyResult, ...]
    mutants: tuple[MutantResult, ...]
    controls: tuple[MutantResult, ...]
    false_alarms: tuple[FalseAlarms, ...]
    coverage: dict
    missing: dict
    seconds: float
    only: tuple[str, ...] = field(default_factory=tuple)
    timings: dict = field(default_factory=dict)

    @property
    def uncovered(self) -> list[str]:
        return [cid for cid, c in self.coverage.items() if not c["covered"]]

    @property
    def ok(self) -> bool:
        return (bool(self.properties) and all(p.status == "passed" for p in self.properties)
                and all(m.ok for m in self.mutants) and all(c.ok for c in self.controls)
                and all(f.rejections == 0 for f in self.false_alarms)
                and not self.missing and (bool(self.only) or not self.uncovered))

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def replay(self) -> str:
        return f"derivlab fuzz --seed {self.seed} --examples {self.examples}"

    def to_json(self) -> dict:
        return {
            "ok": self.ok, "seed": self.seed, "examples": self.examples, "seconds": round(self.seconds, 2),
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
            "replay": self.replay(),
            "properties": [p.to_json() for p in self.properties],
            "mutants": [m.to_json() for m in self.mutants],
            "controls": [{**c.to_json(), "accepted_symbolic": not c.killed_symbolic,
                          "accepted_numeric": not c.killed_numeric} for c in self.controls],
            "false_alarms": {f.claim: f.to_json() for f in self.false_alarms},
            "coverage": self.coverage,
            "missing": self.missing,
        }

    def render(self, console: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        t = Table(title=f"derivlab fuzz: properties ({self.examples} examples each, seed {self.seed})")
        for col in ("property", "examples", "status", "shrunk counterexample / reason", "s"):
            t.add_column(col)
        for p in self.properties:
            status = "[green]passed[/]" if p.status == "passed" else "[red]FALSIFIED[/]"
            detail = "" if p.status == "passed" else f"{p.reason}\n{_short(p.counterexample)}"
            t.add_row(p.name, str(p.examples), status, escape(detail), f"{p.seconds:.1f}")
        console.print(t)
        m = Table(title="mutants (each must be killed by the symbolic AND the numeric check)")
        for col in ("claim", "mutant", "symbolic", "numeric"):
            m.add_column(col)
        kill = lambda k: "[green]killed[/]" if k else "[red]SURVIVED[/]"  # noqa: E731
        for r in self.mutants:
            m.add_row(r.claim, escape(f"{r.name}: {r.description}"), kill(r.killed_symbolic), kill(r.killed_numeric))
        for r in self.controls:
            acc = lambda k: "[red]REJECTED[/]" if k else "[green]accepted[/]"  # noqa: E731
            m.add_row(r.claim, escape(f"(control) {r.description}"), acc(r.killed_symbolic), acc(r.killed_numeric))
        console.print(m)
        for f in self.false_alarms:
            console.print(escape(f"false alarms {f.claim}: {f.rejections}/{f.seeds} seeds ({f.method})"))
        for group, why in self.missing.items():
            console.print(f"[red]missing[/] {escape(group)}: {escape(why)}")
        for cid in ([] if self.only else self.uncovered):
            console.print(f"[red]not covered[/] {cid}: {escape(str(self.coverage[cid]))}")
        verdict = "[green]fuzz ok[/]" if self.ok else "[red]fuzz found problems[/]"
        console.print(f"{verdict} in {self.seconds:.1f} s; replay: {self.replay()}")


def _short(value: Any, limit: int = 300) -> str:
    import json

    text = json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


def property_seed(seed: int, name: str) -> int:
    """The Hypothesis seed of property ``name`` in the run with ``seed`` (stable across runs)."""
    return int(hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()[:16], 16)


def describe(example: Any) -> Any:
    """A plain-JSON, replayable rendering of a (shrunk) example."""
    from fractions import Fraction

    import numpy as np

    if hasattr(example, "to_json"):
        return describe(example.to_json())
    if isinstance(example, dict):
        return {str(k): describe(v) for k, v in example.items()}
    if isinstance(example, (list, tuple)):
        return [describe(v) for v in example]
    if isinstance(example, np.ndarray):
        return describe(example.tolist())
    if isinstance(example, Fraction):
        return str(example)
    if isinstance(example, (bool, int, float, str)) or example is None:
        return example
    if isinstance(example, np.generic):
        return example.item()
    return str(example)


def run_property(prop: Property, examples: int, seed: int, *, shrink: bool = True) -> PropertyResult:
    """Search for a falsifying input of ``prop``; return it shrunk (unless ``shrink=False``), or "passed"."""
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample

    budget = max(1, round(examples * prop.weight))
    calls = [0]

    def falsified(example: Any) -> bool:
        calls[0] += 1
        return prop.failure(example) is not None

    hseed = property_seed(seed, prop.name)
    t0 = time.perf_counter()
    try:
        found = find(prop.strategy(), falsified,
                     settings=settings(max_examples=budget, database=None, deadline=None,
                                       suppress_health_check=list(HealthCheck),
                                       phases=list(Phase) if shrink else [p for p in Phase if p != Phase.shrink]),
                     random=Random(hseed))
    except NoSuchExample:
        return PropertyResult(prop.name, prop.claim, prop.statement, calls[0], "passed", None, "",
                              time.perf_counter() - t0, hseed)
    except Exception as exc:  # the strategy itself failing (e.g. a missing design) is a falsification
        return PropertyResult(prop.name, prop.claim, prop.statement, calls[0], "falsified", None,
                              f"{type(exc).__name__}: {exc}", time.perf_counter() - t0, hseed)
    return PropertyResult(prop.name, prop.claim, prop.statement, calls[0], "falsified", describe(found),
                          prop.failure(found) or "", time.perf_counter() - t0, hseed)


def _coverage(props: Sequence[PropertyResult], mutants: Sequence[MutantResult]) -> dict:
    from derivlab.claims import CLAIM_IDS, all_claims

    ids = list(CLAIM_IDS) + [cid for cid in all_claims() if cid not in CLAIM_IDS]
    registered = set(all_claims())
    out = {}
    for cid in ids:
        n_props = sum(p.claim == cid for p in props)
        n_mut = sum(m.claim == cid for m in mutants)
        out[cid] = {"registered": cid in registered, "properties": n_props, "mutants": n_mut,
                    "covered": n_props >= 1 and n_mut >= MIN_MUTANTS.get(cid, 2)}
    return out


def run_fuzz(examples: int = 100, seed: int = 0, *, only: Sequence[str] | None = None,
             false_alarm_seeds: int = FALSE_ALARM_SEEDS, mutants: bool = True) -> FuzzReport:
    """Run every property (or those named in ``only``), the mutant run and the false-alarm run."""
    from derivlab.errors import InputError

    if examples < 1:
        raise InputError("--examples must be at least 1")
    t0 = time.perf_counter()
    props, missing = all_properties(), {}
    if only:
        unknown = [n for n in only if n not in props]
        if unknown:
            raise InputError(f"unknown property {unknown[0]!r} (known: {', '.join(props)})")
        props = {n: props[n] for n in only}
    results = [run_property(p, examples, seed)
               for p in track(list(props.values()), "fuzz: properties", total=len(props))]
    timings = {"properties": time.perf_counter() - t0}
    mutant_results: list[MutantResult] = []
    control_results: list[MutantResult] = []
    alarms: list[FalseAlarms] = []
    if mutants:
        candidates, judges = load()
        t1 = time.perf_counter()
        for c in track(candidates, "fuzz: mutants", total=len(candidates)):
            r = judge_candidate(c, seed, judges[c.claim])
            (control_results if c.correct else mutant_results).append(r)
        timings["mutants"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        controls = [c for c in candidates if c.correct]
        offset = 1_000_003 * (seed + 1)
        for c in track(controls, "fuzz: false alarms", total=len(controls)):
            alarms.append(false_alarms(c, range(offset, offset + false_alarm_seeds), judges[c.claim]))
        timings["false_alarms"] = time.perf_counter() - t1
    return FuzzReport(seed, examples, tuple(results), tuple(mutant_results), tuple(control_results), tuple(alarms),
                      _coverage(results, mutant_results), missing, time.perf_counter() - t0, tuple(only or ()),
                      timings)
