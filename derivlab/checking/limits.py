"""Bounds on hostile input: file size, nesting, exponents, time per step (``Deadline``), and
the reusable guard ``run_limited`` (defined in ``derivlab.sandbox``, shared with grading, and
re-exported here) that runs a function in a child process under a memory cap (RLIMIT_AS) and
a wall-clock timeout.

Exhausting a per-step limit makes that step ``unknown`` (``Undecided``); the
guard turns a runaway child into ``InputError`` with a one-line reason.

    >>> from derivlab.checking.limits import run_limited
    >>> run_limited(sum, [1, 2, 3], seconds=5, memory_mb=256)
    6
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from fractions import Fraction

from derivlab.checking.failures import Undecided
from derivlab.sandbox import LimitExceeded, run_limited

__all__ = ["AlarmExpired", "AlarmUnavailable", "Deadline", "LimitExceeded", "alarm", "check_exponent", "check_number",
           "run_limited"]

MAX_FILE_BYTES = 1_000_000        # a .tex file larger than this is refused (exit 2)
MAX_NESTING = 100                 # braces/brackets/parentheses/norms nested deeper: unparsed
MAX_EXPRESSION_CHARS = 6_000      # one side of one step
MAX_TREE_DEPTH = 300              # typed expression tree
MAX_EXPONENT = 64                 # |k| in x^k; 10^{10^{10}} is refused, never evaluated
MAX_NUMBER_DIGITS = 40            # literal numbers and folded exponents
MAX_DEGREE = 256                  # total degree of one side (polynomial blow-up)
MAX_TERMS = 200_000               # terms of one exact value
MAX_MASK_ENUMERATION = 12         # at most 2**12 masks enumerated for a non-polynomial integrand
STEP_SECONDS = 4.0                # time budget of one step
TOTAL_SECONDS = 15.0              # time budget of one file, reading included (later steps become unknown)
GUARD_SECONDS = 30.0              # wall clock of the guarded child process: the tool's bound per input
GUARD_MEMORY_MB = 2048            # address space the guarded child may add


class Deadline:
    """A point in time after which ``check()`` raises ``Undecided``."""

    def __init__(self, seconds: float, what: str = "this step"):
        self.seconds = seconds
        self.what = what
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise Undecided(f"time limit of {self.seconds:g} s for {self.what} exceeded")


def check_exponent(exponent: Fraction) -> None:
    """Refuse exponents beyond ``MAX_EXPONENT`` before anything is evaluated."""
    if abs(exponent) > MAX_EXPONENT:
        raise Undecided(f"the exponent {_short(exponent)} exceeds the limit of {MAX_EXPONENT}")
    if exponent.denominator not in (1, 2):
        raise Undecided(f"the exponent {exponent} is not an integer or a half-integer")


def check_number(value: Fraction) -> None:
    """Refuse numbers with more than ``MAX_NUMBER_DIGITS`` digits."""
    if value.numerator.bit_length() > 3.33 * MAX_NUMBER_DIGITS or value.denominator.bit_length() > 3.33 * MAX_NUMBER_DIGITS:
        raise Undecided(f"a number in this step has more than {MAX_NUMBER_DIGITS} digits")


def _short(value: Fraction) -> str:
    text = str(value)
    return text if len(text) <= 20 else text[:8] + "…"


# ---- the process guard -------------------------------------------------------------


class AlarmExpired(BaseException):
    """Raised inside the code run under ``alarm`` when its seconds are up (a BaseException, so that library
    code catching ``Exception`` cannot swallow it)."""


class AlarmUnavailable(Exception):
    """``alarm`` needs the main thread of the process (POSIX signals)."""


@contextlib.contextmanager
def alarm(seconds: float):
    """Interrupt the enclosed code (e.g. a SymPy expansion) after ``seconds`` of wall clock (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        raise AlarmUnavailable("alarms need the main thread")

    def expire(_signum, _frame):
        raise AlarmExpired(f"{seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
