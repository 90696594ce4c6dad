"""Warm a grading worker once, before it forks its guarded checks.

Every check runs in a forked child (``limits.run_limited``). A child that starts cold
imports the checker's modules, builds the LaTeX grammar and loads the context itself:
about 0.45 s, paid by each of a submission's several children. Done once in the worker
(on derivlab's own tiny derivation, never student text), the children inherit it all.
"""

from __future__ import annotations

from functools import lru_cache

_WARM_UP = r"\begin{align*} \mathbb{E}_R\left[(R \odot X)^\top\right] &= p X^\top \end{align*}"


@lru_cache(maxsize=1)
def warm_worker() -> None:
    """Import and cache what the guarded checks need (idempotent; cheap after the first call)."""
    import derivlab.checking.weights  # noqa: F401  (the weights checker's modules)
    from derivlab.checking.derivation import check_derivation_text

    check_derivation_text(_WARM_UP, context="dropout")
