"""The hostile corpus itself: generated at run time, every target covered, payloads live (an
executed payload really would create the sentinel, so its absence means something)."""

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest

from derivlab.testing.hostile import corpus, _deflate_bomb, _pickled_npy


def test_names_are_unique_and_every_target_is_covered():
    items = corpus()
    assert {i.target for i in items.values()} == {"derivation", "weights-json", "weights-npz"}
    assert len(items) >= 40


def test_the_briefed_attacks_are_present():
    names = set(corpus())
    assert {"exponent-tower", "huge-factorial", "nested-braces", "megabyte-line", "random-bytes", "invalid-utf8",
            "truncated-environment", "tex-input", "tex-write18", "tex-csname-catcode", "python-code",
            "json-enormous-array", "json-deeply-nested", "npz-pickle", "symlink-passwd"} <= names


def test_big_inputs_are_generated_not_stored(tmp_path):
    sentinel = tmp_path / "PWNED"
    assert len(corpus()["megabyte-line"].payload(sentinel)) >= 2**20
    assert len(corpus()["nested-braces"].payload(sentinel)) >= 200_000
    assert len(corpus()["json-enormous-array"].payload(sentinel)) > 30_000_000
    stored = subprocess.run(["git", "ls-files", "-z", "derivlab/testing", "tests/testing"], capture_output=True,
                            cwd=Path(__file__).resolve().parents[2]).stdout.split(b"\0")
    root = Path(__file__).resolve().parents[2]
    assert all((root / f.decode()).stat().st_size < 200_000 for f in stored if f)


def test_execution_payloads_name_the_sentinel(tmp_path):
    sentinel = tmp_path / "PWNED"
    for name in ("tex-write18", "tex-openout", "python-code", "json-python-strings"):
        assert str(sentinel).encode() in corpus()[name].payload(sentinel), name


def test_the_pickle_payload_is_live_when_unpickling_is_allowed(tmp_path):
    sentinel = tmp_path / "PWNED"
    np.load(io.BytesIO(_pickled_npy(sentinel)), allow_pickle=True)
    assert sentinel.exists()  # so a checker that unpickles WOULD be caught by the sentinel


def test_the_deflate_bomb_inflates_to_what_it_declares():
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(_deflate_bomb(512))).getinfo("Km.npy")
    assert info.file_size > 512 * 2**20 and info.compress_size < 2**20
    small = np.load(io.BytesIO(_deflate_bomb(8)))["Km"]  # valid CRC and header at a harmless size
    assert small.shape == (1024, 1024) and not small.any()


@pytest.mark.tex
def test_the_write18_payload_is_live_under_shell_escape(tmp_path):
    sentinel = tmp_path / "PWNED"
    doc = tmp_path / "doc.tex"
    doc.write_text(f"\\documentclass{{article}}\\begin{{document}}\\immediate\\write18{{touch {sentinel}}}x\\end{{document}}\n")
    subprocess.run(["pdflatex", "-shell-escape", "-interaction=nonstopmode", doc.name], cwd=tmp_path,
                   capture_output=True, timeout=120)
    assert sentinel.exists()  # so the grading feedback's TeX run WOULD be caught if it allowed shell escape
