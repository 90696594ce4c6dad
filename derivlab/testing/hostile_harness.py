"""Run hostile inputs (``derivlab.testing.hostile``) through the REAL command line and judge
what happened: a verdict or a clean exit-2 reason within the time limit derivlab enforces
itself (30 s), no traceback, nothing executed (no sentinel file), nothing written outside
the output folder.

    >>> from pathlib import Path
    >>> from derivlab.testing.hostile import corpus
    >>> from derivlab.testing.hostile_harness import run_check
    >>> outcome = run_check(corpus()["exponent-tower"], Path("/tmp/hostile-demo"))   # doctest: +SKIP
    >>> outcome.ok, outcome.seconds                                                  # doctest: +SKIP
    (True, 1.9)

The subprocess timeout (``backstop``) is only a safety net far above the limit: a run that
reaches it is reported as a hang, i.e. derivlab's own limit failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from derivlab.testing.hostile import HostileInput

LIMIT_SECONDS = 30.0   # what derivlab promises per input
SLACK_SECONDS = 10.0   # interpreter start-up and teardown on a loaded machine
BACKSTOP_SECONDS = 120.0


@dataclass(frozen=True)
class HostileOutcome:
    """What one CLI run did with one hostile input; ``problems`` empty means it was handled."""

    name: str
    command: tuple[str, ...]
    returncode: int | None
    seconds: float
    verdict: str | None
    stderr: str
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"name": self.name, "command": list(self.command), "returncode": self.returncode,
                "seconds": round(self.seconds, 3), "verdict": self.verdict, "stderr": self.stderr[-500:],
                "problems": list(self.problems)}


@dataclass
class Workspace:
    """A sandbox: ``inputs/`` (hostile files), ``out/`` (the only place derivlab may write),
    ``cwd/`` (the working directory), ``tmp/`` (TMPDIR), ``home/`` (HOME, not watched: TeX caches)
    and the ``sentinel`` path an executed payload would create."""

    root: Path

    def __post_init__(self) -> None:
        for sub in ("inputs", "out", "cwd", "tmp", "home", "trap"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def sentinel(self) -> Path:
        return self.root / "trap" / "PWNED"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"HOME": str(self.root / "home"), "TMPDIR": str(self.root / "tmp"), "OMP_NUM_THREADS": "1"})
        env.pop("DERIVLAB_DEBUG", None)
        return env

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Every path under the root except out/ and home/: (size, mtime_ns) of files and links, (-1, -1)
        for directories (a temporary file created and removed inside one is not a write left behind)."""
        seen: dict[str, tuple[int, int]] = {}
        skip = {self.out, self.root / "home"}
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            here = Path(dirpath)
            dirnames[:] = [d for d in dirnames if here / d not in skip]
            for name in dirnames:
                seen[str(here / name)] = (-1, -1)
            for name in filenames:
                st = os.lstat(here / name)
                seen[str(here / name)] = (st.st_size, st.st_mtime_ns)
        return seen

    def executed(self) -> list[str]:
        """Files named like the sentinel anywhere under the root (a relative ``touch PWNED`` lands in
        whatever directory the payload ran in)."""
        return sorted(str(p) for p in self.root.rglob(self.sentinel.name + "*") if p.parent != self.inputs)


def run_cli(args: Sequence[str], ws: Workspace, backstop: float = BACKSTOP_SECONDS
            ) -> tuple[subprocess.CompletedProcess | None, float]:
    """``python -m derivlab ARGS`` in the workspace; (process or None when the backstop fired, seconds)."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "derivlab", *args], cwd=ws.root / "cwd", env=ws.env(),
                              capture_output=True, text=True, errors="replace", timeout=backstop,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - t0
    return proc, time.perf_counter() - t0


def leak_markers(path: Path) -> list[str]:
    """Lines of the file a symlink points to (e.g. /etc/passwd): none may appear in any output."""
    if not path.is_symlink():
        return []
    target = Path(os.path.realpath(path))
    try:
        if not target.is_file():
            return []
        with open(target, "rb") as fh:
            text = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return []
    return [ln.strip() for ln in text.splitlines() if len(ln.strip()) >= 12][:20]


def leaked(texts: Iterable[str], markers: Sequence[str]) -> list[str]:
    return [m for m in markers if any(m in t for t in texts)]


def judge_run(name: str, args: Sequence[str], ws: Workspace, before: dict, proc: subprocess.CompletedProcess | None,
              seconds: float, limit: float = LIMIT_SECONDS, markers: Sequence[str] = ()) -> HostileOutcome:
    """The problems of one run: hang, slowness, traceback, unclean exit, execution, stray writes,
    contents of a symlinked file (``markers``) echoed in the output."""
    problems: list[str] = []
    verdict = None
    stderr = "" if proc is None else proc.stderr
    if proc is None:
        problems.append(f"hung: killed by the backstop after {seconds:.0f} s (derivlab's own limit did not fire)")
    else:
        if seconds > limit + SLACK_SECONDS:
            problems.append(f"took {seconds:.1f} s, over the {limit:g} s limit")
        if "Traceback" in stderr:
            problems.append("a traceback reached stderr")
        if proc.returncode not in (0, 1, 2):
            problems.append(f"exit code {proc.returncode} (expected 0, 1 or 2)")
        if proc.returncode == 2:
            lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
            if len(lines) != 1 or not lines[0].startswith("derivlab: "):
                problems.append(f"exit 2 without a one-line reason: {stderr[-300:]!r}")
        elif proc.returncode in (0, 1) and "--json" in args:
            try:
                data = json.loads(proc.stdout)
                verdict = data.get("verdict") if isinstance(data, dict) else None
            except json.JSONDecodeError:
                problems.append(f"exit {proc.returncode} without JSON on stdout: {proc.stdout[:200]!r}")
        if "internal error" in stderr:
            problems.append(f"internal error: {stderr.strip()[-300:]}")
    if proc is not None and leaked([proc.stdout, proc.stderr], markers):
        problems.append(f"echoed the symlinked file's contents: {leaked([proc.stdout, proc.stderr], markers)[:1]}")
    if ws.executed():
        problems.append(f"payload EXECUTED: {ws.executed()} exists")
    after = ws.snapshot()
    stray = sorted(p for p in after if p not in before or after[p] != before[p])
    if stray:
        problems.append(f"wrote outside the output folder: {stray[:5]}")
    return HostileOutcome(name, tuple(args), None if proc is None else proc.returncode, seconds, verdict,
                          stderr, tuple(problems))


def check_args(item: HostileInput, path: Path, task: str = "identity") -> list[str]:
    if item.target == "derivation":
        return ["check", "derivation", str(path), "--json"]
    return ["check", "weights", str(path), "--task", task, "--json"]


def run_check(item: HostileInput, root: Path, *, backstop: float = BACKSTOP_SECONDS) -> HostileOutcome:
    """Write ``item`` into a fresh workspace under ``root`` and run the matching ``check`` command."""
    ws = Workspace(root / item.name)
    path = item.write(ws.inputs, ws.sentinel)
    args = check_args(item, path)
    before = ws.snapshot()
    proc, seconds = run_cli(args, ws, backstop)
    return judge_run(item.name, args, ws, before, proc, seconds, markers=leak_markers(path))


def write_submissions(items: Iterable[HostileInput], ws: Workspace) -> Path:
    """A grading folder ``inputs/class``: one submission per item, plus hostile submission names
    and layouts (a shell-injection name, a symlink to /etc, a plain file, an empty folder)."""
    folder = ws.inputs / "class"
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        item.write(folder / item.name, ws.sentinel)
    for name in (f"$(touch {ws.sentinel.name})", f"x; touch {ws.sentinel.name}; #", f"`touch {ws.sentinel.name}`"):
        (folder / name).mkdir()
        (folder / name / "derivation.tex").write_text("\\[ p = p \\]\n")
    (folder / "symlink-to-etc").symlink_to("/etc")
    (folder / "plain-file").write_text("not a folder\n")
    (folder / "empty").mkdir()
    return folder


def run_grade(items: Iterable[HostileInput], root: Path, *, jobs: int = 1, backstop: float = 600.0
              ) -> tuple[HostileOutcome, Workspace, Path]:
    """Grade every item as its own submission in ONE batch; judge the batch run as a whole."""
    ws = Workspace(root)
    folder = write_submissions(items, ws)
    args = ["grade", str(folder), "--out", str(ws.out), "--jobs", str(jobs), "--json"]
    before = ws.snapshot()
    proc, seconds = run_cli(args, ws, backstop)
    outcome = judge_run("grade", args, ws, before, proc, seconds, limit=backstop)
    return outcome, ws, folder
