"""The grammar reads the notation table of docs/spec/derivation-format.md into typed trees."""

import pytest

from derivlab.checking.context import load_context
from derivlab.checking.expr import Expectation, Hadamard, MatMul, Scale, render
from derivlab.checking.failures import IllTyped, Undecided, Unparsed
from derivlab.checking.parse import chain_name, mark_delimiters, parse_expression, symbol_key

SCOPE = load_context("dropout")


def parse(text):
    return parse_expression(text, SCOPE)


@pytest.mark.parametrize("spelling", [
    r"\|v\|_2^2", r"\|v\|^2", r"\lVert v\rVert_2^2", r"\left\| v \right\|_2^2", r"\Vert v\Vert^2", r"||v||^2",
    r"\big\| v \big\|^2", r"‖v‖^2",
])
def test_squared_norm_spellings_agree(spelling):
    v = r"(y - Xw)"
    assert parse(spelling.replace("v", v)) == parse(rf"\|{v}\|^2")


@pytest.mark.parametrize("spelling", [
    r"\mathbb{E}[@]", r"\mathbb{E}_{R}[@]", r"\mathbb{E}_{R\sim \text{Bernoulli}(p)}[@]", r"E_R[@]",
    r"E_{R \sim \text{Bernoulli}(p)}[@]", r"\mathcal{E}_{R}[@]", r"\operatorname{E}[@]",
    r"\mathbb{E}_R\left[@\right]", r"\mathbb{E}_R\big[@\big]", r"\mathbb{E}_R(@)",
])
def test_expectation_spellings_agree(spelling):
    body = r"(R \odot X) w"
    assert parse(spelling.replace("@", body)) == parse(rf"\mathbb{{E}}_R[{body}]")


@pytest.mark.parametrize("op", [r"\odot", r"\circ", r"\bullet", "*"])
def test_elementwise_product_spellings(op):
    assert parse(f"R {op} X") == parse(r"R \odot X")


@pytest.mark.parametrize("t", ["^T", "^{T}", r"^\top", r"^{\top}", r"^\intercal", r"^{\mathsf T}", "'"])
def test_transpose_spellings(t):
    assert parse(f"X{t} y") == parse(r"X^\top y")


@pytest.mark.parametrize("d", [r"\operatorname{diag}", r"\mathrm{diag}", r"\text{diag}", r"\diag"])
def test_diag_spellings(d):
    assert parse(f"{d}(X^T X)") == parse(r"\operatorname{diag}(X^T X)")


@pytest.mark.parametrize("root", [r"M^{1/2}", r"M^{\frac12}", r"M^{\frac{1}{2}}", r"\sqrt{M}"])
def test_square_root_spellings_of_a_diagonal_matrix(root):
    assert parse(root.replace("M", r"\operatorname{diag}(X^T X)")) == parse(r"\Gamma").body


@pytest.mark.parametrize("name,same", [
    (r"\mathbf{y}", "y"), (r"\boldsymbol{y}", "y"), (r"\bm{y}", "y"), (r"\vec{y}", "y"),
    (r"\tilde{w}", "w"), (r"\tilde{\mathbf{w}}", "w"), (r"w_{\text{new}}", "w_{new}"), (r"\Gamma_{\text{new}}", r"\Gamma_{new}"),
    (r"\tilde\Gamma", r"\Gamma"),
])
def test_decorations_name_the_same_variable(name, same):
    assert parse(name) == parse(same)


def test_symbol_keys():
    assert symbol_key(r"\tilde{\mathbf{w}}") == "~w"
    assert symbol_key(r"w_{\text{new}}") == "w_new"
    assert symbol_key(r"\mathbf{1}_m") == "bold:1_m"


def test_juxtaposed_letters_are_separate_symbols():
    assert render(parse("pXw")) == "p X w"
    assert parse("2w^T P^T y".replace("P", "X")) == parse(r"2 \cdot w^\top X^\top y")


def test_elementwise_and_matrix_products_bind_equally_left_to_right():
    tree = parse(r"R \odot X w")
    assert isinstance(tree, MatMul) and isinstance(tree.left, Hadamard)


def test_transpose_binds_tighter_than_products():
    assert parse(r"(R \odot X)^\top y").shape == ("d", 1)


def test_declared_scalar_before_parentheses_is_a_product():
    tree = parse("p(1-p)")
    assert isinstance(tree, MatMul) and tree.is_scalar


def test_undeclared_name_before_parentheses_is_ambiguous():
    with pytest.raises(Unparsed, match="ambiguous"):
        parse("q(1-q)")


def test_undeclared_symbol_is_reported_with_its_position():
    with pytest.raises(Unparsed, match="unknown symbol 'P'") as err:
        parse("y - P w")
    assert err.value.offset == 4


def test_an_entry_is_a_scalar():
    assert parse("X_{ij}").shape == (1, 1)


def test_a_subscript_that_is_not_an_index_is_an_unknown_name():
    with pytest.raises(Unparsed, match="unknown symbol 'X_{old}'"):
        parse("X_{old}")


def test_unknown_command_is_named():
    with pytest.raises(Unparsed, match=r"\\prod"):
        parse(r"\prod_{k=1}^{n} y")


def test_an_unclosed_norm_says_what_was_expected():
    with pytest.raises(Unparsed, match="closing ‖"):
        parse(r"\|y - Xw")


def test_shapes_are_checked_while_parsing():
    with pytest.raises(IllTyped, match="is n×n; it cannot multiply `w`, which has d rows"):
        parse(r"X X^T w")


def test_huge_exponents_are_refused_not_evaluated():
    with pytest.raises(Undecided, match="limit"):
        parse(r"10^{10^{10}}")


def test_nesting_is_bounded():
    with pytest.raises(Unparsed, match="nested deeper"):
        parse("{" * 1000 + "p" + "}" * 1000)


def test_expectation_without_brackets_takes_one_factor():
    tree = parse(r"\mathbb{E}_R \|y - (R\odot X) w\|^2 + p")
    assert isinstance(tree.left, Expectation)


def test_power_after_bracketed_expectation_applies_to_the_expectation():
    assert render(parse(r"\mathbb{E}_R[p]^2")) == "E_R[p]^2"


def test_expectation_over_a_non_random_variable_is_ill_typed():
    with pytest.raises(IllTyped, match="not a random variable"):
        parse(r"\mathbb{E}_w[y]")


def test_scalar_multiple_is_a_scale_node():
    assert isinstance(parse("p X"), Scale)


def test_delimiter_marking_keeps_positions():
    text = r"\left\| y \right\|^2 + \|a\|\|b\|"
    marked = mark_delimiters(text)
    assert len(marked) == len(text)
    assert marked.count("⟦") == 3 and marked.count("⟧") == 3


def test_chain_name_is_an_undeclared_function_of_arguments():
    assert chain_name(r"\mathcal{L}(\tilde{\mathbf{w}})", SCOPE)
    assert chain_name(r"L(w)", SCOPE)
    assert chain_name(r"p(1-p)", SCOPE) is None
    assert chain_name(r"\|y\|^2", SCOPE) is None
