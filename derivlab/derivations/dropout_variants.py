"""The catalogue of WRONG versions of the dropout claims that students write, with the
correct one in the same form, and the checks that must kill every wrong one.

An ``ObjectiveVariant`` claims a value for E_R‖y − (R⊙X)w̃‖² (identity and
rescaled-ridge claims), written through the statistics yᵀy, w̃ᵀXᵀy, ‖Xw̃‖²,
‖Γw̃‖². A ``MinimizerVariant`` claims a minimiser (aXᵀX + b diag(XᵀX))⁻¹Xᵀy.
p is the KEEP probability. Checks:

* ``variant_holds_symbolically``: does the variant equal the truth as a
  function of symbolic entries and p at sizes (1,1), (2,2), (3,2), (2,3)?
  A wrong variant fails at some size, so it is wrong for general n, d.
* ``variant_survives_monte_carlo``: the Monte Carlo test at 50 x 10
  (|z| < monte_carlo.Z_THRESHOLD, false alarms 1e-6), or for minimisers the gradient test.
* ``variant_survives_enumeration``: exact equality over all 2^(nd) masks.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

import numpy as np
import sympy as sp

from derivlab.derivations import statements
from derivlab.derivations.bernoulli_moments import expect_polynomial
from derivlab.derivations.concrete_eval import dropout_setting
from derivlab.derivations.dropout_closed_forms import (
    ObjectiveStatistics,
    identity_right_side,
    objective_statistics,
    regularized_solution,
)
from derivlab.numerics import dropout_enumeration, monte_carlo
from derivlab.numerics.regression_data import RegressionProblem, rational_problem, regression_problem

SYMBOLIC_SIZES: tuple[tuple[int, int], ...] = ((1, 1), (2, 2), (3, 2), (2, 3))


@dataclass(frozen=True)
class ObjectiveVariant:
    """A claimed value of E_R‖y − (R⊙X)w̃‖²: ``formula(p, statistics of (X, y, w̃))``."""

    claim: str
    name: str
    description: str
    latex: str
    formula: Callable[[Any, ObjectiveStatistics], Any]
    correct: bool = False

    def value(self, X: Any, y: Any, w: Any, p: Any) -> Any:
        """The claimed value at (X, y, w̃, p): float, Fraction or SymPy as the inputs."""
        return self.formula(p, objective_statistics(X, y, w))


@dataclass(frozen=True)
class MinimizerVariant:
    """A claimed minimiser of (2): w = (a(p) XᵀX + b(p) diag(XᵀX))⁻¹Xᵀy."""

    claim: str
    name: str
    description: str
    latex: str
    gram_coefficient: Callable[[Any], Any]
    diagonal_coefficient: Callable[[Any], Any]
    correct: bool = False

    def solve(self, X: Any, y: Any, p: Any) -> Any:
        """The claimed minimiser (exact for Fractions and SymPy matrices)."""
        a, b = self.gram_coefficient(p), self.diagonal_coefficient(p)
        if isinstance(X, sp.MatrixBase):
            gram = X.T * X
            return (a * gram + b * sp.diag(*[gram[j, j] for j in range(gram.shape[0])])).LUsolve(X.T * sp.Matrix(y))
        return regularized_solution(X, y, a, b)


def _rescaled(scale: Callable[[Any], Any], weight: Callable[[Any], Any]) -> Callable[[Any, ObjectiveStatistics], Any]:
    """‖y − Xw_new‖² + weight(p)‖Γw_new‖² with w̃ = scale(p) w_new, as a function of w̃'s statistics."""

    def formula(p: Any, s: ObjectiveStatistics) -> Any:
        t = s.scaled(1 / scale(p))
        return t.yy - 2 * t.cross + t.quad + weight(p) * t.tikhonov

    return formula


ID = "dropout.identity"
RR = "dropout.rescaled-ridge"
MIN = "dropout.minimizer"
MEAN = r"\|y - p X\tilde{w}\|_2^2"
RIDGE = r"\|y - X w_{new}\|_2^2"

# the correct versions: the claims' statements (``derivations/statements.py``) in this catalogue's form
CORRECT_IDENTITY = ObjectiveVariant(
    ID, "correct", "the identity (4)", statements.IDENTITY.rhs, identity_right_side, True)
CORRECT_RESCALED_RIDGE = ObjectiveVariant(
    RR, "correct", "w̃ = w_new/p, Γ_new = √λ Γ, λ = (1 − p)/p",
    statements.RESCALED_RIDGE.rhs, _rescaled(lambda p: 1 / p, lambda p: (1 - p) / p), True)
CORRECT_MINIMIZER = MinimizerVariant(
    MIN, "correct", f"w̃* = {statements.MINIMIZER.rhs_text}", statements.MINIMIZER.rhs, lambda p: p, lambda p: 1 - p,
    True)


def _column_norms_fourth(X: Any, w: Any) -> Any:
    """Σ_j (XᵀX)_jj² w_j² = ‖diag(XᵀX) w‖² for SymPy matrices or arrays (Fractions stay exact)."""
    if isinstance(X, sp.MatrixBase):
        gram = X.T * X
        return sum((gram[j, j] ** 2 * w[j] ** 2 for j in range(X.shape[1])), sp.Integer(0))
    X, w = np.asarray(X), np.asarray(w)
    return ((X * X).sum(axis=0) ** 2 * w * w).sum()


@dataclass(frozen=True)
class GammaSquaredVariant(ObjectiveVariant):
    """Γ taken as diag(XᵀX) (no square root): not expressible through the four statistics."""

    def value(self, X: Any, y: Any, w: Any, p: Any) -> Any:
        s = objective_statistics(X, y, w)
        return s.yy - 2 * p * s.cross + p**2 * s.quad + p * (1 - p) * _column_norms_fourth(X, w)


def _unrescaled_penalty(p: Any, s: ObjectiveStatistics) -> Any:
    """‖y − Xw_new‖² + p(1 − p)‖Γw_new‖² with w_new = p w̃ (the penalty of (4) not rescaled)."""
    t = s.scaled(p)
    return t.yy - 2 * t.cross + t.quad + p * (1 - p) * t.tikhonov


def _identity(name: str, description: str, latex: str, formula: Callable) -> ObjectiveVariant:
    return ObjectiveVariant(ID, name, description, latex, formula)


IDENTITY_VARIANTS: tuple[ObjectiveVariant, ...] = (
    _identity("p-squared-variance", "p² in place of p(1 − p) (E[R_ij²] = p² forgotten: R² = R)",
              MEAN + r" + p^2\|\Gamma\tilde{w}\|_2^2",
              lambda p, s: s.yy - 2 * p * s.cross + p**2 * s.quad + p**2 * s.tikhonov),
    _identity("gram-not-diag", "XᵀX in place of diag(XᵀX) (cross-entry independence ignored)",
              MEAN + r" + p(1 - p)\tilde{w}^\top X^\top X\tilde{w}",
              lambda p, s: s.yy - 2 * p * s.cross + p**2 * s.quad + p * (1 - p) * s.quad),
    _identity("unscaled-mean", "‖y − Xw̃‖ in place of ‖y − pXw̃‖",
              r"\|y - X\tilde{w}\|_2^2 + p(1 - p)\|\Gamma\tilde{w}\|_2^2",
              lambda p, s: s.yy - 2 * s.cross + s.quad + p * (1 - p) * s.tikhonov),
    _identity("odds-variance", "(1 − p)/p in place of p(1 − p)",
              MEAN + r" + \frac{1-p}{p}\|\Gamma\tilde{w}\|_2^2",
              lambda p, s: s.yy - 2 * p * s.cross + p**2 * s.quad + (1 - p) / p * s.tikhonov),
    _identity("dropped-p-cross-term", "a dropped factor p in the mean's cross term: −2w̃ᵀXᵀy for −2p w̃ᵀXᵀy",
              r"y^\top y - 2\tilde{w}^\top X^\top y + p^2\|X\tilde{w}\|_2^2 + p(1 - p)\|\Gamma\tilde{w}\|_2^2",
              lambda p, s: s.yy - 2 * s.cross + p**2 * s.quad + p * (1 - p) * s.tikhonov),
    _identity("dropped-p-variance", "a dropped factor p in the variance: (1 − p) for p(1 − p)",
              MEAN + r" + (1 - p)\|\Gamma\tilde{w}\|_2^2",
              lambda p, s: s.yy - 2 * p * s.cross + p**2 * s.quad + (1 - p) * s.tikhonov),
    _identity("wrong-sign", "the variance term subtracted",
              MEAN + r" - p(1 - p)\|\Gamma\tilde{w}\|_2^2",
              lambda p, s: s.yy - 2 * p * s.cross + p**2 * s.quad - p * (1 - p) * s.tikhonov),
    _identity("no-variance-term", "the variance term forgotten (E of the square = square of E)",
              MEAN, lambda p, s: s.yy - 2 * p * s.cross + p**2 * s.quad),
    GammaSquaredVariant(ID, "gamma-not-square-rooted", "Γ = diag(XᵀX) without the square root",
                        MEAN + r" + p(1 - p)\|\operatorname{diag}(X^\top X)\tilde{w}\|_2^2", lambda p, s: None),
)

RESCALED_RIDGE_VARIANTS: tuple[ObjectiveVariant, ...] = (
    ObjectiveVariant(RR, "gamma-new-lambda", "Γ_new = λΓ instead of √λ Γ (so λ² appears)",
                     RIDGE + r" + \|\lambda\Gamma w_{new}\|_2^2",
                     _rescaled(lambda p: 1 / p, lambda p: ((1 - p) / p) ** 2)),
    ObjectiveVariant(RR, "inverted-lambda", "λ = p/(1 − p) instead of (1 − p)/p",
                     RIDGE + r" + \frac{p}{1-p}\|\Gamma w_{new}\|_2^2",
                     _rescaled(lambda p: 1 / p, lambda p: p / (1 - p))),
    ObjectiveVariant(RR, "wrong-substitution", "w̃ = p·w_new instead of w_new/p",
                     RIDGE + r" + \|\Gamma_{new} w_{new}\|_2^2,\ \tilde{w} = p\,w_{new}",
                     _rescaled(lambda p: p, lambda p: (1 - p) / p)),
    ObjectiveVariant(RR, "unrescaled-penalty", "λ = p(1 − p): the penalty of (4) left unrescaled",
                     RIDGE + r" + p(1 - p)\|\Gamma w_{new}\|_2^2", _unrescaled_penalty),
)

MINIMIZER_VARIANTS: tuple[MinimizerVariant, ...] = (
    MinimizerVariant(MIN, "p-squared-diag", "variance p² instead of p(1 − p): (pXᵀX + p diag(XᵀX))⁻¹Xᵀy",
                     r"\left(pX^\top X + p\operatorname{diag}(X^\top X)\right)^{-1}X^\top y", lambda p: p, lambda p: p),
    MinimizerVariant(MIN, "missing-p", "the factor p on XᵀX missing: (XᵀX + (1 − p)diag(XᵀX))⁻¹Xᵀy",
                     r"\left(X^\top X + (1-p)\operatorname{diag}(X^\top X)\right)^{-1}X^\top y",
                     lambda p: 1, lambda p: 1 - p),
    MinimizerVariant(MIN, "rescaled-twin", "the rescaled ridge solution p·w̃* taken for w̃*",
                     statements.TORCH_INVERTED.rhs,
                     lambda p: 1, lambda p: (1 - p) / p),
    MinimizerVariant(MIN, "least-squares", "XᵀX for diag(XᵀX), so no regularisation: (XᵀX)⁻¹Xᵀy",
                     r"\left(X^\top X\right)^{-1}X^\top y", lambda p: 1, lambda p: 0),
)


@dataclass(frozen=True)
class DropoutRuleVariant:
    """A dropout implementation for ``dropout.torch-inverted``: entries kept with probability
    ``keep(p)``, kept ones multiplied by ``scale(p)`` (p the keep probability)."""

    claim: str
    name: str
    description: str
    keep: Callable[[Any], Any]
    scale: Callable[[Any], Any]
    correct: bool = False


TORCH = "dropout.torch-inverted"
CORRECT_DROPOUT_RULE = DropoutRuleVariant(TORCH, "stated", "torch.nn.Dropout(1 - p): keep p, kept entries × 1/p",
                                          lambda p: p, lambda p: 1 / p, True)
DROPOUT_RULE_VARIANTS: tuple[DropoutRuleVariant, ...] = (
    DropoutRuleVariant(TORCH, "no-rescaling", "no 1/p rescaling of kept entries", lambda p: p, lambda p: 1),
    DropoutRuleVariant(TORCH, "drop-prob-p", "torch.nn.Dropout(p): p used as the DROP probability",
                       lambda p: 1 - p, lambda p: 1 / (1 - p)),
    DropoutRuleVariant(TORCH, "rescale-by-drop", "kept entries × 1/(1-p)", lambda p: p, lambda p: 1 / (1 - p)),
)


def variants_of(claim: str) -> tuple[ObjectiveVariant | MinimizerVariant | DropoutRuleVariant, ...]:
    """The wrong variants of one dropout claim (what ``Claim.variants`` carries)."""
    return tuple(v for v in all_variants() + DROPOUT_RULE_VARIANTS if v.claim == claim)


def all_variants(include_correct: bool = False) -> tuple[ObjectiveVariant | MinimizerVariant, ...]:
    """Every wrong variant of every dropout claim (and the correct ones first if asked)."""
    correct = (CORRECT_IDENTITY, CORRECT_RESCALED_RIDGE, CORRECT_MINIMIZER) if include_correct else ()
    return correct + IDENTITY_VARIANTS + RESCALED_RIDGE_VARIANTS + MINIMIZER_VARIANTS


def variant_holds_symbolically(variant: ObjectiveVariant | MinimizerVariant) -> bool:
    """True when the variant equals the truth with symbolic entries and p at every size of SYMBOLIC_SIZES."""
    p = sp.Symbol("p", positive=True)
    for n, d in SYMBOLIC_SIZES:
        s = dropout_setting(n, d, p, sp.Symbol("lambda", positive=True))
        X, y, w, R = (s.matrices[k] for k in ("X", "y", "w_tilde", "R"))
        residual = y - R.multiply_elementwise(X) * w
        objective = expect_polynomial((residual.T * residual)[0], s.mask_symbols, p)
        if isinstance(variant, MinimizerVariant):
            if not _stationary(variant, objective, X, y, w, p):
                return False
        elif sp.cancel(sp.together(objective - variant.value(X, y, w, p))) != 0:
            return False
    return True


def _stationary(variant: MinimizerVariant, objective: Any, X: Any, y: Any, w: Any, p: Any) -> bool:
    """Is the gradient of ``objective`` zero at w_c = M⁻¹Xᵀy, M = aXᵀX + b diag(XᵀX)? Without fractions:

    the gradient is affine, g(w) = H w − c, so det(M) g(w_c) = H adj(M) Xᵀy − det(M) c must vanish
    identically. A singular M (det ≡ 0) defines no minimiser: the variant fails.
    """
    gradient = sp.Matrix([sp.diff(objective, wj) for wj in w])
    hessian = gradient.jacobian(list(w))
    offset = -gradient.xreplace({wj: 0 for wj in w})
    gram = X.T * X
    M = variant.gram_coefficient(p) * gram + variant.diagonal_coefficient(p) * sp.diag(
        *[gram[j, j] for j in range(gram.shape[0])])
    det = sp.expand(M.det(method="berkowitz"))
    if sp.cancel(det) == 0:
        return False
    residual = hessian * M.adjugate(method="berkowitz") * X.T * y - det * offset
    return all(sp.cancel(sp.together(sp.expand(e))) == 0 for e in residual)


def variant_survives_monte_carlo(variant: ObjectiveVariant | MinimizerVariant, *, samples: int = 4000,
                                 seed: int = 0, problem: RegressionProblem | None = None) -> Any:
    """The numeric test a variant must pass (a result with ``agrees`` and ``headline``).

    Objective variants: ``monte_carlo_check`` of variant.value at a 50 x 10 problem.
    Minimiser variants: ``monte_carlo_gradient_check`` at the claimed minimiser.
    """
    problem = problem or regression_problem(seed=seed)
    X, y, w, p = problem.X, problem.y, problem.w, problem.keep_probability
    if isinstance(variant, MinimizerVariant):
        return monte_carlo.monte_carlo_gradient_check(X, y, variant.solve(X, y, p), p, samples, seed)
    return monte_carlo.monte_carlo_check(X, y, w, p, variant.value, samples, seed)


def variant_survives_enumeration(variant: ObjectiveVariant | MinimizerVariant, *, n: int = 3, d: int = 2,
                                 seed: int = 0, problem: RegressionProblem | None = None) -> bool:
    """Exact: the variant's value equals the enumerated expectation (gradient = 0 for minimisers)."""
    problem = problem or rational_problem(n, d, seed=seed)
    X, y, w, p = problem.X, problem.y, problem.w, Fraction(problem.keep_probability)
    if isinstance(variant, MinimizerVariant):
        try:
            candidate = variant.solve(X, y, p)
        except np.linalg.LinAlgError:  # the claimed system is singular here: no minimiser at all
            return False
        return all(g == 0 for g in dropout_enumeration.expected_gradient(X, y, candidate, p))
    return dropout_enumeration.expected_squared_residual(X, y, w, p) == variant.value(X, y, w, p)


def variant_catalogue_json() -> list[dict]:
    """Name, claim, description and LaTeX of every variant (for reports and fuzz output)."""
    return [{"claim": v.claim, "name": v.name, "description": v.description, "latex": v.latex,
             "correct": v.correct} for v in all_variants(include_correct=True)]


__all__ = [
    "ObjectiveVariant", "MinimizerVariant", "GammaSquaredVariant", "DropoutRuleVariant", "CORRECT_DROPOUT_RULE",
    "DROPOUT_RULE_VARIANTS", "CORRECT_IDENTITY", "CORRECT_RESCALED_RIDGE", "CORRECT_MINIMIZER",
    "IDENTITY_VARIANTS", "RESCALED_RIDGE_VARIANTS", "MINIMIZER_VARIANTS", "all_variants", "variants_of",
    "variant_holds_symbolically", "variant_survives_monte_carlo", "variant_survives_enumeration",
    "variant_catalogue_json",
]
