"""The written part of Q2 (b)-(d) as measured statements with explicit thresholds.

The course says, about the learned twin against the hand-coded design:
(b) learned weights, keys and queries are more evenly spread, but Vm, attention scores and
    values come out roughly the same; (c) attention (to the first position) and outputs roughly
    the same, weights/keys/queries differ; (d) nearly everything may differ except the sign of
    the output. And: only Qm Kmᵀ (and attention, outputs) is identifiable, not Km or Qm alone.

Each statement becomes a metric of ``comparison_metrics.compare_with_design``, a comparison and
a threshold fixed here, evaluated per seed: "holds in j of K". A claim that fails is a finding.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable

ROUGHLY_SAME_COSINE = 0.9  # "roughly the same": cosine ≥ 0.9; "differ": cosine < 0.9
ATTENTION_TV = 0.2  # "roughly the same attention": mean total-variation distance ≤ 0.2
OUTPUT_DIFF = 0.25  # "roughly the same outputs": max |learned − hand-coded| ≤ 0.25 on every row
FIRST_MASS = 0.8  # "attends to the first position": mean weight on key 0 ≥ 0.8
MOST_DIFFER = 5  # "nearly everything differs": at least 5 of the 8 compared quantities differ

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}


@dataclass(frozen=True)
class MeasuredClaim:
    """A written claim, its metric and threshold, and whether it holds for each seed."""

    id: str
    text: str
    metric: str
    comparison: str
    threshold: float
    values: tuple[float | None, ...]
    holds: tuple[bool, ...]

    @property
    def holds_in(self) -> int:
        return sum(self.holds)

    @property
    def of(self) -> int:
        return len(self.holds)

    def to_json(self) -> dict:
        return {"id": self.id, "text": self.text, "holds_in": self.holds_in, "of": self.of,
                "metric": self.metric, "comparison": self.comparison, "threshold": self.threshold,
                "values": list(self.values), "holds": list(self.holds)}


@dataclass(frozen=True)
class ClaimSpec:
    id: str
    text: str
    metric: str
    comparison: str
    threshold: float
    value: Callable[[dict[str, Any]], float | None]

    def measure(self, per_seed: list[dict[str, Any]]) -> MeasuredClaim:
        """Holds for a seed when ``value comparison threshold``; an unmeasurable value (None) does not hold."""
        values = tuple(_round(self.value(m)) for m in per_seed)
        holds = tuple(v is not None and _OPS[self.comparison](v, self.threshold) for v in values)
        return MeasuredClaim(self.id, self.text, self.metric, self.comparison, self.threshold, values, holds)


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _spread_ratio(m: dict[str, Any]) -> float | None:
    pr = [m["participation_ratio"][q] for q in ("Km", "Qm", "K", "Q")]
    if any(p["learned"] is None or p["design"] is None for p in pr):
        return None
    return min(p["learned"] / p["design"] for p in pr)


def _max_cosine(m: dict[str, Any], names: tuple[str, ...]) -> float | None:
    values = [m["cosine"][n] for n in names]
    return None if any(v is None for v in values) else max(values)


def _max_abs_cosine(m: dict[str, Any], names: tuple[str, ...]) -> float | None:
    """Largest |cos|: with qk_dim = 1 the gauge Km -> a Km, Qm -> Qm / a includes a < 0,
    so a sign flip is not a difference between the models."""
    values = [m["cosine"][n] for n in names]
    return None if any(v is None for v in values) else max(abs(v) for v in values)


def _differ(cos: float | None) -> bool:
    return cos is None or cos < ROUGHLY_SAME_COSINE


def _count_differing(m: dict[str, Any]) -> float:
    cos = m["cosine"]
    quantities = [_differ(cos[n]) for n in ("Km", "Qm", "Vm_tokens", "K", "Q", "V")]
    quantities.append(_differ(m["scores_centred_cosine"]))
    quantities.append(m["attention_mean_tv"] > ATTENTION_TV)
    return float(sum(quantities))


def _gauge(task: str) -> ClaimSpec:
    return ClaimSpec(
        f"{task}.gauge",
        "Km and Qm alone are not identifiable (Km -> Km G, Qm -> Qm G^-T leaves every score unchanged): "
        "learned and hand-coded Km, Qm differ",
        "max(cos Km, cos Qm), learned vs hand-coded, flattened matrices",
        "<", ROUGHLY_SAME_COSINE, lambda m: _max_cosine(m, ("Km", "Qm")))


def _attention(task: str, inputs: int) -> ClaimSpec:
    return ClaimSpec(
        f"{task}.attention", "the attention pattern is roughly the same as the hand-coded one",
        f"mean total-variation distance between learned and hand-coded attention rows, all {inputs} inputs",
        "<=", ATTENTION_TV, lambda m: m["attention_mean_tv"])


CLAIMS: dict[str, tuple[ClaimSpec, ...]] = {
    "identity": (
        ClaimSpec("identity.spread", "learned weights, keys and queries (Km, Qm, K, Q) are more evenly spread "
                  "than the hand-coded ones",
                  "min over Km, Qm, K, Q of PR(learned) / PR(hand-coded), PR(a) = (sum|a|)^2 / (n sum a^2)",
                  ">", 1.0, _spread_ratio),
        ClaimSpec("identity.vm", "Vm comes out roughly the same",
                  "cosine of Vm on the token rows (A, B, C), learned vs hand-coded", ">=", ROUGHLY_SAME_COSINE,
                  lambda m: m["cosine"]["Vm_tokens"]),
        ClaimSpec("identity.scores", "attention scores come out roughly the same",
                  "cosine of the row-centred scores Q K^T / sqrt(d_k) over every (query, key) pair of all 1092 inputs",
                  ">=", ROUGHLY_SAME_COSINE, lambda m: m["scores_centred_cosine"]),
        _attention("identity", 1092),
        ClaimSpec("identity.values", "values come out roughly the same",
                  "cosine of the values V = x Vm over every row of all 1092 inputs", ">=", ROUGHLY_SAME_COSINE,
                  lambda m: m["cosine"]["V"]),
        _gauge("identity"),
    ),
    "first": (
        ClaimSpec("first.attends-first", "the learned model attends to the first position",
                  "mean attention weight on key 0 over every query of all 120 inputs", ">=", FIRST_MASS,
                  lambda m: m["first_position_mass"]["learned"]),
        _attention("first", 120),
        ClaimSpec("first.outputs", "outputs come out roughly the same",
                  "max |output learned - output hand-coded| over every row of all 120 inputs", "<=", OUTPUT_DIFF,
                  lambda m: m["output_max_abs_diff_vs_design"]),
        ClaimSpec("first.weights-differ", "weights, keys and queries (Km, Qm, K, Q) differ from the hand-coded ones",
                  "max of |cos| of Km, Qm, K, Q, learned vs hand-coded (absolute: with qk_dim = 1 "
                  "the sign of Km, Qm is itself a gauge choice, Km -> -Km, Qm -> -Qm leaves every score unchanged)",
                  "<", ROUGHLY_SAME_COSINE,
                  lambda m: _max_abs_cosine(m, ("Km", "Qm", "K", "Q"))),
        _gauge("first"),
    ),
    "unique": (
        ClaimSpec("unique.sign", "the sign of every output agrees with the hand-coded model's",
                  "fraction of non-CLS outputs of all 120 inputs whose sign equals the hand-coded one's",
                  ">=", 1.0, lambda m: m["agreement_with_design"]),
        ClaimSpec("unique.most-differ", "nearly everything else differs between the two models",
                  f"how many of 8 quantities differ: Km, Qm, Vm (token rows), K, Q, V (cosine < {ROUGHLY_SAME_COSINE}), "
                  f"row-centred scores (cosine < {ROUGHLY_SAME_COSINE}), attention (mean TV > {ATTENTION_TV})",
                  ">=", float(MOST_DIFFER), _count_differing),
        _gauge("unique"),
    ),
}


def measure_claims(task: str, per_seed: list[dict[str, Any]]) -> tuple[MeasuredClaim, ...]:
    """Every written claim of ``task`` evaluated on each seed's metrics."""
    return tuple(spec.measure(per_seed) for spec in CLAIMS[task])
