"""The symbols of Q3, shared by every dropout proof: X (n x d), y (n), w̃ (d), the
keep mask R (n x d, R_ij ~ Bernoulli(p) i.i.d., p the KEEP probability),
Γ = diag(XᵀX)^{1/2}, λ = (1 − p)/p, w_new (d), Γ_new = √λ Γ."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from derivlab.derivations.notation import DiagPart, hadamard

if TYPE_CHECKING:
    from derivlab.derivations.index_form import IndexRules

n, d = sp.symbols("n d", integer=True, positive=True)
keep_probability = p = sp.Symbol("p", positive=True)
lam = sp.Symbol("lambda", positive=True)

X = sp.MatrixSymbol("X", n, d)
y = sp.MatrixSymbol("y", n, 1)
w = sp.MatrixSymbol("w_tilde", d, 1)
R = sp.MatrixSymbol("R", n, d)
Gamma = sp.MatrixSymbol("Gamma", d, d)
w_new = sp.MatrixSymbol("w_new", d, 1)
Gamma_new = sp.MatrixSymbol("Gamma_new", d, d)
D = sp.MatrixSymbol("D", d, d)  # a name for diag(XᵀX) where SymPy must differentiate

masked_inputs = hadamard(R, X)  # R ⊙ X
gram = X.T * X  # XᵀX
gram_diagonal = DiagPart(gram)  # diag(XᵀX) = Γ²

LAMBDA_DEFINITION = {lam: (1 - p) / p}


def index_rules(**free_ranges: tuple) -> "IndexRules":
    """The normal-form rules for Q3: mask R, keep probability p, Γ² = diag(XᵀX), Γ_new = √λ Γ, λ = (1 − p)/p."""
    from derivlab.derivations.index_form import IndexRules

    return IndexRules(
        mask="R",
        keep_probability=p,
        diagonal_roots={"Gamma": gram},
        matrix_definitions={Gamma_new: sp.sqrt(lam) * Gamma, D: gram_diagonal},
        scalar_definitions=dict(LAMBDA_DEFINITION),
        free_ranges={sp.Symbol(k, integer=True): v for k, v in free_ranges.items()},
    )
