"""Where the two-point reading of a Gaussian is exact, and where it is not.

A context may read N ~ Normal(μ, v) through a 0/1 coin c as N = μ + √v (2c − 1)
(``noise_laws``): the two-point law has the Gaussian's moments up to order 3 only.
So a step is decided exactly only when, in that coin, every integrand of an
expectation has degree ≤ 3 and every occurrence outside expectations degree ≤ 1
(c² = c would otherwise turn N² into a function the Gaussian does not have). The
degree is the TOTAL degree in the coin's entries, a safe bound for the degree in
each entry. Beyond it the step is ``unknown``, never judged by the wrong law.
"""

from __future__ import annotations

from typing import Any

from derivlab.checking.expr import (
    Add, DiagOf, DiagPart, Divide, Expectation, Expr, Named, Neg, Norm, Power, Trace, Transpose, Var,
)

INSIDE_MAX = 3
OUTSIDE_MAX = 1
UNBOUNDED = 10**6


def two_point_coins(scope: Any) -> set[str]:
    """The coins of the context's Normal laws read through the two-point law."""
    return {scope.aliases[sym] for sym, law in getattr(scope, "noise", {}).items()
            if law.lowering == "two-point" and sym in scope.aliases}


def _degree(e: Expr, coins: set[str], bodies: list[tuple[Expectation, int]]) -> int:
    """Degree of ``e`` in the free coins; each expectation binding a coin records its body's degree."""
    if isinstance(e, Var):
        return 1 if e.name in coins else 0
    if isinstance(e, Expectation):
        inner = _degree(e.body, coins, bodies)
        if coins & set(e.bound):
            bodies.append((e, inner))
            return _degree_outside_binding(e, coins)
        return inner
    if isinstance(e, Power) and isinstance(e.base, Norm) and e.exponent.denominator == 1 and e.exponent % 2 == 0:
        return int(e.exponent) * _degree(e.base.arg, coins, bodies)  # ‖v‖^{2k} = (vᵀv)^k
    if isinstance(e, Power):
        base = _degree(e.base, coins, bodies)
        if not base:
            return 0
        k = e.exponent
        return UNBOUNDED if k < 0 or k.denominator != 1 else int(k) * base
    if isinstance(e, Norm):
        inner = _degree(e.arg, coins, bodies)
        return inner if not inner else UNBOUNDED  # a root of a noise-dependent quantity
    if isinstance(e, Divide):
        return _degree(e.left, coins, bodies) + (UNBOUNDED if _degree(e.right, coins, bodies) else 0)
    parts = [_degree(c, coins, bodies) for c in e.children()]
    if isinstance(e, (Add, Neg, Transpose, Trace, DiagPart, DiagOf, Named)):
        return max(parts, default=0)
    return sum(parts)


def _degree_outside_binding(e: Expectation, coins: set[str]) -> int:
    """Coins the expectation does not bind stay free in its value."""
    rest = coins - set(e.bound)
    return _degree(e.body, rest, []) if rest else 0


def two_point_limit(lhs: Expr, rhs: Expr, scope: Any) -> tuple[str, str] | None:
    """None when the two-point reading decides the step exactly; else (where, why).

    ``where`` is "inside" (an expectation of degree > 3: the two-point average is not the Gaussian one, so
    neither verdict holds) or "outside" (a free noise entry of degree > 1: a difference at a two-point value
    is still a real counterexample, but equality at the two points proves nothing).
    """
    coins = two_point_coins(scope)
    if not coins:
        return None
    inside = outside = 0
    for side in (lhs, rhs):
        bodies: list[tuple[Expectation, int]] = []
        outside = max(outside, _degree(side, coins, bodies))
        inside = max([inside] + [d for _e, d in bodies])
    why = ("the Gaussian noise is checked through a two-point law with the same moments up to order 3; this step "
           "has degree {} in the noise {} (exact only up to {} inside an expectation and {} outside), so it is not "
           "decided")
    if inside > INSIDE_MAX:
        return "inside", why.format(min(inside, 99), "inside an expectation", INSIDE_MAX, OUTSIDE_MAX)
    if outside > OUTSIDE_MAX:
        return "outside", why.format(min(outside, 99), "outside every expectation", INSIDE_MAX, OUTSIDE_MAX)
    return None
