"""Every Python example of the README runs: the ``>>>`` examples as doctests, and every
```python block is executed (its test functions called), from the repository root."""

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_doctests_pass(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10
    assert result.failed == 0


def test_every_python_block_without_prompts_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    blocks = [b for b in _python_blocks() if ">>>" not in b]
    assert blocks
    for block in blocks:
        namespace: dict = {"__name__": "readme_example"}
        exec(compile(block, str(README), "exec"), namespace)
        for name, value in list(namespace.items()):
            if name.startswith("test_") and callable(value):
                value()
