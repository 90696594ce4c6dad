"""Plausible wrong PyTorch twins of the notebook's attention (claim ``attention.numpy-torch``).

The candidates are the claim's own variants (``Claim.variants``, defined once in
``derivlab.transformers.attention_variants``): ONE forward definition each, run with SymPy
(symbolic check) and with torch (numeric check), so the two checks judge the same code.
"""

from __future__ import annotations

import random

import numpy as np
import sympy as sp

from derivlab.claims import all_claims
from derivlab.testing._judging import Candidate, Judge, NumericVerdict
from derivlab.transformers.attention_variants import CLAIM, STATED, SympyOps, TorchOps


def _candidate(variant) -> Candidate:
    return Candidate(variant.claim, variant.name, variant.description, variant.forward, variant.correct)


#: the stated forward (the control) and the wrong twins the claim carries (``Claim.variants``)
CANDIDATES = [_candidate(STATED)] + [_candidate(v) for v in all_claims()[CLAIM].variants]


# --- symbolic check: L = 2, token_dim = 1, pos_dim = 1, qk = v = 2 (square, so all are defined) ---

def _symbolic(candidate: Candidate) -> bool:
    L, token_dim, pos_dim, qk, v = 2, 1, 1, 2, 2
    in_dim = token_dim + pos_dim

    def mat(name: str, r: int, c: int) -> sp.Matrix:
        return sp.Matrix(r, c, sp.symbols(f"{name}0:{r * c}", real=True))

    seq, pos = mat("s", L, token_dim), mat("e", L, pos_dim)
    Km, Qm, Vm = mat("k", in_dim, qk), mat("q", in_dim, qk), mat("v", in_dim, v)
    x = sp.Matrix.hstack(seq, pos)
    scores = (x * Qm) * (x * Km).T / sp.sqrt(qk)
    e = scores.applyfunc(sp.exp)
    truth = sp.Matrix(L, L, lambda i, j: e[i, j] / sum(e.row(i))) * (x * Vm)
    got = candidate.formula(SympyOps(), seq, Km.T, Qm.T, Vm.T, pos)
    if got.shape != truth.shape:
        return False
    diff = [sp.expand(a - b) for a, b in zip(got, truth)]
    if all(d == 0 for d in diff):
        return True
    witness = {s: sp.Rational(random.Random(i).randint(-9, 9), 7) for i, s in enumerate(sorted(
        set().union(*(d.free_symbols for d in diff)), key=str))}
    if any(abs(d.subs(witness).evalf(30)) > 1e-20 for d in diff):
        return False  # a point where the two differ: not identically equal
    return all(sp.simplify(d) == 0 for d in diff)


# --- numeric check: the notebook's test (10 trials) plus 4 square trials, rtol 1e-3 ----------

def _trials(seed: int) -> list[tuple[np.ndarray, ...]]:
    rng = np.random.default_rng(seed)
    out = []
    for trial in range(14):
        if trial < 10:
            qk, v = int(rng.integers(1, 5)), int(rng.integers(1, 5))
            pos_dim = int(rng.integers(2, 4)) if trial % 2 else 0
            token_dim = 5 - pos_dim
        else:  # square: every mutant is defined and must show in the numbers
            qk = v = 4
            pos_dim = 2 if trial % 2 else 0
            token_dim = 4 - pos_dim
        in_dim = token_dim + pos_dim
        Km, Qm, Vm = (rng.normal(size=(in_dim, k)) for k in (qk, qk, v))
        length = int(rng.integers(1, 5))
        pos = rng.normal(size=(4, pos_dim)) if pos_dim else None
        out.append((rng.normal(size=(length, token_dim)), Km, Qm, Vm, pos))
    return out


def _numeric(candidate: Candidate, seed: int) -> NumericVerdict:
    import torch

    from derivlab.transformers.numpy_model import NumpyTransformer

    ops, worst, failures, errors = TorchOps(), 0.0, 0, []
    t = lambda a: None if a is None else torch.as_tensor(a, dtype=torch.float64)  # noqa: E731
    for seq, Km, Qm, Vm, pos in _trials(seed):
        expected = NumpyTransformer(Km, Qm, Vm, pos).forward(seq)
        try:
            got = candidate.formula(ops, t(seq), t(Km.T), t(Qm.T), t(Vm.T),
                                    None if pos is None else t(pos[: len(seq)])).numpy()
        except RuntimeError as exc:  # shape mismatch: the notebook's test would crash too
            failures += 1
            errors.append(str(exc).splitlines()[0])
            continue
        ok = got.shape == expected.shape and np.allclose(got, expected, rtol=1e-3)
        failures += not ok
        if got.shape == expected.shape:
            worst = max(worst, float(np.max(np.abs(got - expected))))
    details = {"trials": 14, "failures": failures, "max_abs_error": worst}
    if errors:
        details["errors"] = len(errors)
        details["first_error"] = errors[0]
    return NumericVerdict(failures == 0, details)


JUDGE = Judge(
    CLAIM, "SymPy: candidate forward with symbolic weights (L=2, token 1, pos 1, qk=v=2) equals the spec",
    "the notebook's test: 10 Gaussian trials (half with positions) + 4 square trials, allclose rtol 1e-3",
    _symbolic, _numeric, statistical=False)
