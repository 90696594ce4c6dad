"""The generator of soundness cases: each case is one small LaTeX document (usually one step
``\\[ lhs = rhs \\]``) with the MEANING of every equality it claims as soundness terms.

Sources, mixed by ``random_case``: true steps of the catalogue and rewrites of them (sides
swapped, both sides scaled or transposed, a sum commuted); single-node mutations of those
(``mutations.FAMILIES``) and renamed symbols; the traps of issue 15 (``traps``); the layout
cases (an equality after ``\\stackrel``/``\\overset``/``\\equiv`` or after ``\\quad\\text{and}\\quad``).
Everything is rendered in a random student spelling (``spellings``). ``corpus(size, seed)``
is the fixed-seed corpus; ``soundness_cases()`` the Hypothesis strategy built from the same
choices.

    >>> case = corpus(3, seed=0)[0]
    >>> any(mark in case.document for mark in ("\\\\[", "\\\\begin", "$$"))
    True
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from fractions import Fraction
from typing import Any, Callable, Sequence

from derivlab.testing.soundness import catalogue, mutations, traps
from derivlab.testing.soundness.spellings import (
    JOINED,
    LAYOUTS,
    RELATIONS,
    Spelling,
    document,
    draw_spelling,
    render,
)
from derivlab.testing.soundness.terms import (
    GAMMA,
    GAMMA_NEW,
    LAMBDA,
    ONE_MINUS_P,
    W_NEW,
    Num,
    Op,
    P,
    Sym,
    T,
    Term,
    W,
    X,
    Y,
    add,
    frac,
    mul,
    num,
    paths,
    replace,
    sq_norm,
    sub,
)

Choose = Callable[[str, Sequence], Any]
TEXT_MATH = "text-math"
BRACE = "brace-annotation"
SUBSTITUTION = "substitution"


@dataclass(frozen=True)
class Case:
    """One document for the checker and what it claims: every equality in ``equalities`` (as
    terms) under ``given`` (substitutions stated in prose). ``intended`` is what the generator
    meant (a true rewrite or a mistake); the oracle decides. ``tags`` name the holes of issue 15
    the case could fall through (empty for ordinary steps)."""

    id: str
    family: str
    document: str
    equalities: tuple[tuple[Term, Term], ...]
    intended: bool
    tags: frozenset = field(default_factory=frozenset)
    given: tuple[tuple[str, Fraction], ...] = ()
    substitute: tuple[tuple[str, Term], ...] = ()

    def to_json(self) -> dict:
        return {"id": self.id, "family": self.family, "document": self.document, "intended": self.intended,
                "tags": sorted(self.tags), "given": {k: str(v) for k, v in self.given},
                "substitute": {k: str(v) for k, v in self.substitute},
                "meaning": [f"{lhs} = {rhs}" for lhs, rhs in self.equalities]}


def _build(case_id: str, family: str, equalities, spelling: Spelling, layout: str, intended: bool,
           tags=(), given=(), extra: str = "", prose: str = "", substitute=()) -> Case:
    sides, features = [], set(tags)
    for lhs, rhs in equalities:
        (a, fa), (b, fb) = render(lhs, spelling), render(rhs, spelling)
        sides.append((a, b))
        features |= fa | fb
    doc = (prose + "\n" if prose else "") + document(sides, layout, extra)
    return Case(case_id, family, doc, tuple(equalities), intended, frozenset(features), tuple(given),
                tuple(substitute))


# ---- substitutions stated in prose (w̃ = w_new / p, the rescaled ridge form) ---------------------------

SUBSTITUTION_PROSE = ("Let ${}$.", "Setting ${}$, we get", "Put ${}$.", "Take ${}$.", "Substituting ${}$:",
                      "With ${}$,", "We rescale: ${}$.", "Define ${}$.", "Using ${}$,")


def _substitution_steps() -> list[tuple[str, Term, Term]]:
    route = add(sq_norm(sub(Y, mul(P, X, W))), mul(P, ONE_MINUS_P, sq_norm(mul(GAMMA, W))))
    return [
        ("ridge", route, add(sq_norm(sub(Y, mul(X, W_NEW))), sq_norm(mul(GAMMA_NEW, W_NEW)))),
        ("ridge-lambda", route, add(sq_norm(sub(Y, mul(X, W_NEW))), mul(LAMBDA, sq_norm(mul(GAMMA, W_NEW))))),
        ("residual", sq_norm(sub(Y, mul(P, X, W))), sq_norm(sub(Y, mul(X, W_NEW)))),
        ("penalty", mul(P, ONE_MINUS_P, sq_norm(mul(GAMMA, W))), mul(LAMBDA, sq_norm(mul(GAMMA, W_NEW)))),
    ]


def _substitution_case(choose: Choose, case_id: str, spelling: Spelling, layout: str) -> Case:
    name, lhs, rhs = choose("substitution-step", _substitution_steps())
    definition = frac(W_NEW, P)
    (name_tex, f1), (body_tex, f2) = render(W, spelling), render(definition, spelling)
    prose = choose("substitution-prose", SUBSTITUTION_PROSE).format(f"{name_tex} = {body_tex}")
    wrong = choose("substitution-wrong", (False, True))
    if wrong:
        options = [m for f in mutations.FAMILIES for m in mutations.candidates(f, rhs)]
        rhs = choose("substitution-mutant", options)
    return _build(case_id, f"substitution/{'mutation' if wrong else 'true'}/{name}", [(lhs, rhs)], spelling,
                  layout, not wrong, (SUBSTITUTION, *f1, *f2), prose=prose, substitute=(("w", definition),))


# ---- rewrites of a true step (truth-preserving) ---------------------------------------------------------

def _commute(term: Term, choose: Choose) -> Term:
    sites = [(p, n) for p, n in paths(term) if isinstance(n, Op) and n.kind == "add"]
    if not sites:
        return term
    path, node = choose("commute-site", sites)
    return replace(term, path, Op("add", node.children[::-1]))


def _scaled(lhs: Term, rhs: Term, choose: Choose) -> tuple[Term, Term]:
    k = choose("scale", (num(3), num("1/2"), Sym("p"), num(-2)))
    return mul(k, lhs), mul(k, rhs)


REWRITES: dict[str, Callable[[Term, Term, Choose], tuple[Term, Term]]] = {
    "swap-sides": lambda lhs, rhs, c: (rhs, lhs),
    "scaled": _scaled,
    "transposed": lambda lhs, rhs, c: (T(lhs), T(rhs)),
    "commuted": lambda lhs, rhs, c: (lhs, _commute(rhs, c)),
}


def _true_pair(choose: Choose) -> tuple[str, Term, Term]:
    name, lhs, rhs = choose("true-step", catalogue.true_steps())
    return name, lhs, rhs


def _with_textsym(term: Term, choose: Choose) -> tuple[Term, Term] | None:
    """(term with one X written \\textbf{X}, term with that X removed from its product)."""
    sites = [(p, n) for p, n in paths(term) if isinstance(n, Op) and n.kind == "mul" and X in n.children]
    if not sites:
        return None
    path, node = choose("textsym-site", sites)
    a, b = node.children
    styled = Sym("X", "nd", "textsym")
    shown = replace(term, path, Op("mul", (styled, b) if a == X else (a, styled)))
    dropped = replace(term, path, b if a == X else a)
    return shown, dropped


def random_case(choose: Choose, case_id: str) -> Case:
    """One case; every choice goes through ``choose(category, options)``."""
    spelling = draw_spelling(choose)
    layout = choose("layout", LAYOUTS)
    source = choose("source", ("true", "true", "rewrite", "mutation", "mutation", "mutation", "renamed",
                               "text", "trap", "layout", "substitution"))
    name, lhs, rhs = _true_pair(choose)
    if source == "true":
        return _build(case_id, f"true/{name}", [(lhs, rhs)], spelling, layout, True)
    if source == "rewrite":
        how = choose("rewrite", tuple(REWRITES))
        return _build(case_id, f"rewrite/{how}", [REWRITES[how](lhs, rhs, choose)], spelling, layout, True)
    if source == "mutation":
        options = [(f, m, side) for f in mutations.FAMILIES for side in ("rhs", "lhs")
                   for m in mutations.candidates(f, rhs if side == "rhs" else lhs)]
        family, mutant, side = choose("mutant", options)
        pair = (lhs, mutant) if side == "rhs" else (mutant, rhs)
        return _build(case_id, f"mutation/{family}", [pair], spelling, layout, False)
    if source == "renamed":
        options = [(m, "rhs") for m, _ in mutations.renamed(rhs)] + [(m, "lhs") for m, _ in mutations.renamed(lhs)]
        if not options:
            return _build(case_id, f"true/{name}", [(lhs, rhs)], spelling, layout, True)
        mutant, side = choose("renamed", options)
        pair = (lhs, mutant) if side == "rhs" else (mutant, rhs)
        return _build(case_id, "mutation/renamed-symbol", [pair], spelling, layout, False)
    if source == "substitution":
        return _substitution_case(choose, case_id, spelling, layout)
    if source == "text":
        return _text_case(choose, case_id, lhs, rhs, spelling, layout)
    if source == "trap":
        tname, eqs, intended, tag = choose("trap", traps.size_limited() + traps.non_polynomial())
        return _build(case_id, f"trap/{tag}/{tname}", list(eqs), spelling, layout, intended, (tag,))
    cname, eqs, intended = choose("chain", traps.chained())
    how = choose("layout-kind", tuple(f"chain:{r}" for r in RELATIONS) + tuple(f"joined:{j}" for j in JOINED))
    return _build(case_id, f"layout/{how.split(':')[0]}/{cname}", list(eqs), spelling, how, intended,
                  (traps.DROPPED_EQUALITY,))


def _text_case(choose: Choose, case_id: str, lhs: Term, rhs: Term, spelling: Spelling, layout: str) -> Case:
    kind = choose("text-kind", ("number-wrong", "number-true", "symbol-dropped", "symbol-true"))
    two = Num(Fraction(2), "text")
    if kind == "number-wrong":
        return _build(case_id, "text/number-wrong", [(lhs, mul(two, rhs))], spelling, layout, False)
    if kind == "number-true":
        return _build(case_id, "text/number-true", [(mul(2, lhs), mul(two, rhs))], spelling, layout, True)
    found = _with_textsym(lhs, choose)
    if found is None:
        return _build(case_id, "text/number-wrong", [(lhs, mul(two, rhs))], spelling, layout, False)
    shown, dropped = found
    if kind == "symbol-dropped":
        return _build(case_id, "text/symbol-dropped", [(shown, dropped)], spelling, layout, False)
    return _build(case_id, "text/symbol-true", [(shown, rhs)], spelling, layout, True)


def corpus(size: int, seed: int = 0) -> list[Case]:
    """``size`` generated cases, the same for the same ``seed``."""
    rng = random.Random(seed)
    return [random_case(lambda _cat, opts: rng.choice(list(opts)), f"gen-{seed}-{k}") for k in range(size)]


def soundness_cases():
    """Hypothesis strategy of cases (true rewrites, mutations, traps, in random spellings).

        >>> from hypothesis import given, settings
        >>> @settings(max_examples=3, deadline=None)
        ... @given(soundness_cases())
        ... def test_each_case_has_a_document(case):
        ...     assert case.document and case.equalities
        >>> test_each_case_has_a_document()
    """
    from hypothesis import strategies as st

    @st.composite
    def build(draw):
        return random_case(lambda _cat, opts: draw(st.sampled_from(list(opts))), "hypothesis")

    return build()


def with_given(case: Case, **given: Fraction) -> Case:
    return dc_replace(case, given=tuple(given.items()))
