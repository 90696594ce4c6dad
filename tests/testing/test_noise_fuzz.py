"""The noise problem in derivlab fuzz: discovered, every mutant killed both ways, properties can fail."""

from fractions import Fraction

from derivlab.derivations.noise import variants
from derivlab.testing import noise as noise_testing
from derivlab.testing.mutants import judge_candidate, load
from derivlab.testing.noise import property_checks as props
from derivlab.testing.properties import all_properties
from derivlab.numerics.regression_data import rational_problem


def test_discovered_by_the_catalogues():
    candidates, judges = load()
    names = {(c.claim, c.name) for c in candidates}
    assert ("noise.additive-gaussian", "missing-n") in names and "noise.gaussian-dropout" in judges
    found = all_properties()
    assert "noise.gaussian-dropout/exact-three-point" in found


def test_every_noise_mutant_is_killed_and_controls_accepted():
    judges = noise_testing.judges()
    for c in noise_testing.candidates():
        r = judge_candidate(c, seed=3, judge=judges[c.claim])
        assert r.ok, (c.name, r.to_json())


def test_the_three_point_property_can_fail():
    prob = rational_problem(2, 2, seed=1)
    s = Fraction(1, 2)
    assert props.additive_exact((prob, s)) is None
    lhs = props.three_point_expectation(prob.X, prob.y, prob.w, s, False)
    assert lhs != variants.ADDITIVE_VARIANTS[0].value(prob.X, prob.y, prob.w, s)
    assert props.normal_moments((Fraction(1, 2), Fraction(3), 4)) is None
