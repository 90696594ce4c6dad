"""The ground truth for the minimiser write-ups (derivlab/checking/examples/minimiser), decided WITHOUT the checker.

Nothing here imports derivlab. Every expression of a write-up is written twice: as the LaTeX the student typed,
and as a numpy function of one random world (X, y, p, σ, α; the weights w) with strict shapes (``V``: adding or
multiplying arrays of the wrong shapes raises ``ShapeError``, never broadcasts). Then

* an identity step holds when both sides agree at every world and every w tried (sizes with n ≠ d, so a
  misplaced transpose cannot hide); a side that raises ``ShapeError`` makes the step ill-typed;
* a gradient is a central finite difference of the objective (exact for a quadratic up to rounding), and an
  expectation is computed by enumerating every mask R (Bernoulli(p) entries) or, for Gaussian noise, every sign
  pattern of ±σ (±√α): the loss is a quadratic in the noise, whose mean depends only on the noise's first two
  moments, which those two-point laws share with the Gaussian;
* a condition F(w) = 0 (F affine in w, checked) is solved with np.linalg.solve, and an implication's conclusion
  holds when it is satisfied at that solution (⟺: the converse too);
* ``true_minimiser`` minimises the objective itself (its Hessian and gradient at 0 by finite differences).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable

import numpy as np

SIZES = [(3, 2), (2, 3), (4, 2)]  # n ≠ d everywhere; n·d ≤ 8, so every mask can be enumerated
WORLDS_PER_SIZE = 2
WEIGHTS_PER_WORLD = 2
RTOL, ATOL = 1e-6, 1e-7
H = 1e-3  # finite-difference step


class ShapeError(Exception):
    """Two arrays of incompatible shapes met (the student's expression is ill-typed)."""


class V:
    """A 2-D array whose + − @ never broadcast; scalars are Python floats."""

    __array_priority__ = 1000

    def __init__(self, a):
        self.a = np.asarray(a, dtype=float)
        assert self.a.ndim == 2, self.a.shape

    @property
    def shape(self):
        return self.a.shape

    def _same(self, other: "V") -> np.ndarray:
        if not isinstance(other, V):
            raise ShapeError(f"an array {self.shape} and a scalar added")
        if other.shape != self.shape:
            raise ShapeError(f"{self.shape} and {other.shape} added")
        return other.a

    def __add__(self, other):
        return V(self.a + self._same(other))

    def __sub__(self, other):
        return V(self.a - self._same(other))

    def __neg__(self):
        return V(-self.a)

    def __matmul__(self, other: "V"):
        if self.shape[1] != other.shape[0]:
            raise ShapeError(f"{self.shape} times {other.shape}")
        return V(self.a @ other.a)

    def __mul__(self, s: float):
        if isinstance(s, V):
            raise ShapeError("use @ for a product of arrays")
        return V(self.a * s)

    __rmul__ = __mul__

    def __truediv__(self, s: float):
        return V(self.a / s)

    @property
    def T(self):
        return V(self.a.T)

    def inv(self):
        if self.shape[0] != self.shape[1]:
            raise ShapeError(f"inverse of a {self.shape} matrix")
        return V(np.linalg.inv(self.a))


def sq(v: V) -> float:
    """‖v‖² of a column vector."""
    if v.shape[1] != 1:
        raise ShapeError(f"norm of a {v.shape} array")
    return float((v.a ** 2).sum())


def quad(w: V, M: V) -> float:
    """wᵀ M w."""
    return float((w.T @ M @ w).a[0, 0])


class World:
    """One random point: X (n×d), y (n×1), p ∈ (0.2, 0.8), σ, α > 0; Γ² = diag(XᵀX), λ = (1−p)/p."""

    def __init__(self, n: int, d: int, rng: np.random.Generator):
        self.n, self.d = n, d
        self.X = V(rng.normal(size=(n, d)))
        self.y = V(rng.normal(size=(n, 1)))
        self.p = float(rng.uniform(0.2, 0.8))
        self.sigma = float(rng.uniform(0.4, 1.4))
        self.alpha = float(rng.uniform(0.2, 1.5))
        self.G2 = V(np.diag(np.diag(self.X.a.T @ self.X.a)))
        self.G = V(np.sqrt(self.G2.a))
        self.lam = (1 - self.p) / self.p
        self.I = V(np.eye(d))
        self.In = V(np.eye(n))
        self.zero = V(np.zeros((d, 1)))
        bits = np.array(list(itertools.product((0.0, 1.0), repeat=n * d))).reshape(-1, n, d)
        self._masks = bits
        self._mask_p = np.prod(np.where(bits == 1, self.p, 1 - self.p), axis=(1, 2))
        self._signs = 2 * bits - 1  # every ±1 pattern, each with probability 2^-nd

    # expectations, by enumeration
    def _mean_sq(self, design: np.ndarray, weight: np.ndarray, w: V) -> float:
        residual = self.y.a[None] - design @ w.a  # (K, n, 1)
        return float((weight * (residual ** 2).sum(axis=(1, 2))).sum())

    def dropout_loss(self, w: V) -> float:
        """E_R ‖y − (R⊙X)w‖², R_ij ~ Bernoulli(p)."""
        return self._mean_sq(self._masks * self.X.a[None], self._mask_p, w)

    def additive_loss(self, w: V) -> float:
        """E_N ‖y − (X + N)w‖², N_ij = ±σ (mean 0, variance σ²)."""
        K = len(self._signs)
        return self._mean_sq(self.X.a[None] + self.sigma * self._signs, np.full(K, 1 / K), w)

    def gaussian_dropout_loss(self, w: V) -> float:
        """E_N ‖y − (X ⊙ (𝟏𝟏ᵀ + N))w‖², N_ij = ±√α (mean 0, variance α)."""
        K = len(self._signs)
        return self._mean_sq(self.X.a[None] * (1 + np.sqrt(self.alpha) * self._signs), np.full(K, 1 / K), w)


Fn = Callable[[World, V], object]


@dataclass(frozen=True)
class Piece:
    """One expression: its LaTeX (as in the file) and its value ``fn(world, w)`` (a V, or a float)."""

    latex: str
    fn: Fn


def grad(f: Callable[[World, V], float]) -> Fn:
    """The gradient of the scalar f in w by central differences."""

    def g(W: World, w: V) -> V:
        out = np.zeros(w.shape)
        for i in range(w.shape[0]):
            e = np.zeros(w.shape)
            e[i, 0] = H
            out[i, 0] = (f(W, V(w.a + e)) - f(W, V(w.a - e))) / (2 * H)
        return V(out)

    return g


@dataclass(frozen=True)
class Step:
    """``kind``: '=' (an identity), 'condition' (an equation the next step solves), 'implies' or 'iff' (a
    conclusion from the step before it)."""

    kind: str
    lhs: Piece
    rhs: Piece


def chain(*pieces: Piece) -> list[Step]:
    return [Step("=", a, b) for a, b in zip(pieces, pieces[1:])]


def _value(fn: Fn, W: World, w: V):
    out = fn(W, w)
    return out if isinstance(out, V) else V([[float(out)]])


def _close(a: V, b: V) -> bool:
    if a.shape != b.shape:
        raise ShapeError(f"the two sides are {a.shape} and {b.shape}")
    scale = max(1.0, float(np.abs(a.a).max()), float(np.abs(b.a).max()))
    return bool(np.allclose(a.a, b.a, rtol=RTOL, atol=ATOL * scale))


def worlds(seed: int):
    rng = np.random.default_rng(seed)
    for n, d in SIZES:
        for _ in range(WORLDS_PER_SIZE):
            W = World(n, d, rng)
            yield W, [V(rng.normal(size=(d, 1))) for _ in range(WEIGHTS_PER_WORLD)]


def solve(lhs: Fn, rhs: Fn, W: World) -> V:
    """The unique w with lhs(w) = rhs(w), for an affine system in w (checked at a random w)."""
    def F(w: V) -> np.ndarray:
        value = _value(lhs, W, w) - _value(rhs, W, w)
        if value.shape != (W.d, 1):
            raise ShapeError(f"a condition of shape {value.shape} is not a system for w")
        return value.a

    b = F(W.zero)
    M = np.column_stack([F(V(np.eye(W.d)[:, [k]]))[:, 0] - b[:, 0] for k in range(W.d)])
    probe = V(np.linspace(-1, 2, W.d)[:, None])
    assert np.allclose(F(probe), b + M @ probe.a, atol=1e-6), "the condition is not affine in w"
    return V(np.linalg.solve(M, -b))


def step_truth(step: Step, premise: Step | None, seed: int = 0) -> str:
    """'valid', 'invalid' or 'ill-typed' for one step (a condition is never wrong: it is not a claim)."""
    try:
        for W, ws in worlds(seed):
            if step.kind == "condition":
                solve(step.lhs.fn, step.rhs.fn, W)  # a system for w that determines it
                continue
            if step.kind == "=":
                for w in ws:
                    if not _close(_value(step.lhs.fn, W, w), _value(step.rhs.fn, W, w)):
                        return "invalid"
                continue
            assert premise is not None, "an implication needs the step before it"
            star = solve(premise.lhs.fn, premise.rhs.fn, W)
            if not _close(_value(step.lhs.fn, W, star), _value(step.rhs.fn, W, star)):
                return "invalid"
            if step.kind == "iff":
                back = solve(step.lhs.fn, step.rhs.fn, W)
                if not _close(_value(premise.lhs.fn, W, back), _value(premise.rhs.fn, W, back)):
                    return "invalid"
    except ShapeError:
        return "ill-typed"
    return "valid"


def true_minimiser(loss: Callable[[World, V], float], W: World) -> V:
    """argmin_w loss(w) for a strictly convex quadratic loss: solve H w = −g (H, g at 0 by finite differences)."""
    gradient = grad(loss)
    g0 = gradient(W, W.zero).a
    Hm = np.column_stack([(gradient(W, V(np.eye(W.d)[:, [k]])).a - g0)[:, 0] for k in range(W.d)])
    assert np.allclose(Hm, Hm.T, atol=1e-5) and np.all(np.linalg.eigvalsh((Hm + Hm.T) / 2) > 0)
    return V(np.linalg.solve(Hm, -g0))
