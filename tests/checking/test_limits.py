"""Hostile input: the process guard, size and depth caps, exponent caps."""

import time

import pytest

from derivlab.checking.derivation import check_derivation_file, check_derivation_text
from derivlab.checking.limits import run_limited
from derivlab.errors import InputError


def _sleep(seconds):
    time.sleep(seconds)
    return "woke"


def _allocate(megabytes):
    return len(bytearray(megabytes * 2**20))


def _refuse():
    raise InputError("nope")


def test_run_limited_returns_the_result():
    assert run_limited(sum, [1, 2, 3], seconds=10, memory_mb=256) == 6


def test_run_limited_stops_a_runaway_in_time():
    t0 = time.monotonic()
    with pytest.raises(InputError, match="time limit of 0.5 s exceeded"):
        run_limited(_sleep, 30, seconds=0.5, memory_mb=256)
    assert time.monotonic() - t0 < 5


def test_run_limited_caps_memory():
    with pytest.raises(InputError, match="memory limit of 64 MB exceeded"):
        run_limited(_allocate, 1024, seconds=20, memory_mb=64)


def test_run_limited_passes_input_errors_through():
    with pytest.raises(InputError, match="nope"):
        run_limited(_refuse, seconds=10, memory_mb=128)


def test_hundred_thousand_nested_braces_give_a_verdict_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.tex"
    path.write_text(r"\[ p = " + "{" * 100_000 + "p" + "}" * 100_000 + r" \]")
    report = check_derivation_file(path)
    assert report.verdict in ("unparsed", "unknown") and report.exit_code == 1


def test_deeply_nested_but_short_input_is_unparsed():
    report = check_derivation_text(r"\[ p = " + "(" * 150 + "p" + ")" * 150 + r" \]")
    assert report.verdict == "unparsed" and "nested deeper" in report.steps[0].message


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.tex"
    path.write_text("%" * 1_100_000)
    with pytest.raises(InputError, match="limit is 1000000 bytes"):
        check_derivation_file(path)


def test_undecodable_and_missing_files_are_input_errors(tmp_path):
    path = tmp_path / "bin.tex"
    path.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(InputError, match="not UTF-8"):
        check_derivation_file(path)
    with pytest.raises(InputError, match="no such file"):
        check_derivation_file(tmp_path / "missing.tex")


def test_towers_of_exponents_are_unknown_quickly():
    t0 = time.monotonic()
    report = check_derivation_text(r"\[ 10^{10^{10}} = 2^{64^{64}} \]  \[ (p^{60})^{60} = p \]")
    assert [s.verdict for s in report.steps] == ["unknown", "unknown"]
    assert time.monotonic() - t0 < 5
