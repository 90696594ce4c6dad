"""Plausible wrong versions of the dropout claims, and the two checks that must reject them.

p is the KEEP probability; Γ~² = diag(XᵀX) (squared column norms); λ = (1 - p)/p.

identity, rescaled ridge, minimiser: the candidates are the correct version and the wrong
variants each claim carries (``Claim.variants``, from ``derivations.dropout_variants``),
judged by the catalogue's own checks:
``variant_holds_symbolically`` (SymPy, exact expectation over symbolic masks at sizes
(1,1), (2,2), (3,2), (2,3)) and ``variant_survives_monte_carlo`` (50 x 10, |z| < Z_THRESHOLD,
false alarms 1e-6; the gradient test for minimisers).

torch inverted dropout: a candidate is a dropout rule (``DropoutRuleVariant``: keep
probability, scale of kept entries); symbolic check = SymPy's exact expected gradient
under that rule equals the ridge gradient; numeric check = torch.nn.functional.dropout
itself on 20,000 copies of X, mean gradient z-test (alpha 1e-6, Bonferroni over d).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from derivlab.claims import all_claims
from derivlab.derivations import dropout_variants as owner
from derivlab.derivations.bernoulli_moments import expect_polynomial
from derivlab.numerics.monte_carlo import Z_THRESHOLD
from derivlab.testing._judging import Candidate, Judge, NumericVerdict, z_test

SYMBOLIC_SIZE = (2, 3)  # n, d: d ≥ 2 so XᵀX ≠ diag(XᵀX); n ≥ 2 so sums over rows matter
KEEP = 0.3  # the torch instance's keep probability (p ≠ 1/2, where p² = p(1 - p))
SAMPLES = 20_000


def _gram_diag(X: Any) -> Any:
    return (X * X).sum(axis=0)


def _sq(v: Any) -> Any:
    return np.dot(v, v)


def _is_zero(expr: Any) -> bool:
    """Exact zero test for a rational function of the symbols: the expanded numerator is 0
    (canonical, so a nonzero numerator proves the expression is not identically zero)."""
    return sp.expand(sp.numer(sp.together(sp.expand(expr)))) == 0


# --- identity, rescaled ridge, minimiser: the claims' own wrong variants -------------------

def _from_owner(variant: Any) -> Candidate:
    return Candidate(variant.claim, "stated" if variant.correct else variant.name, variant.description, variant,
                     variant.correct)


OWNER_CANDIDATES = [_from_owner(v) for v in (owner.CORRECT_IDENTITY, owner.CORRECT_RESCALED_RIDGE, owner.CORRECT_MINIMIZER)]
OWNER_CANDIDATES += [_from_owner(v) for cid in (owner.ID, owner.RR, owner.MIN) for v in all_claims()[cid].variants]
IDENTITY = [c for c in OWNER_CANDIDATES if c.claim == owner.ID]
RESCALED_RIDGE = [c for c in OWNER_CANDIDATES if c.claim == owner.RR]
MINIMIZER = [c for c in OWNER_CANDIDATES if c.claim == owner.MIN]


def _owner_symbolic(candidate: Candidate) -> bool:
    return owner.variant_holds_symbolically(candidate.formula)


def _owner_numeric(candidate: Candidate, seed: int) -> NumericVerdict:
    result = owner.variant_survives_monte_carlo(candidate.formula, seed=seed)
    return NumericVerdict(bool(result.agrees), {"headline": result.headline, "samples": result.samples})


# --- torch inverted dropout -----------------------------------------------------------------

def _rule(variant: owner.DropoutRuleVariant) -> Candidate:
    """A dropout implementation: entries kept with probability ``keep(p)``, kept ones × ``scale(p)``."""
    return Candidate(variant.claim, variant.name, variant.description, (variant.keep, variant.scale), variant.correct)


TORCH_INVERTED = [_rule(owner.CORRECT_DROPOUT_RULE)] + [_rule(v) for v in all_claims()[owner.TORCH].variants]


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


_OWNER_SYMBOLIC = "dropout_variants.variant_holds_symbolically: SymPy, exact E_R at sizes (1,1), (2,2), (3,2), (2,3)"
_OWNER_NUMERIC = f"dropout_variants.variant_survives_monte_carlo: 50 x 10, 4000 masks, |z| < {Z_THRESHOLD:.2f} (alpha 1e-6)"

JUDGES = {
    claim: Judge(claim, _OWNER_SYMBOLIC, _OWNER_NUMERIC + (" (gradient test)" if claim == owner.MIN else ""),
                 _owner_symbolic, _owner_numeric)
    for claim in (owner.ID, owner.RR, owner.MIN)
}
JUDGES["dropout.torch-inverted"] = Judge(
    "dropout.torch-inverted", "SymPy: expected gradient under the candidate's mask equals the ridge gradient",
    f"torch.nn.functional.dropout on {SAMPLES} copies of X (float64), mean gradient z-test vs ridge",
    _symbolic_torch, _numeric_torch)

CANDIDATES: list[Candidate] = IDENTITY + RESCALED_RIDGE + MINIMIZER + TORCH_INVERTED
