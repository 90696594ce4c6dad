"""Cheats against the derivation points, graded through the real CLI (``derivlab grade``): each earns
at most 2 of the 10 derivation points, while honest derivations beside them earn what they should."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # one batch of ~24 submissions with TeX feedback


O = r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]"
T = r"\|y - pX\tilde{w}\|_2^2 + p(1-p)\|\tilde{\Gamma}\tilde{w}\|_2^2"
HONEST_STEPS = [
    O,
    r"\mathbb{E}_R\left[y^\top y - 2\tilde{w}^\top (R\odot X)^\top y + \tilde{w}^\top (R\odot X)^\top (R\odot X)\tilde{w}\right]",
    r"y^\top y - 2\tilde{w}^\top \mathbb{E}_R[R\odot X]^\top y + \tilde{w}^\top \mathbb{E}_R\left[(R\odot X)^\top(R\odot X)\right]\tilde{w}",
    r"y^\top y - 2p\,\tilde{w}^\top X^\top y + \tilde{w}^\top \left(p^2 X^\top X + p(1-p)\operatorname{diag}(X^\top X)\right)\tilde{w}",
    r"\|y - pX\tilde{w}\|_2^2 + p(1-p)\,\tilde{w}^\top \operatorname{diag}(X^\top X)\,\tilde{w}",
    T,
]


def chain(*exprs: str) -> str:
    return "\\begin{align*}\n" + " \\\\\n&= ".join(exprs) + "\n\\end{align*}\n"


CHEATS = {
    # the cheats
    "iffalse-zero-w": "\\[ \\|y\\|^2 = \\|y\\|^2 \\]\n\\iffalse Let $\\tilde{w} = w - w$. \\fi\n",
    "redefine-X-zero": "where $X = 0 X$.\n" + chain(O, r"\|y\|_2^2", T),
    "p-equals-p": "\\[ p = p = p = p = p = p = p \\]\n",
    "objective-seven-times": chain(*[O] * 7),
    # our own
    "plus-zero-padding": chain(O, *[O + " + 0" * k for k in range(1, 7)]),
    "plus-p-minus-p-padding": chain(O, *[O + " + p - p" * k for k in range(1, 7)]),
    "times-one-padding": chain(O, *[r"1 \cdot " * k + O for k in range(1, 7)]),
    "zero-times-padding": chain(O, *[O + r" + 0 \cdot y^\top y" * k for k in range(1, 7)]),
    "constant-substitution": "Let $\\tilde{w} = w_{new} - w_{new}$.\n" + chain(O, r"\|y\|_2^2", T),
    "self-substitution": "Let $X = X + X - X$. Let $\\tilde w = 2\\tilde w$.\n" + chain(O, r"\|y\|_2^2", T),
    "special-case-y": "Let $y = X w_{new}$.\n" + chain(O, r"\|X w_{new} - (R \odot X)\tilde w\|^2", T),
    "redefine-gamma": "Let $\\tilde\\Gamma = 0 \\cdot X^\\top X$.\n" + chain(O, r"\|y - pX\tilde{w}\|_2^2", T),
    "redefine-lambda": "Let $\\lambda = 0$.\n" + chain(O, r"\|y - pX\tilde{w}\|_2^2", T),
    "named-objective-repeated": f"Let $L = {O}$.\n" + chain("L", O, "L", O, "L", O, "L"),
    "lemmas-only": "".join(chain(r"\mathbb{E}_R[R \odot X]", "pX") for _ in range(7)) + chain(O),
    "valid-steps-elsewhere": "".join(chain(r"\mathbb{E}_R[y^\top (R \odot X) \tilde w]", r"p\, y^\top X \tilde w")
                                     for _ in range(7)),
    "goal-equals-goal": chain(T, T, T + " + 0"),
    "objective-then-goal-unrelated": chain(O, O) + chain(T, T),
}
HONEST = {
    "honest-6-steps": (chain(*HONEST_STEPS), 10.0),
    "honest-13-steps-with-substitution": (None, 10.0),  # the checker's example file
    "honest-regrouped": (chain(HONEST_STEPS[0], HONEST_STEPS[0], *HONEST_STEPS[1:]), 10.0),
    # stops before the moments: 2 valid steps of a chain that does not reach (4): 2 * 8/6 + 1 (start)
    "honest-partial": (chain(*HONEST_STEPS[:3]), 1.0 + 2 * 8 / 6),
    # the same with a wrong third step: credit stops there
    "honest-wrong-moment": (chain(*HONEST_STEPS[:3], HONEST_STEPS[3].replace("p(1-p)", "p^2")), 1.0 + 2 * 8 / 6),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from pathlib import Path

    from derivlab import checking
    from derivlab.checking.derivation import read_derivation

    root = tmp_path_factory.mktemp("cheats")
    klass = root / "class"
    for name, text in CHEATS.items():
        (klass / name).mkdir(parents=True)
        (klass / name / "derivation.tex").write_text(text, encoding="utf-8")
    example = Path(checking.__file__).parent / "examples" / "dropout_13_steps.tex"
    for name, (text, _) in HONEST.items():
        (klass / name).mkdir(parents=True)
        (klass / name / "derivation.tex").write_text(text or read_derivation(example), encoding="utf-8")
    out = root / "graded"
    proc = subprocess.run([sys.executable, "-m", "derivlab", "grade", str(klass), "--out", str(out), "--jobs", "2",
                           "--json"], capture_output=True, text=True, timeout=600, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {name: json.loads((out / name / "results.json").read_text()) for name in [*CHEATS, *HONEST]}


def derivation_points(results: dict) -> float:
    return sum(t["score"] for t in results["tests"] if t["name"].startswith("Q3"))


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_a_cheat_earns_at_most_two_of_the_ten_derivation_points(graded, name):
    assert derivation_points(graded[name]) <= 2.0 + 1e-9, [
        (t["name"], t["score"]) for t in graded[name]["tests"] if t["score"]]


def test_a_chain_that_starts_at_the_closed_form_does_not_start_at_the_objective(graded):
    assert derivation_points(graded["goal-equals-goal"]) == 0.0


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_derivations_earn_their_points(graded, name):
    assert derivation_points(graded[name]) == pytest.approx(HONEST[name][1], abs=1e-3)


def test_refused_definitions_are_named_with_their_reason(graded):
    notes = {name: " ".join(t["output"] for t in r["tests"] if "notes" in t["name"]) for name, r in graded.items()}
    assert "depend on itself" in notes["redefine-X-zero"]
    assert "constant" in notes["constant-substitution"]
    assert "special case" in notes["special-case-y"]
    assert "refused" not in notes["honest-13-steps-with-substitution"]  # w~ = w_new/p is a fair substitution


def test_status_follows_the_verdict_and_the_policy_is_explained(graded):
    partial = graded["honest-partial"]
    steps = [t for t in partial["tests"] if t["name"].startswith("Q3 derivation, step")]
    assert steps and all(t["status"] == "passed" and t["score"] < t["max_score"] for t in steps)
    assert "status is its verdict" in partial["output"]
