"""Text cut from a file that remembers where it came from, and depth-aware search in it.

Every reading pass keeps lengths (ignored markup is blanked with spaces), so a
``Span`` is its text and the file offset of its first character. "Top level"
means outside ``{ } [ ] ( )`` and outside environments whose rows and columns are
one expression (``cases``, the ``matrix`` family, ``array``, ``substack``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NESTED_ENVIRONMENTS = ("cases", "dcases", "rcases", "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix",
                       "Vmatrix", "smallmatrix", "array", "subarray")
_DEPTH_TOKEN = re.compile(
    r"\\(?:begin|end)\s*\{(?:" + "|".join(NESTED_ENVIRONMENTS) + r")\*?\}|\\[{}\[\]()|\\]|[{}\[\]()]"
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
    """Index just after the group opened at ``text[i] == open_`` (escaped braces skipped); -1 if never closed."""
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
        i += 1
    return -1


def depth_changes(text: str) -> list[tuple[int, int, int]]:
    """(start, end, +1 | -1 | 0) of every token that opens or closes a level (0: an escaped delimiter)."""
    out = []
    for m in _DEPTH_TOKEN.finditer(text):
        tok = m.group(0)
        if tok.startswith("\\begin"):
            out.append((m.start(), m.end(), 1))
        elif tok.startswith("\\end"):
            out.append((m.start(), m.end(), -1))
        elif tok[0] == "\\":
            continue  # an escaped delimiter (or \\\\) opens nothing; matching it here keeps its '{' from counting
        else:
            out.append((m.start(), m.end(), 1 if tok in "{[(" else -1))
    return out


def find_top_level(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of every match of ``pattern`` outside braces, brackets, parentheses and nested environments."""
    changes = depth_changes(text)
    out, k, depth = [], 0, 0
    for m in pattern.finditer(text):
        while k < len(changes) and changes[k][0] <= m.start():
            a, b, step = changes[k]
            if m.start() < b:  # the match is inside this token (e.g. '(' of '\\(')
                break
            depth += step
            k += 1
        inside_token = k < len(changes) and changes[k][0] <= m.start() < changes[k][1]
        if depth == 0 and not inside_token:
            out.append((m.start(), m.end()))
    return out


def split_top_level(span: Span, pattern: re.Pattern) -> list[Span]:
    out, pos = [], 0
    for a, b in find_top_level(span.text, pattern):
        out.append(span.sub(pos, a))
        pos = b
    out.append(span.sub(pos, len(span.text)))
    return out
