"""On a machine without TeX every TeX test skips, with one stated reason (never a failure)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_tex_tests_skip_with_one_reason_without_tex():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "-p", "tests.meta._no_tex",
         "-m", "tex", "-rs", "tests/reports/test_tex.py", "tests/reports/test_latex_escape.py",
         "tests/testing/test_hostile_corpus.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:]
    assert re.search(r"(\d+) skipped", out) and " passed" not in out and "failed" not in out, out[-3000:]
    reasons = set(re.findall(r"SKIPPED \[\d+\] [^:]+:\d+: (.*)", out))
    assert len(reasons) == 1 and next(iter(reasons)).startswith("no TeX: pdflatex not found"), reasons
