"""Is lhs = rhs for every size and every value? Exact randomized identity testing.

At several size assignments with distinct sizes (and all sizes 1), every
deterministic variable gets random rationals, p a random rational in (0, 1);
both sides are evaluated EXACTLY (expectations included, ``evaluate.py``). Random
variables left outside every expectation stay symbolic, and two multilinear
polynomials in 0/1 masks agree on every mask iff their coefficients agree, so the
masks are decided exactly too. Equal everywhere tested ⇒ valid, with the
Schwartz–Zippel bound of ``bounds.py``; any difference ⇒ invalid, and the point
is shrunk (smaller sizes, small integers, p = 1/2) to a counterexample a student
can check by hand.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from itertools import product as cartesian
from typing import Any

from derivlab.checking import bounds, indices, limits
from derivlab.checking.decisive_sizes import decisive_sizes, needs_inverse
from derivlab.checking.evaluate import Matrix, Point, make_evaluator
from derivlab.checking.exact import EvalError, NonPolynomial
from derivlab.checking.expr import Condition, Expr, free_random, free_variables, shape_text
from derivlab.checking.failures import IllTyped, Undecided

VALUE_RANGE = 10**6          # numerators of real values: uniform in [-VALUE_RANGE, VALUE_RANGE]
DENOMINATORS = (1, 2, 3, 4)  # denominators of real values
P_GRID = 10**6               # p = k / P_GRID, k uniform in 1..P_GRID-1
POINTS_PER_SIZE = 2
POINTS_PER_DECISIVE_SIZE = 3
RESAMPLES = 6


@dataclass(frozen=True)
class Outcome:
    """The decision on one step: verdict "valid" | "invalid", how, and the evidence."""

    verdict: str
    method: str
    message: str
    error_probability: float | None = None
    counterexample: dict | None = None
    sizes_tested: tuple[dict, ...] = ()


def size_assignments(sizes: tuple[str, ...]) -> list[dict[str, int]]:
    """All sizes 1, then distinct sizes 2, 3, ... in declaration order and reversed: (1,1), (2,3), (3,2)."""
    if not sizes:
        return [{}]
    out = [{s: 1 for s in sizes}]
    forward = {s: 2 + i for i, s in enumerate(sizes)}
    backward = {s: 1 + len(sizes) - i for i, s in enumerate(sizes)}
    for a in (forward, backward):
        if a not in out:
            out.append(a)
    if len(out) < 3:
        out.append({s: 3 for s in sizes})
    return out


def _variables(lhs: Expr, rhs: Expr, scope: Any) -> dict[str, Any]:
    found = {**free_variables(lhs), **free_variables(rhs)}
    for spec in scope.random.values():
        for expr in spec.parameter_exprs():
            found.update(free_variables(expr))
    return {n: v for n, v in found.items() if not v.random}


def _dim(dim: Any, sizes: dict[str, int]) -> int:
    return 1 if dim == 1 else sizes[dim]


def _draw(domain: str, rng: random.Random) -> Fraction:
    if domain == "(0, 1)":
        return Fraction(rng.randint(1, P_GRID - 1), P_GRID)
    if domain == "positive":
        return Fraction(rng.randint(1, VALUE_RANGE), rng.choice(DENOMINATORS))
    return Fraction(rng.randint(-VALUE_RANGE, VALUE_RANGE), rng.choice(DENOMINATORS))


def atom_probability(domains: list[str]) -> float:
    """The largest probability of any single value of one sampled coordinate."""
    worst = 0.0
    for d in domains:
        worst = max(worst, 1 / (P_GRID - 1) if d == "(0, 1)" else 1 / VALUE_RANGE if d == "positive"
                    else 1 / (2 * VALUE_RANGE + 1))
    return worst or 1 / (2 * VALUE_RANGE + 1)


def random_point(variables: dict[str, Any], scope: Any, sizes: dict[str, int], rng: random.Random) -> Point:
    values = {}
    for name, var in variables.items():
        rows, cols = _dim(var.shape[0], sizes), _dim(var.shape[1], sizes)
        dom = scope.domains.get(name, "reals")
        values[name] = [[_draw(dom, rng) for _ in range(cols)] for _ in range(rows)]
    return Point(dict(sizes), values)


# ---- comparing at one point ------------------------------------------------------------------


@dataclass
class _Comparison:
    equal: bool
    lhs: Matrix
    rhs: Matrix
    evaluator: Any
    radical_primes: int
    variable_roots: tuple[int, ...] = ()


def compare_at(lhs: Expr, rhs: Expr, scope: Any, point: Point, deadline: limits.Deadline, **mode: Any) -> _Comparison:
    """Both sides at ``point`` (masks symbolic unless the point fixes them); exact comparison."""
    ev = make_evaluator(point, scope, deadline=deadline, **mode)
    try:
        left, right = ev.value(lhs), ev.value(rhs)
    except NonPolynomial:
        if point.masks is not None:
            raise Undecided("not polynomial in the masks even with the free masks fixed") from None
        return _compare_by_masks(lhs, rhs, scope, point, deadline, mode)
    return _Comparison(left == right, left, right, ev, len(ev.field.constant_radicands),
                       tuple(ev.field.variable_roots))


def compare_over_indices(lhs: Expr, rhs: Expr, scope: Any, point: Point, envs, deadline: limits.Deadline
                         ) -> tuple[_Comparison, Point]:
    """Both sides at ``point`` for every index assignment in ``envs`` with ONE evaluator (values that do not
    depend on the indices are computed once): the first comparison that differs, else the last."""
    ev = make_evaluator(point, scope, deadline=deadline)
    comparison = here = None
    try:
        for env in envs:
            deadline.check()
            ev.set_indices(env)
            here = Point(point.sizes, point.values, None, env)
            left, right = ev.value(lhs), ev.value(rhs)
            comparison = _Comparison(left == right, left, right, ev, len(ev.field.constant_radicands),
                                     tuple(ev.field.variable_roots))
            if not comparison.equal:
                break
    except NonPolynomial:
        for env in envs:
            here = Point(point.sizes, point.values, None, env)
            comparison = compare_at(lhs, rhs, scope, here, deadline)
            if not comparison.equal:
                break
    return comparison, here


def _compare_by_masks(lhs, rhs, scope, point, deadline, mode) -> _Comparison:
    """Free random variables under a square root or inverse: try every mask (0/1 masks only: a Gaussian entry
    takes every real value, so such a step is undecided)."""
    if any(getattr(spec, "moments", None) for spec in scope.random.values()):
        raise Undecided("a Gaussian noise entry outside every expectation under a square root or an inverse")
    shapes = {rv: (_dim(scope.variables[rv].shape[0], point.sizes), _dim(scope.variables[rv].shape[1], point.sizes))
              for rv in scope.random}
    cells = [(rv, i, j) for rv, (r, c) in shapes.items() for i in range(r) for j in range(c)]
    if len(cells) > limits.MAX_MASK_ENUMERATION:
        raise Undecided("a random variable outside an expectation under a square root or inverse: too many masks")
    last = None
    roots: dict[int, None] = {}
    for bits in range(1 << len(cells)):
        deadline.check()
        masks = {rv: [[0] * c for _ in range(r)] for rv, (r, c) in shapes.items()}
        for k, (rv, i, j) in enumerate(cells):
            masks[rv][i][j] = (bits >> k) & 1
        last = compare_at(lhs, rhs, scope, Point(point.sizes, point.values, masks, point.indices), deadline, **mode)
        if not last.equal:
            return last
        roots.update(dict.fromkeys(last.variable_roots))
    if last is not None:
        last.variable_roots = tuple(roots)
    return last


def differs(lhs: Expr, rhs: Expr, scope: Any, point: Point, deadline: limits.Deadline, **mode: Any) -> bool:
    """True when the sides are defined and differ at ``point``; False when equal or undefined."""
    try:
        return not compare_at(lhs, rhs, scope, point, deadline, **mode).equal
    except EvalError:
        return False


# ---- the decision ------------------------------------------------------------------------------


def decide(lhs: Expr, rhs: Expr, scope: Any, *, seed: int = 0, deadline: limits.Deadline | None = None,
           condition: Condition | None = None) -> Outcome:
    """valid (with an error bound) or invalid (with a shrunk counterexample); raises IllTyped/Undecided.

    Free index letters (X_{ij} with i, j not bound by a sum) are checked at EVERY value of theirs at each
    test size, under ``condition`` (the step's side condition, e.g. j ≠ k).

    Tested at sizes 1, (2, 3), (3, 2) and at the DECISIVE sizes of ``decisive_sizes`` (equality there implies
    equality at every size). A step whose value depends on the sign of a square root of a variable quantity
    (|x| = √(x²), a root of a perfect square) is only piecewise polynomial: it is invalid when a point shows a
    difference, otherwise ``Undecided`` (the randomized test proves polynomial identities only).
    """
    deadline = deadline or limits.Deadline(limits.STEP_SECONDS)
    if lhs.shape != rhs.shape:
        raise IllTyped(f"the two sides have different shapes: the left is {shape_text(lhs.shape)}, "
                       f"the right is {shape_text(rhs.shape)}")
    free = indices.free_indices(lhs, rhs)
    if condition is not None:
        unknown = sorted(condition.indices() - set(free))
        if unknown:
            raise IllTyped(f"the side condition ({condition.text()}) names {', '.join(unknown)}, which the step "
                           f"does not use as a free index")
    rng = random.Random(seed)
    variables = _variables(lhs, rhs, scope)
    pi = atom_probability([scope.domains.get(n, "reals") for n in variables])
    decisive = decisive_sizes(lhs, rhs, scope)
    assignments = size_assignments(scope.sizes)
    assignments += [a for a in decisive if a not in assignments]
    worst, tested_any = 0.0, False
    piecewise: str | None = None
    for sizes in assignments:
        dl, dr = bounds.degree(lhs, sizes), bounds.degree(rhs, sizes)
        diff_degree = bounds.difference_degree(dl, dr)
        miss = 1.0
        envs = indices.assignments(free, sizes, condition) if free else [None]
        if not envs:  # no index value satisfies the condition at these sizes (e.g. j ≠ k with d = 1)
            continue
        tested_any = True
        for k in range(POINTS_PER_DECISIVE_SIZE if sizes in decisive else POINTS_PER_SIZE):
            comparison, point = _sample_and_compare(lhs, rhs, scope, variables, sizes, rng, deadline, envs)
            if not comparison.equal:
                return _invalid(lhs, rhs, scope, point, variables, deadline, assignments)
            roots = comparison.variable_roots if k == 0 else ()  # sign-tested at the first point of each size
            if roots and piecewise is None:
                piecewise = _sign_dependence(lhs, rhs, scope, point, roots, deadline)
            # even in every variable root (each sign test missing with the same bound): a polynomial identity
            miss *= min(1.0, bounds.failure_bound(diff_degree, comparison.radical_primes, pi) * (1 + len(roots)))
        if sizes in decisive:  # a false step is false at one of the decisive sizes: only they bound the error
            worst = max(worst, miss)
    if not tested_any:
        raise Undecided(f"no value of the free indices satisfies the side condition ({condition.text()}) "
                        f"at any test size")
    if piecewise is not None:
        return _decide_by_cases(lhs, rhs, scope, variables, rng, deadline, assignments, piecewise, free, condition)
    tested = ", ".join(_size_text(a) for a in assignments)
    names = "(" + ",".join(scope.sizes) + ")" if scope.sizes else "sizes"
    method = (f"exact randomized identity test (Schwartz–Zippel): {POINTS_PER_SIZE} random rational points at each "
              f"{names} in {tested} ({POINTS_PER_DECISIVE_SIZE} at the decisive sizes)")
    if scope.sizes:
        if needs_inverse(lhs, rhs):
            method += (f"; with a matrix inverse the sizes are TESTED up to {_size_text(decisive[-1])}, "
                       f"not proved for every size")
        else:
            method += f"; {_size_text(decisive[0])} decides every size (index bound)"
    if free_random(lhs) | free_random(rhs):
        method += "; masks outside expectations decided exactly (multilinear coefficients)"
    if free:
        method += (f"; every value of the free indices {', '.join(sorted(free))}"
                   + (f" with {condition.text()}" if condition and condition.relations else "") + " at each size")
    return Outcome("valid", method, f"equal at every test point; error probability ≤ {worst:.1e}", worst, None,
                   tuple(assignments))


def _size_text(sizes: dict[str, int]) -> str:
    return "(" + ",".join(str(v) for v in sizes.values()) + ")"


def _invalid(lhs, rhs, scope, point, variables, deadline, assignments) -> Outcome:
    from derivlab.checking.shrink import counterexample

    example = counterexample(lhs, rhs, scope, point, variables, deadline)
    return Outcome("invalid", "exact evaluation at a random rational point, shrunk", "the two sides differ", None,
                   example, tuple(assignments))


MAX_ROOT_FLIPS = 16   # square roots of variable quantities checked one by one for sign dependence
CASE_POINTS = 24      # small points per size tried on a piecewise step, looking for a difference


def _sign_dependence(lhs, rhs, scope, point, roots: tuple[int, ...], deadline) -> str | None:
    """None when lhs − rhs is even in every square root met (then it is a polynomial identity); else why not."""
    if len(roots) > MAX_ROOT_FLIPS:
        return f"it takes {len(roots)} square roots of variable quantities"
    for key in roots:
        deadline.check()
        try:
            flipped = compare_at(lhs, rhs, scope, point, deadline, flipped_roots=frozenset((key,)))
        except EvalError:
            return "a square root changes sign"
        if not flipped.equal:
            return "its value depends on the sign of a square root (an absolute value |x| = √(x²) or a norm)"
    return None


def _small_value(domain: str, rng: random.Random) -> Fraction:
    if domain == "(0, 1)":
        return rng.choice(SMALL_P)
    if domain == "positive":
        return rng.choice(SMALL_POSITIVE)
    return Fraction(rng.randint(-6, 6), rng.choice((1, 1, 2, 3)))


SMALL_P = tuple(Fraction(k, 100) for k in (1, 2, 3, 5, 10, 20, 25, 50, 75, 80, 90, 95, 97, 98, 99)) + \
    (Fraction(1, 3), Fraction(2, 3), Fraction(1, 1000), Fraction(999, 1000))
SMALL_POSITIVE = tuple(Fraction(k, q) for k in (1, 2, 3, 5, 10, 20, 50, 100, 1000) for q in (1, 3))


def _decide_by_cases(lhs, rhs, scope, variables, rng, deadline, assignments, why: str, free=None,
                     condition=None) -> Outcome:
    """A piecewise step: search small points on both sides of the sign changes; a difference is a counterexample."""
    for sizes in assignments:
        for _ in range(CASE_POINTS):
            deadline.check()
            values = {}
            for name, var in variables.items():
                rows, cols = _dim(var.shape[0], sizes), _dim(var.shape[1], sizes)
                dom = scope.domains.get(name, "reals")
                values[name] = [[_small_value(dom, rng) for _ in range(cols)] for _ in range(rows)]
            for env in (indices.assignments(free, sizes, condition) if free else [None]):
                point = Point(dict(sizes), values, None, env)
                if differs(lhs, rhs, scope, point, deadline):
                    return _invalid(lhs, rhs, scope, point, variables, deadline, assignments)
    raise Undecided(f"this step is only piecewise polynomial: {why}. It held at every point tried "
                    f"({CASE_POINTS} small points per size on both sides of the sign changes), but derivlab proves "
                    f"polynomial identities only; argue the sign by cases, or square both sides")


def _sample_and_compare(lhs, rhs, scope, variables, sizes, rng, deadline, envs=(None,)):
    """One random point, compared at every index assignment in ``envs``: the first that differs, else the last."""
    problem = None
    for _ in range(RESAMPLES):
        base = random_point(variables, scope, sizes, rng)
        try:
            if envs == [None] or envs == (None,):
                return compare_at(lhs, rhs, scope, base, deadline), base
            return compare_over_indices(lhs, rhs, scope, base, envs, deadline)
        except EvalError as exc:  # e.g. a denominator vanished at this point: draw another
            problem = exc
    raise Undecided(f"cannot evaluate this step: {problem} (at {RESAMPLES} random points)")


def all_sizes_up_to(top: dict[str, int]) -> list[dict[str, int]]:
    """Every size assignment ≤ ``top`` entry-wise, smallest total first."""
    names = list(top)
    grid = [dict(zip(names, combo)) for combo in cartesian(*[range(1, top[n] + 1) for n in names])]
    return sorted(grid, key=lambda a: (sum(a.values()), list(a.values())))
