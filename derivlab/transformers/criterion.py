"""The notebook's pass criterion, on EVERY input of a task at once (batched, not a sample).

identity, first: numpy.allclose(out, target, rtol=1e-3, atol=1e-8) for every sequence, i.e.
|out − target| ≤ atol + rtol·|target| elementwise. unique: the sign of every non-CLS output
equals the target (±1); the CLS row is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from derivlab.transformers.attention import attention_batch
from derivlab.transformers.tasks import Batch, exhaustive_batch, get_task

RTOL = 1e-3
ATOL = 1e-8


@lru_cache(maxsize=None)
def all_inputs(task: str) -> Batch:
    """Every input of ``task`` in one padded batch (built once; arrays read-only)."""
    batch = exhaustive_batch(get_task(task))
    for a in (batch.inputs, batch.targets, batch.mask):
        a.setflags(write=False)
    return batch


@dataclass(frozen=True, eq=False)
class CriterionResult:
    """Per-sequence outcome of the criterion: ``passed`` (B,), ``error`` (B,) = max |out − target|
    over rows that count, ``margin`` (B,) = min over rows of the slack (≥ 0 passes for identity
    and first: atol + rtol|target| − |out − target|; unique: min out·target over non-CLS rows)."""

    task: str
    batch: Batch
    out: np.ndarray
    weights: np.ndarray
    passed: np.ndarray
    error: np.ndarray
    margin: np.ndarray

    @property
    def failures(self) -> int:
        return int(np.sum(~self.passed))

    @property
    def all_pass(self) -> bool:
        return bool(np.all(self.passed))

    def worst_index(self) -> int:
        """The sequence closest to failing (or failing the most): smallest margin."""
        return int(np.argmin(self.margin))


def counted_rows(task: str, batch: Batch) -> np.ndarray:
    """(B, L) True on the rows the criterion looks at (real rows; not CLS for unique)."""
    rows = batch.mask.copy()
    if get_task(task).has_cls:
        rows[:, 0] = False
    return rows


def judge_outputs(task: str, batch: Batch, out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(passed, error, margin) per sequence for outputs ``out`` (B, L, out_dim) of ``batch``; NaN fails."""
    rows = counted_rows(task, batch)
    diff = np.abs(out - batch.targets)
    if not np.all(np.isfinite(out)):
        diff = np.where(np.isnan(diff), np.inf, diff)
    with np.errstate(invalid="ignore"):
        if task == "unique":
            signed = np.nan_to_num((out * batch.targets)[..., 0], nan=-np.inf)
            margin = np.where(rows, signed, np.inf).min(axis=1)
            passed = margin > 0  # sign(out) = target ∈ {±1}  ⇔  out · target > 0
        else:
            slack = (ATOL + RTOL * np.abs(batch.targets) - diff).min(axis=-1)
            margin = np.where(rows, slack, np.inf).min(axis=1)
            passed = margin >= 0
    error = np.where(rows[..., None], diff, 0.0).max(axis=(1, 2))
    return passed, error, margin


def evaluate_on_all_inputs(task: str, Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray,
                           pos: np.ndarray | None = None) -> CriterionResult:
    """Run the weights on every input of ``task`` (one batched forward pass) and judge each sequence."""
    batch = all_inputs(task)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out, weights = attention_batch(batch.inputs, Km, Qm, Vm, pos, key_mask=batch.mask, return_weights=True)
    passed, error, margin = judge_outputs(task, batch, out)
    return CriterionResult(task, batch, out, weights, passed, error, margin)


def passes_on_all_inputs(task: str, Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray,
                         pos: np.ndarray | None = None) -> bool:
    return evaluate_on_all_inputs(task, Km, Qm, Vm, pos).all_pass
