"""LaTeX math → typed expression, with the grammar in ``latex_math.lark``.

Three passes, none of which evaluates student text:
1. ``delimiters.mark_delimiters``: norm bars (``\\|``, ``\\Vert``, ``||``, ``‖``, ``\\lVert``/``\\rVert``) become
   ⟦ or ⟧ by position, sizing commands (``\\left``, ``\\big`` ...) are blanked, and nesting
   deeper than ``limits.MAX_NESTING`` is refused. The text keeps its length, so every
   error position is a position in the student's file.
2. Lark's LALR parser (``latex_math.lark``).
3. ``ToExpression``, one method per grammar rule, builds the typed tree through
   ``shapes.py`` using the problem context (``Scope``) for what each name means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.visitors import Transformer_NonRecursive

from derivlab.checking import limits, shapes
from derivlab.checking.delimiters import COMMAND, mark_delimiters
from derivlab.checking.expr import SCALAR, Condition, Const, Expr, Var, depth, describe
from derivlab.checking.failures import IllTyped, StepFailure, Undecided, Unparsed
from derivlab.checking.indices import resolve, split_condition

# ---- pass 2: the grammar -----------------------------------------------------------------


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files("derivlab.checking").joinpath("latex_math.lark").read_text(encoding="utf-8")
    grammar += "\nname_only: symkey\n"
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True,
                start=["start", "name_only"], maybe_placeholders=False, cache=_table_cache(grammar))


def _table_cache(grammar: str) -> str | bool:
    """Where Lark keeps the LALR tables between runs (~0.3 s per CLI start): the user's own cache
    directory (never a shared /tmp: the file is a pickle); Lark checks the grammar's hash on load."""
    import hashlib
    import os
    from pathlib import Path

    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "derivlab"
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    if not os.access(root, os.W_OK) or root.stat().st_uid != os.getuid():
        return False
    return str(root / f"latex_math-{hashlib.sha256(grammar.encode()).hexdigest()[:16]}.lalr")


_FRIENDLY = {
    "RPAR": "')'", "RSQB": "']'", "RBRACE": "'}'", "LPAR": "'('", "LSQB": "'['", "LBRACE": "'{'",
    "NORM_CLOSE": "a closing ‖", "NORM_OPEN": "‖", "PLUS": "'+'", "MINUS": "'-'", "NUMBER": "a number",
    "LETTER": "a letter", "GREEK": "a Greek letter", "EXPECT": "\\mathbb{E}", "HADAMARD": "\\odot",
    "TIMES": "\\cdot", "SLASH": "'/'", "TRANSPOSE": "^\\top", "CARET": "'^'", "SIM": "\\sim",
    "DIST": "\\text{Bernoulli}", "FRAC": "\\frac", "SQRT": "\\sqrt", "DIAG": "\\operatorname{diag}",
    "$END": "the end of the expression", "__ANON_0": "'_'", "UNDERSCORE": "'_'",
}


def _unexpected(err: UnexpectedInput, text: str) -> Unparsed:
    pos = getattr(err, "pos_in_stream", None)
    expected: set[str] = set()
    if isinstance(err, UnexpectedCharacters):
        m = COMMAND.match(text, pos)
        if m:
            what = f"command {m.group(0)} (not part of the notation derivlab reads"
            what += "; sums and entries are not supported)" if m.group(1) in ("sum", "prod", "int") else ")"
        else:
            what = f"'{text[pos]}'"
        expected = set(err.allowed or ())
    elif isinstance(err, UnexpectedToken):
        tok = err.token
        pos = tok.start_pos if tok.start_pos is not None else len(text)
        what = "end of the expression" if tok.type == "$END" else f"'{tok.value}'"
        if tok.value == "_":
            what += " (a subscript here would be an entry like (M)_{ij}; entries are not supported)"
        expected = set(err.expected or ())
    elif isinstance(err, UnexpectedEOF):
        pos, what = len(text), "end of the expression"
        expected = set(err.expected or ())
    else:  # pragma: no cover
        what = "input"
    names = sorted({_FRIENDLY.get(e, e.lower()) for e in expected if not e.startswith("__")})[:6]
    tail = f"; expected {', '.join(names)}" if names else ""
    return Unparsed(f"unexpected {what}{tail}", pos)


def _parse_tree(text: str, start: str = "start") -> Tree:
    if len(text) > limits.MAX_EXPRESSION_CHARS:
        raise Undecided(f"expression longer than {limits.MAX_EXPRESSION_CHARS} characters")
    marked = mark_delimiters(text)
    if not marked.strip():
        raise Unparsed("empty expression", 0)
    try:
        return _parser().parse(marked, start=start)
    except UnexpectedInput as err:
        raise _unexpected(err, marked) from None


# ---- pass 3: tree → typed expression -------------------------------------------------------


@dataclass(frozen=True)
class SymKey:
    """A name as written, reduced to its key: '\\tilde{\\mathbf{w}}' → '~w', 'w_{\\text{new}}' → 'w_new'."""

    key: str
    start: int
    end: int
    base: str = ""
    sub: tuple[tuple[str, str], ...] | None = None  # the subscript's tokens (type, text), if any


@dataclass(frozen=True)
class Call:
    """A student's function (named by a chain ``𝓛(w̃) = …``) before its argument: ``𝓛(w̃)`` reads as its body."""

    key: SymKey
    text: str
    argument: Expr
    body: Expr


@dataclass(frozen=True)
class Unknown:
    """An undeclared name met in an expression; an error as soon as it is used."""

    key: SymKey
    text: str


_SAME_VARIABLE = {"mathbf", "boldsymbol", "bm", "vec", "pmb"}
_DECOR_PREFIX = {"tilde": "~", "widetilde": "~", "hat": "^", "widehat": "^", "bar": "-", "overline": "-",
                 "mathcal": "cal:", "mathbb": "bb:", "mathscr": "scr:", "mathfrak": "frak:", "breve": "breve:",
                 "check": "check:", "underline": "u:"}
_GREEK_UNICODE = dict(zip("αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩ",
                          "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
                          "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega".split()))
_BRACED = re.compile(r"\{([^{}]*)\}")


_TEXT_NUMBER = re.compile(r"\\(?:text|textrm|textit|textsf|mathrm|mathit|mathsf|mbox)\s*\{\s*(\d+(?:\.\d+)?)\s*\}")


def _braced(token: str) -> str:
    m = _BRACED.search(token)
    return re.sub(r"\s+", "", m.group(1)) if m else ""


def _greek(token: str) -> str:
    return _GREEK_UNICODE.get(token, token.lstrip("\\"))


@v_args(meta=True)
class ToExpression(Transformer_NonRecursive):
    """Parse tree → typed ``Expr`` in ``scope`` (what names mean); one method per rule."""

    def __init__(self, scope: Any, text: str):
        super().__init__()
        self.scope = scope
        self.text = text

    # -- helpers
    def _src(self, meta: Any) -> str:
        if getattr(meta, "empty", True):
            return ""
        return self.text[meta.start_pos:meta.end_pos]

    def _need(self, *items: Any) -> None:
        for item in items:
            if isinstance(item, Unknown):
                raise self._undeclared(item)
            if isinstance(item, Call):
                raise Unparsed(f"{item.text} is a function: write it with its argument, {item.text}(…)", item.key.start)

    def _undeclared(self, item: Unknown) -> Unparsed:
        after = self.text[item.key.end:].lstrip()
        known = ", ".join(self.scope.spelling_examples())
        glued = re.search(r"\\[A-Za-z]+$", self.text[:item.key.start])
        if glued:  # \odott: a known command with letters glued on, e.g. a typo
            typed = glued.group(0) + re.match(r"[A-Za-z]*", self.text[item.key.start:]).group(0)
            return Unparsed(f"unknown command '{typed}': did you mean '{glued.group(0)}'? (it was read as "
                            f"'{glued.group(0)}' followed by the undeclared symbol '{item.text}')", glued.start())
        if after.startswith("("):
            return Unparsed(
                f"{item.text}(…) is ambiguous: '{item.text}' is not declared by the context '{self.scope.name}', "
                f"so this could be a function call or a product (declared: {known})", item.key.start)
        return Unparsed(f"unknown symbol '{item.text}': not declared by the context '{self.scope.name}' "
                        f"(declared: {known}); define it first, e.g. \\text{{let }} P = R \\odot X", item.key.start)

    # -- sums and products
    def add(self, meta, c):
        self._need(c[0], c[2])
        return shapes.add(c[0], c[2], self._src(meta))

    def subtract(self, meta, c):
        self._need(c[0], c[2])
        return shapes.add(c[0], c[2], self._src(meta), minus=True)

    def negate(self, meta, c):
        self._need(c[1])
        return shapes.negate(c[1], self._src(meta))

    def positive(self, meta, c):
        self._need(c[1])
        return c[1]

    def juxtapose(self, meta, c):
        if isinstance(c[0], Call):
            return self._call(c[0], c[1])
        self._need(*c)
        return shapes.product(c[0], c[1], self._src(meta))

    def _call(self, call: Call, argument: Any) -> Expr:
        self._need(argument)
        if argument != call.argument:
            raise Unparsed(f"{call.text} is defined at {describe(call.argument)} (by the chain that names it); "
                           f"derivlab reads it at that argument only, not at {describe(argument)}", call.key.start)
        return call.body

    def times(self, meta, c):
        self._need(c[0], c[2])
        return shapes.product(c[0], c[2], self._src(meta))

    def hadamard(self, meta, c):
        self._need(c[0], c[2])
        return shapes.hadamard(c[0], c[2], self._src(meta))

    def divide(self, meta, c):
        self._need(c[0], c[2])
        return shapes.divide(c[0], c[2], self._src(meta))

    # -- postfix
    def transpose(self, meta, c):
        self._need(c[0])
        return shapes.transpose(c[0], self._src(meta))

    def power_digit(self, meta, c):
        self._need(c[0])
        return self._power(c[0], Fraction(int(str(c[1])[-1])), meta)

    def power(self, meta, c):
        self._need(c[0], c[2])
        if not isinstance(c[2], Expr) or not c[2].is_scalar:
            raise IllTyped(f"the exponent of {c[0].src or 'this power'} must be a number")
        return self._power(c[0], shapes.constant_value(c[2]), meta)

    def optimum(self, meta, c):
        """w^*: the variable itself, written at its optimum (a conclusion "w^* = …" states that value)."""
        self._need(c[0])
        if not isinstance(c[0], Var) or c[0].random:
            raise IllTyped(f"^* marks the optimum of a variable of the problem, not of {describe(c[0])}")
        return c[0]

    def power_letter(self, meta, c):
        raise Unparsed(f"the exponent ^{c[2]} must be a number", meta.start_pos)

    def _power(self, base: Expr, exponent: Fraction, meta) -> Expr:
        return shapes.power(base, exponent, self._src(meta))

    # -- atoms
    def parens(self, meta, c):
        return c[-2] if len(c) == 3 else c[0]

    brackets = group = parens

    def number(self, meta, c):
        text = str(c[0])
        if len(text) > limits.MAX_NUMBER_DIGITS:
            raise Undecided(f"the number {text[:10]}… has more than {limits.MAX_NUMBER_DIGITS} digits")
        return Const(SCALAR, text, Fraction(text))

    def fraction(self, meta, c):
        self._need(c[1], c[2])
        return shapes.divide(c[1], c[2], self._src(meta))

    def fraction_digits(self, meta, c):
        digits = [ch for ch in str(c[0]) if ch.isdigit()]
        num, den = Const(SCALAR, digits[0], Fraction(digits[0])), Const(SCALAR, digits[1], Fraction(digits[1]))
        return shapes.divide(num, den, self._src(meta))

    def square_root(self, meta, c):
        arg = c[1]
        if isinstance(arg, SymKey):
            arg = self.symbol(meta, [arg])
        self._need(arg)
        return shapes.power(arg, Fraction(1, 2), self._src(meta))

    def norm(self, meta, c):
        self._need(c[1])
        sub = c[3] if len(c) > 3 else None
        return shapes.norm(c[1], sub, self._src(meta))

    def norm_sub(self, meta, c):
        return str(c[0]).strip()

    def fn_arg(self, meta, c):
        self._need(c[0])
        return c[0]

    def diag(self, meta, c):
        return shapes.diag(c[1], self._src(meta))

    def trace(self, meta, c):
        return shapes.trace(c[1], self._src(meta))

    # -- expectations
    def expectation(self, meta, c):
        sub = c[1] if len(c) == 3 else None
        body = c[-1]
        self._need(body)
        if sub is None:
            bound = self.scope.random_names()
        else:
            bound = (self.scope.random_variable(sub[0], sub[1]),)
        return shapes.expectation(body, bound, self._src(meta))

    def e_sub(self, meta, c):
        key = c[0]
        dist = c[2] if len(c) == 3 else None
        return key, dist

    def distribution(self, meta, c):
        self._need(c[1])
        return str(c[0]), c[1]

    def e_arg(self, meta, c):
        return c[-2] if len(c) == 3 else c[0]

    def e_bare(self, meta, c):
        return c[0]

    # -- names
    def symbol(self, meta, c):
        key: SymKey = c[0]
        function = getattr(self.scope, "functions", {}).get(key.key)
        if function is not None:
            text = self.text[key.start:key.end].strip()
            if re.match(r"\s*(\\left\s*)?\(", self.text[key.end:]):
                return Call(key, text, function[0], function[1])
            return function[1]  # the bare name: the function at its own argument (∇𝓛)
        found = self.scope.lookup(key.key)
        if found is not None:
            return found
        text = self.text[key.start:key.end].strip()
        number = _TEXT_NUMBER.fullmatch(text) if key.sub is None else None
        if number:  # \text{2}: a number typed in text mode is that number, never prose and never a name
            return self.number(meta, [number.group(1)])
        if key.sub is not None:
            base = self.scope.lookup(key.base)
            indices = _indices(key.sub)
            if base is not None and indices is not None:
                return self._entry_or_slice(base, indices, text)
            rows = getattr(self.scope, "slices", {}).get(key.base)
            if rows is not None and indices is not None and len(indices) == 1 and indices[0] != ":":
                var, axis = rows
                return shapes.slice_of(var, indices[0], axis, text)
            if base is not None or rows is not None:
                raise Unparsed(f"unknown symbol '{text}': the context '{self.scope.name}' declares "
                               f"'{key.base}' but not '{key.key}', and '{_sub_text(key.sub)}' is not an index "
                               f"(entries are written like X_{{ij}}, y_i)", key.start)
        return Unknown(key, text)

    def _entry_or_slice(self, base: Expr, indices: tuple, text: str) -> Expr:
        if ":" in indices:
            if len(indices) != 2 or indices.count(":") != 1:
                raise IllTyped(f"`{text}`: a row or column is written X_{{i,:}} or X_{{:,j}}")
            axis = 0 if indices[1] == ":" else 1
            return shapes.slice_of(base, indices[0] if axis == 0 else indices[1], axis, text)
        return shapes.entry(base, indices, text)

    def entry_of(self, meta, c):
        self._need(c[0])
        text = self._src(meta)
        indices = _indices(c[1])
        if indices is None:
            raise Unparsed(f"'{_sub_text(c[1])}' is not an index: entries are written (M)_{{ij}}, (v)_i", meta.start_pos)
        return self._entry_or_slice(c[0], indices, text)

    def symkey(self, meta, c):
        base = c[0] if isinstance(c[0], str) else c[0].key
        key, sub = base, None
        if len(c) > 1:
            sub = c[1]
            key = f"{base}_{_sub_key(sub)}"
        return SymKey(key, meta.start_pos, meta.end_pos, base, sub)

    def name_only(self, meta, c):
        return c[0]

    def letter(self, meta, c):
        return str(c[0])

    def greek(self, meta, c):
        return _greek(str(c[0]))

    def textname(self, meta, c):
        return _braced(str(c[0]))

    def decorated(self, meta, c):
        command = str(c[0]).lstrip("\\")
        inner = c[1].key if isinstance(c[1], SymKey) else _greek(str(c[1])) if str(c[1]).startswith("\\") else str(c[1])
        if command in _SAME_VARIABLE:
            return inner
        return _DECOR_PREFIX.get(command, command + ":") + inner

    def decorated_number(self, meta, c):
        command = str(c[0]).lstrip("\\")
        prefix = "bold:" if command in _SAME_VARIABLE or command == "mathbb" else _DECOR_PREFIX.get(command, command + ":")
        return prefix + str(c[1])

    def subscript(self, meta, c):
        return tuple((tok.type if isinstance(tok, Token) else "", str(tok)) for tok in c)

    # -- gradients: ∇_w f, ∂f/∂w, ∂/∂w f
    def nabla(self, meta, c):
        key = c[1] if len(c) == 3 else None
        return self._gradient(c[-1], key, meta)

    def grad_sub(self, meta, c):
        return c[0]

    def partial_of(self, meta, c):
        return self._gradient(c[-1], c[-2], meta)

    def partial_frac(self, meta, c):
        return self._gradient(c[2], c[-1], meta)

    def _gradient(self, body, key: "SymKey | None", meta):
        self._need(body)
        if key is None:
            unknowns = getattr(self.scope, "unknowns", ())
            if len(unknowns) != 1:
                raise Unparsed("∇ needs the variable it differentiates in: write \\nabla_{w}", meta.start_pos)
            wrt, name = self.scope.variables[unknowns[0]], unknowns[0]
        else:
            wrt = self.scope.lookup(key.key)
            name = self.text[key.start:key.end].strip()
            if wrt is None:
                raise Unparsed(f"∇ with respect to '{name}', which the context '{self.scope.name}' does not declare",
                               key.start)
        return shapes.gradient(body, wrt, name, self._src(meta))

    # -- entry-wise: sums, deltas, indicators, variance, cases
    def big_sum(self, meta, c):
        body = c[-1]
        self._need(body)
        limits_ = c[1] if len(c) == 3 else ([], None, Condition())
        names, dim, condition = limits_
        if not names:
            raise Unparsed("a sum needs its index: \\sum_i or \\sum_{i=1}^{n}", meta.start_pos)
        if condition.relations and len(names) == 2:  # \sum_{j \neq k}: over j != k, and over k unless k is free
            inner = shapes.index_sum(body, names[0], dim, condition)
            return shapes.index_sum(inner, names[1], dim, Condition(), self._src(meta), implicit=True)
        out = body
        for k, name in enumerate(reversed(names)):
            out = shapes.index_sum(out, name, dim, condition if k == 0 else Condition(),
                                   self._src(meta) if k == len(names) - 1 else "")
        return out

    def sum_one(self, meta, c):
        return [str(c[0])], self._upper(c[1:]), Condition()

    def sum_many(self, meta, c):
        names = [str(t) for t in c if isinstance(t, Token) and t.type == "LETTER"]
        start = next((x for x in c if isinstance(x, Tree) and x.data == "sum_from"), None)
        if start is not None and str(start.children[-1]) != "1":
            raise IllTyped(f"sums are read from 1: \\sum_{{{names[0]}={start.children[-1]}}} starts at "
                           f"{start.children[-1]}")
        return names, self._upper([x for x in c if isinstance(x, Tree) and x.data == "sum_upper"]), Condition()

    def sum_neq(self, meta, c):
        a, b = str(c[0]), str(c[2])
        return [a, b], self._upper(c[3:]), Condition(((a, "≠", b),))

    def _upper(self, items):
        items = [x for x in items if isinstance(x, Tree) and x.data == "sum_upper"]
        if not items:
            return None
        tok = items[0].children[-1]
        text = str(tok).lstrip("^").strip()
        if text in self.scope.sizes:
            return text
        raise IllTyped(f"the upper bound {text} of a sum must be a size of the problem "
                       f"({', '.join(self.scope.sizes)})")

    def sum_from(self, meta, c):
        return Tree("sum_from", c)

    def sum_upper(self, meta, c):
        return Tree("sum_upper", c)

    def index_term(self, meta, c):
        t = str(c[0])
        return int(t) if t.isdigit() else t

    def relation(self, meta, c):
        op = "=" if str(c[1]) == "=" else "≠"
        return (c[0], op, c[2])

    def condition(self, meta, c):
        return Condition(tuple(c))

    def ind_arg(self, meta, c):
        return next(x for x in c if isinstance(x, Condition))

    def indicator(self, meta, c):
        return shapes.indicator(c[1], self._src(meta))

    def iverson(self, meta, c):
        return shapes.indicator(c[0], self._src(meta))

    def delta(self, meta, c):
        indices = _indices(c[1])
        if indices is None or len(indices) != 2 or ":" in indices:
            raise Unparsed("a Kronecker delta takes two indices: \\delta_{jk}", meta.start_pos)
        return shapes.indicator(Condition(((indices[0], "=", indices[1]),)), self._src(meta))

    def _bound(self, c):
        sub = next((x for x in c if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], SymKey)), None)
        if sub is None:
            return self.scope.random_names()
        return (self.scope.random_variable(sub[0], sub[1]),)

    def variance(self, meta, c):
        arg = c[-1]
        self._need(arg)
        return shapes.variance(arg, self._bound(c), self._src(meta))

    def covariance(self, meta, c):
        a, b = c[-3], c[-1]
        self._need(a, b)
        return shapes.covariance(a, b, self._bound(c), self._src(meta))

    def case_row(self, meta, c):
        self._need(c[0])
        return c[0], c[2]

    def case_row_otherwise(self, meta, c):  # the condition was prose ("otherwise"), blanked by the document layer
        self._need(c[0])
        return c[0], None

    def case_if(self, meta, c):
        return c[1]

    def case_otherwise(self, meta, c):
        return None

    def cases(self, meta, c):
        rows = [x for x in c if isinstance(x, tuple)]
        shape = rows[0][0].shape
        total, rest = None, None  # rest: the indicator that no earlier row applied
        for value, cond in rows:
            if value.shape != shape:
                raise IllTyped("the rows of a cases expression have different shapes")
            when = shapes.indicator(cond) if cond is not None else None
            guard = when if rest is None else rest if when is None else shapes.product(rest, when)
            term = value if guard is None else shapes.product(guard, value)
            total = term if total is None else shapes.add(total, term)
            if when is not None:
                miss = shapes.add(Const(SCALAR, "1", Fraction(1)), when, minus=True)
                rest = miss if rest is None else shapes.product(rest, miss)
            else:
                break
        return _with_src(total, self._src(meta))


def _with_src(expr: Expr, src: str) -> Expr:
    from dataclasses import replace

    return replace(expr, src=src)


_INDEX_LETTERS = re.compile(r"[a-zA-Z]")


def _indices(sub: tuple[tuple[str, str], ...]) -> tuple | None:
    """The subscript as entry indices: 'ij' → ('i', 'j'), 'i,j' → ('i', 'j'), '12' → (1, 2), ':,j' → (':', 'j');
    None when it is not a list of one-letter indices (a name like 'new')."""
    out: list = []
    for kind, text in sub:
        if kind == "COMMA":
            continue
        if kind == "COLON" or (kind == "TIMES" and "cdot" in text) or text == "·":
            out.append(":")
        elif kind == "LETTER":
            out.append(text)
        elif kind == "SUB_WORD" and len(text) <= 2:
            out.extend(text)
        elif kind == "NUMBER" and text.isdigit():
            commas = any(k == "COMMA" for k, _ in sub)
            out.extend([int(text)] if commas or len(text) == 1 else [int(ch) for ch in text])
        else:
            return None
    if out and out[0] == ":" and len(out) == 1:
        return None
    return tuple(out) if 0 < len(out) <= 2 else None


def _sub_key(sub: tuple[tuple[str, str], ...]) -> str:
    parts = []
    for kind, text in sub:
        if kind == "GREEK":
            parts.append(_greek(text))
        elif kind == "TEXTNAME":
            parts.append(_braced(text))
        else:
            parts.append(text.strip())
    return "".join(parts)


def _sub_text(sub: tuple[tuple[str, str], ...]) -> str:
    return "".join(text for _k, text in sub)


def _transform(tree: Tree, scope: Any, text: str) -> Any:
    try:
        return ToExpression(scope, text).transform(tree)
    except VisitError as err:
        if isinstance(err.orig_exc, StepFailure):
            raise err.orig_exc from None
        raise


def _check_ambiguity(tree: Tree, scope: Any, text: str) -> None:
    """``f(…)`` with ``f`` undeclared: a call or a product? Reported before anything else."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if not isinstance(node, Tree):
            continue
        stack.extend(node.children)
        if node.data != "juxtapose" or len(node.children) != 2:
            continue
        left, right = node.children
        if not (isinstance(right, Tree) and right.data == "parens" and len(right.children) == 1):
            continue
        while isinstance(left, Tree) and left.data in ("juxtapose", "times", "hadamard", "divide") and left.children:
            left = left.children[-1]
        if isinstance(left, Tree) and left.data == "symbol":
            key = _transform(left.children[0], scope, text)
            if not _resolvable(key, scope) and not scope.explain_unknown(key.key):
                name = text[key.start:key.end].strip()
                raise ToExpression(scope, text)._undeclared(Unknown(key, name))


def _resolvable(key: SymKey, scope: Any) -> bool:
    """A declared name, a student's function, an entry of one (X_{ij}) or a declared row/column (x_i)."""
    if scope.lookup(key.key) is not None or key.key in getattr(scope, "functions", {}):
        return True
    if key.sub is None or _indices(key.sub) is None:
        return False
    return scope.lookup(key.base) is not None or key.base in getattr(scope, "slices", {})


def parse_side(text: str, scope: Any) -> tuple[Expr, Condition | None]:
    """One side of a step: its typed expression and its trailing side condition ('(j \\neq k)'), if any."""
    body, condition = split_condition(text)
    return parse_expression(body, scope), condition


def parse_expression(text: str, scope: Any) -> Expr:
    """The typed expression for ``text`` in ``scope`` (sums' ranges resolved); raises Unparsed / IllTyped / Undecided."""
    tree = _parse_tree(text)
    _check_ambiguity(tree, scope, text)
    result = _transform(tree, scope, text)
    if isinstance(result, Unknown):
        raise ToExpression(scope, text)._undeclared(result)
    if isinstance(result, SymKey):  # pragma: no cover - grammar never yields a bare key
        raise Unparsed("a name alone is not an expression", 0)
    if depth(result) > limits.MAX_TREE_DEPTH:
        raise Undecided(f"expression nested more than {limits.MAX_TREE_DEPTH} levels deep")
    return resolve(result)[0]


def fit_sides(lhs: Expr, rhs: Expr) -> tuple[Expr, Expr]:
    """A step's two sides with a bare identity sized by the other side (I = Γ⁰) and a scalar 0 read as the
    zero of the other side's shape (∇f = 0); IllTyped when an identity's size is still unknown."""
    lhs, rhs = shapes.fit_pair(lhs, rhs)
    lhs, rhs = shapes.require_sized(lhs), shapes.require_sized(rhs)
    return shapes.zero_like(lhs, rhs), shapes.zero_like(rhs, lhs)


def symbol_key(text: str) -> str:
    """The lookup key of a spelling: '\\tilde{\\mathbf{w}}' → '~w', '\\Gamma_{\\text{new}}' → 'Gamma_new'."""
    tree = _parse_tree(text, start="name_only")
    return _transform(tree, None, text).key


def function_head(text: str, scope: Any) -> tuple[str, Expr]:
    """'\\mathcal{L}(\\tilde w)' → ('cal:L', the typed argument w); Unparsed when it is not f(argument)."""
    tree = _parse_tree(text)
    if not (isinstance(tree, Tree) and tree.data == "juxtapose" and len(tree.children) == 2):
        raise Unparsed("not a function of an argument", 0)
    head, args = tree.children
    if not (isinstance(head, Tree) and head.data == "symbol" and isinstance(args, Tree) and args.data == "parens"):
        raise Unparsed("not a function of an argument", 0)
    key = _transform(head.children[0], scope, text).key
    argument = _transform(args, scope, text)
    if isinstance(argument, (Unknown, SymKey, Call)):
        raise Unparsed("the argument of the function is not an expression", 0)
    return key, argument


def chain_name(text: str, scope: Any) -> str | None:
    """``text`` if it is an undeclared function applied to arguments (it names a chain), else None."""
    try:
        tree = _parse_tree(text)
    except StepFailure:
        return None
    if not (isinstance(tree, Tree) and tree.data == "juxtapose" and len(tree.children) == 2):
        return None
    head, args = tree.children
    if not (isinstance(head, Tree) and head.data == "symbol" and isinstance(args, Tree) and args.data == "parens"):
        return None
    key = _transform(head.children[0], scope, text).key
    return text.strip() if scope.lookup(key) is None else None
