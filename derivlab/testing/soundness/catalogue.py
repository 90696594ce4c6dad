"""The true steps the soundness corpus starts from: the course route of the dropout identity
and algebraic rewrites of it (expanded norms, expectations of masks, trace forms, Γ forms,
λ forms, the rescaled ridge form with w̃ = p w). Each is (name, lhs, rhs) as soundness terms;
the oracle, not this list, decides what is true.

    >>> names = [name for name, _, _ in true_steps()]
    >>> "identity" in names and "ridge-lambda" in names
    True
"""

from __future__ import annotations

from derivlab.testing.soundness.terms import (
    GAMMA,
    GAMMA_NEW,
    GRAM,
    LAMBDA,
    MASKED,
    ONE_MINUS_P,
    W_NEW,
    E,
    P,
    R,
    T,
    Term,
    W,
    X,
    Y,
    add,
    diag,
    frac,
    grad,
    had,
    mul,
    neg,
    num,
    pw,
    sq_norm,
    sqrt,
    sub,
    tr,
)


def _residual(c: Term = P) -> Term:
    return sq_norm(sub(Y, mul(c, X, W)))


def _penalty(c: Term | None = None) -> Term:
    base = sq_norm(mul(GAMMA, W))
    return mul(P, ONE_MINUS_P, base) if c is None else mul(c, base)


def _expanded(c: Term = P) -> Term:
    """yᵀy − 2c wᵀXᵀy + c² wᵀXᵀXw."""
    return add(sub(mul(T(Y), Y), mul(2, c, T(W), T(X), Y)), mul(pw(c, 2), T(W), T(X), X, W))


def true_steps() -> list[tuple[str, Term, Term]]:
    """(name, lhs, rhs) of every true step of the catalogue."""
    obj = E(sq_norm(sub(Y, mul(MASKED, W))))
    inside = add(sub(mul(T(Y), Y), mul(2, T(W), T(MASKED), Y)), mul(T(W), T(MASKED), MASKED, W))
    second = E(mul(T(MASKED), MASKED))
    second_closed = add(mul(pw(P, 2), GRAM), mul(P, ONE_MINUS_P, diag(GRAM)))
    quad = mul(T(W), second, W)
    route = add(_residual(), _penalty())
    ridge_w = add(sq_norm(sub(Y, mul(X, W_NEW))), sq_norm(mul(GAMMA_NEW, W_NEW)))
    pw_ = mul(P, W)
    return [
        # the course route
        ("identity", obj, route),
        ("expand-objective", obj, E(inside)),
        ("linearity", E(inside), add(sub(mul(T(Y), Y), mul(2, P, T(W), T(X), Y)), quad)),
        ("mean-of-masked", E(MASKED), mul(P, X)),
        ("mean-of-masked-w", E(mul(MASKED, W)), mul(P, X, W)),
        ("mean-of-masked-T-y", E(mul(T(MASKED), Y)), mul(P, T(X), Y)),
        ("second-moment", second, second_closed),
        ("second-moment-quadratic", quad, add(mul(pw(P, 2), T(W), GRAM, W), mul(P, ONE_MINUS_P, T(W), diag(GRAM), W))),
        ("regroup-residual", add(sub(mul(T(Y), Y), mul(2, P, T(W), T(X), Y)), mul(pw(P, 2), T(W), GRAM, W)),
         _residual()),
        ("expand-residual", _residual(), _expanded()),
        ("penalty-diag", mul(T(W), diag(GRAM), W), sq_norm(mul(GAMMA, W))),
        ("penalty-scaled", mul(P, ONE_MINUS_P, T(W), diag(GRAM), W), _penalty()),
        ("route-closing", add(_expanded(), mul(P, ONE_MINUS_P, T(W), diag(GRAM), W)), route),
        # rewrites: norms and transposes
        ("norm-as-inner", _residual(), mul(T(sub(Y, mul(P, X, W))), sub(Y, mul(P, X, W)))),
        ("cross-term-symmetry", mul(T(W), T(X), Y), mul(T(Y), X, W)),
        ("transpose-of-product", T(mul(X, W)), mul(T(W), T(X))),
        ("transpose-of-masked", T(MASKED), had(T(R), T(X))),
        ("scaled-norm", sq_norm(mul(P, X, W)), mul(pw(P, 2), sq_norm(mul(X, W)))),
        ("objective-expanded-E", obj, add(sub(mul(T(Y), Y), mul(2, P, T(W), T(X), Y)),
                                          E(mul(T(W), T(MASKED), MASKED, W)))),
        ("E-of-constant", E(mul(T(Y), Y)), mul(T(Y), Y)),
        ("E-nested", E(E(mul(MASKED, W))), mul(P, X, W)),
        ("E-scalar-out", E(mul(P, T(Y), MASKED, W)), mul(pw(P, 2), T(Y), X, W)),
        ("E-second-diagonal", diag(second), mul(P, diag(GRAM))),
        # trace forms
        ("trace-of-quadratic", mul(T(W), GRAM, W), tr(mul(X, W, T(W), T(X)))),
        ("trace-cyclic", tr(mul(T(X), X)), tr(mul(X, T(X)))),
        ("trace-gamma", tr(pw(GAMMA, 2)), tr(GRAM)),
        ("trace-penalty", sq_norm(mul(GAMMA, W)), tr(mul(GAMMA, W, T(W), GAMMA))),
        ("trace-residual", _residual(), tr(mul(sub(Y, mul(P, X, W)), T(sub(Y, mul(P, X, W)))))),
        ("trace-second-moment", tr(second), mul(P, tr(GRAM))),
        ("trace-square-cyclic", tr(pw(GRAM, 2)), tr(pw(mul(X, T(X)), 2))),
        # Γ forms
        ("gamma-squared", pw(GAMMA, 2), diag(GRAM)),
        ("gamma-root", GAMMA, sqrt(diag(GRAM))),
        ("gamma-symmetric", T(GAMMA), GAMMA),
        ("gamma-quadratic", sq_norm(mul(GAMMA, W)), mul(T(W), pw(GAMMA, 2), W)),
        ("gamma-quadratic-T", sq_norm(mul(GAMMA, W)), mul(T(W), T(GAMMA), GAMMA, W)),
        ("gamma-root-penalty", sq_norm(mul(sqrt(diag(GRAM)), W)), mul(T(W), diag(GRAM), W)),
        # λ forms
        ("lambda", LAMBDA, frac(ONE_MINUS_P, P)),
        ("lambda-penalty", mul(P, ONE_MINUS_P, sq_norm(mul(GAMMA, W))), mul(pw(P, 2), LAMBDA, sq_norm(mul(GAMMA, W)))),
        ("lambda-root", mul(LAMBDA, sq_norm(mul(GAMMA, W))), sq_norm(mul(sqrt(LAMBDA), GAMMA, W))),
        ("gamma-new", mul(GAMMA_NEW, W), mul(sqrt(LAMBDA), GAMMA, W)),
        ("gamma-new-penalty", sq_norm(mul(GAMMA_NEW, W)), mul(LAMBDA, sq_norm(mul(GAMMA, W)))),
        ("lambda-plus-one", add(LAMBDA, 1), frac(1, P)),
        # the rescaled ridge form (w̃ = p w; w_new a free vector)
        ("rescaled", route, add(sq_norm(sub(Y, mul(X, pw_))), mul(LAMBDA, sq_norm(mul(GAMMA, pw_))))),
        ("rescaled-gamma-new", route, add(sq_norm(sub(Y, mul(X, pw_))), sq_norm(mul(GAMMA_NEW, pw_)))),
        ("ridge-lambda", ridge_w, add(sq_norm(sub(Y, mul(X, W_NEW))), mul(LAMBDA, sq_norm(mul(GAMMA, W_NEW))))),
        ("ridge-frac", ridge_w, add(sq_norm(sub(Y, mul(X, W_NEW))),
                                    mul(frac(ONE_MINUS_P, P), T(W_NEW), diag(GRAM), W_NEW))),
        ("ridge-expanded", sq_norm(sub(Y, mul(X, W_NEW))),
         add(sub(mul(T(Y), Y), mul(2, T(W_NEW), T(X), Y)), mul(T(W_NEW), GRAM, W_NEW))),
        ("half-objective", mul(num("1/2"), sq_norm(sub(Y, mul(X, W)))),
         mul(num("1/2"), mul(T(sub(Y, mul(X, W))), sub(Y, mul(X, W))))),
        ("negated", neg(mul(2, P, T(W), T(X), Y)), mul(-2, P, T(Y), X, W)),
        # gradients (the minimiser): ∇_w of the objective and of its pieces
        ("gradient-objective", grad(obj), add(mul(-2, P, T(X), sub(Y, mul(P, X, W))),
                                             mul(2, P, ONE_MINUS_P, pw(GAMMA, 2), W))),
        ("gradient-route", grad(route), sub(mul(2, add(mul(pw(P, 2), GRAM), mul(P, ONE_MINUS_P, diag(GRAM))), W),
                                            mul(2, P, T(X), Y))),
        ("gradient-residual", grad(_residual(num(1))), mul(-2, T(X), sub(Y, mul(X, W)))),
        ("gradient-penalty", grad(sq_norm(mul(GAMMA, W))), mul(2, diag(GRAM), W)),
        ("gradient-quadratic", grad(mul(T(W), GRAM, W)), mul(2, GRAM, W)),
        ("gradient-linear", grad(mul(T(W), T(X), Y)), mul(T(X), Y)),
        ("gradient-of-E", grad(E(mul(T(W), T(MASKED), MASKED, W))), mul(2, second_closed, W)),
    ]
