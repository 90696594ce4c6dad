"""Noise laws in context files: parsing, exact moments, lowering to the checker's Bernoulli coins,
and write-ups of the two noise problems judged by the built-in contexts."""

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

import derivlab.checking

from derivlab.checking.context import builtin_contexts, context_from_toml, load_context
from derivlab.checking.derivation import check_derivation_text
from derivlab.errors import InputError

WRITEUPS = Path(derivlab.checking.__file__).parent / "examples" / "noise"

HEADER = """
name = "t"
[sizes]
n = "rows"
d = "cols"
[symbols.X]
shape = ["n", "d"]
[symbols.p]
shape = []
domain = "(0, 1)"
[symbols.one_n]
shape = ["n"]
constant = "ones"
spellings = ["\\\\mathbf{1}_n"]
[symbols.I]
shape = ["d", "d"]
constant = "identity"
[symbols.one_d]
shape = ["d"]
constant = "ones"
spellings = ["\\\\mathbf{1}_d"]
[definitions.n]
latex = "\\\\mathbf{1}_n^\\\\top \\\\mathbf{1}_n"
spellings = ["n"]
[definitions.d]
latex = "\\\\mathbf{1}_d^\\\\top \\\\mathbf{1}_d"
spellings = ["d"]
"""


def scope_with(law: str, layout: str = "entries", extra: str = "") -> object:
    return context_from_toml(HEADER + f'[symbols.S]\nshape = ["n", "d"]\nrandom = "{law}"\nlayout = "{layout}"\n'
                             + extra)


def verdicts(scope: object, *rows: str) -> list[str]:
    body = " \\\\\n".join(rows)
    return [s.verdict for s in check_derivation_text("\\begin{align*}\n" + body + "\n\\end{align*}",
                                                     context=scope).steps]


def test_the_built_in_contexts_of_the_new_problems():
    assert {"additive-gaussian", "gaussian-dropout", "dropout"} <= set(builtin_contexts())
    scope = load_context("additive-gaussian")
    law = scope.noise["N"]
    assert law.family == "Normal" and law.lowering == "exact" and not scope.assumptions
    spec = law.spec((Fraction(0), Fraction(1, 4)))
    assert spec.model.moment(2) == sp.Rational(1, 4) and spec.model.moment(4) == sp.Rational(3, 16)
    assert load_context("dropout").noise["R"].lowering == "native" and not load_context("dropout").assumptions


def test_rademacher_entries_are_exact_even_outside_an_expectation():
    scope = scope_with("Rademacher")
    assert verdicts(scope, r"\mathbb{E}_S[S^\top S] &= n I") == ["valid"]
    assert verdicts(scope, r"\mathbb{E}_S[S^\top S] &= I") == ["invalid"]
    assert verdicts(scope, r"\operatorname{diag}(S^\top S) &= n I") == ["valid"]  # S_ij² = 1 surely


def test_one_bernoulli_variable_per_row():
    scope = scope_with("Bernoulli(p)", "rows")
    assert verdicts(scope, r"\mathbb{E}_S[(S \odot X)^\top (S \odot X)] &= p X^\top X") == ["valid"]
    iid = r"\mathbb{E}_S[(S \odot X)^\top (S \odot X)] &= p^2 X^\top X + p(1-p)\operatorname{diag}(X^\top X)"
    assert verdicts(scope, iid) == ["invalid"]
    assert verdicts(context_from_toml(HEADER + '[symbols.S]\nshape = ["n", "d"]\nrandom = "Bernoulli(p)"\n'),
                    iid) == ["valid"]


def test_uniform_pair_one_variable_per_column():
    scope = scope_with("Uniform{1, 3}", "columns")
    assert verdicts(scope, r"\mathbb{E}_S[S] &= 2\, \mathbf{1}_n \mathbf{1}_d^\top") == ["valid"]
    assert verdicts(scope, r"\mathbb{E}_S[S S^\top] &= 5 d\, \mathbf{1}_n \mathbf{1}_n^\top") == ["valid"]
    iid = scope_with("Uniform{1, 3}")
    assert verdicts(iid, r"\mathbb{E}_S[S S^\top] &= 5 d\, \mathbf{1}_n \mathbf{1}_n^\top") == ["invalid"]
    spec = scope.noise["S"].spec((Fraction(1), Fraction(3)))
    assert spec.model.mean() == 2 and spec.model.variance() == 1 and spec.layout == "columns"


def test_laws_that_the_evaluator_cannot_read_are_one_line_input_errors():
    per_column = HEADER + '[symbols.q]\nshape = ["d"]\ndomain = "(0, 1)"\n[symbols.S]\nshape = ["n", "d"]\n' \
        'random = "Bernoulli(q)"\n'
    assert context_from_toml(per_column).random["S"].parameter.shape == ("d", 1)  # read: one per column
    with pytest.raises(InputError, match="per column needs layout"):
        context_from_toml(per_column + 'layout = "rows"\n')
    with pytest.raises(InputError, match="vector over the columns"):  # one per ROW is not a law we read
        context_from_toml(HEADER + '[symbols.q]\nshape = ["n"]\n[symbols.S]\nshape = ["n", "d"]\n'
                          'random = "Bernoulli(q)"\n')
    normal = context_from_toml(HEADER + '[symbols.S]\nshape = ["n", "d"]\nrandom = "Normal(0, p)"\n')
    assert normal.noise["S"].lowering == "exact" and not normal.assumptions  # exact moments: no opt-in, no caveat
    for bad in ("Poisson(p)", "Normal(0)", "Uniform{1}", "Rademacher(p)"):
        with pytest.raises(InputError):
            scope_with(bad)
    with pytest.raises(InputError, match="layout"):
        scope_with("Rademacher", "diagonal")


def test_an_expectation_named_with_the_wrong_law_is_ill_typed():
    scope = load_context("additive-gaussian")
    report = check_derivation_text(r"\begin{align*} \mathbb{E}_{N \sim \text{Bernoulli}(\sigma)}[N] &= 0 \end{align*}",
                                   context=scope)
    assert report.steps[0].verdict == "ill-typed" and "Normal(0, \\sigma^2)" in report.steps[0].message


@pytest.mark.parametrize("name, context, expected", [
    ("additive_correct", "additive-gaussian", "valid"),
    ("additive_missing_n", "additive-gaussian", "invalid"),
    ("additive_d_for_n", "additive-gaussian", "invalid"),
    ("additive_no_expectation", "additive-gaussian", "invalid"),
    ("dropout_correct", "gaussian-dropout", "valid"),
    ("dropout_alpha_squared", "gaussian-dropout", "invalid"),
    ("dropout_bernoulli_answer", "gaussian-dropout", "invalid"),
    ("dropout_gram_not_diag", "gaussian-dropout", "invalid"),
])
def test_write_ups_of_the_noise_problems_are_judged_right(name, context, expected):
    report = check_derivation_text((WRITEUPS / f"{name}.tex").read_text(), context=context)
    assert report.verdict == expected
    assert not any("two-point" in note for note in report.notes)  # exact moments: nothing to caveat
    if expected == "invalid":
        bad = next(s for s in report.steps if s.verdict == "invalid")
        assert bad.counterexample is not None


def test_cli_checks_a_noise_write_up():
    out = subprocess.run([sys.executable, "-m", "derivlab", "check", "derivation", str(WRITEUPS / "dropout_alpha_squared.tex"),
                          "--context", "gaussian-dropout", "--json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["verdict"] == "invalid" and data["first_bad_step"] == 2


def test_hints_in_a_lowered_context_name_the_noise_and_skip_bernoulli_semantics():
    dropped = check_derivation_text((WRITEUPS / "additive_no_expectation.tex").read_text(), context="additive-gaussian")
    hint = dropped.steps[1].hint
    assert hint and "N is still random" in hint and "coin" not in hint
    gram = check_derivation_text((WRITEUPS / "dropout_gram_not_diag.tex").read_text(), context="gaussian-dropout")
    assert gram.steps[1].hint is None or "p(1−p)" not in gram.steps[1].hint
