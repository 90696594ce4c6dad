"""Hypothesis properties: random polynomial identities written in the grammar are valid;
perturbing the right side makes them invalid."""

from hypothesis import given, settings, strategies as st

from derivlab.checking.derivation import check_derivation_text

# (one spelling, an equal spelling) of scalar building blocks
ATOMS = [
    ("p", "p"),
    ("(1-p)", "(1 - p)"),
    (r"y^\top y", r"\|y\|^2"),
    (r"w^\top X^\top y", r"y^\top X w"),
    (r"\mathbb{E}_R[w^\top (R\odot X)^\top y]", r"(p\, y^\top X w)"),
    (r"\|Xw\|^2", r"(w^\top X^\top X w)"),
    (r"\mathbb{E}_R\|(R\odot X)w\|^2", r"(p^2\|Xw\|^2 + p(1-p)\|\Gamma w\|^2)"),
]

terms = st.lists(st.tuples(st.integers(-4, 4).filter(bool), st.lists(st.integers(0, len(ATOMS) - 1), min_size=1,
                                                                      max_size=3)), min_size=1, max_size=3)


def _sides(polynomial):
    left = " + ".join(f"({c}) " + " ".join(ATOMS[i][0] for i in atoms) for c, atoms in polynomial)
    right = " + ".join(" ".join(ATOMS[i][1] for i in reversed(atoms)) + f" ({c})" for c, atoms in reversed(polynomial))
    return left, right


@settings(max_examples=12)
@given(terms)
def test_equal_spellings_of_a_polynomial_are_valid(polynomial):
    left, right = _sides(polynomial)
    report = check_derivation_text(rf"\[ {left} = {right} \]")
    assert report.verdict == "valid", (left, right, report.steps[0].message)


@settings(max_examples=12)
@given(terms, st.integers(0, 2))
def test_a_perturbed_right_side_is_invalid(polynomial, which):
    left, right = _sides(polynomial)
    k = which % len(polynomial)
    c, atoms = polynomial[k]
    changed = list(polynomial)
    changed[k] = (c + 1 if c != -1 else 2, atoms)
    _, wrong = _sides(changed)
    report = check_derivation_text(rf"\[ {left} = {wrong} \]")
    assert report.verdict == "invalid"
    assert report.steps[0].counterexample is not None
