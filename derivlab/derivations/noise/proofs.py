"""The general-n, d proofs of the two noise claims: the verified matrix chain plus its lemmas."""

from __future__ import annotations

from derivlab.derivations.noise import chains, lemmas
from derivlab.derivations.noise.symbols import MULTIPLICATIVE
from derivlab.derivations.proof import Proof
from derivlab.errors import VerificationFailure

METHOD = "matrix chain, each step equal for every n, d (index normal form, Gaussian moments) and at (3,2), (2,3)"
RULES = ("entries by definition, distributivity of Σ, linearity of E_N, E[N_ij] = 0, E[N_ij N_kl] = v δ_ik δ_jl "
         "(Isserlis), Kronecker contraction, renaming of dummies")


def _proof(claim: str, build, lemma_list) -> Proof:
    try:
        steps = build()
    except VerificationFailure as exc:
        return Proof(claim, METHOD, (), False, detail=str(exc), extras={"lemmas": lemma_list})
    failed = [lemma.claim for lemma in lemma_list if not lemma.holds]
    detail = f"lemmas not verified: {', '.join(failed)}" if failed else f"every step and lemma verified; rules: {RULES}"
    return Proof(claim, METHOD, steps, not failed, detail=detail, extras={"lemmas": lemma_list})


def additive_gaussian_proof() -> Proof:
    """E_N‖y − (X + N)w‖² = ‖y − Xw‖² + nσ²‖w‖² for every n, d."""
    return _proof("noise.additive-gaussian", chains.additive_chain, [lemmas.moments_lemma(), lemmas.noise_gram_lemma()])


def gaussian_dropout_proof() -> Proof:
    """E_N‖y − (X ⊙ (𝟏𝟏ᵀ + N))w‖² = ‖y − Xw‖² + α‖Γw‖² for every n, d."""
    return _proof("noise.gaussian-dropout", chains.multiplicative_chain,
                  [lemmas.moments_lemma(MULTIPLICATIVE), lemmas.masked_gram_lemma()])
