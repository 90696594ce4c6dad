"""The entry-wise corpus (tests/checking/corpus_entrywise): realistic write-ups in seven styles,
half correct, half with one realistic mistake each. The ground truth comes from
``entrywise_oracle`` (exact enumeration of every mask, every free index value, no derivlab code);
``expected.json`` records it and the checker must agree on every file."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from entrywise_oracle import step_holds, tex, truth  # noqa: E402
from entrywise_writeups import WRITEUPS  # noqa: E402

from derivlab.checking.derivation import check_derivation_text  # noqa: E402

CORPUS = Path(__file__).parent / "corpus_entrywise"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())
BY_NAME = {w.name: w for w in WRITEUPS}


@pytest.fixture(scope="module")
def reports():
    return {name: check_derivation_text((CORPUS / f"{name}.tex").read_text(), file=name) for name in EXPECTED}


def test_corpus_size_styles_and_balance():
    assert len(WRITEUPS) >= 30
    assert len({w.style for w in WRITEUPS}) >= 6
    correct = sum(1 for e in EXPECTED.values() if e["verdict"] == "valid")
    assert correct >= 15 and len(EXPECTED) - correct >= 15


def test_files_on_disk_are_the_write_ups():
    assert {p.stem for p in CORPUS.glob("*.tex")} == set(BY_NAME)
    for w in WRITEUPS:
        assert (CORPUS / f"{w.name}.tex").read_text() == tex(w), w.name


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_oracle_decides_the_expected_truth(name):
    assert truth(BY_NAME[name]) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_a_wrong_write_up_has_exactly_one_wrong_step(name):
    w = BY_NAME[name]
    wrong = [k for k, (a, b) in enumerate(w.steps(), start=1) if not step_holds(a, b, seed=k)]
    assert len(wrong) == (0 if EXPECTED[name]["verdict"] == "valid" else 1)


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_checker_judges_the_file_as_the_oracle(reports, name):
    expected, report = EXPECTED[name], reports[name]
    got = {"verdict": report.verdict, "first_bad_step": report.first_bad_step, "steps": len(report.steps)}
    assert got == expected, [(s.index, s.verdict, s.message) for s in report.steps if s.verdict != "valid"]


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_no_wrong_step_is_accepted(reports, name):
    for k, (a, b) in enumerate(BY_NAME[name].steps(), start=1):
        if not step_holds(a, b, seed=k):
            assert report_step(reports[name], k).verdict != "valid"


def report_step(report, k):
    return next(s for s in report.steps if s.index == k)


def test_at_least_95_percent_of_steps_are_parsed(reports):
    verdicts = Counter(s.verdict for r in reports.values() for s in r.steps)
    total = sum(verdicts.values())
    assert verdicts["unparsed"] <= 0.05 * total, verdicts


@pytest.mark.slow
def test_every_file_checks_through_the_cli_with_the_checkers_own_time_well_under_1_5_seconds():
    """Through the real CLI; the checker's own time (its JSON ``seconds``, without the interpreter's start) is
    bounded with a wide margin (about 0.3 s idle). The 1.5 s wall-clock goal is measured side by side in
    ``derivlab bench --only checker-entrywise`` (timings are noisy on a shared machine)."""
    env = dict(os.environ)
    worst = 0.0
    for name in sorted(BY_NAME)[::4]:  # a quarter of the files (the machine is shared); bench covers the rest
        done = subprocess.run([sys.executable, "-m", "derivlab", "check", "derivation", str(CORPUS / f"{name}.tex"),
                               "--json"], env=env, capture_output=True, check=False, timeout=60, text=True)
        assert done.returncode in (0, 1), done.stderr[-300:]
        worst = max(worst, json.loads(done.stdout)["seconds"])
    assert worst < 1.5, worst
