"""Reading a .tex file: blocks, rows, prose, definitions, positions."""

from derivlab.checking.blocks import SourceMap, find_blocks, inline_definitions, rows_of, strip_comments
from derivlab.checking.chains import assemble


def _rows(text):
    text = strip_comments(text)
    return [r for i, b in enumerate(find_blocks(text)) for r in rows_of(b, i)]


def test_every_block_kind_is_found_in_document_order():
    text = (r"a \begin{align*}A\end{align*} b \[ B \] c $$ C $$ \begin{equation}D\end{equation}"
            r" \begin{gather*}E\end{gather*} \begin{equation*}\begin{aligned}F\end{aligned}\end{equation*}")
    assert [b.text.strip().replace(r"\begin{aligned}", "").replace(r"\end{aligned}", "") for b in find_blocks(text)] == \
        ["A", "B", "C", "D", "E", "F"]


def test_ignorable_markup_is_blanked_and_positions_kept():
    text = r"\begin{align} a &= b \label{eq:1} \nonumber \\ &= c \tag{2}. \end{align}"
    rows = _rows(text)
    assert [" ".join(r.math.text.split()) for r in rows] == ["a = b", "= c"]
    assert text[rows[1].math.start] == "="


def test_comments_are_ignored():
    assert [r.math.text for r in _rows("\\[ a = b % = c\n \\]")] == ["a = b"]


def test_prose_text_between_rows_is_ignored():
    rows = _rows(r"\begin{align*} a &= b \quad \text{(by linearity)} \\ \text{and so} \\ &= c \end{align*}")
    assert [" ".join(r.math.text.split()) for r in rows if r.math] == ["a = b", "= c"]


def test_text_inside_names_is_kept():
    rows = _rows(r"\[ w_{\text{new}} = \text{diag}(X) \]")
    assert rows[0].math.text == r"w_{\text{new}} = \text{diag}(X)"


def test_let_where_and_assignment_rows_are_definitions():
    rows = _rows(r"\begin{align*} \text{let } P = R \odot X \\ a &= b, \quad \text{where } \lambda = \frac{1-p}{p} \\"
                 r" M &:= E[P] = c \\ Q \coloneqq P \end{align*}")
    defs = [(d.name.text, d.body.text, d.kind) for r in rows for d in r.definitions]
    assert defs == [("P", r"R \odot X", "let"), (r"\lambda", r"\frac{1-p}{p}", "where"), ("M", "E[P]", ":="),
                    ("Q", "P", ":=")]
    assert rows[2].math.text == "E[P] = c"  # an assignment row also starts the chain E[P] = c


def test_prose_definitions_in_inline_math():
    text = r"Let $\tilde{w} = w_{new}/p$ and note $a = b$. Also $P := R \odot X$."
    defs = inline_definitions(text, [])
    assert [(d.name.text, d.body.text) for d in defs] == [(r"\tilde{w}", "w_{new}/p"), ("P", r"R \odot X")]


def test_chains_continue_across_rows_and_blocks_starting_with_equals():
    rows = _rows(r"\begin{align*} a &= b \\ &\quad + c \\ &= d \end{align*} \[ = e \] \[ f = g \]")
    chains = assemble(rows)
    assert [[e.latex() for e in c.expressions] for c in chains] == [["a", "b + c", "d", "e"], ["f", "g"]]


def test_source_map_gives_one_based_line_and_column():
    where = SourceMap("ab\ncd\n")
    assert where.line_col(0) == (1, 1) and where.line_col(4) == (2, 2)
