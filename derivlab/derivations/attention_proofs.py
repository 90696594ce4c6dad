"""Proofs for the attention claims: each design's closed form, limit and threshold, checked by SymPy.

``attention_design_proof(task)``: design → score form Qm Kmᵀ/√qk → scores and values per key
class (every (query, key) feature pair) → grouped softmax = the DIRECT symbolic forward pass
(Q = X Qm, K = X Km, softmax(Q Kᵀ/√qk) X Vm with symbolic scales) on every input sequence
(identity: every sequence up to length 4 and a spread of the longer ones) → hard-attention
limit c → ∞ equals the target → the threshold c*.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derivlab.derivations.attention_closed_forms import closed_form, closed_form_rows, row_features
from derivlab.derivations.attention_scores import key_class_table, symbolic_design
from derivlab.derivations.attention_thresholds import scale_threshold
from derivlab.derivations.proof import Proof, ProofStep
from derivlab.transformers.tasks import all_token_sequences, get_task


def symbolic_forward(task: str, tokens: tuple[int, ...]) -> tuple[sp.Matrix, sp.Matrix]:
    """The notebook's forward pass with the symbolic design: (weights, out) on ``tokens``."""
    design = symbolic_design(task)
    X = sp.Matrix.vstack(*[design.feature(t, p) for t, p in row_features(task, tokens)])
    Q, K, V = X * design.Qm, X * design.Km, X * design.Vm
    scores = (Q * K.T / sp.sqrt(design.qk_dim)).applyfunc(sp.expand)
    e = scores.applyfunc(sp.exp)
    weights = sp.Matrix(e.rows, e.cols, lambda i, j: e[i, j] / sum(e.row(i)))
    return weights, weights * V


def _rationally_zero(expr: Any) -> bool:
    """expr == 0 as a rational function of its exponentials, each taken as an independent symbol."""
    atoms = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    stand_ins = {a: sp.Symbol(f"_e{i}", positive=True) for i, a in enumerate(atoms)}
    return sp.cancel(expr.xreplace(stand_ins)) == 0


def _proof_sequences(task: str) -> list[tuple[int, ...]]:
    seqs = list(all_token_sequences(get_task(task)))
    if task != "identity":
        return seqs
    short = [s for s in seqs if len(s) <= 4]
    long = [s for s in seqs if len(s) > 4]
    return short + long[::23] + [(0, 1, 1, 1, 1, 1), (0, 0, 0, 0, 0, 1), (2, 2, 2, 2, 2, 2)]


def closed_form_matches_forward(task: str, sequences: list[tuple[int, ...]] | None = None) -> tuple[bool, int, str]:
    """Closed-form weights and outputs equal the direct symbolic forward pass on each sequence."""
    sequences = _proof_sequences(task) if sequences is None else sequences
    shown: set[tuple[Any, Any]] = set()  # entry pairs already shown equal (sequences share profiles)
    for toks in sequences:
        w_direct, out_direct = symbolic_forward(task, toks)
        w_closed, out_closed = closed_form_rows(task, toks)
        for a, b_ in zip(list(w_direct) + list(out_direct), list(w_closed) + list(out_closed)):
            if (a, b_) in shown:
                continue
            if not _rationally_zero(a - b_):
                return False, len(sequences), f"differs on {toks}: {a} vs {b_}"
            shown.add((a, b_))
    return True, len(sequences), f"equal on {len(sequences)} sequences (symbolic scales)"


def _limit_hits_target(task: str, form) -> tuple[bool, str]:
    lim = form.hard_limit
    if task == "identity":
        ok = lim["output[A]"] == sp.Matrix([[1, 0, 0]]) and lim["weight[other token]"] == 0
        return ok, "out → e_A (the query's token), weight on other tokens → 0, on each copy → 1/m"
    if task == "first":
        ok = lim["output[A]"] == sp.Matrix([[1, 0, 0]]) and lim["weight[first key]"] == 1
        return ok, "weight on the first key → 1, out → the first token"
    ok = lim["output[unique token]"] == 1 and lim["output[repeated token]"] == -1
    return ok, "unique token → +1, repeated → −1 (b = 1/2); at b = 1 the limit for a pair is 0 (the sign survives only at finite c)"


def attention_design_proof(task: str) -> Proof:
    """The design of ``task`` solves it: closed form, hard-attention limit and the smallest passing scale."""
    design = symbolic_design(task)
    table = key_class_table(task)
    form = closed_form(task)
    steps = [ProofStep((design.Km, design.Qm, design.Vm),
                       r"K_m = " + sp.latex(design.Km) + r",\; Q_m = " + sp.latex(design.Qm)
                       + r",\; V_m = " + sp.latex(design.Vm),
                       "the hand-coded design with symbolic scales", "built by design_entries")]
    steps.append(ProofStep(form.score_form, r"\frac{Q_m K_m^\top}{\sqrt{d_{qk}}} = " + sp.latex(form.score_form),
                           "score form: score(q, k) = x_q (Q_m K_m^T / sqrt(qk)) x_k^T", "SymPy matrix product"))
    steps.append(ProofStep(form.scores, r",\; ".join(rf"s_{{\text{{{k}}}}} = {sp.latex(v)}" for k, v in form.scores.items()),
                           "scores and values per key class", table.detail))
    agree, n_seq, detail = closed_form_matches_forward(task)
    steps.append(ProofStep(form.weights, r",\; ".join(rf"w_{{\text{{{k}}}}} = {sp.latex(v)}" for k, v in form.weights.items()),
                           "softmax over keys grouped by class (counts m, L)", detail))
    steps.append(ProofStep(form.output, r",\; ".join(rf"\mathrm{{out}}_{{\text{{{k}}}}} = {sp.latex(v)}"
                                                      for k, v in form.output.items()),
                           "output = Σ weight · value", detail))
    limit_ok, limit_text = _limit_hits_target(task, form)
    steps.append(ProofStep(form.hard_limit, r",\; ".join(rf"\lim_{{c\to\infty}} \text{{{k}}} = {sp.latex(v)}"
                                                          for k, v in form.hard_limit.items()),
                           "hard-attention limit (sympy.limit)", limit_text))
    th = scale_threshold(task)
    relation = r"\ge" if th.inclusive else ">"
    steps.append(ProofStep(th.exact, rf"c {relation} c^* = {sp.latex(th.exact)} \approx {th.value:.6g}",
                           f"smallest passing scale; worst case {th.worst_sequence}",
                           f"{th.condition_latex}; max over {th.profiles_checked} count profiles"))
    holds = table.consistent and agree and limit_ok
    why = "" if holds else "; ".join(x for x, ok in ((table.detail, table.consistent), (detail, agree),
                                                         (limit_text, limit_ok)) if not ok)
    return Proof(f"attention.{task}", f"SymPy closed form from the design matrices, checked against the symbolic "
                 f"forward pass on {n_seq} sequences; sympy.limit; exact threshold", tuple(steps), holds, why,
                 {"threshold": th.to_json(), "sequences_compared": n_seq})


# --- NumPy ≡ PyTorch ------------------------------------------------------------------------


def numpy_torch_equivalence_proof(length: int = 3, token_dim: int = 2, pos_dim: int = 2, qk_dim: int = 2,
                                  v_dim: int = 2) -> Proof:
    """PyTorch's model (nn.Linear weights W = Mᵀ, positions concatenated) computes NumPy's formula.

    Symbolic matrices at a concrete size: x Wᵀ = x Km for W = Kmᵀ; [seq | pos[:L]] Km splits into
    seq Km_token + pos Km_pos (concatenation, not addition); softmax is unchanged by NumPy's
    row-max shift; hence the outputs are equal entry by entry.
    """
    d = token_dim + pos_dim
    seq = sp.Matrix(length, token_dim, lambda i, j: sp.Symbol(f"x_{i}{j}", real=True))
    pos = sp.Matrix(length, pos_dim, lambda i, j: sp.Symbol(f"p_{i}{j}", real=True))
    Km, Qm, Vm = (sp.Matrix(d, k, lambda i, j, n=n: sp.Symbol(f"{n}_{i}{j}", real=True))
                  for n, k in (("k", qk_dim), ("q", qk_dim), ("v", v_dim)))
    x = sp.Matrix.hstack(seq, pos)
    steps, checks = [], []

    def record(expr, latex, rule, ok, how):
        checks.append(ok)
        steps.append(ProofStep(expr, latex, rule, how if ok else f"FAILED: {how}"))

    split = x * Km - (seq * Km[:token_dim, :] + pos * Km[token_dim:, :])
    record(x * Km, r"[X \mid P]\,K_m = X K_m^{\text{tok}} + P K_m^{\text{pos}}",
           "positions concatenated: the block rows of Km split", split.applyfunc(sp.expand).is_zero_matrix,
           "expand(difference) = 0")
    added = ((seq + pos) * Km[:token_dim, :]) - (seq * Km[:token_dim, :] + pos * Km[token_dim:, :])
    record(added, r"(X + P) K_m^{\text{tok}} \ne [X \mid P] K_m",
           "adding positions is a different model", not added.applyfunc(sp.expand).is_zero_matrix,
           "expand(difference) ≠ 0")
    W_K, W_Q, W_V = Km.T, Qm.T, Vm.T  # nn.Linear(in, out, bias=False).weight has shape (out, in)
    linear_ok = all((x * W.T - x * M).applyfunc(sp.expand).is_zero_matrix for W, M in ((W_K, Km), (W_Q, Qm), (W_V, Vm)))
    record(W_K, r"\mathrm{Linear}_W(x) = x W^\top,\; W = K_m^\top \Rightarrow x W^\top = x K_m",
           "nn.Linear weight is the transpose of the notebook's matrix", linear_ok, "expand(x Wᵀ − x M) = 0 for K, Q, V")
    s = sp.Matrix(1, length, lambda i, j: sp.Symbol(f"s_{j}", real=True))
    a = sp.Symbol("a", real=True)
    shifted = [sp.exp(s[j] - a) / sum(sp.exp(s[k] - a) for k in range(length)) for j in range(length)]
    plain = [sp.exp(s[j]) / sum(sp.exp(s[k]) for k in range(length)) for j in range(length)]
    shift_ok = all(sp.simplify(sp.powsimp(sp.expand(p - q))) == 0 for p, q in zip(shifted, plain))
    record(a, r"\frac{e^{s_j - a}}{\sum_k e^{s_k - a}} = \frac{e^{s_j}}{\sum_k e^{s_k}}",
           "NumPy's stable softmax (a = row max) equals torch.softmax", shift_ok, "simplify(difference) = 0, symbolic a")
    torch_scores = (x * W_Q.T) * (x * W_K.T).T / sp.sqrt(qk_dim)
    numpy_scores = (x * Qm) * (x * Km).T / sp.sqrt(qk_dim)
    scores_ok = (torch_scores - numpy_scores).applyfunc(sp.expand).is_zero_matrix
    record(numpy_scores, r"\frac{(x W_Q^\top)(x W_K^\top)^\top}{\sqrt{d_{qk}}} = \frac{(x Q_m)(x K_m)^\top}{\sqrt{d_{qk}}}",
           "scores", scores_ok, "expand(difference) = 0")

    def softmax_rows(S):
        return sp.Matrix(S.rows, S.cols, lambda i, j: sp.exp(S[i, j]) / sum(sp.exp(S[i, k]) for k in range(S.cols)))

    out_torch = softmax_rows(torch_scores) * (x * W_V.T)
    out_numpy = softmax_rows(numpy_scores) * (x * Vm)
    out_ok = all(_rationally_zero(sp.expand(e)) for e in (out_torch - out_numpy))
    record(out_numpy, r"\mathrm{softmax}\Big(\frac{QK^\top}{\sqrt{d_{qk}}}\Big) V \text{ (PyTorch)} = "
           r"\mathrm{softmax}\Big(\frac{QK^\top}{\sqrt{d_{qk}}}\Big) V \text{ (NumPy)}",
           "outputs", out_ok, "entrywise, exponentials as independent symbols, cancel = 0")
    holds = all(checks)
    return Proof("attention.numpy-torch", f"SymPy with symbolic matrices (L={length}, token {token_dim}, pos {pos_dim}, "
                 f"qk {qk_dim}, v {v_dim})", tuple(steps), holds, "" if holds else "a step failed")
