"""Wrong versions of a true step: each mutation family rewrites one node of a side the way a
student slips (a dropped p, p² for p, 1−p for p, a lost transpose, the wrong Γ, a flipped
sign, a lost factor or term, a renamed symbol). A mutant is only a CANDIDATE: the oracle
decides whether it is still true.

    >>> from derivlab.testing.soundness.terms import E, MASKED, P, W, X, mul
    >>> [str(m) for m in candidates("dropped-p", mul(P, X, W))]
    ['X w']
"""

from __future__ import annotations

from typing import Callable, Iterator

from derivlab.testing.soundness.terms import (
    GAMMA,
    GAMMA_NEW,
    GRAM,
    ONE_MINUS_P,
    W_NEW,
    Num,
    Op,
    P,
    Sym,
    Term,
    W,
    X,
    diag,
    num,
    paths,
    pw,
    replace,
)

# renamed symbols: (the symbol replaced, its stand-in); the stand-in's style is its LaTeX
RENAMES: tuple[tuple[Sym, Sym], ...] = (
    (W, Sym("w_new", "d", r"latex:\mathbf{w}_{\text{new}}")),
    (W, Sym("w_new", "d", r"latex:\tilde{w}_{\text{new}}")),
    (W, Sym("w_new", "d", r"latex:w_{new}")),
    (W, Sym("w^new", "d", r"latex:\mathbf{w}^{\text{new}}")),
    (W, Sym("w^new", "d", r"latex:w^{\text{new}}")),
    (W, Sym("w_old", "d", r"latex:\mathbf{w}_{\text{old}}")),
    (W, Sym("w_2", "d", r"latex:\hat{\mathbf{w}}_{\text{2}}")),
    (GAMMA, Sym("Gamma_new", "dd", r"latex:\boldsymbol{\Gamma}_{\text{new}}")),
    (GAMMA, Sym("Gamma_new", "dd", r"latex:\Gamma_{new}")),
    (GAMMA, Sym("Gamma^2", "dd", r"latex:\boldsymbol{\Gamma}^{\text{2}}")),
    (W_NEW, Sym("w", "d", r"latex:\mathbf{w}")),
    (GAMMA_NEW, Sym("Gamma", "dd", r"latex:\Gamma")),
)


def _sites(term: Term, match: Callable[[Term], bool]) -> Iterator[tuple[tuple[int, ...], Term]]:
    return ((path, node) for path, node in paths(term) if match(node))


def _is(kind: str) -> Callable[[Term], bool]:
    return lambda t: isinstance(t, Op) and t.kind == kind


def _each(term: Term, match, make) -> list[Term]:
    out = []
    for path, node in _sites(term, match):
        for new in make(node):
            out.append(replace(term, path, new))
    return out


def _drop_term(node: Op) -> list[Term]:
    return [node.children[0], node.children[1]]


def _swap_sign(node: Op) -> list[Term]:
    return [Op("sub" if node.kind == "add" else "add", node.children)]


def _factor(node: Num) -> list[Term]:
    return [num(2 * node.value)]


def _without(factor: Term) -> Callable[[Term], list[Term]]:
    """A product ``factor · a`` (or ``a · factor``) becomes ``a``: the factor is dropped."""
    def make(node: Term) -> list[Term]:
        a, b = node.children
        return [b] if a == factor else [a] if b == factor else []
    return make


def _has_factor(factor: Term) -> Callable[[Term], bool]:
    return lambda n: isinstance(n, Op) and n.kind == "mul" and factor in n.children


def _wrong_gamma(node: Term) -> list[Term]:
    if node == GAMMA:
        return [diag(GRAM), pw(GAMMA, 2), X]
    if isinstance(node, Op) and node.kind == "diag":
        return [node.children[0]]
    if isinstance(node, Op) and node.kind == "sqrt":
        return [node.children[0]]
    return []


def _moved_expectation(node: Op) -> list[Term]:
    """E‖a‖² → ‖E a‖², E[a b] → E[a] E[b]: the mean taken inside a non-linear function."""
    (inner,) = node.children
    if isinstance(inner, Op) and inner.kind == "sqnorm":
        return [Op("sqnorm", (Op("E", inner.children),))]
    if isinstance(inner, Op) and inner.kind == "mul":
        return [Op("mul", tuple(Op("E", (c,)) for c in inner.children))]
    return []


def _swapped_product(node: Op) -> list[Term]:
    a, b = node.children
    return [Op("mul", (b, a))]


FAMILIES: dict[str, Callable[[Term], list[Term]]] = {
    "dropped-p": lambda t: _each(t, _has_factor(P), _without(P)),
    "p-squared": lambda t: _each(t, lambda n: n == P, lambda n: [pw(P, 2)])
    + _each(t, lambda n: n == pw(P, 2), lambda n: [P]),
    "one-minus-p": lambda t: _each(t, lambda n: n == ONE_MINUS_P, lambda n: [P])
    + _each(t, lambda n: n == P, lambda n: [ONE_MINUS_P]),
    "missing-transpose": lambda t: _each(t, _is("T"), lambda n: [n.children[0]]),
    "wrong-gamma": lambda t: _each(t, lambda n: n == GAMMA or (isinstance(n, Op) and n.kind in ("diag", "sqrt")),
                                   _wrong_gamma),
    "sign": lambda t: _each(t, lambda n: isinstance(n, Op) and n.kind in ("add", "sub"), _swap_sign),
    "factor": lambda t: _each(t, lambda n: isinstance(n, Num) and n.value not in (0, 1), _factor)
    + _each(t, _has_factor(num(2)), _without(num(2))),
    "dropped-term": lambda t: _each(t, lambda n: isinstance(n, Op) and n.kind in ("add", "sub"), _drop_term),
    "moved-expectation": lambda t: _each(t, _is("E"), _moved_expectation),
    "swapped-product": lambda t: _each(t, _is("mul"), _swapped_product),
    "hadamard-for-product": lambda t: _each(t, _is("mul"), lambda n: [Op("had", n.children)])
    + _each(t, _is("had"), lambda n: [Op("mul", n.children)]),
    "squared-vs-plain": lambda t: _each(t, _is("sqnorm"), lambda n: [Op("norm", n.children)])
    + _each(t, lambda n: isinstance(n, Op) and n.kind == "pow" and n.k == 2, lambda n: [n.children[0]]),
}


def candidates(family: str, term: Term) -> list[Term]:
    """Every single-node mutant of ``term`` in ``family`` (renamed symbols: see ``renamed``)."""
    return [m for m in FAMILIES[family](term) if m != term]


def renamed(term: Term) -> list[tuple[Term, bool]]:
    """(mutant, uses a brace annotation) for each symbol of ``term`` that a rename replaces."""
    out = []
    for old, new in RENAMES:
        for path, _ in _sites(term, lambda n, old=old: n == old):
            out.append((replace(term, path, new), "}_{\\text" in new.style or "}^{\\text" in new.style))
    return out
