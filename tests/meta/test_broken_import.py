"""A module that fails to import must make its callers fail, never shrink what they return
(no ``try/except ImportError`` fallbacks anywhere in derivlab/)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from derivlab.claims import CLAIM_IDS

ROOT = Path(__file__).resolve().parents[2]

# Runs in a child interpreter: poison one module (None in sys.modules makes every import of it
# raise ImportError), then call the public entry point that depends on it.
PROBE = """
import sys
sys.modules[{poisoned!r}] = None
{call}
print("RETURNED", {result})
"""


def _run(poisoned: str, call: str, result: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = PROBE.format(poisoned=poisoned, call=call, result=result)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("poisoned, call, result", [
    ("derivlab.claims.dropout", "from derivlab.claims import all_claims\nclaims = all_claims()", "sorted(claims)"),
    ("derivlab.claims.attention", "from derivlab.claims import select_claims\nc = select_claims(['dropout.identity'])",
     "c"),
    ("derivlab.testing.mutants_dropout", "from derivlab.testing.mutants import catalogue\nc = catalogue()", "len(c)"),
    ("derivlab.testing._properties_dropout",
     "from derivlab.testing.properties import all_properties\np = all_properties()", "len(p)"),
])
def test_a_broken_module_raises_instead_of_shrinking_the_result(poisoned, call, result):
    proc = _run(poisoned, call, result)
    assert "RETURNED" not in proc.stdout, f"{call!r} returned with {poisoned} broken: {proc.stdout}"
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr or "ModuleNotFoundError" in proc.stderr, proc.stderr[-2000:]


def test_the_probe_itself_returns_when_nothing_is_broken():
    """The control: with an unrelated module poisoned the same call returns every claim."""
    proc = _run("derivlab_no_such_module", "from derivlab.claims import all_claims\nclaims = all_claims()",
                "len(claims)")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert re.search(r"RETURNED (\d+)", proc.stdout).group(1) == str(len(CLAIM_IDS))


def test_no_import_error_fallback_is_left_in_the_package():
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "derivlab").rglob("*.py"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"except\b.*\b(ImportError|ModuleNotFoundError)\b", line)]
    assert not offenders
