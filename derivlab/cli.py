"""derivlab's command line: parse arguments, call a service, print (human or --json).

Exit codes: 0 success, 1 the thing checked is wrong, 2 the input could not be used.
The contract is docs/spec/interfaces.md; everything here is callable from Python.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from derivlab.cli_parser import build_parser, parse
from derivlab.errors import DerivlabError, InputError


class _Written:
    """The result of a command whose only product is a file."""

    exit_code = 0

    def __init__(self, path: str, note: str):
        self.path, self.note = path, note

    def to_json(self) -> dict:
        return {"written": self.path, "note": self.note}

    def render(self, console: Any) -> None:
        console.print(f"wrote {self.path}: {self.note}")


def _writable_dir(path: Path, option: str = "--out") -> None:
    """Refuse an output folder that cannot be created or written, with the reason (exit 2)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot create the folder ({exc.strerror or exc})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise InputError(f"{option} {path}: the folder is not writable")


def _run(args: argparse.Namespace) -> Any:
    """Call the service for ``args``; returns a result with to_json(), exit_code and render()."""
    if args.command == "verify":
        from derivlab.claims import verify_claims

        return verify_claims(args.claim or None, seed=args.seed, quick=args.quick)
    if args.command == "check" and args.what == "derivation":
        from derivlab.checking.derivation import check_derivation_file

        from derivlab.progress import stage

        with stage(f"checking {Path(args.file).name}"):  # the check itself runs in a silent child process
            return check_derivation_file(Path(args.file), context=args.context, seed=args.seed)
    if args.command == "check" and args.what == "weights":
        from derivlab.checking.weights import check_weights_file

        return check_weights_file(Path(args.file), task=args.task)
    if args.command == "compare":
        from derivlab.transformers.comparison import compare_task

        if args.out:
            _writable_dir(Path(args.out))
        return compare_task(
            args.task, seeds=args.seeds, first_seed=args.seed, steps=args.steps,
            out_dir=Path(args.out) if args.out else None,
        )
    if args.command == "report":
        from derivlab.reports.build import build_report

        _writable_dir(Path(args.out))
        return build_report(Path(args.out), pdf=not args.no_pdf, quick=args.quick, seed=args.seed)
    if args.command == "grade":
        from derivlab.reports.grading import grade_folder, grade_gradescope

        if args.autograder_zip:
            from derivlab.reports.autograder_zip import build_autograder_zip

            path = build_autograder_zip(Path(args.autograder_zip), with_tex=not args.no_tex)
            return _Written(str(path), "upload it as the assignment's autograder on Gradescope")
        if args.gradescope:
            root = Path(args.autograder_root)
            return grade_gradescope(root / "submission", root / "results")
        if not args.submissions or not args.out:
            raise InputError("grade needs SUBMISSIONS and --out DIR (or --gradescope); see derivlab grade --help")
        _writable_dir(Path(args.out))
        return grade_folder(Path(args.submissions), Path(args.out), jobs=args.jobs, resume=args.resume)
    if args.command == "fuzz":
        from derivlab.testing.fuzz import run_fuzz

        return run_fuzz(examples=args.examples, seed=args.seed)
    if args.command == "bench":
        from derivlab.bench import run_benchmarks

        return run_benchmarks(args.only or None, quick=args.quick)
    raise InputError(f"unknown command {args.command!r}")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse(build_parser(), argv)
    except SystemExit as stop:  # --help (0) or a bad argument (2, its line already printed)
        return int(stop.code or 0)
    from rich.console import Console

    err = Console(stderr=True)
    as_json = getattr(args, "json", False)
    if not as_json:
        from derivlab import progress

        progress.enable(err)
    try:
        result = _run(args)
    except DerivlabError as exc:
        print(f"derivlab: {exc}", file=sys.stderr)
        return exc.exit_code
    except (PermissionError, FileNotFoundError, NotADirectoryError, IsADirectoryError, FileExistsError) as exc:
        if os.environ.get("DERIVLAB_DEBUG"):
            raise
        print(f"derivlab: cannot use {exc.filename or 'a file'}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("derivlab: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("DERIVLAB_DEBUG"):
            raise
        print(f"derivlab: internal error: {type(exc).__name__}: {exc} (DERIVLAB_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return 1
    try:
        _print(result, as_json)
    except BrokenPipeError:  # `derivlab ... | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return int(getattr(result, "exit_code", 0))


def _print(result: Any, as_json: bool) -> None:
    from rich.console import Console

    if as_json:
        json.dump(result.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    elif hasattr(result, "render"):
        result.render(Console())
    else:
        print(json.dumps(result.to_json(), indent=2))


if __name__ == "__main__":
    sys.exit(main())
