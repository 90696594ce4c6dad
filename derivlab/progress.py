"""Progress bars on long work, switched on by the CLI (human output) and off
for ``--json``, tests and library use. Any layer may call ``track``/``stage``.

    >>> from derivlab.progress import track
    >>> for seed in track(range(8), "training seeds"):
    ...     pass
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterable, Iterator, TypeVar

T = TypeVar("T")

_console: Any = None


def enable(console: Any) -> None:
    """Show progress on ``console`` (a rich Console, normally stderr)."""
    global _console
    _console = console


def enabled() -> bool:
    return _console is not None


def track(iterable: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate with a rich progress bar when enabled, silently otherwise."""
    if _console is None:
        yield from iterable
        return
    from rich.progress import track as rich_track

    yield from rich_track(iterable, description=description, total=total, console=_console, transient=True)


@contextmanager
def stage(description: str) -> Iterator[None]:
    """A spinner with ``description`` while the block runs (when enabled)."""
    if _console is None:
        yield
        return
    with _console.status(description):
        yield
