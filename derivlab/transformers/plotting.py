"""The notebook's picture of one forward pass: 8 heatmaps, each rescaled to [0, 1].

Panels, left to right: Kmᵀ, Qmᵀ, Vmᵀ, Kᵀ, Qᵀ, Vᵀ, the attention matrix (queries x keys) and the
outputᵀ. ``plot_heatmaps`` draws them into a given figure (or subfigure) or a new pyplot figure,
so ``NumpyTransformer.forward(plot=True)`` shows it in a notebook and the comparison can put a
hand-coded and a learned model one above the other in a file (matplotlib, no display needed).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

PANELS: tuple[tuple[str, str], ...] = (
    ("Km", "Kmᵀ"), ("Qm", "Qmᵀ"), ("Vm", "Vmᵀ"), ("K", "Kᵀ"), ("Q", "Qᵀ"), ("V", "Vᵀ"),
    ("weights", "attention"), ("out", "outputᵀ"),
)


def rescale_unit(matrix: np.ndarray) -> np.ndarray:
    """(M - min M) / (max M - min M), entries in [0, 1]; a constant matrix is drawn as all 0."""
    m = np.asarray(matrix, dtype=float)
    span = float(m.max() - m.min()) if m.size else 0.0
    return np.zeros_like(m) if span == 0.0 else (m - m.min()) / span


def heatmap_matrices(Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray, parts: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The 8 matrices as drawn (transposed where the notebook transposes), before rescaling."""
    source = {"Km": Km, "Qm": Qm, "Vm": Vm, **parts}
    return [np.asarray(source[key]) if key == "weights" else np.asarray(source[key]).T for key, _ in PANELS]


def plot_heatmaps(Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray, parts: dict[str, np.ndarray],
                  fig: Any = None, title: str | None = None, labels: Sequence[str] | None = None) -> Any:
    """Draw the 8 rescaled heatmaps in one row; ``parts`` is ``attention_parts``' dict. Returns the figure.

    ``labels`` (one per sequence position, e.g. "CLS", "A") name the key/query axes of the
    attention panel and the columns of Kᵀ, Qᵀ, Vᵀ, outputᵀ.
    """
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(16, 2.6))
    axes = fig.subplots(1, len(PANELS), gridspec_kw={"top": 0.8 if title else 0.9, "bottom": 0.1, "wspace": 0.35})
    for ax, (key, name), matrix in zip(axes, PANELS, heatmap_matrices(Km, Qm, Vm, parts)):
        ax.imshow(rescale_unit(matrix), cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
        ax.set_title(name, fontsize=9)
        ax.set_yticks(range(matrix.shape[0]))
        ax.set_xticks(range(matrix.shape[1]))
        ax.tick_params(labelsize=7)
        if labels is not None and key in ("K", "Q", "V", "out", "weights"):
            ax.set_xticklabels(labels)
            if key == "weights":
                ax.set_yticklabels(labels)
    if title:
        fig.suptitle(title, fontsize=10, y=0.98)
    return fig


def plot_loss_curves(curves: Sequence[tuple[str, np.ndarray, np.ndarray]], ax: Any) -> None:
    """One line per (label, step, mean loss) on a log scale."""
    for label, steps, losses in curves:
        ax.plot(steps, np.maximum(losses, 1e-12), label=label, linewidth=1.2)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("MSE (window mean of single-sequence losses)")
    ax.legend(fontsize=8)
