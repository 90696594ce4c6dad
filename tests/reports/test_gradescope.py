"""results.json in Gradescope's published shape."""

import copy

import pytest

from derivlab.reports.gradescope import GradescopeTest, results_json, validate_results


def _results():
    return results_json([GradescopeTest("step 1", 2.0, 2.0, "valid"), GradescopeTest("step 2", 0.0, 2.0, "invalid")],
                        output="Score 2 / 4.", execution_time=1.2)


def test_built_results_validate():
    validate_results(_results())


def test_score_is_the_sum_of_the_tests():
    assert _results()["score"] == 2.0


def test_status_follows_the_score():
    assert [t["status"] for t in _results()["tests"]] == ["passed", "failed"]


def test_execution_time_is_whole_seconds():
    assert _results()["execution_time"] == 2


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(score="2"), "score"),
    (lambda d: d.update(visibility="public"), "visibility"),
    (lambda d: d["tests"][0].update(max_score=float("nan")), "max_score"),
    (lambda d: d["tests"][0].update(status="ok"), "status"),
    (lambda d: d["tests"][0].update(output=["not", "a", "string"]), "output"),
    (lambda d: d["tests"][0].update(colour="red"), "unknown keys"),
    (lambda d: d.update(tests={}), "tests"),
    (lambda d: d.update(execution_time=-1), "execution_time"),
])
def test_shape_violations_are_rejected(mutate, message):
    data = copy.deepcopy(_results())
    mutate(data)
    with pytest.raises(ValueError, match=message):
        validate_results(data)


def test_top_level_score_may_be_left_to_the_tests():
    data = _results()
    del data["score"]
    validate_results(data)
