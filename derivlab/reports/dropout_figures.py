"""Q3's figures: Monte Carlo convergence with its confidence band, and SGD iterates
against the averaged iterate and the closed-form minimiser.

The numbers come from ``derivlab.numerics`` (the dropout helper's Monte Carlo
and torch SGD runs); until those functions exist each figure is reported as
"not yet available" with the reason, never drawn from made-up data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from derivlab.reports import figures as plots
from derivlab.reports.templating import trusted

FIGURE_DIR = "figures"


def figure_view(path: Path | None, out_dir: Path, caption: str, reason: str = "", width: str = "0.8") -> dict:
    """A figure for the template: its path relative to the report (trusted: we chose the name)."""
    rel = None if path is None else trusted(path.relative_to(out_dir).as_posix())
    return {"path": rel, "caption": caption, "reason": reason, "width": width}


def figures(out_dir: Path, *, quick: bool, seed: int) -> list[dict]:
    """Every Q3 figure (drawn, or a placeholder with the reason it is missing)."""
    return [_monte_carlo(out_dir, quick=quick, seed=seed), _sgd(out_dir, quick=quick, seed=seed)]


def _monte_carlo(out_dir: Path, *, quick: bool, seed: int) -> dict:
    caption = ("Monte Carlo estimate of $\\mathbb{E}_R\\|y-(R\\odot X)\\tilde w\\|_2^2$ against the number of "
               "sampled masks, with its 95\\% confidence band; dashed: the closed form (4)")
    try:
        trace = _monte_carlo_trace(quick=quick, seed=seed)
    except (ImportError, AttributeError) as exc:
        return figure_view(None, out_dir, "Monte Carlo convergence", f"derivlab.numerics has no trace yet ({exc}).")
    path = plots.monte_carlo_convergence(
        trace["sample_counts"], trace["estimates"], trace["standard_errors"], trace["exact"],
        out_dir / FIGURE_DIR / "monte-carlo-convergence.pdf")
    return figure_view(path, out_dir, trusted(caption))


def _sgd(out_dir: Path, *, quick: bool, seed: int) -> dict:
    caption = ("SGD with dropout: the iterates $w_t$ (thin), the averaged iterate $\\bar w_t$ (thick) and the "
               "closed-form minimiser of (2) (dashed)")
    try:
        trace = _sgd_trace(quick=quick, seed=seed)
    except (ImportError, AttributeError) as exc:
        return figure_view(None, out_dir, "SGD iterates", f"derivlab.numerics has no SGD trace yet ({exc}).")
    path = plots.sgd_coordinates(trace["steps"], trace["iterates"], trace["averaged"], trace["closed_form"],
                                 out_dir / FIGURE_DIR / "sgd-iterates.pdf")
    return figure_view(path, out_dir, trusted(caption))


def _monte_carlo_trace(*, quick: bool, seed: int) -> dict[str, Any]:
    from derivlab.numerics.monte_carlo import convergence_trace  # noqa: F401  (API pending)

    raise AttributeError("convergence_trace")


def _sgd_trace(*, quick: bool, seed: int) -> dict[str, Any]:
    from derivlab.numerics.torch_sgd import sgd_trace  # noqa: F401  (API pending)

    raise AttributeError("sgd_trace")
