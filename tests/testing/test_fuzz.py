"""``derivlab fuzz``: the report's contract, shrunk and replayable counterexamples, and ok only
when everything passed."""

import json
import subprocess
import sys

import pytest

from derivlab.errors import InputError
from derivlab.testing import fuzz
from derivlab.testing.fuzz import property_seed, run_fuzz, run_property
from derivlab.testing.properties import Property
from derivlab.testing.strategies import regression_problems

CHEAP = "dropout.identity/exact-enumeration"


def _false_property(name="false"):
    """'Every p(1 - p) penalty is at most 1/8': false as soon as |X w| is large enough."""
    def check(problem):
        penalty = problem.keep_probability * (1 - problem.keep_probability) * sum(
            (problem.X[:, j] ** 2).sum() * problem.w[j] ** 2 for j in range(problem.d))
        return None if penalty <= 1 else f"penalty {penalty} > 1"

    return Property(name, "test", "a false statement", lambda: regression_problems(max_n=1, max_d=2), check)


def test_a_selected_property_run_is_ok_and_follows_the_contract():
    report = run_fuzz(examples=5, seed=0, only=[CHEAP], mutants=False)
    data = report.to_json()
    assert report.ok and report.exit_code == 0
    assert set(data) >= {"ok", "properties", "mutants", "false_alarms", "replay"}
    (prop,) = data["properties"]
    assert {"name", "examples", "status", "counterexample"} <= set(prop)
    assert prop["status"] == "passed" and prop["counterexample"] is None and prop["examples"] >= 1
    json.dumps(data)  # plain JSON types only


def test_a_falsified_property_is_reported_shrunk_with_its_reason():
    result = run_property(_false_property(), 50, seed=0)
    assert result.status == "falsified"
    ex = result.counterexample
    assert ex["n"] == 1 and ex["p"] == "1/2" and set(ex["y"]) == {"0"}  # shrunk: one row, p = 1/2, y = 0
    assert sum(x != "0" for x in ex["X"][0]) == 1  # one column carries the whole penalty
    assert result.reason == "penalty 9/4 > 1"  # the smallest integer penalty above 1: X = 3, w = 1


def test_the_same_seed_replays_the_same_counterexample():
    first = run_property(_false_property(), 50, seed=7)
    again = run_property(_false_property(), 50, seed=7)
    assert first.counterexample == again.counterexample and first.seed == again.seed == property_seed(7, "false")


def test_property_seeds_differ_between_properties_and_runs():
    assert len({property_seed(0, "a"), property_seed(0, "b"), property_seed(1, "a")}) == 3


def test_report_is_not_ok_when_a_property_is_falsified(monkeypatch):
    props = {"false": _false_property()}
    monkeypatch.setattr(fuzz, "all_properties", lambda: props)
    report = run_fuzz(examples=20, only=["false"], mutants=False)
    assert not report.ok and report.exit_code == 1
    assert report.to_json()["properties"][0]["status"] == "falsified"


def _report(mutants=(), controls=(), alarms=()):
    props = (fuzz.PropertyResult("p", "test", "", 1, "passed", None, "", 0.0, 0),)
    return fuzz.FuzzReport(0, 1, props, tuple(mutants), tuple(controls), tuple(alarms), {}, {}, 0.0, ("p",))


def test_report_is_not_ok_when_a_mutant_survives_either_check():
    from derivlab.testing.mutants import MutantResult

    killed = MutantResult("c", "m", "", False, True, True, 0.0, 0.0)
    assert _report([killed]).ok
    for sym, num in ((False, True), (True, False)):
        survivor = MutantResult("c", "m", "", False, sym, num, 0.0, 0.0)
        assert not _report([killed, survivor]).ok


def test_report_is_not_ok_when_a_control_is_rejected_or_a_false_alarm_fires():
    from derivlab.testing.mutants import FalseAlarms, MutantResult

    rejected = MutantResult("c", "stated", "", True, False, True, 0.0, 0.0)
    assert not _report(controls=[rejected]).ok
    assert _report(alarms=[FalseAlarms("c", 200, 0, "mc", True, 1e-6)]).ok
    assert not _report(alarms=[FalseAlarms("c", 200, 1, "mc", True, 1e-6)]).ok


def test_a_claim_without_properties_is_not_covered(monkeypatch):
    props = fuzz.all_properties()
    kept = {n: p for n, p in props.items() if not n.startswith("attention.first/")}
    monkeypatch.setattr(fuzz, "all_properties", lambda: kept)
    report = fuzz.FuzzReport(0, 1, (), (), (), (), fuzz._coverage([], []), {}, 0.0)
    assert "attention.first" in report.uncovered and not report.ok


def test_unknown_property_and_zero_examples_are_input_errors():
    with pytest.raises(InputError):
        run_fuzz(examples=1, only=["no/such-property"], mutants=False)
    with pytest.raises(InputError):
        run_fuzz(examples=0)


def test_cli_rejects_zero_examples_with_one_line():
    proc = subprocess.run([sys.executable, "-m", "derivlab", "fuzz", "--examples", "0", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_cli_fuzz_runs_everything_and_exits_0():
    proc = subprocess.run([sys.executable, "-m", "derivlab", "fuzz", "--examples", "2", "--json"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["ok"] and not data["missing"]
    assert all(p["status"] == "passed" for p in data["properties"])
    assert len(data["mutants"]) >= 15
    assert all(m["killed_symbolic"] and m["killed_numeric"] for m in data["mutants"])
    assert all(v["seeds"] == 200 and v["rejections"] == 0 for v in data["false_alarms"].values())
    assert all(c["covered"] for c in data["coverage"].values())


def test_human_output_shows_bracketed_text_verbatim(monkeypatch):
    from rich.console import Console

    props = {"false": _false_property()}
    monkeypatch.setattr(fuzz, "all_properties", lambda: props)
    report = run_fuzz(examples=20, only=["false"], mutants=False)
    console = Console(record=True, width=300)
    report.render(console)
    text = console.export_text()
    assert "FALSIFIED" in text and '"X": [["' in text  # rich markup did not swallow the brackets
