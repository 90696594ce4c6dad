"""The notebook's three tasks: token alphabets, random generators and exhaustive enumeration.

identity: length 1..6 over {A,B,C}, target = input (1092 sequences in all).
first:    length 1..4 over {A,B,C}, target = the first token repeated (120).
unique:   CLS followed by 1..4 tokens over {A,B,C} (4-dim one-hot, CLS = e4); target per
          non-CLS position +1 if that token occurs once, -1 if repeated; CLS row ignored (120).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterator

import numpy as np

TOKENS = "ABC"
CLS = 3  # index of the CLS one-hot in the 4-dim alphabet of the unique task


@dataclass(frozen=True)
class Task:
    """A task's sizes: token dimension, the longest sequence and whether it starts with CLS."""

    name: str
    token_dim: int
    max_len: int  # number of content tokens (CLS not counted)
    has_cls: bool
    out_dim: int

    @property
    def max_seq_len(self) -> int:
        return self.max_len + (1 if self.has_cls else 0)


TASKS: dict[str, Task] = {
    "identity": Task("identity", 3, 6, False, 3),
    "first": Task("first", 3, 4, False, 3),
    "unique": Task("unique", 4, 4, True, 1),
}


def get_task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise ValueError(f"unknown task {name!r} (identity, first, unique)") from None


def one_hot(indices: list[int] | tuple[int, ...], dim: int) -> np.ndarray:
    out = np.zeros((len(indices), dim))
    out[np.arange(len(indices)), list(indices)] = 1.0
    return out


def encode(task: Task, tokens: tuple[int, ...]) -> np.ndarray:
    """The input matrix (L, token_dim) of a sequence of token indices (CLS prepended for unique)."""
    idx = ((CLS,) if task.has_cls else ()) + tuple(tokens)
    return one_hot(idx, task.token_dim)


def target(task: Task, tokens: tuple[int, ...]) -> np.ndarray:
    """The task's target for the content tokens ``tokens`` (indices into A, B, C)."""
    if task.name == "identity":
        return one_hot(tokens, 3)
    if task.name == "first":
        return one_hot((tokens[0],) * len(tokens), 3)
    counts = {t: tokens.count(t) for t in tokens}
    signs = [0.0] + [1.0 if counts[t] == 1 else -1.0 for t in tokens]  # row 0 is CLS (ignored)
    return np.array(signs)[:, None]


def spell(task: Task, tokens: tuple[int, ...]) -> str:
    """A readable name, e.g. "ABCC" or "[CLS]ABCC"."""
    return ("[CLS]" if task.has_cls else "") + "".join(TOKENS[t] for t in tokens)


def all_token_sequences(task: Task) -> Iterator[tuple[int, ...]]:
    """Every content-token sequence of the task, shortest first, lexicographic within a length."""
    for length in range(1, task.max_len + 1):
        yield from itertools.product(range(3), repeat=length)


@dataclass(frozen=True)
class Batch:
    """All (or some) sequences of a task, padded: inputs (B, L, token_dim), targets (B, L, out_dim),
    mask (B, L) True on real rows; ``names`` spell each sequence."""

    inputs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    names: tuple[str, ...]
    tokens: tuple[tuple[int, ...], ...]


def make_batch(task: Task, sequences: list[tuple[int, ...]]) -> Batch:
    L = task.max_seq_len
    B = len(sequences)
    inputs = np.zeros((B, L, task.token_dim))
    targets = np.zeros((B, L, task.out_dim))
    mask = np.zeros((B, L), dtype=bool)
    for b, toks in enumerate(sequences):
        x = encode(task, toks)
        inputs[b, : len(x)] = x
        targets[b, : len(x)] = target(task, toks)
        mask[b, : len(x)] = True
    return Batch(inputs, targets, mask, tuple(spell(task, t) for t in sequences), tuple(sequences))


def exhaustive_batch(task: Task) -> Batch:
    """Every input of the task in one padded batch (1092 / 120 / 120 sequences)."""
    return make_batch(task, list(all_token_sequences(task)))
