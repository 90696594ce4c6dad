r"""Pass 0 of reading a .tex file: what TeX itself would never read, and what is broken.

``hide_unread`` blanks (same length, so positions stay file positions) every
``%`` comment, ``\begin{verbatim|comment|…}…\end{…}``, ``\iffalse…\fi`` and
``\verb|…|`` (and Markdown code blocks), in one left-to-right scan: a ``%`` starts a comment when an even
number of backslashes precedes it (``\\%`` is a line break, then a comment;
``\%`` is a percent sign). ``structure_problems`` finds an environment, a
display or inline formula, or a brace group that is never closed (a file cut off
mid-formula) and an ``\end`` that closes the wrong environment, each with its
offset and a one-line reason. Both are linear in the size of the text.

    >>> text, problems = hide_unread("a = b \\\\% note\n100\\% kept")
    >>> text.split()
    ['a', '=', 'b', '\\\\', '100\\%', 'kept']
    >>> structure_problems(r"\begin{align*} a = b")
    [Problem(offset=0, reason='\\begin{align*} is never closed (the file ends inside it)', end=None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNREAD_ENVIRONMENTS = ("verbatim", "verbatim*", "Verbatim", "comment", "lstlisting", "minted", "alltt")
_UNREAD = re.compile(
    r"(?<!\\)(?:\\\\)*(?P<pct>%)"
    r"|\\begin\s*\{(?P<env>" + "|".join(re.escape(e) for e in UNREAD_ENVIRONMENTS) + r")\}"
    r"|(?P<iffalse>\\iffalse)(?![a-zA-Z])"
    r"|\\verb\*?(?P<verb>[^a-zA-Z\s*])"
    r"|(?m:^(?P<fence>[ \t]*(?:```|~~~))[^\n]*$)"  # a Markdown code block
)
_IF_OR_FI = re.compile(r"\\(if[a-zA-Z]*|fi)(?![a-zA-Z])")
_STRUCTURE = re.compile(
    r"\\(?P<kind>begin|end)\s*\{(?P<name>[^{}\n]{1,40})\}|(?P<display>\\\[|\\\]|\$\$|\\\(|\\\))|(?<!\\)(?P<dollar>\$)"
    r"|\\[{}$\\]"
)


@dataclass(frozen=True)
class Problem:
    """Something that makes the document unreadable from ``offset`` on."""

    offset: int
    reason: str
    end: int | None = None  # where its effect ends (None: the end of the file)

    def covers(self, offset: int) -> bool:
        return self.offset <= offset and (self.end is None or offset < self.end)


def _blank(chars: list[str], a: int, b: int) -> None:
    for k in range(a, b):
        if chars[k] != "\n":
            chars[k] = " "


def hide_unread(text: str) -> tuple[str, list[Problem]]:
    """``text`` with comments, verbatim/comment environments, \\iffalse blocks and \\verb blanked."""
    chars = list(text)
    problems: list[Problem] = []
    pos = 0
    while True:
        m = _UNREAD.search(text, pos)
        if not m:
            break
        if m.group("pct"):
            a = m.start("pct")
            end = text.find("\n", a)
            end = len(text) if end < 0 else end
        elif m.group("env"):
            a = m.start()
            closer = re.compile(r"\\end\s*\{" + re.escape(m.group("env")) + r"\}")
            found = closer.search(text, m.end())
            if not found:
                problems.append(Problem(a, f"\\begin{{{m.group('env')}}} is never closed"))
            end = found.end() if found else len(text)
        elif m.group("iffalse"):
            a, depth, end = m.start(), 1, len(text)
            for f in _IF_OR_FI.finditer(text, m.end()):
                depth += -1 if f.group(1) == "fi" else 1
                if depth == 0:
                    end = f.end()
                    break
            else:
                problems.append(Problem(a, "\\iffalse is never closed by \\fi"))
        elif m.group("fence"):
            a, fence = m.start(), m.group("fence").strip()
            found = re.compile(r"(?m)^[ \t]*" + re.escape(fence) + r"[ \t]*$").search(text, m.end())
            if not found:
                problems.append(Problem(a, f"the code block opened by {fence} is never closed"))
            end = found.end() if found else len(text)
        else:
            a = m.start()
            end = text.find(m.group("verb"), m.end())
            end = len(text) if end < 0 or "\n" in text[m.end():end] else end + 1
        _blank(chars, a, end)
        pos = max(end, m.end())
    return "".join(chars), problems


def structure_problems(text: str) -> list[Problem]:
    """Unclosed or mismatched environments and formulas of an already ``hide_unread`` text."""
    problems: list[Problem] = []
    envs: list[tuple[str, int]] = []  # open \begin{name}, offset
    math: list[tuple[str, int]] = []  # open \[ / $$ / \( / $ (a $ may open inside \text of a display)
    for m in _STRUCTURE.finditer(text):
        if m.group("kind") == "begin":
            envs.append((m.group("name"), m.start()))
        elif m.group("kind") == "end":
            name = m.group("name")
            if envs and envs[-1][0] == name:
                envs.pop()
            elif any(n == name for n, _ in envs):
                inner, at = envs[-1]
                problems.append(Problem(at, f"\\begin{{{inner}}} is closed by \\end{{{name}}}, not \\end{{{inner}}}"))
                while envs and envs[-1][0] != name:
                    envs.pop()
                envs.pop()
            else:
                problems.append(Problem(m.start(), f"\\end{{{name}}} closes nothing (no \\begin{{{name}}} before it)"))
        elif m.group("display") or m.group("dollar"):
            token = m.group("display") or "$"
            if token in ("$", "$$") and math and math[-1][0] == token:
                math.pop()
            elif token in ("\\[", "\\(", "$$", "$"):
                math.append((token, m.start()))
            elif math and math[-1][0] == {"\\]": "\\[", "\\)": "\\("}[token]:
                math.pop()
            else:
                problems.append(Problem(m.start(), f"{token} closes no formula"))
    for opener, at in math[:1]:
        closer = {"\\[": "\\]", "\\(": "\\)"}.get(opener, opener)
        problems.append(Problem(at, f"the formula opened by {opener} is never closed by {closer} "
                                    "(the file ends inside it)"))
    for name, at in envs:
        if name != "document":
            problems.append(Problem(at, f"\\begin{{{name}}} is never closed (the file ends inside it)"))
    return problems


def brace_problems(text: str, start: int) -> list[Problem]:
    """A ``{`` never closed or a ``}`` closing nothing in ``text`` (a math block at offset ``start``);
    the problem ends with the block."""
    opened: list[int] = []
    for m in re.finditer(r"\\[{}\\]|[{}]", text):
        token = m.group(0)
        if token == "{":
            opened.append(m.start())
        elif token == "}":
            if not opened:
                return [Problem(start + m.start(), "this '}' closes no '{'", start + len(text))]
            opened.pop()
    return [Problem(start + opened[0], "this '{' is never closed", start + len(text))] if opened else []
