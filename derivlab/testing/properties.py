"""The property catalogue: for every claim, statements that must hold on EVERY Hypothesis-drawn
input (random sizes including 1, integer/rational/float values of varied magnitude, p near
0 and 1), each checked against an independent oracle. ``derivlab fuzz`` runs them.

    >>> from hypothesis import given, settings
    >>> from derivlab.testing.properties import all_properties
    >>> prop = all_properties()["dropout.identity/exact-enumeration"]
    >>> @settings(max_examples=20)
    ... @given(prop.strategy())
    ... def test_identity(example):
    ...     assert prop.failure(example) is None
    >>> test_identity()

A property's ``check(example)`` returns None when it holds and a one-line reason otherwise;
an exception raised by the code under test counts as a failure too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Property:
    """``name`` (``claim/aspect``), the ``claim`` id it covers, its ``statement``, a zero-argument
    ``strategy`` factory, ``check(example) -> reason | None`` and an examples ``weight``."""

    name: str
    claim: str
    statement: str
    strategy: Callable[[], Any]
    check: Callable[[Any], str | None]
    weight: float = 1.0

    def failure(self, example: Any) -> str | None:
        """The reason ``example`` falsifies the property, or None; exceptions are failures."""
        try:
            return self.check(example)
        except Exception as exc:  # the code under test crashing on a valid input is a failure
            return f"{type(exc).__name__}: {exc}"


def _groups() -> list[tuple[str, Callable[[], list]]]:
    from derivlab.testing._properties_attention import attention_properties
    from derivlab.testing._properties_checker import checker_properties
    from derivlab.testing._properties_dropout import dropout_properties

    from derivlab.testing.mutants import problem_packages

    return [("dropout", dropout_properties), ("attention", attention_properties), ("checker", checker_properties),
            *problem_packages(lambda m: m.properties())]


def all_properties() -> dict[str, Property]:
    """Every property by name: dropout, then attention, then the derivation checker.
    A module a property exercises that fails to import raises (never a shorter catalogue)."""
    out: dict[str, Property] = {}
    for _group, build in _groups():
        for name, claim, statement, strategy, check, weight in build():
            out[name] = Property(name, claim, " ".join((statement or "").split()), strategy, check, weight)
    return out
