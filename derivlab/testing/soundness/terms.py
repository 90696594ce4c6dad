"""The soundness corpus's own expression trees: what a step's two sides MEAN, independent of
how the checker reads LaTeX (nothing here is shared with ``derivlab.checking``).

A term is a frozen dataclass. ``spellings.render`` writes it as LaTeX in a student's
spelling; ``oracle.evaluate`` computes it exactly over every keep mask. Vectors are column
matrices; a 1×1 value multiplies anything as a scalar.

    >>> str(sq_norm(sub(Y, mul(P, X, W))))
    '‖y - p X w‖²'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator


class Term:
    """Base of every node; ``children`` is the tuple of sub-terms."""

    children: tuple = ()

    def __str__(self) -> str:  # a readable, spelling-free rendering for reports
        return _plain(self)


@dataclass(frozen=True)
class Sym(Term):
    """A named value: 'X' (n×d), 'y' (n), 'w' (d), 'w_new' (d), 'p', 'R' (the mask), 'Gamma',
    'lambda', 'Gamma_new' (defined by the context), or a fresh name the context does not know
    (``shape`` 'n' | 'd' | 'nd' | 'dd' | '' for scalars). ``style`` selects a trap spelling."""

    name: str
    shape: str = ""
    style: str = ""


@dataclass(frozen=True)
class Num(Term):
    value: Fraction
    style: str = ""  # "text": written \text{2}; "half": a spelling of 1/2


@dataclass(frozen=True)
class Op(Term):
    """An operator node: ``kind`` names the operation, ``children`` its operands, ``k`` a power."""

    kind: str  # add sub neg mul had T pow sqnorm norm E diag sqrt tr abs frac grad (∇ with respect to w)
    children: tuple = ()
    k: int = 0
    style: str = field(default="", compare=False)


KINDS = ("add", "sub", "neg", "mul", "had", "T", "pow", "sqnorm", "norm", "E", "diag", "sqrt", "tr", "abs", "frac",
         "grad")

X, Y, W, P, R = Sym("X", "nd"), Sym("y", "n"), Sym("w", "d"), Sym("p"), Sym("R", "nd")
W_NEW, GAMMA, LAMBDA, GAMMA_NEW = Sym("w_new", "d"), Sym("Gamma", "dd"), Sym("lambda"), Sym("Gamma_new", "dd")


def num(value, style: str = "") -> Num:
    return Num(Fraction(value), style)


def _fold(kind: str, terms) -> Term:
    terms = [t if isinstance(t, Term) else num(t) for t in terms]
    out = terms[0]
    for t in terms[1:]:
        out = Op(kind, (out, t))
    return out


def add(*terms) -> Term:
    return _fold("add", terms)


def sub(a, b) -> Term:
    return _fold("sub", (a, b))


def mul(*terms) -> Term:
    """Matrix or scalar product, left to right (juxtaposition)."""
    return _fold("mul", terms)


def had(a, b) -> Term:
    return Op("had", (a, b))


def neg(a) -> Term:
    return Op("neg", (a,))


def T(a) -> Term:
    return Op("T", (a,))


def pw(a, k: int) -> Term:
    return Op("pow", (a,), k)


def sq_norm(a) -> Term:
    return Op("sqnorm", (a,))


def norm(a) -> Term:
    return Op("norm", (a,))


def E(a) -> Term:
    return Op("E", (a,))


def diag(a) -> Term:
    return Op("diag", (a,))


def sqrt(a) -> Term:
    return Op("sqrt", (a,))


def tr(a) -> Term:
    return Op("tr", (a,))


def absolute(a) -> Term:
    return Op("abs", (a,))


def grad(a) -> Term:
    """∇_w a: the gradient of the scalar ``a`` with respect to w (a d-vector)."""
    return Op("grad", (a,))


def frac(a, b) -> Term:
    return Op("frac", (a if isinstance(a, Term) else num(a), b if isinstance(b, Term) else num(b)))


ONE_MINUS_P = sub(1, P)
MASKED = had(R, X)                     # R ⊙ X
GRAM = mul(T(X), X)                    # XᵀX


def walk(term: Term) -> Iterator[Term]:
    yield term
    for c in term.children:
        yield from walk(c)


def replace(term: Term, path: tuple[int, ...], new: Term) -> Term:
    """``term`` with the node at ``path`` (child indices from the root) replaced by ``new``."""
    if not path:
        return new
    kids = list(term.children)
    kids[path[0]] = replace(kids[path[0]], path[1:], new)
    return Op(term.kind, tuple(kids), term.k, term.style)


def paths(term: Term, prefix: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Term]]:
    """(path, node) for every node, root first."""
    yield prefix, term
    for i, c in enumerate(term.children):
        yield from paths(c, prefix + (i,))


_INFIX = {"add": " + ", "sub": " - ", "mul": " ", "had": " ⊙ "}


def _plain(t: Term) -> str:
    if isinstance(t, Sym):
        return {"Gamma": "Γ", "lambda": "λ", "Gamma_new": "Γ_new"}.get(t.name, t.name)
    if isinstance(t, Num):
        return str(t.value)
    a = [_plain(c) for c in t.children]
    if t.kind in _INFIX:
        return _INFIX[t.kind].join(f"({x})" if isinstance(c, Op) and c.kind in ("add", "sub")
                                                and t.kind != "add" else x for x, c in zip(a, t.children))
    return {"neg": lambda: f"-({a[0]})", "T": lambda: f"({a[0]})ᵀ", "pow": lambda: f"({a[0]})^{t.k}",
            "sqnorm": lambda: f"‖{a[0]}‖²", "norm": lambda: f"‖{a[0]}‖", "E": lambda: f"E[{a[0]}]",
            "diag": lambda: f"diag({a[0]})", "sqrt": lambda: f"√({a[0]})", "tr": lambda: f"tr({a[0]})",
            "abs": lambda: f"|{a[0]}|", "frac": lambda: f"({a[0]})/({a[1]})",
            "grad": lambda: f"∇_w({a[0]})"}[t.kind]()
