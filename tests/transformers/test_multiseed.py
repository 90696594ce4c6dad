"""K models trained together are the K notebook loops: same init, same sequences, same SGD steps."""

import numpy as np
import pytest
import torch

from derivlab.transformers.multiseed import torch_threads, train_many
from derivlab.transformers.training import train_loop

SETUPS = {
    "identity": dict(qk_dim=3, v_dim=3),
    "first": dict(qk_dim=1, v_dim=3, pos_dim=4),
    "unique": dict(qk_dim=8, v_dim=1, pos_dim=4, remove_cls=True),
}
TOL = 1e-5  # float32 rounding of a batched vs a per-model matmul, after 300 steps


def _max_weight_diff(a, b) -> float:
    assert a.weights.keys() == b.weights.keys()
    return max(float(np.abs(a.weights[k] - b.weights[k]).max()) for k in a.weights)


@pytest.mark.parametrize("task", list(SETUPS))
def test_multiseed_equals_sequential_notebook_loops(task):
    together = train_many(task, [0, 1], steps=300, **SETUPS[task])
    for model in together:
        alone = train_loop(task, steps=300, seed=model.seed, **SETUPS[task])
        assert _max_weight_diff(model, alone) < TOL
        assert np.allclose(model.losses, alone.losses, atol=TOL)


def test_the_equality_tolerance_catches_a_different_learning_rate():
    """The semantics test can fail: a 3% different lr moves the weights far beyond the tolerance."""
    together = train_many("identity", [0], steps=300, **SETUPS["identity"])[0]
    other_lr = train_loop("identity", steps=300, seed=0, lr=3.1e-2, **SETUPS["identity"])
    assert _max_weight_diff(together, other_lr) > 100 * TOL


def test_models_do_not_talk_to_each_other():
    pair = train_many("first", [4, 9], steps=200, **SETUPS["first"])
    alone = train_many("first", [9], steps=200, **SETUPS["first"])[0]
    assert _max_weight_diff(pair[1], alone) < TOL


def test_seed_order_does_not_matter():
    ab = train_many("unique", [2, 3], steps=100, **SETUPS["unique"])
    ba = train_many("unique", [3, 2], steps=100, **SETUPS["unique"])
    assert _max_weight_diff(ab[0], ba[1]) < TOL and _max_weight_diff(ab[1], ba[0]) < TOL


def test_torch_threads_is_restored():
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_multiseed_learns_identity():
    """2000 steps already lower the window-mean loss several-fold for every seed."""
    models = train_many("identity", [0, 1, 2], steps=2000, **SETUPS["identity"])
    for m in models:
        assert m.losses[:200].mean() > 3 * m.losses[-200:].mean()


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError):
        train_many("identity", [], **SETUPS["identity"])
    with pytest.raises(ValueError):
        train_many("first", [0], max_seq_len=3, steps=5, **SETUPS["first"])
