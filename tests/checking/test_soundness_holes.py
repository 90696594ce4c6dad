"""Issue 15, holes 3 and 4, and the SymPy cross-check: no wrong step is ever `valid`.

Hole 3: absolute values and roots of squares are only piecewise polynomial, so a
random test that never crosses the break point proves nothing. Hole 4: a trace
identity of 2×2 matrices holds at every size with min(n, d) ≤ 2; the decisive
sizes of the index bound catch it.
"""

import pytest

from derivlab.checking import limits
from derivlab.checking.context import load_context
from derivlab.checking.decisive_sizes import decisive_sizes, needs_inverse
from derivlab.checking.derivation import Confirmation, check_derivation_text
from derivlab.checking.equivalence import decide
from derivlab.checking.failures import Undecided
from derivlab.checking.parse import parse_expression

SCOPE = load_context("dropout")
CH2 = (r"\operatorname{tr}(X^\top X)^3 - 3\operatorname{tr}(X^\top X)\operatorname{tr}((X^\top X)^2)"
       r" + 2\operatorname{tr}((X^\top X)^3)")


def judge(lhs, rhs, seed=0):
    return decide(parse_expression(lhs, SCOPE), parse_expression(rhs, SCOPE), SCOPE, seed=seed,
                  deadline=limits.Deadline(30))


def verdict(text):
    return check_derivation_text(text).steps[0]


@pytest.mark.parametrize("seed", range(4))
def test_a_root_of_a_square_that_changes_sign_is_caught(seed):
    out = judge(r"\sqrt{(\lambda - 20)^2}", r"20 - \lambda", seed)
    assert out.verdict == "invalid"
    example = out.counterexample
    assert example is not None


def test_a_root_of_a_square_that_holds_is_unknown_not_valid():
    with pytest.raises(Undecided, match="piecewise polynomial"):
        judge(r"\sqrt{\lambda^2}", r"\lambda")


def test_square_roots_that_cancel_stay_valid():
    assert judge(r"\|\Gamma w\|^2", r"w^\top \Gamma^2 w").verdict == "valid"
    assert judge(r"\|y - Xw\|", r"\sqrt{(y - Xw)^\top (y - Xw)}").verdict == "valid"
    assert judge(r"\sqrt{4}\, p", r"2p").verdict == "valid"  # a root of a constant is a number


def test_the_cayley_hamilton_identity_of_2x2_matrices_is_not_valid_for_every_size():
    out = judge(CH2, "0")
    assert out.verdict == "invalid"
    assert min(out.counterexample["sizes"].values()) >= 3


def test_decisive_sizes_grow_with_the_degree():
    a = parse_expression(CH2, SCOPE)
    assert decisive_sizes(a, parse_expression("0", SCOPE), SCOPE) == [{"n": 3, "d": 3}]
    lhs = parse_expression(r"\mathbb{E}_R\|y-(R\odot X)w\|^2", SCOPE)
    rhs = parse_expression(r"\|y-pXw\|^2 + p(1-p)\|\Gamma w\|^2", SCOPE)
    assert decisive_sizes(lhs, rhs, SCOPE) == [{"n": 2, "d": 3}]
    assert not needs_inverse(lhs, rhs)


def test_ones_make_the_coefficients_polynomials_in_the_size():
    # (1ᵀ1)³ − 6(1ᵀ1)² + 11(1ᵀ1) = 6 holds at n = 1, 2, 3 only (the grammar has no 𝟏: built as a tree)
    from fractions import Fraction

    from derivlab.checking.expr import Add, Const, MatMul, Neg, Ones, Power, Scale, Transpose

    one = Ones(shape=("n", 1))
    count = MatMul(shape=(1, 1), left=Transpose(shape=(1, "n"), arg=one), right=one)

    def times(k, e):
        return Scale(shape=(1, 1), left=Const(shape=(1, 1), value=Fraction(k)), right=e)

    cube = Power(shape=(1, 1), base=count, exponent=Fraction(3))
    square = Power(shape=(1, 1), base=count, exponent=Fraction(2))
    lhs = Add(shape=(1, 1), left=Add(shape=(1, 1), left=cube, right=Neg(shape=(1, 1), arg=times(6, square))),
              right=times(11, count))
    six = Const(shape=(1, 1), value=Fraction(6))
    grid = decisive_sizes(lhs, six, SCOPE)
    assert len({g["n"] for g in grid}) >= 4
    assert decide(lhs, six, SCOPE, deadline=limits.Deadline(30)).verdict == "invalid"


def test_a_step_too_large_for_the_decisive_sizes_is_unknown():
    step = verdict(r"\[ \mathbb{E}_R \|(R\odot X) w\|_2^{64} = \mathbb{E}_R (\|(R\odot X) w\|_2^2)^{32} \]")
    assert step.verdict == "unknown"
    assert "too large to be decided for every size" in step.message


def test_valid_says_which_sizes_decide_every_size():
    step = verdict(r"\[ \mathbb{E}_R\|y-(R\odot X)w\|^2 = \|y-pXw\|^2 + p(1-p)\|\Gamma w\|^2 \]")
    assert step.verdict == "valid"
    assert "(2,3) decides every size" in step.method


def test_when_sympy_disagrees_the_step_is_unknown(monkeypatch):
    import derivlab.checking.derivation as derivation

    monkeypatch.setattr(derivation, "_confirm_symbolically",
                        lambda *a: Confirmation(False, "n=2, d=2", "SymPy at n=2, d=2 does not reduce lhs − rhs to 0"))
    step = verdict(r"\[ \mathbb{E}_R[(R \odot X)^\top] = p X^\top \]")
    assert step.verdict == "unknown"
    assert "disagree" in step.message and "SymPy" in step.method


def test_the_sympy_confirmation_is_stopped_by_its_alarm(monkeypatch):
    import time

    import derivlab.checking.symbolic as symbolic

    def slow(*_a, **_k):
        time.sleep(30)
        return True

    monkeypatch.setattr(symbolic, "confirm", slow)
    t0 = time.monotonic()
    step = verdict(r"\[ \mathbb{E}_R[(R \odot X)^\top] = p X^\top \]")
    assert time.monotonic() - t0 < 10
    # a cross-check that runs out of time is not a disagreement: the decisive test stands, the method says so
    assert step.verdict == "valid" and "did not finish" in step.method


def test_a_root_of_a_product_of_two_large_primes_is_unknown_within_its_budget():
    import time

    p, q = 100000000000000000000000012349, 300000000000000000000000001057
    t0 = time.monotonic()
    step = verdict(rf"\[ \sqrt{{{p} \cdot {q}}}\, p = p \]")
    assert time.monotonic() - t0 < 5
    assert step.verdict == "unknown" and "cannot be factored" in step.message


@pytest.mark.parametrize("step, expected", [
    (r"\[ \mathbb{E}_N[\|N w\|^4] = \alpha^2 \|w\|^4 \]", "invalid"),    # E[N⁴] is 3α², not α² (a two-point law's)
    (r"\[ \mathbb{E}_N[\|N w\|^4] = 3\alpha^2 \|w\|^4 \]", "invalid"),   # true at n = 1 only: (n² + 2n)α²
    (r"\[ \mathbb{E}_N[N_{11}^4] = 3\alpha^2 \]", "valid"),                  # the Gaussian's fourth moment, exactly
    (r"\[ \mathbb{E}_N[N_{11}^6] = 15\alpha^3 \]", "valid"),
    (r"\[ \mathbb{E}_N[N_{11}^6] = 3\alpha^3 \]", "invalid"),
    (r"\[ \|N w\|^2 + \alpha = \|N w\|^2 + \alpha \|w\|^0 \]", "valid"),
])
def test_a_gaussian_is_judged_with_its_exact_moments_at_every_order(step, expected):
    from derivlab.checking.derivation import check_derivation_text

    out = check_derivation_text(step, context="gaussian-dropout").steps[0]
    assert out.verdict == expected, out.message
    if expected == "invalid":
        assert out.counterexample and out.counterexample["lhs"] != out.counterexample["rhs"]

@pytest.mark.parametrize("step, expected", [
    (r"\[ \sqrt{N_{11}^2} = N_{11} \]", "unknown"),   # true for 0/1 values only: a Gaussian entry is never enumerated
    (r"\[ \mathbb{E}_N[\sqrt{N_{11}^2}] = 0 \]", "unknown"),
    (r"\[ N_{11}^2 = N_{11} \]", "invalid"),           # a Gaussian entry is not idempotent
])
def test_a_gaussian_entry_is_never_read_as_a_mask(step, expected):
    from derivlab.checking.derivation import check_derivation_text

    assert check_derivation_text(step, context="gaussian-dropout").steps[0].verdict == expected
