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
from typing import Callable, ClassVar, Iterator, Union

Dim = Union[str, int]  # a size symbol ("n", "d") or the literal 1; UNSIZED while an identity's size is unknown
Shape = tuple[Dim, Dim]

SCALAR: Shape = (1, 1)
UNSIZED = "?"  # the size of a bare identity I, until the expression it meets fixes it (shapes.fit_unsized)


def is_unsized(shape: Shape) -> bool:
    return UNSIZED in shape


def shape_text(shape: Shape) -> str:
    """'n×d', 'd×1', '1×1' (the way a student writes a shape)."""
    return f"{shape[0]}×{shape[1]}"


@dataclass(frozen=True)
class Expr:
    shape: Shape
    src: str = field(default="", compare=False, repr=False)

    #: the fields holding child expressions, in order (one generic walk and rebuild for every node type)
    CHILDREN: ClassVar[tuple[str, ...]] = ()

    @property
    def is_scalar(self) -> bool:
        return self.shape == SCALAR

    def children(self) -> tuple["Expr", ...]:
        return tuple(getattr(self, name) for name in self.CHILDREN)

    def with_children(self, kids: tuple["Expr", ...]) -> "Expr":
        """The same node over new children (same order as ``children()``)."""
        return replace(self, **dict(zip(self.CHILDREN, kids))) if self.CHILDREN else self


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
    CHILDREN: ClassVar[tuple[str, ...]] = ("arg",)


@dataclass(frozen=True)
class Binary(Expr):
    left: Expr = None  # type: ignore[assignment]
    right: Expr = None  # type: ignore[assignment]
    CHILDREN: ClassVar[tuple[str, ...]] = ("left", "right")


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
    CHILDREN: ClassVar[tuple[str, ...]] = ("base",)


@dataclass(frozen=True)
class Gradient(Expr):
    """∇_wrt body: the gradient of the scalar ``body`` with respect to the variable ``wrt`` (same shape as it).

    ``body`` is a polynomial of degree ≤ ``degree`` in ``wrt`` (``variable_degree``), so the gradient is exact
    from ``degree`` + 1 values along each coordinate. ``wrt`` is a name, not a child: substitutions inside
    ``body`` never rename the variable it is taken with respect to."""

    body: Expr = None  # type: ignore[assignment]
    wrt: str = ""
    degree: int = 1
    CHILDREN: ClassVar[tuple[str, ...]] = ("body",)


@dataclass(frozen=True)
class Expectation(Expr):
    """E over the random variables ``bound`` of ``body`` (Bernoulli masks, exact)."""

    body: Expr = None  # type: ignore[assignment]
    bound: tuple[str, ...] = ()
    CHILDREN: ClassVar[tuple[str, ...]] = ("body",)


@dataclass(frozen=True)
class Named(Expr):
    """A defined name (Γ, λ, P) standing for ``body``; evaluates as ``body``."""

    name: str = ""
    body: Expr = None  # type: ignore[assignment]
    CHILDREN: ClassVar[tuple[str, ...]] = ("body",)


# ---- entry-wise reasoning ----------------------------------------------------------------------
# An index is a letter ("i", bound by a Sum or free in the step) or a 1-based constant (int).
IndexTerm = Union[str, int]


@dataclass(frozen=True)
class Condition:
    """A conjunction of index relations: ``(("j", "≠", "k"),)`` is j ≠ k. Empty = always true."""

    relations: tuple[tuple[IndexTerm, str, IndexTerm], ...] = ()

    def holds(self, env: dict[str, int]) -> bool:
        """Under 1-based index values ``env``."""
        for a, op, b in self.relations:
            va = env[a] if isinstance(a, str) else a
            vb = env[b] if isinstance(b, str) else b
            if (va == vb) != (op == "="):
                return False
        return True

    def indices(self) -> set[str]:
        return {t for a, _op, b in self.relations for t in (a, b) if isinstance(t, str)}

    def text(self) -> str:
        return ", ".join(f"{a} {op} {b}" for a, op, b in self.relations)


@dataclass(frozen=True)
class Entry(Expr):
    """(arg)_{row col}: one entry of a matrix or vector (1×1); ``y_i`` is Entry(y, "i", 1)."""

    arg: Expr = None  # type: ignore[assignment]
    row: IndexTerm = 1
    col: IndexTerm = 1
    CHILDREN: ClassVar[tuple[str, ...]] = ("arg",)


@dataclass(frozen=True)
class Slice(Expr):
    """Row (axis 0) or column (axis 1) ``index`` of ``arg`` as a COLUMN vector: x_i is row i of X
    (d×1, so the row itself is x_iᵀ), X_{:,j} is column j (n×1)."""

    arg: Expr = None  # type: ignore[assignment]
    index: IndexTerm = 1
    axis: int = 0
    CHILDREN: ClassVar[tuple[str, ...]] = ("arg",)


@dataclass(frozen=True)
class Sum(Expr):
    """Σ over ``index`` of ``body``; ``dim`` is its range 1..dim (None until ``indices.resolve``
    reads it from where the index is used); terms where ``condition`` fails are left out."""

    body: Expr = None  # type: ignore[assignment]
    index: str = "i"
    dim: Dim | None = None
    condition: Condition = Condition()
    implicit: bool = False  # the k of \sum_{j \neq k}: bound only when the step does not use k elsewhere
    CHILDREN: ClassVar[tuple[str, ...]] = ("body",)


@dataclass(frozen=True)
class Indicator(Expr):
    """1 when ``condition`` holds, else 0 (1×1): δ_{jk}, 𝟏{j = k}, [j = k]."""

    condition: Condition = Condition()


def node_types() -> tuple[type, ...]:
    """Every concrete expression node type (each semantics must handle all of them)."""
    abstract = {Expr, Unary, Binary}
    out, stack = [], [Expr]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub not in abstract and sub not in out and sub.__module__ == __name__:
                out.append(sub)
    return tuple(out)


def dispatch(table: dict[type, Callable], expr: "Expr", what: str) -> Callable:
    """The handler of ``table`` for ``expr``'s node type (a missing one is a bug, not a silent guess)."""
    try:
        return table[type(expr)]
    except KeyError:
        raise TypeError(f"no {what} rule for {type(expr).__name__}") from None


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
    if isinstance(expr, (Neg, Sum)):
        return is_diagonal(expr.children()[0])
    return expr.shape == SCALAR


def has_indices(expr: Expr) -> bool:
    """True when ``expr`` contains an entry, slice, sum or indicator (its value depends on index letters)."""
    return any(isinstance(n, (Entry, Slice, Sum, Indicator)) for n in walk(expr))


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
    return expr.with_children(new)


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
    return expr.with_children(tuple(kids))


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
    """A compact, readable rendering (not LaTeX): 'Xᵀ X', 'diag(Xᵀ X)^(1/2)', 'E_R[...]' (table in render.py)."""
    from derivlab.checking.render import render_expr

    return render_expr(expr)
