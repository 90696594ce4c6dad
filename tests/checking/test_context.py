"""Problem contexts: the built-in dropout TOML and instructors' own files."""

from pathlib import Path

import pytest

from derivlab.checking.context import builtin_contexts, context_from_toml, load_context
from derivlab.checking.derivation import check_derivation_text
from derivlab.errors import InputError

HERE = Path(__file__).parent / "contexts"


def test_dropout_is_built_in_and_declares_the_problem():
    assert "dropout" in builtin_contexts()
    scope = load_context("dropout")
    assert {n: v.shape for n, v in scope.variables.items()} == {
        "X": ("n", "d"), "y": ("n", 1), "w": ("d", 1), "w_new": ("d", 1), "p": (1, 1), "R": ("n", "d")}
    assert scope.domains["p"] == "(0, 1)" and set(scope.random) == {"R"}
    assert scope.lookup("Gamma").name == "Γ" and scope.lookup("~Gamma") == scope.lookup("Gamma")


def test_a_user_context_checks_a_different_problem():
    ctx = load_context(HERE / "quadratic_form.toml")
    report = check_derivation_text((HERE / "quadratic_form_valid.tex").read_text(), context=ctx)
    assert report.verdict == "valid" and len(report.steps) == 5


def test_a_user_context_rejects_the_wrong_variant_with_a_counterexample_and_hint():
    ctx = load_context(HERE / "quadratic_form.toml")
    report = check_derivation_text((HERE / "quadratic_form_wrong.tex").read_text(), context=ctx)
    assert (report.verdict, report.first_bad_step) == ("invalid", 2)
    bad = report.steps[1]
    assert bad.counterexample["sizes"] == {"m": 1}
    assert "E[z_i²] = q, not q²" in bad.hint


@pytest.mark.parametrize("toml,words", [
    ("name = 'x'\n[symbols.A]\nshape = ['k']\n", "unknown size"),
    ("name = 'x'\n[symbols.A]\nshape = []\ndomain = 'complex'\n", "domain must be"),
    ("name = 'x'\n[symbols.z]\nshape = []\nrandom = 'Poisson(1)'\n", "Bernoulli"),
    ("name = 'x'\n[definitions.G]\nlatex = '\\sum_i x'\n", "unknown symbol 'x'"),
    ("this is = = not toml", "invalid TOML"),
])
def test_bad_context_files_are_input_errors(toml, words):
    with pytest.raises(InputError, match=words):
        context_from_toml(toml)


def test_definitions_in_the_toml_are_parsed_by_the_grammar_not_evaluated():
    with pytest.raises(InputError, match="context <toml>"):
        context_from_toml('name = "x"\n[definitions.B]\nlatex = "__import__(os)"\n')


def test_unknown_context_name_is_an_input_error():
    with pytest.raises(InputError, match="unknown context"):
        load_context("no-such-context")
