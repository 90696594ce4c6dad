"""The statistics behind the comparison of a learned and a hand-coded model.

participation_ratio(a) = (Σ|a|)² / (n Σa²) in [1/n, 1]: 1 when every entry has the same
magnitude ("evenly spread"), 1/n when one entry carries everything. Scale-free, like every
statistic here, because the hand-coded designs use large scales and the learned ones do not.
"""

from __future__ import annotations

import numpy as np


def participation_ratio(a: np.ndarray) -> float | None:
    """(Σ|a|)² / (n Σa²) over all entries of ``a``; 1 = evenly spread, 1/n = one entry; None for all zeros."""
    flat = np.abs(np.asarray(a, dtype=float)).ravel()
    total = float(np.sum(flat**2))
    if flat.size == 0 or total == 0.0:
        return None
    return float(np.sum(flat) ** 2 / (flat.size * total))


def cosine(a: np.ndarray, b: np.ndarray) -> float | None:
    """<a, b> / (|a| |b|) of the flattened arrays; None when either is (numerically) zero."""
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"cosine of arrays with {a.size} and {b.size} entries")
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na <= 1e-12 * max(1.0, nb) or nb <= 1e-12 * max(1.0, na):
        return None
    return float(a @ b / (na * nb))


def scaled_relative_error(learned: np.ndarray, design: np.ndarray) -> float | None:
    """min_c |c·learned − design| / |design|: the relative error after the least-squares scale c."""
    l, d = np.asarray(learned, dtype=float).ravel(), np.asarray(design, dtype=float).ravel()
    nd = float(np.linalg.norm(d))
    if nd == 0.0:
        return None
    ll = float(l @ l)
    c = float(l @ d) / ll if ll > 0 else 0.0
    return float(np.linalg.norm(c * l - d) / nd)


def total_variation(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """½ Σ_j |p_j − q_j| along the last axis (distance between attention rows, in [0, 1])."""
    return 0.5 * np.sum(np.abs(np.asarray(p) - np.asarray(q)), axis=-1)


def top_keys(weights: np.ndarray, share: float = 0.5) -> np.ndarray:
    """Boolean mask of the keys holding at least ``share`` of their row's largest weight."""
    return weights >= share * np.max(weights, axis=-1, keepdims=True)


def centred_rows(scores: np.ndarray, key_mask: np.ndarray) -> np.ndarray:
    """Scores minus each query row's mean over its real keys (softmax ignores a constant per row); 0 elsewhere."""
    counts = np.maximum(key_mask.sum(axis=-1, keepdims=True), 1)
    keys = key_mask[..., None, :]
    means = np.where(keys, scores, 0.0).sum(axis=-1, keepdims=True) / counts[..., None]
    return np.where(keys, scores - means, 0.0)


def random_rotation(n: int, seed: int = 0) -> np.ndarray:
    """A fixed random orthogonal n x n matrix (QR of a Gaussian); for n = 1 the sign flip [[-1]]."""
    if n == 1:
        return -np.ones((1, 1))
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    return q * np.sign(np.diag(r))
