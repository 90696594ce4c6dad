"""Plausible wrong versions of the dropout claims, and the two checks that must reject them.

p is the KEEP probability; Γ~² = diag(XᵀX) (squared column norms); λ = (1 - p)/p.
Each claim has its correct candidate (the control) and its mutants; a judge holds the
claim's symbolic check (SymPy, exact expectation over a symbolic mask via the Bernoulli
moment rules, symbolic X, y, w, p at a size where every mutant is visible) and numeric
check (a seeded Monte Carlo z-test at false-alarm probability 1e-6, or torch's own
dropout for the torch claim).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from derivlab.derivations.bernoulli_moments import expect_polynomial
from derivlab.testing._judging import Candidate, Judge, NumericVerdict, z_test

SYMBOLIC_SIZE = (2, 3)  # n, d: d ≥ 2 so XᵀX ≠ diag(XᵀX); n ≥ 2 so sums over rows matter
KEEP = 0.3  # the numeric instance's keep probability (p ≠ 1/2, where p² = p(1 - p))
SAMPLES = 20_000


def _gram_diag(X: Any) -> Any:
    return (X * X).sum(axis=0)


def _sq(v: Any) -> Any:
    return np.dot(v, v)


def _is_zero(expr: Any) -> bool:
    """Exact zero test for a rational function of the symbols: the expanded numerator is 0
    (canonical, so a nonzero numerator proves the expression is not identically zero)."""
    return sp.expand(sp.numer(sp.together(sp.expand(expr)))) == 0


# --- candidates ---------------------------------------------------------------------------

def _identity(name: str, description: str, rhs: Any, correct: bool = False) -> Candidate:
    return Candidate("dropout.identity", name, description, rhs, correct)


IDENTITY = [
    _identity("stated", "||y - pXw||² + p(1-p)||Γw||²",
              lambda X, y, w, p: _sq(y - p * (X @ w)) + p * (1 - p) * np.dot(_gram_diag(X), w * w), True),
    _identity("p-squared", "p² in place of p(1-p)",
              lambda X, y, w, p: _sq(y - p * (X @ w)) + p**2 * np.dot(_gram_diag(X), w * w)),
    _identity("full-gram", "wᵀXᵀXw in place of wᵀdiag(XᵀX)w",
              lambda X, y, w, p: _sq(y - p * (X @ w)) + p * (1 - p) * _sq(X @ w)),
    _identity("unscaled-residual", "||y - Xw||² in place of ||y - pXw||²",
              lambda X, y, w, p: _sq(y - X @ w) + p * (1 - p) * np.dot(_gram_diag(X), w * w)),
    _identity("dropped-p", "(1-p) in place of p(1-p) (a dropped factor p)",
              lambda X, y, w, p: _sq(y - p * (X @ w)) + (1 - p) * np.dot(_gram_diag(X), w * w)),
    _identity("wrong-sign", "- p(1-p)||Γw||² (penalty subtracted)",
              lambda X, y, w, p: _sq(y - p * (X @ w)) - p * (1 - p) * np.dot(_gram_diag(X), w * w)),
    _identity("odds-ratio", "(1-p)/p in place of p(1-p)",
              lambda X, y, w, p: _sq(y - p * (X @ w)) + (1 - p) / p * np.dot(_gram_diag(X), w * w)),
    _identity("gamma-not-square-rooted", "Γ = diag(XᵀX) without the square root",
              lambda X, y, w, p: _sq(y - p * (X @ w)) + p * (1 - p) * np.dot(_gram_diag(X) ** 2, w * w)),
    _identity("no-penalty", "E[R_ij²] = p² (independence applied to equal entries): no penalty",
              lambda X, y, w, p: _sq(y - p * (X @ w))),
]


def _ridge(name: str, description: str, rhs: Any, correct: bool = False) -> Candidate:
    return Candidate("dropout.rescaled-ridge", name, description, rhs, correct)


RESCALED_RIDGE = [
    _ridge("stated", "||y - X w_new||² + ||√λ Γ w_new||², λ = (1-p)/p",
           lambda X, y, w, p: _sq(y - X @ w) + (1 - p) / p * np.dot(_gram_diag(X), w * w), True),
    _ridge("lambda-not-sqrt", "Γ_new = λΓ in place of √λ Γ",
           lambda X, y, w, p: _sq(y - X @ w) + ((1 - p) / p) ** 2 * np.dot(_gram_diag(X), w * w)),
    _ridge("inverted-odds", "λ = p/(1-p) in place of (1-p)/p",
           lambda X, y, w, p: _sq(y - X @ w) + p / (1 - p) * np.dot(_gram_diag(X), w * w)),
    _ridge("unrescaled-penalty", "λ = p(1-p), the penalty of (4) left unrescaled",
           lambda X, y, w, p: _sq(y - X @ w) + p * (1 - p) * np.dot(_gram_diag(X), w * w)),
]


def _minimizer(name: str, description: str, system: Any, correct: bool = False) -> Candidate:
    """``system(X, y, p) -> (A, b)``: the candidate minimiser solves A w = b."""
    return Candidate("dropout.minimizer", name, description, system, correct)


def _diag(v: Any) -> Any:
    out = np.zeros((len(v), len(v)), dtype=object if v.dtype == object else float)
    for j, x in enumerate(v):
        out[j, j] = x
    return out


MINIMIZER = [
    _minimizer("stated", "w~* = (p²XᵀX + p(1-p) diag(XᵀX))⁻¹ p Xᵀy",
               lambda X, y, p: (p**2 * (X.T @ X) + p * (1 - p) * _diag(_gram_diag(X)), p * (X.T @ y)), True),
    _minimizer("p-squared-diag", "p² diag(XᵀX) in place of p(1-p) diag(XᵀX)",
               lambda X, y, p: (p**2 * (X.T @ X) + p**2 * _diag(_gram_diag(X)), p * (X.T @ y))),
    _minimizer("missing-p", "Xᵀy in place of p Xᵀy",
               lambda X, y, p: (p**2 * (X.T @ X) + p * (1 - p) * _diag(_gram_diag(X)), X.T @ y)),
    _minimizer("ridge-solution", "the rescaled ridge solution w_new (forgetting w~ = w_new / p)",
               lambda X, y, p: (X.T @ X + (1 - p) / p * _diag(_gram_diag(X)), X.T @ y)),
]


def _torch(name: str, description: str, keep: Any, scale: Any, correct: bool = False) -> Candidate:
    """A dropout implementation: entries kept with probability ``keep(p)``, kept ones × ``scale(p)``."""
    return Candidate("dropout.torch-inverted", name, description, (keep, scale), correct)


TORCH_INVERTED = [
    _torch("stated", "torch.nn.Dropout(1 - p): keep p, kept entries × 1/p",
           lambda p: p, lambda p: 1 / p, True),
    _torch("no-rescaling", "no 1/p rescaling of kept entries",
           lambda p: p, lambda p: 1),
    _torch("drop-prob-p", "torch.nn.Dropout(p): p used as the DROP probability",
           lambda p: 1 - p, lambda p: 1 / (1 - p)),
    _torch("rescale-by-drop", "kept entries × 1/(1-p)",
           lambda p: p, lambda p: 1 / (1 - p)),
]


# --- symbolic checks ----------------------------------------------------------------------

def _symbols(n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, sp.Symbol]:
    X = np.array(sp.symbols(f"x0:{n * d}", real=True), dtype=object).reshape(n, d)
    R = np.array(sp.symbols(f"r0:{n * d}"), dtype=object).reshape(n, d)
    y = np.array(sp.symbols(f"y0:{n}", real=True), dtype=object)
    w = np.array(sp.symbols(f"w0:{d}", real=True), dtype=object)
    return X, R, y, w, sp.Symbol("p", positive=True)


def _expected_objective(scale_of_p: Any = lambda p: 1, keep_of_p: Any = lambda p: p) -> tuple[Any, ...]:
    X, R, y, w, p = _symbols(*SYMBOLIC_SIZE)
    residual = y - scale_of_p(p) * ((R * X) @ w)
    expectation = expect_polynomial(_sq(residual), list(R.ravel()), keep_of_p(p))
    return expectation, X, y, w, p


def _symbolic_value(candidate: Candidate, scale_of_p: Any) -> bool:
    expectation, X, y, w, p = _expected_objective(scale_of_p)
    return _is_zero(expectation - candidate.formula(X, y, w, p))


def _symbolic_minimizer(candidate: Candidate) -> bool:
    """∇E = 2Mw - 2c is linear in w; w = A⁻¹b zeroes it iff M adj(A) b = det(A) c (no division)."""
    expectation, X, y, w, p = _expected_objective()
    grad = sp.Matrix([sp.diff(expectation, wj) for wj in w])
    M = grad.jacobian(list(w)) / 2
    c = -grad.subs({wj: 0 for wj in w}) / 2
    A, b = candidate.formula(X, y, p)
    A, b = sp.Matrix(A), sp.Matrix(b)
    return all(_is_zero(e) for e in (M * A.adjugate() * b - A.det() * c))


def _symbolic_torch(candidate: Candidate) -> bool:
    """E_R ∇_w ||y - s (R ⊙ X) w||² with R ~ Bernoulli(keep) against the ridge gradient, λ = (1-p)/p."""
    keep, scale = candidate.formula
    expectation, X, y, w, p = _expected_objective(scale, keep)
    lam = (1 - p) / p
    ridge = _sq(y - X @ w) + lam * np.dot(_gram_diag(X), w * w)
    return all(_is_zero(sp.diff(expectation - ridge, wj)) for wj in w)


# --- numeric checks (the instance is fixed; the seed drives the masks) --------------------

def _instance() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2024)
    X = rng.normal(size=(4, 3))
    return X, rng.normal(size=4), rng.normal(size=3)


def _masks(seed: int, shape: tuple[int, int], keep: float, samples: int = SAMPLES) -> np.ndarray:
    return (np.random.default_rng(seed).random((samples, *shape)) < keep).astype(float)


def _numeric_value(candidate: Candidate, seed: int, scale: float) -> NumericVerdict:
    X, y, w = _instance()
    R = _masks(seed, X.shape, KEEP)
    residuals = y[None, :] - scale * np.einsum("sij,j->si", R * X[None], w)
    values = np.einsum("si,si->s", residuals, residuals)
    return z_test(values, candidate.formula(X, y, w, KEEP))


def _numeric_minimizer(candidate: Candidate, seed: int) -> NumericVerdict:
    X, y, _ = _instance()
    A, b = candidate.formula(X, y, KEEP)
    w = np.linalg.solve(np.asarray(A, dtype=float), np.asarray(b, dtype=float))
    P = _masks(seed, X.shape, KEEP) * X[None]
    grads = -2 * np.einsum("sij,si->sj", P, y[None, :] - np.einsum("sij,j->si", P, w))
    return z_test(grads, np.zeros(X.shape[1]))


def _numeric_torch(candidate: Candidate, seed: int) -> NumericVerdict:
    """Torch's own dropout: F.dropout(X, 1 - keep) keeps with prob ``keep`` and scales by 1/keep;
    the candidate's scale is then applied on top (× scale · keep). Mean gradient vs ridge's."""
    import torch

    keep, scale = candidate.formula
    X, y, w = _instance()
    lam = (1 - KEEP) / KEEP
    ridge_grad = 2 * (X.T @ X + lam * np.diag(_gram_diag(X))) @ w - 2 * X.T @ y
    gen_state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        batch = torch.as_tensor(X, dtype=torch.float64).expand(SAMPLES, *X.shape)
        k = float(keep(KEEP))
        P = torch.nn.functional.dropout(batch, p=1 - k, training=True) * (float(scale(KEEP)) * k)
    finally:
        torch.random.set_rng_state(gen_state)
    P = P.numpy()
    grads = -2 * np.einsum("sij,si->sj", P, y[None, :] - np.einsum("sij,j->si", P, w))
    return z_test(grads, ridge_grad)


JUDGES = {
    "dropout.identity": Judge(
        "dropout.identity", f"SymPy: exact E_R by Bernoulli moments at n, d = {SYMBOLIC_SIZE}, symbolic X, y, w, p",
        f"Monte Carlo z-test, {SAMPLES} masks, p = {KEEP}, alpha 1e-6",
        lambda c: _symbolic_value(c, lambda p: 1), lambda c, s: _numeric_value(c, s, 1.0)),
    "dropout.rescaled-ridge": Judge(
        "dropout.rescaled-ridge", f"SymPy: exact E_R ||y - (R⊙X) w_new/p||² at n, d = {SYMBOLIC_SIZE}",
        f"Monte Carlo z-test, {SAMPLES} masks, p = {KEEP}, alpha 1e-6",
        lambda c: _symbolic_value(c, lambda p: 1 / p), lambda c, s: _numeric_value(c, s, 1 / KEEP)),
    "dropout.minimizer": Judge(
        "dropout.minimizer", f"SymPy: gradient of the exact expected objective vanishes at A⁻¹b, n, d = {SYMBOLIC_SIZE}",
        f"Monte Carlo z-test of the mean gradient at the candidate, {SAMPLES} masks, Bonferroni over d",
        _symbolic_minimizer, _numeric_minimizer),
    "dropout.torch-inverted": Judge(
        "dropout.torch-inverted", "SymPy: expected gradient under the candidate's mask equals the ridge gradient",
        f"torch.nn.functional.dropout on {SAMPLES} copies of X (float64), mean gradient z-test vs ridge",
        _symbolic_torch, _numeric_torch),
}

CANDIDATES: list[Candidate] = IDENTITY + RESCALED_RIDGE + MINIMIZER + TORCH_INVERTED
