"""Student macros: ``\\newcommand``, ``\\renewcommand``, ``\\providecommand``,
``\\DeclareMathOperator``, simple ``\\def`` and ``\\let``, expanded before reading.

One left-to-right pass: a definition is recorded (and blanked) where it is made and
holds from there on; a use is replaced by its body with the arguments put in
(``#1`` …, an optional first argument with its default), then the result is
expanded again, at most ``MAX_DEPTH`` levels deep, and the whole expansion may add
at most ``MAX_GROWTH`` characters: a macro that calls itself or grows without end
ends in a ``Problem`` with its position, never in a hang. Nothing is executed.
Every character of the result knows the file offset it came from
(``PositionMap``): text that is copied keeps its own offset, text that a macro
produced takes the offset of the macro's use.

    >>> text, where, problems = expand_macros(r"\\newcommand{\\norm}[1]{\\|#1\\|} $\\norm{w}$")
    >>> " ".join(text.split()), problems
    ('$\\\\|w\\\\| $', [])
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from derivlab.checking.spans import group_end
from derivlab.checking.texsource import Problem

MAX_DEPTH = 16
MAX_GROWTH = 1_000_000
MAX_ARGUMENTS = 9

_CONTROL = re.compile(r"\\([a-zA-Z@]+|.)", re.S)
_DEFINERS = {"newcommand", "renewcommand", "providecommand", "DeclareMathOperator", "DeclareRobustCommand",
             "def", "let"}


@dataclass(frozen=True)
class Macro:
    arguments: int
    default: str | None  # the optional first argument's default, when it has one
    body: str


class PositionMap:
    """Offsets in the expanded text → offsets in the file."""

    def __init__(self) -> None:
        self.starts: list[int] = []   # expanded offset where a piece starts
        self.origins: list[int] = []  # its file offset
        self.copied: list[bool] = []  # copied text (offsets advance) or macro output (one offset)

    def add(self, out_start: int, origin: int, copied: bool) -> None:
        self.starts.append(out_start)
        self.origins.append(origin)
        self.copied.append(copied)

    def source_offset(self, offset: int) -> int:
        k = bisect.bisect_right(self.starts, offset) - 1
        if k < 0:
            return offset
        return self.origins[k] + (offset - self.starts[k] if self.copied[k] else 0)


class _Stop(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _argument(text: str, i: int) -> tuple[str, int] | None:
    """One mandatory argument at ``i``: a {group}, a control sequence or one character."""
    i = _skip_space(text, i)
    if i >= len(text):
        return None
    if text[i] == "{":
        end = group_end(text, i)
        return (text[i + 1:end - 1], end) if end > 0 else None
    if text[i] == "\\":
        m = _CONTROL.match(text, i)
        return m.group(0), m.end()
    if text[i] in "}":
        return None
    return text[i], i + 1


def _optional(text: str, i: int) -> tuple[str, int] | None:
    j = _skip_space(text, i)
    if j < len(text) and text[j] == "[":
        end = group_end(text, j, "[", "]")
        if end > 0:
            return text[j + 1:end - 1], end
    return None


def _definition(text: str, name: str, i: int) -> tuple[str, Macro, int] | None:
    """Parse the definition after ``\\<name>`` at ``i``: (macro name, macro, end) or None."""
    if i < len(text) and text[i] == "*":
        i += 1
    if name == "let":
        m = re.compile(r"\s*(\\[a-zA-Z@]+)\s*=?\s*(\\[a-zA-Z@]+|[^\s\\])").match(text, i)
        return (m.group(1)[1:], Macro(0, None, m.group(2)), m.end()) if m else None
    if name == "def":
        m = re.compile(r"\s*\\([a-zA-Z@]+)((?:#[1-9])*)\s*(?=\{)").match(text, i)
        if not m:
            return None
        end = group_end(text, m.end())
        if end < 0:
            return None
        return m.group(1), Macro(len(m.group(2)) // 2, None, text[m.end() + 1:end - 1]), end
    target = _argument(text, i)
    if target is None or not re.fullmatch(r"\s*\\[a-zA-Z@]+\s*", target[0]):
        return None
    macro_name, i = target[0].strip()[1:], target[1]
    if name == "DeclareMathOperator":
        body = _argument(text, i)
        return (macro_name, Macro(0, None, r"\operatorname{" + body[0] + "}"), body[1]) if body else None
    count, default = 0, None
    opt = _optional(text, i)
    if opt:
        if not opt[0].strip().isdigit() or not 0 <= int(opt[0]) <= MAX_ARGUMENTS:
            return None
        count, i = int(opt[0]), opt[1]
        opt = _optional(text, i)
        if opt:
            default, i = opt
    body = _argument(text, i)
    return (macro_name, Macro(count, default, body[0]), body[1]) if body else None


def _substitute(body: str, args: list[str]) -> str:
    def put(m: re.Match) -> str:
        if m.group(0) == "##":
            return "#"
        k = int(m.group(0)[1]) - 1
        value = args[k] if k < len(args) else ""
        if value[:1].isalpha() and re.search(r"\\[a-zA-Z@]+$", body[:m.start()]):
            value = " " + value  # \tilde#1 with #1 = w is \tilde w, not \tildew
        return value
    return re.sub(r"##|#[1-9]", put, body)


class _Expander:
    def __init__(self) -> None:
        self.macros: dict[str, Macro] = {}
        self.growth = 0

    def use(self, text: str, name: str, i: int, depth: int) -> tuple[str, int]:
        """Expand the use of ``name`` whose arguments start at ``i``: (expansion, end)."""
        macro = self.macros[name]
        if depth >= MAX_DEPTH:
            raise _Stop(f"\\{name} expands more than {MAX_DEPTH} levels deep (a macro that uses itself?)")
        args: list[str] = []
        for k in range(macro.arguments):
            got = _optional(text, i) if k == 0 and macro.default is not None else None
            if got is None and k == 0 and macro.default is not None:
                got = (macro.default, i)
            got = got or _argument(text, i)
            if got is None:
                raise _Stop(f"\\{name} needs {macro.arguments} argument(s); the text ends or a group closes first")
            args.append(got[0])
            i = got[1]
        out = self.expand(_substitute(macro.body, args), depth + 1) + " "
        self.growth += len(out)
        if self.growth > MAX_GROWTH:
            raise _Stop(f"expanding the macros would add more than {MAX_GROWTH:,} characters "
                        f"(\\{name} grows without end?)")
        return out, i

    def expand(self, text: str, depth: int) -> str:
        """Expand macro uses inside a macro's output (definitions there are not made)."""
        if not self.macros or "\\" not in text:
            return text
        out, pos = [], 0
        for m in _CONTROL.finditer(text):
            if m.start() < pos:
                continue
            name = m.group(1)
            if name in self.macros:
                out.append(text[pos:m.start()])
                piece, pos = self.use(text, name, m.end(), depth)
                out.append(piece)
        out.append(text[pos:])
        return "".join(out)


def expand_macros(text: str) -> tuple[str, PositionMap, list[Problem]]:
    """``text`` with every macro defined in it expanded (definitions blanked); positions; problems."""
    where = PositionMap()
    if "\\" not in text or not re.search(r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator|"
                                          r"DeclareRobustCommand|def|let)(?![a-zA-Z])", text):
        where.add(0, 0, True)
        return text, where, []
    expander = _Expander()
    out: list[str] = []
    size = 0
    pos = 0

    def copy(a: int, b: int, blank: bool = False) -> None:
        nonlocal size
        if b > a:
            where.add(size, a, True)
            piece = text[a:b]
            out.append(re.sub(r"[^\n]", " ", piece) if blank else piece)
            size += b - a

    for m in _CONTROL.finditer(text):
        if m.start() < pos:
            continue
        name = m.group(1)
        if name in _DEFINERS:
            found = _definition(text, name, m.end())
            if found is None:
                continue
            macro_name, macro, end = found
            if not (name == "providecommand" and macro_name in expander.macros):
                expander.macros[macro_name] = macro
            copy(pos, m.start())
            copy(m.start(), end, blank=True)
            pos = end
        elif name in expander.macros:
            try:
                piece, end = expander.use(text, name, m.end(), 0)
            except _Stop as stop:
                copy(pos, len(text))
                return "".join(out), where, [Problem(m.start(), stop.reason)]
            copy(pos, m.start())
            where.add(size, m.start(), False)
            out.append(piece)
            size += len(piece)
            pos = end
    copy(pos, len(text))
    return "".join(out), where, []
