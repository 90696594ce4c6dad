"""Course notation as SymPy objects, and their LaTeX: ⊙ as \\odot, transposes as
^\\top, expectations as \\mathbb{E}_R, ‖v‖_2^2, diag(M) = the diagonal part of M.

SymPy's matrix expressions (MatrixSymbol, MatMul, MatAdd, Transpose,
HadamardProduct) carry the algebra; three small classes add what they lack:
``Mean`` (E_R of a matrix), ``DiagPart`` (diag(M), off-diagonal entries
zeroed) and ``SquaredNorm`` (‖v‖_2^2, a 1 x 1 matrix). ``MaskMean`` is E_R of
a scalar. The builders ``add``/``mul``/``sub`` keep the order in which a step
is written, so the printed LaTeX reads like the derivation.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.printing.latex import LatexPrinter

from derivlab.derivations.proof import as_sympy

NAMES_LATEX = {
    "w_tilde": r"\tilde{w}",
    "w_new": r"w_{new}",
    "Gamma": r"\Gamma",
    "Gamma_new": r"\Gamma_{new}",
}


class _UnaryMatrixOp(MatrixExpr):
    """A matrix expression of one argument (SymPy objects only: never parsed from text)."""

    def __new__(cls, arg: Any) -> "_UnaryMatrixOp":
        return super().__new__(cls, as_sympy(arg))

    @property
    def arg(self) -> Any:
        return self.args[0]


class Mean(_UnaryMatrixOp):
    """E_R[M] for a matrix M, entry by entry (R the Bernoulli(p) keep mask)."""

    @property
    def shape(self) -> tuple[Any, Any]:
        return self.arg.shape

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> Any:
        return MaskMean(self.arg._entry(i, j, **kwargs))


class DiagPart(_UnaryMatrixOp):
    """diag(M): the square matrix M with its off-diagonal entries set to 0."""

    @property
    def shape(self) -> tuple[Any, Any]:
        return self.arg.shape

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> Any:
        return sp.KroneckerDelta(i, j) * self.arg._entry(i, j, **kwargs)


class SquaredNorm(_UnaryMatrixOp):
    """‖v‖_2^2 = vᵀv of a column vector v, as a 1 x 1 matrix."""

    @property
    def shape(self) -> tuple[Any, Any]:
        return (sp.Integer(1), sp.Integer(1))


class MaskMean(sp.Function):
    """E_R[s] of a scalar s: expectation over the Bernoulli(p) keep mask R (unevaluated)."""

    nargs = 1


def add(*terms: Any) -> Any:
    """A sum kept in the written order (matrix or scalar terms)."""
    if any(isinstance(t, MatrixExpr) for t in terms):
        return sp.MatAdd(*terms, evaluate=False)
    return sp.Add(*terms, evaluate=False)


def mul(*factors: Any) -> Any:
    """A product kept in the written order (a leading scalar, then matrices)."""
    if any(isinstance(f, MatrixExpr) for f in factors):
        return sp.MatMul(*factors, evaluate=False)
    return sp.Mul(*factors, evaluate=False)


def sub(a: Any, b: Any) -> Any:
    """a − b kept in the written order."""
    return add(a, mul(sp.Integer(-1), b))


def hadamard(a: Any, b: Any) -> Any:
    """a ⊙ b, the element-wise product."""
    return sp.HadamardProduct(a, b)


def transpose(m: Any) -> Any:
    """mᵀ, unevaluated (SymPy would otherwise distribute it over ⊙: (R ⊙ X)ᵀ -> Rᵀ ⊙ Xᵀ)."""
    return sp.Transpose(m)


class CourseLatexPrinter(LatexPrinter):
    """sympy.latex in the course's notation (and the student checker's: docs/spec/derivation-format.md)."""

    def _print_MatrixSymbol(self, expr: Any) -> str:
        return NAMES_LATEX.get(expr.name, expr.name)

    def _print_Symbol(self, expr: Any, style: str = "plain") -> str:
        if expr.name == "lambda":
            return r"\lambda"
        return super()._print_Symbol(expr, style)

    def _print_Transpose(self, expr: Any) -> str:
        return f"{self._matrix_atom(expr.arg)}^\\top"

    def _print_HadamardProduct(self, expr: Any) -> str:
        return r" \odot ".join(self._matrix_atom(a) for a in expr.args)

    def _print_Mean(self, expr: Any) -> str:
        return r"\mathbb{E}_R\left[" + self._print(expr.arg) + r"\right]"

    def _print_MaskMean(self, expr: Any) -> str:
        return r"\mathbb{E}_R\left[" + self._print(expr.args[0]) + r"\right]"

    def _print_DiagPart(self, expr: Any) -> str:
        return r"\operatorname{diag}(" + self._print(expr.arg) + ")"

    def _print_SquaredNorm(self, expr: Any) -> str:
        return r"\|" + self._print(expr.arg) + r"\|_2^2"

    def _print_MatrixElement(self, expr: Any) -> str:
        parent = self._print(expr.parent)
        if not isinstance(expr.parent, (sp.MatrixSymbol, Mean)):
            parent = r"\left(" + parent + r"\right)"
        return f"{parent}_{{{self._print(expr.i)}{self._print(expr.j)}}}"

    def _print_Indexed(self, expr: Any) -> str:
        base = NAMES_LATEX.get(str(expr.base.label), str(expr.base.label))
        return f"{base}_{{{''.join(self._print(i) for i in expr.indices)}}}"

    def _print_MatAdd(self, expr: Any) -> str:
        out = ""
        for k, term in enumerate(expr.args):
            negative, body = self._split_sign(term)
            if k == 0:
                out = ("-" if negative else "") + body
            else:
                out += (" - " if negative else " + ") + body
        return out

    def _print_MatMul(self, expr: Any) -> str:
        scalars = [a for a in expr.args if not isinstance(a, MatrixExpr)]
        matrices = [a for a in expr.args if isinstance(a, MatrixExpr)]
        coeff = sp.Mul(*scalars)
        body = " ".join(self._matrix_factor(m) for m in matrices)
        if coeff == 1:
            return body
        if coeff == -1:
            return "-" + body
        return self._scalar(coeff) + (r"\, " + body if matrices else "")

    def _print_Sum(self, expr: Any) -> str:
        return super()._print_Sum(expr).replace(r"\left(", "(").replace(r"\right)", ")")

    def _split_sign(self, term: Any) -> tuple[bool, str]:
        if isinstance(term, sp.MatMul):
            scalars = [a for a in term.args if not isinstance(a, MatrixExpr)]
            coeff = sp.Mul(*scalars)
            if coeff.as_coeff_Mul()[0] < 0:
                matrices = [a for a in term.args if isinstance(a, MatrixExpr)]
                return True, self._print(sp.MatMul(-coeff, *matrices, evaluate=False))
        return False, self._print(term)

    def _scalar(self, s: Any) -> str:
        text = self._print(s).replace(r"\left(", "(").replace(r"\right)", ")")
        if isinstance(s, sp.Add):
            text = f"({text})"
        return text.replace("p (", "p(").replace("2 p", "2p")

    def _matrix_atom(self, m: Any) -> str:
        text = self._print(m)
        if isinstance(m, (sp.MatrixSymbol, Mean, DiagPart, SquaredNorm)):
            return text
        return f"({text})"

    def _matrix_factor(self, m: Any) -> str:
        text = self._print(m)
        if isinstance(m, (sp.MatAdd, sp.HadamardProduct)):
            return r"\left(" + text + r"\right)" if isinstance(m, sp.MatAdd) else f"({text})"
        return text


def course_latex(expr: Any) -> str:
    """LaTeX of ``expr`` in course notation (\\odot, ^\\top, \\mathbb{E}_R, \\|.\\|_2^2, \\operatorname{diag})."""
    return CourseLatexPrinter().doprint(expr)
