"""Writes the weights corpus (run from the repository root: python tests/checking/weights_corpus/make_corpus.py).

Correct designs (ours and non-canonical ones) and subtly wrong ones, each with its expected
verdict and diagnosis kind in expected.json. The files are committed; this script documents
how each was made (fixed seeds).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from derivlab.transformers.designs import hand_coded_design

HERE = Path(__file__).parent


def _orthogonal(n: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    return q * np.sign(np.diag(r))


def _weights(task: str, **scales) -> dict[str, np.ndarray]:
    return hand_coded_design(task, **scales).weights()


def _write(name: str, w: dict[str, np.ndarray | None]) -> None:
    w = {k: v for k, v in w.items() if v is not None}
    if name.endswith(".npz"):
        np.savez(HERE / name, **w)
    else:
        (HERE / name).write_text(json.dumps({k: np.asarray(v).tolist() for k, v in w.items()}) + "\n")


def _recode_positions(w: dict, token_dim: int, P: np.ndarray) -> dict:
    """pos -> pos P, position rows of Km, Qm, Vm -> Pᵀ rows: [tok | pos P] M' = [tok | pos] M."""
    out = {k: np.array(v, dtype=float) for k, v in w.items()}
    out["pos"] = out["pos"] @ P
    for key in ("Km", "Qm", "Vm"):
        out[key][token_dim:] = P.T @ out[key][token_dim:]
    return out


def corpus() -> dict[str, tuple[str, str, str | None]]:
    """name -> (task, expected verdict, expected diagnosis kind); writes every file."""
    expected: dict[str, tuple[str, str, str | None]] = {}

    def add(name, task, w, verdict, kind=None):
        _write(name, w)
        expected[name] = (task, verdict, kind)

    # identity: correct
    add("identity_ours.json", "identity", _weights("identity"), "pass")
    add("identity_ours.npz", "identity", _weights("identity"), "pass")
    w = _weights("identity")
    R = _orthogonal(3, 1)
    add("identity_rotated_keys.json", "identity", {"Km": w["Km"] @ R, "Qm": w["Qm"] @ R, "Vm": w["Vm"]}, "pass")
    R5 = _orthogonal(5, 2)
    wide = np.hstack([9.0 * np.eye(3), np.zeros((3, 2))]) @ R5  # qk 5: c² = 81 ≥ √5 · ln(5·10⁸)
    add("identity_wide_qk5.json", "identity", {"Km": wide, "Qm": wide, "Vm": np.eye(3)}, "pass")
    add("identity_asymmetric_scale.json", "identity", {"Km": np.eye(3), "Qm": 60.0 * np.eye(3), "Vm": np.eye(3)}, "pass")
    perm = np.eye(3)[[2, 0, 1]]
    add("identity_permuted_qk.json", "identity", {"Km": w["Km"] @ perm, "Qm": w["Qm"] @ perm, "Vm": w["Vm"]}, "pass")
    # identity: wrong
    add("identity_scale_slightly_small.json", "identity", _weights("identity", c=5.85), "fail", "scale too small")
    add("identity_values_off.json", "identity", {**w, "Vm": 0.998 * np.eye(3)}, "fail", "values")
    add("identity_wrong_target.json", "identity", {**w, "Qm": w["Qm"][[1, 2, 0]]}, "fail", "wrong attention target")
    add("identity_overflow.json", "identity", _weights("identity", c=1e160), "fail", "overflow")

    # first: correct
    add("first_ours.json", "first", _weights("first"), "pass")
    w = _weights("first")
    add("first_rotated_positions.json", "first", _recode_positions(w, 3, _orthogonal(4, 3)), "pass")
    angles = np.pi * np.arange(4) / 4  # other positional codes: points on a circle, pos_dim 2
    pos = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    Km = np.zeros((5, 1))
    Km[3:, 0] = 12.0 * pos[0]  # key c·(pos · pos₀): largest at position 0 (gap 1 − cos(π/4))
    Qm = np.zeros((5, 1))
    Qm[:3, 0] = 12.0  # every token asks the same question
    Vm = np.vstack([np.eye(3), np.zeros((2, 3))])
    add("first_circle_positions.json", "first", {"Km": Km, "Qm": Qm, "Vm": Vm, "pos": pos}, "pass")
    R3 = _orthogonal(3, 4)
    Kw = np.hstack([w["Km"], np.zeros((7, 2))]) @ R3
    Qw = np.hstack([w["Qm"], np.zeros((7, 2))]) @ R3 * np.sqrt(np.sqrt(3))  # qk 3: scores / √3
    add("first_wide_qk3.json", "first", {"Km": Kw, "Qm": Qw, "Vm": w["Vm"], "pos": w["pos"]}, "pass")
    # first: wrong
    add("first_scale_slightly_small.json", "first", _weights("first", c=4.40), "fail", "scale too small")
    Kwrong = np.zeros_like(w["Km"])
    Kwrong[3 + 1, 0] = 6.0  # keys at position 1 instead of 0
    add("first_wrong_target.json", "first", {**w, "Km": Kwrong}, "fail", "wrong attention target")
    add("first_values_permuted.json", "first", {**w, "Vm": w["Vm"][:, [1, 2, 0]]}, "fail", "values")

    # unique: correct
    add("unique_ours.json", "unique", _weights("unique"), "pass")
    w = _weights("unique")
    R8 = _orthogonal(8, 5)
    add("unique_rotated_keys.json", "unique", {**w, "Km": w["Km"] @ R8, "Qm": w["Qm"] @ R8}, "pass")
    add("unique_recoded_positions.npz", "unique", _recode_positions(w, 4, _orthogonal(4, 6)), "pass")
    add("unique_cls_bias_1.json", "unique", _weights("unique", b=1.0), "pass")
    add("unique_other_values.json", "unique", {**w, "Vm": np.array([[-0.5], [-0.5], [-0.5], [3.0], [0], [0], [0], [0]])},
        "pass")
    # unique: wrong
    add("unique_scale_slightly_small.json", "unique", _weights("unique", c=2.75), "fail", "scale too small")
    own = _weights("unique")
    own["Km"][4:, 4:] = 0.0  # no −c on equal positions: a token matches itself
    add("unique_attends_own_position.json", "unique", own, "fail", "wrong attention target")
    add("unique_cls_too_strong.json", "unique", _weights("unique", b=1.5), "fail", "wrong attention target")
    add("unique_values_all_negative.json", "unique", {**w, "Vm": -np.abs(w["Vm"])}, "fail", "values")
    add("unique_cls_bias_above_match.json", "unique", _weights("unique", c=8.0, b=1.05), "fail", "scale too large")
    return expected


def main() -> None:
    expected = corpus()
    table = {name: {"task": t, "verdict": v, "diagnosis": k} for name, (t, v, k) in sorted(expected.items())}
    (HERE / "expected.json").write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
