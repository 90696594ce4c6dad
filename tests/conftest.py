"""Shared test settings: one torch thread per worker (pytest-xdist runs two), a
Hypothesis profile with no deadline (these machines are noisy)."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

from hypothesis import settings  # noqa: E402

settings.register_profile("derivlab", deadline=None, print_blob=True)
settings.load_profile("derivlab")

try:
    import torch  # noqa: E402

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover
    pass
