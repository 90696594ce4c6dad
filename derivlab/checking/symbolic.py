"""An independent symbolic confirmation with SymPy at one concrete size.

The typed tree (never the student's text) is turned into SymPy matrices whose
entries are symbols (X[0,1], p, R[1,0], ...); expectations use
``derivlab.derivations.bernoulli_moments.expect_polynomial`` (the proofs' moment
rule), and masks left outside every expectation are reduced with R² = R. The
step is confirmed when SymPy shows lhs − rhs ≡ 0 at that size.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp

from derivlab.checking.expr import (
    Add, Const, DiagOf, DiagPart, Divide, Expectation, Expr, Hadamard, Identity, MatMul, Named, Neg, Norm, Ones,
    Power, Scale, Trace, Transpose, Var,
)
from derivlab.derivations.bernoulli_moments import expect_polynomial


class SymbolicModel:
    """SymPy matrices for every variable of a scope at concrete ``sizes``."""

    def __init__(self, scope: Any, sizes: dict[str, int], values: dict[str, Any] | None = None):
        self.scope, self.sizes = scope, sizes
        self.symbols: dict[str, sp.Matrix] = {}
        self.masks: dict[str, list[sp.Symbol]] = {}
        values = values or {}
        for name, var in scope.variables.items():
            rows, cols = self.size(var.shape[0]), self.size(var.shape[1])
            if name in values:
                self.symbols[name] = sp.Matrix(values[name])
                continue
            positive = scope.domains.get(name) in ("(0, 1)", "positive")
            entries = [[sp.Symbol(f"{name}[{i},{j}]" if (rows, cols) != (1, 1) else name, real=True,
                                  positive=positive or None) for j in range(cols)] for i in range(rows)]
            self.symbols[name] = sp.Matrix(entries)
            if var.random:
                self.masks[name] = [s for row in entries for s in row]
        self.params = {rv: self.value(spec.parameter)[0, 0] for rv, spec in scope.random.items()}

    def size(self, dim: Any) -> int:
        return 1 if dim == 1 else self.sizes[dim]

    def value(self, e: Expr) -> sp.Matrix:
        if isinstance(e, Var):
            return self.symbols[e.name]
        if isinstance(e, Named):
            return self.value(e.body)
        if isinstance(e, Const):
            return sp.Matrix([[sp.Rational(e.value.numerator, e.value.denominator)]])
        if isinstance(e, Ones):
            return sp.ones(self.size(e.shape[0]), self.size(e.shape[1]))
        if isinstance(e, Identity):
            return sp.eye(self.size(e.shape[0]))
        if isinstance(e, Add):
            return self.value(e.left) + self.value(e.right)
        if isinstance(e, Neg):
            return -self.value(e.arg)
        if isinstance(e, MatMul):
            return self.value(e.left) * self.value(e.right)
        if isinstance(e, Scale):
            return self.value(e.left)[0, 0] * self.value(e.right)
        if isinstance(e, Hadamard):
            return self.value(e.left).multiply_elementwise(self.value(e.right))
        if isinstance(e, Divide):
            return self.value(e.left) / self.value(e.right)[0, 0]
        if isinstance(e, Transpose):
            return self.value(e.arg).T
        if isinstance(e, DiagPart):
            m = self.value(e.arg)
            return sp.diag(*[m[i, i] for i in range(m.rows)])
        if isinstance(e, DiagOf):
            return sp.diag(*list(self.value(e.arg)))
        if isinstance(e, Trace):
            return sp.Matrix([[self.value(e.arg).trace()]])
        if isinstance(e, Norm):
            return sp.Matrix([[sp.sqrt(sum(x**2 for x in self.value(e.arg)))]])
        if isinstance(e, Power):
            return self._power(e)
        if isinstance(e, Expectation):
            body = self.value(e.body)
            masks = [s for rv in e.bound for s in self.masks[rv]]
            param = self.params[e.bound[0]] if len({str(self.params[rv]) for rv in e.bound}) == 1 else None
            if param is None:
                raise ValueError("expectations over variables with different parameters")
            return body.applyfunc(lambda x: expect_polynomial(x, masks, param))
        raise ValueError(f"no SymPy form for {type(e).__name__}")

    def _power(self, e: Power) -> sp.Matrix:
        k = sp.Rational(e.exponent.numerator, e.exponent.denominator)
        if isinstance(e.base, Norm) and k.is_integer and k % 2 == 0:
            return sp.Matrix([[sum(x**2 for x in self.value(e.base.arg)) ** (k / 2)]])
        base = self.value(e.base)
        if base.shape == (1, 1):
            return sp.Matrix([[base[0, 0] ** k]])
        if not k.is_integer:
            return sp.diag(*[base[i, i] ** k for i in range(base.rows)])
        return base ** int(k)

    def reduce_masks(self, x: sp.Expr) -> sp.Expr:
        """R_m^k → R_m for k ≥ 1 (masks are 0/1)."""
        masks = [s for ms in self.masks.values() for s in ms]
        x = sp.expand(x)
        if not masks or not x.has(*masks):
            return x
        return x.replace(lambda t: t.is_Pow and t.base in masks and t.exp.is_positive, lambda t: t.base)


def confirm(lhs: Expr, rhs: Expr, scope: Any, sizes: dict[str, int]) -> bool:
    """True when SymPy proves lhs − rhs ≡ 0 at ``sizes`` with symbolic entries."""
    model = SymbolicModel(scope, sizes)
    diff = model.value(lhs) - model.value(rhs)
    for x in diff:
        d = model.reduce_masks(x)
        if d != 0 and sp.simplify(d) != 0:
            return False
    return True


def evaluate_at(expr: Expr, scope: Any, sizes: dict[str, int], values: dict[str, Any]) -> sp.Matrix:
    """``expr`` with SymPy at concrete values (lists of rows of numbers/strings) — for cross-checks."""
    model = SymbolicModel(scope, sizes, {k: _rows(v) for k, v in values.items()})
    return model.value(expr)


def _rational(x: Any) -> sp.Rational:
    q = Fraction(str(x))
    return sp.Rational(q.numerator, q.denominator)


def _rows(v: Any) -> list[list[sp.Rational]]:
    if isinstance(v, str):
        return [[_rational(v)]]
    if v and isinstance(v[0], list):
        return [[_rational(x) for x in row] for row in v]
    return [[_rational(x)] for x in v]
