"""Every known-wrong variant is killed symbolically, by Monte Carlo and by exact enumeration;
the correct formulas, run through the same code paths, survive all three."""

import pytest

from derivlab.derivations.dropout_variants import (
    CORRECT_IDENTITY,
    CORRECT_MINIMIZER,
    CORRECT_RESCALED_RIDGE,
    IDENTITY_VARIANTS,
    MINIMIZER_VARIANTS,
    RESCALED_RIDGE_VARIANTS,
    all_variants,
    variant_catalogue_json,
    variant_holds_symbolically,
    variant_survives_enumeration,
    variant_survives_monte_carlo,
)
from derivlab.numerics.monte_carlo import Z_THRESHOLD

CORRECT = (CORRECT_IDENTITY, CORRECT_RESCALED_RIDGE, CORRECT_MINIMIZER)
WRONG = all_variants()


def test_catalogue_covers_the_common_mistakes():
    names = {v.name for v in IDENTITY_VARIANTS}
    assert {"p-squared-variance", "gram-not-diag", "unscaled-mean", "odds-variance", "dropped-p-cross-term",
            "wrong-sign"} <= names
    assert len(RESCALED_RIDGE_VARIANTS) >= 2 and len(MINIMIZER_VARIANTS) >= 2
    assert all(entry["latex"] for entry in variant_catalogue_json())


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.claim)
def test_correct_formula_holds_symbolically(variant):
    assert variant_holds_symbolically(variant)


@pytest.mark.parametrize("variant", WRONG, ids=lambda v: f"{v.claim}:{v.name}")
def test_wrong_variant_is_killed_symbolically(variant):
    assert not variant_holds_symbolically(variant)


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.claim)
def test_correct_formula_survives_monte_carlo(variant):
    assert variant_survives_monte_carlo(variant).agrees


@pytest.mark.parametrize("variant", WRONG, ids=lambda v: f"{v.claim}:{v.name}")
def test_wrong_variant_is_killed_by_monte_carlo_with_power_essentially_one(variant):
    """4,000 masks at 50 x 10: every wrong variant lands at |z| > 40, i.e. power > 1 - 1e-100."""
    result = variant_survives_monte_carlo(variant)
    assert not result.agrees
    z = result.max_abs_z if hasattr(result, "max_abs_z") else abs(result.z)
    assert z > 8 * Z_THRESHOLD


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.claim)
def test_correct_formula_is_exact_over_all_masks(variant):
    assert variant_survives_enumeration(variant)


@pytest.mark.parametrize("variant", WRONG, ids=lambda v: f"{v.claim}:{v.name}")
def test_wrong_variant_is_unequal_over_all_masks(variant):
    assert not variant_survives_enumeration(variant)
