"""Problem sections of the report, by discovery: every package directly under ``derivlab.reports``
that defines ``SECTION`` — a function ``(results, out_dir, *, quick, seed) -> dict`` returning
``{"title": str, "latex": TrustedLatex, "missing": [str, ...]}`` — adds one section after Q2.
A new problem adds one package here (its section and template); build.py does not change.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable


def problem_sections() -> list[Callable[..., dict]]:
    import derivlab.reports as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.ispkg:
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            section = getattr(module, "SECTION", None)
            if callable(section):
                found.append(section)
    return found


def build_sections(results: dict[str, Any], out_dir: Any, *, quick: bool, seed: int) -> list[dict]:
    """Every discovered section, in package-name order."""
    return [section(results, out_dir, quick=quick, seed=seed) for section in problem_sections()]
