"""The sandbox every untrusted input runs in, for the checker and for grading alike: a function
in a forked child process under a memory cap (RLIMIT_AS) and a wall clock (``run_limited``),
the grader's variant that turns any failure of the child into one line (``run_guarded``), and
one time budget shared by several such runs (``SubmissionClock``).

    >>> run_limited(sum, [1, 2, 3], seconds=5, memory_mb=256)
    6

``derivlab.checking.limits`` re-exports ``run_limited`` (its import path stays) and holds the
checker's own bounds and its ``Deadline``.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import Any, Callable

from derivlab.errors import DerivlabError, InputError


class LimitExceeded(InputError):
    """The guard stopped the work (time, memory, recursion): for a checker, a verdict ``unknown``."""


def die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies (so a killed run leaves no worker behind)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request was made
        os._exit(1)


def _address_space_bytes() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict, memory_mb: int) -> None:
    import resource

    die_with_parent()
    try:
        limit = _address_space_bytes() + memory_mb * 2**20
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        message: tuple[str, Any] = ("ok", fn(*args, **kwargs))
    except MemoryError:
        message = ("memory", None)
    except RecursionError:
        message = ("recursion", None)
    except BaseException as exc:  # reported to the parent, which re-raises it
        message = ("error", exc)
    try:
        conn.send(message)
    except Exception as exc:  # unpicklable result or exception
        conn.send(("error", RuntimeError(f"result could not be sent back: {type(exc).__name__}: {exc}")))
    conn.close()


def run_limited(fn: Callable[..., Any], *args: Any, seconds: float, memory_mb: int, **kwargs: Any) -> Any:
    """Run ``fn(*args, **kwargs)`` in a child process and return its (picklable) result.

    The child gets RLIMIT_AS = its inherited address space + ``memory_mb`` MB and
    ``seconds`` of wall clock. Raises InputError("time limit of 30 s exceeded"),
    InputError("memory limit of 512 MB exceeded") or InputError for runaway recursion;
    a DerivlabError raised by ``fn`` is re-raised as is.
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, fn, args, kwargs, memory_mb), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise LimitExceeded(f"time limit of {seconds:g} s exceeded")
        try:
            status, payload = receiver.recv()
        except (EOFError, OSError):
            raise LimitExceeded(f"memory limit of {memory_mb} MB exceeded (the checker process died)") from None
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status == "ok":
        return payload
    if status == "memory":
        raise LimitExceeded(f"memory limit of {memory_mb} MB exceeded")
    if status == "recursion":
        raise LimitExceeded("input nested too deeply (recursion limit reached)")
    if isinstance(payload, DerivlabError):
        raise payload
    raise payload


def run_guarded(fn: Callable[..., Any], *args: Any, seconds: float, memory_mb: int, **kwargs: Any) -> Any:
    """``run_limited``, but the child's own exception also becomes an InputError with one line
    (never a traceback): what grading needs. ``fn`` must be module-level, its value picklable."""
    try:
        return run_limited(fn, *args, seconds=seconds, memory_mb=memory_mb, **kwargs)
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
