"""A generated class of submissions (correct, wrong, broken, hostile) for tests,
the ``grading-throughput`` benchmark and demos of ``derivlab grade``.

    write_class(Path("class"), kinds=["correct", "wrong", "broken", "hostile"])

``correct``: the report's SymPy-verified dropout chain and the hand-coded designs.
``wrong``:   a derivation with the classic slip E[(R⊙X)ᵀ(R⊙X)] = p²XᵀX (the
             diagonal term forgotten) from step 3 on, and designs at too small a scale.
``broken``:  unreadable files (weights that are not JSON, a missing key, a non-UTF-8 .tex).
``unreadable``: a derivation with one step in notation the checker does not read (an index
             sum), the rest right, and correct designs: it belongs in the review queue.
``hostile``: TeX that tries to read /etc/passwd and run a shell (\\input, \\write18,
             \\csname, catcode tricks) and a weights file that is a link to /etc/passwd.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

KINDS = ("correct", "wrong", "broken", "hostile", "unreadable")
TASKS = ("identity", "first", "unique")

WRONG_DERIVATION = r"""\documentclass{article}
\usepackage{amsmath}
\begin{document}
Dropout objective, with the expectation pushed inside.
\begin{align*}
\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]
  &= \mathbb{E}_R\left[y^\top y - 2\tilde{w}^\top (R\odot X)^\top y + \tilde{w}^\top (R\odot X)^\top (R\odot X)\tilde{w}\right] \\
  &= y^\top y - 2p\,\tilde{w}^\top X^\top y + \tilde{w}^\top \mathbb{E}_R\left[(R\odot X)^\top (R\odot X)\right]\tilde{w} \\
  &= y^\top y - 2p\,\tilde{w}^\top X^\top y + p^2\,\tilde{w}^\top X^\top X\tilde{w} \\
  &= \|y - pX\tilde{w}\|_2^2
\end{align*}
\end{document}
"""

UNREADABLE_DERIVATION = r"""\documentclass{article}
\usepackage{amsmath}
\begin{document}
\begin{align*}
\mathbb{E}_R\left[\|y - (R \odot X)\tilde{w}\|_2^2\right]
  &= \mathbb{E}_R\left[y^\top y - 2\tilde{w}^\top (R\odot X)^\top y + \tilde{w}^\top (R\odot X)^\top (R\odot X)\tilde{w}\right] \\
  &= y^\top y - 2p\,\tilde{w}^\top X^\top y + \left\langle \tilde{w}, \mathbb{E}_R\left[(R\odot X)^\top (R\odot X)\right] \tilde{w} \right\rangle \\
  &= y^\top y - 2p\,\tilde{w}^\top X^\top y + \tilde{w}^\top \left(p^2 X^\top X + p(1-p)\operatorname{diag}(X^\top X)\right)\tilde{w} \\
  &= \|y - pX\tilde{w}\|_2^2 + p(1-p)\,\tilde{w}^\top \operatorname{diag}(X^\top X)\tilde{w}
\end{align*}
\end{document}
"""

HOSTILE_DERIVATION = r"""\documentclass{article}
\input{/etc/passwd}
\immediate\write18{touch pwned-by-write18}
\csname input\endcsname{/etc/passwd}
\catcode`\^^5c=0 ^^5cinput{/etc/passwd}
\begin{document}
\begin{align*}
\input{/etc/passwd} &= \write18{touch pwned-in-math} \\
  &= \csname input\endcsname{/etc/shadow} ^^5c \openout1=pwned.tex
\end{align*}
\end{document}
"""


def correct_derivation() -> str:
    """The report's dropout derivation (SymPy-verified steps) as a student would hand it in."""
    from derivlab.reports.derivation_file import dropout_chain_steps, dropout_derivation_tex

    return dropout_derivation_tex(dropout_chain_steps())


def design_weights(task: str, **scales: float) -> dict:
    """A weights file (Km, Qm, Vm[, pos] as lists of rows) of the hand-coded design of ``task``."""
    from derivlab.transformers.designs import hand_coded_design

    return {k: v.tolist() for k, v in hand_coded_design(task, **scales).weights().items()}


def write_submission(folder: Path, kind: str) -> Path:
    """Write one submission of ``kind`` (see the module docstring) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "correct":
        (folder / "derivation.tex").write_text(correct_derivation(), encoding="utf-8")
        for task in TASKS:
            (folder / f"weights_{task}.json").write_text(json.dumps(design_weights(task)))
    elif kind == "wrong":
        (folder / "derivation.tex").write_text(WRONG_DERIVATION, encoding="utf-8")
        for task in TASKS:
            (folder / f"weights_{task}.json").write_text(json.dumps(design_weights(task, c=1.0)))
    elif kind == "broken":
        (folder / "derivation.tex").write_bytes(b"\\begin{align*} \xff\xfe broken \\end{align*}")
        (folder / "weights_identity.json").write_text("{not json")
        (folder / "weights_first.json").write_text(json.dumps({"Km": [[1.0]], "Qm": [[1.0]]}))
    elif kind == "unreadable":
        (folder / "derivation.tex").write_text(UNREADABLE_DERIVATION, encoding="utf-8")
        for task in TASKS:
            (folder / f"weights_{task}.json").write_text(json.dumps(design_weights(task)))
    elif kind == "hostile":
        (folder / "derivation.tex").write_text(HOSTILE_DERIVATION, encoding="utf-8")
        link = folder / "weights_identity.json"
        if not os.path.lexists(link):
            link.symlink_to("/etc/passwd")
        (folder / "weights_first.json").write_text(json.dumps({"Km": "\\input{/etc/passwd}"}))
    else:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    return folder


def write_class(root: Path, kinds: Iterable[str] = KINDS, count: int | None = None) -> list[Path]:
    """Submissions ``root/NNN-kind``: ``kinds`` once each, or cycled to ``count`` submissions."""
    kinds = list(kinds)
    total = len(kinds) if count is None else count
    return [write_submission(root / f"{i:03d}-{kinds[i % len(kinds)]}", kinds[i % len(kinds)]) for i in range(total)]
