"""The hand-coded designs pass the notebook criterion on every input; their shapes are docs/spec/problems.md's."""

import numpy as np
import pytest
import torch

from derivlab.transformers.attention import attention
from derivlab.transformers.designs import DEFAULT_SCALES, hand_coded_design
from derivlab.transformers.tasks import TASKS, all_token_sequences, encode, target


def _passes(design, task_name: str) -> bool:
    task = TASKS[task_name]
    for toks in all_token_sequences(task):
        out = attention(encode(task, toks), design.Km, design.Qm, design.Vm, design.pos)
        want = target(task, toks)
        if task_name == "unique":
            if not np.array_equal(np.sign(out[1:]), want[1:]):
                return False
        elif not np.allclose(out, want, rtol=1e-3, atol=1e-8):
            return False
    return True


@pytest.mark.parametrize("task", ["identity", "first", "unique"])
def test_default_design_passes_the_criterion_on_every_input(task):
    assert _passes(hand_coded_design(task), task)


@pytest.mark.parametrize("task, scales", [("identity", {"c": 2.0}), ("first", {"c": 2.0}), ("unique", {"c": 1.0})])
def test_a_small_scale_fails_the_criterion(task, scales):
    assert not _passes(hand_coded_design(task, **scales), task)


def test_unique_design_with_cls_bias_above_a_match_fails():
    assert not _passes(hand_coded_design("unique", c=5.0, b=1.5), "unique")


@pytest.mark.parametrize("task, shapes", [
    ("identity", {"Km": (3, 3), "Qm": (3, 3), "Vm": (3, 3)}),
    ("first", {"Km": (7, 1), "Qm": (7, 1), "Vm": (7, 3), "pos": (4, 4)}),
    ("unique", {"Km": (8, 8), "Qm": (8, 8), "Vm": (8, 1), "pos": (5, 4)}),
])
def test_design_shapes_are_the_problem_sizes(task, shapes):
    d = hand_coded_design(task)
    assert {k: v.shape for k, v in d.weights().items()} == shapes


def test_design_matrices_are_read_only():
    d = hand_coded_design("identity")
    with pytest.raises(ValueError):
        d.Km[0, 0] = 0.0


def test_params_record_the_scales():
    assert hand_coded_design("unique", c=3.0).params == {"c": 3.0, "b": DEFAULT_SCALES["unique"]["b"]}


def test_unknown_scale_is_rejected():
    with pytest.raises(ValueError, match="unknown scale"):
        hand_coded_design("first", b=1.0)


@pytest.mark.parametrize("task", ["identity", "first", "unique"])
def test_torch_model_of_a_design_equals_the_numpy_model(task):
    d = hand_coded_design(task)
    seq = encode(TASKS[task], (0, 1, 1, 2))
    with torch.no_grad():
        out = d.torch_model()(torch.tensor(seq)).numpy()
    assert np.allclose(out, d.model().forward(seq), rtol=0, atol=1e-12)


def test_to_json_round_trips_the_weights():
    d = hand_coded_design("first")
    j = d.to_json()
    assert j["task"] == "first" and np.array_equal(np.array(j["pos"]), d.pos)
