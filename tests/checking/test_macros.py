"""Student macros: expanded safely, with bounds, and with positions that still name the student's line."""

import time

import pytest

from derivlab.checking.derivation import check_derivation_text
from derivlab.checking.macros import MAX_DEPTH, expand_macros


def _expanded(text):
    out, _where, problems = expand_macros(text)
    assert problems == []
    return " ".join(out.split())


@pytest.mark.parametrize("definition, use, expected", [
    (r"\newcommand{\E}{\mathbb{E}}", r"\E[x]", r"\mathbb{E} [x]"),
    (r"\newcommand\E{\mathbb{E}}", r"\E_R", r"\mathbb{E} _R"),
    (r"\newcommand{\norm}[1]{\left\lVert #1 \right\rVert}", r"\norm{y - Xw}^2", r"\left\lVert y - Xw \right\rVert ^2"),
    (r"\newcommand{\ip}[2]{\langle #1, #2 \rangle}", r"\ip{a}{b}", r"\langle a, b \rangle"),
    (r"\newcommand{\Ex}[2][R]{\mathbb{E}_{#1}[#2]}", r"\Ex{P} \Ex[S]{Q}", r"\mathbb{E}_{R}[P] \mathbb{E}_{S}[Q]"),
    (r"\renewcommand{\vec}[1]{\mathbf{#1}}", r"\vec w", r"\mathbf{w}"),
    (r"\newcommand*{\tw}{\tilde{w}}", r"\tw", r"\tilde{w}"),
    (r"\DeclareMathOperator{\diag}{diag}", r"\diag(M)", r"\operatorname{diag} (M)"),
    (r"\DeclareMathOperator*{\Var}{Var}", r"\Var[Z]", r"\operatorname{Var} [Z]"),
    (r"\def\T{^\top}", r"X\T X", r"X^\top X"),
    (r"\def\pair#1#2{(#1,#2)}", r"\pair ab", r"(a,b)"),
    (r"\let\eps=\varepsilon", r"\eps", r"\varepsilon"),
    (r"\newcommand{\td}[1]{\tilde#1}", r"\td{w}", r"\tilde w"),
    (r"\newcommand{\E}{\mathbb{E}}\newcommand{\ER}{\E_R}", r"\ER", r"\mathbb{E} _R"),
])
def test_macros_expand(definition, use, expected):
    assert _expanded(definition + " " + use) == expected


def test_providecommand_does_not_override_and_renewcommand_does():
    assert _expanded(r"\newcommand{\a}{x}\providecommand{\a}{y}\a") == "x"
    assert _expanded(r"\newcommand{\a}{x}\renewcommand{\a}{y}\a") == "y"


def test_a_macro_holds_from_its_definition_on():
    assert _expanded(r"\E \newcommand{\E}{F} \E") == r"\E F"


def test_text_is_copied_with_its_own_offsets_and_macro_output_takes_the_use():
    text = "\\newcommand{\\E}{\\mathbb{E}}\nx \\E y"
    out, where, _ = expand_macros(text)
    assert where.source_offset(out.index("x")) == text.index("x")
    assert where.source_offset(out.index("y")) == text.index("y")
    assert where.source_offset(out.index("mathbb")) == text.index("\\E y")


@pytest.mark.parametrize("bomb", [
    r"\newcommand{\a}{\a} \a",
    r"\def\a{x\a} \a",
    r"\newcommand{\a}{\b}\newcommand{\b}{\a} \a",
    "".join(rf"\newcommand{{\m{c}}}{{" + (rf"\m{p}" * 10 if p else "xxxxxxxxxx") + "}"
            for p, c in zip([""] + list("abcdefg"), "abcdefgh")) + r" \mh",
])
def test_a_macro_bomb_ends_in_a_reason_not_a_hang(bomb):
    t0 = time.perf_counter()
    _out, _where, problems = expand_macros(bomb)
    assert time.perf_counter() - t0 < 5
    assert len(problems) == 1 and ("deep" in problems[0].reason or "characters" in problems[0].reason)


def test_a_missing_argument_is_a_problem():
    assert expand_macros(r"\newcommand{\n}[2]{#1#2} \n{a}")[2][0].reason.startswith(r"\n needs 2")


def test_a_derivation_written_with_macros_is_checked():
    text = "\n".join([
        r"\documentclass{article}",
        r"\newcommand{\E}{\mathbb{E}}",
        r"\newcommand{\norm}[1]{\left\lVert #1 \right\rVert}",
        r"\newcommand{\ER}[1][R]{\mathbb{E}_{#1}}",
        r"\DeclareMathOperator{\diag}{diag}",
        r"\def\T{^\top}",
        r"\begin{document}",
        r"\begin{align*}",
        r"\ER\left[(R \odot X)\T\right] &= p X\T \\",
        r"\E_R[\norm{y}^2] &= \norm{2y}^2",
        r"\end{align*}",
        r"\end{document}",
    ])
    report = check_derivation_text(text)
    assert [s.verdict for s in report.steps] == ["valid", "invalid"]
    assert [s.line for s in report.steps] == [9, 10]


def test_an_error_inside_a_macro_names_the_line_of_its_use():
    report = check_derivation_text("\\newcommand{\\bad}{\\frac{1}{}}\n\n\\[ p = \\bad \\]")
    assert report.steps[0].verdict == "unparsed" and report.steps[0].line == 3


def test_a_bomb_in_a_derivation_is_reported_with_its_line():
    report = check_derivation_text("\\newcommand{\\x}{\\x\\x}\n\\[ \\x = p \\]")
    assert report.verdict == "unparsed"
    assert any(n.startswith("line 2,") and f"{MAX_DEPTH} levels" in n for n in report.notes)
