"""The minimiser of the dropout objective, DERIVED (not typed in):

    L(w̃) = yᵀy − 2p w̃ᵀXᵀy + p² w̃ᵀXᵀXw̃ + p(1 − p) w̃ᵀDw̃,   D = diag(XᵀX)   (the identity),
    ∇L = 2p(Aw̃ − Xᵀy),  A = pXᵀX + (1 − p)D,   ∇²L = 2pA ≻ 0,
    w̃* = −(∇²L)⁻¹ ∇L(0) = A⁻¹Xᵀy,   p w̃* = (XᵀX + λD)⁻¹Xᵀy,  λ = (1 − p)/p.

SymPy's matrix calculus takes the derivatives (D is a symbol with Dᵀ = D);
every equality between matrix expressions is checked for all n, d by the index
normal form and at concrete sizes; A ≻ 0 because w̃ᵀAw̃ = p‖Xw̃‖² + (1 − p)‖Γw̃‖²
and ‖Γw̃‖² = Σ_j ‖X_:j‖² w̃_j² > 0 for w̃ ≠ 0 when every column of X is non-zero.
p is the KEEP probability, 0 < p < 1.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derivlab.derivations.bernoulli_moments import expect_polynomial
from derivlab.derivations.concrete_eval import dropout_setting
from derivlab.derivations.dropout_chain import verify_equal
from derivlab.derivations.dropout_symbols import D, Gamma, X, d, gram, gram_diagonal, lam, p, w, y
from derivlab.derivations.notation import SquaredNorm, add, course_latex, mul, sub
from derivlab.derivations.proof import Proof, ProofStep

A = sp.MatrixSymbol("A", d, d)  # A := pXᵀX + (1 − p)diag(XᵀX), symmetric and invertible
B = sp.MatrixSymbol("B", d, d)  # B := XᵀX + λ diag(XᵀX)
A_DEFINITION = add(mul(p, X.T, X), mul(1 - p, gram_diagonal))
B_DEFINITION = add(gram, mul(lam, gram_diagonal))
METHOD = "SymPy matrix calculus (gradient, Hessian), index normal form for every n, d, concrete solve at (3,2)"


def _objective() -> Any:
    """The proved objective, written with D = diag(XᵀX) so that SymPy can differentiate it."""
    return y.T * y - 2 * p * w.T * X.T * y + p**2 * w.T * X.T * X * w + p * (1 - p) * w.T * D * w


def _step(expr: Any, rule: str, ok: bool, check: str) -> tuple[ProofStep, bool]:
    return ProofStep(expr, course_latex(expr), rule, check), ok


def _gradient_chain() -> list[tuple[ProofStep, bool]]:
    objective = _objective()
    link_ok, link_check = verify_equal(objective, add(SquaredNorm(sub(y, mul(p, X, w))), mul(p * (1 - p), SquaredNorm(mul(Gamma, w)))))
    gradient = objective.diff(w).xreplace({D.T: D})
    stated = mul(2 * p, sub(mul(A_DEFINITION, w), X.T * y))
    grad_ok, grad_check = verify_equal(gradient, stated)
    return [
        _step(sp.Derivative(objective, w), "gradient of the dropout objective, by the identity (4) with D = diag(XᵀX)",
              link_ok, f"objective = ‖y − pXw̃‖² + p(1 − p)‖Γw̃‖²: {link_check}"),
        _step(gradient, "SymPy matrix derivative (D symmetric)", True, "sympy MatrixExpr.diff"),
        _step(stated, "collect: A = pXᵀX + (1 − p)diag(XᵀX)", grad_ok, grad_check),
    ]


def _stationary_point() -> Proof:
    """∇L affine: H = ∂∇L/∂w̃ = 2pA, ∇L(0) = −2pXᵀy, so w̃* = −H⁻¹∇L(0) = A⁻¹Xᵀy and ∇L(w̃*) = 0."""
    gradient_in_A = 2 * p * (A * w - X.T * y)
    hessian = gradient_in_A.diff(w).xreplace({A.T: A})
    hessian_ok, hessian_check = verify_equal(hessian.xreplace({A: A_DEFINITION}), mul(2 * p, A_DEFINITION))
    at_zero = gradient_in_A.xreplace({w: sp.ZeroMatrix(d, 1)}).doit()
    minimizer = (-sp.Inverse(hessian) * at_zero).doit()
    at_minimizer = gradient_in_A.xreplace({w: minimizer}).doit()
    zero = at_minimizer == sp.ZeroMatrix(d, 1) or at_minimizer == 0
    stated = sp.Inverse(A_DEFINITION) * X.T * y
    steps = (
        ProofStep(hessian, course_latex(hessian), "Hessian ∂(2p(Aw̃ − Xᵀy))/∂w̃ (A symmetric)", hessian_check),
        ProofStep(minimizer, course_latex(minimizer), "w̃* = −H⁻¹ ∇L(0), ∇L(0) = −2pXᵀy", "sympy doit"),
        ProofStep(stated, course_latex(stated), "A = pXᵀX + (1 − p)diag(XᵀX)",
                  f"∇L(w̃*) = 2p(AA⁻¹Xᵀy − Xᵀy) simplifies to 0: {zero}"),
    )
    return Proof("dropout.minimizer/stationary-point", "SymPy matrix calculus", steps,
                 hessian_ok and minimizer == sp.Inverse(A) * X.T * y and zero)


def _positive_definite() -> Proof:
    """w̃ᵀAw̃ = p‖Xw̃‖² + (1 − p)‖Γw̃‖² with p, 1 − p > 0 (checked with p = 1/(1 + t), t > 0)."""
    quadratic = w.T * A_DEFINITION * w
    split = add(mul(p, SquaredNorm(X * w)), mul(1 - p, SquaredNorm(mul(Gamma, w))))
    ok, check = verify_equal(quadratic, split)
    t = sp.Symbol("t", positive=True)
    signs = bool((p / 1).subs(p, 1 / (1 + t)).is_positive) and bool((1 - p).subs(p, 1 / (1 + t)).is_positive)
    steps = (
        ProofStep(quadratic, course_latex(quadratic), "quadratic form of A", "statement"),
        ProofStep(split, course_latex(split), "‖Γw̃‖² = Σ_j ‖X_:j‖² w̃_j² > 0 for w̃ ≠ 0 (columns non-zero); p, 1 − p > 0",
                  f"{check}; signs of p and 1 − p on (0, 1): {signs}"),
    )
    return Proof("dropout.minimizer/positive-definite", "index normal form + SymPy assumptions", steps, ok and signs)


def _rescaled_twin() -> Proof:
    """A = pB with B = XᵀX + λ diag(XᵀX), so p w̃* = p(pB)⁻¹Xᵀy = B⁻¹Xᵀy."""
    ok, check = verify_equal(A_DEFINITION, mul(p, B_DEFINITION))
    scaled = sp.MatMul(p, sp.Inverse(sp.MatMul(p, B, evaluate=False)), X.T, y, evaluate=False)
    twin = scaled.doit()
    steps = (
        ProofStep(scaled, course_latex(scaled), "p w̃* with A = pB", check),
        ProofStep(twin, course_latex(twin), "(pB)⁻¹ = B⁻¹/p", "sympy doit"),
        ProofStep(sp.Inverse(B_DEFINITION) * X.T * y, course_latex(sp.Inverse(B_DEFINITION) * X.T * y),
                  "B = XᵀX + λ diag(XᵀX), λ = (1 − p)/p", "definition"),
    )
    return Proof("dropout.minimizer/rescaled-twin", "index normal form + SymPy inverse rules", steps,
                 ok and twin == sp.Inverse(B) * X.T * y)


def concrete_minimizer_check(n: int = 3, d_: int = 2) -> Proof:
    """At n x d with symbolic entries: solve ∇E_R‖y − (R⊙X)w̃‖² = 0 (moment rules), compare with A⁻¹Xᵀy."""
    s = dropout_setting(n, d_, p, lam)
    Xc, yc, wc, Rc = (s.matrices[k] for k in ("X", "y", "w_tilde", "R"))
    residual = yc - Rc.multiply_elementwise(Xc) * wc
    objective = expect_polynomial((residual.T * residual)[0], s.mask_symbols, p)
    gradient = sp.Matrix([sp.diff(objective, wj) for wj in wc])
    solution = sp.solve(list(gradient), list(wc), dict=True)
    gram_c = Xc.T * Xc
    closed = (p * gram_c + (1 - p) * sp.diag(*[gram_c[j, j] for j in range(d_)])).LUsolve(Xc.T * yc)
    ok = len(solution) == 1 and all(sp.cancel(sp.together(solution[0][wj] - closed[j])) == 0 for j, wj in enumerate(wc))
    step = ProofStep(closed, course_latex(sp.Inverse(A_DEFINITION) * X.T * y),
                     f"solve the gradient of the exact expectation at n={n}, d={d_}",
                     f"sympy.solve gives one solution equal to the closed form: {ok}")
    return Proof("dropout.minimizer/concrete", f"symbolic solve at ({n},{d_})", (step,), ok)


def minimizer_proof() -> Proof:
    """The gradient chain; holds only if it and every lemma (stationary point, A ≻ 0, rescaled twin, concrete) verify."""
    chain = _gradient_chain()
    lemmas = [_stationary_point(), _positive_definite(), _rescaled_twin(), concrete_minimizer_check()]
    failed = [lemma.claim for lemma in lemmas if not lemma.holds]
    holds = all(ok for _, ok in chain) and not failed
    detail = ("w̃* = (pXᵀX + (1−p)diag(XᵀX))⁻¹Xᵀy, p·w̃* = (XᵀX + λ diag(XᵀX))⁻¹Xᵀy"
              if holds else f"not verified: {', '.join(failed) or 'gradient chain'}")
    return Proof("dropout.minimizer", METHOD, tuple(step for step, _ in chain), holds, detail=detail,
                 extras={"lemmas": lemmas})
