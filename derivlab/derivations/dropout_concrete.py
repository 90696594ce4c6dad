"""The dropout identity EXACTLY at concrete sizes with symbolic entries (n = d = 8 in ~0.1 s).

Everything lives in one polynomial ring Z[R_ij, x_ij, y_i, w_j, p]: the
objective ‖y − (R ⊙ X)w̃‖² is built from the definitions (Hadamard product,
matrix-vector product, squared norm), E_R is the monomial rule on the
polynomial's dictionary (E[∏ R^k] = p^{#distinct entries}: R² = R and
independence; p is the KEEP probability), and the result is compared with
‖y − pXw̃‖² + p(1 − p) w̃ᵀdiag(XᵀX)w̃ built the same way. No 2^{nd} mask
enumeration, no re-expansion: the squared residual has only
n(1 + 2d + d(d + 1)/2) monomials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.polys.domains import ZZ
from sympy.polys.rings import ring

from derivlab.derivations.bernoulli_moments import expect_ring_polynomial
from derivlab.derivations.proof import Proof, ProofStep

STATEMENT_LATEX = r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]"
MEAN_LATEX = r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right] \text{ (expanded)}"
CLOSED_FORM_LATEX = r"\|y - p\, X \tilde{w}\|_2^2 + p(1 - p)\, \|\Gamma \tilde{w}\|_2^2"


@dataclass(frozen=True)
class ConcreteProblem:
    """The ring Z[R, x, y, w, p] at sizes n x d and its generators as nested lists."""

    n: int
    d: int
    ring: Any
    R: list
    X: list
    y: list
    w: list
    p: Any
    mask_positions: tuple[int, ...]
    p_position: int


def concrete_problem(n: int, d: int) -> ConcreteProblem:
    """Symbolic entries R_ij, x_ij, y_i, w_j and p as generators of one polynomial ring over Z."""
    if n < 1 or d < 1:
        raise ValueError("sizes must be at least 1")
    names = (
        [f"R_{i + 1}_{j + 1}" for i in range(n) for j in range(d)]
        + [f"x_{i + 1}_{j + 1}" for i in range(n) for j in range(d)]
        + [f"y_{i + 1}" for i in range(n)]
        + [f"w_{j + 1}" for j in range(d)]
        + ["p"]
    )
    poly_ring, *gens = ring(",".join(names), ZZ)
    m = n * d
    R = [gens[i * d:(i + 1) * d] for i in range(n)]
    X = [gens[m + i * d:m + (i + 1) * d] for i in range(n)]
    y = gens[2 * m:2 * m + n]
    w = gens[2 * m + n:2 * m + n + d]
    return ConcreteProblem(n, d, poly_ring, R, X, y, w, gens[-1], tuple(range(m)), len(gens) - 1)


def _squared_norm(v: list) -> Any:
    return sum((e * e for e in v[1:]), v[0] * v[0])


def _mat_vec(M: list, v: list) -> list:
    return [sum((row[j] * v[j] for j in range(1, len(v))), row[0] * v[0]) for row in M]


def squared_residual(problem: ConcreteProblem) -> Any:
    """‖y − (R ⊙ X)w̃‖² from the definitions: (R ⊙ X)_ij = R_ij x_ij, (Aw̃)_i = Σ_j A_ij w_j, ‖v‖² = Σ v_i²."""
    masked = [[r * x for r, x in zip(r_row, x_row)] for r_row, x_row in zip(problem.R, problem.X)]
    prediction = _mat_vec(masked, problem.w)
    return _squared_norm([yi - fi for yi, fi in zip(problem.y, prediction)])


def closed_form(problem: ConcreteProblem) -> Any:
    """‖y − pXw̃‖² + p(1 − p)‖Γw̃‖², with ‖Γw̃‖² = Σ_j Γ_jj² w_j² and Γ_jj² = (XᵀX)_jj = Σ_i x_ij²."""
    p = problem.p
    mean_residual = [yi - p * fi for yi, fi in zip(problem.y, _mat_vec(problem.X, problem.w))]
    gram_diagonal = [_squared_norm([row[j] for row in problem.X]) for j in range(problem.d)]
    tikhonov = sum((g * wj * wj for g, wj in zip(gram_diagonal, problem.w)), problem.ring.zero)
    return _squared_norm(mean_residual) + p * (1 - p) * tikhonov


def expected_squared_residual(problem: ConcreteProblem) -> Any:
    """E_R‖y − (R ⊙ X)w̃‖² by the monomial rule (exact polynomial in x, y, w, p)."""
    return expect_ring_polynomial(squared_residual(problem), problem.mask_positions, problem.p_position)


def concrete_identity_proof(n: int, d: int) -> Proof:
    """The identity (4) at n x d with symbolic entries, computed from the definitions (not typed in)."""
    problem = concrete_problem(n, d)
    objective = squared_residual(problem)
    mean = expect_ring_polynomial(objective, problem.mask_positions, problem.p_position)
    rhs = closed_form(problem)
    holds = mean == rhs
    steps = (
        ProofStep(objective, STATEMENT_LATEX, f"definition at n={n}, d={d}: {len(objective)} monomials", "statement"),
        ProofStep(mean, MEAN_LATEX,
                  "linearity of E_R; E[∏ R_ij^k_ij] = p^{#(i,j): k_ij ≥ 1} (R² = R, independent entries)",
                  f"monomial rule on {len(objective)} terms of Z[R, x, y, w, p] -> {len(mean)} terms"),
        ProofStep(rhs, CLOSED_FORM_LATEX, "Γ_jj² = (XᵀX)_jj = Σ_i x_ij²",
                  f"equal as polynomials (exact, {len(rhs)} terms): {holds}"),
    )
    return Proof("dropout.identity", f"exact polynomial arithmetic at n={n}, d={d} with symbolic entries",
                 steps, holds, detail=f"{n * d} mask entries, {len(objective)} monomials")


def to_sympy(problem: ConcreteProblem, f: Any, masks: dict | None = None) -> Any:
    """A ring element as a SymPy expression, the mask generators optionally replaced (e.g. by random symbols)."""
    expr = f.as_expr()
    if masks:
        expr = expr.xreplace(masks)
    return expr


def mask_symbols(problem: ConcreteProblem) -> list[sp.Symbol]:
    """The SymPy symbols of the mask entries R_ij (row by row)."""
    return [sp.Symbol(str(g)) for row in problem.R for g in row]


def sympy_stats_identity_check(n: int, d: int, *, pre_expanded: bool = False) -> bool:
    """The benchmark's baseline: sympy.stats.E with Bernoulli random symbols on the same objective
    Σ_i (y_i − Σ_j R_ij x_ij w_j)² (as defined, or pre-expanded), then the same comparison with the
    closed form in the same ring."""
    from sympy.stats import Bernoulli, E

    problem = concrete_problem(n, d)
    p = sp.Symbol("p")
    sym = lambda g: sp.Symbol(str(g))  # noqa: E731
    randoms = {s: Bernoulli(s.name, p) for s in mask_symbols(problem)}
    if pre_expanded:
        objective = to_sympy(problem, squared_residual(problem), randoms)
    else:
        objective = sp.Add(*[
            (sym(problem.y[i]) - sp.Add(*[randoms[sym(problem.R[i][j])] * sym(problem.X[i][j]) * sym(problem.w[j])
                                          for j in range(d)])) ** 2
            for i in range(n)])
    expectation = E(objective)
    return problem.ring(expectation) == closed_form(problem)  # ring conversion expands fast
