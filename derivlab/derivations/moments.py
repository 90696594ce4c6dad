"""Exact moments of the noise models a problem may inject, with their independence layout.

A ``NoiseSpec`` is a distribution (``Bernoulli``, ``Normal``, ``Rademacher``,
``UniformPair``, ``ColumnBernoulli``) and a layout saying which entries of the
noise matrix are the SAME random variable:

* ``entries``: every entry its own variable (i.i.d. entries);
* ``rows``: one variable per row (Z_ij = z_i);
* ``columns``: one variable per column (Z_ij = z_j).

Distinct variables are independent, so the expectation of a monomial is the
product over its distinct variables of E[z^k] (k the total power of that
variable). With symbolic indices this is a sum over set partitions of the
factors (``indexed_monomial_expectation``): within a block the indices name the
same variable (Kronecker deltas), across blocks different ones (1 − δ).

Gaussian moments follow Isserlis' theorem: for Z ~ N(0, 1),
E[Z^k] = (k − 1)!! for even k (the number of pairings of k factors), 0 for odd k,
so E[(μ + σZ)^k] = Σ_{j even} C(k, j) μ^{k−j} σ^j (j − 1)!! — a polynomial in μ and
σ² (σ itself never appears). ``isserlis_expectation`` is the theorem itself for
centred jointly Gaussian factors (sum over perfect matchings of covariances);
the moment lemmas cross-check the two. Var and Cov follow from the first two
moments and the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import Any, Callable, Iterator, Sequence

import sympy as sp

from derivlab.derivations.proof import as_sympy

LAYOUTS = ("entries", "rows", "columns")


def double_factorial_odd(k: int) -> int:
    """(k − 1)!! for even k ≥ 0: the number of perfect matchings of k items (1 for k = 0)."""
    out = 1
    for m in range(k - 1, 0, -2):
        out *= m
    return out


@dataclass(frozen=True)
class NoiseModel:
    """A scalar distribution with exact moments ``moment(k, column)`` (column only for per-column models)."""

    def moment(self, k: int, column: Any = None) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def mean(self, column: Any = None) -> Any:
        return self.moment(1, column)

    def variance(self, column: Any = None) -> Any:
        return sp.expand(self.moment(2, column) - self.moment(1, column) ** 2)

    @property
    def latex(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


def _sym(value: Any) -> Any:
    """A SymPy value for an internal number or SymPy object (never text)."""
    return as_sympy(value)


def _check_k(k: int) -> None:
    if k < 0:
        raise ValueError("moments are defined for k >= 0")


@dataclass(frozen=True)
class Bernoulli(NoiseModel):
    """Z ∈ {0, 1}, P(Z = 1) = p: E[Z^k] = p for k ≥ 1 (Z^k = Z)."""

    p: Any

    def moment(self, k: int, column: Any = None) -> Any:
        _check_k(k)
        return sp.Integer(1) if k == 0 else _sym(self.p)

    @property
    def latex(self) -> str:
        return rf"\operatorname{{Bernoulli}}({sp.latex(self.p)})"


@dataclass(frozen=True)
class ColumnBernoulli(NoiseModel):
    """Z_ij ~ Bernoulli(p_j): a keep probability per column, ``p`` an IndexedBase or a sequence."""

    p: Any

    def moment(self, k: int, column: Any = None) -> Any:
        _check_k(k)
        if k == 0:
            return sp.Integer(1)
        if column is None:
            raise ValueError("a per-column Bernoulli moment needs the column index")
        if isinstance(self.p, sp.IndexedBase):
            return self.p[column]
        return _sym(self.p[int(column)])

    @property
    def latex(self) -> str:
        return r"\operatorname{Bernoulli}(p_j)"


@dataclass(frozen=True)
class Normal(NoiseModel):
    """Z ~ N(μ, v), v = σ² the VARIANCE: moments by Isserlis (a polynomial in μ and v)."""

    mu: Any
    var: Any

    def moment(self, k: int, column: Any = None) -> Any:
        _check_k(k)
        mu, var = _sym(self.mu), _sym(self.var)
        return sp.expand(sum((comb(k, j) * mu ** (k - j) * var ** (j // 2) * double_factorial_odd(j)
                              for j in range(0, k + 1, 2)), sp.Integer(0)))

    @property
    def latex(self) -> str:
        return rf"\mathcal{{N}}({sp.latex(self.mu)}, {sp.latex(self.var)})"


@dataclass(frozen=True)
class Rademacher(NoiseModel):
    """Z = ±1 with probability 1/2 each: E[Z^k] = 1 for even k, 0 for odd k."""

    def moment(self, k: int, column: Any = None) -> Any:
        _check_k(k)
        return sp.Integer(1 - k % 2)

    @property
    def latex(self) -> str:
        return r"\operatorname{Rademacher}"


@dataclass(frozen=True)
class UniformPair(NoiseModel):
    """Z uniform on the two values {a, b}: E[Z^k] = (a^k + b^k)/2."""

    a: Any
    b: Any

    def moment(self, k: int, column: Any = None) -> Any:
        _check_k(k)
        return sp.expand((_sym(self.a) ** k + _sym(self.b) ** k) / 2)

    @property
    def latex(self) -> str:
        return rf"\operatorname{{Uniform}}\{{{sp.latex(self.a)}, {sp.latex(self.b)}\}}"


def moment_from_mgf(mgf: Callable[[sp.Symbol], Any], k: int) -> Any:
    """E[Z^k] = M^{(k)}(0) from a moment generating function (an independent route to the moments)."""
    t = sp.Symbol("t")
    return sp.expand(sp.diff(mgf(t), t, k).subs(t, 0))


def normal_mgf(mu: Any, var: Any) -> Callable[[sp.Symbol], Any]:
    """M(t) = exp(μt + σ²t²/2) of N(μ, σ²)."""
    return lambda t: sp.exp(mu * t + var * t**2 / 2)


def _perfect_matchings(items: list[int]) -> Iterator[list[tuple[int, int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for k, partner in enumerate(rest):
        for matching in _perfect_matchings(rest[:k] + rest[k + 1:]):
            yield [(first, partner), *matching]


def isserlis_expectation(factors: Sequence[Any], covariance: Callable[[Any, Any], Any]) -> Any:
    """Isserlis' theorem: E[∏ Z_m] for centred jointly Gaussian Z_m = Σ over perfect matchings of ∏ Cov.

    An odd number of factors has no perfect matching: the expectation is 0.
    """
    total = sp.Integer(0)
    for matching in _perfect_matchings(list(range(len(factors)))):
        total += sp.Mul(*[covariance(factors[a], factors[b]) for a, b in matching])
    return total


def set_partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in set_partitions(rest):
        yield [[first], *partition]
        for k in range(len(partition)):
            yield [*partition[:k], [first, *partition[k]], *partition[k + 1:]]


@dataclass(frozen=True)
class NoiseSpec:
    """A noise matrix's law: its entries' distribution and which entries share a variable."""

    model: NoiseModel
    layout: str = "entries"

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {self.layout!r}")

    def same_variable(self, a: tuple[Any, ...], b: tuple[Any, ...]) -> Any:
        """1 when the entries a = (i, j) and b = (k, l) are the same random variable, as Kronecker deltas."""
        if len(a) == 1:  # a vector: one index
            return sp.KroneckerDelta(a[0], b[0])
        if self.layout == "rows":
            return sp.KroneckerDelta(a[0], b[0])
        if self.layout == "columns":
            return sp.KroneckerDelta(a[1], b[1])
        return sp.KroneckerDelta(a[0], b[0]) * sp.KroneckerDelta(a[1], b[1])

    def _column(self, entry: tuple[Any, ...]) -> Any:
        return entry[-1]

    def indexed_monomial_expectation(self, entries: Sequence[tuple[Any, ...]]) -> Any:
        """E[∏_m Z_{entries[m]}] with symbolic indices: Σ over set partitions of the factors."""
        if not entries:
            return sp.Integer(1)
        total = sp.Integer(0)
        for partition in set_partitions(list(range(len(entries)))):
            term = sp.Integer(1)
            for block in partition:
                term *= self.model.moment(len(block), self._column(entries[block[0]]))
                if term == 0:
                    break
                for m in block[1:]:
                    term *= self.same_variable(entries[block[0]], entries[m])
            if term == 0:
                continue
            for a in range(len(partition)):
                for b in range(a + 1, len(partition)):
                    term *= 1 - self.same_variable(entries[partition[a][0]], entries[partition[b][0]])
            total += term
        return total

    def covariance(self, a: tuple[Any, ...], b: tuple[Any, ...]) -> Any:
        """Cov(Z_a, Z_b) = Var · [same variable]."""
        return self.model.variance(self._column(a)) * self.same_variable(a, b)

    def variables(self, shape: tuple[int, int], name: str = "z") -> list[list[sp.Symbol]]:
        """Concrete symbols for an n x d noise matrix in this layout (shared where the layout says)."""
        n, d = shape
        if self.layout == "rows":
            z = [sp.Symbol(f"{name}_{i + 1}") for i in range(n)]
            return [[z[i]] * d for i in range(n)]
        if self.layout == "columns":
            z = [sp.Symbol(f"{name}_{j + 1}") for j in range(d)]
            return [list(z) for _ in range(n)]
        return [[sp.Symbol(f"{name}_{i + 1}_{j + 1}") for j in range(d)] for i in range(n)]

    def expect_polynomial(self, expr: Any, matrix: list[list[sp.Symbol]]) -> Any:
        """E[expr] for ``expr`` polynomial in the concrete noise symbols of ``matrix`` (from ``variables``)."""
        columns: dict[sp.Symbol, int] = {}
        for row in matrix:
            for j, s in enumerate(row):
                columns.setdefault(s, j)
        present = expr.free_symbols if isinstance(expr, sp.Basic) else set()
        symbols = [s for s in columns if s in present]
        if not symbols:
            return expr
        noise = set(symbols)
        terms = []
        for mono in sp.Add.make_args(sp.expand(expr)):  # linearity; each monomial by independence
            factors = []
            for factor in sp.Mul.make_args(mono):
                base, power = factor.as_base_exp()
                if base in noise:
                    if not (power.is_Integer and power > 0):
                        raise ValueError(f"not a polynomial in the noise: {factor}")
                    factors.append(self.model.moment(int(power), columns[base]))
                else:
                    factors.append(factor)
            terms.append(sp.Mul(*factors))
        return sp.Add(*terms)

