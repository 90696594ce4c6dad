"""Strategies for the transformer question: token sequences, rotations, model inputs, designs.

Positions are CONCATENATED to the token features (x = [seq | pos[:L]]); Km, Qm are
(token_dim + pos_dim) x qk_dim, Vm is (token_dim + pos_dim) x v_dim, pos is max_len x pos_dim.
Re-exported by ``derivlab.testing.strategies`` (the public module).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import numpy as np
from hypothesis import strategies as st

from derivlab.transformers.tasks import Task, get_task


def _task(task: str | Task) -> Task:
    return task if isinstance(task, Task) else get_task(task)


def token_sequences(task: str | Task) -> st.SearchStrategy[tuple[int, ...]]:
    """The content tokens of one input of ``task`` (indices 0, 1, 2 for A, B, C; CLS not included):
    length 1..max_len (6 for identity, 4 for first and unique). Shrinks to (0,) = "A".

        >>> from derivlab.transformers.tasks import encode, get_task
        >>> tokens = token_sequences("unique").example()
        >>> encode(get_task("unique"), tokens).shape == (len(tokens) + 1, 4)
        True
    """
    t = _task(task)
    return st.lists(st.integers(0, 2), min_size=1, max_size=t.max_len).map(tuple)



def _givens(k: int, angles: list[float], reflect: bool) -> np.ndarray:
    R = np.eye(k)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    for (i, j), theta in zip(pairs, angles):
        G = np.eye(k)
        c, s = math.cos(theta), math.sin(theta)
        G[i, i] = G[j, j] = c
        G[i, j], G[j, i] = -s, s
        R = R @ G
    if reflect:
        R[:, 0] = -R[:, 0]
    return R


def orthogonal_matrices(k: int, *, reflections: bool = True) -> st.SearchStrategy[np.ndarray]:
    """A k x k orthogonal matrix: a product of Givens rotations (one angle per plane), optionally
    with a reflection. Shrinks to the identity.

        >>> import numpy as np
        >>> R = orthogonal_matrices(3).example()
        >>> bool(np.allclose(R.T @ R, np.eye(3)))
        True
    """
    n_angles = k * (k - 1) // 2
    angle = st.floats(min_value=-math.pi, max_value=math.pi, allow_nan=False)
    reflect = st.booleans() if reflections else st.just(False)
    return st.builds(_givens, st.just(k), st.lists(angle, min_size=n_angles, max_size=n_angles), reflect)


@dataclass(frozen=True)
class AttentionInput:
    """One forward pass of the notebook's model: seq (L, token_dim), Km, Qm, Vm and pos (or None)."""

    seq: np.ndarray
    Km: np.ndarray
    Qm: np.ndarray
    Vm: np.ndarray
    pos: np.ndarray | None

    @property
    def token_dim(self) -> int:
        return self.seq.shape[1]

    @property
    def pos_dim(self) -> int | None:
        return None if self.pos is None else self.pos.shape[1]

    def to_json(self) -> dict:
        out = {k: getattr(self, k).tolist() for k in ("seq", "Km", "Qm", "Vm")}
        out["pos"] = None if self.pos is None else self.pos.tolist()
        return out


def _reshape(rows: int, cols: int, xs: list) -> np.ndarray:
    return np.array(xs, dtype=float).reshape(rows, cols)


@lru_cache(maxsize=None)
def _float_matrix(rows: int, cols: int, bound: float) -> st.SearchStrategy[np.ndarray]:
    entry = st.floats(min_value=-bound, max_value=bound, allow_nan=False)
    return st.lists(entry, min_size=rows * cols, max_size=rows * cols).map(partial(_reshape, rows, cols))


def attention_inputs(*, max_token_dim: int = 5, max_qk_dim: int = 4, max_v_dim: int = 4,
                     max_len: int = 4, positions: bool | None = None, max_pos_dim: int = 3,
                     bound: float = 3.0) -> st.SearchStrategy[AttentionInput]:
    """Random shapes and values like the notebook's NumPy/PyTorch test: token_dim 1..5, qk_dim and
    v_dim 1..4, pos_dim 1..3 (``positions`` None = either), max_len positional rows, a sequence of
    length 1..max_len; entries in [-bound, bound].

        >>> from derivlab.transformers.attention import attention
        >>> case = attention_inputs().example()
        >>> attention(case.seq, case.Km, case.Qm, case.Vm, case.pos).shape[0] == case.seq.shape[0]
        True
    """
    dims = {"token": st.integers(1, max_token_dim), "pos": st.integers(1, max_pos_dim), "qk": st.integers(1, max_qk_dim),
            "v": st.integers(1, max_v_dim), "len": st.integers(1, max_len)}

    @st.composite
    def build(draw: Any) -> AttentionInput:
        token_dim = draw(dims["token"])
        with_pos = draw(st.booleans()) if positions is None else positions
        pos_dim = draw(dims["pos"]) if with_pos else 0
        qk_dim = draw(dims["qk"])
        v_dim = draw(dims["v"])
        length = draw(dims["len"])
        in_dim = token_dim + pos_dim
        return AttentionInput(
            seq=draw(_float_matrix(length, token_dim, bound)),
            Km=draw(_float_matrix(in_dim, qk_dim, bound)),
            Qm=draw(_float_matrix(in_dim, qk_dim, bound)),
            Vm=draw(_float_matrix(in_dim, v_dim, bound)),
            pos=draw(_float_matrix(max_len, pos_dim, bound)) if with_pos else None,
        )

    return build()


def hand_coded_designs(task: str, *, scale: st.SearchStrategy[float] | None = None,
                       rotate: bool = True) -> st.SearchStrategy[Any]:
    """A valid hand-coded ``Design`` for ``task`` (from ``derivlab.transformers.designs``): scale
    drawn above the task's threshold (``scale_threshold``) unless ``scale`` is given, then re-coded
    by random orthogonal maps that leave every output unchanged (qk-space rotation R:
    Km -> Km R, Qm -> Qm R; positional re-coding P: pos -> pos P, position rows of Km, Qm, Vm
    -> Pᵀ rows).

        >>> design = hand_coded_designs("first").example()            # doctest: +SKIP
        >>> check_weights(design, "first").verdict                    # doctest: +SKIP
        'pass'
    """
    from derivlab.testing._designs import design_strategy

    return design_strategy(task, scale=scale, rotate=rotate, valid=True)


def perturbed_designs(task: str) -> st.SearchStrategy[Any]:
    """A hand-coded ``Design`` for ``task`` that must FAIL the task's check: its scale is drawn
    below the threshold (``scale_threshold``), then re-coded by random orthogonal maps as in
    ``hand_coded_designs``. Needs the designs module.

        >>> design = perturbed_designs("identity").example()          # doctest: +SKIP
        >>> check_weights(design, "identity").verdict                 # doctest: +SKIP
        'fail'
    """
    from derivlab.testing._designs import design_strategy

    return design_strategy(task, scale=None, rotate=True, valid=False)
