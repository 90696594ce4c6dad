"""Build the Gradescope autograder zip: ``python -m derivlab.reports.autograder_zip OUT.zip [--no-tex]``.

The zip holds, at its root (Gradescope's specification: files at the root, not
inside a folder): ``setup.sh`` (installs Python, the CPU torch and derivlab,
optionally TeX Live for feedback PDFs), ``run_autograder`` (runs ``derivlab
grade --gradescope``: /autograder/submission -> /autograder/results/results.json)
and derivlab's source (``pyproject.toml``, ``README.md``, the ``derivlab``
package), which Gradescope extracts to /autograder/source.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

import jinja2

from derivlab.reports.points import DEFAULT_SCHEME

HERE = Path(__file__).with_name("autograder")
PACKAGE = Path(__file__).resolve().parents[1]
SOURCE_ROOT = PACKAGE.parent
_SKIP_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}


def _render(name: str, **context: object) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE)), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False)
    return env.get_template(name).render(**context)


def torch_requirement(pyproject: Path = SOURCE_ROOT / "pyproject.toml") -> str:
    """derivlab's torch pin (e.g. ``torch==2.13.0``) from pyproject.toml, or plain ``torch``."""
    if pyproject.exists():
        m = re.search(r'"(torch\s*[=<>!~][^"]*)"', pyproject.read_text(encoding="utf-8"))
        if m:
            return m.group(1).replace(" ", "")
    return "torch"


def autograder_files(with_tex: bool = True) -> dict[str, str]:
    """The two scripts Gradescope needs, rendered: {"setup.sh": ..., "run_autograder": ...}."""
    return {
        "setup.sh": _render("setup.sh.j2", with_tex=with_tex, torch_requirement=torch_requirement()),
        "run_autograder": _render("run_autograder.j2", max_score=DEFAULT_SCHEME.total),
    }


def _source_files() -> list[tuple[Path, str]]:
    files = [(p, p.relative_to(SOURCE_ROOT).as_posix()) for p in sorted(PACKAGE.rglob("*"))
             if p.is_file() and not (_SKIP_PARTS & set(p.parts)) and p.suffix not in _SKIP_SUFFIXES]
    for extra in ("pyproject.toml", "README.md", "constraints.txt"):
        if (SOURCE_ROOT / extra).exists():
            files.append((SOURCE_ROOT / extra, extra))
    return files


def build_autograder_zip(out: Path, *, with_tex: bool = True) -> Path:
    """Write the autograder zip to ``out`` and return it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in autograder_files(with_tex).items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16  # executable scripts
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
        for path, arcname in _source_files():
            archive.write(path, arcname)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m derivlab.reports.autograder_zip",
                                     description="Build the Gradescope autograder zip for derivlab grade --gradescope.")
    parser.add_argument("out", help="the zip to write, e.g. autograder.zip")
    parser.add_argument("--no-tex", action="store_true", help="skip TeX Live in setup.sh (feedback as .tex only)")
    args = parser.parse_args(argv)
    path = build_autograder_zip(Path(args.out), with_tex=not args.no_tex)
    with zipfile.ZipFile(path) as archive:
        count = len(archive.namelist())
    print(f"wrote {path} ({count} files): upload it as the assignment's autograder on Gradescope")
    return 0


if __name__ == "__main__":
    sys.exit(main())
