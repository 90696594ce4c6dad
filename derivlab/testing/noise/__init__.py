"""The noise problem's share of ``derivlab fuzz`` (layer 4): its mutant catalogue with the two checks
that must reject every mutant (``mutants``), and its Hypothesis properties (``property_checks``).

Discovered by ``derivlab.testing.mutants`` and ``derivlab.testing.properties``: a problem package
under ``derivlab.testing`` defines ``candidates()``, ``judges()`` and ``properties()``.
"""

from __future__ import annotations

from derivlab.testing.noise.mutants import candidates, judges
from derivlab.testing.noise.property_checks import properties

__all__ = ["candidates", "judges", "properties"]
