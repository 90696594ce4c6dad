"""The rules nothing else checks, run in ``make test``: the layer contracts of README.md "Layout"
(import-linter, ``[tool.importlinter]`` in pyproject.toml) and a small lint (ruff, ``[tool.ruff]``).
Each is also shown to fail on a planted violation, so a pass means something."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LINT_IMPORTS = ("import sys; from importlinter.cli import lint_imports_command; "
                "sys.argv[0] = 'lint-imports'; sys.exit(lint_imports_command())")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", LINT_IMPORTS, "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def ruff(root: Path, *paths: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                           *paths], cwd=root, capture_output=True, text=True, timeout=300)


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "derivlab", tmp_path / "derivlab", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layer_contracts_are_kept():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "3 kept, 0 broken" in proc.stdout


def test_an_import_up_a_layer_breaks_the_layers_contract(tmp_path):
    root = _copy(tmp_path)
    victim = root / "derivlab" / "numerics" / "rational.py"
    victim.write_text(victim.read_text() + "\nimport derivlab.claims  # planted: numerics must not import claims\n")
    proc = lint_imports(root)
    assert proc.returncode != 0 and "1 broken" in proc.stdout, proc.stdout[-4000:]
    assert "derivlab.numerics.rational -> derivlab.claims" in proc.stdout


def test_importing_the_cli_breaks_a_contract(tmp_path):
    root = _copy(tmp_path)
    victim = root / "derivlab" / "errors.py"
    victim.write_text(victim.read_text() + "\nimport derivlab.cli  # planted\n")
    proc = lint_imports(root)
    assert proc.returncode != 0 and "nothing imports derivlab.cli BROKEN" in proc.stdout, proc.stdout[-4000:]


def test_ruff_passes_on_the_package_and_the_tests():
    proc = ruff(ROOT, "derivlab", "tests")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_ruff_reports_a_planted_mistake(tmp_path):
    root = _copy(tmp_path)
    (root / "derivlab" / "planted.py").write_text("import os\n\n\ndef f(x=[]):\n    return undefined_name\n")
    proc = ruff(root, "derivlab")
    assert proc.returncode == 1
    for code in ("F401", "B006", "F821"):
        assert code in proc.stdout, proc.stdout


def test_references_to_specification_files_point_inside_the_repository():
    import re

    texts = {p: p.read_text(encoding="utf-8") for p in [*(ROOT / "derivlab").rglob("*"), ROOT / "README.md"]
             if p.is_file() and p.suffix in (".py", ".md", ".j2", ".lark", ".toml")}
    outside = [str(p.relative_to(ROOT)) for p, t in texts.items() if "shared/spec" in t or "/work/" in t]
    assert not outside
    for p, text in texts.items():
        for ref in re.findall(r"docs/spec/[\w-]+\.md", text):
            assert (ROOT / ref).is_file(), (p, ref)
