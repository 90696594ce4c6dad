"""The catalogue of known mistakes, matched against a wrong step.

Each entry either re-judges the step under a MISTAKEN semantics (E[R²] = p²; all
mask entries one coin) or UNDOES one plausible slip in the right-hand side (put
back a diag, a p, a sign, a √, a transpose, the right λ) and asks whether the
repaired step then holds. The first entry that explains the step gives the hint:
one sentence a student understands. Candidates are judged exactly at two random
points, within the step's time budget; no match means no hint.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, Callable, Iterator

from derivlab.checking import limits, shapes
from derivlab.checking.equivalence import compare_at, random_point
from derivlab.checking.exact import EvalError, Field
from derivlab.checking.expr import (
    Add, Const, DiagPart, Expectation, Expr, MatMul, Named, Neg, Norm, Transpose, Var, describe, free_random,
    free_variables, positions, replace_at, walk,
)
from derivlab.checking.failures import StepFailure

HINT_SECONDS = 1.5


class _Judge:
    """Does lhs = candidate hold? Exact comparison at two random points with distinct sizes."""

    def __init__(self, lhs: Expr, rhs: Expr, scope: Any, deadline: limits.Deadline):
        self.lhs, self.scope, self.deadline = lhs, scope, deadline
        rng = random.Random(7)
        names = {**free_variables(lhs), **free_variables(rhs)}
        for spec in scope.random.values():
            for expr in spec.parameter_exprs():
                names.update(free_variables(expr))
        variables = {n: v for n, v in names.items() if not v.random}
        sizes = scope.sizes
        assignments = [{s: 2 + i for i, s in enumerate(sizes)}, {s: 1 + len(sizes) - i for i, s in enumerate(sizes)}]
        self.points = [random_point(variables, scope, a, rng) for a in assignments]

    def holds(self, candidate: Expr, lhs: Expr | None = None, **mode: Any) -> bool:
        try:
            for point in self.points:
                self.deadline.check()
                m = {k: (v() if callable(v) else v) for k, v in mode.items()}
                if not compare_at(lhs or self.lhs, candidate, self.scope, point, self.deadline, **m).equal:
                    return False
            return True
        except (EvalError, StepFailure, KeyError):
            return False


def find_hint(lhs: Expr, rhs: Expr, scope: Any, deadline: limits.Deadline) -> str | None:
    """One sentence naming the known mistake that explains ``lhs = rhs``, or None."""
    budget = limits.Deadline(max(0.05, min(HINT_SECONDS, deadline.remaining())), "hints")
    judge = _Judge(lhs, rhs, scope, budget)
    aliases = getattr(scope, "aliases", {})  # laws written through Bernoulli coins (noise_laws)
    for check in (CATALOGUE if not aliases else LAW_AGNOSTIC):
        try:
            found = check(lhs, rhs, scope, judge)
        except StepFailure:
            return None
        if found:
            for name, coin in aliases.items():
                found = found.replace(coin, name)
            return found
    return None


# ---- the catalogue ------------------------------------------------------------------------------


def dropped_expectation(lhs: Expr, rhs: Expr, scope: Any, judge: _Judge) -> str | None:
    outside = sorted(free_random(rhs) - free_random(lhs))
    if outside:
        rv = outside[0]
        return (f"An expectation was dropped: {rv} is still random on the right (outside 𝔼), "
                f"but the left side has already averaged over it.")
    inside = sorted(free_random(lhs) - free_random(rhs))
    if inside:
        return f"The left side is random ({inside[0]} outside 𝔼) but the right is not: an 𝔼 appeared from nowhere."
    return None


def second_moment(lhs: Expr, rhs: Expr, scope: Any, judge: _Judge) -> str | None:
    if _has_expectation(lhs, rhs) and judge.holds(rhs, field=lambda: Field(idempotent=False)):
        spec = next(iter(scope.random.values()))
        rv, q = spec.name, spec.parameter_text
        entry = f"{rv}_i" if scope.variables[rv].shape[1] == 1 else f"{rv}_ij"
        q = q if spec.parameter.is_scalar else f"{q}_j"  # a keep probability per column
        return f"E[{entry}²] = {q}, not {q}²: a mask entry is 0 or 1, so {entry}² = {entry}."
    return None


def dropped_diag(lhs: Expr, rhs: Expr, scope: Any, judge: _Judge) -> str | None:
    message = ("The diag was dropped: E[(R⊙X)ᵀ(R⊙X)] = p² XᵀX + p(1−p) diag(XᵀX); only the diagonal "
               "gets the extra p(1−p), because different entries of R are independent.")
    p = _parameter(scope)
    if p is not None and not p.is_scalar:  # a keep probability per column
        message = ("The diag was dropped: E[(R⊙X)ᵀ(R⊙X)] = diag(p) XᵀX diag(p) + diag(p⊙(𝟏−p)) diag(XᵀX); only "
                   "the diagonal gets the extra p_j(1−p_j), because different entries of R are independent.")
    if _has_expectation(lhs, rhs) and judge.holds(rhs, shared_coin=True):
        return message
    for path, node in positions(rhs):
        if isinstance(node, MatMul):
            for candidate, run in _diag_insertions(node):
                if judge.holds(replace_at(rhs, path, candidate)):
                    return message if len(run) == 2 else f"A diag(·) is missing around `{' '.join(run)}`."
    return None


def _diag_insertions(node: MatMul) -> Iterator[tuple[Expr, list[str]]]:
    """``node`` (a product chain A₁A₂…A_k) with diag(·) around each square run A_i…A_j."""
    factors = _product_factors(node)
    for i in range(len(factors)):
        for j in range(i + 2, len(factors) + 1):
            run = factors[i:j]
            if run[0].shape[0] != run[-1].shape[1] or run[0].shape[0] == 1:
                continue
            inner = _chain(run)
            if isinstance(inner, DiagPart):
                continue
            try:
                yield _chain(factors[:i] + [shapes.diag(inner)] + factors[j:]), [describe(f) for f in run]
            except StepFailure:
                continue


def _product_factors(node: Expr) -> list[Expr]:
    if isinstance(node, MatMul):
        return _product_factors(node.left) + _product_factors(node.right)
    return [node]


def _chain(factors: list[Expr]) -> Expr:
    out = factors[0]
    for f in factors[1:]:
        out = shapes.product(out, f)
    return out


def wrong_scalar_factor(lhs: Expr, rhs: Expr, scope: Any, judge: _Judge) -> str | None:
    candidates = _factor_candidates(scope)
    for path, node, inside_norm in _parameter_factors(rhs, scope):
        for label, cand in candidates:
            if cand == node or not judge.holds(replace_at(rhs, path, cand)):
                continue
            written = describe(node)
            was = next((lab for lab, c in candidates if judge.holds(c, lhs=node)), None)
            if label.startswith("√") and inside_norm:
                return (f"Inside the norm the factor must be √λ, not `{written}`: ‖√λ Γ w‖² = λ ‖Γ w‖², "
                        f"the square comes out of the norm.")
            if label.startswith("(1−") and was and was.startswith("p/"):
                return f"λ = (1−p)/p, not p/(1−p): the factor `{written}` is inverted."
            shown = f"`{written}`" + (f" (= {was})" if was and was != written else "")
            return f"The factor {shown} should be {label} here."
    return None


def missing_keep_probability(lhs: Expr, rhs: Expr, scope: Any, judge: _Judge) -> str | None:
    p = _parameter(scope)
    if p is None or not p.is_scalar:  # a keep probability per column is no scalar factor
        return None
    for path, node in positions(rhs):
        if isinstance(node, Var) and not node.random and not node.is_scalar:
            if judge.holds(replace_at(rhs, path, shapes.product(p, node))):
                return (f"A factor {describe(p)} is missing next to {node.name}: the mean of R ⊙ {node.name} "
                        f"is {describe(p)}{node.name}, not {node.name}.")
            if judge.holds(replace_at(rhs, path, shapes.divide(node, p))):
                return f"There is one factor {describe(p)} too many next to {node.name}."
    return None


def sign_error(lhs: Expr, rhs: Expr, scope: Any, judge: _Judge) -> str | None:
    for path, node in positions(rhs):
        if isinstance(node, Neg) and judge.holds(replace_at(rhs, path, node.arg)):
            return f"Sign error: the term `{describe(node.arg)}` should be added, not subtracted."
        if isinstance(node, Add) and not isinstance(node.right, Neg):
            if judge.holds(replace_at(rhs, path + (1,), shapes.negate(node.right))):
                return f"Sign error: the term `{describe(node.right)}` should be subtracted, not added."
    return None


def factor_two(lhs: Expr, rhs: Expr, scope: Any, judge: _Judge) -> str | None:
    two = Const((1, 1), "2", Fraction(2))
    for path, node in _terms(rhs):
        if judge.holds(replace_at(rhs, path, shapes.product(two, node))):
            return f"The term `{describe(node)}` is missing a factor 2 (the cross term of a square appears twice)."
        if judge.holds(replace_at(rhs, path, shapes.divide(node, two))):
            return f"The term `{describe(node)}` has a factor 2 too many."
    return None


def misplaced_transpose(lhs: Expr, rhs: Expr, scope: Any, judge: _Judge) -> str | None:
    for path, node in positions(rhs):
        if isinstance(node, Transpose) and node.arg.shape == node.shape:
            if judge.holds(replace_at(rhs, path, node.arg)):
                return f"A transpose is misplaced: `{describe(node)}` should be `{describe(node.arg)}`."
        if isinstance(node, Var) and node.shape[0] == node.shape[1] and not node.is_scalar:
            if judge.holds(replace_at(rhs, path, shapes.transpose(node))):
                return f"A transpose is missing on {node.name}."
    return None


CATALOGUE: tuple[Callable[..., str | None], ...] = (
    dropped_expectation, second_moment, dropped_diag, wrong_scalar_factor, missing_keep_probability,
    sign_error, factor_two, misplaced_transpose,
)
# The mistaken semantics above (E[R²] = p², one shared coin, the keep probability) describe Bernoulli
# masks; a context whose noise is lowered to coins gets only the hints that do not depend on the law.
LAW_AGNOSTIC: tuple[Callable[..., str | None], ...] = (dropped_expectation, sign_error, factor_two, misplaced_transpose)


# ---- helpers ---------------------------------------------------------------------------------------


def _has_expectation(lhs: Expr, rhs: Expr) -> bool:
    return any(isinstance(n, Expectation) for n in walk(lhs)) or any(isinstance(n, Expectation) for n in walk(rhs))


def _parameter(scope: Any) -> Expr | None:
    specs = list(scope.random.values())
    return specs[0].parameter if specs else None


_FACTORS = (  # (LaTeX template, label) with {q} the Bernoulli parameter
    ("{q}", "p"), ("1-{q}", "1−p"), ("{q}^2", "p²"), ("{q}(1-{q})", "p(1−p)"),
    ("\\frac{1-{q}}{{q}}", "(1−p)/p = λ"), ("\\frac{{q}}{1-{q}}", "p/(1−p)"), ("\\frac{1}{{q}}", "1/p"),
    ("(1-{q})^2", "(1−p)²"), ("\\sqrt{\\frac{1-{q}}{{q}}}", "√λ = √((1−p)/p)"), ("\\frac{1-{q}}{{q}^2}", "(1−p)/p²"),
    ("1", "1"),
)


def _factor_candidates(scope: Any) -> list[tuple[str, Expr]]:
    from derivlab.checking.parse import parse_expression

    specs = list(scope.random.values())
    if not specs or not specs[0].parameter.is_scalar:  # the templates are scalar in the keep probability
        return []
    q = specs[0].parameter_text
    out = []
    for template, label in _FACTORS:
        try:
            expr = parse_expression(template.replace("{q}", f"({q})" if len(q) > 1 else q), scope)
        except StepFailure:
            continue
        out.append((label.replace("p", q) if q != "p" else label, expr))
    return out


def _parameter_factors(rhs: Expr, scope: Any) -> Iterator[tuple[tuple[int, ...], Expr, bool]]:
    """Maximal scalar sub-expressions that depend on the Bernoulli parameters only (p(1−p), λ, p²)."""
    params = {n for spec in scope.random.values() for n in free_variables(spec.parameter)}
    stack: list[tuple[tuple[int, ...], Expr, bool]] = [((), rhs, False)]
    while stack:
        path, node, in_norm = stack.pop()
        names = set(free_variables(node))
        if node.is_scalar and names and names <= params and not isinstance(node, Const):
            yield path, node, in_norm
            continue
        if isinstance(node, Named):
            continue
        inside = in_norm or isinstance(node, Norm)
        kids = node.children()
        stack.extend((path + (i,), kids[i], inside) for i in reversed(range(len(kids))))


def _terms(expr: Expr) -> list[tuple[tuple[int, ...], Expr]]:
    """(path, summand) for the summands of ``expr`` (through + and −)."""
    out, stack = [], [((), expr)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, Add):
            stack.extend([(path + (1,), node.right), (path + (0,), node.left)])
        elif isinstance(node, Neg):
            stack.append((path + (0,), node.arg))
        else:
            out.append((path, node))
    return out
