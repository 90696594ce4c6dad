"""The minimiser write-ups (derivlab/checking/examples/minimiser/*.tex, and examples/minimiser_10_steps.tex), step
by step: each side's LaTeX as it stands in the file and its value, transcribed by hand into numpy
(``minimiser_oracle``; nothing here imports derivlab). Each transcription follows the LaTeX literally (a
product stays a product, an inverse an inverse), so that the oracle decides whether two of them agree.

Notation: w is the student's w̃ (or w); A = pXᵀX + (1−p)Γ²; Γ² = diag(XᵀX); λ = (1−p)/p; I_n is the n×n identity.
"""

from __future__ import annotations

from dataclasses import dataclass

from minimiser_oracle import Piece as P, Step, V, World, chain, grad, quad, sq


def _A(W: World) -> V:
    return W.p * (W.X.T @ W.X) + (1 - W.p) * W.G2


def _XTy(W: World) -> V:
    return W.X.T @ W.y


# ---- objectives (the loss and its closed forms) ----------------------------------------------------------------


def dropout_loss(W, w):
    return W.dropout_loss(w)


def ridge_form(W, w):  # ‖y − pXw‖² + p(1−p)‖Γw‖²
    return sq(W.y - W.p * (W.X @ w)) + W.p * (1 - W.p) * sq(W.G @ w)


def ridge_form_quadratic(W, w):  # ‖y − pXw‖² + p(1−p) wᵀΓ²w
    return sq(W.y - W.p * (W.X @ w)) + W.p * (1 - W.p) * quad(w, W.G2)


def expanded_form(W, w):  # yᵀy − 2p wᵀXᵀy + p² wᵀXᵀXw + p(1−p) wᵀΓ²w
    return (float((W.y.T @ W.y).a[0, 0]) - 2 * W.p * float((w.T @ W.X.T @ W.y).a[0, 0])
            + W.p ** 2 * quad(w, W.X.T @ W.X) + W.p * (1 - W.p) * quad(w, W.G2))


def additive_loss(W, w):
    return W.additive_loss(w)


def additive_form(W, w):  # ‖y − Xw‖² + nσ²‖w‖²
    return sq(W.y - W.X @ w) + W.n * W.sigma ** 2 * sq(w)


def gaussian_dropout_loss(W, w):
    return W.gaussian_dropout_loss(w)


def gaussian_dropout_form(W, w):  # ‖y − Xw‖² + α‖Γw‖²
    return sq(W.y - W.X @ w) + W.alpha * sq(W.G @ w)


# ---- pieces shared by several files (same LaTeX, same transcription) ------------------------------------------

ZERO = P("0", lambda W, w: W.zero)
W_ = P(r"\tilde w", lambda W, w: w)
PW = P(r"p\tilde w", lambda W, w: W.p * w)
XTY = P(r"X^\top y", lambda W, w: _XTy(W))
GRAD_RIDGE = P(r"\nabla_{\tilde w}\left(\|y - pX\tilde w\|^2 + p(1-p)\|\Gamma\tilde w\|^2\right)", grad(ridge_form))
GRAD_E = P(r"\nabla_{\tilde w}\,\mathbb{E}_R\|y - (R\odot X)\tilde w\|^2", grad(dropout_loss))
DATA_PENALTY = P(r"-2pX^\top(y - pX\tilde w) + 2p(1-p)\Gamma^2\tilde w",
                 lambda W, w: -2 * W.p * (W.X.T @ (W.y - W.p * (W.X @ w))) + 2 * W.p * (1 - W.p) * (W.G2 @ w))
EXPANDED = P(r"-2pX^\top y + 2p^2X^\top X\tilde w + 2p(1-p)\Gamma^2\tilde w",
             lambda W, w: -2 * W.p * _XTy(W) + 2 * W.p ** 2 * (W.X.T @ W.X @ w) + 2 * W.p * (1 - W.p) * (W.G2 @ w))
FACTORED = P(r"2p\left(pX^\top X + (1-p)\Gamma^2\right)\tilde w - 2pX^\top y",
             lambda W, w: 2 * W.p * ((W.p * (W.X.T @ W.X) + (1 - W.p) * W.G2) @ w) - 2 * W.p * _XTy(W))
TWO_P_A = P(r"2pA\tilde w - 2pX^\top y", lambda W, w: 2 * W.p * (_A(W) @ w) - 2 * W.p * _XTy(W))
A_W = P(r"A\tilde w", lambda W, w: _A(W) @ w)
AINV_XTY = P(r"A^{-1}X^\top y", lambda W, w: _A(W).inv() @ _XTy(W))
P_AINV_XTY = P(r"pA^{-1}X^\top y", lambda W, w: W.p * (_A(W).inv() @ _XTy(W)))
A_FULL_W = P(r"\left(pX^\top X + (1-p)\Gamma^2\right)\tilde w",
             lambda W, w: (W.p * (W.X.T @ W.X) + (1 - W.p) * W.G2) @ w)
SOLUTION = P(r"\left(pX^\top X + (1-p)\Gamma^2\right)^{-1}X^\top y",
             lambda W, w: (W.p * (W.X.T @ W.X) + (1 - W.p) * W.G2).inv() @ _XTy(W))
P_SOLUTION = P(r"p\left(pX^\top X + (1-p)\Gamma^2\right)^{-1}X^\top y",
               lambda W, w: W.p * ((W.p * (W.X.T @ W.X) + (1 - W.p) * W.G2).inv() @ _XTy(W)))
RIDGE_LAMBDA = P(r"\left(X^\top X + \lambda\Gamma^2\right)^{-1}X^\top y",
                 lambda W, w: (W.X.T @ W.X + W.lam * W.G2).inv() @ _XTy(W))
GAMMA_FACTOR = P(r"\Gamma^2\left(p\Gamma^{-2}X^\top X + (1-p)I\right)",
                 lambda W, w: W.G2 @ (W.p * (W.G2.inv() @ W.X.T @ W.X) + (1 - W.p) * W.I))


def _normalised(W):  # pΓ⁻²XᵀX + (1−p)I
    return W.p * (W.G2.inv() @ W.X.T @ W.X) + (1 - W.p) * W.I


@dataclass(frozen=True)
class WriteUp:
    """One file: its context, its steps in order, the loss it minimises, and (for a wrong one) what it gets wrong.
    ``wrong_minimiser``: the write-up's final answer is not the true minimiser (a mistake in the gradient or the
    solution), which ``true_minimiser`` must confirm."""

    name: str
    context: str
    loss: object
    steps: tuple[Step, ...]
    mistake: str = ""
    wrong_minimiser: bool = False
    folder: str = "minimiser"


def _w(name, context, loss, *parts, **kw) -> WriteUp:
    steps: list[Step] = []
    for part in parts:
        steps += part if isinstance(part, list) else [part]
    return WriteUp(name, context, loss, tuple(steps), **kw)


def cond(a, b):
    return Step("condition", a, b)


def implies(a, b):
    return Step("implies", a, b)


def iff(a, b):
    return Step("iff", a, b)


WRITEUPS = [
    # ---- dropout, correct --------------------------------------------------------------------------------------
    _w("dropout_gradient_implies", "dropout", dropout_loss,
       chain(GRAD_RIDGE,
             P(r"-2pX^\top (y - pX\tilde w) + 2p(1-p)\Gamma^\top\Gamma\tilde w",
               lambda W, w: -2 * W.p * (W.X.T @ (W.y - W.p * (W.X @ w))) + 2 * W.p * (1 - W.p) * (W.G.T @ W.G @ w)),
             EXPANDED, FACTORED),
       cond(FACTORED, ZERO), implies(W_, SOLUTION), implies(PW, P_SOLUTION),
       chain(P_SOLUTION,
             P(r"\left(\tfrac{1}{p}\left(pX^\top X + (1-p)\Gamma^2\right)\right)^{-1}X^\top y",
               lambda W, w: ((1 / W.p) * (W.p * (W.X.T @ W.X) + (1 - W.p) * W.G2)).inv() @ _XTy(W)),
             P(r"\left(X^\top X + \tfrac{1-p}{p}\Gamma^2\right)^{-1}X^\top y",
               lambda W, w: (W.X.T @ W.X + ((1 - W.p) / W.p) * W.G2).inv() @ _XTy(W)),
             RIDGE_LAMBDA)),
    _w("dropout_partial_rightarrow", "dropout", dropout_loss,
       chain(P(r"\frac{\partial}{\partial \tilde w}\,\mathbb{E}_R\left[\|y - (R\odot X)\tilde w\|^2\right]",
               grad(dropout_loss)),
             P(r"\frac{\partial}{\partial \tilde w}\left(\|y - pX\tilde w\|^2 + p(1-p)\,\tilde w^\top\Gamma^2\tilde w\right)",
               grad(ridge_form_quadratic)),
             grad_sum := P(r"2p^2X^\top X\tilde w - 2pX^\top y + 2p(1-p)\Gamma^2\tilde w",
                           lambda W, w: 2 * W.p ** 2 * (W.X.T @ W.X @ w) - 2 * W.p * _XTy(W)
                           + 2 * W.p * (1 - W.p) * (W.G2 @ w))),
       cond(grad_sum, ZERO), implies(A_FULL_W, XTY), implies(W_, SOLUTION),
       implies(PW, inv_scaled := P(r"\left(\frac{1}{p}\left(pX^\top X + (1-p)\Gamma^2\right)\right)^{-1}X^\top y",
                                   lambda W, w: ((1 / W.p) * (W.p * (W.X.T @ W.X) + (1 - W.p) * W.G2)).inv()
                                   @ _XTy(W))),
       chain(inv_scaled, RIDGE_LAMBDA)),
    _w("dropout_normal_equations", "dropout", dropout_loss,
       chain(GRAD_RIDGE, TWO_P_A), cond(TWO_P_A, ZERO), implies(A_W, XTY), implies(W_, AINV_XTY),
       implies(PW, P_AINV_XTY),
       chain(P_AINV_XTY,
             P(r"p\cdot\frac{1}{p}\left(X^\top X + \lambda\Gamma^2\right)^{-1}X^\top y",
               lambda W, w: W.p * (1 / W.p) * ((W.X.T @ W.X + W.lam * W.G2).inv() @ _XTy(W))),
             RIDGE_LAMBDA)),
    _w("dropout_iff", "dropout", dropout_loss,
       cond(GRAD_RIDGE, ZERO), iff(DATA_PENALTY, ZERO), iff(A_FULL_W, XTY), iff(W_, SOLUTION),
       implies(PW, P_SOLUTION), chain(P_SOLUTION, RIDGE_LAMBDA)),
    _w("dropout_solving_for", "dropout", dropout_loss,
       chain(P(r"\nabla_{\tilde w}\,\mathbb{E}_R\|y - (R\odot X)\tilde w\|_2^2", grad(dropout_loss)),
             P(r"\nabla_{\tilde w}\left(\|y - pX\tilde w\|_2^2 + p(1-p)\|\Gamma\tilde w\|_2^2\right)", grad(ridge_form)),
             DATA_PENALTY),
       cond(DATA_PENALTY, ZERO), implies(W_, SOLUTION),
       implies(PW, P(r"\left(X^\top X + \frac{1-p}{p}\Gamma^2\right)^{-1}X^\top y",
                     lambda W, w: (W.X.T @ W.X + ((1 - W.p) / W.p) * W.G2).inv() @ _XTy(W)))),
    _w("dropout_ridge_rescaling", "dropout", dropout_loss,
       chain(GRAD_RIDGE, two := P(r"2\left(p^2X^\top X + p(1-p)\Gamma^2\right)\tilde w - 2pX^\top y",
                                  lambda W, w: 2 * ((W.p ** 2 * (W.X.T @ W.X) + W.p * (1 - W.p) * W.G2) @ w)
                                  - 2 * W.p * _XTy(W))),
       cond(two, ZERO),
       implies(W_, P(r"\left(p^2X^\top X + p(1-p)\Gamma^2\right)^{-1}pX^\top y",
                     lambda W, w: (W.p ** 2 * (W.X.T @ W.X) + W.p * (1 - W.p) * W.G2).inv() @ (W.p * _XTy(W)))),
       implies(PW, first := P(r"p\left(p^2X^\top X + p(1-p)\Gamma^2\right)^{-1}pX^\top y",
                              lambda W, w: W.p * ((W.p ** 2 * (W.X.T @ W.X) + W.p * (1 - W.p) * W.G2).inv()
                                                  @ (W.p * _XTy(W))))),
       chain(first,
             P(r"p^2\left(p^2\left(X^\top X + \tfrac{1-p}{p}\Gamma^2\right)\right)^{-1}X^\top y",
               lambda W, w: W.p ** 2 * ((W.p ** 2 * (W.X.T @ W.X + ((1 - W.p) / W.p) * W.G2)).inv() @ _XTy(W))),
             P(r"\frac{p^2}{p^2}\left(X^\top X + \lambda\Gamma^2\right)^{-1}X^\top y",
               lambda W, w: (W.p ** 2 / W.p ** 2) * ((W.X.T @ W.X + W.lam * W.G2).inv() @ _XTy(W))),
             RIDGE_LAMBDA)),
    _w("dropout_rescaled_weights", "dropout", dropout_loss,
       chain(P(r"\frac{\partial \mathcal{L}}{\partial \tilde w}", grad(ridge_form)), DATA_PENALTY, FACTORED),
       cond(FACTORED, ZERO), implies(W_, SOLUTION),
       implies(P(r"w_{new}", lambda W, w: W.p * w), RIDGE_LAMBDA),  # w_new = p w̃, defined in the prose
       chain(P(r"\lambda", lambda W, w: W.lam), P(r"\frac{1-p}{p}", lambda W, w: (1 - W.p) / W.p))),
    _w("dropout_star_notation", "dropout", dropout_loss,
       chain(GRAD_RIDGE, FACTORED), cond(FACTORED, ZERO), implies(P(r"\tilde w^*", lambda W, w: w), SOLUTION)),
    _w("dropout_factor_gamma", "dropout", dropout_loss,
       chain(GRAD_RIDGE, DATA_PENALTY, TWO_P_A), cond(TWO_P_A, ZERO), implies(W_, AINV_XTY),
       chain(P("A", lambda W, w: _A(W)), GAMMA_FACTOR),
       chain(P(r"A^{-1}", lambda W, w: _A(W).inv()),
             P(r"\left(p\Gamma^{-2}X^\top X + (1-p)I\right)^{-1}\Gamma^{-2}",
               lambda W, w: _normalised(W).inv() @ W.G2.inv()))),
    # ---- dropout, one mistake each -----------------------------------------------------------------------------
    _w("dropout_wrong_gradient_missing_p", "dropout", dropout_loss,
       chain(GRAD_E, GRAD_RIDGE,
             P(r"-2X^\top(y - pX\tilde w) + 2p(1-p)\Gamma^2\tilde w",
               lambda W, w: -2 * (W.X.T @ (W.y - W.p * (W.X @ w))) + 2 * W.p * (1 - W.p) * (W.G2 @ w)),
             g := P(r"2\left(pX^\top X + p(1-p)\Gamma^2\right)\tilde w - 2X^\top y",
                    lambda W, w: 2 * ((W.p * (W.X.T @ W.X) + W.p * (1 - W.p) * W.G2) @ w) - 2 * _XTy(W))),
       cond(g, ZERO),
       implies(W_, P(r"\left(pX^\top X + p(1-p)\Gamma^2\right)^{-1}X^\top y",
                     lambda W, w: (W.p * (W.X.T @ W.X) + W.p * (1 - W.p) * W.G2).inv() @ _XTy(W))),
       mistake="the factor p of pXw̃ lost in the chain rule", wrong_minimiser=True),
    _w("dropout_wrong_gradient_sign", "dropout", dropout_loss,
       chain(GRAD_RIDGE,
             P(r"2pX^\top(y - pX\tilde w) + 2p(1-p)\Gamma^2\tilde w",
               lambda W, w: 2 * W.p * (W.X.T @ (W.y - W.p * (W.X @ w))) + 2 * W.p * (1 - W.p) * (W.G2 @ w)),
             g2 := P(r"2pX^\top y - 2p^2X^\top X\tilde w + 2p(1-p)\Gamma^2\tilde w",
                     lambda W, w: 2 * W.p * _XTy(W) - 2 * W.p ** 2 * (W.X.T @ W.X @ w)
                     + 2 * W.p * (1 - W.p) * (W.G2 @ w))),
       cond(g2, ZERO),
       implies(W_, P(r"\left(pX^\top X - (1-p)\Gamma^2\right)^{-1}X^\top y",
                     lambda W, w: (W.p * (W.X.T @ W.X) - (1 - W.p) * W.G2).inv() @ _XTy(W))),
       mistake="the derivative of ‖y − pXw̃‖² with the wrong sign", wrong_minimiser=True),
    _w("dropout_wrong_gradient_factor_two", "dropout", dropout_loss,
       chain(P(r"\frac{\partial}{\partial\tilde w}\left(\|y - pX\tilde w\|^2 + p(1-p)\|\Gamma\tilde w\|^2\right)",
               grad(ridge_form)),
             P(r"\frac{\partial}{\partial\tilde w}\left(\|y - pX\tilde w\|^2 + p(1-p)\,\tilde w^\top\Gamma^2\tilde w\right)",
               grad(ridge_form_quadratic)),
             g3 := P(r"-2pX^\top(y - pX\tilde w) + p(1-p)\Gamma^2\tilde w",
                     lambda W, w: -2 * W.p * (W.X.T @ (W.y - W.p * (W.X @ w))) + W.p * (1 - W.p) * (W.G2 @ w))),
       cond(g3, ZERO),
       implies(W_, P(r"\left(pX^\top X + \tfrac{1-p}{2}\Gamma^2\right)^{-1}X^\top y",
                     lambda W, w: (W.p * (W.X.T @ W.X) + ((1 - W.p) / 2) * W.G2).inv() @ _XTy(W))),
       mistake="the factor 2 dropped on the penalty only", wrong_minimiser=True),
    _w("dropout_wrong_missing_transpose", "dropout", dropout_loss,
       chain(P(r"\nabla_{\tilde w}\,\mathbb{E}_R\left[\|y - (R\odot X)\tilde w\|^2\right]", grad(dropout_loss)),
             GRAD_RIDGE,
             P(r"-2pX(y - pX\tilde w) + 2p(1-p)\Gamma^2\tilde w",
               lambda W, w: -2 * W.p * (W.X @ (W.y - W.p * (W.X @ w))) + 2 * W.p * (1 - W.p) * (W.G2 @ w))),
       mistake="X instead of Xᵀ in front of the residual"),
    _w("dropout_wrong_inverse_side", "dropout", dropout_loss,
       chain(GRAD_RIDGE, TWO_P_A), cond(TWO_P_A, ZERO), implies(A_W, XTY),
       implies(W_, P(r"X^\top y\,A^{-1}", lambda W, w: _XTy(W) @ _A(W).inv())),
       mistake="A⁻¹ on the wrong side of Xᵀy"),
    _w("dropout_wrong_inverse_of_product", "dropout", dropout_loss,
       chain(GRAD_RIDGE, DATA_PENALTY, TWO_P_A), cond(TWO_P_A, ZERO), implies(W_, AINV_XTY),
       chain(P("A", lambda W, w: _A(W)), GAMMA_FACTOR),
       chain(P(r"A^{-1}", lambda W, w: _A(W).inv()),
             P(r"\Gamma^{-2}\left(p\Gamma^{-2}X^\top X + (1-p)I\right)^{-1}",
               lambda W, w: W.G2.inv() @ _normalised(W).inv())),
       mistake="(BC)⁻¹ = B⁻¹C⁻¹: the factors of an inverse not reversed (well-typed)"),
    _w("dropout_wrong_dropped_p", "dropout", dropout_loss,
       chain(GRAD_E, GRAD_RIDGE, EXPANDED), cond(EXPANDED, ZERO), implies(A_FULL_W, XTY),
       implies(W_, P(r"\left(X^\top X + (1-p)\Gamma^2\right)^{-1}X^\top y",
                     lambda W, w: (W.X.T @ W.X + (1 - W.p) * W.G2).inv() @ _XTy(W))),
       mistake="the p in front of XᵀX dropped when solving", wrong_minimiser=True),
    _w("dropout_wrong_ridge_lambda", "dropout", dropout_loss,
       chain(GRAD_RIDGE, DATA_PENALTY, TWO_P_A), cond(TWO_P_A, ZERO), implies(W_, AINV_XTY),
       implies(PW, P_AINV_XTY),
       chain(P_AINV_XTY, P(r"\left(X^\top X + \frac{p}{1-p}\Gamma^2\right)^{-1}X^\top y",
                           lambda W, w: (W.X.T @ W.X + (W.p / (1 - W.p)) * W.G2).inv() @ _XTy(W))),
       mistake="λ = p/(1−p) in the ridge identity"),
    _w("dropout_wrong_ridge_lambda_implied", "dropout", dropout_loss,
       chain(GRAD_E, GRAD_RIDGE, FACTORED), cond(FACTORED, ZERO),
       implies(PW, P(r"\left(X^\top X + \frac{p}{1-p}\Gamma^2\right)^{-1}X^\top y",
                     lambda W, w: (W.X.T @ W.X + (W.p / (1 - W.p)) * W.G2).inv() @ _XTy(W))),
       mistake="λ = p/(1−p) in the concluded ridge solution", wrong_minimiser=True),
    # ---- additive-gaussian -------------------------------------------------------------------------------------
    _w("additive_correct", "additive-gaussian", additive_loss,
       chain(P(r"\nabla_w\,\mathbb{E}_N\left[\|y - (X + N)w\|^2\right]", grad(additive_loss)),
             P(r"\nabla_w\left(\|y - Xw\|^2 + n\sigma^2\|w\|^2\right)", grad(additive_form)),
             P(r"-2X^\top(y - Xw) + 2n\sigma^2 w", lambda W, w: -2 * (W.X.T @ (W.y - W.X @ w)) + 2 * W.n * W.sigma ** 2 * w),
             ga := P(r"2\left(X^\top X + n\sigma^2 I\right)w - 2X^\top y",
                     lambda W, w: 2 * ((W.X.T @ W.X + W.n * W.sigma ** 2 * W.I) @ w) - 2 * _XTy(W))),
       cond(ga, ZERO),
       iff(P("w", lambda W, w: w), P(r"\left(X^\top X + n\sigma^2 I\right)^{-1}X^\top y",
                                     lambda W, w: (W.X.T @ W.X + W.n * W.sigma ** 2 * W.I).inv() @ _XTy(W)))),
    _w("additive_wrong_sigma", "additive-gaussian", additive_loss,
       chain(P(r"\frac{\partial}{\partial w}\left(\|y - Xw\|^2 + n\sigma^2\|w\|^2\right)", grad(additive_form)),
             P(r"-2X^\top y + 2X^\top Xw + 2n\sigma^2 w",
               lambda W, w: -2 * _XTy(W) + 2 * (W.X.T @ W.X @ w) + 2 * W.n * W.sigma ** 2 * w),
             ga),
       cond(ga, ZERO),
       implies(P(r"\left(X^\top X + n\sigma^2 I\right)w", lambda W, w: (W.X.T @ W.X + W.n * W.sigma ** 2 * W.I) @ w),
               XTY),
       implies(P("w", lambda W, w: w), P(r"\left(X^\top X + \sigma^2 I\right)^{-1}X^\top y",
                                         lambda W, w: (W.X.T @ W.X + W.sigma ** 2 * W.I).inv() @ _XTy(W))),
       mistake="σ² instead of nσ² in the solution", wrong_minimiser=True),
    _w("additive_kernel_form", "additive-gaussian", additive_loss,
       chain(P(r"\nabla_w\left(\|y - Xw\|^2 + n\sigma^2\|w\|^2\right)", grad(additive_form)),
             gk := P(r"2X^\top Xw + 2n\sigma^2 w - 2X^\top y",
                     lambda W, w: 2 * (W.X.T @ W.X @ w) + 2 * W.n * W.sigma ** 2 * w - 2 * _XTy(W))),
       cond(gk, ZERO),
       implies(P("w", lambda W, w: w), ridge_n := P(r"\left(X^\top X + n\sigma^2 I\right)^{-1}X^\top y",
                                                    lambda W, w: (W.X.T @ W.X + W.n * W.sigma ** 2 * W.I).inv()
                                                    @ _XTy(W))),
       chain(ridge_n, P(r"X^\top\left(XX^\top + n\sigma^2 I\right)^{-1}y",  # this I is n×n (its use says so)
                        lambda W, w: W.X.T @ ((W.X @ W.X.T + W.n * W.sigma ** 2 * W.In).inv() @ W.y)))),
    # ---- gaussian-dropout --------------------------------------------------------------------------------------
    _w("gaussian_dropout_correct", "gaussian-dropout", gaussian_dropout_loss,
       chain(P(r"\nabla_{w}\,\mathbb{E}_N\left[\|y - (X \odot M)w\|^2\right]", grad(gaussian_dropout_loss)),
             P(r"\nabla_{w}\left(\|y - Xw\|^2 + \alpha\|\Gamma w\|^2\right)", grad(gaussian_dropout_form)),
             gg := P(r"-2X^\top(y - Xw) + 2\alpha\Gamma^2 w",
                     lambda W, w: -2 * (W.X.T @ (W.y - W.X @ w)) + 2 * W.alpha * (W.G2 @ w))),
       cond(gg, ZERO),
       implies(P(r"\left(X^\top X + \alpha\Gamma^2\right)w", lambda W, w: (W.X.T @ W.X + W.alpha * W.G2) @ w), XTY),
       implies(P("w", lambda W, w: w), P(r"\left(X^\top X + \alpha\Gamma^2\right)^{-1}X^\top y",
                                         lambda W, w: (W.X.T @ W.X + W.alpha * W.G2).inv() @ _XTy(W)))),
    _w("gaussian_dropout_wrong_gram", "gaussian-dropout", gaussian_dropout_loss,
       chain(P(r"\nabla_w\left(\|y - Xw\|^2 + \alpha\|\Gamma w\|^2\right)", grad(gaussian_dropout_form)), gg),
       cond(gg, ZERO),
       implies(P(r"X^\top Xw + \alpha\Gamma^2 w", lambda W, w: W.X.T @ W.X @ w + W.alpha * (W.G2 @ w)), XTY),
       implies(P("w", lambda W, w: w), P(r"\left((1 + \alpha)X^\top X\right)^{-1}X^\top y",
                                         lambda W, w: ((1 + W.alpha) * (W.X.T @ W.X)).inv() @ _XTy(W))),
       mistake="the Gram matrix XᵀX for its diagonal Γ² in the solution", wrong_minimiser=True),
    # ---- the benchmark derivation ------------------------------------------------------------------------------
    _w("minimiser_10_steps", "dropout", dropout_loss,
       chain(GRAD_E, GRAD_RIDGE,
             P(r"\nabla_{\tilde w}\left(y^\top y - 2p\,\tilde w^\top X^\top y + p^2\tilde w^\top X^\top X\tilde w "
               r"+ p(1-p)\,\tilde w^\top\Gamma^2\tilde w\right)", grad(expanded_form)),
             EXPANDED, TWO_P_A),
       cond(TWO_P_A, ZERO), implies(A_W, XTY), implies(W_, AINV_XTY), implies(PW, P_AINV_XTY),
       chain(P_AINV_XTY, P(r"\left(\tfrac{1}{p}A\right)^{-1}X^\top y", lambda W, w: ((1 / W.p) * _A(W)).inv() @ _XTy(W)),
             RIDGE_LAMBDA),
       folder=""),
]
