"""The help a newcomer reads: every option explained with its default, one example per
subcommand (and the example parses), "did you mean" for typos, no argparse internals."""

import argparse
import shlex
import subprocess
import sys

import pytest

from derivlab.cli_parser import build_parser, parse


def _leaves(parser, path=("derivlab",)):
    """(path, parser) for every subcommand that does work (check's children, not check)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, child in subs[0].choices.items():
        yield from _leaves(child, (*path, name))


LEAVES = list(_leaves(build_parser()))


def test_every_command_is_covered():
    names = {" ".join(path[1:]) for path, _ in LEAVES}
    assert names == {"verify", "check derivation", "check weights", "compare", "report", "grade", "fuzz", "bench"}


@pytest.mark.parametrize("path,parser", LEAVES, ids=[" ".join(p[1:]) for p, _ in LEAVES])
def test_every_option_has_one_line_help_with_its_default(path, parser):
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{' '.join(path)} {action.option_strings or action.dest} has no help"
        assert "\n" not in action.help
        if action.option_strings:
            assert "default" in action.help or "required" in action.help, action.help
        assert action.metavar or action.option_strings == [] or action.nargs == 0, action


@pytest.mark.parametrize("path,parser", LEAVES, ids=[" ".join(p[1:]) for p, _ in LEAVES])
def test_every_subcommand_help_ends_with_an_example_that_parses(path, parser):
    text = parser.format_help().rstrip()
    head, _, example = text.rpartition("example:\n")
    assert head and example.count("\n") == 0, text
    argv = shlex.split(example.split("#")[0])
    assert argv[: len(path)] == list(path)
    args = parse(build_parser(), argv[1:])
    assert args.command == path[1]


@pytest.mark.parametrize("argv,expected", [
    (["chek"], "unknown command 'chek'; did you mean 'check'?"),
    (["check", "derivaton", "x.tex"], "unknown subcommand 'derivaton'; did you mean 'derivation'?"),
    (["check", "weights", "w.json", "--task", "frist"], "'frist' is not one of identity, first, unique; "
                                                         "did you mean 'first'?"),
    (["verify", "--seeed", "3"], "unknown option '--seeed'; did you mean '--seed'?"),
    (["check"], "say what to check: one of derivation, weights"),
    ([], "missing command"),
    (["grade", "--jobs", "0"], "--jobs: must be at least 1"),
])
def test_typos_get_one_line_with_a_suggestion_and_exit_2(argv, expected, capsys):
    with pytest.raises(SystemExit) as stop:
        parse(build_parser(), argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    for internal in ("argument what", "argument command", "dest", "Traceback"):
        assert internal not in err


def test_main_help_lists_every_command_and_exit_codes():
    text = build_parser().format_help()
    for name in ("verify", "check", "compare", "report", "grade", "fuzz", "bench", "Exit codes"):
        assert name in text


def test_an_unusable_out_folder_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = subprocess.run([sys.executable, "-m", "derivlab", "report", "--no-pdf", "--quick",
                           "--out", str(blocker / "report")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "--out" in proc.stderr and "internal error" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_reader_that_leaves_early_gets_no_traceback():
    script = (
        "import sys\n"
        "from derivlab import cli\n"
        "class Big:\n"
        "    exit_code = 0\n"
        "    def to_json(self):\n"
        "        return {'rows': ['x' * 100] * 20000}\n"
        "cli._run = lambda args: Big()\n"
        "sys.exit(cli.main(['bench', '--json']))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()  # like `derivlab ... --json | head -c 10`
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err
