"""Student input: derivations (restricted Lark grammar, contexts, exact
equivalence, hints) and hand-coded weights. Layer 3. Student text is never
passed to eval, sympify, parse_expr or lambdify."""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "check_derivation_file": "derivlab.checking.derivation",
    "check_derivation_text": "derivlab.checking.derivation",
    "DerivationReport": "derivlab.checking.derivation",
    "StepVerdict": "derivlab.checking.derivation",
    "check_weights": "derivlab.checking.weights",
    "check_weights_file": "derivlab.checking.weights",
    "WeightsReport": "derivlab.checking.weights",
}
__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    """``from derivlab.checking import check_derivation_file`` (and the others above), imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'derivlab.checking' has no attribute {name!r}")
