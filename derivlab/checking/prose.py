"""Words inside math and around it: what a ``\\text{…}`` is, and the definitions prose makes.

A ``\\text``/``\\textrm``/``\\textbf``/``\\mbox``/… holds prose only when it holds
words (a word of two letters or more that is not a name such as ``diag`` or
``Var``) or a reference label like ``(a)``, ``(3)``; anything else (``\\text{2}``,
``\\textbf{X}``, ``\\text{T}``) is mathematics and is left for the parser to read
or refuse. The first word of prose gives it a role:

- a definition verb ("let", "where", "with", "set(ting)", "put", "take",
  "plugging in", "substituting", "rescale", "using", "define", "denote", …):
  the equalities after it define or substitute names;
- a reason ("since", "because", "by", "as", "from", …): what follows is the
  reason, not a step;
- a condition ("for", "if", "when", …): what follows is the step's condition;
- a conjunction ("and", "hence", "so", …) between two equalities: two chains;
- anything else is an annotation and is blanked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from derivlab.checking.spans import Span, find_top_level, group_end, split_top_level

TEXT_COMMANDS = ("text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "textup", "mbox",
                 "hbox", "emph")
TEXT_COMMAND = re.compile(r"\\(" + "|".join(TEXT_COMMANDS) + r")(?![a-zA-Z])\s*(?=\{)")
NAME_WORDS = {"diag", "Diag", "tr", "Tr", "trace", "Bernoulli", "Bern", "Ber", "new", "old", "i.i.d.", "iid",
              "drop", "ridge", "Var", "var", "Cov", "cov", "Cor", "det", "rank", "sign", "const", "argmin",
              "argmax", "min", "max", "Bin", "Binomial"}
DEFINITION_VERB = re.compile(
    r"^(?:and\s+|then\s+|now\s+)?(let|where|with|for which|define|defining|denote|denoting|set|setting|put|putting|"
    r"take|taking|plug(?:ging)?(?:\s+in)?|substitut(?:e|ing)(?:\s+in)?|rescal(?:e|ing)(?:\s+by)?|using|use|"
    r"writ(?:e|ing)|choos(?:e|ing)|replac(?:e|ing))\b", re.I)
REASON_WORD = re.compile(r"^(since|because|as|by|from|due|cf\.?|see|thanks|recall|note|noting|"
                         r"which\s+holds|follows?)\b", re.I)
CONDITION_WORD = re.compile(r"^(for|if|when|whenever|unless|provided|given|assuming|iff|on)\b", re.I)
CONJUNCTION = re.compile(r"^[\s,;.]*(and|also|hence|thus|so|then|therefore|i\.e\.|that\s+is|or\s+equivalently)"
                         r"[\s,;.:]*$", re.I)
IMPLYING = re.compile(r"^[\s,;.]*(hence|thus|so|therefore|which\s+gives|giving|this\s+gives|we\s+get|we\s+obtain|"
                      r"implies|i\.e\.\s+solving|solving(\s+for\s+\S+)?)[\s,;.:]*$", re.I)
IMPLICATION_ARROW = re.compile(r"\\(implies|Rightarrow|Longrightarrow|therefore)(?![a-zA-Z])|⟹|⇒")
EQUIVALENCE_ARROW = re.compile(r"\\(iff|Leftrightarrow|Longleftrightarrow)(?![a-zA-Z])|⟺|⇔")
_SENTENCE_CONNECTIVE = re.compile(
    r"(?:^|[\s,;:(])(hence|thus|therefore|so(?!\s+that)|gives|giving|which\s+gives|we\s+get|we\s+obtain|"
    r"implies|implying|solving|\\(?:implies|Rightarrow|Longrightarrow))(?=[\s,;.:)]|$)", re.I)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")


def connective(separator: str) -> str:
    """'implies' / 'iff' for an implication between two equations (an arrow or "hence", "so", …), else ''."""
    text = separator.strip()
    if EQUIVALENCE_ARROW.fullmatch(text):
        return "iff"
    if IMPLICATION_ARROW.fullmatch(text) or IMPLYING.match(text):
        return "implies"
    return ""


def prose_connective(before: str) -> str:
    """'implies' when the last sentence of the prose before a display says so ("…, hence", "Solving for $w$:",
    "Hence, multiplying by $p$:", "Multiplying by $p$ gives"), else ''. Inline math is not searched."""
    tail = _INLINE_MATH.sub(" ", before[-300:])
    ends = list(_SENTENCE_END.finditer(tail.rstrip()))
    last = tail[ends[-1].end():] if ends else tail
    return "implies" if _SENTENCE_CONNECTIVE.search(last) else ""


_INLINE_MATH = re.compile(r"(?<!\\)\$(?!\$)(.+?)(?<!\\)\$|\\\((.+?)\\\)", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")
_LABEL = re.compile(r"^\s*(\([^()]*\)|\[[^\[\]]*\])\s*$")
_PROSE_BEFORE_INLINE = re.compile(
    r"\b(let|where|with|define|defining|denote|denoting|set|setting|put|putting|take|taking|plugging\s+in|"
    r"plug\s+in|substituting|substitute|rescale|rescaling|using|writing|write|choose|choosing)\b[^.$]{0,40}$",
    re.I)
ASSIGN_SIGN = re.compile(r":=|\\coloneqq(?![a-zA-Z])|\\triangleq(?![a-zA-Z])|\\doteq(?![a-zA-Z])")
PLAIN_EQUALS = re.compile(r"(?<![:<>!\\])(?<!\\not)(?<!\\not )=(?!=)")  # not of <= >= != := == \not=
_DEFINITION_SIGN = re.compile(ASSIGN_SIGN.pattern + "|" + PLAIN_EQUALS.pattern)
_PLAIN_EQUALS = PLAIN_EQUALS
_DEFINITION_SPLIT = re.compile(r",|;|\\text\s*\{\s*and\s*\}|\\mbox\s*\{\s*and\s*\}|\u2003")


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
class TextCommand:
    """One ``\\text{…}`` (span of the whole command; ``content`` the inside) and its role."""

    whole: Span
    content: Span
    role: str  # "math" | "blank" | "define" | "reason" | "condition" | "conjunction" | "annotation"


def is_prose(content: str) -> bool:
    """Words or a reference label, not mathematics."""
    words = _INLINE_MATH.sub(" ", content)
    if any(w not in NAME_WORDS for w in _WORD.findall(words)):
        return True
    return bool(_LABEL.match(content)) and content.strip() not in ("()", "[]")


def role_of(content: str, after_script: bool) -> str:
    text = content.strip()
    if not text:
        return "blank"
    if after_script or not is_prose(text):
        return "math"
    if CONJUNCTION.match(text) or IMPLYING.match(text):
        return "conjunction"
    text = text.lstrip("([ ")  # "(since …)", "(where $p = 1/2$)"
    if DEFINITION_VERB.match(text):
        return "define"
    if REASON_WORD.match(text):
        return "reason"
    if CONDITION_WORD.match(text):
        return "condition"
    return "annotation"


@functools.lru_cache(maxsize=32)
def text_commands(span: Span) -> tuple[TextCommand, ...]:
    """Every \\text-like command of ``span`` in order, with its role (linear: groups are skipped whole)."""
    out, pos = [], 0
    text = span.text
    while True:
        m = TEXT_COMMAND.search(text, pos)
        if not m:
            return tuple(out)
        end = group_end(text, m.end())
        if end < 0:
            return tuple(out)  # an unclosed group is reported by the document pass
        after_script = _after_script(text, m.start())
        content = span.sub(m.end() + 1, end - 1)
        out.append(TextCommand(span.sub(m.start(), end), content, role_of(content.text, after_script)))
        pos = end


def _after_script(text: str, i: int) -> bool:
    """Is position ``i`` a subscript or superscript (``_``, ``^``, ``_{``, ``^{`` before it, spaces skipped)?"""
    i -= 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i >= 0 and text[i] == "{":
        i -= 1
        while i >= 0 and text[i].isspace():
            i -= 1
    return i >= 0 and text[i] in "_^"


def inline_math(span: Span) -> list[Span]:
    """The inline formulas ``$…$`` / ``\\(…\\)`` of a prose span."""
    out = []
    for m in _INLINE_MATH.finditer(span.text):
        group = 1 if m.group(1) is not None else 2
        out.append(span.sub(m.start(group), m.end(group)))
    return out


def defines_before(prose: str) -> bool:
    """Does the prose just before an inline formula announce a definition ("Let", "plugging in", …)?"""
    return bool(_PROSE_BEFORE_INLINE.search(prose))


_TRAILING = re.compile(r"[\s.,;:]*\Z")


def trim_punctuation(span: Span) -> Span:
    """Drop trailing '.', ',', ';', ':' and spaces (keeping the second character of ``\\,``, ``\\;``, ``\\:``)."""
    text = span.text
    end = _TRAILING.search(text).start()
    if 0 < end < len(text) and text[end - 1] == "\\":
        end += 1
    return span.sub(0, end)


def split_definitions(span: Span, kind: str, effective: int) -> list[Definition]:
    """'P = R ⊙ X, \\lambda = \\frac{1-p}{p}' → two definitions (split at top-level commas / 'and')."""
    out = []
    for part in split_top_level(span, _DEFINITION_SPLIT):
        part = trim_punctuation(part.stripped())
        if not part.text:
            continue
        sep = find_top_level(part.text, _DEFINITION_SIGN)
        if not sep:
            continue
        a, b = sep[0]
        rest = part.sub(b, len(part.text))
        more = find_top_level(rest.text, _PLAIN_EQUALS)
        body = rest.sub(0, more[0][0]) if more else rest
        plain = part.text[a:b] == "="
        out.append(Definition(part.sub(0, a).stripped(), body.stripped(),
                              "let" if kind == ":=" and plain else kind, effective,
                              None if plain and not more else rest.stripped()))
    return out
