"""Properties of the derivation checker (``derivlab check derivation``): on single steps of
the dropout derivation in randomly chosen accepted spellings, a correct step is judged
``valid`` and a known mistake ``invalid`` (docs/spec/derivation-format.md); and on random true rewrites
and wrong mutations (``derivlab.testing.soundness``), no step the independent oracle finds
false is judged ``valid`` (outside the holes still listed in ``KNOWN_HOLES``)."""

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


def no_false_accept(case: Any) -> str | None:
    """No step that the oracle (every keep mask, exact, at five sizes) finds false is judged
    "valid" by check_derivation_text, in any student spelling."""
    from derivlab.testing.soundness.harness import judge_case

    outcome = judge_case(case)
    if outcome.category == "false-accept" and not outcome.explained_by:
        return f"false accept ({case.family}): {outcome.truth.reason}"
    return None


def checker_properties() -> list[tuple[str, str, str, Any, Any, float]]:
    from derivlab.testing.soundness.steps import soundness_cases

    return [("checker/derivation-steps", "checker", step_verdict_matches.__doc__, derivation_steps,
             step_verdict_matches, 0.3),
            ("checker/soundness", "checker", no_false_accept.__doc__, soundness_cases, no_false_accept, 0.3)]
