"""Properties of the derivation checker (``derivlab check derivation``): on single steps of
the dropout derivation in randomly chosen accepted spellings, a correct step is judged
``valid`` and a known mistake ``invalid`` (docs/spec/derivation-format.md)."""

from __future__ import annotations

from typing import Any

from derivlab.testing._strategies_derivation import DerivationStep, derivation_steps


def step_verdict_matches(step: DerivationStep) -> str | None:
    """check_derivation_text(step, context="dropout") is "valid" for a correct step and
    "invalid" for a mistake, whatever accepted spelling is used."""
    from derivlab.checking.derivation import check_derivation_text

    report = check_derivation_text(step.document(), context="dropout")
    expected = "valid" if step.valid else "invalid"
    verdict = report.to_json()["verdict"]
    return None if verdict == expected else f"verdict {verdict!r}, expected {expected!r}"


def checker_properties() -> list[tuple[str, str, str, Any, Any, float]]:
    return [("checker/derivation-steps", "checker", step_verdict_matches.__doc__, derivation_steps,
             step_verdict_matches, 0.3)]
