"""SGD with dropout on the INPUTS of a bias-free linear layer, in PyTorch.

Two conventions (p is the KEEP probability throughout):

* ``keep-mask``: inputs R ⊙ X, R_ij ~ Bernoulli(p) (no rescaling); the
  expected objective is the dropout objective (2), minimised by w̃*.
* ``torch-dropout``: inputs torch.nn.Dropout(1 − p)(X) = (R ⊙ X)/p (inverted
  dropout, a real nn.Dropout module in train mode); the expected objective is
  (2) at w/p, minimised by p·w̃*, the rescaled ridge solution.

Every step draws a fresh mask for all n rows and takes one plain SGD step
w ← w − η ∇ on the mean squared error (autograd gradient; the update is
torch.optim.SGD's without momentum, written out because constructing a
torch.optim optimizer costs seconds of one-off import time). With a constant step the last iterate keeps
fluctuating (a variance term that does not vanish: Clara, Langer &
Schmidt-Hieber 2023), so the Polyak–Ruppert average of the iterates from
``average_from`` on is the estimate of the limit.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from derivlab.errors import InputError
from derivlab.progress import track

CONVENTIONS = ("keep-mask", "torch-dropout")


@dataclass(frozen=True)
class SgdRun:
    """The last and the averaged iterate of one SGD run, with its settings."""

    convention: str
    keep_probability: float
    steps: int
    learning_rate: float
    average_from: int
    seed: int
    last: np.ndarray
    averaged: np.ndarray
    trace_steps: tuple[int, ...] = ()
    trace_iterates: tuple[tuple[float, ...], ...] = ()
    trace_averaged: tuple[tuple[float, ...], ...] = ()

    def to_json(self) -> dict:
        return {
            "convention": self.convention, "keep_probability": self.keep_probability,
            "torch_dropout_argument": 1 - self.keep_probability if self.convention == "torch-dropout" else None,
            "steps": self.steps, "learning_rate": self.learning_rate, "average_from": self.average_from,
            "seed": self.seed, "last": self.last.tolist(), "averaged": self.averaged.tolist(),
        }


def relative_error(estimate: Any, target: Any) -> float:
    """‖estimate − target‖ / ‖target‖ (Euclidean)."""
    target = np.asarray(target, dtype=float)
    return float(np.linalg.norm(np.asarray(estimate, dtype=float) - target) / np.linalg.norm(target))


def default_learning_rate(X: Any, keep_probability: float, convention: str) -> float:
    """0.3 n/‖X‖_F² (times p² for inverted dropout, whose inputs are larger by 1/p).

    ‖X‖_F² bounds the largest eigenvalue of XᵀX, so step x curvature stays below 0.6: stable, yet large
    enough that the last iterate visibly fluctuates around the limit.
    """
    X = np.asarray(X, dtype=float)
    base = 0.3 * X.shape[0] / float((X**2).sum())
    return base * keep_probability**2 if convention == "torch-dropout" else base


@contextmanager
def _one_thread() -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def dropout_sgd(
    X: Any, y: Any, keep_probability: float, *, convention: str, steps: int, seed: int = 0,
    learning_rate: float | None = None, average_from: int | None = None, trace_points: int = 0,
) -> SgdRun:
    """Constant-step SGD with dropout on the inputs; returns last and Polyak–Ruppert averaged weights."""
    import torch

    if convention not in CONVENTIONS:
        raise InputError(f"unknown dropout convention {convention!r} (known: {', '.join(CONVENTIONS)})")
    p = float(keep_probability)
    if not 0 < p < 1:
        raise InputError(f"the keep probability must lie in (0, 1), got {p}")
    if steps < 2:
        raise InputError("SGD needs at least 2 steps")
    lr = default_learning_rate(X, p, convention) if learning_rate is None else float(learning_rate)
    start = steps // 2 if average_from is None else int(average_from)
    inputs = torch.as_tensor(np.asarray(X, dtype=float))
    targets = torch.as_tensor(np.asarray(y, dtype=float)).reshape(-1, 1)
    record = set(np.unique(np.linspace(0, steps - 1, trace_points).astype(int)).tolist()) if trace_points else set()
    trace: list[tuple[int, tuple[float, ...], tuple[float, ...]]] = []
    with _one_thread(), torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layer = torch.nn.Linear(inputs.shape[1], 1, bias=False, dtype=torch.float64)
        torch.nn.init.zeros_(layer.weight)
        dropout = torch.nn.Dropout(1 - p).train()  # torch's argument is the DROP probability
        weight = layer.weight
        average = torch.zeros_like(weight)
        for t in track(range(steps), f"SGD with dropout ({convention})", total=steps):
            if convention == "torch-dropout":
                masked = dropout(inputs)  # (R ⊙ X)/p
            else:
                masked = torch.bernoulli(torch.full_like(inputs, p)) * inputs  # R ⊙ X
            loss = ((targets - layer(masked)) ** 2).mean()
            weight.grad = None
            loss.backward()
            with torch.no_grad():
                weight -= lr * weight.grad  # the plain SGD step (torch.optim.SGD without momentum)
                if t >= start:
                    average += (weight - average) / (t - start + 1)
                if t in record:
                    trace.append((t, tuple(weight.flatten().tolist()), tuple(average.flatten().tolist())))
        last = weight.detach().flatten().numpy().copy()
    return SgdRun(convention, p, steps, lr, start, seed, last, average.flatten().numpy().copy(),
                  tuple(s for s, _, _ in trace), tuple(i for _, i, _ in trace), tuple(a for _, _, a in trace))


def sgd_trace(X: Any, y: Any, keep_probability: float, *, convention: str = "keep-mask", steps: int = 4000,
              seed: int = 0, points: int = 200) -> dict:
    """Iterates and the running average at ``points`` steps (for a figure): {"steps", "iterates", "averaged"}."""
    run = dropout_sgd(X, y, keep_probability, convention=convention, steps=steps, seed=seed, trace_points=points)
    return {"steps": list(run.trace_steps), "iterates": [list(v) for v in run.trace_iterates],
            "averaged": [list(v) for v in run.trace_averaged], "average_from": run.average_from}
