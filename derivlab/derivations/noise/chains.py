"""The two noise identities derived in MATRIX notation (the student format), each step verified
before it is returned: for EVERY n, d by the index normal form with Gaussian moments
(``moments.NoiseSpec``: E[N_ij] = 0, E[N_ij N_kl] = v δ_ik δ_jl, higher moments by Isserlis), and
at (n, d) = (3, 2), (2, 3) with symbolic entries (``concrete_eval`` with the same moments applied
to explicit polynomials).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from derivlab.derivations.concrete_eval import ConcreteSetting, equal_at_size
from derivlab.derivations.index_form import equal_for_all_sizes
from derivlab.derivations.moments import NoiseSpec
from derivlab.derivations.noise.symbols import (
    ADDITIVE, MULTIPLICATIVE, Gamma, I_d, N, X, alpha, gram_diagonal, index_rules, n, ones, sigma, w, y,
)
from derivlab.derivations.notation import Mean, SquaredNorm, add, course_latex, hadamard, mul, sub, transpose
from derivlab.derivations.proof import ProofStep
from derivlab.errors import VerificationFailure

CONCRETE_SIZES: tuple[tuple[int, int], ...] = ((3, 2), (2, 3))


@dataclass(frozen=True)
class Written:
    expr: Any
    rule: str


def noise_latex(expr: Any) -> str:
    """Course LaTeX with the expectation over N and 𝟏𝟏ᵀ, I_d written out."""
    return (course_latex(expr).replace(r"\mathbb{E}_R", r"\mathbb{E}_N")
            .replace("(1 + N)", r"(\mathbf{1}\mathbf{1}^\top + N)").replace(r"\mathbb{I}", "I_d"))


def additive_steps() -> list[Written]:
    r = sub(y, mul(X, w))
    return [
        Written(Mean(SquaredNorm(sub(y, mul(add(X, N), w)))), "definition: inputs corrupted by additive noise N"),
        Written(Mean(SquaredNorm(sub(r, mul(N, w)))), "distribute: (X + N)w = Xw + Nw"),
        Written(Mean(add(SquaredNorm(r), mul(-2, transpose(r), N, w), mul(w.T, transpose(N), N, w))),
                "expand the square ‖a − b‖² = ‖a‖² − 2aᵀb + ‖b‖², ‖Nw‖² = wᵀNᵀNw"),
        Written(add(SquaredNorm(r), mul(-2, transpose(r), Mean(N), w), mul(w.T, Mean(mul(transpose(N), N)), w)),
                "linearity of E_N (y, X, w fixed)"),
        Written(add(SquaredNorm(r), mul(w.T, Mean(mul(transpose(N), N)), w)), "E[N_ij] = 0, so E_N[N] = 0"),
        Written(add(SquaredNorm(r), mul(w.T, mul(n * sigma**2, I_d), w)),
                "lemma E_N[NᵀN] = nσ² I_d: (NᵀN)_jl = Σ_i N_ij N_il and E[N_ij N_il] = σ² δ_jl"),
        Written(add(SquaredNorm(r), mul(n * sigma**2, SquaredNorm(w))), "wᵀ I_d w = ‖w‖²: ridge with λ = nσ²"),
    ]


def multiplicative_steps() -> list[Written]:
    r = sub(y, mul(X, w))
    P = hadamard(X, N)
    return [
        Written(Mean(SquaredNorm(sub(y, mul(hadamard(X, add(ones, N)), w)))),
                "definition: multiplicative noise M = 𝟏𝟏ᵀ + N, E[M_ij] = 1, Var M_ij = α"),
        Written(Mean(SquaredNorm(sub(r, mul(P, w)))), "X ⊙ (𝟏𝟏ᵀ + N) = X + X ⊙ N"),
        Written(Mean(add(SquaredNorm(r), mul(-2, transpose(r), P, w), mul(w.T, transpose(P), P, w))),
                "expand the square ‖a − b‖² = ‖a‖² − 2aᵀb + ‖b‖²"),
        Written(add(SquaredNorm(r), mul(-2, transpose(r), Mean(P), w), mul(w.T, Mean(mul(transpose(P), P)), w)),
                "linearity of E_N (y, X, w fixed)"),
        Written(add(SquaredNorm(r), mul(w.T, Mean(mul(transpose(P), P)), w)),
                "E_N[X ⊙ N] = X ⊙ E_N[N] = 0"),
        Written(add(SquaredNorm(r), mul(w.T, mul(alpha, gram_diagonal), w)),
                "lemma E_N[(X ⊙ N)ᵀ(X ⊙ N)] = α diag(XᵀX): E[N_ij N_il] = α δ_jl"),
        Written(add(SquaredNorm(r), mul(alpha, SquaredNorm(mul(Gamma, w)))),
                "Γ = diag(XᵀX)^{1/2} is diagonal: wᵀdiag(XᵀX)w = ‖Γw‖²"),
    ]


def concrete_setting(n_: int, d_: int, spec: NoiseSpec) -> ConcreteSetting:
    """Explicit X, y, w, N, Γ at n_ x d_ with symbolic entries; E_N by ``spec``'s moments."""
    x = sp.Matrix(n_, d_, lambda i, j: sp.Symbol(f"x_{i + 1}{j + 1}", real=True))
    noise = spec.variables((n_, d_), "N")
    norms = [sp.sqrt(sum(x[i, j] ** 2 for i in range(n_))) for j in range(d_)]
    matrices = {
        "X": x, "N": sp.Matrix(noise),
        "y": sp.Matrix(n_, 1, lambda i, _: sp.Symbol(f"y_{i + 1}", real=True)),
        "w": sp.Matrix(d_, 1, lambda j, _: sp.Symbol(f"w_{j + 1}", real=True)),
        "Gamma": sp.diag(*norms),
    }
    flat = tuple(s for row in noise for s in row)
    return ConcreteSetting(n_, d_, matrices, flat, None, {}, lambda e: spec.expect_polynomial(e, noise))


def _sized(expr: Any, n_: int, d_: int) -> Any:
    from derivlab.derivations.noise.symbols import d

    return expr.subs({n: n_, d: d_})


def verify_equal(lhs: Any, rhs: Any, spec: NoiseSpec) -> tuple[bool, str]:
    """lhs = rhs by the index normal form (every n, d) AND at each concrete size; with a one-line record."""
    general = equal_for_all_sizes(lhs, rhs, index_rules(spec))
    concrete = [equal_at_size(_sized(lhs, a, b), _sized(rhs, a, b), concrete_setting(a, b, spec))
                for a, b in CONCRETE_SIZES]
    sizes = ", ".join(f"({a},{b})" for a, b in CONCRETE_SIZES)
    check = (f"index normal form with Gaussian moments {'equal' if general else 'NOT equal'} for every n, d; "
             f"expanded with symbolic entries at (n,d) = {sizes}: {'equal' if all(concrete) else 'NOT equal'}")
    return general and all(concrete), check


def verified_chain(written: list[Written], spec: NoiseSpec, claim: str) -> tuple[ProofStep, ...]:
    """Every step checked against the previous one; VerificationFailure at the first bad step."""
    steps = [ProofStep(written[0].expr, noise_latex(written[0].expr), written[0].rule, "statement")]
    for prev, step in zip(written, written[1:]):
        ok, check = verify_equal(prev.expr, step.expr, spec)
        if not ok:
            raise VerificationFailure(f"{claim} step {len(steps)} did not verify: {step.rule}")
        steps.append(ProofStep(step.expr, noise_latex(step.expr), step.rule, check))
    return tuple(steps)


def additive_chain() -> tuple[ProofStep, ...]:
    return verified_chain(additive_steps(), ADDITIVE, "noise.additive-gaussian")


def multiplicative_chain() -> tuple[ProofStep, ...]:
    return verified_chain(multiplicative_steps(), MULTIPLICATIVE, "noise.gaussian-dropout")


def derivation_tex(steps: tuple[ProofStep, ...]) -> str:
    """A chain as one align* block in the student format."""
    rows = [steps[0].latex] + [f"&= {s.latex}" for s in steps[1:]]
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"
