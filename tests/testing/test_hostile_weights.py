"""``derivlab check weights`` on every hostile .json/.npz input, through the real CLI: a verdict or a
clean exit-2 reason, no traceback, nothing unpickled or executed, no stray writes, no leaks."""

import pytest

from derivlab.testing.hostile import corpus
from derivlab.testing.hostile_harness import run_check

ITEMS = [i for i in corpus().values() if i.target.startswith("weights")]
MUST_BE_REFUSED = {"json-enormous-array", "json-deeply-nested", "json-nan-inf", "json-huge-int", "json-python-strings",
                   "json-python-in-rows", "npz-pickle", "npz-pickle-everywhere", "npz-deflate-bomb", "npz-lying-header",
                   "npz-not-a-zip"}


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.name)
def test_hostile_weights_file_is_handled(item, tmp_path):
    outcome = run_check(item, tmp_path)
    assert outcome.ok, f"{item.name} ({item.description}): {outcome.problems} [{outcome.seconds:.1f} s]"
    if item.name in MUST_BE_REFUSED:
        assert outcome.returncode == 2, f"{item.name}: exit {outcome.returncode}, expected a clean refusal"
