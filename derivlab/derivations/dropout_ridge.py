"""Dropout as ordinary Tikhonov after rescaling: with w̃ = w_new/p, λ = (1 − p)/p and
Γ_new = √λ Γ,

    ‖y − pXw̃‖² + p(1 − p)‖Γw̃‖² = ‖y − Xw_new‖² + ‖Γ_new w_new‖²,

so E_R‖y − (R ⊙ X)(w_new/p)‖² = ‖y − Xw_new‖² + ‖Γ_new w_new‖² (p the KEEP probability).
This is what torch.nn.Dropout's inverted scaling (kept entries times 1/p) optimises.
"""

from __future__ import annotations

from derivlab.derivations.statements import RESCALED_RIDGE
from derivlab.derivations.dropout_chain import IDENTITY_STEPS, RESCALING, build_verified_chain, verify_equal
from derivlab.derivations.dropout_symbols import Gamma_new, X, masked_inputs, p, w, w_new, y
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
                 detail=f"direct: E_R||y - (R⊙X) w_new/p||^2 = {RESCALED_RIDGE.rhs_text}: {check}")


def torch_inverted_proof() -> Proof:
    """torch.nn.Dropout(1 − p) feeds (R ⊙ X)/p: E_R‖y − ((R⊙X)/p)w‖² = ‖y − Xw‖² + ‖Γ_new w‖².

    So SGD on torch's objective targets the rescaled ridge solution (XᵀX + λ diag(XᵀX))⁻¹Xᵀy = p w̃*,
    while the plain keep mask (no 1/p) targets w̃* itself (``minimizer_proof``).
    """
    from sympy import Rational

    from derivlab.derivations.dropout_minimizer import minimizer_proof
    from derivlab.derivations.notation import course_latex
    from derivlab.derivations.proof import ProofStep

    inverted = Mean(SquaredNorm(sub(y, mul(mul(Rational(1) / p, masked_inputs), w_new))))
    moved = Mean(SquaredNorm(sub(y, mul(masked_inputs, RESCALING[w]))))
    ridge = add(SquaredNorm(sub(y, mul(X, w_new))), SquaredNorm(mul(Gamma_new, w_new)))
    first_ok, first_check = verify_equal(inverted, moved)
    second_ok, second_check = verify_equal(moved, ridge)
    steps = (
        ProofStep(inverted, course_latex(inverted), "inverted dropout: kept inputs scaled by 1/p, weights w_new",
                  "statement"),
        ProofStep(moved, course_latex(moved), "the scalar 1/p moves onto the weights: w̃ = w_new/p", first_check),
        ProofStep(ridge, course_latex(ridge), "the rescaled ridge identity", second_check),
    )
    minimizer = minimizer_proof()
    holds = first_ok and second_ok and minimizer.holds
    return Proof("dropout.torch-inverted", "index normal form for every n, d; minimiser by SymPy matrix calculus",
                 steps, holds, detail="minimiser of the ridge form: p·w̃* = (XᵀX + λ diag(XᵀX))⁻¹Xᵀy "
                 f"({'verified' if minimizer.holds else 'NOT verified'})", extras={"lemmas": [minimizer]})
