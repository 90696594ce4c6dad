"""Run one piece of a submission's grading under a wall-clock and memory limit.

The guard is the checker's (``derivlab.checking.limits.run_limited``: a forked child with
an address-space limit, killed when ``seconds`` pass). The caller gets the function's value
or an InputError with a one-line reason, never the child's traceback.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from derivlab.checking.limits import run_limited as _checker_run_limited
from derivlab.checking.limits import LimitExceeded
from derivlab.errors import DerivlabError, InputError


def run_limited(fn: Callable[..., Any], *args: Any, seconds: float, memory_mb: int, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a subprocess; InputError when time or memory runs out.

    ``fn`` must be a module-level function and its value picklable (plain JSON is best).
    """
    try:
        return _checker_run_limited(fn, *args, seconds=seconds, memory_mb=memory_mb, **kwargs)
    except DerivlabError:
        raise
    except Exception as exc:  # the child's own exception, re-raised by the guard: one line, not a traceback
        raise InputError(f"internal error {type(exc).__name__}: {exc}") from None


class SubmissionClock:
    """One time budget for a whole submission: every check gets what is left of it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; InputError once the submission's budget is spent."""
        left = self._end - time.monotonic()
        if left <= 0.05:
            raise LimitExceeded(f"time limit of {self.seconds:g} s for this submission exceeded")
        return left
