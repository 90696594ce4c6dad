"""Dropout as ordinary Tikhonov after rescaling: with w̃ = w_new/p, λ = (1 − p)/p and
Γ_new = √λ Γ,

    ‖y − pXw̃‖² + p(1 − p)‖Γw̃‖² = ‖y − Xw_new‖² + ‖Γ_new w_new‖²,

so E_R‖y − (R ⊙ X)(w_new/p)‖² = ‖y − Xw_new‖² + ‖Γ_new w_new‖² (p the KEEP probability).
This is what torch.nn.Dropout's inverted scaling (kept entries times 1/p) optimises.
"""

from __future__ import annotations

from derivlab.derivations.dropout_chain import IDENTITY_STEPS, RESCALING, build_verified_chain, verify_equal
from derivlab.derivations.dropout_symbols import Gamma_new, X, masked_inputs, w, w_new, y
from derivlab.derivations.notation import Mean, SquaredNorm, add, mul, sub
from derivlab.derivations.proof import Proof
from derivlab.errors import VerificationFailure

METHOD = "substitution w̃ = w_new/p in the proved identity; every step equal for all n, d (index normal form)"


def rescaled_ridge_proof() -> Proof:
    """Steps 6..10 of the matrix chain, plus the direct check E_R‖y − (R⊙X)w_new/p‖² = ridge form."""
    try:
        steps = build_verified_chain(IDENTITY_STEPS - 1)
    except VerificationFailure as exc:
        return Proof("dropout.rescaled-ridge", METHOD, (), False, detail=str(exc))
    direct_lhs = Mean(SquaredNorm(sub(y, mul(masked_inputs, RESCALING[w]))))
    ridge = add(SquaredNorm(sub(y, mul(X, w_new))), SquaredNorm(mul(Gamma_new, w_new)))
    direct, check = verify_equal(direct_lhs, ridge)
    return Proof("dropout.rescaled-ridge", METHOD, steps, direct,
                 detail=f"direct: E_R||y - (R⊙X) w_new/p||^2 = ||y - X w_new||^2 + ||Γ_new w_new||^2: {check}")
