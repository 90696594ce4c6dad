"""Text cut from a file that remembers where it came from, and depth-aware search in it.

Every reading pass keeps lengths (ignored markup is blanked with spaces), so a
``Span`` is its text and the file offset of its first character. "Top level"
means outside ``{ } [ ] ( )`` and outside environments whose rows and columns are
one expression (``cases``, the ``matrix`` family, ``array``, ``substack``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

NESTED_ENVIRONMENTS = ("cases", "dcases", "rcases", "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix",
                       "Vmatrix", "smallmatrix", "array", "subarray")
_ENVS = "|".join(NESTED_ENVIRONMENTS)
_DEPTH_TOKEN = re.compile(
    r"(?P<open>\\\{)|(?P<close>\\\})"  # \{ … \} groups (an indicator 𝟏\{j = k\}): their '=' is not a chain's
    r"|(?P<esc>\\[\[\]()|\\])"
    r"|(?P<open2>\\begin\s*\{(?:" + _ENVS + r")\*?\}|[{\[(])"
    r"|(?P<close2>\\end\s*\{(?:" + _ENVS + r")\*?\}|[}\])])"
)


@dataclass(frozen=True)
class Span:
    """Text cut from the file with the file offset of its first character (same length as the file slice)."""

    text: str
    start: int

    def sub(self, a: int, b: int) -> "Span":
        return Span(self.text[a:b], self.start + a)

    def stripped(self) -> "Span":
        lead = len(self.text) - len(self.text.lstrip())
        return self.sub(lead, len(self.text.rstrip()))

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def group_end(text: str, i: int, open_: str = "{", close: str = "}") -> int:
    """Index just after the group opened at ``text[i] == open_`` (escaped delimiters skipped); -1 if never closed.
    Brace groups are looked up in an index built once per text, so n lookups cost O(n), not O(n²)."""
    if open_ == "{" and close == "}":
        return _brace_index(text).get(i, -1)
    depth, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n" and text.startswith("\n\n", i):
            return -1  # an optional argument does not run past a paragraph
        i += 1
    return -1


_BRACE_TOKEN = re.compile(r"\\.|[{}]", re.S)


@functools.lru_cache(maxsize=16)
def _brace_index(text: str) -> dict[int, int]:
    """{offset of '{': offset just after its matching '}'} for every closed brace group of ``text``."""
    index, opened = {}, []
    for m in _BRACE_TOKEN.finditer(text):
        tok = m.group(0)
        if tok == "{":
            opened.append(m.start())
        elif tok == "}" and opened:
            index[opened.pop()] = m.end()
    return index


@functools.lru_cache(maxsize=16)
def _levels(text: str) -> tuple[list[int], list[int]]:
    """(end offset of every token that opens or closes a level, the depth after it); built once per text."""
    ends, depths, depth = [], [], 0
    for m in _DEPTH_TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "esc":
            continue  # an escaped delimiter (or \\\\) opens nothing; matching it keeps its '{' from counting
        depth += 1 if kind in ("open", "open2") else -1
        ends.append(m.end())
        depths.append(depth)
    return ends, depths


def find_top_level(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of every match of ``pattern`` outside braces, brackets, parentheses and nested environments."""
    ends, depths = _levels(text)
    out, k, depth, n = [], 0, 0, len(ends)
    for m in pattern.finditer(text):
        while k < n and ends[k] <= m.start():
            depth = depths[k]
            k += 1
        if depth == 0:
            out.append((m.start(), m.end()))
    return out


def split_top_level(span: Span, pattern: re.Pattern) -> list[Span]:
    out, pos = [], 0
    for a, b in find_top_level(span.text, pattern):
        out.append(span.sub(pos, a))
        pos = b
    out.append(span.sub(pos, len(span.text)))
    return out
