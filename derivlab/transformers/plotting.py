"""The notebook's picture of one forward pass: 8 heatmaps with colour scales.

Panels: Kmᵀ, Qmᵀ, Vmᵀ, Kᵀ, Qᵀ, Vᵀ, the attention matrix (queries x keys) and the outputᵀ, drawn
as they are with one colour scale per group and a colour bar each (the notebook rescaled every
panel to [0, 1] on its own, which makes a constant matrix look all zero; ``scale="notebook"``
still draws that). ``plot_heatmaps`` draws them into a given figure (or subfigure) or a new pyplot figure,
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


#: Panels that share one colour scale: the weight matrices, the keys/queries/values, the output.
#: Attention weights are probabilities and always use [0, 1].
SCALE_GROUPS: dict[str, tuple[str, ...]] = {
    "weights": ("Km", "Qm", "Vm"), "activations": ("K", "Q", "V"), "attention": ("weights",), "output": ("out",),
}


ANNOTATE_CHARS_PER_ROW = 18  # more characters than this across a panel's row would overlap


def colour_limits(matrices: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """(vmin, vmax) of every panel: symmetric ±max|entry| over its group (0 is the neutral colour),
    [0, 1] for attention. A group whose entries are all 0 gets ±1, so 0 still reads as 0.

    >>> d = {"Km": np.zeros((1, 2)), "Qm": np.full((1, 2), 6.0), "Vm": np.eye(2), "weights": np.eye(2)}
    >>> colour_limits(d)["Km"], colour_limits(d)["Qm"], colour_limits(d)["weights"]
    ((-6.0, 6.0), (-6.0, 6.0), (0.0, 1.0))
    """
    limits: dict[str, tuple[float, float]] = {}
    for group, keys in SCALE_GROUPS.items():
        present = [k for k in keys if k in matrices]
        if group == "attention":
            limits.update({k: (0.0, 1.0) for k in present})
            continue
        top = max((float(np.max(np.abs(matrices[k]))) for k in present if matrices[k].size), default=0.0)
        top = top if top > 0 and np.isfinite(top) else 1.0
        limits.update({k: (-top, top) for k in present})
    return limits


def _annotate(ax: Any, matrix: np.ndarray, vmin: float, vmax: float) -> None:
    """Write each entry in its cell, dark or light for contrast, when the numbers fit the cells."""
    tiny = 1e-9 * max(abs(vmin), abs(vmax), 1.0)
    texts = {ij: ("0" if abs(v) < tiny else f"{v:.2g}") for ij, v in np.ndenumerate(matrix)}
    if matrix.size > 48 or max(map(len, texts.values()), default=0) * matrix.shape[1] > ANNOTATE_CHARS_PER_ROW:
        return
    span = (vmax - vmin) or 1.0
    for (i, j), text in texts.items():
        strength = abs(matrix[i, j] - (vmin + vmax) / 2) / (span / 2)
        ax.text(j, i, text, ha="center", va="center", fontsize=8.5,
                color="white" if strength > 0.6 else "black")


def plot_heatmaps(Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray, parts: dict[str, np.ndarray],
                  fig: Any = None, title: str | None = None, labels: Sequence[str] | None = None,
                  scale: str = "shared", columns: int = 4) -> Any:
    """Draw the 8 heatmaps (``columns`` per row) with colour bars; ``parts`` is ``attention_parts``' dict.

    ``scale="shared"`` (default): the matrices are drawn as they are, one symmetric colour scale per
    group (weights Km, Qm, Vm; keys/queries/values; output) and [0, 1] for attention, each with a
    colour bar, so a constant matrix (the hand-coded Q of ``first``, every entry 6) shows its value.
    ``scale="notebook"``: the notebook's picture, each panel rescaled to [0, 1] on its own.
    Small matrices carry their entries as numbers. ``labels`` (one per sequence position, e.g.
    "CLS", "A") name the key/query axes of the attention panel and the columns of Kᵀ, Qᵀ, Vᵀ, outputᵀ.
    Returns the figure.
    """
    if scale not in ("shared", "notebook"):
        raise ValueError(f"scale must be 'shared' or 'notebook', got {scale!r}")
    rows = -(-len(PANELS) // columns)
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(3.4 * columns, 2.9 * rows + (0.4 if title else 0)), layout="constrained")
    matrices = heatmap_matrices(Km, Qm, Vm, parts)
    shown = {key: (m if scale == "shared" else rescale_unit(m)) for (key, _), m in zip(PANELS, matrices)}
    limits = colour_limits(shown) if scale == "shared" else {key: (0.0, 1.0) for key, _ in PANELS}
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax in axes[len(PANELS):]:
        ax.set_axis_off()
    for ax, (key, name) in zip(axes, PANELS):
        matrix, (vmin, vmax) = shown[key], limits[key]
        cmap = "viridis" if key == "weights" or scale == "notebook" else "RdBu_r"
        image = ax.imshow(matrix, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest")
        fig.colorbar(image, ax=ax, shrink=0.9, pad=0.03).ax.tick_params(labelsize=8)
        _annotate(ax, matrix, vmin, vmax)
        ax.set_title(name, fontsize=12)
        ax.set_yticks(range(matrix.shape[0]))
        ax.set_xticks(range(matrix.shape[1]))
        ax.tick_params(labelsize=9)
        if labels is not None and key in ("K", "Q", "V", "out", "weights"):
            ax.set_xticklabels(labels)
            if key == "weights":
                ax.set_yticklabels(labels)
                ax.set_xlabel("key", fontsize=9)
                ax.set_ylabel("query", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=13)
    return fig


def plot_loss_curves(curves: Sequence[tuple[str, np.ndarray, np.ndarray]], ax: Any) -> None:
    """One line per (label, step, mean loss) on a log scale."""
    for label, steps, losses in curves:
        ax.plot(steps, np.maximum(losses, 1e-12), label=label, linewidth=1.2)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("MSE (window mean)")
    ax.legend(fontsize=8)
