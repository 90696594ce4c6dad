"""Exact evaluation of a typed expression at one point (sizes + rational values).

Random variables stay SYMBOLIC (mask monomials, see ``exact.py``): an expectation
is exact by linearity and E[∏_{m∈S} R_m] = ∏_{m∈S} p_m: p^|S| for a scalar keep
probability, ∏ p_j over the entries' columns for a keep probability per column
(a parameter that evaluates to a d-vector: R_ij ~ Bernoulli(p_j)). Where an integrand is not
polynomial in the masks (a square root or an inverse of a random quantity), the
expectation falls back to enumerating every mask (at most 2^12), weighting each
by ∏ p_m over the kept entries and ∏ (1 − p_m) over the dropped ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from derivlab.checking import limits
from derivlab.checking.exact import EvalError, Field, NonPolynomial, Scalar
from derivlab.checking.expr import (
    Add, Const, DiagOf, DiagPart, Divide, Entry, Expectation, Expr, Gradient, Hadamard, Identity, Indicator, MatMul,
    Named, Neg, Norm, Ones, Power, Scale, Slice, Sum, Trace, Transpose, Var, dispatch, free_variables, has_indices,
)
from derivlab.checking.failures import Undecided

Matrix = list  # list of rows of Scalars


@dataclass(frozen=True)
class Point:
    """Where to evaluate: concrete sizes, and values of the deterministic variables
    (each a list of rows of Fractions). Random variables not in ``masks`` stay symbolic."""

    sizes: dict[str, int]
    values: dict[str, list[list[Fraction]]]
    masks: dict[str, list[list[int]]] | None = None
    indices: dict[str, int] | None = None  # values (1-based) of the step's free index letters


class Evaluator:
    """Evaluates expressions at one ``Point``; both sides of a step share one ``Field``."""

    def __init__(self, point: Point, random_params: dict[str, Expr], rv_shapes: dict[str, tuple[int, int]], *,
                 field: Field | None = None, shared_coin: bool = False, deadline: limits.Deadline | None = None,
                 flipped_roots: frozenset[int] = frozenset(), moment_laws: dict[str, tuple] | None = None):
        self.point = point
        moment_laws = moment_laws or {}
        self.rv_shapes = rv_shapes
        self._static: dict[int, Matrix] = {}  # values of nodes without index letters or free masks
        self._deps: dict[int, tuple[frozenset, frozenset]] = {}
        self._enumerating = 0
        self.indices: dict[str, int] = dict(point.indices or {})  # 1-based values of the index letters
        self.field = field or Field(flipped_roots=flipped_roots, mixed=bool(moment_laws))
        if moment_laws and (not self.field.mixed or shared_coin):  # a hint's mistaken arithmetic: not for noise
            raise EvalError("this arithmetic reads Bernoulli masks only")
        self.deadline = deadline or limits.Deadline(limits.STEP_SECONDS)
        self.env: dict[str, Matrix] = {}
        self.mask_ids: dict[str, list[list[int]]] = {}
        self._named: dict[int, Matrix] = {}
        self._moving: dict[tuple[int, str], set[int]] = {}
        f = self.field
        for name, rows in point.values.items():
            self.env[name] = [[f.const(v) for v in row] for row in rows]
        self.random_params = random_params
        self.params: dict[str, Fraction | None] = {}  # None: one parameter per column, in mask_params
        self.mask_params: dict[int, Fraction] = {}  # mask id → its own parameter (per-column variables only)
        columns: dict[str, tuple[Fraction, ...]] = {}
        for rv, param in random_params.items():
            value = self._deterministic(param)
            if isinstance(value, tuple):
                columns[rv] = value
                self.params[rv] = None
            else:
                self.params[rv] = value
        self.concrete: dict[str, Matrix] = {}  # fixed 0/1 masks for FREE occurrences only
        self.bound: dict[str, int] = {}  # how many enclosing expectations bind each variable
        self.indices: dict[str, int] = dict(point.indices or {})  # 1-based values of the index letters
        for rv in random_params:
            rows, cols = rv_shapes[rv]
            fixed = (point.masks or {}).get(rv)
            if fixed is not None:
                self.concrete[rv] = [[f.const(fixed[i][j]) for j in range(cols)] for i in range(rows)]
            coin = f.mask(rv) if shared_coin else None
            ids = [[coin if shared_coin else f.mask(rv) for _ in range(cols)] for _ in range(rows)]
            self.mask_ids[rv] = ids
            if rv in columns:
                self._column_parameters(rv, ids, columns[rv], shared_coin)
            self.env[rv] = [[f.mask_value(i) for i in row] for row in ids]
        for rv, (family, parameters) in moment_laws.items():  # noise entries with exact moments (Normal)
            f.moments[rv] = self._moment_function(family, parameters)
            rows, cols = rv_shapes[rv]
            ids = [[f.mask(rv, moments=True) for _ in range(cols)] for _ in range(rows)]
            self.mask_ids[rv] = ids
            self.env[rv] = [[f.mask_value(i) for i in row] for row in ids]

    def _moment_function(self, family: str, parameters: tuple[Expr, ...]):
        """k ↦ E[Z^k] of the law at this point's parameter values, exact (``derivations.moments``, memoised)."""
        from derivlab.derivations import moments

        values = []
        for expr in parameters:
            m = self.value(expr)
            x = m[0][0] if len(m) == 1 and len(m[0]) == 1 else None
            if x is None or (x and (len(x) != 1 or next(iter(x)) != (self.field.empty, 1))):
                raise EvalError(f"a {family} parameter must be a rational number")
            values.append(next(iter(x.values())) if x else Fraction(0))
        if family != "Normal" or values[1] < 0:
            raise EvalError(f"{family}({', '.join(map(str, values))}) is not a law derivlab reads")
        law = moments.Normal(values[0], values[1])
        cache: dict[int, Fraction] = {}

        def moment(k: int) -> Fraction:
            if k not in cache:
                q = law.moment(k)
                cache[k] = Fraction(int(q.p), int(q.q))
            return cache[k]

        return moment

    # -- helpers
    def size(self, dim: Any) -> int:
        return 1 if dim == 1 else self.point.sizes[dim]

    def _deterministic(self, expr: Expr) -> Fraction | tuple[Fraction, ...]:
        """A Bernoulli parameter's value: a rational in [0, 1], or a column vector of them (one per column)."""
        m = self.value(expr)
        if len(m) == 1 and len(m[0]) == 1:
            return self._probability(m[0][0])
        if any(len(row) != 1 for row in m):
            raise EvalError("a Bernoulli parameter must be a scalar or a vector")
        return tuple(self._probability(row[0]) for row in m)

    def _column_parameters(self, rv: str, ids: list[list[int]], column: tuple[Fraction, ...], shared: bool) -> None:
        """Entry (i, j) of ``rv`` gets the parameter ``column[j]``."""
        if shared:  # the hints' one-coin semantics needs one parameter
            raise EvalError(f"one coin for every entry of {rv} has no single keep probability (one per column)")
        if ids and len(ids[0]) != len(column):
            raise EvalError(f"{rv} has {len(ids[0])} columns but {len(column)} keep probabilities")
        for row in ids:
            for mid, q in zip(row, column):
                self.mask_params[mid] = q

    def _probability(self, value: Scalar) -> Fraction:
        if not value:
            return Fraction(0)
        if len(value) != 1 or next(iter(value)) != (self.field.empty, 1):
            raise EvalError("a Bernoulli parameter must be a rational number")
        q = next(iter(value.values()))
        if not 0 <= q <= 1:
            raise EvalError(f"a Bernoulli parameter must lie in [0, 1], got {q}")
        return q

    def _map(self, m: Matrix, fn) -> Matrix:
        return [[fn(x) for x in row] for row in m]

    def _zip(self, a: Matrix, b: Matrix, fn) -> Matrix:
        return [[fn(x, y) for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]

    def _matmul(self, a: Matrix, b: Matrix) -> Matrix:
        f = self.field
        if len(a) == 1 and len(b) == 1 and len(b[0]) == 1 and len(a[0]) == 1:  # scalar · scalar
            return [[f.mul(a[0][0], b[0][0])]]
        out = []
        for row in a:
            self.deadline.check()
            new_row = []
            for j in range(len(b[0])):
                acc: Scalar = {}
                for k, x in enumerate(row):
                    if x and b[k][j]:
                        acc = f.add(acc, f.mul(x, b[k][j]))
                new_row.append(acc)
            out.append(new_row)
        return out

    # -- the evaluator: one rule per node type (EVALUATE below)
    def value(self, expr: Expr) -> Matrix:
        key = id(expr)
        hit = self._static.get(key)
        if hit is not None:
            return hit
        out = dispatch(EVALUATE, expr, "exact evaluation")(self, expr)
        if not self._enumerating and not any(self._dependencies(expr)):
            self._static[key] = out  # no index letter, no free mask: the same at every index value
        return out

    def _dependencies(self, expr: Expr) -> tuple[frozenset, frozenset]:
        """(free index letters, free random variables) of ``expr``, memoised by node."""
        key = id(expr)
        found = self._deps.get(key)
        if found is None:
            found = dependencies(expr, self._deps)
        return found

    def set_indices(self, values: dict[str, int] | None) -> None:
        """Evaluate at other values of the free index letters (index-free values are kept)."""
        self.indices = dict(values or {})

    def _var(self, expr: Var) -> Matrix:
        if expr.random and expr.name in self.concrete and not self.bound.get(expr.name):
            return self.concrete[expr.name]
        return self.env[expr.name]

    def _named_value(self, expr: Named) -> Matrix:
        key = id(expr)
        if key in self._named:
            return self._named[key]
        out = self.value(expr.body)
        if not any(v.random for v in free_variables(expr.body).values()) and not has_indices(expr.body):
            self._named[key] = out
        return out

    def _ones(self, expr: Ones) -> Matrix:
        f = self.field
        return [[f.const(1) for _ in range(self.size(expr.shape[1]))] for _ in range(self.size(expr.shape[0]))]

    def _identity(self, expr: Identity) -> Matrix:
        f, k = self.field, self.size(expr.shape[0])
        return [[f.const(1 if i == j else 0) for j in range(k)] for i in range(k)]

    def _scale(self, expr: Scale) -> Matrix:
        s = self.value(expr.left)[0][0]
        return self._map(self.value(expr.right), lambda x: self.field.mul(s, x))

    def _divide(self, expr: Divide) -> Matrix:
        inv = self.field.inverse(self.value(expr.right)[0][0])
        return self._map(self.value(expr.left), lambda x: self.field.mul(x, inv))

    def _diag_part(self, expr: DiagPart) -> Matrix:
        m = self.value(expr.arg)
        return [[x if i == j else {} for j, x in enumerate(row)] for i, row in enumerate(m)]

    def _diag_of(self, expr: DiagOf) -> Matrix:
        flat = [x for row in self.value(expr.arg) for x in row]
        return [[x if i == j else {} for j in range(len(flat))] for i, x in enumerate(flat)]

    def _trace(self, expr: Trace) -> Matrix:
        m, acc = self.value(expr.arg), {}
        for i in range(len(m)):
            acc = self.field.add(acc, m[i][i])
        return [[acc]]

    # -- entry-wise nodes: indices are 1-based values in self.indices
    def index_value(self, term: Any, limit: int) -> int:
        value = self.indices[term] if isinstance(term, str) else term
        if not 1 <= value <= limit:
            raise EvalError(f"index {term} = {value} is outside 1..{limit}")
        return value - 1

    def _entry(self, expr: Entry) -> Matrix:
        m = self.value(expr.arg)
        return [[m[self.index_value(expr.row, len(m))][self.index_value(expr.col, len(m[0]))]]]

    def _slice(self, expr: Slice) -> Matrix:
        m = self.value(expr.arg)
        if expr.axis == 0:
            return [[x] for x in m[self.index_value(expr.index, len(m))]]
        k = self.index_value(expr.index, len(m[0]))
        return [[row[k]] for row in m]

    def _sum(self, expr: Sum) -> Matrix:
        f = self.field
        saved = self.indices.get(expr.index)
        total = [[{} for _ in range(self.size(expr.shape[1]))] for _ in range(self.size(expr.shape[0]))]
        try:
            for v in range(1, self.size(expr.dim) + 1):
                self.deadline.check()
                self.indices[expr.index] = v
                if expr.condition.holds(self.indices):
                    total = self._zip(total, self.value(expr.body), f.add)
        finally:
            if saved is None:
                self.indices.pop(expr.index, None)
            else:
                self.indices[expr.index] = saved
        return total

    def _indicator(self, expr: Indicator) -> Matrix:
        return [[self.field.const(1 if expr.condition.holds(self.indices) else 0)]]

    def _sum_of_squares(self, arg: Expr) -> Scalar:
        f = self.field
        acc: Scalar = {}
        for row in self.value(arg):
            for x in row:
                acc = f.add(acc, f.mul(x, x))
        return acc

    def _even_power_of_root(self, expr: Power) -> Matrix | None:
        """(M^{1/2})^{2m} = M^m (Γ² = diag(XᵀX), (√λ)² = λ) where the root exists: the root is never taken, so
        no square root enters the field or its sign tests (the value is even in it). None: not this case."""
        k = expr.exponent
        if k.denominator != 1 or k <= 0 or int(k) % 2:
            return None
        inner = expr.base
        while isinstance(inner, Named):
            inner = inner.body
        if not (isinstance(inner, Power) and inner.exponent == Fraction(1, 2)):
            return None
        m = self.value(inner.base)
        f, half = self.field, int(k) // 2
        for i, row in enumerate(m):
            for j, x in enumerate(row):
                if x and (len(x) != 1 or next(iter(x)) != (f.empty, 1)):
                    return None  # masks or radicals inside: the general path
                if i == j and x and next(iter(x.values())) < 0:
                    raise EvalError("square root of a negative number")
        if len(m) == 1 and len(m[0]) == 1:
            return [[f.power(m[0][0], half)]]
        return [[f.power(x, half) if i == j else {} for j, x in enumerate(row)] for i, row in enumerate(m)]

    def _power(self, expr: Power) -> Matrix:
        shortcut = self._even_power_of_root(expr)
        if shortcut is not None:
            return shortcut
        f, k = self.field, expr.exponent
        if isinstance(expr.base, Norm) and k.denominator == 1 and k % 2 == 0:
            return [[f.power(self._sum_of_squares(expr.base.arg), int(k) // 2)]]
        base = self.value(expr.base)
        variable = _variable(expr.base)
        if len(base) == 1 and len(base[0]) == 1:
            return [[self._scalar_power(base[0][0], k, variable)]]
        if k.denominator == 2:  # diagonal by construction (shapes.power)
            return [[self._scalar_power(x, k, variable) if i == j else {} for j, x in enumerate(row)]
                    for i, row in enumerate(base)]
        result = base if k > 0 else self._inverse(base)
        for _ in range(abs(int(k)) - 1):
            result = self._matmul(result, base if k > 0 else self._inverse(base))
        if k == 0:
            n = len(base)
            return [[f.const(1 if i == j else 0) for j in range(n)] for i in range(n)]
        return result

    def _scalar_power(self, x: Scalar, k: Fraction, variable: bool = True) -> Scalar:
        f = self.field
        if k.denominator == 2:
            x = f.sqrt(x, variable=variable)
        return f.power(x, int(k.numerator))

    def _inverse(self, m: Matrix) -> Matrix:
        """Gauss–Jordan over the exact field (mask-free matrices only)."""
        f = self.field
        n = len(m)
        a = [list(row) + [f.const(1 if i == j else 0) for j in range(n)] for i, row in enumerate(m)]
        for col in range(n):
            self.deadline.check()
            pivot = next((r for r in range(col, n) if a[r][col]), None)
            if pivot is None:
                raise EvalError("the matrix is singular")
            a[col], a[pivot] = a[pivot], a[col]
            inv = f.inverse(a[col][col])
            a[col] = [f.mul(x, inv) for x in a[col]]
            for r in range(n):
                if r != col and a[r][col]:
                    factor = a[r][col]
                    a[r] = [f.add(x, f.neg(f.mul(factor, y))) for x, y in zip(a[r], a[col])]
        return [row[n:] for row in a]

    def forget(self, expr: Expr, name: str) -> None:
        """Drop the cached values of the nodes of ``expr`` that depend on the variable ``name`` (it is moving)."""
        key = (id(expr), name)
        found = self._moving.get(key)
        if found is None:
            found = self._moving[key] = depends_on(expr, name)
        for node in found:
            self._static.pop(node, None)
            self._named.pop(node, None)

    def _gradient(self, expr: Gradient) -> Matrix:
        """∂f/∂w_ij exactly: f is a polynomial of degree ≤ k in w (``variable_degree``), so along one coordinate
        it is fixed by k + 1 values, and its derivative at the point is a rational combination of them."""
        f = self.field
        if expr.degree == 0 or expr.wrt not in self.env:  # the body does not depend on the variable
            return [[{} for _ in range(self.size(expr.shape[1]))] for _ in range(self.size(expr.shape[0]))]
        nodes = interpolation_nodes(expr.degree)
        weights = derivative_weights(nodes)
        base = self.env[expr.wrt]
        saved = (dict(self._static), dict(self._named), base)
        out: Matrix = []
        try:
            for i, row in enumerate(base):
                out_row = []
                for j in range(len(row)):
                    acc: Scalar = {}
                    for t, c in zip(nodes, weights):
                        if not c:
                            continue
                        self.deadline.check()
                        moved = [list(r) for r in base]
                        moved[i][j] = f.add(moved[i][j], f.const(t))
                        self.env[expr.wrt] = moved
                        self.forget(expr.body, expr.wrt)  # values that do not depend on w are kept
                        acc = f.add(acc, f.scale(self.value(expr.body)[0][0], c))
                    out_row.append(acc)
                out.append(out_row)
        finally:
            self._static, self._named, self.env[expr.wrt] = saved
        return out

    def _expectation(self, expr: Expectation) -> Matrix:
        for rv in expr.bound:
            self.bound[rv] = self.bound.get(rv, 0) + 1
        try:
            try:
                body = self.value(expr.body)
            except NonPolynomial:
                return self._enumerate(expr)
        finally:
            for rv in expr.bound:
                self.bound[rv] -= 1
        return self._map(body, lambda x: self.field.expect(x, expr.bound, self.params, self.mask_params))

    def _enumerate(self, expr: Expectation) -> Matrix:
        """E by summing over every mask of the bound variables (non-polynomial integrands)."""
        f = self.field
        if any(rv in f.moments for rv in expr.bound):
            raise Undecided("the integrand is not polynomial in the Gaussian noise (a root or an inverse of it): "
                            "derivlab takes expectations of polynomials in it")
        cells = [(rv, i, j) for rv in expr.bound for i, row in enumerate(self.mask_ids.get(rv, [])) for j in range(len(row))]
        if len(cells) > limits.MAX_MASK_ENUMERATION:
            raise Undecided(f"the integrand is not polynomial in the mask and {len(cells)} mask entries are too many "
                            f"to enumerate")
        total: Matrix | None = None
        saved = {rv: self.env[rv] for rv in expr.bound}
        self._enumerating += 1
        try:
            for bits in range(1 << len(cells)):
                self.deadline.check()
                weight = Fraction(1)
                for rv in expr.bound:
                    self.env[rv] = [[f.const(0) for _ in row] for row in self.mask_ids[rv]]
                for c, (rv, i, j) in enumerate(cells):
                    on = (bits >> c) & 1
                    self.env[rv][i][j] = f.const(on)
                    q = self.params[rv]
                    if q is None:
                        q = self.mask_params[self.mask_ids[rv][i][j]]
                    weight *= q if on else 1 - q
                if not weight:
                    continue
                value = self._map(self.value(expr.body), lambda x: f.scale(x, weight))
                total = value if total is None else self._zip(total, value, f.add)
        finally:
            self.env.update(saved)
            self._enumerating -= 1
        if total is None:
            rows, cols = self.size(expr.shape[0]), self.size(expr.shape[1])
            return [[{} for _ in range(cols)] for _ in range(rows)]
        return total


def depends_on(expr: Expr, name: str) -> set[int]:
    """ids of the nodes of ``expr`` (Named bodies included) whose value depends on the variable ``name``."""
    out: set[int] = set()
    memo: dict[int, bool] = {}

    def go(e: Expr) -> bool:
        key = id(e)
        if key in memo:
            return memo[key]
        hit = isinstance(e, Var) and e.name == name
        for kid in e.children():
            hit = go(kid) or hit
        memo[key] = hit
        if hit:
            out.add(key)
        return hit

    go(expr)
    return out


def interpolation_nodes(degree: int) -> list[Fraction]:
    """0, 1, −1, 2, −2, …: ``degree`` + 1 distinct points along one coordinate."""
    out = [Fraction(0)]
    k = 1
    while len(out) < degree + 1:
        out.append(Fraction(k))
        if len(out) < degree + 1:
            out.append(Fraction(-k))
        k += 1
    return out


def derivative_weights(nodes: list[Fraction]) -> list[Fraction]:
    """c_m with q'(0) = Σ_m c_m q(t_m) for every polynomial q of degree < len(nodes) (Lagrange, exact)."""
    weights = []
    for m, tm in enumerate(nodes):
        total = Fraction(0)
        for q, tq in enumerate(nodes):
            if q == m:
                continue
            term = Fraction(1) / (tm - tq)
            for l, tl in enumerate(nodes):
                if l not in (m, q):
                    term *= (0 - tl) / (tm - tl)
            total += term
        weights.append(total)
    return weights


def dependencies(expr: Expr, memo: dict[int, tuple[frozenset, frozenset]]) -> tuple[frozenset, frozenset]:
    """(index letters, random variables) that ``expr``'s value depends on (not bound inside it)."""
    key = id(expr)
    if key in memo:
        return memo[key]
    letters: set = set()
    randoms: set = set()
    for kid in expr.children():
        kl, kr = dependencies(kid, memo)
        letters |= kl
        randoms |= kr
    if isinstance(expr, Var) and expr.random:
        randoms.add(expr.name)
    elif isinstance(expr, Entry):
        letters |= {t for t in (expr.row, expr.col) if isinstance(t, str)}
    elif isinstance(expr, Slice) and isinstance(expr.index, str):
        letters.add(expr.index)
    elif isinstance(expr, Indicator):
        letters |= expr.condition.indices()
    elif isinstance(expr, Sum):
        letters = (letters | expr.condition.indices()) - {expr.index}
    elif isinstance(expr, Expectation):
        randoms -= set(expr.bound)
    memo[key] = found = (frozenset(letters), frozenset(randoms))
    return found


def _variable(expr: Expr) -> bool:
    """Does ``expr`` depend on any variable (a root of a constant such as √4 is a number, not a function)?"""
    return bool(free_variables(expr))


EVALUATE = {
    Var: Evaluator._var,
    Named: Evaluator._named_value,
    Const: lambda ev, e: [[ev.field.const(e.value)]],
    Ones: Evaluator._ones,
    Identity: Evaluator._identity,
    Add: lambda ev, e: ev._zip(ev.value(e.left), ev.value(e.right), ev.field.add),
    Neg: lambda ev, e: ev._map(ev.value(e.arg), ev.field.neg),
    MatMul: lambda ev, e: ev._matmul(ev.value(e.left), ev.value(e.right)),
    Scale: Evaluator._scale,
    Hadamard: lambda ev, e: ev._zip(ev.value(e.left), ev.value(e.right), ev.field.mul),
    Divide: Evaluator._divide,
    Transpose: lambda ev, e: [list(col) for col in zip(*ev.value(e.arg))],
    DiagPart: Evaluator._diag_part,
    DiagOf: Evaluator._diag_of,
    Trace: Evaluator._trace,
    Norm: lambda ev, e: [[ev.field.sqrt(ev._sum_of_squares(e.arg), variable=_variable(e.arg))]],
    Power: lambda ev, e: ev._power(e),
    Expectation: lambda ev, e: ev._expectation(e),
    Gradient: Evaluator._gradient,
    Entry: Evaluator._entry,
    Slice: Evaluator._slice,
    Sum: Evaluator._sum,
    Indicator: Evaluator._indicator,
}


def make_evaluator(point: Point, scope: Any, **kwargs: Any) -> Evaluator:
    """An evaluator for ``point`` with the random variables (and their parameters) of ``scope``."""
    params = {rv: spec.parameter for rv, spec in scope.random.items() if not getattr(spec, "moments", None)}
    laws = {rv: spec.moments for rv, spec in scope.random.items() if getattr(spec, "moments", None)}
    shapes = {rv: (_dim(scope.variables[rv].shape[0], point), _dim(scope.variables[rv].shape[1], point))
              for rv in scope.random}
    return Evaluator(point, params, shapes, moment_laws=laws, **kwargs)


def _dim(dim: Any, point: Point) -> int:
    return 1 if dim == 1 else point.sizes[dim]
