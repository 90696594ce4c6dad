"""Reading a .tex file: its math blocks, their rows, and the definitions in it.

Only ``align``/``align*``/``aligned``/``equation(*)``/``gather(*)``/``multline(*)``,
``\\[ … \\]`` and ``$$ … $$`` are read; prose is ignored except inline math that
defines a name ("Let $P = R \\odot X$", "$P := R \\odot X$"). Ignorable markup
(``\\label``, ``\\tag``, ``\\nonumber``, alignment ``&``, spacing, prose
``\\text{…}``, the labels of ``\\underbrace``/``\\overbrace``) is blanked with
spaces, so every character keeps its position and every error can name its line
and column. A row is split into SEGMENTS, each its own chain, where the student
wrote two equalities side by side (``,``, ``;``, ``\\quad``, ``\\text{and}``, a
second column pair of ``align``); a reason column (``&& \\text{by (3)}``) and
reason prose are not read, and an equality found there is reported in a note.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from derivlab.checking import prose
from derivlab.checking.prose import Definition, split_definitions, trim_punctuation
from derivlab.checking.spans import Span, find_top_level, group_end, split_top_level
from derivlab.checking.texsource import hide_unread

__all__ = ["Block", "Definition", "Row", "SourceMap", "Span", "clean", "find_blocks", "find_top_level",
           "inline_definitions", "rows_of", "split_top_level", "strip_comments"]

ENVIRONMENTS = ("align", "align*", "aligned", "equation", "equation*", "gather", "gather*", "multline",
                "multline*", "eqnarray", "eqnarray*", "flalign", "flalign*", "alignat", "alignat*")
_BLOCK_OPEN = re.compile(r"\\begin\{(" + "|".join(re.escape(e) for e in ENVIRONMENTS) + r")\}(\{\d+\})?|\\\[|\$\$")
_INNER_ENV = re.compile(r"\\(begin|end)\{(aligned|split|gathered|alignedat|multlined)\}(\[[a-z]\])?(\{[^{}]*\})?")
_IGNORED = re.compile(
    r"\\(label|tag\*?|eqref|ref|hspace\*?|vspace\*?|phantom|vphantom|hphantom|color)\s*\{[^{}]*\}"
    r"|\\(nonumber|notag|displaystyle|textstyle|hfill|medskip|smallskip|bigskip|noindent|allowbreak|"
    r"hline)(?![a-zA-Z])"
    r"|(?<!\\)\\[,;:! ]|~"
)
_WRAPPERS = re.compile(r"\\(boxed|ensuremath|mathrlap|mathllap|mathclap|smash|textcolor\s*\{[^{}]*\}|underset\s*\{[^{}]*\}|overset\s*\{[^{}]*\})\s*(?=\{)")
_QUAD = re.compile(r"\\q?quad(?![a-zA-Z])")
_STACKED = re.compile(r"\\(stackrel|overset|underset)\s*(?=\{)")
_BRACES = re.compile(r"\\(underbrace|overbrace|underbracket|overbracket)(?![a-zA-Z])\s*(?=\{)")
_EQUALITY_SIGNS = {"=", "\\equiv", ":=", "\\coloneqq", "\\triangleq", "\\doteq"}
_DEFINITIONAL_LABEL = re.compile(r"^\s*(\\(text|mathrm|rm|textrm|mbox)\s*\{\s*)?(def\.?|d|Def|defn)\s*\}?\s*$"
                                 r"|^\s*(\\Delta|\\triangle|:)\s*$")
_EQUIV = re.compile(r"(?<!\\not)(?<!\\not )\\equiv(?![a-zA-Z])")
_ROW_BREAK = re.compile(r"\\\\(\s*\[[^\]]*\])?|\\cr(?![a-zA-Z])")
_INTERTEXT = re.compile(r"\\(intertext|shortintertext)\s*(?=\{)")
_COLUMN, _SIDE_BY_SIDE = "\u2002", "\u2003"  # same-length markers: a column pair ends; \quad
_SEPARATOR = re.compile(r"[,;" + _COLUMN + _SIDE_BY_SIDE + r"]|\\(implies|impliedby|iff|Rightarrow|Longrightarrow|"
                        r"Leftrightarrow|Longleftrightarrow|therefore|because)(?![a-zA-Z])")  # two chains if '=' both sides
_AMPERSAND = re.compile(r"(?<!\\)&")
_EQUALS = re.compile(prose.PLAIN_EQUALS.pattern + "|" + prose.ASSIGN_SIGN.pattern)


@dataclass(frozen=True)
class Block(Span):
    """The body of one display-math block; ``env`` is its environment ('' for \\[ \\] and $$ $$)."""

    env: str = ""


@dataclass(frozen=True)
class Row:
    """One row of a math block: its chain material (or None), the definitions it makes, the further
    chains written beside it (``more``), and notes ``(file offset, text)`` on what was not read."""

    block: int
    math: Span | None
    definitions: tuple[Definition, ...]
    more: tuple[Span, ...] = ()
    notes: tuple[tuple[int, str], ...] = ()
    links: tuple[str, ...] = ()  # for each of ``more``: 'implies' / 'iff' when an implication leads to it, else ''
    lead: str = ""  # 'implies' / 'iff' when the row itself starts with an arrow (\implies w = …)


class SourceMap:
    """File offsets → (line, column), both 1-based; ``positions`` maps expanded-text offsets to file offsets."""

    def __init__(self, text: str, positions=None):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.positions = positions

    def line_col(self, offset: int) -> tuple[int, int]:
        """Line and column of an offset in the (macro-expanded) text that was read."""
        if self.positions is not None:
            offset = self.positions.source_offset(offset)
        return self.file_line_col(offset)

    def file_line_col(self, offset: int) -> tuple[int, int]:
        """Line and column of an offset in the file itself."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def strip_comments(text: str) -> str:
    """Blank every % comment (not \\%; \\\\% is a line break, then a comment), verbatim, comment, \\iffalse."""
    return hide_unread(text)[0]


def find_blocks(text: str) -> list[Block]:
    """The bodies of the display-math blocks, in document order (an unclosed one runs to the end)."""
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
        out.append(Block(text[m.end():end], m.end(), m.group(1) or ""))
        pos = end + len(closer)


def inline_definitions(text: str, blocks: list[Span]) -> list[Definition]:
    """Definitions made in prose: inline math after "let/where/setting/plugging in …" or holding :=."""
    covered = [(b.start, b.start + len(b.text)) for b in blocks]
    starts = [a for a, _ in covered]
    out = []
    for formula in prose.inline_math(Span(text, 0)):
        k = bisect.bisect_right(starts, formula.start) - 1
        if k >= 0 and covered[k][0] - 2 <= formula.start < covered[k][1] + 2:
            continue
        out.extend(_prose_formula(formula, text[max(0, formula.start - 61):formula.start - 1], formula.start - 1))
    return out


def _prose_formula(formula: Span, before: str, effective: int) -> list[Definition]:
    if "=" not in formula.text and "\\" not in formula.text:
        return []  # no equality sign of any spelling: nothing is defined (the common case, kept cheap)
    if prose.defines_before(before) or prose.ASSIGN_SIGN.search(formula.text) or _STACKED.search(formula.text):
        return split_definitions(clean(formula), "let", effective)
    return []


def clean(span: Span) -> Span:
    """Blank ignorable markup (same length); stacked equality signs become '=' (or ':=' for 'def')."""
    text = _INNER_ENV.sub(lambda m: " " * len(m.group(0)), span.text)
    text = _equality_marks(text)
    text = _brace_labels(text)
    text = _IGNORED.sub(lambda m: " " * len(m.group(0)), text)
    text = _QUAD.sub(lambda m: _SIDE_BY_SIDE + " " * (len(m.group(0)) - 1), text)
    text = _WRAPPERS.sub(lambda m: " " * len(m.group(0)), text)
    return Span(text, span.start)


def _token_end(text: str, i: int) -> int:
    """End of the argument at ``i``: a {group}, a control sequence (with a {group} after it) or a character."""
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        return i
    if text[i] == "{":
        end = group_end(text, i)
        return end if end > 0 else len(text)
    if text[i] == "\\":
        m = re.compile(r"\\([a-zA-Z]+|.)\s*").match(text, i)
        end = m.end()
        if end < len(text) and text[end] == "{" and m.group(1).isalpha():
            inner = group_end(text, end)
            return inner if inner > 0 else len(text)
        return end
    return i + 1


def _equality_marks(text: str) -> str:
    """``\\stackrel{(a)}{=}``, ``\\overset{…}{=}``, ``\\underset{…}{=}`` → '=' (':=' when the label is 'def');
    ``\\equiv`` → '='. Every other stacked symbol is left to ``_WRAPPERS``."""
    out, pos = [], 0
    for m in _STACKED.finditer(text):
        if m.start() < pos:
            continue
        label_end = group_end(text, m.end())
        if label_end < 0:
            continue
        sign_end = _token_end(text, label_end)
        sign = text[label_end:sign_end].strip()
        sign = sign[1:-1].strip() if sign.startswith("{") and sign.endswith("}") else sign
        if sign not in _EQUALITY_SIGNS:
            continue
        label = text[m.end() + 1:label_end - 1]
        mark = ":=" if sign != "=" and sign != "\\equiv" or _DEFINITIONAL_LABEL.match(label) else "="
        out.append(text[pos:m.start()])
        out.append(mark + re.sub(r"[^\n]", " ", text[m.start() + len(mark):sign_end]))
        pos = sign_end
    out.append(text[pos:])
    return _EQUIV.sub("=     ", "".join(out))


def _brace_labels(text: str) -> str:
    """Blank ``\\underbrace``/``\\overbrace`` and the label under/over the brace (``_{…}``/``^{…}``), keep the group."""
    chars = list(text)
    for m in _BRACES.finditer(text):
        chars[m.start():m.end()] = " " * (m.end() - m.start())
        end = group_end(text, m.end())
        if end < 0:
            continue
        j = end
        while j < len(text) and text[j].isspace():
            j += 1
        if j < len(text) and text[j] in "_^":
            label_end = _token_end(text, j + 1)
            for k in range(j, label_end):
                if chars[k] != "\n":
                    chars[k] = " "
    return "".join(chars)


def rows_of(block: Span, index: int) -> list[Row]:
    """Split a cleaned block into rows at top-level \\\\ and \\intertext; classify prose and definitions in each."""
    body = clean(block)
    env = getattr(block, "env", "")
    cuts = [(a, b, None) for a, b in find_top_level(body.text, _ROW_BREAK)]
    for m in _INTERTEXT.finditer(body.text):
        end = group_end(body.text, m.end())
        if end > 0:
            cuts.append((m.start(), end, body.sub(m.end() + 1, end - 1)))
    cuts.sort()
    rows, pos = [], 0
    for a, b, between in cuts + [(len(body.text), len(body.text), None)]:
        if a < pos:
            continue
        rows.append(_row(body.sub(pos, a), index, env))
        if between is not None:  # \intertext{…}: prose between two rows, which may define names
            defs = [d for f in prose.inline_math(between)
                    for d in _prose_formula(f, between.text[:max(0, f.start - between.start - 1)], f.start)]
            rows.append(Row(index, None, tuple(defs)))
        pos = b
    return rows


def _columns(span: Span, env: str) -> Span:
    """Blank alignment '&'; in align-like blocks the end of each column pair becomes a column marker."""
    text = list(span.text)
    for k, (a, _b) in enumerate(find_top_level(span.text, _AMPERSAND)):
        text[a] = _COLUMN if k % 2 == 1 and not env.startswith("eqnarray") else " "
    return Span("".join(text), span.start)


def _has_equality(span: Span) -> bool:
    return bool(find_top_level(span.text, _EQUALS))


def _segments(span: Span) -> tuple[list[Span], list[tuple[int, str]]]:
    """Split a row where two equalities stand side by side; drop reason columns (noting any equality there)."""
    commands = prose.text_commands(span)
    cuts = [(a, b, span.text[a:b]) for a, b in find_top_level(span.text, _SEPARATOR)]
    cuts += [(c.whole.start - span.start, c.whole.end - span.start, c.content.text) for c in commands
             if c.role == "conjunction"]
    cuts.sort()
    defining_from = min((c.whole.start for c in commands if c.role == "define"), default=None)
    segments: list[tuple[int, int]] = []
    notes: list[tuple[int, str]] = []
    pos, pieces = 0, []  # (start, end, the separator after it)
    for a, b, kind in cuts + [(len(span.text), len(span.text), "end")]:
        if a < pos:
            continue
        pieces.append((pos, a, kind))
        pos = b
    start, end, kind_before = 0, pieces[0][1], pieces[0][2]
    links: list[str] = []
    current_has_eq = _has_equality(span.sub(0, end))
    seen = ""  # the connective met since the current segment began ("\\text{hence}\\quad": across blank pieces)
    for a, b, kind in pieces[1:]:
        piece = span.sub(a, b)
        piece_has_eq = _has_equality(piece)
        seen = prose.connective(kind_before) or seen
        if kind_before.strip(" ") == _COLUMN and not piece_has_eq:
            if "=" in piece.text:
                notes.append((piece.start, f"'{_short(piece)}' in a reason column is not read as a step"))
            kind_before = kind
            continue  # a reason column, e.g. && \text{(by (3))}
        if defining_from is not None and defining_from <= span.start + a:
            end = b  # after 'where' / 'let' / 'setting' …: the rest of the row is definitions
        elif piece_has_eq and current_has_eq:
            segments.append((start, end))
            links.append(seen)
            seen = ""
            start, end = a, b
        else:
            end = b
            current_has_eq = current_has_eq or piece_has_eq
        kind_before = kind
    segments.append((start, end))
    return [span.sub(a, b) for a, b in segments], notes, links


def _short(span: Span, limit: int = 60) -> str:
    text = " ".join(span.text.replace(_COLUMN, " ").replace(_SIDE_BY_SIDE, " ").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _row(span: Span, block: int, env: str = "") -> Row:
    span = _columns(span, env)
    span, lead = _leading_arrow(span)
    segments, notes, links = _segments(span)
    maths: list[Span] = []
    math_links: list[str] = []
    definitions: list[Definition] = []
    for k, seg in enumerate(segments):
        math, defs, more_notes = _segment(seg, row_start=span.start, math_before=bool(maths))
        notes.extend(more_notes)
        definitions.extend(defs)
        if math is not None:
            maths.append(math)
            math_links.append(links[k - 1] if k else lead)
    return Row(block, maths[0] if maths else None, tuple(definitions), tuple(maths[1:]), tuple(notes),
               tuple(math_links[1:]), math_links[0] if math_links else "")


_LEADING_ARROW = re.compile(r"^\s*(" + prose.IMPLICATION_ARROW.pattern + "|" + prose.EQUIVALENCE_ARROW.pattern + ")")


def _leading_arrow(span: Span) -> tuple[Span, str]:
    """A row that starts with an arrow (``\\implies \\tilde w = …``): the arrow blanked, and which one."""
    m = _LEADING_ARROW.match(span.text.replace(_COLUMN, " "))
    if not m:
        return span, ""
    return Span(" " * m.end() + span.text[m.end():], span.start), prose.connective(m.group(1))


def _segment(seg: Span, *, row_start: int, math_before: bool):
    """(chain material or None, definitions, notes) of one segment of a row."""
    text = seg.text
    chars = list(text)
    definitions: list[Definition] = []
    notes: list[tuple[int, str]] = []
    math_end = len(text)
    defined_chain: Span | None = None
    commands = prose.text_commands(seg)
    inside = _between_math(text, seg.start, commands)
    for k, command in enumerate(commands):
        a, b = command.whole.start - seg.start, command.whole.end - seg.start
        role = command.role
        if role == "math" or role in ("annotation", "conjunction") and inside[k]:
            continue  # words between two operands ("b \text{ minus } c") are refused by the parser, not deleted
        if role in ("define", "reason", "condition"):
            rest = seg.sub(b, len(text))
            if role == "define":
                verb = prose.DEFINITION_VERB.match(command.content.text.strip().lstrip("([ ")).group(1).lower()
                has_math = math_before or bool(text[:a].strip(" .,;" + _COLUMN + _SIDE_BY_SIDE))
                effective = row_start if has_math else seg.start + a
                kind = "where" if verb in ("where", "with") or has_math else "let"
                for formula in prose.inline_math(command.content):
                    definitions.extend(split_definitions(clean(formula), kind, effective))
                definitions.extend(split_definitions(_unmark(rest), kind, effective))
                chained = [d.chain for d in definitions if d.chain is not None and _has_equality(d.chain)]
                if chained and not has_math and len(chained) == 1:
                    defined_chain = chained[0]  # "let P = R \odot X = Q": P is defined, R ⊙ X = Q is a step
                else:
                    for chain in chained:
                        notes.append((chain.start, f"'{_short(chain)}' after a definition is not read as a step"))
            elif role == "reason" and ("=" in rest.text or "=" in command.content.text):
                notes.append((command.whole.start, f"'{_short(seg.sub(a, len(text)))}' is read as a reason, "
                                                   "not as a step"))
            elif role == "condition":
                notes.append((command.whole.start, f"the condition '{_short(seg.sub(a, len(text)))}' is not read: "
                                                   "the step is judged without it"))
            math_end = a
            break
        if role == "annotation" and "=" in command.content.text:
            notes.append((command.whole.start, f"'{_short(command.whole)}' is read as a comment, not as a step"))
        chars[a:b] = re.sub(r"[^\n]", " ", text[a:b])
    text = re.sub(r"\(\s*\)", lambda m: " " * len(m.group(0)), "".join(chars[:math_end]))
    math = trim_punctuation(_unmark(Span(text, seg.start)).stripped())
    if defined_chain is not None and not math.text:
        math = defined_chain
    if math.text and prose.ASSIGN_SIGN.search(math.text) and not definitions:
        found = split_definitions(math, ":=", seg.start)
        if found:
            definitions.extend(found)
            # "M := B = C" defines M as B and starts the chain B = C
            math = found[0].chain if len(found) == 1 and found[0].chain is not None else Span("", seg.start)
            if len(found) > 1:
                notes.append((seg.start, f"'{_short(seg)}' holds {len(found)} definitions; no chain is read there"))
    return (math if math.text else None), definitions, notes


_MATH_CHARACTER = re.compile(r"[A-Za-z0-9\\\]})|]")


def _between_math(text: str, start: int, commands: list) -> list[bool]:
    """For each text command: is there mathematics both before and after it in ``text``? (linear)"""
    gaps = []
    pos = 0
    for c in commands:
        gaps.append(text[pos:c.whole.start - start])
        pos = c.whole.end - start
    gaps.append(text[pos:])
    has = [bool(_MATH_CHARACTER.search(g)) for g in gaps]
    is_math = [c.role == "math" for c in commands]
    before, after = [False] * len(commands), [False] * len(commands)
    seen = False
    for k in range(len(commands)):
        seen = seen or has[k]
        before[k] = seen
        seen = seen or is_math[k]
    seen = False
    for k in range(len(commands) - 1, -1, -1):
        seen = seen or has[k + 1]
        after[k] = seen
        seen = seen or is_math[k]
    return [x and y for x, y in zip(before, after)]


def _unmark(span: Span) -> Span:
    return Span(span.text.replace(_COLUMN, " ").replace(_SIDE_BY_SIDE, " "), span.start)
