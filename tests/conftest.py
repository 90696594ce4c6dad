"""Shared test settings: one torch thread per worker (pytest-xdist runs two), a
Hypothesis profile with no deadline (these machines are noisy), and the one rule for
tests that need TeX (``@pytest.mark.tex``)."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

from hypothesis import settings  # noqa: E402

settings.register_profile("derivlab", deadline=None, print_blob=True)
settings.load_profile("derivlab")

import shutil  # noqa: E402

import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

TEX_PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-latex-extra latexmk poppler-utils"


def tex_skip_reason(tools: tuple[str, ...] = ("pdflatex",)) -> str | None:
    """The one reason a TeX test skips: which tools are missing and how to get them."""
    missing = [t for t in tools if shutil.which(t) is None]
    if not missing:
        return None
    return (f"no TeX: {', '.join(missing)} not found (`make test` installs TeX Live when run as root; "
            f"otherwise apt-get install {TEX_PACKAGES})")


def pytest_runtest_setup(item):
    """``@pytest.mark.tex`` (optionally naming the tools, default pdflatex) skips, with one stated
    reason, where TeX is missing; nothing else decides whether a TeX test runs."""
    marker = item.get_closest_marker("tex")
    if marker is not None:
        reason = tex_skip_reason(tuple(marker.args) or ("pdflatex",))
        if reason:
            pytest.skip(reason)
