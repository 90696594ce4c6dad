"""A learned model against the hand-coded design, measured on EVERY input of the task.

Measured on the exhaustive batch (1092 / 120 / 120 sequences), rows the loss ignores excluded
(the CLS query of ``unique``):

- attention: mean total-variation distance between learned and designed rows; the fraction of
  inputs whose top-key sets (keys with ≥ ½ of the row maximum) agree on every query; the mass on
  same-token keys and on the first position, for both models;
- outputs: max/mean |error| against the target and against the design, sign/argmax agreement,
  and the notebook's pass criterion (allclose rtol 1e-3, atol 1e-8; signs for ``unique``);
- the score form S = Qm Kmᵀ, the only identifiable part of Km and Qm (Km G, Qm G⁻ᵀ give the same
  scores): cosine on the token block (one-hot basis shared by both models), cosine of the
  positional block pos Qm_pos Km_posᵀ posᵀ (each model in its own positional basis), both raw and
  row-centred (with one-hot features S + u 1ᵀ only adds a constant per query, which softmax
  ignores), and cosine of the row-centred scores on real inputs;
- Km, Qm, K, Q, Vm (token rows), V: cosine learned vs designed (Km, Qm are NOT identifiable:
  their cosine is shown to show that) and the relative error after a least-squares scale;
- spread: participation ratio (Σ|a|)²/(n Σa²) of Km, Qm, K, Q, Vm, V and of the centred token
  score form, learned and designed (the first six move under the gauge, the last does not).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from derivlab.transformers.attention import stable_softmax, with_positions
from derivlab.transformers.criterion import judge_outputs
from derivlab.transformers.spread_statistics import (
    centred_rows,
    cosine,
    participation_ratio,
    random_rotation,
    scaled_relative_error,
    top_keys,
    total_variation,
)
from derivlab.transformers.tasks import Batch, Task

SPREAD_OF = ("Km", "Qm", "K", "Q", "Vm", "V")


def batch_parts(batch: Batch, model: Any) -> dict[str, np.ndarray]:
    """x, K, Q, V, scores, weights, out of ``model`` (anything with Km, Qm, Vm, pos) on a padded batch."""
    Km, Qm, Vm = np.asarray(model.Km, float), np.asarray(model.Qm, float), np.asarray(model.Vm, float)
    pos = None if model.pos is None else np.asarray(model.pos, float)
    x = with_positions(batch.inputs, pos)
    K, Q, V = x @ Km, x @ Qm, x @ Vm
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Km.shape[1])
    keys = batch.mask[:, None, :]
    weights = stable_softmax(np.where(keys, scores, -np.inf), axis=-1)
    weights = np.where(keys, weights, 0.0)
    return {"x": x, "K": K, "Q": Q, "V": V, "scores": np.where(keys, scores, 0.0),
            "weights": weights, "out": weights @ V}


def query_rows(task: Task, batch: Batch) -> np.ndarray:
    """(B, L) True on the rows whose output counts: real rows, minus the CLS row for ``unique``."""
    rows = batch.mask.copy()
    if task.has_cls:
        rows[:, 0] = False
    return rows


def _token_ids(task: Task, batch: Batch) -> np.ndarray:
    ids = np.argmax(batch.inputs, axis=-1)
    return np.where(batch.mask, ids, -1)


def _score_forms(task: Task, model: Any) -> dict[str, np.ndarray]:
    Km, Qm = np.asarray(model.Km, float), np.asarray(model.Qm, float)
    td = task.token_dim
    forms = {"token": Qm[:td] @ Km[:td].T}
    if model.pos is not None:
        pos = np.asarray(model.pos, float)[: task.max_seq_len]
        forms["position"] = pos @ Qm[td:] @ Km[td:].T @ pos.T
    return forms


def _centre_keys(form: np.ndarray) -> np.ndarray:
    """Each query row minus its mean over keys: with one-hot features, S + u 1ᵀ only adds a constant per query."""
    return form - form.mean(axis=1, keepdims=True)


def _form_cosine(learned: dict, design: dict, block: str, centre: bool) -> float | None:
    if block not in design:
        return None
    a, b = learned[block], design[block]
    return _opt(cosine(_centre_keys(a), _centre_keys(b)) if centre else cosine(a, b))


def solves(task: Task, batch: Batch, out: np.ndarray) -> bool:
    """The notebook's criterion on every input: allclose(rtol 1e-3, atol 1e-8); unique: every sign right."""
    passed, _, _ = judge_outputs(task.name, batch, out)
    return bool(np.all(passed))


def _agreement(task: Task, rows: np.ndarray, out: np.ndarray, reference: np.ndarray) -> float:
    """Fraction of counted rows where the sign (unique) or the argmax token (identity, first) agree."""
    if task.name == "unique":
        same = np.sign(out[..., 0]) == np.sign(reference[..., 0])
    else:
        same = np.argmax(out, axis=-1) == np.argmax(reference, axis=-1)
    return float(np.mean(same[rows]))


def _opt(x: float | None) -> float | None:
    return None if x is None else float(x)


def compare_with_design(task: Task, batch: Batch, learned: Any, design: Any) -> dict[str, Any]:
    """Every metric of the module docstring for one learned model against the design (plain JSON)."""
    rows = query_rows(task, batch)
    real = batch.mask
    lp, dp = batch_parts(batch, learned), batch_parts(batch, design)
    tv = total_variation(lp["weights"], dp["weights"])[rows]
    top_same = np.all(top_keys(lp["weights"]) == top_keys(dp["weights"]), axis=-1) | ~rows
    ids = _token_ids(task, batch)
    same_token = (ids[:, :, None] == ids[:, None, :]) & real[:, None, :]
    key_pair = rows[:, :, None] & real[:, None, :]
    out_err = np.abs(lp["out"] - batch.targets)[rows]
    out_diff = np.abs(lp["out"] - dp["out"])[rows]
    l_forms, d_forms = _score_forms(task, learned), _score_forms(task, design)
    td = task.token_dim
    metrics: dict[str, Any] = {
        "attention_mean_tv": float(tv.mean()),
        "attention_max_tv": float(tv.max()),
        "top_keys_agree_fraction": float(np.mean(np.all(top_same, axis=-1))),
        "same_token_mass": {name: float((p["weights"] * same_token).sum(-1)[rows].mean()) for name, p in
                            (("learned", lp), ("design", dp))},
        "first_position_mass": {name: float(p["weights"][..., 0][rows].mean()) for name, p in
                                (("learned", lp), ("design", dp))},
        "output_max_abs_error": float(out_err.max()),
        "output_mean_abs_error": float(out_err.mean()),
        "output_max_abs_diff_vs_design": float(out_diff.max()),
        "output_mean_abs_diff_vs_design": float(out_diff.mean()),
        "agreement_with_target": _agreement(task, rows, lp["out"], batch.targets),
        "agreement_with_design": _agreement(task, rows, lp["out"], dp["out"]),
        "solves": solves(task, batch, lp["out"]),
        "exhaustive_mse": float(np.mean(np.sum(np.where(rows[..., None], (lp["out"] - batch.targets) ** 2, 0.0), axis=(1, 2))
                                        / (rows.sum(axis=1) * task.out_dim))),
        "score_form_token_cosine": _opt(cosine(l_forms["token"], d_forms["token"])),
        "score_form_token_centred_cosine": _opt(cosine(_centre_keys(l_forms["token"]), _centre_keys(d_forms["token"]))),
        "score_form_position_cosine": _form_cosine(l_forms, d_forms, "position", centre=False),
        "score_form_position_centred_cosine": _form_cosine(l_forms, d_forms, "position", centre=True),
        "scores_centred_cosine": _opt(cosine(centred_rows(lp["scores"], real)[key_pair],
                                             centred_rows(dp["scores"], real)[key_pair])),
        "cosine": {
            "Km": _opt(cosine(learned.Km, design.Km)), "Qm": _opt(cosine(learned.Qm, design.Qm)),
            "K": _opt(cosine(lp["K"][real], dp["K"][real])), "Q": _opt(cosine(lp["Q"][real], dp["Q"][real])),
            "Vm_tokens": _opt(cosine(np.asarray(learned.Vm)[:td], np.asarray(design.Vm)[:td])),
            "V": _opt(cosine(lp["V"][real], dp["V"][real])),
        },
        "scaled_relative_error": {
            "Vm_tokens": scaled_relative_error(np.asarray(learned.Vm)[:td], np.asarray(design.Vm)[:td]),
            "V": scaled_relative_error(lp["V"][real], dp["V"][real]),
            "out": scaled_relative_error(lp["out"][rows], dp["out"][rows]),
        },
        "participation_ratio": {
            **{name: {"learned": participation_ratio(_quantity(name, learned, lp, real)),
                      "design": participation_ratio(_quantity(name, design, dp, real))} for name in SPREAD_OF},
            "score_form_centred": {"learned": participation_ratio(_centre_keys(l_forms["token"])),
                                   "design": participation_ratio(_centre_keys(d_forms["token"]))},
        },
        "gauge_rotation": gauge_rotation(batch, learned),
    }
    return metrics


def _quantity(name: str, model: Any, parts: dict[str, np.ndarray], real: np.ndarray) -> np.ndarray:
    return np.asarray(getattr(model, name)) if name.endswith("m") else parts[name][real]


def gauge_rotation(batch: Batch, model: Any, seed: int = 0) -> dict[str, float]:
    """Km -> Km R, Qm -> Qm R (R orthogonal, so R⁻ᵀ = R): outputs unchanged on every input, Km moved."""
    Km, Qm = np.asarray(model.Km, float), np.asarray(model.Qm, float)
    R = random_rotation(Km.shape[1], seed)
    rotated = SimpleNamespace(Km=Km @ R, Qm=Qm @ R, Vm=model.Vm, pos=model.pos)
    before, after = batch_parts(batch, model)["out"], batch_parts(batch, rotated)["out"]
    return {"output_max_abs_diff": float(np.max(np.abs(after - before)[batch.mask])),
            "km_cosine_after_rotation": _opt(cosine(rotated.Km, Km)),
            "score_form_cosine_after_rotation": _opt(cosine(rotated.Qm @ rotated.Km.T, Qm @ Km.T))}
