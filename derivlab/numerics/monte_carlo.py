"""Monte Carlo over keep masks R (R_ij ~ Bernoulli(p) i.i.d., p the KEEP probability).

Decision rule: a candidate value c for E_R‖y − (R ⊙ X)w̃‖² agrees when
|z| < Z_THRESHOLD, z = (mean − c)/se, se = sample std/√N. Z_THRESHOLD is the
two-sided normal quantile for a false-alarm rate of 1e-6 (≈ 4.89): a correct
formula is rejected with probability ≈ 1e-6 (CLT approximation). The power
against a wrong formula off by Δ is ≈ Φ(|Δ|/se − 4.89), reported by
``MonteCarloResult.power_against``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Callable

import numpy as np

from derivlab.errors import InputError

FALSE_ALARM_RATE = 1e-6


def z_threshold(alpha: float = FALSE_ALARM_RATE, tests: int = 1) -> float:
    """The two-sided normal quantile for a false-alarm rate ``alpha`` split over ``tests``
    components (Bonferroni); the one definition of every z bound in derivlab.

    >>> round(z_threshold(), 2), round(z_threshold(tests=10), 2)
    (4.89, 5.33)
    """
    return NormalDist().inv_cdf(1 - alpha / (2 * tests))


Z_THRESHOLD = z_threshold()  # 4.8916...
CHUNK_ENTRIES = 2_000_000  # mask entries sampled at once (bounded memory)


@dataclass(frozen=True)
class MonteCarloResult:
    """Estimate of E_R‖y − (R⊙X)w̃‖² against a candidate's value: z, CI at level 1 − 1e-6, verdict."""

    estimate: float
    candidate_value: float
    standard_error: float
    samples: int
    seed: int
    threshold: float = Z_THRESHOLD

    @property
    def z(self) -> float:
        return self.z_for(self.candidate_value)

    def z_for(self, value: float) -> float:
        """z of another candidate value against the same samples."""
        if self.standard_error == 0:
            return 0.0 if value == self.estimate else math.copysign(math.inf, self.estimate - value)
        return (self.estimate - value) / self.standard_error

    @property
    def ci(self) -> tuple[float, float]:
        half = self.threshold * self.standard_error
        return self.estimate - half, self.estimate + half

    @property
    def agrees(self) -> bool:
        return abs(self.z) < self.threshold

    def power_against(self, value: float) -> float:
        """P(reject) for a formula whose true gap to the expectation is estimate − value (normal approx.)."""
        shift = abs(self.z_for(value))
        return NormalDist().cdf(shift - self.threshold) + NormalDist().cdf(-shift - self.threshold)

    @property
    def headline(self) -> str:
        return f"z={self.z:+.2f} (|z|<{self.threshold:.2f})"

    def to_json(self) -> dict:
        low, high = self.ci
        return {
            "estimate": self.estimate, "exact": self.candidate_value, "standard_error": self.standard_error,
            "z": self.z, "ci": [low, high], "ci_level": 1 - FALSE_ALARM_RATE, "samples": self.samples,
            "seed": self.seed, "threshold": self.threshold, "false_alarm_rate": FALSE_ALARM_RATE,
            "agrees": self.agrees, "headline": self.headline,
        }


def _arrays(X: Any, y: Any, w: Any, p: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise InputError(f"shapes: X {X.shape}, y {y.shape}, w {w.shape} (need (n, d), (n,), (d,))")
    if not 0 < float(p) < 1:
        raise InputError(f"the keep probability must lie in (0, 1), got {p}")
    return X, y, w, float(p)


def _mask_chunks(n: int, d: int, p: float, samples: int, seed: int):
    rng = np.random.default_rng(seed)
    per_chunk = max(1, CHUNK_ENTRIES // (n * d))
    done = 0
    while done < samples:
        b = min(per_chunk, samples - done)
        yield rng.random((b, n, d)) < p
        done += b


def sample_squared_residuals(X: Any, y: Any, w: Any, p: float, samples: int, seed: int) -> np.ndarray:
    """‖y − (R ⊙ X)w̃‖² for ``samples`` independent masks (vectorised, fixed seed)."""
    X, y, w, p = _arrays(X, y, w, p)
    xw = X * w[None, :]
    out = [((y[None, :] - (masks * xw[None]).sum(axis=2)) ** 2).sum(axis=1)
           for masks in _mask_chunks(*X.shape, p, samples, seed)]
    return np.concatenate(out)


def sample_gradients(X: Any, y: Any, w: Any, p: float, samples: int, seed: int) -> np.ndarray:
    """∇_w̃‖y − (R ⊙ X)w̃‖² = −2(R ⊙ X)ᵀ(y − (R ⊙ X)w̃) for ``samples`` masks, shape (samples, d)."""
    X, y, w, p = _arrays(X, y, w, p)
    out = []
    for masks in _mask_chunks(*X.shape, p, samples, seed):
        masked = masks * X[None]
        residual = y[None, :] - masked @ w
        out.append(-2 * np.einsum("bij,bi->bj", masked, residual))
    return np.concatenate(out)


def monte_carlo_check(
    X: Any, y: Any, w: Any, p: float,
    candidate_value_fn: Callable[[Any, Any, Any, float], float],
    samples: int, seed: int,
) -> MonteCarloResult:
    """Does candidate_value_fn(X, y, w, p) equal E_R‖y − (R⊙X)w̃‖²? |z| < Z_THRESHOLD (false alarms 1e-6)."""
    if samples < 2:
        raise InputError("Monte Carlo needs at least 2 samples")
    values = sample_squared_residuals(X, y, w, p, samples, seed)
    candidate = float(candidate_value_fn(X, y, w, p))
    return MonteCarloResult(float(values.mean()), candidate, float(values.std(ddof=1) / math.sqrt(samples)),
                            samples, seed)


@dataclass(frozen=True)
class GradientMonteCarloResult:
    """Is E_R ∇‖y − (R⊙X)w̃‖² = 0 at a candidate w̃? Per-coordinate z, Bonferroni over d coordinates."""

    estimate: tuple[float, ...]
    standard_errors: tuple[float, ...]
    samples: int
    seed: int

    @property
    def threshold(self) -> float:
        return z_threshold(tests=len(self.estimate))

    @property
    def z(self) -> tuple[float, ...]:
        return tuple(m / s if s > 0 else (0.0 if m == 0 else math.inf) for m, s in zip(self.estimate, self.standard_errors))

    @property
    def max_abs_z(self) -> float:
        return max(abs(v) for v in self.z)

    @property
    def agrees(self) -> bool:
        return self.max_abs_z < self.threshold

    @property
    def headline(self) -> str:
        return f"max|z|={self.max_abs_z:.2f} (<{self.threshold:.2f})"

    def to_json(self) -> dict:
        return {"gradient_estimate": list(self.estimate), "standard_errors": list(self.standard_errors),
                "z": list(self.z), "max_abs_z": self.max_abs_z, "threshold": self.threshold,
                "false_alarm_rate": FALSE_ALARM_RATE, "samples": self.samples, "seed": self.seed,
                "agrees": self.agrees, "headline": self.headline}


def monte_carlo_gradient_check(X: Any, y: Any, w: Any, p: float, samples: int, seed: int) -> GradientMonteCarloResult:
    """Stationarity of the dropout objective at ``w``: every |z_j| below the Bonferroni threshold (total 1e-6)."""
    grads = sample_gradients(X, y, w, p, samples, seed)
    return GradientMonteCarloResult(tuple(grads.mean(axis=0).tolist()),
                                    tuple((grads.std(axis=0, ddof=1) / math.sqrt(samples)).tolist()), samples, seed)


def convergence_trace(X: Any, y: Any, w: Any, p: float, samples: int, seed: int, points: int = 25) -> dict:
    """Running estimate and standard error after N = sample_counts[k] masks (for a convergence figure)."""
    values = sample_squared_residuals(X, y, w, p, samples, seed)
    counts = np.unique(np.geomspace(10, samples, points).astype(int))
    return {
        "sample_counts": counts.tolist(),
        "estimates": [float(values[:c].mean()) for c in counts],
        "standard_errors": [float(values[:c].std(ddof=1) / math.sqrt(c)) for c in counts],
    }
