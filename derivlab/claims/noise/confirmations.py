"""Numeric confirmations of the noise claims. Each must be able to fail: every wrong version of the
claim (``derivations.noise.variants``) has to be rejected by the same run, or it disagrees.

* ``exact_two_point``: exact rationals, no sampling. The objective is a polynomial of degree 2 in
  the noise entries, so its expectation depends only on their mean 0 and variance; the two-point law
  ±s has both, and averaging over every sign pattern (row by row: 2^d patterns per row, which equals
  the average over all 2^{nd}) gives the Gaussian expectation exactly.
* ``monte_carlo``: real Gaussian draws at 50 x 10, |z| < 4.89 (two-sided false-alarm rate 1e-6).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from derivlab.claims import ConfirmationOutcome, ConfirmOptions
from derivlab.derivations.noise.variants import CORRECT, KIND, WRONG, ADDITIVE_ID
from derivlab.numerics.noise import monte_carlo, two_point
from derivlab.numerics.regression_data import rational_problem, regression_problem

QUICK_SIZES = ((1, 1), (2, 2), (2, 3), (3, 2))
FULL_SIZES = QUICK_SIZES + ((3, 3), (3, 4), (4, 3))
SCALES = (Fraction(1, 2), Fraction(2, 3), Fraction(3, 5))  # the two-point law ±s: standard deviation s
MC_SAMPLES = {True: 4_000, False: 50_000}
MC_SIGMA = 0.5  # additive: σ (variance 0.25)
MC_ALPHA = 0.3  # multiplicative: α = Var N_ij (α ≠ 1/2, where α² = α(1 − α) would coincide)
CONVENTIONS = {
    "noise.additive-gaussian": "N_ij ~ N(0, sigma^2) i.i.d.; sigma is the standard deviation",
    "noise.gaussian-dropout": "M = 1 + N, N_ij ~ N(0, alpha) i.i.d.; alpha is the VARIANCE (Srivastava et al. 2014)",
}


def _param(claim: str, s: Fraction | float) -> Fraction | float:
    """The claim's parameter for noise of standard deviation s: σ = s (additive) or α = s² (multiplicative)."""
    return s if claim == ADDITIVE_ID else s * s


def exact_two_point(claim: str, options: ConfirmOptions, correct: Any = None, wrong: Any = None) -> ConfirmationOutcome:
    """Exact E_N at every size equals ``correct`` (default: the claim); every ``wrong`` version differs somewhere."""
    sizes = QUICK_SIZES if options.quick else FULL_SIZES
    correct, wrong = correct or CORRECT[claim], WRONG[claim] if wrong is None else wrong
    equal, rejected, patterns = [], {v.name: False for v in wrong}, 0
    for k, (n, d) in enumerate(sizes):
        prob = rational_problem(n, d, seed=options.seed + k)
        s = SCALES[k % len(SCALES)]
        param = _param(claim, s)
        truth = two_point.expected_squared_residual(prob.X, prob.y, prob.w, s, KIND[claim])
        equal.append(truth == correct.value(prob.X, prob.y, prob.w, param))
        patterns += n * 2**d
        for v in wrong:
            rejected[v.name] |= truth != v.value(prob.X, prob.y, prob.w, param)
    killed = sum(rejected.values())
    return ConfirmationOutcome(all(equal) and killed == len(wrong), {
        "headline": f"exact at {sum(equal)}/{len(equal)} sizes; {killed}/{len(wrong)} wrong versions unequal",
        "sizes": [list(s) for s in sizes], "sign_patterns_per_row_summed": patterns,
        "arithmetic": "fractions.Fraction", "scales": [str(s) for s in SCALES], "equal_at_each_size": equal,
        "wrong_variants": {name: {"rejected": r, "z": None} for name, r in rejected.items()}, "convention": CONVENTIONS[claim],
        "why_exact": "degree-2 polynomial in independent mean-0 entries: only E[N] = 0 and E[N^2] = s^2 enter",
    })


def monte_carlo_check(claim: str, options: ConfirmOptions, correct: Any = None, wrong: Any = None) -> ConfirmationOutcome:
    """``correct`` inside the 1 − 1e-6 interval, every ``wrong`` version outside (defaults: the claim's catalogue)."""
    correct, wrong = correct or CORRECT[claim], WRONG[claim] if wrong is None else wrong
    prob = regression_problem(seed=options.seed)
    std = MC_SIGMA if claim == ADDITIVE_ID else math.sqrt(MC_ALPHA)
    param = MC_SIGMA if claim == ADDITIVE_ID else MC_ALPHA
    X, y, w = prob.X, prob.y, prob.w
    result = monte_carlo.monte_carlo_check(X, y, w, std, KIND[claim], float(correct.value(X, y, w, param)),
                                           MC_SAMPLES[options.quick], options.seed)
    variants = {}
    for v in wrong:
        value = float(v.value(X, y, w, param))
        z = result.z_for(value)
        variants[v.name] = {"value": value, "z": z, "rejected": abs(z) >= result.threshold,
                            "power": result.power_against(value)}
    details = result.to_json()
    details.update({
        "headline": f"z={result.z:+.2f}, {sum(v['rejected'] for v in variants.values())}/{len(variants)} wrong "
                    f"rejected (min |z| {min(abs(v['z']) for v in variants.values()):.0f})",
        "size": list(prob.shape), "parameter": param, "wrong_variants": variants, "convention": CONVENTIONS[claim],
        "decision": f"agree when |z| < {result.threshold:.2f} (two-sided false-alarm rate 1e-6); every wrong version "
                    "must be rejected",
    })
    return ConfirmationOutcome(result.agrees and all(v["rejected"] for v in variants.values()), details)
