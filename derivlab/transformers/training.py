"""The notebook's training loop for the learned twins, reproduced faithfully.

Fresh ``PytorchTransformer`` with PyTorch's default init (``torch.manual_seed(seed)`` just before
constructing it), SGD with lr 3e-2, ``nn.MSELoss``, 10,001 steps of ONE random sequence each
(length uniform in 1..max, tokens uniform with replacement; for ``unique`` CLS comes first and
``remove_cls`` drops output row 0 before the loss; targets are exact ±1). Positions, when used,
are a learned ``nn.Embedding`` CONCATENATED to the token features.

The sequence stream of a seed comes from ``numpy.random.default_rng(seed)`` and is generated up
front (``sequence_stream``), so the multi-seed trainer (``multiseed.train_many``) can replay the
very same sequences and be tested against this loop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from derivlab.transformers.numpy_model import NumpyTransformer
from derivlab.transformers.tasks import CLS, Task, get_task
from derivlab.transformers.torch_model import PytorchTransformer

NOTEBOOK_STEPS = 10_001
NOTEBOOK_LR = 3e-2


def as_task(task: str | Task) -> Task:
    return task if isinstance(task, Task) else get_task(task)


@dataclass(frozen=True)
class SequenceStream:
    """The training sequences of one seed: step t trains on content tokens ``tokens[t, :lengths[t]]``."""

    task: Task
    seed: int
    lengths: np.ndarray  # (steps,) content lengths in 1..max_len (CLS not counted)
    tokens: np.ndarray  # (steps, max_len) token indices into A, B, C; entries past the length unused

    @property
    def steps(self) -> int:
        return int(self.lengths.shape[0])

    def sequence(self, step: int) -> tuple[int, ...]:
        return tuple(int(t) for t in self.tokens[step, : self.lengths[step]])


def sequence_stream(task: str | Task, steps: int, seed: int) -> SequenceStream:
    """``steps`` random sequences from ``default_rng(seed)``: length uniform in 1..max_len, tokens uniform."""
    task = as_task(task)
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, task.max_len + 1, size=steps)
    tokens = rng.integers(0, 3, size=(steps, task.max_len))
    return SequenceStream(task, seed, lengths, tokens)


@dataclass(frozen=True)
class PaddedStream:
    """A stream as padded float32 arrays of length ``task.max_seq_len``.

    inputs (steps, L, token_dim); targets (steps, L, out_dim); key_mask (steps, L) True on real rows;
    loss_weight (steps, L) = 1 / (rows in the loss * out_dim) on the rows the MSE counts, else 0,
    so sum(loss_weight * squared error) is exactly ``nn.MSELoss`` on that step's one sequence.
    """

    inputs: np.ndarray
    targets: np.ndarray
    key_mask: np.ndarray
    loss_weight: np.ndarray


def pad_stream(stream: SequenceStream, remove_cls: bool = False) -> PaddedStream:
    """Vectorised one-hot inputs and targets of every step (same values as ``tasks.encode``/``target``)."""
    task, steps = stream.task, stream.steps
    offset = 1 if task.has_cls else 0
    L = task.max_seq_len
    content = np.arange(task.max_len)[None, :] < stream.lengths[:, None]  # (steps, max_len)
    inputs = np.zeros((steps, L, task.token_dim), dtype=np.float32)
    rows, cols = np.nonzero(content)
    inputs[rows, cols + offset, stream.tokens[rows, cols]] = 1.0
    if task.has_cls:
        inputs[:, 0, CLS] = 1.0
    targets = np.zeros((steps, L, task.out_dim), dtype=np.float32)
    if task.name == "identity":
        targets[rows, cols, stream.tokens[rows, cols]] = 1.0
    elif task.name == "first":
        targets[rows, cols, stream.tokens[rows, 0]] = 1.0
    else:
        same = (stream.tokens[:, :, None] == stream.tokens[:, None, :]) & content[:, None, :]
        counts = same.sum(axis=2)
        signs = np.where(counts == 1, 1.0, -1.0)
        targets[rows, cols + offset, 0] = signs[rows, cols]
    key_mask = np.zeros((steps, L), dtype=bool)
    key_mask[:, :offset] = True
    key_mask[:, offset:] = content
    counted = key_mask.copy()
    if remove_cls:
        counted[:, 0] = False
    n_rows = counted.sum(axis=1, keepdims=True)
    loss_weight = np.where(counted, 1.0 / (np.maximum(n_rows, 1) * task.out_dim), 0.0).astype(np.float32)
    return PaddedStream(inputs, targets, key_mask, loss_weight)


@dataclass(frozen=True)
class Setup:
    """The sizes a model of a task is trained with: those of the task's hand-coded design."""

    qk_dim: int
    v_dim: int
    pos_dim: int | None
    remove_cls: bool


def task_setup(task: str | Task) -> Setup:
    """The notebook's setup of ``task``: qk_dim and pos_dim of the hand-coded design, v_dim the
    task's output size, the CLS row left out of the loss when the task has one.

    >>> task_setup("first")
    Setup(qk_dim=1, v_dim=3, pos_dim=4, remove_cls=False)
    """
    from derivlab.transformers.designs import DESIGN_SIZES

    task = as_task(task)
    sizes = DESIGN_SIZES[task.name]
    return Setup(sizes["qk_dim"], task.out_dim, sizes["pos_dim"] or None, task.has_cls)


def resolve_setup(task: Task, qk_dim: int | None, v_dim: int | None, pos_dim: int | None,
                  remove_cls: bool | None) -> Setup:
    """Fill what the caller left out: with neither qk_dim nor v_dim given, everything not given comes
    from ``task_setup``; otherwise the caller's sizes are used as given (pos_dim None = no positions)."""
    if qk_dim is None and v_dim is None:
        default = task_setup(task)
        return Setup(default.qk_dim, default.v_dim, default.pos_dim if pos_dim is None else pos_dim,
                     default.remove_cls if remove_cls is None else remove_cls)
    if qk_dim is None or v_dim is None:
        raise ValueError("give both qk_dim and v_dim, or neither (then the task's setup is used)")
    return Setup(int(qk_dim), int(v_dim), pos_dim, bool(remove_cls))


def check_setup(task: Task, remove_cls: bool) -> Task:
    if remove_cls and not task.has_cls:
        raise ValueError(f"remove_cls drops the CLS output row, but task {task.name!r} has no CLS token")
    return task


def initial_model(task: Task, seed: int, qk_dim: int, v_dim: int, pos_dim: int | None,
                  max_seq_len: int) -> PytorchTransformer:
    """``torch.manual_seed(seed)`` then a fresh ``PytorchTransformer`` (global RNG state restored after)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return PytorchTransformer(task.token_dim, qk_dim, v_dim, pos_dim=pos_dim, max_seq_len=max_seq_len)


@dataclass(frozen=True, eq=False)
class TrainedModel:
    """A learned twin: its weights in the NumPy orientation (Km, Qm, Vm, pos) and its loss per step."""

    task: str
    seed: int
    steps: int
    lr: float
    remove_cls: bool
    weights: dict[str, np.ndarray]
    losses: np.ndarray  # (steps,) the single-sequence MSE of each step, before that step's update
    seconds: float
    trainer: str = "notebook-loop"
    extra: dict = field(default_factory=dict)

    def model(self) -> NumpyTransformer:
        w = self.weights
        return NumpyTransformer(w["Km"], w["Qm"], w["Vm"], w.get("pos"))

    def loss_curve(self, points: int = 100) -> tuple[np.ndarray, np.ndarray]:
        """(step, mean loss over the window ending at step): the noisy per-step loss, subsampled."""
        window = max(1, self.steps // points)
        n = self.steps // window
        means = self.losses[: n * window].reshape(n, window).mean(axis=1)
        return (np.arange(1, n + 1) * window - 1), means

    @property
    def final_loss(self) -> float:
        """Mean single-sequence loss over the last 1% of steps (at least 1 step)."""
        tail = max(1, self.steps // 100)
        return float(np.mean(self.losses[-tail:]))

    def to_json(self) -> dict:
        steps, means = self.loss_curve()
        return {
            "task": self.task, "seed": self.seed, "steps": self.steps, "lr": self.lr,
            "remove_cls": self.remove_cls, "trainer": self.trainer, "seconds": round(self.seconds, 3),
            "final_step_loss": float(self.losses[-1]), "final_loss": self.final_loss,
            "loss_curve": {"step": steps.tolist(), "mean_loss": [float(m) for m in means]},
            "weights": {k: v.tolist() for k, v in self.weights.items()},
        }


def train_loop(task: str | Task, qk_dim: int | None = None, v_dim: int | None = None, pos_dim: int | None = None,
               max_seq_len: int | None = None, steps: int = NOTEBOOK_STEPS, lr: float = NOTEBOOK_LR,
               remove_cls: bool | None = None, seed: int = 0) -> TrainedModel:
    """The notebook's loop: per step, zero_grad, forward ONE sequence, MSE (rows after CLS if
    ``remove_cls``), backward, SGD step. ``max_seq_len`` defaults to the task's longest sequence;
    without qk_dim and v_dim the sizes are the task's (``task_setup``)."""
    task = as_task(task)
    setup = resolve_setup(task, qk_dim, v_dim, pos_dim, remove_cls)
    qk_dim, v_dim, pos_dim, remove_cls = setup.qk_dim, setup.v_dim, setup.pos_dim, setup.remove_cls
    task = check_setup(task, remove_cls)
    max_seq_len = max_seq_len or task.max_seq_len
    stream = pad_stream(sequence_stream(task, steps, seed), remove_cls)
    inputs, targets = torch.from_numpy(stream.inputs), torch.from_numpy(stream.targets)
    lengths = stream.key_mask.sum(axis=1).tolist()
    model = initial_model(task, seed, qk_dim, v_dim, pos_dim, max_seq_len)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    losses = np.empty(steps)
    start = time.perf_counter()
    for step in range(steps):
        n = lengths[step]
        seq, tgt = inputs[step, :n], targets[step, :n]
        optimizer.zero_grad()
        out = model(seq)
        if remove_cls:
            out, tgt = out[1:], tgt[1:]
        loss = loss_fn(out, tgt)
        loss.backward()
        optimizer.step()
        losses[step] = loss.item()
    seconds = time.perf_counter() - start
    return TrainedModel(task.name, seed, steps, lr, remove_cls, model.numpy_weights(), losses, seconds)
