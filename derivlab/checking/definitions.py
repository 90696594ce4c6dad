"""Which student definitions may be used: no definition may change what the problem means.

A definition ``name = body`` is accepted when it

* names something new (``P = R \\odot X``), with a body of bounded size once inlined;
* restates a defined name (``\\Gamma = \\operatorname{diag}(X^\\top X)^{1/2}``) or gives it the
  student's own value: the steps are judged with it, so a wrong λ shows as a wrong step, while the
  chain's ends (2) and (4) are always judged with the context's Γ and λ (``reports.endpoints``);
* substitutes a declared deterministic variable by an expression of ANOTHER variable of
  the same shape that really depends on it (``\\tilde w = w_{new}/p``);
* gives a declared SCALAR a number (``p = \\frac12``): the later steps are judged at that value, while
  the chain's ends keep the general problem (``reports.endpoints`` never replays a numeric value), so a
  specialised derivation cannot reach (2) or (4).

Refused, with the reason (the definition is then not used and the steps are read with the
context's meaning): anything about the random mask, a body that mentions the variable it replaces
(``X = 0X``, ``w = w``), a substitution by an expression of other kinds of variable only
(``y = Xw``: the problem would be a special case) or by a constant (``\\tilde w = w - w``:
the problem degenerates).

    >>> from derivlab.checking.context import load_context
    >>> from derivlab.checking.parse import parse_expression
    >>> scope = load_context("dropout")
    >>> definition_problem(scope, "X", parse_expression("0 X", scope), "X")
    'it makes X depend on itself'
"""

from __future__ import annotations

from fractions import Fraction

from derivlab.checking import limits
from derivlab.checking.expr import (
    Const,
    Expr,
    Named,
    Ones,
    Var,
    free_variables,
    map_tree,
    walk,
)
from derivlab.checking.failures import StepFailure
from derivlab.checking.shapes import add, hadamard

MAX_INLINED_NODES = 4_000  # a definition's body with every definition inlined
SECONDS = 2.0              # to decide a restatement or a dependence


def inlined_size(expr: Expr, cap: int = MAX_INLINED_NODES) -> int:
    """Nodes of ``expr`` with definitions inlined, counted up to ``cap + 1`` (never walks further)."""
    count = 0
    for _ in walk(expr):
        count += 1
        if count > cap:
            break
    return count


def definition_problem(scope, key: str, body: Expr, label: str) -> str | None:
    """Why ``label`` (lookup key ``key``) may not be defined as ``body`` in ``scope``; None if it may."""
    if inlined_size(body) > MAX_INLINED_NODES:
        return f"its body has more than {MAX_INLINED_NODES} terms once the definitions in it are inlined"
    old = scope.lookup(key)
    used = free_variables(body)
    if old is None:
        return None
    if isinstance(old, Var) and old.random:
        return f"{label} is the random mask of the problem; it cannot be redefined"
    if not isinstance(old, Var):
        return None  # a restatement, or the student's own (maybe wrong) λ or Γ: the steps are judged with it
    if old.name in used:
        return f"it makes {label} depend on itself"
    if any(v.random for v in used.values()):
        return f"a substitution may not make {label} random (write the expectation in the steps)"
    if old.is_scalar and not used:  # p = 1/2: a numeric specialisation the steps are judged under (never the ends)
        return None
    others = [v for v in used.values() if v.shape == old.shape]
    if not others:
        return (f"{label} may only be substituted by an expression of another variable of its shape "
                f"({old.shape[0]}×{old.shape[1]}); this one would make the problem a special case")
    if not any(_depends(body, v, scope) for v in others):
        return f"the substitution makes {label} a constant, which degenerates the problem"
    return None


def _depends(body: Expr, var: Var, scope) -> bool:
    """``body`` changes when ``var`` moves to 2·var + 𝟏 (an affine move under which only constants stay put)."""
    from derivlab.checking.equivalence import decide

    moved = add(hadamard(Const((1, 1), value=Fraction(2)), var), Ones(var.shape))
    shifted = map_tree(body, lambda node: moved if node == var else None)
    try:
        return decide(body, shifted, scope, deadline=limits.Deadline(SECONDS, "a definition")).verdict == "invalid"
    except StepFailure:
        return False


def strip_names(expr: Expr) -> Expr:
    """``expr`` with definition names dropped (Γ and its expansion compare equal)."""
    return map_tree(expr, lambda node: strip_names(node.body) if isinstance(node, Named) else None)
