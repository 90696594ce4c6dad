"""Every claim's statement, written once: both sides in LaTeX (in the checker's accepted
spelling, so the grader can probe a student's chain against them), a plain-text form for
messages, the definitions it uses and the question of the homework it answers.

``derivlab.claims`` attaches these to its claims; the report's templates, the grader's
endpoint probes and the hints read them from here (layer 2, so ``checking`` and ``reports``
may import it without importing ``claims``).

    >>> IDENTITY.latex.startswith(r"\\mathbb{E}_R\\left[\\|y - (R \\odot X)\\tilde{w}\\|_2^2\\right] = ")
    True
    >>> by_id("dropout.identity").question
    'Q3'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    """``lhs = rhs`` (or ``lhs \\to rhs`` when ``relation`` says so), under ``where``."""

    claim: str
    question: str
    lhs: str
    rhs: str
    where: str = ""
    lhs_text: str = ""
    rhs_text: str = ""
    relation: str = "="

    @property
    def latex(self) -> str:
        """The whole statement as one LaTeX formula (what the report and ``verify --json`` show)."""
        body = f"{self.lhs} {self.relation} {self.rhs}"
        return f"{body},\\quad {self.where}" if self.where else body

    @property
    def text(self) -> str:
        return f"{self.lhs_text} {self.relation} {self.rhs_text}"


# --- Q3: dropout ------------------------------------------------------------------------------

#: (2), the dropout objective; p is the KEEP probability, R_ij ~ Bernoulli(p) i.i.d.
DROPOUT_OBJECTIVE = r"\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]"
DROPOUT_OBJECTIVE_TEXT = "E_R||y - (R ⊙ X) w~||^2"
GAMMA_DEFINITION = r"\Gamma = \operatorname{diag}(X^\top X)^{1/2}"

IDENTITY = Statement(
    "dropout.identity", "Q3", DROPOUT_OBJECTIVE, r"\|y - pX\tilde{w}\|_2^2 + p(1-p)\|\Gamma\tilde{w}\|_2^2",
    GAMMA_DEFINITION, DROPOUT_OBJECTIVE_TEXT, "||y - p X w~||^2 + p(1-p) ||Γ~ w~||^2")
RESCALED_RIDGE = Statement(
    "dropout.rescaled-ridge", "Q3", DROPOUT_OBJECTIVE, r"\|y - Xw_{new}\|_2^2 + \|\Gamma_{new} w_{new}\|_2^2",
    r"\tilde{w} = w_{new}/p,\ \lambda = \tfrac{1-p}{p},\ \Gamma_{new} = \sqrt{\lambda}\,\Gamma",
    DROPOUT_OBJECTIVE_TEXT, "||y - X w_new||^2 + ||Γ_new w_new||^2")
MINIMIZER = Statement(
    "dropout.minimizer", "Q3", r"\tilde{w}^*",
    r"\left(pX^\top X + (1-p)\operatorname{diag}(X^\top X)\right)^{-1}X^\top y",
    r"p\,\tilde{w}^* = \left(X^\top X + \lambda\operatorname{diag}(X^\top X)\right)^{-1}X^\top y",
    "w~*", "(p XᵀX + (1-p) diag(XᵀX))⁻¹ Xᵀy")
TORCH_INVERTED = Statement(
    "dropout.torch-inverted", "Q3", r"\text{SGD with } \mathtt{nn.Dropout}(1-p) \text{ on the inputs}",
    r"\left(X^\top X + \lambda\operatorname{diag}(X^\top X)\right)^{-1}X^\top y",
    r"\text{with the plain keep mask} \to \tilde{w}^*",
    "SGD with nn.Dropout(1-p)", "(XᵀX + λ diag(XᵀX))⁻¹ Xᵀy", relation=r"\to")

# --- Q2: attention ----------------------------------------------------------------------------

NUMPY_TORCH = Statement(
    "attention.numpy-torch", "Q2(a)", r"\mathrm{Linear}_{K_m^\top}([X \mid P])", r"[X \mid P] K_m",
    r"\mathrm{softmax}\big(QK^\top/\sqrt{d_{qk}}\big)V \text{ agree (positions concatenated)}",
    "Linear_{Kmᵀ}([X | P])", "[X | P] Km")
IDENTITY_DESIGN = Statement(
    "attention.identity", "Q2(b)", r"\mathrm{out}_i",
    r"\frac{m\,e^{c^2/\sqrt3}\,e_{t_i} + \sum_{u \ne t_i} n_u e_u}{m\,e^{c^2/\sqrt3} + L - m}",
    r"K_m = Q_m = c I_3,\ V_m = I_3;\ \text{allclose on all 1092 inputs} \iff c \ge \sqrt{\sqrt3\,\log(5\cdot 10^8 - 5)}",
    "out_i", "(m e^{c²/√3} e_t + Σ_{u≠t} n_u e_u) / (m e^{c²/√3} + L − m)")
FIRST_DESIGN = Statement(
    "attention.first", "Q2(c)", r"w_{\text{first}}", r"\frac{e^{c^2}}{e^{c^2} + L - 1}",
    r"\text{allclose on all 120 inputs} \iff c \ge \sqrt{\log(3\cdot 10^8 - 3)}",
    "w_first", "e^{c²} / (e^{c²} + L − 1)")
UNIQUE_DESIGN = Statement(
    "attention.unique", "Q2(d)", r"\mathrm{out}",
    r"\frac{e^{b s} - (m-1)e^{s} - (L-m+1)}{e^{b s} + (m-1)e^{s} + L-m+1}",
    r"s = c^2/\sqrt8;\ \text{every sign right at } b = \tfrac12 \iff c > \sqrt{2\sqrt8\,\log 4}",
    "out", "(e^{bs} − (m−1)e^{s} − (L−m+1)) / (e^{bs} + (m−1)e^{s} + L−m+1)")

# --- beyond the homework: noise injection (issue 13) -------------------------------------------

ADDITIVE_GAUSSIAN = Statement(
    "noise.additive-gaussian", "noise", r"\mathbb{E}_N\left[\|y - (X + N)w\|_2^2\right]",
    r"\|y - Xw\|_2^2 + n\sigma^2\|w\|_2^2", r"N_{ij} \sim \mathcal{N}(0, \sigma^2) \text{ i.i.d.}",
    "E_N||y - (X + N) w||^2", "||y - X w||^2 + n σ² ||w||^2")
GAUSSIAN_DROPOUT = Statement(
    "noise.gaussian-dropout", "noise",
    r"\mathbb{E}_N\left[\|y - (X \odot (\mathbf{1}\mathbf{1}^\top + N))w\|_2^2\right]",
    r"\|y - Xw\|_2^2 + \alpha\|\Gamma w\|_2^2",
    r"N_{ij} \sim \mathcal{N}(0, \alpha) \text{ i.i.d.},\ \Gamma = \operatorname{diag}(X^\top X)^{1/2}",
    "E_N||y - (X ⊙ (11ᵀ + N)) w||^2", "||y - X w||^2 + α ||Γ w||^2")

STATEMENTS: tuple[Statement, ...] = (IDENTITY, RESCALED_RIDGE, MINIMIZER, TORCH_INVERTED,
                                     NUMPY_TORCH, IDENTITY_DESIGN, FIRST_DESIGN, UNIQUE_DESIGN,
                                     ADDITIVE_GAUSSIAN, GAUSSIAN_DROPOUT)


def by_id(claim: str) -> Statement:
    """The statement of ``claim`` (a stable claim id of docs/spec/interfaces.md)."""
    return next(s for s in STATEMENTS if s.claim == claim)
