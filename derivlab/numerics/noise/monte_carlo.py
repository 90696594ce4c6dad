"""Monte Carlo over Gaussian input noise: additive X + N, or multiplicative X ⊙ (1 + N), N_ij ~ N(0, v).

Decision rule as for dropout (``numerics.monte_carlo``): a candidate value c agrees when
|z| < 4.89, z = (mean − c)/se, the two-sided normal quantile for a false-alarm rate of 1e-6.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from derivlab.errors import InputError
from derivlab.numerics.monte_carlo import CHUNK_ENTRIES, MonteCarloResult

KINDS = ("additive", "multiplicative")


def sample_squared_residuals(X: Any, y: Any, w: Any, std: float, kind: str, samples: int, seed: int) -> np.ndarray:
    """‖y − X̃w‖² for ``samples`` noise draws: X̃ = X + N or X ⊙ (1 + N), N_ij ~ N(0, std²) i.i.d."""
    if kind not in KINDS:
        raise InputError(f"noise kind must be one of {', '.join(KINDS)}")
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise InputError(f"shapes: X {X.shape}, y {y.shape}, w {w.shape} (need (n, d), (n,), (d,))")
    if not std > 0:
        raise InputError(f"the noise standard deviation must be positive, got {std}")
    rng = np.random.default_rng(seed)
    n, d = X.shape
    per_chunk = max(1, CHUNK_ENTRIES // (n * d))
    base = y - X @ w
    out, done = [], 0
    while done < samples:
        b = min(per_chunk, samples - done)
        noise = rng.normal(0.0, std, size=(b, n, d))
        if kind == "multiplicative":
            noise = noise * X[None]
        out.append(((base[None, :] - noise @ w) ** 2).sum(axis=1))
        done += b
    return np.concatenate(out)


def monte_carlo_check(X: Any, y: Any, w: Any, std: float, kind: str, candidate: float,
                      samples: int, seed: int) -> MonteCarloResult:
    """Does ``candidate`` equal E_N‖y − X̃w‖²? The same z-test and 1 − 1e-6 interval as the dropout check."""
    if samples < 2:
        raise InputError("Monte Carlo needs at least 2 samples")
    values = sample_squared_residuals(X, y, w, std, kind, samples, seed)
    return MonteCarloResult(float(values.mean()), float(candidate),
                            float(values.std(ddof=1) / math.sqrt(samples)), samples, seed)
