"""The dropout identity for GENERAL n and d:

    E_R‖y − (R ⊙ X)w̃‖² = ‖y − pXw̃‖² + p(1 − p)‖Γw̃‖²,  Γ = diag(XᵀX)^{1/2},

R_ij ~ Bernoulli(p) i.i.d., p the KEEP probability. The chain is the matrix
derivation (``dropout_chain``, steps 0..6), each step verified for every n, d
by the index normal form; its lemmas (moments from the pmf, E[R ⊙ X] = pX,
the Gram lemma) are proved with symbolic indices and ride along in ``extras``.
"""

from __future__ import annotations

from derivlab.derivations.dropout_chain import IDENTITY_STEPS, build_verified_chain
from derivlab.derivations.dropout_lemmas import gram_lemma, mean_lemma, moments_lemma
from derivlab.derivations.proof import Proof
from derivlab.errors import VerificationFailure

METHOD = "matrix chain, each step equal for every n, d (index normal form) and at (n,d) = (3,2), (2,3)"
RULES = ("entries by definition, distributivity of Σ, linearity of E_R, E[R_ij] = p, "
         "E[R_ij R_kl] = p² + p(1 − p)δ_ikδ_jl, Kronecker contraction, renaming of dummies")


def general_identity_proof() -> Proof:
    """The identity (4) for every n, d; holds only if every step and every lemma verified."""
    lemmas = [moments_lemma(), mean_lemma(), gram_lemma()]
    try:
        steps = build_verified_chain(0, IDENTITY_STEPS - 1)
    except VerificationFailure as exc:
        return Proof("dropout.identity", METHOD, (), False, detail=str(exc), extras={"lemmas": lemmas})
    failed = [lemma.claim for lemma in lemmas if not lemma.holds]
    detail = f"lemmas not verified: {', '.join(failed)}" if failed else f"every step and lemma verified; rules: {RULES}"
    return Proof("dropout.identity", METHOD, steps, not failed, detail=detail, extras={"lemmas": lemmas})
