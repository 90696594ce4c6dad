"""The lemmas under the dropout identity, each a verified chain with symbolic indices.

* moments: from the Bernoulli(p) pmf, E[R_ij] = p, E[R_ij²] = p, and by
  independence E[R_ij R_kl] = p² + p(1 − p) δ_ik δ_jl (the rule the index
  normal form applies; p is the KEEP probability);
* mean: E_R[(R ⊙ X)_ij] = p X_ij;
* Gram: E_R[((R ⊙ X)ᵀ(R ⊙ X))_jl] = (p² XᵀX + p(1 − p) diag(XᵀX))_jl for every n.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivlab.derivations.bernoulli_moments import bernoulli_pmf, indexed_monomial_expectation
from derivlab.derivations.dropout_chain import verify_equal
from derivlab.derivations.dropout_symbols import X, d, gram, gram_diagonal, index_rules, masked_inputs, n, p
from derivlab.derivations.index_form import equal_for_all_sizes
from derivlab.derivations.notation import MaskMean, Mean, add, course_latex, mul, transpose
from derivlab.derivations.proof import Proof, ProofStep, is_zero

i, j, k, l = (sp.Symbol(s, integer=True) for s in "ijkl")
_R = sp.IndexedBase("R")
_X = sp.IndexedBase("X")


def _pmf_mean(power: int) -> Any:
    """E[R^power] straight from the pmf: Σ_{r ∈ {0,1}} r^power P(R = r)."""
    return sp.Add(*[sp.Integer(r) ** power * bernoulli_pmf(r, p) for r in (0, 1)])


def moments_lemma() -> Proof:
    """E[R_ij R_kl] = p² + p(1 − p) δ_ik δ_jl, derived from the pmf (same entry: R² = R; else independence)."""
    same = sp.KroneckerDelta(i, k) * sp.KroneckerDelta(j, l)
    first, second = _pmf_mean(1), _pmf_mean(2)
    exprs = [
        MaskMean(_R[i, j] * _R[k, l]),
        same * MaskMean(_R[i, j] ** 2) + (1 - same) * MaskMean(_R[i, j]) * MaskMean(_R[k, l]),
        same * second + (1 - same) * first**2,
        same * p + (1 - same) * p**2,
        p**2 + p * (1 - p) * same,
    ]
    rules = [
        "moment of a product of two mask entries",
        "the entries coincide (δ_ik δ_jl = 1) or are independent (E of a product = product of E)",
        "definition of E for R ~ Bernoulli(p): Σ_r r^k P(R = r), P(R = r) = p^r (1 − p)^(1 − r)",
        "E[R] = E[R²] = p",
        "collect",
    ]
    rule_value = indexed_monomial_expectation([(i, j), (k, l)], p)
    checks = [
        "statement",
        f"both cases against the moment rule used by every proof: {is_zero(exprs[1].subs(_moments_by_rule()) - rule_value)}",
        f"pmf sums: E[R] = {sp.expand(first)}, E[R^2] = {sp.expand(second)}",
        f"expand: {is_zero(exprs[2] - exprs[3])}",
        f"expand: {is_zero(exprs[3] - exprs[4])}",
    ]
    holds = (
        is_zero(exprs[1].subs(_moments_by_rule()) - rule_value)
        and is_zero(exprs[2] - exprs[3])
        and is_zero(exprs[3] - exprs[4])
        and is_zero(exprs[4] - rule_value)
        and is_zero(first - p)
        and is_zero(second - p)
    )
    steps = tuple(ProofStep(e, course_latex(e), r, c) for e, r, c in zip(exprs, rules, checks))
    return Proof("dropout.moments", "Bernoulli pmf, idempotence R² = R, independence", steps, holds)


def _moments_by_rule() -> dict:
    return {
        MaskMean(_R[i, j] ** 2): indexed_monomial_expectation([(i, j), (i, j)], p),
        MaskMean(_R[i, j]): indexed_monomial_expectation([(i, j)], p),
        MaskMean(_R[k, l]): indexed_monomial_expectation([(k, l)], p),
    }


def mean_lemma() -> Proof:
    """E_R[(R ⊙ X)_ij] = E[R_ij] X_ij = p X_ij = (pX)_ij."""
    exprs = [
        MatrixElement(Mean(masked_inputs), i, j),
        MaskMean(_R[i, j] * _X[i, j]),
        _X[i, j] * MaskMean(_R[i, j]),
        p * _X[i, j],
        MatrixElement(mul(p, X), i, j),
    ]
    rules = ["statement", "entry of R ⊙ X", "X is fixed: linearity", "E[R_ij] = p", "entry of pX"]
    return _entry_chain("dropout.mean-lemma", exprs, rules, free={"i": (1, n), "j": (1, d)})


def gram_lemma() -> Proof:
    """E_R[(R ⊙ X)ᵀ(R ⊙ X)] = p² XᵀX + p(1 − p) diag(XᵀX), entry (j, l), for every n."""
    P = masked_inputs
    body = _R[i, j] * _X[i, j] * _R[i, l] * _X[i, l]
    exprs = [
        MatrixElement(Mean(mul(transpose(P), P)), j, l),
        MaskMean(sp.Sum(body, (i, 1, n))),
        sp.Sum(_X[i, j] * _X[i, l] * MaskMean(_R[i, j] * _R[i, l]), (i, 1, n)),
        sp.Sum(_X[i, j] * _X[i, l] * (p**2 + p * (1 - p) * sp.KroneckerDelta(j, l)), (i, 1, n)),
        p**2 * sp.Sum(_X[i, j] * _X[i, l], (i, 1, n))
        + p * (1 - p) * sp.KroneckerDelta(j, l) * sp.Sum(_X[i, j] ** 2, (i, 1, n)),
        MatrixElement(add(mul(p**2, gram), mul(p * (1 - p), gram_diagonal)), j, l),
    ]
    rules = [
        "statement",
        "entry of (R ⊙ X)ᵀ(R ⊙ X): Σ_i over the rows",
        "linearity of E_R over the finite sum; X fixed",
        "moments lemma with k = i: E[R_ij R_il] = p² + p(1 − p) δ_jl",
        "distribute; δ_jl X_ij X_il = δ_jl X_ij²",
        "entries of XᵀX and diag(XᵀX) (δ_jl (XᵀX)_jl)",
    ]
    proof = _entry_chain("dropout.gram-lemma", exprs, rules, free={"j": (1, d), "l": (1, d)})
    whole_ok, whole_check = verify_equal(Mean(mul(transpose(P), P)), add(mul(p**2, gram), mul(p * (1 - p), gram_diagonal)))
    return Proof(proof.claim, proof.method, proof.steps, proof.holds and whole_ok,
                 detail=f"as whole matrices: {whole_check}")


def _entry_chain(claim: str, exprs: list, rules: list[str], free: dict) -> Proof:
    rules_ = index_rules(**free)
    steps = [ProofStep(exprs[0], course_latex(exprs[0]), rules[0], "statement")]
    holds = True
    for prev, expr, rule in zip(exprs, exprs[1:], rules[1:]):
        ok = equal_for_all_sizes(prev, expr, rules_)
        holds = holds and ok
        steps.append(ProofStep(expr, course_latex(expr), rule,
                               f"index normal form, free indices in range, every n, d: {'equal' if ok else 'NOT equal'}"))
    return Proof(claim, "index normal form (indexed sums, Kronecker deltas, symbolic n, d)", tuple(steps), holds)
