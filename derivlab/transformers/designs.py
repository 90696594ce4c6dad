"""The hand-coded designs of Q2 (b)-(d), parameterised by their scales.

Every design is a score form Qm Kmᵀ / sqrt(qk_dim) that picks the right keys, and values
that carry the answer. Positions are CONCATENATED to the token features (x = [token | pos]).

identity  Km = Qm = c·I₃, Vm = I₃, qk 3, no positions.
          score(query token t, key token u) = c²/√3 · [t = u]: each query averages the
          copies of its own token, which is the token itself.
first     pos = I₄ (one-hot positions), qk 1; Qm reads c from every position, Km gives c
          only to position 0; Vm copies the token part.
          score(query, key j) = c² · [j = 0]: every query looks at the first key.
unique    tokens A, B, C, CLS (4-dim one-hot), pos row 0 (CLS) = 0 and rows 1..4 one-hot, qk 8.
          Qm = c·I₈; Km: token t → c·e_t, CLS → b·c·(e_A+e_B+e_C), position p → −c·e_p.
          score = c²/√8 · ([same token] − [same position] + b·[key is CLS]):
          equal content scores high, except the query's own position (the +c² and −c²
          cancel), and CLS is the default at b (0 < b ≤ 1) of a match.
          Vm: CLS → +1, A/B/C → −1. A unique token sees only CLS (+1), a repeated one
          sees its other copies (−1); only the sign counts.

``design_entries`` builds the matrices as nested lists from any scalar type (floats, or
SymPy symbols for the closed forms); ``hand_coded_design`` is the NumPy version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from derivlab.transformers.numpy_model import NumpyTransformer
from derivlab.transformers.tasks import TASKS, get_task

#: Scales that pass the notebook criterion on every input with a wide margin
#: (thresholds: identity c > 5.89, first c > 4.42, unique c > 2.80 at b = 1/2).
DEFAULT_SCALES: dict[str, dict[str, float]] = {
    "identity": {"c": 8.0},
    "first": {"c": 6.0},
    "unique": {"c": 5.0, "b": 0.5},
}

#: qk_dim and pos_dim of each design.
DESIGN_SIZES: dict[str, dict[str, int]] = {
    "identity": {"qk_dim": 3, "pos_dim": 0},
    "first": {"qk_dim": 1, "pos_dim": 4},
    "unique": {"qk_dim": 8, "pos_dim": 4},
}


def _zeros(rows: int, cols: int) -> list[list[Any]]:
    return [[0] * cols for _ in range(rows)]


def _identity_entries(c: Any) -> dict[str, list[list[Any]] | None]:
    Km, Qm, Vm = _zeros(3, 3), _zeros(3, 3), _zeros(3, 3)
    for t in range(3):
        Km[t][t] = c
        Qm[t][t] = c
        Vm[t][t] = 1
    return {"Km": Km, "Qm": Qm, "Vm": Vm, "pos": None}


def _first_entries(c: Any) -> dict[str, list[list[Any]] | None]:
    token_dim, pos_dim = 3, 4
    pos = _zeros(4, pos_dim)
    for p in range(4):
        pos[p][p] = 1
    Km, Qm, Vm = _zeros(token_dim + pos_dim, 1), _zeros(token_dim + pos_dim, 1), _zeros(token_dim + pos_dim, 3)
    Km[token_dim + 0][0] = c  # only the first position has a key
    for p in range(pos_dim):
        Qm[token_dim + p][0] = c  # every position asks the same question
    for t in range(3):
        Vm[t][t] = 1  # values copy the token part
    return {"Km": Km, "Qm": Qm, "Vm": Vm, "pos": pos}


def _unique_entries(c: Any, b: Any) -> dict[str, list[list[Any]] | None]:
    token_dim, pos_dim, qk = 4, 4, 8
    pos = _zeros(5, pos_dim)
    for p in range(1, 5):
        pos[p][p - 1] = 1  # CLS (position 0) has no positional code
    Km, Qm, Vm = _zeros(token_dim + pos_dim, qk), _zeros(token_dim + pos_dim, qk), _zeros(token_dim + pos_dim, 1)
    for i in range(token_dim + pos_dim):
        Qm[i][i] = c
    for t in range(3):
        Km[t][t] = c  # equal content matches ...
        Km[3][t] = b * c  # ... CLS answers every content query at b of a match
        Vm[t][0] = -1
    Vm[3][0] = 1
    for p in range(pos_dim):
        Km[token_dim + p][token_dim + p] = -c  # ... but never the query's own position
    return {"Km": Km, "Qm": Qm, "Vm": Vm, "pos": pos}


def design_entries(task: str, **scales: Any) -> dict[str, list[list[Any]] | None]:
    """Km, Qm, Vm, pos of ``task``'s design as nested lists, entries built from ``scales``
    (floats or SymPy symbols); missing scales take ``DEFAULT_SCALES``."""
    get_task(task)
    values = {**DEFAULT_SCALES[task], **scales}
    unknown = set(values) - set(DEFAULT_SCALES[task])
    if unknown:
        raise ValueError(f"unknown scale(s) {sorted(unknown)} for the {task} design (known: {sorted(DEFAULT_SCALES[task])})")
    if task == "identity":
        return _identity_entries(values["c"])
    if task == "first":
        return _first_entries(values["c"])
    return _unique_entries(values["c"], values["b"])


def _frozen(a: Any) -> np.ndarray:
    arr = np.array(a, dtype=float)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Design:
    """A hand-coded design: the notebook's Km, Qm, Vm, pos (NumPy orientation) and its scales."""

    task: str
    Km: np.ndarray
    Qm: np.ndarray
    Vm: np.ndarray
    pos: np.ndarray | None
    params: dict = field(default_factory=dict)

    @property
    def qk_dim(self) -> int:
        return int(self.Km.shape[1])

    @property
    def pos_dim(self) -> int:
        return 0 if self.pos is None else int(self.pos.shape[1])

    def weights(self) -> dict[str, np.ndarray]:
        """{"Km", "Qm", "Vm"[, "pos"]} as writable copies (the keys of a weights file)."""
        out = {"Km": self.Km.copy(), "Qm": self.Qm.copy(), "Vm": self.Vm.copy()}
        if self.pos is not None:
            out["pos"] = self.pos.copy()
        return out

    def model(self) -> NumpyTransformer:
        """The notebook's ``NumpyTransformer`` with these weights."""
        return NumpyTransformer(self.Km, self.Qm, self.Vm, self.pos)

    def torch_model(self, dtype: Any = None):
        """A ``PytorchTransformer`` (float64 by default) loaded with these weights."""
        import torch

        from derivlab.transformers.torch_model import PytorchTransformer

        task = TASKS[self.task]
        model = PytorchTransformer(task.token_dim, self.qk_dim, int(self.Vm.shape[1]),
                                   pos_dim=self.pos_dim or None, max_seq_len=max(10, task.max_seq_len))
        model = model.to(dtype or torch.float64)
        pos = None
        if self.pos is not None:
            pos = np.zeros((model.pos.num_embeddings, self.pos_dim))
            pos[: self.pos.shape[0]] = self.pos
        model.load_numpy_weights(self.Km, self.Qm, self.Vm, pos)
        return model

    def to_json(self) -> dict:
        """A weights file (``derivlab check weights`` reads it) plus the task and scales."""
        out: dict[str, Any] = {"task": self.task, "params": dict(self.params)}
        out.update({k: v.tolist() for k, v in self.weights().items()})
        return out


def hand_coded_design(task: str, **scales: float) -> Design:
    """The design of ``task`` (identity | first | unique) at the given scales (defaults pass with margin).

    >>> hand_coded_design("identity", c=8.0).Km.shape
    (3, 3)
    """
    entries = design_entries(task, **scales)
    params = {k: float(v) for k, v in {**DEFAULT_SCALES[task], **scales}.items()}
    pos = entries["pos"]
    return Design(task, _frozen(entries["Km"]), _frozen(entries["Qm"]), _frozen(entries["Vm"]),
                  None if pos is None else _frozen(pos), params)
