"""The mutant catalogue: for every claim, plausible wrong versions (what students and
careless code write), each of which the claim's symbolic check AND its numeric check must
reject; and the correct version (the control), which both checks must accept.

Topic files hold the candidates and checks: ``mutants_dropout`` (identity, rescaled ridge,
minimiser, torch inverted dropout), ``mutants_attention`` (the NumPy/PyTorch twin),
``mutants_designs`` (hand-coded designs).

    >>> from derivlab.testing.mutants import catalogue, judge_candidate
    >>> m = next(c for c in catalogue() if c.name == "p-squared-variance")
    >>> r = judge_candidate(m, seed=0)
    >>> (r.killed_symbolic, r.killed_numeric)
    (True, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Iterable

from derivlab.testing._judging import ALPHA, Candidate, Judge


def _topics() -> list[tuple[str, object]]:
    def dropout():
        from derivlab.testing import mutants_dropout

        return mutants_dropout.CANDIDATES, mutants_dropout.JUDGES

    def numpy_torch():
        from derivlab.testing import mutants_attention

        return mutants_attention.CANDIDATES, {mutants_attention.CLAIM: mutants_attention.JUDGE}

    def designs():
        from derivlab.testing import mutants_designs

        return mutants_designs.candidates(), mutants_designs.judges()

    return [("dropout", dropout), ("attention.numpy-torch", numpy_torch), ("attention designs", designs),
            *problem_packages(lambda m: (m.candidates(), m.judges()))]


PROBLEM_PROTOCOL = ("candidates", "judges", "properties")


def problem_packages(build: Any) -> list[tuple[str, Any]]:
    """(name, builder) for every problem PACKAGE under ``derivlab.testing``, ``build(module)`` giving its part
    (discovery: a new problem adds one package with ``candidates()``, ``judges()``, ``properties()``)."""
    import importlib
    import pkgutil

    import derivlab.testing as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        name = f"{package.__name__}.{info.name}"
        module = importlib.import_module(name)  # a package that fails to import is an error, never skipped
        if not all(callable(getattr(module, part, None)) for part in PROBLEM_PROTOCOL):
            continue  # a tool package (e.g. ``soundness``), not a problem

        def load_one(name: str = name) -> Any:
            return build(importlib.import_module(name))

        found.append((info.name, load_one))
    return found


def load() -> tuple[list[Candidate], dict[str, Judge]]:
    """(candidates, judges by claim) over every topic; a topic that fails to import raises."""
    candidates: list[Candidate] = []
    judges: dict[str, Judge] = {}
    for _topic, build in _topics():
        cands, js = build()
        candidates.extend(cands)
        judges.update(js)
    return candidates, judges


def catalogue() -> list[Candidate]:
    """Every candidate (controls and mutants) of every claim."""
    return load()[0]


def mutants() -> list[Candidate]:
    """The wrong versions only."""
    return [c for c in catalogue() if not c.correct]


def judges() -> dict[str, Judge]:
    return load()[1]


@dataclass(frozen=True)
class MutantResult:
    """How the claim's two checks judged one candidate. For a mutant both kills must be True;
    for a control (``correct``) both must be False (accepted)."""

    claim: str
    name: str
    description: str
    correct: bool
    killed_symbolic: bool
    killed_numeric: bool
    symbolic_seconds: float
    numeric_seconds: float
    numeric_details: dict = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        if self.correct:
            return not (self.killed_symbolic or self.killed_numeric) and not self.error
        return self.killed_symbolic and self.killed_numeric and not self.error

    def to_json(self) -> dict:
        out = {"claim": self.claim, "name": self.name, "description": self.description,
               "killed_symbolic": self.killed_symbolic, "killed_numeric": self.killed_numeric,
               "symbolic_seconds": round(self.symbolic_seconds, 4), "numeric_seconds": round(self.numeric_seconds, 4),
               "numeric": self.numeric_details}
        if self.error:
            out["error"] = self.error
        return out


def judge_candidate(candidate: Candidate, seed: int = 0, judge: Judge | None = None) -> MutantResult:
    """Run the claim's symbolic and numeric checks on ``candidate`` (numeric with ``seed``).

    A check that raises counts as rejecting (and the error is recorded): for a mutant that
    is still a kill, for a control it is a failure of the catalogue.
    """
    judge = judge or judges()[candidate.claim]
    errors = []
    t0 = time.perf_counter()
    try:
        accepted_symbolic = bool(judge.symbolic(candidate))
    except Exception as exc:  # the check itself failing is reported, never hidden
        accepted_symbolic = False
        errors.append(f"symbolic: {type(exc).__name__}: {exc}")
    t1 = time.perf_counter()
    try:
        verdict = judge.numeric(candidate, seed)
        accepted_numeric, details = verdict.accepts, dict(verdict.details)
    except Exception as exc:
        accepted_numeric, details = False, {}
        errors.append(f"numeric: {type(exc).__name__}: {exc}")
    t2 = time.perf_counter()
    error = "; ".join(errors) if candidate.correct else ""
    if errors and not candidate.correct:
        details["check_error"] = "; ".join(errors)
    return MutantResult(candidate.claim, candidate.name, candidate.description, candidate.correct,
                        not accepted_symbolic, not accepted_numeric, t1 - t0, t2 - t1, details, error)


@dataclass(frozen=True)
class FalseAlarms:
    """How often a claim's numeric check rejects the CORRECT candidate over ``seeds`` seeds."""

    claim: str
    seeds: int
    rejections: int
    method: str
    statistical: bool
    alpha: float | None

    @property
    def rate(self) -> float:
        return self.rejections / self.seeds if self.seeds else 0.0

    def to_json(self) -> dict:
        return {"seeds": self.seeds, "rejections": self.rejections, "rate": self.rate,
                "alpha_per_check": self.alpha, "expected_rejections": (self.alpha or 0.0) * self.seeds,
                "method": self.method}


def false_alarms(control: Candidate, seeds: Iterable[int], judge: Judge | None = None) -> FalseAlarms:
    """Run the numeric check on the correct ``control`` once per seed and count rejections."""
    judge = judge or judges()[control.claim]
    seeds = list(seeds)
    rejections = 0
    for s in seeds:
        try:
            rejections += not judge.numeric(control, s).accepts
        except Exception:  # a crash on the correct candidate is an alarm too
            rejections += 1
    return FalseAlarms(control.claim, len(seeds), rejections, judge.numeric_method, judge.statistical,
                       ALPHA if judge.statistical else None)
