"""``derivlab check derivation`` on every hostile .tex input, through the real CLI: a verdict or a
clean exit-2 reason within derivlab's own 30 s limit, no traceback, nothing executed, nothing
written outside the output folder, no symlinked file echoed."""

import pytest

from derivlab.testing.hostile import by_target
from derivlab.testing.hostile_harness import run_check

VALID_ALLOWED = {"many-steps"}  # p = p = ... is a (silly) valid chain
SLOW = {"many-steps", "expensive-steps"}  # inputs built to run into the time limit
ITEMS = [pytest.param(i, id=i.name, marks=[pytest.mark.slow] if i.name in SLOW else []) for i in by_target("derivation")]


@pytest.mark.parametrize("item", ITEMS)
def test_hostile_derivation_is_handled(item, tmp_path):
    outcome = run_check(item, tmp_path)
    assert outcome.ok, f"{item.name} ({item.description}): {outcome.problems} [{outcome.seconds:.1f} s]"
    if item.name not in VALID_ALLOWED:
        assert outcome.verdict != "valid", f"{item.name} was judged valid"
