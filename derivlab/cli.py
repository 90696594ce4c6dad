"""derivlab's command line: parse arguments, call a service, print (human or --json).

Exit codes: 0 success, 1 the thing checked is wrong, 2 the input could not be used.
The contract is ../shared/spec/interfaces.md; everything here is callable from Python.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from derivlab.errors import DerivlabError, InputError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"derivlab: {message} (see --help)\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derivlab", description="Derive, verify, report and grade the homework's mathematics.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("verify", help="derive every claim symbolically and confirm it numerically")
    p.add_argument("--json", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quick", action="store_true", help="fewer samples and steps (for tests)")
    p.add_argument("--claim", action="append", default=[], metavar="ID", help="claim id or glob (repeatable)")

    check = sub.add_parser("check", help="check a student's derivation or hand-coded weights")
    check_sub = check.add_subparsers(dest="what", required=True, parser_class=_Parser)
    d = check_sub.add_parser("derivation", help="check a LaTeX derivation step by step")
    d.add_argument("file")
    d.add_argument("--context", default="dropout", help="built-in context name or a CONTEXT.toml file")
    d.add_argument("--json", action="store_true")
    d.add_argument("--seed", type=int, default=0)
    w = check_sub.add_parser("weights", help="check hand-coded weights on every input of a task")
    w.add_argument("file")
    w.add_argument("--task", required=True, choices=["identity", "first", "unique"])
    w.add_argument("--json", action="store_true")

    c = sub.add_parser("compare", help="train learned models and compare them with the hand-coded design")
    c.add_argument("--task", required=True, choices=["identity", "first", "unique"])
    c.add_argument("--seeds", type=int, default=4)
    c.add_argument("--seed", type=int, default=0, help="first seed")
    c.add_argument("--steps", type=int, default=None, help="training steps (default: the notebook's 10,001)")
    c.add_argument("--json", action="store_true")
    c.add_argument("--out", default=None, help="folder for figures")

    r = sub.add_parser("report", help="write the LaTeX solution report and compile the PDF")
    r.add_argument("--out", default="reports")
    r.add_argument("--no-pdf", action="store_true")
    r.add_argument("--quick", action="store_true")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--json", action="store_true")

    g = sub.add_parser("grade", help="grade a folder of submissions (Gradescope results.json)")
    g.add_argument("submissions", nargs="?")
    g.add_argument("--out", default=None)
    g.add_argument("--jobs", type=int, default=None)
    g.add_argument("--gradescope", action="store_true", help="grade /autograder/submission inside Gradescope")
    g.add_argument("--autograder-zip", metavar="OUT.zip", default=None,
                   help="write the Gradescope autograder zip (setup.sh, run_autograder, derivlab) and exit")
    g.add_argument("--no-tex", action="store_true", help="with --autograder-zip: no TeX Live in setup.sh")
    g.add_argument("--json", action="store_true")

    f = sub.add_parser("fuzz", help="property-based runs over every claim, plus the mutant run")
    f.add_argument("--examples", type=int, default=100)
    f.add_argument("--seed", type=int, default=0)
    f.add_argument("--soundness-steps", type=int, default=None, metavar="N",
                   help="generated steps of the checker's soundness run (default 300; 0 skips it)")
    f.add_argument("--json", action="store_true")

    b = sub.add_parser("bench", help="side-by-side benchmarks (ratios against baselines)")
    b.add_argument("--json", action="store_true")
    b.add_argument("--only", action="append", default=[], metavar="NAME")
    b.add_argument("--quick", action="store_true", help="one repeat each")
    return parser


class _Written:
    """The result of a command whose only product is a file."""

    exit_code = 0

    def __init__(self, path: str, note: str):
        self.path, self.note = path, note

    def to_json(self) -> dict:
        return {"written": self.path, "note": self.note}

    def render(self, console: Any) -> None:
        console.print(f"wrote {self.path}: {self.note}")


def _run(args: argparse.Namespace) -> Any:
    """Call the service for ``args``; returns a result with to_json(), exit_code and render()."""
    if args.command == "verify":
        from derivlab.claims import verify_claims

        return verify_claims(args.claim or None, seed=args.seed, quick=args.quick)
    if args.command == "check" and args.what == "derivation":
        from derivlab.checking.derivation import check_derivation_file

        return check_derivation_file(Path(args.file), context=args.context, seed=args.seed)
    if args.command == "check" and args.what == "weights":
        from derivlab.checking.weights import check_weights_file

        return check_weights_file(Path(args.file), task=args.task)
    if args.command == "compare":
        from derivlab.transformers.comparison import compare_task

        if args.seeds < 1:
            raise InputError("--seeds must be at least 1")
        return compare_task(
            args.task, seeds=args.seeds, first_seed=args.seed, steps=args.steps,
            out_dir=Path(args.out) if args.out else None,
        )
    if args.command == "report":
        from derivlab.reports.build import build_report

        return build_report(Path(args.out), pdf=not args.no_pdf, quick=args.quick, seed=args.seed)
    if args.command == "grade":
        from derivlab.reports.grading import grade_folder, grade_gradescope

        if args.autograder_zip:
            from derivlab.reports.autograder_zip import build_autograder_zip

            path = build_autograder_zip(Path(args.autograder_zip), with_tex=not args.no_tex)
            return _Written(str(path), "upload it as the assignment's autograder on Gradescope")
        if args.gradescope:
            return grade_gradescope()
        if not args.submissions or not args.out:
            raise InputError("grade needs SUBMISSIONS and --out DIR (or --gradescope)")
        return grade_folder(Path(args.submissions), Path(args.out), jobs=args.jobs)
    if args.command == "fuzz":
        from derivlab.testing.fuzz import run_fuzz

        return run_fuzz(examples=args.examples, seed=args.seed, soundness_steps=args.soundness_steps)
    if args.command == "bench":
        from derivlab.bench import run_benchmarks

        return run_benchmarks(args.only or None, quick=args.quick)
    raise InputError(f"unknown command {args.command!r}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
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
    except KeyboardInterrupt:
        print("derivlab: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("DERIVLAB_DEBUG"):
            raise
        print(f"derivlab: internal error: {type(exc).__name__}: {exc} (DERIVLAB_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return 1
    if as_json:
        json.dump(result.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif hasattr(result, "render"):
        result.render(Console())
    else:
        print(json.dumps(result.to_json(), indent=2))
    return int(getattr(result, "exit_code", 0))


if __name__ == "__main__":
    sys.exit(main())
