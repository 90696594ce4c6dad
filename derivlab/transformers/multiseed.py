"""K learned twins trained at once, with the notebook loop's per-model semantics.

Each model k starts from exactly ``training.initial_model(task, seed_k, ...)`` (nn.Linear /
nn.Embedding default init after ``torch.manual_seed(seed_k)``) and sees exactly the sequence
stream ``training.sequence_stream(task, steps, seed_k)``. Per step, every model takes one SGD step
(p <- p - lr * grad) on the MSE of ITS OWN single sequence, so training K together equals K runs
of ``training.train_loop`` up to float rounding (tested).

Vectorised over models: Qm | Km | Vm stacked as one (K, d, 2 qk + v) tensor, sequences padded to
the task's longest with a key mask (padded keys get score -inf; padded rows have loss weight 0),
and the gradient of the per-model MSE written out by hand (no autograd graph per step):

    dO = 2 w (O - T),  dA = dO Vᵀ,  dV = Aᵀ dO,  dS = A ∘ (dA - rowsum(dA ∘ A)) / sqrt(qk),
    dQ = dS K,  dK = dSᵀ Q,  d[Qm|Km|Vm] = xᵀ [dQ|dK|dV],  dpos = ([dQ|dK|dV] [Qm|Km|Vm]ᵀ)[:, :, token_dim:].
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from typing import Iterator, Sequence

import numpy as np
import torch

from derivlab.progress import track
from derivlab.transformers.tasks import Task
from derivlab.transformers.training import (
    NOTEBOOK_LR,
    NOTEBOOK_STEPS,
    TrainedModel,
    as_task,
    check_setup,
    initial_model,
    pad_stream,
    resolve_setup,
    sequence_stream,
)

_CHUNK = 250  # steps per progress tick


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(n)`` (tiny per-step ops are fastest on one thread)."""
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _stacked_streams(task: Task, seeds: Sequence[int], steps: int, remove_cls: bool) -> dict[str, torch.Tensor]:
    """Every model's padded stream, stacked as (steps, K, ...) float32 tensors."""
    padded = [pad_stream(sequence_stream(task, steps, s), remove_cls) for s in seeds]
    inputs = np.stack([p.inputs for p in padded], axis=1)
    targets = np.stack([p.targets for p in padded], axis=1)
    key_bias = np.stack([np.where(p.key_mask, 0.0, -np.inf) for p in padded], axis=1)[:, :, None, :]
    twice_weight = np.stack([2.0 * p.loss_weight for p in padded], axis=1)[..., None]
    return {
        "inputs": torch.from_numpy(np.ascontiguousarray(inputs)),
        "targets": torch.from_numpy(np.ascontiguousarray(targets)),
        "key_bias": torch.from_numpy(np.ascontiguousarray(key_bias, dtype=np.float32)),
        "twice_weight": torch.from_numpy(np.ascontiguousarray(twice_weight, dtype=np.float32)),
    }


def train_many(task: str | Task, seeds: Sequence[int], qk_dim: int | None = None, v_dim: int | None = None,
               pos_dim: int | None = None, max_seq_len: int | None = None, steps: int = NOTEBOOK_STEPS,
               lr: float = NOTEBOOK_LR, remove_cls: bool | None = None, threads: int = 1) -> tuple[TrainedModel, ...]:
    """Train one model per seed together; model k is ``train_loop(..., seed=seeds[k])`` up to rounding.

    Without qk_dim and v_dim the sizes are the task's (``training.task_setup``: those of the
    hand-coded design, CLS left out of the loss for ``unique``).
    """
    task = as_task(task)
    setup = resolve_setup(task, qk_dim, v_dim, pos_dim, remove_cls)
    qk_dim, v_dim, pos_dim, remove_cls = setup.qk_dim, setup.v_dim, setup.pos_dim, setup.remove_cls
    task = check_setup(task, remove_cls)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("train_many needs at least one seed")
    max_seq_len = max_seq_len or task.max_seq_len
    if max_seq_len < task.max_seq_len:
        raise ValueError(f"max_seq_len {max_seq_len} is shorter than the task's sequences ({task.max_seq_len})")
    models = [initial_model(task, s, qk_dim, v_dim, pos_dim, max_seq_len) for s in seeds]
    with torch.no_grad():
        W = torch.stack([torch.cat([m.Qm.weight.T, m.Km.weight.T, m.Vm.weight.T], dim=1) for m in models])
        pos = torch.stack([m.pos.weight for m in models]).clone() if pos_dim else None
    data = _stacked_streams(task, seeds, steps, remove_cls)
    losses = torch.empty(steps, len(seeds))
    start = time.perf_counter()
    with torch_threads(threads), torch.no_grad():
        _sgd_steps(W, pos, data, losses, task, qk_dim, lr, steps)
    seconds = time.perf_counter() - start
    q = qk_dim
    trained = []
    for k, seed in enumerate(seeds):
        weights = {"Km": W[k, :, q:2 * q].numpy().copy(), "Qm": W[k, :, :q].numpy().copy(),
                   "Vm": W[k, :, 2 * q:].numpy().copy()}
        if pos is not None:
            weights["pos"] = pos[k].numpy().copy()
        trained.append(TrainedModel(task.name, seed, steps, lr, remove_cls, weights,
                                    losses[:, k].double().numpy(), seconds / len(seeds), trainer="multiseed",
                                    extra={"models_trained_together": len(seeds), "wall_seconds": seconds}))
    return tuple(trained)


def _sgd_steps(W: torch.Tensor, pos: torch.Tensor | None, data: dict[str, torch.Tensor], losses: torch.Tensor,
               task: Task, qk_dim: int, lr: float, steps: int) -> None:
    """In place: ``steps`` SGD steps on W (K, d, 2qk+v) and pos (K, max_seq_len, pos_dim)."""
    q, td, L = qk_dim, task.token_dim, task.max_seq_len
    scale = 1.0 / math.sqrt(qk_dim)
    inputs, targets, key_bias, twice_weight = data["inputs"], data["targets"], data["key_bias"], data["twice_weight"]
    chunks = range(0, steps, _CHUNK)
    for first in track(chunks, f"training {W.shape[0]} models", total=len(chunks)):
        for t in range(first, min(first + _CHUNK, steps)):
            x = inputs[t] if pos is None else torch.cat([inputs[t], pos[:, :L]], dim=2)
            P = torch.bmm(x, W)
            Q, K, V = P[:, :, :q], P[:, :, q:2 * q], P[:, :, 2 * q:]
            A = torch.softmax(torch.baddbmm(key_bias[t], Q, K.transpose(1, 2), alpha=scale), dim=2)
            diff = torch.bmm(A, V) - targets[t]
            dO = diff * twice_weight[t]
            losses[t] = 0.5 * (diff * dO).sum(dim=(1, 2))
            dA = torch.bmm(dO, V.transpose(1, 2))
            dS = A * (dA - (dA * A).sum(dim=2, keepdim=True))
            dS.mul_(scale)
            dP = torch.cat([torch.bmm(dS, K), torch.bmm(dS.transpose(1, 2), Q), torch.bmm(A.transpose(1, 2), dO)], dim=2)
            if pos is not None:
                dx = torch.bmm(dP, W[:, td:, :].transpose(1, 2))
                pos[:, :L].sub_(dx, alpha=lr)
            W.sub_(torch.bmm(x.transpose(1, 2), dP), alpha=lr)
