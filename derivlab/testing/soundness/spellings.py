"""Render a soundness term as LaTeX in one student's spelling (derivation-format.md's table,
plus the trap spellings of issue 15). A ``Spelling`` is drawn once per document, so a
student is consistent within a step; ``render`` also reports the trap FEATURES it wrote
('brace-annotation': ``}_{\\text..}`` / ``}^{\\text..}``; 'text-math': ``\\text{2}``,
``\\textbf{X}``), which name the hole a false accept may fall through.

    >>> from derivlab.testing.soundness.terms import E, MASKED, W, mul
    >>> render(E(mul(MASKED, W)), PLAIN)[0]
    '\\\\mathbb{E}[(R \\\\odot X) w]'
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import Callable, Sequence

from derivlab.testing.soundness.terms import Num, Op, Sym, Term

Choose = Callable[[str, Sequence], object]  # (category, options) -> one option

OPTIONS: dict[str, tuple] = {
    "X": ("X", r"\mathbf{X}", r"\boldsymbol{X}", r"\bm{X}"),
    "y": ("y", r"\mathbf{y}", r"\boldsymbol{y}", r"\bm{y}", r"\vec{y}"),
    "w": ("w", r"\mathbf{w}", r"\boldsymbol{w}", r"\bm{w}", r"\tilde{w}", r"\tilde{\mathbf{w}}", r"\widetilde{w}"),
    "w_new": ("w_{new}", r"w_{\text{new}}", r"\mathbf{w}_{\text{new}}", r"\tilde{w}_{new}", "w_new",
              r"\mathbf{w}_{new}"),
    "R": ("R", r"\mathbf{R}", r"\boldsymbol{R}"),
    "Gamma": (r"\Gamma", r"\tilde{\Gamma}", r"\boldsymbol{\Gamma}", r"\widetilde{\Gamma}"),
    "Gamma_new": (r"\Gamma_{new}", r"\Gamma_{\text{new}}", r"\boldsymbol{\Gamma}_{\text{new}}", r"\Gamma_new"),
    "T": ("^T", "^{T}", r"^\top", r"^{\top}", r"^\intercal", r"^{\intercal}", r"^{\mathsf T}", r"^{\mathsf{T}}",
          r"^\mathsf{T}", r"^{\text{T}}", "'"),
    "norm": (r"\|{}\|{}", r"\lVert {}\rVert{}", r"\left\| {} \right\|{}", r"\Vert {}\Vert{}",
             r"\left\lVert {} \right\rVert{}", "||{}||{}"),
    "norm_sub": ("", "_2"),
    "E": (r"\mathbb{{E}}[{}]", r"\mathbb{{E}}_R[{}]", r"\mathbb{{E}}_{{R}}\left[{}\right]", r"E_R[{}]", r"E[{}]",
          r"\mathbb{{E}}_{{R\sim \text{{Bernoulli}}(p)}}\left[{}\right]", r"\operatorname{{E}}[{}]",
          r"\mathcal{{E}}_R[{}]", r"\mathbb{{E}}_R\big[{}\big]", r"E_{{R}}\left[{}\right]"),
    "odot": (r"\odot", r"\circ", r"\bullet", "*"),
    "diag": (r"\operatorname{{diag}}({})", r"\mathrm{{diag}}({})", r"\text{{diag}}({})", r"\diag({})"),
    "root": (r"{}^{{1/2}}", r"{}^{{\frac12}}", r"\sqrt{{{}}}", r"{}^{{\frac{{1}}{{2}}}}"),
    "tr": (r"\operatorname{{tr}}({})", r"\mathrm{{tr}}({})", r"\tr({})", r"\text{{tr}}({})",
           r"\operatorname{{tr}}\left({}\right)"),
    "frac": (r"\frac{{{}}}{{{}}}", r"\dfrac{{{}}}{{{}}}", "{}/{}"),
    "half": (r"\frac12", r"\frac{1}{2}", "1/2", r"\tfrac12", "0.5"),
    "abs": (r"|{}|", r"\left|{}\right|", r"\lvert {}\rvert", r"\left\lvert {}\right\rvert"),
    "times": (" ", r" \cdot ", " "),
    "parens": (("(", ")"), (r"\left(", r"\right)"), (r"\big(", r"\big)")),
    "text_number": (r"\text{{{}}}", r"\textrm{{{}}}", r"\mbox{{{}}}"),
    "text_symbol": (r"\textbf{{{}}}", r"\text{{{}}}", r"\textrm{{{}}}", r"\mbox{{{}}}"),
    "masked_parens": (True, True, True, False),  # (R ⊙ X) w, or R ⊙ X w (the same, left to right)
    "grad": (r"\nabla_{{{w}}}\left({body}\right)", r"\nabla_{w}\left({body}\right)",
             r"\frac{{\partial}}{{\partial {w}}}\left({body}\right)", r"\nabla_{{{w}}}\Big({body}\Big)",
             r"\frac{{\partial}}{{\partial {w}}}\left[{body}\right]"),
}


@dataclass(frozen=True)
class Spelling:
    """One choice per category of ``OPTIONS`` (a student's way of writing)."""

    X: str
    y: str
    w: str
    w_new: str
    R: str
    Gamma: str
    Gamma_new: str
    T: str
    norm: str
    norm_sub: str
    E: str
    odot: str
    diag: str
    root: str
    tr: str
    frac: str
    half: str
    abs: str
    times: str
    parens: tuple
    text_number: str
    text_symbol: str
    masked_parens: bool
    grad: str


def draw_spelling(choose: Choose) -> Spelling:
    return Spelling(**{f.name: choose(f.name, OPTIONS[f.name]) for f in fields(Spelling)})


PLAIN = Spelling(**{f.name: OPTIONS[f.name][0] for f in fields(Spelling)})

_ADD, _MUL, _POST, _ATOM = 1, 2, 3, 4
_FEATURE_BRACE = "brace-annotation"
_FEATURE_TEXT = "text-math"


@dataclass
class _Out:
    features: set = field(default_factory=set)


def render(term: Term, s: Spelling) -> tuple[str, frozenset]:
    """(LaTeX of ``term`` in spelling ``s``, trap features used)."""
    out = _Out()
    text, _ = _r(term, s, out)
    return text, frozenset(out.features)


def _paren(text: str, s: Spelling) -> str:
    return f"{s.parens[0]}{text}{s.parens[1]}"


def _at(term: Term, s: Spelling, out: _Out, level: int) -> str:
    text, lv = _r(term, s, out)
    return text if lv >= level else _paren(text, s)


def _symbol(t: Sym, s: Spelling, out: _Out) -> str:
    if t.style.startswith("latex:"):
        text = t.style[len("latex:"):]
    elif t.style == "textsym":
        text = s.text_symbol.format(t.name)
        out.features.add(_FEATURE_TEXT)
    elif t.name in ("X", "y", "w", "w_new", "R", "Gamma", "Gamma_new"):
        text = getattr(s, t.name)
    elif t.name == "lambda":
        text = r"\lambda"
    else:
        text = t.name
    if "}_{\\text" in text or "}^{\\text" in text:
        out.features.add(_FEATURE_BRACE)
    return text


def _number(t: Num, s: Spelling, out: _Out) -> tuple[str, int]:
    v = t.value
    if t.style == "text":
        out.features.add(_FEATURE_TEXT)
        return s.text_number.format(v), _ATOM
    if v < 0:
        text, _ = _number(Num(-v), s, out)
        return "-" + text, _ADD
    if v == Fraction(1, 2):
        return s.half, (_MUL if "/" in s.half or "." in s.half else _ATOM)
    if v.denominator == 1:
        return str(v.numerator), _ATOM
    if "/" in s.frac and "frac" not in s.frac:
        return f"{v.numerator}/{v.denominator}", _MUL
    return s.frac.format(v.numerator, v.denominator), _ATOM


def _is_had(t: Term) -> bool:
    return isinstance(t, Op) and t.kind == "had"


def _r(t: Term, s: Spelling, out: _Out) -> tuple[str, int]:
    if isinstance(t, Sym):
        return _symbol(t, s, out), _ATOM
    if isinstance(t, Num):
        return _number(t, s, out)
    k, c = t.kind, t.children
    if k in ("add", "sub"):
        right = _at(c[1], s, out, _MUL)
        return f"{_at(c[0], s, out, _ADD)} {'+' if k == 'add' else '-'} {right}", _ADD
    if k == "neg":
        return "-" + _at(c[0], s, out, _MUL), _ADD
    if k in ("mul", "had"):
        left_level = _POST if k == "mul" and s.masked_parens and _is_had(c[0]) else _MUL
        left = _at(c[0], s, out, left_level)
        same_chain = k == "mul" and isinstance(c[1], Op) and c[1].kind == "mul"
        right = _at(c[1], s, out, _MUL if same_chain else _POST)
        if k == "had":
            return f"{left} {s.odot} {right}", _MUL
        joiner = r" \cdot " if right[:1].isdigit() or right.startswith("-") else s.times
        return f"{left}{joiner}{right}", _MUL
    if k == "frac":
        if "frac" in s.frac:
            return s.frac.format(_r(c[0], s, out)[0], _r(c[1], s, out)[0]), _ATOM
        return f"{_at(c[0], s, out, _MUL)}/{_at(c[1], s, out, _ATOM)}", _MUL
    if k in ("T", "pow"):
        inner, lv = _r(c[0], s, out)
        if lv < _ATOM or (isinstance(c[0], Op) and c[0].kind in ("T", "pow", "sqnorm", "norm")) \
                or inner.startswith("\\sqrt"):
            inner = _paren(inner, s)
        if k == "T":
            if inner.endswith("}") and "\\text" in s.T:
                out.features.add(_FEATURE_BRACE)
            return inner + s.T, _POST
        return f"{inner}^{t.k}" if t.k < 10 else f"{inner}^{{{t.k}}}", _POST
    if k in ("sqnorm", "norm"):
        body = _r(c[0], s, out)[0]
        sup = (s.norm_sub + "^2") if k == "sqnorm" else s.norm_sub
        return s.norm.format(body, sup), _ATOM
    if k == "E":
        return s.E.format(_r(c[0], s, out)[0]), _ATOM
    if k == "grad":  # ∇ takes the product after it (like a sum): bracketed when a product or power follows
        return s.grad.format(w=s.w, body=_r(c[0], s, out)[0]), _MUL
    if k == "diag":
        return s.diag.format(_r(c[0], s, out)[0]), _ATOM
    if k == "tr":
        return s.tr.format(_r(c[0], s, out)[0]), _ATOM
    if k == "abs":
        return s.abs.format(_r(c[0], s, out)[0]), _ATOM
    if k == "sqrt":
        inner = c[0]
        if isinstance(inner, Op) and inner.kind == "diag" and not s.root.startswith("\\sqrt"):
            return s.root.format(_r(inner, s, out)[0]), _POST
        return rf"\sqrt{{{_r(inner, s, out)[0]}}}", _ATOM
    raise ValueError(f"no rendering for {k}")


LAYOUTS = ("display", "align", "equation", "dollars", "align-rows")
JOINED = (r"\quad\text{and}\quad", r"\text{ and }", r",\quad", r"\qquad")
RELATIONS = (r"\stackrel{(a)}{=}", r"\overset{\text{lin.}}{=}", r"\equiv", r"\stackrel{\text{(b)}}{=}")


def document(sides: Sequence[tuple[str, str]], layout: str, extra: str = "") -> str:
    """A small LaTeX document holding the equalities ``sides`` ((lhs, rhs) LaTeX) in ``layout``:
    one step per document, or a chain of rows / two joined equalities for the layout cases.
    ``layout`` = display | align | equation | dollars | align-rows | chain:<relation> | joined:<sep>."""
    (l0, r0), rest = sides[0], list(sides[1:])
    tail = f" {extra}" if extra else ""
    if layout.startswith("chain:"):
        rel = layout[len("chain:"):]
        rows = [f"{l0} &= {r0}"] + [f"  &{rel} {r}" for _, r in rest]
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + tail + "\n\\end{align*}\n"
    if layout.startswith("joined:"):
        sep = layout[len("joined:"):]
        body = f" {sep} ".join(f"{lhs} = {rhs}" for lhs, rhs in sides)
        return f"\\[ {body}{tail} \\]\n"
    if layout == "align":
        return f"\\begin{{align*}}\n{l0} &= {r0}{tail}\n\\end{{align*}}\n"
    if layout == "align-rows":
        return f"\\begin{{align*}}\n{l0}\n  &= {r0}{tail}\n\\end{{align*}}\n"
    if layout == "equation":
        return f"\\begin{{equation*}}\n{l0} = {r0}{tail}\n\\end{{equation*}}\n"
    if layout == "dollars":
        return f"$$ {l0} = {r0}{tail} $$\n"
    return f"\\[ {l0} = {r0}{tail} \\]\n"
