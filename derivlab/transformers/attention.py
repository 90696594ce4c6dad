"""The notebook's attention, as pure functions (NumPy).

One layer, one head, no residual, no layer norm, no MLP, no masking, no biases:

    x   = [seq | pos[:L]]            positions CONCATENATED to the features (not added)
    K, Q, V = x Km, x Qm, x Vm
    out = softmax(Q Kᵀ / sqrt(qk_dim)) V      (softmax over keys, per query row)

Shapes: seq (L, input_dim); Km, Qm (input_dim + pos_dim, qk_dim); Vm (input_dim + pos_dim, v_dim);
pos (max_seq_len, pos_dim) or None. The batched forms take (B, L, input_dim) and an optional
boolean key mask (B, L) for padded batches; padded query rows are returned as zeros.
The softmax subtracts the row maximum, so hand-coded designs with large scales do not overflow.
"""

from __future__ import annotations

import numpy as np


def stable_softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax along ``axis`` with the row maximum subtracted (no overflow for large scores)."""
    shifted = scores - np.max(scores, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def with_positions(seq: np.ndarray, pos: np.ndarray | None) -> np.ndarray:
    """[seq | pos[:L]]: the first L positional rows concatenated to the L token rows."""
    if pos is None:
        return seq
    length = seq.shape[-2]
    if length > pos.shape[0]:
        raise ValueError(f"sequence of length {length} is longer than the {pos.shape[0]} positional rows")
    rows = pos[:length]
    if seq.ndim == 3:
        rows = np.broadcast_to(rows, (seq.shape[0], *rows.shape))
    return np.concatenate([seq, rows], axis=-1)


def attention_parts(seq: np.ndarray, Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray,
                    pos: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Every intermediate of one forward pass on ONE sequence: x, K, Q, V, scores, weights, out."""
    x = with_positions(np.asarray(seq, dtype=float), pos)
    K, Q, V = x @ Km, x @ Qm, x @ Vm
    scores = Q @ K.T / np.sqrt(Km.shape[1])
    weights = stable_softmax(scores, axis=-1)
    return {"x": x, "K": K, "Q": Q, "V": V, "scores": scores, "weights": weights, "out": weights @ V}


def attention(seq: np.ndarray, Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray,
              pos: np.ndarray | None = None) -> np.ndarray:
    """softmax([seq|pos] Qm ([seq|pos] Km)ᵀ / sqrt(qk_dim)) [seq|pos] Vm for one sequence, (L, v_dim)."""
    return attention_parts(seq, Km, Qm, Vm, pos)["out"]


def attention_batch(seqs: np.ndarray, Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray,
                    pos: np.ndarray | None = None, key_mask: np.ndarray | None = None,
                    return_weights: bool = False):
    """The same attention on a batch (B, L, input_dim); ``key_mask`` (B, L) marks real tokens.

    Sequences shorter than L are padded; a False key is never attended to, and the output rows
    of padded queries are zero. Returns out (B, L, v_dim) [and weights (B, L, L)].
    """
    x = with_positions(np.asarray(seqs, dtype=float), pos)
    K, Q, V = x @ Km, x @ Qm, x @ Vm
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Km.shape[1])
    if key_mask is not None:
        scores = np.where(key_mask[:, None, :], scores, -np.inf)
    weights = stable_softmax(scores, axis=-1)
    out = weights @ V
    if key_mask is not None:
        out = np.where(key_mask[:, :, None], out, 0.0)
        weights = np.where(key_mask[:, :, None], weights, 0.0)
    return (out, weights) if return_weights else out
