"""Properties of the attention claims: the NumPy and PyTorch models agree on random shapes, and
every hand-coded design passes the task's check above its scale threshold and fails below it,
whatever orthogonal re-coding of its qk space and positional codes it is given.

Positions are CONCATENATED to the token features. NumPy vs PyTorch is compared in float64
with a tolerance from conditioning: softmax weights carry a relative error ≲ u·(1 + max|score|),
so |Δout| ≤ 64·u·(1 + max|score|)·L·max|V| (u the unit roundoff).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derivlab.testing._strategies_attention import AttentionInput, attention_inputs


def numpy_torch_agree(case: AttentionInput) -> str | None:
    """NumpyTransformer(Km, Qm, Vm, pos).forward(seq) equals PytorchTransformer (float64, weights
    loaded with nn.Linear's transpose) within 64·u·(1 + max|score|)·L·max|V|."""
    import torch

    from derivlab.transformers.numpy_model import NumpyTransformer
    from derivlab.transformers.torch_model import PytorchTransformer

    numpy_model = NumpyTransformer(case.Km, case.Qm, case.Vm, case.pos)
    parts = numpy_model.parts(case.seq)
    max_len = 10 if case.pos is None else case.pos.shape[0]
    model = PytorchTransformer(case.token_dim, case.Km.shape[1], case.Vm.shape[1], pos_dim=case.pos_dim,
                               max_seq_len=max_len).double()
    model.load_numpy_weights(case.Km, case.Qm, case.Vm, case.pos)
    with torch.no_grad():
        got = model(torch.as_tensor(case.seq, dtype=torch.float64)).numpy()
    expected = parts["out"]
    if got.shape != expected.shape:
        return f"shapes differ: torch {got.shape}, numpy {expected.shape}"
    L = case.seq.shape[0]
    tolerance = 64 * np.finfo(float).eps * (1 + np.max(np.abs(parts["scores"]))) * L * max(np.max(np.abs(parts["V"])), 1e-300)
    gap = float(np.max(np.abs(got - expected)))
    return None if gap <= tolerance else f"max |torch - numpy| = {gap:.3e} > tolerance {tolerance:.3e}"


def attention_properties() -> list[tuple[str, str, str, Any, Any, float]]:
    """(name, claim, statement, strategy factory, check, examples weight) of the attention properties."""
    props: list[tuple[str, str, str, Any, Any, float]] = [
        ("attention.numpy-torch/random-shapes", "attention.numpy-torch", numpy_torch_agree.__doc__,
         attention_inputs, numpy_torch_agree, 1.0),
    ]
    from derivlab.testing._designs import design_properties

    props.extend(design_properties())
    return props
