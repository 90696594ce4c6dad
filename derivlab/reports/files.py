"""Files a grading run writes: atomically (temp file + ``os.replace``), with names of any bytes.

    >>> printable_name(b"caf\\xe9".decode("utf-8", "surrogateescape"))
    'caf\\\\xe9'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any


def printable_name(name: str) -> str:
    """A file name as text that any UTF-8 writer accepts: undecodable bytes shown as ``\\xNN``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def printable(value: Any) -> Any:
    """``value`` (JSON-like) with every string made printable (``printable_name``)."""
    if isinstance(value, str):
        return printable_name(value) if _has_surrogates(value) else value
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [printable(v) for v in value]
    return value


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
