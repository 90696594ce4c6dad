"""Lemmas under the noise identities, each checked by SymPy:

* moments: for N ~ N(0, v), E[N^k] from the moment generating function exp(vt²/2) equals the
  Isserlis count (k − 1)!! v^{k/2} (0 for odd k), k = 0..6; for 2, 3 and 4 entries with symbolic
  indices the set-partition rule the normal form applies equals Isserlis' sum over pairings of
  covariances v δ_ik δ_jl, at every coincidence pattern of the entries;
* E_N[NᵀN] = nσ² I_d and E_N[(X ⊙ N)ᵀ(X ⊙ N)] = α diag(XᵀX), entry (j, l), for every n, d.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivlab.derivations.index_form import equal_for_all_sizes
from derivlab.derivations.moments import (
    NoiseSpec, set_partitions, double_factorial_odd, isserlis_expectation, moment_from_mgf, normal_mgf,
)
from derivlab.derivations.noise.chains import noise_latex
from derivlab.derivations.noise.symbols import ADDITIVE, MULTIPLICATIVE, I_d, N, X, alpha, gram_diagonal, index_rules, n, sigma
from derivlab.derivations.notation import MaskMean, Mean, mul, transpose, hadamard
from derivlab.derivations.proof import Proof, ProofStep, is_zero

i, j, k, l = (sp.Symbol(s, integer=True) for s in "ijkl")
_N = sp.IndexedBase("N")
_X = sp.IndexedBase("X")
MAX_MOMENT = 6


def _pattern_values(entries: list[tuple[Any, Any]]) -> list[dict]:
    """One index assignment per set partition of the entries: same block -> same (row, col), else distinct."""
    symbols = [s for e in entries for s in e]
    out = []
    for partition in set_partitions(list(range(len(entries)))):
        values = {}
        for b, block in enumerate(partition):
            for m in block:
                values[entries[m][0]] = b + 1
                values[entries[m][1]] = b + 1
        out.append({s: sp.Integer(values[s]) for s in symbols})
    return out


def moments_lemma(spec: NoiseSpec = ADDITIVE) -> Proof:
    """Gaussian moments two ways (MGF and Isserlis), and the normal form's rule against Isserlis' theorem."""
    var = spec.model.var
    steps, holds = [], True
    for kk in range(MAX_MOMENT + 1):
        by_mgf = moment_from_mgf(normal_mgf(0, var), kk)
        by_count = double_factorial_odd(kk) * var ** (kk // 2) if kk % 2 == 0 else sp.Integer(0)
        ok = is_zero(by_mgf - by_count) and is_zero(by_mgf - spec.model.moment(kk))
        holds &= ok
        expr = sp.Eq(MaskMean(sp.Symbol("N_{ij}") ** kk), by_mgf, evaluate=False)
        steps.append(ProofStep(expr, sp.latex(expr).replace(r"\operatorname{MaskMean}", r"\mathbb{E}"),
                               f"E[N^{kk}] = M^({kk})(0), M(t) = exp(vt^2/2)",
                               f"equals (k-1)!! v^(k/2) and the moment table: {ok}"))
    factors = [(i, j), (k, l), (sp.Symbol("a", integer=True), sp.Symbol("b", integer=True)),
               (sp.Symbol("c", integer=True), sp.Symbol("e", integer=True))]
    for m in (2, 3, 4):
        entries = factors[:m]
        rule = spec.indexed_monomial_expectation(entries)
        theorem = isserlis_expectation(entries, spec.covariance)
        difference = rule - theorem
        ok = all(sp.expand(difference.xreplace(v)) == 0 for v in _pattern_values(entries))
        holds &= ok
        steps.append(ProofStep(rule, sp.latex(rule), f"E of {m} entries by set partitions vs Isserlis (pairings)",
                               f"equal at every one of the coincidence patterns of {m} entries: {ok}"))
    return Proof("noise.gaussian-moments", "moment generating function, Isserlis' theorem", tuple(steps), holds)


def _entry_chain(claim: str, exprs: list, rules: list[str], spec: NoiseSpec) -> Proof:
    rules_ = index_rules(spec, j=(1, sp.Symbol("d", integer=True, positive=True)),
                         l=(1, sp.Symbol("d", integer=True, positive=True)))
    steps = [ProofStep(exprs[0], noise_latex(exprs[0]), rules[0], "statement")]
    holds = True
    for prev, expr, rule in zip(exprs, exprs[1:], rules[1:]):
        ok = equal_for_all_sizes(prev, expr, rules_)
        holds &= ok
        steps.append(ProofStep(expr, noise_latex(expr), rule,
                               f"index normal form, every n, d: {'equal' if ok else 'NOT equal'}"))
    return Proof(claim, "index normal form (indexed sums, Kronecker deltas, Gaussian moments)", tuple(steps), holds)


def noise_gram_lemma() -> Proof:
    """E_N[(NᵀN)_jl] = Σ_i E[N_ij N_il] = nσ² δ_jl = (nσ² I_d)_jl."""
    exprs = [
        MatrixElement(Mean(mul(transpose(N), N)), j, l),
        MaskMean(sp.Sum(_N[i, j] * _N[i, l], (i, 1, n))),
        sp.Sum(sigma**2 * sp.KroneckerDelta(j, l), (i, 1, n)),
        n * sigma**2 * sp.KroneckerDelta(j, l),
        MatrixElement(mul(n * sigma**2, I_d), j, l),
    ]
    rules = ["statement", "entry of NᵀN", "linearity; E[N_ij N_il] = σ² δ_jl (independent entries, mean 0)",
             "the summand is free of i: n copies", "entry of nσ² I_d"]
    return _entry_chain("noise.gram-lemma", exprs, rules, ADDITIVE)


def masked_gram_lemma() -> Proof:
    """E_N[((X ⊙ N)ᵀ(X ⊙ N))_jl] = Σ_i X_ij X_il E[N_ij N_il] = α δ_jl Σ_i X_ij² = (α diag(XᵀX))_jl."""
    P = hadamard(X, N)
    exprs = [
        MatrixElement(Mean(mul(transpose(P), P)), j, l),
        sp.Sum(_X[i, j] * _X[i, l] * MaskMean(_N[i, j] * _N[i, l]), (i, 1, n)),
        alpha * sp.KroneckerDelta(j, l) * sp.Sum(_X[i, j] ** 2, (i, 1, n)),
        MatrixElement(mul(alpha, gram_diagonal), j, l),
    ]
    rules = ["statement", "entry of (X ⊙ N)ᵀ(X ⊙ N); linearity, X fixed",
             "E[N_ij N_il] = α δ_jl", "entry of α diag(XᵀX)"]
    return _entry_chain("noise.masked-gram-lemma", exprs, rules, MULTIPLICATIVE)
