"""Wrong versions of the noise claims and the two checks that must kill each of them.

Symbolic check: the general proof's comparison, E_N‖y − X̃w‖² = candidate by the index normal form
with Gaussian moments, for every n, d (``variants.holds_for_all_sizes``). Numeric check: Gaussian
Monte Carlo at 50 x 10 with 4000 draws, |z| < 4.89 (two-sided false-alarm rate 1e-6).
"""

from __future__ import annotations

import math

from derivlab.derivations.noise import variants
from derivlab.numerics.noise.monte_carlo import monte_carlo_check
from derivlab.numerics.regression_data import regression_problem
from derivlab.testing._judging import Candidate, Judge, NumericVerdict

SAMPLES = 4_000
SIGMA, ALPHA = 0.5, 0.3


def candidates() -> list[Candidate]:
    return [Candidate(v.claim, "stated" if v.correct else v.name, v.description, v, v.correct)
            for v in variants.all_variants(include_correct=True)]


def _symbolic(candidate: Candidate) -> bool:
    return variants.holds_for_all_sizes(candidate.formula)


def _numeric(candidate: Candidate, seed: int) -> NumericVerdict:
    v = candidate.formula
    prob = regression_problem(seed=seed)
    additive = v.claim == variants.ADDITIVE_ID
    param, std = (SIGMA, SIGMA) if additive else (ALPHA, math.sqrt(ALPHA))
    result = monte_carlo_check(prob.X, prob.y, prob.w, std, variants.KIND[v.claim],
                               float(v.value(prob.X, prob.y, prob.w, param)), SAMPLES, seed)
    return NumericVerdict(bool(result.agrees), {"headline": result.headline, "samples": SAMPLES, "z": result.z})


def judges() -> dict[str, Judge]:
    return {claim: Judge(claim, "index normal form with Gaussian moments, every n, d",
                         f"Gaussian Monte Carlo, 50 x 10, {SAMPLES} draws, |z| < 4.89 (alpha 1e-6)",
                         _symbolic, _numeric)
            for claim in (variants.ADDITIVE_ID, variants.DROPOUT_ID)}
