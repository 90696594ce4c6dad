"""The independent oracle: a step holds when its two sides are equal, exactly, at every test
point, with every expectation computed over EVERY keep mask R ∈ {0,1}^{n×d}, each weighted by
p^k (1-p)^{nd-k} (k = kept entries). Shares no code with ``derivlab.checking``.

Test points: sizes (n, d) ∈ {(1,1), (2,2), (2,3), (3,2), (3,3)}, and (4,4) for steps that
never mention R (no mask to enumerate, so a trace identity of rank-3 matrices is caught too;
with R the oracle's sizes stop at 3×3), at each one an integer point
and a rational point (random X, y, w, w_new and fresh symbols; p from a list that crosses
1/50 and 1/21, so |p - 1/50| and √((λ-20)²) are seen on both sides of their breaks). Values
are ``Fraction``/int, exact; a square root of a non-square rational becomes a float and
that comparison uses a relative tolerance of 1e-9 (said in ``Judgement.method``).
A side that is ill-typed at some size (shapes that do not fit) makes the step false; a
scalar ⊙ a matrix is read as a scalar multiple (broadcast), not as ill-typed.
The mask R outside an expectation is universally quantified: every mask is checked.

    >>> from derivlab.testing.soundness.terms import E, MASKED, W, X, P, mul
    >>> judge([(E(mul(MASKED, W)), mul(P, X, W))]).holds
    True
"""

from __future__ import annotations

import itertools
import math
import random
import zlib
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping, Sequence

import numpy as np

from derivlab.testing.soundness.terms import Num, Sym, Term, walk

SIZES = ((1, 1), (2, 2), (2, 3), (3, 2), (3, 3))
MASK_FREE_SIZES = ((4, 4),)  # added for steps without R: cheap, and catches identities of rank <= 3
KEEP_PROBABILITIES = (Fraction(1, 3), Fraction(3, 4), Fraction(2, 7), Fraction(5, 8), Fraction(4, 5),
                      Fraction(3, 10), Fraction(5, 9), Fraction(7, 11), Fraction(2, 5), Fraction(6, 7))
LOW_P = Fraction(1, 100)  # below 1/50 and 1/21: the break points of the non-polynomial traps
TOLERANCE = 1e-9


class IllTyped(Exception):
    """Shapes that do not fit at this size."""


class Undefined(Exception):
    """A value outside a function's domain (division by zero, root of a negative)."""


@dataclass(frozen=True)
class Point:
    n: int
    d: int
    p: Fraction
    values: Mapping[str, np.ndarray]  # each (1, r, c)
    seed: int

    def describe(self) -> dict:
        return {"n": self.n, "d": self.d, "p": str(self.p)}


def _entries(rng: random.Random, rows: int, cols: int, rational: bool) -> np.ndarray:
    if rational:
        vals = [Fraction(rng.randint(-6, 6), rng.choice((1, 2, 3))) for _ in range(rows * cols)]
        return np.array(vals, dtype=object).reshape(1, rows, cols)
    return np.array([rng.randint(-3, 3) for _ in range(rows * cols)], dtype=np.int64).reshape(1, rows, cols)


_SHAPES = {"n": lambda n, d: (n, 1), "d": lambda n, d: (d, 1), "nd": lambda n, d: (n, d),
           "dd": lambda n, d: (d, d), "nn": lambda n, d: (n, n), "": lambda n, d: (1, 1)}


def points(seed: int = 0, p: Fraction | None = None, *, mask_free: bool = False) -> list[Point]:
    """The test points (fixed by ``seed``); ``p`` fixes the keep probability (a substitution);
    ``mask_free`` (the step never mentions R) adds the sizes of ``MASK_FREE_SIZES``."""
    out = []
    k = 0
    for n, d in SIZES + (MASK_FREE_SIZES if mask_free else ()):
        for rational in (False, True):
            rng = random.Random(seed * 7919 + 31 * n + 7 * d + rational)
            keep = p if p is not None else KEEP_PROBABILITIES[k % len(KEEP_PROBABILITIES)]
            k += 1
            values = {"X": _entries(rng, n, d, rational), "y": _entries(rng, n, 1, rational),
                      "w": _entries(rng, d, 1, rational), "w_new": _entries(rng, d, 1, rational)}
            out.append(Point(n, d, keep, values, rng.randrange(1 << 30)))
    if p is None:
        for n, d in ((1, 1), (2, 2)):
            base = next(pt for pt in out if (pt.n, pt.d) == (n, d))
            out.append(Point(n, d, LOW_P, base.values, base.seed + 1))
    return out


@lru_cache(maxsize=16)
def masks(n: int, d: int) -> np.ndarray:
    """Every keep mask, shape (2^{nd}, n, d), int64."""
    bits = np.array(list(itertools.product((0, 1), repeat=n * d)), dtype=np.int64)
    return bits.reshape(-1, n, d)


def mask_weights(n: int, d: int, p: Fraction) -> np.ndarray:
    """p^k (1-p)^{nd-k} for every mask (object array of Fractions, shape (2^{nd}, 1, 1))."""
    kept = masks(n, d).reshape(len(masks(n, d)), -1).sum(axis=1)
    table = [p**k * (1 - p) ** (n * d - k) for k in range(n * d + 1)]
    return np.array([table[k] for k in kept], dtype=object).reshape(-1, 1, 1)


def _exact_sqrt(v: Any) -> Any:
    if isinstance(v, float):
        if v < 0:
            raise Undefined("square root of a negative number")
        return math.sqrt(v)
    v = Fraction(v)
    if v < 0:
        raise Undefined("square root of a negative number")
    a, b = math.isqrt(v.numerator), math.isqrt(v.denominator)
    if a * a == v.numerator and b * b == v.denominator:
        return Fraction(a, b)
    return math.sqrt(v)


def _as_fraction(v: Any) -> Any:
    return v if isinstance(v, float) else Fraction(v)


def _shape(v: np.ndarray) -> tuple[int, int]:
    return v.shape[-2], v.shape[-1]


def _is_scalar(v: np.ndarray) -> bool:
    return _shape(v) == (1, 1)


class _Evaluator:
    def __init__(self, point: Point):
        self.point = point
        self._masks: tuple | None = None
        self._fresh: dict[tuple[str, str], np.ndarray] = {}

    def masks_and_weights(self) -> tuple:
        """Every mask (2^{nd}, n, d) and its probability, computed when R is first used."""
        if self._masks is None:
            pt = self.point
            self._masks = (masks(pt.n, pt.d), mask_weights(pt.n, pt.d, pt.p))
        return self._masks

    def symbol(self, s: Sym) -> np.ndarray:
        pt = self.point
        if s.name == "R":
            return self.masks_and_weights()[0]
        if s.name == "p":
            return np.array([[[pt.p]]], dtype=object)
        if s.name in pt.values:
            return pt.values[s.name]
        if s.name == "lambda":
            return np.array([[[(1 - pt.p) / pt.p]]], dtype=object)
        if s.name == "Gamma":
            X = pt.values["X"][0]
            gram_diag = [sum(X[i, j] * X[i, j] for i in range(pt.n)) for j in range(pt.d)]
            g = np.zeros((pt.d, pt.d), dtype=object)
            for j, v in enumerate(gram_diag):
                g[j, j] = _exact_sqrt(v)
            return g.reshape(1, pt.d, pt.d)
        if s.name == "Gamma_new":
            lam = (1 - pt.p) / pt.p
            return self.symbol(Sym("Gamma")) * _exact_sqrt(lam)
        key = (s.name, s.shape)  # a name the context does not know: an independent value
        if key not in self._fresh:
            rng = random.Random(pt.seed ^ zlib.crc32(s.name.encode()))
            rows, cols = _SHAPES[s.shape](pt.n, pt.d)
            self._fresh[key] = _entries(rng, rows, cols, rational=True)
        return self._fresh[key]

    def __call__(self, t: Term) -> np.ndarray:
        if isinstance(t, Sym):
            return self.symbol(t)
        if isinstance(t, Num):
            return np.array([[[t.value]]], dtype=object)
        kind = t.kind
        if kind == "grad":
            return self._grad(t.children[0])
        if kind == "E":
            body = self(t.children[0])
            if body.shape[0] == 1:
                return body
            return (body * self.masks_and_weights()[1]).sum(axis=0, keepdims=True)
        a = [self(c) for c in t.children]
        return getattr(self, "_" + kind)(t, *a)

    def _grad(self, body: Term) -> np.ndarray:
        """∇_w body, exactly: a central-difference stencil that is exact for polynomials of degree ≤ 6 in w
        (the body's degree is checked first; anything else is not a polynomial in w: Undefined)."""
        degree = degree_in_w(body)
        if degree is None or degree > 6:
            raise Undefined("the gradient of something that is not a polynomial of degree <= 6 in w")
        pt = self.point
        base = pt.values["w"]
        columns = []
        for j in range(base.shape[1]):
            acc = None
            for shift, weight in STENCIL:
                moved = base.astype(object).copy()
                moved[0, j, 0] = moved[0, j, 0] + shift
                value = _Evaluator(Point(pt.n, pt.d, pt.p, {**pt.values, "w": moved}, pt.seed))(body)
                if not _is_scalar(value):
                    raise IllTyped("the gradient of a non-scalar")
                term = value * weight
                acc = term if acc is None else acc + term
            columns.append(acc)
        return np.concatenate(columns, axis=1)

    # ---- one method per operator ----
    def _add(self, t, a, b):
        if _shape(a) != _shape(b):
            raise IllTyped(f"{_shape(a)} + {_shape(b)}")
        return a + b

    def _sub(self, t, a, b):
        if _shape(a) != _shape(b):
            raise IllTyped(f"{_shape(a)} - {_shape(b)}")
        return a - b

    def _neg(self, t, a):
        return -a

    def _mul(self, t, a, b):
        if _shape(a)[1] == _shape(b)[0]:
            return np.matmul(a, b)
        if _is_scalar(a) or _is_scalar(b):
            return a * b
        raise IllTyped(f"{_shape(a)} times {_shape(b)}")

    def _had(self, t, a, b):
        if _is_scalar(a) or _is_scalar(b):  # p ⊙ X read as p X (broadcast), as numpy and the checker do
            return a * b
        if _shape(a) != _shape(b):
            raise IllTyped(f"{_shape(a)} ⊙ {_shape(b)}")
        return a * b

    def _T(self, t, a):
        return np.swapaxes(a, -1, -2)

    def _pow(self, t, a):
        if _is_scalar(a):
            return a ** t.k
        r, c = _shape(a)
        if r != c:
            raise IllTyped(f"power of a {r}×{c} matrix")
        out = a
        for _ in range(t.k - 1):
            out = np.matmul(out, a)
        return out

    def _sqnorm(self, t, a):
        if 1 not in _shape(a):
            raise IllTyped(f"vector norm of a {_shape(a)} matrix")
        return (a * a).sum(axis=(-1, -2), keepdims=True)

    def _norm(self, t, a):
        return self._sqrt(t, self._sqnorm(t, a))

    def _diag(self, t, a):
        r, c = _shape(a)
        if r != c:
            raise IllTyped(f"diag of a {r}×{c} matrix")
        return a * np.eye(r, dtype=np.int64)

    def _tr(self, t, a):
        r, c = _shape(a)
        if r != c:
            raise IllTyped(f"trace of a {r}×{c} matrix")
        return np.trace(a, axis1=-2, axis2=-1).reshape(-1, 1, 1)

    def _sqrt(self, t, a):
        r, c = _shape(a)
        if r != c or any(a[b, i, j] != 0 for b in range(a.shape[0]) for i in range(r) for j in range(c) if i != j):
            raise IllTyped("square root of a matrix that is not diagonal")
        out = np.zeros(a.shape, dtype=object)
        for b in range(a.shape[0]):
            for i in range(r):
                out[b, i, i] = _exact_sqrt(a[b, i, i])
        return out

    def _abs(self, t, a):
        if not _is_scalar(a):
            raise IllTyped("absolute value of a non-scalar")
        return np.abs(a.astype(object))

    def _frac(self, t, a, b):
        if not _is_scalar(b):
            raise IllTyped("division by a non-scalar")
        if any(v == 0 for v in b.ravel()):
            raise Undefined("division by zero")
        inv = np.vectorize(lambda v: 1 / _as_fraction(v), otypes=[object])(b)
        return a.astype(object) * inv


# f'(0) = Σ weight · f(shift), exact for every polynomial of degree ≤ 6
STENCIL = ((-3, Fraction(-1, 60)), (-2, Fraction(9, 60)), (-1, Fraction(-45, 60)), (1, Fraction(45, 60)),
           (2, Fraction(-9, 60)), (3, Fraction(1, 60)))


def degree_in_w(t: Term) -> int | None:
    """The degree of ``t`` as a polynomial in the entries of w; None when it is not one."""
    if isinstance(t, Sym):
        return 1 if t.name == "w" else 0
    if isinstance(t, Num):
        return 0
    a = [degree_in_w(c) for c in t.children]
    if any(x is None for x in a):
        return None
    k = t.kind
    if k in ("add", "sub"):
        return max(a)
    if k in ("mul", "had"):
        return a[0] + a[1]
    if k in ("neg", "T", "E", "diag", "tr"):
        return a[0]
    if k == "pow":
        return a[0] * t.k
    if k == "sqnorm":
        return 2 * a[0]
    if k in ("norm", "sqrt", "abs"):
        return 0 if a[0] == 0 else None
    if k == "frac":
        return a[0] if a[1] == 0 else None
    if k == "grad":
        return max(0, a[0] - 1)
    raise ValueError(f"no degree rule for {k}")


def _equal(u: Any, v: Any) -> bool:
    if isinstance(u, float) or isinstance(v, float):
        return math.isclose(float(u), float(v), rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return u == v


@dataclass(frozen=True)
class Judgement:
    """The oracle's answer for a list of claimed equalities (all must hold)."""

    holds: bool
    reason: str
    method: str = ("every keep mask enumerated exactly at (n,d) in " + ", ".join(f"({n},{d})" for n, d in SIZES)
                   + "; steps without R also at " + ", ".join(f"({n},{d})" for n, d in MASK_FREE_SIZES))

    def to_json(self) -> dict:
        return {"holds": self.holds, "reason": self.reason, "method": self.method}


def _differs(lhs: Term, rhs: Term, pt: Point) -> str | None:
    ev = _Evaluator(pt)
    try:
        a = ev(lhs)
        b = ev(rhs)
    except IllTyped as exc:
        return f"ill-typed at n={pt.n}, d={pt.d}: {exc}"
    except Undefined as exc:
        return f"undefined at {pt.describe()}: {exc}"
    if _shape(a) != _shape(b):
        return f"shapes differ at n={pt.n}, d={pt.d}: {_shape(a)} vs {_shape(b)}"
    a, b = np.broadcast_arrays(a, b)
    for u, v, idx in zip(a.ravel(), b.ravel(), np.ndindex(a.shape)):
        if not _equal(u, v):
            mask = "" if a.shape[0] == 1 else f", mask #{idx[0]}"
            return f"differ at {pt.describe()}{mask}, entry {idx[1:]}: {u} vs {v}"
    return None


def _substituted(pt: Point, substitute: Mapping[str, Term]) -> Point:
    """``pt`` with each named variable replaced by the value of its term (e.g. w := w_new / p)."""
    ev = _Evaluator(pt)
    values = dict(pt.values)
    for name, term in substitute.items():
        values[name] = ev(term)
    return Point(pt.n, pt.d, pt.p, values, pt.seed)


def judge(equalities: Sequence[tuple[Term, Term]], *, given: Mapping[str, Fraction] | None = None,
          substitute: Mapping[str, Term] | None = None, seed: int = 0) -> Judgement:
    """True when every ``lhs = rhs`` holds at every test point (``given``: {'p': 1/2} fixes p;
    ``substitute``: {'w': w_new / p} reads w as that term, a substitution stated in prose)."""
    mask_free = not any(isinstance(t, Sym) and t.name == "R" for pair in equalities for side in pair
                        for t in walk(side))
    pts = points(seed, p=(given or {}).get("p"), mask_free=mask_free)
    if substitute:
        pts = [_substituted(pt, substitute) for pt in pts]
    for lhs, rhs in equalities:
        for pt in pts:
            why = _differs(lhs, rhs, pt)
            if why:
                return Judgement(False, why)
    return Judgement(True, f"equal at all {len(pts)} test points")
