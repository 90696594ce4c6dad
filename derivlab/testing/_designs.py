"""Hand-coded designs under symmetry: strategies and properties for ``attention.identity``,
``attention.first`` and ``attention.unique``.

A design's outputs are unchanged by an orthogonal rotation R of its qk space
(Km -> Km R, Qm -> Qm R, so Qm Kmᵀ is unchanged) and by an orthogonal re-coding P of its
positional codes (pos -> pos P and the position rows of Km, Qm, Vm -> Pᵀ · rows, so
[token | pos P] · M' = [token | pos] · M; positions are CONCATENATED). The claims: at every
scale c above the exact threshold c* (``scale_threshold``) the design passes the notebook
criterion on every input; below it, it fails. Unique: CLS bias b = 1/2.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from derivlab.testing._strategies_attention import orthogonal_matrices

TASK_NAMES = ("identity", "first", "unique")
MARGIN = 1e-6  # relative distance from c* kept by the strategies (the criterion is a sharp edge)


def threshold(task: str) -> Any:
    """The owner's exact threshold object (``derivlab.derivations.attention_thresholds``)."""
    from derivlab.derivations.attention_thresholds import scale_threshold

    return scale_threshold(task)


def recode(design: Any, rotation: np.ndarray | None, recoding: np.ndarray | None) -> Any:
    """The same design with qk space rotated by ``rotation`` and positions re-coded by ``recoding``."""
    from derivlab.transformers.designs import Design
    from derivlab.transformers.tasks import get_task

    Km, Qm, Vm = (np.array(m, dtype=float) for m in (design.Km, design.Qm, design.Vm))
    pos = None if design.pos is None else np.array(design.pos, dtype=float)
    if rotation is not None:
        Km, Qm = Km @ rotation, Qm @ rotation
    if recoding is not None and pos is not None:
        t = get_task(design.task).token_dim
        pos = pos @ recoding
        for M in (Km, Qm, Vm):
            M[t:] = recoding.T @ M[t:]
    params = dict(design.params)
    if rotation is not None:
        params["rotation"] = rotation.tolist()
    if recoding is not None and pos is not None:
        params["positional_recoding"] = recoding.tolist()
    return Design(design.task, Km, Qm, Vm, pos, params)


def design_strategy(task: str, *, scale: st.SearchStrategy[float] | None, rotate: bool, valid: bool
                    ) -> st.SearchStrategy[Any]:
    """Designs of ``task`` with c above (``valid``) or below c*, optionally re-coded at random."""
    from derivlab.transformers.designs import DESIGN_SIZES, hand_coded_design

    th = threshold(task)
    if scale is None:
        if valid:
            upper = th.upper if th.upper is not None else 10 * th.value
            scale = st.floats(min_value=th.value * (1 + MARGIN), max_value=float(upper) * (1 - MARGIN))
        else:
            scale = st.floats(min_value=0.0, max_value=th.value * (1 - MARGIN))
    sizes = DESIGN_SIZES[task]
    no_map = st.just(None)
    rotations = orthogonal_matrices(sizes["qk_dim"]) if rotate else no_map
    recodings = orthogonal_matrices(sizes["pos_dim"]) if rotate and sizes["pos_dim"] else no_map
    return st.builds(lambda c, R, P: recode(hand_coded_design(task, c=c), R, P), scale, rotations, recodings)


def passes(design: Any) -> tuple[bool, dict]:
    """The verdict of the grading checker (``checking.weights.check_weights``: shapes, then the notebook
    criterion on EVERY input of the task) on the design's Km, Qm, Vm, pos."""
    from derivlab.checking.weights import check_weights
    from derivlab.checking.weights_io import check_shapes
    from derivlab.transformers.tasks import get_task

    report = check_weights(check_shapes(design.weights(), get_task(design.task)), design.task)
    worst = report.worst or {}
    return report.verdict == "pass", {"failures": report.failures, "worst_sequence": worst.get("sequence"),
                                      "message": report.message}


def _above_passes(design: Any) -> str | None:
    ok, info = passes(design)
    return None if ok else f"c = {design.params['c']!r} is above c* but {info['failures']} inputs fail, e.g. {info['worst_sequence']}"


def _below_fails(design: Any) -> str | None:
    ok, _ = passes(design)
    return f"c = {design.params['c']!r} is below c* but every input passes" if ok else None


def design_properties() -> list[tuple[str, str, str, Any, Any, float]]:
    """Two properties per task: above c* passes, below c* fails (random re-codings, every input)."""
    props = []
    for task in TASK_NAMES:
        claim = f"attention.{task}"
        props.append((f"{claim}/above-threshold-passes", claim,
                      f"every c > c* ({task}), under random qk rotations and positional re-codings, passes on every input",
                      lambda task=task: design_strategy(task, scale=None, rotate=True, valid=True), _above_passes, 1.0))
        props.append((f"{claim}/below-threshold-fails", claim,
                      f"every 0 ≤ c < c* ({task}), under random re-codings, fails on some input",
                      lambda task=task: design_strategy(task, scale=None, rotate=True, valid=False), _below_fails, 1.0))
    return props
