"""Plausible wrong hand-coded designs (claims ``attention.identity``, ``.first``, ``.unique``).

A candidate is ``(entries(c), scale)``: the design's Km, Qm, Vm, pos as nested lists built
from a query/key scale c (a SymPy symbol or a float, like ``transformers.designs.design_entries``)
and the scale it is used at. Positions are CONCATENATED to the token features.

Symbolic check (exact): (1) the hard-attention limit c → ∞: entries are linear in c, so every
score is A c² + B c + C with exact rational A, B, C, and softmax tends to the uniform average over
the keys with the lexicographically largest (A, B, C); that limit must give the target on
every input (identity, first: equal; unique: the right sign); (2) the scale must be at least
the exact threshold c* (``scale_threshold``; strictly above for unique).
Numeric check: the notebook criterion on every input after a seeded random orthogonal
re-coding of the qk space and positions (outputs unchanged in exact arithmetic).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from derivlab.testing._judging import Candidate, Judge, NumericVerdict

_C = sp.Symbol("c", positive=True)


def _entries(task: str, **scales: Any) -> Any:
    from derivlab.transformers.designs import design_entries

    return lambda c: design_entries(task, c=c, **scales)


def _edited(task: str, edit: Any, **scales: Any) -> Any:
    """The stated design's entries with ``edit(entries, c)`` applied (on copies)."""
    base = _entries(task, **scales)

    def build(c: Any) -> dict:
        e = {k: None if v is None else [list(row) for row in v] for k, v in base(c).items()}
        edit(e, c)
        return e

    return build


def _default_scale(task: str) -> Fraction:
    from derivlab.transformers.designs import DEFAULT_SCALES

    return Fraction(str(DEFAULT_SCALES[task]["c"]))


def _below(task: str) -> Fraction:
    from derivlab.derivations.attention_thresholds import scale_threshold

    return Fraction(round(0.9 * scale_threshold(task).value, 3)).limit_denominator(1000)


def _cyclic_values(e: dict, c: Any) -> None:
    for t in range(3):
        e["Vm"][t] = [1 if j == (t + 1) % 3 else 0 for j in range(3)]


def _keys_on_next_token(e: dict, c: Any) -> None:
    for t in range(3):
        e["Km"][t] = [c if j == (t + 1) % 3 else 0 for j in range(3)]


def _values_from_positions(e: dict, c: Any) -> None:
    for i in range(len(e["Vm"])):
        e["Vm"][i] = [1 if i >= 3 and j == i - 3 else 0 for j in range(3)]


def _keys_on_every_position(e: dict, c: Any) -> None:
    for p in range(4):
        e["Km"][3 + p][0] = c


def _own_position_not_excluded(e: dict, c: Any) -> None:
    for p in range(4):
        e["Km"][4 + p] = [0] * len(e["Km"][4 + p])


def _swapped_value_signs(e: dict, c: Any) -> None:
    e["Vm"] = [[-v for v in row] for row in e["Vm"]]


def _no_cls_default(e: dict, c: Any) -> None:
    e["Km"][3] = [0] * len(e["Km"][3])


def candidates() -> list[Candidate]:
    half = sp.Rational(1, 2)
    out = []
    for task in ("identity", "first", "unique"):
        claim, scales = f"attention.{task}", ({"b": half} if task == "unique" else {})
        out.append(Candidate(claim, "stated", f"the {task} design at its default scale",
                             (_entries(task, **scales), _default_scale(task)), True))
        out.append(Candidate(claim, "scale-below-threshold", f"the {task} design at c = 0.9 c*",
                             (_entries(task, **scales), _below(task))))
    mutants = [
        ("identity", "wrong-value-map", "Vm maps each token to the next one (A -> B)", _cyclic_values),
        ("identity", "keys-on-next-token", "keys of token t answer queries of token t-1", _keys_on_next_token),
        ("first", "values-from-positions", "Vm reads the position part instead of the token part", _values_from_positions),
        ("first", "keys-on-every-position", "every position gets a key, not only the first", _keys_on_every_position),
        ("unique", "attends-own-position", "no -c on the own position: a query also matches itself", _own_position_not_excluded),
        ("unique", "wrong-value-map", "value signs swapped: CLS -> -1, tokens -> +1", _swapped_value_signs),
        ("unique", "no-cls-default", "CLS key row zero (b = 0): no default to attend to", _no_cls_default),
    ]
    for task, name, description, edit in mutants:
        scales = {"b": half} if task == "unique" else {}
        out.append(Candidate(f"attention.{task}", name, description,
                             (_edited(task, edit, **scales), _default_scale(task))))
    return out


# --- symbolic check -------------------------------------------------------------------------

def _linear_parts(rows: Any) -> tuple[np.ndarray, np.ndarray]:
    """M = M0 + c M1 exactly (Fractions); raises ValueError when an entry is not linear in c."""
    M = sp.Matrix(rows)
    M0, M1 = M.subs(_C, 0), M.diff(_C)
    if (M - M0 - _C * M1).applyfunc(sp.expand) != sp.zeros(*M.shape) or M1.has(_C):
        raise ValueError("design entries must be linear in c")
    conv = lambda A: np.array([[Fraction(str(sp.Rational(v))) for v in row] for row in A.tolist()], dtype=object)  # noqa: E731
    return conv(M0), conv(M1)


def _hard_limit_ok(task: str, entries: dict) -> bool:
    from derivlab.transformers.criterion import all_inputs
    from derivlab.transformers.attention import with_positions

    batch = all_inputs(task)
    pos = None if entries["pos"] is None else np.array(sp.Matrix(entries["pos"]).tolist(), dtype=object)
    K0, K1 = _linear_parts(entries["Km"])
    Q0, Q1 = _linear_parts(entries["Qm"])
    V0, V1 = _linear_parts(entries["Vm"])
    if np.any(V1 != 0):
        return False  # values growing with c have no finite limit
    for b in range(len(batch.names)):
        n = int(batch.mask[b].sum())
        x = with_positions(batch.inputs[b, :n].astype(int).astype(object), pos)
        A = (x @ Q1) @ (x @ K1).T
        B = (x @ Q1) @ (x @ K0).T + (x @ Q0) @ (x @ K1).T
        C = (x @ Q0) @ (x @ K0).T
        V, target = x @ V0, batch.targets[b, :n]
        for i in range(n):
            if task == "unique" and i == 0:
                continue  # the CLS row is ignored
            best = max((A[i, j], B[i, j], C[i, j]) for j in range(n))
            keys = [j for j in range(n) if (A[i, j], B[i, j], C[i, j]) == best]
            limit = sum((V[j] for j in keys), np.zeros(V.shape[1], dtype=object)) / len(keys)
            if task == "unique":
                if not (limit[0] * Fraction(target[i, 0])) > 0:
                    return False
            elif any(Fraction(v) != Fraction(t) for v, t in zip(limit, target[i])):
                return False
    return True


def _symbolic(candidate: Candidate) -> bool:
    from derivlab.derivations.attention_thresholds import scale_threshold

    entries_at, scale = candidate.formula
    task = candidate.claim.split(".")[1]
    th = scale_threshold(task)
    c_value = sp.Rational(scale.numerator, scale.denominator)
    scale_ok = bool(c_value >= th.exact) if th.inclusive else bool(c_value > th.exact)
    if th.upper is not None:
        scale_ok = scale_ok and bool(c_value <= th.upper)
    return scale_ok and _hard_limit_ok(task, entries_at(_C))


# --- numeric check ------------------------------------------------------------------------

def _numeric(candidate: Candidate, seed: int) -> NumericVerdict:
    from derivlab.testing._designs import passes, recode
    from derivlab.testing._strategies_attention import _givens
    from derivlab.transformers.designs import Design

    entries_at, scale = candidate.formula
    task = candidate.claim.split(".")[1]
    e = entries_at(float(scale))
    arr = lambda v: None if v is None else np.array(v, dtype=float)  # noqa: E731
    design = Design(task, arr(e["Km"]), arr(e["Qm"]), arr(e["Vm"]), arr(e["pos"]), {"c": float(scale)})
    rng = np.random.default_rng(seed)
    qk = design.Km.shape[1]
    R = _givens(qk, list(rng.uniform(-np.pi, np.pi, qk * (qk - 1) // 2)), bool(rng.integers(2)))
    P = None
    if design.pos is not None:
        k = design.pos.shape[1]
        P = _givens(k, list(rng.uniform(-np.pi, np.pi, k * (k - 1) // 2)), bool(rng.integers(2)))
    ok, info = passes(recode(design, R, P))
    return NumericVerdict(ok, info)


def judges() -> dict[str, Judge]:
    return {f"attention.{task}": Judge(
        f"attention.{task}",
        "exact hard-attention limit c -> oo on every input (scores A c² + B c + C) and c vs the exact threshold c*",
        "notebook criterion on every input after a seeded random orthogonal re-coding of qk space and positions",
        _symbolic, _numeric, statistical=False) for task in ("identity", "first", "unique")}
