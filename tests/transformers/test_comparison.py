"""The comparison's metrics on constructed cases (so each claim CAN fail), and compare_task end to end."""

import json
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivlab.cli import main
from derivlab.errors import InputError
from derivlab.transformers.claims_measured import CLAIMS, ClaimSpec, measure_claims
from derivlab.transformers.comparison import compare_task
from derivlab.transformers.comparison_metrics import batch_parts, compare_with_design
from derivlab.transformers.designs import hand_coded_design
from derivlab.transformers.spread_statistics import (
    cosine,
    participation_ratio,
    random_rotation,
    scaled_relative_error,
    total_variation,
)
from derivlab.transformers.tasks import TASKS, exhaustive_batch

BATCHES = {t: exhaustive_batch(TASKS[t]) for t in TASKS}


def _metrics(task, learned):
    return compare_with_design(TASKS[task], BATCHES[task], learned, hand_coded_design(task))


def _holds(task, learned) -> dict[str, bool]:
    return {c.id: c.holds_in == 1 for c in measure_claims(task, [_metrics(task, learned)])}


def _rotated(design, seed=1):
    R = random_rotation(design.Km.shape[1], seed)
    return SimpleNamespace(Km=design.Km @ R, Qm=design.Qm @ R, Vm=design.Vm, pos=design.pos)


def _random_model(task, seed=0):
    d = hand_coded_design(task)
    rng = np.random.default_rng(seed)
    pos = None if d.pos is None else rng.normal(size=d.pos.shape)
    return SimpleNamespace(Km=rng.normal(size=d.Km.shape), Qm=rng.normal(size=d.Qm.shape),
                           Vm=rng.normal(size=d.Vm.shape), pos=pos)


# --- the statistics ------------------------------------------------------------------------


def test_participation_ratio_is_one_for_even_and_one_over_n_for_a_spike():
    assert participation_ratio(np.ones((3, 4))) == pytest.approx(1.0)
    assert participation_ratio(np.eye(1, 12)) == pytest.approx(1 / 12)
    assert participation_ratio(8.0 * np.eye(3)) == pytest.approx(1 / 3)


@settings(max_examples=40)
@given(st.integers(0, 10_000), st.floats(0.01, 100.0))
def test_statistics_are_scale_free(seed, scale):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    assert participation_ratio(scale * a) == pytest.approx(participation_ratio(a))
    assert 1 / a.size - 1e-12 <= participation_ratio(a) <= 1 + 1e-12
    assert cosine(scale * a, b) == pytest.approx(cosine(a, b))
    assert scaled_relative_error(scale * a, b) == pytest.approx(scaled_relative_error(a, b))


def test_cosine_and_spread_of_a_zero_matrix_are_not_measurable():
    assert cosine(np.zeros(3), np.ones(3)) is None and participation_ratio(np.zeros((2, 2))) is None


def test_total_variation_of_disjoint_rows_is_one():
    assert total_variation(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == 1.0


# --- constructed cases: the design against itself, rotated, random -------------------------


@pytest.mark.parametrize("task", list(TASKS))
def test_design_against_itself_agrees_perfectly(task):
    m = _metrics(task, hand_coded_design(task))
    assert m["attention_mean_tv"] == 0.0 and m["top_keys_agree_fraction"] == 1.0
    assert m["scores_centred_cosine"] == pytest.approx(1.0)
    assert all(v == pytest.approx(1.0) for v in m["cosine"].values())
    assert m["solves"] and m["agreement_with_design"] == 1.0


def test_the_design_against_itself_fails_the_spread_and_gauge_claims():
    """Equal spread is not 'more evenly spread', and identical Km is not 'differ': both claims can fail."""
    holds = _holds("identity", hand_coded_design("identity"))
    assert not holds["identity.spread"] and not holds["identity.gauge"]
    assert holds["identity.vm"] and holds["identity.attention"] and holds["identity.scores"]


@pytest.mark.parametrize("task", list(TASKS))
def test_rotated_design_has_the_same_score_form_but_a_different_km(task):
    """The gauge freedom: Km R, Qm R (R orthogonal) give the same scores and outputs, another Km."""
    d = hand_coded_design(task)
    rotated = _rotated(d)
    m = _metrics(task, rotated)
    assert m["score_form_token_cosine"] in (None, pytest.approx(1.0))
    assert m["scores_centred_cosine"] == pytest.approx(1.0)
    assert m["attention_mean_tv"] < 1e-9 and m["output_max_abs_diff_vs_design"] < 1e-9
    assert m["cosine"]["Km"] < 0.9
    assert m["gauge_rotation"]["output_max_abs_diff"] < 1e-9


def test_a_rotated_design_passes_every_identity_claim_so_spread_is_a_gauge_property():
    """Km R, Qm R is as correct as the design and 'more evenly spread' than it: the spread claim is
    about Km, Qm, K, Q, which the gauge moves; the score form's spread does not move."""
    d = hand_coded_design("identity")
    m = _metrics("identity", _rotated(d))
    assert all(_holds("identity", _rotated(d)).values())
    pr = m["participation_ratio"]["score_form_centred"]
    assert pr["learned"] == pytest.approx(pr["design"])


@pytest.mark.parametrize("task", list(TASKS))
def test_a_random_model_fails_the_attention_and_output_claims(task):
    holds = _holds(task, _random_model(task))
    if task == "unique":
        assert not holds["unique.sign"] and holds["unique.most-differ"]
    else:
        assert not holds[f"{task}.attention"]
    if task == "first":
        assert not holds["first.attends-first"] and not holds["first.outputs"]
    if task == "identity":
        assert not holds["identity.scores"]


def test_negated_values_flip_every_sign_of_unique():
    d = hand_coded_design("unique")
    flipped = SimpleNamespace(Km=d.Km, Qm=d.Qm, Vm=-d.Vm, pos=d.pos)
    m = _metrics("unique", flipped)
    assert m["agreement_with_design"] == 0.0 and not m["solves"]


def test_designs_solve_and_a_slightly_off_model_fails_the_strict_criterion():
    d = hand_coded_design("identity")
    assert _metrics("identity", d)["solves"]
    blurred = SimpleNamespace(Km=d.Km / 4, Qm=d.Qm / 4, Vm=d.Vm, pos=None)
    m = _metrics("identity", blurred)
    assert not m["solves"] and m["agreement_with_target"] == 1.0


def test_batch_parts_mask_padded_keys():
    parts = batch_parts(BATCHES["identity"], hand_coded_design("identity"))
    w = parts["weights"]
    assert np.all(w[~BATCHES["identity"].mask[:, None, :].repeat(6, 1)] == 0)
    real_rows = BATCHES["identity"].mask
    assert np.allclose(w.sum(-1)[real_rows], 1.0)


def test_an_unmeasurable_value_does_not_hold():
    spec = ClaimSpec("x", "x", "x", ">=", 0.9, lambda m: m["v"])
    claim = spec.measure([{"v": None}, {"v": 0.95}, {"v": 0.5}])
    assert claim.holds == (False, True, False) and claim.holds_in == 1 and claim.of == 3


def test_every_task_has_claims_with_stated_thresholds():
    for task, specs in CLAIMS.items():
        assert specs and all(s.id.startswith(task + ".") and s.comparison in (">", ">=", "<", "<=") for s in specs)


# --- compare_task end to end ----------------------------------------------------------------


def test_compare_task_reports_every_claim_and_writes_figures(tmp_path):
    report = compare_task("identity", seeds=1, first_seed=3, steps=300, out_dir=tmp_path)
    data = report.to_json()
    assert {"task", "seeds", "first_seed", "steps", "models", "claims", "figures"} <= data.keys()
    assert data["seeds"] == 1 and data["first_seed"] == 3 and data["models"][0]["seed"] == 3
    assert [c["id"] for c in data["claims"]] == [s.id for s in CLAIMS["identity"]]
    for c in data["claims"]:
        assert 0 <= c["holds_in"] <= c["of"] == 1 and len(c["values"]) == 1 and "threshold" in c
    suffixes = sorted(p.rsplit(".", 1)[1] for p in data["figures"])
    assert suffixes == ["pdf", "pdf", "png", "png"]
    assert all((tmp_path / p.rsplit("/", 1)[1]).stat().st_size > 1000 for p in data["figures"])
    assert report.exit_code == 0
    json.dumps(data, allow_nan=False)


@pytest.mark.parametrize("task", ["first", "unique"])
def test_compare_task_runs_for_positional_tasks(task):
    report = compare_task(task, seeds=2, steps=200)
    assert [c.of for c in report.claims] == [2] * len(CLAIMS[task])
    assert report.setup["pos_dim"] == 4 and report.setup["remove_cls"] == (task == "unique")
    json.dumps(report.to_json(), allow_nan=False)


def test_render_prints_each_claim():
    from rich.console import Console

    console = Console(record=True, width=200)
    compare_task("first", seeds=1, steps=100).render(console)
    text = console.export_text()
    assert all(s.id in text for s in CLAIMS["first"])


@pytest.mark.parametrize("kwargs", [dict(seeds=0), dict(steps=0), dict(seeds=32, steps=200_000)])
def test_unusable_options_are_input_errors(kwargs):
    with pytest.raises(InputError):
        compare_task("identity", **kwargs)


def test_cli_compare_json_and_bad_seeds(capsys):
    assert main(["compare", "--task", "unique", "--seeds", "1", "--steps", "100", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["task"] == "unique" and data["claims"][0]["id"] == "unique.sign"
    assert main(["compare", "--task", "identity", "--seeds", "0"]) == 2
