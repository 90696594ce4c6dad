"""The entry-wise corpus: realistic write-ups of the dropout identity, in seven styles, each
expression with its hand-computed value (``entrywise_oracle``; nothing here imports derivlab).

Styles: entry-wise sums, row by row, mean plus variance, trace trick, the course's
entry-wise route, column vectors, student notation, student macros. Half are correct; each other one has
exactly one realistic mistake (named in its file name).
"""

from __future__ import annotations

from fractions import Fraction

from entrywise_oracle import Piece as P, WriteUp

F0 = Fraction(0)


def S(seq):
    return sum(seq, F0)


def ones(ix):
    return True


# ---- the two ends ----------------------------------------------------------------------------------------------

OBJ = P(r"\mathbb{E}_R\left[\|y - (R \odot X) w\|^2\right]", lambda W, R, ix: W.E(lambda M: W.residual2(M)))
OBJ_B = P(r"\mathbb{E}\big[\|y - (R\odot X)w\|_2^2\big]", OBJ.fn)
RIDGE = P(r"\|y - pXw\|^2 + p(1-p)\|\Gamma w\|^2", lambda W, R, ix: W.residual2(None, W.p) + W.p * (1 - W.p) * W.penalty())
RIDGE_DIAG = P(r"\|y - pXw\|^2 + p(1-p)\, w^\top \operatorname{diag}(X^\top X)\, w", RIDGE.fn)
RIDGE_LAMBDA = P(r"\|y - pXw\|^2 + p^2 \lambda \|\Gamma w\|^2", RIDGE.fn)
RIDGE_WRONG_LAMBDA = P(r"\|y - pXw\|^2 + p^2 \frac{p}{1-p} \|\Gamma w\|^2",
                       lambda W, R, ix: W.residual2(None, W.p) + W.p ** 3 / (1 - W.p) * W.penalty())
RIDGE_PENALTY_SUM = P(r"\|y - pXw\|^2 + p(1-p) \sum_{j=1}^{d} w_j^2 (X^\top X)_{jj}", RIDGE.fn)
RIDGE_DOUBLE_SUM = P(r"\|y - pXw\|^2 + p(1-p) \sum_{j=1}^{d} w_j^2 \sum_{i=1}^{n} X_{ij}^2", RIDGE.fn)
RIDGE_TRANSPOSE_SLIP = P(r"\|y - pXw\|^2 + p(1-p) \sum_{j=1}^{d} w_j^2 (X X^\top)_{jj}",
                         lambda W, R, ix: W.residual2(None, W.p) + W.p * (1 - W.p) * S(
                             W.w[j] ** 2 * S(W.X[j][m] ** 2 for m in range(W.d)) for j in range(W.d)))


def _rowwise(W, M):
    return S((W.y[i] - W.Xw(i, M)) ** 2 for i in range(W.n))


# ---- style 1: entry-wise sums ------------------------------------------------------------------------------------

A1 = P(r"\mathbb{E}_R\Big[\sum_{i=1}^{n} \Big(y_i - \sum_{j=1}^{d} R_{ij} X_{ij} w_j\Big)^2\Big]", OBJ.fn)
A2 = P(r"\sum_{i=1}^{n} \mathbb{E}_R\Big[\Big(y_i - \sum_{j=1}^{d} R_{ij} X_{ij} w_j\Big)^2\Big]", OBJ.fn)
A3 = P(r"\sum_{i=1}^{n} \Big( y_i^2 - 2 y_i \sum_{j=1}^{d} \mathbb{E}[R_{ij}] X_{ij} w_j + \sum_{j=1}^{d}\sum_{k=1}^{d} "
       r"\mathbb{E}[R_{ij} R_{ik}] X_{ij} X_{ik} w_j w_k \Big)", OBJ.fn)


def _a4(diag_coef, offdiag_all=False, offdiag_coef=None):
    def fn(W, R, ix):
        p = W.p
        total = F0
        for i in range(W.n):
            total += W.y[i] ** 2 - 2 * p * W.y[i] * W.Xw(i)
            for j in range(W.d):
                for k in range(W.d):
                    if j != k or offdiag_all:
                        total += (offdiag_coef(p) if offdiag_coef else p * p) * W.X[i][j] * W.X[i][k] * W.w[j] * W.w[k]
                total += diag_coef(p) * W.X[i][j] ** 2 * W.w[j] ** 2
        return total
    return fn


A4 = P(r"\sum_{i=1}^{n} \Big( y_i^2 - 2p\, y_i \sum_{j=1}^{d} X_{ij} w_j + p^2 \sum_{j \neq k} X_{ij} X_{ik} w_j w_k "
       r"+ p \sum_{j=1}^{d} X_{ij}^2 w_j^2 \Big)", _a4(lambda p: p))
A4_R2 = P(r"\sum_{i=1}^{n} \Big( y_i^2 - 2p\, y_i \sum_{j=1}^{d} X_{ij} w_j + p^2 \sum_{j \neq k} X_{ij} X_{ik} w_j w_k "
          r"+ p^2 \sum_{j=1}^{d} X_{ij}^2 w_j^2 \Big)", _a4(lambda p: p * p))
A5 = P(r"\sum_{i=1}^{n} \Big( y_i^2 - 2p\, y_i \sum_{j=1}^{d} X_{ij} w_j + p^2 \sum_{j,k} X_{ij} X_{ik} w_j w_k "
       r"+ p(1-p) \sum_{j=1}^{d} X_{ij}^2 w_j^2 \Big)", _a4(lambda p: p * (1 - p), offdiag_all=True))
A5_TWICE = P(r"\sum_{i=1}^{n} \Big( y_i^2 - 2p\, y_i \sum_{j=1}^{d} X_{ij} w_j + p^2 \sum_{j,k} X_{ij} X_{ik} w_j w_k "
             r"+ p \sum_{j=1}^{d} X_{ij}^2 w_j^2 \Big)", _a4(lambda p: p, offdiag_all=True))
A6 = P(r"\sum_{i=1}^{n} \Big(y_i - p \sum_{j=1}^{d} X_{ij} w_j\Big)^2 + p(1-p) \sum_{j=1}^{d} w_j^2 \sum_{i=1}^{n} X_{ij}^2",
       RIDGE.fn)

# ---- style 2: row by row (x_i is row i of X, r_i of R) --------------------------------------------------------------

B1 = P(r"\sum_{i=1}^{n} \mathbb{E}\big[(y_i - (r_i \odot x_i)^\top w)^2\big]", OBJ.fn)
B2 = P(r"\sum_{i=1}^{n} \Big( \big(\mathbb{E}[y_i - (r_i \odot x_i)^\top w]\big)^2 + \operatorname{Var}\big((r_i \odot x_i)^\top w\big) \Big)",
       OBJ.fn)
B3 = P(r"\sum_{i=1}^{n} \Big( (y_i - p\, x_i^\top w)^2 + \operatorname{Var}\Big(\sum_{j=1}^{d} R_{ij} X_{ij} w_j\Big) \Big)", OBJ.fn)
B4 = P(r"\sum_{i=1}^{n} \Big( (y_i - p\, x_i^\top w)^2 + \sum_{j=1}^{d} \operatorname{Var}(R_{ij})\, X_{ij}^2 w_j^2 \Big)", OBJ.fn)
B4_ONE_COIN = P(r"\sum_{i=1}^{n} \Big( (y_i - p\, x_i^\top w)^2 + p(1-p) (x_i^\top w)^2 \Big)",
                lambda W, R, ix: W.residual2(None, W.p) + W.p * (1 - W.p) * S(W.Xw(i) ** 2 for i in range(W.n)))
B5 = P(r"\sum_{i=1}^{n} (y_i - p\, x_i^\top w)^2 + p(1-p) \sum_{i=1}^{n} \sum_{j=1}^{d} X_{ij}^2 w_j^2", RIDGE.fn)

# ---- style 3: mean plus variance of each residual ------------------------------------------------------------------

C1 = P(r"\sum_{i=1}^{n} \mathbb{E}\big[(y - (R\odot X)w)_i^2\big]", OBJ.fn)
C2 = P(r"\sum_{i=1}^{n} \Big( \big(\mathbb{E}[(y - (R\odot X)w)_i]\big)^2 + \operatorname{Var}\big((y - (R\odot X)w)_i\big) \Big)", OBJ.fn)
C3 = P(r"\sum_{i=1}^{n} \Big( (y - pXw)_i^2 + \operatorname{Var}\big(((R\odot X)w)_i\big) \Big)", OBJ.fn)
C4 = P(r"\|y - pXw\|^2 + \sum_{i=1}^{n} \sum_{j=1}^{d} X_{ij}^2 w_j^2 \operatorname{Var}(R_{ij})", RIDGE.fn)
C4_DROPPED_P = P(r"\|y - Xw\|^2 + \sum_{i=1}^{n} \sum_{j=1}^{d} X_{ij}^2 w_j^2 \operatorname{Var}(R_{ij})",
                 lambda W, R, ix: W.residual2(None, 1) + W.p * (1 - W.p) * W.penalty())

# ---- style 4: trace trick ---------------------------------------------------------------------------------------


def _cross(W):
    return -2 * W.p * S(W.y[i] * W.Xw(i) for i in range(W.n)) + S(W.y[i] ** 2 for i in range(W.n))


def _quad_full(W):
    return S(W.w[j] * W.w[k] * (W.p ** 2 * W.XtX(j, k) + (W.p * (1 - W.p) * W.XtX(j, j) if j == k else 0))
             for j in range(W.d) for k in range(W.d))


D1 = P(r"y^\top y - 2p\, w^\top X^\top y + \mathbb{E}\big[\operatorname{tr}\big(w^\top (R\odot X)^\top (R\odot X) w\big)\big]", OBJ.fn)
D2 = P(r"y^\top y - 2p\, w^\top X^\top y + \operatorname{tr}\big(\mathbb{E}[(R\odot X)^\top (R\odot X)]\, w w^\top\big)", OBJ.fn)
D3 = P(r"y^\top y - 2p\, w^\top X^\top y + \sum_{j,k} \big(\mathbb{E}[(R\odot X)^\top(R\odot X)]\big)_{jk} w_j w_k", OBJ.fn)
D4 = P(r"y^\top y - 2p\, w^\top X^\top y + \sum_{j,k} \big(p^2 (X^\top X)_{jk} + p(1-p)\,\delta_{jk} (X^\top X)_{jk}\big) w_j w_k",
       lambda W, R, ix: _cross(W) + _quad_full(W))
D4_DELTA_PAIR = P(r"y^\top y - 2p\, w^\top X^\top y + \sum_{j,k} \big(p^2 (X^\top X)_{jk} + p(1-p)\,\delta_{jj} (X^\top X)_{jk}\big) w_j w_k",
                  lambda W, R, ix: _cross(W) + S(W.w[j] * W.w[k] * (W.p ** 2 + W.p * (1 - W.p)) * W.XtX(j, k)
                                                for j in range(W.d) for k in range(W.d)))
D5 = P(r"y^\top y - 2p\, w^\top X^\top y + p^2 w^\top X^\top X w + p(1-p) \sum_{j=1}^{d} (X^\top X)_{jj} w_j^2",
       lambda W, R, ix: _cross(W) + _quad_full(W))

# ---- style 5: the course's entry-wise route (lemmas on entries, then the matrix form) -----------------------------

EP_IJ = P(r"(\mathbb{E}[R \odot X])_{ij}", lambda W, R, ix: W.p * W.X[ix["i"]][ix["j"]], (("i", "n"), ("j", "d")))
EP_MID = P(r"X_{ij}\, \mathbb{E}[R_{ij}]", EP_IJ.fn, EP_IJ.free)
EP_END = P(r"p X_{ij}", EP_IJ.fn, EP_IJ.free)
EP_DROPPED = P(r"X_{ij}", lambda W, R, ix: W.X[ix["i"]][ix["j"]], EP_IJ.free)

JK = (("j", "d"), ("k", "d"))
PTP_JK = P(r"((R\odot X)^\top (R\odot X))_{jk}",
           lambda W, R, ix: S(R[i][ix["j"]] * R[i][ix["k"]] * W.X[i][ix["j"]] * W.X[i][ix["k"]] for i in range(W.n)),
           JK, masks_free=True)
PTP_SUM = P(r"\sum_{i=1}^{n} R_{ij} R_{ik} X_{ij} X_{ik}", PTP_JK.fn, JK, masks_free=True)
PTP_SUM_SLIP = P(r"\sum_{i=1}^{n} R_{ji} R_{ki} X_{ji} X_{ki}",
                 lambda W, R, ix: S(R[ix["j"]][i] * R[ix["k"]][i] * W.X[ix["j"]][i] * W.X[ix["k"]][i] for i in range(W.n)),
                 JK, masks_free=True)

IJK = (("i", "n"),) + JK
ERR = P(r"\mathbb{E}[R_{ij} R_{ik}]", lambda W, R, ix: W.p if ix["j"] == ix["k"] else W.p ** 2, IJK)
ERR_CASES = P(r"\begin{cases} p^2 & j \neq k \\ p & j = k \end{cases}", ERR.fn, IJK)
ERR_CASES_R2 = P(r"\begin{cases} p^2 & j \neq k \\ p^2 & j = k \end{cases}", lambda W, R, ix: W.p ** 2, IJK)
ERR_DELTA = P(r"p^2 + p(1-p)\,\delta_{jk}", ERR.fn, IJK)
ERR_DELTA_PAIR = P(r"p^2 + p(1-p)\,\delta_{ik}", lambda W, R, ix: W.p ** 2 + (W.p * (1 - W.p) if ix["i"] == ix["k"] else 0), IJK)


def _eptp(W, R, ix):
    j, k = ix["j"], ix["k"]
    return (W.p if j == k else W.p ** 2) * W.XtX(j, k)


NEQ = (lambda ix: ix["j"] != ix["k"])
EPTP_JK = P(r"(\mathbb{E}[(R\odot X)^\top (R\odot X)])_{jk}", _eptp, JK)
EPTP_JK_NEQ = P(r"(\mathbb{E}[(R\odot X)^\top (R\odot X)])_{jk}", _eptp, JK, NEQ)
EPTP_OFF = P(r"\sum_{i=1}^{n} \mathbb{E}[R_{ij}]\,\mathbb{E}[R_{ik}]\, X_{ij} X_{ik}", _eptp, JK, NEQ)
EPTP_OFF_END = P(r"p^2 (X^\top X)_{jk} \quad (j \neq k)", _eptp, JK, NEQ)
J = (("j", "d"),)
EPTP_JJ = P(r"(\mathbb{E}[(R\odot X)^\top (R\odot X)])_{jj}", lambda W, R, ix: W.p * W.XtX(ix["j"], ix["j"]), J)
EPTP_JJ_SUM = P(r"\sum_{i=1}^{n} \mathbb{E}[R_{ij}^2]\, X_{ij}^2", EPTP_JJ.fn, J)
EPTP_JJ_END = P(r"p\, (X^\top X)_{jj}", EPTP_JJ.fn, J)
EPTP_JJ_R2 = P(r"p^2 (X^\top X)_{jj}", lambda W, R, ix: W.p ** 2 * W.XtX(ix["j"], ix["j"]), J)
EPTP_CASES = P(r"\begin{cases} p^2 (X^\top X)_{jk} & j \neq k \\ p\,(X^\top X)_{jj} & j = k \end{cases}", _eptp, JK)
EPTP_DELTA = P(r"p^2 (X^\top X)_{jk} + p(1-p)\,\delta_{jk} (X^\top X)_{jk}", _eptp, JK)
EPTP_DELTA_TWICE = P(r"p^2 (X^\top X)_{jk} + p\,\delta_{jk} (X^\top X)_{jk}",
                     lambda W, R, ix: (W.p ** 2 + (W.p if ix["j"] == ix["k"] else 0)) * W.XtX(ix["j"], ix["k"]), JK)
EPTP_MATRIX_END = P(r"(p^2 X^\top X + p(1-p)\operatorname{diag}(X^\top X))_{jk}", _eptp, JK)

MAIN_1 = P(r"y^\top y - 2p\, w^\top X^\top y + w^\top \mathbb{E}[(R\odot X)^\top (R\odot X)]\, w", OBJ.fn)
MAIN_2 = P(r"y^\top y - 2p\, w^\top X^\top y + p^2 w^\top X^\top X w + p(1-p)\, w^\top \operatorname{diag}(X^\top X) w", OBJ.fn)

# ---- style 6: column vectors ---------------------------------------------------------------------------------------

COL_SUM = P(r"\|y - pXw\|^2 + p(1-p) \sum_{j=1}^{d} w_j^2 \|X_{:,j}\|^2", RIDGE.fn)
COL_GAMMA = P(r"\|y - pXw\|^2 + p(1-p) \sum_{j=1}^{d} (\Gamma w)_j^2", RIDGE.fn)
COL_NORM_J = P(r"\|X_{:,j}\|^2", lambda W, R, ix: W.XtX(ix["j"], ix["j"]), J)
COL_DOT = P(r"X_{:,j}^\top X_{:,j}", COL_NORM_J.fn, J)
COL_XTX = P(r"(X^\top X)_{jj}", COL_NORM_J.fn, J)
COL_GAMMA2 = P(r"(\Gamma^2)_{jj}", COL_NORM_J.fn, J)
COL_XXT = P(r"(X X^\top)_{jj}", lambda W, R, ix: S(W.X[ix["j"]][m] ** 2 for m in range(W.d)), J)
COL_E_J = P(r"\mathbb{E}\big[\|(R \odot X)_{:,j}\|^2\big]", lambda W, R, ix: W.p * W.XtX(ix["j"], ix["j"]), J)
COL_E_J_SUM = P(r"\sum_{i=1}^{n} \mathbb{E}[R_{ij}] X_{ij}^2", COL_E_J.fn, J)
COL_E_J_END = P(r"p \|X_{:,j}\|^2", COL_E_J.fn, J)
COL_E_J_R2 = P(r"\sum_{i=1}^{n} \mathbb{E}[R_{ij}]^2 X_{ij}^2", lambda W, R, ix: W.p ** 2 * W.XtX(ix["j"], ix["j"]), J)
COL_EXPECTED = P(r"\mathbb{E}[(R\odot X) w]_i", lambda W, R, ix: W.p * W.Xw(ix["i"]), (("i", "n"),))
COL_EXPECTED_SUM = P(r"\sum_{j=1}^{d} \mathbb{E}[R_{ij}] X_{ij} w_j", COL_EXPECTED.fn, (("i", "n"),))
COL_EXPECTED_END = P(r"p\, (Xw)_i", COL_EXPECTED.fn, (("i", "n"),))

# ---- style 7: student notation (bold vectors, \lVert, \circ, \mathsf{T}, indicators, \mathrm{Var}) ---------------

G_OBJ = P(r"\mathbb{E}_{R}\left[\left\lVert \mathbf{y} - (R \circ X)\mathbf{w} \right\rVert_2^2\right]", OBJ.fn)
G1 = P(r"\sum_{i=1}^{n} \mathbb{E}\left[\left(y_i - \sum_{j=1}^{d} R_{i,j} X_{i,j} w_j\right)^2\right]", OBJ.fn)
G2 = P(r"\sum_{i} \Big( (y_i - p\,\mathbf{x}_i^\mathsf{T}\mathbf{w})^2 + \sum_{j} \mathrm{Var}[R_{ij}]\, X_{ij}^2 w_j^2 \Big)", OBJ.fn)
G2_ONE_COIN = P(r"\sum_{i} \Big( (y_i - p\,\mathbf{x}_i^\mathsf{T}\mathbf{w})^2 + \mathrm{Var}[R_{i1}] (\mathbf{x}_i^\mathsf{T}\mathbf{w})^2 \Big)",
                B4_ONE_COIN.fn)
G3 = P(r"\lVert \mathbf{y} - pX\mathbf{w} \rVert^2 + p(1-p)\, \mathbf{w}^T \operatorname{diag}(X^T X)\, \mathbf{w}", RIDGE.fn)
G4 = P(r"\lVert \mathbf{y} - pX\mathbf{w} \rVert^2 + p(1-p) \lVert \Gamma \mathbf{w} \rVert^2", RIDGE.fn)
G_IND = P(r"p^2 + p(1-p)\, \mathbb{1}\{j = k\}", ERR.fn, IJK)
G_IND_R2 = P(r"p^2 + p^2\, \mathbb{1}\{j = k\}", lambda W, R, ix: W.p ** 2 * (2 if ix["j"] == ix["k"] else 1), IJK)
G_IVERSON = P(r"p^2 [j \neq k] + p\, [j = k]", ERR.fn, IJK)
G_DELTA_COMMA = P(r"p^{2} + p(1-p)\,\delta_{j,k}", ERR.fn, IJK)


# ---- a mistake carried to the end (the student's own conclusion) --------------------------------------------------

NO_PENALTY = P(r"\|y - pXw\|^2", lambda W, R, ix: W.residual2(None, W.p))
A6_R2 = P(r"\sum_{i=1}^{n} \Big(y_i - p \sum_{j=1}^{d} X_{ij} w_j\Big)^2", NO_PENALTY.fn)
A6_TWICE = P(r"\sum_{i=1}^{n} \Big(y_i - p \sum_{j=1}^{d} X_{ij} w_j\Big)^2 + p \sum_{j=1}^{d} w_j^2 \sum_{i=1}^{n} X_{ij}^2",
             lambda W, R, ix: W.residual2(None, W.p) + W.p * W.penalty())
TWICE_END = P(r"\|y - pXw\|^2 + p\|\Gamma w\|^2", A6_TWICE.fn)
ONE_COIN_END = P(r"\|y - pXw\|^2 + p(1-p)\|Xw\|^2", B4_ONE_COIN.fn)
G_ONE_COIN_END = P(r"\lVert \mathbf{y} - pX\mathbf{w} \rVert^2 + p(1-p)\lVert X\mathbf{w} \rVert^2", B4_ONE_COIN.fn)
DROPPED_END = P(r"\|y - Xw\|^2 + p(1-p)\|\Gamma w\|^2", C4_DROPPED_P.fn)
DELTA_PAIR_END = P(r"y^\top y - 2p\, w^\top X^\top y + p\, w^\top X^\top X w", D4_DELTA_PAIR.fn)
COL_E_J_R2_END = P(r"p^2 \|X_{:,j}\|^2", COL_E_J_R2.fn, J)


# ---- style 8: student macros (expanded by the document layer) ---------------------------------------------------

MACROS = "\n".join([r"\newcommand{\E}{\mathbb{E}}", r"\newcommand{\norm}[1]{\left\lVert #1 \right\rVert}",
                    r"\newcommand{\x}{\mathbf{x}}", r"\newcommand{\tp}{^\top}", r"\DeclareMathOperator{\Var}{Var}",
                    r"\def\XtX{X^\top X}"])
M_OBJ = P(r"\E\big[\norm{y - (R\odot X)w}^2\big]", OBJ.fn)
M_B1 = P(r"\sum_{i=1}^{n} \E\big[(y_i - (r_i \odot \x_i)\tp w)^2\big]", OBJ.fn)
M_B4 = P(r"\sum_{i=1}^{n} \Big( (y_i - p\, \x_i\tp w)^2 + \sum_{j=1}^{d} \Var(R_{ij})\, X_{ij}^2 w_j^2 \Big)", OBJ.fn)
M_B4_ONE = P(r"\sum_{i=1}^{n} \Big( (y_i - p\, \x_i\tp w)^2 + p(1-p)(\x_i\tp w)^2 \Big)", B4_ONE_COIN.fn)
M_END = P(r"\norm{y - pXw}^2 + p(1-p)\norm{\Gamma w}^2", RIDGE.fn)
M_ONE_END = P(r"\norm{y - pXw}^2 + p(1-p)\norm{Xw}^2", B4_ONE_COIN.fn)
M_EPTP = P(r"(\E[(R\odot X)\tp (R\odot X)])_{jk}", _eptp, JK)
M_EPTP_DELTA = P(r"p^2 (\XtX)_{jk} + p(1-p)\,\delta_{jk} (\XtX)_{jk}", _eptp, JK)
M_EPTP_TWICE = P(r"p^2 (\XtX)_{jk} + p\,\delta_{jk} (\XtX)_{jk}", EPTP_DELTA_TWICE.fn, JK)
M_MAIN1 = P(r"y\tp y - 2p\, w\tp X\tp y + w\tp \E[(R\odot X)\tp (R\odot X)]\, w", OBJ.fn)
M_MAIN2 = P(r"y\tp y - 2p\, w\tp X\tp y + p^2 w\tp \XtX w + p(1-p)\, w\tp \operatorname{diag}(\XtX) w", OBJ.fn)


def _w(name, style, *chains, layout="align", bad="invalid", prose=(), preamble=""):
    return WriteUp(name, style, tuple(tuple(c) for c in chains), layout, bad, tuple(prose), preamble)


SUMS, ROWS, MEANVAR, TRACE, COURSE, COLUMNS, NOTATION, MACRO = (
    "entry-wise sums", "row by row", "mean plus variance", "trace trick", "course entry-wise route",
    "column vectors", "student notation", "student macros")

WRITEUPS = [
    # entry-wise sums
    _w("sums_full", SUMS, [OBJ, A1, A2, A3, A4, A5, A6, RIDGE_DOUBLE_SUM, RIDGE]),
    _w("sums_short", SUMS, [OBJ, A2, A5, A6, RIDGE], layout="lines"),
    _w("sums_nested", SUMS, [OBJ, A1, A3, A5, A6, RIDGE_PENALTY_SUM, RIDGE_LAMBDA], layout="equation"),
    _w("sums_mistake_r_squared", SUMS, [OBJ, A1, A2, A3, A4_R2, A6_R2, NO_PENALTY]),
    _w("sums_mistake_diagonal_twice", SUMS, [OBJ, A2, A3, A5_TWICE, A6_TWICE, TWICE_END]),
    _w("sums_mistake_transpose", SUMS, [OBJ, A2, A5, A6, RIDGE_TRANSPOSE_SLIP], bad="ill-typed"),
    # row by row
    _w("rows_full", ROWS, [OBJ_B, B1, B2, B3, B4, B5, RIDGE_DIAG, RIDGE]),
    _w("rows_equation", ROWS, [OBJ, B1, B3, B4, B5, RIDGE], layout="equation"),
    _w("rows_mistake_one_coin", ROWS, [OBJ_B, B1, B2, B3, B4_ONE_COIN, ONE_COIN_END]),
    _w("rows_mistake_wrong_lambda", ROWS, [OBJ, B1, B4, B5, RIDGE, RIDGE_WRONG_LAMBDA]),
    # mean plus variance
    _w("meanvar_full", MEANVAR, [OBJ, C1, C2, C3, C4, RIDGE_PENALTY_SUM, RIDGE]),
    _w("meanvar_lambda", MEANVAR, [OBJ, C1, C2, C3, C4, RIDGE, RIDGE_LAMBDA], layout="lines"),
    _w("meanvar_mistake_dropped_p", MEANVAR, [OBJ, C1, C2, C3, C4_DROPPED_P, DROPPED_END]),
    _w("meanvar_mistake_r_squared", MEANVAR, [OBJ, C1, C2, C3, A4_R2, NO_PENALTY]),
    # trace trick
    _w("trace_full", TRACE, [OBJ, D1, D2, D3, D4, D5, RIDGE_DIAG, RIDGE]),
    _w("trace_cases", TRACE, [EPTP_JK, EPTP_CASES], [OBJ, D1, D2, D3, D4, D5, RIDGE]),
    _w("trace_mistake_delta_pair", TRACE, [OBJ, D1, D2, D3, D4_DELTA_PAIR, DELTA_PAIR_END]),
    _w("trace_mistake_diagonal_twice", TRACE, [EPTP_JK, EPTP_DELTA_TWICE], [OBJ, D2, D3, D4, RIDGE]),
    # the course's entry-wise route
    _w("course_route", COURSE, [EP_IJ, EP_MID, EP_END], [PTP_JK, PTP_SUM], [ERR, ERR_CASES],
       [EPTP_JK_NEQ, EPTP_OFF, EPTP_OFF_END], [EPTP_JJ, EPTP_JJ_SUM, EPTP_JJ_END], [EPTP_JK, EPTP_DELTA, EPTP_MATRIX_END],
       [OBJ, MAIN_1, MAIN_2, RIDGE],
       prose=(r"The mean of $P = R \odot X$, entry by entry:", r"Entries of $P^\top P$:",
              r"For $j \neq k$ the coins are independent:", "", "", "", r"Putting it together:")),
    _w("course_cases_lambda", COURSE, [EPTP_JK, EPTP_CASES], [EPTP_JJ, EPTP_JJ_SUM, EPTP_JJ_END],
       [OBJ, MAIN_1, MAIN_2, RIDGE, RIDGE_LAMBDA], layout="lines"),
    _w("course_delta", COURSE, [ERR, ERR_DELTA], [EPTP_JK, EPTP_DELTA], [OBJ, MAIN_1, MAIN_2, RIDGE_DIAG, RIDGE]),
    _w("course_mistake_dropped_p", COURSE, [EP_IJ, EP_MID, EP_DROPPED], [OBJ, MAIN_1, MAIN_2, RIDGE]),
    _w("course_mistake_r_squared", COURSE, [ERR, ERR_CASES_R2], [OBJ, MAIN_1, MAIN_2, RIDGE]),
    _w("course_mistake_diag_r_squared", COURSE, [EPTP_JK_NEQ, EPTP_OFF, EPTP_OFF_END], [EPTP_JJ, EPTP_JJ_SUM, EPTP_JJ_R2]),
    _w("course_mistake_delta_pair", COURSE, [ERR, ERR_DELTA_PAIR], [EPTP_JK, EPTP_DELTA]),
    _w("course_mistake_transpose", COURSE, [PTP_JK, PTP_SUM_SLIP], [EPTP_JK, EPTP_DELTA], bad="ill-typed"),
    # column vectors
    _w("columns_full", COLUMNS, [COL_NORM_J, COL_DOT, COL_XTX, COL_GAMMA2], [OBJ, A2, A5, A6, COL_SUM, COL_GAMMA, RIDGE]),
    _w("columns_expectation", COLUMNS, [COL_E_J, COL_E_J_SUM, COL_E_J_END], [COL_EXPECTED, COL_EXPECTED_SUM, COL_EXPECTED_END],
       [OBJ, B1, B5, COL_SUM, RIDGE]),
    _w("columns_mistake_transpose", COLUMNS, [COL_NORM_J, COL_XXT], [OBJ, A2, A5, A6, COL_SUM, RIDGE], bad="ill-typed"),
    _w("columns_mistake_r_squared", COLUMNS, [COL_E_J, COL_E_J_R2, COL_E_J_R2_END], [OBJ, B1, B5, COL_SUM, RIDGE]),
    # student notation
    _w("notation_full", NOTATION, [G_OBJ, G1, G2, G3, G4], [ERR, G_IND], [ERR, G_IVERSON], [ERR, G_DELTA_COMMA]),
    _w("notation_equation", NOTATION, [G_OBJ, G1, G2, G3, G4], layout="equation"),
    _w("notation_mistake_one_coin", NOTATION, [G_OBJ, G1, G2_ONE_COIN, G_ONE_COIN_END]),
    _w("notation_mistake_indicator", NOTATION, [ERR, G_IVERSON], [ERR, G_IND_R2], [G_OBJ, G1, G2, G3, G4]),
    # student macros
    _w("macros_rows", MACRO, [M_OBJ, M_B1, M_B4, M_END], preamble=MACROS),
    _w("macros_course", MACRO, [M_EPTP, M_EPTP_DELTA], [M_OBJ, M_MAIN1, M_MAIN2, M_END], preamble=MACROS),
    _w("macros_mistake_one_coin", MACRO, [M_OBJ, M_B1, M_B4_ONE, M_ONE_END], preamble=MACROS),
    _w("macros_mistake_diagonal_twice", MACRO, [M_EPTP, M_EPTP_TWICE], [M_OBJ, M_MAIN1, M_MAIN2, M_END],
       preamble=MACROS),
]
