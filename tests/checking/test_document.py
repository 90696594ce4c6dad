"""The document layer: what of a real .tex file becomes steps, definitions and notes (issues 9, 10, 15)."""

import time

import pytest

from derivlab.checking.blocks import find_blocks, rows_of, strip_comments
from derivlab.checking.context import load_context
from derivlab.checking.derivation import _read_document, check_derivation_text

SCOPE = load_context("dropout")


def _math(text):
    text = strip_comments(text)
    return [" ".join(r.math.text.split()) for i, b in enumerate(find_blocks(text)) for r in rows_of(b, i) if r.math]


def _steps(text):
    report = check_derivation_text(text)
    return report, [(s.lhs_latex, s.rhs_latex, s.verdict) for s in report.steps]


# ---- hole 1: only the label of an \underbrace / \overbrace is an annotation ------------------------------


@pytest.mark.parametrize("name", [r"\mathbf{w}_{\text{new}}", r"\mathbf{X}^{\text{T}}", r"\tilde{w}_{\text{new}}",
                                  r"\boldsymbol{\Gamma}_{\text{new}}", r"\mathbf{w}^{\text{new}}"])
def test_a_text_script_after_a_brace_reaches_the_parser(name):
    assert _math(rf"\[ {name} = a \]") == [f"{name} = a"]


def test_brace_labels_are_blanked_and_the_braced_math_kept():
    rows = _math(r"\[ a = \underbrace{p}_{\text{mean}} X + \overbrace{b}^{=0} + \underbrace{c}_{\text{x}}{}_{\text{y}} \]")
    assert rows == [r"a = {p} X + {b} + {c} {}_{\text{y}}"]  # only the label right after the brace


def test_subscripted_names_are_not_read_as_other_symbols():
    _, steps = _steps(r"\[ \|y - X\mathbf{w}_{\text{new}}\|^2 = \|y - Xw\|^2 \]")
    assert steps[0][2] != "valid"
    assert _steps(r"\[ \mathbf{X}^{\text{T}} = \mathbf{X} \]")[1][0][2] != "valid"
    assert _steps(r"\[ \mathbf{y}^{\text{T}}\mathbf{y} = y^\top y \]")[1][0][2] == "valid"


# ---- hole 2: \text is prose only when it holds words ----------------------------------------------------


@pytest.mark.parametrize("math", [r"\text{2}", r"\textbf{X}", r"\textrm{3}\,", r"\mbox{$X$}", r"\text{T}"])
def test_a_text_command_holding_mathematics_is_kept(math):
    assert math.rstrip("\\,") in _math(rf"\[ a = {math} b \]")[0]


def test_math_in_text_is_read_or_refused_never_deleted():
    assert _steps(r"\[ \|y - Xw\|^2 = \text{2}\,\|y - Xw\|^2 \]")[1][0][2] != "valid"
    assert _steps(r"\[ \|\textbf{X} w\|^2 = \|w\|^2 \]")[1][0][2] != "valid"


@pytest.mark.parametrize("prose", [r"\text{(by linearity)}", r"\text{(a)}", r"\mbox{ independence }",
                                   r"\textit{done}", r"\text{ }"])
def test_prose_is_blanked(prose):
    assert _math(rf"\[ a = b \quad {prose} \]") == ["a = b"]


# ---- hole 5: every equality written is a step or a note ---------------------------------------------------


@pytest.mark.parametrize("sign", [r"\stackrel{(a)}{=}", r"\overset{\text{lin.}}{=}", r"\underset{(3)}{=}", r"\equiv",
                                  r"\stackrel{\eqref{x}}{\equiv}", r"\overset{(i)} ="])
def test_annotated_equality_signs_are_steps(sign):
    report, steps = _steps(rf"\begin{{align*}} \mathbb{{E}}[R \odot X] &= pX \\ &{sign} 2pX \end{{align*}}")
    assert [s[2] for s in steps] == ["valid", "invalid"]


def test_an_annotated_equality_starting_the_chain_is_a_step():
    assert _steps(r"\begin{align*} \mathbb{E}[R \odot X] &\stackrel{(a)}{=} 2pX \end{align*}")[1][0][2] == "invalid"


@pytest.mark.parametrize("between", [r"\quad\text{and}\quad", r"\text{ and }", r",", r", \qquad", r"\quad",
                                     r";\ ", r"\qquad\text{hence}\qquad", r"\mbox{ and }", r"\quad\text{, and }"])
def test_two_equalities_on_one_row_are_two_steps(between):
    report, steps = _steps(rf"\[ \mathbb{{E}}[R \odot X] = pX {between} \mathbb{{E}}[R \odot X] = 2pX \]")
    assert [s[2] for s in steps] == ["valid", "invalid"], between


def test_a_second_align_column_pair_is_its_own_chain():
    _, steps = _steps(r"\begin{align*} \mathbb{E}[R \odot X] &= pX & X &= 2X \end{align*}")
    assert [(s[0], s[1]) for s in steps] == [(r"\mathbb{E}[R \odot X]", "pX"), ("X", "2X")]


def test_reason_columns_are_not_steps_and_their_equalities_are_noted():
    report, steps = _steps(r"\begin{align*} \mathbb{E}[R \odot X] &= pX && \text{since $\mathbb{E}[R_{ij}] = p$} \\"
                           r" &= Xp && \text{by \eqref{eq:1}} \\ &= Xp && (\mathbb{E}[R] = p) \end{align*}")
    assert [s[2] for s in steps] == ["valid"] * 3
    assert sum("reason" in n for n in report.notes) == 2


def test_a_reason_in_prose_is_not_a_step_and_is_noted():
    report, steps = _steps(r"\[ \mathbb{E}[R \odot X] = pX \text{ since } \mathbb{E}[R] = 2p \]")
    assert [s[2] for s in steps] == ["valid"] and any("reason" in n for n in report.notes)


def test_stacked_def_and_coloneqq_define_and_start_a_chain():
    _, steps = _steps(r"\[ M \stackrel{\text{def}}{=} \mathbb{E}[R \odot X] = pX \] \[ M = pX \]")
    assert [s[2] for s in steps] == ["valid", "valid"]
    _, steps = _steps(r"\[ P \coloneqq R \odot X = 2 R \odot X \]")
    assert steps == [(r"R \odot X", r"2 R \odot X", "invalid")]


def test_two_definitions_with_chains_on_one_row_keep_both_chains():
    doc = _read_document(r"\[ P := R \odot X = A, \quad Q := X = B \]", SCOPE)
    assert [(lhs.latex(), rhs.latex()) for lhs, rhs, _ in doc.pairs] == [(r"R \odot X", "A"), ("X", "B")]
    assert [d.name.text for d in doc.definitions] == ["P", "Q"]


def test_cases_rows_are_one_expression_not_rows():
    assert _math(r"\[ a = \begin{cases} p^2 & j \neq k \\ p & j = k \end{cases} \]") == \
        [r"a = \begin{cases} p^2 & j \neq k \\ p & j = k \end{cases}"]


# ---- substitutions stated in prose -------------------------------------------------------------------------


VERBS = ["where", "with", "let", "setting", "set", "take", "taking", "plugging in", "substituting", "rescale",
         "using", "put", "and let"]


@pytest.mark.parametrize("verb", VERBS)
def test_a_substitution_in_text_holds_for_its_own_step(verb):
    report, steps = _steps(rf"\[ p X = \frac12 X \quad \text{{{verb} }} p = \frac12 \]")
    assert [s[2] for s in steps] == ["valid"], (verb, report.notes)


def test_without_the_substitution_the_step_is_wrong():
    assert _steps(r"\[ p X = \frac12 X \]")[1][0][2] == "invalid"


@pytest.mark.parametrize("prose", ["Plugging in $p = \\frac12$, we get", "Setting $p=\\frac12$:", "We take $p = 1/2$.",
                                   "Substituting $p = \\frac{1}{2}$ gives", "Rescale with $p = \\frac12$ so that"])
def test_a_substitution_in_prose_holds_from_there_on(prose):
    _, steps = _steps(rf"\[ p X = p X \] {prose} \[ p X = \frac12 X \]")
    assert [s[2] for s in steps] == ["valid", "valid"], prose


def test_a_substitution_in_prose_does_not_hold_before_it():
    _, steps = _steps(r"\[ p X = \frac12 X \] Plugging in $p = \frac12$ gives nothing new.")
    assert steps[0][2] == "invalid"


# ---- layout: intertext, split, aligned, gathered, labels --------------------------------------------------


def test_intertext_breaks_rows_and_may_define():
    _, steps = _steps(r"\begin{align*} \mathbb{E}[R \odot X] &= p X \intertext{and, by linearity,} &= X p \end{align*}")
    assert [s[2] for s in steps] == ["valid", "valid"]
    _, steps = _steps(r"\begin{align*} X &= X \intertext{where $p = \frac12$} p X &= \frac12 X \end{align*}")
    assert [s[2] for s in steps] == ["valid", "valid"]


@pytest.mark.parametrize("env", ["split", "aligned", "gathered"])
def test_inner_environments_are_rows(env):
    amp = "" if env == "gathered" else "&"
    _, steps = _steps(rf"\begin{{equation}}\begin{{{env}}} \mathbb{{E}}[R \odot X] {amp}= pX \\ {amp}= 2Xp "
                      rf"\end{{{env}}}\label{{eq:a}}\tag{{3}}\end{{equation}} see \eqref{{eq:a}}")
    assert [s[2] for s in steps] == ["valid", "invalid"]


# ---- what TeX never reads -------------------------------------------------------------------------------------


def test_iffalse_verbatim_and_comment_are_not_read():
    text = ("\\iffalse \\[ p = 2p \\] Let $p = 0$. \\fi\n\\begin{comment} \\[ p = 3p \\] \\end{comment}\n"
            "\\begin{verbatim} \\[ p = 4p \\] \\end{verbatim} \\verb|\\[ p = 5p \\]|\n\\[ p = p \\]")
    report, steps = _steps(text)
    assert steps == [("p", "p", "valid")] and report.verdict == "valid"


def test_nested_ifs_inside_iffalse():
    _, steps = _steps("\\iffalse \\ifdim x \\[ p = 2p \\] \\fi \\[ p = 3p \\] \\fi \\[ p = p \\]")
    assert steps == [("p", "p", "valid")]


def test_double_backslash_percent_is_a_row_break_then_a_comment():
    _, steps = _steps("\\begin{align*} p &= p \\\\% &= 2p\n &= p \\end{align*}")
    assert [s[2] for s in steps] == ["valid", "valid"]
    assert _math("\\[ 100\\% = 1 % a comment\n \\]") == ["100\\% = 1"]
    assert _math("\\[ a = b \\\\\\% c \\]") == ["a = b", "\\% c"]


# ---- broken documents are reported with their line, never judged -------------------------------------------


@pytest.mark.parametrize("text, line", [
    ("\\[ p = p \\]\n\\begin{align*}\np &= p \\\\\n &= p\n", 2),
    ("\\[ p = p \\]\n\n\\[ p = \\frac{p}{1}", 3),
    ("\\[ p = p \\]\n\\begin{align*} p &= \\frac{p}{ \\end{align*}", 2),
    ("\\[ p = p \\]\n$$ p = p", 2),
    ("\\[ p = p \\]\n\\begin{align*} p &= p \\end{gather*}\n", 2),
    ("\\iffalse\n\\[ p = p \\]", 1),
])
def test_a_broken_document_is_unparsed_with_its_line(text, line):
    report = check_derivation_text(text)
    assert report.verdict == "unparsed"
    assert any(n.startswith(f"line {line},") for n in report.notes), report.notes


def test_steps_inside_an_unclosed_environment_are_not_judged():
    report = check_derivation_text("\\[ p = p \\]\n\\begin{align*}\np &= p \\\\\n &= 2p\n")
    assert [s.verdict for s in report.steps] == ["valid", "unparsed", "unparsed"]
    assert "never closed" in report.steps[1].message and report.first_bad_step == 2


def test_a_problem_in_one_block_ends_with_that_block():
    report = check_derivation_text("\\[ p = \\frac{p}{ \\]\n\\[ p = p \\]")
    assert report.steps[0].verdict == "unparsed" and report.steps[1].verdict == "valid"
    assert report.verdict == "unparsed"


# ---- linear time (issue 10) -------------------------------------------------------------------------------


ANNOTATED_ROW = (r"a &= b \quad \text{(by linearity)}, c = d && \text{since $x=y$} \\" "\n"
                 r"&= \underbrace{p}_{\text{mean}} \stackrel{(a)}{=} \E[x] \text{ and } \norm{e} = f \\" "\n"
                 "% a comment line\n")


def _document(size):
    head = "\\newcommand{\\E}{\\mathbb{E}}\\newcommand{\\norm}[1]{\\|#1\\|}\n\\begin{align*}\n"
    body = ANNOTATED_ROW * ((size - len(head)) // len(ANNOTATED_ROW))
    return head + body + "\\end{align*}\n" + "Let $q = r$, ok. " * 10


def _reading_seconds(text):
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        _read_document(text, SCOPE)
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.slow
def test_reading_is_linear_in_the_document_size():
    small, large = _reading_seconds(_document(100_000)), _reading_seconds(_document(990_000))
    assert large / small < 25, f"100 KB: {small:.2f} s, 1 MB: {large:.2f} s (ratio {large / small:.1f}; linear is ~10)"


@pytest.mark.parametrize("name", ["texsource", "macros"])
def test_docstring_examples_run(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"derivlab.checking.{name}"))
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("arrow", [r"\implies", r"\Rightarrow", r"\iff", r"\Longleftrightarrow", r"\quad\therefore"])
def test_equalities_joined_by_an_implication_are_two_chains(arrow):
    _, steps = _steps(rf"\[ \mathbb{{E}}[R \odot X] = pX {arrow} \mathbb{{E}}[R \odot X] = 2pX \]")
    assert [s[2] for s in steps] == ["valid", "invalid"]


def test_an_implication_without_two_equalities_stays_for_the_parser():
    assert _steps(r"\[ p = p \Rightarrow 2 \]")[1][0][1] == r"p \Rightarrow 2"


@pytest.mark.parametrize("sign", [r"\not=", r"\not =", r"\not\equiv", r"\neq", r"\leq", r"\geq"])
def test_negated_and_order_relations_are_not_equalities(sign):
    assert _read_document(rf"\[ p {sign} 2p \]", SCOPE).pairs == []


TOKENS = ["\\[", "\\]", "$$", "$", "\\begin{align*}", "\\end{align*}", "\\begin{cases}", "\\end{cases}", "{", "}",
          "(", ")", "&", "&&", "\\\\", "%", "\\%", "\n", "=", ":=", "\\coloneqq", "\\stackrel{(a)}{=}", "\\overset{",
          "\\underbrace{a}_{\\text{x}}", "\\text{where }", "\\text{and}", "\\text{since $", "\\text{2}", "\\quad", ",",
          "\\intertext{", "\\iffalse", "\\fi", "\\begin{comment}", "\\newcommand{\\E}[1]{#1#1}", "\\E", "\\def\\x{\\x}",
          "\\x", "p", "X", "w_{\\text{new}}", "\\frac12", "\\implies", "\\verb|", "Let ", "\\equiv", "\\label{a}"]


def test_any_mix_of_document_constructs_is_read_without_an_error():
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(TOKENS), max_size=40))
    def read(tokens):
        doc = _read_document(" ".join(tokens), SCOPE)
        for lhs, rhs, eq in doc.pairs:
            doc.where.line_col(eq)
            lhs.latex(), rhs.latex()

    read()


@pytest.mark.slow
def test_any_mix_of_document_constructs_gets_a_verdict():
    from hypothesis import given, settings, strategies as st

    from derivlab.checking.derivation import VERDICTS

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(TOKENS), max_size=30))
    def judge(tokens):
        report = check_derivation_text(" ".join(tokens))
        assert report.verdict in VERDICTS
        assert all(s.verdict in VERDICTS for s in report.steps)

    judge()


def test_what_is_seen_but_not_judged_is_said():
    cases = {
        r"\[ p X = X \quad \text{for } p = 1 \]": "condition",
        r"\[ pX = pX \quad \text{(by $p = 2$)} \]": "reason",
        r"\[ pX = pX \quad \text{note: here $p = 2$} \]": "reason",
        r"\[ pX = pX \quad \text{ok $p = 2$} \]": "comment",
        r"\[ a = b, \text{ where } P = R \odot X = 2 \]": "after a definition",
        r"\[ pX = \frac12 X \quad \text{(where $p = \frac12$)} \]": "substituted",
    }
    for text, word in cases.items():
        assert any(word in n for n in check_derivation_text(text).notes), text


def test_a_let_row_that_goes_on_defines_and_is_a_step():
    report, steps = _steps(r"\[ \text{let } P = R \odot X = 2 R \odot X \]")
    assert steps == [(r"R \odot X", r"2 R \odot X", "invalid")]


SIGNS = ["=", r"\stackrel{(a)}{=}", r"\overset{\text{lin.}}{=}", r"\underset{(3)}{=}", r"\equiv", r"\stackrel{(i)}{\equiv}"]
BETWEEN = [",", r"\quad", r"\qquad", r"\text{and}", r"\quad\text{and}\quad", r"\text{ and }", ";", r"\implies",
           r",\quad\text{hence}\quad", r"\iff"]
SIDES = ["p", "2p", r"\frac12 p", r"\mathbb{E}[R]", "(1-p)", r"p^{2}", r"\mathbf{w}_{\text{new}}", r"\text{2}"]


def test_every_equality_written_is_a_step_or_a_note():
    from hypothesis import given, settings, strategies as st

    chain = st.lists(st.tuples(st.sampled_from(SIGNS), st.sampled_from(SIDES)), min_size=1, max_size=3)
    row = st.tuples(st.sampled_from(SIDES), st.lists(st.tuples(st.sampled_from(BETWEEN), st.sampled_from(SIDES),
                                                               chain), max_size=2), chain, st.booleans())

    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(st.lists(row, min_size=1, max_size=3))
    def count(rows):
        written, noted, lines = 0, 0, []
        for first, others, tail, reason in rows:
            text = first + "".join(f" {s} {e}" for s, e in tail)
            written += len(tail)
            for sep, head, more in others:
                text += f" {sep} {head}" + "".join(f" {s} {e}" for s, e in more)
                written += len(more)
            if reason:
                text += r" && \text{since $p = p$}"
                noted += 1
            lines.append(text)
        doc = _read_document("\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}", SCOPE)
        assert len(doc.pairs) == written, lines
        assert len(doc.notes) == noted, lines

    count()


@pytest.mark.parametrize("words", [r"\text{ minus }", r"\text{ times }", r"\mbox{ and }", r"\textrm{ plus }"])
def test_words_between_two_operands_are_refused_not_deleted(words):
    # deleting them would read "pX minus X" as the product pX·X
    _, steps = _steps(rf"\[ pX = pX {words} X \]")
    assert steps[0][2] == "unparsed" and words in steps[0][1]


def test_words_before_or_after_the_math_are_prose():
    assert _math(r"\[ \text{Then we get } a = b \text{ (by linearity)} \]") == ["a = b"]


def test_markdown_code_blocks_are_not_read():
    text = "# Answer\n```latex\n$$ p = 2p $$\n```\n$$ p = p $$\n~~~\n$$ p = 3p $$\n~~~\n"
    report, steps = _steps(text)
    assert steps == [("p", "p", "valid")] and report.steps[0].line == 5
