"""``derivlab grade`` through the real CLI on a class laid out as people (and hostile people) make it:
names of any bytes, a folder named summary.csv, README.txt beside hw/, Derivation.tex, a loose
frank.tex, notebooks, special and unreadable files. Honest work beside all of it is graded in full,
nothing stops the batch, the output folder is locked, and kill -9 then --resume loses and duplicates
nothing."""

import csv
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derivlab.reports.gradescope import validate_results
from derivlab.reports.sample_class import (
    correct_derivation,
    design_weights,
    write_submission,
)

pytestmark = pytest.mark.slow

FULL = 18.0
WEIGHTS = 8.0


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "derivlab", *args], capture_output=True, text=True,
                          errors="replace", timeout=600, **kw)


def _weights_only(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for task in ("identity", "first", "unique"):
        (folder / f"weights_{task}.json").write_text(json.dumps(design_weights(task)))


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("people")
    k = root / "class"
    k.mkdir()
    kb = os.fsencode(k)
    write_submission(Path(os.fsdecode(kb + b"/\xff\xfe-latin1-caf\xe9")), "correct")   # non-UTF-8 folder name
    write_submission(k / "summary.csv", "correct")                                       # clashes with the summary
    bad_file = write_submission(k / "bad-file-name", "correct")
    Path(os.fsdecode(os.fsencode(bad_file) + b"/notes-\xff.txt")).write_text("hi")       # non-UTF-8 file name
    write_submission(k / "alice" / "hw", "correct")                                      # README.txt beside hw/
    (k / "alice" / "README.txt").write_text("my homework\n")
    carol = k / "carol"                                                                  # Derivation.tex, odd case
    carol.mkdir()
    (carol / "Derivation.tex").write_text(correct_derivation())
    for task in ("identity", "first", "unique"):
        (carol / f"Weights-{task.capitalize()}.json").write_text(json.dumps(design_weights(task)))
    (carol / "homework.ipynb").write_text("{}")
    (k / "frank.tex").write_text(correct_derivation())                                   # loose .tex at the top
    (k / "notes.ipynb").write_text("{}")                                                 # loose notebook
    _weights_only(k / "unreadable")                                                      # derivation not UTF-8
    (k / "unreadable" / "derivation.tex").write_bytes(b"\\[ p \xff = p \\]")
    _weights_only(k / "fifo")                                                            # derivation is a FIFO
    os.mkfifo(k / "fifo" / "derivation.tex")
    _weights_only(k / "dir-derivation")                                                  # derivation is a folder
    (k / "dir-derivation" / "derivation.tex").mkdir()
    write_submission(k / "zz-honest-last", "correct")
    return k


@pytest.fixture(scope="module")
def graded(klass, tmp_path_factory):
    out = tmp_path_factory.mktemp("graded") / "out"
    t0 = time.perf_counter()
    proc = _cli("grade", str(klass), "--out", str(out), "--jobs", "2", "--json")
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, json.loads(proc.stdout), seconds


def _results(out: Path, name: str) -> dict:
    data = json.loads((out / name).joinpath("results.json").read_bytes().decode("utf-8"))
    validate_results(data)
    return data


def test_honest_submissions_beside_hostile_names_are_graded_in_full(graded):
    out, _, _ = graded
    latin = os.fsdecode(b"\xff\xfe-latin1-caf\xe9")
    for name in (latin, "summary.csv.submission", "bad-file-name", "alice", "carol", "zz-honest-last"):
        assert _results(out, name)["score"] == FULL, name
    assert _results(out, "frank")["score"] == 10.0  # a derivation without weights


def test_unreadable_or_special_derivations_keep_the_weights_points(graded):
    out, _, _ = graded
    for name in ("unreadable", "fifo", "dir-derivation"):
        data = _results(out, name)
        assert data["score"] == WEIGHTS, name
        q3 = [t for t in data["tests"] if t["name"].startswith("Q3")]
        assert len(q3) == 1 and q3[0]["output"], name  # one line saying why


def test_summary_has_one_row_per_submission_and_is_valid_utf8(graded):
    out, report, _ = graded
    text = (out / "summary.csv").read_bytes().decode("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(report["submissions"]) == 10
    assert "\\xff\\xfe-latin1-caf\\xe9" in {r["submission"] for r in rows}


def test_files_that_are_not_graded_are_named_with_the_reason(graded):
    out, report, _ = graded
    skipped = {Path(s["path"]).name: s["reason"] for s in report["not_graded"]}
    assert "notebook" in skipped["notes.ipynb"]
    carol = _results(out, "carol")["output"]
    assert "Derivation.tex graded as derivation.tex" in carol and "homework.ipynb" in carol
    assert "hw/" in _results(out, "alice")["output"]


def test_a_second_run_into_a_locked_output_folder_exits_2_with_one_line(klass, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".derivlab-grade.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = _cli("grade", str(klass), "--out", str(out), "--jobs", "1")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "another derivlab grade" in proc.stderr
    assert not (out / "summary.csv").exists()


def test_a_single_submission_folder_is_graded(klass, tmp_path):
    proc = _cli("grade", str(klass / "zz-honest-last"), "--out", str(tmp_path / "one"), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [s["submission"] for s in report["submissions"]] == ["zz-honest-last"]
    assert report["submissions"][0]["score"] == FULL


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_9_then_resume_loses_and_duplicates_nothing(tmp_path):
    k = tmp_path / "class"
    names = [f"s{i:02d}" for i in range(8)]
    for name in names:
        write_submission(k / name, "correct")
    out = tmp_path / "out"
    scratch = tmp_path / "tmpdir"  # the killed run's TMPDIR: no student text may be left in it
    scratch.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "derivlab", "grade", str(k), "--out", str(out), "--jobs", "2",
                             "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "TMPDIR": str(scratch)})
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not list(out.glob("*/results.json")):
        time.sleep(0.2)
    workers = _descendants(proc.pid)
    assert workers, "the run had no workers to kill"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = {p.parent.name for p in out.glob("*/results.json")}
    assert 0 < len(done_before) < len(names), "kill -9 came too late to test anything"
    time.sleep(3)
    assert not [p for p in workers if _alive(p)], "workers outlived their parent"
    stamps = {n: (out / n / "results.json").stat().st_mtime_ns for n in done_before}
    left = [p for p in scratch.rglob("*") if p.is_file()]
    assert not left, f"the killed run left files in its TMPDIR: {left[:5]}"

    again = _cli("grade", str(k), "--out", str(out), "--jobs", "2", "--resume", "--json")
    assert again.returncode == 0, again.stderr[-2000:]
    report = json.loads(again.stdout)
    assert set(report["resumed"]) == done_before
    assert sorted(s["submission"] for s in report["submissions"]) == names
    assert all(s["score"] == FULL for s in report["submissions"])
    assert {n: (out / n / "results.json").stat().st_mtime_ns for n in done_before} == stamps  # not regraded
    rows = list(csv.DictReader((out / "summary.csv").read_text().splitlines()))
    assert sorted(r["submission"] for r in rows) == names
    assert not [p for p in out.rglob("*.tmp")], "temporary files left behind"
