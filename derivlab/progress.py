"""Progress on long work, switched on by the CLI (human output) and off for
``--json``, tests and library use. Any layer may call ``track``/``stage``.

    >>> from derivlab.progress import track
    >>> for seed in track(range(8), "training seeds"):
    ...     pass

What is shown depends on where stderr goes:

* a terminal: one live line (Rich) per long piece of work; a ``track`` or
  ``stage`` inside another one updates that line instead of drawing its own;
* a file or pipe: plain lines: one when the work starts, ``description: i/n
  (k%, t s)`` at each 10 % (at most one a second) and after 5 s without a
  line (a ``stage`` says it is still running; nested work shows in these
  lines), and a last line with the time taken; never a blank line;
* disabled (``--json``, library use): nothing.

Only the process that called ``enable`` draws: worker processes forked by a
batch (grading, sandboxed checks) inherit the setting but stay silent, so
their progress never interleaves with the batch's.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, TypeVar

T = TypeVar("T")

PLAIN_EVERY_SECONDS = 5.0
PLAIN_EVERY_FRACTION = 0.1
PLAIN_MIN_SECONDS = 1.0  # no two lines closer than this, except the first and the last
# work shorter than this prints nothing when stderr is not a terminal (a one-line error stays one line)
PLAIN_START_SECONDS = float(os.environ.get("DERIVLAB_PROGRESS_DELAY", "2"))

_console: Any = None
_owner: int | None = None
_line: "_Line | None" = None  # the progress line of the outermost piece of work


def enable(console: Any) -> None:
    """Show progress on ``console`` (a rich Console, normally stderr) from this process only."""
    global _console, _owner
    _console, _owner = console, os.getpid()


def disable() -> None:
    global _console, _owner
    _console, _owner = None, None


def enabled() -> bool:
    """True in the process that enabled progress (never in its forked workers)."""
    return _console is not None and os.getpid() == _owner


def track(iterable: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate, showing ``description`` and the count done (when enabled)."""
    if not enabled():
        yield from iterable
        return
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    with _work(description, total) as line:
        for done, item in enumerate(iterable, 1):
            yield item
            line.advance(done)


@contextmanager
def stage(description: str) -> Iterator[None]:
    """Show ``description`` while the block runs (when enabled)."""
    if not enabled():
        yield
        return
    with _work(description, None):
        yield


@contextmanager
def _work(description: str, total: int | None) -> Iterator["_Line"]:
    global _line
    if _line is not None:  # nested: the outer line shows this part
        with _line.part(description, total):
            yield _line
        return
    line = _RichLine(_console) if getattr(_console, "is_terminal", False) else _PlainLine(_console.file)
    _line = line
    try:
        with line.part(description, total):
            yield line
    finally:
        line.close()
        _line = None


class _Line:
    """One progress line; ``part`` pushes a (description, total) onto it."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, int | None]] = []

    @contextmanager
    def part(self, description: str, total: int | None) -> Iterator[None]:
        self.parts.append((description, total))
        self.started(description, total)
        try:
            yield
        finally:
            self.parts.pop()
            self.finished(description)

    def label(self) -> str:
        return ": ".join(d for d, _ in self.parts)

    def total(self) -> int | None:
        return self.parts[-1][1] if self.parts else None

    def started(self, description: str, total: int | None) -> None: ...

    def advance(self, done: int) -> None: ...

    def finished(self, description: str) -> None: ...

    def close(self) -> None: ...


class _RichLine(_Line):
    def __init__(self, console: Any) -> None:
        super().__init__()
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
        self.task = self.progress.add_task("", total=None)
        self.live = False

    def _show(self, completed: int = 0) -> None:
        self.progress.update(self.task, description=self.label(), total=self.total(), completed=completed)
        if not self.live:  # the first frame already carries the description
            self.progress.start()
            self.live = True

    def started(self, description: str, total: int | None) -> None:
        self._show()

    def advance(self, done: int) -> None:
        self._show(done)

    def finished(self, description: str) -> None:
        self._show()

    def close(self) -> None:
        if self.live:
            self.progress.stop()


class _PlainLine(_Line):
    def __init__(self, stream: Any) -> None:
        super().__init__()
        self.stream = stream
        self.lock = threading.Lock()
        self.last = time.monotonic()
        self.starts: list[float] = []
        self.spoken = False
        self.opening = ""
        self.fractions: list[float] = []  # the next fraction to report, one per part
        self.stop = threading.Event()
        self.beat = threading.Thread(target=self._heartbeat, daemon=True)
        self.beat.start()

    def _say(self, text: str) -> None:
        with self.lock:
            self.stream.write(text.rstrip() + "\n")
            self.stream.flush()
            self.last = time.monotonic()

    def started(self, description: str, total: int | None) -> None:
        self.starts.append(time.monotonic())
        self.fractions.append(PLAIN_EVERY_FRACTION)
        if len(self.parts) == 1:  # said only once the work outlasts PLAIN_START_SECONDS (quick commands stay quiet)
            self.spoken = False
            self.opening = f"{self.label()}" + (f": 0/{total}" if total else " ...")
            self._open()

    def _open(self) -> None:
        try:
            late = time.monotonic() - self.starts[0] >= PLAIN_START_SECONDS
        except IndexError:  # the heartbeat thread raced the end of the work
            return
        if late and not self.spoken:
            self.spoken = True
            self._say(self.opening)

    def advance(self, done: int) -> None:
        self._open()
        if not self.spoken:
            return
        total = self.total()
        now = time.monotonic()
        quiet = now - self.last
        crossed = bool(total) and done / total >= self.fractions[-1] - 1e-12
        if total:
            while self.fractions[-1] <= done / total + 1e-12:
                self.fractions[-1] += PLAIN_EVERY_FRACTION
        due = quiet >= PLAIN_EVERY_SECONDS or (crossed and len(self.parts) == 1 and quiet >= PLAIN_MIN_SECONDS)
        if not due or (total and done >= total):
            return
        if total:
            self._say(f"{self.label()}: {done}/{total} ({100 * done // total}%, {now - self.starts[0]:.0f} s)")
        else:
            self._say(f"{self.label()}: {done} done ({now - self.starts[0]:.0f} s)")

    def finished(self, description: str) -> None:
        seconds = time.monotonic() - self.starts.pop()
        self.fractions.pop()
        if not self.parts and self.spoken:
            self._say(f"{description}: done in {seconds:.1f} s")

    def _heartbeat(self) -> None:
        while not self.stop.wait(0.5):
            self._open()
            if self.spoken and self.starts and time.monotonic() - self.last >= PLAIN_EVERY_SECONDS:
                self._say(f"{self.label()}: still running ({time.monotonic() - self.starts[0]:.0f} s)")

    def close(self) -> None:
        self.stop.set()
