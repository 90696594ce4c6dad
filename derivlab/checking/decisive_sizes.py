"""Which sizes decide a step for EVERY size: index slots of the index normal form.

Written entry by entry, each side is a sum of monomials: products of entries of
the variables (X_ij, y_i, w_j, R_ij), Kronecker deltas (I, diag) and ones (𝟏),
each entry carrying at most two indices, summed over repeated indices. Split
every sum into sums over DISTINCT index values (set partitions): the difference
of the two sides becomes Σ_b c_b · S_b, where S_b sums a pattern of entries over
distinct indices and c_b does not depend on the sizes, except through free-floating
index sums of ones and identities (𝟏ᵀ𝟏 = n, tr I = d), which make c_b a polynomial
in the sizes of degree at most the number of such factors.

At a size s ≥ the number of distinct indices of that size in any monomial, the S_b
are distinct, linearly independent polynomials in the entries; so the step holds
at every size iff it holds at such a size, for as many consecutive sizes as the
degree of c_b in s plus one. A summed index occupies at least two slots, a free one
at least one: a monomial with k slots of size s, in a step with f free indices of
that size (its shape's, plus those of an entry-wise step; 0 for a scalar step), has
at most ⌈(k + f)/2⌉ distinct indices of that size.

Slots are counted like degrees (``bounds.py``): (numerator, denominator) per size,
the difference of two sides cross-multiplied. A matrix inverse has size-dependent
degree (adjugate over determinant): ``needs_inverse`` reports it, and the decision
says that such a step is tested, not proved, for every size.

    >>> from derivlab.checking.context import load_context
    >>> from derivlab.checking.parse import parse_expression
    >>> scope = load_context("dropout")
    >>> a = parse_expression(r"\\operatorname{tr}(X^\\top X)^3", scope)
    >>> decisive_sizes(a, a, scope)     # tr(XᵀX)³: 6 slots of n and of d
    [{'n': 3, 'd': 3}]
"""

from __future__ import annotations

from typing import Any

from derivlab.checking.expr import (
    Add, Const, DiagOf, DiagPart, Divide, Entry, Expectation, Expr, Gradient, Hadamard, Identity, Indicator, MatMul, Named,
    Neg, Norm, Ones, Power, Scale, Slice, Sum, Trace, Transpose, Var, dispatch, free_variables,
)
from derivlab.checking.failures import Undecided

MAX_DECISIVE_SIZE = 10     # a step that needs larger sizes to be decided is `unknown`
MAX_DECISIVE_ASSIGNMENTS = 6

Slots = dict[str, tuple[int, int, int]]  # size name -> (slots, ones slots, denominator slots)


def _merge(a: dict[str, int], b: dict[str, int], op) -> dict[str, int]:
    return {k: op(a.get(k, 0), b.get(k, 0)) for k in set(a) | set(b)}


def _scale(a: dict[str, int], k: int) -> dict[str, int]:
    return {s: k * v for s, v in a.items()}


class _Count:
    """(numerator slots, denominator slots, ones in the numerator) per size name, memoised by node."""

    def __init__(self) -> None:
        self.memo: dict[int, tuple[dict, dict, dict]] = {}
        self.inverse = False

    def go(self, e: Expr) -> tuple[dict, dict, dict]:
        key = id(e)
        if key not in self.memo:
            self.memo[key] = self._node(e)
        return self.memo[key]

    def _dims(self, e: Expr) -> dict[str, int]:
        out: dict[str, int] = {}
        for dim in e.shape:
            if dim != 1:
                out[dim] = out.get(dim, 0) + 1
        return out

    def _node(self, e: Expr) -> tuple[dict, dict, dict]:
        return dispatch(SLOTS, e, "index bound")(self, e)


_ADD = lambda x, y: x + y  # noqa: E731


def _add_slots(c: _Count, e) -> tuple[dict, dict, dict]:
    (na, da, oa), (nb, db, ob) = c.go(e.left), c.go(e.right)
    return (_merge(_merge(na, db, _ADD), _merge(nb, da, _ADD), max), _merge(da, db, _ADD),
            _merge(_merge(oa, db, _ADD), _merge(ob, da, _ADD), max))


def _product_slots(c: _Count, e) -> tuple[dict, dict, dict]:
    (na, da, oa), (nb, db, ob) = c.go(e.left), c.go(e.right)
    return _merge(na, nb, _ADD), _merge(da, db, _ADD), _merge(oa, ob, _ADD)


def _divide_slots(c: _Count, e) -> tuple[dict, dict, dict]:
    (na, da, oa), (nb, db, ob) = c.go(e.left), c.go(e.right)
    return _merge(na, db, _ADD), _merge(da, nb, _ADD), _merge(oa, ob, _ADD)


def _power_slots(c: _Count, e: Power) -> tuple[dict, dict, dict]:
    n, d, o = c.go(e.base)
    k = e.exponent
    times = -(-abs(k.numerator) // k.denominator)  # ⌈|k|⌉
    if k < 0 and not e.base.is_scalar:
        c.inverse = True
    if k < 0:
        return _scale(d, times), _scale(n, times), _scale(o, times)
    return _scale(n, times), _scale(d, times), _scale(o, times)


def _child(c: _Count, e) -> tuple[dict, dict, dict]:
    return c.go(e.children()[0])


def _index_sum_slots(c: _Count, e: Sum) -> tuple[dict, dict, dict]:
    """An explicit Σ over an index of size s: its index may sit in ONE slot (Σ_j X_ij) where a contraction
    has two, so it adds one slot of s; and unless the index is in every monomial of the body, a term may
    float free (Σ_i c = n c): two ones slots of s."""
    n, d, o = c.go(e.body)
    extra = {e.dim: 1} if e.dim not in (None, 1) else {}
    ones = {} if in_every_monomial(e.body, e.index) else _scale(extra, 2)
    return _merge(n, extra, _ADD), d, _merge(o, ones, _ADD)


def in_every_monomial(e: Expr, index: str) -> bool:
    """Conservative: True only when every monomial of ``e`` (expanded) has a DETERMINISTIC entry carrying
    ``index`` (so Σ over it never leaves a bare factor of the size). E[R_ij] = p does not count."""
    if isinstance(e, Add):
        return in_every_monomial(e.left, index) and in_every_monomial(e.right, index)
    if isinstance(e, (MatMul, Scale, Hadamard)):
        return in_every_monomial(e.left, index) or in_every_monomial(e.right, index)
    if isinstance(e, (Neg, Transpose, Expectation)):
        return in_every_monomial(e.children()[0], index)
    if isinstance(e, Divide):
        return in_every_monomial(e.left, index)
    if isinstance(e, Power):
        k = e.exponent
        return k.denominator == 1 and k >= 1 and in_every_monomial(e.base, index)
    if isinstance(e, Sum):
        return e.index != index and in_every_monomial(e.body, index)
    if isinstance(e, Entry):
        return index in (e.row, e.col) and not any(v.random for v in free_variables(e.arg).values())
    if isinstance(e, Slice):
        return e.index == index and not any(v.random for v in free_variables(e.arg).values())
    if isinstance(e, Indicator):  # Σ_i [i = j] f = f_j collapses; [i ≠ j] leaves (n − 1)
        return any(op == "=" and index in (a, b) for a, op, b in e.condition.relations)
    return False


SLOTS = {
    Var: lambda c, e: (c._dims(e), {}, {}),
    Const: lambda c, e: ({}, {}, {}),
    Ones: lambda c, e: (c._dims(e), {}, c._dims(e)),
    Identity: lambda c, e: (c._dims(e), {}, c._dims(e)),
    # ∂/∂w_j replaces one entry w_k by δ_kj: no slot more than the body (the free j is in the shape)
    Gradient: _child,
    Named: _child, Expectation: _child, Neg: _child, Transpose: _child, Trace: _child, DiagPart: _child,
    DiagOf: lambda c, e: (lambda n, d, o: (_merge(n, c._dims(e), _ADD), d, o))(*c.go(e.arg)),
    Add: _add_slots,
    MatMul: _product_slots, Scale: _product_slots, Hadamard: _product_slots,
    Divide: _divide_slots,
    Norm: _child,  # √(Σ v²): the sum of squares has twice the slots, its square root half of them
    Power: _power_slots,
    # entry-wise: an entry or a row keeps the slots of its matrix (its indices sit in them); a δ/indicator
    # only compares indices that sit elsewhere; free indices are added per step (``decisive_sizes``)
    Entry: _child, Slice: _child, Indicator: lambda c, e: ({}, {}, {}),
    Sum: _index_sum_slots,
}


def _difference(left: tuple[dict, dict, dict], right: tuple[dict, dict, dict]) -> tuple[dict, dict]:
    (nl, dl, ol), (nr, dr, or_) = left, right
    add = lambda x, y: x + y  # noqa: E731
    slots = _merge(_merge(nl, dr, add), _merge(nr, dl, add), max)
    ones = _merge(_merge(ol, dr, add), _merge(or_, dl, add), max)
    return slots, ones


def needs_inverse(lhs: Expr, rhs: Expr) -> bool:
    """Does the step invert a matrix (whose entries have a size-dependent degree)?"""
    count = _Count()
    count.go(lhs)
    count.go(rhs)
    return count.inverse


def decisive_sizes(lhs: Expr, rhs: Expr, scope: Any) -> list[dict[str, int]]:
    """Size assignments at which equality implies equality at every size (see the module text)."""
    from derivlab.checking.indices import free_indices

    count = _Count()
    slots, ones = _difference(count.go(lhs), count.go(rhs))
    for dim, _where in free_indices(lhs, rhs).values():  # each free index of an entry-wise step: one more slot
        if dim != 1:
            slots[dim] = slots.get(dim, 0) + 1
    names = list(scope.sizes)
    if not names:
        return [{}]
    # a summed index fills at least two slots, a free one at least one: ≤ ⌈(slots + free)/2⌉ distinct indices
    free = {s: sum(1 for dim in lhs.shape if dim == s) for s in names}
    start = {s: max(2, -(-(slots.get(s, 0) + free[s]) // 2)) for s in names}
    if count.inverse:  # adj/det: test one size beyond the polynomial bound (stated as tested, not proved)
        start = {s: v + 1 for s, v in start.items()}
    spans = {s: -(-ones.get(s, 0) // 2) + 1 for s in names}  # 𝟏ᵀ𝟏 = n, tr I = n: two slots per factor of n
    if count.inverse:  # sizes are tested, not proved, with an inverse: two consecutive sizes each, not the span
        spans = {s: min(v, 2) for s, v in spans.items()}
    grid: list[dict[str, int]] = [{}]
    for s in names:
        grid = [{**g, s: start[s] + i} for g in grid for i in range(spans[s])]
    biggest = max(max(g.values()) for g in grid)
    if biggest > MAX_DECISIVE_SIZE or len(grid) > MAX_DECISIVE_ASSIGNMENTS:
        need = ", ".join(f"{s} = {start[s]}" + (f"…{start[s] + spans[s] - 1}" if spans[s] > 1 else "") for s in names)
        raise Undecided(f"this step is too large to be decided for every size: it would have to be tested at {need} "
                        f"(the checker tests up to {MAX_DECISIVE_SIZE} and {MAX_DECISIVE_ASSIGNMENTS} size assignments)")
    return grid
