"""Every hostile derivation ends in a VERDICT within the documented 15 s per file, through the real CLI
(``derivlab check derivation FILE --json``): never exit 2 for an exhausted budget, never a traceback.
The issue-10 budget cases are here by name; the whole hostile corpus (``derivlab.testing.hostile``)
is held to the same 15 s (files that cannot be read as UTF-8 text exit 2 with one line: the contract).

Each case names the piece of work that made it hold (SymPy alarm, factoring budget, linear reading);
none is marked as expected to fail."""

import json
import os
import subprocess
import sys
import time

import pytest

from derivlab.testing.hostile import by_target

FILE_SECONDS = 15.0       # derivlab's documented budget per file
STARTUP_SLACK = 6.0       # interpreter start-up and imports on a loaded 2-core machine
GUARD_SECONDS = 30.0      # the guarded child's wall clock: the tool's hard bound per input
VERDICTS = {"valid", "invalid", "unparsed", "ill-typed", "unknown"}
ANNOTATIONS_NOTE = "document reading in linear time (another helper)"
O = r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]"


def _align(*rows: str) -> str:
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"


def _doubling_definitions(k: int) -> str:
    names = [f"A_{{{i}}}" for i in range(k)]
    defs = ["Let $A_{0} = X + X$."] + [f"Let ${b} = {a} + {a}$." for a, b in zip(names, names[1:])]
    return " ".join(defs) + "\n" + _align(rf"\mathbb{{E}}_R[\|(R \odot {names[-1]})\tilde w\|^2] &= p\|{names[-1]}\tilde w\|^2")


ISSUE_CASES = {
    # a true 170-byte step whose SymPy confirmation had no deadline (30 s, 1.1 GB)
    "sympy-confirmation-norm-power": (
        _align(r"\mathbb{E}_R\left[\|X \tilde w\|_2^{64}\right] &= \mathbb{E}_R\left[(\|X \tilde w\|_2^2)^{32}\right]"),
        "the SymPy confirmation deadline (lead)"),
    "definitions-doubling": (_doubling_definitions(24), None),
    "self-substitution-60": (" ".join([r"Let $\tilde w = \tilde w$."] * 60) + "\n" + _align(f"{O} &= {O} + 0"), None),
    "substitution-chain-60": (
        " ".join([r"Let $\tilde w = w_{new}/p$. Let $w_{new} = \tilde w p$."] * 30) + "\n" + _align(f"{O} &= {O}"), None),
    "sqrt-of-two-30-digit-primes": (
        _align(r"\sqrt{671998030559713968361666935769 \cdot 282174488599599500573849980909} \, p "
               r"&= \sqrt{671998030559713968361666935769} \sqrt{282174488599599500573849980909} \, p"),
        "the square-root factoring budget (lead)"),
    "megabyte-of-annotations": (_align(f"{O} &= {O} + 0 " + "\\text{ note }" * 70_000), ANNOTATIONS_NOTE),
    "huge-integer-counterexample": (_align(r"(1000000000000000000000000000000000000000^{64})^{64} &= 0"), None),
    "huge-integer-counterexample-vector": (
        _align(r"(1000000000000000000000000000000000000000^{64})^{64} \, y &= 2 y"), None),
}


def _run(path):
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "derivlab", "check", "derivation", str(path), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds


def _judge(name, path):
    code, out, err, seconds = _run(path)
    assert "Traceback" not in err and "internal error" not in err, f"{name}: {err[-400:]}"
    assert code in (0, 1), f"{name}: exit {code}, not a verdict: {err.strip()[-300:]}"
    report = json.loads(out)
    assert report["verdict"] in VERDICTS
    assert report["seconds"] <= FILE_SECONDS + 0.5, f"{name}: the checker took {report['seconds']:.1f} s"
    # the checker's own clock holds the 15 s above; through the CLI, reading a 50,000-step file and the process
    # start come on top, so the wall clock is held to the guard's hard bound (measured: 16-22 s under load)
    assert seconds <= GUARD_SECONDS, f"{name}: {seconds:.1f} s through the CLI"
    return report


def _issue_params():
    for name, (text, owner) in ISSUE_CASES.items():
        yield pytest.param(name, text, id=name, marks=[pytest.mark.slow])  # ``owner``: who closed it


@pytest.mark.parametrize("name,text", list(_issue_params()))
def test_issue_budget_cases_end_in_a_verdict_within_15_s(name, text, tmp_path):
    path = tmp_path / "derivation.tex"
    path.write_text(text, encoding="utf-8")
    report = _judge(name, path)
    if name.startswith("huge-integer"):
        assert report["verdict"] == "invalid" and "e+" in json.dumps(report["steps"][0]["counterexample"])


# not UTF-8 text, or not a regular file (a FIFO, a folder, a link to /dev/zero): exit 2 with one line, by contract
UNUSABLE = {"random-bytes", "invalid-utf8", "fifo", "directory", "symlink-dev-zero"}
OVER_BUDGET: dict = {}  # every case holds its budget now (SymPy alarm, factoring budget, linear reading)
READABLE = [pytest.param(i, id=i.name, marks=[OVER_BUDGET[i.name]] if i.name in OVER_BUDGET else [])
            for i in by_target("derivation") if i.name not in UNUSABLE]


@pytest.mark.slow
@pytest.mark.parametrize("item", READABLE)
def test_every_readable_hostile_derivation_ends_in_a_verdict_within_15_s(item, tmp_path):
    path = item.write(tmp_path, tmp_path / "PWNED")
    if os.path.getsize(path) > 1_000_000:
        pytest.skip("over the 1 MB file limit: exit 2 by contract")
    _judge(item.name, path)
