"""Progress works anywhere: a live line in a terminal, plain periodic lines in a pipe,
nothing under --json, and never from forked workers."""

import io
import json
import multiprocessing
import os
import pty
import select
import subprocess
import sys
import time

import pytest
from rich.console import Console

from derivlab import progress

COMPARE = ["compare", "--task", "first", "--seeds", "2", "--steps", "300"]


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("env", {**os.environ, "DERIVLAB_PROGRESS_DELAY": "0"})
    return subprocess.run([sys.executable, "-m", "derivlab", *args], capture_output=True, text=True,
                          timeout=300, **kwargs)


@pytest.fixture
def plain(monkeypatch):
    buffer = io.StringIO()
    monkeypatch.setattr(progress, "PLAIN_MIN_SECONDS", 0.0)
    monkeypatch.setattr(progress, "PLAIN_START_SECONDS", 0.0)
    progress.enable(Console(file=buffer))
    yield buffer
    progress.disable()


def test_plain_lines_every_ten_percent_and_a_last_line(plain):
    assert list(progress.track(range(100), "counting")) == list(range(100))
    lines = plain.getvalue().splitlines()
    assert lines[0] == "counting: 0/100"
    assert [line.split(" (")[0] for line in lines[1:-1]] == [f"counting: {k}/100" for k in range(10, 100, 10)]
    assert lines[-1].startswith("counting: done in ")
    assert all(line.strip() for line in lines)


def test_nested_work_adds_no_lines_of_its_own(plain):
    with progress.stage("outer"):
        for _ in progress.track(range(50), "inner"):
            pass
    lines = plain.getvalue().splitlines()
    assert lines[0] == "outer ..." and lines[-1].startswith("outer: done in ")
    assert len(lines) == 2


def test_a_slow_stage_says_it_is_still_running(plain, monkeypatch):
    monkeypatch.setattr(progress, "PLAIN_EVERY_SECONDS", 0.5)
    with progress.stage("waiting"):
        time.sleep(2.5)
    assert "waiting: still running" in plain.getvalue()


def _child_tracks():
    for _ in progress.track(range(20), "worker bar"):
        pass


def test_forked_workers_draw_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "PLAIN_START_SECONDS", 0.0)
    log = (tmp_path / "err.txt").open("w")
    progress.enable(Console(file=log))
    try:
        child = multiprocessing.get_context("fork").Process(target=_child_tracks)
        child.start()
        child.join(60)
        assert child.exitcode == 0
        log.flush()
        assert (tmp_path / "err.txt").read_text() == ""
        _child_tracks()  # the enabling process itself does draw
        log.flush()
        assert "worker bar" in (tmp_path / "err.txt").read_text()
    finally:
        progress.disable()
        log.close()


def test_cli_in_a_pipe_prints_plain_lines_without_blank_ones():
    proc = _cli(*COMPARE)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert any(line.startswith("training 2 models") for line in lines)
    assert all(line.strip() for line in lines)
    assert "\x1b" not in proc.stderr and "\r" not in proc.stderr


def test_cli_json_prints_nothing_but_the_json():
    proc = _cli(*COMPARE, "--json")
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert json.loads(proc.stdout)["task"] == "first"


def test_cli_in_a_terminal_draws_one_live_line():
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "derivlab", *COMPARE], stdout=subprocess.DEVNULL,
                            stderr=slave, env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    assert proc.wait(60) == 0
    text = b"".join(chunks).decode("utf-8", "replace")
    assert "training 2 models" in text
    assert "\x1b[" in text  # a live (Rich) line, redrawn in place
    assert "training 2 models: 0/2\n" not in text  # not the plain lines


@pytest.mark.slow
def test_grading_in_a_pipe_shows_only_the_batch(tmp_path):
    from derivlab.reports.sample_class import write_class

    write_class(tmp_path / "class", kinds=["correct", "wrong"], count=3)
    proc = _cli("grade", str(tmp_path / "class"), "--out", str(tmp_path / "graded"), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines and all(line.startswith("grading submissions") for line in lines), lines
    assert lines[0] == "grading submissions: 0/3" and "done in" in lines[-1]


def test_progress_is_off_in_library_use():
    assert not progress.enabled()
    assert list(progress.track([1, 2], "quiet")) == [1, 2]
