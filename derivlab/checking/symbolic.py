"""An independent symbolic confirmation with SymPy at one concrete size.

The typed tree (never the student's text) is turned into SymPy matrices whose
entries are symbols (X[0,1], p, R[1,0], ...); expectations use
``derivlab.derivations.bernoulli_moments.expect_polynomial`` (the proofs' moment
rule) with each mask entry's own keep probability (p, or p[j,0] for a keep
probability per column), and masks left outside every expectation are reduced with R² = R. The
step is confirmed when SymPy shows lhs − rhs ≡ 0 at that size.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp

from derivlab.checking.expr import (
    Add, Const, DiagOf, DiagPart, Divide, Entry, Expectation, Expr, Gradient, Hadamard, Identity, Indicator, MatMul, Named,
    Neg, Norm, Ones, Power, Scale, Slice, Sum, Trace, Transpose, Var, dispatch,
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
        self.indices: dict[str, int] = {}
        self.keep: dict[sp.Symbol, Any] = {}  # mask entry → its keep probability
        self.noise: dict[str, Any] = {}  # a Normal variable → its law (derivations.moments, Isserlis)
        for rv, spec in scope.random.items():
            if rv in self.masks and getattr(spec, "moments", None):
                from derivlab.derivations import moments

                mu, var = (self.value(x)[0, 0] for x in spec.moments[1])
                self.noise[rv] = moments.Normal(mu, var)
                continue
            if rv in self.masks:
                self.keep.update(_keep_probabilities(self.symbols[rv], self.value(spec.parameter)))

    def size(self, dim: Any) -> int:
        return 1 if dim == 1 else self.sizes[dim]

    def value(self, e: Expr) -> sp.Matrix:
        return dispatch(SYMPY, e, "SymPy")(self, e)

    def _expectation(self, e: Expectation) -> sp.Matrix:
        body = self.value(e.body)
        for rv in e.bound:  # Normal entries first: E[∏ Z^k] = ∏ E[Z^k] (independent), moments by Isserlis
            if rv in self.noise:
                body = body.applyfunc(lambda x, rv=rv: _expect_noise(x, self.masks[rv], self.noise[rv]))
        masks = [s for rv in e.bound if rv not in self.noise for s in self.masks[rv]]
        keep = [self.keep[s] for s in masks]
        param = keep[0] if keep and all(q == keep[0] for q in keep) else keep  # one parameter: p^k, as before
        return body.applyfunc(lambda x: expect_polynomial(x, masks, param))

    def _index(self, term: Any) -> int:
        return (self.indices[term] if isinstance(term, str) else term) - 1

    def _sum(self, e: Sum) -> sp.Matrix:
        saved = dict(self.indices)
        total = sp.zeros(self.size(e.shape[0]), self.size(e.shape[1]))
        for v in range(1, self.size(e.dim) + 1):
            self.indices[e.index] = v
            if e.condition.holds(self.indices):
                total += self.value(e.body)
        self.indices = saved
        return total

    def _slice(self, e: Slice) -> sp.Matrix:
        m = self.value(e.arg)
        return m[self._index(e.index), :].T if e.axis == 0 else m[:, self._index(e.index)]

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

    def _gradient(self, e: Gradient) -> sp.Matrix:
        f = self.value(e.body)[0, 0]
        return self.symbols[e.wrt].applyfunc(lambda s: sp.diff(f, s))

    def reduce_masks(self, x: sp.Expr) -> sp.Expr:
        """R_m^k → R_m for k ≥ 1 (masks are 0/1; Normal entries keep their powers)."""
        masks = [s for rv, ms in self.masks.items() if rv not in self.noise for s in ms]
        x = sp.expand(x)
        if not masks or not x.has(*masks):
            return x
        return x.replace(lambda t: t.is_Pow and t.base in masks and t.exp.is_positive, lambda t: t.base)


def _keep_probabilities(mask: sp.Matrix, parameter: sp.Matrix) -> dict[sp.Symbol, Any]:
    """Entry (i, j) of ``mask`` ↦ the scalar parameter, or entry j of a parameter vector (one per column)."""
    if parameter.shape == (1, 1):
        return {s: parameter[0, 0] for s in mask}
    if parameter.shape != (mask.cols, 1):
        raise ValueError(f"a {mask.rows}x{mask.cols} mask with a {parameter.rows}x{parameter.cols} parameter")
    return {mask[i, j]: parameter[j, 0] for i in range(mask.rows) for j in range(mask.cols)}


def _expect_noise(x: sp.Expr, symbols: list, law: Any) -> sp.Expr:
    """E over independent entries ``symbols`` with the moments of ``law`` of a polynomial ``x``."""
    x = sp.expand(x)
    present = [s for s in symbols if x.has(s)]
    if not present:
        return x
    poly = sp.Poly(x, *present)
    total = sp.Integer(0)
    for powers, coeff in poly.terms():
        term = coeff
        for k in powers:
            if k:
                term *= law.moment(k)
        total += term
    return sp.expand(total)


def _diag_part(model: SymbolicModel, e: DiagPart) -> sp.Matrix:
    m = model.value(e.arg)
    return sp.diag(*[m[i, i] for i in range(m.rows)])


SYMPY = {
    Var: lambda m, e: m.symbols[e.name],
    Named: lambda m, e: m.value(e.body),
    Const: lambda m, e: sp.Matrix([[sp.Rational(e.value.numerator, e.value.denominator)]]),
    Ones: lambda m, e: sp.ones(m.size(e.shape[0]), m.size(e.shape[1])),
    Identity: lambda m, e: sp.eye(m.size(e.shape[0])),
    Add: lambda m, e: m.value(e.left) + m.value(e.right),
    Neg: lambda m, e: -m.value(e.arg),
    MatMul: lambda m, e: m.value(e.left) * m.value(e.right),
    Scale: lambda m, e: m.value(e.left)[0, 0] * m.value(e.right),
    Hadamard: lambda m, e: m.value(e.left).multiply_elementwise(m.value(e.right)),
    Divide: lambda m, e: m.value(e.left) / m.value(e.right)[0, 0],
    Transpose: lambda m, e: m.value(e.arg).T,
    DiagPart: _diag_part,
    DiagOf: lambda m, e: sp.diag(*list(m.value(e.arg))),
    Trace: lambda m, e: sp.Matrix([[m.value(e.arg).trace()]]),
    Norm: lambda m, e: sp.Matrix([[sp.sqrt(sum(x**2 for x in m.value(e.arg)))]]),
    Power: lambda m, e: m._power(e),
    Expectation: SymbolicModel._expectation,
    Gradient: SymbolicModel._gradient,
    Entry: lambda m, e: sp.Matrix([[m.value(e.arg)[m._index(e.row), m._index(e.col)]]]),
    Slice: SymbolicModel._slice,
    Sum: SymbolicModel._sum,
    Indicator: lambda m, e: sp.Matrix([[1 if e.condition.holds(m.indices) else 0]]),
}


def confirm(lhs: Expr, rhs: Expr, scope: Any, sizes: dict[str, int],
            assignments: list[dict[str, int]] | None = None) -> bool:
    """True when SymPy proves lhs − rhs ≡ 0 at ``sizes`` with symbolic entries, for every
    index assignment in ``assignments`` (values of the free index letters; default: none)."""
    model = SymbolicModel(scope, sizes)
    for indices in assignments or [{}]:
        model.indices = dict(indices)
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
