"""What course staff see after `derivlab grade`: the class page (in a real browser), class.json,
review.csv, the review flag in results.json, typeset feedback, and regrade determinism."""

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from derivlab.reports.grading import grade_folder
from derivlab.reports.sample_class import write_class, write_submission
from derivlab.reports.submission import GradeOptions

pytestmark = pytest.mark.slow

EVIL = "006-<img src=x onerror=alert(1)>&amp"
BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("staff")
    write_class(root / "class")  # correct, wrong, broken, hostile, unreadable
    write_submission(root / "class" / EVIL, "wrong")
    report = grade_folder(root / "class", root / "out", jobs=2)
    return root, report


def _class(root):
    return json.loads((root / "out" / "class.json").read_text(encoding="utf-8"))


def test_review_queue_lists_exactly_what_needs_a_person(graded):
    root, _ = graded
    with open(root / "out" / "review.csv", newline="", encoding="utf-8") as handle:
        rows = {r["submission"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {"002-broken", "003-hostile", "004-unreadable"}
    assert "step 2 (line 7) could not be read" in rows["004-unreadable"]["reasons"]
    assert "symbolic link" in rows["003-hostile"]["reasons"] and "not UTF-8" in rows["002-broken"]["reasons"]
    results = json.loads((root / "out" / "004-unreadable" / "results.json").read_text())
    assert results["extra_data"]["review"]["needs_review"] and results["extra_data"]["review"]["held_points"] > 0
    assert any(t["name"] == "Needs review by course staff" for t in results["tests"])
    correct = json.loads((root / "out" / "000-correct" / "results.json").read_text())
    assert "review" not in correct.get("extra_data", {}) and correct["score"] == 18.0


def test_class_json_groups_the_mistakes_with_the_students(graded):
    data = _class(graded[0])
    assert data["submissions"] == 6 and data["first_wrong_steps"]["3"] == 2 and data["first_wrong_steps"]["none"] == 1
    kinds = {g["group"]: g for g in data["mistakes_by_kind"]}
    assert kinds["second moment: E[R²] taken as p²"]["students"] == ["001-wrong", EVIL]
    route = {g["group"].split(":")[0]: g for g in data["mistakes_by_route"]}
    assert route["move 3"]["students"] == ["001-wrong", EVIL]  # the lemma E[(R⊙X)ᵀ(R⊙X)]
    parts = {p["part"]: p for p in data["parts"]}
    assert parts["Q3 derivation"]["max"] == 10 and parts["Q3 derivation"]["full_marks"] == 1
    rows = {r["submission"]: r for r in data["rows"]}
    assert rows["000-correct"]["feedback"] in ("000-correct/feedback.pdf", "000-correct/feedback.tex")


def test_the_page_is_self_contained_and_escapes_names(graded):
    html = (graded[0] / "out" / "index.html").read_text(encoding="utf-8")
    escaped_name = "&lt;img src=x onerror=alert(1)&gt;&amp;amp"
    assert escaped_name in html and "<img" not in html
    page = html.replace(escaped_name, "")
    for ns in ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"):  # namespace names, never fetched
        page = page.replace(ns, "")
    page = page.replace('url(#', "")  # SVG clip paths inside the page
    for bad in ("<link", "src=", "http://", "https://", "@import", "url("):
        assert bad not in page, bad
    assert html.count("<svg") == 2 and html.count("<tr data-review=") == 6


@pytest.mark.skipif(BROWSER is None, reason="no chromium/google-chrome installed (.ci/run installs Debian's chromium)")
def test_the_page_in_a_real_browser(graded, tmp_path):
    root, _ = graded
    url = (root / "out" / "index.html").resolve().as_uri()
    common = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", url + "#review=1&sort=1&desc=1"], capture_output=True,
                         text=True, timeout=120).stdout
    assert 'data-ready="1"' in dom  # the script ran
    assert 'id="shown">3<' in dom  # "needs review only" from the URL: 3 of 6 rows shown
    visible = [line for line in dom.split("<tr data-review=")[1:] if 'hidden=""' not in line.split(">")[0]]
    assert [v[:3] for v in visible] == ['"1"'] * 3
    assert visible[0].index("004-unreadable") >= 0  # sorted by score, highest first: 11.3 before the zeros
    assert "alert(1)" not in dom.split("<script>")[0].replace("&lt;img src=x onerror=alert(1)&gt;", "")
    shot = tmp_path / "class-page.png"
    subprocess.run([*common, "--window-size=1200,1800", f"--screenshot={shot}", url], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {shot}")


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("pdftotext") is None,
                    reason="needs pdflatex and pdftotext")
def test_feedback_is_typeset_from_the_parse_tree(graded):
    root, _ = graded
    tex = (root / "out" / "001-wrong" / "feedback.tex").read_text(encoding="utf-8")
    assert r"\stepmath{" in tex and r"\mathbb{E}_{R}\left[\left\|y - \left(R \odot X\right) \tilde{w}" in tex
    assert r"\begin{tabular}{@{}ll@{}}" in tex and r"\stepmath" in tex and "Counterexample" in tex and '"sizes"' not in tex
    unread = (root / "out" / "004-unreadable" / "feedback.tex").read_text(encoding="utf-8")
    assert "Not read as mathematics" in unread and r"\textbackslash{}langle" in unread and "held for review" in unread
    def pages(name):
        info = subprocess.run(["pdfinfo", str(root / "out" / name / "feedback.pdf")], capture_output=True, text=True)
        return int(info.stdout.split("Pages:")[1].split()[0])

    assert pages("000-correct") <= 2 and pages("001-wrong") <= 2  # a typical submission: about one page


def test_regrading_gives_identical_results(tmp_path):
    write_class(tmp_path / "class", ("correct", "wrong", "unreadable", "hostile"))
    options = GradeOptions(feedback="tex")
    outputs = []
    for run in (1, 2):
        grade_folder(tmp_path / "class", tmp_path / "out", jobs=2, options=options)
        outputs.append(tmp_path / f"run{run}")
        (tmp_path / "out").rename(outputs[-1])
    first, second = outputs
    for name in ("000-correct", "001-wrong", "002-unreadable", "003-hostile"):
        a, b = (json.loads((o / name / "results.json").read_text()) for o in outputs)
        for r in (a, b):  # timings are the only difference allowed
            r.pop("execution_time", None)
            r.get("extra_data", {}).get("derivlab", {}).pop("seconds", None)
        assert a == b, name
    rows = []
    for o in outputs:
        with open(o / "summary.csv", newline="") as handle:
            rows.append([{k: v.replace(str(o), "OUT") for k, v in r.items() if k != "seconds"}
                         for r in csv.DictReader(handle)])
    assert rows[0] == rows[1] and len(rows[0]) == 4
    for name in ("class.json", "review.csv", "index.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_cli_unreadable_option_sets_the_points_policy(tmp_path):
    import os
    import sys

    write_class(tmp_path / "class", ("unreadable",))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    scores = {}
    for policy in ("review", "zero"):
        run = subprocess.run([sys.executable, "-m", "derivlab", "grade", str(tmp_path / "class"), "--out",
                              str(tmp_path / policy), "--unreadable", policy, "--json"],
                             capture_output=True, text=True, env=env, timeout=300)
        assert run.returncode == 0, run.stderr
        sub = json.loads(run.stdout)["submissions"][0]
        assert sub["needs_review"] and "could not be read" in sub["review_reasons"][0]
        scores[policy] = (sub["score"], sub["max_score"])
    assert scores["review"][0] == scores["zero"][0] and scores["review"][1] < scores["zero"][1] == 18.0
    bad = subprocess.run([sys.executable, "-m", "derivlab", "grade", str(tmp_path / "class"), "--out",
                          str(tmp_path / "x"), "--unreadable", "lenient"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_gradescope_mode_uses_the_same_review_policy(tmp_path):
    from derivlab.reports.grading import grade_gradescope

    write_submission(tmp_path / "submission", "unreadable")
    for policy in ("review", "zero"):
        report = grade_gradescope(tmp_path / "submission", tmp_path / policy,
                                  options=GradeOptions(feedback="tex", unreadable=policy))
        results = json.loads((tmp_path / policy / "results.json").read_text())
        assert report.exit_code == 0 and results["extra_data"]["review"]["policy"] == policy
        held = [t for t in results["tests"] if t["name"].startswith("Q3") and t["output"].startswith("Held for review")]
        assert bool(held) == (policy == "review")
