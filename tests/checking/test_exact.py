"""Exact scalars: canonical square roots, inverses, Bernoulli expectations (cross-checked
against the proofs' moment rule ``expect_polynomial``)."""

import random
from fractions import Fraction

import sympy as sp
from hypothesis import example, given, settings, strategies as st

from derivlab.checking.exact import Field
from derivlab.derivations.bernoulli_moments import expect_polynomial


def test_square_roots_are_canonical():
    f = Field()
    a = f.sqrt(f.const(8))          # 2√2
    b = f.mul(f.sqrt(f.const(2)), f.const(2))
    assert a == b
    assert f.mul(f.sqrt(f.const(6)), f.sqrt(f.const(15))) == f.scale(f.sqrt(f.const(10)), Fraction(3))
    assert f.sqrt(f.const(Fraction(9, 4))) == f.const(Fraction(3, 2))


def test_inverse_of_a_sum_of_square_roots():
    f = Field()
    x = f.add(f.add(f.sqrt(f.const(2)), f.sqrt(f.const(3))), f.const(1))
    assert f.mul(x, f.inverse(x)) == f.const(1)


def test_masks_are_idempotent_and_expectation_uses_p_per_distinct_entry():
    f = Field()
    r0, r1 = f.mask_value(f.mask("R")), f.mask_value(f.mask("R"))
    p = Fraction(1, 3)
    assert f.mul(r0, r0) == r0
    assert f.expect(f.mul(r0, r0), ["R"], {"R": p}) == f.const(p)
    assert f.expect(f.mul(r0, r1), ["R"], {"R": p}) == f.const(p * p)


def test_the_mistaken_arithmetic_keeps_powers():
    f = Field(idempotent=False)
    r0 = f.mask_value(f.mask("R"))
    assert f.expect(f.mul(r0, r0), ["R"], {"R": Fraction(1, 3)}) == f.const(Fraction(1, 9))


@settings(max_examples=25)
@given(st.integers(min_value=0, max_value=10**6))
@example(44651)  # E = 3681/2000, which sp.nsimplify turned into a product of radicals
def test_expectation_matches_the_shared_moment_rule(seed):
    """A random polynomial in 3 mask entries: our expectation = expect_polynomial's."""
    rng = random.Random(seed)
    f = Field()
    ids = [f.mask("R") for _ in range(3)]
    syms = sp.symbols("r0:3")
    ours, theirs = {}, sp.Integer(0)
    for _ in range(4):
        coef = Fraction(rng.randint(-5, 5), rng.randint(1, 3))
        powers = [rng.randint(0, 3) for _ in ids]
        term = f.const(coef)
        mono = sp.Rational(coef.numerator, coef.denominator)
        for i, k in zip(ids, powers):
            for _ in range(k):
                term = f.mul(term, f.mask_value(i))
            mono *= syms[ids.index(i)] ** k
        ours, theirs = f.add(ours, term), theirs + mono
    p = Fraction(rng.randint(1, 9), 10)
    expected = expect_polynomial(theirs, list(syms), sp.Rational(p.numerator, p.denominator))
    got = f.expect(ours, ["R"], {"R": p})
    value = got.get((frozenset(), 1), Fraction(0))
    assert sp.Rational(value.numerator, value.denominator) == sp.expand(expected)  # exact: no nsimplify
