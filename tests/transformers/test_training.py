"""The notebook's training loop: its sequence stream, its init, its reproducibility, and that it learns."""

import numpy as np
import pytest
import torch
from torch import nn

from derivlab.transformers.attention import attention_batch
from derivlab.transformers.tasks import TASKS, encode, exhaustive_batch, target
from derivlab.transformers.torch_model import PytorchTransformer
from derivlab.transformers.training import pad_stream, sequence_stream, train_loop


@pytest.mark.parametrize("task", ["identity", "first", "unique"])
def test_padded_stream_matches_encode_and_target_for_every_step(task):
    spec = TASKS[task]
    stream = sequence_stream(spec, 300, seed=3)
    padded = pad_stream(stream, remove_cls=spec.has_cls)
    for step in range(stream.steps):
        toks = stream.sequence(step)
        n = len(encode(spec, toks))
        assert np.array_equal(padded.inputs[step, :n], encode(spec, toks))
        assert np.array_equal(padded.targets[step, :n], target(spec, toks))
        assert padded.key_mask[step].sum() == n and not padded.inputs[step, n:].any()


@pytest.mark.parametrize("task", ["identity", "unique"])
def test_loss_weights_make_the_weighted_sum_equal_nn_mse(task):
    spec = TASKS[task]
    stream = sequence_stream(spec, 50, seed=1)
    padded = pad_stream(stream, remove_cls=spec.has_cls)
    rng = np.random.default_rng(0)
    for step in range(50):
        out = rng.normal(size=padded.targets[step].shape).astype(np.float32)
        n = int(padded.key_mask[step].sum())
        first = 1 if spec.has_cls else 0
        expected = nn.MSELoss()(torch.tensor(out[first:n]), torch.tensor(padded.targets[step, first:n])).item()
        weighted = float(np.sum(padded.loss_weight[step][:, None] * (out - padded.targets[step]) ** 2))
        assert weighted == pytest.approx(expected, rel=1e-5)


def test_stream_lengths_and_tokens_are_uniform():
    stream = sequence_stream("identity", 6000, seed=0)
    counts = np.bincount(stream.lengths, minlength=7)[1:]
    assert counts.min() > 0 and stream.lengths.max() == 6
    # each length has probability 1/6: 6000 draws give 1000 ± 29 (1 s.d.); allow 5 s.d.
    assert np.all(np.abs(counts - 1000) < 5 * np.sqrt(6000 * (1 / 6) * (5 / 6)))
    assert set(np.unique(stream.tokens)) == {0, 1, 2}


def test_init_is_pytorch_default_after_manual_seed():
    trained = train_loop("first", qk_dim=1, v_dim=3, pos_dim=4, steps=1, lr=0.0, seed=7)
    torch.manual_seed(7)
    fresh = PytorchTransformer(3, 1, 3, pos_dim=4, max_seq_len=4).numpy_weights()
    for key, value in fresh.items():
        assert np.array_equal(trained.weights[key], value), key


def test_train_loop_is_reproducible_with_a_fixed_seed():
    a = train_loop("identity", qk_dim=3, v_dim=3, steps=300, seed=5)
    b = train_loop("identity", qk_dim=3, v_dim=3, steps=300, seed=5)
    c = train_loop("identity", qk_dim=3, v_dim=3, steps=300, seed=6)
    assert all(np.array_equal(a.weights[k], b.weights[k]) for k in a.weights)
    assert np.array_equal(a.losses, b.losses)
    assert not np.allclose(a.weights["Km"], c.weights["Km"])


def test_train_loop_leaves_the_global_torch_rng_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    train_loop("identity", qk_dim=3, v_dim=3, steps=5, seed=0)
    assert torch.equal(torch.rand(3), expected)


def test_remove_cls_needs_a_cls_token():
    with pytest.raises(ValueError, match="CLS"):
        train_loop("identity", qk_dim=3, v_dim=3, steps=5, remove_cls=True)


def test_loss_curve_is_window_means_of_the_per_step_losses():
    m = train_loop("identity", qk_dim=3, v_dim=3, steps=400, seed=0)
    steps, means = m.loss_curve(points=4)
    assert steps.tolist() == [99, 199, 299, 399]
    assert means[0] == pytest.approx(m.losses[:100].mean())


@pytest.mark.slow
def test_notebook_length_identity_training_reaches_low_loss():
    """10,001 steps of the notebook's loop: every output row's argmax is the right token, loss < 5e-3."""
    m = train_loop("identity", qk_dim=3, v_dim=3, seed=0)
    assert m.steps == 10_001 and m.final_loss < 5e-3
    batch = exhaustive_batch(TASKS["identity"])
    w = m.weights
    out = attention_batch(batch.inputs, w["Km"], w["Qm"], w["Vm"], key_mask=batch.mask)
    assert np.all((out.argmax(-1) == batch.targets.argmax(-1))[batch.mask])
    assert np.mean(m.losses[:100]) > 10 * m.final_loss  # it learned: the early loss is far higher
