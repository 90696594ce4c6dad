"""Public Hypothesis strategies for the homework's objects, so instructors can write
their own property tests on the same inputs ``derivlab fuzz`` uses.

Every strategy is composable (plain ``SearchStrategy`` objects) and shrinks towards
small, simple values: size 1, zero entries, p = 1/2, the identity rotation.
Conventions: ``p`` is the KEEP probability of the dropout mask (R_ij ~ Bernoulli(p));
positional rows are CONCATENATED to token features (not added).

Exact kinds (``"integer"``, ``"rational"``) give NumPy arrays of dtype ``object``
holding ``fractions.Fraction``, so ``X @ w`` and sums stay exact; ``"float"`` gives
float64 arrays with entries of varied magnitude (10^-3 .. 10^3 by default).

    >>> from hypothesis import given
    >>> from derivlab.testing import strategies as dst
    >>> @given(dst.regression_problems(kind="rational", max_n=2, max_d=2))
    ... def test_penalty_is_nonnegative(problem):
    ...     X, w, p = problem.X, problem.w, problem.keep_probability
    ...     assert p * (1 - p) * sum(((X[:, j] ** 2).sum()) * w[j] ** 2 for j in range(X.shape[1])) >= 0
    >>> test_penalty_is_nonnegative()

Dropout: ``keep_probabilities``, ``sizes``, ``scalars``, ``matrices``, ``design_matrices``,
``targets``, ``weights``, ``bernoulli_masks``, ``regression_problems``.
Attention: ``token_sequences``, ``orthogonal_matrices``, ``attention_inputs``, and (needing
``derivlab.transformers.designs``) ``hand_coded_designs``, ``perturbed_designs``.
Checker: ``derivation_steps``.
"""

from __future__ import annotations

from derivlab.testing._strategies_attention import (
    AttentionInput,
    attention_inputs,
    hand_coded_designs,
    orthogonal_matrices,
    perturbed_designs,
    token_sequences,
)
from derivlab.testing._strategies_derivation import DerivationStep, derivation_steps
from derivlab.testing._strategies_dropout import (
    RegressionProblem,
    bernoulli_masks,
    design_matrices,
    keep_probabilities,
    matrices,
    regression_problems,
    scalars,
    sizes,
    targets,
    weights,
)

__all__ = [
    "AttentionInput",
    "DerivationStep",
    "RegressionProblem",
    "attention_inputs",
    "bernoulli_masks",
    "derivation_steps",
    "design_matrices",
    "hand_coded_designs",
    "keep_probabilities",
    "matrices",
    "orthogonal_matrices",
    "perturbed_designs",
    "regression_problems",
    "scalars",
    "sizes",
    "targets",
    "token_sequences",
    "weights",
]
