"""The ground truth for the entry-wise corpus, decided WITHOUT the checker.

Nothing here imports derivlab. Every expression of a write-up is written twice:
as the LaTeX a student types, and as a plain Python function of one concrete
world (sizes n, d; rational X, y, w, p) computed by hand: expectations by
enumerating EVERY 0/1 mask R with its probability p^k (1-p)^(nd-k), entries by
list indexing. A step is true when both sides agree in every world tried
(several sizes, random rationals) for EVERY value of its free indices (under
its side condition) and, when a mask appears outside every expectation, for
every mask. A side that cannot be evaluated (an index out of its range) makes
the step false.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Callable

SIZES = [(1, 1), (2, 3), (3, 2), (2, 2)]
WORLDS_PER_SIZE = 2


class World:
    """One concrete point: X (n×d), y (n), w (d), p, all exact rationals."""

    def __init__(self, n: int, d: int, rng: random.Random):
        def q() -> Fraction:
            return Fraction(rng.randint(-9, 9), rng.choice((1, 2, 3))) or Fraction(1, 5)

        self.n, self.d = n, d
        self.X = [[q() for _ in range(d)] for _ in range(n)]
        self.y = [q() for _ in range(n)]
        self.w = [q() for _ in range(d)]
        self.p = Fraction(rng.randint(1, 9), 10)
        self._masks = None

    def masks(self):
        """Every mask with its probability."""
        if self._masks is None:
            out = []
            for bits in product((0, 1), repeat=self.n * self.d):
                R = [list(bits[i * self.d:(i + 1) * self.d]) for i in range(self.n)]
                k = sum(bits)
                out.append((R, self.p ** k * (1 - self.p) ** (self.n * self.d - k)))
            self._masks = out
        return self._masks

    def E(self, g: Callable) -> Fraction:
        """E over R of g(R), exactly, by enumeration."""
        return sum((weight * g(R) for R, weight in self.masks()), Fraction(0))

    # hand-written building blocks (plain loops)
    def XtX(self, j: int, k: int) -> Fraction:
        return sum((self.X[i][j] * self.X[i][k] for i in range(self.n)), Fraction(0))

    def Xw(self, i: int, R=None) -> Fraction:
        return sum(((R[i][j] if R else 1) * self.X[i][j] * self.w[j] for j in range(self.d)), Fraction(0))

    def residual2(self, R=None, scale=None) -> Fraction:
        """Σ_i (y_i − Σ_j R_ij X_ij w_j)² (R = None: all ones; scale multiplies the prediction)."""
        s = scale if scale is not None else 1
        return sum(((self.y[i] - s * self.Xw(i, R)) ** 2 for i in range(self.n)), Fraction(0))

    def penalty(self) -> Fraction:
        """Σ_j w_j² (XᵀX)_jj = ‖Γw‖²."""
        return sum((self.w[j] ** 2 * self.XtX(j, j) for j in range(self.d)), Fraction(0))


@dataclass(frozen=True)
class Piece:
    """One expression: its LaTeX and its value ``fn(world, mask, indices)`` (indices 0-based)."""

    latex: str
    fn: Callable
    free: tuple[tuple[str, str], ...] = ()   # (index, "n" | "d")
    condition: Callable | None = None        # on the 0-based indices
    masks_free: bool = False                 # a mask R outside every expectation


@dataclass(frozen=True)
class WriteUp:
    """A write-up: chains of pieces (step k = consecutive pieces), the way it is laid out, and what the
    checker must say of its first bad step (``invalid`` or ``ill-typed``)."""

    name: str
    style: str
    chains: tuple[tuple[Piece, ...], ...]
    layout: str = "align"
    bad_verdict: str = "invalid"
    prose: tuple[str, ...] = field(default=())
    preamble: str = ""  # the student's own macros (\\newcommand, \\DeclareMathOperator, \\def)

    def steps(self):
        for chain in self.chains:
            for a, b in zip(chain, chain[1:]):
                yield a, b


def _assignments(free: dict[str, str], world: World, condition):
    names = sorted(free)
    ranges = [range(world.n if free[x] == "n" else world.d) for x in names]
    for combo in product(*ranges):
        ix = dict(zip(names, combo))
        if condition is None or condition(ix):
            yield ix


def step_holds(a: Piece, b: Piece, seed: int = 0) -> bool:
    """True when a = b in every world, at every free index value (under the condition), every free mask."""
    rng = random.Random(seed)
    free = dict(a.free) | dict(b.free)
    conditions = [c for c in (a.condition, b.condition) if c]

    def condition(ix):
        return all(c(ix) for c in conditions)

    for n, d in SIZES:
        for _ in range(WORLDS_PER_SIZE):
            world = World(n, d, rng)
            mask_list = [R for R, _w in world.masks()] if (a.masks_free or b.masks_free) else [None]
            for ix in _assignments(free, world, condition):
                for R in mask_list:
                    try:
                        if a.fn(world, R, ix) != b.fn(world, R, ix):
                            return False
                    except IndexError:
                        return False
    return True


def truth(writeup: WriteUp) -> dict:
    """The expected verdict, first bad step and step count of a write-up, by the oracle alone."""
    steps = list(writeup.steps())
    first_bad = next((k for k, (a, b) in enumerate(steps, start=1) if not step_holds(a, b, seed=k)), None)
    return {"verdict": "valid" if first_bad is None else writeup.bad_verdict, "first_bad_step": first_bad,
            "steps": len(steps)}


# ---- laying a write-up out as a .tex file -------------------------------------------------------------------


def tex(writeup: WriteUp) -> str:
    out = [f"% {writeup.name}: {writeup.style}", r"\documentclass{article}", r"\usepackage{amsmath,amssymb}",
           r"\begin{document}"]
    if writeup.preamble:
        out.insert(3, writeup.preamble)
    prose = list(writeup.prose) + [""] * len(writeup.chains)
    for c, chain in enumerate(writeup.chains):
        if prose[c]:
            out.append(prose[c])
        if writeup.layout == "align":
            rows = [chain[0].latex + "\n  &= " + chain[1].latex] + [f"  &= {p.latex}" for p in chain[2:]]
            out += [r"\begin{align*}", " \\\\\n".join(rows), r"\end{align*}"]
        elif writeup.layout == "equation":
            out += [r"\[", "  " + "\n  = ".join(p.latex for p in chain), r"\]"]
        else:  # "lines": one row per expression, '=' leading
            out += [r"\begin{align*}", chain[0].latex + r" \\"]
            out += [f"  &= {p.latex}" + (r" \\" if k < len(chain) - 2 else "") for k, p in enumerate(chain[1:])]
            out.append(r"\end{align*}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"
