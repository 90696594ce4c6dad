"""Strategies for ``derivlab check derivation``: single LaTeX steps of the dropout derivation,
valid or a known mistake, in randomly chosen accepted spellings (docs/spec/derivation-format.md).

Context ``dropout``: X (n x d), y (n), w (d), R (keep mask, Bernoulli(p)), p the KEEP
probability, Γ = diag(XᵀX)^{1/2}, λ = (1 - p)/p. Re-exported by ``derivlab.testing.strategies``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from hypothesis import strategies as st


@dataclass(frozen=True)
class _Spelling:
    norm: Callable[[str], str]       # squared Euclidean norm
    T: str                           # transpose
    E: Callable[[str], str]          # expectation over the mask
    diag: Callable[[str], str]
    odot: str
    vec: Callable[[str], str]        # decoration of vectors y, w


_NORMS = (
    lambda v: rf"\|{v}\|_2^2",
    lambda v: rf"\|{v}\|^2",
    lambda v: rf"\lVert {v}\rVert_2^2",
    lambda v: rf"\left\| {v} \right\|_2^2",
    lambda v: rf"\Vert {v}\Vert^2",
)
_TRANSPOSES = ("^T", "^{T}", r"^\top", r"^{\top}", r"^\intercal")
_EXPECTATIONS = (
    lambda e: rf"\mathbb{{E}}[{e}]",
    lambda e: rf"\mathbb{{E}}_{{R}}\left[{e}\right]",
    lambda e: rf"E_R[{e}]",
    lambda e: rf"\mathbb{{E}}_{{R\sim \text{{Bernoulli}}(p)}}\left[{e}\right]",
    lambda e: rf"\operatorname{{E}}[{e}]",
)
_DIAGS = (lambda m: rf"\operatorname{{diag}}({m})", lambda m: rf"\mathrm{{diag}}({m})", lambda m: rf"\text{{diag}}({m})")
_ODOTS = (r"\odot", r"\circ")
_VECS = (lambda v: v, lambda v: rf"\mathbf{{{v}}}", lambda v: rf"\boldsymbol{{{v}}}")


def _spellings() -> st.SearchStrategy[_Spelling]:
    return st.builds(
        _Spelling, st.sampled_from(_NORMS), st.sampled_from(_TRANSPOSES), st.sampled_from(_EXPECTATIONS),
        st.sampled_from(_DIAGS), st.sampled_from(_ODOTS), st.sampled_from(_VECS),
    )


def _steps(s: _Spelling) -> list[tuple[str, str, str, str]]:
    """(name, lhs, correct rhs, wrong rhs) for each step, in spelling ``s``."""
    y, w, T = s.vec("y"), s.vec("w"), s.T
    masked = rf"(R {s.odot} X)"
    gram = s.diag(rf"X{T} X")
    penalty = s.norm(r"\Gamma " + w)
    residual = s.norm(f"{y} - pX{w}")
    return [
        ("identity",
         s.E(s.norm(rf"{y} - {masked}{w}")),
         rf"{residual} + p(1-p){penalty}",
         rf"{residual} + p^2{penalty}"),
        ("expand-norm",
         residual,
         rf"{y}{T} {y} - 2p\, {w}{T} X{T} {y} + p^2 {w}{T} X{T} X {w}",
         rf"{y}{T} {y} - 2p\, {w}{T} X{T} {y} + p {w}{T} X{T} X {w}"),
        ("mean-of-mask",
         s.E(rf"{masked}{w}"),
         rf"pX{w}",
         rf"X{w}"),
        ("second-moment",
         w + T + " " + s.E(f"{masked}{T} {masked}") + " " + w,
         rf"p^2 {w}{T} X{T} X {w} + p(1-p) {w}{T} {gram} {w}",
         rf"p^2 {w}{T} X{T} X {w} + p(1-p) {w}{T} X{T} X {w}"),
        ("penalty-as-diag",
         "p(1-p)" + penalty,
         rf"p(1-p) {w}{T} {gram} {w}",
         rf"p(1-p) {w}{T} X{T} X {w}"),
        ("lambda",
         r"\lambda " + penalty,
         r"\frac{1-p}{p} " + penalty,
         r"\frac{p}{1-p} " + penalty),
    ]


@dataclass(frozen=True)
class DerivationStep:
    """One step ``lhs = rhs`` in the ``dropout`` context; ``valid`` says whether it is true."""

    name: str
    lhs_latex: str
    rhs_latex: str
    valid: bool

    def document(self) -> str:
        """The step as a LaTeX fragment the checker reads (one ``align*`` block, one step)."""
        return f"\\begin{{align*}}\n{self.lhs_latex}\n  &= {self.rhs_latex}\n\\end{{align*}}\n"

    def to_json(self) -> dict:
        return {"name": self.name, "lhs_latex": self.lhs_latex, "rhs_latex": self.rhs_latex, "valid": self.valid}


def derivation_steps(*, valid: bool | None = None) -> st.SearchStrategy[DerivationStep]:
    """A step of the dropout derivation (``valid=True``), a known mistake (``valid=False``) or
    either (None), in randomly chosen accepted spellings of norms, transposes, expectations,
    diag, ⊙ and bold vectors.

        >>> step = derivation_steps(valid=True).example()
        >>> step.valid and "&=" in step.document()
        True
    """
    @st.composite
    def build(draw: Any) -> DerivationStep:
        spelling = draw(_spellings())
        name, lhs, right, wrong = draw(st.sampled_from(_steps(spelling)))
        ok = draw(st.booleans()) if valid is None else valid
        return DerivationStep(name if ok else f"{name} (mistake)", lhs, right if ok else wrong, ok)

    return build()
