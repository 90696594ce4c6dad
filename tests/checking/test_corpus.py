"""The corpus (tests/checking/corpus): every file judged as its expected.json says,
and every counterexample reproduces, by our evaluator and independently by SymPy."""

import json
from fractions import Fraction
from pathlib import Path

import pytest

from derivlab.checking import limits
from derivlab.checking.derivation import check_derivation_text, typed_steps
from derivlab.checking.evaluate import Point
from derivlab.checking.equivalence import compare_at
from derivlab.checking.symbolic import evaluate_at

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())


@pytest.fixture(scope="module")
def reports():
    return {name: check_derivation_text((CORPUS / name).read_text(), file=name) for name in EXPECTED}


def test_corpus_is_large_enough_and_complete():
    files = {p.name for p in CORPUS.glob("*.tex")}
    assert files == set(EXPECTED)
    assert sum(1 for e in EXPECTED.values() if e["verdict"] == "valid") >= 7
    assert sum(1 for e in EXPECTED.values() if e["verdict"] != "valid") >= 14


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_file_is_judged_as_expected(reports, name):
    expected, report = EXPECTED[name], reports[name]
    assert (report.verdict, report.first_bad_step) == (expected["verdict"], expected["first_bad_step"])
    if "steps" in expected:
        assert len(report.steps) == expected["steps"]
    bad = next((s for s in report.steps if s.index == report.first_bad_step), None)
    if "hint" in expected:
        assert bad.hint and expected["hint"] in bad.hint
    if "message" in expected:
        assert expected["message"] in bad.message


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["verdict"] == "valid"))
def test_every_step_of_a_correct_route_is_valid_with_a_small_error_bound(reports, name):
    for step in reports[name].steps:
        assert step.verdict == "valid"
        assert step.error_probability is not None and step.error_probability < 1e-6
        assert "Schwartz" in step.method


def _point(example: dict) -> Point:
    def rows(v):
        if isinstance(v, str):
            return [[Fraction(v)]]
        if v and isinstance(v[0], list):
            return [[Fraction(x) for x in row] for row in v]
        return [[Fraction(x)] for x in v]

    masks = None
    if "masks" in example:
        masks = {k: (v if v and isinstance(v[0], list) else [[x] for x in v]) for k, v in example["masks"].items()}
    return Point(example["sizes"], {k: rows(v) for k, v in example["values"].items()}, masks)


def _invalid_steps(reports):
    for name in sorted(EXPECTED):
        for step in reports[name].steps:
            if step.verdict == "invalid":
                yield name, step


def test_every_invalid_step_has_a_counterexample_that_reproduces(reports):
    checked = 0
    for name, step in _invalid_steps(reports):
        example = step.counterexample
        assert example and {"sizes", "values", "lhs", "rhs"} <= set(example)
        assert all(v <= 3 for v in example["sizes"].values())  # shrunk
        typed = {t.index: t for t in typed_steps((CORPUS / name).read_text())}[step.index]
        cmp = compare_at(typed.lhs, typed.rhs, typed.scope, _point(example), limits.Deadline(10))
        assert not cmp.equal, f"{name} step {step.index}: the counterexample does not reproduce"
        assert cmp.evaluator.field.text(cmp.lhs[0][0]) == example["lhs"] if isinstance(example["lhs"], str) else True
        checked += 1
    assert checked >= 10


def test_counterexamples_are_simple_values(reports):
    for _name, step in _invalid_steps(reports):
        values = step.counterexample["values"]
        flat = [x for v in values.values() for x in (v if isinstance(v, list) else [v])]
        flat = [y for x in flat for y in (x if isinstance(x, list) else [x])]
        assert all(abs(Fraction(x)) <= 3 for x in flat), step.counterexample


def test_a_counterexample_is_confirmed_by_sympy_on_matrices(reports):
    """Independent of our exact evaluator: SymPy matrices at the reported values."""
    step = next(s for s in reports["mistake_dropped_diag.tex"].steps if s.verdict == "invalid")
    example = step.counterexample
    typed = {t.index: t for t in typed_steps((CORPUS / "mistake_dropped_diag.tex").read_text())}[step.index]
    lhs = evaluate_at(typed.lhs, typed.scope, example["sizes"], example["values"])
    rhs = evaluate_at(typed.rhs, typed.scope, example["sizes"], example["values"])
    assert str(lhs[0, 0]) == example["lhs"] and str(rhs[0, 0]) == example["rhs"]
    assert lhs != rhs


def test_random_mask_counterexample_fixes_the_mask_only_outside_the_expectation(reports):
    step = next(s for s in reports["mistake_dropped_expectation.tex"].steps if s.verdict == "invalid")
    assert "masks" in step.counterexample
    typed = {t.index: t for t in typed_steps((CORPUS / "mistake_dropped_expectation.tex").read_text())}[step.index]
    cmp = compare_at(typed.lhs, typed.rhs, typed.scope, _point(step.counterexample), limits.Deadline(10))
    assert cmp.evaluator.field.text(cmp.lhs[0][0]) == step.counterexample["lhs"]
    assert cmp.evaluator.field.text(cmp.rhs[0][0]) == step.counterexample["rhs"]
