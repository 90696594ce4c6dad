"""Plausible wrong PyTorch twins of the notebook's attention (claim ``attention.numpy-torch``).

A candidate is ONE forward definition ``forward(ops, seq, Kw, Qw, Vw, pos)`` written against a
tiny array namespace ``ops``, run both with SymPy (symbolic check) and with torch (numeric
check), so the two checks judge the same code. Kw, Qw, Vw are ``nn.Linear`` weights, i.e.
Kmᵀ, Qmᵀ, Vmᵀ. The truth (problems.md (a)): x = [seq | pos[:L]] (positions CONCATENATED),
out = softmax(x Qm (x Km)ᵀ / sqrt(qk_dim)) x Vm, softmax over keys.
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import sympy as sp

from derivlab.testing._judging import Candidate, Judge, NumericVerdict

CLAIM = "attention.numpy-torch"


class _TorchOps:
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


class _SympyOps:
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


CANDIDATES = [
    Candidate(CLAIM, "stated", "softmax(x Qm (x Km)ᵀ / sqrt(qk)) x Vm, x = [seq | pos]", _stated, True),
    Candidate(CLAIM, "softmax-over-queries", "softmax over the query axis (dim=-2) instead of keys", _softmax_over_queries),
    Candidate(CLAIM, "no-scaling", "no 1/sqrt(qk_dim) scaling of the scores", _no_scaling),
    Candidate(CLAIM, "scale-by-qk", "1/qk_dim in place of 1/sqrt(qk_dim)", _scale_by_qk),
    Candidate(CLAIM, "positions-added", "positions added to the features instead of concatenated", _positions_added),
    Candidate(CLAIM, "weights-not-transposed", "x @ W.weight, forgetting nn.Linear stores Wᵀ", _not_transposed),
]


# --- symbolic check: L = 2, token_dim = 1, pos_dim = 1, qk = v = 2 (square, so all are defined) ---

def _symbolic(candidate: Candidate) -> bool:
    L, token_dim, pos_dim, qk, v = 2, 1, 1, 2, 2
    in_dim = token_dim + pos_dim

    def mat(name: str, r: int, c: int) -> sp.Matrix:
        return sp.Matrix(r, c, sp.symbols(f"{name}0:{r * c}", real=True))

    seq, pos = mat("s", L, token_dim), mat("e", L, pos_dim)
    Km, Qm, Vm = mat("k", in_dim, qk), mat("q", in_dim, qk), mat("v", in_dim, v)
    x = sp.Matrix.hstack(seq, pos)
    scores = (x * Qm) * (x * Km).T / sp.sqrt(qk)
    e = scores.applyfunc(sp.exp)
    truth = sp.Matrix(L, L, lambda i, j: e[i, j] / sum(e.row(i))) * (x * Vm)
    got = candidate.formula(_SympyOps(), seq, Km.T, Qm.T, Vm.T, pos)
    if got.shape != truth.shape:
        return False
    diff = [sp.expand(a - b) for a, b in zip(got, truth)]
    if all(d == 0 for d in diff):
        return True
    witness = {s: sp.Rational(random.Random(i).randint(-9, 9), 7) for i, s in enumerate(sorted(
        set().union(*(d.free_symbols for d in diff)), key=str))}
    if any(abs(d.subs(witness).evalf(30)) > 1e-20 for d in diff):
        return False  # a point where the two differ: not identically equal
    return all(sp.simplify(d) == 0 for d in diff)


# --- numeric check: the notebook's test (10 trials) plus 4 square trials, rtol 1e-3 ----------

def _trials(seed: int) -> list[tuple[np.ndarray, ...]]:
    rng = np.random.default_rng(seed)
    out = []
    for trial in range(14):
        if trial < 10:
            qk, v = int(rng.integers(1, 5)), int(rng.integers(1, 5))
            pos_dim = int(rng.integers(2, 4)) if trial % 2 else 0
            token_dim = 5 - pos_dim
        else:  # square: every mutant is defined and must show in the numbers
            qk = v = 4
            pos_dim = 2 if trial % 2 else 0
            token_dim = 4 - pos_dim
        in_dim = token_dim + pos_dim
        Km, Qm, Vm = (rng.normal(size=(in_dim, k)) for k in (qk, qk, v))
        length = int(rng.integers(1, 5))
        pos = rng.normal(size=(4, pos_dim)) if pos_dim else None
        out.append((rng.normal(size=(length, token_dim)), Km, Qm, Vm, pos))
    return out


def _numeric(candidate: Candidate, seed: int) -> NumericVerdict:
    import torch

    from derivlab.transformers.numpy_model import NumpyTransformer

    ops, worst, failures, errors = _TorchOps(), 0.0, 0, []
    t = lambda a: None if a is None else torch.as_tensor(a, dtype=torch.float64)  # noqa: E731
    for seq, Km, Qm, Vm, pos in _trials(seed):
        expected = NumpyTransformer(Km, Qm, Vm, pos).forward(seq)
        try:
            got = candidate.formula(ops, t(seq), t(Km.T), t(Qm.T), t(Vm.T),
                                    None if pos is None else t(pos[: len(seq)])).numpy()
        except RuntimeError as exc:  # shape mismatch: the notebook's test would crash too
            failures += 1
            errors.append(str(exc).splitlines()[0])
            continue
        ok = got.shape == expected.shape and np.allclose(got, expected, rtol=1e-3)
        failures += not ok
        if got.shape == expected.shape:
            worst = max(worst, float(np.max(np.abs(got - expected))))
    details = {"trials": 14, "failures": failures, "max_abs_error": worst}
    if errors:
        details["errors"] = len(errors)
        details["first_error"] = errors[0]
    return NumericVerdict(failures == 0, details)


JUDGE = Judge(
    CLAIM, "SymPy: candidate forward with symbolic weights (L=2, token 1, pos 1, qk=v=2) equals the spec",
    "the notebook's test: 10 Gaussian trials (half with positions) + 4 square trials, allclose rtol 1e-3",
    _symbolic, _numeric, statistical=False)
