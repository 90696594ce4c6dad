"""Numeric confirmations of the dropout claims: each returns an ConfirmationOutcome whose details hold
the statistics, and each must be able to fail (every known wrong variant has to be
rejected by the same run, or the confirmation disagrees: an underpowered test
confirms nothing). p is the KEEP probability (torch's Dropout argument is 1 − p).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from derivlab.claims import ConfirmOptions, ConfirmationOutcome
from derivlab.derivations import dropout_closed_forms as closed
from derivlab.derivations.dropout_variants import (
    CORRECT_IDENTITY,
    CORRECT_MINIMIZER,
    CORRECT_RESCALED_RIDGE,
    IDENTITY_VARIANTS,
    MINIMIZER_VARIANTS,
    RESCALED_RIDGE_VARIANTS,
    ObjectiveVariant,
)
from derivlab.numerics import dropout_enumeration, monte_carlo
from derivlab.numerics.regression_data import rational_problem, regression_problem
from derivlab.numerics.torch_sgd import dropout_sgd, relative_error

CONVENTION = "p = keep probability; torch.nn.Dropout(1 - p) keeps with probability p and rescales by 1/p"
QUICK_SIZES = ((1, 1), (2, 2), (2, 3), (3, 2))
FULL_SIZES = QUICK_SIZES + ((3, 3), (3, 4), (4, 3))
MC_SAMPLES = {True: 4_000, False: 50_000}
SGD_STEPS = {True: 2_000, False: 10_000}
SGD_DECISION_FRACTION = 0.25  # accept when rel.err < 0.25 x the distance from the target to the nearest wrong target


def _sizes(options: ConfirmOptions) -> tuple[tuple[int, int], ...]:
    return QUICK_SIZES if options.quick else FULL_SIZES


def _enumerate_objective(options: ConfirmOptions, correct: ObjectiveVariant, wrong: tuple[ObjectiveVariant, ...],
                         rescaled: bool) -> ConfirmationOutcome:
    """Exact E_R over all 2^(nd) masks against the correct value (equality) and every wrong one (inequality)."""
    equal, masks, rejected = [], 0, {v.name: False for v in wrong}
    for k, (n, d) in enumerate(_sizes(options)):
        prob = rational_problem(n, d, seed=options.seed + k)
        p = Fraction(prob.keep_probability)
        w = prob.w / p if rescaled else prob.w  # rescaled ridge: the problem's w is w_new, w̃ = w_new / p
        truth = dropout_enumeration.expected_squared_residual(prob.X, prob.y, w, p)
        equal.append(truth == correct.value(prob.X, prob.y, w, p))
        masks += 2 ** (n * d)
        for v in wrong:
            rejected[v.name] |= truth != v.value(prob.X, prob.y, w, p)
    killed = sum(rejected.values())
    return ConfirmationOutcome(all(equal) and killed == len(wrong), {
        "headline": f"exact at {sum(equal)}/{len(equal)} sizes; {killed}/{len(wrong)} wrong variants unequal",
        "sizes": [list(s) for s in _sizes(options)], "masks_enumerated": masks, "arithmetic": "fractions.Fraction",
        "keep_probability": str(rational_problem(1, 1).keep_probability), "equal_at_each_size": equal,
        "wrong_variants": {name: {"rejected": r} for name, r in rejected.items()}, "convention": CONVENTION,
    })


def _monte_carlo_objective(options: ConfirmOptions, correct: ObjectiveVariant, wrong: tuple[ObjectiveVariant, ...],
                           rescaled: bool) -> ConfirmationOutcome:
    """Monte Carlo at 50 x 10: the correct value inside the 1 − 1e-6 interval, every wrong value outside."""
    prob = regression_problem(seed=options.seed)
    p = prob.keep_probability
    w = prob.w / p if rescaled else prob.w
    result = monte_carlo.monte_carlo_check(prob.X, prob.y, w, p, correct.value, MC_SAMPLES[options.quick],
                                           options.seed)
    variants = {}
    for v in wrong:
        value = v.value(prob.X, prob.y, w, p)
        z = result.z_for(value)
        variants[v.name] = {"value": value, "z": z, "rejected": abs(z) >= result.threshold,
                            "power": result.power_against(value)}
    all_rejected = all(v["rejected"] for v in variants.values())
    details = result.to_json()
    details.update({
        "headline": f"z={result.z:+.2f}, {sum(v['rejected'] for v in variants.values())}/{len(wrong)} wrong rejected "
                    f"(min |z| {min(abs(v['z']) for v in variants.values()):.0f})",
        "size": list(prob.shape), "keep_probability": p, "wrong_variants": variants,
        "decision": f"agree when |z| < {monte_carlo.Z_THRESHOLD:.2f} (two-sided false-alarm rate "
                    f"{monte_carlo.FALSE_ALARM_RATE:g}); every wrong variant must be rejected",
        "convention": CONVENTION,
    })
    return ConfirmationOutcome(result.agrees and all_rejected, details)


def identity_enumeration(options: ConfirmOptions) -> ConfirmationOutcome:
    return _enumerate_objective(options, CORRECT_IDENTITY, IDENTITY_VARIANTS, rescaled=False)


def identity_monte_carlo(options: ConfirmOptions) -> ConfirmationOutcome:
    return _monte_carlo_objective(options, CORRECT_IDENTITY, IDENTITY_VARIANTS, rescaled=False)


def ridge_enumeration(options: ConfirmOptions) -> ConfirmationOutcome:
    return _enumerate_objective(options, CORRECT_RESCALED_RIDGE, RESCALED_RIDGE_VARIANTS, rescaled=True)


def ridge_monte_carlo(options: ConfirmOptions) -> ConfirmationOutcome:
    return _monte_carlo_objective(options, CORRECT_RESCALED_RIDGE, RESCALED_RIDGE_VARIANTS, rescaled=True)


def minimizer_exact_gradient(options: ConfirmOptions) -> ConfirmationOutcome:
    """E_R ∇ over all masks, in rationals, is exactly 0 at w̃*; p·w̃* is exactly the ridge solution; wrong ones ≠ 0."""
    zero, twin, rejected = [], [], {v.name: False for v in MINIMIZER_VARIANTS}
    for k, (n, d) in enumerate(_sizes(options)):
        prob = rational_problem(n, d, seed=options.seed + k)
        p = Fraction(prob.keep_probability)
        w_star = CORRECT_MINIMIZER.solve(prob.X, prob.y, p)
        zero.append(all(g == 0 for g in dropout_enumeration.expected_gradient(prob.X, prob.y, w_star, p)))
        twin.append(list(p * w_star) == list(closed.rescaled_ridge_solution(prob.X, prob.y, p)))
        for v in MINIMIZER_VARIANTS:
            try:
                candidate = v.solve(prob.X, prob.y, p)
            except np.linalg.LinAlgError:
                rejected[v.name] = True  # singular: the variant names no minimiser here
                continue
            gradient = dropout_enumeration.expected_gradient(prob.X, prob.y, candidate, p)
            rejected[v.name] |= any(g != 0 for g in gradient)
    killed = sum(rejected.values())
    return ConfirmationOutcome(all(zero) and all(twin) and killed == len(MINIMIZER_VARIANTS), {
        "headline": f"gradient exactly 0 at {sum(zero)}/{len(zero)} sizes; {killed}/{len(MINIMIZER_VARIANTS)} wrong ≠ 0",
        "sizes": [list(s) for s in _sizes(options)], "gradient_zero": zero, "rescaled_twin_exact": twin,
        "wrong_variants": {name: {"rejected": r} for name, r in rejected.items()},
        "arithmetic": "fractions.Fraction, all 2^(nd) masks",
        "convention": CONVENTION,
    })


def minimizer_monte_carlo(options: ConfirmOptions) -> ConfirmationOutcome:
    """At 50 x 10 the sampled gradient at w̃* is 0 (Bonferroni over d, total false alarms 1e-6); wrong ones are not."""
    prob = regression_problem(seed=options.seed)
    samples = MC_SAMPLES[options.quick]
    run = lambda v: monte_carlo.monte_carlo_gradient_check(  # noqa: E731
        prob.X, prob.y, v.solve(prob.X, prob.y, prob.keep_probability), prob.keep_probability, samples, options.seed)
    result = run(CORRECT_MINIMIZER)
    wrong = {v.name: run(v) for v in MINIMIZER_VARIANTS}
    rejected = {name: not r.agrees for name, r in wrong.items()}
    details = result.to_json()
    details.update({
        "headline": f"max|z|={result.max_abs_z:.2f} (<{result.threshold:.2f}); "
                    f"{sum(rejected.values())}/{len(wrong)} wrong rejected",
        "wrong_variants": {name: {"z": r.max_abs_z, "rejected": rejected[name]} for name, r in wrong.items()},
        "wrong_variants_z": "the largest |z_j| over the d gradient coordinates",
        "size": list(prob.shape), "keep_probability": prob.keep_probability, "convention": CONVENTION,
    })
    return ConfirmationOutcome(result.agrees and all(rejected.values()), details)


def _sgd_verdict(run: Any, target: np.ndarray, wrong: dict[str, np.ndarray]) -> dict:
    separations = {name: relative_error(v, target) for name, v in wrong.items()}
    threshold = SGD_DECISION_FRACTION * min(separations.values())
    averaged, last = relative_error(run.averaged, target), relative_error(run.last, target)
    return {
        "relative_error_averaged": averaged, "relative_error_last": last, "threshold": threshold,
        "agrees": averaged < threshold,
        "wrong_targets": {name: {"separation": separations[name],
                                 "relative_error_averaged": relative_error(run.averaged, v)}
                          for name, v in wrong.items()},
        "run": run.to_json(),
    }


def torch_sgd(options: ConfirmOptions) -> ConfirmationOutcome:
    """Polyak–Ruppert averaged SGD hits w̃* (keep mask) and p·w̃* (torch.nn.Dropout); wrong targets stay far."""
    prob = regression_problem(seed=options.seed)
    X, y, p = prob.X, prob.y, prob.keep_probability
    w_star = closed.closed_form_minimizer(X, y, p)
    ridge = closed.rescaled_ridge_solution(X, y, p)
    ols = closed.least_squares_solution(X, y)
    steps = SGD_STEPS[options.quick]
    keep = dropout_sgd(X, y, p, convention="keep-mask", steps=steps, seed=options.seed)
    torch_run = dropout_sgd(X, y, p, convention="torch-dropout", steps=steps, seed=options.seed + 1)
    verdicts = {
        "keep-mask": _sgd_verdict(keep, w_star, {"least-squares": ols, "rescaled ridge p*w~*": ridge}),
        "torch-dropout": _sgd_verdict(torch_run, ridge, {"least-squares": ols, "unscaled w~*": w_star}),
    }
    k, t = verdicts["keep-mask"], verdicts["torch-dropout"]
    return ConfirmationOutcome(k["agrees"] and t["agrees"], {
        "headline": (f"avg rel.err {k['relative_error_averaged']:.1e}/{t['relative_error_averaged']:.1e} "
                     f"(last {k['relative_error_last']:.1e}/{t['relative_error_last']:.1e}; "
                     f"thresholds {k['threshold']:.1e}/{t['threshold']:.1e})"),
        "conventions": verdicts, "size": list(prob.shape), "keep_probability": p,
        "torch_dropout_argument": 1 - p, "steps": steps, "convention": CONVENTION,
        "targets": {"keep-mask": "w~* = (pX^TX + (1-p)diag(X^TX))^-1 X^Ty",
                    "torch-dropout": "p w~* = (X^TX + lambda diag(X^TX))^-1 X^Ty, lambda = (1-p)/p"},
        "decision": (f"agree when the Polyak-Ruppert average is within {SGD_DECISION_FRACTION} x the distance from "
                     "the target to the nearest wrong target (so it is >= 3x closer to the target than to any "
                     "wrong one); the last iterate is reported for contrast (constant-step variance, "
                     "Clara, Langer & Schmidt-Hieber 2023)"),
    })


def identity_convergence_trace(*, quick: bool = True, seed: int = 0) -> dict:
    """For a figure: running Monte Carlo estimate and standard error at 50 x 10, and the exact value (4)."""
    prob = regression_problem(seed=seed)
    trace = monte_carlo.convergence_trace(prob.X, prob.y, prob.w, prob.keep_probability, MC_SAMPLES[quick], seed)
    trace["exact"] = float(CORRECT_IDENTITY.value(prob.X, prob.y, prob.w, prob.keep_probability))
    return trace
