"""Which files of a submission are graded, accepting the usual variations of names and layouts.

* the files may sit in the submission folder or in ONE folder below it (``alice/hw/``), whatever else
  is beside it (a README.txt, a .DS_Store, __MACOSX);
* ``derivation.tex`` in any case (``Derivation.tex``), else the only ``.tex`` file of the folder;
  a loose ``NAME.tex`` at the top of the class folder is NAME's derivation;
* ``weights_identity.json`` in any case, with ``-`` or a space for ``_``, or ``.npz``.

Everything else is named as not graded, with the reason (notebooks: how to export the weights).

    >>> normal_name("Weights-Identity.JSON")
    'weights_identity.json'
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

TASKS = ("identity", "first", "unique")
DERIVATION_FILE = "derivation.tex"
WEIGHTS_FILES = {f"weights_{t}.{ext}": t for t in TASKS for ext in ("json", "npz")}
IGNORED = {".ds_store", "thumbs.db", "__macosx", "desktop.ini"}
MAX_DEPTH = 3


@dataclass
class SubmissionFiles:
    """The files to grade (None/absent: not submitted) and the named rest."""

    root: Path
    derivation: Path | None = None
    weights: dict[str, Path] = field(default_factory=dict)
    not_graded: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return self.derivation is not None or bool(self.weights)


def normal_name(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def is_expected(name: str) -> bool:
    """A name derivlab grades (in one of its accepted spellings)."""
    normal = normal_name(name)
    return normal == DERIVATION_FILE or normal in WEIGHTS_FILES


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(e for e in folder.iterdir() if e.name.lower() not in IGNORED and not e.name.startswith("."))
    except OSError:
        return []


def _kind(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "missing"
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "link" if stat.S_ISLNK(mode) else "special"


def _holds_work(folder: Path) -> bool:
    return any(is_expected(e.name) or e.suffix.lower() == ".tex" for e in _entries(folder))


def find_root(folder: Path, depth: int = 0) -> Path:
    """``folder``, or the one folder below it (up to ``MAX_DEPTH`` levels) that holds the work."""
    if _holds_work(folder) or depth >= MAX_DEPTH:
        return folder
    below = [e for e in _entries(folder) if _kind(e) == "dir"]
    candidates = [found for found in (find_root(d, depth + 1) for d in below) if _holds_work(found)]
    return candidates[0] if len(candidates) == 1 else folder


def is_single_submission(folder: Path) -> bool:
    """``folder`` is one student's work (it holds derivation.tex or weights files itself)."""
    return any(is_expected(e.name) for e in _entries(folder))


def loose_derivation(entry: Path) -> bool:
    """A ``NAME.tex`` regular file (the derivation of a submission NAME)."""
    return entry.suffix.lower() == ".tex" and _kind(entry) == "file"


def find_files(submission: Path) -> SubmissionFiles:
    """The files of ``submission`` (a folder, or a loose .tex file) to grade, and the rest named."""
    if _kind(submission) == "file":
        return SubmissionFiles(submission.parent, derivation=submission,
                               notes=[f"{submission.name} (a file at the top of the class folder) graded as "
                                      f"the derivation; no weights files"])
    root = find_root(submission)
    found = SubmissionFiles(root)
    if root != submission:
        found.notes.append(f"graded the files in {root.relative_to(submission)}/")
    entries = _entries(root)
    exact = {e.name: e for e in entries}
    by_normal: dict[str, list[Path]] = {}
    for e in entries:
        by_normal.setdefault(normal_name(e.name), []).append(e)
    # exact spelling first (a derivation.tex that is a link or a folder is still THE derivation: its reason
    # is given when it is graded), then a variation
    derivation = exact.get(DERIVATION_FILE) or next(iter(by_normal.get(DERIVATION_FILE, [])), None)
    tex = [e for e in entries if e.suffix.lower() == ".tex" and _kind(e) == "file"]
    if derivation is None and len(tex) == 1:
        derivation = tex[0]
        found.notes.append(f"{tex[0].name} graded as derivation.tex (the only .tex file)")
    elif derivation is not None and derivation.name != DERIVATION_FILE:
        found.notes.append(f"{derivation.name} graded as derivation.tex")
    found.derivation = derivation
    for name, task in WEIGHTS_FILES.items():
        if task in found.weights:
            continue
        match = exact.get(name) or next(iter(by_normal.get(name, [])), None)
        if match is not None:
            found.weights[task] = match
            if match.name != name:
                found.notes.append(f"{match.name} graded as {name}")
    used = {found.derivation, *found.weights.values()}
    for e in entries:
        if e in used:
            continue
        if e.suffix.lower() == ".ipynb":
            found.not_graded.append(f"{e.name}: a notebook is not read; save its weights as weights_<task>.json "
                                    f"(a cell that does this is in the README)")
        elif e.suffix.lower() == ".tex":
            found.not_graded.append(f"{e.name}: only one derivation is graded (name it derivation.tex)")
        elif normal_name(e.name) in WEIGHTS_FILES:
            found.not_graded.append(f"{e.name}: another spelling of a weights file already graded")
        else:
            found.not_graded.append(f"{e.name}: not a file derivlab grades")
    return found
