"""The report's matplotlib figures, written as vector PDF (Agg backend, no display).

Each function takes the numbers to draw (computed elsewhere: derivlab.numerics,
derivlab.transformers) and a path, draws one figure and returns the path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

_STYLE = {"figure.figsize": (6.0, 3.4), "font.size": 9, "axes.grid": True, "grid.alpha": 0.3,
          "pdf.fonttype": 42, "savefig.bbox": "tight"}


def _save(fig: plt.Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=path.suffix.lstrip(".") or "pdf", metadata={"CreationDate": None})
    plt.close(fig)
    return path


def monte_carlo_convergence(
    sample_counts: Sequence[float], estimates: Sequence[float], standard_errors: Sequence[float],
    exact: float, path: Path, *, z: float = 1.96, label: str = r"$\mathbb{E}_R\|y-(R\odot X)w\|_2^2$",
) -> Path:
    """Running Monte Carlo estimate with its ``z``-standard-error band against the exact value."""
    n = np.asarray(sample_counts, dtype=float)
    est = np.asarray(estimates, dtype=float)
    se = np.asarray(standard_errors, dtype=float)
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots()
        ax.fill_between(n, est - z * se, est + z * se, color="tab:blue", alpha=0.2,
                        label=f"estimate $\\pm$ {z:.2f} standard errors")
        ax.plot(n, est, color="tab:blue", lw=1.2, label="Monte Carlo estimate")
        ax.axhline(exact, color="black", lw=1.0, ls="--", label="exact (closed form)")
        ax.set_xscale("log")
        ax.set_xlabel("number of sampled masks $R$")
        ax.set_ylabel(label)
        ax.legend(loc="best", fontsize=8)
        return _save(fig, path)


def sgd_convergence(
    steps: Sequence[float], curves: dict[str, Sequence[float]], path: Path,
    *, ylabel: str = r"$\|w_t - w^\star\| / \|w^\star\|$",
) -> Path:
    """Relative distance to the closed-form minimiser along SGD, one line per curve (log-log)."""
    x = np.asarray(steps, dtype=float)
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots()
        for (name, values), style in zip(curves.items(), ("-", "--", "-.", ":")):
            y = np.asarray(values, dtype=float)
            ax.plot(x[: len(y)], y, ls=style, lw=1.2, label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("SGD step $t$")
        ax.set_ylabel(ylabel)
        ax.legend(loc="best", fontsize=8)
        return _save(fig, path)


def sgd_coordinates(
    steps: Sequence[float], iterates: np.ndarray, averaged: np.ndarray, closed_form: Sequence[float], path: Path,
    *, average_from: int = 0, max_coordinates: int = 4,
) -> Path:
    """The first coordinates of the SGD iterates, the averaged iterate (from ``average_from`` on) and the
    closed-form minimiser, against the step (linear axis)."""
    x = np.asarray(steps, dtype=float)
    it = np.asarray(iterates, dtype=float)
    av = np.asarray(averaged, dtype=float).copy()
    av[x < average_from] = np.nan
    target = np.asarray(closed_form, dtype=float).ravel()
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots()
        for j in range(min(max_coordinates, target.size)):
            color = f"C{j}"
            ax.plot(x, it[:, j], color=color, lw=0.6, alpha=0.45)
            ax.plot(x, av[:, j], color=color, lw=1.4)
            ax.axhline(target[j], color=color, lw=1.0, ls="--")
        ax.plot([], [], color="gray", lw=0.6, alpha=0.45, label="SGD iterate $w_t$")
        ax.plot([], [], color="gray", lw=1.4, label=r"averaged iterate $\bar w_t$")
        ax.plot([], [], color="gray", lw=1.0, ls="--", label="closed-form minimiser")
        ax.set_xlabel("SGD step $t$")
        ax.set_ylabel("coordinate value")
        ax.legend(loc="best", fontsize=8)
        return _save(fig, path)
