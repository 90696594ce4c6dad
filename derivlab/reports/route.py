"""Where on the course's route a step happens.

The route is the report's SymPy-verified dropout chain
(``derivlab.derivations.dropout_chain.matrix_derivation_chain``): expressions
e0 (the objective (2)) ... e10 (ordinary Tikhonov), move k taking e(k-1) to e(k)
by a named rule ("expand the square", "lemma E_R[(R ⊙ X)ᵀ(R ⊙ X)] = ...").

A student's step is placed on the route by the STRUCTURE of its left side: the
counts of expectations, norms, diag(·), Hadamard products, named quantities (Γ, λ)
and of w_new are compared with those of e0 ... e10, and the nearest expression
e(j) (ties: the earliest) says the student was at move j+1. No equality is
decided here (every expression of a valid chain from (2) has the same value).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from derivlab.checking.expr import (
    Add, DiagOf, DiagPart, Expectation, Expr, Hadamard, MatMul, Named, Norm, Power, Var, positions,
)

FEATURES = ("expectation", "norm", "diag", "hadamard", "named", "w_new", "sqrt", "add", "matmul")


@dataclass(frozen=True)
class RouteMove:
    """Move ``index`` of the route (1-based): the rule taking e(index-1) to e(index)."""

    index: int
    rule: str

    @property
    def label(self) -> str:
        return f"move {self.index}: {self.rule}"


def features(expr: Expr) -> tuple[int, ...]:
    """The structural signature of ``expr`` (see the module docstring), in ``FEATURES`` order."""
    counts = dict.fromkeys(FEATURES, 0)
    for _, node in positions(expr):  # a defined name counts once, not its expansion
        if isinstance(node, Expectation):
            counts["expectation"] += 1
        elif isinstance(node, Norm):
            counts["norm"] += 1
        elif isinstance(node, (DiagPart, DiagOf)):
            counts["diag"] += 1
        elif isinstance(node, Hadamard):
            counts["hadamard"] += 1
        elif isinstance(node, Named):
            counts["named"] += 1
        elif isinstance(node, Var) and node.name == "w_new":
            counts["w_new"] += 1
        elif isinstance(node, Power) and node.exponent.denominator == 2:
            counts["sqrt"] += 1
        elif isinstance(node, Add):
            counts["add"] += 1
        elif isinstance(node, MatMul):
            counts["matmul"] += 1
    return tuple(counts[f] for f in FEATURES)


#: how much each feature counts in the distance (the expectation/norm/diag structure leads).
_WEIGHTS = (8, 4, 4, 2, 3, 3, 2, 1, 0.25)


@lru_cache(maxsize=1)
def reference_route() -> tuple[tuple[tuple[int, ...], ...], tuple[str, ...]]:
    """(features of e0..eN, rules of moves 1..N) of the dropout route, computed once per process."""
    from derivlab.checking.context import load_context
    from derivlab.checking.parse import parse_expression
    from derivlab.derivations.dropout_chain import matrix_derivation_chain

    scope = load_context("dropout")
    steps = list(matrix_derivation_chain())
    return (tuple(features(parse_expression(s.latex, scope)) for s in steps),
            tuple(s.rule for s in steps[1:]))


def locate(step_features: tuple[int, ...] | list[int]) -> RouteMove:
    """The route move a step whose LEFT side has ``step_features`` attempts."""
    route, rules = reference_route()
    distances = [sum(w * abs(a - b) for w, a, b in zip(_WEIGHTS, step_features, ref)) for ref in route]
    nearest = min(range(len(route)), key=lambda j: (distances[j], j))
    if nearest >= len(rules):
        return RouteMove(len(rules) + 1, "beyond the route's last expression")
    return RouteMove(nearest + 1, rules[nearest])
