"""Why a weights file fails: the first that applies of

1. ``overflow``: the forward pass gives NaN/inf (scores too large for float64);
2. ``values``: the values cannot give the target whatever the attention (identity, first: a
   one-token sequence attends only to itself, so x Vm must BE the token; unique: the values
   must include a positive and a negative one);
3. ``scale too small`` / ``scale too large``: multiplying Qm by some k (every score × k) passes
   on every input: the attention pattern is right but too soft (or too sharp); says the k;
4. ``wrong attention target``: even hard attention (all weight on the top-scoring keys) gives
   the wrong output: names a query, the key it picks and the key it needs;
5. ``unknown`` otherwise.

Design-agnostic: it reads only the file's scores, weights and values, so rotated keys, other
positional codes or wider qk are judged by what they compute.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from derivlab.checking.weights_io import Weights
from derivlab.transformers.attention import with_positions
from derivlab.transformers.criterion import ATOL, RTOL, CriterionResult, evaluate_on_all_inputs, judge_outputs
from derivlab.transformers.tasks import CLS, TOKENS, get_task


@dataclass(frozen=True)
class Diagnosis:
    """A kind (``values`` | ``scale too small`` | ``scale too large`` | ``wrong attention target`` |
    ``overflow`` | ``unknown``), one message for the student, and the numbers behind it."""

    kind: str
    message: str
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"kind": self.kind, "message": self.message, "details": self.details}


def diagnose(task: str, weights: Weights, result: CriterionResult) -> Diagnosis | None:
    """The diagnosis of a failing file (None when every input passes)."""
    if result.all_pass:
        return None
    rows = result.batch.mask
    if not np.all(np.isfinite(result.out[rows])):
        biggest = max(float(np.max(np.abs(m))) for m in (weights.Km, weights.Qm))
        return Diagnosis("overflow", f"the forward pass gives NaN or inf: the scores overflow float64 "
                         f"(entries of Km/Qm up to {biggest:.3g}); use smaller weights", {"largest_entry": biggest})
    for check in (_values, _scale, _wrong_target):
        found = check(task, weights, result)
        if found is not None:
            return found
    return Diagnosis("unknown", "the outputs miss the target, but neither the values, the scale nor the attention "
                     "target alone explains it", {})


# --- 2. values ---------------------------------------------------------------------------


def _value_rows(task: str, weights: Weights, token: int, position: int) -> np.ndarray:
    spec = get_task(task)
    x = np.zeros((1, spec.token_dim))
    x[0, token] = 1.0
    rows = weights.pos[: position + 1] if weights.pos is not None else None
    full = with_positions(np.vstack([np.zeros((position, spec.token_dim)), x]), rows)
    return (full @ weights.Vm)[-1]


def _values(task: str, weights: Weights, result: CriterionResult) -> Diagnosis | None:
    if task in ("identity", "first"):
        for t in range(3):
            value = _value_rows(task, weights, t, 0)
            want = np.eye(3)[t]
            if not np.allclose(value, want, rtol=RTOL, atol=ATOL):
                return Diagnosis("values", f"values do not reproduce the token: the one-token sequence {TOKENS[t]} "
                                 f"attends only to itself, so its output is its value {np.round(value, 6).tolist()}, "
                                 f"but it must be {TOKENS[t]} = {want.astype(int).tolist()} (check Vm's row {TOKENS[t]}"
                                 f"{' and the position-0 rows' if weights.pos is not None else ''})",
                                 {"token": TOKENS[t], "value": value.tolist(), "target": want.tolist()})
        return None
    values = [_value_rows(task, weights, CLS, 0)[0]]
    values += [_value_rows(task, weights, t, p)[0] for t in range(3) for p in range(1, 5)]
    if max(values) <= 0 or min(values) >= 0:
        sign = "positive" if max(values) <= 0 else "negative"
        return Diagnosis("values", f"values do not allow both signs: every value x·Vm is "
                         f"{'≤' if sign == 'positive' else '≥'} 0, so no output can be {sign} "
                         f"(CLS's value is {values[0]:.3g}); e.g. CLS → +1, tokens → −1",
                         {"cls_value": values[0], "min_value": min(values), "max_value": max(values)})
    return None


# --- 3. scale ----------------------------------------------------------------------------


def _passes_at(task: str, weights: Weights, k: float) -> bool:
    return evaluate_on_all_inputs(task, weights.Km, weights.Qm * k, weights.Vm, weights.pos).all_pass


def _passing_factor(task: str, weights: Weights) -> float | None:
    """The k closest to 1 (on a log scale) such that Qm·k passes, refined by bisection; None if none in 2^±20."""
    grid = [2.0**j for j in range(1, 21)]
    for up, down in zip(grid, [1 / g for g in grid]):
        for k, inner in ((up, up / 2), (down, down * 2)):
            if _passes_at(task, weights, k):
                lo, hi = inner, k  # fails at lo (|log| smaller), passes at hi
                for _ in range(40):
                    mid = float(np.sqrt(lo * hi))
                    lo, hi = (lo, mid) if _passes_at(task, weights, mid) else (mid, hi)
                    if abs(hi / lo - 1) < 1e-4:
                        break
                return _round_away(hi, toward_larger=hi > 1, task=task, weights=weights)
    return None


def _round_away(k: float, toward_larger: bool, task: str, weights: Weights) -> float:
    """k to 3 significant digits, rounded away from 1 so it still passes (checked)."""
    exp = np.floor(np.log10(k)) - 2
    step = 10.0**exp
    rounded = (np.ceil(k / step) if toward_larger else np.floor(k / step)) * step
    return float(rounded) if _passes_at(task, weights, float(rounded)) else k


def _scale(task: str, weights: Weights, result: CriterionResult) -> Diagnosis | None:
    k = _passing_factor(task, weights)
    if k is None:
        return None
    i = result.worst_index()
    name = result.batch.names[i]
    if task == "unique":
        how = (f"the worst sequence {name} has an output {_worst_signed(result, i):+.3g} of the wrong sign "
               f"(only the sign counts)")
    else:
        how = (f"the worst sequence {name} is off by {result.error[i]:.3g} where the tolerance is "
               f"atol + rtol·|target| = {ATOL:g} on the zero entries")
    kind = "scale too small" if k > 1 else "scale too large"
    pattern = "right but too soft" if k > 1 else "too sharp"
    return Diagnosis(kind, f"{kind}: the attention pattern is {pattern}: {how}; multiplying Qm by {k:.4g} "
                     f"(every score × {k:.4g}) passes on every input",
                     {"factor": k, "worst_sequence": name, "worst_error": float(result.error[i])})


def _worst_signed(result: CriterionResult, i: int) -> float:
    rows = np.flatnonzero(result.batch.mask[i])[1:]
    signed = result.out[i, rows, 0] * result.batch.targets[i, rows, 0]
    return float(result.out[i, rows[np.argmin(signed)], 0])


# --- 4. wrong attention target -----------------------------------------------------------


def _hard_attention(task: str, weights: Weights, result: CriterionResult) -> tuple[np.ndarray, np.ndarray]:
    """All weight spread evenly over each query's top-scoring keys: (weights, outputs)."""
    batch = result.batch
    x = with_positions(np.asarray(batch.inputs, dtype=float), weights.pos)
    scores = (x @ weights.Qm) @ np.swapaxes(x @ weights.Km, -1, -2) / np.sqrt(weights.qk_dim)
    scores = np.where(batch.mask[:, None, :], scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    chosen = (scores >= top - 1e-9 * (1 + np.abs(top))) & batch.mask[:, None, :]
    hard = chosen / np.maximum(chosen.sum(axis=-1, keepdims=True), 1)
    return hard, hard @ (x @ weights.Vm)


def _describe_key(task: str, tokens: tuple[int, ...], query: int, key: int) -> str:
    spec = get_task(task)
    seq = ((CLS,) if spec.has_cls else ()) + tokens
    if spec.has_cls and key == 0:
        return "CLS (position 0)"
    if key == query:
        return f"itself (position {key}, token {TOKENS[seq[key]]})"
    return f"key {key} (token {TOKENS[seq[key]]})"


def _need(task: str, tokens: tuple[int, ...], query: int) -> str:
    if task == "identity":
        return f"it must attend to keys holding its own token {TOKENS[tokens[query]]}"
    if task == "first":
        return f"every query must attend to the first key (position 0, token {TOKENS[tokens[0]]})"
    t = tokens[query - 1]
    if tokens.count(t) == 1:
        return (f"its token {TOKENS[t]} occurs once, so it must attend to CLS (a positive value), never to itself: "
                f"a token always matches its own position, so subtract that match (e.g. −c² between equal positions)")
    return f"its token {TOKENS[t]} is repeated, so it must attend to its other copies (negative values)"


def _wrong_target(task: str, weights: Weights, result: CriterionResult) -> Diagnosis | None:
    hard, hard_out = _hard_attention(task, weights, result)
    passed, _, margin = judge_outputs(task, result.batch, hard_out)
    if np.all(passed):
        return None
    i = int(np.argmin(np.where(passed, np.inf, margin)))
    batch = result.batch
    tokens = batch.tokens[i]
    rows = np.flatnonzero(batch.mask[i])
    if task == "unique":
        rows = rows[1:]
        bad = [r for r in rows if np.sign(hard_out[i, r, 0]) != batch.targets[i, r, 0]]
    else:
        bad = [r for r in rows if not np.allclose(hard_out[i, r], batch.targets[i, r], rtol=RTOL, atol=ATOL)]
    q = bad[0]
    picked = np.flatnonzero(hard[i, q] > 0)
    if len(picked) == len(np.flatnonzero(batch.mask[i])) > 1:
        return Diagnosis("wrong attention target",
                         f"wrong attention target: in {batch.names[i]}, query {q} gives every key the same score, so it "
                         f"averages all {len(picked)} of them; {_need(task, tokens, q)} (Qm Kmᵀ must score those keys higher)",
                         {"sequence": batch.names[i], "query": int(q), "picked_keys": picked.tolist(), "uniform": True})
    picks = ", ".join(_describe_key(task, tokens, q, int(k)) for k in picked)
    weight = float(result.weights[i, q, picked].sum())
    return Diagnosis("wrong attention target",
                     f"wrong attention target: in {batch.names[i]}, query {q} puts most weight ({weight:.3g}) on {picks}; "
                     f"{_need(task, tokens, q)}",
                     {"sequence": batch.names[i], "query": int(q), "picked_keys": picked.tolist(), "weight": weight})
