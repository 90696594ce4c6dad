"""Strategies for the dropout question: keep probabilities, sizes, X, y, w, masks.

p is the KEEP probability, in the open interval (0, 1). Exact kinds give object
arrays of ``Fraction``; floats have varied magnitude. Re-exported by
``derivlab.testing.strategies`` (the public module); see there for an example.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache, partial
from typing import Any

import numpy as np
from hypothesis import strategies as st

KINDS = ("integer", "rational", "float")
FLOAT_EDGE = 2e-9  # float keep probabilities lie in [1e-9, 1 - 1e-9]

_EDGE_FLOATS = (0.5, 1e-6, 1e-3, 1 - 1e-3, 1 - 1e-6)  # 1/2 first: where it shrinks
_EDGE_FRACTIONS = (Fraction(1, 2), Fraction(1, 10**6), Fraction(1, 1000), Fraction(999, 1000), Fraction(10**6 - 1, 10**6))


def keep_probabilities(
    *, exact: bool = False, min_value: float | Fraction = 0, max_value: float | Fraction = 1, max_denominator: int = 64
) -> st.SearchStrategy[Any]:
    """A keep probability p with min_value < p < max_value (open), edges near 0 and 1 included.

    ``exact=True`` draws ``Fraction`` s (denominators up to ``max_denominator``, plus 10^-6 and
    1 - 10^-6); otherwise floats in [1e-9, 1 - 1e-9] (so 1 - p is representable), plus 10^-6,
    10^-3, 1 - 10^-3, 1 - 10^-6. Shrinks to 1/2.

        >>> from hypothesis import given
        >>> @given(keep_probabilities(exact=True))
        ... def test_open_interval(p):
        ...     assert 0 < p < 1
        >>> test_open_interval()
    """
    lo, hi = (Fraction(min_value), Fraction(max_value)) if exact else (float(min_value), float(max_value))
    if not exact:  # keep 1 - p representable and p normal: floats stay in [1e-9, 1 - 1e-9]
        lo, hi = max(lo, FLOAT_EDGE / 2), min(hi, 1 - FLOAT_EDGE / 2)
    if not lo < hi:
        raise ValueError("keep_probabilities needs min_value < max_value")
    inside = lambda p: lo < p < hi  # noqa: E731
    if exact:
        body = _open_unit_fractions(max_denominator)
        edges = [e for e in _EDGE_FRACTIONS if inside(e)]
    else:
        body = st.floats(min_value=lo, max_value=hi, exclude_min=True, exclude_max=True)
        edges = [e for e in _EDGE_FLOATS if inside(e)]
    body = body.filter(inside)
    return st.one_of(st.sampled_from(edges), body) if edges else body


@lru_cache(maxsize=None)
def _unit_fraction(numerator: int, denominator: int) -> Fraction:
    return Fraction(numerator % (denominator - 1) + 1, denominator)


@lru_cache(maxsize=None)
def _open_unit_fractions(max_denominator: int) -> st.SearchStrategy[Fraction]:
    """a/b with 2 ≤ b ≤ max_denominator and 1 ≤ a ≤ b - 1 (independent draws, no flatmap: fast)."""
    return st.builds(_unit_fraction, st.integers(1, max_denominator), st.integers(2, max_denominator))


def _bounded_fraction(bound: int, numerator: int, denominator: int) -> Fraction:
    limit = bound * denominator
    return Fraction((numerator + limit) % (2 * limit + 1) - limit, denominator)


@lru_cache(maxsize=None)
def sizes(min_value: int = 1, max_value: int = 4) -> st.SearchStrategy[int]:
    """A matrix dimension n or d in [min_value, max_value]; 1 is included and is where it shrinks.

        >>> sizes(max_value=3).example() in (1, 2, 3)
        True
    """
    return st.integers(min_value=min_value, max_value=max_value)


def scalars(kind: str = "rational", *, bound: int = 10, max_denominator: int = 12,
            exponents: tuple[int, int] = (-3, 3)) -> st.SearchStrategy[Any]:
    """One entry: ``"integer"`` in [-bound, bound] and ``"rational"`` (Fraction) of |x| ≤ bound,
    both exact; ``"float"``: m · 10^e with m in [-1, 1] and e in ``exponents`` (varied magnitude).

        >>> from fractions import Fraction
        >>> isinstance(scalars("rational").example(), Fraction)
        True
    """
    return _scalar_strategy(kind, bound, max_denominator, tuple(exponents))


def _scaled(m: float, e: int) -> float:
    return m * 10.0**e


@lru_cache(maxsize=None)
def _scalar_strategy(kind: str, bound: int, max_denominator: int, exponents: tuple[int, int]) -> st.SearchStrategy[Any]:
    if kind == "integer":
        return st.integers(-bound, bound).map(Fraction)
    if kind == "rational":  # n/d with |n/d| ≤ bound, d ≤ max_denominator; shrinks to 0
        return st.builds(partial(_bounded_fraction, bound), st.integers(-bound * max_denominator, bound * max_denominator),
                         st.integers(1, max_denominator))
    if kind == "float":
        mantissa = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)
        return st.builds(_scaled, mantissa, st.integers(*exponents))
    raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")


def _reshape(rows: int, cols: int, dtype: Any, xs: list) -> np.ndarray:
    return np.array(xs, dtype=dtype).reshape(rows, cols)


@lru_cache(maxsize=None)
def _matrix_strategy(rows: int, cols: int, kind: str, options: tuple) -> st.SearchStrategy[np.ndarray]:
    # built once per shape: composite strategies draw from these many times
    entry = scalars(kind, **dict(options))
    dtype = float if kind == "float" else object
    return st.lists(entry, min_size=rows * cols, max_size=rows * cols).map(partial(_reshape, rows, cols, dtype))


def matrices(rows: int, cols: int, kind: str = "rational", **scalar_options: Any) -> st.SearchStrategy[np.ndarray]:
    """A (rows, cols) array of ``scalars(kind)``: dtype object (Fractions) when exact, float64 otherwise.

        >>> matrices(2, 3).example().shape
        (2, 3)
    """
    return _matrix_strategy(rows, cols, kind, tuple(sorted(scalar_options.items())))


def _column(m: np.ndarray) -> np.ndarray:
    return m[:, 0]


@lru_cache(maxsize=None)
def _vector_strategy(length: int, kind: str, options: tuple) -> st.SearchStrategy[np.ndarray]:
    return matrices(length, 1, kind, **dict(options)).map(_column)


def _vectors(length: int, kind: str, **scalar_options: Any) -> st.SearchStrategy[np.ndarray]:
    return _vector_strategy(length, kind, tuple(sorted(scalar_options.items())))


def _fill_zero_columns(X: np.ndarray, kind: str) -> np.ndarray:
    for j in range(X.shape[1]):
        if all(x == 0 for x in X[:, j]):
            X[0, j] = Fraction(1) if kind != "float" else 1.0
    return X


def design_matrices(n: int | None = None, d: int | None = None, kind: str = "rational", *,
                    max_size: int = 4, nonzero_columns: bool = False, **scalar_options: Any
                    ) -> st.SearchStrategy[np.ndarray]:
    """A design matrix X (n x d); sizes drawn from ``sizes(1, max_size)`` when not given.

    ``nonzero_columns=True`` puts a 1 at the top of any zero column (then diag(XᵀX) > 0 and the
    dropout minimiser is unique).

        >>> design_matrices(3, 2, kind="float").example().shape
        (3, 2)
    """
    size = sizes(1, max_size)

    @st.composite
    def build(draw: Any) -> np.ndarray:
        rows = n if n is not None else draw(size)
        cols = d if d is not None else draw(size)
        X = draw(matrices(rows, cols, kind, **scalar_options))
        return _fill_zero_columns(X, kind) if nonzero_columns else X

    return build()


def targets(n: int, kind: str = "rational", **scalar_options: Any) -> st.SearchStrategy[np.ndarray]:
    """A target vector y of length n.

        >>> targets(3).example().shape
        (3,)
    """
    return _vectors(n, kind, **scalar_options)


def weights(d: int, kind: str = "rational", **scalar_options: Any) -> st.SearchStrategy[np.ndarray]:
    """A weight vector w (or w~, w_new) of length d.

        >>> weights(2, kind="integer").example().shape
        (2,)
    """
    return _vectors(d, kind, **scalar_options)


def bernoulli_masks(n: int, d: int) -> st.SearchStrategy[np.ndarray]:
    """A keep mask R in {0, 1}^{n x d} (int array). Every mask is possible; shrinks to all zeros.

        >>> set(bernoulli_masks(2, 2).example().ravel()) <= {0, 1}
        True
    """
    return st.lists(st.integers(0, 1), min_size=n * d, max_size=n * d).map(partial(_reshape, n, d, int))


@dataclass(frozen=True)
class RegressionProblem:
    """One instance of the dropout question: X (n x d), y (n), w (d) and the keep probability p."""

    X: np.ndarray
    y: np.ndarray
    w: np.ndarray
    keep_probability: Any
    kind: str

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    def to_json(self) -> dict:
        """Exact values as strings ("3/7"), floats as floats: a replayable counterexample."""
        conv = (lambda v: str(Fraction(v))) if self.kind != "float" else float
        return {
            "n": self.n, "d": self.d, "kind": self.kind,
            "p": conv(self.keep_probability),
            "X": [[conv(v) for v in row] for row in self.X],
            "y": [conv(v) for v in self.y],
            "w": [conv(v) for v in self.w],
        }


def regression_problems(kind: str = "rational", *, max_n: int = 3, max_d: int = 3,
                        max_entries: int | None = None, nonzero_columns: bool = False,
                        keep_probability: st.SearchStrategy[Any] | None = None,
                        **scalar_options: Any) -> st.SearchStrategy[RegressionProblem]:
    """A ``RegressionProblem`` with n ≤ max_n, d ≤ max_d and n·d ≤ max_entries (to bound a 2^(n·d)
    enumeration); p from ``keep_probability`` (default: ``keep_probabilities(exact=kind != "float")``).

        >>> problem = regression_problems(max_n=2, max_d=2).example()
        >>> problem.X.shape == (problem.n, problem.d) and 0 < problem.keep_probability < 1
        True
    """
    p_strategy = keep_probability or keep_probabilities(exact=kind != "float")

    @st.composite
    def build(draw: Any) -> RegressionProblem:
        n = draw(sizes(1, max_n))
        d_max = max_d if max_entries is None else max(1, min(max_d, max_entries // n))
        d = draw(sizes(1, d_max))
        X = draw(matrices(n, d, kind, **scalar_options))
        if nonzero_columns:
            X = _fill_zero_columns(X, kind)
        y = draw(targets(n, kind, **scalar_options))
        w = draw(weights(d, kind, **scalar_options))
        return RegressionProblem(X, y, w, draw(p_strategy), kind)

    return build()
