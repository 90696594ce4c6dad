"""Q3's claims: dropout on linear regression is Tikhonov regularisation.

Each claim = statement + SymPy proof + numeric confirmations
(``dropout_confirmations``). p is the KEEP probability, R_ij ~ Bernoulli(p)
i.i.d.; torch.nn.Dropout takes the drop probability 1 − p and rescales by 1/p.
"""

from __future__ import annotations

from derivlab.claims import Claim, Confirmation
from derivlab.claims import dropout_confirmations as conf
from derivlab.derivations import statements
from derivlab.derivations.dropout_variants import variants_of
from derivlab.derivations.proof import Proof
from derivlab.numerics.monte_carlo import Z_THRESHOLD

def _identity_proof() -> Proof:
    """The general proof, confirmed independently by the exact ring proof at n = d = 8."""
    from derivlab.derivations.dropout_concrete import concrete_identity_proof
    from derivlab.derivations.dropout_general import general_identity_proof

    general = general_identity_proof()
    concrete = concrete_identity_proof(8, 8)
    extras = dict(general.extras)
    extras["concrete"] = concrete
    detail = f"{general.detail}; independent exact check at n=d=8: {'equal' if concrete.holds else 'NOT equal'}"
    return Proof(general.claim, general.method, general.steps, general.holds and concrete.holds, detail, extras)


def _ridge_proof() -> Proof:
    from derivlab.derivations.dropout_ridge import rescaled_ridge_proof

    return rescaled_ridge_proof()


def _minimizer_proof() -> Proof:
    from derivlab.derivations.dropout_minimizer import minimizer_proof

    return minimizer_proof()


def _torch_proof() -> Proof:
    from derivlab.derivations.dropout_ridge import torch_inverted_proof

    return torch_inverted_proof()


def dropout_claims() -> list[Claim]:
    """The four dropout claims, in the stable order of ``CLAIM_IDS``."""
    return [
        Claim("dropout.identity", "Dropout's expected loss is Tikhonov-regularised least squares", statements.IDENTITY,
              _identity_proof, (
                  Confirmation("exact-enumeration", conf.identity_enumeration,
                               "all 2^(nd) masks in exact rationals at tiny sizes; wrong variants must differ"),
                  Confirmation("monte-carlo", conf.identity_monte_carlo,
                               f"50 x 10, |z| < {Z_THRESHOLD:.2f} (false alarms 1e-6); wrong variants must be rejected"),
              ), variants_of("dropout.identity")),
        Claim("dropout.rescaled-ridge", "With w~ = w_new/p dropout is ordinary Tikhonov", statements.RESCALED_RIDGE,
              _ridge_proof, (
                  Confirmation("exact-enumeration", conf.ridge_enumeration, "all masks, exact, at w~ = w_new/p"),
                  Confirmation("monte-carlo", conf.ridge_monte_carlo, "50 x 10 at w~ = w_new/p"),
              ), variants_of("dropout.rescaled-ridge")),
        Claim("dropout.minimizer", "The minimiser of the dropout objective in closed form",
              statements.MINIMIZER,
              _minimizer_proof, (
                  Confirmation("exact-gradient", conf.minimizer_exact_gradient,
                               "expected gradient over all masks is exactly 0 at the closed form"),
                  Confirmation("monte-carlo", conf.minimizer_monte_carlo,
                               "sampled gradient at the closed form is 0 within Bonferroni z-bounds"),
              ), variants_of("dropout.minimizer")),
        Claim("dropout.torch-inverted", "SGD with torch.nn.Dropout converges to the rescaled ridge solution",
              statements.TORCH_INVERTED, _torch_proof, (
                  Confirmation("torch-sgd", conf.torch_sgd,
                               "bias-free nn.Linear, nn.Dropout(1-p) in train mode, Polyak-Ruppert averaging"),
              ), variants_of("dropout.torch-inverted")),
    ]


CLAIMS = dropout_claims  # discovered by derivlab.claims
