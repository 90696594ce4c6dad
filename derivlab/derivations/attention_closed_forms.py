"""Closed forms of the hand-coded designs: attention weights and outputs for ANY input sequence.

Derived, not typed in: the scores and values per key class come from the symbolic design
matrices (``attention_scores.key_class_table``); softmax over keys grouped by class gives

    weight(key of class k) = e^{s_k} / Σ_j n_j e^{s_j},   out = Σ_j n_j e^{s_j} v_j / Σ_j n_j e^{s_j}

with n_j the number of keys of class j (token counts, L). E.g. identity: a key of the
query's token gets e^{c²/√3} / (m e^{c²/√3} + L − m), m the count of that token among L.
Hard-attention limits are ``sympy.limit`` as c → ∞.

Numeric values are the SymPy expressions with numbers substituted (``.subs`` + ``.evalf``),
memoised per count profile; no code is generated from expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from derivlab.derivations.attention_scores import (SCALE_SYMBOLS, b, c, key_class_table, score_class,
                                                   symbolic_design)
from derivlab.transformers.designs import DEFAULT_SCALES
from derivlab.transformers.tasks import CLS, TASKS, TOKENS

m = sp.Symbol("m", positive=True, integer=True)  # count of the query's token (itself included)
L = sp.Symbol("L", positive=True, integer=True)  # number of content tokens
n_A, n_B, n_C = sp.symbols("n_A n_B n_C", nonnegative=True, integer=True)
COUNTS = (n_A, n_B, n_C)

#: The CLS bias at which the unique design's threshold and limits are stated (its default).
UNIQUE_B = sp.Rational(str(DEFAULT_SCALES["unique"]["b"]))


@dataclass(frozen=True, eq=False)
class ClosedForm:
    """A design's weights and outputs as SymPy expressions of its scales and the token counts.

    ``weights[k]``: weight on ONE key of class k (counts m, L). ``output[q]``: the output row of a
    query of kind q (identity: query token A/B/C with token counts n_A, n_B, n_C; first: first
    token A/B/C with n_u counting token u among positions 2..L; unique: "content" in m, L and
    "CLS query" in L). ``hard_limit``: the same as c → ∞.
    """

    task: str
    symbols: dict
    score_form: sp.Matrix
    scores: dict
    values: dict
    class_counts: dict
    weights: dict
    output: dict
    hard_limit: dict

    @property
    def latex(self) -> dict[str, str]:
        out = {"score_form": sp.latex(self.score_form)}
        out.update({f"score[{k}]": sp.latex(v) for k, v in self.scores.items()})
        out.update({f"weight[{k}]": sp.latex(v) for k, v in self.weights.items()})
        out.update({f"output[{k}]": sp.latex(v) for k, v in self.output.items()})
        out.update({f"limit[{k}]": sp.latex(v) for k, v in self.hard_limit.items()})
        return out

    def to_json(self) -> dict:
        return {"task": self.task, "symbols": sorted(self.symbols), "latex": self.latex,
                "scores": {k: str(v) for k, v in self.scores.items()},
                "weights": {k: str(v) for k, v in self.weights.items()},
                "output": {k: str(v) for k, v in self.output.items()},
                "hard_limit": {k: str(v) for k, v in self.hard_limit.items()}}


def _softmax_grouped(terms: list[tuple[Any, Any, Any]]) -> Any:
    """Σ n e^s v / Σ n e^s over (count n, score s, value v) groups of keys."""
    denominator = sum(n * sp.exp(s) for n, s, _ in terms)
    numerator = sum((n * sp.exp(s) * v for n, s, v in terms), sp.zeros(*terms[0][2].shape))
    return (numerator / denominator).applyfunc(sp.simplify)


def _class_weights(scores: dict, counts: dict) -> dict:
    denominator = sum(counts[k] * sp.exp(scores[k]) for k in counts)
    return {k: sp.simplify(sp.exp(scores[k]) / denominator) for k in counts}


def _limit(expr: Any) -> Any:
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(lambda e: sp.limit(e, c, sp.oo))
    return sp.limit(expr, c, sp.oo)


def _identity_form(table) -> ClosedForm:
    s, v = table.scores, table.values
    class_counts = {"same token": m, "other token": L - m}
    weights = _class_weights(s, class_counts)
    output = {}
    for t, tok in enumerate(TOKENS):
        terms = [(COUNTS[u], s[score_class("identity", (t, 0), (u, 1))], v[TOKENS[u]]) for u in range(3)]
        output[tok] = _softmax_grouped(terms)
    limits = {f"weight[{k}]": _limit(w) for k, w in weights.items()}
    limits["output[A]"] = _limit(output["A"].subs(n_A, m))  # the query's own token is present: n_A = m ≥ 1
    return ClosedForm("identity", {"c": c, "m": m, "L": L, "n_A": n_A, "n_B": n_B, "n_C": n_C},
                      symbolic_design("identity").score_form, s, v, class_counts, weights, output, limits)


def _first_form(table) -> ClosedForm:
    s, v = table.scores, table.values
    class_counts = {"first key": sp.Integer(1), "later key": L - 1}
    weights = _class_weights(s, class_counts)
    output = {}
    for t0, tok in enumerate(TOKENS):
        terms = [(sp.Integer(1), s["first key"], v[tok])]
        terms += [(COUNTS[u], s["later key"], v[TOKENS[u]]) for u in range(3)]
        output[tok] = _softmax_grouped(terms)
    limits = {f"weight[{k}]": _limit(w) for k, w in weights.items()}
    limits["output[A]"] = _limit(output["A"])
    return ClosedForm("first", {"c": c, "L": L, "n_A": n_A, "n_B": n_B, "n_C": n_C},
                      symbolic_design("first").score_form, s, v, class_counts, weights, output, limits)


def _unique_form(table) -> ClosedForm:
    s, v = table.scores, table.values
    class_counts = {"CLS": sp.Integer(1), "itself": sp.Integer(1), "same token": m - 1, "other token": L - m}
    weights = _class_weights({k: s[k] for k in class_counts}, class_counts)
    weights.update(_class_weights({"any key (CLS query)": s["any key (CLS query)"]}, {"any key (CLS query)": L + 1}))
    content = _softmax_grouped([(class_counts[k], s[k], v["CLS" if k == "CLS" else "content"]) for k in class_counts])
    cls_query = _softmax_grouped([(sp.Integer(1), s["any key (CLS query)"], v["CLS"]),
                                  (L, s["any key (CLS query)"], v["content"])])
    output = {"content": content[0, 0], "CLS query": cls_query[0, 0]}
    at_b = content[0, 0].subs(b, UNIQUE_B)
    limits = {"output[unique token]": _limit(at_b.subs(m, 1)),
              "output[repeated token]": sp.limit(at_b.subs(m, sp.Symbol("k", positive=True) + 1), c, sp.oo),
              "output[repeated token, b=1]": sp.limit(content[0, 0].subs({b: 1, m: 2}), c, sp.oo)}
    return ClosedForm("unique", {"c": c, "b": b, "m": m, "L": L},
                      symbolic_design("unique").score_form, s, v, class_counts, weights, output, limits)


@lru_cache(maxsize=None)
def closed_form(task: str) -> ClosedForm:
    """The closed form of ``task``'s design (identity | first | unique), derived with SymPy."""
    table = key_class_table(task)
    if not table.consistent:
        raise ValueError(f"the {task} design's scores are not constant per key class: {table.detail}")
    return {"identity": _identity_form, "first": _first_form, "unique": _unique_form}[task](table)


# --- numbers from the closed form ---------------------------------------------------------


def _scale_values(task: str, scales: dict) -> tuple[tuple[str, float], ...]:
    values = {**DEFAULT_SCALES[task], **scales}
    return tuple(sorted((k, float(values[k])) for k in SCALE_SYMBOLS[task]))


@lru_cache(maxsize=20000)
def _evaluate(task: str, kind: str, key: str, counts: tuple[tuple[str, int], ...],
              scales: tuple[tuple[str, float], ...]) -> tuple[float, ...]:
    form = closed_form(task)
    expr = (form.weights if kind == "weight" else form.output)[key]
    subs = {form.symbols[name]: sp.Integer(value) for name, value in counts}
    subs.update({form.symbols[name]: sp.Float(value, 40) for name, value in scales})
    entries = list(expr) if isinstance(expr, sp.MatrixBase) else [expr]
    return tuple(float(e.evalf(30, subs=subs)) for e in entries)


def row_features(task: str, tokens: tuple[int, ...]) -> list[tuple[int, int]]:
    """(token, position) of every row: CLS at position 0 for unique, content after it."""
    if TASKS[task].has_cls:
        return [(CLS, 0)] + [(t, p + 1) for p, t in enumerate(tokens)]
    return [(t, p) for p, t in enumerate(tokens)]


def query_profile(task: str, tokens: tuple[int, ...], query: tuple[int, int]):
    """(output key, counts for the output, counts for the weights) of one query of ``tokens``."""
    counts = [tokens.count(u) for u in range(3)]
    length = (("L", len(tokens)),)
    if task == "identity":
        return (TOKENS[query[0]], tuple((f"n_{TOKENS[u]}", counts[u]) for u in range(3)),
                length + (("m", counts[query[0]]),))
    if task == "first":
        later = [tokens[1:].count(u) for u in range(3)]
        return TOKENS[tokens[0]], tuple((f"n_{TOKENS[u]}", later[u]) for u in range(3)), length
    if query[0] == CLS:
        return "CLS query", length, length
    return "content", length + (("m", counts[query[0]]),), length + (("m", counts[query[0]]),)


def closed_form_rows(task: str, tokens: tuple[int, ...]) -> tuple[sp.Matrix, sp.Matrix]:
    """The closed form's (weights, output) on ``tokens`` with the counts put in; scales stay symbolic."""
    form = closed_form(task)
    feats = row_features(task, tokens)
    weights, out = [], []
    for q in feats:
        key, out_counts, weight_counts = query_profile(task, tokens, q)
        row = form.output[key]
        row = row if isinstance(row, sp.MatrixBase) else sp.Matrix([[row]])
        out.append(row.subs({form.symbols[k]: v for k, v in out_counts}))
        ws = {form.symbols[k]: v for k, v in weight_counts}
        weights.append([form.weights[score_class(task, q, k)].subs(ws) for k in feats])
    return sp.Matrix(weights), sp.Matrix.vstack(*out)


def closed_form_forward(task: str, tokens: tuple[int, ...], **scales: float) -> dict[str, np.ndarray]:
    """Weights (rows = queries) and outputs of ``task``'s design on ``tokens``, from the closed form
    with the scales substituted (memoised per count profile)."""
    tokens = tuple(int(t) for t in tokens)
    sv = _scale_values(task, scales)
    feats = row_features(task, tokens)
    weights = np.zeros((len(feats), len(feats)))
    out = np.zeros((len(feats), TASKS[task].out_dim))
    for i, q in enumerate(feats):
        key, out_counts, weight_counts = query_profile(task, tokens, q)
        out[i] = _evaluate(task, "output", key, out_counts, sv)
        for j, k in enumerate(feats):
            weights[i, j] = _evaluate(task, "weight", score_class(task, q, k), weight_counts, sv)[0]
    return {"weights": weights, "out": out}
