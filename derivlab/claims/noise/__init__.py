"""The noise-injection claims (layer 3): Gaussian input noise is ridge, Gaussian dropout is Tikhonov.

Registered by discovery: ``derivlab.claims`` collects ``CLAIMS`` from every topic module or package.
"""

from __future__ import annotations

from functools import partial

from derivlab.claims import Claim, Confirmation
from derivlab.claims.noise import confirmations as conf
from derivlab.derivations import statements
from derivlab.derivations.proof import Proof

def _additive() -> Proof:
    from derivlab.derivations.noise.proofs import additive_gaussian_proof

    return additive_gaussian_proof()


def _dropout() -> Proof:
    from derivlab.derivations.noise.proofs import gaussian_dropout_proof

    return gaussian_dropout_proof()


def _confirmations(claim: str) -> tuple[Confirmation, ...]:
    return (
        Confirmation("exact-two-point", partial(conf.exact_two_point, claim),
                     "exact rationals: the two-point law ±s has the Gaussian's first two moments; wrong versions differ"),
        Confirmation("monte-carlo", partial(conf.monte_carlo_check, claim),
                     "Gaussian draws at 50 x 10, |z| < 4.89 (false alarms 1e-6); wrong versions must be rejected"),
    )


def noise_claims() -> list[Claim]:
    return [
        Claim("noise.additive-gaussian", "Gaussian input noise is ridge regression (λ = nσ²)",
              statements.ADDITIVE_GAUSSIAN, _additive, _confirmations("noise.additive-gaussian")),
        Claim("noise.gaussian-dropout", "Multiplicative Gaussian noise (Gaussian dropout) is Tikhonov",
              statements.GAUSSIAN_DROPOUT, _dropout, _confirmations("noise.gaussian-dropout")),
    ]


CLAIMS = noise_claims
