"""Gradient and implication steps against an independent oracle (plain Fractions, no derivlab evaluator).

The objective of (4), f(w) = ‖y − pXw‖² + p(1 − p) wᵀ diag(XᵀX) w, is quadratic in w, so its central
difference (f(w + e_j) − f(w − e_j))/2 IS ∂f/∂w_j, exactly, in Fractions. Each candidate gradient (the
right one and plausible wrong ones) is written in LaTeX for the checker and as a Python function for the
oracle; the checker must call it valid exactly when the oracle finds it equal to the true gradient at
random points. Candidate minimisers are checked the same way against the exact solution of ∇f = 0.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from derivlab.checking.derivation import check_derivation_text

N, D = 3, 2


def _matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def _t(a):
    return [list(col) for col in zip(*a)]


def _add(a, b, s=1):
    return [[x + s * y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def _scale(c, a):
    return [[c * x for x in row] for row in a]


def _gram_diag(X):
    g = _matmul(_t(X), X)
    return [[g[i][j] if i == j else Fraction(0) for j in range(len(g))] for i in range(len(g))]


def _objective(X, y, p, w):
    r = _add(y, _scale(p, _matmul(X, w)), -1)
    penalty = _matmul(_t(w), _matmul(_gram_diag(X), w))[0][0]
    return _matmul(_t(r), r)[0][0] + p * (1 - p) * penalty


def _true_gradient(X, y, p, w):
    out = []
    for j in range(len(w)):
        up = [row[:] for row in w]
        down = [row[:] for row in w]
        up[j][0] += 1
        down[j][0] -= 1
        out.append([(_objective(X, y, p, up) - _objective(X, y, p, down)) / 2])
    return out


def _solve(a, b):
    """Exact Gauss–Jordan: a⁻¹b."""
    n = len(a)
    m = [list(a[i]) + list(b[i]) for i in range(n)]
    for c in range(n):
        piv = next(r for r in range(c, n) if m[r][c] != 0)
        m[c], m[piv] = m[piv], m[c]
        m[c] = [x / m[c][c] for x in m[c]]
        for r in range(n):
            if r != c and m[r][c] != 0:
                m[r] = [x - m[r][c] * y for x, y in zip(m[r], m[c])]
    return [row[n:] for row in m]


def _point(rng):
    X = [[Fraction(rng.randint(-5, 5), rng.choice((1, 2))) for _ in range(D)] for _ in range(N)]
    y = [[Fraction(rng.randint(-5, 5))] for _ in range(N)]
    w = [[Fraction(rng.randint(-5, 5), 3)] for _ in range(D)]
    p = Fraction(rng.randint(1, 9), 10)
    return X, y, p, w


def _A(X, p):
    return _add(_scale(p, _matmul(_t(X), X)), _scale(1 - p, _gram_diag(X)))


G2 = r"\Gamma^2"
GRADIENTS = {  # LaTeX of the claimed ∇f, and the same formula for the oracle
    "correct": (rf"-2pX^\top(y - pX\tilde w) + 2p(1-p){G2}\tilde w",
                lambda X, y, p, w: _add(_scale(-2 * p, _matmul(_t(X), _add(y, _scale(p, _matmul(X, w)), -1))),
                                        _scale(2 * p * (1 - p), _matmul(_gram_diag(X), w)))),
    "expanded": (rf"2p^2X^\top X\tilde w - 2pX^\top y + 2p(1-p){G2}\tilde w",
                 lambda X, y, p, w: _add(_add(_scale(2 * p * p, _matmul(_matmul(_t(X), X), w)),
                                              _scale(-2 * p, _matmul(_t(X), y))),
                                         _scale(2 * p * (1 - p), _matmul(_gram_diag(X), w)))),
    "missing p": (rf"-2X^\top(y - pX\tilde w) + 2p(1-p){G2}\tilde w",
                  lambda X, y, p, w: _add(_scale(-2, _matmul(_t(X), _add(y, _scale(p, _matmul(X, w)), -1))),
                                          _scale(2 * p * (1 - p), _matmul(_gram_diag(X), w)))),
    "missing 2 on the penalty": (rf"-2pX^\top(y - pX\tilde w) + p(1-p){G2}\tilde w",
                                 lambda X, y, p, w: _add(
                                     _scale(-2 * p, _matmul(_t(X), _add(y, _scale(p, _matmul(X, w)), -1))),
                                     _scale(p * (1 - p), _matmul(_gram_diag(X), w)))),
    "sign": (rf"2pX^\top(y - pX\tilde w) + 2p(1-p){G2}\tilde w",
             lambda X, y, p, w: _add(_scale(2 * p, _matmul(_t(X), _add(y, _scale(p, _matmul(X, w)), -1))),
                                     _scale(2 * p * (1 - p), _matmul(_gram_diag(X), w)))),
    "Gram matrix for its diagonal": (r"-2pX^\top(y - pX\tilde w) + 2p(1-p)X^\top X\tilde w",
                                     lambda X, y, p, w: _add(
                                         _scale(-2 * p, _matmul(_t(X), _add(y, _scale(p, _matmul(X, w)), -1))),
                                         _scale(2 * p * (1 - p), _matmul(_matmul(_t(X), X), w)))),
    "p squared on the penalty": (rf"-2pX^\top(y - pX\tilde w) + 2p^2(1-p){G2}\tilde w",
                                 lambda X, y, p, w: _add(
                                     _scale(-2 * p, _matmul(_t(X), _add(y, _scale(p, _matmul(X, w)), -1))),
                                     _scale(2 * p * p * (1 - p), _matmul(_gram_diag(X), w)))),
}

SOLUTIONS = {  # LaTeX of the claimed minimiser, and the oracle's value of it
    "correct": (r"\left(pX^\top X + (1-p)\Gamma^2\right)^{-1} X^\top y",
                lambda X, y, p: _solve(_A(X, p), _matmul(_t(X), y))),
    "transposed inverse (A is symmetric)": (r"\left(\left(pX^\top X + (1-p)\Gamma^2\right)^{-1}\right)^\top X^\top y",
                                            lambda X, y, p: _solve(_A(X, p), _matmul(_t(X), y))),
    "dropped p": (r"\left(X^\top X + (1-p)\Gamma^2\right)^{-1} X^\top y",
                  lambda X, y, p: _solve(_add(_matmul(_t(X), X), _scale(1 - p, _gram_diag(X))),
                                         _matmul(_t(X), y))),
    "extra p": (r"p\left(pX^\top X + (1-p)\Gamma^2\right)^{-1} X^\top y",
                lambda X, y, p: _scale(p, _solve(_A(X, p), _matmul(_t(X), y)))),
    "plain least squares": (r"\left(X^\top X\right)^{-1} X^\top y",
                            lambda X, y, p: _solve(_matmul(_t(X), X), _matmul(_t(X), y))),
}


def _oracle_agrees(claim, truth, trials: int = 3) -> bool:
    rng = random.Random(11)
    for _ in range(trials):
        X, y, p, w = _point(rng)
        if claim(X, y, p, w) != truth(X, y, p, w):
            return False
    return True


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_a_gradient_is_valid_exactly_when_the_oracle_says_it_is_the_gradient(name):
    latex, formula = GRADIENTS[name]
    expected = _oracle_agrees(formula, _true_gradient)
    assert expected == (name in ("correct", "expanded"))  # the catalogue itself: each wrong one really is wrong
    text = rf"\[ \nabla_{{\tilde w}}\left(\|y - pX\tilde w\|^2 + p(1-p)\|\Gamma\tilde w\|^2\right) = {latex} \]"
    step = check_derivation_text(text).steps[0]
    assert step.verdict == ("valid" if expected else "invalid"), (name, step.message)
    if not expected:
        assert step.counterexample and "lhs" in step.counterexample


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_a_minimiser_follows_from_the_gradient_set_to_zero_exactly_when_the_oracle_says_so(name):
    latex, formula = SOLUTIONS[name]

    def solves(X, y, p, w):  # the claimed minimiser is where the true gradient vanishes
        return _true_gradient(X, y, p, formula(X, y, p)) == [[Fraction(0)] for _ in range(D)]

    expected = _oracle_agrees(solves, lambda *a: True)
    assert expected == (name in ("correct", "transposed inverse (A is symmetric)"))
    text = (r"\[ \nabla_{\tilde w}\left(\|y - pX\tilde w\|^2 + p(1-p)\|\Gamma\tilde w\|^2\right)"
            r" = -2pX^\top(y - pX\tilde w) + 2p(1-p)\Gamma^2\tilde w = 0 \implies \tilde w = " + latex + r" \]")
    report = check_derivation_text(text)
    verdicts = [s.verdict for s in report.steps]
    assert verdicts[:2] == ["valid", "valid"] and report.steps[1].method == "condition", verdicts
    conclusion = report.steps[2]
    assert conclusion.premise is not None
    assert conclusion.verdict == ("valid" if expected else "invalid"), (name, conclusion.message)
    if not expected:
        example = conclusion.counterexample
        assert set(example) >= {"values", "solution", "lhs", "rhs"} and example["lhs"] != example["rhs"]


def test_a_condition_that_nobody_derived_is_not_valid():
    report = check_derivation_text(r"\[ p X^\top X \tilde w - X^\top y = 0 \implies \tilde w = (pX^\top X)^{-1}X^\top y \]")
    assert report.steps[0].method == "condition" and report.steps[0].verdict == "unknown"
    assert report.verdict != "valid"


def test_a_gradient_of_something_that_is_not_a_polynomial_is_unknown_never_valid():
    step = check_derivation_text(r"\[ \nabla_{w}\|y - Xw\| = -X^\top(y - Xw) \]").steps[0]
    assert step.verdict == "unknown"


def test_a_concluded_chain_may_name_the_ridge_weights_and_stays_under_the_condition():
    text = r"""
\begin{align}
\nabla_{\tilde w}\left(\|y - pX\tilde w\|^2 + p(1-p)\|\Gamma\tilde w\|^2\right)
 &= 2p\left(pX^\top X + (1-p)\Gamma^2\right)\tilde w - 2pX^\top y = 0 \\
\implies \tilde w^* &= \left(pX^\top X + (1-p)\Gamma^2\right)^{-1}X^\top y
\end{align}
Hence
\[ w_{new} = p\tilde w^* = \left(X^\top X + LAMBDA\Gamma^2\right)^{-1}X^\top y . \]
"""
    right = check_derivation_text(text.replace("LAMBDA", r"\lambda"))
    assert [s.verdict for s in right.steps] == ["valid"] * 5, [(s.verdict, s.message) for s in right.steps]
    assert right.steps[3].method == "a name" and right.steps[4].premise is not None
    wrong = check_derivation_text(text.replace("LAMBDA", r"\lambda^2"))
    assert wrong.first_bad_step == 5 and wrong.steps[4].verdict == "invalid"
    assert "solution" in wrong.steps[4].counterexample
