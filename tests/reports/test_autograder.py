"""The Gradescope autograder zip, run the way the container runs it, in a scratch ``autograder`` tree:
ROOT/source (the zip), ROOT/setup.sh, ROOT/run_autograder, ROOT/submission -> ROOT/results/results.json.

Fast tests here: the fallback (derivlab not installed, or failing) still writes a valid results.json
with plain sh; the script grades through a venv's derivlab; setup.sh finds a Python >= 3.11.
The full build (setup.sh creating the venv and installing torch and derivlab, then grading) is
``make autograder-e2e`` (it sets DERIVLAB_AUTOGRADER_E2E=1; minutes, so not in ``make test``)."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from derivlab.reports.autograder_zip import build_autograder_zip
from derivlab.reports.gradescope import validate_results
from derivlab.reports.sample_class import write_submission

REPO = Path(__file__).resolve().parents[2]


def scratch_tree(tmp_path: Path, *, with_tex: bool = False) -> Path:
    """Unpack the zip like Gradescope: ROOT/source, the scripts copied to ROOT, an empty submission."""
    root = tmp_path / "autograder"
    source = root / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(build_autograder_zip(tmp_path / "autograder.zip", with_tex=with_tex)) as archive:
        archive.extractall(source)
    for script in ("setup.sh", "run_autograder"):
        shutil.copy(source / script, root / script)
        (root / script).chmod(0o755)
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path, **env) -> dict:
    proc = subprocess.run(["/bin/sh", str(root / "run_autograder")], capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", **env})
    assert proc.returncode == 0, proc.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    validate_results(data)
    return data


def test_without_derivlab_installed_a_valid_results_json_is_still_written(tmp_path):
    root = scratch_tree(tmp_path)
    data = run_autograder(root)  # PATH without any python: the fallback is plain sh
    assert data["score"] == 0 and "could not start derivlab" in data["tests"][0]["output"]
    assert data["tests"][0]["max_score"] == 18.0


def test_when_derivlab_fails_to_start_the_reason_has_its_exit_status(tmp_path):
    root = scratch_tree(tmp_path)
    fake = root / "venv" / "bin" / "derivlab"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\necho 'ImportError: no module named torch' >&2\nexit 1\n")
    fake.chmod(0o755)
    data = run_autograder(root)
    assert data["score"] == 0 and "exit status 1" in data["output"]


def test_run_autograder_grades_the_submission_through_derivlab(tmp_path):
    root = scratch_tree(tmp_path)
    write_submission(root / "submission", "correct")
    shim = root / "venv" / "bin" / "derivlab"  # the venv's entry point, here the test's own interpreter
    shim.parent.mkdir(parents=True)
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m derivlab \"$@\"\n")
    shim.chmod(0o755)
    data = run_autograder(root, PYTHONPATH=str(REPO), HOME=str(tmp_path))
    assert data["score"] == 18.0, data.get("output")
    assert (root / "results" / "feedback.pdf").exists() or (root / "results" / "feedback.tex").exists()


def test_setup_finds_a_python_of_at_least_3_11():
    script = (REPO / "derivlab" / "reports" / "autograder" / "setup.sh.j2").read_text()
    assert "ppa:deadsnakes/ppa" in script and "python3.11-venv" in script and "uv\" python install 3.11" in script
    assert "--index-url \"$TORCH_INDEX\"" in script and '-c "$CONSTRAINTS"' in script
    probe = script.split("python_ok() { ", 1)[1].split("; }", 1)[0].replace('"$1"', sys.executable)
    assert subprocess.run(["bash", "-c", probe]).returncode == (0 if sys.version_info >= (3, 11) else 1)


@pytest.mark.skipif(os.environ.get("DERIVLAB_AUTOGRADER_E2E") != "1",
                    reason="the full autograder build takes minutes: run `make autograder-e2e`")
def test_the_zip_builds_and_grades_end_to_end(tmp_path):
    root = scratch_tree(tmp_path, with_tex=False)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root)}  # DERIVLAB_TORCH_INDEX passes through (default: CPU index)
    env.pop("PYTHONPATH", None)
    setup = subprocess.run(["bash", str(root / "setup.sh")], capture_output=True, text=True, timeout=1800, env=env,
                           cwd=root / "source")
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-2000:]
    write_submission(root / "submission", "correct")
    data = run_autograder(root, HOME=str(tmp_path))
    assert data["score"] == 18.0, data.get("output")
