"""The typed expression tree the checker reasons about: scalars, vectors and
matrices with SYMBOLIC shapes (rows, cols), e.g. ("n", "d"); a scalar is (1, 1),
a vector (d, 1).

Nodes are plain immutable objects built only through the checking constructors
in ``shapes.py`` (which check the shapes). ``Expectation`` binds random
variables: inside ``E_R[...]`` the mask R is averaged over, outside it R is a
free 0/1 variable. ``Named`` keeps the name of an inlined definition (Γ, λ, P)
so messages can say "Γ" instead of its expansion. ``src`` is the student's own
text for the node (for messages) and does not take part in equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Callable, Iterator, Union

Dim = Union[str, int]  # a size symbol ("n", "d") or the literal 1
Shape = tuple[Dim, Dim]

SCALAR: Shape = (1, 1)


def shape_text(shape: Shape) -> str:
    """'n×d', 'd×1', '1×1' (the way a student writes a shape)."""
    return f"{shape[0]}×{shape[1]}"


@dataclass(frozen=True)
class Expr:
    shape: Shape
    src: str = field(default="", compare=False, repr=False)

    @property
    def is_scalar(self) -> bool:
        return self.shape == SCALAR

    def children(self) -> tuple["Expr", ...]:
        return ()


@dataclass(frozen=True)
class Var(Expr):
    """A declared variable of the problem (X, y, w, p) or a random variable (R)."""

    name: str = ""
    random: bool = False


@dataclass(frozen=True)
class Const(Expr):
    value: Fraction = Fraction(0)


@dataclass(frozen=True)
class Ones(Expr):
    """The all-ones matrix/vector of its shape (𝟏)."""


@dataclass(frozen=True)
class Identity(Expr):
    """The identity matrix of its (square) shape."""


@dataclass(frozen=True)
class Unary(Expr):
    arg: Expr = None  # type: ignore[assignment]

    def children(self) -> tuple[Expr, ...]:
        return (self.arg,)


@dataclass(frozen=True)
class Binary(Expr):
    left: Expr = None  # type: ignore[assignment]
    right: Expr = None  # type: ignore[assignment]

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


class Add(Binary):
    """left + right (equal shapes)."""


class Neg(Unary):
    """-arg."""


class MatMul(Binary):
    """Matrix product left·right (left.cols == right.rows)."""


class Scale(Binary):
    """Scalar times array: ``left`` is 1×1, ``right`` any shape."""


class Hadamard(Binary):
    """Element-wise product left ⊙ right (equal shapes)."""


class Divide(Binary):
    """left / right with ``right`` a nonzero scalar."""


class Transpose(Unary):
    """argᵀ."""


class DiagPart(Unary):
    """diag(M) of a square M: M with its off-diagonal entries set to 0."""


class DiagOf(Unary):
    """diag(v) of a vector v: the diagonal matrix with v on its diagonal."""


class Trace(Unary):
    """tr(M) of a square M (a scalar)."""


class Norm(Unary):
    """Euclidean norm of a vector (Frobenius for a matrix); not squared (a square root)."""


@dataclass(frozen=True)
class Power(Expr):
    """base^exponent: a scalar to a rational power, a square matrix to an integer power
    (−1 = inverse), a diagonal matrix to a half-integer power (entry-wise root)."""

    base: Expr = None  # type: ignore[assignment]
    exponent: Fraction = Fraction(1)

    def children(self) -> tuple[Expr, ...]:
        return (self.base,)


@dataclass(frozen=True)
class Expectation(Expr):
    """E over the random variables ``bound`` of ``body`` (Bernoulli masks, exact)."""

    body: Expr = None  # type: ignore[assignment]
    bound: tuple[str, ...] = ()

    def children(self) -> tuple[Expr, ...]:
        return (self.body,)


@dataclass(frozen=True)
class Named(Expr):
    """A defined name (Γ, λ, P) standing for ``body``; evaluates as ``body``."""

    name: str = ""
    body: Expr = None  # type: ignore[assignment]

    def children(self) -> tuple[Expr, ...]:
        return (self.body,)


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of ``expr``, parents before children (iterative, any depth)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))


def is_diagonal(expr: Expr) -> bool:
    """True when ``expr`` is diagonal by construction (diag(·), powers and scalings of such)."""
    if isinstance(expr, (DiagPart, DiagOf, Identity)):
        return True
    if isinstance(expr, Named):
        return is_diagonal(expr.body)
    if isinstance(expr, (Power, Transpose)):
        return is_diagonal(expr.base if isinstance(expr, Power) else expr.arg)
    if isinstance(expr, Scale):
        return is_diagonal(expr.right)
    if isinstance(expr, Divide):
        return is_diagonal(expr.left)
    if isinstance(expr, (MatMul, Hadamard)):
        return is_diagonal(expr.left) and is_diagonal(expr.right)
    if isinstance(expr, Add):
        return is_diagonal(expr.left) and is_diagonal(expr.right)
    if isinstance(expr, Neg):
        return is_diagonal(expr.arg)
    return expr.shape == SCALAR


def free_variables(expr: Expr) -> dict[str, Var]:
    """The variables ``expr`` depends on, by name (random ones included)."""
    return {n.name: n for n in walk(expr) if isinstance(n, Var)}


def free_random(expr: Expr) -> set[str]:
    """Random variables that occur OUTSIDE every expectation binding them."""
    out: set[str] = set()
    stack: list[tuple[Expr, frozenset[str]]] = [(expr, frozenset())]
    while stack:
        node, bound = stack.pop()
        if isinstance(node, Var) and node.random and node.name not in bound:
            out.add(node.name)
        if isinstance(node, Expectation):
            bound = bound | set(node.bound)
        stack.extend((c, bound) for c in node.children())
    return out


def map_tree(expr: Expr, fn: Callable[[Expr], Expr | None]) -> Expr:
    """Rebuild ``expr`` bottom-up; ``fn(node)`` may return a replacement (or None to keep)."""
    got = fn(expr)
    if got is not None:
        return got
    kids = expr.children()
    if not kids:
        return expr
    new = tuple(map_tree(k, fn) for k in kids)
    if all(a is b for a, b in zip(new, kids)):
        return expr
    if isinstance(expr, Binary):
        return replace(expr, left=new[0], right=new[1])
    if isinstance(expr, Unary):
        return replace(expr, arg=new[0])
    if isinstance(expr, Power):
        return replace(expr, base=new[0])
    if isinstance(expr, Expectation):
        return replace(expr, body=new[0])
    if isinstance(expr, Named):
        return replace(expr, body=new[0])
    raise TypeError(f"cannot rebuild {type(expr).__name__}")


def positions(expr: Expr, *, into_named: bool = False) -> Iterator[tuple[tuple[int, ...], Expr]]:
    """(path, node) for every node; a path is the child indices from the root. Named bodies
    (Γ, λ, P: not the student's text) are entered only with ``into_named``."""
    stack: list[tuple[tuple[int, ...], Expr]] = [((), expr)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, Named) and not into_named:
            continue
        kids = node.children()
        stack.extend((path + (i,), kids[i]) for i in reversed(range(len(kids))))


def replace_at(expr: Expr, path: tuple[int, ...], new: Expr) -> Expr:
    """``expr`` with the node at ``path`` replaced by ``new`` (same shape expected)."""
    if not path:
        return new
    kids = list(expr.children())
    kids[path[0]] = replace_at(kids[path[0]], path[1:], new)
    if isinstance(expr, Binary):
        return replace(expr, left=kids[0], right=kids[1])
    if isinstance(expr, Unary):
        return replace(expr, arg=kids[0])
    if isinstance(expr, Power):
        return replace(expr, base=kids[0])
    if isinstance(expr, Expectation):
        return replace(expr, body=kids[0])
    if isinstance(expr, Named):
        return replace(expr, body=kids[0])
    raise TypeError(f"cannot rebuild {type(expr).__name__}")


def depth(expr: Expr) -> int:
    """Nesting depth of the tree (iterative)."""
    best, stack = 0, [(expr, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        stack.extend((c, d + 1) for c in node.children())
    return best


def describe(expr: Expr) -> str:
    """The student's text for ``expr`` when known, else a readable rendering."""
    text = " ".join(expr.src.split())
    return text if text else render(expr)


def render(expr: Expr) -> str:
    """A compact, readable rendering (not LaTeX): 'Xᵀ X', 'diag(Xᵀ X)^(1/2)', 'E_R[...]'."""
    if isinstance(expr, Var):
        return expr.name
    if isinstance(expr, Named):
        return expr.name
    if isinstance(expr, Const):
        return str(expr.value)
    if isinstance(expr, Ones):
        return "𝟏"
    if isinstance(expr, Identity):
        return "I"
    if isinstance(expr, Add):
        right = expr.right
        if isinstance(right, Neg):
            return f"{render(expr.left)} - {_wrap(right.arg, Add)}"
        return f"{render(expr.left)} + {render(right)}"
    if isinstance(expr, Neg):
        return f"-{_wrap(expr.arg, Add)}"
    if isinstance(expr, (MatMul, Scale)):
        return f"{_wrap(expr.left, (Add, Neg, Hadamard))} {_wrap(expr.right, (Add, Neg, Hadamard, MatMul, Scale))}"
    if isinstance(expr, Hadamard):
        return f"{_wrap(expr.left, (Add, Neg))} ⊙ {_wrap(expr.right, (Add, Neg, Hadamard, MatMul, Scale))}"
    if isinstance(expr, Divide):
        return f"{_wrap(expr.left, Add)}/{_wrap(expr.right, Binary)}"
    if isinstance(expr, Transpose):
        return f"{_wrap(expr.arg, (Binary, Neg))}ᵀ"
    if isinstance(expr, DiagPart) or isinstance(expr, DiagOf):
        return f"diag({render(expr.arg)})"
    if isinstance(expr, Trace):
        return f"tr({render(expr.arg)})"
    if isinstance(expr, Norm):
        return f"‖{render(expr.arg)}‖"
    if isinstance(expr, Power):
        e = expr.exponent
        ex = str(e) if e.denominator == 1 and e >= 0 else f"({e})"
        return f"{_wrap(expr.base, (Binary, Neg))}^{ex}"
    if isinstance(expr, Expectation):
        return f"E_{','.join(expr.bound)}[{render(expr.body)}]"
    return type(expr).__name__


def _wrap(expr: Expr, kinds) -> str:
    text = render(expr)
    return f"({text})" if isinstance(expr, kinds) else text
