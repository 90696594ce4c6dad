"""The NumPy and PyTorch models agree (the notebook's test), and the batched form equals the loop."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from derivlab.transformers.attention import attention, attention_batch
from derivlab.transformers.numpy_model import NumpyTransformer
from derivlab.transformers.tasks import TASKS, all_token_sequences, exhaustive_batch
from derivlab.transformers.torch_model import PytorchTransformer


def _notebook_trial(rng: np.random.Generator, with_pos: bool) -> None:
    in_dim = 5
    qk_dim, v_dim = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    pos_dim = int(rng.integers(2, 4)) if with_pos else None
    token_dim = in_dim - (pos_dim or 0)
    model = PytorchTransformer(token_dim, qk_dim, v_dim, pos_dim=pos_dim, max_seq_len=4)
    Km, Qm, Vm = rng.normal(size=(in_dim, qk_dim)), rng.normal(size=(in_dim, qk_dim)), rng.normal(size=(in_dim, v_dim))
    pos = rng.normal(size=(4, pos_dim)) if with_pos else None
    model.load_numpy_weights(Km, Qm, Vm, pos)
    seq = rng.normal(size=(int(rng.integers(1, 5)), token_dim))
    out_np = NumpyTransformer(Km, Qm, Vm, pos).forward(seq)
    with torch.no_grad():
        out_torch = model(torch.tensor(seq, dtype=torch.float32)).numpy()
    assert np.allclose(out_np, out_torch, rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize("trial", range(10))
def test_notebook_numpy_matches_pytorch(trial):
    _notebook_trial(np.random.default_rng(trial), with_pos=trial % 2 == 0)


def test_batched_attention_equals_per_sequence_loop_on_every_identity_input():
    rng = np.random.default_rng(0)
    Km, Qm, Vm = rng.normal(size=(3, 3)), rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    batch = exhaustive_batch(TASKS["identity"])
    assert len(batch.names) == 1092
    out = attention_batch(batch.inputs, Km, Qm, Vm, key_mask=batch.mask)
    for b in range(0, 1092, 37):
        L = int(batch.mask[b].sum())
        assert np.allclose(out[b, :L], attention(batch.inputs[b, :L], Km, Qm, Vm))
        assert np.all(out[b, L:] == 0)


def test_exhaustive_counts_match_the_notebook():
    assert [sum(1 for _ in all_token_sequences(TASKS[t])) for t in ("identity", "first", "unique")] == [1092, 120, 120]


def test_large_scores_do_not_overflow():
    Km = Qm = np.eye(3) * 1e3
    out = attention(np.eye(3), Km, Qm, np.eye(3))
    assert np.all(np.isfinite(out)) and np.allclose(out, np.eye(3))


@settings(max_examples=30)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(1, 4), st.integers(0, 3), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_pytorch_matches_numpy_and_sdpa_on_random_shapes(token_dim, qk_dim, v_dim, pos_dim, length, seed):
    rng = np.random.default_rng(seed)
    in_dim = token_dim + pos_dim
    Km, Qm, Vm = rng.normal(size=(in_dim, qk_dim)), rng.normal(size=(in_dim, qk_dim)), rng.normal(size=(in_dim, v_dim))
    pos = rng.normal(size=(5, pos_dim)) if pos_dim else None
    model = PytorchTransformer(token_dim, qk_dim, v_dim, pos_dim=pos_dim or None, max_seq_len=5).double()
    model.load_numpy_weights(Km, Qm, Vm, pos)
    seq = rng.normal(size=(length, token_dim))
    with torch.no_grad():
        t_seq = torch.tensor(seq)
        ours = model(t_seq).numpy()
        x = model.features(t_seq)
        oracle = torch.nn.functional.scaled_dot_product_attention(
            model.Qm(x)[None], model.Km(x)[None], model.Vm(x)[None])[0].numpy()
    assert np.allclose(ours, NumpyTransformer(Km, Qm, Vm, pos).forward(seq), rtol=1e-9, atol=1e-12)
    assert np.allclose(ours, oracle, rtol=1e-9, atol=1e-12)
