"""Figures of a comparison (matplotlib, no display): the notebook's 8-heatmap panel of the
hand-coded design above a learned model on the problem's comparison sequence, and the loss curves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from derivlab.transformers.designs import Design
from derivlab.transformers.plotting import plot_heatmaps, plot_loss_curves
from derivlab.transformers.tasks import TOKENS, Task, encode
from derivlab.transformers.training import TrainedModel

#: The sequence each part of Q2 draws: [A,B,B,C,C] (b), [A,B,B] (c), [CLS,A,B,B] (d).
COMPARISON_SEQUENCES: dict[str, tuple[int, ...]] = {
    "identity": (0, 1, 1, 2, 2),
    "first": (0, 1, 1),
    "unique": (0, 1, 1),
}


def position_labels(task: Task, tokens: tuple[int, ...]) -> list[str]:
    return (["CLS"] if task.has_cls else []) + [TOKENS[t] for t in tokens]


def _save(fig, base: Path) -> list[str]:
    paths = []
    for suffix in (".pdf", ".png"):
        path = base.with_suffix(suffix)
        fig.savefig(path, dpi=110, bbox_inches="tight")
        paths.append(str(path))
    return paths


def heatmap_figure(task: Task, design: Design, model: TrainedModel, base: Path) -> list[str]:
    """Hand-coded (top) and learned (bottom) 8-heatmap panels on the comparison sequence; PDF and PNG."""
    from matplotlib.figure import Figure

    tokens = COMPARISON_SEQUENCES[task.name]
    seq = encode(task, tokens)
    labels = position_labels(task, tokens)
    fig = Figure(figsize=(10, 10.5), layout="constrained")
    top, bottom = fig.subfigures(2, 1, hspace=0.04)
    learned = model.model()
    name = "".join(labels) if not task.has_cls else "[CLS]" + "".join(labels[1:])
    plot_heatmaps(design.Km, design.Qm, design.Vm, design.model().parts(seq), fig=top,
                  title=f"{task.name}: hand-coded on {name}", labels=labels)
    plot_heatmaps(learned.Km, learned.Qm, learned.Vm, learned.parts(seq), fig=bottom,
                  title=f"{task.name}: learned (seed {model.seed}, {model.steps} steps) on {name}", labels=labels)
    return _save(fig, base)


def loss_plot(task: Task, models: Sequence[TrainedModel]):
    """The loss figure (constrained layout: axis labels inside the figure)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.5, 4), layout="constrained")
    ax = fig.subplots()
    plot_loss_curves([(f"seed {m.seed}", *m.loss_curve()) for m in models], ax)
    ax.set_title(f"{task.name}: SGD lr {models[0].lr}, one sequence per step")
    return fig


def loss_figure(task: Task, models: Sequence[TrainedModel], base: Path) -> list[str]:
    """Window-mean training loss of every seed, log scale; PDF and PNG."""
    return _save(loss_plot(task, models), base)


def write_figures(task: Task, design: Design, models: Sequence[TrainedModel], out_dir: Path) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for m in models:
        paths += heatmap_figure(task, design, m, out_dir / f"compare_{task.name}_heatmaps_seed{m.seed}")
    paths += loss_figure(task, models, out_dir / f"compare_{task.name}_loss")
    return paths

