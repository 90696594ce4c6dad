"""Pass 1 of parsing: norm bars and sizing commands, decided by position.

``\\|``, ``\\Vert``, ``||`` and ``‖`` are the same character whether they open or
close a norm, which an LALR grammar cannot decide; this pass rewrites each to ⟦
(opening) or ⟧ (closing): a bar opens unless the text so far ends with an operand
and a norm is open at this bracket depth; ``\\left``/``\\right``/``\\bigl``/``\\bigr``
force the direction and are blanked, like ``\\big``. The text keeps its length, so
every error position is still a position in the student's file. Nesting deeper than
``limits.MAX_NESTING`` is refused here, before any recursion.
"""

from __future__ import annotations

import re

from derivlab.checking import limits
from derivlab.checking.failures import Unparsed

_SIZING = re.compile(r"\\(left|right|middle|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|bigg|Bigg|big|Big)(?![a-zA-Z])")
_BAR = re.compile(r"\\\||\\lVert(?![a-zA-Z])|\\rVert(?![a-zA-Z])|\\Vert(?![a-zA-Z])|\|\||‖")
COMMAND = re.compile(r"\\([a-zA-Z]+)")
_OPERAND_COMMANDS = {
    "alpha", "beta", "gamma", "Gamma", "delta", "Delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "Theta", "iota", "kappa", "lambda", "Lambda", "mu", "nu", "xi", "Xi", "pi", "Pi", "rho",
    "varrho", "sigma", "Sigma", "tau", "upsilon", "Upsilon", "phi", "varphi", "Phi", "chi", "psi", "Psi",
    "omega", "Omega", "top", "intercal", "E",
}
_OPEN, _CLOSE = "⟦", "⟧"


def mark_delimiters(text: str) -> str:
    """Rewrite norm bars to ⟦/⟧ (same length), blank sizing commands, bound nesting."""
    out = list(text)
    depth_now, norm_depths = 0, []  # bracket depth; bracket depth at each open norm
    operand_end = False  # does the text so far end with an operand (so a bar here may close)?
    hint: str | None = None  # direction forced by \left / \right / \bigl / \bigr
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        m = _SIZING.match(text, i)
        if m:
            name = m.group(1)
            hint = "open" if name == "left" or name.endswith("l") else "close" if name == "right" or name.endswith("r") else None
            out[m.start():m.end()] = " " * (m.end() - m.start())
            i = m.end()
            while i < n and text[i].isspace():
                i += 1
            if i < n and text[i] == ".":  # \left. and \right.
                out[i] = " "
                i += 1
            continue
        m = _BAR.match(text, i)
        if m:
            token = m.group(0)
            if token == "\\lVert" or (hint == "open"):
                opening = True
            elif token == "\\rVert" or (hint == "close"):
                opening = False
            else:
                opening = not (operand_end and norm_depths and norm_depths[-1] == depth_now)
            if opening:
                norm_depths.append(depth_now)
                if depth_now + len(norm_depths) > limits.MAX_NESTING:
                    raise Unparsed(f"nested deeper than {limits.MAX_NESTING} levels", i)
            elif norm_depths:
                norm_depths.pop()
            out[m.start():m.end()] = (_OPEN if opening else _CLOSE) + " " * (m.end() - m.start() - 1)
            operand_end, hint = not opening, None
            i = m.end()
            continue
        hint = None
        if ch == "\\":
            m = COMMAND.match(text, i)
            if m:
                operand_end = m.group(1) in _OPERAND_COMMANDS
                i = m.end()
                continue
            nxt = text[i + 1] if i + 1 < n else ""
            if nxt == "{":
                depth_now += 1
                operand_end = False
            elif nxt == "}":
                depth_now -= 1
                operand_end = True
            i += 2
            continue
        if ch in "([{":
            depth_now += 1
            if depth_now + len(norm_depths) > limits.MAX_NESTING:
                raise Unparsed(f"nested deeper than {limits.MAX_NESTING} levels", i)
            operand_end = False
        elif ch in ")]}":
            depth_now -= 1
            operand_end = True
        else:
            operand_end = ch.isalnum() or ch in "'⟧ᵀ"
        i += 1
    return "".join(out)
