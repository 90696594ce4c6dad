"""Steps built to fall through the checker's known holes (issue 15) and their true twins:
identities that hold only for small matrices, non-polynomial functions sampled as polynomials,
equalities hidden in a relation or a layout, ``\\text`` holding math, substitutions in prose.
Each entry is (name, equalities, intended truth, hole tag).

    >>> any(name == "cubic-trace-gram" for name, *_ in size_limited())
    True
"""

from __future__ import annotations

from derivlab.testing.soundness.terms import (
    GAMMA,
    GRAM,
    LAMBDA,
    MASKED,
    E,
    P,
    T,
    Term,
    W,
    X,
    Y,
    absolute,
    add,
    frac,
    mul,
    norm,
    num,
    pw,
    sq_norm,
    sqrt,
    sub,
    tr,
)

Trap = tuple[str, tuple[tuple[Term, Term], ...], bool, str]

SIZE_LIMITED = "size-limited-identity"
NON_POLYNOMIAL = "non-polynomial"
DROPPED_EQUALITY = "dropped-equality"


def _e3(a: Term) -> Term:
    """tr(A)³ − 3 tr(A) tr(A²) + 2 tr(A³) = 6 e₃(A): zero for every matrix of rank ≤ 2."""
    return add(sub(pw(tr(a), 3), mul(3, tr(a), tr(pw(a, 2)))), mul(2, tr(pw(a, 3))))


def e4(a: Term) -> Term:
    """24 e₄(A) = p₁⁴ − 6p₁²p₂ + 3p₂² + 8p₁p₃ − 6p₄ (pₖ = tr Aᵏ): zero for rank ≤ 3, not for 4×4."""
    p1, p2, p3, p4 = (tr(pw(a, k)) if k > 1 else tr(a) for k in (1, 2, 3, 4))
    return sub(add(sub(pw(p1, 4), mul(6, pw(p1, 2), p2)), add(mul(3, pw(p2, 2)), mul(8, p1, p3))), mul(6, p4))


def size_limited() -> list[Trap]:
    """Trace identities true for 2×2 (or rank-2) matrices only, and true twins."""
    outer = mul(X, T(X))
    g2 = pw(GAMMA, 2)
    cayley = add(sub(mul(T(W), pw(GRAM, 2), W), mul(tr(GRAM), T(W), GRAM, W)),
                 mul(num("1/2"), sub(pw(tr(GRAM), 2), tr(pw(GRAM, 2))), T(W), W))
    return [
        ("cubic-trace-gram", ((_e3(GRAM), num(0)),), False, SIZE_LIMITED),
        ("cubic-trace-outer", ((_e3(outer), num(0)),), False, SIZE_LIMITED),
        ("cubic-trace-moved", ((add(pw(tr(GRAM), 3), mul(2, tr(pw(GRAM, 3)))), mul(3, tr(GRAM), tr(pw(GRAM, 2)))),),
         False, SIZE_LIMITED),
        ("cubic-trace-scaled", ((mul(P, _e3(GRAM)), num(0)),), False, SIZE_LIMITED),
        ("quartic-trace", ((mul(tr(GRAM), _e3(GRAM)), num(0)),), False, SIZE_LIMITED),
        ("cubic-trace-gamma", ((_e3(g2), num(0)),), False, SIZE_LIMITED),
        ("cayley-hamilton-2x2", ((cayley, num(0)),), False, SIZE_LIMITED),
        ("quartic-trace-rank-3", ((e4(GRAM), num(0)),), False, SIZE_LIMITED),
        ("square-trace-1x1", ((pw(tr(GRAM), 2), tr(pw(GRAM, 2))),), False, SIZE_LIMITED),
        ("cubic-trace-true", ((tr(pw(GRAM, 3)), tr(pw(outer, 3))),), True, SIZE_LIMITED),
        ("cubic-trace-identity-true", ((_e3(GRAM), _e3(outer)),), True, SIZE_LIMITED),
    ]


def non_polynomial() -> list[Trap]:
    """|·| and √ of squares: false across a break point that few sampled p cross; true twins."""
    fifty = frac(1, 50)
    return [
        ("abs-p-fiftieth", ((absolute(sub(P, fifty)), sub(P, fifty)),), False, NON_POLYNOMIAL),
        ("sqrt-lambda-20", ((sqrt(pw(sub(LAMBDA, 20), 2)), sub(20, LAMBDA)),), False, NON_POLYNOMIAL),
        ("sqrt-lambda-20-other", ((sqrt(pw(sub(LAMBDA, 20), 2)), sub(LAMBDA, 20)),), False, NON_POLYNOMIAL),
        ("sqrt-p-fiftieth", ((sqrt(pw(sub(P, fifty), 2)), sub(P, fifty)),), False, NON_POLYNOMIAL),
        ("abs-half", ((absolute(sub(num("1/2"), P)), sub(num("1/2"), P)),), False, NON_POLYNOMIAL),
        ("abs-lambda-1", ((absolute(sub(LAMBDA, 1)), sub(LAMBDA, 1)),), False, NON_POLYNOMIAL),
        ("norm-signed-scale", ((norm(mul(sub(P, num("1/2")), W)), mul(sub(P, num("1/2")), norm(W))),), False,
         NON_POLYNOMIAL),
        ("abs-one-minus-p-true", ((absolute(sub(P, 1)), sub(1, P)),), True, NON_POLYNOMIAL),
        ("sqrt-p-squared-true", ((sqrt(pw(P, 2)), P),), True, NON_POLYNOMIAL),
        ("sqrt-lambda-20-abs-true", ((sqrt(pw(sub(LAMBDA, 20), 2)), absolute(sub(LAMBDA, 20))),), True,
         NON_POLYNOMIAL),
        ("sqrt-lambda-squared-true", ((pw(sqrt(LAMBDA), 2), LAMBDA),), True, NON_POLYNOMIAL),
        ("norm-positive-scale-true", ((norm(mul(P, X, W)), mul(P, norm(mul(X, W)))),), True, NON_POLYNOMIAL),
        ("norm-as-root-true", ((norm(W), sqrt(mul(T(W), W))),), True, NON_POLYNOMIAL),
    ]


def chained() -> list[tuple[str, tuple[tuple[Term, Term], ...], bool]]:
    """Two equalities for the layout cases (a true first step, then a second one)."""
    mean = E(mul(MASKED, W))
    pxw = mul(P, X, W)
    resid = sq_norm(sub(Y, mul(P, X, W)))
    expanded = add(sub(mul(T(Y), Y), mul(2, P, T(W), T(X), Y)), mul(pw(P, 2), T(W), T(X), X, W))
    return [
        ("mean-then-doubled", ((mean, pxw), (pxw, mul(2, pxw))), False),
        ("mean-then-dropped-p", ((mean, pxw), (pxw, mul(X, W))), False),
        ("residual-then-p", ((resid, expanded),
                             (expanded, add(sub(mul(T(Y), Y), mul(2, P, T(W), T(X), Y)), mul(P, T(W), T(X), X, W)))),
         False),
        ("mean-then-true", ((mean, pxw), (pxw, mul(P, mul(X, W)))), True),
        ("residual-then-true", ((resid, expanded), (expanded, mul(T(sub(Y, pxw)), sub(Y, pxw)))), True),
    ]
