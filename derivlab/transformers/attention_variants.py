"""The attention model of docs/spec/problems.md (a) and its plausible wrong twins, for the claim
``attention.numpy-torch``: each is ONE forward definition ``forward(ops, seq, Kw, Qw, Vw, pos)``
written against a tiny array namespace (``TorchOps``, ``SympyOps``, ``NumpyOps``), so a symbolic
and a numeric check judge the same code. Kw, Qw, Vw are ``nn.Linear`` weights, i.e. Kmᵀ, Qmᵀ,
Vmᵀ. The truth: x = [seq | pos[:L]] (positions CONCATENATED), out = softmax(x Qm (x Km)ᵀ /
sqrt(qk_dim)) x Vm, softmax over keys.

    >>> [v.name for v in VARIANTS if not v.correct][:2]
    ['softmax-over-queries', 'no-scaling']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

CLAIM = "attention.numpy-torch"


class TorchOps:
    """The namespace a candidate forward uses, on torch float64 tensors."""

    def __init__(self) -> None:
        import torch

        self.t = torch

    def linear(self, x: Any, weight: Any) -> Any:
        return x @ weight.T

    def matmul(self, a: Any, b: Any) -> Any:
        return a @ b

    def T(self, a: Any) -> Any:
        return a.T

    def cat(self, a: Any, b: Any) -> Any:
        return self.t.cat([a, b], dim=-1)

    def zeros(self, rows: int, cols: int) -> Any:
        return self.t.zeros(rows, cols, dtype=self.t.float64)

    def softmax(self, s: Any, dim: int) -> Any:
        return self.t.softmax(s, dim=dim)

    def sqrt(self, v: int) -> float:
        return math.sqrt(v)

    def shape(self, a: Any) -> tuple[int, int]:
        return tuple(a.shape)


class SympyOps:
    """The same namespace on SymPy matrices (exact, symbolic)."""

    def linear(self, x: Any, weight: Any) -> Any:
        return x * weight.T

    def matmul(self, a: Any, b: Any) -> Any:
        return a * b

    def T(self, a: Any) -> Any:
        return a.T

    def cat(self, a: Any, b: Any) -> Any:
        return sp.Matrix.hstack(a, b)

    def zeros(self, rows: int, cols: int) -> Any:
        return sp.zeros(rows, cols)

    def softmax(self, s: Any, dim: int) -> Any:
        e = s.applyfunc(sp.exp)
        if dim in (-1, 1):
            return sp.Matrix(e.rows, e.cols, lambda i, j: e[i, j] / sum(e.row(i)))
        return sp.Matrix(e.rows, e.cols, lambda i, j: e[i, j] / sum(e.col(j)))

    def sqrt(self, v: int) -> Any:
        return sp.sqrt(v)

    def shape(self, a: Any) -> tuple[int, int]:
        return a.shape


class NumpyOps:
    """The same namespace on NumPy float64 arrays (the claim's own confirmation uses it)."""

    def linear(self, x: Any, weight: Any) -> Any:
        return x @ weight.T

    def matmul(self, a: Any, b: Any) -> Any:
        return a @ b

    def T(self, a: Any) -> Any:
        return a.T

    def cat(self, a: Any, b: Any) -> Any:
        return np.concatenate([a, b], axis=-1)

    def zeros(self, rows: int, cols: int) -> Any:
        return np.zeros((rows, cols))

    def softmax(self, s: Any, dim: int) -> Any:
        e = np.exp(s - s.max(axis=dim, keepdims=True))
        return e / e.sum(axis=dim, keepdims=True)

    def sqrt(self, v: int) -> float:
        return math.sqrt(v)

    def shape(self, a: Any) -> tuple[int, int]:
        return tuple(a.shape)


def _features(ops: Any, seq: Any, pos: Any) -> Any:
    if pos is None:
        return seq
    return ops.cat(seq, pos)


def _attend(ops: Any, x: Any, Kw: Any, Qw: Any, Vw: Any, *, dim: int = -1, scale: Any = None,
            linear: Any = None) -> Any:
    linear = linear or ops.linear
    K, Q, V = linear(x, Kw), linear(x, Qw), linear(x, Vw)
    qk_dim = ops.shape(Kw)[0]
    scores = ops.matmul(Q, ops.T(K))
    scores = scores * (1 / ops.sqrt(qk_dim) if scale is None else scale(ops, qk_dim))
    return ops.matmul(ops.softmax(scores, dim), V)


def _stated(ops, seq, Kw, Qw, Vw, pos):
    return _attend(ops, _features(ops, seq, pos), Kw, Qw, Vw)


def _softmax_over_queries(ops, seq, Kw, Qw, Vw, pos):
    return _attend(ops, _features(ops, seq, pos), Kw, Qw, Vw, dim=-2)


def _no_scaling(ops, seq, Kw, Qw, Vw, pos):
    return _attend(ops, _features(ops, seq, pos), Kw, Qw, Vw, scale=lambda o, k: 1)


def _scale_by_qk(ops, seq, Kw, Qw, Vw, pos):
    return _attend(ops, _features(ops, seq, pos), Kw, Qw, Vw, scale=lambda o, k: 1 / o.sqrt(k) ** 2)


def _positions_added(ops, seq, Kw, Qw, Vw, pos):
    """x = [seq | 0] + [pos | 0]: positions added onto the first pos_dim features."""
    if pos is None:
        return _stated(ops, seq, Kw, Qw, Vw, pos)
    (L, token_dim), pos_dim = ops.shape(seq), ops.shape(pos)[1]
    x = ops.cat(seq, ops.zeros(L, pos_dim)) + ops.cat(pos, ops.zeros(L, token_dim))
    return _attend(ops, x, Kw, Qw, Vw)


def _not_transposed(ops, seq, Kw, Qw, Vw, pos):
    """x @ Km.weight in place of x @ Km.weight.T (only defined when the weights are square)."""
    return _attend(ops, _features(ops, seq, pos), Kw, Qw, Vw, linear=lambda x, W: ops.matmul(x, W))


@dataclass(frozen=True)
class AttentionVariant:
    """A forward definition of the claim: the stated one (``correct``) or a wrong twin."""

    claim: str
    name: str
    description: str
    forward: Callable[..., Any]
    correct: bool = False


VARIANTS: tuple[AttentionVariant, ...] = (
    AttentionVariant(CLAIM, "stated", "softmax(x Qm (x Km)ᵀ / sqrt(qk)) x Vm, x = [seq | pos]", _stated, True),
    AttentionVariant(CLAIM, "softmax-over-queries", "softmax over the query axis (dim=-2) instead of keys",
                     _softmax_over_queries),
    AttentionVariant(CLAIM, "no-scaling", "no 1/sqrt(qk_dim) scaling of the scores", _no_scaling),
    AttentionVariant(CLAIM, "scale-by-qk", "1/qk_dim in place of 1/sqrt(qk_dim)", _scale_by_qk),
    AttentionVariant(CLAIM, "positions-added", "positions added to the features instead of concatenated",
                     _positions_added),
    AttentionVariant(CLAIM, "weights-not-transposed", "x @ W.weight, forgetting nn.Linear stores Wᵀ",
                     _not_transposed),
)
STATED = VARIANTS[0]
WRONG_VARIANTS = VARIANTS[1:]
