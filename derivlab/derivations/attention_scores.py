"""The designs with symbolic scales, and their scores and values grouped into key classes.

A key's score depends on the query only through a few relations (same token, same position,
is CLS, is the first position ...). ``key_class_table`` computes, from the SYMBOLIC design
matrices, the score x_q (Qm Kmᵀ / sqrt(qk_dim)) x_kᵀ of every (query, key) feature pair of a
task and checks that it is the same expression across each class; likewise the values
x_k Vm. Softmax then groups keys of one class with a count:

    out(q) = Σ_classes count · e^{score} · value / Σ_classes count · e^{score}.

Features are x = [one-hot token | pos[position]] (positions CONCATENATED, not added).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import sympy as sp

from derivlab.transformers.designs import design_entries
from derivlab.transformers.tasks import CLS, TASKS, TOKENS

c = sp.Symbol("c", positive=True)  # query/key scale
b = sp.Symbol("b", positive=True)  # CLS bias of the unique design, as a fraction of a match

SCALE_SYMBOLS: dict[str, dict[str, sp.Symbol]] = {
    "identity": {"c": c},
    "first": {"c": c},
    "unique": {"c": c, "b": b},
}


@dataclass(frozen=True, eq=False)
class SymbolicDesign:
    """A design's Km, Qm, Vm, pos as SymPy matrices of its scale symbols, and its score form."""

    task: str
    Km: sp.Matrix
    Qm: sp.Matrix
    Vm: sp.Matrix
    pos: sp.Matrix | None
    scales: dict

    @property
    def qk_dim(self) -> int:
        return self.Km.shape[1]

    @property
    def score_form(self) -> sp.Matrix:
        """Qm Kmᵀ / sqrt(qk_dim): score(q, k) = x_q · score_form · x_kᵀ."""
        return (self.Qm * self.Km.T / sp.sqrt(self.qk_dim)).applyfunc(sp.simplify)

    def feature(self, token: int, position: int) -> sp.Matrix:
        """The row x = [one-hot token | pos[position]]."""
        task = TASKS[self.task]
        row = [sp.Integer(1) if i == token else sp.Integer(0) for i in range(task.token_dim)]
        if self.pos is not None:
            row += list(self.pos.row(position))
        return sp.Matrix([row])


@lru_cache(maxsize=None)
def symbolic_design(task: str) -> SymbolicDesign:
    """The hand-coded design of ``task`` with symbolic scales (c, and b for unique)."""
    scales = SCALE_SYMBOLS[task]
    entries = design_entries(task, **scales)
    pos = entries["pos"]
    return SymbolicDesign(task, sp.Matrix(entries["Km"]), sp.Matrix(entries["Qm"]), sp.Matrix(entries["Vm"]),
                          None if pos is None else sp.Matrix(pos), dict(scales))


# --- key classes ------------------------------------------------------------------------
# A feature is (token, position). Each task says which (query, key) pairs occur and how to
# name the key's class relative to the query (score) and the key's value class.


def _content_pairs(task: str):
    """(query, key) features that can meet in one sequence: one position holds one token."""
    n = TASKS[task].max_len
    for tq in range(3):
        for pq in range(n):
            for tk in range(3):
                for pk in range(n):
                    if pk != pq or tk == tq:
                        yield (tq, pq), (tk, pk)


def _identity_pairs():
    return _content_pairs("identity")


def _first_pairs():
    return _content_pairs("first")


def _unique_features():
    yield (CLS, 0)
    for t in range(3):
        for p in range(1, TASKS["unique"].max_seq_len):
            yield (t, p)


def _unique_pairs():
    for q in _unique_features():
        for k in _unique_features():
            if k[1] != q[1] or k == q:
                yield q, k


def _identity_score_class(q, k) -> str:
    return "same token" if q[0] == k[0] else "other token"


def _first_score_class(q, k) -> str:
    return "first key" if k[1] == 0 else "later key"


def _unique_score_class(q, k) -> str:
    if q[0] == CLS:
        return "any key (CLS query)"
    if k[0] == CLS:
        return "CLS"
    if k == q:
        return "itself"
    return "same token" if k[0] == q[0] else "other token"


def _token_value_class(k) -> str:
    return TOKENS[k[0]]


def _unique_value_class(k) -> str:
    return "CLS" if k[0] == CLS else "content"


_PAIRS: dict[str, Callable] = {"identity": _identity_pairs, "first": _first_pairs, "unique": _unique_pairs}
_SCORE_CLASS: dict[str, Callable] = {"identity": _identity_score_class, "first": _first_score_class,
                                     "unique": _unique_score_class}
_VALUE_CLASS: dict[str, Callable] = {"identity": _token_value_class, "first": _token_value_class,
                                     "unique": _unique_value_class}


def score_class(task: str, query: tuple[int, int], key: tuple[int, int]) -> str:
    """The class of ``key`` (token, position) relative to ``query`` in ``task``'s closed form."""
    return _SCORE_CLASS[task](query, key)


@dataclass(frozen=True, eq=False)
class KeyClassTable:
    """Score per key class and value per value class, each checked constant across its class."""

    task: str
    scores: dict  # class -> SymPy expression (already / sqrt(qk_dim))
    values: dict  # value class -> SymPy Matrix row
    pairs_checked: int
    consistent: bool
    detail: str


@lru_cache(maxsize=None)
def key_class_table(task: str) -> KeyClassTable:
    """Score and value of every (query, key) feature pair from the symbolic design, grouped by class."""
    design = symbolic_design(task)
    form = design.score_form
    features: dict[tuple[int, int], sp.Matrix] = {}

    def x(f):
        if f not in features:
            features[f] = design.feature(*f)
        return features[f]

    scores: dict[str, Any] = {}
    values: dict[str, Any] = {}
    problems: list[str] = []
    n = 0
    for q, k in _PAIRS[task]():
        n += 1
        s = sp.expand((x(q) * form * x(k).T)[0, 0])
        cls = _SCORE_CLASS[task](q, k)
        if cls not in scores:
            scores[cls] = s
        elif sp.expand(s - scores[cls]) != 0:
            problems.append(f"score of {cls} differs: {scores[cls]} vs {s} at query {q}, key {k}")
    for f in {k for _, k in _PAIRS[task]()}:
        v = (x(f) * design.Vm).applyfunc(sp.expand)
        cls = _VALUE_CLASS[task](f)
        if cls not in values:
            values[cls] = v
        elif (v - values[cls]).applyfunc(sp.expand) != sp.zeros(*v.shape):
            problems.append(f"value of {cls} differs at key {f}")
    detail = "; ".join(problems[:3]) if problems else f"{n} (query, key) pairs: score constant within each class"
    return KeyClassTable(task, scores, values, n, not problems, detail)
