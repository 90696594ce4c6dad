"""The batch around the grading: which entries of the class folder are submissions, where each one's
results go, the lock on the output folder, ``--resume``, and workers that die with their parent.

* **Layout.** ``class/S/`` is a submission (a folder, or a loose ``S.tex`` at the top: its derivation);
  hidden entries, the output folder and anything else are named as not graded, with the reason.
  ``class/`` itself is ONE submission when it holds the expected files (``derivlab grade class/alice``).
* **Output folders.** ``out/S`` for submission S, except names the batch uses itself (``summary.csv``,
  the lock): those get ``out/S.submission``; names that differ only in case stay apart.
* **Lock.** ``out/.derivlab-grade.lock`` is held (``flock``) for the whole run; a second run into the
  same folder exits 2 with a one-line reason. The kernel drops it when the holder dies (kill -9).
* **Resume.** A submission is complete when its results.json (written last, atomically) validates and
  carries derivlab's record (``extra_data.derivlab``); ``--resume`` keeps those and grades the rest.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from derivlab.errors import InputError

SUMMARY_FILE = "summary.csv"
LOCK_FILE = ".derivlab-grade.lock"
RESERVED = {SUMMARY_FILE, LOCK_FILE}


@dataclass
class Layout:
    """The submissions found in a class folder and what was skipped (path, reason)."""

    folders: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def batch_layout(submissions: Path, out: Path | None = None) -> Layout:
    """Sort the entries of ``submissions`` into submissions and named skips (see the module)."""
    from derivlab.reports.submission_files import is_single_submission, loose_derivation

    if not submissions.is_dir():
        raise InputError(f"{submissions} is not a folder of submissions")
    layout = Layout()
    if is_single_submission(submissions):
        layout.folders.append(submissions)
        return layout
    skip = out.resolve() if out is not None else None
    try:
        entries = sorted(submissions.iterdir())
    except OSError as exc:
        raise InputError(f"cannot list {submissions}: {exc.strerror or exc}") from None
    folder_names = {e.name for e in entries if _is_folder(e)}
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            if entry.resolve() == skip:
                continue
        except (OSError, RuntimeError):
            pass
        if _is_folder(entry) or entry.is_symlink() or loose_derivation(entry) and entry.stem not in folder_names:
            layout.folders.append(entry)
        else:
            layout.skipped.append((str(entry), _why_not(entry)))
    return layout


def _is_folder(entry: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(entry).st_mode)
    except OSError:
        return False


def _why_not(entry: Path) -> str:
    if entry.suffix.lower() == ".ipynb":
        return ("a notebook is not graded: save the weights from it as weights_<task>.json "
                "(see the README) and put them in a folder per student")
    if entry.suffix.lower() == ".tex":
        return f"a folder {entry.stem}/ exists too; put the derivation inside it as derivation.tex"
    try:
        mode = os.lstat(entry).st_mode
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return "not a regular file or folder"
    return "a loose file at the top level: a submission is a folder (class/NAME/derivation.tex, weights_*.json)"


def output_folders(folders: list[Path], out: Path) -> list[tuple[Path, Path]]:
    """(submission, its output folder): ``out/NAME``, reserved names moved aside, never two the same."""
    used: set[str] = set()
    pairs = []
    for folder in folders:
        name = folder.stem if folder.is_file() and not folder.is_symlink() else folder.name
        target = name if name not in RESERVED else f"{name}.submission"
        while target.casefold() in used:
            target += "_"
        used.add(target.casefold())
        pairs.append((folder, out / target))
    return pairs


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock for the block; InputError (exit 2) when another run holds it."""
    path = out / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(f"cannot lock the output folder {out}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise InputError(f"another derivlab grade (pid {holder}) is writing into {out}; wait for it "
                             f"to finish or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def remove_stale_temporaries(out: Path) -> int:
    """Remove half-written ``.NAME.XXXX.tmp`` files a killed run left in ``out`` (its own files only)."""
    removed = 0
    for folder in [out, *(p for p in out.iterdir() if _is_folder(p))]:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)
                    removed += 1
    return removed


def completed_outcome(target: Path):
    """The outcome recorded in ``target/results.json`` when that submission is complete, else None."""
    from derivlab.reports.gradescope import validate_results
    from derivlab.reports.submission import SubmissionOutcome

    path = target / "results.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        validate_results(data)
        record = data["extra_data"]["derivlab"]
        feedback = record.get("feedback") or ""
        if feedback and not Path(feedback).exists():
            return None
        return SubmissionOutcome.from_results(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None

