"""The degree of an expression in ONE variable, or None when it is not a polynomial in it.

A gradient is judged exactly by interpolation (``evaluate.Evaluator._gradient``): a polynomial of degree k
in w is known along each coordinate from k + 1 values, so its partial derivative at w is an exact
rational combination of them. That is sound only for a polynomial, so everything that is not one in w
(an unsquared norm of something that depends on w, a root, an inverse or a division by something that
depends on w) is None, and the gradient is refused as ``unknown``.

    >>> from derivlab.checking.context import load_context
    >>> from derivlab.checking.parse import parse_expression
    >>> scope = load_context("dropout")
    >>> degree_in(parse_expression(r"\\|y - Xw\\|^2 + w^\\top w", scope), "w")
    2
    >>> degree_in(parse_expression(r"\\|y - Xw\\|", scope), "w") is None
    True
"""

from __future__ import annotations

from typing import Callable, Optional

from derivlab.checking.expr import (
    Add, Const, DiagOf, DiagPart, Divide, Entry, Expectation, Expr, Gradient, Hadamard, Identity, Indicator, MatMul,
    Named, Neg, Norm, Ones, Power, Scale, Slice, Sum, Trace, Transpose, Var, dispatch,
)

Degree = Optional[int]


def degree_in(expr: Expr, name: str) -> Degree:
    """Degree of ``expr``'s entries as a polynomial in the entries of the variable ``name`` (None: not one)."""
    memo: dict[int, Degree] = {}

    def go(e: Expr) -> Degree:
        key = id(e)
        if key not in memo:
            memo[key] = dispatch(VARIABLE_DEGREE, e, "variable degree")(e, go, name)
        return memo[key]

    return go(expr)


def _both(combine: Callable[[int, int], int]):
    def rule(e, go, name) -> Degree:
        a, b = go(e.left), go(e.right)
        return None if a is None or b is None else combine(a, b)
    return rule


def _child(e, go, name) -> Degree:
    return go(e.children()[0])


def _constant_only(e, go, name) -> Degree:
    """A function that is not a polynomial (a root): fine of a constant, None of anything depending on w."""
    inner = go(e.children()[0])
    return None if inner != 0 else 0


def _divide(e, go, name) -> Degree:
    a, b = go(e.left), go(e.right)
    return None if a is None or b != 0 else a


def _power(e: Power, go, name) -> Degree:
    k = e.exponent
    if isinstance(e.base, Norm):  # ‖v‖^(2m) = (vᵀv)^m
        inner = go(e.base.arg)
        if inner == 0:
            return 0
        if inner is None or k.denominator != 1 or k < 0 or k % 2:
            return None
        return inner * int(k)
    base = go(e.base)
    if base == 0:
        return 0
    if base is None or k.denominator != 1 or k < 0:
        return None
    return base * int(k)


def _gradient(e: Gradient, go, name) -> Degree:
    inner = go(e.body)
    if inner is None:
        return None
    return max(0, inner - 1) if e.wrt == name else inner


VARIABLE_DEGREE = {
    Var: lambda e, go, name: 1 if e.name == name else 0,
    Const: lambda e, go, name: 0, Ones: lambda e, go, name: 0, Identity: lambda e, go, name: 0,
    Indicator: lambda e, go, name: 0,
    Add: _both(max), MatMul: _both(lambda a, b: a + b), Scale: _both(lambda a, b: a + b),
    Hadamard: _both(lambda a, b: a + b), Divide: _divide,
    Neg: _child, Transpose: _child, DiagPart: _child, DiagOf: _child, Trace: _child, Expectation: _child,
    Named: _child, Entry: _child, Slice: _child, Sum: _child,
    Norm: _constant_only, Power: _power, Gradient: _gradient,
}
