"""Compile a .tex file to PDF with a real TeX engine, safely and under a time limit.

latexmk -pdf (or pdflatex, run twice) with -halt-on-error, -interaction=nonstopmode
and -no-shell-escape, in the file's own folder, with kpathsea's paranoid file
access (``openin_any=p``, ``openout_any=p``: no absolute paths, no parent
folders, no dot files) and ``shell_escape=f``. The command is a list, never a
shell string. On failure the error is one message holding the TeX log's "!"
lines and their context.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from derivlab.errors import VerificationFailure

INSTALL_HINT = (
    "install a TeX engine to get the PDF: apt-get install texlive-latex-base "
    "texlive-latex-recommended texlive-latex-extra latexmk (or run `make report` as root)"
)

_AUX_SUFFIXES = (".aux", ".out", ".toc", ".fls", ".fdb_latexmk", ".synctex.gz", ".lof", ".lot")


@dataclass(frozen=True)
class CompiledPdf:
    """A PDF produced by ``compile_pdf``: where it is, its page count, the engine and time."""

    pdf: Path
    pages: int | None
    engine: str
    seconds: float


def tex_engine() -> str | None:
    """"latexmk" when latexmk and pdflatex are installed, "pdflatex" when only it is, else None."""
    if shutil.which("pdflatex") is None:
        return None
    return "latexmk" if shutil.which("latexmk") else "pdflatex"


def paranoid_env() -> dict[str, str]:
    """The environment TeX runs in: paranoid reads and writes, no shell escape."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXMF", "TEXINPUTS", "openin", "openout"))}
    env.update(openin_any="p", openout_any="p", shell_escape="f", shell_escape_commands="")
    return env


def compile_pdf(
    tex_file: Path, *, timeout: float = 180.0, engine: str | None = None, passes: int = 2, clean: bool = True
) -> CompiledPdf:
    """Compile ``tex_file`` to a PDF beside it; raise VerificationFailure with the log's errors.

    ``engine`` is "latexmk" (runs as often as needed) or "pdflatex" (``passes``
    runs; 1 is enough without cross-references), default the best one installed.
    Raises VerificationFailure (with the install hint) when no engine exists.
    """
    engine = engine or tex_engine()
    if engine is None:
        raise VerificationFailure(f"no TeX engine found; {INSTALL_HINT}")
    tex_file = Path(tex_file).resolve()
    folder, name = tex_file.parent, tex_file.name
    common = ["-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", "-file-line-error"]
    if engine == "latexmk":
        commands = [["latexmk", "-pdf", "-norc", "-silent", *common, name]]
    else:
        commands = [["pdflatex", *common, name]] * max(1, passes)
    t0 = time.perf_counter()
    log = tex_file.with_suffix(".log")
    for cmd in commands:
        returncode = _run(cmd, folder, timeout - (time.perf_counter() - t0))
        if returncode is None:
            raise VerificationFailure(f"TeX timed out after {timeout:.0f} s compiling {name}{_log_errors(log)}")
        if returncode != 0:
            raise VerificationFailure(f"TeX failed on {name}:{_log_errors(log) or ' (no log written)'}")
    pdf = tex_file.with_suffix(".pdf")
    if not pdf.exists():
        raise VerificationFailure(f"TeX wrote no PDF for {name}{_log_errors(log)}")
    pages = page_count(pdf, log)
    if clean:
        for suffix in _AUX_SUFFIXES:
            tex_file.with_suffix(suffix).unlink(missing_ok=True)
    return CompiledPdf(pdf, pages, engine, time.perf_counter() - t0)


def _run(cmd: list[str], cwd: Path, timeout: float) -> int | None:
    """Run ``cmd`` in its own process group; kill the whole group on timeout (returns None)."""
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=paranoid_env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        return proc.wait(timeout=max(timeout, 1.0))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return None


def _log_errors(log: Path, context_lines: int = 3, max_errors: int = 5) -> str:
    """The log's "!" lines (and file:line: errors) with a few lines of context, as one string."""
    if not log.exists():
        return ""
    lines = log.read_text(errors="replace").splitlines()
    picked: list[str] = []
    errors = 0
    for i, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^[^:\s]+\.tex:\d+: ", line):
            errors += 1
            if errors > max_errors:
                break
            picked.append(line)
            for follow in lines[i + 1 : i + 1 + context_lines]:
                if not follow.strip() or follow.startswith("Here is how much"):
                    break
                picked.append(follow)
    return (" " + " | ".join(s.strip() for s in picked if s.strip())) if picked else ""


def page_count(pdf: Path, log: Path | None = None) -> int | None:
    """Pages of ``pdf``: from TeX's "Output written on ... (N pages" log line, else the PDF's page tree."""
    if log is not None and log.exists():
        m = re.search(r"Output written on .*?\((\d+) pages?", log.read_text(errors="replace"), re.S)
        if m:
            return int(m.group(1))
    data = pdf.read_bytes()
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):  # object streams (PDF 1.5)
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    counts = []
    for chunk in chunks:
        for obj in re.findall(rb"<<(?:[^<>]|<<[^<>]*>>)*?/Type\s*/Pages\b(?:[^<>]|<<[^<>]*>>)*?>>", chunk):
            counts += [int(c) for c in re.findall(rb"/Count\s+(\d+)", obj)]
    return max(counts) if counts else None
