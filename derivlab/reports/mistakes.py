"""The kind of mistake of a step that is not valid, for grouping a class's mistakes.

The hint catalogue (``derivlab.checking.hints.CATALOGUE``) words each known mistake
in a fixed sentence; ``mistake_kind`` maps a step (its verdict and hint) to one
short label. Steps without a hint are grouped by verdict.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

#: (pattern at the start of a hint, kind), in the catalogue's order.
HINT_KINDS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), k) for p, k in (
    (r"An expectation was dropped|The left side is random", "expectation dropped or added"),
    (r"E\[\S+²\] = ", "second moment: E[R²] taken as p²"),
    (r"The diag was dropped|A diag\(·\) is missing", "diag(XᵀX) term dropped"),
    (r"Inside the norm the factor must be √λ|λ = \(1−p\)/p, not|The factor ", "wrong scalar factor (p, λ, √λ)"),
    (r"A factor \S+ is missing next to|There is one factor .* too many", "keep probability p missing or extra"),
    (r"Sign error", "sign error"),
    (r"The term .* (is missing a factor 2|has a factor 2 too many)", "factor 2 of the cross term"),
    (r"A transpose is (misplaced|missing)", "transpose misplaced"),
))

VERDICT_KINDS = {
    "invalid": "wrong step (no known mistake matched)",
    "ill-typed": "shapes do not match",
    "unparsed": "could not be read",
    "unknown": "could not be decided",
}


def mistake_kind(step: Mapping[str, Any]) -> str | None:
    """The kind of mistake of ``step`` (a checker step JSON), or None for a valid step."""
    verdict = step.get("verdict")
    if verdict == "valid":
        return None
    hint = step.get("hint") or ""
    if verdict == "invalid" and hint:
        for pattern, kind in HINT_KINDS:
            if pattern.match(hint):
                return kind
        return "other known mistake"
    return VERDICT_KINDS.get(str(verdict), str(verdict))
