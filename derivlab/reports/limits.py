"""Run one piece of a submission's grading under a wall-clock and memory limit.

Uses ``derivlab.checking.limits.run_limited`` (the checker's subprocess guard)
when it exists, else a small fork-based guard of our own: the work runs in a
forked child with an address-space limit (RLIMIT_AS, ``memory_mb`` above what
the child already maps) and is killed when ``seconds`` pass. Either way the
caller gets the function's value or an InputError with a one-line reason.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import traceback
from typing import Any, Callable

from derivlab.errors import DerivlabError, InputError


def run_limited(fn: Callable[..., Any], *args: Any, seconds: float, memory_mb: int, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a subprocess; InputError when time or memory runs out.

    ``fn`` must be a module-level function and its value picklable (plain JSON is best).
    """
    try:
        from derivlab.checking.limits import run_limited as checker_run_limited
    except ImportError:
        return _fork_limited(fn, *args, seconds=seconds, memory_mb=memory_mb, **kwargs)
    try:
        return checker_run_limited(fn, *args, seconds=seconds, memory_mb=memory_mb, **kwargs)
    except DerivlabError:
        raise
    except Exception as exc:  # the child's own exception, re-raised by the guard: one line, not a traceback
        raise InputError(f"internal error {type(exc).__name__}: {exc}") from None


def _fork_limited(fn: Callable[..., Any], *args: Any, seconds: float, memory_mb: int, **kwargs: Any) -> Any:
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, memory_mb, fn, args, kwargs), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise InputError(f"time limit of {seconds:g} s exceeded")
        try:
            kind, payload = receiver.recv()
        except EOFError:
            raise InputError(f"the check died (memory limit of {memory_mb} MB exceeded or a crash)") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "ok":
        return payload
    if kind == "input-error":
        raise InputError(payload)
    if kind == "memory":
        raise InputError(f"memory limit of {memory_mb} MB exceeded")
    raise InputError(payload)


def _child(sender: Any, memory_mb: int, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        limit = _mapped_bytes() + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result = ("ok", fn(*args, **kwargs))
    except MemoryError:
        result = ("memory", "")
    except DerivlabError as exc:
        result = ("input-error", str(exc))
    except Exception as exc:  # reported to the parent as a one-line reason, never raised there
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {os.path.basename(last[0].filename)}:{last[0].lineno}" if last else ""
        result = ("error", f"internal error {type(exc).__name__}: {exc}{where}")
    try:
        sender.send(result)
    except Exception as exc:  # e.g. an unpicklable value
        sender.send(("error", f"could not return the result: {type(exc).__name__}: {exc}"))
    finally:
        sender.close()


def _mapped_bytes() -> int:
    """The current address-space size of this process (VmSize), in bytes."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
