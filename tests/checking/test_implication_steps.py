"""Regressions for implication and gradient steps found while building the minimiser corpus.

* A conclusion is read with the definitions in force at the CONCLUSION: "Let $v = p\\tilde w$. Hence \\[ v = … \\]"
  used to parse v in the scope of the condition (v unknown there), so the link was dropped and the conclusion was
  checked as an identity (invalid).
* Gradients and implications keep the cached values that do not involve the variable that moves; a defined name
  whose body involves it (z = y − pXw̃, g = 2pAw̃ − 2pXᵀy) must still be recomputed.
"""

from derivlab.checking.derivation import check_derivation_text

GRADIENT = r"\nabla_{\tilde w}\left(\|y - pX\tilde w\|^2 + p(1-p)\|\Gamma\tilde w\|^2\right)"
SOLVED = (r"Let $A = pX^\top X + (1-p)\Gamma^2$." "\n"
          rf"\[ {GRADIENT} = 2pA\tilde w - 2pX^\top y = 0 \implies \tilde w = A^{{-1}}X^\top y \]" "\n")


def steps(text: str, context: str = "dropout"):
    return check_derivation_text(text, context=context).steps


def test_a_conclusion_is_read_with_a_definition_made_before_it():
    right = steps(SOLVED + "Let $v = p\\tilde w$. Hence\n"
                  r"\[ v = \left(X^\top X + \lambda\Gamma^2\right)^{-1}X^\top y \]")
    assert [s.verdict for s in right] == ["valid"] * 4
    assert right[3].method.startswith("implication") and right[3].premise == r"\tilde w = A^{-1}X^\top y"
    wrong = steps(SOLVED + "Let $v = p\\tilde w$. Hence\n"
                  r"\[ v = \left(X^\top X + \frac{p}{1-p}\Gamma^2\right)^{-1}X^\top y \]")
    assert [s.verdict for s in wrong] == ["valid", "valid", "valid", "invalid"]
    assert "solution" in wrong[3].counterexample


def test_a_context_symbol_defined_in_prose_is_concluded():
    found = steps(SOLVED + "Let $w_{new} = p\\tilde w$. Therefore\n"
                  r"\[ w_{new} = \left(X^\top X + \lambda\Gamma^2\right)^{-1}X^\top y \]")
    assert [s.verdict for s in found] == ["valid"] * 4 and found[3].premise


def test_a_gradient_recomputes_a_defined_name_that_involves_the_variable():
    found = steps("Let $z = y - pX\\tilde w$.\n"
                  r"\[ \nabla_{\tilde w}\|z\|^2 = -2pX^\top z \]" "\n"
                  r"\[ \nabla_{\tilde w}\|z\|^2 = -2X^\top z \]" "\n"
                  r"\[ \nabla_{\tilde w}\left(\|z\|^2 + p\|\Gamma\tilde w\|^2\right) = -2pX^\top z + 2p\Gamma^2\tilde w \]")
    assert [s.verdict for s in found] == ["valid", "invalid", "valid"]


def test_an_implication_recomputes_a_named_condition():
    found = steps("Let $A = pX^\\top X + (1-p)\\Gamma^2$. Let $g = 2pA\\tilde w - 2pX^\\top y$.\n"
                  rf"\[ {GRADIENT} = g = 0 \implies \tilde w = A^{{-1}}X^\top y \]" "\n"
                  rf"\[ {GRADIENT} = g = 0 \implies \tilde w = pA^{{-1}}X^\top y \]")
    assert [s.verdict for s in found] == ["valid", "valid", "valid", "valid", "valid", "invalid"]
    assert found[5].counterexample["solution"]
