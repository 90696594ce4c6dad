"""The command line's contract: exit codes and one-line errors, never a traceback."""

import subprocess
import sys


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "derivlab", *args], capture_output=True, text=True, timeout=300)


def test_unknown_claim_exits_2_with_one_line():
    proc = _run("verify", "--claim", "no.such.claim")
    assert proc.returncode == 2
    assert "unknown claim" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_bad_option_exits_2():
    proc = _run("verify", "--no-such-option")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_bench_unknown_name_exits_2():
    proc = _run("bench", "--only", "no-such-benchmark")
    assert proc.returncode == 2
    assert "unknown benchmark" in proc.stderr
