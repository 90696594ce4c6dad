"""The examples in every module's docstrings run (the documentation an instructor copies works),
for every package of derivlab, not only ``testing/``. Every module is imported on the way."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import warnings

import pytest

import derivlab

MODULES = sorted(m.name for m in pkgutil.walk_packages(derivlab.__path__, "derivlab.") if m.name != "derivlab.__main__")


def test_every_package_is_covered():
    packages = {name.split(".")[1] for name in MODULES}
    assert {"checking", "claims", "derivations", "numerics", "reports", "testing", "transformers"} <= packages


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .example() outside a test warns by design
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
