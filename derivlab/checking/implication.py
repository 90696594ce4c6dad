"""Implication steps: a CONDITION on the unknown, then what follows from it.

``2Aw − 2pXᵀy = 0 ⟹ w = pA⁻¹Xᵀy``: the condition F(w) = lhs − rhs = 0 is affine in the unknown w
(``variable_degree``), F(w) = Mw + b with M square. At a test point (every other variable a random rational,
as in ``equivalence``) M and b are read off exactly (F at 0 and at the unit vectors, and checked at a random w),
the unique solution w* = −M⁻¹b is computed exactly, and the conclusion is evaluated at w*: a difference is a
counterexample (the values, the solution w*, both sides of the conclusion there); equality at every point is
``valid`` — when M is invertible, which the method says. A point where M is singular is resampled; a condition
that is singular everywhere does not determine w (``unknown``). ``⟺`` is checked both ways.

The solution is a rational function of the other variables (adjugate over determinant), so, as for a step with
an inverse, the sizes are TESTED (those of ``equivalence`` and the decisive sizes of the conclusion), and the
verdict states that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from derivlab.checking import limits, shapes
from derivlab.checking.decisive_sizes import decisive_sizes
from derivlab.checking.equivalence import Outcome, _small_value, random_point, size_assignments
from derivlab.checking.evaluate import Matrix, Point, make_evaluator
from derivlab.checking.exact import EvalError, NonPolynomial
from derivlab.checking.expr import Const, Expr, Gradient, Scale, Var, free_random, free_variables, shape_text, walk
from derivlab.checking.failures import IllTyped, Undecided
from derivlab.checking.variable_degree import degree_in

RESAMPLES = 6
SMALL_POINTS = 4   # small-value points per size tried first, for a counterexample a student can check
RANDOM_POINTS = 2  # random rational points per size


@dataclass(frozen=True)
class Equation:
    """lhs = rhs, typed; ``text`` as the student wrote it."""

    lhs: Expr
    rhs: Expr
    text: str = ""

    def difference(self) -> Expr:
        return shapes.add(self.lhs, self.rhs, minus=True)


def is_zero(expr: Expr) -> bool:
    """The number 0, or the zero array a bare 0 was read as (``shapes.zero_like``)."""
    if isinstance(expr, Const):
        return expr.value == 0
    return isinstance(expr, Scale) and isinstance(expr.left, Const) and expr.left.value == 0


def unknown_of(condition: Equation, conclusion: Equation | None, scope: Any) -> Var | None:
    """What the implication solves for: the bare variable the conclusion starts with (w = …) when the condition
    involves it, else the context's declared unknown, else the variable of a gradient in the condition."""
    lhs = conclusion.lhs if conclusion is not None else None
    in_condition = {**free_variables(condition.lhs), **free_variables(condition.rhs)}
    if isinstance(lhs, Var) and not lhs.random and lhs.name not in free_variables(conclusion.rhs) \
            and lhs.name in in_condition:
        return lhs
    declared = getattr(scope, "unknowns", ())
    if len(declared) == 1 and declared[0] in scope.variables:
        return scope.variables[declared[0]]
    grads = {n.wrt for side in (condition.lhs, condition.rhs) for n in walk(side) if isinstance(n, Gradient)}
    if len(grads) == 1:
        return scope.variables.get(grads.pop())
    return None


def is_condition(condition: Equation, conclusion: Equation | None, scope: Any, *, concluded: bool = False
                 ) -> Var | None:
    """The unknown when ``condition`` is an equation to solve (not an identity claim), else None.

    It is one when it is a system for the unknown u (the shape of u, depending on u) and either one side is
    zero (∇f = 0, Aw − b = 0), or the conclusion is u = … and the condition takes no derivative (Aw = b ⟹ w = …),
    or it was itself ``concluded`` by an implication (w = A⁻¹b ⟹ pw = …). A gradient set equal to anything but zero
    is a claim about the gradient, checked as an identity."""
    u = unknown_of(condition, conclusion, scope)
    if u is None or condition.lhs.shape != u.shape or condition.rhs.shape != u.shape:
        return None
    names = {**free_variables(condition.lhs), **free_variables(condition.rhs)}
    if u.name not in names:
        return None
    if concluded or is_zero(condition.lhs) or is_zero(condition.rhs):
        return u
    explicit = conclusion is not None and isinstance(conclusion.lhs, Var) and conclusion.lhs.name == u.name
    derivative = any(isinstance(n, Gradient) for side in (condition.lhs, condition.rhs) for n in walk(side))
    return u if explicit and not derivative else None


def decide_implication(condition: Equation, conclusion: Equation, unknown: Var, scope: Any, *, both_ways: bool = False,
                       seed: int = 0, deadline: limits.Deadline | None = None) -> Outcome:
    """valid / invalid (with a counterexample) for "condition ⟹ conclusion" (and back, with ``both_ways``)."""
    deadline = deadline or limits.Deadline(limits.STEP_SECONDS)
    if conclusion.lhs.shape != conclusion.rhs.shape:
        raise IllTyped(f"the two sides of the conclusion have different shapes: {shape_text(conclusion.lhs.shape)} "
                       f"and {shape_text(conclusion.rhs.shape)}")
    first = _one_way(condition, conclusion, unknown, scope, seed, deadline)
    if first.verdict != "valid" or not both_ways:
        return first
    back = _one_way(conclusion, condition, unknown, scope, seed + 1, deadline)
    if back.verdict != "valid":
        return replace(back, message="the converse fails: " + back.message)
    return replace(first, method=first.method.replace("⟹", "⟺") + "; and the converse likewise")


def _one_way(condition: Equation, conclusion: Equation, u: Var, scope: Any, seed: int,
             deadline: limits.Deadline) -> Outcome:
    system, target = condition.difference(), conclusion.difference()
    target_sides = conclusion
    if system.shape != u.shape:
        raise Undecided(f"the condition is {shape_text(system.shape)}, not a system for {u.name} "
                        f"({shape_text(u.shape)})")
    degree = degree_in(system, u.name)
    if degree is None or degree > 1:
        raise Undecided(f"derivlab solves conditions that are linear in {u.name}; this one is not")
    if degree == 0:
        raise Undecided(f"the condition does not involve {u.name}, so it does not determine it")
    if free_random(system) | free_random(target):
        raise Undecided("a random variable outside every expectation in an implication")
    variables = {n: v for side in (system, target) for n, v in free_variables(side).items()
                 if not v.random and n != u.name}
    for spec in scope.random.values():
        for expr in spec.parameter_exprs():
            variables.update({n: v for n, v in free_variables(expr).items() if not v.random})
    rng = random.Random(seed)
    assignments = size_assignments(scope.sizes)
    try:
        extra = decisive_sizes(conclusion.lhs, conclusion.rhs, scope)
    except Undecided:
        extra = []
    assignments += [a for a in extra if a not in assignments]
    singular = tried = 0
    for sizes in assignments:
        for _ in range(RANDOM_POINTS):
            deadline.check()
            tried += 1
            point = random_point(variables, scope, sizes, rng)
            try:
                found = _at_point(system, target_sides, u, scope, point, deadline)
            except EvalError:
                singular += 1
                continue
            if found is not None:
                found = _simpler(system, target_sides, u, scope, variables, assignments, sizes, deadline) or found
                return Outcome("invalid", "the condition solved exactly at a point, the conclusion evaluated there",
                               f"the solution of the condition does not satisfy the conclusion, e.g. at "
                               f"{_sizes_text(found['sizes'])} (see the counterexample)", None, found,
                               tuple(assignments))
    if singular >= tried - 1:
        raise Undecided(f"the condition does not determine {u.name}: its matrix was singular at every point tried")
    tested = ", ".join(_sizes_text(a) for a in assignments)
    method = (f"implication ⟹: the condition is linear in {u.name}; its unique solution (when its matrix is "
              f"invertible) computed exactly and the conclusion checked there, at {RANDOM_POINTS} random rational "
              f"points at each size in {tested}; TESTED at these sizes, "
              f"not proved for every size")
    return Outcome("valid", method, "the conclusion holds at the solution of the condition at every test point; "
                                    "needs the matrix of the condition to be invertible", None, None,
                   tuple(assignments))


def _simpler(system, target, u, scope, variables, assignments, up_to, deadline) -> dict | None:
    """A counterexample with small values at the smallest sizes where one exists (for checking by hand)."""
    rng = random.Random(7)
    budget = limits.Deadline(min(1.0, max(0.05, deadline.remaining() / 2)), "shrinking")
    for sizes in sorted(assignments, key=lambda a: sum(a.values())):
        if sum(sizes.values()) > sum(up_to.values()):
            break
        for _ in range(SMALL_POINTS):
            if budget.remaining() <= 0:
                return None
            try:
                found = _at_point(system, target, u, scope, _point(variables, scope, sizes, rng, small=True), budget)
            except (EvalError, Undecided):
                continue
            if found is not None:
                return found
    return None


def _sizes_text(sizes: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sizes.items()) or "these values"


def _point(variables: dict[str, Any], scope: Any, sizes: dict[str, int], rng: random.Random, *, small: bool) -> Point:
    if not small:
        return random_point(variables, scope, sizes, rng)
    values = {}
    for name, var in variables.items():
        rows = 1 if var.shape[0] == 1 else sizes[var.shape[0]]
        cols = 1 if var.shape[1] == 1 else sizes[var.shape[1]]
        values[name] = [[_small_value(scope.domains.get(name, "reals"), rng) for _ in range(cols)]
                        for _ in range(rows)]
    return Point(dict(sizes), values)


def _at_point(system: Expr, target: Equation, u: Var, scope: Any, point: Point, deadline: limits.Deadline
              ) -> dict | None:
    """None when the conclusion holds at the condition's solution; else the counterexample. EvalError: singular."""
    rows = 1 if u.shape[0] == 1 else point.sizes[u.shape[0]]
    cols = 1 if u.shape[1] == 1 else point.sizes[u.shape[1]]
    values = dict(point.values)
    values[u.name] = [[Fraction(0)] * cols for _ in range(rows)]
    ev = make_evaluator(Point(point.sizes, values), scope, deadline=deadline)
    f = ev.field

    def at(expr: Expr, vector: list) -> Matrix:
        ev.env[u.name] = [[vector[i * cols + j] for j in range(cols)] for i in range(rows)]
        ev.forget(expr, u.name)
        try:
            return ev.value(expr)
        except NonPolynomial:
            raise Undecided("the condition is not polynomial in the masks") from None

    def flat(m: Matrix) -> list:
        return [x for row in m for x in row]

    count = rows * cols
    zeros = [f.const(0)] * count
    b = flat(at(system, zeros))
    columns = []
    for k in range(count):
        unit = [f.const(1 if i == k else 0) for i in range(count)]
        columns.append([f.add(x, f.neg(y)) for x, y in zip(flat(at(system, unit)), b)])
    probe_rng = random.Random(count)
    probe = [f.const(Fraction(probe_rng.randint(-9, 9), probe_rng.choice((1, 2, 3)))) for _ in range(count)]
    predicted = list(b)
    for k in range(count):
        predicted = [f.add(acc, f.mul(columns[k][i], probe[k])) for i, acc in enumerate(predicted)]
    if flat(at(system, probe)) != predicted:
        raise Undecided(f"the condition is not affine in {u.name}")
    matrix = [[columns[k][i] for k in range(count)] for i in range(count)]  # M[i][k]
    inverse = ev._inverse(matrix)  # EvalError when singular
    solution = [f.neg(_dot(f, inverse[i], b)) for i in range(count)]
    if all(not x for x in flat(at(target.difference(), solution))):
        return None
    sides = [[[f.text(x) for x in row] for row in at(side, solution)] for side in (target.lhs, target.rhs)]
    return _counterexample(point, scope, u, solution, sides, target, f, rows, cols)


def _dot(f, row: list, vector: list):
    acc = f.const(0)
    for x, y in zip(row, vector):
        if x and y:
            acc = f.add(acc, f.mul(x, y))
    return acc


def _counterexample(point: Point, scope: Any, u: Var, solution: list, sides: list, target: Equation, f, rows: int,
                    cols: int) -> dict:
    from derivlab.checking.shrink import _layout

    def shaped(items: list) -> Any:
        return _layout([[f.text(items[i * cols + j]) for j in range(cols)] for i in range(rows)], u.shape)

    return {
        "sizes": dict(point.sizes),
        "values": {name: _layout([[str(v) for v in row] for row in point.values[name]], scope.variables[name].shape)
                   for name in scope.variables if name in point.values},
        "solution": {u.name: shaped(solution)},  # of the condition, at these values
        "lhs": _layout(sides[0], target.lhs.shape),  # the conclusion's two sides at that solution
        "rhs": _layout(sides[1], target.rhs.shape),
    }
