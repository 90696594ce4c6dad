"""Why a step could not be judged valid/invalid: each exception carries its verdict.

``Unparsed`` (the text could not be read), ``IllTyped`` (shapes do not fit),
``Undecided`` (limits exhausted: the verdict is ``unknown``). They never leave
the checking package: the service turns them into step verdicts.
"""

from __future__ import annotations


class StepFailure(Exception):
    """A reason a step gets a verdict other than valid/invalid."""

    verdict = "unknown"

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class Unparsed(StepFailure):
    """The text could not be read; ``offset`` is the position in the parsed text."""

    verdict = "unparsed"

    def __init__(self, message: str, offset: int | None = None, *, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.offset = offset


class IllTyped(StepFailure):
    """Parsed, but the shapes do not fit."""

    verdict = "ill-typed"


class Undecided(StepFailure):
    """A limit was reached (time, size, exponent): the verdict is ``unknown``."""

    verdict = "unknown"
