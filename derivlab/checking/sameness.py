r"""Are the two sides of a step the same expression? (Such a step neither earns nor costs points.)

"The same" is decided on the parsed trees after a SHALLOW clean-up that undoes padding
only: definition names dropped (Γ and its expansion are the same), sums flattened and
reordered, zero terms dropped (``+ 0``, ``+ 0 \cdot y^\top y``), a term and its negative
cancelled (``+ p - p``), factors 1 and exponents 1 dropped, double transposes and
negations undone, constants folded. Real algebra (expanding a square, linearity of 𝔼)
changes the tree and is never called the same.

    >>> from derivlab.checking.context import load_context
    >>> from derivlab.checking.parse import parse_expression
    >>> scope = load_context("dropout")
    >>> same_expression(parse_expression("p", scope), parse_expression(r"1 \cdot p + 0 + y^\top y - y^\top y", scope))
    True
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from derivlab.checking.expr import (
    Add,
    Const,
    Divide,
    Expr,
    Hadamard,
    MatMul,
    Named,
    Neg,
    Power,
    Scale,
    Transpose,
    map_tree,
)

MAX_NODES = 4_000


def same_expression(left: Expr, right: Expr) -> bool:
    """True when ``left`` and ``right`` are the same expression up to padding (see the module)."""
    from derivlab.checking.definitions import inlined_size

    if inlined_size(left, MAX_NODES) > MAX_NODES or inlined_size(right, MAX_NODES) > MAX_NODES:
        return left == right
    return _terms(clean(left)) == _terms(clean(right))


def clean(expr: Expr) -> Expr:
    """``expr`` with names inlined and padding undone, bottom-up."""
    return map_tree(expr, _clean_node)


def _clean_node(node: Expr) -> Expr | None:
    if isinstance(node, Named):
        return clean(node.body)
    kids = node.children()
    if not kids:
        return None
    node = map_tree(node, lambda n: None if n is node else clean(n))
    if isinstance(node, Neg):
        if isinstance(node.arg, Neg):
            return node.arg.arg
        if _const(node.arg) is not None:
            return Const(node.shape, value=-_const(node.arg))
    if isinstance(node, Transpose) and isinstance(node.arg, Transpose):
        return node.arg.arg
    if isinstance(node, Transpose) and node.arg.is_scalar and _const(node.arg) is not None:
        return node.arg
    if isinstance(node, Power) and node.exponent == 1:
        return node.base
    if isinstance(node, (Scale, MatMul)) and node.left.is_scalar and _const(node.left) == 1 and \
            node.right.shape == node.shape:
        return node.right
    if isinstance(node, MatMul) and node.right.is_scalar and _const(node.right) == 1 and node.left.shape == node.shape:
        return node.left
    if isinstance(node, Divide) and _const(node.right) == 1:
        return node.left
    if isinstance(node, (Scale, MatMul, Divide)) and node.is_scalar:
        a, b = _const(node.left), _const(node.right)
        if a is not None and b is not None and not (isinstance(node, Divide) and b == 0):
            return Const(node.shape, value=a / b if isinstance(node, Divide) else a * b)
    if isinstance(node, (Scale, MatMul, Hadamard)) and (_is_zero(node.left) or _is_zero(node.right)) or \
            isinstance(node, (Transpose, Neg)) and _is_zero(node.arg):
        return Const(node.shape, value=Fraction(0)) if node.is_scalar else _zero_marker(node)
    return node


def _zero_marker(node: Expr) -> Expr:
    """A zero array of ``node``'s shape, as 0 · (the node) so that sums can drop it."""
    return Scale(node.shape, "", Const((1, 1), value=Fraction(0)), node)


def _const(expr: Expr) -> Fraction | None:
    return expr.value if isinstance(expr, Const) else None


def _is_zero(expr: Expr) -> bool:
    return _const(expr) == 0 or (isinstance(expr, Scale) and _const(expr.left) == 0)


def _terms(expr: Expr) -> Counter:
    """The signed terms of a flattened sum, with zeros dropped and opposite terms cancelled."""
    signed: Counter = Counter()
    stack = [(expr, 1)]
    constant = Fraction(0)
    while stack:
        node, sign = stack.pop()
        if isinstance(node, Add):
            stack.extend(((node.left, sign), (node.right, sign)))
        elif isinstance(node, Neg):
            stack.append((node.arg, -sign))
        elif _const(node) is not None and node.is_scalar:
            constant += sign * node.value
        elif not _is_zero(node):
            signed[node] += sign
    if constant:
        signed[Const((1, 1), value=constant)] += 1
    return Counter({term: n for term, n in signed.items() if n})
