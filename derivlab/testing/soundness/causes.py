"""Why the checker rejected or could not read a TRUE step: attributed by the case's hole tags
and by patterns in its text (the first that matches), so false rejects and misses come with
a likely cause. An attribution, not a proof: 'unattributed' is reported as such.

    >>> attribute(r"\\[ X^\\mathsf{T} y = X^{\\mathsf T} y \\]", frozenset())
    'spelling: ^\\\\mathsf{T} without braces is unparsed'
"""

from __future__ import annotations

import re

_BY_TAG = (
    ("brace-annotation", "an annotation after a brace (}_{\\text..} / }^{\\text..}) is not read (hole 1 closed: no longer deleted)"),
    ("text-math", "\\text/\\textrm/\\mbox/\\textbf holding math is refused as unparsed (hole 2 closed: no longer "
                  "deleted as prose; the grammar does not read a number inside \\text yet)"),
)
_READ_VERBS = ("Let", "Define", "Put", "With")

_BY_PATTERN = (
    (r"\\qquad|,\\quad", "layout: two equalities separated by \\qquad or ,\\quad are read as one chain"),
    (r"\^\\mathsf\{T\}", "spelling: ^\\mathsf{T} without braces is unparsed"),
    (r"\\Gamma_new|w_new", "spelling: _new without braces is unparsed"),
    (r"\\lvert|\|", "notation: absolute values |.| are not read"),
)


_BY_MESSAGE = (
    ("piecewise polynomial", "by design: a step that depends on the sign of a square root (|x| = √(x²), ‖cv‖ = c‖v‖) "
                             "is unknown unless a counterexample is found (issue 15, hole 3)"),
    ("too large to be decided for every size", "by design: the decisive sizes exceed the checker's limit"),
    ("was refused and not used", "grading rule: a degenerate definition (a constant substitution) is refused"),
)


def attribute(document: str, tags: frozenset, message: str = "") -> str:
    """The likely cause of a false reject or a miss on ``document`` (``message``: the checker's)."""
    for needle, why in _BY_MESSAGE:
        if needle in message:
            return why
    for tag, why in _BY_TAG:
        if tag in tags:
            return why
    if "substitution" in tags:
        verb = document.split("$", 1)[0].strip()
        if verb not in _READ_VERBS:
            return f"prose substitution not applied after the verb {verb!r} (derivation-format.md lists it)"
    text = re.sub(r"\\\||\\[lr]Vert|\\Vert|\|\|", "", document)  # norms are not absolute values
    for pattern, why in _BY_PATTERN:
        if re.search(pattern, text if "absolute" in why else document):
            return why
    return "unattributed"
