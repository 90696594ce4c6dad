"""The correct closed forms of the noise claims and the WRONG versions students write, in one form:
a ``NoiseVariant`` claims a value of E_N‖y − X̃w‖² as ``formula(param, statistics, n, d)``, where
``param`` is σ (additive: the noise STANDARD DEVIATION, variance σ²) or α (multiplicative: the
VARIANCE of N, M = 1 + N), and the statistics are yᵀy, wᵀXᵀy, ‖Xw‖², ‖w‖², ‖Γw‖².

``holds_symbolically`` compares a variant with the exact expectation (Gaussian moments applied to
the explicit polynomial) at sizes (1,1), (2,2), (3,2), (2,3) with symbolic entries: a variant that
differs at one size is wrong for general n, d.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from derivlab.derivations.noise.symbols import ADDITIVE, MULTIPLICATIVE, alpha, sigma

ADDITIVE_ID = "noise.additive-gaussian"
DROPOUT_ID = "noise.gaussian-dropout"
KIND = {ADDITIVE_ID: "additive", DROPOUT_ID: "multiplicative"}
SYMBOLIC_SIZES: tuple[tuple[int, int], ...] = ((1, 1), (2, 2), (3, 2), (2, 3))


@dataclass(frozen=True)
class Statistics:
    yy: Any
    cross: Any  # wᵀXᵀy
    quad: Any  # ‖Xw‖²
    ww: Any  # ‖w‖²
    tikhonov: Any  # ‖Γw‖² = Σ_j (XᵀX)_jj w_j²

    @property
    def base(self) -> Any:
        """‖y − Xw‖²."""
        return self.yy - 2 * self.cross + self.quad


def statistics(X: Any, y: Any, w: Any) -> Statistics:
    """The five statistics for NumPy (float or Fraction object) arrays or SymPy matrices."""
    X, y, w = (np.array(a.tolist() if isinstance(a, sp.MatrixBase) else a, dtype=object) for a in (X, y, w))
    y, w = y.reshape(-1), w.reshape(-1)
    Xw = X.dot(w)
    return Statistics(y.dot(y), Xw.dot(y), Xw.dot(Xw), w.dot(w), ((X * X).sum(axis=0) * w * w).sum())


@dataclass(frozen=True)
class NoiseVariant:
    claim: str
    name: str
    description: str
    latex: str
    formula: Callable[[Any, Statistics, int, int], Any]
    correct: bool = False

    def value(self, X: Any, y: Any, w: Any, param: Any) -> Any:
        """The claimed value at (X, y, w, σ or α)."""
        n, d = np.shape(np.array(X.tolist() if isinstance(X, sp.MatrixBase) else X, dtype=object))
        return self.formula(param, statistics(X, y, w), n, d)


BASE = r"\|y - Xw\|_2^2"


def _add(name: str, description: str, latex: str, formula: Callable, correct: bool = False) -> NoiseVariant:
    return NoiseVariant(ADDITIVE_ID, name, description, BASE + latex, formula, correct)


def _mul(name: str, description: str, latex: str, formula: Callable, correct: bool = False) -> NoiseVariant:
    return NoiseVariant(DROPOUT_ID, name, description, latex if latex.startswith(r"\|y - p") else BASE + latex,
                        formula, correct)


CORRECT_ADDITIVE = _add("correct", "Bishop (1995): Gaussian input noise is ridge with λ = nσ²",
                        r" + n\sigma^2\|w\|_2^2", lambda s, t, n, d: t.base + n * s**2 * t.ww, True)
CORRECT_DROPOUT = _mul("correct", "Gaussian dropout: Tikhonov with α‖Γw‖², α the variance of M = 1 + N",
                       r" + \alpha\|\Gamma w\|_2^2", lambda a, t, n, d: t.base + a * t.tikhonov, True)

ADDITIVE_VARIANTS: tuple[NoiseVariant, ...] = (
    _add("missing-n", "σ² for nσ²: the sum over the n rows forgotten", r" + \sigma^2\|w\|_2^2",
         lambda s, t, n, d: t.base + s**2 * t.ww),
    _add("sigma-not-squared", "nσ for nσ²: the standard deviation for the variance", r" + n\sigma\|w\|_2^2",
         lambda s, t, n, d: t.base + n * s * t.ww),
    _add("d-for-n", "dσ² for nσ²: the trace of NᵀN counted over the wrong size", r" + d\sigma^2\|w\|_2^2",
         lambda s, t, n, d: t.base + d * s**2 * t.ww),
    _add("gamma-penalty", "σ²‖Γw‖²: the multiplicative (dropout) answer for additive noise",
         r" + \sigma^2\|\Gamma w\|_2^2", lambda s, t, n, d: t.base + s**2 * t.tikhonov),
    _add("no-penalty", "the noise averages out: E of the square taken as the square of E", "",
         lambda s, t, n, d: t.base),
)


def _bernoulli_keep(a: Any) -> Any:
    return 1 / (1 + a)


DROPOUT_VARIANTS: tuple[NoiseVariant, ...] = (
    _mul("alpha-squared", "α² for α: the standard deviation squared twice", r" + \alpha^2\|\Gamma w\|_2^2",
         lambda a, t, n, d: t.base + a**2 * t.tikhonov),
    _mul("bernoulli-answer", "α(1 − α) for α: the Bernoulli variance p(1 − p) with α for p",
         r" + \alpha(1-\alpha)\|\Gamma w\|_2^2", lambda a, t, n, d: t.base + a * (1 - a) * t.tikhonov),
    _mul("bernoulli-identity", "Bernoulli dropout's (4) at the matched keep probability p = 1/(1 + α)",
         r"\|y - pXw\|_2^2 + p(1-p)\|\Gamma w\|_2^2,\ p = \tfrac{1}{1+\alpha}",
         lambda a, t, n, d: (t.yy - 2 * _bernoulli_keep(a) * t.cross + _bernoulli_keep(a) ** 2 * t.quad
                             + _bernoulli_keep(a) * (1 - _bernoulli_keep(a)) * t.tikhonov)),
    _mul("ridge-penalty", "α‖w‖² for α‖Γw‖²: the column norms dropped", r" + \alpha\|w\|_2^2",
         lambda a, t, n, d: t.base + a * t.ww),
    _mul("spurious-n", "nα‖Γw‖²: the additive-noise factor n carried over", r" + n\alpha\|\Gamma w\|_2^2",
         lambda a, t, n, d: t.base + n * a * t.tikhonov),
)

CORRECT = {ADDITIVE_ID: CORRECT_ADDITIVE, DROPOUT_ID: CORRECT_DROPOUT}
WRONG = {ADDITIVE_ID: ADDITIVE_VARIANTS, DROPOUT_ID: DROPOUT_VARIANTS}


def all_variants(include_correct: bool = False) -> tuple[NoiseVariant, ...]:
    correct = (CORRECT_ADDITIVE, CORRECT_DROPOUT) if include_correct else ()
    return correct + ADDITIVE_VARIANTS + DROPOUT_VARIANTS


def exact_expectation(claim: str, n: int, d: int) -> tuple[Any, Any, Any, Any, Any]:
    """(E_N‖y − X̃w‖² with symbolic entries, X, y, w, the parameter symbol) at n x d."""
    spec, param = (ADDITIVE, sigma) if claim == ADDITIVE_ID else (MULTIPLICATIVE, alpha)
    X = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"x_{i + 1}{j + 1}", real=True))
    y = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"y_{i + 1}", real=True))
    w = sp.Matrix(d, 1, lambda j, _: sp.Symbol(f"w_{j + 1}", real=True))
    noise = spec.variables((n, d), "N")
    Nm = sp.Matrix(noise)
    noisy = X + Nm if claim == ADDITIVE_ID else X.multiply_elementwise(sp.ones(n, d) + Nm)
    residual = y - noisy * w
    return spec.expect_polynomial((residual.T * residual)[0], noise), X, y, w, param


def holds_symbolically(variant: NoiseVariant) -> bool:
    """True when the variant equals the exact expectation at every size of SYMBOLIC_SIZES."""
    for n, d in SYMBOLIC_SIZES:
        truth, X, y, w, param = exact_expectation(variant.claim, n, d)
        if sp.cancel(sp.together(sp.expand(truth - variant.value(X, y, w, param)))) != 0:
            return False
    return True


def catalogue_json() -> list[dict]:
    return [{"claim": v.claim, "name": v.name, "description": v.description, "latex": v.latex,
             "correct": v.correct} for v in all_variants(include_correct=True)]


def statement(claim: str) -> Any:
    """The left side E_N‖y − X̃w‖² as a matrix expression (general n, d)."""
    from derivlab.derivations.noise.chains import additive_steps, multiplicative_steps

    return (additive_steps() if claim == ADDITIVE_ID else multiplicative_steps())[0].expr


def right_side(variant: NoiseVariant) -> Any:
    """The variant's claimed value as a 1 x 1 matrix expression in X, y, w, Γ (general n, d)."""
    from derivlab.derivations.noise.symbols import Gamma, X, d, n, w, y
    from derivlab.derivations.notation import SquaredNorm

    stats = Statistics(y.T * y, w.T * X.T * y, SquaredNorm(X * w), SquaredNorm(w), SquaredNorm(Gamma * w))
    param = sigma if variant.claim == ADDITIVE_ID else alpha
    return variant.formula(param, stats, n, d)


def holds_for_all_sizes(variant: NoiseVariant) -> bool:
    """The general proof's verdict: statement = variant by the index normal form, for every n, d."""
    from derivlab.derivations.index_form import equal_for_all_sizes
    from derivlab.derivations.noise.symbols import index_rules

    spec = ADDITIVE if variant.claim == ADDITIVE_ID else MULTIPLICATIVE
    return equal_for_all_sizes(statement(variant.claim), right_side(variant), index_rules(spec))
