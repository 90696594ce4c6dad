"""escape_latex: student text typesets literally, never as TeX commands."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivlab.reports.latex_escape import SPECIALS, escape_latex, is_escaped


@pytest.mark.parametrize("char", sorted(SPECIALS))
def test_every_special_character_is_replaced(char):
    assert escape_latex(char) == SPECIALS[char]


def test_input_command_becomes_text():
    assert escape_latex(r"\input{/etc/passwd}") == r"\textbackslash{}input\{/etc/passwd\}"


def test_catcode_trick_loses_its_carets():
    assert "^" not in escape_latex(r"^^5cinput{/etc/passwd}")


def test_control_characters_become_visible_code_points():
    assert escape_latex("a\x07b\x00") == "a[U+0007]b[U+0000]"


def test_newlines_and_tabs_become_spaces():
    assert escape_latex("a\nb\tc") == "a b c"


def test_course_symbols_are_typeset_as_math():
    assert escape_latex("R ⊙ X") == r"R \ensuremath{\odot} X"


def test_combining_tilde_becomes_a_math_accent():
    assert escape_latex("w\u0303") == r"\ensuremath{\tilde{w}}"


def test_long_text_is_cut_visibly():
    out = escape_latex("x" * 50, max_chars=10)
    assert out == "x" * 10 + " [... 40 characters cut]"


def test_is_escaped_rejects_a_raw_command():
    assert not is_escaped(r"\input{x}")


@given(st.text())
def test_any_text_escapes_to_known_tokens_only(text):
    assert is_escaped(escape_latex(text))


@given(st.text(alphabet=st.sampled_from("\\{}$&#^_%~<>|\"")))
def test_specials_never_survive_unescaped(text):
    out = escape_latex(text)
    stripped = out
    for token in sorted(set(SPECIALS.values()), key=len, reverse=True):
        stripped = stripped.replace(token, "")
    assert stripped == ""


@pytest.mark.slow
@pytest.mark.tex
@settings(max_examples=3)
@given(st.lists(st.text(min_size=1, max_size=80), min_size=20, max_size=40))
def test_escaped_arbitrary_text_compiles(tmp_path_factory, texts):
    from derivlab.reports.tex import compile_pdf

    folder = tmp_path_factory.mktemp("escape")
    body = "\n\n".join(escape_latex(t) for t in texts)
    tex = folder / "doc.tex"
    tex.write_text("\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{amssymb}"
                   "\\begin{document}\n" + body + "\n\\end{document}\n", encoding="utf-8")
    assert compile_pdf(tex, engine="pdflatex", passes=1, timeout=60).pages >= 1
