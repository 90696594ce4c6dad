"""Q3's figures: Monte Carlo convergence with its confidence band, and SGD iterates
against the averaged iterate and the closed-form minimiser.

The numbers come from ``derivlab.numerics`` (``monte_carlo.convergence_trace``,
``torch_sgd.sgd_trace``) on the same fixed-seed problem, sample counts and step
counts as the claims' confirmations (``derivlab.claims.dropout_confirmations``);
never drawn from made-up data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from derivlab.progress import stage
from derivlab.reports import figures as plots
from derivlab.reports.templating import trusted

FIGURE_DIR = "figures"


def figure_view(path: Path | None, out_dir: Path, caption: str, reason: str = "", width: str = "0.8") -> dict:
    """A figure for the template: its path relative to the report (trusted: we chose the name)."""
    rel = None if path is None else trusted(path.relative_to(out_dir).as_posix())
    return {"path": rel, "caption": caption, "reason": reason, "width": width}


def figures(out_dir: Path, *, quick: bool, seed: int) -> list[dict]:
    """Every Q3 figure (drawn, or a placeholder with the reason it is missing)."""
    return [_monte_carlo(out_dir, quick=quick, seed=seed), *_sgd(out_dir, quick=quick, seed=seed)]


def _monte_carlo(out_dir: Path, *, quick: bool, seed: int) -> dict:
    from derivlab.claims.dropout_confirmations import MC_SAMPLES
    from derivlab.derivations.dropout_variants import CORRECT_IDENTITY
    from derivlab.numerics.monte_carlo import Z_THRESHOLD, convergence_trace
    from derivlab.numerics.regression_data import regression_problem

    problem = regression_problem(seed=seed)
    X, y, w, p = problem.X, problem.y, problem.w, problem.keep_probability
    samples = MC_SAMPLES[quick]
    trace = convergence_trace(X, y, w, p, samples, seed)
    exact = float(CORRECT_IDENTITY.value(X, y, w, p))
    path = plots.monte_carlo_convergence(trace["sample_counts"], trace["estimates"], trace["standard_errors"], exact,
                                         out_dir / FIGURE_DIR / "monte-carlo-convergence.pdf", z=Z_THRESHOLD)
    n, d = problem.shape
    caption = (rf"Monte Carlo estimate of $\mathbb{{E}}_R\|y-(R\odot X)\tilde w\|_2^2$ at $n = {n}$, $d = {d}$, "
               rf"$p = {p:g}$ (seed {seed}) against the number of sampled masks, with the band of "
               rf"$\pm {Z_THRESHOLD:.2f}$ standard errors the confirmation uses (false-alarm rate $10^{{-6}}$); "
               rf"dashed: the closed form (4), {exact:.4g}.")
    return figure_view(path, out_dir, trusted(caption))


def _sgd(out_dir: Path, *, quick: bool, seed: int) -> list[dict]:
    from derivlab.claims.dropout_confirmations import SGD_STEPS
    from derivlab.derivations.dropout_closed_forms import closed_form_minimizer, rescaled_ridge_solution
    from derivlab.numerics.regression_data import regression_problem
    from derivlab.numerics.torch_sgd import sgd_trace

    problem = regression_problem(seed=seed)
    X, y, p = problem.X, problem.y, problem.keep_probability
    steps = SGD_STEPS[quick]
    with stage(f"SGD traces for the figures ({steps} steps, two conventions)"):
        keep = sgd_trace(X, y, p, convention="keep-mask", steps=steps, seed=seed)
        inverted = sgd_trace(X, y, p, convention="torch-dropout", steps=steps, seed=seed + 1)
    w_star, ridge = closed_form_minimizer(X, y, p), rescaled_ridge_solution(X, y, p)
    coords = plots.sgd_coordinates(keep["steps"], keep["iterates"], keep["averaged"], w_star,
                                   out_dir / FIGURE_DIR / "sgd-iterates.pdf", average_from=keep["average_from"])
    curves = {
        r"keep mask: last iterate vs $\tilde w^\star$": _relative(keep["iterates"], w_star),
        r"keep mask: averaged vs $\tilde w^\star$": _relative(keep["averaged"], w_star, keep["steps"], keep["average_from"]),
        r"nn.Dropout$(1-p)$: last iterate vs $p\tilde w^\star$": _relative(inverted["iterates"], ridge),
        r"nn.Dropout$(1-p)$: averaged vs $p\tilde w^\star$": _relative(inverted["averaged"], ridge, inverted["steps"],
                                                                        inverted["average_from"]),
    }
    errors = plots.sgd_convergence(np.asarray(keep["steps"]) + 1, curves, out_dir / FIGURE_DIR / "sgd-relative-error.pdf")
    cap1 = (rf"Constant-step SGD with a Bernoulli($p = {p:g}$) keep mask on the inputs ({steps} steps, seed {seed}): "
            rf"the first coordinates of the iterates $w_t$ (thin) keep fluctuating, the Polyak--Ruppert average "
            rf"$\bar w_t$ (thick, averaged from step {keep['average_from']}) settles on the closed-form minimiser "
            rf"$\tilde w^\star = (pX^\top X + (1-p)\operatorname{{diag}}(X^\top X))^{{-1}}X^\top y$ (dashed).")
    cap2 = (r"Relative distance to the closed-form targets along SGD: with the plain keep mask the averaged iterate "
            r"approaches $\tilde w^\star$; with PyTorch's inverted dropout (\texttt{nn.Dropout}$(1-p)$, kept "
            r"inputs scaled by $1/p$) it approaches the rescaled ridge solution "
            r"$p\tilde w^\star = (X^\top X + \lambda\operatorname{diag}(X^\top X))^{-1}X^\top y$. The last iterate "
            r"stalls at the noise floor of the constant step size.")
    return [figure_view(coords, out_dir, trusted(cap1)), figure_view(errors, out_dir, trusted(cap2))]


def _relative(rows: list, target: np.ndarray, steps: list | None = None, start: int | None = None) -> np.ndarray:
    """||row - target|| / ||target|| per recorded step (NaN before averaging starts)."""
    values = np.asarray(rows, dtype=float)
    target = np.asarray(target, dtype=float).ravel()
    out = np.linalg.norm(values - target, axis=1) / np.linalg.norm(target)
    if steps is not None and start is not None:
        out[np.asarray(steps) < start] = np.nan
    return out
