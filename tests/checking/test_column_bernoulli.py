"""A keep probability per column, R_ij ~ Bernoulli(p_j) independent: the built-in context
``column-dropout``, the evaluator's per-mask parameters (``Field.expect``, the mask enumeration),
the SymPy cross-check, and the write-ups in ``examples/column_dropout`` — every expectation
compared with brute-force enumeration over all masks at tiny sizes."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import product
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import derivlab.checking
from derivlab.checking.context import builtin_contexts, context_from_toml, load_context
from derivlab.checking.derivation import check_derivation_text
from derivlab.checking.evaluate import Point, make_evaluator
from derivlab.checking.exact import Field
from derivlab.checking.expr import Expectation
from derivlab.checking.parse import parse_expression
from derivlab.checking.symbolic import confirm, evaluate_at
from derivlab.derivations.bernoulli_moments import expect_polynomial
from derivlab.derivations.moments import ColumnBernoulli

PACKAGE = Path(derivlab.checking.__file__).parent
WRITEUPS = PACKAGE / "examples" / "column_dropout"
CONTEXT_FILE = PACKAGE / "contexts" / "column-dropout.toml"
SCOPE = load_context("column-dropout")
OBJECTIVE = r"\mathbb{E}_R\left[\|y - (R \odot X)w\|_2^2\right]"


def steps(*rows: str, context=SCOPE):
    text = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    return check_derivation_text(text, context=context).steps


def verdict(row: str, context=SCOPE) -> str:
    (step,) = steps(row, context=context)
    return step.verdict


# ---- exact arithmetic, independent of the checker: brute force over every mask ---------------------


def q(x) -> Fraction:
    return Fraction(str(x))


def column(v) -> list[Fraction]:
    return [q(x) for x in v]


def matrix(rows) -> list[list[Fraction]]:
    return [[q(x) for x in row] for row in rows]


def masks(n: int, d: int):
    """Every 0/1 n x d mask with its probability ∏_ij p_j^r (1 − p_j)^(1 − r)."""
    for bits in product((0, 1), repeat=n * d):
        yield [list(bits[i * d:(i + 1) * d]) for i in range(n)]


def weight(mask, p) -> Fraction:
    out = Fraction(1)
    for row in mask:
        for j, r in enumerate(row):
            out *= p[j] if r else 1 - p[j]
    return out


def brute_objective(X, y, w, p) -> Fraction:
    """E_R ||y − (R ⊙ X) w||² by enumerating every mask."""
    n, d = len(X), len(X[0])
    total = Fraction(0)
    for mask in masks(n, d):
        residual = [y[i] - sum(mask[i][j] * X[i][j] * w[j] for j in range(d)) for i in range(n)]
        total += weight(mask, p) * sum(r * r for r in residual)
    return total


def closed_form(X, y, w, p, variance) -> Fraction:
    """||y − X diag(p) w||² + Σ_j variance_j (XᵀX)_jj w_j² (variance_j = p_j(1 − p_j) when correct)."""
    n, d = len(X), len(X[0])
    mean = sum((y[i] - sum(X[i][j] * p[j] * w[j] for j in range(d))) ** 2 for i in range(n))
    return mean + sum(variance[j] * sum(X[i][j] ** 2 for i in range(n)) * w[j] ** 2 for j in range(d))


rationals = st.fractions(min_value=-5, max_value=5, max_denominator=4)
probabilities = st.fractions(min_value=Fraction(1, 20), max_value=Fraction(19, 20), max_denominator=20)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.data())
def test_the_identity_itself_by_brute_force(n, d, data):
    """The statement the write-up proves, checked without the checker (every mask enumerated)."""
    X = [[data.draw(rationals) for _ in range(d)] for _ in range(n)]
    y = [data.draw(rationals) for _ in range(n)]
    w = [data.draw(rationals) for _ in range(d)]
    p = [data.draw(probabilities) for _ in range(d)]
    assert brute_objective(X, y, w, p) == closed_form(X, y, w, p, [pj * (1 - pj) for pj in p])


# ---- the context ----------------------------------------------------------------------------------


def test_the_context_loads_with_one_keep_probability_per_column():
    assert "column-dropout" in builtin_contexts()
    for scope in (SCOPE, load_context(CONTEXT_FILE)):
        spec = scope.random["R"]
        assert spec.parameter.shape == ("d", 1) and spec.parameter_text == "p"
        law = scope.noise["R"]
        assert (law.family, law.layout, law.lowering) == ("Bernoulli", "entries", "native")
        assert not scope.assumptions  # exact: no moment matching
        model = law.model(([Fraction(1, 3), Fraction(1, 4)],))
        assert isinstance(model, ColumnBernoulli) and model.mean(1) == sp.Rational(1, 4)
        assert model.variance(0) == sp.Rational(2, 9)


def test_a_parameter_over_the_wrong_axis_or_layout_is_an_input_error():
    from derivlab.errors import InputError

    base = CONTEXT_FILE.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="per column needs layout"):
        context_from_toml(base.replace('layout = "entries"', 'layout = "columns"'))
    with pytest.raises(InputError, match="vector over the columns"):
        context_from_toml(base.replace('[symbols.p]\nshape = ["d"]', '[symbols.p]\nshape = ["n"]'))


# ---- the write-ups --------------------------------------------------------------------------------


@pytest.mark.parametrize("context", ["column-dropout", str(CONTEXT_FILE)])
def test_the_correct_write_up_is_valid(context):
    report = check_derivation_text((WRITEUPS / "correct.tex").read_text(encoding="utf-8"), context=context)
    assert report.verdict == "valid"
    assert len(report.steps) == 9 and all(s.verdict == "valid" for s in report.steps)
    assert sum("confirmed by SymPy" in s.method for s in report.steps) >= 7  # the per-mask SymPy rule agrees


@pytest.mark.parametrize("name, bad, variance_of, right_side", [
    ("scalar_variance.tex", 1, lambda p: [p[0] * (1 - p[0])] * len(p), "closed form"),
    ("missing_diag.tex", 1, None, "gram"),
])
def test_each_wrong_write_up_is_invalid_at_its_step_with_a_true_counterexample(name, bad, variance_of, right_side):
    report = check_derivation_text((WRITEUPS / name).read_text(encoding="utf-8"), context="column-dropout")
    verdicts = [s.verdict for s in report.steps]
    assert verdicts[:bad] == ["valid"] * bad and verdicts[bad] == "invalid", verdicts
    example = report.steps[bad].counterexample
    assert example is not None
    values = example["values"]
    X, y, w, p = matrix(values["X"]), column(values["y"]), column(values["w"]), column(values["p"])
    # the left side is the objective (the steps before are valid): its value by enumerating every mask
    assert q(example["lhs"]) == brute_objective(X, y, w, p)
    if right_side == "closed form":
        expected_rhs = closed_form(X, y, w, p, variance_of(p))
    else:  # ||y||² − 2yᵀX D_p w + wᵀ(D_p XᵀX D_p + V_p XᵀX) w
        n, d = len(X), len(X[0])
        gram = [[sum(X[i][j] * X[i][k] for i in range(n)) for k in range(d)] for j in range(d)]
        expected_rhs = (sum(v * v for v in y) - 2 * sum(y[i] * X[i][j] * p[j] * w[j] for i in range(n)
                                                         for j in range(d))
                        + sum(w[j] * (p[j] * gram[j][k] * p[k] + p[j] * (1 - p[j]) * gram[j][k]) * w[k]
                              for j in range(d) for k in range(d)))
    assert q(example["rhs"]) == expected_rhs != q(example["lhs"])
    if name == "missing_diag.tex":
        assert "diag" in (report.steps[bad].hint or "")


def test_the_scalar_variance_mistake_in_another_spelling():
    """pᵀ(𝟏 − p): the variances summed into one factor, as if p were a scalar."""
    (step,) = steps(OBJECTIVE + r" &= \|y - X D_p w\|_2^2 + p^\top (\mathbf{1}_d - p)\, "
                                r"w^\top \operatorname{diag}(X^\top X) w")
    assert step.verdict == "invalid" and step.counterexample["sizes"]["d"] >= 2


# ---- entry-wise steps: E[R_ij] = p_j ------------------------------------------------------------------


def test_the_mean_of_an_entry_is_its_columns_keep_probability():
    assert verdict(r"\mathbb{E}[R_{ij}] &= p_j") == "valid"
    assert verdict(r"\mathbb{E}_{R \sim \text{Bernoulli}(p)}[R_{ij}] &= p_j") == "valid"
    assert verdict(r"\mathbb{E}_R[R] &= \mathbf{1}_n p^\top") == "valid"
    assert verdict(r"\mathbb{E}[R_{ij}^2] &= p_j") == "valid"
    assert verdict(r"\mathbb{E}[R_{ij} R_{ik}] &= p_j p_k \quad (j \neq k)") == "valid"
    assert verdict(r"(\mathbb{E}[R \odot X])_{ij} &= (X D_p)_{ij}") == "valid"


def test_a_mean_with_the_wrong_probability_is_rejected():
    (step,) = steps(r"\mathbb{E}[R_{ij}] &= p_i")  # i is a row index (1..n): p_i has no such entry
    assert step.verdict == "ill-typed" and "two ranges" in step.message
    (step,) = steps(r"\mathbb{E}[R_{ij}] &= p_1")  # the first column's probability for every column
    assert step.verdict == "invalid"
    example = step.counterexample
    j = example["indices"]["j"]
    assert j >= 2 and q(example["lhs"]) == q(example["values"]["p"][j - 1]) != q(example["rhs"])
    assert verdict(r"\mathbb{E}_R[R] &= p_1 \mathbf{1}_n \mathbf{1}_d^\top") == "invalid"
    assert verdict(r"\mathbb{E}[R_{ij}^2] &= p_j^2") == "invalid"
    assert verdict(r"\mathbb{E}[R_{ij} R_{ik}] &= p_j p_k") == "invalid"  # j = k: p_j, not p_j²
    (step,) = steps(r"\mathbb{E}_{R \sim \text{Bernoulli}(\mathbf{1}_d - p)}[R_{ij}] &= 1 - p_j")
    assert step.verdict == "ill-typed" and "Bernoulli(p)" in step.message


def test_the_second_moment_hint_names_the_columns_probability():
    (step,) = steps(r"\mathbb{E}_R\left[(R \odot X)^\top (R \odot X)\right] &= D_p X^\top X D_p")
    assert step.verdict == "invalid" and "p_j, not p_j²" in (step.hint or "")


# ---- the evaluator against brute-force enumeration (n = 1, d = 2 and n = 2, d = 1) -------------------------

BODIES = [
    r"\|y - (R \odot X)w\|_2^2",
    r"(R \odot X)^\top (R \odot X)",
    r"R \odot X",
    r"(y^\top (R \odot X) w)^3",
    r"\sqrt{1 + \|(R \odot X) w\|_2^2}",        # not polynomial in the mask: the evaluator enumerates
    r"\frac{1}{2 + \|(R \odot X) w\|_2^2}",
]


def _add(acc: dict, value: dict, scale: Fraction) -> dict:
    out = dict(acc)
    for k, v in value.items():
        out[k] = out.get(k, 0) + v * scale
    return {k: v for k, v in out.items() if v}


def _brute_expectation(body, values, sizes, p):
    """Σ over masks of P(mask) · body(mask), the body evaluated with the mask FIXED (no expectation)."""
    n, d = sizes["n"], sizes["d"]
    total = None
    for mask in masks(n, d):
        ev = make_evaluator(Point(dict(sizes), values, {"R": mask}), SCOPE)
        value = ev.value(body)
        assert all(not m for row in value for x in row for (m, _r) in x)  # the mask is fixed: no symbols left
        wt = weight(mask, p)
        total = ([[_add({}, x, wt) for x in row] for row in value] if total is None
                 else [[_add(a, x, wt) for a, x in zip(ra, rx)] for ra, rx in zip(total, value)])
    return total


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(BODIES), st.sampled_from([{"n": 1, "d": 2}, {"n": 2, "d": 1}]), st.data())
def test_expectations_equal_brute_force_enumeration_over_every_mask(body_tex, sizes, data):
    n, d = sizes["n"], sizes["d"]
    values = {"X": [[data.draw(rationals) for _ in range(d)] for _ in range(n)],
              "y": [[data.draw(rationals)] for _ in range(n)],
              "w": [[data.draw(rationals)] for _ in range(d)],
              "p": [[data.draw(probabilities)] for _ in range(d)]}
    p = [row[0] for row in values["p"]]
    body = parse_expression(body_tex, SCOPE)
    expectation = parse_expression(rf"\mathbb{{E}}_R\left[{body_tex}\right]", SCOPE)
    assert isinstance(expectation, Expectation)
    ours = make_evaluator(Point(dict(sizes), values), SCOPE).value(expectation)
    assert ours == _brute_expectation(body, values, sizes, p)
    if "sqrt" in body_tex or "frac" in body_tex:
        return
    # the SymPy cross-check's expectation (per-mask keep probabilities) at the same values
    theirs = evaluate_at(expectation, SCOPE, sizes, {k: [[str(x) for x in row] for row in v]
                                                     for k, v in values.items()})
    for a, b in zip([x for row in ours for x in row], list(theirs)):
        value = a.get((frozenset(), 1), Fraction(0))
        assert sp.Rational(value.numerator, value.denominator) == sp.simplify(b)


def test_the_symbolic_confirmation_uses_each_entrys_probability():
    lhs = parse_expression(OBJECTIVE, SCOPE)
    right = parse_expression(r"\|y - X D_p w\|_2^2 + w^\top V_p \operatorname{diag}(X^\top X) w", SCOPE)
    one = parse_expression(r"\|y - X D_p w\|_2^2 + p_1 (1 - p_1) w^\top \operatorname{diag}(X^\top X) w", SCOPE)
    assert confirm(lhs, right, SCOPE, {"n": 2, "d": 2})
    assert not confirm(lhs, one, SCOPE, {"n": 2, "d": 2})


# ---- the arithmetic: Field.expect and expect_polynomial with one parameter per entry ------------------


def test_field_expect_takes_a_parameter_per_mask():
    f = Field()
    r0, r1, s = f.mask_value(f.mask("R")), f.mask_value(f.mask("R")), f.mask_value(f.mask("S"))
    params, per_mask = {"R": None, "S": Fraction(1, 2)}, {0: Fraction(1, 3), 1: Fraction(1, 4)}
    assert f.expect(f.mul(f.mul(r0, r1), r0), ["R"], params, per_mask) == f.const(Fraction(1, 12))
    assert f.expect(f.add(r0, r1), ["R"], params, per_mask) == f.const(Fraction(7, 12))
    assert f.expect(f.mul(r1, s), ["R", "S"], params, per_mask) == f.const(Fraction(1, 8))
    assert f.expect(f.mul(r1, s), ["R"], params, per_mask) == f.scale(s, Fraction(1, 4))  # S stays random
    mistaken = Field(idempotent=False)
    m0 = mistaken.mask_value(mistaken.mask("R"))
    assert mistaken.expect(mistaken.mul(m0, m0), ["R"], {"R": None}, {0: Fraction(1, 3)}) == \
        mistaken.const(Fraction(1, 9))


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_expect_polynomial_with_one_probability_per_entry_is_the_enumeration(seed):
    rng = random.Random(seed)
    r = sp.symbols("r0:3")
    keep = sp.symbols("q0:3", positive=True)
    f = sum(rng.randint(-4, 4) * r[0] ** rng.randint(0, 3) * r[1] ** rng.randint(0, 2) * r[2] ** rng.randint(0, 2)
            for _ in range(4))
    enumerated = sum(sp.Mul(*[keep[m] if bits[m] else 1 - keep[m] for m in range(3)])
                     * f.subs(dict(zip(r, bits))) for bits in product((0, 1), repeat=3))
    assert sp.expand(expect_polynomial(f, list(r), list(keep)) - enumerated) == 0
    with pytest.raises(ValueError):
        expect_polynomial(f, list(r), list(keep[:2]))


def test_two_masks_with_different_parameters_in_one_expectation():
    """Before per-mask parameters the SymPy cross-check refused an expectation over two variables with
    different parameters; now each entry has its own."""
    toml = CONTEXT_FILE.read_text(encoding="utf-8") + (
        '\n[symbols.s]\nshape = []\ndomain = "(0, 1)"\n'
        '[symbols.S]\nshape = ["n", "d"]\nrandom = "Bernoulli(s)"\n')
    scope = context_from_toml(toml)
    (step,) = steps(r"\mathbb{E}[R \odot S] &= s\, \mathbf{1}_n p^\top", context=scope)
    assert step.verdict == "valid" and "confirmed by SymPy" in step.method
    assert verdict(r"\mathbb{E}[R \odot S] &= \mathbf{1}_n p^\top", context=scope) == "invalid"
