"""The examples in the public docstrings run (so the documentation an instructor copies works)."""

import doctest
import importlib
import warnings

import pytest

MODULES = ["strategies", "_strategies_dropout", "_strategies_attention", "_strategies_derivation", "properties",
           "mutants", "hostile"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"derivlab.testing.{name}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .example() outside a test warns by design
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
