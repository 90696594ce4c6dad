"""The command line's argument parser: one-line help with its default for every
option, one example at the end of every subcommand's help, and "did you mean"
for a mistyped command, subcommand, choice or option. Argparse's internal
names (``dest``) never appear in a message.
"""

from __future__ import annotations

import argparse
import difflib
from typing import Iterable, Sequence

TASKS = ("identity", "first", "unique")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keep the examples' line breaks; wider option column."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


class Parser(argparse.ArgumentParser):
    """One-line errors (exit 2) and suggestions for near-miss choices."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def _check_value(self, action: argparse.Action, value: object) -> None:
        if action.choices is None or value in action.choices:
            return
        choices = [str(c) for c in action.choices]
        if isinstance(action, argparse._SubParsersAction):
            what = "command" if self.prog == "derivlab" else "subcommand"
            message = f"unknown {what} {value!r}"
        else:
            message = f"{_name(action)}: {value!r} is not one of {', '.join(choices)}"
        raise argparse.ArgumentError(None, message + did_you_mean(str(value), choices)
                                     + ("" if not isinstance(action, argparse._SubParsersAction)
                                        else f" (choose from {', '.join(choices)})"))


def _name(action: argparse.Action) -> str:
    if action.option_strings:
        return "/".join(action.option_strings)
    return str(action.metavar or action.dest).upper()


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest candidate, or '' when none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _json(p: argparse.ArgumentParser, what: str = "the result") -> None:
    p.add_argument("--json", action="store_true",
                   help=f"print {what} as one JSON object on stdout, nothing on stderr (default: a table)")


def _example(*lines: str) -> str:
    return "example:\n" + "\n".join(f"  {line}" for line in lines)


def build_parser() -> Parser:
    parser = Parser(
        prog="derivlab",
        description="Derive, verify, report and grade the homework's mathematics.\n"
                    "Exit codes: 0 success, 1 the thing checked is wrong, 2 the input could not be used.",
        epilog=_example("derivlab check derivation answer.tex    # then: derivlab COMMAND --help"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("verify", help="derive every claim symbolically and confirm it numerically",
                       description="Derive every claim of the homework with SymPy and confirm it numerically.",
                       epilog=_example("derivlab verify --claim 'dropout.*' --quick"))
    _json(p, "every claim's status")
    p.add_argument("--seed", type=_whole, default=0, metavar="N",
                   help="random seed of the numeric confirmations (default: 0)")
    p.add_argument("--quick", action="store_true",
                   help="fewer samples and steps: fast, but weaker evidence (default: off)")
    p.add_argument("--claim", action="append", default=[], metavar="ID",
                   help="claim id or glob such as 'dropout.*', repeatable (default: every claim)")

    check = sub.add_parser("check", help="check a student's derivation or hand-coded weights",
                           description="Check a student's LaTeX derivation or hand-coded transformer weights.",
                           epilog=_example("derivlab check weights weights_first.json --task first"))
    check_sub = check.add_subparsers(dest="what", metavar="WHAT", parser_class=Parser)
    d = check_sub.add_parser("derivation", help="check a LaTeX derivation step by step",
                             description="Check a LaTeX derivation step by step; exit 0 only if every step is valid.",
                             epilog=_example("derivlab check derivation answer.tex --json"))
    d.add_argument("file", metavar="FILE", help="the student's .tex file")
    d.add_argument("--context", default="dropout", metavar="NAME|FILE.toml",
                   help="built-in context name or an instructor's CONTEXT.toml (default: dropout)")
    _json(d, "the verdict of every step")
    d.add_argument("--seed", type=_whole, default=0, metavar="N",
                   help="seed of the random evaluation points (default: 0)")
    w = check_sub.add_parser("weights", help="check hand-coded weights on every input of a task",
                             description="Check hand-coded weights (.json or .npz with Km, Qm, Vm, optional pos)\n"
                                         "on every input sequence of the task.",
                             epilog=_example("derivlab check weights weights_identity.json --task identity"))
    w.add_argument("file", metavar="FILE", help="the weights, .json (lists of rows) or .npz")
    w.add_argument("--task", required=True, choices=TASKS, metavar="TASK",
                   help="identity, first or unique (required, no default)")
    _json(w, "the verdict")

    c = sub.add_parser("compare", help="train learned models and compare them with the hand-coded design",
                       description="Train K learned models with the notebook's setup and measure each of the\n"
                                   "course's written claims against the hand-coded design.",
                       epilog=_example("derivlab compare --task first --seeds 2 --steps 2000 --out figures/"))
    c.add_argument("--task", required=True, choices=TASKS, metavar="TASK",
                   help="identity, first or unique (required, no default)")
    c.add_argument("--seeds", type=_positive, default=4, metavar="K", help="number of learned models (default: 4)")
    c.add_argument("--seed", type=_whole, default=0, metavar="N", help="first seed; seeds N..N+K-1 (default: 0)")
    c.add_argument("--steps", type=_positive, default=None, metavar="N",
                   help="training steps per model (default: the notebook's 10,001)")
    _json(c, "every claim's measurements")
    c.add_argument("--out", default=None, metavar="DIR", help="folder for the figures (default: no figures)")

    r = sub.add_parser("report", help="write the LaTeX solution report and compile the PDF",
                       description="Verify every claim and write DIR/solutions.tex and DIR/solutions.pdf.",
                       epilog=_example("derivlab report --quick --no-pdf --out /tmp/report"))
    r.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports)")
    r.add_argument("--no-pdf", action="store_true", help="write the .tex only (default: compile the PDF too)")
    r.add_argument("--quick", action="store_true",
                   help="fewer samples, seeds and steps: a draft, not evidence about the claims (default: off)")
    r.add_argument("--seed", type=_whole, default=0, metavar="N", help="random seed of every run (default: 0)")
    _json(r, "the claims and the files written")

    g = sub.add_parser("grade", help="grade a folder of submissions (Gradescope results.json)",
                       description="Grade SUBMISSIONS (one subfolder per student) into DIR: results.json and\n"
                                   "feedback per student, summary.csv for the class.",
                       epilog=_example("derivlab grade class/ --out graded/ --jobs 2"))
    g.add_argument("submissions", nargs="?", metavar="SUBMISSIONS",
                   help="folder with one subfolder per submission (not with --gradescope)")
    g.add_argument("--out", default=None, metavar="DIR", help="output folder (required unless --gradescope)")
    g.add_argument("--jobs", type=_positive, default=None, metavar="N",
                   help="submissions graded in parallel (default: every core)")
    g.add_argument("--gradescope", action="store_true",
                   help="grade /autograder/submission inside Gradescope's container (default: off)")
    g.add_argument("--autograder-root", default="/autograder", metavar="DIR",
                   help="with --gradescope: the autograder folder, DIR/submission -> DIR/results/results.json "
                        "(default: /autograder)")
    g.add_argument("--resume", action="store_true",
                   help="keep the submissions already complete in --out after an interrupted run and grade the "
                        "rest (default: off)")
    g.add_argument("--autograder-zip", metavar="OUT.zip", default=None,
                   help="write the Gradescope autograder zip and exit (default: off)")
    g.add_argument("--no-tex", action="store_true",
                   help="with --autograder-zip: no TeX Live in setup.sh (default: TeX Live installed)")
    _json(g, "every submission's score")

    f = sub.add_parser("fuzz", help="property-based runs over every claim, plus the mutant run",
                       description="Hypothesis runs over every claim, the mutant catalogue and the false-alarm runs.",
                       epilog=_example("derivlab fuzz --examples 20 --seed 7"))
    f.add_argument("--examples", type=_positive, default=100, metavar="N",
                   help="Hypothesis examples per property (default: 100)")
    f.add_argument("--seed", type=_whole, default=0, metavar="S", help="seed; the same S and N replay a run (default: 0)")
    _json(f, "properties and mutants")

    b = sub.add_parser("bench", help="side-by-side benchmarks (ratios against baselines)",
                       description="Benchmarks measured side by side against their baselines in one run.",
                       epilog=_example("derivlab bench --only checker-13-steps --quick"))
    _json(b, "every benchmark")
    b.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="run only this benchmark, repeatable (default: every benchmark)")
    b.add_argument("--quick", action="store_true", help="one repeat each (default: several, median)")
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def parse(parser: Parser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv``; a missing command or subcommand, or an unknown option, is a one-line exit 2."""
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        parser.error(f"missing command: one of {', '.join(_subparsers(parser))}")
    command = _subparsers(parser)[args.command]
    if args.command == "check" and getattr(args, "what", None) is None:
        command.error(f"say what to check: one of {', '.join(_subparsers(command))}")
    if args.command == "check":
        command = _subparsers(command)[args.what]
    if extra:
        options = [o for a in command._actions for o in a.option_strings]
        word = extra[0].split("=", 1)[0]
        if word.startswith("-"):
            command.error(f"unknown option {word!r}{did_you_mean(word, options)}")
        command.error(f"unexpected argument {word!r}")
    return args
