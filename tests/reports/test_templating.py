"""LaTeX templates: \\VAR{} escapes by default; only derivlab's own LaTeX passes unescaped."""

import jinja2
import pytest

from derivlab.reports.templating import render_string, trusted


def test_plain_values_are_escaped():
    assert render_string(r"\VAR{x}", x="50% & $x_1$") == r"50\% \& \$x\_1\$"


def test_trusted_latex_passes_unchanged():
    assert render_string(r"\VAR{x}", x=trusted(r"\alpha_1 & \beta")) == r"\alpha_1 & \beta"


def test_macro_output_is_not_escaped_twice():
    source = r"\BLOCK{macro box(v)}[\VAR{v}]\BLOCK{endmacro}\VAR{box(x)}"
    assert render_string(source, x="a&b") == r"[a\&b]"


def test_block_statements_use_latex_safe_delimiters():
    assert render_string(r"\BLOCK{for i in xs}\VAR{i},\BLOCK{endfor}", xs=[1, 2]) == "1,2,"


def test_missing_values_are_an_error_not_silence():
    with pytest.raises(jinja2.UndefinedError):
        render_string(r"\VAR{nothing}")


def test_small_numbers_use_scientific_notation():
    assert render_string(r"\VAR{x|num}", x=1.5e-7) == r"\ensuremath{1.50 \times 10^{-7}}"


def test_dropout_derivation_template_writes_student_rows():
    from types import SimpleNamespace as Step

    from derivlab.reports.derivation_file import dropout_derivation_tex

    tex = dropout_derivation_tex([Step(latex="a", rule=""), Step(latex="b", rule=""), Step(latex="c", rule="")])
    body = tex[tex.index(r"\begin{align*}"):tex.index(r"\end{align*}")]
    assert [line.strip() for line in body.splitlines()[1:]] == ["a", r"\\", "&= b", r"\\", "&= c"]


def test_feedback_template_escapes_student_expressions():
    from derivlab.reports.feedback import feedback_tex
    from derivlab.reports.gradescope import GradescopeTest
    from derivlab.reports.submission import SubmissionOutcome

    step = {"index": 1, "line": 3, "lhs_latex": r"\input{/etc/passwd}", "rhs_latex": "x", "verdict": "unparsed",
            "method": "", "message": r"\write18{rm -rf /}", "counterexample": None, "hint": None}
    outcome = SubmissionOutcome("s", (GradescopeTest("Q3", 0.0, 1.0, "x", tags=("derivation",)),),
                                {"verdict": "unparsed", "first_bad_step": 1, "steps": [step]})
    tex = feedback_tex(outcome)
    assert r"\input{/etc/passwd}" not in tex and r"\write18{" not in tex
    assert r"\textbackslash{}input\{/etc/passwd\}" in tex
