"""Escape arbitrary (student) text so LaTeX typesets it literally and runs none of it.

Every character of the output is either a "plain" printable ASCII character
that has no meaning to TeX, or one of the fixed tokens below: the ten TeX
specials become ``\\textbackslash{}``, ``\\{``, ``\\$`` ..., control
characters and unassigned/unknown code points become a visible
``[U+XXXX]``, a few math symbols the course uses (⊙, ⊤, 𝔼, Greek letters)
become ``\\ensuremath{...}``. Nothing a student writes can form a control
sequence, a group, a math shift, a catcode trick (``^^5c``) or a comment.

    escape_latex("\\input{/etc/passwd} 50%")
    == "\\textbackslash{}input\\{/etc/passwd\\} 50\\%"
"""

from __future__ import annotations

import re
import unicodedata

#: characters TeX gives a meaning to, with the literal they are replaced by.
SPECIALS: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    # not special to TeX, but the OT1 font draws them as other glyphs
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
}

#: non-ASCII symbols the course (and the checker's messages) use, typeset as math.
SYMBOLS: dict[str, str] = {
    "⊙": r"\ensuremath{\odot}",
    "∘": r"\ensuremath{\circ}",
    "⊤": r"\ensuremath{\top}",
    "𝔼": r"\ensuremath{\mathbb{E}}",
    "≠": r"\ensuremath{\neq}",
    "≤": r"\ensuremath{\leq}",
    "≥": r"\ensuremath{\geq}",
    "≈": r"\ensuremath{\approx}",
    "±": r"\ensuremath{\pm}",
    "×": r"\ensuremath{\times}",
    "·": r"\ensuremath{\cdot}",
    "→": r"\ensuremath{\to}",
    "∈": r"\ensuremath{\in}",
    "∑": r"\ensuremath{\sum}",
    "√": r"\ensuremath{\surd}",
    "‖": r"\ensuremath{\|}",
    "²": r"\ensuremath{^2}",
    "³": r"\ensuremath{^3}",
    "½": r"\ensuremath{\frac12}",
    "−": "-",
    "–": "--",
    "—": "---",
    "…": r"\ldots{}",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "\u00a0": " ",
    "α": r"\ensuremath{\alpha}",
    "β": r"\ensuremath{\beta}",
    "γ": r"\ensuremath{\gamma}",
    "δ": r"\ensuremath{\delta}",
    "ε": r"\ensuremath{\varepsilon}",
    "λ": r"\ensuremath{\lambda}",
    "μ": r"\ensuremath{\mu}",
    "π": r"\ensuremath{\pi}",
    "σ": r"\ensuremath{\sigma}",
    "Γ": r"\ensuremath{\Gamma}",
    "Δ": r"\ensuremath{\Delta}",
    "Σ": r"\ensuremath{\Sigma}",
    "η": r"\ensuremath{\eta}",
    "θ": r"\ensuremath{\theta}",
    "ρ": r"\ensuremath{\rho}",
    "τ": r"\ensuremath{\tau}",
    "φ": r"\ensuremath{\phi}",
    "ω": r"\ensuremath{\omega}",
    "Λ": r"\ensuremath{\Lambda}",
    "Ω": r"\ensuremath{\Omega}",
    "ᵀ": r"\ensuremath{^{\top}}",
    "⁻": r"\ensuremath{^{-}}",
    "¹": r"\ensuremath{^{1}}",
    "⁰": r"\ensuremath{^{0}}",
    "∞": r"\ensuremath{\infty}",
    "∂": r"\ensuremath{\partial}",
    "∇": r"\ensuremath{\nabla}",
    "∀": r"\ensuremath{\forall}",
    "⇒": r"\ensuremath{\Rightarrow}",
    "≡": r"\ensuremath{\equiv}",
    "⊗": r"\ensuremath{\otimes}",
    "∗": r"\ensuremath{\ast}",
}

#: combining accents (after a Latin letter) typeset as math accents: w̃ -> \tilde{w}.
ACCENTS: dict[str, str] = {"\u0303": "tilde", "\u0302": "hat", "\u0304": "bar", "\u0307": "dot"}

#: printable ASCII characters copied unchanged (letters, digits, punctuation without TeX meaning).
PLAIN = frozenset(chr(c) for c in range(0x20, 0x7F)) - set(SPECIALS)

_MAX_CHARS = 4000


def escape_latex(text: object, *, max_chars: int = _MAX_CHARS) -> str:
    """``text`` as LaTeX that typesets it literally (see the module docstring).

    Newlines and tabs become spaces; text longer than ``max_chars`` is cut
    with a visible ``[... N characters cut]``.
    """
    s = str(text)
    cut = ""
    if len(s) > max_chars:
        cut = f" [... {len(s) - max_chars} characters cut]"
        s = s[:max_chars]
    out: list[str] = []
    i = 0
    while i < len(s):
        ch, mark = s[i], s[i + 1] if i + 1 < len(s) else ""
        if mark in ACCENTS and ch.isascii() and ch.isalpha():
            out.append(rf"\ensuremath{{\{ACCENTS[mark]}{{{ch}}}}}")
            i += 2
            continue
        out.append(_escape_char(ch))
        i += 1
    return "".join(out) + cut


def _escape_char(ch: str) -> str:
    if ch in PLAIN:
        return ch
    if ch in SPECIALS:
        return SPECIALS[ch]
    if ch in "\n\r\t":
        return " "
    if ch in SYMBOLS:
        return SYMBOLS[ch]
    if unicodedata.category(ch) == "Mn":  # a combining mark we do not typeset: dropped
        return ""
    latin = _latin_letter(ch)
    if latin is not None:
        return latin
    return f"[U+{ord(ch):04X}]"


def _latin_letter(ch: str) -> str | None:
    """An accented Latin letter as its base letter (é -> e): names in feedback stay readable."""
    if unicodedata.category(ch) not in ("Lu", "Ll"):
        return None
    base = unicodedata.normalize("NFKD", ch)[0]
    return base if base.isascii() and base.isalpha() else None


#: one token of escape_latex's output, as a regular expression (the tests use it).
_TOKENS = sorted(set(SPECIALS.values()) | set(SYMBOLS.values()), key=len, reverse=True)
OUTPUT_TOKEN = re.compile(
    "|".join(re.escape(t) for t in _TOKENS)
    + r"|\\ensuremath\{\\(?:tilde|hat|bar|dot)\{[A-Za-z]\}\}"
    + r"|\[U\+[0-9A-F]{4,6}\]|\[\.\.\. \d+ characters cut\]|[" + re.escape("".join(sorted(PLAIN))) + "]"
)


def is_escaped(latex: str) -> bool:
    """True when ``latex`` is a concatenation of tokens ``escape_latex`` can produce."""
    pos = 0
    while pos < len(latex):
        m = OUTPUT_TOKEN.match(latex, pos)
        if m is None or m.end() == pos:
            return False
        pos = m.end()
    return True
