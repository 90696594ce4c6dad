"""The public strategies draw valid homework objects and shrink to the simplest ones."""

from fractions import Fraction

import numpy as np
from hypothesis import find, given, settings
from hypothesis import strategies as st

from derivlab.testing import strategies as dst
from derivlab.transformers.tasks import encode, get_task


@given(dst.keep_probabilities(exact=True))
def test_exact_keep_probabilities_are_fractions_in_the_open_interval(p):
    assert isinstance(p, Fraction) and 0 < p < 1


@given(dst.keep_probabilities())
def test_float_keep_probabilities_are_in_the_open_interval(p):
    assert 0.0 < p < 1.0


def test_keep_probabilities_reach_both_edges():
    assert find(dst.keep_probabilities(), lambda p: p < 1e-5) <= 1e-5
    assert find(dst.keep_probabilities(), lambda p: p > 1 - 1e-5) >= 1 - 1e-5


def test_keep_probabilities_respect_bounds():
    p = find(dst.keep_probabilities(exact=True, min_value=Fraction(1, 3), max_value=Fraction(2, 3)), lambda p: True)
    assert Fraction(1, 3) < p < Fraction(2, 3)


def test_keep_probability_shrinks_to_one_half():
    assert find(dst.keep_probabilities(), lambda p: True) == 0.5


def test_regression_problem_shrinks_to_size_one():
    problem = find(dst.regression_problems(), lambda prob: True)
    assert (problem.n, problem.d) == (1, 1)


@given(dst.regression_problems(kind="rational", max_n=3, max_d=3, max_entries=6))
def test_regression_problems_have_consistent_shapes_and_exact_entries(problem):
    assert problem.X.shape == (problem.n, problem.d) and problem.n * problem.d <= 6
    assert problem.y.shape == (problem.n,) and problem.w.shape == (problem.d,)
    assert all(isinstance(v, Fraction) for v in problem.X.ravel())


@given(dst.regression_problems(kind="float", max_n=2, max_d=2))
def test_float_problems_are_finite_float_arrays(problem):
    assert problem.X.dtype == float and np.all(np.isfinite(problem.X))


def test_float_scalars_span_magnitudes():
    assert abs(find(dst.scalars("float"), lambda x: abs(x) > 100)) > 100
    assert 0 < abs(find(dst.scalars("float"), lambda x: 0 < abs(x) < 1e-2)) < 1e-2


@given(dst.design_matrices(kind="integer", nonzero_columns=True))
def test_nonzero_columns_option_leaves_no_zero_column(X):
    assert all(any(v != 0 for v in X[:, j]) for j in range(X.shape[1]))


@given(dst.bernoulli_masks(2, 3))
def test_masks_are_zero_one(R):
    assert R.shape == (2, 3) and set(np.unique(R)) <= {0, 1}


@given(st.data())
def test_token_sequences_fit_each_task(data):
    task = data.draw(st.sampled_from(["identity", "first", "unique"]))
    tokens = data.draw(dst.token_sequences(task))
    t = get_task(task)
    assert 1 <= len(tokens) <= t.max_len and set(tokens) <= {0, 1, 2}
    assert encode(t, tokens).shape[0] == len(tokens) + (1 if t.has_cls else 0)


@given(st.integers(1, 5).flatmap(dst.orthogonal_matrices))
def test_orthogonal_matrices_are_orthogonal(R):
    assert np.allclose(R.T @ R, np.eye(R.shape[0]), atol=1e-12)


def test_orthogonal_matrices_shrink_to_the_identity():
    assert np.array_equal(find(dst.orthogonal_matrices(3), lambda R: True), np.eye(3))


@given(dst.attention_inputs())
def test_attention_inputs_have_notebook_shapes(case):
    in_dim = case.token_dim + (case.pos_dim or 0)
    assert case.Km.shape[0] == case.Qm.shape[0] == case.Vm.shape[0] == in_dim
    assert case.Km.shape[1] == case.Qm.shape[1]
    assert case.pos is None or case.pos.shape[0] >= case.seq.shape[0]


@settings(max_examples=15)
@given(dst.hand_coded_designs("first"))
def test_hand_coded_designs_pass_on_every_input(design):
    from derivlab.transformers.criterion import passes_on_all_inputs

    assert passes_on_all_inputs(design.task, design.Km, design.Qm, design.Vm, design.pos)


@settings(max_examples=15)
@given(dst.perturbed_designs("unique"))
def test_perturbed_designs_fail_some_input(design):
    from derivlab.transformers.criterion import passes_on_all_inputs

    assert not passes_on_all_inputs(design.task, design.Km, design.Qm, design.Vm, design.pos)


@given(dst.derivation_steps())
def test_derivation_steps_are_one_align_block(step):
    doc = step.document()
    assert doc.count("\\begin{align*}") == 1 and doc.count("&=") == 1
    assert step.valid == (not step.name.endswith("(mistake)"))
