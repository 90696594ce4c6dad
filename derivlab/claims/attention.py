"""The attention claims of Q2: the PyTorch twin computes the NumPy model, and each hand-coded
design solves its task, with a derived closed form and smallest passing scale.

Proofs come from ``derivlab.derivations.attention_proofs``; the stated thresholds below are
compared with the derived ones (a proof step), not trusted. Confirmations run PyTorch forward
passes (float64) of the designs on EVERY input against the closed form, and bracket the
threshold numerically (just below fails, just above passes).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derivlab.claims import Claim, Confirmation, ConfirmOptions, Outcome
from derivlab.derivations.proof import Proof, ProofStep, as_sympy

#: The thresholds as the claims state them; each proof checks them against the derivation.
STATED_THRESHOLDS = {
    "identity": sp.sqrt(sp.sqrt(3) * sp.log(5 * 10**8 - 5)),
    "first": sp.sqrt(sp.log(3 * 10**8 - 3)),
    "unique": sp.sqrt(2 * sp.sqrt(8) * sp.log(4)),
}

_TITLES = {
    "identity": "Q2(b): the identity design copies every token; passes iff c ≥ c*",
    "first": "Q2(c): the first-token design attends to position 0; passes iff c ≥ c*",
    "unique": "Q2(d): the unique-token design gets every sign right iff c > c* (b = 1/2)",
}

_STATEMENTS = {
    "identity": r"K_m = Q_m = c I_3,\ V_m = I_3:\ \mathrm{out}_i = \frac{m\,e^{c^2/\sqrt3}\,e_{t_i} + \sum_{u \ne t_i} n_u e_u}"
                r"{m\,e^{c^2/\sqrt3} + L - m};\ \text{allclose on all 1092 inputs} \iff c \ge \sqrt{\sqrt3\,\log(5\cdot 10^8 - 5)}",
    "first": r"w_{\text{first}} = \frac{e^{c^2}}{e^{c^2} + L - 1};\ \text{allclose on all 120 inputs} \iff "
             r"c \ge \sqrt{\log(3\cdot 10^8 - 3)}",
    "unique": r"\mathrm{out} = \frac{e^{b s} - (m-1)e^{s} - (L-m+1)}{e^{b s} + (m-1)e^{s} + L-m+1},\ s = c^2/\sqrt8;\ "
              r"\text{every sign right at } b = \tfrac12 \iff c > \sqrt{2\sqrt8\,\log 4}",
}


def _design_proof(task: str) -> Proof:
    from derivlab.derivations.attention_proofs import attention_design_proof

    proof = attention_design_proof(task)
    derived = as_sympy(proof.steps[-1].expr)
    stated = STATED_THRESHOLDS[task]
    # both are positive, so equal squares mean equal values (logs of integers expanded into primes)
    same = bool(derived.is_positive and stated.is_positive
                and sp.simplify(sp.expand_log(derived**2 - stated**2, force=True)) == 0)
    step = ProofStep(stated, r"c^*_{\text{stated}} = " + sp.latex(stated), "the claim's stated threshold equals the derived one",
                     "simplify(derived² − stated²) = 0" if same else f"FAILED: derived {derived} ≠ stated {stated}")
    holds = proof.holds and same
    detail = proof.detail if same else f"{proof.detail}; stated threshold {stated} ≠ derived {derived}".strip("; ")
    return replace(proof, steps=proof.steps + (step,), holds=holds, detail=detail)


# --- confirmations: the designs ------------------------------------------------------------------


def _torch_forward_on_every_input(task: str, options: ConfirmOptions) -> Outcome:
    """PyTorch (float64) forward of the design on every input vs the closed form; the criterion on torch's outputs."""
    import torch

    from derivlab.derivations.attention_closed_forms import closed_form_forward
    from derivlab.transformers.criterion import all_inputs, judge_outputs
    from derivlab.transformers.designs import hand_coded_design

    design = hand_coded_design(task)
    model = design.torch_model()
    batch = all_inputs(task)
    lengths = batch.mask.sum(axis=1)
    out = np.zeros_like(batch.targets)
    diff_out = diff_w = 0.0
    with torch.no_grad():
        for length in np.unique(lengths):
            idx = np.flatnonzero(lengths == length)
            x = torch.tensor(batch.inputs[idx, :length], dtype=torch.float64)
            t_out, t_w = model(x).numpy(), model.attention_weights(x).numpy()
            out[idx, :length] = t_out
            for k, b in enumerate(idx):
                closed = closed_form_forward(task, batch.tokens[b])
                diff_out = max(diff_out, float(np.max(np.abs(t_out[k] - closed["out"]))))
                diff_w = max(diff_w, float(np.max(np.abs(t_w[k] - closed["weights"]))))
    passed, _, _ = judge_outputs(task, batch, out)
    failures = int(np.sum(~passed))
    agrees = diff_out <= 1e-9 and diff_w <= 1e-9 and failures == 0
    return Outcome(agrees, {
        "headline": f"{len(batch.names)} inputs, |torch − closed form| ≤ {max(diff_out, diff_w):.1e}, {failures} criterion failures",
        "inputs": len(batch.names), "max_abs_diff_output": diff_out, "max_abs_diff_weights": diff_w,
        "tolerance": 1e-9, "criterion_failures": failures, "scales": design.params, "dtype": "float64"})


def _threshold_bracket(task: str, options: ConfirmOptions, rel: float = 1e-4) -> Outcome:
    """The design at c*(1 − rel) fails on some input (the predicted worst one among them); at c*(1 + rel) all pass."""
    from derivlab.derivations.attention_thresholds import scale_threshold
    from derivlab.transformers.criterion import evaluate_on_all_inputs
    from derivlab.transformers.designs import hand_coded_design

    th = scale_threshold(task)
    below, above = th.value * (1 - rel), th.value * (1 + rel)
    lo = evaluate_on_all_inputs(task, **hand_coded_design(task, c=below).weights())
    hi = evaluate_on_all_inputs(task, **hand_coded_design(task, c=above).weights())
    failing = [lo.batch.names[i] for i in np.flatnonzero(~lo.passed)]
    worst_predicted = th.worst_sequence in failing
    agrees = lo.failures > 0 and hi.failures == 0 and worst_predicted
    return Outcome(agrees, {
        "headline": f"c* = {th.value:.6f}: ×(1 − {rel:g}) fails {lo.failures}/{len(lo.passed)} (incl. {th.worst_sequence}), "
                    f"×(1 + {rel:g}) fails {hi.failures}",
        "threshold": th.value, "threshold_exact": str(th.exact), "below": below, "above": above,
        "failures_below": lo.failures, "failures_above": hi.failures, "inputs": len(lo.passed),
        "predicted_worst_sequence": th.worst_sequence, "predicted_worst_fails_below": worst_predicted,
        "first_failures_below": failing[:5]})


# --- confirmations: NumPy vs PyTorch -------------------------------------------------------------


def _mutant_outputs(seq, Km, Qm, Vm, pos) -> dict[str, np.ndarray | None]:
    """Plausible wrong versions of the notebook's formula (each must be told apart from PyTorch)."""
    from derivlab.transformers.attention import stable_softmax, with_positions

    x = with_positions(seq, pos)
    K, Q, V = x @ Km, x @ Qm, x @ Vm
    scores = Q @ K.T / np.sqrt(Km.shape[1])
    out = {"softmax over queries": stable_softmax(scores, axis=0) @ V,
           "no 1/sqrt(qk_dim)": stable_softmax(Q @ K.T, axis=-1) @ V,
           "weights not transposed (x Wᵀ with W = Km)": None}
    if Km.shape[0] == Km.shape[1]:
        Kt, Qt, Vt = x @ Km.T, x @ Qm.T, x @ (Vm.T if Vm.shape[0] == Vm.shape[1] else Vm)
        out["weights not transposed (x Wᵀ with W = Km)"] = stable_softmax(Qt @ Kt.T / np.sqrt(Km.shape[1])) @ Vt
    return out


def _numpy_torch_trials(options: ConfirmOptions) -> Outcome:
    """The notebook's 10-trial test (float32, allclose rtol 1e-3) and random shapes in float64 (tight)."""
    import torch

    from derivlab.transformers.numpy_model import NumpyTransformer
    from derivlab.transformers.torch_model import PytorchTransformer

    rng = np.random.default_rng(options.seed)
    notebook_ok = 0
    for trial in range(10):
        with_pos = trial % 2 == 0
        qk, v = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        pos_dim = int(rng.integers(2, 4)) if with_pos else None
        token_dim = 5 - (pos_dim or 0)
        Km, Qm, Vm = rng.normal(size=(5, qk)), rng.normal(size=(5, qk)), rng.normal(size=(5, v))
        pos = rng.normal(size=(4, pos_dim)) if with_pos else None
        torch.manual_seed(options.seed + trial)
        model = PytorchTransformer(token_dim, qk, v, pos_dim=pos_dim, max_seq_len=4)
        model.load_numpy_weights(Km, Qm, Vm, pos)
        seq = rng.normal(size=(int(rng.integers(1, 5)), token_dim))
        with torch.no_grad():
            got = model(torch.tensor(seq, dtype=torch.float32)).numpy()
        notebook_ok += bool(np.allclose(NumpyTransformer(Km, Qm, Vm, pos).forward(seq), got, rtol=1e-3))
    shapes = 40 if options.quick else 200
    max_diff = 0.0
    killed: dict[str, bool] = {}
    for _ in range(shapes):
        token_dim, qk, v, pos_dim, length = (int(rng.integers(1, 7)), int(rng.integers(1, 5)), int(rng.integers(1, 5)),
                                             int(rng.integers(0, 4)), int(rng.integers(1, 6)))
        d = token_dim + pos_dim
        Km, Qm, Vm = rng.normal(size=(d, qk)), rng.normal(size=(d, qk)), rng.normal(size=(d, v))
        pos = rng.normal(size=(5, pos_dim)) if pos_dim else None
        model = PytorchTransformer(token_dim, qk, v, pos_dim=pos_dim or None, max_seq_len=5).double()
        model.load_numpy_weights(Km, Qm, Vm, pos)
        seq = rng.normal(size=(length, token_dim))
        with torch.no_grad():
            got = model(torch.tensor(seq)).numpy()
        max_diff = max(max_diff, float(np.max(np.abs(got - NumpyTransformer(Km, Qm, Vm, pos).forward(seq)))))
        for name, wrong in _mutant_outputs(seq, Km, Qm, Vm, pos).items():
            if wrong is not None:
                killed[name] = killed.get(name, False) or not np.allclose(wrong, got, rtol=1e-3, atol=1e-6)
    mutants_killed = sum(killed.values())
    agrees = notebook_ok == 10 and max_diff <= 1e-10 and mutants_killed == len(killed) == 3
    return Outcome(agrees, {
        "headline": f"notebook test {notebook_ok}/10, {shapes} random shapes |diff| ≤ {max_diff:.1e}, "
                    f"{mutants_killed}/{len(killed)} wrong formulas rejected",
        "notebook_trials_passed": notebook_ok, "notebook_trials": 10, "random_shapes": shapes,
        "max_abs_diff_float64": max_diff, "mutants": killed})


def _numpy_torch_proof() -> Proof:
    from derivlab.derivations.attention_proofs import numpy_torch_equivalence_proof

    return numpy_torch_equivalence_proof()


def attention_claims() -> list[Claim]:
    """``attention.numpy-torch``, ``attention.identity``, ``attention.first``, ``attention.unique``."""
    claims = [Claim(
        "attention.numpy-torch", "Q2(a): PyTorchTransformer computes NumpyTransformer's formula",
        r"\mathrm{Linear}_{K_m^\top}([X \mid P]) = [X \mid P] K_m,\ "
        r"\mathrm{softmax}\big(QK^\top/\sqrt{d_{qk}}\big)V \text{ agree (positions concatenated)}",
        _numpy_torch_proof,
        (Confirmation("torch-forward", _numpy_torch_trials,
                      "the notebook's 10 trials, random shapes in float64, and three wrong formulas rejected"),),
        question="Q2(a)")]
    for task in ("identity", "first", "unique"):
        claims.append(Claim(
            f"attention.{task}", _TITLES[task], _STATEMENTS[task],
            lambda task=task: _design_proof(task),
            (Confirmation("torch-forward", lambda o, task=task: _torch_forward_on_every_input(task, o),
                          "PyTorch forward (float64) of the design on every input against the closed form"),
             Confirmation("exact-enumeration", lambda o, task=task: _threshold_bracket(task, o),
                          "the criterion on every input just below and just above the derived threshold")),
            question={"identity": "Q2(b)", "first": "Q2(c)", "unique": "Q2(d)"}[task]))
    return claims


CLAIMS = attention_claims  # discovered by derivlab.claims
