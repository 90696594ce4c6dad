"""Q2 of the report: the model, each hand-coded design with its weights, closed-form
output and scale threshold, and the learned-vs-hand-coded comparison ("holds in
j of K seeds"), from derivlab.transformers and derivlab.derivations.

Nothing is filled in by hand; a module that fails to import is an error.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from derivlab.claims import claims_for_question
from derivlab.derivations.attention_closed_forms import closed_form
from derivlab.derivations.attention_scores import symbolic_design
from derivlab.derivations.attention_thresholds import scale_threshold
from derivlab.derivations.notation import course_latex
from derivlab.progress import stage
from derivlab.reports.claim_views import claim_view
from derivlab.reports.dropout_figures import FIGURE_DIR, figure_view
from derivlab.reports.latex_escape import escape_latex
from derivlab.reports.templating import trusted
from derivlab.transformers.comparison import compare_task
from derivlab.transformers.designs import hand_coded_design

ATTENTION_CLAIMS = tuple(c.id for c in claims_for_question("Q2"))

TASK_TEXT = {
    "identity": ("b", "Select by content: the identity task",
                 "Input: a sequence of length 1 to 6 over the one-hot tokens A, B, C, without positions; "
                 "target: the sequence itself ([A,B,C,C] -> [A,B,C,C]).",
                 "Each query scores keys of its own token far above the others; attending to every copy of "
                 "its own token averages copies of that token, which is the token."),
    "first": ("c", "Select by position: copy the first token",
              "Input: a sequence of length 1 to 4 over A, B, C with one-hot positions concatenated; "
              "target: the first token repeated ([A,B,C,C] -> [A,A,A,A]).",
              "Queries and keys read only the position part and every query scores the first position "
              "highest; the values copy the token part."),
    "unique": ("d", "Select by content and position: flag unique tokens (optional part)",
               "Input: CLS followed by 1 to 4 tokens over A, B, C (4-dim one-hot); target for every "
               "non-CLS position: +1 if its token occurs once, -1 if it repeats. Only the sign counts.",
               "Match equal content as in (b) but never the query's own position (the position idea of (c)); "
               "CLS answers every query at a lower score and carries the value +1, the tokens carry -1."),
}


def transformers_section(results: dict[str, Any], out_dir: Path, *, quick: bool, seed: int) -> dict:
    """The ``q2`` context of solutions.tex.j2."""
    claims = {cid: claim_view(cid, results.get(cid)) for cid in ATTENTION_CLAIMS}
    tasks = []
    for task, (letter, title, description, idea) in TASK_TEXT.items():
        tasks.append({
            "key": task, "letter": letter, "title": title, "description": description,
            "design": design_view(task, idea),
            "closed_form": closed_form_view(task),
            "claim_id": f"attention.{task}",
            "comparison": comparison_view(task, out_dir, quick=quick, seed=seed),
        })
    return {"claims": claims, "tasks": tasks}


# --- designs ------------------------------------------------------------------------


def matrix_latex(name: str, matrix: Any) -> str:
    """``name = [entries]`` as a bmatrix; integers print as integers, others to 3 significant digits."""
    rows = [" & ".join(_entry(x) for x in row) for row in matrix.tolist()]
    return rf"{name} = \begin{{bmatrix}} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def _entry(x: float) -> str:
    return str(int(round(x))) if float(x).is_integer() else f"{x:.3g}"


def design_view(task: str, idea: str) -> dict:
    """The design's weights (numbers at its default scales) and its symbolic score form."""
    view: dict[str, Any] = {"idea": idea, "matrices": [], "params_text": "", "score_form": None, "reason": ""}
    design = hand_coded_design(task)
    view["params_text"] = ", ".join(f"{k} = {v:g}" for k, v in design.params.items()) + \
        f", qk\\_dim = {design.qk_dim}, pos\\_dim = {design.pos_dim}"
    view["params_text"] = trusted(view["params_text"])
    named = [("K_m", design.Km), ("Q_m", design.Qm), ("V_m", design.Vm)]
    if design.pos is not None:
        named.append((r"\mathit{pos}", design.pos))
    view["matrices"] = [{"latex": trusted(matrix_latex(n, m))} for n, m in named]
    view["score_form"] = trusted(course_latex(symbolic_design(task).score_form))
    return view


# --- closed forms -------------------------------------------------------------------


def closed_form_view(task: str) -> dict:
    """The design's attention weights and outputs in closed form, their c -> oo limits and the
    smallest scale c* that passes the notebook's check on every input (derivlab.derivations)."""
    with stage(f"closed form and scale threshold of the {task} design"):
        form = closed_form(task)
        threshold = scale_threshold(task)
    forms = [
        {"label": trusted(r"Weight on ONE key of each class (softmax grouped by class; $m$ counts the query's "
                          r"token, $L$ the tokens, $n_A, n_B, n_C$ each token):"),
         "latex": trusted(r" \\ ".join(rf"a_{{\text{{{escape_latex(k)}}}}} &= {course_latex(v)}"
                                        for k, v in form.weights.items()))},
        {"label": trusted("Output row of a query, by the kind of query:"),
         "latex": trusted(r" \\ ".join(rf"\mathrm{{out}}_{{\text{{{escape_latex(k)}}}}} &= {course_latex(v)}"
                                        for k, v in form.output.items()))},
        {"label": trusted(r"Hard-attention limits as $c \to \infty$:"),
         "latex": trusted(r" \\ ".join(rf"\lim_{{c\to\infty}} \text{{{escape_latex(k)}}} &= {course_latex(v)}"
                                        for k, v in form.hard_limit.items()))},
        {"label": trusted(_threshold_label(threshold)),
         "latex": trusted(rf"c^\star &= {course_latex(threshold.exact)} \approx {threshold.value:.4f}")},
    ]
    return {"forms": forms, "reason": "", "threshold": threshold.value, "default_scale": None}


def _threshold_label(threshold: Any) -> str:
    relation = r"c \ge c^\star" if threshold.inclusive else r"c > c^\star"
    scales = ", ".join(f"{k} = {v}" for k, v in threshold.scales.items())
    return (rf"Scale threshold: the design passes the notebook's check on every input exactly when ${relation}$"
            rf"{' (at ' + escape_latex(scales) + ')' if scales else ''}; the binding input is "
            rf"\texttt{{{escape_latex(threshold.worst_sequence)}}} (query {threshold.worst_query}), where "
            rf"${threshold.condition_latex}$ ({threshold.profiles_checked} count profiles checked).")


# --- learned versus hand-coded --------------------------------------------------------


def comparison_settings(quick: bool) -> dict:
    """Seeds and steps of the learned twins: the notebook's 10,001 steps; fewer with --quick."""
    return {"seeds": 2, "steps": 600} if quick else {"seeds": 4, "steps": None}


def comparison_view(task: str, out_dir: Path, *, quick: bool, seed: int) -> dict:
    """compare_task's written claims ("holds in j of K seeds") and its figures, copied into the report."""
    settings = comparison_settings(quick)
    raw_dir = out_dir / FIGURE_DIR / f"compare-{task}"
    with stage(f"training {settings['seeds']} learned twins for the {task} task"):
        report = compare_task(task, seeds=settings["seeds"], first_seed=seed, steps=settings["steps"], out_dir=raw_dir)
    data = report.to_json()
    claims = [_claim_row(c, quick=quick) for c in data.get("claims", [])]
    figs = [figure_view(_safe_copy(p, out_dir, task), out_dir, _caption(task, p), width="0.95")
            for p in report_figures(data.get("figures", []))]
    k, steps = data.get("seeds", settings["seeds"]), data.get("steps", settings["steps"])
    intro = (f"{k} learned models (seeds {seed} to {seed + k - 1 if isinstance(k, int) else '?'}, "
             f"{steps} SGD steps each, the notebook's training set-up) against the hand-coded design.")
    if quick:
        intro += (" This is a quick run: too few seeds and far fewer steps than the notebook's 10,001, so "
                  "what it measures is not evidence for or against the course's claims about learned models; "
                  "run derivlab report without --quick for that.")
    return {"claims": claims, "figures": figs, "reason": "", "intro": intro}


def report_figures(paths: list[str]) -> list[Path]:
    """The comparison figures the report shows: vector PDFs only (a PNG twin is skipped), and of the
    per-seed heatmap panels only the first seed's (the others stay in the figures folder)."""
    chosen, heatmaps = [], 0
    for raw in paths:
        path = Path(raw)
        if path.suffix.lower() != ".pdf":
            continue
        if "heatmap" in path.stem:
            heatmaps += 1
            if heatmaps > 1:
                continue
        chosen.append(path)
    return chosen


def _caption(task: str, path: Path) -> str:
    if "heatmap" in path.stem:
        return (f"{task} task: the notebook's 8 heatmaps (transposed Km, Qm, Vm, keys, queries, values, "
                f"the attention weights of each query over the keys, and the transposed output) of the hand-coded "
                f"design (top) and a learned model (bottom). Entries are drawn as they are, with one colour scale "
                f"per group (weights; keys, queries and values; output; attention on [0, 1]) and its colour bar; "
                f"small matrices carry their entries as numbers.")
    if "loss" in path.stem:
        return f"{task} task: training loss of the learned models ({path.stem})."
    return f"{task} task: {path.stem}."


def _claim_row(claim: dict, *, quick: bool = False) -> dict:
    """One written claim: the table's cells and a sentence. In a quick run the sentence reports the
    count only: a few seeds trained briefly are not evidence about the claim either way."""
    held, of = claim.get("holds_in"), claim.get("of")
    values = claim.get("values")
    values_text = ""
    if isinstance(values, (list, tuple)):
        values_text = ", ".join(f"{v:.3g}" if isinstance(v, (int, float)) else str(v) for v in values[:8])
    if quick:
        verdict = "in this quick run it holds in " + ("every seed" if held == of else "no seed" if held == 0
                                                       else "some seeds only")
    elif held == of:
        verdict = "it holds in every seed"
    elif held == 0:
        verdict = "it holds in no seed, so the expected answer is not borne out here"
    else:
        verdict = "it holds in some seeds only"
    text = str(claim.get("text", claim.get("id", "")))
    answer = f"“{text}”: {verdict} ({held} of {of})."
    return {"text": text, "holds_in": held, "of": of, "metric": str(claim.get("metric", "")),
            "values_text": values_text, "answer": answer}


def _safe_copy(path: Path, out_dir: Path, task: str) -> Path:
    """Copy a figure to ``out_dir/figures`` under a name LaTeX's \\includegraphics reads safely."""
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", f"q2-{task}-{path.name}")
    target = out_dir / FIGURE_DIR / name
    if path.resolve() != target.resolve():
        shutil.copyfile(path, target)
    return target
