"""The general-n, d proofs of the noise claims: they hold, stay under 3 s, and reject wrong steps."""

import time

import pytest

from derivlab.derivations.noise import chains, proofs, variants
from derivlab.derivations.noise.symbols import ADDITIVE, MULTIPLICATIVE, I_d, N, X, alpha, n, sigma, w, y
from derivlab.derivations.notation import Mean, SquaredNorm, add, mul, sub, transpose


@pytest.mark.parametrize("build", [proofs.additive_gaussian_proof, proofs.gaussian_dropout_proof])
def test_proof_holds_in_under_three_seconds(build):
    t0 = time.perf_counter()
    proof = build()
    assert proof.holds and len(proof.steps) == 7
    assert all(lemma.holds for lemma in proof.extras["lemmas"])
    assert time.perf_counter() - t0 < 3.0


def test_a_wrong_lemma_step_is_rejected_for_every_size():
    r = sub(y, mul(X, w))
    with_lemma = add(SquaredNorm(r), mul(w.T, Mean(mul(transpose(N), N)), w))
    wrong = add(SquaredNorm(r), mul(w.T, mul(sigma**2, I_d), w))  # σ² I for nσ² I
    assert not chains.verify_equal(with_lemma, wrong, ADDITIVE)[0]
    right = add(SquaredNorm(r), mul(w.T, mul(n * sigma**2, I_d), w))
    assert chains.verify_equal(with_lemma, right, ADDITIVE)[0]


def test_bernoulli_moments_do_not_prove_the_gaussian_claim():
    """The moment rule matters: with N ~ N(0, α) replaced by Bernoulli masks the chain breaks."""
    from derivlab.derivations.moments import Bernoulli, NoiseSpec

    steps = chains.multiplicative_steps()
    ok, _ = chains.verify_equal(steps[4].expr, steps[5].expr, NoiseSpec(Bernoulli(alpha)))
    assert not ok and chains.verify_equal(steps[4].expr, steps[5].expr, MULTIPLICATIVE)[0]


@pytest.mark.parametrize("variant", variants.all_variants(), ids=lambda v: f"{v.claim}:{v.name}")
def test_every_wrong_version_is_rejected_by_the_general_proof_and_at_concrete_sizes(variant):
    assert not variants.holds_for_all_sizes(variant)
    assert not variants.holds_symbolically(variant)


@pytest.mark.parametrize("variant", [variants.CORRECT_ADDITIVE, variants.CORRECT_DROPOUT])
def test_the_correct_versions_are_accepted(variant):
    assert variants.holds_for_all_sizes(variant) and variants.holds_symbolically(variant)
