"""Symbols of the noise problem: X (n x d), y (n), w (d), the noise N (n x d), σ (additive noise
standard deviation, so the variance is σ²), α (variance of the multiplicative noise),
Γ = diag(XᵀX)^{1/2}; and the index-normal-form rules with Gaussian moments."""

from __future__ import annotations

from typing import Any

import sympy as sp

from derivlab.derivations.moments import Normal, NoiseSpec
from derivlab.derivations.notation import DiagPart

n, d = sp.symbols("n d", integer=True, positive=True)
sigma = sp.Symbol("sigma", positive=True)
alpha = sp.Symbol("alpha", positive=True)

X = sp.MatrixSymbol("X", n, d)
y = sp.MatrixSymbol("y", n, 1)
w = sp.MatrixSymbol("w", d, 1)
N = sp.MatrixSymbol("N", n, d)
Gamma = sp.MatrixSymbol("Gamma", d, d)
ones = sp.OneMatrix(n, d)  # 𝟏𝟏ᵀ: the mean of the multiplicative noise
I_d = sp.Identity(d)

gram = X.T * X
gram_diagonal = DiagPart(gram)

ADDITIVE = NoiseSpec(Normal(0, sigma**2), "entries")  # N_ij ~ N(0, σ²) i.i.d.
MULTIPLICATIVE = NoiseSpec(Normal(0, alpha), "entries")  # N_ij ~ N(0, α) i.i.d., M = 1 + N


def index_rules(spec: NoiseSpec, **free_ranges: tuple) -> Any:
    """Normal-form rules: the noise N with the moments of ``spec``, Γ² = diag(XᵀX)."""
    from derivlab.derivations.index_form import IndexRules

    return IndexRules(
        mask="N", keep_probability=None, noise=spec, diagonal_roots={"Gamma": gram},
        free_ranges={sp.Symbol(k, integer=True): v for k, v in free_ranges.items()},
    )
