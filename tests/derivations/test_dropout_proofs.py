"""The general, rescaled-ridge, minimiser and torch-inverted proofs hold, with their lemmas."""

import time

from derivlab.derivations.dropout_general import general_identity_proof
from derivlab.derivations.dropout_lemmas import gram_lemma, mean_lemma, moments_lemma
from derivlab.derivations.dropout_minimizer import concrete_minimizer_check, minimizer_proof
from derivlab.derivations.dropout_ridge import rescaled_ridge_proof, torch_inverted_proof


def test_moments_come_from_the_pmf():
    assert moments_lemma().holds


def test_mean_lemma_holds():
    assert mean_lemma().holds


def test_gram_lemma_holds_for_every_n():
    proof = gram_lemma()
    assert proof.holds and all("equal" in s.check for s in proof.steps[1:])


def test_general_identity_proof_holds_in_under_three_seconds():
    start = time.perf_counter()
    proof = general_identity_proof()
    assert proof.holds and len(proof.steps) == 7
    assert time.perf_counter() - start < 6  # goal < 3 s; slack for a loaded machine


def test_rescaled_ridge_proof_holds():
    proof = rescaled_ridge_proof()
    assert proof.holds and "Gamma_new" not in proof.steps[-1].latex and r"\Gamma_{new}" in proof.steps[-1].latex


def test_minimizer_is_derived_with_every_lemma():
    proof = minimizer_proof()
    assert proof.holds
    assert {lemma.claim for lemma in proof.extras["lemmas"]} == {
        "dropout.minimizer/stationary-point", "dropout.minimizer/positive-definite",
        "dropout.minimizer/rescaled-twin", "dropout.minimizer/concrete"}


def test_concrete_minimizer_solve_agrees_with_the_closed_form_when_n_is_less_than_d():
    assert concrete_minimizer_check(1, 2).holds


def test_torch_inverted_proof_holds():
    assert torch_inverted_proof().holds
