"""Reading a .tex file: its math blocks, their rows, and the definitions in it.

Only ``align``/``align*``/``aligned``/``equation(*)``/``gather(*)``/``multline(*)``,
``\\[ … \\]`` and ``$$ … $$`` are read; prose is ignored except inline math that
defines a name ("Let $P = R \\odot X$", "$P := R \\odot X$"). Ignorable markup
(``\\label``, ``\\tag``, ``\\nonumber``, ``&``, spacing, prose ``\\text{…}``) is
blanked with spaces, so every character keeps its position in the file and every
error can name its line and column.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

ENVIRONMENTS = ("align", "align*", "aligned", "equation", "equation*", "gather", "gather*", "multline",
                "multline*", "eqnarray", "eqnarray*", "flalign", "flalign*", "alignat", "alignat*")
_BLOCK_OPEN = re.compile(r"\\begin\{(" + "|".join(re.escape(e) for e in ENVIRONMENTS) + r")\}(\{\d+\})?|\\\[|\$\$")
_INLINE = re.compile(r"(?<!\\)\$(?!\$)(.+?)(?<!\\)\$|\\\((.+?)\\\)", re.S)
_INNER_ENV = re.compile(r"\\(begin|end)\{(aligned|split|gathered|alignedat|array)\}(\[[a-z]\])?(\{[^{}]*\})?")
_IGNORED = re.compile(
    r"\\(label|tag\*?|eqref|ref|hspace\*?|vspace\*?|phantom|vphantom|hphantom|color)\s*\{[^{}]*\}"
    r"|\\(nonumber|notag|quad|qquad|displaystyle|textstyle|hfill|medskip|smallskip|bigskip|noindent|allowbreak)(?![a-zA-Z])"
    r"|(?<!\\)\\[,;:! ]|~|&"
)
_WRAPPERS = re.compile(r"\\(boxed|underbrace|overbrace|textcolor\s*\{[^{}]*\}|underset\s*\{[^{}]*\}|overset\s*\{[^{}]*\})\s*(?=\{)")
_ROW_BREAK = re.compile(r"\\\\(\s*\[[^\]]*\])?|\\cr(?![a-zA-Z])")
_PROSE = re.compile(r"\\(text|textrm|textit|textbf|mbox|intertext|shortintertext)\s*\{([^{}]*)\}")
NAME_WORDS = {"diag", "Diag", "tr", "Tr", "trace", "Bernoulli", "Bern", "Ber", "B", "new", "old", "E", "T", "i.i.d.",
              "iid", "drop", "ridge"}
DEFINITION_WORDS = re.compile(r"^\s*(let|where|with|define|set|and let|and|for)\b", re.I)
_ASSIGN = re.compile(r":=|\\coloneqq(?![a-zA-Z])|\\triangleq(?![a-zA-Z])|\\(stackrel|overset)\s*\{[^{}]*\}\s*\{\s*=\s*\}|\\equiv(?![a-zA-Z])")
_PLAIN_EQUALS = re.compile(r"(?<![:<>!\\])=(?!=)")
_PROSE_DEFINITION = re.compile(r"\b(let|where|define|defining|set|with|denote|put)\b[^.$]{0,40}$", re.I)


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


@dataclass(frozen=True)
class Definition:
    """``name`` := ``body`` (``kind``: "let", "where" or ":="), effective from ``effective`` (a file offset).
    ``chain`` is everything after the assignment sign (it may continue ``= …``)."""

    name: Span
    body: Span
    kind: str
    effective: int
    chain: Span | None = None


@dataclass(frozen=True)
class Row:
    """One row of a math block: its chain material (or None) and the definitions it makes."""

    block: int
    math: Span | None
    definitions: tuple[Definition, ...]


class SourceMap:
    """File offsets → (line, column), both 1-based."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def strip_comments(text: str) -> str:
    """Blank every % comment (not \\%) up to the end of its line."""
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)


def find_blocks(text: str) -> list[Span]:
    """The bodies of the display-math blocks, in document order."""
    out, pos = [], 0
    while True:
        m = _BLOCK_OPEN.search(text, pos)
        if not m:
            return out
        if m.group(1):
            closer = "\\end{" + m.group(1) + "}"
        else:
            closer = "\\]" if m.group(0) == "\\[" else "$$"
        end = text.find(closer, m.end())
        if end < 0:
            end = len(text)
        out.append(Span(text[m.end():end], m.end()))
        pos = end + len(closer)


def inline_definitions(text: str, blocks: list[Span]) -> list[Definition]:
    """Definitions made in prose: inline math after "let/where/define …" or holding :=."""
    covered = [(b.start, b.start + len(b.text)) for b in blocks]
    out = []
    for m in _INLINE.finditer(text):
        if any(a - 2 <= m.start() < b + 2 for a, b in covered):
            continue
        group = 1 if m.group(1) is not None else 2
        span = Span(m.group(group), m.start(group))
        before = text[max(0, m.start() - 60):m.start()]
        cleaned = clean(span)
        if _PROSE_DEFINITION.search(before) or _ASSIGN.search(cleaned.text):
            out.extend(_split_definitions(cleaned, "let", m.start()))
    return out


_CASES = re.compile(r"\\begin\s*\{cases\}.*?\\end\s*\{cases\}", re.S)


def _inside_cases(text: str):
    """A test for offsets inside a cases environment (its & and \\\\ belong to the expression)."""
    spans = [m.span() for m in _CASES.finditer(text)]
    return lambda i: any(a <= i < b for a, b in spans)


def clean(span: Span) -> Span:
    """Blank ignorable markup (same length); the & of a cases environment is kept."""
    text = _INNER_ENV.sub(lambda m: " " * len(m.group(0)), span.text)
    inside = _inside_cases(text)
    text = _IGNORED.sub(lambda m: m.group(0) if m.group(0) == "&" and inside(m.start()) else " " * len(m.group(0)),
                        text)
    text = _WRAPPERS.sub(lambda m: " " * len(m.group(0)), text)
    text = _drop_brace_annotations(text)
    return Span(text, span.start)


def _drop_brace_annotations(text: str) -> str:
    """After \\underbrace{…} the annotation _{…} / ^{…} is prose: blank it."""
    for m in list(re.finditer(r"\}\s*[_^]\s*\{\s*\\text", text)):
        i = m.end() - len("\\text")
        depth, j = 1, i
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        text = blank(text, m.start() + 1, j)
    return text


def rows_of(block: Span, index: int) -> list[Row]:
    """Split a cleaned block into rows at \\\\ and classify prose and definitions in each."""
    body = clean(block)
    rows, pos = [], 0
    inside = _inside_cases(body.text)
    for m in [b for b in _ROW_BREAK.finditer(body.text) if not inside(b.start())] + [None]:
        end = m.start() if m else len(body.text)
        rows.append(_row(body.sub(pos, end), index))
        if m:
            pos = m.end()
    return rows


def _row(span: Span, block: int) -> Row:
    text = span.text
    definitions: list[Definition] = []
    math_end = len(text)
    for m in list(_PROSE.finditer(text)):
        content = m.group(2).strip()
        before = text[:m.start()].rstrip()
        if content in NAME_WORDS or before.endswith(("_", "^", "_{", "^{")) or not content:
            continue
        word = DEFINITION_WORDS.match(content)
        if word and m.start() < math_end:
            kind = "where" if word.group(1).lower() in ("where", "with", "for") else "let"
            rest = span.sub(m.end(), len(text))
            row_start = span.start
            definitions.extend(_split_definitions(rest, kind, row_start if kind == "where" else span.start + m.start()))
            math_end = m.start()
            break
        text = blank(text, m.start(), m.end())
    text = re.sub(r"\(\s*\)", lambda m: " " * len(m.group(0)), text[:math_end])
    math = Span(text, span.start).stripped()
    math = _trim_punctuation(math)
    if math.text and _ASSIGN.search(math.text) and not definitions:
        found = _split_definitions(math, ":=", span.start)
        definitions.extend(found)
        # "M := B = C" defines M as B and starts the chain B = C
        math = found[-1].chain if len(found) == 1 and found[0].chain is not None else Span("", span.start)
    return Row(block, math if math.text else None, tuple(definitions))


def _trim_punctuation(span: Span) -> Span:
    text = span.text.rstrip()
    while text.endswith((".", ",", ";")):
        text = text[:-1].rstrip()
    return span.sub(0, len(text))


def _split_definitions(span: Span, kind: str, effective: int) -> list[Definition]:
    """'P = R ⊙ X, \\lambda = \\frac{1-p}{p}' → two definitions (split at top-level commas / 'and')."""
    out = []
    for part in split_top_level(span, re.compile(r",|\\text\s*\{\s*and\s*\}|;")):
        part = _trim_punctuation(part.stripped())
        if not part.text:
            continue
        sep = find_top_level(part.text, re.compile(r":=|\\coloneqq(?![a-zA-Z])|\\triangleq(?![a-zA-Z])|"
                                                    r"\\(stackrel|overset)\s*\{[^{}]*\}\s*\{\s*=\s*\}|\\equiv(?![a-zA-Z])|="))
        if not sep:
            continue
        a, b = sep[0]
        rest = part.sub(b, len(part.text))
        more = find_top_level(rest.text, _PLAIN_EQUALS)
        body = rest.sub(0, more[0][0]) if more else rest
        out.append(Definition(part.sub(0, a).stripped(), body.stripped(),
                              kind if kind != ":=" or part.text[a:b] != "=" else "let", effective,
                              rest.stripped() if part.text[a:b] != "=" else None))
    return out


def find_top_level(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of every match of ``pattern`` outside braces, brackets and parentheses."""
    depth_at = [0] * (len(text) + 1)
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "{}[]()|":
            if text[i + 1] == "}":  # \{ … \} groups (an indicator 𝟏\{j = k\}): its '=' is not a chain's
                depth -= 1
            depth_at[i] = depth_at[i + 1] = depth
            if text[i + 1] == "{":
                depth += 1
            i += 2
            continue
        if ch in "{[(":
            depth_at[i] = depth
            depth += 1
        elif ch in "}])":
            depth -= 1
            depth_at[i] = depth
        else:
            depth_at[i] = depth
        i += 1
    inside = _inside_cases(text)  # a cases environment is one expression: its = are conditions
    return [(m.start(), m.end()) for m in pattern.finditer(text) if depth_at[m.start()] == 0 and not inside(m.start())]


def split_top_level(span: Span, pattern: re.Pattern) -> list[Span]:
    out, pos = [], 0
    for a, b in find_top_level(span.text, pattern):
        out.append(span.sub(pos, a))
        pos = b
    out.append(span.sub(pos, len(span.text)))
    return out
