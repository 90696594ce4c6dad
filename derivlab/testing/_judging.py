"""The objects of the mutant run: a ``Candidate`` (the claim as stated, or a plausible wrong
version of it) and a ``Judge`` (the claim's symbolic check and numeric check, each taking a
candidate). A mutant is KILLED by a check when the check rejects it; the same check must
accept the correct candidate (the control), or the kill means nothing.

Monte Carlo checks here are two-sided z-tests of a sample mean against the candidate's
value at a stated false-alarm probability ``ALPHA`` per check (Bonferroni over components).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from derivlab.numerics.monte_carlo import FALSE_ALARM_RATE as ALPHA  # per numeric check on a correct candidate
from derivlab.numerics.monte_carlo import z_threshold


@dataclass(frozen=True)
class Candidate:
    """A version of ``claim``: the correct one (``correct=True``, the control) or a mutant.

    ``formula`` is claim-specific (a function of X, y, w, p; a (keep, scale) rule; a forward
    pass; a design maker) and is what the judge's checks consume.
    """

    claim: str
    name: str
    description: str
    formula: Any
    correct: bool = False


@dataclass(frozen=True)
class NumericVerdict:
    """What a numeric check says about a candidate, with the statistic behind it."""

    accepts: bool
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Judge:
    """A claim's two checks. ``symbolic(candidate) -> bool`` (True = SymPy shows it equal to the
    truth); ``numeric(candidate, seed) -> NumericVerdict`` (accepts at the stated threshold)."""

    claim: str
    symbolic_method: str
    numeric_method: str
    symbolic: Callable[[Candidate], bool]
    numeric: Callable[[Candidate, int], NumericVerdict]
    statistical: bool = True  # False when the numeric check is deterministic


def z_test(samples: np.ndarray, claimed: Any, alpha: float = ALPHA) -> NumericVerdict:
    """Accept when every component of mean(samples, axis=0) is within z·SE of ``claimed``.

    ``samples`` is (S,) or (S, k); SE = sample std / sqrt(S); z is Bonferroni over k.
    A component with zero spread must match exactly (to 1e-12 relative).
    """
    samples = np.asarray(samples, dtype=float)
    if samples.ndim == 1:
        samples = samples[:, None]
    claimed_arr = np.atleast_1d(np.asarray(claimed, dtype=float))
    if not np.all(np.isfinite(claimed_arr)):
        return NumericVerdict(False, {"reason": "candidate value is not finite"})
    S, k = samples.shape
    mean = samples.mean(axis=0)
    se = samples.std(axis=0, ddof=1) / math.sqrt(S)
    z_star = z_threshold(alpha, k)
    gap = np.abs(mean - claimed_arr)
    floor = 1e-12 * (1 + np.abs(claimed_arr))
    z = np.where(se > 0, gap / np.maximum(se, 1e-300), np.where(gap <= floor, 0.0, np.inf))
    worst = int(np.argmax(z))
    return NumericVerdict(
        bool(np.all(z <= z_star)),
        {"samples": S, "max_abs_z": float(z[worst]), "z_threshold": round(z_star, 3),
         "estimate": float(mean[worst]), "claimed": float(claimed_arr[worst]),
         "standard_error": float(se[worst])},
    )
