"""The notebook's ``NumpyTransformer``: weights given, forward on one sequence.

Positional rows are CONCATENATED to the token features; one sequence, no batch dimension.
"""

from __future__ import annotations

import numpy as np

from derivlab.transformers.attention import attention_parts


class NumpyTransformer:
    """``NumpyTransformer(Km, Qm, Vm, pos=None)``; ``forward(seq, verbose=False, plot=False)``.

    Km, Qm: (input_dim + pos_dim, qk_dim); Vm: (input_dim + pos_dim, v_dim);
    pos: (max_seq_len, pos_dim) or None. Output: softmax(Q Kᵀ / sqrt(qk_dim)) V, shape (L, v_dim).
    """

    def __init__(self, Km: np.ndarray, Qm: np.ndarray, Vm: np.ndarray, pos: np.ndarray | None = None):
        self.Km = np.asarray(Km, dtype=float)
        self.Qm = np.asarray(Qm, dtype=float)
        self.Vm = np.asarray(Vm, dtype=float)
        self.pos = None if pos is None else np.asarray(pos, dtype=float)
        self.qk_dim = self.Km.shape[1]

    def parts(self, seq: np.ndarray) -> dict[str, np.ndarray]:
        """Keys, queries, values, scores, attention weights and output of one forward pass."""
        return attention_parts(seq, self.Km, self.Qm, self.Vm, self.pos)

    def forward(self, seq: np.ndarray, verbose: bool = False, plot: bool = False) -> np.ndarray:
        p = self.parts(seq)
        if verbose:
            self._print_parts(p)
        if plot:
            from derivlab.transformers.plotting import plot_heatmaps

            plot_heatmaps(self.Km, self.Qm, self.Vm, p)
        return p["out"]

    __call__ = forward

    @staticmethod
    def _print_parts(p: dict[str, np.ndarray]) -> None:
        np.set_printoptions(precision=3, suppress=True)
        print("Keys\n", p["K"], "\nQueries\n", p["Q"], "\nValues\n", p["V"])
        for i, q in enumerate(p["Q"]):
            print(f"query {i}: dot products {p['scores'][i] * np.sqrt(p['K'].shape[1])}, weights {p['weights'][i]}")
        print("Output\n", p["out"])
