"""The notebook's ``PytorchTransformer``: the student's PyTorch twin of ``NumpyTransformer``.

``pos`` is an ``nn.Embedding(max_seq_len, pos_dim)`` (or None), Km/Qm/Vm are bias-free
``nn.Linear`` layers, so ``Km.weight`` is Kmᵀ. Positions are CONCATENATED to the features.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn


class PytorchTransformer(nn.Module):
    """``PytorchTransformer(input_dim, qk_dim, v_dim, pos_dim=None, max_seq_len=10)``; default init."""

    def __init__(self, input_dim: int, qk_dim: int, v_dim: int, pos_dim: int | None = None, max_seq_len: int = 10):
        super().__init__()
        self.pos = nn.Embedding(max_seq_len, pos_dim) if pos_dim else None
        in_dim = input_dim + (pos_dim or 0)
        self.Km = nn.Linear(in_dim, qk_dim, bias=False)
        self.Qm = nn.Linear(in_dim, qk_dim, bias=False)
        self.Vm = nn.Linear(in_dim, v_dim, bias=False)
        self.qk_dim = qk_dim

    def features(self, seq: torch.Tensor) -> torch.Tensor:
        """[seq | pos(0..L-1)] for (L, input_dim) or (B, L, input_dim)."""
        if self.pos is None:
            return seq
        length = seq.shape[-2]
        rows = self.pos(torch.arange(length, device=seq.device))
        if seq.dim() == 3:
            rows = rows.unsqueeze(0).expand(seq.shape[0], -1, -1)
        return torch.cat([seq, rows], dim=-1)

    def attention_weights(self, seq: torch.Tensor) -> torch.Tensor:
        x = self.features(seq)
        scores = self.Qm(x) @ self.Km(x).transpose(-2, -1) / math.sqrt(self.qk_dim)
        return torch.softmax(scores, dim=-1)

    def forward(self, seq: torch.Tensor) -> torch.Tensor:
        x = self.features(seq)
        scores = self.Qm(x) @ self.Km(x).transpose(-2, -1) / math.sqrt(self.qk_dim)
        return torch.softmax(scores, dim=-1) @ self.Vm(x)

    def numpy_weights(self) -> dict[str, np.ndarray]:
        """Km, Qm, Vm (and pos) in the NumPy model's orientation (transposes of nn.Linear weights)."""
        out = {
            "Km": self.Km.weight.detach().T.numpy().copy(),
            "Qm": self.Qm.weight.detach().T.numpy().copy(),
            "Vm": self.Vm.weight.detach().T.numpy().copy(),
        }
        if self.pos is not None:
            out["pos"] = self.pos.weight.detach().numpy().copy()
        return out

    @torch.no_grad()
    def load_numpy_weights(self, Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray, pos: np.ndarray | None = None) -> None:
        """Set the layers from NumPy-orientation weights (Km.weight = Kmᵀ, ...)."""
        dtype = self.Km.weight.dtype
        self.Km.weight.copy_(torch.as_tensor(np.array(Km, dtype=float).T, dtype=dtype))
        self.Qm.weight.copy_(torch.as_tensor(np.array(Qm, dtype=float).T, dtype=dtype))
        self.Vm.weight.copy_(torch.as_tensor(np.array(Vm, dtype=float).T, dtype=dtype))
        if pos is not None:
            if self.pos is None:
                raise ValueError("this model has no positional embedding")
            self.pos.weight.copy_(torch.as_tensor(np.array(pos, dtype=float), dtype=dtype))
