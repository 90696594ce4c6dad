"""The dropout identity derived in MATRIX notation, in the student format of
docs/spec/derivation-format.md (no Σ, no indices), from E_R‖y − (R ⊙ X)w̃‖² to
‖y − pXw̃‖² + p(1 − p)‖Γw̃‖², then on to the rescaled ridge form.

Every step is verified before it is returned, twice: for EVERY n, d by the
index normal form (``index_form``), and at concrete sizes (3, 2) and (2, 3)
with symbolic entries by the moment rules (``concrete_eval``). p is the KEEP
probability; R_ij ~ Bernoulli(p) i.i.d.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sympy as sp

from derivlab.derivations.concrete_eval import dropout_setting, equal_at_size
from derivlab.derivations.dropout_symbols import (
    Gamma,
    Gamma_new,
    X,
    gram_diagonal,
    index_rules,
    lam,
    masked_inputs,
    p,
    w,
    w_new,
    y,
)
from derivlab.derivations.index_form import equal_for_all_sizes
from derivlab.derivations.notation import Mean, SquaredNorm, add, course_latex, mul, sub, transpose
from derivlab.derivations.proof import ProofStep
from derivlab.errors import VerificationFailure

CONCRETE_SIZES: tuple[tuple[int, int], ...] = ((3, 2), (2, 3))
RESCALING = {w: w_new / p}  # w̃ = w_new / p
RESCALING_LATEX = r"\text{let } \tilde{w} = w_{new}/p"


@dataclass(frozen=True)
class _Written:
    expr: Any
    rule: str
    substitution: dict | None = None  # applied to the previous step before comparing


def _written_steps() -> list[_Written]:
    P = masked_inputs
    tikhonov = SquaredNorm(mul(Gamma, w))
    return [
        _Written(Mean(SquaredNorm(sub(y, mul(P, w)))), "definition of the dropout objective (2)"),
        _Written(
            Mean(add(y.T * y, mul(-2, w.T, transpose(P), y), mul(w.T, transpose(P), P, w))),
            "expand the square: ‖v‖² = vᵀv, (Aw̃)ᵀ = w̃ᵀAᵀ, and the scalar yᵀAw̃ equals its transpose w̃ᵀAᵀy",
        ),
        _Written(
            add(y.T * y, mul(-2 * p, w.T, X.T, y), mul(w.T, Mean(mul(transpose(P), P)), w)),
            "linearity of E_R (y, w̃ fixed) and E_R[R ⊙ X] = pX, since E[R_ij] = p",
        ),
        _Written(
            add(y.T * y, mul(-2 * p, w.T, X.T, y),
                mul(w.T, add(mul(p**2, X.T, X), mul(p * (1 - p), gram_diagonal)), w)),
            "lemma E_R[(R ⊙ X)ᵀ(R ⊙ X)] = p²XᵀX + p(1 − p)diag(XᵀX): E[R_ij R_il] = p² + p(1 − p)δ_jl",
        ),
        _Written(
            add(y.T * y, mul(-2 * p, w.T, X.T, y), mul(p**2, w.T, X.T, X, w),
                mul(p * (1 - p), w.T, gram_diagonal, w)),
            "distribute the quadratic form",
        ),
        _Written(
            add(SquaredNorm(sub(y, mul(p, X, w))), mul(p * (1 - p), w.T, gram_diagonal, w)),
            "complete the square: ‖y − pXw̃‖² = yᵀy − 2p w̃ᵀXᵀy + p² w̃ᵀXᵀXw̃",
        ),
        _Written(
            add(SquaredNorm(sub(y, mul(p, X, w))), mul(p * (1 - p), tikhonov)),
            "Γ = diag(XᵀX)^{1/2} is diagonal, so w̃ᵀdiag(XᵀX)w̃ = w̃ᵀΓᵀΓw̃ = ‖Γw̃‖²",
        ),
        _Written(
            add(SquaredNorm(sub(y, mul(X, w_new))), mul((1 - p) / p, SquaredNorm(mul(Gamma, w_new)))),
            "substitute w̃ = w_new/p: pXw̃ = Xw_new and p(1 − p)/p² = (1 − p)/p",
            RESCALING,
        ),
        _Written(
            add(SquaredNorm(sub(y, mul(X, w_new))), mul(lam, SquaredNorm(mul(Gamma, w_new)))),
            "λ = (1 − p)/p",
        ),
        _Written(
            add(SquaredNorm(sub(y, mul(X, w_new))), SquaredNorm(mul(sp.sqrt(lam), Gamma, w_new))),
            "λ‖v‖² = ‖√λ v‖² for λ > 0",
        ),
        _Written(
            add(SquaredNorm(sub(y, mul(X, w_new))), SquaredNorm(mul(Gamma_new, w_new))),
            "Γ_new = √λ Γ: ordinary Tikhonov (generalized ridge) in w_new",
        ),
    ]


IDENTITY_STEPS = 7  # steps 0..6 end at ‖y − pXw̃‖² + p(1 − p)‖Γw̃‖²; steps 6..10 are the rescaling


def verify_equal(lhs: Any, rhs: Any, sizes: tuple[tuple[int, int], ...] = CONCRETE_SIZES) -> tuple[bool, str]:
    """Is lhs = rhs? By the index normal form (every n, d) AND at each concrete size; with a one-line record."""
    general = equal_for_all_sizes(lhs, rhs, index_rules())
    concrete = [equal_at_size(lhs, rhs, dropout_setting(n_, d_, p, lam)) for n_, d_ in sizes]
    sizes_text = ", ".join(f"({n_},{d_})" for n_, d_ in sizes)
    check = (
        f"index normal form {'equal' if general else 'NOT equal'} for every n, d; "
        f"expanded with symbolic entries at (n,d) = {sizes_text}: "
        f"{'equal' if all(concrete) else 'NOT equal'}"
    )
    return general and all(concrete), check


def build_verified_chain(first: int = 0, last: int | None = None) -> tuple[ProofStep, ...]:
    """Verify steps first..last now (uncached; default: all); raises VerificationFailure at the first bad step."""
    written = _written_steps()[first:None if last is None else last + 1]
    steps = [ProofStep(written[0].expr, course_latex(written[0].expr), written[0].rule, "statement")]
    for prev, step in zip(written, written[1:]):
        lhs = prev.expr.xreplace(step.substitution) if step.substitution else prev.expr
        ok, check = verify_equal(lhs, step.expr)
        if not ok:
            raise VerificationFailure(f"dropout chain step {first + len(steps)} did not verify: {step.rule}")
        steps.append(ProofStep(step.expr, course_latex(step.expr), step.rule, check))
    return tuple(steps)


def matrix_derivation_chain() -> list[ProofStep]:
    """E_R‖y − (R⊙X)w̃‖² = ... = ‖y − pXw̃‖² + p(1−p)‖Γw̃‖² = ... = ‖y − Xw_new‖² + ‖Γ_new w_new‖².

    Steps 0..6 are the identity (4); step 7 substitutes w̃ = w_new/p (the row
    ``RESCALING_LATEX`` precedes it in the written derivation). Each step's
    ``check`` records how it was verified; a step that fails raises
    VerificationFailure instead of being returned.
    """
    return list(_cached_chain())


@lru_cache(maxsize=1)
def _cached_chain() -> tuple[ProofStep, ...]:
    return build_verified_chain()


def substitution_before(index: int) -> str | None:
    """The definition row to write before step ``index`` (the rescaling), or None."""
    return RESCALING_LATEX if index == IDENTITY_STEPS else None
