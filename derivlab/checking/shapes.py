"""Shape checking: the only way typed nodes are built.

Shapes are symbolic: ("n", "d") never matches ("d", "n") even though n = d would
fit, because a step must hold for every size. A 1×1 factor next to an array is a
scalar multiple (``p X``, ``(wᵀw) X``); otherwise juxtaposition is the matrix
product and needs left.cols == right.rows.
"""

from __future__ import annotations

from fractions import Fraction

from derivlab.checking import limits
from dataclasses import replace

from derivlab.checking.expr import (
    SCALAR, Add, Condition, Const, DiagOf, DiagPart, Divide, Entry, Expectation, Expr, Gradient, Hadamard,
    Identity, Indicator, MatMul, Named, Neg, Norm, Ones, Power, Scale, Slice, Sum, Trace, Transpose, Var, describe,
    dispatch, is_diagonal, is_unsized, shape_text, walk,
)
from derivlab.checking.failures import IllTyped, Undecided


def _q(expr: Expr) -> str:
    return f"`{describe(expr)}`"


def _is_vector(shape) -> bool:
    return (shape[1] == 1) != (shape[0] == 1)


def product(left: Expr, right: Expr, src: str = "") -> Expr:
    """Juxtaposition / \\cdot: scalar multiple when one side is 1×1, else the matrix product."""
    if is_unsized(left.shape) and not right.is_scalar and not is_unsized(right.shape):
        left = fit_unsized(left, right.shape[0])
    elif is_unsized(right.shape) and not left.is_scalar and not is_unsized(left.shape):
        right = fit_unsized(right, left.shape[1])
    if left.is_scalar and not right.is_scalar:
        return Scale(right.shape, src, left, right)
    if right.is_scalar and not left.is_scalar:
        return Scale(left.shape, src, right, left)
    if left.shape[1] == right.shape[0]:
        return MatMul((left.shape[0], right.shape[1]), src, left, right)
    rows = right.shape[0]
    raise IllTyped(
        f"{_q(left)} is {shape_text(left.shape)}; it cannot multiply {_q(right)}, which has {rows} "
        f"row{'s' if rows != 1 else ''} (in {_q_src(src, left, right)})",
        hint=_transpose_hint(left, right),
    )


def _q_src(src: str, left: Expr, right: Expr) -> str:
    return f"`{src.strip()}`" if src.strip() else f"`{describe(left)} {describe(right)}`"


def _transpose_hint(left: Expr, right: Expr) -> str | None:
    """Suggest the transpose that would make ``left right`` fit, if one does."""
    lt, rt = (left.shape[1], left.shape[0]), (right.shape[1], right.shape[0])
    if lt[1] == right.shape[0]:
        return f"A transpose seems misplaced: {describe(left)}ᵀ would fit here, {describe(left)} does not."
    if left.shape[1] == rt[0]:
        return f"A transpose seems misplaced: {describe(right)}ᵀ would fit here, {describe(right)} does not."
    if lt[1] == rt[0]:
        return "A transpose seems misplaced: transposing both factors would fit."
    return None


def hadamard(left: Expr, right: Expr, src: str = "") -> Expr:
    """Element-wise product: equal shapes (a 1×1 side is a scalar multiple)."""
    left, right = fit_pair(left, right)
    if left.shape == right.shape:
        return Hadamard(left.shape, src, left, right)
    if left.is_scalar:
        return Scale(right.shape, src, left, right)
    if right.is_scalar:
        return Scale(left.shape, src, right, left)
    raise IllTyped(
        f"the element-wise product {_q_src(src, left, right)} needs equal shapes, but {_q(left)} is "
        f"{shape_text(left.shape)} and {_q(right)} is {shape_text(right.shape)}"
    )


def add(left: Expr, right: Expr, src: str = "", *, minus: bool = False) -> Expr:
    """left + right (or left − right): equal shapes (a bare identity takes the size of the other side)."""
    left, right = fit_pair(left, right)
    if left.shape != right.shape:
        op = "subtract" if minus else "add"
        raise IllTyped(
            f"cannot {op} {_q(left)} ({shape_text(left.shape)}) and {_q(right)} ({shape_text(right.shape)})"
        )
    return Add(left.shape, src, left, negate(right) if minus else right)


def fit_unsized(expr: Expr, dim) -> Expr:
    """``expr`` with every bare identity I (size unknown) made ``dim``×``dim``, shapes re-derived bottom-up."""
    if not any(is_unsized(n.shape) for n in walk(expr)):
        return expr
    if isinstance(expr, Identity):
        return Identity((dim, dim), expr.src)
    kids = tuple(fit_unsized(k, dim) for k in expr.children())
    node = expr.with_children(kids)
    return replace(node, shape=dispatch(SHAPE_OF, node, "shape")(node))


def fit_pair(left: Expr, right: Expr) -> tuple[Expr, Expr]:
    """A side whose size is unknown (λI) takes the size of the other, square, side."""
    if is_unsized(left.shape) and not is_unsized(right.shape) and right.shape[0] == right.shape[1] \
            and not right.is_scalar:
        return fit_unsized(left, right.shape[0]), right
    if is_unsized(right.shape) and not is_unsized(left.shape) and left.shape[0] == left.shape[1] \
            and not left.is_scalar:
        return left, fit_unsized(right, left.shape[0])
    return left, right


def zero_like(side: Expr, other: Expr) -> Expr:
    """``side`` itself, or the zero array of ``other``'s shape when ``side`` is the number 0 and ``other`` is not
    a scalar (a student writes ∇f = 0 and Aw − b = 0 for the zero vector)."""
    if isinstance(side, Const) and side.value == 0 and not other.is_scalar:
        return Scale(other.shape, side.src, side, Ones(other.shape, "0"))
    return side


def require_sized(expr: Expr) -> Expr:
    """IllTyped when a bare identity's size was never fixed by what it meets (write I_d)."""
    if any(is_unsized(n.shape) for n in walk(expr)):
        raise IllTyped(f"the size of the identity in {_q(expr)} cannot be read from where it is used: write I_d or "
                       f"I_n")
    return expr


def gradient(body: Expr, wrt: Expr, key: str, src: str = "") -> Expr:
    """∇_w f of a scalar f that is a polynomial in the (deterministic) variable w: the shape of w."""
    from derivlab.checking.variable_degree import degree_in

    if not isinstance(wrt, Var) or wrt.random:
        what = "a random variable" if isinstance(wrt, Var) else "not a variable of the problem (it was defined or substituted)"
        raise IllTyped(f"a gradient is taken with respect to a variable of the problem, and {key} is {what}")
    if not body.is_scalar:
        raise IllTyped(f"the gradient ∇_{key} applies to a scalar, but {_q(body)} is {shape_text(body.shape)} "
                       f"(∇ applies to the term right after it: put a sum in parentheses)")
    k = degree_in(body, wrt.name)
    if k is None:
        raise Undecided(f"∇_{key} of {_q(body)}: derivlab differentiates polynomials in {key} exactly, and this "
                        f"is not one (a norm that is not squared, a root, or an inverse of something with {key})")
    limits.check_exponent(Fraction(k))
    return Gradient(wrt.shape, src, body, wrt.name, k)


def negate(arg: Expr, src: str = "") -> Expr:
    return Neg(arg.shape, src, arg)


def divide(left: Expr, right: Expr, src: str = "") -> Expr:
    """left / right: only division by a scalar."""
    if not right.is_scalar:
        raise IllTyped(f"cannot divide by {_q(right)}, which is {shape_text(right.shape)}, not a scalar")
    return Divide(left.shape, src, left, right)


def transpose(arg: Expr, src: str = "") -> Expr:
    return Transpose((arg.shape[1], arg.shape[0]), src, arg)


def power(base: Expr, exponent: Fraction, src: str = "") -> Expr:
    """Scalars: any rational power. Square matrices: integer powers (−1 = inverse).
    Diagonal matrices: half-integer powers (entry-wise square root)."""
    limits.check_exponent(exponent)
    if base.is_scalar:
        return Power(base.shape, src, base, exponent)
    rows, cols = base.shape
    if rows != cols:
        raise IllTyped(f"{_q(base)} is {shape_text(base.shape)}, not square, so it has no power ^{exponent}")
    if exponent.denominator == 1 or (exponent.denominator == 2 and is_diagonal(base)):
        return Power(base.shape, src, base, exponent)
    raise IllTyped(
        f"{_q(base)}^{exponent}: fractional powers are only defined here for diagonal matrices "
        f"(write diag(·)^(1/2))"
    )


def diag(arg: Expr, src: str = "") -> Expr:
    """diag(M): the diagonal part of a square M; diag(v): the diagonal matrix of a vector v."""
    if arg.is_scalar:
        return arg
    rows, cols = arg.shape
    if rows == cols:
        return DiagPart(arg.shape, src, arg)
    if cols == 1:
        return DiagOf((rows, rows), src, arg)
    if rows == 1:
        return DiagOf((cols, cols), src, arg)
    raise IllTyped(f"diag({describe(arg)}) needs a square matrix or a vector, but it is {shape_text(arg.shape)}")


def trace(arg: Expr, src: str = "") -> Expr:
    if arg.shape[0] != arg.shape[1]:
        raise IllTyped(f"tr({describe(arg)}) needs a square matrix, but it is {shape_text(arg.shape)}")
    return Trace(SCALAR, src, arg)


def norm(arg: Expr, subscript: str | None, src: str = "") -> Expr:
    """‖v‖ / ‖v‖_2 of a vector; ‖M‖_F of a matrix."""
    if arg.is_scalar or _is_vector(arg.shape):
        if subscript not in (None, "2"):
            raise IllTyped(f"only the Euclidean norm ‖·‖_2 is supported, not ‖·‖_{subscript}")
        return Norm(SCALAR, src, arg)
    if subscript == "F":
        return Norm(SCALAR, src, arg)
    raise IllTyped(
        f"‖{describe(arg)}‖: {_q(arg)} is a {shape_text(arg.shape)} matrix; write ‖·‖_F for the Frobenius norm"
    )


def expectation(body: Expr, bound: tuple[str, ...], src: str = "") -> Expr:
    return Expectation(body.shape, src, body, bound)


def constant_value(expr: Expr) -> Fraction:
    """The value of a constant expression (an exponent): numbers, + − × /, integer powers."""
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Neg):
        return -constant_value(expr.arg)
    if isinstance(expr, Add):
        return constant_value(expr.left) + constant_value(expr.right)
    if isinstance(expr, (Scale, MatMul)) and expr.is_scalar:
        return constant_value(expr.left) * constant_value(expr.right)
    if isinstance(expr, Divide):
        den = constant_value(expr.right)
        if den == 0:
            raise IllTyped("division by zero in an exponent")
        return constant_value(expr.left) / den
    if isinstance(expr, Power) and expr.exponent.denominator == 1:
        limits.check_exponent(expr.exponent)
        base = constant_value(expr.base)
        if base == 0 and expr.exponent < 0:
            raise IllTyped("division by zero in an exponent")
        value = base ** int(expr.exponent)
        limits.check_number(value)
        return value
    raise Undecided(f"the exponent {describe(expr)} must be a number")


# ---- entry-wise nodes --------------------------------------------------------------------------------

def entry(arg: Expr, indices: tuple, src: str = "") -> Expr:
    """(M)_{ij} of a matrix (two indices), v_i of a vector (one index), s of a scalar (none)."""
    rows, cols = arg.shape
    if len(indices) == 2:
        if rows == 1 or cols == 1:
            raise IllTyped(f"{_q(arg)} is a {shape_text(arg.shape)} vector: an entry of it takes one index, "
                           f"not two (in `{src.strip()}`)")
        return Entry(SCALAR, src, arg, indices[0], indices[1])
    if len(indices) == 1:
        if arg.is_scalar:
            raise IllTyped(f"{_q(arg)} is a scalar; it has no entry {indices[0]} (in `{src.strip()}`)")
        if cols == 1:
            return Entry(SCALAR, src, arg, indices[0], 1)
        if rows == 1:
            return Entry(SCALAR, src, arg, 1, indices[0])
        raise IllTyped(f"{_q(arg)} is a {shape_text(arg.shape)} matrix: an entry of it takes two indices, like "
                       f"(M)_{{ij}} (in `{src.strip()}`)")
    raise IllTyped(f"an entry takes one or two indices, not {len(indices)} (in `{src.strip()}`)")


def slice_of(arg: Expr, index, axis: int, src: str = "") -> Expr:
    """Row ``index`` (axis 0) or column ``index`` (axis 1) of a matrix, as a column vector."""
    rows, cols = arg.shape
    if arg.is_scalar or _is_vector(arg.shape):
        raise IllTyped(f"{_q(arg)} is {shape_text(arg.shape)}, not a matrix, so it has no "
                       f"{'row' if axis == 0 else 'column'} {index}")
    return Slice(((cols if axis == 0 else rows), 1), src, arg, index, axis)


ALWAYS = Condition()


def index_sum(body: Expr, index: str, dim, condition: Condition = ALWAYS, src: str = "", *,
              implicit: bool = False) -> Expr:
    """Σ_{index} body (the range ``dim`` may be None: read from where the index is used)."""
    return Sum(body.shape, src, body, index, dim, condition, implicit)


def indicator(condition: Condition, src: str = "") -> Expr:
    return Indicator(SCALAR, src, condition)


def variance(arg: Expr, bound: tuple[str, ...], src: str = "") -> Expr:
    """Var(Z) = E[Z⊙Z] − E[Z]⊙E[Z] (entry-wise for an array): the definition, written out."""
    mean = expectation(arg, bound)
    return add(expectation(hadamard(arg, arg), bound), hadamard(mean, mean), src, minus=True)


def covariance(a: Expr, b: Expr, bound: tuple[str, ...], src: str = "") -> Expr:
    """Cov(Z₁, Z₂) = E[Z₁Z₂] − E[Z₁]E[Z₂] (scalars)."""
    if not (a.is_scalar and b.is_scalar):
        raise IllTyped(f"Cov(·,·) is read for scalars here; {_q(a)} is {shape_text(a.shape)} and {_q(b)} is "
                       f"{shape_text(b.shape)}")
    return add(expectation(product(a, b), bound), product(expectation(a, bound), expectation(b, bound)), src,
               minus=True)


# ---- the shape of every node type, from its children (``check_shapes`` re-derives a whole tree) ---------

def _same_as(child: str):
    return lambda e: getattr(e, child).shape


def _matmul_shape(e: MatMul):
    if e.left.shape[1] != e.right.shape[0]:
        raise IllTyped(f"{_q(e.left)} ({shape_text(e.left.shape)}) cannot multiply {_q(e.right)} "
                       f"({shape_text(e.right.shape)})")
    return (e.left.shape[0], e.right.shape[1])


def _equal_shapes(e):
    if e.left.shape != e.right.shape:
        raise IllTyped(f"{_q(e.left)} ({shape_text(e.left.shape)}) and {_q(e.right)} ({shape_text(e.right.shape)}) "
                       f"do not have the same shape")
    return e.left.shape


def _scalar_left(e):
    if not e.left.is_scalar:
        raise IllTyped(f"{_q(e.left)} is not a scalar")
    return e.right.shape


def _scalar_right(e):
    if not e.right.is_scalar:
        raise IllTyped(f"cannot divide by {_q(e.right)}, which is not a scalar")
    return e.left.shape


def _diag_of_shape(e):
    k = e.arg.shape[0] if e.arg.shape[1] == 1 else e.arg.shape[1]
    return (k, k)


SHAPE_OF = {
    Var: lambda e: e.shape, Const: lambda e: SCALAR, Ones: lambda e: e.shape, Identity: lambda e: e.shape,
    Add: _equal_shapes, Hadamard: _equal_shapes, MatMul: _matmul_shape, Scale: _scalar_left, Divide: _scalar_right,
    Neg: _same_as("arg"), Transpose: lambda e: (e.arg.shape[1], e.arg.shape[0]), DiagPart: _same_as("arg"),
    DiagOf: _diag_of_shape, Trace: lambda e: SCALAR, Norm: lambda e: SCALAR, Power: _same_as("base"),
    Expectation: _same_as("body"), Named: _same_as("body"), Entry: lambda e: SCALAR,
    Slice: lambda e: ((e.arg.shape[1] if e.axis == 0 else e.arg.shape[0]), 1), Sum: _same_as("body"),
    Indicator: lambda e: SCALAR, Gradient: lambda e: e.shape,
}


def check_shapes(expr: Expr) -> None:
    """Re-derive every node's shape from its children (after a rebuild); IllTyped on a mismatch."""
    for node in walk(expr):
        got = dispatch(SHAPE_OF, node, "shape")(node)
        if got != node.shape:
            raise IllTyped(f"{_q(node)} should be {shape_text(got)} but was built as {shape_text(node.shape)}")
