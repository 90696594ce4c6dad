"""compile_pdf: a real TeX engine, safe flags, errors from the log, a time limit."""


import pytest

from derivlab.errors import VerificationFailure
from derivlab.reports.tex import compile_pdf, page_count, paranoid_env

pytestmark = pytest.mark.tex


def _doc(tmp_path, body, name="doc.tex"):
    tex = tmp_path / name
    tex.write_text("\\documentclass{article}\\begin{document}\n" + body + "\n\\end{document}\n")
    return tex


def test_two_page_document_compiles_and_counts_its_pages(tmp_path):
    compiled = compile_pdf(_doc(tmp_path, "one\\newpage two"), engine="pdflatex", passes=1)
    assert compiled.pdf.exists() and compiled.pages == 2


def test_page_count_without_a_log_reads_the_pdf(tmp_path):
    compiled = compile_pdf(_doc(tmp_path, "a\\newpage b\\newpage c"), engine="pdflatex", passes=1)
    assert page_count(compiled.pdf, log=None) == 3


def test_errors_are_reported_from_the_log(tmp_path):
    with pytest.raises(VerificationFailure, match="Undefined control sequence"):
        compile_pdf(_doc(tmp_path, "\\nosuchmacro"), engine="pdflatex", passes=1)


def test_reading_an_absolute_path_is_refused(tmp_path):
    with pytest.raises(VerificationFailure, match="passwd"):
        compile_pdf(_doc(tmp_path, "\\input{/etc/passwd}"), engine="pdflatex", passes=1)


def test_shell_escape_runs_nothing(tmp_path):
    compile_pdf(_doc(tmp_path, "\\immediate\\write18{touch pwned}ok"), engine="pdflatex", passes=1)
    assert not (tmp_path / "pwned").exists()


def test_a_runaway_document_is_killed_at_the_time_limit(tmp_path):
    with pytest.raises(VerificationFailure, match="timed out"):
        compile_pdf(_doc(tmp_path, "\\def\\loop{\\loop}\\loop"), engine="pdflatex", passes=1, timeout=2)


def test_tex_runs_with_paranoid_file_access():
    env = paranoid_env()
    assert (env["openin_any"], env["openout_any"], env["shell_escape"]) == ("p", "p", "f")
