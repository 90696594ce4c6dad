"""Q3's claims: dropout on linear regression is Tikhonov regularisation.

Each claim = statement + SymPy proof + numeric confirmations
(``dropout_confirmations``). p is the KEEP probability, R_ij ~ Bernoulli(p)
i.i.d.; torch.nn.Dropout takes the drop probability 1 − p and rescales by 1/p.
"""

from __future__ import annotations

from derivlab.claims import Claim, Confirmation
from derivlab.claims import dropout_confirmations as conf
from derivlab.derivations.proof import Proof

IDENTITY_LATEX = (r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right] = \|y - pX\tilde{w}\|_2^2"
                  r" + p(1-p)\|\Gamma\tilde{w}\|_2^2,\quad \Gamma = \operatorname{diag}(X^\top X)^{1/2}")
RIDGE_LATEX = (r"\tilde{w} = w_{new}/p,\ \lambda = \tfrac{1-p}{p},\ \Gamma_{new} = \sqrt{\lambda}\,\Gamma:\quad "
               r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right] = \|y - Xw_{new}\|_2^2"
               r" + \|\Gamma_{new} w_{new}\|_2^2")
MINIMIZER_LATEX = (r"\tilde{w}^* = \left(pX^\top X + (1-p)\operatorname{diag}(X^\top X)\right)^{-1}X^\top y,\quad "
                   r"p\,\tilde{w}^* = \left(X^\top X + \lambda\operatorname{diag}(X^\top X)\right)^{-1}X^\top y")
TORCH_LATEX = (r"\text{SGD with } \mathtt{nn.Dropout}(1-p) \text{ on the inputs} \to "
               r"\left(X^\top X + \lambda\operatorname{diag}(X^\top X)\right)^{-1}X^\top y;\ "
               r"\text{with the plain keep mask} \to \tilde{w}^*")


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
        Claim("dropout.identity", "Dropout's expected loss is Tikhonov-regularised least squares", IDENTITY_LATEX,
              _identity_proof, (
                  Confirmation("exact-enumeration", conf.identity_enumeration,
                               "all 2^(nd) masks in exact rationals at tiny sizes; wrong variants must differ"),
                  Confirmation("monte-carlo", conf.identity_monte_carlo,
                               "50 x 10, |z| < 4.89 (false alarms 1e-6); wrong variants must be rejected"),
              ), question="Q3"),
        Claim("dropout.rescaled-ridge", "With w~ = w_new/p dropout is ordinary Tikhonov", RIDGE_LATEX,
              _ridge_proof, (
                  Confirmation("exact-enumeration", conf.ridge_enumeration, "all masks, exact, at w~ = w_new/p"),
                  Confirmation("monte-carlo", conf.ridge_monte_carlo, "50 x 10 at w~ = w_new/p"),
              ), question="Q3"),
        Claim("dropout.minimizer", "The minimiser of the dropout objective in closed form", MINIMIZER_LATEX,
              _minimizer_proof, (
                  Confirmation("exact-gradient", conf.minimizer_exact_gradient,
                               "expected gradient over all masks is exactly 0 at the closed form"),
                  Confirmation("monte-carlo", conf.minimizer_monte_carlo,
                               "sampled gradient at the closed form is 0 within Bonferroni z-bounds"),
              ), question="Q3"),
        Claim("dropout.torch-inverted", "SGD with torch.nn.Dropout converges to the rescaled ridge solution",
              TORCH_LATEX, _torch_proof, (
                  Confirmation("torch-sgd", conf.torch_sgd,
                               "bias-free nn.Linear, nn.Dropout(1-p) in train mode, Polyak-Ruppert averaging"),
              ), question="Q3"),
    ]


CLAIMS = dropout_claims  # discovered by derivlab.claims
