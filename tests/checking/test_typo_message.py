"""A mistyped command (``\\odott``) is named as such, with the command it was probably meant to be."""

from derivlab.checking.derivation import check_derivation_text


def test_a_command_with_letters_glued_on_is_reported_as_an_unknown_command():
    step = check_derivation_text(r"\[ R \odott X = X \]").steps[0]
    assert step.verdict == "unparsed"
    assert r"unknown command '\odott': did you mean '\odot'?" in step.message
    assert "unknown symbol 't'" not in step.message


def test_a_separate_undeclared_symbol_is_still_an_unknown_symbol():
    step = check_derivation_text(r"\[ R \odot t = X \]").steps[0]
    assert "unknown symbol 't'" in step.message
