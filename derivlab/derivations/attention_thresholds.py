"""The smallest scale c at which each design passes the notebook criterion on EVERY input.

From the closed form (``attention_closed_forms``), per count profile of a query:

identity, first: every output component must satisfy |out − target| ≤ atol + rtol·|target|
    (atol = 10⁻⁸, rtol = 10⁻³). Writing E = e^{score of the attended key}, each error is
    N / (a E + B), decreasing in E; SymPy solves error = tolerance for E in general counts,
    the worst profile (largest E) over all sequences up to the maximum length gives E*, and
    c* solves e^{score(c)} = E* (passing is inclusive: c ≥ c*).
unique: the sign of out = (e^{b s} − (m−1) e^{s} − (L−m+1)) / (...) must be + for m = 1 and
    − for m ≥ 2 (s = c²/√8). With b = p/q rational, y = e^{s/q} turns each condition into a
    polynomial inequality in y ≥ 1, solved exactly per (m, L); c* is the infimum of the
    intersection (strict: c > c*).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sympy as sp

from derivlab.derivations.attention_closed_forms import COUNTS, L, UNIQUE_B, closed_form, m
from derivlab.derivations.attention_scores import b, c
from derivlab.transformers.tasks import TASKS, TOKENS

ATOL = sp.Rational(1, 10**8)
RTOL = sp.Rational(1, 10**3)

E = sp.Symbol("E", positive=True)  # e^{score of an attended key}
y = sp.Symbol("y", positive=True)  # e^{s/q} for the unique design (b = p/q)


@dataclass(frozen=True, eq=False)
class Threshold:
    """c* for a task: exact SymPy value, float, the worst-case sequence and the condition there."""

    task: str
    exact: Any
    value: float
    inclusive: bool  # identity/first pass at c = c* exactly (≤ tolerance); unique needs c > c*
    worst_sequence: str
    worst_query: int
    condition_latex: str
    profiles_checked: int
    scales: dict
    upper: Any = None  # a largest passing scale, if any (None: every c above c* passes)

    def to_json(self) -> dict:
        return {"task": self.task, "exact": str(self.exact), "latex": sp.latex(self.exact), "value": self.value,
                "inclusive": self.inclusive, "worst_sequence": self.worst_sequence, "worst_query": self.worst_query,
                "condition_latex": self.condition_latex, "profiles_checked": self.profiles_checked,
                "scales": {k: str(v) for k, v in self.scales.items()},
                "upper": None if self.upper is None else str(self.upper)}


@lru_cache(maxsize=None)
def _as_error_in_E(diff: Any, attended_score: Any) -> Any:
    """|out − target| with e^{attended score} replaced by E (the remaining exponentials are e⁰ = 1);
    the sign of out − target is decided by SymPy from the counts being ≥ 0 and E > 0."""
    e = sp.cancel(diff.subs(sp.exp(attended_score), E))
    top, bottom = sp.fraction(e)
    if not bottom.is_nonnegative:
        raise ValueError(f"cannot decide the sign of the denominator of {e}")
    if top.is_nonnegative:
        return e
    if (-top).is_nonnegative:
        return sp.cancel(-e)
    raise ValueError(f"cannot decide the sign of {e}")


@lru_cache(maxsize=None)
def _general_bound(error: Any, tolerance: Any) -> Any:
    """The E at which ``error`` (decreasing in E) equals ``tolerance``, in general counts."""
    top, bottom = sp.fraction(sp.factor(sp.diff(error, E)))
    if not (top.is_nonpositive and bottom.is_nonnegative):
        raise ValueError(f"error {error} is not shown decreasing in E")
    roots = sp.solve(sp.Eq(error, tolerance), E)
    if len(roots) != 1:
        raise ValueError(f"expected one root of {error} = {tolerance}, got {roots}")
    return roots[0]


def _allclose_threshold(task: str) -> Threshold:
    form = closed_form(task)
    attended = form.scores["same token" if task == "identity" else "first key"]
    n_max = TASKS[task].max_len
    worst: tuple[Any, ...] = (sp.Integer(-1), None, None, "")
    profiles = 0
    for q, tok in enumerate(TOKENS):  # identity: the query's token; first: the first token
        row = form.output[tok]
        for j in range(3):
            target = 1 if j == q else 0
            tolerance = ATOL + RTOL * target
            error = _as_error_in_E(row[0, j] - target, attended)
            bound = _general_bound(error, tolerance)
            for counts in itertools.product(range(n_max + 1), repeat=3):
                length = sum(counts) + (1 if task == "first" else 0)
                if not 1 <= length <= n_max or (task == "identity" and counts[q] == 0):
                    continue
                profiles += 1
                value = bound.xreplace(dict(zip(COUNTS, map(sp.Integer, counts))))
                if value > worst[0]:
                    worst = (value, counts, (q, j), (error, tolerance))
    E_star, counts, (q, j), (error, tolerance) = worst
    cond = sp.latex(sp.Eq(error.xreplace(dict(zip(COUNTS, map(sp.Integer, counts)))), tolerance))
    c_star = [r for r in sp.solve(sp.Eq(attended, sp.log(E_star)), c) if r.is_positive][0]
    if task == "identity":  # the query's token first, then the others by their counts
        seq = TOKENS[q] * counts[q] + "".join(TOKENS[u] * counts[u] for u in range(3) if u != q)
    else:
        seq = TOKENS[q] + "".join(TOKENS[u] * counts[u] for u in range(3))
    return Threshold(task, c_star, float(c_star), True, seq, 0,
                     cond + r"\;\Rightarrow\; E \ge " + sp.latex(E_star), profiles, {})


def _unique_threshold(b_value: Any) -> Threshold:
    b_value = sp.Rational(b_value)
    form = closed_form("unique")
    s = form.scores["same token"]
    p, q = b_value.as_numer_denom()
    numerator, _ = sp.fraction(sp.together(form.output["content"].subs(b, b_value)))
    poly = sp.expand(numerator).subs({sp.exp(s * b_value): y**p, sp.exp(s): y**q})
    if poly.has(c):
        poly = sp.expand(sp.powsimp(sp.expand(numerator))).subs(sp.exp(s / q), y)
    passing = sp.Interval(1, sp.oo)  # y = e^{s/q} ≥ 1 for real c
    worst = (sp.Integer(0), None)
    profiles = 0
    for length in range(1, TASKS["unique"].max_len + 1):
        for count in range(1, length + 1):
            profiles += 1
            cond = poly.subs({m: count, L: length})
            want = cond > 0 if count == 1 else cond < 0
            intervals = sp.solve_poly_inequality(sp.Poly(cond, y), ">" if count == 1 else "<")
            solution = sp.Union(*intervals).intersect(sp.Interval(1, sp.oo))
            passing = passing.intersect(solution)
            if solution.inf > worst[0]:
                worst = (solution.inf, (count, length, want))
    y_star, (count, length, want) = worst
    if passing is sp.S.EmptySet:
        raise ValueError(f"no scale c passes every input of the unique design at b = {b_value}")
    if passing.inf != y_star:
        raise ValueError(f"the passing set {passing} does not start at the worst profile's bound {y_star}")

    def to_c(y_value):
        return [r for r in sp.solve(sp.Eq(s / q, sp.log(y_value)), c) if r.is_positive][0]

    c_star = sp.simplify(to_c(y_star))
    upper = None if passing.sup == sp.oo else sp.simplify(to_c(passing.sup))
    seq = "[CLS]" + "A" * count + "B" * (length - count)
    return Threshold("unique", c_star, float(c_star), False, seq, 1,
                     sp.latex(want) + r",\; y = e^{s/" + str(q) + "}", profiles, {"b": b_value}, upper)


@lru_cache(maxsize=None)
def scale_threshold(task: str, b_value: Any = None) -> Threshold:
    """The smallest query/key scale c of ``task``'s design that passes on every input (unique: at CLS bias b,
    default the design's 1/2)."""
    if task in ("identity", "first"):
        return _allclose_threshold(task)
    if task == "unique":
        return _unique_threshold(UNIQUE_B if b_value is None else b_value)
    raise ValueError(f"unknown task {task!r}")
