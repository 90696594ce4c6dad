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

from derivlab.claims import Claim, Confirmation, ConfirmOptions, ConfirmationOutcome
from derivlab.derivations import statements
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


def _torch_forward_on_every_input(task: str, options: ConfirmOptions) -> ConfirmationOutcome:
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
    return ConfirmationOutcome(agrees, {
        "headline": f"{len(batch.names)} inputs, |torch − closed form| ≤ {max(diff_out, diff_w):.1e}, {failures} criterion failures",
        "inputs": len(batch.names), "max_abs_diff_output": diff_out, "max_abs_diff_weights": diff_w,
        "tolerance": 1e-9, "criterion_failures": failures, "scales": design.params, "dtype": "float64"})


def _threshold_bracket(task: str, options: ConfirmOptions, rel: float = 1e-4) -> ConfirmationOutcome:
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
    return ConfirmationOutcome(agrees, {
        "headline": f"c* = {th.value:.6f}: ×(1 − {rel:g}) fails {lo.failures}/{len(lo.passed)} (incl. {th.worst_sequence}), "
                    f"×(1 + {rel:g}) fails {hi.failures}",
        "threshold": th.value, "threshold_exact": str(th.exact), "below": below, "above": above,
        "failures_below": lo.failures, "failures_above": hi.failures, "inputs": len(lo.passed),
        "predicted_worst_sequence": th.worst_sequence, "predicted_worst_fails_below": worst_predicted,
        "first_failures_below": failing[:5]})


# --- confirmations: NumPy vs PyTorch -------------------------------------------------------------


def _variant_outputs(seq, Km, Qm, Vm, pos) -> dict[str, np.ndarray | None]:
    """The claim's wrong variants (``attention_variants.WRONG_VARIANTS``) in NumPy; None where a
    variant is not defined at these shapes (e.g. untransposed weights that are not square)."""
    from derivlab.transformers.attention_variants import WRONG_VARIANTS, NumpyOps

    ops, p = NumpyOps(), None if pos is None else pos[: len(seq)]
    out: dict[str, np.ndarray | None] = {}
    for v in WRONG_VARIANTS:
        try:
            out[v.name] = np.asarray(v.forward(ops, seq, Km.T, Qm.T, Vm.T, p))
        except ValueError:  # shapes that do not multiply: this variant does not exist here
            out[v.name] = None
    return out


def _sdpa_oracle(rng: np.random.Generator, shapes: int) -> tuple[float, int]:
    """torch.nn.functional.scaled_dot_product_attention as an independent oracle: for each of
    ``shapes`` random weight sets, a batch of 8 sequences of ONE length goes through SDPA in one
    call (Q, K, V from x = [seq | pos]) and is compared with NumpyTransformer and PytorchTransformer
    on every sequence. Returns (max |difference|, sequences compared)."""
    import torch

    from derivlab.transformers.numpy_model import NumpyTransformer
    from derivlab.transformers.torch_model import PytorchTransformer

    worst, compared = 0.0, 0
    for _ in range(shapes):
        token_dim, qk, v, pos_dim, length = (int(rng.integers(1, 7)), int(rng.integers(1, 5)), int(rng.integers(1, 5)),
                                             int(rng.integers(0, 4)), int(rng.integers(1, 6)))
        d = token_dim + pos_dim
        Km, Qm, Vm = rng.normal(size=(d, qk)), rng.normal(size=(d, qk)), rng.normal(size=(d, v))
        pos = rng.normal(size=(5, pos_dim)) if pos_dim else None
        seqs = rng.normal(size=(8, length, token_dim))
        x = seqs if pos is None else np.concatenate([seqs, np.broadcast_to(pos[:length], (8, length, pos_dim))], -1)
        xt = torch.tensor(x)
        Q, K, V = (xt @ torch.tensor(M) for M in (Qm, Km, Vm))
        sdpa = torch.nn.functional.scaled_dot_product_attention(Q, K, V).numpy()
        model = PytorchTransformer(token_dim, qk, v, pos_dim=pos_dim or None, max_seq_len=5).double()
        model.load_numpy_weights(Km, Qm, Vm, pos)
        numpy_model = NumpyTransformer(Km, Qm, Vm, pos)
        with torch.no_grad():
            for b in range(8):
                twin = model(torch.tensor(seqs[b])).numpy()
                worst = max(worst, float(np.max(np.abs(sdpa[b] - numpy_model.forward(seqs[b])))),
                            float(np.max(np.abs(sdpa[b] - twin))))
                compared += 1
    return worst, compared


def _numpy_torch_trials(options: ConfirmOptions) -> ConfirmationOutcome:
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
        for name, wrong in _variant_outputs(seq, Km, Qm, Vm, pos).items():
            if wrong is not None:
                killed[name] = killed.get(name, False) or not np.allclose(wrong, got, rtol=1e-3, atol=1e-6)
    mutants_killed = sum(killed.values())
    sdpa_diff, sdpa_sequences = _sdpa_oracle(rng, shapes // 4)
    from derivlab.transformers.attention_variants import WRONG_VARIANTS

    agrees = (notebook_ok == 10 and max_diff <= 1e-10 and sdpa_diff <= 1e-10
              and mutants_killed == len(killed) == len(WRONG_VARIANTS))
    return ConfirmationOutcome(agrees, {
        "headline": f"notebook test {notebook_ok}/10, {shapes} random shapes |diff| ≤ {max_diff:.1e}, "
                    f"SDPA oracle on {sdpa_sequences} sequences |diff| ≤ {sdpa_diff:.1e}, "
                    f"{mutants_killed}/{len(killed)} wrong formulas rejected",
        "notebook_trials_passed": notebook_ok, "notebook_trials": 10, "random_shapes": shapes,
        "max_abs_diff_float64": max_diff, "sdpa_sequences": sdpa_sequences, "sdpa_max_abs_diff": sdpa_diff,
        "mutants": killed})


def _numpy_torch_proof() -> Proof:
    from derivlab.derivations.attention_proofs import numpy_torch_equivalence_proof

    return numpy_torch_equivalence_proof()


def attention_claims() -> list[Claim]:
    """``attention.numpy-torch``, ``attention.identity``, ``attention.first``, ``attention.unique``."""
    from derivlab.transformers.attention_variants import WRONG_VARIANTS

    claims = [Claim(
        "attention.numpy-torch", "Q2(a): PyTorchTransformer computes NumpyTransformer's formula",
        statements.NUMPY_TORCH, _numpy_torch_proof,
        (Confirmation("torch-forward", _numpy_torch_trials,
                      "the notebook's 10 trials, random shapes in float64, torch's scaled_dot_product_attention "
                      "as an oracle, and every wrong formula rejected"),),
        WRONG_VARIANTS)]
    for task in ("identity", "first", "unique"):
        claims.append(Claim(
            f"attention.{task}", _TITLES[task], statements.by_id(f"attention.{task}"),
            lambda task=task: _design_proof(task),
            (Confirmation("torch-forward", lambda o, task=task: _torch_forward_on_every_input(task, o),
                          "PyTorch forward (float64) of the design on every input against the closed form"),
             Confirmation("threshold-bracket", lambda o, task=task: _threshold_bracket(task, o),
                          "the criterion on every input just below and just above the derived threshold"))))
    return claims


CLAIMS = attention_claims  # discovered by derivlab.claims
