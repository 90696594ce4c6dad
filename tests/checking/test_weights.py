"""``derivlab check weights``: every input judged, the corpus gets its verdicts and diagnoses,
hostile files exit 2 with one line, correct re-codings of the designs pass and shrunk scales fail."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivlab.checking.weights import check_weights, check_weights_file
from derivlab.checking.weights_io import MAX_FILE_BYTES, Weights, read_weights
from derivlab.derivations.attention_thresholds import scale_threshold
from derivlab.errors import InputError
from derivlab.transformers.designs import hand_coded_design

CORPUS = Path(__file__).parent / "weights_corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())
EYE = np.eye(3).tolist()


def _design_weights(task: str, **scales) -> Weights:
    w = hand_coded_design(task, **scales).weights()
    return Weights(w["Km"], w["Qm"], w["Vm"], w.get("pos"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_gets_its_expected_verdict_and_diagnosis(name):
    want = EXPECTED[name]
    report = check_weights_file(CORPUS / name, want["task"])
    assert (report.verdict, report.diagnosis and report.diagnosis.kind) == (want["verdict"], want["diagnosis"])


def test_corpus_has_correct_and_wrong_files_for_every_task():
    for task in ("identity", "first", "unique"):
        verdicts = {e["verdict"] for e in EXPECTED.values() if e["task"] == task}
        assert verdicts == {"pass", "fail"}


@pytest.mark.parametrize("task, n", [("identity", 1092), ("first", 120), ("unique", 120)])
def test_every_input_is_checked(task, n):
    assert check_weights(_design_weights(task), task).sequences_checked == n


def test_just_below_the_threshold_exactly_the_36_singleton_plus_five_copies_sequences_fail():
    # 3 choices of the singleton token × 2 of the other × 6 positions: a 10-sequence sample would miss them
    report = check_weights(_design_weights("identity", c=scale_threshold("identity").value * (1 - 1e-4)), "identity")
    assert report.failures == 36
    worst = report.worst["sequence"]
    assert len(worst) == 6 and sorted(worst.count(t) for t in set(worst)) == [1, 5]


@pytest.mark.parametrize("task, c", [("identity", 5.85), ("first", 4.40), ("unique", 2.75)])
def test_the_diagnosed_scale_factor_makes_the_file_pass(task, c):
    w = _design_weights(task, c=c)
    report = check_weights(w, task)
    factor = report.diagnosis.details["factor"]
    assert report.diagnosis.kind == "scale too small" and factor > 1
    assert check_weights(Weights(w.Km, w.Qm * factor, w.Vm, w.pos), task).verdict == "pass"


def test_report_json_has_the_contract_fields():
    report = check_weights_file(CORPUS / "identity_scale_slightly_small.json", "identity").to_json()
    assert {"task", "verdict", "sequences_checked", "failures", "worst", "message"} <= set(report)
    assert {"sequence", "max_abs_error", "output", "target"} <= set(report["worst"])
    assert report["verdict"] == "fail" and report["failures"] > 0
    json.dumps(report, allow_nan=False)


def test_passing_and_failing_exit_codes():
    assert check_weights_file(CORPUS / "first_ours.json", "first").exit_code == 0
    assert check_weights_file(CORPUS / "first_wrong_target.json", "first").exit_code == 1


def test_shape_message_names_the_key_and_the_expected_shape(tmp_path):
    f = tmp_path / "w.json"
    f.write_text(json.dumps({"Km": [[1, 0], [0, 1], [0, 0]], "Qm": EYE, "Vm": EYE}))
    with pytest.raises(InputError, match=r"Km has shape \(3, 2\) but the identity task needs \(3 \+ pos_dim\) × qk_dim = \(3, 3\) with Qm's qk_dim 3"):
        read_weights(f, "identity")


def test_first_task_without_pos_is_told_the_rows_it_needs(tmp_path):
    f = tmp_path / "w.json"
    f.write_text(json.dumps({"Km": [[1]] * 7, "Qm": [[1]] * 7, "Vm": [[1, 0, 0]] * 7}))
    with pytest.raises(InputError, match=r"Km has shape \(7, 1\) .* = \(3, qk_dim\) with pos_dim 0 \(no pos given\)"):
        read_weights(f, "first")


# --- hostile files through the real command line -----------------------------------------


def _hostile_files(tmp: Path) -> dict[str, Path]:
    files: dict[str, bytes | str] = {
        "empty.json": "",
        "spaces.json": "   \n",
        "not_json.json": '{"Km": [[1, 2],',
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "top_list.json": "[1, 2, 3]",
        "missing_key.json": json.dumps({"Km": EYE, "Qm": EYE}),
        "null_key.json": json.dumps({"Km": EYE, "Qm": EYE, "Vm": None}),
        "string_matrix.json": json.dumps({"Km": "abc", "Qm": EYE, "Vm": EYE}),
        "string_entry.json": json.dumps({"Km": [[1, "x", 0], [0, 1, 0], [0, 0, 1]], "Qm": EYE, "Vm": EYE}),
        "bool_entry.json": json.dumps({"Km": [[True, 0, 0], [0, 1, 0], [0, 0, 1]], "Qm": EYE, "Vm": EYE}),
        "nested_garbage.json": json.dumps({"Km": [[[1, [2]]]], "Qm": {"a": 1}, "Vm": EYE}),
        "ragged.json": json.dumps({"Km": [[1, 0, 0], [0, 1]], "Qm": EYE, "Vm": EYE}),
        "nan.json": '{"Km": [[NaN, 0, 0], [0, 1, 0], [0, 0, 1]], "Qm": %s, "Vm": %s}' % (EYE, EYE),
        "infinity.json": '{"Km": [[Infinity, 0, 0], [0, 1, 0], [0, 0, 1]], "Qm": %s, "Vm": %s}' % (EYE, EYE),
        "overflow_literal.json": '{"Km": [[1e400, 0, 0], [0, 1, 0], [0, 0, 1]], "Qm": %s, "Vm": %s}' % (EYE, EYE),
        "huge_integer.json": '{"Km": [[%s, 0, 0], [0, 1, 0], [0, 0, 1]], "Qm": %s, "Vm": %s}' % ("9" * 5000, EYE, EYE),
        "wrong_vm_columns.json": json.dumps({"Km": EYE, "Qm": EYE, "Vm": [[1, 0], [0, 1], [0, 0]]}),
        "too_many_numbers.json": json.dumps({"Km": [[0.0] * 400] * 300, "Qm": EYE, "Vm": EYE}),
        "binary.json": b"\xff\xfe\x00\x81garbage",
        "fake.npz": "this is not a zip",
    }
    out = {}
    for name, content in files.items():
        path = tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        out[name] = path
    big = tmp / "too_big.json"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    out["too_big.json"] = big
    np.savez(tmp / "object.npz", Km=np.array([[1, None]], dtype=object), Qm=np.eye(3), Vm=np.eye(3))
    np.savez(tmp / "strings.npz", Km=np.array([["a", "b", "c"]] * 3), Qm=np.eye(3), Vm=np.eye(3))
    np.savez(tmp / "one_d.npz", Km=np.ones(3), Qm=np.eye(3), Vm=np.eye(3))
    np.savez(tmp / "nan.npz", Km=np.eye(3) * np.nan, Qm=np.eye(3), Vm=np.eye(3))
    np.savez(tmp / "missing.npz", Km=np.eye(3), Qm=np.eye(3))
    np.savez_compressed(tmp / "bomb.npz", Km=np.zeros((2000, 2000)), Qm=np.eye(3), Vm=np.eye(3))
    with zipfile.ZipFile(tmp / "truncated.npz", "w") as zf:
        zf.writestr("Km.npy", b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (3, 3), }"
                    + b" " * 50 + b"\n" + b"\x00" * 8)
        zf.writestr("Qm.npy", b"")
        zf.writestr("Vm.npy", b"")
    for name in ("object.npz", "strings.npz", "one_d.npz", "nan.npz", "missing.npz", "bomb.npz", "truncated.npz"):
        out[name] = tmp / name
    out["directory"] = tmp
    out["no_such_file.json"] = tmp / "no_such_file.json"
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return _hostile_files(tmp_path_factory.mktemp("hostile"))


HOSTILE_NAMES = sorted([
    "empty.json", "spaces.json", "not_json.json", "deep.json", "top_list.json", "missing_key.json", "null_key.json",
    "string_matrix.json", "string_entry.json", "bool_entry.json", "nested_garbage.json", "ragged.json", "nan.json",
    "infinity.json", "overflow_literal.json", "huge_integer.json", "wrong_vm_columns.json", "too_many_numbers.json",
    "binary.json", "fake.npz", "too_big.json", "object.npz", "strings.npz", "one_d.npz", "nan.npz", "missing.npz",
    "bomb.npz", "truncated.npz", "directory", "no_such_file.json"])


@pytest.fixture(scope="module")
def cli_runs(hostile):
    """The real command line on every hostile file, the processes started together."""
    procs = {name: subprocess.Popen([sys.executable, "-m", "derivlab", "check", "weights", str(path), "--task", "identity"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, path in hostile.items()}
    results = {}
    for name, p in procs.items():
        stdout, stderr = p.communicate(timeout=120)
        results[name] = (p.returncode, stdout, stderr)
    return results


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_exits_2_with_one_line_and_no_traceback(cli_runs, name):
    returncode, stdout, stderr = cli_runs[name]
    assert returncode == 2, stderr
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derivlab: ") and "Traceback" not in stderr


def test_a_huge_qk_dim_is_refused_before_the_batched_pass(tmp_path):
    f = tmp_path / "wide.json"
    f.write_text(json.dumps({"Km": [[0.0] * 9000] * 3, "Qm": [[0.0] * 9000] * 3, "Vm": EYE}))
    with pytest.raises(InputError, match="qk_dim 9000 is more than"):
        read_weights(f, "identity")


def test_all_zero_scores_are_diagnosed_as_uniform_attention():
    report = check_weights(Weights(np.zeros((3, 3)), np.zeros((3, 3)), np.eye(3), None), "identity")
    assert report.diagnosis.kind == "wrong attention target" and report.diagnosis.details["uniform"]


def test_npz_with_object_array_is_refused_without_unpickling(hostile):
    with pytest.raises(InputError, match="Python objects"):
        read_weights(hostile["object.npz"], "identity")


# --- correct re-codings pass, shrunk scales fail (Hypothesis) -----------------------------


def _orthogonal(n: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    return q * np.sign(np.diag(r))


@settings(max_examples=12)
@given(task=st.sampled_from(["identity", "first", "unique"]), seed=st.integers(0, 2**32 - 1),
       above=st.floats(1e-3, 1.0))
def test_rotated_design_at_or_above_the_threshold_passes(task, seed, above):
    w = _design_weights(task, c=scale_threshold(task).value * (1 + above))
    R = _orthogonal(w.Km.shape[1], seed)
    assert check_weights(Weights(w.Km @ R, w.Qm @ R, w.Vm, w.pos), task).verdict == "pass"


@settings(max_examples=12)
@given(task=st.sampled_from(["identity", "first", "unique"]), seed=st.integers(0, 2**32 - 1),
       below=st.floats(1e-3, 0.5))
def test_rotated_design_below_the_threshold_fails(task, seed, below):
    w = _design_weights(task, c=scale_threshold(task).value * (1 - below))
    R = _orthogonal(w.Km.shape[1], seed)
    report = check_weights(Weights(w.Km @ R, w.Qm @ R, w.Vm, w.pos), task)
    assert report.verdict == "fail" and report.diagnosis.kind == "scale too small"


@settings(max_examples=10)
@given(task=st.sampled_from(["identity", "first", "unique"]), k=st.floats(1.0, 50.0))
def test_scaling_the_scores_up_keeps_a_passing_design_passing(task, k):
    w = _design_weights(task, c=scale_threshold(task).value * 1.001)
    assert check_weights(Weights(w.Km, w.Qm * k, w.Vm, w.pos), task).verdict == "pass"
