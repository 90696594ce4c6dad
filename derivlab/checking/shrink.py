"""Counterexamples a student can check by hand: shrink a differing point to the
smallest sizes and simplest values (0, ±1, 2, …; p = 1/2, 1/3, …) that still
make the two sides differ, then write down every value exactly.

The JSON object: ``sizes`` ({"n": 1, "d": 1}), ``values`` (scalars as "3/7",
vectors as lists, matrices as lists of rows), ``masks`` (only when a random
variable appears outside every expectation: the 0/1 mask used), and ``lhs`` /
``rhs`` (both sides' exact values, square roots written sqrt(k)).
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from derivlab.checking import limits
from derivlab.checking.evaluate import Point
from derivlab.checking.equivalence import all_sizes_up_to, compare_at, differs, random_point
from derivlab.checking.expr import Expr, free_random
from derivlab.checking.failures import Undecided

SIMPLE_REALS = [Fraction(v) for v in (0, 1, -1, 2, -2, 3, -3)] + [Fraction(1, 2)]
SIMPLE_PROBABILITIES = [Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(1, 4), Fraction(3, 4)]
SIMPLE_POSITIVE = [Fraction(v) for v in (1, 2, 3)] + [Fraction(1, 2)]
SHRINK_SECONDS = 1.5


def _choices(domain: str) -> list[Fraction]:
    return SIMPLE_PROBABILITIES if domain == "(0, 1)" else SIMPLE_POSITIVE if domain == "positive" else SIMPLE_REALS


def counterexample(lhs: Expr, rhs: Expr, scope: Any, point: Point, variables: dict[str, Any],
                   deadline: limits.Deadline) -> dict:
    """The shrunk counterexample (JSON-ready) for a point where lhs ≠ rhs."""
    budget = limits.Deadline(max(0.05, min(SHRINK_SECONDS, deadline.remaining())), "shrinking")
    best = point
    try:
        if not point.indices:  # smaller sizes would change the free indices' ranges: keep these sizes
            best = _smaller(lhs, rhs, scope, point, variables, budget) or best
        best = _simpler_values(lhs, rhs, scope, best, budget)
    except Undecided:  # out of shrinking time: keep the best found so far
        pass
    return describe_point(lhs, rhs, scope, best, limits.Deadline(max(1.0, deadline.remaining()), "the counterexample"))


def _candidates(variables: dict[str, Any], scope: Any, sizes: dict[str, int], rng: random.Random):
    def filled(pick) -> Point:
        values = {}
        for k, (name, var) in enumerate(variables.items()):
            rows = 1 if var.shape[0] == 1 else sizes[var.shape[0]]
            cols = 1 if var.shape[1] == 1 else sizes[var.shape[1]]
            dom = scope.domains.get(name, "reals")
            values[name] = [[pick(dom, k, i, j) for j in range(cols)] for i in range(rows)]
        return Point(dict(sizes), values)

    yield filled(lambda dom, k, i, j: _choices(dom)[0] if dom != "reals" else Fraction(1))
    yield filled(lambda dom, k, i, j: _choices(dom)[0] if dom != "reals" else Fraction(1 + (k + i + 2 * j) % 3))
    for _ in range(6):
        yield filled(lambda dom, k, i, j: rng.choice(_choices(dom)[:5]))
    yield random_point(variables, scope, sizes, rng)


def _smaller(lhs, rhs, scope, point, variables, budget) -> Point | None:
    rng = random.Random(1)
    for sizes in all_sizes_up_to(point.sizes):
        for candidate in _candidates(variables, scope, sizes, rng):
            budget.check()
            if differs(lhs, rhs, scope, candidate, budget):
                return candidate
        if sizes == point.sizes:
            return None
    return None


def _simpler_values(lhs, rhs, scope, point: Point, budget) -> Point:
    values = {name: [list(row) for row in rows] for name, rows in point.values.items()}
    for name, rows in values.items():
        for i, row in enumerate(rows):
            for j, current in enumerate(row):
                for choice in _choices(scope.domains.get(name, "reals")):
                    if choice == current:
                        break
                    budget.check()
                    row[j] = choice
                    if differs(lhs, rhs, scope, Point(point.sizes, values, None, point.indices), budget):
                        current = choice
                        break
                    row[j] = current
    return Point(point.sizes, values, None, point.indices)


def describe_point(lhs: Expr, rhs: Expr, scope: Any, point: Point, deadline: limits.Deadline) -> dict:
    """Sizes, every value, the masks (if any random variable is free) and both sides, exactly."""
    cmp = compare_at(lhs, rhs, scope, point, deadline)
    ev = cmp.evaluator
    masks = ev.point.masks
    if masks is None and (free_random(lhs) | free_random(rhs)) and ev.mask_ids:
        masks = _differing_mask(cmp, ev)
        cmp = compare_at(lhs, rhs, scope, Point(point.sizes, point.values, masks, point.indices), deadline)
        ev = cmp.evaluator
    out: dict[str, Any] = {
        "sizes": dict(point.sizes),
        **({"indices": dict(point.indices)} if point.indices else {}),
        "values": {name: _layout([[str(v) for v in row] for row in point.values[name]], scope.variables[name].shape)
                   for name in scope.variables if name in point.values},
    }
    if masks is not None:
        out["masks"] = {rv: _layout(rows, scope.variables[rv].shape) for rv, rows in masks.items()}
    out["lhs"] = _layout([[ev.field.text(x) for x in row] for row in cmp.lhs], lhs.shape)
    out["rhs"] = _layout([[ev.field.text(x) for x in row] for row in cmp.rhs], rhs.shape)
    return out


def _differing_mask(cmp, ev) -> dict[str, list[list[int]]]:
    """A 0/1 mask where the sides differ: the smallest mask monomial of a nonzero difference."""
    f = ev.field
    chosen: frozenset = frozenset()
    for lrow, rrow in zip(cmp.lhs, cmp.rhs):
        for a, b in zip(lrow, rrow):
            diff = f.add(a, f.neg(b))
            if diff:
                chosen = min((m for (m, _r) in diff), key=len)
                break
        else:
            continue
        break
    return {rv: [[1 if mid in chosen else 0 for mid in row] for row in ids] for rv, ids in ev.mask_ids.items()}


def _layout(rows: list[list[Any]], shape: tuple) -> Any:
    """Scalars as a value, column vectors as a list, everything else as a list of rows."""
    if shape == (1, 1):
        return rows[0][0]
    if shape[1] == 1:
        return [row[0] for row in rows]
    return rows
